"""The command line's parser: one sub-command per task, the shared options from one table.

``equivmetrics convert``, ``feel-good`` and ``action`` take the options of the Python API under
the same names (``--of``, ``--unit``, ``--per``, ``--negative``, ``--only``, ``--top``,
``--locale``, ``--sig``: :mod:`equivmetrics._core.options`); ``docs/cli.md`` lists every
argument, and a test holds that page to this parser.
"""

from __future__ import annotations

import argparse
from typing import Any

from equivmetrics._core.options import OPTIONS, Option, options_of
from equivmetrics._version import __version__

from .batch_files import ENGINES, MAX_LINE
from .report_cli import add_report_arguments
from .scorecard_cli import add_scorecard_arguments

__all__ = ["POSITIONAL", "build_parser", "option_values"]

#: The positional arguments of convert and explain, as the usage line names them.
POSITIONAL = (("quantity", "QUANTITY"), ("to", "KIND"))

Commands = dict[str, argparse.ArgumentParser]


def build_parser() -> tuple[argparse.ArgumentParser, Commands]:
    """The top-level parser and each sub-command's parser, by name, in the order of the help."""
    parser = argparse.ArgumentParser(
        prog="equivmetrics",
        description="Turn raw metrics into cited equivalents people understand.",
    )
    parser.add_argument("--version", action="version", version=f"equivmetrics {__version__}")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="the command to run (below)"
    )
    commands: Commands = {}

    def command(name: str, text: str) -> argparse.ArgumentParser:
        commands[name] = sub.add_parser(name, help=text, description=text)
        return commands[name]

    p = command("demo", "print equivalents of a few real inputs")
    add_option(p, OPTIONS["locale"])
    _engine_options(p)
    _json_option(p, compact=True)
    _conversions(command)
    _equivalents(command)
    p = command("packs", "list packs, kinds and parameters with sources")
    _engine_options(p)
    _json_option(p)
    p = command("methodology", "print a Markdown page of every factor, derivation and source")
    add_option(p, OPTIONS["locale"])
    _engine_options(p, params=False)
    p.add_argument("--no-bundled", action="store_true", help="only the --pack packs")
    _json_option(p, "print JSON: {schema, markdown}")
    p = command("regions", "list the regions the packs have figures for, with their editions")
    _engine_options(p, params=False)
    _json_option(p)
    p = command("validate", "check pack files and run their examples")
    p.add_argument("paths", nargs="*", metavar="PATH", help="pack files or folders")
    p.add_argument("--no-bundled", action="store_true", help="check only PATHs")
    p.add_argument(
        "--strict", action="store_true", help="treat warnings as problems (exit 1 on any)"
    )
    _limit_option(p)
    _json_option(p)
    _batch(command("batch", "convert a column of a CSV file, keeping every row"))
    _serve(command("serve", "run the HTTP service (needs the [server] extra)"))
    p = command("report", "write a period's value report as HTML, PDF and e-mail files")
    add_report_arguments(p)
    _engine_options(p)
    p = command("scorecard", "score adoption and performance per team, with the value at stake")
    add_scorecard_arguments(p)
    _engine_options(p)
    return parser, commands


