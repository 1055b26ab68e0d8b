"""equivmetrics: turn raw metrics into cited, unit-safe equivalents people understand.

>>> import equivmetrics as em
>>> r = em.convert("12000 transaction/month", "manual_work")
>>> r.magnitude, r.unit
(600.0, 'hour/month')
"""

from ._api.engine import Engine
from ._api.load import (
    action,
    clear_cache,
    convert,
    default_engine,
    feel_good,
    load,
    regions,
)
from ._catalog.catalog import Catalog, Kind, Parameter
from ._core.units import get_registry
from ._engine import result as _result
from ._engine.compiled import Compiled
from ._engine.result import ParameterUse, Result, Step
from ._features.indicator import Indicator
from ._features.metric import Metric
from ._features.reward import Reward, RewardRule
from ._features.scenario import Outcome, Scenario, YearRow
from ._features.scorecard import Scorecard
from ._features.series import Period, Series
from ._features.validate import Report, validate
from ._packs.load import pack_schema
from ._packs.model import Source
from ._packs.select import RegionInfo
from ._packs.yaml import Limits
from ._present.chart import Chart, render_chart
from ._present.derivation import explain
from ._present.equivalent import Equivalent, Equivalents
from ._present.html import render_html, render_page
from ._present.icons import icon_names, icon_svg
from ._present.notebook import result_html as _result_html
from ._version import __version__
from .exceptions import (
    AmbiguousKindError,
    EquivMetricsError,
    ExprError,
    InputError,
    InputLookupError,
    InputTypeError,
    InputValueError,
    LocaleError,
    Location,
    NegativeValueError,
    NoEquivalentError,
    NoPathError,
    PackError,
    ParameterError,
    ParameterTypeError,
    ParameterValueError,
    PeriodError,
    Problem,
    ScorecardError,
    UnitError,
    UnknownKindError,
    UnknownParameterError,
)

__all__ = [
    "AmbiguousKindError",
    "Catalog",
    "Chart",
    "Compiled",
    "Engine",
    "EquivMetricsError",
    "Equivalent",
    "Equivalents",
    "ExprError",
    "Indicator",
    "InputError",
    "InputLookupError",
    "InputTypeError",
    "InputValueError",
    "Kind",
    "Limits",
    "LocaleError",
    "Location",
    "Metric",
    "NegativeValueError",
    "NoEquivalentError",
    "NoPathError",
    "Outcome",
    "PackError",
    "Parameter",
    "ParameterError",
    "ParameterTypeError",
    "ParameterUse",
    "ParameterValueError",
    "Period",
    "PeriodError",
    "Problem",
    "RegionInfo",
    "Report",
    "Result",
    "Reward",
    "RewardRule",
    "Scenario",
    "Scorecard",
    "ScorecardError",
    "Series",
    "Source",
    "Step",
    "UnitError",
    "UnknownKindError",
    "UnknownParameterError",
    "YearRow",
    "__version__",
    "action",
    "clear_cache",
    "convert",
    "default_engine",
    "explain",
    "feel_good",
    "get_registry",
    "icon_names",
    "icon_svg",
    "load",
    "pack_schema",
    "regions",
    "render_chart",
    "render_html",
    "render_page",
    "validate",
]


def _present_as_public() -> None:
    """Show public classes as ``equivmetrics.X`` (tracebacks, reprs, docs), not private paths."""
    namespace = globals()
    for name in __all__:
        obj = namespace[name]
        if isinstance(obj, type) and obj.__module__.startswith(
            ("equivmetrics._", "equivmetrics.exceptions")
        ):
            obj.__module__ = __name__


_present_as_public()
# Result lives in the engine, which never imports presentation: its notebook view is handed in.
_result.html_renderer = _result_html
