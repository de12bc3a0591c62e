"""The Netscape bookmark file format (HTML): streamed import and export (SPEC 3.6)."""

from project.adapters.netscape.reader import NetscapeReader, read_netscape, read_netscape_stream
from project.adapters.netscape.writer import (
    NETSCAPE_MEDIA_TYPE,
    NETSCAPE_WRITER,
    NetscapeWriter,
    netscape_entry,
    netscape_footer,
    netscape_header,
)

__all__ = [
    "NETSCAPE_MEDIA_TYPE",
    "NETSCAPE_WRITER",
    "NetscapeReader",
    "NetscapeWriter",
    "netscape_entry",
    "netscape_footer",
    "netscape_header",
    "read_netscape",
    "read_netscape_stream",
]
