"""Password rules (REQUIREMENTS S2): length bounds and a bundled common-password list.

No composition rules and no truncation: a long passphrase is the best password there is.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources

from project.domain.model.errors import WeakPassword

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list (19,646 entries), loaded once, compared case-insensitively."""
    blob = resources.files("project.domain.model.data").joinpath("common-passwords.txt.gz")
    text = gzip.decompress(blob.read_bytes()).decode("utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


def check_password(password: str, *, email: str | None = None) -> None:
    """Raise WeakPassword when the password breaks a rule; the message names the rule."""
    length = len(password)
    if length < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"Password must be at least {MIN_PASSWORD_LENGTH} characters.")
    if length > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"Password must be at most {MAX_PASSWORD_LENGTH} characters.")
    folded = password.casefold()
    if folded in common_passwords():
        raise WeakPassword("This password is too common; choose another.")
    if email is not None and folded in {email.casefold(), email.split("@")[0].casefold()}:
        raise WeakPassword("Password must not be your email address.")
