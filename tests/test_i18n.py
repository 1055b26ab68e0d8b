"""Translations: every text the bundled packs and the library show, in German, French, Spanish.

* Completeness: every kind of every bundled pack has labels in each plural category its language
  uses (CLDR, through babel) and the wording of each of its roles, and none is left in English;
  the library's message catalogs have every key of the English one, translated.
* One language per sentence: a locale the packs do not translate gets English words with its
  own number formatting; a regional locale gets its language's words.
* The locale changes words, never numbers (a property test).
* Sentences checked by hand, written out here as literals (never computed with babel).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tomllib
from importlib.resources import files
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._integrations.cli import main
from equivmetrics._packs.load import bundled_files, read_packs
from equivmetrics._packs.model import KindSpec

babel = pytest.importorskip("babel")

LANGUAGES = ("de", "fr", "es")
PACKS = [pack for pack in read_packs(bundled_files()) if pack.kinds]
KINDS = [(pack.name, pack.edition, kind) for pack in PACKS for kind in pack.kinds]
PLACEHOLDER = re.compile(r"\{[a-z]+\}")

#: Texts that may read the same as the English ones: (language, text). Unit symbols and
#: proper names would go here; every bundled label and wording differs from its English today.
SAME_AS_ENGLISH: frozenset[tuple[str, str]] = frozenset()
#: Catalog entries that may equal the English entry (a word the language borrows).
CATALOG_SAME: frozenset[tuple[str, str]] = frozenset(
    {
        ("fr", "card.sources"),
        ("es", "outcome.never"),
        ("es", "explain.factor"),
        ("fr", "methodology.sources"),
        ("de", "methodology.within"),
        ("de", "scorecard.status"),
        ("de", "scorecard.trend"),
        ("fr", "scorecard.points"),
    }  # "Sources (2)"; Spanish "no", "factor"; French "Sources", "points" (de pourcentage);
    # German "in", "Status", "Trend"
)


def _categories(language: str) -> list[str]:
    """The CLDR plural categories of a language (babel's tags, plus 'other')."""
    return sorted(set(babel.Locale.parse(language).plural_form.tags) | {"other"})


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in PLACEHOLDER.sub("", text))


def _ids(item: tuple[str, str, KindSpec]) -> str:
    return f"{item[0]}-{item[1]}-{item[2].name}"


def test_the_bundled_packs_with_kinds_are_all_checked() -> None:
    names = {f"{pack.name} {pack.edition}" for pack in PACKS}
    assert {"epa_ghg", "desnz", "ember_grid", "pace", "productivity"} <= {
        name.split()[0] for name in names
    }
    assert "productivity 2025.1" in names  # the earlier edition too
    assert len(KINDS) > 50


