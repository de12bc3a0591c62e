"""Liveness (the process answers) and readiness (its dependencies answer)."""

from __future__ import annotations

import structlog
from litestar import Controller, get
from litestar.di import NamedDependency

from project.entrypoints.http.authentication import PUBLIC
from project.entrypoints.http.openapi import problem_response
from project.entrypoints.http.problems import service_unavailable
from project.entrypoints.http.schemas.health import Health
from project.entrypoints.library import Project

_log = structlog.get_logger(__name__)


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get("/live", **PUBLIC)
    async def live(self) -> Health:
        return Health(status="ok", checks={})

    @get("/ready", **PUBLIC, responses={503: problem_response("A dependency is down.")})
    async def ready(self, project: NamedDependency[Project]) -> Health:
        try:
            await project.check_database()
        except Exception as error:
            # The type only: driver messages can carry hosts and user names.
            _log.warning("health_database_unavailable", error=type(error).__name__)
            raise service_unavailable(
                "The database is unavailable.", database="unavailable"
            ) from None
        return Health(status="ok", checks={"database": "ok"})
