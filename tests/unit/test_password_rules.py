import pytest
from hypothesis import given
from hypothesis import strategies as st

from project.domain.model.errors import WeakPassword
from project.domain.model.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    check_password,
    common_passwords,
)


def test_bundled_common_password_list_has_at_least_ten_thousand_entries() -> None:
    assert len(common_passwords()) >= 10_000


def test_a_64_character_passphrase_is_accepted() -> None:
    check_password("correct horse battery staple " * 2 + "sixty-four", email="ann@example.com")


@pytest.mark.parametrize("common", ["password123", "PASSWORD123", "1234567890", "qwertyuiop"])
def test_common_passwords_are_refused_whatever_their_case(common: str) -> None:
    with pytest.raises(WeakPassword, match="too common"):
        check_password(common)


def test_the_email_itself_is_refused_as_a_password() -> None:
    with pytest.raises(WeakPassword):
        check_password("ann.longname@example.com", email="ann.longname@example.com")


@given(st.text(min_size=0, max_size=MIN_PASSWORD_LENGTH - 1))
def test_anything_shorter_than_the_minimum_is_refused(short: str) -> None:
    with pytest.raises(WeakPassword, match="at least"):
        check_password(short)


@given(st.text(min_size=MAX_PASSWORD_LENGTH + 1, max_size=MAX_PASSWORD_LENGTH + 50))
def test_anything_longer_than_the_maximum_is_refused_not_truncated(long: str) -> None:
    with pytest.raises(WeakPassword, match="at most"):
        check_password(long)


@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=MIN_PASSWORD_LENGTH, max_size=80))
def test_no_composition_rules_any_long_uncommon_text_passes(text: str) -> None:
    if text.casefold() in common_passwords():
        return
    check_password(text)
