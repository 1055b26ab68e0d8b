"""_core: private layer of equivmetrics (see docs/architecture.md)."""
