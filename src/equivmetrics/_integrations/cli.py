"""The ``equivmetrics`` command line: the parser and the dispatch to each command.

Exit codes: 0 success, 1 a conversion or validation problem, 2 a usage error, 130 interrupted
(docs/cli.md, kept in step with this parser by a test; ``batch``: rows rejected, and so on).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence

import attrs

from equivmetrics._api.engine import Engine
from equivmetrics._api.load import load
from equivmetrics._core.numbers import num as _num
from equivmetrics._core.options import OPTIONS
from equivmetrics._features.validate import Report, validate
from equivmetrics._packs.yaml import Limits
from equivmetrics._present.derivation import explain
from equivmetrics._present.messages import catalog, sentence_words
from equivmetrics._present.methodology import render_methodology
from equivmetrics.exceptions import EquivMetricsError, Problem

from .batch import parse_targets, run_batch
from .batch_files import UsageError, stream_for
from .batch_output import Interrupted, interruptible
from .cli_advice import cli_words
from .cli_parser import POSITIONAL, build_parser, option_values
from .listing import pack_parameter, packs_data, regions_data
from .server import serve
from .stream import Bridge, dumps

__all__ = ["main"]

#: The demo: the product brief's three cases (titles: keys of the catalogs' ``demo`` section).
_DEMO: tuple[tuple[str, str, str, tuple[str, ...] | None], ...] = (
    ("software", "12000 transaction/month", "feel_good", None),
    ("solar", "12400 kWh", "feel_good", None),
    ("drink", "420 kcal", "action", ("walking", "running")),
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (argparse exits 2 on a usage error)."""
    parser, commands = build_parser()
    args = parser.parse_args(argv)
    here = commands[args.command]
    try:
        return _run(args, here)
    except UsageError as exc:
        here.error(str(exc))  # exits 2
    except EquivMetricsError as exc:
        if args.json:  # the stable code; files named without their folders
            error = exc.to_dict()
            error["message"] = cli_words(exc, error["message"])
            print(dumps({"error": error}))
        else:
            print(f"equivmetrics: error: {cli_words(exc, str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("equivmetrics: interrupted", file=sys.stderr)
        return 130
    except Interrupted as exc:  # SIGTERM or SIGHUP during a batch run
        print(f"equivmetrics: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # a file that could not be written mid-run (disk full, ...)
        print(f"equivmetrics: error: {exc}", file=sys.stderr)
        return 1


def _engine(args: argparse.Namespace, here: argparse.ArgumentParser) -> Engine:
    limits = _limits(args, here)
    engine = load(
        *args.pack,
        bundled=not getattr(args, "no_bundled", False),
        limits=limits,
        region=args.region,
        edition=tuple(args.edition) or None,
    )
    overrides = _overrides(args, here)
    return engine.with_params(**overrides) if overrides else engine


def _limits(args: argparse.Namespace, here: argparse.ArgumentParser) -> Limits | None:
    """``--limit NAME=N`` options as :class:`Limits` (None when there are none)."""
    if not args.limit:
        return None
    names = [field.name for field in attrs.fields(Limits)]
    values: dict[str, int] = {}
    for item in args.limit:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or name not in names:
            here.error(f"--limit {item!r}: expected NAME=N with NAME one of {', '.join(names)}")
        try:
            value = int(text.strip().replace("_", ""))
        except ValueError:
            value = 0
        if value < 1:
            here.error(f"--limit {item!r}: N must be a whole number of at least 1")
        values[name] = value
    return Limits(**values)


def _overrides(args: argparse.Namespace, here: argparse.ArgumentParser) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for item in getattr(args, "param", ()):
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            here.error(f"--param {item!r}: expected NAME=VALUE, e.g. 'body_mass=80 kg'")
        overrides[name.strip()] = value.strip()
    return overrides


def _run(args: argparse.Namespace, here: argparse.ArgumentParser) -> int:
    if args.command == "serve":
        return serve(args)
    if args.command == "validate":
        return _validate(args, _limits(args, here))
    if args.command == "methodology":
        return _methodology(args, here)
    compact = getattr(args, "compact", False)
    if compact and not args.json:
        here.error("--compact chooses the shape of the JSON: use it with --json")
    if getattr(args, "quantity", None) == "-":
        return _stream(args, here, compact=compact)
    if args.command in ("convert", "explain"):
        missing = [label for name, label in POSITIONAL if getattr(args, name) is None]
        if missing:
            here.error(f"the following arguments are required: {', '.join(missing)}")
    engine = _engine(args, here)
    commands: dict[str, Callable[[], int]] = {
        "demo": lambda: _demo(engine, args),
        "packs": lambda: _packs(engine, args.json, _overrides(args, here)),
        "regions": lambda: _regions(engine, as_json=args.json),
        "batch": lambda: _batch(engine, args),
        "report": lambda: args.handler(engine, args),  # .report_cli
        "scorecard": lambda: args.handler(engine, args),  # .scorecard_cli
        "feel-good": lambda: _equivalents(engine, args),
        "action": lambda: _equivalents(engine, args),
    }
    run = commands.get(args.command)
    return run() if run is not None else _convert(engine, args, compact=compact)


def _methodology(args: argparse.Namespace, here: argparse.ArgumentParser) -> int:
    page = render_methodology(_engine(args, here), locale=args.locale or "en")
    if args.json:
        print(dumps({"schema": "equivmetrics.methodology/1", "markdown": page}))
    else:
        sys.stdout.write(page)
    return 0


def _convert(engine: Engine, args: argparse.Namespace, *, compact: bool) -> int:
    """``convert`` and ``explain``: one result, as JSON, a derivation or one line."""
    result = engine.convert(args.quantity, args.to, **option_values(args, "convert"))
    if args.json:
        data = result.to_dict(compact=compact)
        if args.command == "explain":
            data["explanation"] = explain(result, locale=args.locale or "en")
        print(dumps(data))
    elif args.command == "explain":
        print(explain(result, locale=args.locale or "en"))
    else:
        exact = result.low == result.high  # an exact result has no range to show
        shown = "" if exact else f" (range {_num(result.low)}–{_num(result.high)})"
        print(f"{_num(result.magnitude)} {result.unit} of {result.kind}{shown}")
    return 0


def _stream(args: argparse.Namespace, here: argparse.ArgumentParser, *, compact: bool) -> int:
    """``QUANTITY -``: answer JSON requests on standard input, one response line each."""
    if not args.json or args.command not in ("convert", "feel-good", "action"):
        here.error(
            "quantity '-' reads JSON requests from stdin: use it with --json on "
            "convert, feel-good or action"
        )
    if getattr(args, "to", None) is not None:
        here.error(f"with '-' each request names its target; drop {args.to!r}")
    per_request = [
        option.flag
        for option in OPTIONS.values()
        if option.name != "locale" and getattr(args, option.name, None) is not None
    ]
    if getattr(args, "locale", "en") != "en":
        per_request.append("--locale")
    if per_request:
        here.error(
            f"with '-' each request carries its own options; drop {', '.join(per_request)} "
            "and put them in the requests (only --pack, --param and --limit apply to all)"
        )
    bridge = Bridge(_engine(args, here), args.command, compact=compact)
    return bridge.serve(sys.stdin.buffer, sys.stdout)


def _equivalents(engine: Engine, args: argparse.Namespace) -> int:
    offer = engine.feel_good if args.command == "feel-good" else engine.action
    found = offer(args.quantity, **option_values(args, args.command))
    if args.json:
        print(dumps(found.to_dicts(compact=args.compact)))
    else:
        for equivalent in found:
            print(f"≈ {equivalent.text}")
    return 0


def _demo(engine: Engine, args: argparse.Namespace) -> int:
    words = catalog(args.locale) or sentence_words("en")
    sections = []
    for key, quantity, role, only in _DEMO:
        offer = engine.feel_good if role == "feel_good" else engine.action
        title = words.text(f"demo.{key}")
        sections.append(
            (title, quantity, role, offer(quantity, only=only, top=4, locale=args.locale))
        )
    if args.json:
        print(
            dumps(
                [
                    {
                        "title": title,
                        "quantity": quantity,
                        "role": role,
                        "equivalents": found.to_dicts(compact=args.compact),
                    }
                    for title, quantity, role, found in sections
                ]
            )
        )
        return 0
    for title, quantity, role, found in sections:
        print(words.text(f"demo.{role}", title=title, quantity=quantity))
        for equivalent in found:
            print(f"  ≈ {equivalent.text}")
        print()
    print(words.text("demo.footer"))
    return 0


def _validate(args: argparse.Namespace, limits: Limits | None) -> int:
    report = validate(*args.paths, bundled=not args.no_bundled, limits=limits, strict=args.strict)
    if args.json:
        print(
            dumps(
                {
                    "ok": report.ok,
                    "examples_run": report.examples_run,
                    "examples_passed": report.examples_passed,
                    "problems": [p.to_dict() for p in report.problems],
                    "warnings": [p.to_dict() for p in report.warnings],
                }
            )
        )
    else:
        for problem in report.problems:
            print(problem)
        for warning in report.warnings:
            print(_warning_text(warning))
        print(f"{_status(report)}: {report.examples_passed}/{report.examples_run} examples passed")
    return 0 if report.ok else 1


def _status(report: Report) -> str:
    """ "ok", "ok, 2 warning(s)", "failed: 1 problem(s), 2 warning(s)",
    "failed: 2 warning(s) (--strict)"."""
    parts = [f"{len(report.problems)} problem(s)"] if report.problems else []
    if report.warnings:
        strict = " (--strict)" if report.strict else ""
        parts.append(f"{len(report.warnings)} warning(s){strict}")
    if report.ok:
        return ", ".join(["ok", *parts])
    return "failed: " + ", ".join(parts)


def _warning_text(warning: Problem) -> str:
    """``file:line:col: warning: field: message (hint)``."""
    where, _, rest = str(warning).partition(f": {warning.field}: ")
    return f"{where}: warning: {warning.field}: {rest}"


def _regions(engine: Engine, *, as_json: bool) -> int:
    """``regions``: each region with figures, its name and the editions that cover it."""
    infos = engine.regions()
    if as_json:
        print(dumps(regions_data(engine)))
        return 0
    table = [["REGION", "NAME", "EDITIONS (* default)"]]
    table += [
        [
            info.code,
            info.name,
            ", ".join(
                dict.fromkeys(
                    f"{e}*" if e in info.defaults else e
                    for e in sorted({e for _, e, _ in info.editions}, key=info.defaults.count)[::-1]
                )
            ),
        ]
        for info in infos
    ]
    print("\n".join(_table(table)))
    return 0


def _packs(engine: Engine, as_json: bool, overrides: dict[str, str]) -> int:
    catalog = engine.catalog
    if as_json:
        print(dumps(packs_data(engine, overrides)))
        return 0
    packs = [["PACK", "EDITION", "KINDS", "TITLE"]]
    packs += [[p.name, p.edition, str(len(p.kinds)), p.title] for p in catalog.packs]
    kinds = [["KIND", "PACK", "UNIT", "LABEL"]]
    kinds += [[k.name, p.name, k.unit, k.label_other] for p in catalog.packs for k in p.kinds]
    params = [["PARAMETER", "PACK", "VALUE", "SOURCE"]]
    for pack in catalog.packs:
        for spec in pack.parameters:
            shown = pack_parameter(spec, overrides)
            params.append(
                [spec.name, pack.name, shown["value"], shown["source"] or "set with --param"]
            )
    print("\n\n".join("\n".join(_table(rows)) for rows in (packs, kinds, params)))
    return 0


def _table(rows: list[list[str]]) -> list[str]:
    """Rows as lines of left-aligned columns two spaces apart (the last column not padded)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]


def _batch(engine: Engine, args: argparse.Namespace) -> int:
    with interruptible():
        summary = run_batch(
            engine,
            args.input,
            column=args.column,
            unit=args.unit,
            to=parse_targets(args.to),
            output=args.output,
            of=args.of,
            per=args.per,
            rejects=args.rejects,
            delimiter=args.delimiter,
            encoding=args.encoding,
            negative=args.negative,
            progress=stream_for(args.progress),
            max_line=args.max_line,
            csv_engine=args.csv_engine,
            decimal=args.decimal,
        )
    report = sys.stderr if args.output == "-" else sys.stdout
    if args.json:
        print(dumps(summary.to_dict()), file=report)
    else:
        print(
            f"{summary.rows:,} rows: {summary.converted:,} converted, "
            f"{summary.rejected:,} rejected (listed in {summary.rejects})",
            file=report,
        )
    return 1 if summary.rejected else 0


def _entry() -> None:  # pragma: no cover - console-script shim
    raise SystemExit(main())
