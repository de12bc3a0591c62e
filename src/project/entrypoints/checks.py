"""Connectivity checks of the backing services, for `/health/ready` and `project doctor`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from project.entrypoints.container import Container

CHECK_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    ok: bool
    # Where the service is and what went wrong, for operators; never a secret.
    target: str
    detail: str


async def run_checks(container: Container) -> list[CheckResult]:
    """Check every backing service the configuration uses, concurrently."""
    checks = _checks(container)
    return list(
        await asyncio.gather(*(_run(name, target, check) for name, target, check in checks))
    )


async def dependency_checks(container: Container) -> dict[str, str]:
    return {
        result.name: "ok" if result.ok else "unavailable" for result in await run_checks(container)
    }


def _checks(container: Container) -> list[tuple[str, str, Callable[[], Awaitable[None]]]]:
    from project.adapters.sql import check_database, mask_url

    settings = container.settings()
    checks: list[tuple[str, str, Callable[[], Awaitable[None]]]] = [
        (
            "database",
            mask_url(settings.resolved_database_url),
            lambda: check_database(container.engine()),
        )
    ]
    if settings.uses_redis:
        from project.adapters.redis import check_redis

        checks.append(
            ("redis", _mask(settings.redis_url or ""), lambda: check_redis(container.redis()))
        )
    if settings.uses_s3:
        target = f"s3://{settings.s3_bucket} at {settings.s3_endpoint_url or 'AWS'}"
        checks.append(("s3", target, lambda: container.blobs().check_bucket()))
    else:
        checks.append(("files", str(settings.blob_dir), lambda: container.blobs().check_writable()))
    return checks


async def _run(name: str, target: str, check: Callable[[], Awaitable[None]]) -> CheckResult:
    try:
        await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
    except TimeoutError:
        return CheckResult(name, False, target, f"no answer within {CHECK_TIMEOUT_SECONDS:.0f} s")
    except Exception as error:
        return CheckResult(name, False, target, _describe(error))
    return CheckResult(name, True, target, "ok")


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split())[:200]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _mask(url: str) -> str:
    """A Redis URL without its password."""
    if "@" not in url:
        return url
    scheme, _, rest = url.partition("://")
    return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
