#!/usr/bin/env python3
"""Exit 0 when the `project serve` of this host answers (Docker HEALTHCHECK, monitoring).

    project-healthcheck            # GET /health/live: the process answers
    project-healthcheck --ready    # GET /health/ready: and its database, Redis and S3 do

It asks http://127.0.0.1:$PROJECT_PORT with the Host name of PROJECT_PUBLIC_URL (the health
routes answer any Host, but that is the name the instance is reached by). Standard library
only: it runs with any Python 3.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit


def main(argv: list[str]) -> int:
    path = "/health/ready" if "--ready" in argv else "/health/live"
    port = os.environ.get("PROJECT_PORT", "8000")
    host = urlsplit(os.environ.get("PROJECT_PUBLIC_URL", "")).hostname or "127.0.0.1"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 - http://127.0.0.1
            status = int(response.status)
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:  # refused, timed out
        print(f"unhealthy: {path}: {error}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"unhealthy: {path} answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
