"""`project users ...`: accounts, managed by the local operator (the trusted `actor=None`)."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
import typer

from project.domain.model.context import LOCAL
from project.domain.model.users import Role, User, UserStatus
from project.domain.services.administration import MAX_PAGE
from project.entrypoints.cli import _runner
from project.entrypoints.cli._errors import UsageProblem
from project.entrypoints.cli._output import emit, emit_one
from project.entrypoints.library import Project

app = typer.Typer(help="Create and manage user accounts.", no_args_is_help=True)

Email = Annotated[
    str, typer.Argument(metavar="EMAIL", help="The account's email address.", show_default=False)
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input."
    ),
]


class UserRow(msgspec.Struct, kw_only=True):
    id: UUID
    email: str
    display_name: str
    role: Role
    status: UserStatus
    created_at: datetime
    last_login_at: datetime | None
    totp_required: bool


def _row(user: User) -> UserRow:
    return msgspec.convert(user, UserRow, from_attributes=True)


def read_password(*, from_stdin: bool) -> str:
    """The new password: one line of stdin, or typed twice at a hidden terminal prompt."""
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise UsageProblem("no password on standard input")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsageProblem("no terminal to ask for the password; pipe it in with --password-stdin")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@app.command()
def create(
    email: Email,
    admin: Annotated[
        bool, typer.Option("--admin", help="Make the account an administrator.")
    ] = False,
    display_name: Annotated[
        str | None, typer.Option(help="The name shown for the account.")
    ] = None,
    password_stdin: PasswordStdin = False,
    as_json: Json = False,
) -> None:
    """Create an account, whatever the registration mode."""
    settings = _runner.settings()
    password = read_password(from_stdin=password_stdin)
    role = Role.ADMIN if admin else Role.USER

    async def action(project: Project) -> User:
        return await project.admin.create_user(
            None, email, password, role=role, display_name=display_name, ctx=LOCAL
        )

    user = _runner.run(action, settings)
    if as_json:
        emit_one(_row(user), as_json=True)
    else:
        typer.echo(f"created {user.role} {user.email} ({user.id})")


@app.command("list")
def list_users(
    limit: Annotated[int, typer.Option(min=1, max=MAX_PAGE, help="At most this many.")] = 100,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first.")] = 0,
    as_json: Json = False,
) -> None:
    """List accounts."""

    async def action(project: Project) -> list[UserRow]:
        users = await project.admin.list_users(None, limit=limit, offset=offset)
        return [_row(user) for user in users]

    emit(_runner.run(action), UserRow, as_json=as_json)


class UserDetail(UserRow, kw_only=True):
    storage_used_bytes: int
    storage_quota_bytes: int | None  # None: no limit


@app.command()
def show(email: Email, as_json: Json = False) -> None:
    """Show one account, with the storage its archives use against its quota (S23)."""

    async def action(project: Project) -> UserDetail:
        user = await project.admin.find_by_email(None, email)
        usage = await project.archive.storage(user.id)
        return UserDetail(
            **msgspec.structs.asdict(_row(user)),
            storage_used_bytes=usage.used_bytes,
            storage_quota_bytes=usage.quota_bytes,
        )

    emit_one(_runner.run(action), as_json=as_json)


@app.command("set-role")
def set_role(
    email: Email,
    role: Annotated[
        Role, typer.Argument(metavar="admin|user", help="The new role.", show_default=False)
    ],
) -> None:
    """Make an account an administrator or a plain user."""

    async def action(project: Project) -> User:
        user = await project.admin.find_by_email(None, email)
        return await project.admin.set_role(None, user.id, role, ctx=LOCAL)

    user = _runner.run(action)
    typer.echo(f"{user.email} is now {user.role}")


@app.command()
def disable(email: Email) -> None:
    """Stop an account from signing in and end its sessions now."""

    async def action(project: Project) -> User:
        user = await project.admin.find_by_email(None, email)
        return await project.admin.disable(None, user.id, ctx=LOCAL)

    user = _runner.run(action)
    typer.echo(f"disabled {user.email}; its sessions are ended")


@app.command()
def enable(email: Email) -> None:
    """Let a disabled account sign in again."""

    async def action(project: Project) -> User:
        user = await project.admin.find_by_email(None, email)
        return await project.admin.enable(None, user.id, ctx=LOCAL)

    user = _runner.run(action)
    typer.echo(f"enabled {user.email}")


@app.command("reset-password")
def reset_password(email: Email, password_stdin: PasswordStdin = False) -> None:
    """Set a new password for an account and end its sessions."""
    settings = _runner.settings()
    password = read_password(from_stdin=password_stdin)

    async def action(project: Project) -> User:
        user = await project.admin.find_by_email(None, email)
        return await project.admin.reset_password(None, user.id, password, ctx=LOCAL)

    user = _runner.run(action, settings)
    typer.echo(f"set a new password for {user.email}; its sessions are ended")


@app.command()
def delete(
    email: Email,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an account and everything it owns (the audit log keeps its events)."""
    settings = _runner.settings()
    if not yes:
        if not sys.stdin.isatty():
            raise UsageProblem("deleting an account needs --yes when there is no terminal to ask")
        typer.confirm(f"Delete {email} and everything the account owns?", abort=True)

    async def action(project: Project) -> str:
        user = await project.admin.find_by_email(None, email)
        await project.admin.delete(None, user.id, ctx=LOCAL)
        return user.email

    typer.echo(f"deleted {_runner.run(action, settings)}")


@app.command("require-totp")
def require_totp(
    email: Email,
    off: Annotated[
        bool, typer.Option("--off", help="Stop requiring it (the instance setting still holds).")
    ] = False,
) -> None:
    """Require an account to sign in with a TOTP second factor (S7).

    Until it enrols one, its sessions may only enrol, read the account and sign out.
    """

    async def action(project: Project) -> User:
        user = await project.admin.find_by_email(None, email)
        return await project.admin.require_second_factor(None, user.id, not off, ctx=LOCAL)

    user = _runner.run(action)
    verb = "now requires" if user.totp_required else "no longer requires"
    typer.echo(f"{user.email} {verb} two-factor sign-in")


@app.command("reset-totp")
def reset_totp(email: Email) -> None:
    """Turn off an account's second factor and drop its recovery codes.

    The way back for someone who lost their device and their recovery codes: they sign in
    with the password alone, and enrol again (at once, when it is required of them).
    """

    async def action(project: Project) -> User:
        user = await project.admin.find_by_email(None, email)
        return await project.admin.reset_second_factor(None, user.id, ctx=LOCAL)

    user = _runner.run(action)
    typer.echo(f"turned off two-factor sign-in for {user.email}; its recovery codes are void")
