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
        """Every backing service in use answers; a 503 names the ones that do not (R2)."""
        checks = await project.readiness()
        down = sorted(name for name, state in checks.items() if state != "ok")
        if down:
            _log.warning("health_dependency_unavailable", down=down)
            raise service_unavailable(f"Unavailable: {', '.join(down)}.", **checks)
        return Health(status="ok", checks=checks)
