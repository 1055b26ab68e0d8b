"""Progress bars (tqdm) for batch and Dask work: on when interactive or forced, off otherwise."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

import equivmetrics as em
from equivmetrics._integrations.batch import run_batch
from equivmetrics._integrations.progress import ENV, wanted

pytest.importorskip("tqdm")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _no_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)


def test_off_when_not_a_terminal_on_when_one() -> None:
    assert wanted(None, io.StringIO()) is False
    assert wanted(None, _Terminal()) is True


def test_forced_by_parameter_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert wanted(True, io.StringIO()) is True
    assert wanted(False, _Terminal()) is False
    monkeypatch.setenv(ENV, "1")
    assert wanted(None, io.StringIO()) is True
    assert wanted(False, io.StringIO()) is False
    monkeypatch.setenv(ENV, "off")
    assert wanted(None, _Terminal()) is False
    with pytest.raises(em.InputValueError, match="progress="):
        wanted("yes", io.StringIO())  # type: ignore[arg-type]


def test_a_batch_shows_a_tqdm_bar_on_the_stream(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("kwh\n" + "1\n" * 5, encoding="utf-8")
    shown = io.StringIO()
    summary = run_batch(em.load(), str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                        output=str(tmp_path / "out.csv"), chunk_rows=2, progress=shown)  # fmt: skip
    assert summary.converted == 5
    text = shown.getvalue()
    assert "batch: 100%" in text
    assert "5 rows, done" in text


def _cli(tmp_path: Path, *extra: str, env: dict[str, str] | None = None) -> str:
    source = tmp_path / "in.csv"
    source.write_text("kwh\n1\n2\n", encoding="utf-8")
    out = str(tmp_path / "out.csv")
    command = [sys.executable, "-m", "equivmetrics", "batch", str(source), "--column", "kwh",
               "--unit", "kWh", "--to", "co2e", "-o", out, *extra]  # fmt: skip
    environment = {k: v for k, v in os.environ.items() if k != ENV} | (env or {})
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    return done.stderr


def test_the_command_line_is_quiet_in_a_pipe_unless_asked(tmp_path: Path) -> None:
    assert _cli(tmp_path) == ""
    assert "100%" in _cli(tmp_path, "--progress")
    assert "100%" in _cli(tmp_path, env={ENV: "1"})
    assert _cli(tmp_path, "--no-progress", env={ENV: "1"}) == ""


def test_dask_progress_on_when_forced_off_otherwise(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("dask")
    from tqdm.dask import TqdmCallback

    from equivmetrics.dask import progress

    assert isinstance(progress(False), contextlib.nullcontext)
    assert isinstance(progress(True), TqdmCallback)
    assert isinstance(progress(), contextlib.nullcontext)  # captured stderr is no terminal
