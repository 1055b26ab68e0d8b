"""Bounded memory: an endless stream of distinct unit texts levels off.

Every cache that callers' text can fill has a bound: the engine's compiled conversions, each
unit scope's parse caches, and pint's own caches of what it worked out per combination of
units (dimensionality, root units, conversion factors). Before, 60,000 distinct unit texts
grew a process by 138 MB and it was still growing. The run takes a while: it is marked
``slow``, which the continuous-integration run includes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

#: A child process: distinct unit texts of one kind (kWh times metres and seconds with every
#: pair of prefixes, over the same with other prefixes), its resident memory after each block.
CHILD = """
import gc, itertools, json
import equivmetrics as em
from equivmetrics._core.pint_caches import MAX_PINT_CACHE

PREFIXES = ["", "k", "M", "G", "m", "u", "n", "c", "d", "h", "T", "p", "da", "f", "a", "P"]
def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096
texts = (f"1 kWh*{a}m*{b}s/({c}m*{d}s)" for a, b, c, d in itertools.product(PREFIXES, repeat=4))
seen, sizes = [], []
for block in range(BLOCKS):
    for text in itertools.islice(texts, BLOCK):
        em.convert(text, "co2e", of="electricity_consumed")
    gc.collect()
    seen.append(rss())
registry = em.default_engine().registry
print(json.dumps({"rss": seen, "caches": {name: len(getattr(registry._cache, name))
    for name in ("dimensionality", "root_units", "conversion_factor", "parse_unit")},
    "bound": MAX_PINT_CACHE}))
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc (Linux)")
def test_distinct_unit_texts_level_off() -> None:
    blocks, block = 8, 4000  # 32,000 distinct texts; the caches fill within the first 16,000
    code = CHILD.replace("BLOCKS", str(blocks)).replace("BLOCK", str(block))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=1800,
        env={"EQUIVMETRICS_CACHE": "off", "PATH": ""},
    )  # fmt: skip
    found = json.loads(done.stdout)
    rss = found["rss"]
    # the last 16,000 texts: before, about 2.4 KB each (38 MB); now the caches are full
    assert rss[-1] - rss[3] < 4 * 2**20, [round(r / 2**20, 1) for r in rss]
    # pint's caches: what it builds at start (well under 1,000 entries) plus the bound
    for name, size in found["caches"].items():
        assert size <= found["bound"] + 1000, (name, size)
