"""Validation: load packs and run the worked examples they carry, collecting every problem."""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path

import attrs

from equivmetrics._catalog.regional import regional_catalog, selections
from equivmetrics._catalog.values import read_value
from equivmetrics._core.expr import ExprError, Value
from equivmetrics._core.numbers import num as _num
from equivmetrics._core.unit_text import format_unit, split_quantity
from equivmetrics._engine import bundled as _bundled
from equivmetrics._engine.core import Converts
from equivmetrics._packs.model import Example, Pack
from equivmetrics._packs.yaml import Limits
from equivmetrics.exceptions import EquivMetricsError, Location, PackError, Problem

from .pack_warnings import pack_warnings

__all__ = ["Report", "run_examples", "validate"]


@attrs.frozen
class Report:
    """What validation found: every problem, and how many examples ran and passed."""

    problems: tuple[Problem, ...]
    examples_run: int
    examples_passed: int
    #: What loads but will surprise (see :mod:`.pack_warnings`): not problems, unless strict.
    warnings: tuple[Problem, ...] = ()
    #: Whether warnings count as problems (``validate(..., strict=True)``, ``--strict``).
    strict: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not (self.strict and self.warnings)


def validate(
    *paths: str | Path, bundled: bool = True, limits: Limits | None = None, strict: bool = False
) -> Report:
    """Load packs (the bundled ones too, unless ``bundled=False``) and run every example.

    Never raises for a problem in the packs: each one is in the report, with its location.
    ``warnings`` lists what loads but will surprise (a kind no role offers, a label with one
    form, an unknown icon, a parameter without a range, a wording that says "about"); with
    ``strict=True`` they make the report not ``ok``.

    >>> import equivmetrics as em
    >>> report = em.validate()
    >>> report.ok, report.examples_run == report.examples_passed
    (True, True)
    """
    try:
        engine = (
            _bundled.default()
            if not paths and bundled and limits is None
            else _bundled.build(paths, bundled=bundled, limits=limits)
        )
    except PackError as exc:
        return Report(exc.problems, 0, 0, strict=strict)
    problems = run_examples(engine)
    failed_examples = len(problems)
    problems.extend(_every_place(engine))
    total = sum(len(p.examples) for p in _packs_of(engine))
    warnings = tuple(pack_warnings(_packs_of(engine), engine.catalog))
    return Report(tuple(problems), total, total - failed_examples, warnings, strict)


def _packs_of(engine: Converts) -> tuple[Pack, ...]:
    return engine.catalog.available or engine.catalog.packs


def run_examples(engine: Converts, packs: Iterable[str] | None = None) -> list[Problem]:
    """Run the examples of every pack read for the engine (or of the named packs), each in the
    region and edition it is worked for; return the failures."""
    wanted = set(packs) if packs is not None else None
    problems: list[Problem] = []
    for pack in _packs_of(engine):
        if wanted is not None and pack.name not in wanted:
            continue
        for example in pack.examples:
            try:
                here = _engine_for(engine, pack, example)
            except (PackError, EquivMetricsError) as exc:
                problems.append(_unplaced(example, exc))
                continue
            problem = _check(here, example)
            if problem is not None:
                problems.append(problem)
    return problems


def _engine_for(engine: Converts, pack: Pack, example: Example) -> Converts:
    """The engine an example runs in: its region (else its pack's), with its pack's edition."""
    catalog = engine.catalog
    alternative = bool(pack.region or pack.regions or pack.extends or pack.topic)
    region = example.region or pack.region or None
    if not alternative or (
        (region or catalog.region) == catalog.region
        and (pack.name, pack.edition) in catalog.editions
    ):
        return engine
    return _bundled.placed(catalog, (region, pack.edition))


def _unplaced(example: Example, exc: EquivMetricsError) -> Problem:
    message = "; ".join(str(p) for p in exc.problems) if isinstance(exc, PackError) else str(exc)
    where = f"region {example.region!r}" if example.region else "its pack's region and edition"
    return Problem(
        example.location,
        "example.region" if example.region else "example",
        f"{example.given} -> {example.to}: the packs cannot be loaded for {where}: {message}",
    )


def _every_place(engine: Converts) -> list[Problem]:
    """Problems of loading the packs for each region and edition they have figures for (an
    entry of a region no example covers is checked too); each problem once."""
    found: dict[Problem, None] = {}
    packs = _packs_of(engine)
    for region, edition in selections(packs):
        try:  # built afresh, not cached: validation visits every place once
            regional_catalog(packs, region=region, edition=edition)
        except PackError as exc:
            found.update(dict.fromkeys(exc.problems))
        except EquivMetricsError as exc:  # e.g. two default editions for one region
            origin = next(p.origin for p in packs if region in p.covers())
            problem = Problem(Location(origin), "regions", f"region {region!r}: {exc}")
            found[problem] = None
    return list(found)


def _check(engine: Converts, example: Example) -> Problem | None:
    where: Location = example.location
    try:
        expected = read_value(engine.catalog.units, example.expect, "expect")
        tenant = engine.with_params(**dict(example.params)) if example.params else engine
        unit_text = _unit_as_written(example.expect, expected)
        result = tenant.convert(
            example.given, example.to, of=example.of, unit=unit_text, per=example.per
        )
    except (EquivMetricsError, ExprError) as exc:
        message = exc.message if isinstance(exc, ExprError) else str(exc)
        return Problem(where, "example", f"{example.given} -> {example.to} failed: {message}")
    got = float(result.magnitude)
    if not math.isclose(got, expected.central, rel_tol=example.tolerance):
        return Problem(
            where,
            "example",
            f"{example.given} -> {example.to} gave {_num(got)} {result.unit}, expected "
            f"{example.expect} (tolerance {example.tolerance:.2%})",
            "fix the pack's factors or the expected value, citing where it comes from",
        )
    for bound, text in (("low", example.low), ("high", example.high)):
        if text is None:
            continue
        want = read_value(engine.catalog.units, text, bound).to(expected.unit).central
        have = float(getattr(result, bound))
        if not math.isclose(have, want, rel_tol=example.tolerance):
            return Problem(
                where,
                f"example.{bound}",
                f"{example.given} -> {example.to}: {bound} is {_num(have)}, expected {text}",
            )
    return None


def _unit_as_written(text: str, value: Value) -> str:
    """The unit part of ``"8649 USD/month"`` as the pack wrote it, else a readable form."""
    try:
        return split_quantity(text)[1] or format_unit(value.unit)
    except EquivMetricsError:
        return format_unit(value.unit)


def raise_for(report: Report) -> None:
    """Raise :class:`PackError` when the report has problems."""
    if report.problems:
        raise PackError(report.problems)
