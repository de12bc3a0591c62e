"""The access-token codec (S8-S10); `test_b3_...` are the token breach tests of REQUIREMENTS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from project.adapters.jwt import JwtAccessTokenCodec
from project.domain.model.errors import AuthenticationFailed
from project.domain.model.ids import SessionId, UserId
from project.domain.model.tokens import AccessClaims
from tests.unit.fakes import FakeClock

ISSUER = "https://issuer.example"
AUDIENCE = "project-api"
KEY = b"k" * 32
OTHER_KEY = b"o" * 32
ATTACKER_KEY = b"attacker-chosen-secret-of-32-bytes!"
NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
LIFETIME = timedelta(minutes=15)


def _codec(
    keys: dict[str, bytes] | None = None,
    active_kid: str = "k1",
    *,
    clock: FakeClock | None = None,
) -> JwtAccessTokenCodec:
    return JwtAccessTokenCodec(
        keys=keys if keys is not None else {"k1": KEY},
        active_kid=active_kid,
        issuer=ISSUER,
        audience=AUDIENCE,
        clock=clock or FakeClock(NOW),
    )


def _claims() -> AccessClaims:
    return AccessClaims(
        user_id=UserId(uuid.UUID("01900000-0000-7000-8000-000000000001")),
        session_id=SessionId(uuid.UUID("01900000-0000-7000-8000-000000000002")),
        token_id="jti-1",
        issued_at=NOW,
        expires_at=NOW + LIFETIME,
    )


def _payload(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "01900000-0000-7000-8000-000000000001",
        "sid": "01900000-0000-7000-8000-000000000002",
        "jti": "jti-1",
        "iat": int(NOW.timestamp()),
        "nbf": int(NOW.timestamp()),
        "exp": int((NOW + LIFETIME).timestamp()),
        "typ": "access",
    }
    payload.update(changes)
    return {name: value for name, value in payload.items() if value is not None}


def _header(**changes: Any) -> dict[str, Any]:
    header: dict[str, Any] = {"alg": "HS256", "typ": "at+jwt", "kid": "k1"}
    header.update(changes)
    return {name: value for name, value in header.items() if value is not None}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _forge(header: dict[str, Any], payload: dict[str, Any], key: bytes | None = KEY) -> str:
    """A compact JWS signed by hand (HMAC-SHA256 whatever `alg` says), as an attacker would."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    if key is None:
        return signing_input + "."
    signature = hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _assert_rejected(codec: JwtAccessTokenCodec, token: str) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        codec.decode(token)
    assert caught.value.detail == AuthenticationFailed().detail  # never says which check


def _outcome(codec: JwtAccessTokenCodec, token: str) -> AccessClaims | AuthenticationFailed:
    try:
        return codec.decode(token)
    except AuthenticationFailed as failure:
        return failure


def test_a_token_decodes_to_the_claims_it_was_encoded_from() -> None:
    codec = _codec()

    assert codec.decode(codec.encode(_claims())) == _claims()


def test_decoded_times_are_aware_utc_and_ids_are_uuids() -> None:
    codec = _codec()

    claims = codec.decode(codec.encode(_claims()))

    assert claims.issued_at.utcoffset() == timedelta(0)
    assert claims.expires_at.utcoffset() == timedelta(0)
    assert isinstance(claims.user_id, uuid.UUID)
    assert isinstance(claims.session_id, uuid.UUID)


def test_an_encoded_token_carries_the_pinned_header_and_every_claim() -> None:
    token = _codec().encode(_claims())

    header = jwt.get_unverified_header(token)
    payload = jwt.decode(token, options={"verify_signature": False})

    assert header == {"alg": "HS256", "typ": "at+jwt", "kid": "k1"}
    assert payload == _payload()


def test_a_hand_forged_token_with_the_right_key_is_accepted() -> None:
    assert _codec().decode(_forge(_header(), _payload())) == _claims()


def test_b3_an_alg_none_token_is_rejected() -> None:
    _assert_rejected(_codec(), _forge(_header(alg="none"), _payload(), key=None))


