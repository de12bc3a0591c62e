"""Time-ordered identifiers (UUIDv7, RFC 9562)."""

from __future__ import annotations

from uuid import UUID

import uuid_utils


class Uuid7Generator:
    """The `IdGenerator` port on uuid-utils, handing out standard-library `uuid.UUID`s."""

    def new_id(self) -> UUID:
        return UUID(bytes=uuid_utils.uuid7().bytes)
