"""A conversion's steps recorded on first use.

A tenant's conversion computes its floats without recording its steps (see ``tenant.py``);
:class:`StepsLater` records them when ``steps`` is first read, and pickles and copies as the
steps themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

#: The type of a step (``Result``'s ``Step``; this module needs nothing of it).
Step = TypeVar("Step")

__all__ = ["StepsLater", "same_steps", "steps_of"]


class StepsLater(Generic[Step]):
    """A conversion's steps, recorded on first use (a tenant's conversion computes its floats
    without them). Pickles and copies as the steps themselves."""

    __slots__ = ("_make", "_steps")

    def __init__(self, make: Callable[[], tuple[Step, ...]]) -> None:
        self._make: Callable[[], tuple[Step, ...]] | None = make
        self._steps: tuple[Step, ...] | None = None

    def __call__(self) -> tuple[Step, ...]:
        steps = self._steps
        if steps is None:  # two threads may both record them: the same steps either way
            assert self._make is not None
            steps = self._steps = self._make()
            self._make = None
        return steps

    def __reduce__(self) -> tuple[Any, ...]:
        return tuple, (self(),)


def steps_of(steps: tuple[Step, ...] | StepsLater[Step]) -> tuple[Step, ...]:
    """The steps themselves, recorded now if they were left for later."""
    return steps if isinstance(steps, tuple) else steps()


def same_steps(
    a: tuple[Step, ...] | StepsLater[Step], b: tuple[Step, ...] | StepsLater[Step]
) -> bool:
    return steps_of(a) == steps_of(b)
