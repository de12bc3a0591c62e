"""Observability of a real server (issue 7): Prometheus metrics by route template, pool and
job gauges, open only to the configured networks; request ids on responses and log lines."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from tests.e2e.cli._server import Server

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is borrowed here
    from conftest import MakeCli

PASSWORD = "a long passphrase 123"


def _sign_in(http: httpx.Client) -> dict[str, str]:
    body = {"email": "ann@example.com", "password": PASSWORD}
    assert http.post("/api/v1/auth/register", json=body).status_code == 201
    pair: dict[str, str] = http.post("/api/v1/auth/login", json=body).json()
    return {"Authorization": f"Bearer {pair['access_token']}"}


def test_metrics_count_requests_by_route_template_and_show_pool_and_jobs(
    make_cli: MakeCli, tmp_path: Path
) -> None:
    # No worker runs: the job of the saved bookmark stays pending.
    running = Server(make_cli(PROJECT_WORKER_IN_APP="false"), tmp_path)
    try:
        running.wait_ready()
        with httpx.Client(base_url=running.base, timeout=10) as http:
            headers = _sign_in(http)
            made = http.post(
                "/api/v1/bookmarks", json={"url": "https://a.example/"}, headers=headers
            )
            bookmark_id = made.json()["id"]
            for _ in range(3):
                assert http.get(f"/api/v1/bookmarks/{bookmark_id}", headers=headers).is_success
            scraped = http.get("/metrics")
        running.stop()
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    text = scraped.text
    # Labelled by the route template, never by the id in the path.
    template = r'path="/api/v1/bookmarks/\{bookmark_id\}"'
    counted = [line for line in text.splitlines() if re.search(template, line)]
    totals = [line for line in counted if line.startswith("project_requests_total")]
    assert [line.rsplit(" ", 1)[1] for line in totals] == ["3.0"], text
    assert bookmark_id not in text
    assert "project_request_duration_seconds_bucket" in text
    assert re.search(r"^project_db_pool_checked_out ", text, re.MULTILINE)
    assert re.search(r'^project_archive_jobs\{state="pending"\} 1\.0$', text, re.MULTILINE), text


def test_metrics_are_not_found_from_a_network_not_on_the_list(
    make_cli: MakeCli, tmp_path: Path
) -> None:
    running = Server(make_cli(PROJECT_METRICS_ALLOWED_NETWORKS="10.0.0.0/8"), tmp_path)
    try:
        running.wait_ready()
        answer = httpx.get(f"{running.base}/metrics", timeout=10)
        running.stop()
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_request_ids_are_echoed_or_made_and_tag_every_log_line_with_the_user(
    make_cli: MakeCli, tmp_path: Path
) -> None:
    running = Server(make_cli(PROJECT_LOG_JSON="true"), tmp_path)
    try:
        running.wait_ready()
        with httpx.Client(base_url=running.base, timeout=10) as http:
            headers = _sign_in(http)
            me = http.get("/api/v1/me", headers=headers).json()
            given = http.post(
                "/api/v1/auth/logout", headers={**headers, "X-Request-ID": "edge-42.a_b"}
            )
            made = http.get("/health/live", headers={"X-Request-ID": "no spaces, please"})
        running.stop()
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()
    assert given.headers["x-request-id"] == "edge-42.a_b"
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    events = [
        json.loads(line) for line in running.stderr.read_text().splitlines() if line.startswith("{")
    ]
    [revoked] = [event for event in events if event["event"] == "session_revoked"]
    assert revoked["request_id"] == "edge-42.a_b"
    assert revoked["user_id"] == me["id"]
