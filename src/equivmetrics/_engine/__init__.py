"""_engine: private layer of equivmetrics (see docs/architecture.md)."""
