"""Start-up: ``import equivmetrics`` imports only what it needs; public names load on use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import equivmetrics as em
from equivmetrics._engine import warm as _warm


def _run(code: str) -> str:
    env = {**os.environ, "EQUIVMETRICS_CACHE": "off"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.strip()


def test_importing_the_package_imports_no_engine_and_no_third_party_library() -> None:
    loaded = _run(
        "import sys, equivmetrics\n"
        "names = ['equivmetrics._catalog.catalog', 'equivmetrics._api.engine', 'yaml', 'pint',"
        " 'numpy', 'importlib.metadata']\n"
        "print(','.join(n for n in names if n in sys.modules))"
    )
    assert loaded == ""


def test_every_public_name_resolves_and_classes_say_equivmetrics() -> None:
    for name in em.__all__:
        obj = getattr(em, name)
        if isinstance(obj, type):
            assert obj.__module__ == "equivmetrics", name
    assert set(em.__all__) <= set(dir(em))


def test_a_result_converted_first_thing_has_its_notebook_view() -> None:
    shown = _run(
        "import equivmetrics as em\n"
        "r = em.convert('12000 transaction/month', 'manual_work')\n"
        "print(type(r).__module__, '<' in r._repr_html_())"
    )
    assert shown == "equivmetrics True"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        em.no_such_name  # noqa: B018


def test_the_warm_identity_follows_a_source_files_stamp(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("x = 1\n", encoding="utf-8")
    os.utime(module, ns=(1_000_000_000, 1_000_000_000))
    first = _warm._stamp(module)
    os.utime(module, ns=(2_000_000_000, 2_000_000_000))
    assert _warm._stamp(module) != first
    module.write_text("x = 12\n", encoding="utf-8")
    os.utime(module, ns=(2_000_000_000, 2_000_000_000))
    assert _warm._stamp(module) != first


def test_pints_version_is_read_without_importing_it() -> None:
    assert _run(
        "import sys\nfrom equivmetrics._engine import warm\n"
        "v = warm._pint_version()\nprint('pint-' in v, 'pint' in sys.modules)"
    ) == ("True False")


def test_a_first_start_without_plugins_imports_no_plugin_machinery() -> None:
    # Warm starts off: the default engine is built from the bundled packs; with no installed
    # distribution naming the plugin group, neither importlib.metadata is asked nor the
    # plugin reader imported.
    found = _run(
        "import sys\n"
        "from equivmetrics._packs.installed import may_have_plugins\n"
        "quick = may_have_plugins()\n"
        "import equivmetrics as em\n"
        "em.load().convert((5, 'kWh'), 'co2e')\n"
        "print(quick, 'equivmetrics._packs.plugins' in sys.modules)"
    )
    assert found == "False False"
