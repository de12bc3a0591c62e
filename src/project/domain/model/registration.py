"""Who may register (SPEC 3.1): the mode, and the rule that the first user becomes admin."""

from __future__ import annotations

import enum

from project.domain.model.errors import RegistrationClosed
from project.domain.model.users import Role


class RegistrationMode(enum.StrEnum):
    OPEN = "open"
    INVITE = "invite"
    CLOSED = "closed"


def role_for_new_account(*, existing_users: int) -> Role:
    """The first account of an empty instance administers it (S6: no default accounts)."""
    return Role.ADMIN if existing_users == 0 else Role.USER


def check_self_registration(
    mode: RegistrationMode, *, existing_users: int, has_valid_invite: bool
) -> None:
    """Raise RegistrationClosed unless a visitor may sign themselves up.

    In `invite` mode an empty instance accepts its first registration without an invite, so
    a fresh install can be claimed from the browser. `closed` stays closed even when empty
    (production's default): there the first admin comes from `project users create --admin`.
    """
    if mode is RegistrationMode.OPEN:
        return
    if mode is RegistrationMode.INVITE and (has_valid_invite or existing_users == 0):
        return
    raise RegistrationClosed("Registration is closed on this instance.")
