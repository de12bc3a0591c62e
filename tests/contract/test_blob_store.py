"""The BlobStore contract, run against a local directory and S3 (a moto server over HTTP).

Each adapter comes as a harness that also says what a client gets from a signed URL and what
a failed put may have left behind (hidden temporary files; unfinished multipart uploads).
The directory store's signed URLs are served by the app: its harness plays that route with
`verify_signed`. S3's `list` does not know content types; its harness declares so. The S3
harness lists two keys a page, so every listing of more crosses pages.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import aioboto3
import httpx
import pytest

from project.adapters.fs import LocalDirectoryBlobStore
from project.adapters.s3 import LazyS3BlobStore, S3BlobStore
from project.domain.model.errors import BlobNotFound, InvalidBlobKey, StorageUnavailable
from project.ports.blobs import BlobStore
from tests.contract._moto import MotoS3, free_port, moto_s3  # noqa: F401 - the fixture

SIGNING_KEY = b"contract-suite signing key 0123456789"
BASE_URL = "http://testserver"
MiB = 1024 * 1024
PDF = "application/pdf"
ATTACHMENT = 'attachment; filename="report.pdf"'


@dataclass(frozen=True)
class Fetched:
    status: int
    body: bytes
    content_type: str | None
    disposition: str | None


@dataclass(frozen=True)
class BlobHarness:
    store: BlobStore
    fetch: Callable[[str], Awaitable[Fetched]]
    leftovers: Callable[[], Awaitable[list[str]]]
    list_reports_content_type: bool


async def chunks_of(data: bytes, size: int = 256 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def read(store: BlobStore, key: str) -> bytes:
    return b"".join([chunk async for chunk in store.get(key)])


async def put_bytes(store: BlobStore, key: str, data: bytes, content_type: str = PDF) -> None:
    await store.put(key, chunks_of(data), content_type=content_type)


async def listed(store: BlobStore, prefix: str) -> list[str]:
    return sorted([info.key async for info in store.list(prefix)])


# --- adapters ----------------------------------------------------------------------------


def _served_by_the_app(store: LocalDirectoryBlobStore) -> Callable[[str], Awaitable[Fetched]]:
    """What the app's `/blobs/{key}` route does with a signed URL."""

    async def fetch(url: str) -> Fetched:
        parts = urlsplit(url)
        key = parts.path.removeprefix("/blobs/")
        query = dict(parse_qsl(parts.query))
        if not store.verify_signed(
            key,
            expires=query["expires"],
            content_type=query["type"],
            disposition=query["disposition"],
            signature=query["signature"],
        ):
            return Fetched(403, b"", None, None)
        return Fetched(200, await read(store, key), query["type"], query["disposition"])

    return fetch


@asynccontextmanager
async def _directory(request: pytest.FixtureRequest) -> AsyncIterator[BlobHarness]:
    root: Path = request.getfixturevalue("tmp_path") / "blobs"
    store = LocalDirectoryBlobStore(root, signing_key=SIGNING_KEY, base_url=BASE_URL)

    async def leftovers() -> list[str]:
        hidden = await asyncio.to_thread(lambda: list(root.rglob(".*")))
        return sorted(str(path) for path in hidden)

    yield BlobHarness(store, _served_by_the_app(store), leftovers, list_reports_content_type=True)


async def _fetch_over_http(url: str) -> Fetched:
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    headers = response.headers
    return Fetched(
        response.status_code,
        response.content,
        headers.get("content-type"),
        headers.get("content-disposition"),
    )


def _raw_client(moto: MotoS3) -> Any:
    return aioboto3.Session().client(
        "s3",
        endpoint_url=moto.endpoint_url,
        region_name=moto.region,
        aws_access_key_id=moto.access_key_id,
        aws_secret_access_key=moto.secret_access_key,
    )


async def _open_s3(moto: MotoS3, bucket: str, **options: Any) -> S3BlobStore:
    return await S3BlobStore.open(
        bucket=bucket,
        endpoint_url=moto.endpoint_url,
        region=moto.region,
        addressing_style="path",
        access_key_id=moto.access_key_id,
        secret_access_key=moto.secret_access_key,
        **options,
    )


