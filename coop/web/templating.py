"""The Jinja environment every page shares: i18n, formatting and URL helpers."""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import MutableMapping
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    nodes,
    select_autoescape,
)
from jinja2.visitor import NodeTransformer
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
    language = i18n.current_language.get()
    if not query and language == i18n.DEFAULT_LANGUAGE:
        return path  # most links of a Dutch page: nothing to add
    if all(type(v) in _PLAIN_VALUES for v in query.values()):
        # A page makes the same links on every view (sorting, pages, filters): each is
        # encoded once. The order of the parameters is part of the key, as of the link,
        # and so is each value's type (1, 1.0 and True are equal keys but other text).
        key = tuple((k, type(v), v) for k, v in query.items())
        return _encoded_url(path, language, key)
    return _encode_url(path, language, query)


# Values whose text never changes, so that a link made from them can be remembered.
_PLAIN_VALUES = frozenset({str, int, float, bool, type(None)})


@lru_cache(maxsize=4096)
def _encoded_url(path: str, language: str, query: tuple[tuple[str, type, object], ...]) -> str:
    return _encode_url(path, language, {k: v for k, _type, v in query})


def _encode_url(path: str, language: str, query: dict[str, object]) -> str:
    params = {k: v for k, v in query.items() if v is not None}
    if language != i18n.DEFAULT_LANGUAGE:
        params.setdefault("lang", language)
    return f"{path}?{urlencode(params)}" if params else path


def switch_language_url(path: str, query: dict[str, str], language: str) -> str:
    params = {k: v for k, v in query.items() if k != "lang"}
    if language != i18n.DEFAULT_LANGUAGE:
        params["lang"] = language
    return f"{path}?{urlencode(params)}" if params else path


# The language a template is being compiled for (see CoopEnvironment); None when a
# template is compiled outside the language-aware cache (``from_string``).
_compiling_for: ContextVar[str | None] = ContextVar("compiling_for", default=None)

# The gettext calls that may be translated while compiling: ``_("...")`` and what
# ``{% trans %}`` compiles to. ngettext depends on a number and stays a call.
_GETTEXT_NAMES = frozenset({"_", "gettext"})


class _TranslateConstants(NodeTransformer):
    """Replace ``_("Dutch text")`` by its translation, as a constant.

    Jinja's newstyle gettext turns ``_(s, **variables)`` into ``Markup(translation) %
    variables`` in an autoescaped template (plain ``translation % variables`` elsewhere),
    on every render. The message and the catalogue are fixed, so that is done here once
    per template and language: the same nodes Jinja's own (old-style) i18n emits,
    ``MarkSafeIfAutoescape(Const)`` and, with variables, a ``%`` with them, evaluated
    (and escaped) per render as before. Calls this cannot prove equal stay calls."""

    def __init__(self, environment: Environment, translate: Any) -> None:
        self.environment = environment
        self.translate = translate

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        node = self.generic_visit(node)  # type: ignore[assignment]
        callee = node.node
        if not (
            isinstance(callee, nodes.Name)
            and callee.name in _GETTEXT_NAMES
            and callee.ctx == "load"
            and len(node.args) == 1
            and isinstance(node.args[0], nodes.Const)
            and isinstance(node.args[0].value, str)
            and node.dyn_args is None
            and node.dyn_kwargs is None
        ):
            return node
        text = self.translate(node.args[0].value)
        replacement: nodes.Expr = nodes.MarkSafeIfAutoescape(nodes.Const(text))
        if node.kwargs:
            pairs = [nodes.Pair(nodes.Const(k.key), k.value) for k in node.kwargs]
            replacement = nodes.Mod(replacement, nodes.Dict(pairs))
        elif "%" in text:
            return node  # "%%" and friends: keep Jinja's own formatting at render time
        replacement.set_lineno(node.lineno)
        replacement.set_environment(self.environment)
        return replacement


class CoopEnvironment(Environment):
    """An environment that compiles each template once per language.

    The texts of ``_("...")`` are then constants in the compiled template instead of a
    catalogue lookup, a Markup and a format on every render (they were a good part of
    every page's rendering). Templates are cached by name and language: a page, and
    everything it extends or imports, is rendered with the templates of the request's
    language (:data:`coop.web.i18n.current_language`)."""

    def _load_template(self, name: str, globals: MutableMapping[str, Any] | None) -> Template:
        if self.loader is None:
            raise TypeError("no loader for this environment specified")
        language = i18n.current_language.get()
        cache_key = (weakref.ref(self.loader), name, language)
        if self.cache is not None:
            template = self.cache.get(cache_key)
            if template is not None and (not self.auto_reload or template.is_up_to_date):
                if globals:
                    template.globals.update(globals)
                return template
        token = _compiling_for.set(language)
        try:
            template = self.loader.load(self, name, self.make_globals(globals))
        finally:
            _compiling_for.reset(token)
        if self.cache is not None:
            self.cache[cache_key] = template
        return template

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        language = _compiling_for.get()
        if language is not None:
            catalogue = i18n.translations(language)
            source = _TranslateConstants(self, catalogue.gettext).visit(source)
        return super()._generate(source, name, filename, defer_init)


def make_environment(template_dirs: list[Path] | None = None) -> Environment:
    env = CoopEnvironment(
        loader=FileSystemLoader([str(d) for d in (template_dirs or [TEMPLATE_DIR])]),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Every template once per language (see CoopEnvironment), with room to spare.
        cache_size=2000,
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
    extra_globals: dict[str, object] | None = None,
    extra_filters: dict[str, object] | None = None,
    *,
    auto_reload: bool = True,
) -> TemplateConfig:
    """The application's templates. ``auto_reload`` (development) checks every template's
    file for changes on each use; elsewhere a compiled template is used as it is."""
    environment = _shared_environment()
    environment.auto_reload = auto_reload
    environment.globals.update(extra_globals or {})
    environment.filters.update(extra_filters or {})  # type: ignore[arg-type]
    return TemplateConfig(
        engine=JinjaTemplateEngine.from_environment(environment),
    )
