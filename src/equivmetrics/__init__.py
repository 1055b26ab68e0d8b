"""equivmetrics: turn raw metrics into cited, unit-safe equivalents people understand.

>>> import equivmetrics as em
>>> r = em.convert("12000 transaction/month", "manual_work")
>>> r.magnitude, r.unit
(600.0, 'hour/month')
"""

import importlib
import sys
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from ._api.engine import Engine
    from ._api.load import action, clear_cache, convert, default_engine, feel_good, load, regions
    from ._catalog.catalog import Catalog, Kind, Parameter
    from ._core.units import get_registry
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

#: Where each public name other than the errors is defined. ``import equivmetrics`` imports
#: none of them: each is imported on first use (PEP 562), so a script that converts with the
#: warm-start file, or the command line's ``--version``, does not import what it never uses.
_LAZY: dict[str, str] = {
    "Engine": "equivmetrics._api.engine",
    "action": "equivmetrics._api.load",
    "clear_cache": "equivmetrics._api.load",
    "convert": "equivmetrics._api.load",
    "default_engine": "equivmetrics._api.load",
    "feel_good": "equivmetrics._api.load",
    "load": "equivmetrics._api.load",
    "regions": "equivmetrics._api.load",
    "Catalog": "equivmetrics._catalog.catalog",
    "Kind": "equivmetrics._catalog.catalog",
    "Parameter": "equivmetrics._catalog.catalog",
    "get_registry": "equivmetrics._core.units",
    "Compiled": "equivmetrics._engine.compiled",
    "ParameterUse": "equivmetrics._engine.result",
    "Result": "equivmetrics._engine.result",
    "Step": "equivmetrics._engine.result",
    "Indicator": "equivmetrics._features.indicator",
    "Metric": "equivmetrics._features.metric",
    "Reward": "equivmetrics._features.reward",
    "RewardRule": "equivmetrics._features.reward",
    "Outcome": "equivmetrics._features.scenario",
    "Scenario": "equivmetrics._features.scenario",
    "YearRow": "equivmetrics._features.scenario",
    "Scorecard": "equivmetrics._features.scorecard",
    "Period": "equivmetrics._features.series",
    "Series": "equivmetrics._features.series",
    "Report": "equivmetrics._features.validate",
    "validate": "equivmetrics._features.validate",
    "pack_schema": "equivmetrics._packs.load",
    "Source": "equivmetrics._packs.model",
    "RegionInfo": "equivmetrics._packs.select",
    "Limits": "equivmetrics._packs.yaml",
    "Chart": "equivmetrics._present.chart",
    "render_chart": "equivmetrics._present.chart",
    "explain": "equivmetrics._present.derivation",
    "Equivalent": "equivmetrics._present.equivalent",
    "Equivalents": "equivmetrics._present.equivalent",
    "render_html": "equivmetrics._present.html",
    "render_page": "equivmetrics._present.html",
    "icon_names": "equivmetrics._present.icons",
    "icon_svg": "equivmetrics._present.icons",
}


def __getattr__(name: str) -> Any:
    """A public name, imported on its first use and kept."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    _present_as_public()
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _present_as_public() -> None:
    """Show public classes as ``equivmetrics.X`` (tracebacks, reprs, docs), not private paths.

    Run at import for the errors, and again each time a name is first imported for every
    public class whose module is loaded by then.
    """
    namespace = globals()
    for name in __all__:
        obj = namespace.get(name)
        if obj is None and (module := sys.modules.get(_LAZY.get(name, ""))) is not None:
            obj = getattr(module, name, None)
        if isinstance(obj, type) and obj.__module__.startswith(
            ("equivmetrics._", "equivmetrics.exceptions")
        ):
            obj.__module__ = __name__
    # Result lives in the engine, which never imports presentation: its notebook view is
    # handed in, and imported only when a notebook first shows a result.
    result = sys.modules.get("equivmetrics._engine.result")
    if result is not None and getattr(result, "html_renderer", None) is None:
        result.html_renderer = _result_html  # type: ignore[attr-defined]


def _result_html(result: Any) -> str:
    notebook = importlib.import_module("equivmetrics._present.notebook")
    html: str = notebook.result_html(result)
    return html


_present_as_public()
