"""Metric definitions: declared once (in Python or a pack), applied to values and tenants."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import equivmetrics as em
from strategies import SETTINGS

FOREST = Path(__file__).parent / "packs" / "present" / "forest.yaml"
PANEL = em.Metric(
    source="transaction",
    unit="transaction/month",
    show=("manual_work", "fte", "labor_cost"),
    title="Value this month",
)


def test_apply_a_number_in_the_metric_unit() -> None:
    work, staff, cost = PANEL.apply(12000)
    # 12,000 x 3 min = 600 h/month; x 12 / 1,878.50 h worked per FTE-year (2,080 x 32.07 /
    # 35.51) = 3.8328 FTE; 600 x $45.65 per hour worked = $27,390/month
    assert work.magnitude == pytest.approx(600.0)
    assert staff.magnitude == pytest.approx(3.8328, rel=1e-4)
    assert cost.magnitude == pytest.approx(27390.0)
    assert [e.role for e in (work, staff, cost)] == ["feel_good"] * 3


def test_text_and_quantities_are_accepted_too() -> None:
    assert PANEL.apply("12000 transaction/month")[0].magnitude == pytest.approx(600.0)
    per_day = PANEL.apply((400, "transaction/day"))[0]
    assert per_day.magnitude == pytest.approx(20.0)  # 400 x 3 min = 20 h, a day
    assert per_day.unit == "hour/day"


def test_many_tenants_each_with_its_own_parameters() -> None:
    base = em.load()
    engines = {
        "acme": base.with_params(minutes_per_transaction="4 min"),
        "globex": base.with_params(
            minutes_per_transaction="2 min", hourly_labor_cost="60 USD/hour"
        ),
    }
    panels = PANEL.apply_many({"acme": 12000, "globex": 6000}, engines=engines)
    # acme: 12,000 x 4 min = 800 h; globex: 6,000 x 2 min = 200 h, x $60 = $12,000
    assert panels["acme"][0].magnitude == pytest.approx(800.0)
    assert panels["globex"][0].magnitude == pytest.approx(200.0)
    assert panels["globex"][2].magnitude == pytest.approx(12000.0)
    assert panels["acme"][2].magnitude == pytest.approx(800 * 45.65)


def test_one_engine_for_many_periods() -> None:
    months = PANEL.apply_many({"2026-01": 10000, "2026-02": 12000})
    assert months["2026-02"][0].magnitude == pytest.approx(600.0)
    assert months["2026-01"][0].magnitude == pytest.approx(500.0)


def test_a_missing_tenant_engine_is_an_error() -> None:
    with pytest.raises(em.InputError, match="no engine for 'initech'"):
        PANEL.apply_many({"initech": 1}, engines={"acme": em.load()})


def test_bare_numbers_need_the_metric_unit() -> None:
    metric = em.Metric(source="transaction", show=("manual_work",))
    with pytest.raises(em.InputError, match="no unit for bare numbers"):
        metric.apply(12000)


def test_role_is_checked() -> None:
    with pytest.raises(em.InputError, match="role must be one of feel_good, action"):
        em.Metric(source="transaction", role="brag")  # type: ignore[arg-type]


@SETTINGS
@given(
    values=arrays("float64", st.integers(1, 20), elements=st.floats(0, 1e7) | st.just(float("nan")))
)
def test_columns_equal_scalar_conversions(values: object) -> None:
    import numpy as np

    columns = PANEL.columns(values)
    assert set(columns) == {"manual_work", "fte", "labor_cost"}
    for kind, result in columns.items():
        for x, y in zip(values, result.magnitude, strict=True):  # type: ignore[call-overload]
            if np.isnan(x):
                assert np.isnan(y)
            else:
                assert y == em.convert((float(x), "transaction/month"), kind).magnitude


def test_columns_need_show() -> None:
    with pytest.raises(em.InputError, match="needs the metric's show= kinds"):
        em.Metric(source="transaction", unit="transaction/month").columns([1.0])


def test_metrics_declared_in_a_pack(forest: em.Engine) -> None:
    engine = forest
    panel = engine.metrics["carbon_panel"]
    assert panel.title == "Carbon stored"
    assert panel.show == ("planted", "leaves")
    trees, leaves = panel.apply(100, engine=engine)
    # 100 kg / 20 kg per tree = 5 trees; / 0.01 kg per leaf = 10,000 leaves
    assert trees.magnitude == pytest.approx(5.0)
    assert leaves.magnitude == pytest.approx(10000.0)


def test_a_pack_metric_naming_an_unknown_kind_is_a_load_error(tmp_path: Path) -> None:
    text = FOREST.read_text(encoding="utf-8").replace(
        "show: [planted, leaves]", "show: [planted, leafs]"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(em.PackError) as info:
        em.load(bad, bundled=False)
    [problem] = info.value.problems
    assert problem.field == "metrics.carbon_panel"
    assert "unknown kind 'leafs'" in problem.message
    assert "did you mean 'leaves'" in problem.hint
    assert problem.location.line == text.splitlines().index("  - name: carbon_panel") + 1


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"source": None}, "Metric source must be a kind name, not None"),
        ({"source": ""}, "Metric source must be a kind name, not ''"),
        ({"source": "transaction", "unit": 5}, "Metric unit must be a unit text or None, not 5"),
        ({"source": "transaction", "per": ["month"]}, "Metric per must be a unit text or None"),
        ({"source": "transaction", "top": 0}, "Metric top must be a whole number from 1 to"),
        ({"source": "transaction", "top": True}, "Metric top must be a whole number"),
        ({"source": "transaction", "sig": 9}, "Metric sig must be a whole number from 1 to 6"),
        ({"source": "transaction", "name": None}, "Metric name must be text, not None"),
        ({"source": "transaction", "title": 3}, "Metric title must be text, not 3"),
    ],
)
def test_a_metric_refuses_wrong_types_when_declared(
    options: dict[str, object], needle: str
) -> None:
    with pytest.raises(em.InputError) as caught:
        em.Metric(**options)  # type: ignore[arg-type]
    assert needle in str(caught.value)
