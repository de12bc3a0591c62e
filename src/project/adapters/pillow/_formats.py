"""Which raster format bytes claim to be, and the sizes a header declares before decoding."""

from __future__ import annotations

import struct

# Pillow's format names, by the magic bytes each file starts with.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"\x00\x00\x01\x00", "ICO"),
)
_MARKUP_HINTS = (b"<svg", b"<?xml", b"<!doctype svg", b"<html", b"<!doctype html")
_PNG_MAGIC = _MAGIC[0][0]


def sniff(data: bytes) -> str | None:
    """The Pillow format name the magic bytes announce, or None for anything we refuse."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return next((name for magic, name in _MAGIC if data.startswith(magic)), None)


def looks_like_markup(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and any(hint in head for hint in _MARKUP_HINTS)


def declared_sizes(data: bytes, image_format: str) -> list[tuple[int, int]]:
    """Sizes the file declares where Pillow would allocate or decode before we could check:
    the WebP canvas (its decoder allocates on open) and every image inside an ICO (the
    directory may say 256x256 about a far bigger embedded PNG). Raises ValueError when
    those headers cannot be read."""
    if image_format == "WEBP":
        return [_webp_canvas(data)]
    if image_format == "ICO":
        return _ico_images(data)
    return []


def _webp_canvas(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack_from("<HH", data, 26)
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise ValueError("unreadable WebP header")


def _ico_images(data: bytes) -> list[tuple[int, int]]:
    (count,) = struct.unpack_from("<H", data, 4)
    if count == 0:
        raise ValueError("an icon without images")
    sizes = []
    for index in range(count):
        _, offset = struct.unpack_from("<II", data, 6 + 16 * index + 8)
        sizes.append(_ico_image(data, offset))
    return sizes


def _ico_image(data: bytes, offset: int) -> tuple[int, int]:
    if data[offset : offset + 8] == _PNG_MAGIC:
        width, height = struct.unpack_from(">II", data, offset + 16)  # IHDR
        return width, height
    width, height = struct.unpack_from("<ii", data, offset + 4)  # BITMAPINFOHEADER
    return abs(width), abs(height) // 2  # the height counts the XOR image and the AND mask
