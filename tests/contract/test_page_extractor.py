"""The PageExtractor contract: metadata and main text of real HTML pages and PDFs.

Pages come from tests/fixtures/pages; PDFs are written by `_pdf` below (a real text stream
in Helvetica, read back by pypdf). Whatever bytes a server sends, extraction never raises.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from project.adapters.extraction import HtmlPdfExtractor
from project.domain.model.archiving import FetchedResource, PageExtraction
from project.ports.fetching import PageExtractor

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
HTML = "text/html"
PDF = "application/pdf"
CAFE = "Caf\u00e9 de la Plage \u2013 \u201cMenu\u201d"  # an en dash and curly quotes


class CountingExecutor(ThreadPoolExecutor):
    """A thread pool that remembers how much work it was given."""

    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.submitted = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


@pytest.fixture(scope="module")
def counting_executor() -> Iterator[CountingExecutor]:
    with CountingExecutor() as executor:
        yield executor


@pytest.fixture(params=["to_thread", "executor"])
def extractor(request: pytest.FixtureRequest, counting_executor: CountingExecutor) -> PageExtractor:
    if request.param == "executor":
        return HtmlPdfExtractor(executor=counting_executor)
    return HtmlPdfExtractor()


def page(
    name: str, url: str = "https://www.example.org/page", *, charset: str | None = None
) -> FetchedResource:
    body = (PAGES / name).read_bytes()
    return FetchedResource(url=url, status=200, media_type=HTML, charset=charset, body=body)


def resource(
    body: bytes, media_type: str = HTML, url: str = "https://www.example.org/page"
) -> FetchedResource:
    return FetchedResource(url=url, status=200, media_type=media_type, charset=None, body=body)


def _pdf(page_texts: list[str], *, title: str | None = None) -> bytes:
    """A minimal PDF 1.4 file: one Helvetica text line per page, an optional /Title."""
    count = len(page_texts)
    font = 3 + 2 * count
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(count)), count),
    ]
    for index, text in enumerate(page_texts):
        content = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode("latin-1")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * index, font)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    info = b""
    if title is not None:
        objects.append(b"<< /Title (%s) >>" % title.encode("latin-1"))
        info = b" /Info %d 0 R" % len(objects)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, info)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# --- HTML metadata ------------------------------------------------------------------------


async def test_open_graph_wins_over_twitter_and_plain_tags(extractor: PageExtractor) -> None:
    found = await extractor.extract(page("open_graph.html", "https://seacharts.example.org/a"))

    assert found.title == "The Tidal Atlas of Brittany"
    assert found.description == "Every tide table of the Breton coast, in one place."
    assert found.site_name == "Sea Charts Monthly"
    assert found.preview_image_url == "https://cdn.example.org/images/atlas-cover.jpg"
    assert found.canonical_url == "https://seacharts.example.org/atlas/brittany"
    assert found.language == "en-GB"  # <html lang> before og:locale


async def test_a_raster_icon_is_preferred_to_svg_and_touch_icons(extractor: PageExtractor) -> None:
    found = await extractor.extract(page("open_graph.html", "https://seacharts.example.org/a"))

    assert found.favicon_url == "https://seacharts.example.org/static/favicon-32.png"


async def test_a_twitter_card_is_read_when_open_graph_is_missing(
    extractor: PageExtractor,
) -> None:
    found = await extractor.extract(page("twitter_card.html", "https://blog.example.net/k/knots"))

    assert found.title == "Knots Every Sailor Should Know"
    assert found.description == "The bowline, the clove hitch and the cleat hitch."
    assert found.preview_image_url == "https://blog.example.net/media/knots.png"
    assert found.favicon_url == "https://static.example.net/touch.png"
    assert (found.site_name, found.language, found.canonical_url) == ("", "", None)


async def test_plain_tags_are_trimmed_and_unsafe_urls_dropped(extractor: PageExtractor) -> None:
    found = await extractor.extract(page("plain.html", "https://www.example.de/nordsee?x=1"))

    assert found.title == "Leuchttürme der Nordsee"
    assert found.description == "Eine kurze Geschichte der Leuchttürme an der Nordseeküste."
    assert found.language == "de"
    assert found.preview_image_url is None  # javascript: is not an http(s) URL
    assert found.favicon_url == "https://www.example.de/favicon.ico"  # data: icon skipped


async def test_relative_urls_resolve_against_the_base_element(extractor: PageExtractor) -> None:
    found = await extractor.extract(page("base_href.html", "https://www.example.com/posts/7"))

    assert found.preview_image_url == "https://static.example.com/assets/v2/img/cover.png"
    assert found.canonical_url == "https://static.example.com/articles/relative-urls"
    assert found.favicon_url == "https://static.example.com/assets/icons/favicon.ico"


async def test_without_an_icon_link_the_favicon_is_at_the_origin(extractor: PageExtractor) -> None:
    body = b"<html><head><title>No icon</title></head><body><p>Hello.</p></body></html>"

    found = await extractor.extract(resource(body, url="http://user@example.com:8080/a/b?c"))

    assert found.favicon_url == "http://example.com:8080/favicon.ico"


async def test_long_fields_are_bounded(extractor: PageExtractor) -> None:
    body = (
        '<html lang="{lang}"><head><title>{title}</title>'
        '<meta name="description" content="{description}">'
        '<meta property="og:site_name" content="{site}"></head></html>'
    ).format(lang="en-" + "a" * 60, title="t" * 2000, description="d " * 5000, site="s" * 900)

    found = await extractor.extract(resource(body.encode()))

    assert len(found.title) == 512
    assert len(found.description) <= 4096
    assert len(found.site_name) == 200
    assert found.language == ""  # not a language tag


# --- Character sets -----------------------------------------------------------------------


async def test_a_latin_1_meta_tag_is_read_as_windows_1252(extractor: PageExtractor) -> None:
    found = await extractor.extract(page("windows_1252.html"))

    assert found.title == CAFE
    assert found.description == "Crêpes et galettes à 8 €."
    assert "l\u2019\u00e9t\u00e9" in found.text
    assert found.language == "fr"


async def test_the_http_charset_wins_over_the_meta_tag(extractor: PageExtractor) -> None:
    body = (PAGES / "windows_1252.html").read_bytes().replace(b"iso-8859-1", b"utf-8")

    found = await extractor.extract(
        FetchedResource(
            url="https://e.fr/", status=200, media_type=HTML, charset="windows-1252", body=body
        )
    )

    assert found.title == CAFE


@pytest.mark.parametrize("charset", [None, "Shift_JIS", "shift-jis"])
async def test_a_shift_jis_page_decodes(extractor: PageExtractor, charset: str | None) -> None:
    found = await extractor.extract(page("shift_jis.html", charset=charset))

    assert found.title == "灯台の歴史"
    assert found.description == "日本の灯台についての短い記事です。"
    assert "観音埼灯台" in found.text
    assert found.language == "ja"


async def test_a_byte_order_mark_wins_over_everything(extractor: PageExtractor) -> None:
    body = b'\xef\xbb\xbf<html><head><meta charset="iso-8859-1"><title>Caf\xc3\xa9</title></head>'

    found = await extractor.extract(resource(body))

    assert found.title == "Café"


@pytest.mark.parametrize("charset", [None, "no-such-charset", "base64", "utf-7"])
async def test_undeclared_or_unusable_charsets_fall_back_to_utf_8(
    extractor: PageExtractor, charset: str | None
) -> None:
    body = b"<html><head><title>Caf\xe9 +AGEAbA-</title></head><body><p>\xff\xfe</p></body></html>"

    found = await extractor.extract(
        FetchedResource(
            url="https://e.org/", status=200, media_type=HTML, charset=charset, body=body
        )
    )

    assert found.title == "Caf\ufffd +AGEAbA-"


# --- Main text ----------------------------------------------------------------------------


async def test_the_main_text_leaves_out_navigation_and_footer(extractor: PageExtractor) -> None:
    found = await extractor.extract(page("article.html"))

    assert "Augustin Fresnel changed lighthouses forever in 1822" in found.text
    assert "bath of mercury" in found.text
    for boilerplate in ("Subscribe to the newsletter", "Copyright", "Privacy policy", "About us"):
        assert boilerplate not in found.text
    assert found.word_count == len(found.text.split())
    assert found.word_count > 140


async def test_a_page_without_main_text_falls_back_to_its_visible_text(
    extractor: PageExtractor,
) -> None:
    body = b"<html><body><ul><li>Milk</li><li>Eggs</li></ul><script>var hidden = 1</script></body>"

    found = await extractor.extract(resource(body))

    assert found.text == "Milk\nEggs"
    assert found.word_count == 2


async def test_text_is_capped() -> None:
    found = await HtmlPdfExtractor(max_text_chars=40).extract(page("article.html"))

    assert len(found.text) == 40
    assert found.word_count == len(found.text.split())


async def test_the_work_runs_off_the_event_loop() -> None:
    paragraph = "<p>" + " ".join(f"lantern{n} keeper tower" for n in range(40)) + "</p>"
    body = f"<html><body><article>{paragraph * 2000}</article></body></html>".encode()
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.001)
            ticks += 1

    ticker = asyncio.create_task(tick())
    await HtmlPdfExtractor().extract(resource(body))
    ticker.cancel()

    assert ticks >= 5


async def test_a_given_executor_does_the_work(counting_executor: CountingExecutor) -> None:
    before = counting_executor.submitted

    await HtmlPdfExtractor(executor=counting_executor).extract(page("plain.html"))

    assert counting_executor.submitted == before + 1


# --- PDFs and other media types -----------------------------------------------------------


async def test_a_pdf_gives_its_text_and_title(extractor: PageExtractor) -> None:
    body = _pdf(["Quarterly tide report", "Brest harbour readings"], title="Tide Report 2026")

    found = await extractor.extract(resource(body, PDF, "https://e.org/docs/report.pdf"))

    assert found.title == "Tide Report 2026"
    assert "Quarterly tide report" in found.text
    assert "Brest harbour readings" in found.text
    assert found.word_count == 6


async def test_a_pdf_without_a_title_is_named_after_its_file(extractor: PageExtractor) -> None:
    body = _pdf(["Untitled pages"])

    found = await extractor.extract(resource(body, PDF, "https://e.org/docs/tide%20tables.pdf?v=2"))

    assert found.title == "tide tables.pdf"
    assert found.text == "Untitled pages"


async def test_only_the_first_200_pdf_pages_are_read(extractor: PageExtractor) -> None:
    body = _pdf([f"page{n}" for n in range(1, 206)])

    found = await extractor.extract(resource(body, PDF))

    assert found.text.split() == [f"page{n}" for n in range(1, 201)]


async def test_other_media_types_are_named_after_their_file(extractor: PageExtractor) -> None:
    found = await extractor.extract(
        resource(b"PK\x03\x04 zip bytes", "application/zip", "https://e.org/dl/maps.zip")
    )

    assert found == PageExtraction(title="maps.zip")


GARBAGE = [
    pytest.param(b"", id="empty"),
    pytest.param(bytes(range(256)) * 8, id="every-byte"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, id="png-bytes"),
    pytest.param(b"<html><head><title>Cut o", id="truncated-html"),
    pytest.param(b"<" * 5000 + b"<html" * 2000, id="angle-brackets"),
    pytest.param(b"<div>" * 20000, id="deep-nesting"),
    pytest.param(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R", id="truncated-pdf"),
    pytest.param(b"\x00" * 4096, id="nul-bytes"),
]


@pytest.mark.parametrize("media_type", [HTML, PDF, "application/xhtml+xml"])
@pytest.mark.parametrize("body", GARBAGE)
async def test_garbage_never_raises(extractor: PageExtractor, body: bytes, media_type: str) -> None:
    found = await extractor.extract(resource(body, media_type, "https://e.org/x/file"))

    assert isinstance(found, PageExtraction)
    assert found.word_count == len(found.text.split())


async def test_a_broken_pdf_is_an_empty_extraction(extractor: PageExtractor) -> None:
    body = _pdf(["Lost text"], title="Lost")[:60]

    found = await extractor.extract(resource(body, PDF, "https://e.org/x/broken.pdf"))

    assert found == PageExtraction(title="broken.pdf")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.one_of(
        st.binary(max_size=4096),
        st.binary(max_size=2048).map(lambda b: b"<html><head><title>" + b),
        st.binary(max_size=2048).map(lambda b: b"%PDF-1.4\n" + b),
    ),
    media_type=st.sampled_from([HTML, PDF]),
    charset=st.sampled_from([None, "utf-8", "shift_jis", "utf-16", "bogus"]),
)
async def test_any_bytes_extract_without_raising(
    body: bytes, media_type: str, charset: str | None
) -> None:
    found = await HtmlPdfExtractor().extract(
        FetchedResource(
            url="https://e.org/f", status=200, media_type=media_type, charset=charset, body=body
        )
    )

    assert len(found.title) <= 512
    assert found.word_count == len(found.text.split())
