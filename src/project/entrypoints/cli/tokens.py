"""`project tokens ...`: personal API tokens, managed for a user by the local operator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
import typer

from project.domain.model.context import LOCAL
from project.domain.model.ids import ApiTokenId
from project.domain.model.tokens import ApiToken, Scope
from project.domain.services.api_tokens import MAX_TOKEN_DAYS
from project.entrypoints.cli import _runner
from project.entrypoints.cli._output import emit, emit_one
from project.entrypoints.library import Project

app = typer.Typer(help="Create, list and revoke personal API tokens.", no_args_is_help=True)

Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


class TokenRow(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    hint: str
    scopes: list[Scope]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class CreatedToken(msgspec.Struct, kw_only=True):
    id: UUID
    user: str
    name: str
    scopes: list[Scope]
    expires_at: datetime | None
    secret: str


def _row(token: ApiToken) -> TokenRow:
    return TokenRow(
        id=token.id,
        name=token.name,
        hint=token.hint,
        scopes=sorted(token.scopes),
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


@app.command()
def create(
    user: Annotated[str, typer.Option("--user", help="The owner's email.", show_default=False)],
    name: Annotated[str, typer.Option("--name", help="What the token is for.", show_default=False)],
    scope: Annotated[
        list[Scope] | None,
        typer.Option(
            "--scope", help="read or write (write implies read); repeatable. Default: read."
        ),
    ] = None,
    expires_days: Annotated[
        int | None,
        typer.Option(
            min=1, max=MAX_TOKEN_DAYS, help="Expire after this many days (default: never)."
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Create a token and print its secret, once: it cannot be shown again."""

    async def action(project: Project) -> CreatedToken:
        owner = await project.admin.find_by_email(None, user)
        token, secret = await project.tokens.create(
            None,
            name=name,
            scopes=scope or [Scope.READ],
            expires_in_days=expires_days,
            user_id=owner.id,
            ctx=LOCAL,
        )
        return CreatedToken(
            id=token.id,
            user=owner.email,
            name=token.name,
            scopes=sorted(token.scopes),
            expires_at=token.expires_at,
            secret=secret,
        )

    created = _runner.run(action)
    if as_json:
        emit_one(created, as_json=True)
        return
    expiry = f"expires {created.expires_at:%Y-%m-%d}" if created.expires_at else "never expires"
    typer.echo(
        f"created token {created.id} '{created.name}' for {created.user} "
        f"(scopes {','.join(created.scopes)}; {expiry}). The secret below is shown only once:",
        err=True,
    )
    typer.echo(created.secret)


@app.command("list")
def list_tokens(
    user: Annotated[str, typer.Option("--user", help="The owner's email.", show_default=False)],
    as_json: Json = False,
) -> None:
    """List a user's tokens, newest first (secrets are never shown again)."""

    async def action(project: Project) -> list[TokenRow]:
        owner = await project.admin.find_by_email(None, user)
        return [_row(token) for token in await project.tokens.list(None, user_id=owner.id)]

    emit(_runner.run(action), TokenRow, as_json=as_json)


@app.command()
def revoke(
    token_id: Annotated[
        UUID, typer.Argument(metavar="TOKEN_ID", help="The token's id.", show_default=False)
    ],
    user: Annotated[
        str | None, typer.Option("--user", help="Only if this email owns it.", show_default=False)
    ] = None,
) -> None:
    """Revoke a token: it stops working at once."""

    async def action(project: Project) -> None:
        owner = await project.admin.find_by_email(None, user) if user else None
        await project.tokens.revoke(
            None, ApiTokenId(token_id), user_id=owner.id if owner else None, ctx=LOCAL
        )

    _runner.run(action)
    typer.echo(f"revoked token {token_id}")
