"""Prometheus metrics at `/metrics` (issue 7): request latency by route, the database pool,
the cache hit ratio and the archive jobs by state (queue depth and outcomes).

Request metrics come from Litestar's Prometheus middleware, labelled by route template (not
raw path, so ids do not explode the label set). The gauges are read when scraped. With
several uvicorn workers, PROMETHEUS_MULTIPROC_DIR makes the workers' counters add up.

The route is open only to the networks of PROJECT_METRICS_ALLOWED_NETWORKS (loopback by
default), judged by the socket peer: behind nginx, deny `/metrics` there or keep the proxy
off the list.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any

from litestar import Request, Response, get
from litestar.plugins.prometheus import PrometheusConfig
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    generate_latest,
    multiprocess,
)

from project.domain.model.errors import NotFound
from project.entrypoints.http.authentication import PUBLIC
from project.entrypoints.library import Project
from project.entrypoints.settings import Settings

PATH = "/metrics"

DB_POOL_CHECKED_OUT = Gauge(
    "project_db_pool_checked_out", "Database connections in use by this process"
)
DB_POOL_SIZE = Gauge("project_db_pool_size", "Database connections held open by this process")
ARCHIVE_JOBS = Gauge("project_archive_jobs", "Archive jobs by state", ["state"])
CACHE_REQUESTS = Counter("project_cache_requests", "Cache reads by result", ["result"])


def config() -> PrometheusConfig:
    return PrometheusConfig(
        app_name="project",
        prefix="project",
        group_path=True,
        exclude=[PATH, "/health/"],
    )


@get(PATH, **PUBLIC, include_in_schema=False)
async def metrics(request: Request[Any, Any, Any]) -> Response[bytes]:
    project: Project = request.app.state.project
    client = request.client.host if request.client else ""
    if not _allowed(client, project.settings):
        raise NotFound("No such page.")  # nothing says that metrics live here
    await _refresh_gauges(project)
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return Response(
        generate_latest(registry),
        media_type=CONTENT_TYPE_LATEST,
        headers={"content-type": CONTENT_TYPE_LATEST},
    )


def _allowed(client: str, settings: Settings) -> bool:
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    return any(address in network for network in settings.metrics_networks())


async def _refresh_gauges(project: Project) -> None:
    pool: Any = project.container.engine().pool
    if hasattr(pool, "checkedout"):
        DB_POOL_CHECKED_OUT.set(pool.checkedout())
        DB_POOL_SIZE.set(pool.size())
    report = await project.archive.status(owner_id=None)
    for state, count in report.counts.items():
        ARCHIVE_JOBS.labels(state=str(state)).set(count)
