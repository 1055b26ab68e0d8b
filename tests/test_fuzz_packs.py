"""Hostile pack files: loading gives an engine or an EquivMetricsError, never anything else.

* tests/corpus/hostile/ holds small malformed files. A file that must fail marks the lines the
  problems must point at with ``# FAULT`` (or names one with ``FAULT line N`` when the fault is
  where the file ends); a file without the word loads. The corpus is loaded in a subprocess
  with a timeout, so a hang fails the test instead of hanging the suite.
* Large hostile content (megabytes, binary noise, node and nesting bombs) is generated here.
* Hypothesis generates valid packs (tests/strategies.py ``packs``) whose conversions are
  checked against the factors it chose, and mutates them (``mutated``): deletions, hostile
  insertions, truncation, swapped and duplicated lines, indentation, hostile numbers.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from strategies import FUZZ, GeneratedPack, mutated, packs

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "corpus" / "hostile"
CORPUS_FILES = sorted(CORPUS.glob("*.yaml"))
#: Corpus files also loaded next to the bundled packs: a bad file spoils the whole load.
WITH_BUNDLED = {"bom_crlf.yaml", "unit_power_bomb.yaml"}


def fault_lines(path: Path) -> set[int]:
    text = path.read_text(encoding="utf-8-sig")
    lines = {n for n, line in enumerate(text.splitlines(), 1) if "# FAULT" in line}
    lines |= {int(n) for n in re.findall(r"FAULT line (\d+)", text)}
    return lines


_RUNNER = """
import json, sys, time, tracemalloc
from pathlib import Path
import equivmetrics as em

out = {}
for name in sys.argv[2:]:
    for bundled in (False, True):
        if bundled and name not in sys.argv[1].split(","):
            continue
        path = Path(name)
        if not bundled:  # tracing the bundled packs' load only slows the test
            tracemalloc.start()
        try:
            engine = em.load(path, bundled=bundled)
            record = {"outcome": "engine", "kinds": sorted(engine.kinds)}
        except em.EquivMetricsError as exc:
            record = {
                "outcome": "error",
                "type": type(exc).__name__,
                "message": str(exc),
                "problems": [
                    [p.location.file, p.location.line] for p in getattr(exc, "problems", ())
                ],
            }
        except BaseException as exc:
            record = {"outcome": "other", "type": type(exc).__name__, "message": repr(exc)}
        record["peak_bytes"] = tracemalloc.get_traced_memory()[1]
        if not bundled:
            tracemalloc.stop()
        out[f"{name}|{bundled}"] = record
