"""The options every entry point shares, defined once.

The Python API (``Engine.convert``, ``Engine.feel_good``, ``Engine.action`` and the module-level
shortcuts), the command line (``--of``, ``--unit``, …) and the JSON stream (request fields) all
take these options under these names. The command line builds its flags from this table, the
stream its request fields, and a test holds the Python signatures to it, so the three cannot
drift apart.

>>> [option.flag for option in options_of("convert")]
['--of', '--unit', '--per', '--negative']
>>> OPTIONS["top"].help
'show at most this many equivalents'
"""

from __future__ import annotations

from typing import Literal

import attrs

from .negative import POLICIES

__all__ = ["COMMAND_OPTIONS", "OPTIONS", "Option", "OptionType", "options_of"]

#: How an option's value is written: a name or unit text, kind names, a whole number, or one of
#: a fixed set of words.
OptionType = Literal["text", "names", "whole", "choice"]


@attrs.frozen
class Option:
    """One option: its keyword name, what its value is, and one line of help."""

    name: str
    type: OptionType
    metavar: str
    help: str
    choices: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        """The command-line flag (``--of``)."""
        return f"--{self.name}"


OPTIONS: dict[str, Option] = {
    option.name: option
    for option in (
        Option("of", "text", "KIND", "the source kind when the unit does not decide it"),
        Option("unit", "text", "UNIT", "the result unit (default: the kind's display unit)"),
        Option("per", "text", "PERIOD", "turn a total into a rate over this period, e.g. month"),
        Option(
            "negative",
            "choice",
            "POLICY",
            "override the policy for negative values (default: the kinds' own)",
            POLICIES,
        ),
        Option("only", "names", "KINDS", "the kinds to show, in this order"),
        Option("top", "whole", "N", "show at most this many equivalents"),
        Option(
            "locale", "text", "LOCALE", "word them in this locale, e.g. de or pt_BR (needs babel)"
        ),
        Option("sig", "whole", "N", "significant figures (default: 2 or 3, by the range)"),
    )
}

#: The options of each command, in the order of the Python signatures.
COMMAND_OPTIONS: dict[str, tuple[str, ...]] = {
    "convert": ("of", "unit", "per", "negative"),
    "feel-good": ("of", "only", "top", "per", "locale", "sig"),
    "action": ("of", "only", "top", "per", "locale", "sig"),
}


def options_of(command: str) -> tuple[Option, ...]:
    """The options of ``command`` (``convert``, ``feel-good`` or ``action``), in order."""
    return tuple(OPTIONS[name] for name in COMMAND_OPTIONS[command])
