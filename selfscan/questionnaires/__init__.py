"""The questionnaire versions: one TOML file per version, with its advice texts beside it.

``<version>.toml`` holds the questions (version names like ``2026-1``: year, dash, number),
``<version>.advice.toml`` the advice per theme and band and the instruments. A stored scan
keeps its version and is always read back with ``load(version)``; ``current()`` is the newest.

Loading validates each file against the structs in :mod:`selfscan.model` and then checks
what msgspec cannot express. Every problem is reported as ``<file>: <place>: <message>``
with the place written the way the file reads (``themes[3].questions[2].options[1].score``,
counted from 0), so an editor finds it at once. Call :func:`check_all` at start-up: an
invalid file then stops the application with that message.

The rules for a questionnaire file:

- ``version`` equals the file name; at least one theme; theme ids unique; question ids
  unique over the whole questionnaire (answers are keyed by them); option ids unique
  within their question; ids are lower-case slugs;
- every theme has a positive ``weight`` and 3 to 5 questions;
- every question has at least 2 options, ordered from least to most ready: scores between
  0 and 1, never decreasing, the first 0 and the last 1 (so all-worst answers score 0 and
  all-best answers 100);
- every text has a non-empty ``nl`` and ``en`` and holds no figures (no digits, ``€`` or
  ``%``): figures change by year and belong in the advice, taken from ``regulations``.

And for an advice file: the same version; advice for exactly the questionnaire's themes,
each with ``low``, ``middle`` and ``high``; per band a summary, steps that leave no size
class (nor an unknown size) without a step, and instruments that exist; placeholders only
from :data:`selfscan.model.ADVICE_PLACEHOLDERS`, the same ones in both languages, and no
figures outside them.
"""

from __future__ import annotations

import functools
import math
import re
import string
import tomllib
from collections.abc import Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeVar

import msgspec

from ..errors import QuestionnaireError, UnknownVersion
from ..model import (
    ADVICE_PLACEHOLDERS,
    BANDS,
    LANGUAGES,
    SIZE_CLASSES,
    AdviceFile,
    InstrumentText,
    Questionnaire,
    Text,
    ThemeAdviceText,
)

__all__ = [
    "check_all",
    "current",
    "load",
    "load_advice",
    "load_advice_file",
    "load_file",
    "versions",
]

_VERSION = re.compile(r"^(\d{4})-(\d+)$")
_QUESTIONNAIRE_FILE = re.compile(r"^(\d{4}-\d+)\.toml$")
_ADVICE_FILE = re.compile(r"^(\d{4}-\d+)\.advice\.toml$")
_FIELD_PROBLEM = re.compile(
    r"^Object (?P<what>missing required|contains unknown) field `(?P<f>.*)`"
)
_FIGURE = re.compile(r"[0-9€%]")
MIN_QUESTIONS, MAX_QUESTIONS = 3, 5

Problem = tuple[str, str]
_T = TypeVar("_T")
# Tables of named entries, whose places msgspec cannot name: (file struct, field) -> entry.
_DICT_SECTIONS: dict[tuple[type, str], type] = {
    (AdviceFile, "instruments"): InstrumentText,
    (AdviceFile, "themes"): ThemeAdviceText,
}


def _data_dir() -> Traversable:
    return files(__name__)


def _version_key(version: str) -> tuple[int, int]:
    match = _VERSION.match(version)
    assert match, version
    return int(match.group(1)), int(match.group(2))


@functools.cache
def versions() -> tuple[str, ...]:
    """Every shipped version, oldest first (``2026-2`` after ``2026-1``, ``2026-10`` last)."""
    found = (_QUESTIONNAIRE_FILE.match(entry.name) for entry in _data_dir().iterdir())
    return tuple(sorted((m.group(1) for m in found if m), key=_version_key))


def load(version: str) -> Questionnaire:
    """The questionnaire of one version, loaded and checked once; UnknownVersion if none."""
    if not isinstance(version, str) or version not in versions():
        raise UnknownVersion(str(version), versions())
    return _load(version)


def current() -> Questionnaire:
    """The newest version: the one a new scan is answered on."""
    if not versions():
        raise UnknownVersion("(current)", ())
    return load(versions()[-1])


def load_advice(version: str) -> AdviceFile:
    """The advice texts of one version, checked against its questionnaire."""
    load(version)  # UnknownVersion first, and the questionnaire must be valid
    return _load_advice(version)


def check_all() -> None:
    """Load and check every shipped questionnaire and advice file; for start-up."""
    for version in versions():
        load_advice(version)


