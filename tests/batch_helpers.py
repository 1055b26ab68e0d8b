"""What the batch tests share: a record of the blocks the native engine was given."""

from __future__ import annotations

from typing import Any

import pytest

from equivmetrics._integrations import batch_native


def native_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, Any]]:
    """Each block the native engine is given from now on, with what it answered: the rows it
    converted (:class:`~equivmetrics._integrations.batch_native.Converted`), or where the
    lines start that it left to the plain path."""
    calls: list[tuple[bytes, Any]] = []
    real = batch_native.prepare

    def spy(block: bytes, *args: Any) -> Any:
        done = real(block, *args)
        calls.append((block, done))
        return done

    monkeypatch.setattr(batch_native, "prepare", spy)
    return calls
