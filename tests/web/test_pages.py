"""The public pages through HTTP: layout, landmarks, languages, error pages, catalogues."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "coop" / "locale"
POT = LOCALE_DIR / "messages.pot"


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.text = ""

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)


class Page(HTMLParser):
    """Every element of a page with its attributes and the text inside it."""

    VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def one(self, tag: str, **attrs: str) -> Element:
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def text_of(self, tag: str) -> str:
        return " ".join(self.one(tag).text.split())


async def get_page(client, path: str, status: int = 200) -> Page:  # type: ignore[no-untyped-def]
    response = await client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text)


# ---------- Layout ----------


@pytest.mark.parametrize(
    ("path", "lang", "scan_link", "skip_text", "menu"),
    [
        ("/", "nl", "/scan", "Naar de inhoud", "Hoofdmenu"),
        ("/?lang=en", "en", "/scan?lang=en", "Skip to content", "Main menu"),
    ],
)
async def test_home_has_language_landmarks_and_way_into_the_scan(
    client, path, lang, scan_link, skip_text, menu
):
    page = await get_page(client, path)
    assert page.one("html").get("lang") == lang

    # The skip link comes first and leads to <main>.
    first_link = page.all("a")[0]
    assert first_link.get("href") == "#inhoud"
    assert " ".join(first_link.text.split()) == skip_text
    assert page.one("main").get("id") == "inhoud"

    page.one("header")
    page.one("footer")
    page.one("h1")
    page.one("nav", aria_label=menu)
    assert len(page.all("nav")) >= 2  # the menu and the language switch

    assert page.all("a", href=scan_link), "no link into the self-scan"
    assert page.all("a", href=scan_link, **{"class": "button"}), "no call to action"


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_home_says_what_the_service_is(client, lang):
    page = await get_page(client, "/" if lang == "nl" else "/?lang=en")
    text = " ".join(page.one("main").text.split())
    if lang == "nl":
        assert "Start de zelfscan" in text
        assert "10 minuten" in text
        assert "werkgever" in text
    else:
        assert "Start the self-scan" in text
        assert "10 minutes" in text
        assert "employer" in text
    assert page.all("a", href="/login" if lang == "nl" else "/login?lang=en")


async def test_language_switch_keeps_the_path_and_marks_the_current_language(client):
    page = await get_page(client, "/toegankelijkheid?lang=en")
    switch = {a.get("hreflang"): a for a in page.all("a") if a.get("hreflang")}
    assert set(switch) == {"nl", "en"}
    assert switch["nl"].get("href") == "/toegankelijkheid"
    assert switch["en"].get("href") == "/toegankelijkheid?lang=en"
    assert switch["nl"].get("lang") == "nl"
    assert switch["en"].get("lang") == "en"
    assert switch["en"].get("aria-current") == "true"
    assert switch["nl"].get("aria-current") is None

    page = await get_page(client, "/toegankelijkheid")
    switch = {a.get("hreflang"): a for a in page.all("a") if a.get("hreflang")}
    assert switch["nl"].get("aria-current") == "true"
    assert switch["en"].get("href") == "/toegankelijkheid?lang=en"


async def test_primary_navigation_marks_the_current_page(client):
    page = await get_page(client, "/toegankelijkheid")
    current = [a for a in page.all("a") if a.get("aria-current") == "page"]
    assert [a.get("href") for a in current] == ["/toegankelijkheid"]

    page = await get_page(client, "/")
    current = [a for a in page.all("a") if a.get("aria-current") == "page"]
    assert [a.get("href") for a in current] == ["/"]


@pytest.mark.parametrize(
    ("path", "lang", "heading", "status_text"),
    [
        ("/toegankelijkheid", "nl", "Toegankelijkheidsverklaring", "voldoet gedeeltelijk"),
        ("/toegankelijkheid?lang=en", "en", "Accessibility statement", "partially complies"),
    ],
)
async def test_accessibility_statement(client, path, lang, heading, status_text):
    page = await get_page(client, path)
    assert page.one("html").get("lang") == lang
    assert page.text_of("h1") == heading
    main = " ".join(page.one("main").text.split())
    assert status_text in main
    assert "WCAG 2.1" in main
    assert "axe-core" in main
    page.one("section", id="contact")
    assert "@" not in main, "no made-up mail address"


@pytest.mark.parametrize("path", ["/", "/?lang=en", "/toegankelijkheid", "/bestaat-niet"])
async def test_pages_need_no_inline_script_or_style(client, path):
    response = await client.get(path)
    body = response.text.lower()
    assert "<script" not in body
    assert "<style" not in body
    assert " style=" not in body
    page = Page(response.text)
    stylesheets = [link.get("href") or "" for link in page.all("link", rel="stylesheet")]
    assert stylesheets and all(href.startswith("/static/") for href in stylesheets)


async def test_static_files_are_served(client):
    css = await client.get("/static/css/app.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert ":focus-visible" in css.text
    logo = await client.get("/static/img/logo.svg")
    assert logo.status_code == 200


# ---------- Error pages ----------


@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [
        ("/bestaat-niet", "nl", "Pagina niet gevonden"),
        ("/bestaat-niet?lang=en", "en", "Page not found"),
    ],
)
async def test_not_found_page(client, path, lang, title):
    page = await get_page(client, path, status=404)
    assert page.one("html").get("lang") == lang
    assert page.text_of("h1") == title
    assert page.all("a", href="/" if lang == "nl" else "/?lang=en")
    assert not page.all("pre"), "no stack trace outside development"
    page.one("main", id="inhoud")


def _render_error(**context: object) -> Page:
    from coop.web.templating import make_environment

    template = make_environment().get_template("errors/error.html")
    return Page(template.render(**context))


def test_error_page_shows_a_trace_only_when_given():
    page = _render_error(
        status=500,
        title="Er ging iets mis",
        explanation="",
        trace='Traceback: <boom> & "more"',
    )
    assert " ".join(page.text_of("pre").split()) == 'Traceback: <boom> & "more"'
    assert page.one("html").get("lang") == "nl"

    page = _render_error(status=500, title="Er ging iets mis", explanation="", trace=None)
    assert not page.all("pre")


# ---------- Catalogues ----------


def _read(path: Path, locale: str | None = None):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalog) -> set[str]:  # type: ignore[no-untyped-def]
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_pot_is_up_to_date(tmp_path):
    """Every _() string in code and templates is in the .pot, and nothing stale is."""
    fresh = tmp_path / "messages.pot"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "--quiet",
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            str(fresh),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    extracted = _ids(_read(fresh))
    stored = _ids(_read(POT))
    hint = "run the extract and update commands in docs/i18n.md"
    assert not extracted - stored, f"missing from messages.pot ({hint}): {extracted - stored}"
    assert not stored - extracted, f"stale in messages.pot ({hint}): {stored - extracted}"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_catalogue_has_every_message_of_the_pot(language):
    catalog = _read(LOCALE_DIR / language / "LC_MESSAGES" / "messages.po", language)
    missing = _ids(_read(POT)) - _ids(catalog)
    assert not missing, f"run `pybabel update` (docs/i18n.md): {missing}"


def test_english_catalogue_is_complete_and_checked():
    catalog = _read(LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po", "en")
    pot_ids = _ids(_read(POT))
    problems = []
    for message in catalog:
        if (
            not message.id
            or (message.id if isinstance(message.id, str) else message.id[0]) not in pot_ids
        ):
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s and s.strip() for s in strings):
            problems.append(f"empty: {message.id!r}")
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
    for message, errors in catalog.check():
        problems.extend(f"{message.id!r}: {error}" for error in errors)
    assert not problems, "\n".join(problems)


async def test_english_comes_from_the_catalogue_everywhere(client):
    """A page in English shows no Dutch message id that has a translation."""
    catalog = _read(LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po", "en")
    dutch_only = {m.id for m in catalog if isinstance(m.id, str) and m.id and m.string != m.id}
    for path in ("/?lang=en", "/toegankelijkheid?lang=en", "/bestaat-niet?lang=en"):
        response = await client.get(path)
        page = Page(response.text)
        texts = {
            " ".join(e.text.split())
            for e in page.elements
            if e.tag in {"p", "li", "h1", "h2", "h3", "a", "dt", "dd"}
        }
        leaked = texts & dutch_only
        assert not leaked, f"{path}: {leaked}"
