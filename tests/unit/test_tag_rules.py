"""Tag names: one stored spelling per tag, whatever way it was typed (SPEC 3.3)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from project.domain.model.errors import InvalidTag
from project.domain.model.tags import normalize_tag, normalize_tags


@given(st.text(max_size=70))
def test_normalizing_a_tag_twice_gives_the_same_tag_or_refuses_it_both_times(raw: str) -> None:
    try:
        once = normalize_tag(raw)
    except InvalidTag:
        return
    assert normalize_tag(once) == once


def test_case_and_outer_space_do_not_make_a_new_tag() -> None:
    assert normalize_tags([" Python", "PYTHON ", "python"]) == ("python",)


def test_an_accented_capital_and_its_lowercase_are_one_tag() -> None:
    assert normalize_tag("\u03aa\u0301") == normalize_tag("\u03ca\u0301")