print(json.dumps(out))
"""


@pytest.fixture(scope="session")  # not rebuilt when a pytest-xdist worker comes back here
def outcomes() -> dict[str, Any]:
    """Load every corpus file in a fresh interpreter; a hang fails here after 300 s."""
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, ",".join(str(CORPUS / n) for n in WITH_BUNDLED)]
        + [str(p) for p in CORPUS_FILES],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_the_corpus_covers_the_issue() -> None:
    names = {p.stem for p in CORPUS_FILES}
    wanted = {
        "truncated", "deep_nesting", "huge_numbers", "nan_factor", "inf_factor",
        "zero_and_negative", "confusables", "billion_laughs", "tags", "unit_power_bomb",
        "expression_attacks",
    }  # fmt: skip
    assert wanted <= names
    assert all(p.stat().st_size < 4096 for p in CORPUS_FILES)  # small on disk


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_corpus_file_loads_or_is_refused_at_its_line(path: Path, outcomes: dict[str, Any]) -> None:
    faults = fault_lines(path)
    for key in (f"{path}|False", f"{path}|True"):
        if key not in outcomes:
            continue
        record = outcomes[key]
        assert record["outcome"] != "other", record
        # bounded memory: a bomb is refused long before it could take much
        assert record["peak_bytes"] < 50 * 1024 * 1024, record["peak_bytes"]
        if not faults:
            assert record["outcome"] == "engine", record
            continue
        assert record["outcome"] == "error", record
        assert record["type"] == "PackError"
        lines = {line for file, line in record["problems"] if file == str(path)}
        assert lines, record["message"]
        assert lines <= faults, (lines, faults, record["message"])
        for line in lines:
            assert f"{path}:{line}" in record["message"]


def test_every_corpus_file_was_loaded(outcomes: dict[str, Any]) -> None:
    assert {k.split("|")[0] for k in outcomes} == {str(p) for p in CORPUS_FILES}
    assert sum(k.endswith("|True") for k in outcomes) == len(WITH_BUNDLED)


# -- large content, generated rather than committed -------------------------------------------

HEADER = 'equivmetrics: 1\nname: hostile_generated\nedition: "1"\nlicense: MIT\n'


def refused(path: Path, limits: em.Limits | None = None) -> em.PackError:
    with pytest.raises(em.PackError) as info:
        em.load(path, bundled=False, limits=limits)
    return info.value


def test_file_over_the_byte_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(HEADER + "description: " + "x" * (3 * 1024 * 1024) + "\n", encoding="utf-8")
    error = refused(path)
    assert f"{path}: file is" in str(error)
    assert "over the limit of 2097152" in str(error)


@pytest.mark.parametrize("depth", [65, 1_000, 50_000])
def test_deep_nesting_is_an_error_not_a_recursion_error(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(HEADER + "description: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    error = refused(path)
    # deeper than 1,000 levels, libyaml's own limit speaks first
    assert re.search(r"nested deeper than 64 levels|exceeded maximum nesting depth", str(error))
    assert f"{path}:5" in str(error)


def test_deep_block_nesting(tmp_path: Path) -> None:
    path = tmp_path / "block.yaml"
    body = "".join(f"{' ' * i}k{i}:\n" for i in range(100))
    path.write_text(HEADER + "description:\n" + body, encoding="utf-8")
    assert "nested deeper than 64 levels" in str(refused(path))


def test_quadratic_alias_expansion_is_bounded(tmp_path: Path) -> None:
    # one 1,000-item list referenced 1,000 times: 10**6 values from a 5 kB file
    path = tmp_path / "quadratic.yaml"
    items = ", ".join(["x"] * 1000)
    path.write_text(
        HEADER + f"notes: &a [{items}]\ndescription: [" + ", ".join(["*a"] * 1000) + "]\n",
        encoding="utf-8",
    )
    error = refused(path)
    assert "more than 200000 values" in str(error)
    assert f"{path}:5" in str(error)  # where the aliased list was written


def test_limits_can_be_lowered_and_raised(tmp_path: Path) -> None:
    path = tmp_path / "large.yaml"
    path.write_text(HEADER + "description: [" + "1, " * 2_000 + "1]\n", encoding="utf-8")
    assert "more than 1000 values" in str(refused(path, em.Limits(max_nodes=1_000)))
    error = refused(path, em.Limits(max_nodes=3_000))
    # within the node limit, the pack is read and judged on its content: a list is no description
    assert "description" in str(error)
    assert "more than" not in str(error)
    assert "over the limit of 100" in str(refused(path, em.Limits(max_bytes=100)))
    assert "nested deeper than 0 levels" in str(refused(path, em.Limits(max_depth=0)))


@pytest.mark.parametrize("seed", range(8))
def test_binary_noise(tmp_path: Path, seed: int) -> None:
    import random

    noise = random.Random(seed).randbytes(2048)
    path = tmp_path / "noise.yaml"
    path.write_bytes(noise)
    error = refused(path)
    assert str(path) in str(error)


# -- generated packs ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz_packs")


def _write(folder: Path, text: str | bytes) -> Path:
    path = folder / "fuzz.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(text)
    return path


@FUZZ
@given(pack=packs("fzv"))
def test_generated_packs_convert_by_their_factors(pack_dir: Path, pack: GeneratedPack) -> None:
    path = _write(pack_dir, pack.text)
    engine = em.load(path, bundled=False)
    assert set(pack.kinds) <= set(engine.kinds)
    for rule in pack.rules:
        r = engine.convert(
            (1.0, rule.source_unit), rule.target, of=rule.source, unit=rule.target_unit
        )
        # 1 source unit is `factor` target units: the number the generator wrote
        assert r.magnitude == pytest.approx(rule.factor, rel=1e-9)
        assert r.low == pytest.approx(rule.low, rel=1e-9)
        assert r.high == pytest.approx(rule.high, rel=1e-9)
        back = engine.convert((rule.factor, rule.target_unit), rule.source, of=rule.target)
        assert back.magnitude == pytest.approx(1.0, rel=1e-9)
    report = em.validate(path, bundled=False)
    assert report.ok, report.problems
    assert report.examples_run == len(pack.rules)


def load_or_error(path: Path) -> em.Engine | em.PackError:
    """The engine, or the PackError; any other exception fails the test."""
    try:
        return em.load(path, bundled=False)
    except em.PackError as error:
        return error


def _paths(engine: em.Engine) -> Iterator[tuple[str, str]]:
    yield from list(engine.catalog.paths)[:30]


@FUZZ
@given(data=st.data())
def test_mutated_packs_load_or_are_refused(pack_dir: Path, data: st.DataObject) -> None:
    pack = data.draw(packs("fzm"))
    text = data.draw(mutated(pack.text))
    path = _write(pack_dir, text)
    engine = load_or_error(path)
    if isinstance(engine, em.PackError):
        assert engine.problems
        for problem in engine.problems:
            assert problem.location.file == str(path)
            assert str(problem.location) in str(engine)
            assert problem.message
        return
    # it still is a pack: every path converts to a finite, positive number within its range
    for source, target in _paths(engine):
        unit = engine.kinds[source].unit
        try:
            r = engine.convert((1.0, unit), target, of=source)
        except em.EquivMetricsError:
            continue  # e.g. a unit whose conversion leaves the float range
        assert math.isfinite(r.magnitude)
        assert r.magnitude > 0
        assert r.low <= r.magnitude * (1 + 1e-12)
        assert r.magnitude <= r.high * (1 + 1e-12)


@FUZZ
@given(noise=st.binary(max_size=600))
def test_random_bytes(pack_dir: Path, noise: bytes) -> None:
    path = _write(pack_dir, noise)
    outcome = load_or_error(path)
    if isinstance(outcome, em.PackError):
        assert all(p.location.file == str(path) for p in outcome.problems)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    # a sparse 8 GiB file: its size is checked on disk, so nothing of it reaches memory
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(8 * 1024**3)
    error = refused(path)
    assert f"{path}: file is 8589934592 bytes, over the limit of 2097152" in str(error)


@pytest.mark.parametrize("path", [None, 5, b"pack.yaml", ["pack.yaml"]])
def test_odd_path_types_are_refused(path: object) -> None:
    with pytest.raises(em.InputError, match="a pack path must be text or a path"):
        em.load(path, bundled=False)  # type: ignore[arg-type]


def _laughs(levels: int, width: int) -> str:
    lines = [f"  - &l0 [{', '.join(['lol'] * width)}]"]
    lines += [f"  - &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels)]
    return HEADER + "description:\n" + "\n".join(lines) + "\n"


def test_alias_bombs_are_counted_before_anything_is_built(tmp_path: Path) -> None:
    import tracemalloc

    # 20 levels of 20 aliases: 20**20 values once expanded. Counting the distinct nodes first
    # refuses it without building one of them: peak memory stays near the composed text's.
    path = tmp_path / "laughs.yaml"
    path.write_text(_laughs(20, 20), encoding="utf-8")
    tracemalloc.start()
    try:
        error = refused(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "more than 200000 values (counting each alias expansion)" in str(error)
    assert f"{path}:6" in str(error)  # the first list (line 6) is where the 200,001st value is
    assert peak < 5 * 1024 * 1024


def test_a_cycle_of_aliases_is_an_error_not_a_hang(tmp_path: Path) -> None:
    path = tmp_path / "cycle.yaml"
    path.write_text(HEADER + "description: &a [1, *a]\n", encoding="utf-8")
    assert f"{path}:5" in str(refused(path))


def test_redefining_a_unit_as_zero_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    # comparing the old and new meanings divided by zero (a bare ZeroDivisionError)
    path = tmp_path / "zero.yaml"
    path.write_text(HEADER + "units:\n  transaction: 0 transaction\n", encoding="utf-8")
    error = refused(path)
    assert f"{path}:6" in str(error)
    assert "units.transaction: cannot read the definition '0 transaction'" in str(error)
