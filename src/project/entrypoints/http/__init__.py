"""The HTTP API (Litestar)."""

from project.entrypoints.http.app import create_app

__all__ = ["create_app"]
