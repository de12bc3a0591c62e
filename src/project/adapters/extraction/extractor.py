"""The PageExtractor port: HTML through selectolax and trafilatura, PDF through pypdf."""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor

import msgspec
import structlog
from selectolax.lexbor import LexborHTMLParser

from project.adapters.extraction._charset import decode_html
from project.adapters.extraction._metadata import TITLE_LIMIT, read_metadata
from project.adapters.extraction._pdf import read_pdf
from project.adapters.extraction._strings import file_name
from project.adapters.extraction._text import main_text, visible_text
from project.domain.model.archiving import FetchedResource, PageExtraction

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
_log = structlog.get_logger(__name__)


class HtmlPdfExtractor:
    """Reads pages in a worker thread (or the given executor), never on the event loop.

    Never raises for what a server sent: the parts it cannot read come back empty.
    """

    def __init__(
        self, *, max_text_chars: int = 1_000_000, executor: Executor | None = None
    ) -> None:
        if max_text_chars < 0:
            raise ValueError("max_text_chars must not be negative")
        self._max_text_chars = max_text_chars
        self._executor = executor

    async def extract(self, resource: FetchedResource) -> PageExtraction:
        if self._executor is None:
            return await asyncio.to_thread(extract_resource, resource, self._max_text_chars)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, extract_resource, resource, self._max_text_chars
        )


def extract_resource(resource: FetchedResource, max_text_chars: int) -> PageExtraction:
    """The synchronous work; a module-level function so that a process pool can run it too."""
    fallback = PageExtraction(title=file_name(resource.url, TITLE_LIMIT))
    try:
        if resource.media_type in HTML_TYPES:
            return _from_html(resource, max_text_chars)
        if resource.media_type in PDF_TYPES:
            title, text = read_pdf(resource.body, max_text_chars)
            return _with_text(PageExtraction(title=title or fallback.title), text)
    except Exception as error:  # the last line of defence: bytes from the web never raise
        _log.warning("page_unreadable", media_type=resource.media_type, error=type(error).__name__)
    return fallback


def _from_html(resource: FetchedResource, max_text_chars: int) -> PageExtraction:
    html = decode_html(resource.body, resource.charset).replace("\x00", "\ufffd")
    tree = LexborHTMLParser(html)
    try:
        extraction = read_metadata(tree, resource.url)
    except Exception as error:  # a page that breaks the metadata reader still has text
        _log.info("page_metadata_unreadable", error=type(error).__name__)
        extraction = PageExtraction()
    try:
        text = main_text(html, tree)
    except Exception as error:  # trafilatura or lxml gave up on this markup
        _log.info("page_text_unreadable", error=type(error).__name__)
        text = visible_text(LexborHTMLParser(html))
    return _with_text(extraction, text[:max_text_chars])


def _with_text(extraction: PageExtraction, text: str) -> PageExtraction:
    return msgspec.structs.replace(extraction, text=text, word_count=len(text.split()))
