"""Every error equivmetrics raises, and the locations pack problems carry.

Every error the library raises is an :class:`EquivMetricsError` and also the builtin a caller
would naturally catch: a bad value is a ``ValueError``, an unknown name a ``LookupError``, a
wrong type a ``TypeError`` (``InputError`` and ``ParameterError`` only group subclasses that
carry one). Each carries structured fields (``kind``, ``unit``, ``problems``...) so
a host can react without parsing messages, a stable :attr:`~EquivMetricsError.code` for JSON
(docs/errors.md lists them), and pickles whole into and out of worker processes. The tree,
with when each is raised::

    EquivMetricsError                        every error of the library
    ├── PackError (ValueError)               pack files have problems; .problems lists each one
    ├── ExprError (ValueError)               an expression does not parse; .column points in
    ├── UnitError (ValueError)               a unit cannot be read, or its dimension does not fit
    │   └── PeriodError                      a total where a rate is needed (or the reverse)
    ├── InputError                           an argument the library does not accept
    │   ├── InputTypeError (TypeError)       ... of a type it does not take (a list for a kind)
    │   ├── InputValueError (ValueError)     ... of the right type, but unfit (top=0, 10**400)
    │   └── InputLookupError (LookupError)   ... naming what the caller's data lacks (a column)
    ├── NegativeValueError (ValueError)      a negative amount of a kind that refuses negatives
    ├── ScorecardError (ValueError)          team numbers or indicators a scorecard cannot use
    ├── LocaleError (ValueError)             an unknown locale, or one that needs babel
    ├── UnknownKindError (LookupError)       a kind name no loaded pack defines
    ├── AmbiguousKindError (LookupError)     the unit does not decide the kind: say it with of=
    ├── NoPathError (LookupError)            no chain of rules leads from one kind to the other
    │   └── NoEquivalentError                no equivalent of the role asked for can be given
    └── ParameterError                       a parameter override that cannot be used
        ├── UnknownParameterError (LookupError)  no loaded pack defines that parameter
        ├── ParameterTypeError (TypeError)       the value is of a type overrides do not take
        └── ParameterValueError (ValueError)     the value does not fit (not positive, …)

Catch what you can act on, most specific first; ``EquivMetricsError`` catches everything the
library raises, and the builtins keep working for code that knows nothing of equivmetrics
(docs/errors.md shows how, with examples the test suite runs).

The classes whose only purpose is a builtin base (the ``InputError`` and ``ParameterError``
subclasses) keep their parent's ``code``: a service's JSON does not depend on that refinement.

This module imports nothing from the rest of the package: every layer may use it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import attrs

__all__ = [
    "AmbiguousKindError",
    "EquivMetricsError",
    "ExprError",
    "InputError",
    "InputLookupError",
    "InputTypeError",
    "InputValueError",
    "LocaleError",
    "Location",
    "NegativeValueError",
    "NoEquivalentError",
    "NoPathError",
    "PackError",
    "ParameterError",
    "ParameterTypeError",
    "ParameterValueError",
    "PeriodError",
    "Problem",
    "ScorecardError",
    "UnitError",
    "UnknownKindError",
    "UnknownParameterError",
]


@attrs.frozen(order=True)
class Location:
    """Where something was written: a file (or other origin), a 1-based line and column.

    ``file`` is the origin as read (a path on this machine); :meth:`to_dict` names the file alone.
    """

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        if self.column <= 0:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"

    @property
    def name(self) -> str:
        """The file's name without its folder: ``productivity.yaml``."""
        return _base_name(self.file)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, without folders: ``{"file": name, "line": n, "column": n}``.

        ``line`` and ``column`` are ``None`` when not known.

        >>> Location("/srv/app/packs/mine.yaml", 12, 5).to_dict()
        {'file': 'mine.yaml', 'line': 12, 'column': 5}
        """
        return {
            "file": self.name,
            "line": self.line if self.line > 0 else None,
            "column": self.column if self.line > 0 and self.column > 0 else None,
        }


@attrs.frozen
class Problem:
    """One problem found in a pack: where, which field, what was wrong, and what to do."""

    location: Location
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        return _problem_text(str(self.location), self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, without folders: the location's fields, ``field``, ``message``, ``hint``."""
        return {
            **self.location.to_dict(),
            "field": self.field,
            "message": _public_text(self.message),
            "hint": _public_text(self.hint),
        }


