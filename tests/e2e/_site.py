"""A small website on loopback for the archiving tests: an article with Open Graph tags and
real images, redirects, and a canary listener that records every connection it gets."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image

BODY_WORD = "zanzibarite"


def _png(size: tuple[int, int], color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


ARTICLE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Plain title</title>
<meta property="og:title" content="The Open Graph title">
<meta property="og:description" content="What the article is about.">
<meta property="og:site_name" content="Loopback Times">
<meta property="og:image" content="/preview.png">
<link rel="icon" href="/favicon.png">
</head><body><nav>Home About</nav><article><h1>The Open Graph title</h1>
<p>Archiving keeps a page readable after it disappears. The rare mineral {BODY_WORD} was
found in a quarry, and this paragraph is long enough for an extractor to keep it as the main
text of the article rather than boilerplate around it.</p>
<p>A second paragraph adds words, so the article has a body worth reading and indexing.</p>
</article><footer>Copyright footer</footer></body></html>""".encode()
# The article with 600 KiB of comment: two of them do not fit a 1 MiB storage quota.
HEAVY_ARTICLE = ARTICLE.replace(b"</body>", b"<!--" + b"x" * (600 * 1024) + b"--></body>")


class _Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        self.server.hits.append(path)
        if path == "/article":
            self._send(200, ARTICLE, "text/html; charset=utf-8")
        elif path.startswith("/heavy/"):
            self._send(200, HEAVY_ARTICLE, "text/html; charset=utf-8")
        elif path == "/preview.png":
            self._send(200, _png((1200, 630), (200, 30, 30)), "image/png")
        elif path == "/favicon.png":
            self._send(200, _png((32, 32), (30, 30, 200)), "image/png")
        elif path == "/to-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "/to-canary":
            self._redirect(f"http://127.0.0.1:{self.server.canary_port}/")
        elif path.startswith("/slow/"):
            time.sleep(self.server.slow_seconds)  # long enough to kill a worker mid-job
            self._send(200, ARTICLE, "text/html; charset=utf-8")
        elif path in ("/flaky", "/busy"):
            # The first visit fails (500, or 429 with Retry-After), later ones work.
            if self.server.hits.count(path) == 1:
                if path == "/busy":
                    self._send(429, b"slow down", "text/plain", retry_after="1")
                else:
                    self._send(500, b"oops", "text/plain")
            else:
                self._send(200, ARTICLE, "text/html; charset=utf-8")
        elif path == "/gone":
            self._send(404, b"no", "text/plain")
        else:
            self._send(404, b"no", "text/plain")

    def _send(
        self, status: int, body: bytes, content_type: str, retry_after: str | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if retry_after is not None:
            self.send_header("Retry-After", retry_after)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, canary_port: int = 0) -> None:
        super().__init__((host, 0), _Handler)
        self.hits: list[str] = []
        self.canary_port = canary_port
        self.slow_seconds = 2.0

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self, path: str) -> str:
        return f"http://{self.server_address[0]}:{self.port}{path}"


@dataclass
class Canary:
    """A listener that must never be reached: it counts connections and answers nothing."""

    port: int
    connections: list[tuple[str, int]] = field(default_factory=list)


@contextmanager
def serving(host: str = "127.0.0.1", canary_port: int = 0) -> Iterator[Site]:
    site = Site(host, canary_port)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.shutdown()
        site.server_close()


@contextmanager
def canary() -> Iterator[Canary]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    bird = Canary(port=listener.getsockname()[1])
    running = True

    def accept() -> None:
        while running:
            try:
                connection, peer = listener.accept()
            except (TimeoutError, OSError):
                continue
            bird.connections.append(peer)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield bird
    finally:
        running = False
        thread.join(timeout=2)
        listener.close()
