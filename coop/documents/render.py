"""Template -> HTML -> PDF for the cooperative's own documents (``templates/pdf/coop``).

The scan report's :func:`selfscan.report.render.html_to_pdf` always applies the scan
report's stylesheet; our documents have their own look, so this module lays them out with
``templates/pdf/coop/coop.css`` instead, but through the same pieces: the report's
:class:`~selfscan.report.fetcher.SafeFetcher` (``data:`` URLs and our own folders only, no
network, no redirects) and its shipped fonts, tagged PDF/UA-1 on A4.

Runs in a render worker (:mod:`coop.documents.jobs`); the stylesheet and fonts are parsed
once per worker process.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from coop.web import i18n
from selfscan.report.fetcher import FONTS_DIR, SafeFetcher
from selfscan.report.render import FONT_FACES, install_speedups
from selfscan.report.render import TEMPLATE_DIR as PDF_TEMPLATE_DIR

__all__ = ["TEMPLATE_DIR", "environment", "html_to_pdf", "render_html"]

#: Inside the scan report's template folder, which the safe fetcher already allows.
TEMPLATE_DIR: Path = PDF_TEMPLATE_DIR / "coop"
STYLESHEET = TEMPLATE_DIR / "coop.css"


@functools.cache
def environment() -> Environment:
    """Autoescaped (everything a user typed is escaped; nothing is marked safe), strict
    about undefined names, with the pages' gettext and Babel number/date filters, so a
    document says the same words and formats numbers like the page beside it."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message, **kw: i18n.gettext(message, **kw),
        lambda singular, plural, n: i18n.translations(i18n.current_language.get()).ngettext(
            singular, plural, n
        ),
        newstyle=True,
    )
    env.filters.update(
        date=i18n.format_date,
        number=i18n.format_number,
        money=i18n.format_money,
    )
    return env


def render_html(template: str, context: dict[str, Any], *, lang: str, title: str) -> str:
    """The document's HTML in ``lang`` (what tests read and WeasyPrint lays out)."""
    if lang not in i18n.LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    token = i18n.current_language.set(lang)
    try:
        return environment().get_template(template).render(**context, lang=lang, title=title)
    finally:
        i18n.current_language.reset(token)


def _font_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "Source Sans Pro"; src: url("{(FONTS_DIR / name).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in FONT_FACES
    )


class _Styles:
    """The parsed stylesheet, its font configuration and the fetcher, once per process."""

    def __init__(self) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        # The scan report's speed-ups (the charts' SVG text drawn as runs, each line shaped
        # once, ...): they patch WeasyPrint process-wide, so a worker renders every document
        # the same way whichever job it ran first.
        install_speedups()
        self.fetcher = SafeFetcher()
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(
            string=_font_css() + "\n" + STYLESHEET.read_text("utf-8"),
            base_url=TEMPLATE_DIR.as_uri() + "/",
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )


@functools.cache
def _styles() -> _Styles:
    return _Styles()


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF/UA-1 (A4, fonts embedded and subset) of a document's HTML; its title
    and language come from the HTML's ``<title>`` and ``<html lang>``."""
    from weasyprint import HTML

    styles = _styles()
    document = HTML(string=html, base_url=TEMPLATE_DIR.as_uri() + "/", url_fetcher=styles.fetcher)
    return document.write_pdf(
        stylesheets=[styles.stylesheet],
        font_config=styles.font_config,
        pdf_variant="pdf/ua-1",
    )
