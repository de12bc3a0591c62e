"""The `SecretSealer` port on AES-256-GCM, keys derived with HKDF-SHA256 from the app secrets.

A sealed value reads `v1.<kid>.<base64url(nonce || ciphertext || tag)>`: the kid names the
key, so after `PROJECT_SECRET_KEY` is rotated (the old one kept in
`PROJECT_PREVIOUS_SECRET_KEYS`) values sealed under the old key still open. The context (the
owner's id) is the associated data: authenticated, not stored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from project.domain.model.second_factor import SecretUnreadable

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12  # GCM's native size; random nonces are safe far past any count of secrets here
_INFO = b"project/sealed-secret/v1"


def derive_key(secret: str) -> bytes:
    """The sealing key of an app secret: HKDF-SHA256, its own `info`, so it signs nothing else."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=_INFO)
    return hkdf.derive(secret.encode("utf-8"))


class AesGcmSecretSealer:
    """Seals with the first key; opens with any of them."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys or any(len(key) != KEY_BYTES for key in keys):
            raise ValueError(f"a sealer needs one or more keys of {KEY_BYTES} bytes")
        self._keys = {_kid(key): AESGCM(key) for key in keys}
        self._active = _kid(keys[0])

    @classmethod
    def from_secrets(cls, secrets: Sequence[str]) -> AesGcmSecretSealer:
        """The active app secret first, then the retired ones still accepted."""
        return cls([derive_key(secret) for secret in secrets])

    def seal(self, plaintext: str, *, context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        box = self._keys[self._active].encrypt(nonce, plaintext.encode(), context.encode())
        return f"{VERSION}.{self._active}.{_b64(nonce + box)}"

    def open(self, sealed: str, *, context: str) -> str:
        parts = sealed.split(".")
        version, kid, body = parts if len(parts) == 3 else ("", "", "")
        cipher = self._keys.get(kid)
        if version != VERSION or cipher is None:
            raise SecretUnreadable("sealed under an unknown format or a key no longer configured")
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            plain = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except (InvalidTag, binascii.Error, ValueError):
            raise SecretUnreadable("the sealed secret does not open: tampered with?") from None
        return plain.decode()


def _kid(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
