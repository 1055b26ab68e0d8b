"""_api: private layer of equivmetrics (see docs/architecture.md)."""
