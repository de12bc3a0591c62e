"""What handlers receive through Litestar's own dependency injection.

The `Project` lives on `app.state` (put there by the lifespan); each service is offered
under one name, and a handler asks for it with an explicit marker:
`auth: NamedDependency[AuthenticationService]`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from project.domain.model.context import Context
from project.domain.model.principal import Principal
from project.domain.services.accounts import AccountService
from project.domain.services.administration import AdministrationService
from project.domain.services.api_tokens import ApiTokenService
from project.domain.services.audit_trail import AuditTrailService
from project.domain.services.authentication import AuthenticationService
from project.domain.services.bookmarks import BookmarkService
from project.domain.services.collections import CollectionService
from project.domain.services.exports import ExportService
from project.domain.services.imports import ImportJobService
from project.domain.services.passwords import PasswordService
from project.domain.services.search import SearchService
from project.domain.services.second_factor import SecondFactorService
from project.domain.services.sessions import SessionService
from project.domain.services.smart_lists import SmartListService
from project.domain.services.tags import TagService
from project.entrypoints.http.authentication import principal_of
from project.entrypoints.library import Project


def provide_project(state: State) -> Project:
    project: Project = state.project
    return project


def provide_auth(project: NamedDependency[Project]) -> AuthenticationService:
    return project.auth


def provide_sessions(project: NamedDependency[Project]) -> SessionService:
    return project.sessions


def provide_passwords(project: NamedDependency[Project]) -> PasswordService:
    return project.passwords


def provide_accounts(project: NamedDependency[Project]) -> AccountService:
    return project.accounts


def provide_admin(project: NamedDependency[Project]) -> AdministrationService:
    return project.admin


def provide_tokens(project: NamedDependency[Project]) -> ApiTokenService:
    return project.tokens


def provide_audit(project: NamedDependency[Project]) -> AuditTrailService:
    return project.audit


def provide_second_factor(project: NamedDependency[Project]) -> SecondFactorService:
    return project.second_factor


def provide_bookmarks(project: NamedDependency[Project]) -> BookmarkService:
    return project.bookmarks


def provide_search(project: NamedDependency[Project]) -> SearchService:
    return project.search


def provide_tags(project: NamedDependency[Project]) -> TagService:
    return project.tags


def provide_collections(project: NamedDependency[Project]) -> CollectionService:
    return project.collections


def provide_smart_lists(project: NamedDependency[Project]) -> SmartListService:
    return project.smart_lists


def provide_import_jobs(project: NamedDependency[Project]) -> ImportJobService:
    return project.import_jobs


def provide_exports(project: NamedDependency[Project]) -> ExportService:
    return project.exports


def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    return principal_of(request.scope.get("user"))


def provide_ctx(request: Request[Any, Any, Any]) -> Context:
    """Where the call came from. The socket peer only: proxies are trusted in a later step."""
    client = request.client
    return Context(
        ip=client.host if client else "",
        user_agent=request.headers.get("user-agent", ""),
    )


def dependencies() -> dict[str, Provide]:
    providers: dict[str, Callable[..., Any]] = {
        "project": provide_project,
        "auth": provide_auth,
        "sessions": provide_sessions,
        "passwords": provide_passwords,
        "accounts": provide_accounts,
        "admin": provide_admin,
        "tokens": provide_tokens,
        "audit": provide_audit,
        "mfa": provide_second_factor,
        "bookmarks": provide_bookmarks,
        "search": provide_search,
        # Not "tags": Litestar 2 takes an invalid body field named like a dependency for a
        # failing dependency and answers 500 (`BookmarkIn.tags`; B10 found it).
        "tagging": provide_tags,
        "collections": provide_collections,
        "smart_lists": provide_smart_lists,
        "import_jobs": provide_import_jobs,
        "exports": provide_exports,
        "principal": provide_principal,
        "ctx": provide_ctx,
    }
    return {name: Provide(fn, sync_to_thread=False) for name, fn in providers.items()}
