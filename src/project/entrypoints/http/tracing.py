"""Optional OpenTelemetry tracing (issue 7), off unless PROJECT_OTEL_ENABLED.

When on, Litestar's OpenTelemetry middleware opens a span per request (named by route
template); spans go to the tracer provider the host program already set up, or else to an
OTLP/HTTP exporter configured by the standard OTEL_EXPORTER_OTLP_* variables. The packages
come with the `otel` extra (`pip install 'project[otel]'`), so a default install has none.
"""

from __future__ import annotations

from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

from project.entrypoints.settings import Settings, SettingsError

SERVICE_NAME = "project"
UNTRACED = ["/health/", "/metrics"]


def plugins(settings: Settings) -> list[Any]:
    if not settings.otel_enabled:
        return []
    try:
        from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
    except ImportError:  # litestar's plugin imports the opentelemetry packages
        raise SettingsError(
            "PROJECT_OTEL_ENABLED needs the tracing packages: pip install 'project[otel]'."
        ) from None
    config = OpenTelemetryConfig(tracer_provider=_provider(), exclude=UNTRACED)
    return [OpenTelemetryPlugin(config)]


def middleware(settings: Settings) -> list[Any]:
    """Renames each request's span after its route template once routing knows it (the
    OpenTelemetry middleware opens the span before routing, named by the raw path)."""
    return [_name_span_by_route] if settings.otel_enabled else []


def _name_span_by_route(app: ASGIApp) -> ASGIApp:
    from opentelemetry import trace

    async def named(scope: Scope, receive: Receive, send: Send) -> None:
        template = scope.get("path_template")
        span = trace.get_current_span()
        if template and span.is_recording():
            route = f"{scope.get('method', '')} {template}"
            span.update_name(route)
            span.set_attribute("http.route", template)
        await app(scope, receive, send)

    return named


def _provider() -> Any:
    from opentelemetry import trace
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current  # the host program's (or a test's) own set-up wins
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    except ImportError:
        raise SettingsError(
            "PROJECT_OTEL_ENABLED needs the OTLP exporter: pip install 'project[otel]'."
        ) from None
    provider = TracerProvider(resource=Resource.create({"service.name": SERVICE_NAME}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider
