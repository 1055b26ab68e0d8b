"""Naming what the caller may have meant: close matches and safely shortened names.

Used by every message about an unknown name (kinds, parameters, options), so that a "did you
mean" is offered the same way everywhere and a message never echoes megabytes of input.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["LONG_NAME", "close_matches", "shown"]

#: Names longer than this get no suggestions (matching costs grow with the length) and are
#: shown shortened in messages: no kind or parameter name is anywhere near it.
LONG_NAME = 64


def close_matches(name: str, known: Iterable[str], n: int) -> list[str]:
    """Close matches for an unknown name; none for a name no real one resembles.

    >>> close_matches("ftee", ["fte", "co2e", "coal"], 2)
    ['fte']
    """
    return difflib.get_close_matches(name, list(known), n=n) if len(name) <= LONG_NAME else []


def shown(name: str) -> str:
    """``repr(name)``, shortened when it is very long (a message never echoes megabytes).

    >>> shown("fte")
    "'fte'"
    >>> shown("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (100 characters)"
    """
    if len(name) <= LONG_NAME:
        return repr(name)
    return f"{name[:LONG_NAME]!r}... ({len(name)} characters)"
