"""The shared options: one table, and every entry point takes exactly those options."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

import equivmetrics as em
from equivmetrics._core.options import COMMAND_OPTIONS, OPTIONS, options_of
from equivmetrics._engine.core import Converter, Converts
from equivmetrics._integrations.cli_parser import build_parser as _parser
from equivmetrics._integrations.stream import COMMANDS


def _keywords(function: Callable[..., Any]) -> tuple[str, ...]:
    parameters = inspect.signature(function).parameters.values()
    return tuple(p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY)


@pytest.mark.parametrize(
    ("command", "function"),
    [
        ("convert", em.Engine.convert),
        ("convert", Converter.convert),
        ("convert", Converts.convert),
        ("convert", em.convert),
        ("feel-good", em.Engine.feel_good),
        ("feel-good", em.feel_good),
        ("action", em.Engine.action),
        ("action", em.action),
    ],
)
def test_python_signatures_take_the_shared_options(
    command: str, function: Callable[..., Any]
) -> None:
    assert _keywords(function) == COMMAND_OPTIONS[command]


@pytest.mark.parametrize("command", sorted(COMMAND_OPTIONS))
def test_the_command_line_takes_the_shared_options(command: str) -> None:
    _, commands = _parser()
    flags = {s for action in commands[command]._actions for s in action.option_strings}
    assert {option.flag for option in options_of(command)} <= flags
    for action in commands[command]._actions:
        name = action.dest
        if name in OPTIONS and name in COMMAND_OPTIONS[command]:
            assert action.help is not None
            assert action.help.startswith(OPTIONS[name].help)


@pytest.mark.parametrize("command", sorted(COMMAND_OPTIONS))
def test_the_stream_takes_the_shared_options(command: str) -> None:
    # the engine-level fields (a tenant's params and place) besides the shared options
    base = {"id", "quantity", "params", "region", "edition"}
    base |= {"to"} if command == "convert" else set()
    assert COMMANDS[command] == base | set(COMMAND_OPTIONS[command])


def test_a_misspelt_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="toop"):
        em.feel_good("12400 kWh", toop=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="toop"):
        em.load().action("420 kcal", toop=3)  # type: ignore[call-arg]
