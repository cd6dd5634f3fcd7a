"""Reading one year's data file: TOML -> YearRules, then the checks msgspec cannot express.

Every problem is reported as ``<file>: <place>: <what is wrong>``, with the place written
the way it appears in the file (``wml.periods[1].start``), so an editor finds it at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import msgspec

from .model import Heffing, YearRules

_FILE_NAME = re.compile(r"^(\d{4})\.toml$")
_FIELD_PROBLEM = re.compile(
    r"^Object (?P<what>missing required|contains unknown) field `(?P<f>.*)`"
)

Problem = tuple[str, str]


class RulesError(ValueError):
    """A data file that does not hold a valid year of rules."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{file}: {place}: {message}" for place, message in problems))


class UnknownYear(LookupError):
    """No data file for the year; rules never fall back to another year."""

    def __init__(self, year: int, available: tuple[int, ...]) -> None:
        self.year = year
        self.available = available
        listed = ", ".join(str(y) for y in available) or "none"
        super().__init__(
            f"no regulations for the year {year}; available years: {listed} "
            f"(add regulations/data/{year}.toml, never reuse another year's figures)"
        )


def _data_dir() -> Traversable:
    return files("regulations") / "data"


@functools.cache
def available_years() -> tuple[int, ...]:
    years = (_FILE_NAME.match(entry.name) for entry in _data_dir().iterdir())
    return tuple(sorted(int(match.group(1)) for match in years if match))


def for_year(year: int) -> YearRules:
    """The rules of one year, loaded once; UnknownYear when no file ships for it."""
    # Checked before the cache, which would treat 2026.0 and True as the keys 2026 and 1.
    if not isinstance(year, int) or isinstance(year, bool):
        raise TypeError(f"year must be an int, got {year!r}")
    if year not in available_years():
        raise UnknownYear(year, available_years())
    return _load_year(year)


@functools.cache
def _load_year(year: int) -> YearRules:
    return load_file(_data_dir() / f"{year}.toml")


def load_file(path: str | Path | Traversable) -> YearRules:
    """Load and check one ``<year>.toml``; raises RulesError naming the file and place."""
    if isinstance(path, str):
        path = Path(path)
    name = path.name
    match = _FILE_NAME.match(name)
    if not match:
        raise RulesError(name, [("file name", "must be <year>.toml, for example 2026.toml")])
    try:
        # parse_float keeps 0.235 exact; a float would already have lost it.
        raw = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(name, [("TOML syntax", str(exc))]) from exc
    try:
        rules = msgspec.convert(raw, type=YearRules, strict=True)
    except msgspec.ValidationError as exc:
        raise RulesError(name, [_from_msgspec(str(exc))]) from exc
    problems = list(_problems(rules, int(match.group(1))))
    if problems:
        raise RulesError(name, problems)
    return rules


def _from_msgspec(text: str) -> Problem:
    # msgspec says "<what> - at `$.a.b[0]`"; the place is written the way the file reads.
    message, _, at = text.partition(" - at `$")
    place = at.removesuffix("`").removeprefix(".")
    field = _FIELD_PROBLEM.match(message)
    if field:
        # Point at the field itself, which is what the editor of the file has to look for.
        place = f"{place}.{field.group('f')}" if place else field.group("f")
        missing = field.group("what").startswith("missing")
        message = "missing required field" if missing else "unknown field"
    return place or "(top level)", message


def _problems(rules: YearRules, year_in_name: int) -> Iterator[Problem]:
    if rules.year != year_in_name:
        yield "year", f"is {rules.year}, but the file name says {year_in_name}"
    yield from _wml(rules)
    yield from _lks(rules)
    yield from _lkv(rules)
    yield from _banenafspraak(rules)
    yield from _quota(rules)
    yield from _small_sections(rules)
    yield from _places(rules)
    yield from _pso(rules)


def _positive(place: str, value: int | Decimal | None) -> Iterator[Problem]:
    if value is None:
        return
    if isinstance(value, Decimal) and not value.is_finite():
        yield place, "must be a finite number"
    elif value <= 0:
        yield place, "must be positive"


def _between(place: str, value: Decimal, high: int) -> Iterator[Problem]:
    if not value.is_finite() or not 0 <= value <= high:
        yield place, f"must be between 0 and {high}"


def _wml(rules: YearRules) -> Iterator[Problem]:
    periods = rules.wml.periods
    yield from _positive("wml.min_age", rules.wml.min_age)
    if not periods:
        yield "wml.periods", "must list at least one period"
        return
    if periods[0].start != dt.date(rules.year, 1, 1):
        yield "wml.periods[0].start", f"must be {rules.year}-01-01"
    for i, period in enumerate(periods):
        place = f"wml.periods[{i}]"
        yield from _positive(f"{place}.hourly_cents", period.hourly_cents)
        if period.end < period.start:
            yield f"{place}.end", "is before its start"
        if period.end.year != rules.year:
            yield f"{place}.end", f"must be in {rules.year}"
        if i and period.start <= periods[i - 1].end:
            yield f"{place}.start", f"overlaps or precedes wml.periods[{i - 1}]"
        elif i and period.start != periods[i - 1].end + dt.timedelta(days=1):
            yield f"{place}.start", f"leaves a gap after wml.periods[{i - 1}]"


