"""The library's advice in the command line's words.

The library advises in Python: ``pass negative='nan'``, ``of='co2e'``, ``engine.kinds``,
``engine.with_rates(...)``. On the command line the same advice names its options
(``--negative nan``, ``--of co2e``, the ``packs`` command), or says what the command line
cannot do; a scorecard's advice is :mod:`.scorecard_advice`'s.
"""

from __future__ import annotations

import re

from equivmetrics.exceptions import EquivMetricsError, NegativeValueError, ScorecardError

from .scorecard_advice import scorecard_words_for

__all__ = ["cli_words"]


def cli_words(exc: EquivMetricsError, message: str) -> str:
    """The library's advice, in the command line's words (``--negative nan``, ``--of co2e``,
    ``--reference target``)."""
    if isinstance(exc, NegativeValueError):
        message = message.replace("pass negative='nan'", "pass --negative nan")
        message = message.replace("negative='allow'", "--negative allow")
    if isinstance(exc, ScorecardError):  # --pack FILE, --reference target
        return scorecard_words_for(message, "cli")
    message = message.replace("(engine.kinds lists the kinds this engine has)", _KINDS)
    message = _RATES.sub(_NO_RATES, message)
    message = _OF_NAMED.sub(r"--of \1", message)
    return _OF.sub("--of", message)


#: The library's advice that has no option on the command line, and what to say there.
_KINDS = "(`equivmetrics packs` lists the kinds, for the same --region and --edition)"
_RATES = re.compile(
    r"give dated rates with engine\.with_rates\(.*?date='YYYY-MM-DD'\) \(how many \w+ buy one "
    r"\w+ on that date\), or give every money figure in one currency"
)
_NO_RATES = (
    "the command line exchanges none: give every money figure in one currency (or exchange "
    "with dated rates in Python: Engine.with_rates, docs/tenants.md)"
)


#: ``of='co2e'`` and a bare ``of=`` in the library's advice (not ``unit='...'``, a value).
_OF_NAMED = re.compile(r"(?<![\w'])of='([A-Za-z][A-Za-z0-9_]*)'")
_OF = re.compile(r"(?<![\w'])of=(?![\w'])")
