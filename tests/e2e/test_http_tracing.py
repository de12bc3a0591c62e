"""Optional OpenTelemetry tracing: off by default, one span per request named by its route
when PROJECT_OTEL_ENABLED (the host program's tracer provider receives it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import AsyncTestClient
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from project.entrypoints.settings import Settings
from tests.e2e._http_kit import make_app

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """The process's SDK tracer provider (set once per process), with a fresh recorder."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()


async def test_tracing_is_off_by_default(
    app_settings: Settings, spans: InMemorySpanExporter
) -> None:
    async with AsyncTestClient(app=make_app(app_settings)) as client:
        assert (await client.get("/api/v1/me")).status_code == 401
    assert spans.get_finished_spans() == ()


async def test_tracing_on_gives_a_span_per_request_named_by_its_route(
    app_settings: Settings, spans: InMemorySpanExporter
) -> None:
    app_settings.otel_enabled = True
    async with AsyncTestClient(app=make_app(app_settings)) as client:
        assert (
            await client.get("/api/v1/bookmarks/0190a0a0-0000-7000-8000-000000000000")
        ).status_code == 401
        assert (await client.get("/health/live")).status_code == 200
    names = {span.name for span in spans.get_finished_spans()}
    assert any("/api/v1/bookmarks/{bookmark_id}" in name for name in names), names
    assert not any("/health/" in name for name in names), names