def test_b3_a_token_signed_with_another_key_is_rejected() -> None:
    _assert_rejected(_codec(), _forge(_header(), _payload(), key=OTHER_KEY))


@pytest.mark.parametrize(
    "embedded",
    [
        {"jwk": {"kty": "oct", "k": _b64(ATTACKER_KEY)}},
        {"jwk": {"kty": "oct", "k": _b64(ATTACKER_KEY)}, "kid": "attacker"},
        {"jku": "https://attacker.example/jwks.json"},
        {"x5u": "https://attacker.example/cert.pem"},
    ],
    ids=["jwk-with-known-kid", "jwk-with-own-kid", "jku", "x5u"],
)
def test_b3_a_token_bringing_its_own_key_is_rejected(embedded: dict[str, Any]) -> None:
    token = _forge(_header(**embedded), _payload(), key=ATTACKER_KEY)

    _assert_rejected(_codec(), token)


def test_a_jku_header_is_ignored_not_fetched_when_the_key_is_ours() -> None:
    token = _forge(_header(jku="https://attacker.example/jwks.json"), _payload())

    assert _codec().decode(token) == _claims()


@pytest.mark.parametrize("alg", ["RS256", "ES256", "PS256", "EdDSA", "HS384", "HS512", "hs256"])
def test_b3_a_token_labelled_with_another_algorithm_is_rejected(alg: str) -> None:
    _assert_rejected(_codec(), _forge(_header(alg=alg), _payload()))


@pytest.mark.parametrize(
    "issuer",
    ["https://issuer.example.evil", "https://issuer.exam", "https://evil.example", "", None],
    ids=["prefix-matching", "substring", "other", "empty", "missing"],
)
def test_b3_a_token_from_another_issuer_is_rejected(issuer: str | None) -> None:
    _assert_rejected(_codec(), _forge(_header(), _payload(iss=issuer)))


@pytest.mark.parametrize(
    "audience",
    ["other-api", "project-api-admin", [AUDIENCE, "other-api"], [AUDIENCE], None],
    ids=["other", "prefix-matching", "list-with-ours", "list-of-ours", "missing"],
)
def test_b3_a_token_for_another_audience_is_rejected(audience: object) -> None:
    _assert_rejected(_codec(), _forge(_header(), _payload(aud=audience)))


def test_b3_an_expired_token_is_rejected() -> None:
    clock = FakeClock(NOW)
    codec = _codec(clock=clock)
    token = codec.encode(_claims())

    clock.advance(LIFETIME + timedelta(seconds=11))

    _assert_rejected(codec, token)


def test_a_token_a_few_seconds_past_expiry_is_tolerated_for_clock_skew() -> None:
    clock = FakeClock(NOW)
    codec = _codec(clock=clock)
    token = codec.encode(_claims())

    clock.advance(LIFETIME + timedelta(seconds=5))

    assert codec.decode(token) == _claims()


def test_b3_a_token_not_yet_valid_is_rejected() -> None:
    later = int((NOW + timedelta(minutes=1)).timestamp())

    _assert_rejected(_codec(), _forge(_header(), _payload(nbf=later)))


def test_b3_a_token_issued_in_the_future_is_rejected() -> None:
    later = int((NOW + timedelta(minutes=1)).timestamp())

    _assert_rejected(_codec(), _forge(_header(), _payload(iat=later)))


@pytest.mark.parametrize("typ", ["refresh", "reset", "ACCESS", "", None])
def test_b3_a_token_that_is_not_an_access_token_is_rejected(typ: str | None) -> None:
    _assert_rejected(_codec(), _forge(_header(), _payload(typ=typ)))


@pytest.mark.parametrize("typ", ["JWT", "at+JWT", "", None])
def test_b3_a_token_without_the_access_token_header_type_is_rejected(typ: str | None) -> None:
    _assert_rejected(_codec(), _forge(_header(typ=typ), _payload()))


