"""_present: private layer of equivmetrics (see docs/architecture.md)."""
