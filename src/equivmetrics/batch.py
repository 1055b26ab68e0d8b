"""Batch conversion of CSV files from Python: ``equivmetrics batch`` as a function.

>>> import pathlib, tempfile
>>> from equivmetrics.batch import convert_csv
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "meters.csv").write_text("site,kwh\\nA,1000\\nB,oops\\n")
>>> summary = convert_csv(folder / "meters.csv", folder / "out.csv", column="kwh",
...                       unit="kWh", to="co2e:kg", progress=False)
>>> summary.rows, summary.converted, summary.rejected
(2, 1, 1)

See docs/cli.md ("Batch conversion") for what the files hold.
"""

from __future__ import annotations

from ._integrations.batch import Summary
from ._integrations.batch_python import convert_csv

__all__ = ["Summary", "convert_csv"]
