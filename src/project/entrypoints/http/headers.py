"""Security headers on every response, errors and 404s included (S29 basics).

Added in a `before_send` hook, which wraps the app's `send` itself, so no response path
(router 404/405, middleware errors, handlers) can skip them.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

API_CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
# The interactive API reference (Scalar) loads its script, styles and fonts from a CDN.
_CDN = "https://cdn.jsdelivr.net"
DOCS_CSP = (
    f"default-src 'self'; script-src 'self' {_CDN}; "
    f"style-src 'self' 'unsafe-inline' {_CDN} https://fonts.googleapis.com; "
    f"font-src 'self' data: {_CDN} https://fonts.gstatic.com https://fonts.scalar.com; "
    f"img-src 'self' data: {_CDN}; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
# Stored files (snapshots above all) are hostile content: no script, no plugins, no forms,
# an opaque origin (`sandbox`), embeddable only by the app itself (S24).
BLOB_CSP = (
    "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
)
BLOB_PREFIX = "/blobs/"
HSTS = "max-age=31536000; includeSubDomains"
NO_STORE = "no-store"

_FIXED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
}


def security_headers(docs_path: str) -> BeforeMessageSendHookHandler:
    """The `before_send` hook; `docs_path` gets the looser CSP its HTML pages need."""
    docs_prefix = docs_path.rstrip("/")

    async def add_security_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in _FIXED.items():
            headers[name] = value
        path = scope.get("path", "")
        is_docs = path == docs_prefix or path.startswith(docs_prefix + "/")
        if path.startswith(BLOB_PREFIX):
            headers["content-security-policy"] = BLOB_CSP
        else:
            headers["content-security-policy"] = DOCS_CSP if is_docs else API_CSP
        if scope.get("scheme") == "https":
            headers["strict-transport-security"] = HSTS
        # Authenticated answers are never stored; others unless the handler chose a policy.
        if scope.get("user") is not None or "cache-control" not in headers:
            headers["cache-control"] = NO_STORE

    return add_security_headers