def test_the_plural_categories_are_cldrs() -> None:
    assert _categories("de") == ["one", "other"]
    assert _categories("fr") == ["many", "one", "other"]
    assert _categories("es") == ["many", "one", "other"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("item", KINDS, ids=_ids)
def test_every_label_is_translated(item: tuple[str, str, KindSpec], language: str) -> None:
    _, _, kind = item
    forms = dict(kind.presentation.labels).get(language)
    assert forms is not None, f"{kind.name}: no labels for {language!r}"
    table = dict(forms)
    for category in _categories(language):
        text = table.get(category, "")
        assert text.strip(), f"{kind.name}: no {language} label for {category!r}"
        english = kind.label_one if category == "one" else kind.label_other
        if (language, text) not in SAME_AS_ENGLISH:
            assert text != english, f"{kind.name}: {language} {category} label is English"
    assert set(table) <= set(_categories(language)), f"{kind.name}: unknown categories"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("item", KINDS, ids=_ids)
def test_every_role_wording_is_translated(item: tuple[str, str, KindSpec], language: str) -> None:
    _, _, kind = item
    for role, texts in kind.presentation.roles:
        table = dict(texts)
        english = table.get("", "")
        text = table.get(language)
        assert text, f"{kind.name}: no {language} wording for {role}"
        assert "{value}" in text
        if _has_words(english) and (language, text) not in SAME_AS_ENGLISH:
            assert text != english, f"{kind.name}: {language} {role} wording is English"
        if kind.unit == "USD":  # money: babel writes the amount with its currency sign
            assert "$" not in text, f"{kind.name}: {language} {role} writes its own '$'"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and prefix == "":
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def _catalog(name: str) -> dict[str, Any]:
    text = files("equivmetrics").joinpath("messages", f"{name}.toml").read_text("utf-8")
    return _flatten(tomllib.loads(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_entry_is_translated(language: str) -> None:
    english, own = _catalog("en"), _catalog(language)
    optional = {"equivalent.zero"}  # a language without it writes the wording with 0
    assert set(own) == set(english) - optional
    for key, text in own.items():
        assert type(text) is type(english[key]), key
        if isinstance(text, dict):  # plural forms: every category of the language
            assert set(text) == set(_categories(language)), key
            texts, englishes = list(text.values()), list(english[key].values())
        elif isinstance(text, list):
            continue  # the words an icon's text alternative drops: the language's own
        else:
            texts, englishes = [text], [english[key]]
        for found in texts:
            assert found.strip(), key
            placeholders = set(PLACEHOLDER.findall(found))
            assert placeholders == set(PLACEHOLDER.findall(englishes[-1])), key
            if _has_words(found) and (language, key) not in CATALOG_SAME:
                assert found not in englishes, f"{language} {key} is English"


def test_the_neutral_catalog_has_the_sentence_words_and_no_words() -> None:
    root, english = _catalog("root"), _catalog("en")
    assert set(root) == {k for k in english if k.startswith("equivalent.")} - {"equivalent.zero"}
    for text in root.values():
        assert not any(ch.isascii() and ch.isalpha() for ch in PLACEHOLDER.sub("", text))


# -- one language per sentence ---------------------------------------------------------------


def test_12000_transactions_a_month_in_german() -> None:
    texts = [e.text for e in em.feel_good("12000 transaction/month", locale="de")]
    assert texts == [
        "600 Stunden manuelle Arbeit pro Monat eingespart (Bandbreite 200–2.000)",
        "3,8 Vollzeitkräfte, die Sie nicht einstellen mussten (Bandbreite 1,3–13)",
        "27.000\u00a0$ Arbeitskosten pro Monat eingespart (Bandbreite 9.100\u00a0$–96.000\u00a0$)",
    ]
    [hours] = em.action("12000 transaction/month", only=["manual_work"], locale="de")
    assert hours.text == (
        "600 Stunden manuelle Arbeit pro Monat, die eine Automatisierung freisetzen würde "
        "(Bandbreite 200–2.000)"
    )
    # a total: the wording's {per} leaves no gap behind
    [total] = em.feel_good("12000 transaction", only=["manual_work"], locale="de")
    assert total.text == "600 Stunden manuelle Arbeit eingespart (Bandbreite 200–2.000)"


def test_12000_transactions_a_month_in_french_and_spanish() -> None:
    [fr] = em.feel_good("12000 transaction/month", only=["manual_work"], locale="fr")
    assert fr.text == "600 heures de travail manuel en moins par mois (fourchette 200–2\u202f000)"
    [es] = em.feel_good("12000 transaction/month", only=["manual_work"], locale="es")
    assert es.text == "ahorro de 600 horas de trabajo manual por mes (rango 200–2.000)"
    [money] = em.feel_good("12000 transaction/month", only=["labor_cost"], locale="fr")
    assert money.value_text == "27\u202f000\u00a0$US"
    assert money.range_text == "9\u202f100\u00a0$US–96\u202f000\u00a0$US"


def test_a_420_kcal_drink_walked_off() -> None:
    [de] = em.action("420 kcal", only=["walking"], locale="de")
    assert de.text == (
        "1 Std. 15 Min. zügiges Gehen, um die Kalorien zu verbrennen (Bandbreite 48–110 Min.)"
    )
    assert (de.value_text, de.label) == ("1 Std. 15 Min.", "zügiges Gehen")
    [fr] = em.action("420 kcal", only=["walking"], locale="fr")
    assert fr.text == (
        "1\u202fh 15\u00a0min de marche rapide pour brûler ces calories "
        "(fourchette 48–110\u00a0min)"
    )
    [es] = em.action("420 kcal", only=["walking"], locale="es")
    assert es.text == ("1 h 15 min de caminata rápida para quemar esas calorías (rango 48–110 min)")
    [running] = em.action("420 kcal", only=["running"], locale="de")
    assert running.text == "42 Minuten Laufen, um die Kalorien zu verbrennen (Bandbreite 29–51)"


def test_money_in_german_is_babels_format() -> None:
    from equivmetrics._present.cldr import money_text
    from equivmetrics._present.formatter import Formatter

    assert money_text(27390, 5, "USD", Formatter("de")) == "27.390\u00a0$"
    assert money_text(27390, 3, "EUR", Formatter("de")) == "27.400\u00a0€"
    assert money_text(27390, 3, "USD", Formatter("es")) == "27.400\u00a0US$"
    assert money_text(3.9e20, 2, "USD", Formatter("de")) == "3,9 \u00d7 10\u00b2\u2070\u00a0$"


def test_money_in_the_tenants_currency_takes_its_sign() -> None:
    germany = em.load(region="DE")  # Eurostat's hourly labour cost, in EUR
    [de] = germany.feel_good("12000 transaction/month", only=["labor_cost"], locale="de")
    assert de.text == (
        "26.000\u00a0€ Arbeitskosten pro Monat eingespart (Bandbreite 8.700\u00a0€–87.000\u00a0€)"
    )
    [en] = germany.feel_good("12000 transaction/month", only=["labor_cost"])
    assert en.text == "€26,000 of labour cost avoided a month (range €8,700–€87,000)"
    swiss = em.load().with_params(hourly_labor_cost="50 CHF/hour")
    [chf] = swiss.feel_good("12000 transaction", only=["labor_cost"], per="year")
    assert chf.text == "CHF 30,000 of labour cost avoided a year (range CHF 10,000–CHF 100,000)"


def test_less_than_one_and_zero() -> None:
    [de] = em.feel_good("0.001 kWh", only=["tree_seedling"], locale="de")
    assert de.text == "CO2-Bindung durch weniger als 1 Baumsetzling in 10 Jahren Wachstum"
    [fr] = em.feel_good("0.001 kWh", only=["tree_seedling"], locale="fr")
    assert fr.text == "CO2 absorbé par moins de 1 jeune plant d'arbre cultivé pendant 10 ans"
    [zero] = em.feel_good("0 kWh", only=["tree_seedling"], locale="es")
    assert zero.text == "CO2 absorbido por 0 plántulas de árbol cultivadas durante 10 años"
    [english] = em.feel_good("0 kWh", only=["tree_seedling"])
    assert english.text == "no tree seedlings grown for 10 years"


def test_french_plural_forms_follow_cldr() -> None:
    # 1.5 is 'one' in French ("1,5 foyer"), 'other' in German and Spanish
    [fr] = em.feel_good("17820 kWh", only=["home_electricity_energy"], locale="fr", sig=2)
    assert fr.text == "autant d'électricité que 1,5 foyer consomme en un an (fourchette 1,4–1,7)"
    [es] = em.feel_good("17820 kWh", only=["home_electricity_energy"], locale="es", sig=2)
    assert es.text == "tanta electricidad como 1,5 hogares consumen en un año (rango 1,4–1,7)"


def test_a_locale_the_packs_do_not_translate_is_english_throughout() -> None:
    texts = [e.text for e in em.feel_good("12000 transaction/month", locale="it")]
    assert texts == [
        "600 hours of manual work eliminated a month (range 200–2.000)",
        "3,8 full-time employees you did not need to hire (range 1,3–13)",
        "27.000\u00a0USD of labour cost avoided a month (range 9.100\u00a0USD–96.000\u00a0USD)",
    ]
    [walk] = em.action("420 kcal", only=["walking"], locale="it")
    assert walk.text == "1 h 15 min of brisk walking to burn it off (range 48–110 min)"
    assert (walk.locale, walk.language) == ("it", "en")
    [few] = em.feel_good("0.001 kWh", only=["tree_seedling"], locale="pt_BR")
    assert few.text == "CO2 absorbed by less than 1 tree seedling grown for 10 years"


def test_english_words_take_english_plurals_in_any_locale() -> None:
    # Portuguese counts 1.5 as 'one'; its English words must still say "homes"
    [e] = em.feel_good("17820 kWh", only=["home_electricity_energy"], locale="pt", sig=2)
    assert e.text == "as much electricity as 1,5 homes use in a year (range 1,4–1,7)"
    assert e.language == "en"


@pytest.mark.parametrize(
    ("locale", "language", "start"),
    [
        ("de_CH", "de-CH", "600 Stunden manuelle Arbeit pro Monat eingespart"),
        ("de-AT", "de-AT", "600 Stunden manuelle Arbeit pro Monat eingespart"),
        ("fr_CA", "fr-CA", "600 heures de travail manuel en moins par mois"),
        ("es_MX", "es-MX", "ahorro de 600 horas de trabajo manual por mes"),
    ],
)
def test_a_regional_locale_uses_its_languages_words(locale: str, language: str, start: str) -> None:
    [e] = em.feel_good("12000 transaction/month", only=["manual_work"], locale=locale)
    assert e.text.startswith(start)
    assert (e.locale, e.language) == (locale, language)
    assert e.to_dict()["locale"] == locale
    assert e.to_dict()["language"] == language


def test_a_kind_a_tenant_pack_leaves_untranslated_is_english(tmp_path: Any) -> None:
    pack = tmp_path / "bot.yaml"
    pack.write_text(
        """equivmetrics: 1
name: bot
edition: "1"
license: none
sources: {me: {title: Me}}
units: {ticket: {definition: "[support_ticket]"}}
kinds:
  ticket:
    unit: ticket
    input_units: [ticket]
    label: {one: ticket, other: tickets}
  handled:
    unit: ticket
    label: {one: ticket handled by the bot, other: tickets handled by the bot}
    labels:
      de: {one: vom Bot bearbeitetes Ticket, other: vom Bot bearbeitete Tickets}
    roles:
      feel_good: "{value} {label} this time"
rules:
  - {from: ticket, to: handled, factor: 1, source: me}
""",
        encoding="utf-8",
    )
    engine = em.load(pack, bundled=False)
    # German labels, but the wording has words and no German: English throughout
    [e] = engine.feel_good("3 ticket", only=["handled"], locale="de")
    assert (e.text, e.language) == ("3,00 tickets handled by the bot this time", "en")


def test_a_language_the_library_lacks_gets_symbols_not_english() -> None:
    forest = em.load("tests/packs/present/forest.yaml", bundled=False)
    [e] = forest.feel_good("12000 kg", only=["planted"], locale="pl", per="month")
    assert e.text == "około 600 posadzonych drzew na miesiąc"
    [wide] = forest.feel_good("440 kg", only=["planted"], locale="pl", sig=2)
    assert wide.language == "pl"
    # a kind without Polish wording for the role: English, with Polish numbers
    [action] = forest.action("440 kg", only=["planted"], locale="pl")
    assert (action.text, action.language) == ("22,0 trees planted needed", "en")


# -- everywhere the user sees text -------------------------------------------------------------


def test_the_html_card_speaks_the_language() -> None:
    card = em.render_html(em.action("420 kcal", only=["walking", "running"], locale="fr"))
    assert card.startswith('<section class="equivmetrics-card" aria-labelledby="em-')
    assert ' lang="fr" dir="ltr">' in card[:120]
    assert ">Équivalents</h2>" in card
    assert '<span class="em-range-label">Fourchette</span>' in card
    assert "<summary>Sources (4)</summary>" in card
    assert ">marche rapide</title>" in card  # the icon's text alternative drops the "de"
    spanish = em.render_html(em.action("420 kcal", only=["walking"], locale="es"))
    assert ">Equivalencia</h2>" in spanish
    assert "<summary>Fuentes (4)</summary>" in spanish


def test_a_right_to_left_card() -> None:
    card = em.render_html(em.action("420 kcal", only=["walking"]), lang="ar")
    assert ' lang="ar" dir="rtl">' in card[:120]
    # the library has no Arabic words: the card's own are English, and say so
    assert ' lang="en">Equivalent</h2>' in card
    assert '<li class="em-item" lang="en">' in card


def test_a_page_in_german() -> None:
    page = em.render_page(em.feel_good("12400 kWh", only=["co2e"], locale="de"))
    assert '<html lang="de" dir="ltr">' in page
    assert "<title>Vergleich</title>" in page


def test_the_command_line_and_the_json_stream_translate(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["feel-good", "12000 transaction/month", "--only", "manual_work", "--locale", "de"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert printed == "≈ 600 Stunden manuelle Arbeit pro Monat eingespart (Bandbreite 200–2.000)\n"
    request = {"id": 1, "quantity": "420 kcal", "only": ["walking"], "locale": "es"}
    stdin = io.TextIOWrapper(io.BytesIO((json.dumps(request) + "\n").encode()), "utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["action", "-", "--json"]) == 0
    [walking] = json.loads(capsys.readouterr().out)["equivalents"]
    assert walking["text"].startswith("1 h 15 min de caminata rápida para quemar esas calorías")
    assert (walking["locale"], walking["language"]) == ("es", "es")


def test_the_demo_speaks_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--locale", "fr"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "Valeur d'un logiciel : 12000 transaction/month  (équivalents de la valeur obtenue)"
    )
    assert lines[-1].startswith("Chaque chiffre est sourcé : essayez")


# -- the locale changes words, never numbers ---------------------------------------------------

QUANTITIES = ["kWh", "transaction/month", "transaction", "kcal", "t", "gallon", "FTE"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    magnitude=st.floats(min_value=1e-4, max_value=1e9, allow_nan=False),
    unit=st.sampled_from(QUANTITIES),
    role=st.sampled_from(["feel_good", "action"]),
    sig=st.one_of(st.none(), st.integers(min_value=1, max_value=6)),
)
def test_the_locale_never_changes_a_number(
    magnitude: float, unit: str, role: str, sig: int | None
) -> None:
    offer = em.feel_good if role == "feel_good" else em.action
    try:
        english = offer(f"{magnitude!r} {unit}", sig=sig, top=10)
    except em.NoEquivalentError:
        return
    numbers = [(e.kind, e.magnitude, e.low, e.high, e.unit) for e in english]
    for locale in ("de", "fr", "es"):
        others = offer(f"{magnitude!r} {unit}", sig=sig, top=10, locale=locale)
        assert [(e.kind, e.magnitude, e.low, e.high, e.unit) for e in others] == numbers
        assert all(e.language == locale for e in others)
        assert [e.text for e in others] != [e.text for e in english]


# -- explain() in the reader's language (issue 14 item 4) ---------------------------------------


def test_explain_in_english_is_result_explain() -> None:
    for quantity, to in (("12000 transaction/month", "labor_cost"), ("12400 kWh", "tree_seedling")):
        result = em.convert(quantity, to)
        assert em.explain(result) == result.explain()


@pytest.mark.parametrize(
    ("locale", "last"),
    [
        # 12,000 x 3 min = 600 h a month, x $45.65 = $27,390 (range $9,130-96,100)
        ("de", "Ergebnis: 27.390 USD/month (Bandbreite 9.130–96.100) (labor_cost)"),
        (
            "fr",
            "Résultat : 27\u202f390 USD/month (fourchette 9\u202f130–96\u202f100) de labor_cost",
        ),
        ("es", "Resultado: 27.390 USD/month (rango 9.130–96.100) de labor_cost"),
    ],
)
def test_explain_in_german_french_spanish(locale: str, last: str) -> None:
    text = em.explain(em.convert("12000 transaction/month", "labor_cost"), locale=locale)
    assert text.splitlines()[-1] == last
    english = em.convert("12000 transaction/month", "labor_cost").explain()
    assert len(text.splitlines()) == len(english.splitlines())  # the same derivation, line by line
    assert "source:" not in text
    assert "range" not in text


def test_explain_of_an_untranslated_language_is_english_with_local_numbers() -> None:
    text = em.explain(em.convert("12000 transaction/month", "manual_work"), locale="pl")
    assert text.splitlines()[-1].startswith("Result: 600 hour/month")
    with pytest.raises(em.InputTypeError, match="takes a Result"):
        em.explain("12 kWh")


# -- the methodology page in the reader's language (issue 14 item 4) -----------------------------


@pytest.mark.parametrize(
    ("locale", "title", "sources", "quoted"),
    [
        ("de", "# Methodik", "### Quellen", "stehen auf Englisch"),
        ("fr", "# Méthodologie", "### Sources", "sont citées en anglais"),
        ("es", "# Metodología", "### Fuentes", "se citan en inglés"),
    ],
)
def test_the_methodology_page_in_german_french_spanish(
    locale: str, title: str, sources: str, quoted: str
) -> None:
    from equivmetrics._present.methodology import render_methodology

    english = render_methodology(em.load())
    page = render_methodology(em.load(), locale=locale)
    assert page.splitlines()[0] == title
    assert sources in page.splitlines()
    assert quoted in page  # the page says the packs' own prose is quoted in English
    assert "### Parameters" not in page
    assert "### Worked examples" not in page
    # every figure is the same: only the words around them change
    assert len(page.splitlines()) == len(english.splitlines()) + 2  # + the quoted-prose note
    for old, new in zip(
        english.splitlines(), [*page.splitlines()[:7], *page.splitlines()[9:]], strict=False
    ):
        if old.startswith("| `") and ("` ↔ `" in old or "` → `" in old):
            # a rule's row of figures: the same numbers in the same places
            assert re.findall(r"\d[\d,.]*", old) == re.findall(r"\d[\d,.]*", new)
    # each kind's label is the pack's translation where it has one
    for pack in em.load().catalog.packs:
        for kind in pack.kinds:
            label = kind.presentation.label(locale, "other")
            if label:
                assert f"| `{kind.name}` | {kind.unit} | {label} |" in page


def test_the_methodology_command_takes_a_locale() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "equivmetrics", "methodology", "--locale", "fr"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("# Méthodologie\n")
