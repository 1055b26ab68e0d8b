"""Hypothesis strategies shared by the test modules, and the settings they run with."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Modest example counts keep the whole suite fast; no deadline (the first call compiles).
SETTINGS = settings(max_examples=60, deadline=None)

#: Fuzz tests (tests/test_fuzz*.py, tests/test_api_properties.py): 100 examples each in the normal
#: suite, or the loaded profile's budget when it is larger (``HYPOTHESIS_PROFILE=fuzz``, registered
#: in conftest.py, runs 5,000 each). Generated pack files are large, hence the health checks.
FUZZ = settings(
    max_examples=max(100, settings.default.max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Magnitudes a dashboard sees: positive, from tiny to large, never NaN or infinite.
positive = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False)

#: Any finite magnitude, negative and zero included.
finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)

#: Scale factors for linearity checks.
scales = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)

#: How many of each time unit make one month, worked from pint's definitions by hand:
#: a year is 365.25 days and a month a twelfth of it, so 1 month = 365.25 / 12 = 30.4375 days
#: = 30.4375 x 24 = 730.5 hours = 730.5 x 60 = 43,830 minutes; and 1 week = 7 days.
PER_MONTH: dict[str, float] = {
    "month": 1.0,
    "year": 1 / 12,
    "week": 30.4375 / 7,
    "day": 30.4375,
    "hour": 730.5,
    "minute": 43_830.0,
}

#: A time unit and how many of it make one month.
time_units = st.sampled_from(sorted(PER_MONTH.items()))

#: Kinds of the productivity pack reachable from transaction (capacity ``fte`` included).
productivity_targets = st.sampled_from(["manual_work", "fte", "labor_cost"])
productivity_kinds = st.sampled_from(["transaction", "manual_work", "fte", "labor_cost"])


@st.composite
def intervals(draw: st.DrawFn, lo: float = 1e-3, hi: float = 1e3) -> tuple[float, float, float]:
    """A positive (low, central, high) with low <= central <= high."""
    values = sorted(draw(st.floats(min_value=lo, max_value=hi)) for _ in range(3))
    return values[0], values[1], values[2]


#: Names an expression may use; the interval tests bind each to a positive interval.
NAMES = ("a", "b", "c")

_leaves = st.one_of(
    st.sampled_from(NAMES),
    st.integers(min_value=1, max_value=20).map(str),
    st.sampled_from(["0.5", "2.5", "1e2"]),
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", " "]), children).map(
        lambda t: f"({t[0]}){t[1]}({t[2]})" if t[1] != " " else f"({t[0]}) ({t[2]})"
    )
    power = st.tuples(children, st.sampled_from(["2", "3", "-1", "-2", "0.5"])).map(
        lambda t: f"({t[0]})**{t[1]}"
    )
    negation = children.map(lambda c: f"-({c})")
    return st.one_of(binary, power, negation)


#: Arithmetic expressions over NAMES and small numbers, in the factor grammar.
expressions = st.recursive(_leaves, _combine, max_leaves=8)

#: Text that is not a number followed by a unit.
not_quantities = st.sampled_from(
    ["", "   ", "kWh", "twelve hours", "12..5 hour", "--3 hour", "(12) hour", "hour 12"]
)
