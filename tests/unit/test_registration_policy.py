import pytest

from project.domain.model.errors import RegistrationClosed
from project.domain.model.registration import (
    RegistrationMode,
    check_self_registration,
    role_for_new_account,
)
from project.domain.model.users import Role

# (mode, existing users, valid invite) -> allowed
TABLE = [
    (RegistrationMode.OPEN, 0, False, True),
    (RegistrationMode.OPEN, 5, False, True),
    (RegistrationMode.INVITE, 0, False, True),
    (RegistrationMode.INVITE, 5, False, False),
    (RegistrationMode.INVITE, 5, True, True),
    (RegistrationMode.CLOSED, 0, False, False),
    (RegistrationMode.CLOSED, 5, True, False),
]


@pytest.mark.parametrize(("mode", "existing", "invite", "allowed"), TABLE)
def test_self_registration_follows_the_mode_table(
    mode: RegistrationMode, existing: int, invite: bool, allowed: bool
) -> None:
    if allowed:
        check_self_registration(mode, existing_users=existing, has_valid_invite=invite)
    else:
        with pytest.raises(RegistrationClosed):
            check_self_registration(mode, existing_users=existing, has_valid_invite=invite)


def test_only_the_first_account_of_an_empty_instance_becomes_admin() -> None:
    assert role_for_new_account(existing_users=0) is Role.ADMIN
    assert role_for_new_account(existing_users=1) is Role.USER
