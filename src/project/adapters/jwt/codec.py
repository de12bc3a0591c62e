"""Access JWTs (S8-S10): HS256 only, keys chosen by `kid` from configuration alone."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Final

import jwt

from project.domain.model.errors import AuthenticationFailed
from project.domain.model.ids import SessionId, UserId
from project.domain.model.tokens import AccessClaims
from project.ports.system import Clock

MIN_KEY_BYTES = 32
ALGORITHM: Final = "HS256"
HEADER_TYP: Final = "at+jwt"  # RFC 9068
ACCESS_TYP: Final = "access"  # the `typ` claim; refresh and reset tokens are not JWTs
DEFAULT_LEEWAY = timedelta(seconds=10)
_REQUIRED_CLAIMS = ["exp", "iat", "nbf", "iss", "aud", "sub", "sid", "jti", "typ"]


class JwtAccessTokenCodec:
    """The `AccessTokenCodec` port on PyJWT.

    Tokens are signed with the active key and carry its `kid`; any configured key verifies,
    so rotation is: add the new key, make it active, drop the old one once its tokens expire.
    Every rejection raises the same bare `AuthenticationFailed`.

    Times are checked against `clock` (the wall clock by default), the same clock the
    services issue tokens with, so a test clock drives issuing and checking alike.
    """

    def __init__(
        self,
        *,
        keys: Mapping[str, bytes],
        active_kid: str,
        issuer: str,
        audience: str,
        leeway: timedelta = DEFAULT_LEEWAY,
        clock: Clock | None = None,
    ) -> None:
        if active_kid not in keys:
            raise ValueError(f"the active key id {active_kid!r} is not among the keys")
        short = sorted(kid for kid, key in keys.items() if len(key) < MIN_KEY_BYTES)
        if short:
            raise ValueError(f"JWT keys must be at least {MIN_KEY_BYTES} bytes: {short}")
        if not issuer or not audience:
            raise ValueError("the JWT issuer and audience must not be empty")
        self._keys = dict(keys)
        self._active_kid = active_kid
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway
        self._now: Callable[[], datetime] = clock.now if clock else _utc_now
        self._jwt = jwt.PyJWT(
            options={
                "require": _REQUIRED_CLAIMS,
                "strict_aud": True,
                "enforce_minimum_key_length": True,
                # Times are checked in _check_times against the injected clock instead.
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
            }
        )

    def encode(self, claims: AccessClaims) -> str:
        payload = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(claims.user_id),
            "sid": str(claims.session_id),
            "jti": claims.token_id,
            "iat": _seconds(claims.issued_at),
            "nbf": _seconds(claims.issued_at),
            "exp": _seconds(claims.expires_at),
            "typ": ACCESS_TYP,
        }
        headers = {"kid": self._active_kid, "typ": HEADER_TYP}
        key = self._keys[self._active_kid]
        return self._jwt.encode(payload, key, algorithm=ALGORITHM, headers=headers)

    def decode(self, token: str) -> AccessClaims:
        try:
            return self._decode(token)
        except (jwt.PyJWTError, LookupError, ValueError, TypeError, OverflowError, OSError):
            raise AuthenticationFailed() from None

    def _decode(self, token: str) -> AccessClaims:
        header = jwt.get_unverified_header(token)
        # Only `kid` is read before the signature is checked; `jku`, `x5u` and `jwk` are
        # never looked at, so a token cannot bring its own key.
        kid = header.get("kid")
        key = self._keys.get(kid) if isinstance(kid, str) else None
        if key is None or header.get("typ") != HEADER_TYP:
            raise AuthenticationFailed()
        payload = self._jwt.decode(
            token, key, algorithms=[ALGORITHM], issuer=self._issuer, audience=self._audience
        )
        if payload["typ"] != ACCESS_TYP:
            raise AuthenticationFailed()
        claims = AccessClaims(
            user_id=UserId(_uuid(payload["sub"])),
            session_id=SessionId(_uuid(payload["sid"])),
            token_id=payload["jti"],
            issued_at=_datetime(payload["iat"]),
            expires_at=_datetime(payload["exp"]),
        )
        self._check_times(claims, not_before=_datetime(payload["nbf"]))
        return claims

    def _check_times(self, claims: AccessClaims, *, not_before: datetime) -> None:
        now = self._now()
        early, late = now + self._leeway, now - self._leeway
        if not_before > early or claims.issued_at > early or claims.expires_at <= late:
            raise AuthenticationFailed()


def _uuid(value: object) -> uuid.UUID:
    if not isinstance(value, str):
        raise TypeError("expected a UUID string")
    parsed = uuid.UUID(value)
    if str(parsed) != value:  # only the canonical spelling this codec writes
        raise ValueError("expected a canonical UUID")
    return parsed


def _datetime(value: object) -> datetime:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError("expected a NumericDate")
    return datetime.fromtimestamp(value, UTC)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _seconds(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("token times must be timezone-aware")
    return int(moment.timestamp())