@functools.cache
def _load(version: str) -> Questionnaire:
    return load_file(_data_dir() / f"{version}.toml")


@functools.cache
def _load_advice(version: str) -> AdviceFile:
    return load_advice_file(_data_dir() / f"{version}.advice.toml", _load(version))


# --- reading -------------------------------------------------------------------------------


def load_file(path: str | Path | Traversable) -> Questionnaire:
    """Load and check one ``<version>.toml``; QuestionnaireError names the file and place."""
    path = Path(path) if isinstance(path, str) else path
    name = path.name
    match = _QUESTIONNAIRE_FILE.match(name)
    if not match:
        raise QuestionnaireError(name, [("file name", "must be <year>-<n>.toml, like 2026-1.toml")])
    questionnaire = _read(path, name, Questionnaire)
    problems = list(_questionnaire_problems(questionnaire, match.group(1)))
    if problems:
        raise QuestionnaireError(name, problems)
    return questionnaire


def load_advice_file(path: str | Path | Traversable, questionnaire: Questionnaire) -> AdviceFile:
    """Load and check one ``<version>.advice.toml`` against its questionnaire."""
    path = Path(path) if isinstance(path, str) else path
    name = path.name
    match = _ADVICE_FILE.match(name)
    if not match:
        problem = ("file name", "must be <year>-<n>.advice.toml, like 2026-1.advice.toml")
        raise QuestionnaireError(name, [problem])
    try:
        advice = _read(path, name, AdviceFile)
    except FileNotFoundError as exc:
        raise QuestionnaireError(name, [("file", "is missing")]) from exc
    problems = list(_advice_problems(advice, match.group(1), questionnaire))
    if problems:
        raise QuestionnaireError(name, problems)
    return advice


def _read(path: Path | Traversable, name: str, kind: type[_T]) -> _T:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise QuestionnaireError(name, [("TOML syntax", str(exc))]) from exc
    try:
        return msgspec.convert(raw, type=kind, strict=True)
    except msgspec.ValidationError as exc:
        raise QuestionnaireError(name, [_locate(raw, kind, str(exc))]) from exc


def _locate(raw: dict, kind: type, text: str) -> Problem:
    """msgspec writes a place inside a table of named entries as ``themes[...]``; find the
    entry (``themes.team``) by checking the entries one by one."""
    if "[...]" in text:
        for (struct, section), entry_type in _DICT_SECTIONS.items():
            entries = raw.get(section)
            if struct is not kind or not isinstance(entries, dict):
                continue
            for key, value in entries.items():
                try:
                    msgspec.convert(value, type=entry_type, strict=True)
                except msgspec.ValidationError as exc:
                    place, message = _from_msgspec(str(exc))
                    inner = "" if place == "(top level)" else f".{place}"
                    return f"{section}.{key}{inner}", message
    return _from_msgspec(text)


def _from_msgspec(text: str) -> Problem:
    # msgspec says "<what> - at `$.a.b[0]`"; the place is written the way the file reads.
    message, _, at = text.partition(" - at `$")
    place = at.removesuffix("`").removeprefix(".")
    field = _FIELD_PROBLEM.match(message)
    if field:
        place = f"{place}.{field.group('f')}" if place else field.group("f")
        missing = field.group("what").startswith("missing")
        message = "missing required field" if missing else "unknown field"
    return place or "(top level)", message


# --- checks on a questionnaire -------------------------------------------------------------


def _questionnaire_problems(q: Questionnaire, version_in_name: str) -> Iterator[Problem]:
    if q.version != version_in_name:
        yield "version", f"is {q.version!r}, but the file name says {version_in_name!r}"
    if not q.themes:
        yield "themes", "must list at least one theme"
    theme_ids: set[str] = set()
    question_ids: dict[str, str] = {}
    for t, theme in enumerate(q.themes):
        at = f"themes[{t}]"
        if theme.id in theme_ids:
            yield f"{at}.id", f"theme id {theme.id!r} is used twice"
        theme_ids.add(theme.id)
        if not math.isfinite(theme.weight) or theme.weight <= 0:
            yield f"{at}.weight", "must be a positive number"
        yield from _text(f"{at}.title", theme.title)
        yield from _text(f"{at}.intro", theme.intro)
        count = len(theme.questions)
        if not MIN_QUESTIONS <= count <= MAX_QUESTIONS:
            wanted = f"must hold {MIN_QUESTIONS} to {MAX_QUESTIONS} questions, not {count}"
            yield f"{at}.questions", wanted
        for n, question in enumerate(theme.questions):
            qat = f"{at}.questions[{n}]"
            if question.id in question_ids:
                first = question_ids[question.id]
                yield f"{qat}.id", f"question id {question.id!r} is already used at {first}"
            question_ids.setdefault(question.id, qat)
            for field in ("text", "help", "strength"):
                yield from _text(f"{qat}.{field}", getattr(question, field))
            yield from _options(qat, question.options)


