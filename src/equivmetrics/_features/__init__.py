"""_features: private layer of equivmetrics (see docs/architecture.md)."""