def _serve(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    p.add_argument("--port", type=int, default=8000, help="the port to listen on")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes")
    p.add_argument("--tenants", metavar="FILE", help="the tenant file (YAML)")
    p.add_argument(
        "--log-level",
        default="info",
        choices=("critical", "error", "warning", "info", "debug"),
        help="uvicorn's log level",
    )
    p.set_defaults(json=False)


def _conversions(command: Any) -> None:
    for name, text in (
        ("convert", "convert a quantity to a kind"),
        ("explain", "show how a conversion is computed, with sources"),
    ):
        p = command(name, text)
        stream = " ('-' with --json: JSON requests on stdin)" if name == "convert" else ""
        p.add_argument(
            "quantity",
            nargs="?",
            metavar="QUANTITY",
            help=f"e.g. '12000 transaction/month'{stream}",
        )
        p.add_argument("to", nargs="?", metavar="KIND", help="the target kind, e.g. fte")
        for option in options_of("convert"):
            add_option(p, option)
        if name == "explain":
            add_option(p, OPTIONS["locale"])
        _engine_options(p)
        _json_option(p, compact=name == "convert")


def _equivalents(command: Any) -> None:
    for name, text in (
        ("feel-good", "feel-good equivalents of a quantity (value already received)"),
        ("action", "action equivalents of a quantity (the cost of a choice)"),
    ):
        p = command(name, text)
        p.add_argument(
            "quantity", metavar="QUANTITY", help="e.g. '12400 kWh' ('-' with --json: JSON requests)"
        )
        for option in options_of(name):
            add_option(p, option)
        _engine_options(p)
        _json_option(p, compact=True)


def _batch(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="INPUT", help="a CSV file with a header row ('-': stdin)")
    p.add_argument(
        "--column", required=True, metavar="NAME", help="the name of the column to convert"
    )
    p.add_argument("--unit", required=True, help="the unit of the column's values, e.g. kWh")
    p.add_argument(
        "--to", required=True, metavar="KIND[:UNIT],...", help="target kinds, e.g. co2e:kg,coal"
    )
    p.add_argument(
        "-o", "--output", required=True, metavar="PATH", help="the output CSV ('-': stdout)"
    )
    p.add_argument("--rejects", metavar="PATH", help="default: OUTPUT.rejects.csv")
    for name in ("of", "per", "negative"):
        add_option(p, OPTIONS[name])
    p.add_argument(
        "--delimiter", default=",", metavar="CHAR", help="the field separator (default ',')"
    )
    p.add_argument(
        "--decimal",
        default=".",
        choices=(".", ","),
        help="the decimal mark of the column and of the values written (default '.'; ',' reads "
        "1.234,5 and writes 0,5)",
    )
    p.add_argument(
        "--encoding", default="utf-8", metavar="NAME", help="of input and output (default utf-8)"
    )
    p.add_argument(
        "--max-line",
        type=int,
        default=MAX_LINE,
        metavar="N",
        help=f"refuse input lines longer than N characters (default {MAX_LINE:,})",
    )
    p.add_argument(
        "--csv-engine",
        choices=ENGINES,
        metavar="{" + ",".join(ENGINES) + "}",
        help="who reads and writes the CSV: the native engine of the [fast] extra when "
        "installed (auto), it or an error (native), or Python's csv module (plain); the same "
        "bytes either way (default: EQUIVMETRICS_CSV_ENGINE, else auto)",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr (default: when stderr is a terminal; "
        "EQUIVMETRICS_PROGRESS=1/0)",
    )
    _engine_options(p)
    _json_option(p, "print a JSON summary")


def _engine_options(p: argparse.ArgumentParser, *, params: bool = True) -> None:
    p.add_argument(
        "--pack",
        action="append",
        default=[],
        metavar="PATH",
        help="add a pack file or folder (repeatable)",
    )
    p.add_argument(
        "--region",
        metavar="CODE",
        help="the place the figures are for: GB, DE, US-CAMX... (default US; see 'regions')",
    )
    p.add_argument(
        "--edition",
        action="append",
        default=[],
        metavar="NAME",
        help="the edition of the region's figures, e.g. eGRID2022 (repeatable; default: "
        "each topic's default edition)",
    )
    _limit_option(p)
    if params:
        p.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="override a parameter, e.g. --param 'body_mass=80 kg' (repeatable)",
        )


def _limit_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="NAME=N",
        help="raise or lower a limit on reading pack files: max_bytes, max_nodes or "
        "max_depth (repeatable)",
    )


def _json_option(
    p: argparse.ArgumentParser, text: str = "print JSON", *, compact: bool = False
) -> None:
    p.add_argument("--json", action="store_true", help=text)
    if compact:
        p.add_argument(
            "--compact",
            action="store_true",
            help="with --json: the compact shape for dashboards (no steps)",
        )


def add_option(parser: argparse.ArgumentParser, option: Option) -> None:
    """A shared option as a flag: ``--top N``; kind names comma-separated; locale "en"."""
    if option.type == "choice":
        parser.add_argument(option.flag, choices=option.choices, help=option.help)
    elif option.type == "whole":
        parser.add_argument(option.flag, type=int, metavar=option.metavar, help=option.help)
    elif option.type == "names":
        parser.add_argument(
            option.flag, metavar=option.metavar, help=f"{option.help}, commas between"
        )
    else:
        default = "en" if option.name == "locale" else None
        parser.add_argument(option.flag, default=default, metavar=option.metavar, help=option.help)


def option_values(args: argparse.Namespace, command: str) -> dict[str, Any]:
    """The shared options of ``command`` as keyword arguments of the Python API."""
    values: dict[str, Any] = {}
    for option in options_of(command):
        value = getattr(args, option.name)
        if option.type == "names" and value is not None:
            value = [name.strip() for name in value.split(",") if name.strip()] or None
        values[option.name] = value
    return values
