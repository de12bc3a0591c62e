"""The readable main text of a page: trafilatura, else the body's visible text."""

from __future__ import annotations

import re
from configparser import ConfigParser

import trafilatura
from selectolax.lexbor import LexborHTMLParser
from trafilatura.settings import use_config

# Pages whose cleaned tree has more elements than this are left to the plain-text fallback,
# so one pathological page cannot hold a worker thread for long.
_MAX_TREE_SIZE = 50_000
_INVISIBLE = ["script", "style", "noscript", "template", "svg", "math", "iframe", "object"]
_SPACES = re.compile(r"[^\S\n]+")


def _config() -> ConfigParser:
    config = use_config()
    config.set("DEFAULT", "MAX_TREE_SIZE", str(_MAX_TREE_SIZE))
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


_CONFIG = _config()


def main_text(html: str, tree: LexborHTMLParser) -> str:
    """Paragraphs separated by newlines; boilerplate (navigation, footers, comments) left out.
    Falls back to `visible_text`, which strips tags from `tree`.

    trafilatura runs on the string (so it never decompresses or re-decodes bytes), keeps no
    state between pages (no deduplication cache) and extracts no metadata (no date search).
    """
    text = trafilatura.extract(
        html,
        output_format="txt",
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        with_metadata=False,
        config=_CONFIG,
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
