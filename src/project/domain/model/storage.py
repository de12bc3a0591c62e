"""The per-user storage quota (S23): how many bytes of archives each user may keep.

A bookmark's archive is its snapshot, preview and favicon; the bytes they take are recorded
on the bookmark, so a user's usage is the sum over their bookmarks, deleting a bookmark frees
its bytes, and archiving a page again replaces its old bytes instead of adding to them.
"""

from __future__ import annotations

import msgspec

from project.domain.model.errors import InvalidInput, StorageQuotaExceeded

MIB = 1024 * 1024


def mib(size: int) -> str:
    """`1572864` -> `1.5`: bytes as MiB to one decimal, without a trailing `.0`."""
    return f"{size / MIB:.1f}".removesuffix(".0")


class StorageUsage(msgspec.Struct, frozen=True, kw_only=True):
    used_bytes: int
    quota_bytes: int | None  # None: unlimited


class StorageQuota(msgspec.Struct, frozen=True):
    """At most `limit_bytes` of archives per user; None is no limit."""

    limit_bytes: int | None = None

    def __post_init__(self) -> None:
        if self.limit_bytes is not None and self.limit_bytes <= 0:
            raise InvalidInput("A storage quota is a positive number of bytes (or none).")

    @property
    def unlimited(self) -> bool:
        return self.limit_bytes is None

    def usage(self, used_bytes: int) -> StorageUsage:
        return StorageUsage(used_bytes=used_bytes, quota_bytes=self.limit_bytes)

    def admit(self, *, used: int, replacing: int, adding: int) -> None:
        """Refuse to store `adding` bytes in place of `replacing` (the bookmark's archive so
        far) when that would take the owner, who uses `used` now, past the quota."""
        if self.limit_bytes is None or used - replacing + adding <= self.limit_bytes:
            return
        raise StorageQuotaExceeded(
            f"Storage quota exceeded: {mib(used)} MiB of {mib(self.limit_bytes)} MiB used, "
            f"and this page needs {mib(adding)} MiB.",
            used_bytes=used,
            quota_bytes=self.limit_bytes,
        )


UNLIMITED = StorageQuota()
