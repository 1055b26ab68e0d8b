"""Shared fixtures: engines built from the productivity pack alone and from the test packs.

The bundled folder is growing (other packs are being added), so tests that depend on exact
kinds load ``conversions/productivity.yaml`` and the fixture packs with ``bundled=False``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

import equivmetrics as em

#: The long fuzz run (docs/security.md):
#: ``HYPOTHESIS_PROFILE=fuzz pytest tests/test_fuzz*.py tests/test_api_properties.py``.
#: The fuzz tests take their budget from the loaded profile (see ``strategies.FUZZ``); the
#: normal suite runs them with a modest one.
settings.register_profile("fuzz", max_examples=5_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

#: Warm-start files (docs/performance.md) go to a folder of this session, never the user's.
os.environ.setdefault("EQUIVMETRICS_CACHE_DIR", tempfile.mkdtemp(prefix="equivmetrics-warm-"))

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
