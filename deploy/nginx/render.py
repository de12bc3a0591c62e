#!/usr/bin/env python3
"""Render project.conf.template into an nginx site config (standard library only).

    python3 deploy/nginx/render.py                       # the `host` preset, on stdout
    python3 deploy/nginx/render.py --preset compose      # the compose.yaml one
    python3 deploy/nginx/render.py --set server_names=bookmarks.example.org \\
        --set upstreams=127.0.0.1:8001,127.0.0.1:8002,127.0.0.1:8003 > project.conf
    python3 deploy/nginx/render.py --write               # rewrite project.conf, compose.conf
    python3 deploy/nginx/render.py --check               # exit 1 if either is out of date

Placeholders are `${NAME}` (upper case, as string.Template and envsubst write them); nginx's
own `$variables` are lower case and left alone. A placeholder without a value is an error.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "project.conf.template"
PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


@dataclass(frozen=True)
class Site:
    """What differs between deployments of the same config."""

    upstreams: list[str]  # host:port of each `project serve` instance
    server_names: list[str]  # the public host and the content host (or "_": any)
    http_listen: list[str] = field(default_factory=lambda: ["80", "[::]:80"])
    https_listen: list[str] = field(default_factory=lambda: ["443", "[::]:443"])
    https_port: int = 443  # where the http -> https redirect points
    tls_certificate: str = "/etc/ssl/certs/project.pem"
    tls_certificate_key: str = "/etc/ssl/private/project.key"
    acme_root: str = "/var/www/acme"
    import_max_mib: int = 64  # PROJECT_IMPORT_MAX_MIB

    def values(self) -> dict[str, str]:
        return {
            "UPSTREAM_SERVERS": _lines(
                f"server {address} max_fails=1 fail_timeout=5s;" for address in self.upstreams
            ),
            "SERVER_NAMES": " ".join(self.server_names),
            "HTTP_LISTEN": _lines(f"listen {address};" for address in self.http_listen),
            "HTTPS_LISTEN": _lines(f"listen {address} ssl http2;" for address in self.https_listen),
            "HTTPS_PORT_SUFFIX": "" if self.https_port == 443 else f":{self.https_port}",
            "TLS_CERTIFICATE": self.tls_certificate,
            "TLS_CERTIFICATE_KEY": self.tls_certificate_key,
            "ACME_ROOT": self.acme_root,
            # The multipart framing around the file needs a little more than the file.
            "IMPORT_BODY_MIB": str(self.import_max_mib + 1),
        }


PRESETS: dict[str, tuple[Path, Site]] = {
    # One host: nginx and two `project serve` instances under systemd (deploy/systemd/).
    "host": (
        HERE / "project.conf",
        Site(
            upstreams=["127.0.0.1:8001", "127.0.0.1:8002"],
            server_names=["bookmarks.example.com", "bookmarks-content.example.net"],
            tls_certificate="/etc/letsencrypt/live/bookmarks.example.com/fullchain.pem",
            tls_certificate_key="/etc/letsencrypt/live/bookmarks.example.com/privkey.pem",
        ),
    ),
    # deploy/compose.yaml: the `app` service's replicas (nginx resolves the name to all of
    # them when it starts), certificates mounted from deploy/certs/.
    "compose": (
        HERE / "compose.conf",
        Site(
            upstreams=["app:8000"],
            server_names=["_"],
            http_listen=["80"],
            https_listen=["443"],
            tls_certificate="/etc/nginx/certs/fullchain.pem",
            tls_certificate_key="/etc/nginx/certs/privkey.pem",
        ),
    ),
}


def _lines(items: Iterable[str]) -> str:
    return "\n".join(items)


def render(site: Site, *, template: str | None = None, origin: str = "") -> str:
    """The template with every placeholder filled; multi-line values keep the indentation."""
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    values = site.values()
    out: list[str] = []
    for line in text.splitlines():
        indent = line[: len(line) - len(line.lstrip())]

        def fill(match: re.Match[str], indent: str = indent) -> str:
            name = match.group(1)
            if name not in values:
                raise KeyError(f"{TEMPLATE.name}: no value for ${{{name}}}")
            return values[name].replace("\n", "\n" + indent)

        out.append(PLACEHOLDER.sub(fill, line))
    header = f"# Rendered from {TEMPLATE.name} by render.py{origin}; edit the template, not this.\n"
    return header + "\n".join(out) + "\n"


def _with_overrides(site: Site, assignments: list[str]) -> Site:
    changes: dict[str, object] = {}
    kinds = {f.name: f.type for f in dataclasses.fields(Site)}
    for assignment in assignments:
        name, sep, raw = assignment.partition("=")
        if not sep or name not in kinds:
            raise SystemExit(f"--set {assignment!r}: expected one of {', '.join(kinds)} =VALUE")
        kind = str(kinds[name])
        if kind.startswith("list"):
            changes[name] = [part.strip() for part in raw.split(",") if part.strip()]
        elif kind == "int":
            changes[name] = int(raw)
        else:
            changes[name] = raw
    return dataclasses.replace(site, **changes)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="host")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="rewrite the preset files")
    action.add_argument("--check", action="store_true", help="fail if a preset file is stale")
    args = parser.parse_args(argv)
    if args.write or args.check:
        stale = []
        for name, (path, site) in PRESETS.items():
            text = render(site, origin=f" (--preset {name})")
            if args.write:
                path.write_text(text, encoding="utf-8")
            elif not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        if stale:
            print(f"out of date: {', '.join(stale)} (run render.py --write)", file=sys.stderr)
            return 1
        return 0
    _, site = PRESETS[args.preset]
    sys.stdout.write(render(_with_overrides(site, args.set), origin=f" (--preset {args.preset})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
