"""The naive baseline of benchmarks/http_load.py: Litestar + SQLAlchemy ORM, the list query.

    PROJECT_SECRET_KEY=... .venv/bin/python -m benchmarks._naive_app --port 8102 \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/project_bench_100k_1u

What a straightforward implementation of `GET /api/v1/bookmarks?limit=50` looks like: ORM
classes declared over the project's own `bookmarks` and `bookmark_tags` tables, an
`AsyncSession` per request, the caller's newest 50 bookmarks (`ORDER BY created_at DESC, id
DESC LIMIT 50`, the same index as the real query) with their tags by `selectinload` (a second
SELECT), each entity turned into a dict with the fields of the real response and encoded by
Litestar. No cache.

It does verify the bearer token: an HS256 JWT checked with PyJWT against the key the real
server derives from the same PROJECT_SECRET_KEY (signature, expiry and audience; not
the issuer), and reads the user id from `sub`. It does not do what the real server does besides:
no session denylist lookup in Redis, no rate limiting, no security headers, no ETag or
problem+json handling. The engine's pool is the real server's (10 + 10 overflow, pre-ping), so
the difference measured is the code, not the pool. Served by `uvicorn.run` with the same
arguments as `project serve`.
"""

from __future__ import annotations

import argparse
import uuid
from datetime import datetime
from typing import Any

import jwt
from litestar import Litestar, Request, get
from litestar.exceptions import NotAuthorizedException
from sqlalchemy import ForeignKey, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload

PATH = "/api/v1/bookmarks"


class Base(DeclarativeBase):
    pass


class BookmarkRow(Base):
    __tablename__ = "bookmarks"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID]
    url: Mapped[str]
    canonical_url: Mapped[str]
    title: Mapped[str]
    description: Mapped[str]
    notes: Mapped[str]
    collection_id: Mapped[uuid.UUID | None]
    unread: Mapped[bool]
    archived: Mapped[bool]
    favorite: Mapped[bool]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int]
    page_title: Mapped[str]
    page_description: Mapped[str]
    page_site_name: Mapped[str]
    page_language: Mapped[str]
    page_favicon_key: Mapped[str | None]
    page_preview_key: Mapped[str | None]
    page_word_count: Mapped[int | None]
    archive_status: Mapped[str]
    archive_error: Mapped[str | None]
    tags: Mapped[list[TagRow]] = relationship(lazy="raise", order_by="TagRow.name")


class TagRow(Base):
    __tablename__ = "bookmark_tags"

    bookmark_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bookmarks.id"), primary_key=True)
    owner_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(primary_key=True)


def _out(b: BookmarkRow) -> dict[str, Any]:
    base = f"{PATH}/{b.id}"
    return {
        "id": b.id,
        "url": b.url,
        "canonical_url": b.canonical_url,
        "title": b.title,
        "description": b.description,
        "display_title": b.title or b.page_title,
        "display_description": b.description or b.page_description,
        "notes": b.notes,
        "tags": [tag.name for tag in b.tags],
        "collection_id": b.collection_id,
        "unread": b.unread,
        "archived": b.archived,
        "favorite": b.favorite,
        "created_at": b.created_at,
        "updated_at": b.updated_at,
        "version": b.version,
        "page": {
            "title": b.page_title,
            "description": b.page_description,
            "site_name": b.page_site_name,
            "language": b.page_language,
            "word_count": b.page_word_count,
        },
        "archive_status": b.archive_status,
        "archive_error": b.archive_error,
        "snapshot_url": f"{base}/snapshot" if b.archive_status == "archived" else None,
        "preview_url": f"{base}/preview" if b.page_preview_key else None,
        "favicon_url": f"{base}/favicon" if b.page_favicon_key else None,
    }


def create_app(database_url: str, keys: dict[str, bytes], audience: str) -> Litestar:
    engine = create_async_engine(
        database_url, pool_size=10, max_overflow=10, pool_pre_ping=True, pool_recycle=1800
    )
    sessions = async_sessionmaker(engine, expire_on_commit=False)

    def caller(request: Request[Any, Any, Any]) -> uuid.UUID:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthorizedException()
        try:
            kid = jwt.get_unverified_header(token).get("kid", "")
            claims = jwt.decode(token, keys[kid], algorithms=["HS256"], audience=audience)
            return uuid.UUID(claims["sub"])
        except (jwt.PyJWTError, KeyError, ValueError):
            raise NotAuthorizedException() from None

    @get([PATH, f"{PATH}/"])
    async def list_bookmarks(request: Request[Any, Any, Any], limit: int = 50) -> dict[str, Any]:
        owner = caller(request)
        session: AsyncSession
        async with sessions() as session:
            rows = await session.scalars(
                select(BookmarkRow)
                .where(BookmarkRow.owner_id == owner)
                .order_by(BookmarkRow.created_at.desc(), BookmarkRow.id.desc())
                .limit(min(max(limit, 1), 100))
                .options(selectinload(BookmarkRow.tags))
            )
            items = [_out(row) for row in rows]
        return {"items": items, "next_cursor": None, "total": None}

    @get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    async def close() -> None:
        await engine.dispose()

    return Litestar([list_bookmarks, live], openapi_config=None, on_shutdown=[close])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()

    import uvicorn

    # The keys the real server verifies access tokens with, derived from the same settings
    # (PROJECT_SECRET_KEY in the environment): a copy of the derivation would drift.
    from project.entrypoints.settings import load_settings

    settings = load_settings()
    _, keys = settings.jwt_keys()
    uvicorn.run(
        create_app(args.database_url, keys, settings.jwt_audience),
        host=args.host,
        port=args.port,
        log_level="warning",
        server_header=False,
    )


if __name__ == "__main__":
    main()
