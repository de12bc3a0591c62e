"""Collection roles x actions: every pair answers as the policy table says (SPEC 3.4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from project.domain.model.access import Action, Relation, authorize, is_allowed, strongest
from project.domain.model.errors import NotFound, PermissionDenied

A = Action
# The table as the product states it; the code must agree with every cell.
EXPECTED: dict[Relation, set[Action]] = {
    Relation.OWNER: set(Action),
    Relation.EDITOR: {A.READ, A.ADD_BOOKMARK, A.EDIT_BOOKMARK, A.DELETE_BOOKMARK},
    Relation.VIEWER: {A.READ},
    Relation.PUBLIC: {A.READ},
    Relation.STRANGER: set(),
}


@pytest.mark.parametrize("relation", list(Relation))
@pytest.mark.parametrize("action", list(Action))
def test_every_relation_and_action_answers_as_the_table_says(
    relation: Relation, action: Action
) -> None:
    assert is_allowed(relation, action) is (action in EXPECTED[relation])


@pytest.mark.parametrize("action", list(Action))
def test_a_stranger_is_told_not_found_so_existence_does_not_leak(action: Action) -> None:
    with pytest.raises(NotFound):
        authorize(Relation.STRANGER, action)


def test_a_viewer_who_may_read_is_told_forbidden_for_an_edit() -> None:
    with pytest.raises(PermissionDenied):
        authorize(Relation.VIEWER, Action.EDIT_BOOKMARK)


def test_only_the_owner_manages_members_publishes_and_deletes() -> None:
    owner_only = {A.MANAGE_MEMBERS, A.PUBLISH, A.DELETE_COLLECTION, A.EDIT_COLLECTION}
    for relation in Relation:
        granted = {a for a in owner_only if is_allowed(relation, a)}
        assert granted == (owner_only if relation is Relation.OWNER else set())


@given(st.lists(st.sampled_from(list(Relation)), min_size=1))
def test_the_strongest_relation_grants_everything_any_weaker_one_does(
    relations: list[Relation],
) -> None:
    best = strongest(*relations)
    for relation in relations:
        for action in Action:
            if is_allowed(relation, action):
                assert is_allowed(best, action)


def test_no_relation_at_all_is_a_stranger() -> None:
    assert strongest() is Relation.STRANGER
