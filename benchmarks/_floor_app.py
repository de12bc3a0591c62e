"""The floor of benchmarks/http_load.py: a bare Litestar app answering the list's JSON from memory.

    .venv/bin/python -m benchmarks._floor_app --port 8101 --body FILE

FILE holds the body the real `GET /api/v1/bookmarks?limit=50` returned (fetched once from
`project serve` by the harness). It is decoded once at start into plain Python objects
(dicts, lists, strings); the handler returns that dict and Litestar encodes it on every
request, as a realistic handler returning data does: no database, no authentication, no
middleware, no serialization of our own Structs. Anything the real endpoint does beyond
encoding the same JSON through the same framework and server costs throughput relative to
this. Served by `uvicorn.run` with the same arguments as `project serve` (same process count,
event loop and HTTP implementation: uvicorn's "auto" choices), `server_header=False`,
log level warning.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import msgspec
from litestar import Litestar, get

PATH = "/api/v1/bookmarks"


def create_app(body: bytes) -> Litestar:
    page: dict[str, Any] = msgspec.json.decode(body)

    @get([PATH, f"{PATH}/"])
    async def list_bookmarks() -> dict[str, Any]:
        return page  # a dict, encoded by Litestar per request

    @get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    return Litestar([list_bookmarks, live], openapi_config=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body", type=Path, required=True)
    args = parser.parse_args()

    import uvicorn

    uvicorn.run(
        create_app(args.body.read_bytes()),
        host=args.host,
        port=args.port,
        log_level="warning",
        server_header=False,
    )


if __name__ == "__main__":
    main()
