"""botocore failures as domain errors: a missing object is BlobNotFound, the rest is retryable."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from project.domain.model.errors import BlobNotFound, StorageUnavailable

# What a call can raise when the service misbehaves or cannot be reached (aiohttp's connection
# errors are OSErrors; a read that times out may surface as the builtin TimeoutError).
FAILURES = (BotoCoreError, ClientError, OSError, TimeoutError)
_MISSING_OBJECT = frozenset({"NoSuchKey", "404", "NotFound"})
_MISSING_BUCKET = frozenset({"NoSuchBucket", "404", "NotFound"})


def error_code(error: BaseException) -> str | None:
    if isinstance(error, ClientError):
        code: str | None = error.response.get("Error", {}).get("Code")
        return code
    return None


def is_missing_bucket(error: BaseException) -> bool:
    return error_code(error) in _MISSING_BUCKET


def as_domain_error(operation: str, key: str | None, error: BaseException) -> Exception:
    """BlobNotFound for a missing object, StorageUnavailable for any other failure."""
    code = error_code(error)
    if key is not None and code in _MISSING_OBJECT:
        return BlobNotFound(f"No stored object at {key!r}.")
    reason = code or type(error).__name__
    return StorageUnavailable(f"S3 {operation} failed: {reason}.")
