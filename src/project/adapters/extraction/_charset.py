"""Decoding HTML as a browser would: byte order mark, HTTP charset, <meta>, else UTF-8."""

from __future__ import annotations

import codecs
import re

_SNIFF_BYTES = 4096
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{1,40})""", re.I
)

# WHATWG Encoding: labels browsers read as a superset of what they name (latin-1 is really
# windows-1252, Shift_JIS is Windows-31J, ...), by the name Python's codec lookup gives.
_WEB_SUPERSETS = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "shift_jis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}
_UNKNOWN_TO_PYTHON = {
    "windows-31j": "cp932",
    "x-sjis": "cp932",
    "x-gbk": "gb18030",
    "x-user-defined": "cp1252",
}
# Codecs Python knows that no web page may use (script-injection tricks or not text at all).
_REFUSED = {"utf-7", "idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined"}
_UTF16_OR_32 = re.compile(r"utf-(16|32)")


def decode_html(body: bytes, http_charset: str | None) -> str:
    """The page's text; bytes that do not fit the encoding become U+FFFD, never an error."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, "replace")
    declared = (
        _codec_for(http_charset, from_meta=False),
        _codec_for(_meta_label(body), from_meta=True),
    )
    for declared_codec in declared:
        if declared_codec is not None:
            try:
                return body.decode(declared_codec, "replace")
            except LookupError:  # a bytes-to-bytes codec such as base64
                continue
    return body.decode("utf-8", "replace")


def _meta_label(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:_SNIFF_BYTES])
    return match.group(1).decode("ascii") if match else None


def _codec_for(label: str | None, *, from_meta: bool) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _UNKNOWN_TO_PYTHON:
        return _UNKNOWN_TO_PYTHON[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _REFUSED:
        return None
    if from_meta and _UTF16_OR_32.match(name):
        return "utf-8"  # a <meta> readable as ASCII cannot be in UTF-16 (HTML's prescan rule)
    return _WEB_SUPERSETS.get(name, name)
