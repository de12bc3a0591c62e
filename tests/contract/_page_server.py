"""Real HTTP(S) servers on loopback for the page fetcher's contract tests (http.server threads).

A `PageServer` answers the routes below and records every connection it accepts and every
request it reads; the canary is a `PageServer` that nothing may ever reach.

    /echo                  200 JSON: the Host header, the local address, the request headers
    /page                  200 HTML in ISO-8859-1 (charset in Content-Type)
    /pdf                   200 application/pdf
    /redirect/N            302 to /redirect/N-1 (relative) down to /redirect/1, which goes to
                           /echo: N redirects in all
    /loop                  302 to itself
    /to?url=U&status=S     S (default 302) to U
    /cookie                302 to /echo, setting a cookie
    /status/N?retry_after  status N, with Retry-After when given
    /slow?seconds=S        200, then one byte every 50 ms for S seconds
    /wait?seconds=S&tag=T  200 after S seconds; records how many requests of tag T overlapped
    /endless               200, bytes until the client goes away
    /big                   200 declaring 50 MiB, sending 1 KiB
"""

from __future__ import annotations

import json
import ssl
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

PAGE_HTML = "<html><head><title>Café</title></head><body>Déjà vu</body></html>"
PDF_BODY = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
_CHUNK = b"x" * 65536


@dataclass
class Record:
    """What a server saw; read from the test's thread, written from the server's."""

    connections: list[tuple[str, int]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)  # TLS SNI
    in_flight: Counter[str] = field(default_factory=Counter)
    most_in_flight: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def enter(self, tag: str) -> None:
        with self.lock:
            self.in_flight[tag] += 1
            self.in_flight["*"] += 1
            for key in (tag, "*"):
                self.most_in_flight[key] = max(self.most_in_flight[key], self.in_flight[key])

    def leave(self, tag: str) -> None:
        with self.lock:
            self.in_flight[tag] -= 1
            self.in_flight["*"] -= 1

    def clear(self) -> None:
        with self.lock:
            self.connections.clear()
            self.requests.clear()
            self.server_names.clear()
            self.in_flight.clear()
            self.most_in_flight.clear()


class PageServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(
        self, host: str, port: int, tls: ssl.SSLContext | None = None, keep_alive: bool = False
    ) -> None:
        super().__init__((host, port), _KeepAliveHandler if keep_alive else _Handler)
        self.record = Record()
        if tls is not None:
            tls.sni_callback = self._remember_server_name
            self.socket = tls.wrap_socket(self.socket, server_side=True)

    @property
    def host(self) -> str:
        return str(self.server_address[0])

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def verify_request(self, request: Any, client_address: Any) -> bool:
        with self.record.lock:
            self.record.connections.append(client_address)
        return True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up mid-body are expected here; stay quiet."""

    def _remember_server_name(self, _sock: Any, name: str | None, _context: Any) -> None:
        with self.record.lock:
            self.record.server_names.append(name)


class _Handler(BaseHTTPRequestHandler):
    server: PageServer
    protocol_version = "HTTP/1.0"  # one request per connection: every request is a connection

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        with self.server.record.lock:
            self.server.record.requests.append({"path": self.path, "headers": dict(self.headers)})
        route, _, rest = parts.path.strip("/").partition("/")
        handler = getattr(self, f"_route_{route or 'echo'}", None)
        if handler is None:
            self._send(404, b"not found", "text/plain")
        else:
            handler(rest, query)

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, status: int = 302, **headers: str) -> None:
        self._send(status, b"", "text/plain", Location=location, **headers)

    def _route_echo(self, _rest: str, _query: dict[str, str]) -> None:
        seen = {
            "host": self.headers.get("Host"),
            "local": self.connection.getsockname()[0],
            "headers": {name.lower(): value for name, value in self.headers.items()},
        }
        self._send(200, json.dumps(seen).encode(), "application/json")

    def _route_page(self, _rest: str, _query: dict[str, str]) -> None:
        self._send(200, PAGE_HTML.encode("latin-1"), 'text/html; charset="ISO-8859-1"')

    def _route_pdf(self, _rest: str, _query: dict[str, str]) -> None:
        self._send(200, PDF_BODY, "Application/PDF")

    def _route_redirect(self, rest: str, _query: dict[str, str]) -> None:
        left = int(rest or "1")
        self._redirect(f"/redirect/{left - 1}" if left > 1 else "/echo")

    def _route_loop(self, _rest: str, _query: dict[str, str]) -> None:
        self._redirect("/loop")

    def _route_to(self, _rest: str, query: dict[str, str]) -> None:
        self._redirect(query["url"], int(query.get("status", "302")))

    def _route_cookie(self, _rest: str, _query: dict[str, str]) -> None:
        self._redirect("/echo", Set_Cookie="session=secret-cookie; Path=/")

    def _route_status(self, rest: str, query: dict[str, str]) -> None:
        headers = {"Retry_After": query["retry_after"]} if "retry_after" in query else {}
        self._send(int(rest), b"status", "text/plain", **headers)

    def _route_slow(self, _rest: str, query: dict[str, str]) -> None:
        self._stream(int(float(query.get("seconds", "5")) / 0.05), b"x", pause=0.05)

    def _route_endless(self, _rest: str, _query: dict[str, str]) -> None:
        self._stream(4096, _CHUNK)  # 256 MiB at most, should the client never stop

    def _route_big(self, _rest: str, _query: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(50 * 1024 * 1024))
        self.end_headers()
        self.wfile.write(b"x" * 1024)

    def _route_wait(self, _rest: str, query: dict[str, str]) -> None:
        tag = query.get("tag", "")
        self.server.record.enter(tag)
        try:
            time.sleep(float(query.get("seconds", "0.3")))
        finally:
            self.server.record.leave(tag)
        self._send(200, tag.encode(), "text/plain")

    def _stream(self, chunks: int, chunk: bytes, pause: float = 0.0) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        try:
            for _ in range(chunks):
                self.wfile.write(chunk)
                self.wfile.flush()
                if pause:
                    time.sleep(pause)
        except OSError:
            return  # the client hung up, as it should


class _KeepAliveHandler(_Handler):
    """HTTP/1.1: a connection stays open for the next request until the client closes it
    (only routes that send a Content-Length make sense here)."""

    protocol_version = "HTTP/1.1"


@contextmanager
def serving(
    host: str = "127.0.0.1",
    port: int = 0,
    tls: ssl.SSLContext | None = None,
    keep_alive: bool = False,
) -> Iterator[PageServer]:
    """A `PageServer` on `host:port` (0: any free port) in a thread until the block ends."""
    server = PageServer(host, port, tls, keep_alive)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass(frozen=True)
class TlsFiles:
    certificate: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.certificate, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))


def make_certificate(directory: Path, name: str) -> TlsFiles:
    """A throwaway self-signed certificate for the DNS name `name` only (openssl CLI)."""
    files = TlsFiles(directory / "cert.pem", directory / "key.pem")
    subprocess.run(
        [
            "openssl", "req", "-x509", "-nodes", "-days", "1", "-subj", f"/CN={name}",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-addext", f"subjectAltName=DNS:{name}",
            "-keyout", str(files.key), "-out", str(files.certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return files