def _problem_text(where: str, problem: Problem) -> str:
    field = f"{problem.field}: " if problem.field else ""
    hint = f" ({problem.hint})" if problem.hint else ""
    return f"{where}: {field}{problem.message}{hint}"


class EquivMetricsError(Exception):
    """Base class of every error raised by equivmetrics.

    ``code`` is stable and documented (docs/errors.md): JSON outputs carry it, so programs in
    any language can tell errors apart. Errors pickle with their structured fields, so an
    error raised in a worker process arrives whole in the caller.
    """

    code: ClassVar[str] = "EquivMetricsError"

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self.args, dict(self.__dict__))

    def to_dict(self) -> dict[str, Any]:
        """``{"code", "message"}``, JSON-ready; the message names files without folders."""
        return {"code": self.code, "message": _public_text(str(self))}


def _rebuild(
    cls: type[EquivMetricsError], args: tuple[Any, ...], state: dict[str, Any]
) -> EquivMetricsError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class PackError(EquivMetricsError, ValueError):
    """One or more problems in pack files; ``problems`` lists every one, each with its location.

    Loading never half-succeeds: when this is raised, no engine was built.
    """

    code = "PackError"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._text(str))

    def _text(self, where: Any) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in pack files"
        lines = (_problem_text(where(p.location), p) for p in self.problems)
        return head + ":\n" + "\n".join(f"  {line}" for line in lines)

    def to_dict(self) -> dict[str, Any]:
        """``{"code", "message", "problems"}``, each problem as :meth:`Problem.to_dict`."""
        return {
            "code": self.code,
            "message": _public_text(self._text(_short)),
            "problems": [problem.to_dict() for problem in self.problems],
        }


class ExprError(EquivMetricsError, ValueError):
    """A malformed or unevaluable expression; ``column`` is 1-based within the expression.

    In a pack it is reported as a :class:`PackError`, in an override a :class:`ParameterValueError`.
    """

    code = "ExprError"

    def __init__(self, message: str, column: int = 0, hint: str = "") -> None:
        self.message, self.column, self.hint = message, column, hint
        super().__init__(message)


class UnitError(EquivMetricsError, ValueError):
    """A unit or quantity that cannot be parsed, or whose dimension does not fit."""

    code = "UnitError"

    def __init__(self, message: str, *, unit: str | None = None) -> None:
        self.unit = unit
        super().__init__(message)


class PeriodError(UnitError):
    """A total was given where a rate is needed (or the reverse); the message says how to fix it."""

    code = "PeriodError"


class InputError(EquivMetricsError):
    """An argument the library does not accept (``value``), raised as the subclass whose
    builtin fits the mistake: a wrong type, an unfit value, a name the caller's data lacks."""

    code = "InputError"

    def __init__(self, message: str, *, value: object = None) -> None:
        self.value = value
        super().__init__(message)


class InputTypeError(InputError, TypeError):
    """An argument of a type the library does not take (a list where text is needed)."""


class InputValueError(InputError, ValueError):
    """An argument of the right type whose value does not fit (``top=0``, ``10**400``)."""


class InputLookupError(InputError, LookupError):
    """An argument naming something the caller's own data does not hold (a frame's column)."""


class NegativeValueError(EquivMetricsError, ValueError):
    """A negative amount of a kind whose ``negative:`` policy refuses negatives.

    ``kind`` names the kind whose policy refused it, ``count`` how many values were negative
    and ``first`` the position of the first one in an array (``None`` for a single number).
    """

    code = "NegativeValueError"

    def __init__(
        self, message: str, *, kind: str = "", count: int = 1, first: int | None = None
    ) -> None:
        self.kind, self.count, self.first = kind, count, first
        super().__init__(message)


class ScorecardError(EquivMetricsError, ValueError):
    """Numbers a scorecard cannot use: ``problem`` says why, the other fields where (see docs)."""

    code = "ScorecardError"

    def __init__(
        self, message: str, *, problem: str, indicator: str = "", team: str = "", period: str = ""
    ) -> None:
        self.problem, self.indicator, self.team, self.period = problem, indicator, team, period
        super().__init__(message)

    def to_dict(self) -> dict[str, Any]:
        """``{"code", "message"}`` with ``problem``, ``indicator``, ``team``, ``period``."""
        return super().to_dict() | {k: v for k, v in vars(self).items() if k[0] != "_"}


