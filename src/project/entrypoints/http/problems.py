"""Every error the HTTP app answers, as RFC 9457 problem+json, mapped in this one module (S18).

A problem has `type`, `title`, `status`, `detail` and our `code`; validation problems add an
`errors` list. Domain errors keep their own detail (it was written for the caller); anything
unexpected becomes a generic 500 whose cause is logged here and never sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

import structlog
from litestar.exceptions import HTTPException, ValidationException
from litestar.plugins.problem_details import (
    ProblemDetailsConfig,
    ProblemDetailsException,
    ProblemDetailsPlugin,
)
from litestar.types import Scope

from project.domain.model.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    DuplicateBookmark,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    RateLimited,
    StorageUnavailable,
)

_log = structlog.get_logger(__name__)

TYPE_PREFIX = "urn:project:problem:"
CHALLENGE = {"WWW-Authenticate": "Bearer"}

# Most specific first: the first family an error belongs to decides its status.
_DOMAIN_STATUS: tuple[tuple[type[DomainError], HTTPStatus], ...] = (
    (InvalidInput, HTTPStatus.UNPROCESSABLE_ENTITY),
    (AuthenticationFailed, HTTPStatus.UNAUTHORIZED),
    (PermissionDenied, HTTPStatus.FORBIDDEN),
    (NotFound, HTTPStatus.NOT_FOUND),
    (Conflict, HTTPStatus.CONFLICT),
    (PreconditionFailed, HTTPStatus.PRECONDITION_FAILED),
    (RateLimited, HTTPStatus.TOO_MANY_REQUESTS),
    (StorageUnavailable, HTTPStatus.SERVICE_UNAVAILABLE),
)

_HTTP_CODES: Mapping[int, str] = {
    400: "bad_request",
    401: "authentication_failed",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    412: "precondition_failed",
    415: "unsupported_media_type",
    429: "too_many_requests",
    503: "service_unavailable",
}


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> ProblemDetailsException:
    """The exception that renders as one problem; raise it or return it from a mapper."""
    all_headers = dict(headers or {})
    if status == HTTPStatus.UNAUTHORIZED:
        all_headers.update(CHALLENGE)
    return ProblemDetailsException(
        status_code=status,
        type_=TYPE_PREFIX + code,
        title=HTTPStatus(status).phrase,
        detail=detail,
        headers=all_headers or None,
        extra={"code": code, **extra},
    )


def service_unavailable(detail: str, **checks: str) -> ProblemDetailsException:
    return problem(503, "service_unavailable", detail, checks=checks)


def unsupported_media_type(expected: str) -> ProblemDetailsException:
    return problem(415, "unsupported_media_type", f"Send the body as {expected}.")


def from_domain(error: DomainError) -> ProblemDetailsException:
    status = next(
        (code for family, code in _DOMAIN_STATUS if isinstance(error, family)),
        HTTPStatus.BAD_REQUEST,
    )
    if isinstance(error, DuplicateBookmark):
        return problem(status, error.code, error.detail, existing_id=str(error.existing_id))
    if isinstance(error, RateLimited):
        retry = {"Retry-After": str(error.retry_after_seconds)}
        return problem(status, error.code, error.detail, headers=retry)
    return problem(status, error.code, error.detail)


def from_http(error: HTTPException) -> ProblemDetailsException:
    status = error.status_code
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return _internal()
    code = _HTTP_CODES.get(status, "client_error")
    if isinstance(error, ValidationException):
        return problem(
            status,
            "validation_error",
            "The request does not match its schema.",
            headers=error.headers,
            errors=_validation_errors(error.extra),
        )
    detail = error.detail or HTTPStatus(status).phrase
    return problem(status, code, detail, headers=error.headers)


def from_unexpected(error: Exception) -> ProblemDetailsException:
    # Logged by `log_unexpected` with the request line; nothing of it goes to the client.
    if _database_unavailable(error):  # down or restarting (R3): a 503 at once, not a 500
        return service_unavailable("The database is unavailable; try again shortly.")
    return _internal()


# SQLSTATE classes of a database that is gone or going: 08 connection exception,
# 53 insufficient resources, 57P0x shutting down or starting up.
_OUTAGE_SQLSTATES = ("08", "53", "57P")


def _database_unavailable(error: BaseException) -> bool:
    """No working connection (refused, cut, server restarting), as opposed to a bug."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.filename is None:
            return True  # refused, reset, timed out
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_OUTAGE_SQLSTATES):
            return True
        if getattr(current, "connection_invalidated", False) is True:
            return True  # SQLAlchemy: the connection died under the statement
        current = current.__cause__ or current.__context__
    return False


async def log_unexpected(error: Exception, scope: Scope) -> None:
    """`after_exception` hook: record crashes with method and path (never headers or body)."""
    if isinstance(error, DomainError | HTTPException):
        return
    _log.error(
        "http_unhandled_exception",
        method=scope.get("method"),
        path=scope.get("path"),
        exc_info=error,
    )


def plugin() -> ProblemDetailsPlugin:
    return ProblemDetailsPlugin(
        ProblemDetailsConfig(
            exception_to_problem_detail_map={
                DomainError: from_domain,
                HTTPException: from_http,
                Exception: from_unexpected,
            }
        )
    )


def _internal() -> ProblemDetailsException:
    return problem(500, "internal_error", "The server failed to answer; try again later.")


def _validation_errors(extra: object) -> list[dict[str, str]]:
    if not isinstance(extra, Sequence):
        return []
    return [
        {key: str(item[key]) for key in ("source", "key", "message") if key in item}
        for item in extra
        if isinstance(item, Mapping)
    ]
