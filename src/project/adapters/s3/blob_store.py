"""Blobs in an S3 bucket (AWS or an S3-compatible server): the production store."""

from __future__ import annotations

import math
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AsyncExitStack
from datetime import timedelta
from types import TracebackType
from typing import Any, Literal

import aioboto3
import structlog
from aiobotocore.config import AioConfig

from project.adapters.s3._errors import FAILURES, as_domain_error, error_code, is_missing_bucket
from project.domain.model.blobs import BlobInfo, check_blob_key
from project.domain.model.errors import BlobNotFound, InvalidBlobKey, StorageUnavailable

_log = structlog.get_logger(__name__)

MIN_PART_SIZE = 8 * 1024 * 1024
MAX_SIGNED_URL_LIFETIME = timedelta(seconds=300)
_CHUNK_SIZE = 64 * 1024
_Parts = list[dict[str, Any]]  # `list` is a method name inside the class
_PRIVATE = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


class S3BlobStore:
    """The `BlobStore` port on one bucket, over one aioboto3 client open for the store's life.

    Build it with `await S3BlobStore.open(bucket=...)` and close it with `await store.aclose()`
    (or use it as `async with await S3BlobStore.open(...) as store:`). Credentials come from
    the standard AWS chain unless given. Bodies below `part_size` go up in one PutObject,
    larger ones as a multipart upload that is aborted if anything fails, so a key never holds
    a partial object. `list` reports `content_type=""` (unknown): ListObjectsV2 does not say;
    `head` the object when it matters. Signed URLs are presigned GetObject URLs.
    """

    def __init__(
        self, client: Any, stack: AsyncExitStack, *, bucket: str, part_size: int, page_size: int
    ) -> None:
        self._client = client
        self._stack = stack
        self._bucket = bucket
        self._part_size = part_size
        self._page_size = page_size

    @classmethod
    async def open(
        cls,
        *,
        bucket: str,
        endpoint_url: str | None = None,
        region: str | None = None,
        addressing_style: Literal["auto", "path", "virtual"] = "auto",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        session_token: str | None = None,
        connect_timeout: float = 2.0,
        read_timeout: float = 30.0,
        max_attempts: int = 2,
        part_size: int = MIN_PART_SIZE,
        list_page_size: int = 1000,
    ) -> S3BlobStore:
        """Open the client (no request is made: see `check_bucket` and `ensure_bucket`).

        Timeouts are in seconds; `max_attempts` counts the first try, so a dead endpoint fails
        within a few seconds with StorageUnavailable.
        """
        if part_size < MIN_PART_SIZE:
            raise ValueError(f"multipart parts are at least {MIN_PART_SIZE} bytes")
        session = aioboto3.Session(
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            aws_session_token=session_token,
            region_name=region,
        )
        config = AioConfig(
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"mode": "standard", "max_attempts": max_attempts},
            signature_version="s3v4",
            s3={"addressing_style": addressing_style},
            # Checksums only where S3 requires them: S3-compatible servers vary in support.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        stack = AsyncExitStack()
        client = await stack.enter_async_context(
            session.client("s3", endpoint_url=endpoint_url, config=config)
        )
        return cls(client, stack, bucket=bucket, part_size=part_size, page_size=list_page_size)

    async def aclose(self) -> None:
        await self._stack.aclose()

    async def __aenter__(self) -> S3BlobStore:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def check_bucket(self) -> None:
        """Raise StorageUnavailable unless the bucket exists and answers (health, doctor)."""
        if not await self._bucket_exists():
            raise StorageUnavailable(f"The S3 bucket {self._bucket!r} does not exist.")

    async def ensure_bucket(self) -> None:
        """Create the bucket, with public access blocked, unless it exists (first run, tests)."""
        if await self._bucket_exists():
            return
        region = self._client.meta.region_name
        location = {} if region in (None, "us-east-1") else {"LocationConstraint": region}
        params = {"CreateBucketConfiguration": location} if location else {}
        try:
            await self._client.create_bucket(Bucket=self._bucket, **params)
        except FAILURES as error:
            if error_code(error) != "BucketAlreadyOwnedByYou":
                raise as_domain_error("create_bucket", None, error) from error
        try:
            await self._client.put_public_access_block(
                Bucket=self._bucket, PublicAccessBlockConfiguration=_PRIVATE
            )
        except FAILURES as error:
            # Some S3-compatible servers lack the call; their new buckets are private anyway.
            _log.warning("s3_public_access_block_failed", bucket=self._bucket, error=repr(error))

    async def put(self, key: str, chunks: AsyncIterable[bytes], *, content_type: str) -> BlobInfo:
        check_blob_key(key)
        iterator = aiter(chunks)
        first, exhausted = await _read_part(iterator, self._part_size)
        if exhausted:
            await self._call("put_object", key, Body=first, ContentType=content_type)
            size = len(first)
        else:
            size = await self._multipart(key, first, iterator, content_type)
        return BlobInfo(key=key, size=size, content_type=content_type)

    def get(self, key: str) -> AsyncIterator[bytes]:
        return self._stream(check_blob_key(key))

    async def head(self, key: str) -> BlobInfo | None:
        try:
            response = await self._call("head_object", check_blob_key(key))
        except BlobNotFound:
            return None
        return BlobInfo(
            key=key,
            size=response["ContentLength"],
            content_type=response.get("ContentType", ""),
            modified_at=response.get("LastModified"),
        )

    async def delete(self, key: str) -> None:
        await self._call("delete_object", check_blob_key(key))

    def list(self, prefix: str) -> AsyncIterator[BlobInfo]:
        if prefix:
            check_blob_key(prefix.removesuffix("/"))
        return self._list(prefix)

    async def signed_url(
        self, key: str, *, content_type: str, disposition: str, expires_in: timedelta
    ) -> str:
        check_blob_key(key)
        _check_signed_url_request(expires_in, content_type, disposition)
        params = {
            "Bucket": self._bucket,
            "Key": key,
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
        }
        try:
            url: str = await self._client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=math.ceil(expires_in.total_seconds())
            )
        except FAILURES as error:
            raise as_domain_error("generate_presigned_url", key, error) from error
        return url

    async def _call(self, operation: str, key: str, **params: Any) -> dict[str, Any]:
        method = getattr(self._client, operation)
        try:
            response: dict[str, Any] = await method(Bucket=self._bucket, Key=key, **params)
        except FAILURES as error:
            raise as_domain_error(operation, key, error) from error
        return response

    async def _bucket_exists(self) -> bool:
        try:
            await self._client.head_bucket(Bucket=self._bucket)
        except FAILURES as error:
            if is_missing_bucket(error):
                return False
            raise as_domain_error("head_bucket", None, error) from error
        return True

    async def _multipart(
        self, key: str, first: bytes, rest: AsyncIterator[bytes], content_type: str
    ) -> int:
        upload = await self._call("create_multipart_upload", key, ContentType=content_type)
        upload_id = upload["UploadId"]
        try:
            parts, size = await self._upload_parts(key, upload_id, first, rest)
            await self._call(
                "complete_multipart_upload",
                key,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
        except BaseException:
            await self._abort(key, upload_id)
            raise
        return size

    async def _upload_parts(
        self, key: str, upload_id: str, part: bytes, rest: AsyncIterator[bytes]
    ) -> tuple[_Parts, int]:
        parts: _Parts = []
        size = 0
        while part:
            number = len(parts) + 1
            uploaded = await self._call(
                "upload_part", key, UploadId=upload_id, PartNumber=number, Body=part
            )
            parts.append({"ETag": uploaded["ETag"], "PartNumber": number})
            size += len(part)
            part, _ = await _read_part(rest, self._part_size)
        return parts, size

    async def _abort(self, key: str, upload_id: str) -> None:
        try:
            await self._call("abort_multipart_upload", key, UploadId=upload_id)
        except (StorageUnavailable, BlobNotFound) as error:
            # The parts stay billed until a lifecycle rule removes them; say so loudly.
            _log.warning("s3_multipart_abort_failed", key=key, error=error.detail)

    async def _stream(self, key: str) -> AsyncIterator[bytes]:
        body = (await self._call("get_object", key))["Body"]
        try:
            while chunk := await body.read(_CHUNK_SIZE):
                yield chunk
        except FAILURES as error:
            raise as_domain_error("get_object", None, error) from error
        finally:
            body.close()

    async def _list(self, prefix: str) -> AsyncIterator[BlobInfo]:
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket, Prefix=prefix, PaginationConfig={"PageSize": self._page_size}
        )
        try:
            async for page in pages:
                for item in page.get("Contents", ()):
                    if _is_blob_key(item["Key"]):
                        yield BlobInfo(
                            key=item["Key"],
                            size=item["Size"],
                            content_type="",
                            modified_at=item.get("LastModified"),
                        )
        except FAILURES as error:
            raise as_domain_error("list_objects_v2", None, error) from error


async def _read_part(chunks: AsyncIterator[bytes], size: int) -> tuple[bytes, bool]:
    """At least `size` bytes from `chunks`, or all that is left; and whether they ran out."""
    buffer = bytearray()
    while len(buffer) < size:
        chunk = await anext(chunks, None)
        if chunk is None:
            return bytes(buffer), True
        buffer += chunk
    return bytes(buffer), False


def _check_signed_url_request(expires_in: timedelta, *header_values: str) -> None:
    if not timedelta(0) < expires_in <= MAX_SIGNED_URL_LIFETIME:
        raise ValueError(
            f"a signed URL lives at most {MAX_SIGNED_URL_LIFETIME.seconds} s, not {expires_in}"
        )
    for value in header_values:
        if not value or not all(" " <= c <= "~" for c in value):
            raise ValueError(f"header value must be printable ASCII with no linefeed: {value!r}")


def _is_blob_key(key: str) -> bool:
    """Skip objects that this service did not write (a shared bucket, a console upload)."""
    try:
        check_blob_key(key)
    except InvalidBlobKey:
        return False
    return True
