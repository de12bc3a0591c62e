"""Personal API tokens on the wire (S12): the secret appears in one response only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from project.domain.model.tokens import ApiToken, Scope
from project.entrypoints.http.schemas._base import InBody, OutBody, TokenName

MAX_EXPIRY_DAYS = 3650

Scopes = Annotated[list[Scope], msgspec.Meta(min_length=1, max_length=len(Scope))]
ExpiryDays = Annotated[int, msgspec.Meta(ge=1, le=MAX_EXPIRY_DAYS)]


class CreateApiToken(InBody):
    name: TokenName
    scopes: Scopes
    expires_in_days: ExpiryDays | None = None


class ApiTokenOut(OutBody):
    id: UUID
    name: str
    hint: str
    scopes: list[Scope]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> ApiTokenOut:
        return cls(
            id=token.id,
            name=token.name,
            hint=token.hint,
            scopes=sorted(token.scopes),
            created_at=token.created_at,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
        )


class ApiTokenCreated(ApiTokenOut):
    secret: str
    """The token itself; it is stored only as a hash and never shown again."""

    @classmethod
    def with_secret(cls, token: ApiToken, secret: str) -> ApiTokenCreated:
        return cls(**msgspec.structs.asdict(ApiTokenOut.of(token)), secret=secret)


class ApiTokenList(OutBody):
    items: list[ApiTokenOut]
