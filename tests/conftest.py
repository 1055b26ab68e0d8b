"""Shared fixtures: engines built from one bundled pack alone and from the test packs.

The bundled folder is growing (other packs are being added), so tests that depend on exact
kinds load ``conversions/productivity.yaml`` and the fixture packs with ``bundled=False``.
The engines are session fixtures, built once per process: under pytest-xdist a worker is
handed tests of several modules in turn, and a module fixture would be built again each time.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
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


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """``pytest -n N`` without ``--dist`` hands out tests by work stealing.

    pytest-xdist's default, ``--dist load``, gives each worker a first batch of tests in
    collection order and cannot take them back. Here the slowest modules (the command line,
    batch and browser tests, which start processes) come first alphabetically, so one worker
    kept them while the other ran out of work. ``worksteal`` lets an idle worker take pending
    tests from a busy one. An explicit ``--dist`` is left as given; this runs before
    pytest-xdist reads the option (both are ``tryfirst``; conftest plugins are called first).
    """
    option = config.option
    if getattr(option, "numprocesses", None) and option.dist == "no" and not option.distload:
        option.dist = "worksteal"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Warm-start files (docs/performance.md) go to a folder of this test process, never the user's.

    Every process that runs tests makes its own before any test module is imported: the one
    process of a serial run, or each pytest-xdist worker (the xdist controller runs no test and
    makes none, so that its workers do not inherit one folder). The folder is removed at exit,
    after the library has saved its last file there (``atexit`` runs in reverse order, and the
    library registers its saver later, when the default engine is first made). A folder chosen
    with ``EQUIVMETRICS_CACHE_DIR`` is used as it is.
    """
    if "EQUIVMETRICS_CACHE_DIR" in os.environ or session.config.pluginmanager.has_plugin(
        "dsession"
    ):
        return
    folder = tempfile.mkdtemp(prefix="equivmetrics-warm-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ["EQUIVMETRICS_CACHE_DIR"] = folder


TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
PACKS = TESTS / "packs"
PRODUCTIVITY = ROOT / "conversions" / "productivity.yaml"
ENERGY = PACKS / "good" / "energy.yaml"
FOREST = PACKS / "present" / "forest.yaml"
EPA = ROOT / "conversions" / "epa_ghg.yaml"
PACE = ROOT / "conversions" / "pace.yaml"


@pytest.fixture(scope="session")
def prod() -> em.Engine:
    """The productivity pack and nothing else."""
    return em.load(PRODUCTIVITY, bundled=False)


@pytest.fixture(scope="session")
def energy() -> em.Engine:
    """The test energy pack (tests/packs/good/energy.yaml) and nothing else."""
    return em.load(ENERGY, bundled=False)


@pytest.fixture(scope="session")
def forest() -> em.Engine:
    """The test forest pack (tests/packs/present/forest.yaml) and nothing else."""
    return em.load(FOREST, bundled=False)


@pytest.fixture(scope="session")
def epa() -> em.Engine:
    """The EPA pack alone, so that other bundled packs cannot change what is tested."""
    return em.load(EPA, bundled=False)


@pytest.fixture(scope="session")
def pace() -> em.Engine:
    """The PACE pack alone, so that other bundled packs cannot change what is tested."""
    return em.load(PACE, bundled=False)


@pytest.fixture(scope="module", params=["plain", "native"])
def csv_engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each batch test twice: on the plain path and on the native engine (docs/cli.md, "The
    native engine"), chosen through ``EQUIVMETRICS_CSV_ENGINE``, which the command lines the
    tests start inherit. Native is forced, so even the small files of the tests take it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EQUIVMETRICS_CSV_ENGINE", request.param)
        yield request.param
