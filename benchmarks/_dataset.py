"""The bookmarks of benchmarks/http_load.py: generated once into a PostgreSQL database, reused.

A dataset is N bookmarks over U users in a database of its own, `project_bench_<N>_<U>u`
(`project_bench_100k_1u`, `project_bench_1m_10u`), created and migrated with the project's
own migrations (`upgrade_async`). The users are created through the library
(`AdminService.create_user`), so their password hashes are real argon2id and the login
scenario can sign in. The bookmarks are built as the app builds them (`Bookmark.create`, which
checks and canonicalizes the URL and normalizes the tags) and turned into rows by the SQL
adapter's own `bookmark_values` and `tag_values`, then written with COPY (asyncpg
`copy_records_to_table`) by two processes in parallel. PostgreSQL computes the
`search_vector` column itself (a stored generated column, migration 0002), so generated rows
are searchable exactly as rows the app writes.

To load fast, the secondary indexes of `bookmarks` and `bookmark_tags` (the GIN index on
`search_vector` among them) are dropped first and rebuilt afterwards from their own saved
definitions, and the loading sessions skip the foreign-key triggers
(`session_replication_role = replica`; the rows are consistent by construction). Then
`VACUUM ANALYZE` (autovacuum may be off on the server) and, last, a marker: the database's
comment records what it holds, so a re-run with the same sizes and seed reuses it, and a build
that was interrupted is rebuilt.

Text is seeded and realistic in shape: titles of 3-12 words and descriptions (60%) of 8-50
words drawn with Zipf frequencies from ~6,000 words (English words first, then made-up ones),
notes on 10%, 0-6 tags from ~500 (Zipf), ~20,000 sites, 15% of URLs with tracking parameters,
dates over 12 years, half of the bookmarks archived with page metadata (title, description,
site name, language, word count, preview and favicon keys). Page text is not generated (it
would multiply the database's size), so search matches titles, descriptions, notes and URLs.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import tempfile
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate, pairwise
from multiprocessing import get_context
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1  # bump when the generated content changes: datasets are then rebuilt
PASSWORD = "benchmark passphrase 123"  # noqa: S105 - throwaway accounts' password
MARKER = "project-bench "
BATCH = 5_000
LOADERS = 2  # processes writing at once (the machine has 2 cores; PostgreSQL needs some)
START = datetime(2012, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 12 * 365 * 86_400

_ENGLISH = """
the a of to and in for on with how why what your from guide notes using about into new best
python rust go java javascript typescript linux kernel database postgres sqlite redis cache
index query server client protocol http api design pattern testing release security privacy
browser archive search bookmark reading tutorial recipe travel music history science climate
energy market startup interview review course lecture paper thesis network storage memory
compiler language garden photo video podcast game chess football politics economy health sleep
coffee performance async concurrency thread process queue worker scheduler container docker
kubernetes cloud deploy monitoring logging tracing metrics dashboard alert incident postmortem
architecture microservices monolith migration schema transaction isolation replication backup
recovery encryption authentication password token session cookie header request response
frontend backend css html layout animation typography color accessibility mobile desktop
keyboard editor terminal shell script automation pipeline build package dependency version
benchmark profiling optimization latency throughput bandwidth compression parser grammar
regex unicode text document markdown wiki blog newsletter essay opinion analysis report study
research data model learning neural training inference dataset statistics probability math
algebra geometry physics chemistry biology medicine nutrition fitness running cycling hiking
mountain river ocean forest city country europe asia africa america history war peace art
painting film camera cinema novel poetry writing book library museum theatre dance jazz piano
guitar album concert festival kitchen bread pasta soup salad cake wine beer tea breakfast
dinner family children school university career salary remote office team manager leadership
product customer sales marketing finance investing tax law policy government election climate
solar battery electric car bike train flight hotel budget map weather garden plants
"""
_ONSETS = ["b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ou"]
_CODAS = ["", "", "n", "r", "s", "l", "x", "th"]


def _made_up_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    words: list[str] = []
    while len(words) < count:
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.randint(2, 3))
        ) + rng.choice(_CODAS)
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def _zipf(count: int, exponent: float = 1.05) -> list[float]:
    """Cumulative Zipf weights for `random.choices(cum_weights=...)`."""
    return list(accumulate(1.0 / (rank + 2.7) ** exponent for rank in range(count)))


class Vocabulary:
    """Words, tags and sites with their (Zipf) frequencies; the same for every dataset."""

    def __init__(self) -> None:
        rng = random.Random(20_240_601)  # noqa: S311 - test data, not secrets
        english = list(dict.fromkeys(_ENGLISH.split()))
        taken = set(english)
        made_up = _made_up_words(rng, 6_000 - len(english), taken)
        self.words = english + made_up
        self.word_weights = _zipf(len(self.words))
        self.rank = {word: rank for rank, word in enumerate(self.words)}
        # The most frequent words are left out of search queries: a real query names a topic.
        self.common = set(self.words[:40])
        topical = english[14:170]
        pairs = [f"{a}-{b}" for a, b in zip(topical[::3], topical[1::3], strict=False)]
        self.tags = topical + pairs + _made_up_words(rng, 500 - len(topical) - len(pairs), taken)
        self.tag_weights = _zipf(len(self.tags), 0.9)
        tlds = ["com", "org", "net", "io", "dev", "co.uk", "de", "fr"]
        subdomains = ["", "", "", "www.", "docs.", "blog.", "news."]
        self.sites = [
            f"{rng.choice(subdomains)}{word}.{rng.choice(tlds)}"
            for word in _made_up_words(rng, 20_000, set(taken))
        ]
        self.site_weights = _zipf(len(self.sites), 0.8)

    def text(self, rng: random.Random, low: int, high: int) -> str:
        return " ".join(
            rng.choices(self.words, cum_weights=self.word_weights, k=rng.randint(low, high))
        )

    def tag_sample(self, rng: random.Random) -> list[str]:
        count = rng.choices(range(7), weights=(12, 20, 25, 20, 12, 7, 4))[0]
        return list(dict.fromkeys(rng.choices(self.tags, cum_weights=self.tag_weights, k=count)))

    def site(self, rng: random.Random) -> str:
        return rng.choices(self.sites, cum_weights=self.site_weights)[0]


@dataclass(frozen=True)
class DatasetSpec:
    bookmarks: int
    users: int
    seed: int

    @property
    def database(self) -> str:
        return f"project_bench_{_size(self.bookmarks)}_{self.users}u"

    def marker(self) -> str:
        content = {
            "bookmarks": self.bookmarks,
            "users": self.users,
            "seed": self.seed,
            "format": FORMAT_VERSION,
        }
        return MARKER + json.dumps(content, sort_keys=True)

    def owner_of(self, index: int) -> int:
        """Which user (0-based) bookmark `index` belongs to: contiguous equal shares."""
        return index * self.users // self.bookmarks


@dataclass(frozen=True)
class Dataset:
    spec: DatasetSpec
    url: str  # SQLAlchemy's, postgresql+asyncpg://
    users: list[tuple[uuid.UUID, str]]  # (id, email), in order
    built_seconds: float | None  # None: reused as it was

    @property
    def dsn(self) -> str:
        return self.url.replace("postgresql+asyncpg://", "postgresql://")


def _size(count: int) -> str:
    if count % 1_000_000 == 0:
        return f"{count // 1_000_000}m"
    if count % 1_000 == 0:
        return f"{count // 1_000}k"
    return str(count)


def _url_for(admin_url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=database)
    return url.render_as_string(hide_password=False)


async def _connect(url: str) -> Any:
    import asyncpg  # type: ignore[import-untyped]

    return await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))


async def ensure(
    admin_url: str, spec: DatasetSpec, *, regenerate: bool, say: Any = print
) -> Dataset:
    """The dataset of `spec`: reused when its database holds it, built otherwise."""
    from project.adapters.sql import upgrade_async

    url = _url_for(admin_url, spec.database)
    admin = await _connect(admin_url)
    try:
        comment = await admin.fetchval(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            spec.database,
        )
        if comment == spec.marker() and not regenerate:
            await upgrade_async(url)  # a migration added since the build: apply it
            say(f"dataset        {spec.database}: reused ({spec.bookmarks:,} bookmarks)")
            return Dataset(spec, url, await _users(url), None)
        say(f"dataset        {spec.database}: building {spec.bookmarks:,} bookmarks")
        await admin.execute(f'DROP DATABASE IF EXISTS "{spec.database}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{spec.database}"')
    finally:
        await admin.close()
    started = time.perf_counter()
    await upgrade_async(url)
    users = await _create_users(url, spec.users)
    await _load(url, spec, [user_id for user_id, _ in users], say)
    admin = await _connect(admin_url)
    try:
        marker = spec.marker().replace("'", "''")
        await admin.execute(f"COMMENT ON DATABASE \"{spec.database}\" IS '{marker}'")
    finally:
        await admin.close()
    seconds = time.perf_counter() - started
    say(f"dataset        {spec.database}: built in {seconds:.0f} s")
    return Dataset(spec, url, users, seconds)


def _email(number: int) -> str:
    return f"bench-user-{number:02d}@example.com"


async def _users(url: str) -> list[tuple[uuid.UUID, str]]:
    connection = await _connect(url)
    try:
        rows = await connection.fetch(
            "SELECT id, email FROM users WHERE email LIKE 'bench-user-%' ORDER BY email"
        )
    finally:
        await connection.close()
    return [(row["id"], row["email"]) for row in rows]


async def _create_users(
    url: str, count: int, email: Any = None, first: int = 0
) -> list[tuple[uuid.UUID, str]]:
    """Through the library, as `project users create` does: real argon2id hashes."""
    from project import open_project
    from project.domain.model.context import LOCAL
    from project.entrypoints.logging import configure_logging
    from project.entrypoints.settings import Environment, Settings

    name = email or _email
    users = []
    with tempfile.TemporaryDirectory(prefix="bench-http-") as scratch:
        settings = Settings(
            env=Environment.TEST,
            data_dir=Path(scratch),
            database_url=url,
            auto_migrate=False,
            log_level="WARNING",  # not a user_created line per account
        ).resolve()
        configure_logging(settings)
        async with open_project(settings, migrate=False) as project:
            for number in range(first, first + count):
                user = await project.admin.create_user(None, name(number), PASSWORD, ctx=LOCAL)
                users.append((uuid.UUID(str(user.id)), user.email))
    return users


def _login_email(number: int) -> str:
    return f"bench-login-{number:03d}@example.com"


async def login_accounts(dataset: Dataset, count: int) -> list[str]:
    """`count` accounts without bookmarks for the login scenario, created once (through the
    library) and kept. Logins rotate over them: a run of concurrent logins on one account is
    a run of unfinished attempts, which its backoff (S30) locks after five."""
    connection = await _connect(dataset.url)
    try:
        have = await connection.fetchval(
            "SELECT count(*) FROM users WHERE email LIKE 'bench-login-%'"
        )
    finally:
        await connection.close()
    if have < count:
        await _create_users(dataset.url, count - have, _login_email, first=have)
    return [_login_email(number) for number in range(count)]


async def _load(url: str, spec: DatasetSpec, owners: list[uuid.UUID], say: Any) -> None:
    connection = await _connect(url)
    try:
        indexes = await connection.fetch(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema() AND tablename IN ('bookmarks', 'bookmark_tags')"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        for index in indexes:
            await connection.execute(f'DROP INDEX "{index["indexname"]}"')
        started = time.perf_counter()
        parts = _parts(spec.bookmarks, LOADERS)
        loop = asyncio.get_running_loop()
        with ProcessPoolExecutor(len(parts), mp_context=get_context("spawn")) as pool:
            written = await asyncio.gather(
                *(
                    loop.run_in_executor(
                        pool, load_part, url, spec, [str(o) for o in owners], start, end
                    )
                    for start, end in parts
                )
            )
        tags = sum(count for _, count in written)
        say(
            f"               {spec.bookmarks:,} bookmarks, {tags:,} tags written in "
            f"{time.perf_counter() - started:.0f} s; indexing"
        )
        started = time.perf_counter()
        await connection.execute("SET maintenance_work_mem = '1GB'")
        for index in indexes:
            await connection.execute(index["indexdef"])
        await connection.execute("VACUUM ANALYZE bookmarks")
        await connection.execute("VACUUM ANALYZE bookmark_tags")
        await connection.execute("VACUUM ANALYZE users")
        say(
            f"               {len(indexes)} indexes rebuilt, vacuumed and analyzed in "
            f"{time.perf_counter() - started:.0f} s"
        )
    finally:
        await connection.close()


def _parts(count: int, parts: int) -> list[tuple[int, int]]:
    """`parts` ranges of whole batches covering [0, count)."""
    batches = -(-count // BATCH)
    bounds = [min(count, (batches * n // parts) * BATCH) for n in range(parts + 1)]
    return [(a, b) for a, b in pairwise(bounds) if b > a]


def load_part(
    url: str, spec: DatasetSpec, owners: list[str], start: int, end: int
) -> tuple[int, int]:
    """In a loader process: generate and COPY bookmarks [start, end); (bookmarks, tags)."""
    return asyncio.run(_load_part(url, spec, [uuid.UUID(o) for o in owners], start, end))


async def _load_part(
    url: str, spec: DatasetSpec, owners: list[uuid.UUID], start: int, end: int
) -> tuple[int, int]:
    vocabulary = Vocabulary()
    connection = await _connect(url)
    written = tags = 0
    try:
        await connection.execute("SET session_replication_role = replica")  # no FK triggers
        await connection.execute("SET synchronous_commit = off")
        for batch_start in range(start, end, BATCH):
            batch_end = min(end, batch_start + BATCH)
            columns, rows, tag_columns, tag_rows = build_rows(
                vocabulary, spec, owners, batch_start, batch_end
            )
            await connection.copy_records_to_table("bookmarks", records=rows, columns=columns)
            await connection.copy_records_to_table(
                "bookmark_tags", records=tag_rows, columns=tag_columns
            )
            written += len(rows)
            tags += len(tag_rows)
    finally:
        await connection.close()
    return written, tags


def build_rows(
    vocabulary: Vocabulary,
    spec: DatasetSpec,
    owners: Sequence[uuid.UUID],
    start: int,
    end: int,
) -> tuple[list[str], list[tuple[Any, ...]], list[str], list[tuple[Any, ...]]]:
    """Bookmarks [start, end) as the SQL adapter writes them: (columns, rows) of `bookmarks`
    and of `bookmark_tags`. Seeded per batch, so the content does not depend on who loads."""
    from project.adapters.sql._bookmark_rows import bookmark_values, tag_values
    from project.domain.model.archiving import favicon_key, preview_key
    from project.domain.model.bookmarks import ArchiveStatus, Bookmark, PageMetadata
    from project.domain.model.ids import BookmarkId, UserId

    rng = random.Random(spec.seed * 1_000_003 + start)  # noqa: S311 - test data
    made: list[Bookmark] = []
    for index in range(start, end):
        owner = UserId(owners[spec.owner_of(index)])
        created = START + timedelta(seconds=rng.randrange(SPAN_SECONDS))
        bookmark_id = BookmarkId(_uuid7(created, rng))
        path = "/".join(rng.choices(vocabulary.words[40:2000], k=rng.randint(1, 3)))
        url = f"https://{vocabulary.site(rng)}/{path}/{index}"
        draw = rng.random()
        if draw < 0.15:
            url += "?utm_source=newsletter&utm_medium=email&utm_campaign=weekly"
        elif draw < 0.25:
            url += f"?id={rng.randrange(10**6)}&ref=home"
        archived = rng.random() < 0.5
        title = vocabulary.text(rng, 3, 12).capitalize()
        bookmark = Bookmark.create(
            id=bookmark_id,
            owner_id=owner,
            url=url,
            at=created + timedelta(seconds=rng.randrange(86_400 * 30)),
            created_at=created,
            title="" if archived and rng.random() < 0.3 else title,
            description=vocabulary.text(rng, 8, 50) if rng.random() < 0.6 else "",
            notes=vocabulary.text(rng, 5, 40) if rng.random() < 0.1 else "",
            tags=vocabulary.tag_sample(rng),
            unread=rng.random() < 0.15,
            archived=rng.random() < 0.1,
            favorite=rng.random() < 0.05,
        )
        if archived:
            bookmark.page = PageMetadata(
                title=title if rng.random() < 0.7 else vocabulary.text(rng, 3, 12).capitalize(),
                description=vocabulary.text(rng, 10, 30),
                site_name=url.split("/")[2].removeprefix("www.").split(".")[0].title(),
                language="en",
                favicon_key=favicon_key(bookmark_id) if rng.random() < 0.9 else None,
                preview_key=preview_key(bookmark_id) if rng.random() < 0.7 else None,
                word_count=rng.randint(150, 6_000),
            )
            bookmark.archive_status = ArchiveStatus.ARCHIVED
            bookmark.archive_bytes = rng.randint(20_000, 900_000)
            bookmark.version = 3
        made.append(bookmark)
    values = [bookmark_values(bookmark) for bookmark in made]
    columns = list(values[0])
    tag_rows = tag_values(made)
    tag_columns = list(tag_rows[0]) if tag_rows else ["bookmark_id", "owner_id", "name"]
    return (
        columns,
        [tuple(row.values()) for row in values],
        tag_columns,
        [tuple(row.values()) for row in tag_rows],
    )


def _uuid7(at: datetime, rng: random.Random) -> uuid.UUID:
    """A UUIDv7 (as the app's ids are) of the moment `at`, its random bits from `rng`."""
    milliseconds = int(at.timestamp() * 1000)
    value = (milliseconds << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64)
    value |= (0b10 << 62) | rng.getrandbits(62)
    return uuid.UUID(int=value)


# --- what the scenarios request -----------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")


async def bookmark_ids(dataset: Dataset, owner: uuid.UUID, count: int) -> list[uuid.UUID]:
    """`count` of the owner's bookmarks, spread over all of them."""
    connection = await _connect(dataset.url)
    try:
        rows = await connection.fetch(
            "SELECT id FROM bookmarks WHERE owner_id = $1 ORDER BY md5(id::text) LIMIT $2",
            owner,
            count,
        )
    finally:
        await connection.close()
    return [row["id"] for row in rows]


async def search_queries(dataset: Dataset, per_user: int, seed: int) -> list[tuple[uuid.UUID, str]]:
    """(owner, query) pairs: 3 words and 1 tag, all taken from one of the owner's bookmarks
    (so each query matches at least that one): 3 of its 5 most frequent words, leaving out the
    40 most common of all (a real query names a topic; rarer words would match that bookmark
    alone)."""
    vocabulary = Vocabulary()
    rng = random.Random(seed)  # noqa: S311 - test data
    connection = await _connect(dataset.url)
    queries: list[tuple[uuid.UUID, str]] = []
    try:
        for owner, _ in dataset.users:
            rows = await connection.fetch(
                "SELECT b.title || ' ' || b.description || ' ' || b.page_title AS text,"
                " (SELECT array_agg(name) FROM bookmark_tags t WHERE t.bookmark_id = b.id)"
                " AS tags FROM bookmarks b WHERE b.owner_id = $1"
                " ORDER BY md5(b.id::text || $2) LIMIT $3",
                owner,
                str(seed),
                per_user * 4,
            )
            found = 0
            for row in rows:
                words = sorted(
                    (
                        w
                        for w in set(_WORD.findall(row["text"].lower()))
                        if w in vocabulary.rank and w not in vocabulary.common
                    ),
                    key=vocabulary.rank.__getitem__,
                )[:5]
                if len(words) < 3 or not row["tags"]:
                    continue
                chosen = [*rng.sample(words, 3), "#" + rng.choice(sorted(row["tags"]))]
                queries.append((owner, " ".join(chosen)))
                found += 1
                if found == per_user:
                    break
    finally:
        await connection.close()
    rng.shuffle(queries)
    return queries


async def delete_created(dataset: Dataset, marker: str) -> int:
    """Remove what the create scenario wrote (its URLs name `marker`), then vacuum."""
    connection = await _connect(dataset.url)
    try:
        status = await connection.execute(
            "DELETE FROM bookmarks WHERE url LIKE $1", f"https://{marker}%"
        )
        await connection.execute("VACUUM ANALYZE bookmarks")
        await connection.execute("VACUUM ANALYZE bookmark_tags")
    finally:
        await connection.close()
    return int(status.split()[-1])
