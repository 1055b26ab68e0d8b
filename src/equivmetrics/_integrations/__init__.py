"""_integrations: private layer of equivmetrics (see docs/architecture.md)."""
