"""_catalog: private layer of equivmetrics (see docs/architecture.md)."""