@asynccontextmanager
async def _s3(request: pytest.FixtureRequest) -> AsyncIterator[BlobHarness]:
    moto: MotoS3 = request.getfixturevalue("moto_s3")
    bucket = f"blobs-{secrets.token_hex(6)}"
    async with await _open_s3(moto, bucket, list_page_size=2) as store, _raw_client(moto) as raw:
        await store.ensure_bucket()

        async def leftovers() -> list[str]:
            uploads = await raw.list_multipart_uploads(Bucket=bucket)
            return sorted(upload["Key"] for upload in uploads.get("Uploads", []))

        yield BlobHarness(store, _fetch_over_http, leftovers, list_reports_content_type=False)


@asynccontextmanager
async def _s3_lazy(request: pytest.FixtureRequest) -> AsyncIterator[BlobHarness]:
    """The S3 store as the app's container builds it: opened by its first call."""
    moto: MotoS3 = request.getfixturevalue("moto_s3")
    bucket = f"blobs-{secrets.token_hex(6)}"
    store = LazyS3BlobStore(
        bucket=bucket,
        endpoint_url=moto.endpoint_url,
        region=moto.region,
        addressing_style="path",
        access_key_id=moto.access_key_id,
        secret_access_key=moto.secret_access_key,
        list_page_size=2,
    )
    async with _raw_client(moto) as raw:
        await store.ensure_bucket()

        async def leftovers() -> list[str]:
            uploads = await raw.list_multipart_uploads(Bucket=bucket)
            return sorted(upload["Key"] for upload in uploads.get("Uploads", []))

        try:
            yield BlobHarness(store, _fetch_over_http, leftovers, list_reports_content_type=False)
        finally:
            await store.aclose()


ADAPTERS: dict[str, Callable[[pytest.FixtureRequest], AbstractAsyncContextManager[BlobHarness]]]
ADAPTERS = {"directory": _directory, "s3": _s3, "s3-lazy": _s3_lazy}


@pytest.fixture(params=sorted(ADAPTERS))
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[BlobHarness]:
    async with ADAPTERS[request.param](request) as adapter:
        yield adapter


@pytest.fixture
def store(harness: BlobHarness) -> BlobStore:
    return harness.store


# --- objects -----------------------------------------------------------------------------


async def test_an_object_round_trips_with_its_size_and_content_type(store: BlobStore) -> None:
    data = "Grüße, 東京\n".encode()

    info = await store.put("notes/1/hello.txt", chunks_of(data, 3), content_type="text/plain")
    head = await store.head("notes/1/hello.txt")

    assert await read(store, "notes/1/hello.txt") == data
    assert (info.key, info.size, info.content_type) == (
        "notes/1/hello.txt",
        len(data),
        "text/plain",
    )
    assert head is not None
    assert (head.key, head.size, head.content_type) == (
        "notes/1/hello.txt",
        len(data),
        "text/plain",
    )
    assert head.modified_at is not None
    assert abs(head.modified_at - datetime.now(UTC)) < timedelta(minutes=5)


async def test_an_empty_object_round_trips(store: BlobStore) -> None:
    info = await store.put("empty", chunks_of(b""), content_type="text/plain")

    assert info.size == 0
    assert await read(store, "empty") == b""
    assert await store.head("empty") is not None


async def test_a_put_replaces_the_bytes_and_the_content_type(store: BlobStore) -> None:
    await put_bytes(store, "doc", b"first version, longer", "text/plain")
    await put_bytes(store, "doc", b"second", PDF)

    head = await store.head("doc")
    assert await read(store, "doc") == b"second"
    assert head is not None
    assert (head.size, head.content_type) == (6, PDF)


async def test_getting_a_missing_object_raises_blob_not_found(store: BlobStore) -> None:
    with pytest.raises(BlobNotFound):
        await read(store, "missing/object")


async def test_heading_a_missing_object_gives_none(store: BlobStore) -> None:
    assert await store.head("missing/object") is None


async def test_a_deleted_object_is_gone(store: BlobStore) -> None:
    await put_bytes(store, "a/b/c", b"x")

    await store.delete("a/b/c")

    assert await store.head("a/b/c") is None
    with pytest.raises(BlobNotFound):
        await read(store, "a/b/c")


async def test_deleting_a_missing_object_is_not_an_error(store: BlobStore) -> None:
    await store.delete("never/stored")

    assert await store.head("never/stored") is None


async def test_an_object_and_objects_below_its_key_live_side_by_side(store: BlobStore) -> None:
    await put_bytes(store, "a", b"top")
    await put_bytes(store, "a/b", b"below")

    await store.delete("a/b")

    assert await read(store, "a") == b"top"
    await put_bytes(store, "a/b/c", b"deeper")
    assert await read(store, "a/b/c") == b"deeper"


# --- listing -----------------------------------------------------------------------------

