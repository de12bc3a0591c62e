"""Query parameters for offset-paged admin listings (bounded, S16)."""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

MAX_PAGE = 500
MAX_OFFSET = 10_000_000

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE, description="Page size.")]
Offset = Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET, description="Items to skip.")]
