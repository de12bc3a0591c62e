import pytest
from hypothesis import given
from hypothesis import strategies as st

from project.domain.model.errors import InvalidEmail
from project.domain.model.users import normalize_email

local_parts = st.from_regex(r"[a-zA-Z0-9._%+-]{1,30}", fullmatch=True)
domains = st.from_regex(r"[a-zA-Z0-9-]{1,20}\.[a-zA-Z]{2,10}", fullmatch=True)


@given(local=local_parts, domain=domains)
def test_normalization_is_idempotent_and_case_insensitive(local: str, domain: str) -> None:
    once = normalize_email(f"  {local}@{domain} ")
    assert normalize_email(once) == once
    assert normalize_email(f"{local.upper()}@{domain.upper()}") == once


@given(st.text(max_size=300))
def test_any_text_either_normalizes_or_raises_invalid_email(text: str) -> None:
    try:
        result = normalize_email(text)
    except InvalidEmail:
        return
    assert result.count("@") == 1
    assert len(result) <= 254
    assert result == result.strip().lower()


def test_unicode_domain_is_stored_in_punycode() -> None:
    assert normalize_email("Ann@Bücher.Example") == "ann@xn--bcher-kva.example"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "ann",
        "ann@",
        "@example.com",
        "a@b@example.com",
        "ann@localhost",
        "a b@example.com",
        "ann@example..com",
        "ann@exa mple.com",
        "x" * 250 + "@example.com",
        "ann@exam\x00ple.com",
        "ann\u200b@example.com",
    ],
)
def test_implausible_addresses_are_rejected(bad: str) -> None:
    with pytest.raises(InvalidEmail):
        normalize_email(bad)