LISTED_KEYS = ["a", "a/b", "a/b/c", "a-c", "ab", "b/a", "snapshots/01/index.html"]


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", LISTED_KEYS),
        ("a", ["a", "a/b", "a/b/c", "a-c", "ab"]),
        ("a/", ["a/b", "a/b/c"]),
        ("a/b", ["a/b", "a/b/c"]),
        ("a/b/c", ["a/b/c"]),
        ("snap", ["snapshots/01/index.html"]),
        ("snapshots/01/", ["snapshots/01/index.html"]),
        ("c", []),
        ("b/a/", []),
    ],
)
async def test_list_yields_exactly_the_objects_whose_key_starts_with_the_prefix(
    store: BlobStore, prefix: str, expected: list[str]
) -> None:
    for key in LISTED_KEYS:
        await put_bytes(store, key, key.encode())

    assert await listed(store, prefix) == sorted(expected)


async def test_list_reports_each_object_size_and_known_content_type(
    harness: BlobHarness,
) -> None:
    await put_bytes(harness.store, "docs/one", b"1", "text/plain")
    await put_bytes(harness.store, "docs/three", b"333", PDF)

    infos = sorted([info async for info in harness.store.list("docs/")], key=lambda i: i.key)

    assert [(i.key, i.size) for i in infos] == [("docs/one", 1), ("docs/three", 3)]
    assert all(info.modified_at is not None for info in infos)
    if harness.list_reports_content_type:
        assert [i.content_type for i in infos] == ["text/plain", PDF]


async def test_list_does_not_yield_deleted_objects(store: BlobStore) -> None:
    for key in ("x/1", "x/2", "x/3"):
        await put_bytes(store, key, b"x")

    await store.delete("x/2")

    assert await listed(store, "x/") == ["x/1", "x/3"]


# --- keys --------------------------------------------------------------------------------

BAD_KEYS = ["../x", "/abs", "a//b", "A", ".", "", "x" * 600, "a/../b", "a/", "a/.hidden"]


@pytest.mark.parametrize("key", BAD_KEYS, ids=lambda key: repr(key[:12]))
async def test_every_method_refuses_a_malformed_key(store: BlobStore, key: str) -> None:
    with pytest.raises(InvalidBlobKey):
        await put_bytes(store, key, b"x")
    with pytest.raises(InvalidBlobKey):
        await read(store, key)
    with pytest.raises(InvalidBlobKey):
        await store.head(key)
    with pytest.raises(InvalidBlobKey):
        await store.delete(key)
    with pytest.raises(InvalidBlobKey):
        await store.signed_url(
            key, content_type=PDF, disposition=ATTACHMENT, expires_in=timedelta(seconds=60)
        )


@pytest.mark.parametrize(
    "prefix", [k for k in BAD_KEYS if k not in ("", "a/")], ids=lambda key: repr(key[:12])
)
async def test_list_refuses_a_malformed_prefix(store: BlobStore, prefix: str) -> None:
    with pytest.raises(InvalidBlobKey):
        await listed(store, prefix)


# --- streaming and failures --------------------------------------------------------------


async def test_a_large_object_streams_through_intact(store: BlobStore) -> None:
    data = os.urandom(20 * MiB)

    info = await store.put("big/object.bin", chunks_of(data), content_type=PDF)

    digest = hashlib.sha256()
    async for chunk in store.get("big/object.bin"):
        assert len(chunk) <= 1 * MiB
        digest.update(chunk)
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    assert info.size == len(data)


async def _failing_after(data: bytes) -> AsyncIterator[bytes]:
    async for chunk in chunks_of(data, MiB):
        yield chunk
    raise RuntimeError("the source broke")


async def test_a_put_whose_chunks_fail_midway_leaves_no_object(harness: BlobHarness) -> None:
    with pytest.raises(RuntimeError, match="source broke"):
        await harness.store.put("half/written", _failing_after(bytes(9 * MiB)), content_type=PDF)

    assert await harness.store.head("half/written") is None
    assert await listed(harness.store, "half") == []
    assert await harness.leftovers() == []


async def test_a_failed_replace_keeps_the_previous_object(harness: BlobHarness) -> None:
    await put_bytes(harness.store, "doc", b"the good version", "text/plain")

    with pytest.raises(RuntimeError, match="source broke"):
        await harness.store.put("doc", _failing_after(bytes(9 * MiB)), content_type=PDF)

    assert await read(harness.store, "doc") == b"the good version"
    assert await harness.leftovers() == []


