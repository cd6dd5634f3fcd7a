"""The report's view model and template: pure, no database, no PDF."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from selfscan import questionnaires
from selfscan.report import render
from selfscan.report.sample import SAMPLE_BRAND, sample_view
from selfscan.report.view import DEFAULT_COLOUR, INSTRUMENT_IDS, Brand, file_name


@pytest.fixture(scope="module")
def nl():
    return sample_view("nl")


def test_view_holds_every_theme_in_questionnaire_order_with_priorities(nl):
    questionnaire = questionnaires.current()
    assert [t.id for t in nl.themes] == [t.id for t in questionnaire.themes]
    assert [t.title for t in nl.themes] == [t.title.nl for t in questionnaire.themes]
    assert len(nl.priorities) == 3
    assert [t.priority for t in nl.priorities] == [1, 2, 3]
    # The action plan turns each priority into its steps.
    assert {row.theme for row in nl.plan} == {t.title for t in nl.priorities}
    assert all(row.step for row in nl.plan)


def test_scores_are_formatted_for_the_language(nl):
    en = sample_view("en")
    assert re.fullmatch(r"\d+,\d", nl.overall)
    assert re.fullmatch(r"\d+\.\d", en.overall)
    assert nl.themes[0].score.replace(",", ".") == en.themes[0].score
    assert en.t["summary"] == "Summary" and nl.t["summary"] == "Samenvatting"
    assert en.themes[0].title != nl.themes[0].title


def test_instruments_carry_the_years_figures(nl):
    assert [i.id for i in nl.instruments] == list(INSTRUMENT_IDS)
    lkv = next(i for i in nl.instruments if i.id == "lkv")
    # 2026: € 1,01 per hour, at most € 2.000 a year (from regulations, never typed).
    assert "€\u00a01,01" in lkv.figures and "€\u00a02.000" in lkv.figures
    lks = next(i for i in nl.instruments if i.id == "lks")
    assert "70%" in lks.figures and "23,5%" in lks.figures and "€\u00a014,71" in lks.figures
    assert nl.year == 2026 and "2026" in nl.t["instruments"]


def test_quota_indication_when_computed_and_absent_otherwise(nl):
    from selfscan.model import OrganisationProfile

    assert nl.quota is not None and nl.quota.applies
    assert any("2,58%" == row.value for row in nl.quota.rows)
    none = sample_view("nl", profile=OrganisationProfile())
    assert none.quota is None


def test_charts_are_the_result_pages_svg_in_the_brand_colour(nl):
    import base64

    assert nl.radar.svg.startswith("<svg") and 'role="img"' in nl.radar.svg
    assert "chart--radar" in nl.radar.svg and "chart--bars" in nl.bars.svg
    for theme in nl.themes:
        assert theme.title in nl.radar.svg
        assert theme.score in nl.bars.svg
        # The text alternative names every theme and score.
        assert f"{theme.title}: {theme.score}" in nl.radar.alt
        assert f"{theme.title}: {theme.score}" in nl.bars.alt
    assert SAMPLE_BRAND.colour in nl.radar.svg
    prefix = "data:image/svg+xml;base64,"
    assert nl.radar.src.startswith(prefix)
    assert base64.b64decode(nl.radar.src.removeprefix(prefix)).decode() == nl.radar.svg


def test_a_brand_colour_that_is_not_hex_falls_back():
    assert Brand(name="x", slug="x", colour="red;}body{color:red").safe_colour == DEFAULT_COLOUR
    assert Brand(name="x", slug="x", colour="#A1b2C3").safe_colour == "#A1b2C3"


def test_file_name_is_ascii_and_dated():
    day = dt.date(2026, 3, 12)
    assert file_name("Bakkerij Van 't Hoff & Zonen B.V.", "coop", day) == (
        "zelfscan-bakkerij-van-t-hoff-zonen-b-v-2026-03-12.pdf"
    )
    assert file_name("Café Ünïcode", "coop", day) == "zelfscan-cafe-unicode-2026-03-12.pdf"
    assert file_name(None, "wsp-holland-rijnland", day) == (
        "zelfscan-wsp-holland-rijnland-2026-03-12.pdf"
    )
    assert file_name('"/../..', "x", day) == "zelfscan-organisatie-2026-03-12.pdf"
    assert '"' not in file_name('a"b', "x", day) and "/" not in file_name("a/b", "x", day)


def test_organisation_name_is_one_clean_line():
    view = sample_view("nl", organisation="  Bakkerij\n\tDe  Zon \x00 ")
    assert view.organisation == "Bakkerij De Zon"
    assert sample_view("nl", organisation="   ").organisation is None


def test_html_escapes_what_users_typed():
    evil = '<img src="http://127.0.0.1:1/x"><script>alert(1)</script>&'
    brand = Brand(name='WSP <b>"x"</b>', slug="x")
    html = render.render_html(sample_view("nl", organisation=evil, brand=brand))
    assert "<script>" not in html and '<img src="http://127.0.0.1' not in html
    assert "&lt;img src=&#34;http://127.0.0.1:1/x&#34;&gt;" in html
    assert "WSP &lt;b&gt;&#34;x&#34;&lt;/b&gt;" in html


def test_html_has_language_title_and_every_section(nl):
    html = render.render_html(nl)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in html
    assert f"<title>{nl.title}</title>" in html.replace("&#39;", "'")
    for heading in (
        "Samenvatting",
        "Resultaten per thema",
        "Actieplan",
        "Regelingen en bedragen",
        "Indicatie quotumregeling",
        "Contact",
        "Verantwoording",
        "Voorbehoud",
    ):
        assert heading in html, heading


def test_template_version_changes_with_any_template_file(tmp_path):
    copy = tmp_path / "pdf"
    shutil.copytree(render.TEMPLATE_DIR, copy)
    before = render.version_of((copy,))
    assert render.version_of((copy,)) == before
    css = copy / "report.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    changed = render.version_of((copy,))
    assert changed != before
    # The host's own documents in a subfolder are not the report's look.
    other = copy / "coop" / "statement.html"
    other.parent.mkdir(exist_ok=True)
    other.write_text("<p>another document</p>")
    assert render.version_of((copy,)) == changed
    assert render.template_version() == render.version_of((render.TEMPLATE_DIR, render.FONTS_DIR))