@pytest.mark.parametrize("kid", ["k2", "", None, 1, ["k1"]])
def test_b3_a_token_with_an_unknown_or_missing_kid_is_rejected(kid: object) -> None:
    _assert_rejected(_codec(), _forge(_header(kid=kid), _payload()))


@pytest.mark.parametrize("claim", ["exp", "iat", "nbf", "sub", "sid", "jti"])
def test_b3_a_token_missing_a_required_claim_is_rejected(claim: str) -> None:
    payload = _payload()
    del payload[claim]

    _assert_rejected(_codec(), _forge(_header(), payload))


@pytest.mark.parametrize(
    "changes",
    [
        {"sub": "not-a-uuid"},
        {"sid": 42},
        {"sub": "01900000000070008000000000000001"},
        {"jti": 7},
        {"exp": "soon"},
        {"exp": True},
        {"iat": 1e300},
    ],
    ids=[
        "sub-text",
        "sid-number",
        "sub-unhyphenated",
        "jti-number",
        "exp-text",
        "exp-bool",
        "iat-huge",
    ],
)
def test_b3_a_token_with_a_malformed_claim_is_rejected(changes: dict[str, Any]) -> None:
    _assert_rejected(_codec(), _forge(_header(), _payload(**changes)))


def test_a_token_signed_with_a_retired_but_configured_key_still_verifies() -> None:
    old_token = _codec({"k1": KEY}, "k1").encode(_claims())
    rotated = _codec({"k1": KEY, "k2": OTHER_KEY}, "k2")

    assert rotated.decode(old_token) == _claims()
    assert jwt.get_unverified_header(rotated.encode(_claims()))["kid"] == "k2"


def test_a_token_signed_with_a_removed_key_is_rejected() -> None:
    old_token = _codec({"k1": KEY}, "k1").encode(_claims())

    _assert_rejected(_codec({"k2": OTHER_KEY}, "k2"), old_token)


def test_a_key_shorter_than_32_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        _codec({"k1": KEY, "short": b"s" * 31}, "k1")


def test_an_active_kid_without_a_key_is_refused() -> None:
    with pytest.raises(ValueError, match="active key"):
        _codec({"k1": KEY}, "k2")


def test_the_wall_clock_is_used_when_no_clock_is_given() -> None:
    codec = JwtAccessTokenCodec(keys={"k1": KEY}, active_kid="k1", issuer=ISSUER, audience=AUDIENCE)
    now = datetime.now(UTC).replace(microsecond=0)
    claims = AccessClaims(
        user_id=_claims().user_id,
        session_id=_claims().session_id,
        token_id="jti-now",
        issued_at=now,
        expires_at=now + LIFETIME,
    )

    assert codec.decode(codec.encode(claims)) == claims
    _assert_rejected(codec, _codec().encode(_claims()))  # minted for NOW, long expired


@given(st.text())
def test_b3_arbitrary_text_is_rejected_with_authentication_failed_only(text: str) -> None:
    _assert_rejected(_codec(), text)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children)
    ),
    max_leaves=8,
)


@given(
    header=st.dictionaries(st.sampled_from(["alg", "typ", "kid", "crit", "b64", "jwk"]), _json),
    payload=st.dictionaries(st.sampled_from(list(_payload())), _json),
)
def test_b3_any_json_signed_with_our_key_decodes_or_fails_cleanly(
    header: dict[str, Any], payload: dict[str, Any]
) -> None:
    token = _forge(_header(**header), _payload(**payload))

    outcome = _outcome(_codec(), token)

    assert isinstance(outcome, AccessClaims) or outcome.detail == AuthenticationFailed().detail


@given(st.data())
def test_b3_changing_any_character_of_a_valid_token_breaks_it(data: st.DataObject) -> None:
    token = _codec().encode(_claims())
    position = data.draw(st.integers(0, len(token) - 1))
    replacement = data.draw(
        st.sampled_from(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.="
        ).filter(lambda char: char != token[position])
    )

    _assert_rejected(_codec(), token[:position] + replacement + token[position + 1 :])
