"""Who may do what to bookmarks and collections: pure functions over relation x action.

A caller's relation to a resource is decided from stored facts (ownership, membership, a
public link); the table below then answers. No access at all surfaces as NotFound so that
existence does not leak (SPEC 3.4, REQUIREMENTS S13).
"""

from __future__ import annotations

import enum

from project.domain.model.errors import NotFound, PermissionDenied


class Relation(enum.StrEnum):
    """The strongest tie between a caller and a resource."""

    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"
    PUBLIC = "public"  # anonymous, through a collection's public link
    STRANGER = "stranger"


class Action(enum.StrEnum):
    READ = "read"  # see the collection and its bookmarks
    ADD_BOOKMARK = "add_bookmark"  # put a bookmark into the collection
    EDIT_BOOKMARK = "edit_bookmark"  # change a bookmark (fields, tags, flags)
    DELETE_BOOKMARK = "delete_bookmark"
    EDIT_COLLECTION = "edit_collection"  # rename, describe
    MANAGE_MEMBERS = "manage_members"
    PUBLISH = "publish"  # create or revoke the public link
    DELETE_COLLECTION = "delete_collection"


_ALLOWED: dict[Relation, frozenset[Action]] = {
    Relation.OWNER: frozenset(Action),
    Relation.EDITOR: frozenset(
        {Action.READ, Action.ADD_BOOKMARK, Action.EDIT_BOOKMARK, Action.DELETE_BOOKMARK}
    ),
    Relation.VIEWER: frozenset({Action.READ}),
    Relation.PUBLIC: frozenset({Action.READ}),
    Relation.STRANGER: frozenset(),
}


def is_allowed(relation: Relation, action: Action) -> bool:
    return action in _ALLOWED[relation]


def authorize(relation: Relation, action: Action, *, what: str = "resource") -> None:
    """Raise NotFound when the caller may not even read, PermissionDenied when they may read
    but not do this; return when allowed."""
    if is_allowed(relation, action):
        return
    if not is_allowed(relation, Action.READ):
        raise NotFound(f"No such {what}.")
    raise PermissionDenied(f"Your role on this {what} does not allow that.")


def strongest(*relations: Relation) -> Relation:
    """The relation granting the most (owner > editor > viewer > public > stranger)."""
    order = list(Relation)
    return min(relations, key=order.index, default=Relation.STRANGER)
