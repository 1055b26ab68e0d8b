"""_packs: private layer of equivmetrics (see docs/architecture.md)."""
