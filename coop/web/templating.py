"""The Jinja environment every page shares: i18n, formatting and URL helpers."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from coop.web import i18n

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"


@cache
def _static_hash(path: str) -> str:
    file = STATIC_DIR / path
    return hashlib.sha256(file.read_bytes()).hexdigest()[:10] if file.is_file() else "0"


def static_url(path: str) -> str:
    """A URL with a content hash, so browsers may cache static files for long."""
    return f"/static/{path}?v={_static_hash(path)}"


def url(path: str, **query: object) -> str:
    """An internal link that keeps the chosen language (no cookie carries it)."""
    params = {k: v for k, v in query.items() if v is not None}
    if i18n.current_language.get() != i18n.DEFAULT_LANGUAGE:
        params.setdefault("lang", i18n.current_language.get())
    return f"{path}?{urlencode(params)}" if params else path


def switch_language_url(path: str, query: dict[str, str], language: str) -> str:
    params = {k: v for k, v in query.items() if k != "lang"}
    if language != i18n.DEFAULT_LANGUAGE:
        params["lang"] = language
    return f"{path}?{urlencode(params)}" if params else path


def make_environment(template_dirs: list[Path] | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(d) for d in (template_dirs or [TEMPLATE_DIR])]),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message, **kw: i18n.gettext(message, **kw),
        # Jinja's newstyle gettext formats the result itself (with num and the
        # variables), so the plural callable must hand back the bare translation.
        lambda singular, plural, n: i18n.translations(i18n.current_language.get()).ngettext(
            singular, plural, n
        ),
        newstyle=True,
    )
    env.globals.update(
        static=static_url,
        url=url,
        switch_language_url=switch_language_url,
        current_language=lambda: i18n.current_language.get(),
        languages=i18n.LANGUAGES,
    )
    env.filters.update(
        date=i18n.format_date,
        datetime=i18n.format_datetime,
        number=i18n.format_number,
        money=i18n.format_money,
    )
    return env


@cache
def _shared_environment() -> Environment:
    """One environment per process: it caches compiled templates, and every app made in
    this process (the tests make many) would otherwise compile them all again."""
    return make_environment()


def template_config(
    extra_globals: dict[str, object] | None = None, extra_filters: dict[str, object] | None = None
) -> TemplateConfig:
    environment = _shared_environment()
    environment.globals.update(extra_globals or {})
    environment.filters.update(extra_filters or {})  # type: ignore[arg-type]
    return TemplateConfig(
        engine=JinjaTemplateEngine.from_environment(environment),
    )