async def test_a_cancelled_put_leaves_no_object(harness: BlobHarness) -> None:
    started = asyncio.Event()

    async def stalls() -> AsyncIterator[bytes]:
        yield bytes(9 * MiB)
        started.set()
        await asyncio.Event().wait()
        yield b"never"

    put = asyncio.create_task(harness.store.put("stalled", stalls(), content_type=PDF))
    await asyncio.wait_for(started.wait(), 30)
    put.cancel()
    with pytest.raises(asyncio.CancelledError):
        await put

    assert await harness.store.head("stalled") is None
    assert await harness.leftovers() == []


# --- signed URLs -------------------------------------------------------------------------


async def test_a_signed_url_serves_the_bytes_with_the_forced_headers(
    harness: BlobHarness,
) -> None:
    await put_bytes(harness.store, "reports/2024.pdf", b"%PDF-1.7 report", "text/plain")

    url = await harness.store.signed_url(
        "reports/2024.pdf",
        content_type=PDF,
        disposition=ATTACHMENT,
        expires_in=timedelta(seconds=300),
    )
    fetched = await harness.fetch(url)

    assert fetched == Fetched(200, b"%PDF-1.7 report", PDF, ATTACHMENT)


@pytest.mark.parametrize("seconds", [301, 3600, 0, -1])
async def test_a_signed_url_lives_more_than_nothing_and_at_most_five_minutes(
    store: BlobStore, seconds: int
) -> None:
    with pytest.raises(ValueError, match="at most 300"):
        await store.signed_url(
            "doc", content_type=PDF, disposition=ATTACHMENT, expires_in=timedelta(seconds=seconds)
        )


@pytest.mark.parametrize(
    ("content_type", "disposition"),
    [(PDF, "attachment\r\nSet-Cookie: x=1"), ("text/html\nX: y", ATTACHMENT), ("", ATTACHMENT)],
)
async def test_a_signed_url_refuses_header_values_that_are_not_one_clean_line(
    store: BlobStore, content_type: str, disposition: str
) -> None:
    with pytest.raises(ValueError, match="printable ASCII"):
        await store.signed_url(
            "doc",
            content_type=content_type,
            disposition=disposition,
            expires_in=timedelta(seconds=60),
        )


# --- the directory store: the app's side of signed URLs, and its own files ----------------


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> _Clock:
    return _Clock()


@pytest.fixture
def directory_store(tmp_path: Path, clock: _Clock) -> LocalDirectoryBlobStore:
    return LocalDirectoryBlobStore(
        tmp_path / "blobs", signing_key=SIGNING_KEY, base_url=f"{BASE_URL}/", now=clock
    )


async def _signed_query(store: LocalDirectoryBlobStore, key: str = "doc") -> dict[str, str]:
    url = await store.signed_url(
        key, content_type=PDF, disposition=ATTACHMENT, expires_in=timedelta(seconds=120)
    )
    return dict(parse_qsl(urlsplit(url).query))


def _verify(store: LocalDirectoryBlobStore, key: str, query: dict[str, str]) -> bool:
    return store.verify_signed(
        key,
        expires=query["expires"],
        content_type=query["type"],
        disposition=query["disposition"],
        signature=query["signature"],
    )


async def test_a_directory_signed_url_names_the_app_route_and_its_parameters(
    directory_store: LocalDirectoryBlobStore, clock: _Clock
) -> None:
    url = await directory_store.signed_url(
        "reports/2024.pdf",
        content_type=PDF,
        disposition=ATTACHMENT,
        expires_in=timedelta(seconds=60),
    )

    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{BASE_URL}/blobs/reports/2024.pdf"
    assert sorted(query) == ["disposition", "expires", "signature", "type"]
    assert query["expires"] == str(int(clock.now.timestamp()) + 60)
    assert (query["type"], query["disposition"]) == (PDF, ATTACHMENT)
    assert len(query["signature"]) == 64
    assert _verify(directory_store, "reports/2024.pdf", query)


async def test_verify_signed_rejects_an_expired_url(
    directory_store: LocalDirectoryBlobStore, clock: _Clock
) -> None:
    query = await _signed_query(directory_store)

    clock.now += timedelta(seconds=119)
    assert _verify(directory_store, "doc", query)
    clock.now += timedelta(seconds=1)
    assert not _verify(directory_store, "doc", query)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("expires", lambda v: str(int(v) + 1)),
        ("type", lambda v: "text/html"),
        ("disposition", lambda v: "inline"),
        ("signature", lambda v: v[:-1] + ("0" if v[-1] != "0" else "1")),
        ("signature", lambda v: v.upper()),
        ("signature", lambda v: ""),
    ],
    ids=["expires", "type", "disposition", "signature", "signature-case", "no-signature"],
)
async def test_verify_signed_rejects_a_tampered_parameter(
    directory_store: LocalDirectoryBlobStore, field: str, value: Callable[[str], str]
) -> None:
    query = await _signed_query(directory_store)

    query[field] = value(query[field])

    assert not _verify(directory_store, "doc", query)


