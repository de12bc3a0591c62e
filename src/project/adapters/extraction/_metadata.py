"""What an HTML page says about itself: <title>, <meta>, Open Graph, Twitter card, <link>."""

from __future__ import annotations

from collections.abc import Iterable

from selectolax.lexbor import LexborHTMLParser, LexborNode

from project.adapters.extraction._strings import absolute_url, language_tag, one_line, site_favicon
from project.domain.model.archiving import PageExtraction

TITLE_LIMIT = 512
DESCRIPTION_LIMIT = 4096
SITE_NAME_LIMIT = 200
LANGUAGE_LIMIT = 35

_PREVIEW_IMAGE_KEYS = (
    "og:image",
    "og:image:secure_url",
    "og:image:url",
    "twitter:image",
    "twitter:image:src",
)
_ICON_RELS = ("icon", "apple-touch-icon", "apple-touch-icon-precomposed")  # in preference order


def read_metadata(tree: LexborHTMLParser, page_url: str) -> PageExtraction:
    """Open Graph first, then the Twitter card, then plain tags; URLs made absolute. No text."""
    meta = _meta_contents(tree.css("meta"))
    links = [(_rel_tokens(node), node) for node in tree.css("link[rel][href]")]
    base = _base_url(tree, page_url)
    title_node = tree.css_first("head > title") or tree.css_first("title")
    html_node = tree.css_first("html")

    def first(*keys: str) -> str | None:
        return next((meta[key] for key in keys if meta.get(key)), None)

    return PageExtraction(
        title=one_line(
            first("og:title", "twitter:title") or (title_node.text() if title_node else None),
            TITLE_LIMIT,
        ),
        description=one_line(
            first("og:description", "twitter:description", "description"), DESCRIPTION_LIMIT
        ),
        site_name=one_line(first("og:site_name"), SITE_NAME_LIMIT),
        language=language_tag(
            html_node.attributes.get("lang") if html_node else None, LANGUAGE_LIMIT
        )
        or language_tag(first("og:locale"), LANGUAGE_LIMIT),
        canonical_url=_first_link(links, ("canonical",), base),
        favicon_url=_favicon(links, base) or site_favicon(page_url),
        preview_image_url=_first_url(
            (meta.get(key) for key in _PREVIEW_IMAGE_KEYS),
            base,
        ),
    )


def _meta_contents(nodes: Iterable[LexborNode]) -> dict[str, str]:
    """The first non-empty content of each meta property or name, keys lowercased."""
    contents: dict[str, str] = {}
    for node in nodes:
        attributes = node.attributes
        content = attributes.get("content")
        for key in (attributes.get("property"), attributes.get("name")):
            if key and content and content.strip():
                contents.setdefault(key.strip().lower(), content)
    return contents


def _rel_tokens(node: LexborNode) -> tuple[str, ...]:
    return tuple((node.attributes.get("rel") or "").lower().split())


def _base_url(tree: LexborHTMLParser, page_url: str) -> str:
    base = tree.css_first("base[href]")
    return (absolute_url(base.attributes.get("href"), page_url) if base else None) or page_url


def _first_link(
    links: list[tuple[tuple[str, ...], LexborNode]], rels: tuple[str, ...], base: str
) -> str | None:
    return _first_url(
        (node.attributes.get("href") for tokens, node in links if set(rels) & set(tokens)), base
    )


def _favicon(links: list[tuple[tuple[str, ...], LexborNode]], base: str) -> str | None:
    """The first raster icon of the most preferred kind; SVG icons are never thumbnailed (S25)."""
    for rel in _ICON_RELS:
        rasters = (node for tokens, node in links if rel in tokens and not _is_svg(node))
        if url := _first_url((node.attributes.get("href") for node in rasters), base):
            return url
    return None


def _is_svg(node: LexborNode) -> bool:
    kind = (node.attributes.get("type") or "").lower()
    href = (node.attributes.get("href") or "").lower().split("?", 1)[0]
    return "svg" in kind or href.endswith((".svg", ".svgz"))


def _first_url(references: Iterable[str | None], base: str) -> str | None:
    return next((url for ref in references if (url := absolute_url(ref, base))), None)