def _options(at: str, options: tuple) -> Iterator[Problem]:
    if len(options) < 2:
        yield f"{at}.options", "must hold at least 2 options"
    option_ids: set[str] = set()
    previous: float | None = None
    for o, option in enumerate(options):
        oat = f"{at}.options[{o}]"
        if option.id in option_ids:
            yield f"{oat}.id", f"option id {option.id!r} is used twice in this question"
        option_ids.add(option.id)
        yield from _text(f"{oat}.label", option.label)
        if not math.isfinite(option.score) or not 0 <= option.score <= 1:
            yield f"{oat}.score", "must be between 0 and 1"
            continue
        if previous is not None and option.score < previous:
            yield (
                f"{oat}.score",
                "is lower than the option before it: order from least to most ready",
            )
        previous = option.score
    if len(options) >= 2:
        if options[0].score != 0:
            yield f"{at}.options[0].score", "the least ready option must score 0"
        if options[-1].score != 1:
            yield f"{at}.options[{len(options) - 1}].score", "the most ready option must score 1"


def _text(at: str, text: Text) -> Iterator[Problem]:
    for lang in LANGUAGES:
        value = text.get(lang)
        if not value.strip():
            yield f"{at}.{lang}", "must not be empty"
        elif figure := _FIGURE.search(value):
            yield (
                f"{at}.{lang}",
                f"contains a figure ({figure.group()!r}); figures belong in the advice, "
                "taken from regulations",
            )


# --- checks on an advice file --------------------------------------------------------------


def _advice_problems(
    advice: AdviceFile, version_in_name: str, questionnaire: Questionnaire
) -> Iterator[Problem]:
    if advice.version != version_in_name:
        yield "version", f"is {advice.version!r}, but the file name says {version_in_name!r}"
    elif advice.version != questionnaire.version:
        yield "version", f"does not match the questionnaire's {questionnaire.version!r}"
    for key, instrument in advice.instruments.items():
        yield from _template(f"instruments.{key}.name", instrument.name)
        yield from _template(f"instruments.{key}.text", instrument.text)
    wanted = [t.id for t in questionnaire.themes]
    for theme_id in wanted:
        if theme_id not in advice.themes:
            yield f"themes.{theme_id}", "missing: every theme of the questionnaire needs advice"
    for theme_id, theme in advice.themes.items():
        if theme_id not in wanted:
            yield f"themes.{theme_id}", "is not a theme of the questionnaire"
        for band in BANDS:
            at = f"themes.{theme_id}.{band}"
            text = theme.for_band(band)
            yield from _template(f"{at}.summary", text.summary)
            for s, step in enumerate(text.steps):
                yield from _template(f"{at}.steps[{s}]", step.text)
            for size in (*SIZE_CLASSES, None):
                if not any(step.fits(size, None) for step in text.steps):
                    who = f"size class {size!r}" if size else "an organisation of unknown size"
                    yield f"{at}.steps", f"has no step for {who}"
            for i, key in enumerate(text.instruments):
                if key not in advice.instruments:
                    yield f"{at}.instruments[{i}]", f"unknown instrument {key!r}"


def _template(at: str, text: Text) -> Iterator[Problem]:
    names: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        value = text.get(lang)
        place = f"{at}.{lang}"
        if not value.strip():
            yield place, "must not be empty"
            continue
        found: set[str] = set()
        try:
            parts = list(string.Formatter().parse(value))
        except ValueError as exc:
            yield place, f"broken placeholder: {exc}"
            continue
        for literal, field, spec, conversion in parts:
            if figure := _FIGURE.search(literal):
                yield (
                    place,
                    f"contains a figure ({figure.group()!r}); take it from regulations "
                    "with a placeholder such as {lkv_hourly}",
                )
            if field is None:
                continue
            if field not in ADVICE_PLACEHOLDERS:
                yield place, f"unknown placeholder {{{field}}}"
            elif spec or conversion:
                yield place, f"placeholder {{{field}}} takes no format or conversion"
            found.add(field)
        names[lang] = found
    if len(names) == len(LANGUAGES) and names["nl"] != names["en"]:
        differ = sorted(names["nl"] ^ names["en"])
        yield at, f"nl and en must use the same placeholders; differ in {', '.join(differ)}"
