"""Template -> HTML -> PDF: the report's render functions.

:func:`render_html` fills ``templates/pdf/report.html`` from a :class:`ReportView`
(autoescape on, undefined names are errors). :func:`html_to_pdf` turns that HTML into a
tagged PDF/UA-1 with WeasyPrint, fetching nothing but ``data:`` URLs and our own files
(:class:`~selfscan.report.fetcher.SafeFetcher`). The stylesheet with its ``@font-face``
rules is parsed once per process and reused with one font configuration, so a render pays
for layout and PDF writing, not for parsing CSS and loading fonts again.

:data:`TEMPLATE_VERSION` is a hash of everything that shapes a report besides its data
(the template, the stylesheet, the fonts, :data:`FORMAT` and WeasyPrint's version): the
cache keys on it, so changing any of them renders every report anew.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from selfscan.report import compression, percentages, styles, svgtext, textreuse
from selfscan.report.fetcher import FONTS_DIR, PACKAGE_DIR, SafeFetcher
from selfscan.report.view import ReportView

__all__ = ["FORMAT", "TEMPLATE_DIR", "html_to_pdf", "render_html", "template_version"]

TEMPLATE_DIR = PACKAGE_DIR.parents[1] / "templates" / "pdf"
#: Raise when the view model or the render code changes what a report looks like.
FORMAT = "2"

FONT_FACES = (
    ("SourceSansPro-Regular.ttf", 400, "normal"),
    ("SourceSansPro-It.ttf", 400, "italic"),
    ("SourceSansPro-Semibold.ttf", 600, "normal"),
    ("SourceSansPro-Bold.ttf", 700, "normal"),
)


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


def render_html(view: ReportView) -> str:
    """The report's HTML: what WeasyPrint lays out (and what tests and `coop report render
    --html` can read)."""
    return _environment().get_template("report.html").render(v=view)


def _font_css() -> str:
    faces = []
    for name, weight, style in FONT_FACES:
        url = (FONTS_DIR / name).as_uri()
        faces.append(
            f'@font-face {{ font-family: "Source Sans Pro"; src: url("{url}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(faces)


def version_of(folders: tuple[Path, ...]) -> str:
    """A short hash of the files directly in ``folders`` (names and contents), FORMAT and
    WeasyPrint's version. Subfolders are left out: ``templates/pdf/coop/`` holds the
    host's own documents, and changing those must not render every cached report anew."""
    import weasyprint

    digest = hashlib.sha256(f"{FORMAT}:{weasyprint.__version__}".encode())
    for folder in folders:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def template_version() -> str:
    """The version of the report's look: the template folder and the fonts. Read once per
    process; a deploy (new files) restarts the processes."""
    return version_of((TEMPLATE_DIR, FONTS_DIR))


def _trimmed_ua_css(text: str) -> str:
    """WeasyPrint's user-agent stylesheet for HTML without two parts no report uses: the
    ``@page`` block (every page would get styles for all sixteen margin boxes; report.css
    styles the four it fills) and the footnote and note pseudo-elements (which every element
    would otherwise get styles for). About 5% of a render's work."""
    start = text.find("@page {")
    if start >= 0:
        depth, end = 0, start
        for end in range(start, len(text)):
            if text[end] == "{":
                depth += 1
            elif text[end] == "}":
                depth -= 1
                if depth == 0:
                    break
        text = text[:start] + text[end + 1 :]
    return "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith(("::footnote", "::note"))
    )


def _report_html_class() -> type:
    """``weasyprint.HTML`` with the trimmed user-agent stylesheet. WeasyPrint 70 asks an
    ``HTML`` for its stylesheets through ``_ua_stylesheets``; should a later version not,
    this is plain ``HTML`` again (the report looks the same, it only takes longer)."""
    from weasyprint import CSS, HTML
    from weasyprint.html import UA, UA_COUNTER_STYLE

    if not hasattr(HTML, "_ua_stylesheets"):  # pragma: no cover - another WeasyPrint
        return HTML
    trimmed = CSS(string=_trimmed_ua_css(UA), counter_style=UA_COUNTER_STYLE)

    class ReportHTML(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [trimmed]

    return ReportHTML


def install_speedups() -> None:
    """WeasyPrint's work, done faster, the PDF the same: chart labels drawn as runs
    (:mod:`svgtext`); byte for byte the same PDF with each line of text shaped once
    instead of twice (:mod:`textreuse`), a shortcut for properties no rule sets
    (:mod:`styles`) and used lengths resolved inline (:mod:`percentages`); PDF streams
    deflated at zlib's default level (:mod:`compression`)."""
    svgtext.install()
    textreuse.install()
    styles.install()
    percentages.install()
    compression.install()


def uninstall_speedups() -> None:
    """WeasyPrint as it comes (the benchmark's bare render)."""
    svgtext.uninstall()
    textreuse.uninstall()
    styles.uninstall()
    percentages.uninstall()
    compression.uninstall()


class _Styles:
    """The parsed stylesheet and its font configuration, made once per process."""

    def __init__(self) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        install_speedups()
        self.html_class = _report_html_class()
        self.fetcher = SafeFetcher()
        self.font_config = FontConfiguration()
        css = _font_css() + "\n" + (TEMPLATE_DIR / "report.css").read_text("utf-8")
        self.stylesheet = CSS(
            string=css,
            base_url=TEMPLATE_DIR.as_uri() + "/",
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )


@functools.cache
def _styles() -> _Styles:
    return _Styles()


def html_to_pdf(html: str, **options: Any) -> bytes:
    """A tagged PDF/UA-1 (A4, fonts embedded) of the report's HTML."""
    styles = _styles()
    document = styles.html_class(
        string=html, base_url=TEMPLATE_DIR.as_uri() + "/", url_fetcher=styles.fetcher
    )
    return document.write_pdf(
        stylesheets=[styles.stylesheet],
        font_config=styles.font_config,
        pdf_variant="pdf/ua-1",
        **options,
    )


def warm_up(full: bool = False) -> None:
    """Parse the stylesheet, load the fonts and lay out a line: for a fresh worker. With
    ``full``, render the sample report in both languages too, so that the first real report
    finds every font, glyph and code path ready (it would otherwise take about half as long
    again)."""
    html_to_pdf('<html lang="nl"><title>.</title><p>Warm <b>up</b> <i>€</i></p></html>')
    if full:
        from selfscan.report.sample import sample_view

        for lang in ("nl", "en"):
            html_to_pdf(render_html(sample_view(lang)))
