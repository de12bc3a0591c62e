"""Listings as aligned plain-text tables for people, or a JSON array for scripts."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec
import typer

_EMPTY = "-"


def emit(rows: Sequence[msgspec.Struct], kind: type[msgspec.Struct], *, as_json: bool) -> None:
    """Print `rows` (all of type `kind`) as a JSON array or as a table."""
    if as_json:
        typer.echo(msgspec.json.encode(rows).decode())
    else:
        typer.echo(table(rows, kind))


def emit_one(row: msgspec.Struct, *, as_json: bool) -> None:
    """Print one record as a JSON object or as `field: value` lines."""
    if as_json:
        typer.echo(msgspec.json.encode(row).decode())
        return
    names = row.__struct_fields__
    width = max(len(name) for name in names)
    for name in names:
        label = f"{name.replace('_', ' ')}:"
        typer.echo(f"{label:<{width + 2}}{cell(getattr(row, name))}")


def table(rows: Sequence[msgspec.Struct], kind: type[msgspec.Struct]) -> str:
    names = kind.__struct_fields__
    header = [name.replace("_", " ").upper() for name in names]
    body = [[cell(getattr(row, name)) for name in names] for row in rows]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(names))]
    return "\n".join(_line(line, widths) for line in [header, *body])


def cell(value: Any) -> str:
    """One value as table text: never a control character, so no terminal escapes get out."""
    return _printable(_text(value))


def _text(value: Any) -> str:
    if value is None:
        return _EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    if isinstance(value, Mapping):
        return " ".join(f"{key}={_text(item)}" for key, item in value.items()) or _EMPTY
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(sorted(_text(item) for item in value)) or _EMPTY
    return str(value) or _EMPTY


def _printable(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