def _lks(rules: YearRules) -> Iterator[Problem]:
    yield from _between("lks.max_share_of_wml", rules.lks.max_share_of_wml, 1)
    share = rules.lks.employer_cost_allowance_share
    yield from _between("lks.employer_cost_allowance_share", share, 1)
    yield from _positive(
        "lks.wage_value_remeasure_max_years", rules.lks.wage_value_remeasure_max_years
    )


def _lkv(rules: YearRules) -> Iterator[Problem]:
    yield from _positive("lkv.hourly_cents", rules.lkv.hourly_cents)
    yield from _positive("lkv.max_cents_per_year", rules.lkv.max_cents_per_year)
    yield from _positive("lkv.duration_years", rules.lkv.duration_years)
    if rules.lkv.whole_employment != (rules.lkv.duration_years is None):
        yield "lkv.duration_years", "give it exactly when whole_employment is false"


def _banenafspraak(rules: YearRules) -> Iterator[Problem]:
    section = rules.banenafspraak
    yield from _positive("banenafspraak.hours_per_baan_per_week", section.hours_per_baan_per_week)
    yield from _positive("banenafspraak.hours_per_baan_per_year", section.hours_per_baan_per_year)
    if section.register_years_after_leaving < 0:
        yield "banenafspraak.register_years_after_leaving", "must be zero or more"


def _quota(rules: YearRules) -> Iterator[Problem]:
    quota = rules.quota
    yield from _positive("quota.min_employees", quota.min_employees)
    yield from _positive("quota.threshold_paid_hours", quota.threshold_paid_hours)
    yield from _between("quota.percent", quota.percent, 100)
    regime = quota.regime
    if isinstance(regime, Heffing):
        yield from _positive(
            "quota.regime.levy_cents_per_missing_baan", regime.levy_cents_per_missing_baan
        )
    else:
        yield from _positive(
            "quota.regime.inclusiviteitsopslag_cents", regime.inclusiviteitsopslag_cents
        )
        yield from _positive(
            "quota.regime.banenafspraakbonus_cents_per_baan",
            regime.banenafspraakbonus_cents_per_baan,
        )


def _small_sections(rules: YearRules) -> Iterator[Problem]:
    yield from _positive("no_riskpolis.years", rules.no_riskpolis.years)
    coach = rules.jobcoach
    yield from _positive("jobcoach.max_years", coach.max_years)
    yield from _positive("jobcoach.min_contract_hours_per_week", coach.min_contract_hours_per_week)
    yield from _positive("jobcoach.min_contract_months", coach.min_contract_months)
    if len(coach.internal_max_share_of_hours) != coach.max_years:
        yield "jobcoach.internal_max_share_of_hours", "must hold one share per year of max_years"
    for i, share in enumerate(coach.internal_max_share_of_hours):
        yield from _between(f"jobcoach.internal_max_share_of_hours[{i}]", share, 1)


def _places(rules: YearRules) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, place in enumerate(rules.places):
        at = f"places[{i}]"
        if place.slug in seen:
            yield f"{at}.slug", f"{place.slug!r} is listed twice"
        seen.add(place.slug)
        yield from _positive(f"{at}.max_months", place.max_months)
        if place.max_months_extended < place.max_months:
            yield f"{at}.max_months_extended", "must be at least max_months"
        yield from _positive(
            f"{at}.min_intended_contract_months", place.min_intended_contract_months
        )


def _pso(rules: YearRules) -> Iterator[Problem]:
    norms = rules.pso.norms
    if not norms:
        yield "pso.norms", "must list at least one size class"
    for i, norm in enumerate(norms):
        at = f"pso.norms[{i}]"
        fte_problems = list(_positive(f"{at}.fte", norm.fte))
        yield from fte_problems
        if not fte_problems and i and norms[i - 1].fte.is_finite() and norm.fte <= norms[i - 1].fte:
            yield f"{at}.fte", "size classes must be in increasing order of FTE"
        tredes = (norm.trede_1_percent, norm.trede_2_percent, norm.trede_3_percent)
        percent_problems = [
            problem
            for n, percent in enumerate(tredes, start=1)
            for problem in _between(f"{at}.trede_{n}_percent", percent, 100)
        ]
        yield from percent_problems
        if not percent_problems and not tredes[0] <= tredes[1] <= tredes[2]:
            yield at, "a higher trede must not ask a lower percentage"
