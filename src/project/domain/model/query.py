"""The search query language (SPEC 3.5): a pure, total parser and its inverse.

    words "exact phrase" -word -"phrase" #tag -#tag site:example.com -site:example.com
    is:unread|favorite|archived -is:... in:collection in:"two words"
    before:YYYY-MM-DD after:YYYY-MM-DD

Any string parses: a part that is not valid is read as a word (or, when quoted, a phrase).
Words and phrases are lowercased, since matching ignores case; a phrase's whitespace is
collapsed. `format_query` writes a query back as text that parses to an equal value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Literal

import msgspec

from project.domain.model.errors import InvalidTag, InvalidUrl
from project.domain.model.tags import normalize_tag
from project.domain.model.urls import canonical_host

MAX_QUERY_LENGTH = 1000
MAX_QUERY_TERMS = 50

_LIST_FIELDS = (
    "words",
    "phrases",
    "excluded_words",
    "tags",
    "excluded_tags",
    "sites",
    "excluded_sites",
)
_FLAGS = ("unread", "favorite", "archived")
_OPERATORS = frozenset({"site", "is", "in", "before", "after"})
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


class SearchQuery(msgspec.Struct, frozen=True, kw_only=True):
    """A parsed query. Tuples keep the order of first appearance, without repeats."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded_words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    excluded_tags: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    excluded_sites: tuple[str, ...] = ()
    unread: bool | None = None
    favorite: bool | None = None
    archived: bool | None = None
    collection: str | None = None
    before: date | None = None
    after: date | None = None

    @property
    def has_text(self) -> bool:
        """Whether full-text matching (and so relevance sorting) applies."""
        return bool(self.words or self.phrases)


class _Term(msgspec.Struct, frozen=True):
    """One token: a bare body, a quoted phrase, or `name:` followed by a quoted value."""

    negated: bool
    body: str  # a phrase's text without its quotes; `name:value` for a quoted operator
    kind: Literal["bare", "phrase", "operator"] = "bare"


def parse_query(text: str) -> SearchQuery:
    """Parse `text`; never raises. Input past 1000 characters or 50 terms is ignored."""
    fields: dict[str, list[str]] = {name: [] for name in _LIST_FIELDS}
    scalars: dict[str, object] = {}
    for term in _terms(text[:MAX_QUERY_LENGTH]):
        _apply(term, fields, scalars)
    lists = {name: tuple(dict.fromkeys(values)) for name, values in fields.items()}
    return msgspec.convert({**lists, **scalars}, SearchQuery)


def _terms(text: str) -> Iterator[_Term]:
    index, count = 0, 0
    while count < MAX_QUERY_TERMS:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return
        negated = text[index] == "-"
        index += negated
        term, index = _read_term(text, index, negated)
        count += 1
        yield term


def _read_term(text: str, index: int, negated: bool) -> tuple[_Term, int]:
    if text.startswith('"', index):
        phrase, index = _read_quoted(text, index)
        return _Term(negated, phrase, "phrase"), index
    end = index
    while end < len(text) and not text[end].isspace() and text[end] != '"':
        end += 1
    body = text[index:end]
    name, colon, value = body.partition(":")
    if colon and not value and name.lower() in _OPERATORS and text.startswith('"', end):
        quoted, end = _read_quoted(text, end)
        return _Term(negated, body + quoted, "operator"), end
    return _Term(negated, body), end


def _read_quoted(text: str, index: int) -> tuple[str, int]:
    """The text between a quote at `index` and the next one; unbalanced: up to the end."""
    close = text.find('"', index + 1)
    if close < 0:
        return text[index + 1 :], len(text)
    return text[index + 1 : close], close + 1


def _apply(term: _Term, fields: dict[str, list[str]], scalars: dict[str, object]) -> None:
    kind, value = _classify(term)
    if kind in _LIST_FIELDS:
        fields[kind].append(str(value))
    elif kind:
        scalars[kind] = value


def _classify(term: _Term) -> tuple[str, object]:
    """Which field a term fills and with what; "" drops it (an empty word or phrase)."""
    text = term.body.lower() if term.kind == "bare" else _phrase(term.body)
    if not text:
        return "", None
    if term.kind == "bare" and text.startswith("#"):
        tag = _tag(text[1:])
        if tag is not None:
            return ("excluded_tags" if term.negated else "tags"), tag
    name, colon, raw = term.body.partition(":")
    if term.kind != "phrase" and colon and name.lower() in _OPERATORS:
        value = raw if term.kind == "bare" else " ".join(raw.split())
        found = _operator(name.lower(), value, term.negated)
        if found is not None:
            return found
    if term.negated:
        return "excluded_words", text
    return ("words" if term.kind == "bare" else "phrases"), text


def _operator(name: str, value: str, negated: bool) -> tuple[str, object] | None:
    if name == "site":
        host = _site(value)
        return None if host is None else ("excluded_sites" if negated else "sites", host)
    if name == "is":
        flag = value.lower()
        return (flag, not negated) if flag in _FLAGS else None
    if negated:
        return None  # -in:, -before: and -after: mean nothing: the term is an excluded word
    if name == "in":
        collection = " ".join(value.split())
        return ("collection", collection) if collection else None
    day = _date(value)
    return None if day is None else (name, day)


def _phrase(text: str) -> str:
    return " ".join(text.split()).lower()


def _tag(raw: str) -> str | None:
    try:
        return normalize_tag(raw)
    except InvalidTag:
        return None


def _site(value: str) -> str | None:
    """The host of `example.com`, `https://Example.com/path` or `example.com:8080`."""
    host = re.split(r"[/?#]", _SCHEME.sub("", value.strip(), count=1), maxsplit=1)[0]
    host = host.rpartition("@")[2]
    host = host[: host.find("]") + 1] if host.startswith("[") else host.partition(":")[0]
    try:
        return canonical_host(host)
    except InvalidUrl:
        return None


def _date(value: str) -> date | None:
    if not _DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def format_query(query: SearchQuery) -> str:
    """Text that `parse_query` reads back as `query` (for saved searches, smart lists)."""
    parts = [
        *query.words,
        *(f'"{phrase}"' for phrase in query.phrases),
        *(_excluded_word(word) for word in query.excluded_words),
        *(f"#{tag}" for tag in query.tags),
        *(f"-#{tag}" for tag in query.excluded_tags),
        *(f"site:{site}" for site in query.sites),
        *(f"-site:{site}" for site in query.excluded_sites),
        *(
            f"{'' if value else '-'}is:{flag}"
            for flag in _FLAGS
            if (value := getattr(query, flag)) is not None
        ),
    ]
    if query.collection is not None:
        parts.append(_collection(query.collection))
    parts += [f"{name}:{day.isoformat()}" for name, day in _dates(query)]
    return " ".join(parts)


def _excluded_word(word: str) -> str:
    plain = bool(word) and not any(c.isspace() or c == '"' for c in word)
    if plain and _classify(_Term(True, word)) == ("excluded_words", word):
        return f"-{word}"
    return f'-"{word}"'


def _collection(name: str) -> str:
    if name and not any(c.isspace() or c == '"' for c in name):
        return f"in:{name}"
    return f'in:"{name}"'


def _dates(query: SearchQuery) -> Iterator[tuple[str, date]]:
    if query.before is not None:
        yield "before", query.before
    if query.after is not None:
        yield "after", query.after
