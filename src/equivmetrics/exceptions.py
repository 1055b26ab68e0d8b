"""The exception hierarchy.

Every error the library raises derives from :class:`EquivMetricsError`. Each class also
subclasses the builtin a caller would naturally catch (``ValueError``, ``LookupError``,
``TypeError``) and carries structured fields, so a host can react without parsing messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

__all__ = [
    "AmbiguousKindError",
    "EquivMetricsError",
    "InputError",
    "Location",
    "NegativeValueError",
    "NoPathError",
    "PackError",
    "ParameterError",
    "PeriodError",
    "Problem",
    "UnitError",
    "UnknownKindError",
]


@attrs.frozen(order=True)
class Location:
    """Where something was written: a file (or other origin), a 1-based line and column."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        if self.column <= 0:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


@attrs.frozen
class Problem:
    """One problem found in a pack: where, which field, what was wrong, and what to do."""

    location: Location
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = (
            f"{self.location}: {self.field}: {self.message}"
            if self.field
            else (f"{self.location}: {self.message}")
        )
        if self.hint:
            text += f" ({self.hint})"
        return text


class EquivMetricsError(Exception):
    """Base class of every error raised by equivmetrics.

    Errors pickle with their structured fields, so an error raised in a worker process
    arrives whole in the caller.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self.args, dict(self.__dict__))


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

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in pack files"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class UnitError(EquivMetricsError, ValueError):
    """A unit or quantity that cannot be parsed, or whose dimension does not fit."""

    def __init__(self, message: str, *, unit: str | None = None) -> None:
        self.unit = unit
        super().__init__(message)


class PeriodError(UnitError):
    """A total was given where a rate is needed (or the reverse); the message says how to fix it."""


class InputError(EquivMetricsError, TypeError):
    """A value of a type the library does not accept."""

    def __init__(self, message: str, *, value: object = None) -> None:
        self.value = value
        super().__init__(message)


class NegativeValueError(EquivMetricsError, ValueError):
    """A negative amount of a kind whose ``negative:`` policy refuses negatives.

    ``kind`` names the kind whose policy refused it, ``count`` how many values were negative
    and ``first`` the position of the first one in an array (``None`` for a single number).
    """

    def __init__(
        self, message: str, *, kind: str = "", count: int = 1, first: int | None = None
    ) -> None:
        self.kind = kind
        self.count = count
        self.first = first
        super().__init__(message)


class UnknownKindError(EquivMetricsError, LookupError):
    """A kind name that no loaded pack defines."""

    def __init__(self, message: str, *, kind: str, known: Sequence[str] = ()) -> None:
        self.kind = kind
        self.known = tuple(known)
        super().__init__(message)

    def __str__(self) -> str:  # LookupError would otherwise repr() the message
        return str(self.args[0])


class AmbiguousKindError(EquivMetricsError, LookupError):
    """The unit alone does not decide the source kind; ``candidates`` lists the kinds it fits."""

    def __init__(self, message: str, *, unit: str, candidates: Sequence[str]) -> None:
        self.unit = unit
        self.candidates = tuple(candidates)
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


class NoPathError(EquivMetricsError, LookupError):
    """No chain of rules leads from the source kind to the target kind."""

    def __init__(self, message: str, *, source: str, target: str) -> None:
        self.source = source
        self.target = target
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


class ParameterError(EquivMetricsError, LookupError):
    """An unknown parameter name, or an override whose value does not fit the parameter."""

    def __init__(self, message: str, *, name: str) -> None:
        self.name = name
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])
