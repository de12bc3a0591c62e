"""The cryptographic ports of the second factor (S7): the TOTP arithmetic and the sealer."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest

from project.adapters.cryptography import AesGcmSecretSealer
from project.adapters.cryptography.sealer import derive_key
from project.adapters.pyotp import PyotpOneTimePasswords
from project.domain.model.second_factor import SecretUnreadable
from project.ports.second_factor import OneTimePasswords, SecretSealer

# RFC 6238 appendix B, SHA-1: the ASCII key "12345678901234567890"; (time, 8-digit code).
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]
USER = "01900000-0000-7000-8000-000000000001"


@pytest.fixture
def otp() -> OneTimePasswords:
    return PyotpOneTimePasswords()


@pytest.mark.parametrize(("unix_time", "eight_digits"), RFC_VECTORS)
def test_codes_are_rfc_6238_with_six_digits_and_thirty_second_steps(
    otp: OneTimePasswords, unix_time: int, eight_digits: str
) -> None:
    # A 6-digit code is the 8-digit one modulo 10**6: the RFC's vectors, truncated.
    assert otp.code_at(RFC_SECRET, unix_time // 30) == eight_digits[-6:]


def test_a_new_secret_has_160_random_bits_in_base32(otp: OneTimePasswords) -> None:
    secrets = {otp.new_secret() for _ in range(50)}
    assert len(secrets) == 50
    for secret in secrets:
        assert len(base64.b32decode(secret)) == 20


def test_the_provisioning_uri_is_what_authenticator_apps_scan(otp: OneTimePasswords) -> None:
    secret = otp.new_secret()
    uri = otp.provisioning_uri(secret, account="ann@example.com", issuer="bm.example")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert parts.path == "/bm.example:ann%40example.com"
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert query["secret"] == secret
    assert query["issuer"] == "bm.example"
    assert query.get("digits", "6") == "6"
    assert query.get("period", "30") == "30"
    assert query.get("algorithm", "SHA1").upper() == "SHA1"
    # What an app would compute from the URI is what the adapter computes.
    app = pyotp.parse_uri(uri)
    assert isinstance(app, pyotp.TOTP)
    assert app.at(1_700_000_000) == otp.code_at(secret, 1_700_000_000 // 30)


# --- the sealer -------------------------------------------------------------------------------

KEY = "a-sufficiently-long-random-app-secret-0123456789"
OLD_KEY = "the-previous-app-secret-kept-for-rotation-98765"


@pytest.fixture
def sealer() -> SecretSealer:
    return AesGcmSecretSealer.from_secrets([KEY])


def test_a_sealed_secret_opens_to_itself_and_does_not_show_it(sealer: SecretSealer) -> None:
    sealed = sealer.seal("JBSWY3DPEHPK3PXP", context=USER)
    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert sealed.startswith("v1.")
    assert sealer.open(sealed, context=USER) == "JBSWY3DPEHPK3PXP"


def test_sealing_twice_gives_two_ciphertexts(sealer: SecretSealer) -> None:
    assert sealer.seal("same", context=USER) != sealer.seal("same", context=USER)


def _flip(sealed: str, index: int) -> str:
    head, _, body = sealed.rpartition(".")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[index] ^= 0x01
    return f"{head}.{base64.urlsafe_b64encode(bytes(raw)).rstrip(b'=').decode()}"


@pytest.mark.parametrize("index", [0, 12, 20, -1], ids=["nonce", "ciphertext", "mid", "tag"])
def test_a_tampered_value_is_rejected(sealer: SecretSealer, index: int) -> None:
    sealed = sealer.seal("JBSWY3DPEHPK3PXP", context=USER)
    with pytest.raises(SecretUnreadable):
        sealer.open(_flip(sealed, index), context=USER)


@pytest.mark.parametrize(
    "broken",
    ["", "v1", "v2.x.y", "v1..", "v1.0000000000000000.AAAA", "not sealed at all", "v1.a.b.c"],
)
def test_malformed_values_are_rejected(sealer: SecretSealer, broken: str) -> None:
    with pytest.raises(SecretUnreadable):
        sealer.open(broken, context=USER)


def test_a_value_sealed_for_one_user_does_not_open_for_another(sealer: SecretSealer) -> None:
    sealed = sealer.seal("JBSWY3DPEHPK3PXP", context=USER)
    with pytest.raises(SecretUnreadable):
        sealer.open(sealed, context="01900000-0000-7000-8000-000000000002")


def test_another_key_cannot_open_it(sealer: SecretSealer) -> None:
    sealed = sealer.seal("JBSWY3DPEHPK3PXP", context=USER)
    other = AesGcmSecretSealer.from_secrets([OLD_KEY])
    with pytest.raises(SecretUnreadable):
        other.open(sealed, context=USER)


def test_after_rotation_old_values_open_and_new_ones_use_the_new_key() -> None:
    before = AesGcmSecretSealer.from_secrets([OLD_KEY]).seal("JBSWY3DPEHPK3PXP", context=USER)
    rotated = AesGcmSecretSealer.from_secrets([KEY, OLD_KEY])
    assert rotated.open(before, context=USER) == "JBSWY3DPEHPK3PXP"
    after = rotated.seal("JBSWY3DPEHPK3PXP", context=USER)
    assert after.split(".")[1] != before.split(".")[1]
    assert AesGcmSecretSealer.from_secrets([KEY]).open(after, context=USER) == "JBSWY3DPEHPK3PXP"


def test_the_key_is_derived_per_purpose_not_the_raw_secret() -> None:
    key = derive_key(KEY)
    assert len(key) == 32
    assert key != KEY.encode()[:32]
    assert derive_key(KEY) == key
    assert derive_key(OLD_KEY) != key


def test_keys_must_be_256_bits() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        AesGcmSecretSealer([b"short"])
    with pytest.raises(ValueError, match="32 bytes"):
        AesGcmSecretSealer([])
