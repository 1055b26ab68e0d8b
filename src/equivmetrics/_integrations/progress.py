"""Whether to show progress, and the tqdm bar that shows it (tqdm: the ``[progress]`` extra).

Progress shows when the work runs interactively — standard error is a terminal, or the code
runs in a Jupyter notebook — and is off otherwise (pipes, CI logs, servers). A caller's
``progress=True``/``False`` (``--progress``/``--no-progress`` on the command line) decides
first, then the ``EQUIVMETRICS_PROGRESS`` environment variable (``1``/``0``, ``on``/``off``).

>>> wanted(False), wanted(True)
(False, True)
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any

from equivmetrics.exceptions import InputValueError

__all__ = ["ENV", "in_notebook", "new_bar", "stream_for", "wanted"]

ENV = "EQUIVMETRICS_PROGRESS"
_ON = frozenset({"1", "true", "yes", "on"})
_OFF = frozenset({"0", "false", "no", "off", ""})


def in_notebook() -> bool:
    """True inside a Jupyter kernel (IPython's ZMQ shell), without importing IPython."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    shell = get() if callable(get) else None
    return type(shell).__name__ == "ZMQInteractiveShell"


def wanted(setting: bool | None = None, stream: IO[str] | None = None) -> bool:
    """Show progress? ``setting`` if given, else :data:`ENV`, else whether interactive.

    Interactive: ``stream`` (default standard error) is a terminal, or in a notebook.
    """
    if setting is not None:
        if not isinstance(setting, bool):
            raise InputValueError(
                f"progress= must be True, False or None, got {setting!r}", value=setting
            )
        return setting
    env = os.environ.get(ENV)
    if env is not None:
        text = env.strip().lower()
        if text in _ON:
            return True
        if text in _OFF:
            return False
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    try:
        tty = bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):  # a closed or detached stream
        tty = False
    return tty or in_notebook()


def stream_for(setting: bool | None = None) -> IO[str] | None:
    """Standard error when progress is :func:`wanted`, else None (say nothing)."""
    return sys.stderr if wanted(setting, sys.stderr) else None


def new_bar(stream: IO[str], total: float | None, *, unit: str, desc: str) -> Any:
    """A tqdm bar writing to ``stream`` (the notebook widget in a notebook), or None without
    tqdm, so the caller falls back to its plain counter."""
    try:
        if in_notebook():  # pragma: no cover - in a kernel: test_notebook_kernel.py
            from tqdm.auto import tqdm  # noqa: PLC0415 - tqdm is the optional [progress] extra
        else:
            from tqdm import tqdm  # noqa: PLC0415 - tqdm is the optional [progress] extra
    except ImportError:
        return None
    return tqdm(
        total=total or None,
        file=stream,
        unit=unit,
        unit_scale=True,
        unit_divisor=1024 if unit == "B" else 1000,
        desc=desc,
        leave=True,
        dynamic_ncols=True,
    )
