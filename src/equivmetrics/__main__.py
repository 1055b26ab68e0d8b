"""``python -m equivmetrics``: the command line."""

from ._integrations.cli import main

raise SystemExit(main())
