"""Progress bars in a real Jupyter kernel: ipykernel started by jupyter_client, code sent to it
as a notebook cell would be, and the messages the notebook would receive read back.

In a kernel, standard error is not a terminal, yet progress is on (a notebook is interactive):
a batch run and a Dask computation draw tqdm's notebook widget (an ipywidgets model opened over
the kernel's comm channel, then displayed), and without ipywidgets they fall back to a text bar
on the cell's standard error instead of failing.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("ipykernel")
pytest.importorskip("ipywidgets")
pytest.importorskip("tqdm")
from jupyter_client.manager import KernelManager, start_new_kernel

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def kernel() -> Iterator[Any]:
    manager, client = start_new_kernel(kernel_name="python3", startup_timeout=120)
    try:
        yield client
    finally:
        client.stop_channels()
        assert isinstance(manager, KernelManager)
        manager.shutdown_kernel(now=True)


def _run(client: Any, code: str) -> list[dict[str, Any]]:
    """Run ``code`` as a cell; the cell's messages on the iopub channel until it is idle."""
    msg_id = client.execute(textwrap.dedent(code))
    messages = []
    while True:
        msg = client.get_iopub_msg(timeout=120)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    errors = [m["content"] for m in messages if m["msg_type"] == "error"]
    assert not errors, errors
    return messages


def _stdout(messages: list[dict[str, Any]], name: str = "stdout") -> str:
    return "".join(
        m["content"]["text"]
        for m in messages
        if m["msg_type"] == "stream" and m["content"]["name"] == name
    )


def _widgets(messages: list[dict[str, Any]]) -> tuple[int, int]:
    """(widget models opened, widget views displayed)."""
    opened = sum(
        m["msg_type"] == "comm_open" and m["content"]["target_name"] == "jupyter.widget"
        for m in messages
    )
    shown = sum(
        m["msg_type"] == "display_data" and WIDGET_VIEW in m["content"]["data"] for m in messages
    )
    return opened, shown


_BATCH = """
import equivmetrics as em
from equivmetrics._integrations import progress
from equivmetrics._integrations.batch import run_batch
print(progress.in_notebook(), progress.wanted())
summary = run_batch(em.load(), {source!r}, column="kwh", unit="kWh", to=[("co2e", "kg")],
                    output={output!r}, progress=progress.stream_for(None))
print(summary.rows, summary.converted)
"""


def _csv(tmp_path: Path) -> tuple[str, str]:
    source = tmp_path / "meters.csv"
    source.write_text("kwh\n" + "".join(f"{i}\n" for i in range(1, 2001)), encoding="utf-8")
    return str(source), str(tmp_path / "out.csv")


def test_a_batch_in_a_notebook_draws_the_widget(kernel: Any, tmp_path: Path) -> None:
    source, output = _csv(tmp_path)
    messages = _run(kernel, _BATCH.format(source=source, output=output))
    assert _stdout(messages) == "True True\n2000 2000\n"  # a notebook: progress is on
    opened, shown = _widgets(messages)
    assert opened >= 1  # the bar's widget models (tqdm.notebook's HBox of ipywidgets)
    assert shown == 1  # one bar displayed in the cell
    assert "batch:" not in _stdout(messages, "stderr")  # no text bar besides it
    assert Path(output).read_text(encoding="utf-8").count("\n") == 2001


def test_without_ipywidgets_the_notebook_gets_a_text_bar(kernel: Any, tmp_path: Path) -> None:
    source, output = _csv(tmp_path)
    hide = "import sys\nsys.modules['ipywidgets'] = None  # as if it were not installed\n"
    messages = _run(kernel, hide + _BATCH.format(source=source, output=output))
    assert _stdout(messages) == "True True\n2000 2000\n"
    assert _widgets(messages) == (0, 0)
    stderr = _stdout(messages, "stderr")
    assert "batch: 100%" in stderr
    assert "2,000 rows, done" in stderr or "2000 rows, done" in stderr


def test_dask_progress_in_a_notebook_draws_the_widget(kernel: Any) -> None:
    pytest.importorskip("dask.dataframe")
    messages = _run(
        kernel,
        """
        import pandas as pd
        import dask.dataframe as dd
        import equivmetrics.dask as emd
        frame = dd.from_pandas(pd.DataFrame({"kwh": [1.0, 2.0, 3.0, 4.0]}), npartitions=2)
        with emd.progress():
            kg = emd.convert_dask(frame["kwh"], "co2e", from_unit="kWh", unit="kg")
            total = kg.sum().compute(scheduler="sync")
        print(round(total, 2))
        """,
    )
    opened, shown = _widgets(messages)
    assert opened >= 1
    assert shown == 1
    # EPA's avoided-electricity rate (AVERT 2019): 1,562.4 lb CO2/MWh / 2,204.6 lb/t = 0.7087 kg
    # per kWh; 1 + 2 + 3 + 4 = 10 kWh -> 7.087 kg
    assert _stdout(messages).strip() == "7.09"
