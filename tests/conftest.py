"""Shared fixtures: engines built from the productivity pack alone and from the test packs.

The bundled folder is growing (other packs are being added), so tests that depend on exact
kinds load ``conversions/productivity.yaml`` and the fixture packs with ``bundled=False``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import equivmetrics as em

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
PACKS = TESTS / "packs"
PRODUCTIVITY = ROOT / "conversions" / "productivity.yaml"
ENERGY = PACKS / "good" / "energy.yaml"


@pytest.fixture(scope="session")
def prod() -> em.Engine:
    """The productivity pack and nothing else."""
    return em.load(PRODUCTIVITY, bundled=False)


@pytest.fixture(scope="session")
def energy() -> em.Engine:
    """The test energy pack (tests/packs/good/energy.yaml) and nothing else."""
    return em.load(ENERGY, bundled=False)