async def test_verify_signed_rejects_the_signature_of_another_key(
    directory_store: LocalDirectoryBlobStore,
) -> None:
    query = await _signed_query(directory_store, "doc")

    assert not _verify(directory_store, "doc2", query)
    assert not _verify(directory_store, "doc/x", query)


async def test_verify_signed_rejects_a_url_signed_with_another_signing_key(
    directory_store: LocalDirectoryBlobStore, tmp_path: Path, clock: _Clock
) -> None:
    other = LocalDirectoryBlobStore(
        tmp_path / "other",
        signing_key=b"another signing key, 32 bytes..",
        base_url=BASE_URL,
        now=clock,
    )

    assert not _verify(directory_store, "doc", await _signed_query(other))


async def test_verify_signed_rejects_an_expiry_beyond_five_minutes(
    directory_store: LocalDirectoryBlobStore, tmp_path: Path, clock: _Clock
) -> None:
    later = _Clock()
    later.now = clock.now + timedelta(hours=1)
    from_the_future = LocalDirectoryBlobStore(
        tmp_path / "blobs", signing_key=SIGNING_KEY, base_url=BASE_URL, now=later
    )

    assert not _verify(directory_store, "doc", await _signed_query(from_the_future))


@pytest.mark.parametrize(
    ("key", "field", "value"),
    [
        ("../x", None, ""),
        ("A", None, ""),
        ("doc", "expires", "12a"),
        ("doc", "expires", ""),
        ("doc", "expires", "-5"),
        ("doc", "expires", "١٢٣"),
        ("doc", "signature", "é" * 64),
    ],
)
async def test_verify_signed_answers_false_to_malformed_input_without_raising(
    directory_store: LocalDirectoryBlobStore, key: str, field: str | None, value: str
) -> None:
    query = await _signed_query(directory_store)
    if field is not None:
        query[field] = value

    assert not _verify(directory_store, key, query)


def test_a_directory_store_wants_a_signing_key_of_at_least_16_bytes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        LocalDirectoryBlobStore(tmp_path, signing_key=b"short", base_url=BASE_URL)


