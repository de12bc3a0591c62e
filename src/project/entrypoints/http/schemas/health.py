"""Liveness and readiness answers."""

from __future__ import annotations

from project.entrypoints.http.schemas._base import OutBody


class Health(OutBody):
    status: str
    checks: dict[str, str]
