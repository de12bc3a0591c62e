"""What a page's frame throws: the browser tests' way to prove a snapshot cannot reach something."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Frame


async def error_of(frame: Frame, expression: str) -> str:
    """What evaluating `expression` in the frame throws; fails if it does not throw."""
    try:
        value = await frame.evaluate(expression)
    except Exception as error:  # Playwright's Error; its module is imported lazily
        return str(error)
    raise AssertionError(f"{expression} gave {value!r} in the snapshot")
