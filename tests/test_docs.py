"""Every code example in the docs, the README and the docstrings runs, and shows what it says.

* ``>>>`` examples in Markdown files and in the package's docstrings run as doctests.
* ```` ```console ```` blocks in Markdown: each ``$ command`` line runs in a shell from the
  repository root, and its standard output must equal the lines that follow it.
"""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import equivmetrics

ROOT = Path(__file__).resolve().parent.parent
MARKDOWN = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
CONSOLE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _run_doctest(test: doctest.DocTest) -> None:
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test, out=sys.stdout.write)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed (above)"


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_markdown_doctests(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = path.read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, path.name, str(path), 0)
    _run_doctest(test)


def _console_blocks() -> list[tuple[str, str, str]]:
    cases = []
    for path in MARKDOWN:
        if path.name == "service.md":  # curl against a live server: tests/test_server.py
            continue
        text = path.read_text(encoding="utf-8")
        for block in CONSOLE.finditer(text):
            line = text[: block.start()].count("\n") + 2
            commands = re.split(r"^\$ ", block.group(1), flags=re.MULTILINE)[1:]
            for chunk in commands:
                command, _, expected = chunk.partition("\n")
                cases.append((f"{path.relative_to(ROOT)}:{line}", command, expected))
                line += chunk.count("\n")
    return cases


@pytest.mark.parametrize(
    ("where", "command", "expected"),
    _console_blocks(),
    ids=lambda v: v if isinstance(v, str) and ".md:" in v else "",
)
def test_console_examples(where: str, command: str, expected: str) -> None:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    done = subprocess.run(
        command,
        shell=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    got = [line.rstrip() for line in done.stdout.rstrip("\n").splitlines()]
    want = [line.rstrip() for line in expected.rstrip("\n").splitlines()]
    assert got == want, f"{where}: {command}\nstderr: {done.stderr}"


def _modules() -> list[str]:
    names = [equivmetrics.__name__]
    # every module, those of the layer subpackages included (docs/architecture.md)
    for info in pkgutil.walk_packages(equivmetrics.__path__, prefix="equivmetrics."):
        if not info.name.endswith("__main__") and ".conversions" not in info.name:
            names.append(info.name)
    return names


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    for test in doctest.DocTestFinder(exclude_empty=True).find(module, name):
        _run_doctest(test)
