"""Reading the last-level cache's size, and the result size from which stores stream.

The folders are laid out as Linux lays out ``/sys/devices/system/cpu/cpu0/cache``; the expected
sizes are the files' own figures worked out by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from equivmetrics._core import caches, fused, scaled


def describe(folder: Path, *entries: tuple[str, str, str]) -> Path:
    """One ``index<n>`` folder per ``(level, type, size)``."""
    for number, (level, kind, size) in enumerate(entries):
        entry = folder / f"index{number}"
        entry.mkdir(parents=True)
        (entry / "level").write_text(level + "\n", encoding="ascii")
        (entry / "type").write_text(kind + "\n", encoding="ascii")
        (entry / "size").write_text(size + "\n", encoding="ascii")
    return folder


def test_the_largest_level_of_data_or_unified_cache_is_read(tmp_path: Path) -> None:
    folder = describe(
        tmp_path,
        ("1", "Data", "48K"),
        ("1", "Instruction", "32K"),
        ("2", "Unified", "1024K"),
        ("3", "Unified", "32768K"),
    )
    assert caches.read_last_level_cache(folder) == 32 * 1024 * 1024


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([("2", "Unified", "2M"), ("3", "Instruction", "64M")], 2 * 1024 * 1024),  # no L3 data
        ([("2", "Unified", "512K"), ("3", "Unified", "1G")], 1024**3),
        ([("2", "Data", "512 K"), ("3", "Unified", "lots")], 512 * 1024),  # an odd size skipped
        ([("two", "Unified", "8M"), ("1", "Data", "32K")], 32 * 1024),  # an odd level skipped
        ([("3", "Unified", "0K")], None),
        ([], None),
    ],
)
def test_odd_or_missing_descriptions_are_skipped(
    tmp_path: Path, entries: list[tuple[str, str, str]], expected: int | None
) -> None:
    assert caches.read_last_level_cache(describe(tmp_path, *entries)) == expected


def test_a_folder_that_is_not_there_says_nothing(tmp_path: Path) -> None:
    assert caches.read_last_level_cache(tmp_path / "missing") is None


def test_an_entry_without_its_files_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "index0").mkdir()
    describe(tmp_path / "more")
    assert caches.read_last_level_cache(tmp_path) is None


@pytest.fixture
def cache_size(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Set what the system says of its cache; the result size is worked out again."""

    def set_to(size: int | None) -> None:
        monkeypatch.setattr(scaled, "last_level_cache", lambda: size)
        scaled.stream_size.cache_clear()

    yield set_to
    scaled.stream_size.cache_clear()


@pytest.mark.parametrize(
    ("cache", "values"),
    [
        (32 * 1024 * 1024, 2_097_152),  # half of 32 MiB, in 8-byte values
        (96 * 1024 * 1024, 6_291_456),
        (None, scaled.DEFAULT_STREAM_SIZE),
        (8, 1),
    ],
)
def test_stores_stream_from_half_the_cache(cache_size: Any, cache: int | None, values: int) -> None:
    cache_size(cache)
    assert scaled.stream_size() == values


def test_scale_streams_from_the_size_the_cache_gives(
    cache_size: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``STREAM_SIZE`` left to the cache, a result of half the cache's values or more asks
    for the streaming loop, a smaller one does not."""
    if fused.kernel() is None:
        pytest.skip(f"numba's loop is not available here: {fused.status()}")
    asked: list[int] = []

    def streaming(loop: Any) -> Any:
        asked.append(1)
        return loop

    monkeypatch.setattr(fused, "streaming", streaming)
    monkeypatch.setattr(scaled, "STREAM_SIZE", None)
    cache_size(40_000 * 8 * 2)  # streams from 40,000 values
    values = np.arange(40_000.0)
    out, unusual = scaled.scale(values, 0.5, threads=False)
    assert not unusual
    assert (out == values * 0.5).all()
    assert asked == [1]
    scaled.scale(values[:-1], 0.5, threads=False)
    assert asked == [1]
