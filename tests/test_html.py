"""The HTML card: structure, accessibility, self-containment and escaping of untrusted text."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

import equivmetrics as em
from equivmetrics._present.citations import _safe_url
from equivmetrics._present.html import _split
from htmltree import Node, parse

HOSTILE_PACK = """\
equivmetrics: 1
name: hostile
edition: "1"
license: MIT
sources:
  evil:
    title: '<script>alert(1)</script>" onmouseover="x'
    publisher: "<img src=x onerror=alert(1)>"
    url: "javascript:alert(1)"
    edition: "\\"><script>alert(2)</script>"
  evil_data:
    title: "' onfocus='x"
    url: "data:text/html,<script>alert(3)</script>"
  fine:
    title: "Tables & figures <2024>"
    url: "https://example.org/t?a=1&b=2"
kinds:
  thing:
    unit: kg
    input_units: [kg]
  evil:
    unit: count
    label:
      one: "<script>alert(1)</script>"
      other: "<script>alert(1)</script>\\" onmouseover=\\"x"
    icon: no_such_icon
    roles:
      feel_good: "<b onclick=\\"x\\">about</b> {value} {label} \\" onmouseover=\\"x"
parameters:
  per_kg: {value: 2 count/kg, low: 1 count/kg, high: 4 count/kg, source: evil}
rules:
  - {id: thing_evil, from: thing, to: evil, factor: per_kg, sources: [evil_data, fine]}
