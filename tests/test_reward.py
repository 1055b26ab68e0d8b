"""Reward rules: whole steps only, from Python or from packs."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from strategies import SETTINGS

EXAMPLE_PACK = Path(__file__).resolve().parent.parent / "docs" / "examples" / "support_desk.yaml"
LEAVE = em.RewardRule(
    name="extra_leave",
    every="100 hour",
    grant="2 hour",
    reward=("hour of extra leave", "hours of extra leave"),
)


@pytest.mark.parametrize(
    ("saved", "steps", "granted", "rest"),
    [
        ("250 hour", 2, 4.0, 50.0),
        ("300 hour", 3, 6.0, 0.0),
        ("99.9 hour", 0, 0.0, 99.9),
        ("6000 minute", 1, 2.0, 0.0),
        ("-40 hour", 0, 0.0, 0.0),
    ],
)
def test_whole_steps_only(saved: str, steps: int, granted: float, rest: float) -> None:
    reward = LEAVE.apply(saved)
    assert reward.steps == steps
    assert reward.value == pytest.approx(granted)
    assert reward.rest == pytest.approx(rest)
    assert reward.unit == "hour"


def test_text_reads_naturally() -> None:
    assert LEAVE.apply("250 hour").text == (
        "4 hours of extra leave (2 steps of 100 hour; 50 hour towards the next)"
    )
    assert LEAVE.apply("150 hour").text.startswith("2 hours of extra leave (1 step of")


@SETTINGS
@given(hours=st.floats(0, 1e7))
def test_never_a_fraction_of_a_step(hours: float) -> None:
    reward = LEAVE.apply((hours, "hour"))
    assert reward.steps == int(reward.steps)
    assert reward.value == reward.steps * 2
    assert reward.steps * 100 <= hours * (1 + 1e-12) + 1e-9
    assert hours - reward.steps * 100 < 100 + 1e-6


def test_applies_to_results_of_its_kind() -> None:
    saved = em.convert("12000 transaction", "manual_work")  # 12,000 x 3 min = 600 h
    rule = em.RewardRule(name="leave", every="100 hour", grant="2 hour", kind="manual_work")
    assert rule.apply(saved).value == pytest.approx(12.0)
    with pytest.raises(em.InputError, match="counts manual_work, not fte"):
        rule.apply(em.convert("600 hour/month", "fte", of="manual_work"))


def test_money_share_for_a_training_budget() -> None:
    # "a share of cost savings to training budget": every $10,000 saved -> $500
    budget = em.RewardRule(
        name="training",
        every="10000 USD",
        grant="500 USD",
        reward="of training budget",
        text="${value} {label}",
    )
    saved = em.convert("12000 transaction", "labor_cost")  # 600 h x $45.65 = $27,390: 2 steps
    reward = budget.apply(saved)
    assert (reward.steps, reward.value) == (2, 1000.0)
    assert reward.text == "$1,000 of training budget"


def test_a_rate_is_refused_so_no_step_is_paid_twice() -> None:
    with pytest.raises(em.InputError, match="turned into the period's total"):
        LEAVE.apply("600 hour/month")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"every": "0 hour"}, "must be a positive amount"),
        ({"every": "100 hourz"}, "unknown unit 'hourz'"),
        ({"grant": "-2 hour"}, "must be a positive amount"),
        ({"text": "{value} {bonus}"}, "unknown placeholder {bonus}"),
    ],
)
def test_bad_rules_are_input_errors(kwargs: dict[str, str], message: str) -> None:
    arguments: dict[str, Any] = {"name": "r", "every": "100 hour", "grant": "2 hour", **kwargs}
    with pytest.raises(em.InputError, match=message):
        em.RewardRule(**arguments)


def test_rewards_declared_in_a_pack() -> None:
    engine = em.load(EXAMPLE_PACK)
    rule = engine.rewards["extra_leave"]
    saved = engine.convert("3000 ticket", "manual_work")  # 3,000 x 12 min = 600 h
    reward = rule.apply(saved)
    assert reward.value == pytest.approx(12.0)
    assert reward.text == "12 hours of extra leave for the support team (6 x 100 hour saved)"
    assert reward.to_dict()["schema"] == "equivmetrics.reward/1"


def test_a_pack_reward_counts_a_unit_of_its_own_pack(tmp_path: Path) -> None:
    # The rule reads units in its engine's registry, where the pack's 'ticket' is defined; a
    # rule declared alone reads pint's and the library's units only.
    text = EXAMPLE_PACK.read_text(encoding="utf-8").replace(
        "    kind: manual_work\n    every: 100 hour",
        "    kind: ticket_deflected\n    every: 100 ticket",
    )
    pack = tmp_path / "tickets.yaml"
    pack.write_text(text, encoding="utf-8")
    rule = em.load(pack).rewards["extra_leave"]
    reward = rule.apply("250 tickets")  # 2 whole steps of 100 tickets, 2 hours each
    assert (reward.steps, reward.value) == (2, 4.0)
    assert reward.rest == pytest.approx(50.0)
    again = pickle.loads(pickle.dumps(rule))  # its units travel as their definitions
    assert again.apply("250 tickets") == reward
    with pytest.raises(em.InputError, match="unknown unit 'ticket'"):
        em.RewardRule(name="r", every="100 ticket", grant="2 hour")
    # the scope is an argument like any other: it survives attrs.evolve, and a rule declared
    # in Python may read an engine's units too
    changed = attrs.evolve(rule, grant="3 hour")
    assert changed.apply("250 tickets").value == 6.0  # 2 steps x 3 hours
    units = em.load(pack).catalog.units
    mine = em.RewardRule(name="r", every="100 ticket", grant="2 hour", units=units)
    assert mine.apply("250 tickets").steps == 2


def test_a_pack_reward_that_does_not_fit_its_kind_is_a_load_error(tmp_path: Path) -> None:
    text = EXAMPLE_PACK.read_text(encoding="utf-8").replace("every: 100 hour", "every: 100 USD")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(em.PackError) as info:
        em.load(bad)
    [problem] = info.value.problems
    assert problem.field == "rewards.extra_leave.every"
    assert "does not measure manual_work" in problem.message
    assert problem.location.line == text.splitlines().index("  - name: extra_leave") + 1


def test_more_steps_than_a_float_counts_is_an_error_not_an_overflow() -> None:
    # 1 hour = 3600 s; 3600 / 1e-310 = 3.6e313 steps, past the largest float (about 1.8e308)
    rule = em.RewardRule(name="leave", every="1E-310 s", grant="2 hour", reward="reward")
    with pytest.raises(em.InputError, match=r"more steps of 1E-310 s than a 64-bit float") as info:
        rule.apply("1 hour")
    assert isinstance(info.value, ValueError)
