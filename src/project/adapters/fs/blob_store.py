"""Blobs in a local directory: the embedded default; the app serves them by signed URL."""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import BinaryIO, TypeVar

import msgspec

from project.adapters.fs._signed_urls import ServesSignedUrls, UrlSigner
from project.domain.model.blobs import BlobInfo, check_blob_key
from project.domain.model.errors import BlobNotFound, InvalidBlobKey, StorageUnavailable

_T = TypeVar("_T")
_CHUNK_SIZE = 64 * 1024
_LIST_BATCH = 256
# Object files end in a suffix outside the key alphabet, so the file of key "a" never
# collides with the directory holding "a/b"; temporary files start with "." like no key.
_DATA = "@data"
_META = "@meta.json"
_DEFAULT_CONTENT_TYPE = "application/octet-stream"
_MKDIR_ATTEMPTS = 3


def _utc_now() -> datetime:
    return datetime.now(UTC)


class _Meta(msgspec.Struct, frozen=True):
    content_type: str


@dataclass(frozen=True)
class _Paths:
    key: str
    data: Path
    meta: Path


class LocalDirectoryBlobStore(ServesSignedUrls):
    """The `BlobStore` port on a directory, for embedded installs.

    Layout: `root/objects/<key>@data` holds the bytes and `<key>@meta.json` beside it the
    content type. A put streams into a hidden temporary file in the same directory, fsyncs it
    and renames it over the object, so readers see the old object or the new one, never a
    part. A path that a symlink would lead elsewhere is refused (InvalidBlobKey). Signed URLs
    point at the app's `/blobs/{key}` route, which checks them with `verify_signed`.
    Concurrent puts of one key commit one after the other within a process; across processes
    the bytes of the last put may briefly carry the content type of the other.
    """

    def __init__(
        self,
        root: Path,
        *,
        signing_key: bytes,
        base_url: str,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._root = Path(os.path.realpath(root))
        self._objects = self._root / "objects"
        self._signer = UrlSigner(signing_key, base_url=base_url, now=now)
        self._commit_lock = threading.Lock()

    async def put(self, key: str, chunks: AsyncIterable[bytes], *, content_type: str) -> BlobInfo:
        paths = self._paths(key)
        file, temporary = await _run(self._open_temporary, paths)
        try:
            async for chunk in chunks:
                await _run(file.write, chunk)
        except BaseException:
            file.close()
            temporary.unlink(missing_ok=True)
            raise
        # Once started, the commit runs to its end in its thread even if the put is
        # cancelled, and cleans up after itself if it fails.
        return await _run(self._commit, paths, file, temporary, content_type)

    def get(self, key: str) -> AsyncIterator[bytes]:
        return self._stream(self._paths(key))

    async def head(self, key: str) -> BlobInfo | None:
        return await _run(self._head, self._paths(key))

    async def delete(self, key: str) -> None:
        await _run(self._delete, self._paths(key))

    def list(self, prefix: str) -> AsyncIterator[BlobInfo]:
        _check_prefix(prefix)
        return self._list(prefix)

    async def check_writable(self) -> None:
        """Raise StorageUnavailable unless the directory takes a file (health check, doctor)."""
        await _run(self._probe)

    def _probe(self) -> None:
        self._root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._objects.mkdir(mode=0o700, exist_ok=True)
        file, probe = _temporary_file(self._objects / "probe")
        try:
            with file:
                file.write(b"ok")
                file.flush()
                os.fsync(file.fileno())
        finally:
            probe.unlink(missing_ok=True)

    def _paths(self, key: str) -> _Paths:
        *directories, name = check_blob_key(key).split("/")
        parent = self._objects.joinpath(*directories)
        return _Paths(key, parent / f"{name}{_DATA}", parent / f"{name}{_META}")

    def _check_inside(self, *paths: Path) -> None:
        # The root is resolved once; any symlink below it makes the resolved path differ.
        for path in paths:
            if os.path.realpath(path) != str(path):
                raise InvalidBlobKey(f"Storage path leaves the store: {path.name!r}.")

    def _open_temporary(self, paths: _Paths) -> tuple[BinaryIO, Path]:
        self._check_inside(paths.data, paths.meta)
        self._root.mkdir(mode=0o700, parents=True, exist_ok=True)
        attempts = _MKDIR_ATTEMPTS
        while True:
            try:
                paths.data.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                return _temporary_file(paths.data)
            # A delete pruned the directory in between: after mkdir saw it exist (pathlib
            # then re-raises FileExistsError, as it finds no directory), or before mkstemp.
            except (FileNotFoundError, FileExistsError):
                attempts -= 1
                if not attempts:
                    raise

    def _commit(
        self, paths: _Paths, file: BinaryIO, temporary: Path, content_type: str
    ) -> BlobInfo:
        meta: Path | None = None
        try:
            with file:
                file.flush()
                os.fsync(file.fileno())
                stat = os.fstat(file.fileno())
            meta_file, meta = _temporary_file(paths.meta)
            with meta_file:
                meta_file.write(msgspec.json.encode(_Meta(content_type)))
                meta_file.flush()
                os.fsync(meta_file.fileno())
            # The type first: a new key never shows up without it.
            with self._commit_lock:
                os.replace(meta, paths.meta)
                os.replace(temporary, paths.data)
        except BaseException:
            temporary.unlink(missing_ok=True)
            if meta is not None:
                meta.unlink(missing_ok=True)
            raise
        _fsync_directory(paths.data.parent)
        return _info(paths.key, content_type, stat)

    async def _stream(self, paths: _Paths) -> AsyncIterator[bytes]:
        file = await _run(self._open_for_reading, paths)
        try:
            while chunk := await _run(file.read, _CHUNK_SIZE):
                yield chunk
        finally:
            file.close()

    def _open_for_reading(self, paths: _Paths) -> BinaryIO:
        self._check_inside(paths.data)
        try:
            return paths.data.open("rb")
        except (FileNotFoundError, NotADirectoryError):
            raise BlobNotFound(f"No stored object at {paths.key!r}.") from None

    def _head(self, paths: _Paths) -> BlobInfo | None:
        self._check_inside(paths.data, paths.meta)
        try:
            stat = paths.data.stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return _info(paths.key, _read_content_type(paths.meta), stat)

    def _delete(self, paths: _Paths) -> None:
        self._check_inside(paths.data, paths.meta)
        with self._commit_lock:
            paths.data.unlink(missing_ok=True)
            paths.meta.unlink(missing_ok=True)
        directory = paths.data.parent
        while directory != self._objects:
            try:
                directory.rmdir()
            except OSError:  # not empty (or gone): stop pruning
                return
            directory = directory.parent

    async def _list(self, prefix: str) -> AsyncIterator[BlobInfo]:
        found = self._walk(prefix)
        while batch := await _run(lambda: list(islice(found, _LIST_BATCH))):
            for info in batch:
                yield info

    def _walk(self, prefix: str) -> Iterator[BlobInfo]:
        directory_key = prefix.rpartition("/")[0]
        start = self._objects.joinpath(*directory_key.split("/")) if directory_key else None
        self._check_inside(start or self._objects)
        yield from self._walk_directory(start or self._objects, directory_key, prefix)

    def _walk_directory(
        self, directory: Path, directory_key: str, prefix: str
    ) -> Iterator[BlobInfo]:
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except (FileNotFoundError, NotADirectoryError):
            return
        for entry in entries:
            if entry.name.startswith(".") or entry.is_symlink():
                continue
            key = f"{directory_key}/{entry.name}" if directory_key else entry.name
            if entry.is_dir(follow_symlinks=False):
                below = f"{key}/"
                if below.startswith(prefix) or prefix.startswith(below):
                    yield from self._walk_directory(Path(entry.path), key, prefix)
            elif entry.name.endswith(_DATA) and key.removesuffix(_DATA).startswith(prefix):
                info = _listed(key.removesuffix(_DATA), Path(entry.path))
                if info is not None:
                    yield info


def _check_prefix(prefix: str) -> None:
    if prefix:
        check_blob_key(prefix.removesuffix("/"))


async def _run(function: Callable[..., _T], *args: object) -> _T:
    try:
        return await asyncio.to_thread(function, *args)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise StorageUnavailable(f"The blob directory failed: {reason}.") from error


def _temporary_file(beside: Path) -> tuple[BinaryIO, Path]:
    descriptor, name = tempfile.mkstemp(dir=beside.parent, prefix=f".{beside.name}.", suffix=".tmp")
    return os.fdopen(descriptor, "wb"), Path(name)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _read_content_type(meta: Path) -> str:
    try:
        return msgspec.json.decode(meta.read_bytes(), type=_Meta).content_type
    except (FileNotFoundError, msgspec.DecodeError):
        return _DEFAULT_CONTENT_TYPE


def _listed(key: str, data: Path) -> BlobInfo | None:
    """The info of a listed object file, or None for a stray file or one deleted meanwhile."""
    try:
        check_blob_key(key)
        stat = data.stat(follow_symlinks=False)
    except (InvalidBlobKey, FileNotFoundError):
        return None
    return _info(key, _read_content_type(data.with_name(key.rpartition("/")[2] + _META)), stat)


def _info(key: str, content_type: str, stat: os.stat_result) -> BlobInfo:
    modified_at = datetime.fromtimestamp(stat.st_mtime, UTC)
    return BlobInfo(key=key, size=stat.st_size, content_type=content_type, modified_at=modified_at)