"""
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def walk_run() -> tuple[em.Equivalent, ...]:
    return em.load().action("420 kcal", only=["walking", "running"])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[em.Equivalent, ...]:
    path: Path = tmp_path_factory.mktemp("packs") / "hostile.yaml"
    path.write_text(HOSTILE_PACK, encoding="utf-8")
    goods = em.load(path, bundled=False).feel_good("10 kg")
    assert [e.kind for e in goods] == ["evil"]
    return goods


def card(markup: str) -> Node:
    (section,) = parse(markup).find_all("section")
    return section


# -- structure and accessibility -----------------------------------------------------------


def test_one_list_item_per_equivalent_under_a_labelled_section(
    walk_run: tuple[em.Equivalent, ...],
) -> None:
    section = card(em.render_html(walk_run, title="Burn off a 420 kcal drink"))
    assert section.classes == ["equivmetrics-card"]
    heading = section.find("h2")
    assert section.attrs["aria-labelledby"] == heading.attrs["id"]
    assert heading.text() == "Burn off a 420 kcal drink"
    (listing,) = section.find_all("ul", "em-list")
    items = [c for c in listing.children if isinstance(c, Node)]
    assert [i.tag for i in items] == ["li", "li"]
    assert section.attrs["lang"] == "en"
    for item, equivalent in zip(items, walk_run, strict=True):
        assert item.classes == ["em-item"]
        assert item.find("strong", "em-value").text() == equivalent.value_text
        # the sentence reads as the equivalent's text, its range on a line of its own
        sentence = equivalent.text.removesuffix(f" (range {equivalent.range_text})")
        assert item.find("p", "em-text").text() == sentence
        assert item.find("p", "em-range").text() == f"Range {equivalent.range_text}"
        summary = item.find("details", "em-sources").find("summary")
        assert summary.text() == f"Sources ({len(equivalent.sources)})"
        assert len(item.find("ul", "em-source-list").find_all("li")) == len(equivalent.sources)


def test_icons_are_inline_svg_images_with_alt_text(walk_run: tuple[em.Equivalent, ...]) -> None:
    section = card(em.render_html(walk_run))
    svgs = section.find_all("svg")
    assert len(svgs) == len(walk_run)
    ids = [n.attrs["id"] for n in section.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids)), "ids are unique within the card"
    for svg in svgs:
        assert svg.attrs["role"] == "img"
        assert svg.attrs["viewbox"] == "0 0 24 24"
        title = svg.find("title")
        assert svg.attrs["aria-labelledby"] == title.attrs["id"]
        assert title.text(skip=frozenset()) in {"brisk walking", "minutes of running"}
        assert svg.find_all("path") or svg.find_all("circle")


def test_heading_level_title_and_lang_can_be_chosen(walk_run: tuple[em.Equivalent, ...]) -> None:
    section = card(em.render_html(walk_run[:1], heading_level=4, lang="de_CH"))
    assert section.find("h4").text() == "Vergleich"  # the card's own words in its language
    assert section.attrs["lang"] == "de-CH"
    assert section.find("li", "em-item").attrs["lang"] == "en"  # the equivalent's words
    assert card(em.render_html(walk_run)).find("h2").text() == "Equivalents"


@pytest.mark.parametrize("level", [0, 7, True, 2.0, "2"])
def test_a_bad_heading_level_is_refused(level: object, walk_run: tuple[em.Equivalent, ...]) -> None:
    with pytest.raises(em.InputError, match="heading_level"):
        em.render_html(walk_run, heading_level=level)  # type: ignore[arg-type]


def test_a_title_must_be_text(walk_run: tuple[em.Equivalent, ...]) -> None:
    with pytest.raises(em.InputError, match="title"):
        em.render_html(walk_run, title=42)  # type: ignore[arg-type]
    with pytest.raises(em.InputError, match="title"):
        em.render_page(walk_run, title=b"x")  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["", "e", 'en" onload="x', "en gb", "123"])
def test_a_bad_lang_is_refused(lang: str, walk_run: tuple[em.Equivalent, ...]) -> None:
    with pytest.raises(em.InputError, match="lang"):
        em.render_html(walk_run, lang=lang)


def test_input_must_be_equivalents(walk_run: tuple[em.Equivalent, ...]) -> None:
    assert em.render_html(walk_run[0]) == em.render_html([walk_run[0]])
    assert em.render_html(iter(walk_run)) == em.render_html(walk_run)
    for bad in (42, "walking", [walk_run[0], "walking"]):
        with pytest.raises(em.InputError, match="Equivalent objects"):
            em.render_html(bad)  # type: ignore[arg-type]


def test_no_equivalents_renders_a_labelled_empty_card() -> None:
    section = card(em.render_html([], title="Nothing yet"))
    assert not section.find_all("ul")
    assert section.find("p", "em-empty").text() == "No equivalents to show."


def test_output_is_deterministic_and_ids_follow_the_content(
    walk_run: tuple[em.Equivalent, ...],
) -> None:
    assert em.render_html(walk_run) == em.render_html(walk_run)
    first = card(em.render_html(walk_run[:1])).attrs["aria-labelledby"]
    second = card(em.render_html(walk_run[1:])).attrs["aria-labelledby"]
    assert first != second
    assert re.fullmatch(r"em-[0-9a-f]{10}", first)


def test_the_card_is_self_contained_and_scoped(walk_run: tuple[em.Equivalent, ...]) -> None:
    markup = em.render_html(walk_run)
    section = card(markup)
    for node in section.iter():
        assert node.tag not in {"script", "link", "img", "iframe", "object", "embed"}
        assert "src" not in node.attrs
        assert not any(name.startswith("on") for name in node.attrs)
        for cls in node.classes:
            assert cls == "equivmetrics-card" or cls.startswith("em-")
    (style,) = section.find_all("style")
    css = "".join(c for c in style.children if isinstance(c, str))
    assert "@import" not in css
    assert "url(" not in css
    selectors = re.findall(r"(?:^|})\s*([^{}@]+)\{", css)
    assert selectors
    for group in selectors:
        for selector in group.split(","):
            assert selector.strip().startswith(".equivmetrics-card"), selector


def test_the_number_keeps_its_symbol_and_smaller_unit_words() -> None:
    assert _split("$29,000 of labour cost avoided", "29,000") == (
        "",
        "$29,000",
        "of labour cost avoided",
    )
    assert _split("about 150 tree seedlings", "150") == ("about", "150", "tree seedlings")
    assert _split("in 2150, 150 trees", "150") == ("in 2150,", "150", "trees")
    assert _split("20 % less", "20") == ("", "20", "% less")
    assert _split("no trees", "0") == ("", "0", "no trees")
    walking = em.load().action("420 kcal", only=["walking"])[0]
    value = card(em.render_html([walking])).find("strong", "em-value")
    units = [n.text() for n in value.find_all("span", "em-unit")]
    assert units == ["h", "min"]
    assert value.text() == "1 h 15 min"


def test_repr_html_of_an_equivalent_is_its_card(walk_run: tuple[em.Equivalent, ...]) -> None:
    markup = walk_run[0]._repr_html_()
    assert markup == em.render_html([walk_run[0]])
    assert len(card(markup).find_all("li", "em-item")) == 1


def test_render_page_is_a_complete_document(walk_run: tuple[em.Equivalent, ...]) -> None:
    page = em.render_page(walk_run, title="A 420 kcal drink")
    assert page.startswith("<!DOCTYPE html>\n")
    document = parse(page)
    (html,) = document.find_all("html")
    assert html.attrs["lang"] == "en"
    head = html.find("head")
    metas = head.find_all("meta")
    assert {"charset": "utf-8"} in [m.attrs for m in metas]
    assert any(m.attrs.get("name") == "viewport" for m in metas)
    csp = next(m for m in metas if m.attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp.attrs["content"]
    assert head.find("title").text(skip=frozenset()) == "A 420 kcal drink"
    section = html.find("body").find("main").find("section")
    assert section.find("h1").text() == "A 420 kcal drink"
    assert len(section.find_all("li", "em-item")) == 2


# -- escaping: text from packs and callers is inert ----------------------------------------


def _assert_inert(markup: str) -> Node:
    root = parse(markup)
    for node in root.iter():
        assert node.tag not in {"script", "img", "b", "iframe"}, node.tag
        assert not any(name.startswith("on") for name in node.attrs), node.attrs
        href = node.attrs.get("href")
        if href is not None:
            assert re.match(r"https?://", href), href
    return root


def test_hostile_pack_text_renders_as_text(hostile: tuple[em.Equivalent, ...]) -> None:
    markup = em.render_html(hostile, title=f"</h2>{SCRIPT}")
    root = _assert_inert(markup)
    section = root.find("section")
    assert section.find("h2").text() == f"</h2>{SCRIPT}"
    item = section.find("li", "em-item")
    # the hostile words are shown, as words
    assert SCRIPT in item.find("p", "em-text").text()
    assert '<b onclick="x">about</b>' in item.find("p", "em-text").text()
    title = item.find("svg").find("title").text(skip=frozenset())
    assert title.startswith(SCRIPT)
    sources = item.find("ul", "em-source-list").text()
    assert "<img src=x onerror=alert(1)>" in sources
    assert "' onfocus='x" in sources
    # javascript: and data: links are dropped, the https one is kept with its & intact
    links = item.find_all("a")
    assert [a.attrs["href"] for a in links] == ["https://example.org/t?a=1&b=2"]
    assert 'href="https://example.org/t?a=1&amp;b=2"' in markup
    assert links[0].text() == "Tables & figures <2024>"
    # the unknown icon name gave the default icon (a malformed one is refused at load:
    # test_a_malformed_icon_name_is_a_load_error)
    assert item.find("svg").find_all("circle")


def test_hostile_pack_in_a_page_is_inert(hostile: tuple[em.Equivalent, ...]) -> None:
    page = em.render_page(hostile, title=f"{SCRIPT}</title>")
    root = _assert_inert(page)
    assert root.find("title").text(skip=frozenset()) == f"{SCRIPT}</title>"
    assert "javascript:" not in page.lower()


def test_hostile_fields_set_by_a_caller_are_escaped(walk_run: tuple[em.Equivalent, ...]) -> None:
    evil = attrs.evolve(
        walk_run[0],
        text=f'{SCRIPT} 1 h 15 min "><svg onload=alert(1)>',
        value_text="1 h 15 min",
        range_text='"><script>',
        label='" onmouseover="x\'',
        icon="../../../etc/passwd",
        locale="en",
    )
    root = _assert_inert(em.render_html([evil]))
    item = root.find("li", "em-item")
    assert item.find("p", "em-range").text() == 'Range "><script>'
    assert [n.tag for n in item.find("svg").iter()][:2] == ["svg", "title"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "//evil.example/x",
        "/relative/path",
        "https://",
        "https://exa mple.org/",
        'https://example.org/"onmouseover="x',
        "https://example.org/<script>",
        "http://[::1",
        "",
    ],
)
def test_only_plain_http_links_are_kept(url: str) -> None:
    assert _safe_url(url) == ""


@pytest.mark.parametrize(
    "url",
    ["https://www.epa.gov/energy/x", "http://example.org", "HTTPS://Example.org/a?b=1&c=2#d"],
)
def test_http_links_are_kept(url: str) -> None:
    assert _safe_url(url) == url


def test_a_malformed_icon_name_is_a_load_error(tmp_path: Path) -> None:
    text = HOSTILE_PACK.replace("icon: no_such_icon", 'icon: "<svg onload=alert(1)>"')
    path = tmp_path / "bad_icon.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(em.PackError) as info:
        em.load(path, bundled=False)
    [problem] = [p for p in info.value.problems if p.field == "kinds.evil.icon"]
    assert "is not an icon name" in problem.message
    assert problem.location.line == text.splitlines().index('    icon: "<svg onload=alert(1)>"') + 1


def test_the_card_writes_co2_with_a_subscript() -> None:
    card = em.render_html(em.feel_good("12400 kWh", top=4))
    visible = re.sub(r"<title[^>]*>.*?</title>|<[^>]+>", " ", card, flags=re.DOTALL)
    visible = visible.split("</style>")[-1]
    assert "CO\u2082 absorbed by" in visible
    assert "metric tons of CO\u2082 equivalent" in visible
    # the sentence itself stays plain text, for e-mail subjects, JSON and screen readers
    assert em.feel_good("12400 kWh", top=4)[1].text.startswith("CO2 absorbed by")


def test_a_changed_copy_of_a_library_equivalent_is_checked_again() -> None:
    import attrs

    made = em.feel_good("12400 kWh", top=1)[0]
    assert em.render_html(made)  # built by the library: its fields are not read again
    bad = attrs.evolve(made, magnitude="lots")  # type: ignore[arg-type]
    with pytest.raises(em.InputTypeError, match="magnitude"):
        em.render_html(bad)
