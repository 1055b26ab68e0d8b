"""The built-in icon set: every icon a bundled pack names ships, parses and is safe to inline."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib.resources import files

import pytest

import equivmetrics as em
from equivmetrics._present import icons as _icons

SVG = "{http://www.w3.org/2000/svg}"
PACK_ICONS = [
    "money",
    "receipt",
    "fuel",
    "clock",
    "warning",
    "walking",
    "tree",
    "trash_bag",
    "train",
    "tanker_truck",
    "swimming",
    "smartphone",
    "seedling",
    "running",
    "rocket",
    "recycle",
    "propane",
    "plug",
    "person",
    "lightbulb",
    "home",
    "garbage_truck",
    "food",
    "flame",
    "cycling",
    "coal",
    "cloud",
    "car",
    "bolt",
    "barrel",
]


def test_every_icon_a_bundled_kind_names_ships() -> None:
    used = {kind.icon for kind in em.load().kinds.values() if kind.icon}
    assert used <= set(em.icon_names()), sorted(used - set(em.icon_names()))
    assert {*PACK_ICONS, "chat", "default"} <= set(em.icon_names())
    assert list(em.icon_names()) == sorted(em.icon_names())


@pytest.mark.parametrize("name", em.icon_names())
def test_each_icon_is_a_small_safe_svg(name: str) -> None:
    text = em.icon_svg(name)
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 24 24"
    assert root.get("stroke") == "currentColor"
    assert root.get("fill") == "none"
    shapes = list(root)
    assert shapes
    allowed = {f"{SVG}{tag}" for tag in ("path", "circle", "rect", "line", "polyline", "ellipse")}
    for element in root.iter():
        if element is root:
            continue
        assert element.tag in allowed, element.tag
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on")
            assert "href" not in attribute.lower()
            assert "url(" not in value
        assert element.get("fill", "currentColor") in {"currentColor", "none"}
        assert element.get("stroke", "currentColor") in {"currentColor", "none"}
    body = _icons.icon_body(name)
    assert body
    assert "<svg" not in body
    assert ET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{body}</svg>') is not None


def test_icons_are_package_resources() -> None:
    folder = files("equivmetrics").joinpath("icons")
    on_disk = sorted(e.name for e in folder.iterdir() if e.name.endswith(".svg"))
    assert on_disk == [f"{name}.svg" for name in em.icon_names()]


@pytest.mark.parametrize(
    "name",
    [
        "no_such_icon",
        "",
        "../../etc/passwd",
        "walking.svg",
        "icons/walking",
        "walk ing",
        "x" * 65,
        "WALKING",
        "walking\n",
        "\u0101",
    ],
)
def test_unknown_or_malformed_names_give_the_default_icon(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _icons.clear_icon_cache()
    opened: list[str] = []
    real_read = _icons._read.__wrapped__

    def spy(icon: str) -> str:
        opened.append(icon)
        return real_read(icon)

    monkeypatch.setattr(_icons, "_read", spy)
    assert em.icon_svg(name) == em.icon_svg("default")
    assert set(opened) == {"default"}, "only the default file is ever opened"


def test_icons_are_cached_and_the_cache_can_be_cleared() -> None:
    _icons.clear_icon_cache()
    assert em.icon_svg("tree") is em.icon_svg("tree")
    assert _icons._read.cache_info().hits >= 1
    _icons.clear_icon_cache()
    assert _icons._read.cache_info().currsize == 0
    assert "<svg" in em.icon_svg("tree")