class LocaleError(EquivMetricsError, ValueError):
    """A locale that cannot be used: unknown, or not English and babel is not installed."""

    code = "LocaleError"


class UnknownKindError(EquivMetricsError, LookupError):
    """A kind name that no loaded pack defines; ``known`` lists the kinds that exist."""

    code = "UnknownKindError"

    def __init__(self, message: str, *, kind: str, known: Sequence[str] = ()) -> None:
        self.kind, self.known = kind, tuple(known)
        super().__init__(message)


class AmbiguousKindError(EquivMetricsError, LookupError):
    """The unit alone does not decide the source kind; ``candidates`` lists the kinds it fits."""

    code = "AmbiguousKindError"

    def __init__(self, message: str, *, unit: str, candidates: Sequence[str]) -> None:
        self.unit, self.candidates = unit, tuple(candidates)
        super().__init__(message)


class NoPathError(EquivMetricsError, LookupError):
    """No chain of rules leads from the source kind to the target kind."""

    code = "NoPathError"

    def __init__(self, message: str, *, source: str, target: str) -> None:
        self.source, self.target = source, target
        super().__init__(message)


class NoEquivalentError(NoPathError):
    """No equivalent of ``role`` can be given for an input of kind ``source`` (``target`` is
    empty); ``roles`` names the roles that have equivalents for it instead."""

    code = "NoEquivalentError"

    def __init__(self, message: str, *, source: str, role: str, roles: Sequence[str] = ()) -> None:
        self.role, self.roles = role, tuple(roles)
        super().__init__(message, source=source, target="")


class ParameterError(EquivMetricsError):
    """A parameter (``name``) that cannot be overridden as asked (raised as a subclass)."""

    code = "ParameterError"

    def __init__(self, message: str, *, name: str) -> None:
        self.name = name
        super().__init__(message)


class UnknownParameterError(ParameterError, LookupError):
    """No loaded pack defines a parameter of this name (the message suggests close names)."""


class ParameterTypeError(ParameterError, TypeError):
    """An override of a type parameters do not take (give text, a number, a pair or a mapping)."""


class ParameterValueError(ParameterError, ValueError):
    """An override whose value does not fit: unreadable, another dimension, not positive."""


# -- JSON without folders -----------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\\/]")
#: A path in text: absolute (``/srv/x``, ``C:\x``, ``~/x``; one ending in a pack file may hold
#: spaces) or a relative one naming a pack file. Quotes, spaces and ``:line`` end it.
_PATH = re.compile(
    r"""(?<![\w.\-~/\\>])
        (?P<path>
            (?:[A-Za-z]:[\\/]|\\\\|~[\\/]|/)[^'"<>|:*?,;()\[\]{}\n]*?\.ya?ml(?=[\s:'",;)]|$)
          | (?:[A-Za-z]:[\\/]|\\\\|~[\\/]|/)[^\s'"<>|:*?,;()\[\]{}]*
          | (?:[^\s'"<>|:*?,;()\[\]{}/\\]+[\\/])+[^\s'"<>|:*?,;()\[\]{}/\\]+\.ya?ml
        )""",
    re.VERBOSE,
)


def _base_name(path: str) -> str:
    return next((part for part in reversed(_SEPARATORS.split(path)) if part), path)


def _short(location: Location) -> str:  # the file's name, not its folders
    return str(Location(location.name, location.line, location.column))


def _is_path(text: str) -> bool:
    """Whether ``text`` names a file: an absolute POSIX path must name a pack file or start in
    a folder that exists here (the odd unit ``/kg/m`` is no path)."""
    parts = [part for part in _SEPARATORS.split(text) if part]
    if len(parts) < 2:
        return False
    if text.startswith("/") and not text.startswith("//"):
        return text.endswith((".yaml", ".yml")) or os.path.isdir("/" + parts[0])
    return True


def _public_text(text: str) -> str:
    """``text`` with every file path in it shortened to the file's name, for JSON.

    >>> _public_text("kind 'x' is already defined at /srv/app/packs/a.yaml:3:5")
    "kind 'x' is already defined at a.yaml:3:5"
    >>> _public_text("cannot read '12 kWh/yr'")
    "cannot read '12 kWh/yr'"
    """
    if "/" not in text and "\\" not in text:
        return text

    def shorten(match: re.Match[str]) -> str:
        path = match.group("path")
        return _base_name(path) if _is_path(path) else path

    return _PATH.sub(shorten, text)
