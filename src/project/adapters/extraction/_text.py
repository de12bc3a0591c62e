"""The readable main text of a page: trafilatura, else the body's visible text."""

from __future__ import annotations

import re

import trafilatura
from selectolax.lexbor import LexborHTMLParser

_INVISIBLE = ["script", "style", "noscript", "template", "svg", "math", "iframe", "object"]
_SPACES = re.compile(r"[^\S\n]+")


def main_text(html: str, tree: LexborHTMLParser) -> str:
    """Paragraphs separated by newlines; boilerplate (navigation, footers, comments) left out.
    Falls back to `visible_text`, which strips tags from `tree`.

    trafilatura gets the decoded string (so it never decompresses or re-decodes bytes), keeps
    no state between pages (no deduplication cache), extracts no metadata (no date search) and
    never touches the network (extract() only reads what it is given).
    """
    text = trafilatura.extract(
        html,
        output_format="txt",
        fast=True,  # trafilatura's own algorithm only: 2x faster on big pages, 10x on small
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        with_metadata=False,
    )
    return _tidy(text) if text and text.strip() else visible_text(tree)


def visible_text(tree: LexborHTMLParser) -> str:
    """The body's text, scripts and styles removed (from `tree` itself: read metadata first)."""
    body = tree.body
    if body is None:
        return ""
    tree.strip_tags(_INVISIBLE)
    return _tidy(body.text(separator="\n"))


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
