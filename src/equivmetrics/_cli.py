"""The ``equivmetrics`` command line: demo, convert, explain, packs, methodology, validate.

Exit codes: 0 success, 1 a conversion or validation problem, 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from ._api import load
from ._engine import Engine
from ._errors import EquivMetricsError
from ._methodology import render_methodology
from ._result import _num
from ._validate import validate
from ._version import __version__

__all__ = ["main"]

_DEMO_INPUTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("12000 transaction/month", "manual_work", {}),
    ("12000 transaction/month", "fte", {}),
    ("12000 transaction/month", "labor_cost", {}),
    ("12400 kWh", "co2e", {}),
    ("12400 kWh", "tree_seedling", {}),
    ("12400 kWh", "vehicle_miles", {}),
    ("420 kcal", "walking", {}),
    ("420 kcal", "running", {}),
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="equivmetrics",
        description="Turn raw metrics into cited equivalents people understand.",
    )
    parser.add_argument("--version", action="version", version=f"equivmetrics {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_pack(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--pack",
            action="append",
            default=[],
            metavar="PATH",
            help="add a pack file or folder (repeatable)",
        )

    def common(p: argparse.ArgumentParser) -> None:
        add_pack(p)
        p.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="override a parameter, e.g. --param 'body_mass=80 kg'",
        )
        p.add_argument("--json", action="store_true", help="print JSON")

    demo = sub.add_parser("demo", help="print equivalents of a few real inputs")
    demo.add_argument("--json", action="store_true", help="print JSON")
    for name, text in (
        ("convert", "convert a quantity to a kind"),
        ("explain", "show how a conversion is computed, with sources"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("quantity", help="e.g. '12000 transaction/month' or '420 kcal'")
        p.add_argument("to", help="the target kind, e.g. fte")
        p.add_argument("--of", help="the source kind when the unit does not decide it")
        p.add_argument("--unit", help="the result unit (default: the kind's display unit)")
        p.add_argument("--per", help="turn a total into a rate over this period, e.g. month")
        common(p)
    packs = sub.add_parser("packs", help="list packs, kinds and parameters with sources")
    common(packs)
    method = sub.add_parser(
        "methodology", help="print a Markdown page of every factor, derivation and source"
    )
    add_pack(method)
    method.add_argument("--no-bundled", action="store_true", help="only the --pack packs")
    check = sub.add_parser("validate", help="check pack files and run their examples")
    check.add_argument("paths", nargs="*", metavar="PATH", help="pack files or folders")
    check.add_argument(
        "--no-bundled", action="store_true", help="check only PATHs, without the bundled packs"
    )
    check.add_argument("--json", action="store_true", help="print JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(_run(args, parser))
    except EquivMetricsError as exc:
        if getattr(args, "json", False):
            print(json.dumps({"error": {"code": type(exc).__name__, "message": str(exc)}}))
        else:
            print(f"equivmetrics: error: {exc}", file=sys.stderr)
        return 1


def _engine(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Engine:
    engine = load(*args.pack) if args.pack else load()
    overrides: dict[str, str] = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            parser.error(f"--param {item!r}: expected NAME=VALUE, e.g. 'body_mass=80 kg'")
        overrides[name.strip()] = value.strip()
    return engine.with_params(**overrides) if overrides else engine


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.command == "demo":
        return _demo(args.json)
    if args.command == "validate":
        return _validate(args)
    if args.command == "methodology":
        engine = load(*args.pack, bundled=not args.no_bundled)
        sys.stdout.write(render_methodology(engine))
        return 0
    engine = _engine(args, parser)
    if args.command == "packs":
        return _packs(engine, args.json)
    result = engine.convert(args.quantity, args.to, of=args.of, unit=args.unit, per=args.per)
    if args.json:
        print(json.dumps(result.to_dict()))
    elif args.command == "explain":
        print(result.explain())
    else:
        print(
            f"{_num(result.magnitude)} {result.unit} of {result.kind}"
            f" (range {_num(result.low)}–{_num(result.high)})"
        )
    return 0


def _demo(as_json: bool) -> int:
    engine = load()
    rows = []
    for quantity, to, params in _DEMO_INPUTS:
        if to not in engine.kinds:
            continue
        result = (engine.with_params(**params) if params else engine).convert(quantity, to)
        rows.append((quantity, result))
    if as_json:
        print(json.dumps([r.to_dict() for _, r in rows]))
        return 0
    width = max(len(q) for q, _ in rows)
    last = ""
    for quantity, result in rows:
        head = quantity if quantity != last else ""
        last = quantity
        print(
            f"{head:<{width}}  ≈ {_num(result.magnitude):>10} {result.unit:<14} "
            f"{result.kind}  (range {_num(result.low)}–{_num(result.high)})"
        )
    print("\nEvery figure is cited: try  equivmetrics explain '12000 transaction/month' fte")
    return 0


def _validate(args: argparse.Namespace) -> int:
    report = validate(*args.paths, bundled=not args.no_bundled)
    if args.json:
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "examples_run": report.examples_run,
                    "examples_passed": report.examples_passed,
                    "problems": [
                        {
                            "location": str(p.location),
                            "field": p.field,
                            "message": p.message,
                            "hint": p.hint,
                        }
                        for p in report.problems
                    ],
                }
            )
        )
    else:
        for problem in report.problems:
            print(problem)
        status = "ok" if report.ok else f"{len(report.problems)} problem(s)"
        print(f"{status}: {report.examples_passed}/{report.examples_run} examples passed")
    return 0 if report.ok else 1


def _packs(engine: Engine, as_json: bool) -> int:
    catalog = engine.catalog
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "name": p.name,
                        "edition": p.edition,
                        "title": p.title,
                        "origin": p.origin,
                        "kinds": [k.name for k in p.kinds],
                        "parameters": {
                            q.name: {
                                "value": q.value,
                                "low": q.low,
                                "high": q.high,
                                "source": q.source.cite(),
                            }
                            for q in p.parameters
                        },
                    }
                    for p in catalog.packs
                ]
            )
        )
        return 0
    for pack in catalog.packs:
        print(f"{pack.name} (edition {pack.edition}): {pack.title}")
        print(f"  kinds: {', '.join(k.name for k in pack.kinds)}")
        for param in pack.parameters:
            print(f"  {param.name} = {param.value}  [{param.source.cite()}]")
    return 0


def _entry() -> None:  # pragma: no cover - console-script shim
    raise SystemExit(main())


if __name__ == "__main__":  # pragma: no cover
    _entry()