async def test_the_directory_store_refuses_a_directory_symlinked_out_of_its_root(
    directory_store: LocalDirectoryBlobStore, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x@data").write_bytes(b"secret")
    await put_bytes(directory_store, "inside", b"x")
    (tmp_path / "blobs" / "objects" / "evil").symlink_to(outside, target_is_directory=True)

    with pytest.raises(InvalidBlobKey):
        await put_bytes(directory_store, "evil/y", b"planted")
    with pytest.raises(InvalidBlobKey):
        await read(directory_store, "evil/x")
    with pytest.raises(InvalidBlobKey):
        await directory_store.head("evil/x")
    with pytest.raises(InvalidBlobKey):
        await directory_store.delete("evil/x")
    with pytest.raises(InvalidBlobKey):
        await listed(directory_store, "evil/")
    assert await listed(directory_store, "") == ["inside"]
    assert sorted(path.name for path in outside.iterdir()) == ["x@data"]


async def test_the_directory_store_refuses_an_object_file_that_is_a_symlink(
    directory_store: LocalDirectoryBlobStore, tmp_path: Path
) -> None:
    secret = tmp_path / "secret"
    secret.write_bytes(b"secret")
    await put_bytes(directory_store, "doc", b"x")
    (object_file,) = (tmp_path / "blobs").rglob("doc@data")
    object_file.unlink()
    object_file.symlink_to(secret)

    with pytest.raises(InvalidBlobKey):
        await read(directory_store, "doc")
    assert await listed(directory_store, "") == []


async def test_the_directory_store_keeps_its_files_private_and_prunes_empty_directories(
    directory_store: LocalDirectoryBlobStore, tmp_path: Path
) -> None:
    root = tmp_path / "blobs"
    await put_bytes(directory_store, "a/b/c", b"x")
    assert root.stat().st_mode & 0o777 == 0o700

    await directory_store.delete("a/b/c")

    assert list(root.rglob("*")) == [root / "objects"]


async def test_check_writable_passes_on_a_directory_that_takes_files(
    directory_store: LocalDirectoryBlobStore, tmp_path: Path
) -> None:
    await directory_store.check_writable()

    assert list((tmp_path / "blobs").rglob("*")) == [tmp_path / "blobs" / "objects"]


async def test_check_writable_raises_storage_unavailable_where_no_directory_can_be(
    tmp_path: Path,
) -> None:
    (tmp_path / "a-file").write_bytes(b"")
    store = LocalDirectoryBlobStore(
        tmp_path / "a-file" / "blobs", signing_key=SIGNING_KEY, base_url=BASE_URL
    )

    with pytest.raises(StorageUnavailable):
        await store.check_writable()
    with pytest.raises(StorageUnavailable):
        await put_bytes(store, "doc", b"x")


# --- the S3 store: its bucket, its multipart uploads, a dead endpoint ---------------------


@dataclass(frozen=True)
class S3Setup:
    moto: MotoS3
    bucket: str
    store: S3BlobStore
    raw: Any


@pytest.fixture
async def s3(request: pytest.FixtureRequest) -> AsyncIterator[S3Setup]:
    moto: MotoS3 = request.getfixturevalue("moto_s3")
    bucket = f"blobs-{secrets.token_hex(6)}"
    async with await _open_s3(moto, bucket) as store, _raw_client(moto) as raw:
        await store.ensure_bucket()
        yield S3Setup(moto, bucket, store, raw)


async def test_a_large_s3_object_goes_up_in_parts_of_8_mib(s3: S3Setup) -> None:
    await s3.store.put("big", chunks_of(bytes(20 * MiB), MiB), content_type=PDF)

    head = await s3.raw.head_object(Bucket=s3.bucket, Key="big")
    assert head["ETag"].endswith('-3"')
    assert (head["ContentLength"], head["ContentType"]) == (20 * MiB, PDF)


async def test_a_small_s3_object_goes_up_in_one_request(s3: S3Setup) -> None:
    await s3.store.put("small", chunks_of(bytes(MiB), 1024), content_type=PDF)

    head = await s3.raw.head_object(Bucket=s3.bucket, Key="small")
    assert "-" not in head["ETag"]


async def test_ensure_bucket_creates_a_private_bucket_and_may_run_again(s3: S3Setup) -> None:
    await s3.store.ensure_bucket()
    await s3.store.check_bucket()

    block = await s3.raw.get_public_access_block(Bucket=s3.bucket)
    assert all(block["PublicAccessBlockConfiguration"].values())


async def test_check_bucket_raises_storage_unavailable_for_a_missing_bucket(s3: S3Setup) -> None:
    async with await _open_s3(s3.moto, "no-such-bucket-here") as store:
        with pytest.raises(StorageUnavailable, match="does not exist"):
            await store.check_bucket()


async def test_s3_list_skips_objects_that_the_service_did_not_write(s3: S3Setup) -> None:
    await put_bytes(s3.store, "ours", b"x")
    await s3.raw.put_object(Bucket=s3.bucket, Key="Uploaded By Hand.txt", Body=b"y")

    assert await listed(s3.store, "") == ["ours"]


async def test_s3_parts_are_at_least_8_mib() -> None:
    with pytest.raises(ValueError, match="at least"):
        await _open_s3(MotoS3(endpoint_url="http://127.0.0.1:9"), "blobs", part_size=5 * MiB)


DEAD_ENDPOINT_CALLS: dict[str, Callable[[S3BlobStore], Awaitable[object]]] = {
    "put": lambda store: put_bytes(store, "doc", b"x"),
    "get": lambda store: read(store, "doc"),
    "head": lambda store: store.head("doc"),
    "delete": lambda store: store.delete("doc"),
    "list": lambda store: listed(store, ""),
    "check_bucket": lambda store: store.check_bucket(),
    "ensure_bucket": lambda store: store.ensure_bucket(),
}


@pytest.mark.parametrize("call", sorted(DEAD_ENDPOINT_CALLS))
async def test_an_s3_store_on_a_dead_endpoint_raises_storage_unavailable_quickly(
    call: str,
) -> None:
    dead = MotoS3(endpoint_url=f"http://127.0.0.1:{free_port()}")
    async with await _open_s3(dead, "blobs") as store:
        with pytest.raises(StorageUnavailable):
            await asyncio.wait_for(DEAD_ENDPOINT_CALLS[call](store), timeout=30)
