"""A scorecard error's advice in the words of the place it is shown.

The library advises in Python (``pass indicators=[em.Indicator(...)]``, ``use
reference='target'``). On the command line the same advice names options (``--pack FILE``,
``--reference target``); in the HTTP service, the request's fields and the tenant file's
``packs:``. :func:`reworded` swaps the phrases, so each error still says what to do where the
reader is.
"""

from __future__ import annotations

from typing import Literal

from equivmetrics._features.indicator import SEPARATORS
from equivmetrics.exceptions import ScorecardError

__all__ = ["Place", "reworded", "scorecard_words_for"]

Place = Literal["cli", "service"]

_NO_INDICATORS = (
    "declare them in a pack's indicators: section or pass indicators=[em.Indicator(...)]"
)

#: The library's phrase, and the same advice on the command line and in the service.
_PHRASES: tuple[tuple[str, str, str], ...] = (
    (
        _NO_INDICATORS,
        "give a pack with an indicators: section with --pack FILE (docs/pack-format.md#indicators)",
        "add a pack with an indicators: section to the tenant's packs: in the tenant file "
        "(docs/pack-format.md#indicators)",
    ),
    ("reference='target'", "--reference target", '"reference": "target"'),
    ("reference='median'", "--reference median", '"reference": "median"'),
    (
        SEPARATORS,
        "write it as a number the file's other numbers settle (120.5, or 120,5 where they "
        "write decimal commas)",
        "send numbers in the JSON, not text",
    ),
    (
        "say which with driven_by=",
        "say which with driven_by: in the pack's indicator",
        "say which with driven_by: in the pack's indicator",
    ),
)


def scorecard_words_for(message: str, place: Place) -> str:
    """``message`` with the library's Python advice in the words of ``place``."""
    column = 1 if place == "cli" else 2
    for phrase in _PHRASES:
        message = message.replace(phrase[0], phrase[column])
    return message


def reworded(exc: ScorecardError, place: Place) -> ScorecardError:
    """The same error (problem, indicator, team, period) with its advice for ``place``."""
    again = ScorecardError(
        scorecard_words_for(str(exc), place),
        problem=exc.problem,
        indicator=exc.indicator,
        team=exc.team,
        period=exc.period,
    )
    again.__cause__ = exc.__cause__
    return again
