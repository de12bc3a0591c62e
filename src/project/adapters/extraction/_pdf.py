"""Text and title of a PDF, read with pypdf; a PDF pypdf cannot read gives what it could."""

from __future__ import annotations

import io

import structlog
from pypdf import PageObject, PdfReader

from project.adapters.extraction._metadata import TITLE_LIMIT
from project.adapters.extraction._strings import one_line

MAX_PAGES = 200
_log = structlog.get_logger(__name__)


def read_pdf(body: bytes, max_text_chars: int) -> tuple[str, str]:
    """(title from the document information, text of the first MAX_PAGES pages)."""
    try:
        reader = PdfReader(io.BytesIO(body), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")  # readable when only an owner password restricts it
    except Exception as error:  # any broken file reads as an empty one
        _log.info("pdf_unreadable", error=type(error).__name__)
        return "", ""
    return _title(reader), _text(reader, max_text_chars)


def _title(reader: PdfReader) -> str:
    try:
        metadata = reader.metadata
        return one_line(metadata.title if metadata else None, TITLE_LIMIT)
    except Exception:  # a broken information dictionary
        return ""


def _text(reader: PdfReader, max_text_chars: int) -> str:
    parts: list[str] = []
    length = 0
    try:
        for index, page in enumerate(reader.pages):
            if index >= MAX_PAGES or length >= max_text_chars:
                break
            text = _page_text(page)
            parts.append(text)
            length += len(text) + 1
    except Exception:  # a broken page tree: keep the pages read so far
        _log.info("pdf_page_tree_broken", pages_read=len(parts))
    return "\n".join(part for part in parts if part)[:max_text_chars]


def _page_text(page: PageObject) -> str:
    try:
        text = page.extract_text()
    except Exception:  # one unreadable page does not lose the others
        return ""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
