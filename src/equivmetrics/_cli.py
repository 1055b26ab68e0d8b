"""The ``equivmetrics`` command line: demo, convert, explain, feel-good, action, packs, ...

Exit codes: 0 success, 1 a conversion or validation problem, 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from ._api import load
from ._engine import Engine
from ._errors import EquivMetricsError
from ._methodology import render_methodology
from ._result import _num
from ._validate import validate
from ._version import __version__

__all__ = ["main"]

#: The demo: the product brief's three cases, as a customer would see them.
_DEMO: tuple[tuple[str, str, str, tuple[str, ...] | None], ...] = (
    ("Software value", "12000 transaction/month", "feel_good", None),
    ("Solar panels", "12400 kWh", "feel_good", None),
    ("A 420 kcal soft drink", "420 kcal", "action", ("walking", "running")),
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
    for name, text in (
        ("feel-good", "feel-good equivalents of a quantity (value already received)"),
        ("action", "action equivalents of a quantity (the cost of a choice)"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("quantity", help="e.g. '12400 kWh' or '420 kcal'")
        p.add_argument("--of", help="the source kind when the unit does not decide it")
        p.add_argument("--only", help="comma-separated kinds to show, in order")
        p.add_argument("--top", type=int, help="show at most this many")
        p.add_argument("--per", help="turn a total into a rate over this period, e.g. month")
        p.add_argument("--locale", default="en", help="e.g. pl or de_CH (needs babel)")
        p.add_argument("--sig", type=int, help="significant figures (default: 2 or 3)")
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
    if args.command in ("feel-good", "action"):
        return _equivalents(engine, args)
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


def _equivalents(engine: Engine, args: argparse.Namespace) -> int:
    offer = engine.feel_good if args.command == "feel-good" else engine.action
    only = [k.strip() for k in args.only.split(",") if k.strip()] if args.only else None
    found = offer(
        args.quantity,
        of=args.of,
        only=only,
        top=args.top,
        per=args.per,
        locale=args.locale,
        sig=args.sig,
    )
    if args.json:
        print(json.dumps([e.to_dict() for e in found]))
    else:
        for equivalent in found:
            print(f"≈ {equivalent.text}")
    return 0


def _demo(as_json: bool) -> int:
    engine = load()
    sections = []
    for title, quantity, role, only in _DEMO:
        offer = engine.feel_good if role == "feel_good" else engine.action
        sections.append((title, quantity, role, offer(quantity, only=only, top=4)))
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "title": title,
                        "quantity": quantity,
                        "role": role,
                        "equivalents": [e.to_dict() for e in found],
                    }
                    for title, quantity, role, found in sections
                ]
            )
        )
        return 0
    for title, quantity, role, found in sections:
        print(f"{title}: {quantity}  ({role.replace('_', '-')} equivalents)")
        for equivalent in found:
            print(f"  ≈ {equivalent.text}")
        print()
    print("Every figure is cited: try  equivmetrics explain '12000 transaction/month' fte")
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
