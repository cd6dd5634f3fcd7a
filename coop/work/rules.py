"""The supply side's rules, pure: no database, no web.

- a work package's weekly schedule (slots of a day and a time), checked on its own;
- which packages fit together into one pooled job: no overlapping times, enough hours
  for a job, periods that overlap, and travel that is feasible (one municipality, or one
  labour-market region when the coordinator accepts that);
- the weekly schedule such a job makes, and each member's share of its hours;
- the statuses of packages, pooled jobs and places, and who may move them;
- place types: whether a place may count as paid work for the banenafspraak, and the
  longest placement on it (from ``regulations``; the year is an argument).

Times are minutes since midnight, hours per week are minutes per week (integers).
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import msgspec

import regulations
from coop.errors import FieldError
from coop.web import i18n
from coop.web.i18n import gettext as _

MINUTES_PER_DAY = 24 * 60
MAX_MINUTES_PER_WEEK = 60 * 60  # 60 hours: beyond that no one works a week
MAX_SLOTS = 21
MAX_CAPACITY = 100
# The cooperative's policy: a pooled job has at least 12 hours a week, the smallest
# contract a job coach may support (regulations: jobcoach.min_contract_hours_per_week).
MIN_JOB_MINUTES = 12 * 60
DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")

# --- enums -------------------------------------------------------------------------------


class PackageStatus(enum.StrEnum):
    CONCEPT = "concept"
    AANGEBODEN = "aangeboden"
    IN_POOL = "in_pool"
    VERVULD = "vervuld"
    INGETROKKEN = "ingetrokken"


class JobStatus(enum.StrEnum):
    OPEN = "open"
    VERVULD = "vervuld"
    OPGEHEVEN = "opgeheven"


class PlaceStatus(enum.StrEnum):
    OPEN = "open"
    VERVULD = "vervuld"
    GESLOTEN = "gesloten"


class PlaceType(enum.StrEnum):
    BETAALDE_BAAN = "betaalde_baan"
    PROEFPLAATSING = "proefplaatsing"
    PARTICIPATIEPLAATS = "participatieplaats"
    WERKERVARINGSPLAATS = "werkervaringsplaats"
    BESCHUT_WERK = "beschut_werk"


class EmploymentModel(enum.StrEnum):
    """The five models of the domain page, (a) to (e)."""

    # The domain page's own names, (a) to (e); coop.allocation uses the same letters.
    LID_IN_DIENST = "a"  # the member employs directly
    DETACHERING = "b"  # the cooperative employs and seconds to one member
    GEPOOLDE_BAAN = "c"  # a combined job seconded to several members
    ONBETAALD = "d"  # unpaid participation place or trial placement
    BESCHUT = "e"  # sheltered work


class Source(enum.StrEnum):
    """Where a place comes from: offered as it is, or made by pooling packages."""

    AANBOD = "aanbod"
    GEPOOLDE_BAAN = "gepoolde_baan"


class Demand(enum.StrEnum):
    LICHT = "licht"
    MIDDEL = "gemiddeld"
    ZWAAR = "zwaar"


class Guidance(enum.StrEnum):
    """Guidance intensity as UWV grades it: what a place offers at most."""

    LICHT = "licht"
    MIDDEL = "gemiddeld"  # the same slugs as coop.participants and coop.allocation
    INTENSIEF = "intensief"


UNPAID_TYPES = frozenset(
    {PlaceType.PROEFPLAATSING, PlaceType.PARTICIPATIEPLAATS, PlaceType.WERKERVARINGSPLAATS}
)
PAID_MODELS = frozenset(
    {
        EmploymentModel.LID_IN_DIENST,
        EmploymentModel.DETACHERING,
        EmploymentModel.GEPOOLDE_BAAN,
        EmploymentModel.BESCHUT,
    }
)
# The models a place of each type can be filled in.
MODELS_FOR_TYPE: dict[PlaceType, frozenset[EmploymentModel]] = {
    PlaceType.BETAALDE_BAAN: frozenset(
        {EmploymentModel.LID_IN_DIENST, EmploymentModel.DETACHERING, EmploymentModel.GEPOOLDE_BAAN}
    ),
    PlaceType.PROEFPLAATSING: frozenset({EmploymentModel.ONBETAALD}),
    PlaceType.PARTICIPATIEPLAATS: frozenset({EmploymentModel.ONBETAALD}),
    PlaceType.WERKERVARINGSPLAATS: frozenset({EmploymentModel.ONBETAALD}),
    PlaceType.BESCHUT_WERK: frozenset({EmploymentModel.BESCHUT}),
}


def default_model(place_type: PlaceType) -> EmploymentModel:
    return {
        PlaceType.BETAALDE_BAAN: EmploymentModel.LID_IN_DIENST,
        PlaceType.BESCHUT_WERK: EmploymentModel.BESCHUT,
    }.get(place_type, EmploymentModel.ONBETAALD)


# --- labels ------------------------------------------------------------------------------


def day_label(day: str) -> str:
    return {
        "ma": _("maandag"),
        "di": _("dinsdag"),
        "wo": _("woensdag"),
        "do": _("donderdag"),
        "vr": _("vrijdag"),
        "za": _("zaterdag"),
        "zo": _("zondag"),
    }[day]


def package_status_label(status: str) -> str:
    return {
        PackageStatus.CONCEPT: _("Concept"),
        PackageStatus.AANGEBODEN: _("Aangeboden"),
        PackageStatus.IN_POOL: _("In een gecombineerde baan"),
        PackageStatus.VERVULD: _("Vervuld"),
        # Not "Ingetrokken": that message id is a revoked token's.
        PackageStatus.INGETROKKEN: _("Teruggetrokken"),
    }.get(status, status)  # type: ignore[call-overload]


def job_status_label(status: str) -> str:
    return {
        JobStatus.OPEN: _("Open"),
        JobStatus.VERVULD: _("Vervuld"),
        JobStatus.OPGEHEVEN: _("Opgeheven"),
    }.get(status, status)  # type: ignore[call-overload]


def place_status_label(status: str) -> str:
    return {
        PlaceStatus.OPEN: _("Open"),
        PlaceStatus.VERVULD: _("Vervuld"),
        PlaceStatus.GESLOTEN: _("Gesloten"),
    }.get(status, status)  # type: ignore[call-overload]


def place_type_label(place_type: str) -> str:
    return {
        PlaceType.BETAALDE_BAAN: _("Betaalde baan"),
        PlaceType.PROEFPLAATSING: _("Proefplaatsing"),
        PlaceType.PARTICIPATIEPLAATS: _("Participatieplaats"),
        PlaceType.WERKERVARINGSPLAATS: _("Werkervaringsplaats"),
        PlaceType.BESCHUT_WERK: _("Beschut werk"),
    }.get(place_type, place_type)  # type: ignore[call-overload]


def model_label(model: str) -> str:
    return {
        EmploymentModel.LID_IN_DIENST: _("In dienst bij het lid"),
        EmploymentModel.DETACHERING: _("In dienst van de coöperatie, gedetacheerd bij één lid"),
        EmploymentModel.GEPOOLDE_BAAN: _("Gecombineerde baan bij meerdere leden"),
        EmploymentModel.ONBETAALD: _("Onbetaald, met behoud van uitkering"),
        EmploymentModel.BESCHUT: _("Beschut werk"),
    }.get(model, model)  # type: ignore[call-overload]


def demand_label(demand: str) -> str:
    return {
        Demand.LICHT: _("Licht"),
        Demand.MIDDEL: _("Gemiddeld"),
        Demand.ZWAAR: _("Zwaar"),
    }.get(demand, demand)  # type: ignore[call-overload]


def guidance_label(guidance: str) -> str:
    return {
        Guidance.LICHT: _("Licht"),
        Guidance.MIDDEL: _("Gemiddeld"),
        Guidance.INTENSIEF: _("Intensief"),
    }.get(guidance, guidance)  # type: ignore[call-overload]


def hours_text(minutes: int) -> str:
    """Minutes as hours for people, in the reader's language: 750 -> "12,5"."""
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return i18n.format_number(hours.normalize() if hours else Decimal(0))


def hours_value(minutes: int) -> str:
    """Minutes as a plain number of hours, as a form shows it back: 750 -> "12.5"."""
    hours = Decimal(minutes) / 60
    return f"{hours.normalize():f}" if hours else "0"


# --- times and slots ---------------------------------------------------------------------


class Slot(msgspec.Struct, frozen=True, order=True):
    """One stretch of work on a day of the week; ``end`` after ``start``, same day."""

    day: str
    start: int  # minutes since midnight
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def day_index(self) -> int:
        return DAYS.index(self.day)


def parse_time(text: str) -> int | None:
    """``"9:00"``, ``"09:00"`` or ``"9.30"`` -> minutes since midnight; None if not a time.
    ``"24:00"`` is the end of the day."""
    cleaned = (text or "").strip().replace(".", ":")
    hours, sep, minutes = cleaned.partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        return None
    h, m = int(hours), int(minutes)
    if m >= 60 or h > 24 or (h == 24 and m):
        return None
    return h * 60 + m


def format_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def check_slots(
    raw: Sequence[tuple[str, str, str]], *, field: str = "schedule"
) -> tuple[list[Slot], list[FieldError]]:
    """Slots from (day, start, end) as typed; every problem by its place in the list."""
    slots: list[Slot] = []
    errors: list[FieldError] = []
    if not raw:
        errors.append(FieldError(field, _("Geef ten minste één dag met begin- en eindtijd op.")))
        return slots, errors
    if len(raw) > MAX_SLOTS:
        errors.append(FieldError(field, _("Geef hoogstens %(max)s tijdvakken op.", max=MAX_SLOTS)))
        return slots, errors
    for i, (day, start_text, end_text) in enumerate(raw):
        at = f"{field}[{i}]"
        if day not in DAYS:
            errors.append(FieldError(f"{at}.day", _("Kies een dag: ma, di, wo, do, vr, za of zo.")))
            continue
        start, end = parse_time(start_text), parse_time(end_text)
        if start is None or start >= MINUTES_PER_DAY:
            errors.append(FieldError(f"{at}.start", _("Vul een begintijd in, bijvoorbeeld 09:00.")))
            continue
        if end is None:
            errors.append(FieldError(f"{at}.end", _("Vul een eindtijd in, bijvoorbeeld 13:00.")))
            continue
        if end <= start:
            errors.append(FieldError(f"{at}.end", _("De eindtijd moet na de begintijd liggen.")))
            continue
        slots.append(Slot(day, start, end))
    for i, j in overlapping_pairs(slots):
        a, b = slots[i], slots[j]
        errors.append(
            FieldError(
                field,
                _(
                    "Op %(day)s overlappen de tijden %(a)s en %(b)s.",
                    day=day_label(a.day),
                    a=f"{format_time(a.start)}–{format_time(a.end)}",
                    b=f"{format_time(b.start)}–{format_time(b.end)}",
                ),
            )
        )
    return sort_slots(slots), errors


def sort_slots(slots: Iterable[Slot]) -> list[Slot]:
    """In the order of the week, Monday first."""
    return sorted(slots, key=lambda s: (DAYS.index(s.day), s.start, s.end))


def overlapping_pairs(slots: Sequence[Slot]) -> list[tuple[int, int]]:
    """Index pairs of slots that share time on the same day (touching is no overlap)."""
    pairs = []
    for i in range(len(slots)):
        for j in range(i + 1, len(slots)):
            a, b = slots[i], slots[j]
            if a.day == b.day and a.start < b.end and b.start < a.end:
                pairs.append((i, j))
    return pairs


def schedule_minutes(slots: Iterable[Slot]) -> int:
    return sum(s.minutes for s in slots)


def check_hours(
    minutes_per_week: int, slots: Sequence[Slot], *, field: str = "hours_per_week"
) -> list[FieldError]:
    """The hours of a package must fit in its schedule, and be more than nothing."""
    if minutes_per_week <= 0:
        return [FieldError(field, _("Vul meer dan 0 uur per week in."))]
    if minutes_per_week > MAX_MINUTES_PER_WEEK:
        return [FieldError(field, _("Vul hoogstens %(max)s uur per week in.", max=60))]
    held = schedule_minutes(slots)
    if slots and minutes_per_week > held:
        return [
            FieldError(
                field,
                _(
                    "U vult %(hours)s uur per week in, maar de dagen en tijden bieden maar "
                    "%(held)s uur. Pas de uren of de tijden aan.",
                    hours=hours_text(minutes_per_week),
                    held=hours_text(held),
                ),
            )
        ]
    return []


def parse_hours(text: str | float | int | None) -> int | None:
    """Hours per week as typed (``12``, ``12,5``, ``12.5``) -> whole minutes; None if not
    a number of hours in quarter hours or better."""
    if text is None:
        return None
    if isinstance(text, bool):
        return None
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except ArithmeticError:
        return None
    if not value.is_finite():
        return None
    minutes = value * 60
    if minutes != minutes.to_integral_value():
        return None
    return int(minutes)


def check_period(
    start: date | None,
    end: date | None,
    *,
    start_field: str = "start_date",
    end_field: str = "end_date",
) -> list[FieldError]:
    if start is None:
        return [FieldError(start_field, _("Vul een begindatum in."))]
    if end is not None and end < start:
        return [FieldError(end_field, _("De einddatum moet na de begindatum liggen."))]
    return []


# --- pooling: which packages fit together ----------------------------------------------------


class Package(msgspec.Struct, frozen=True, kw_only=True):
    """What pooling needs of a work package."""

    id: int
    organisation_id: int
    minutes_per_week: int
    slots: tuple[Slot, ...]
    municipality_code: str
    region_code: str
    start_date: date
    end_date: date | None = None


class Share(msgspec.Struct, frozen=True, kw_only=True):
    organisation_id: int
    minutes_per_week: int
    share: Decimal  # a fraction of the job's hours, 0..1, four decimals


class ScheduleEntry(msgspec.Struct, frozen=True, kw_only=True):
    day: str
    start: int
    end: int
    package_id: int
    organisation_id: int
    municipality_code: str


class Fit(msgspec.Struct, frozen=True, kw_only=True):
    """Whether packages make one job, why not, and what the job would be."""

    fits: bool
    problems: tuple[str, ...]
    minutes_per_week: int
    schedule: tuple[ScheduleEntry, ...]
    shares: tuple[Share, ...]
    start_date: date | None
    end_date: date | None
    same_municipality: bool


def shares(packages: Sequence[Package]) -> tuple[Share, ...]:
    """Each member's hours and share of the job's hours (fractions that add up to 1)."""
    by_member: dict[int, int] = {}
    for p in packages:
        by_member[p.organisation_id] = by_member.get(p.organisation_id, 0) + p.minutes_per_week
    total = sum(by_member.values())
    if not total:
        return ()
    unit = Decimal("0.0001")
    ordered = sorted(by_member.items(), key=lambda kv: (-kv[1], kv[0]))
    # Largest remainder: the rounded shares add up to exactly 1.
    exact = [Decimal(m) / Decimal(total) for _, m in ordered]
    floors = [e.quantize(unit, rounding="ROUND_DOWN") for e in exact]
    left = int((Decimal(1) - sum(floors)) / unit)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += unit
    return tuple(
        Share(organisation_id=org, minutes_per_week=m, share=floors[i])
        for i, (org, m) in enumerate(ordered)
    )


def weekly_schedule(packages: Sequence[Package]) -> tuple[ScheduleEntry, ...]:
    entries = [
        ScheduleEntry(
            day=s.day,
            start=s.start,
            end=s.end,
            package_id=p.id,
            organisation_id=p.organisation_id,
            municipality_code=p.municipality_code,
        )
        for p in packages
        for s in p.slots
    ]
    return tuple(sorted(entries, key=lambda e: (DAYS.index(e.day), e.start, e.package_id)))


def slots_overlap(a: Sequence[Slot], b: Sequence[Slot]) -> bool:
    return any(x.day == y.day and x.start < y.end and y.start < x.end for x in a for y in b)


def periods_overlap(a: Package, b: Package) -> bool:
    a_end, b_end = a.end_date or date.max, b.end_date or date.max
    return a.start_date <= b_end and b.start_date <= a_end


def travel_feasible(a: Package, b: Package, *, accept_region: bool) -> bool:
    if a.municipality_code == b.municipality_code:
        return True
    return accept_region and a.region_code == b.region_code


def pair_fits(a: Package, b: Package, *, accept_region: bool) -> bool:
    """Whether two packages can be in one job (the pairwise part of :func:`fit`)."""
    return (
        a.id != b.id
        and travel_feasible(a, b, accept_region=accept_region)
        and periods_overlap(a, b)
        and not slots_overlap(a.slots, b.slots)
    )


def fit(packages: Sequence[Package], *, min_minutes: int, accept_region: bool = False) -> Fit:
    """Whether these packages make one pooled job, with every reason they do not."""
    problems: list[str] = []
    ids = [p.id for p in packages]
    if len(set(ids)) != len(ids):
        problems.append(_("Een werkpakket staat twee keer in de combinatie."))
    members = {p.organisation_id for p in packages}
    if len(members) < 2:
        problems.append(_("Een gecombineerde baan bestaat uit werk van ten minste twee leden."))
    unique = list({p.id: p for p in packages}.values())
    for i, a in enumerate(unique):
        for b in unique[i + 1 :]:
            if slots_overlap(a.slots, b.slots):
                problems.append(
                    _("De tijden van pakket %(a)s en pakket %(b)s overlappen.", a=a.id, b=b.id)
                )
            if not periods_overlap(a, b):
                problems.append(
                    _(
                        "Pakket %(a)s en pakket %(b)s lopen niet in dezelfde periode.",
                        a=a.id,
                        b=b.id,
                    )
                )
            if not travel_feasible(a, b, accept_region=accept_region):
                if a.region_code == b.region_code:
                    problems.append(
                        _(
                            "Pakket %(a)s en pakket %(b)s liggen in verschillende gemeenten. "
                            "Sta reizen binnen de regio toe als dat haalbaar is.",
                            a=a.id,
                            b=b.id,
                        )
                    )
                else:
                    problems.append(
                        _(
                            "Pakket %(a)s en pakket %(b)s liggen in verschillende regio's.",
                            a=a.id,
                            b=b.id,
                        )
                    )
    total = sum(p.minutes_per_week for p in unique)
    if total < min_minutes:
        problems.append(
            _(
                "Samen is het %(hours)s uur per week; een baan vraagt ten minste %(min)s uur.",
                hours=hours_text(total),
                min=hours_text(min_minutes),
            )
        )
    starts = [p.start_date for p in unique]
    ends = [p.end_date for p in unique if p.end_date is not None]
    start = max(starts) if starts else None
    end = min(ends) if ends else None
    return Fit(
        fits=not problems,
        problems=tuple(problems),
        minutes_per_week=total,
        schedule=weekly_schedule(unique),
        shares=shares(unique),
        start_date=start,
        end_date=end if end is None or start is None or end >= start else None,
        same_municipality=len({p.municipality_code for p in unique}) <= 1,
    )


def candidates(
    package: Package, others: Iterable[Package], *, accept_region: bool = False
) -> list[Package]:
    """The packages of other members that fit beside ``package``, most hours first.

    One pass over ``others`` with a constant amount of work each (a package has at most
    MAX_SLOTS slots): linear in the number of open packages.
    """
    found = [
        p
        for p in others
        if p.organisation_id != package.organisation_id
        and pair_fits(package, p, accept_region=accept_region)
    ]
    found.sort(key=lambda p: (-p.minutes_per_week, p.id))
    return found


# --- statuses and who moves them ---------------------------------------------------------

PACKAGE_TRANSITIONS: dict[PackageStatus, frozenset[PackageStatus]] = {
    PackageStatus.CONCEPT: frozenset({PackageStatus.AANGEBODEN, PackageStatus.INGETROKKEN}),
    PackageStatus.AANGEBODEN: frozenset(
        {
            PackageStatus.IN_POOL,
            PackageStatus.VERVULD,
            PackageStatus.INGETROKKEN,
            PackageStatus.CONCEPT,
        }
    ),
    PackageStatus.IN_POOL: frozenset(
        {PackageStatus.VERVULD, PackageStatus.INGETROKKEN, PackageStatus.AANGEBODEN}
    ),
    PackageStatus.VERVULD: frozenset({PackageStatus.INGETROKKEN, PackageStatus.AANGEBODEN}),
    PackageStatus.INGETROKKEN: frozenset(),
}
# What a member does itself: offer, take back to concept, withdraw. Pooling and filling
# are the coordinators' work.
MEMBER_STEPS = frozenset(
    {PackageStatus.AANGEBODEN, PackageStatus.CONCEPT, PackageStatus.INGETROKKEN}
)


def package_transition_refusal(current: str, new: str, *, staff: bool) -> str | None:
    """Why a package may not move from ``current`` to ``new``; None when it may."""
    try:
        old, wanted = PackageStatus(current), PackageStatus(new)
    except ValueError:
        return _("Kies een status uit de lijst.")
    if wanted not in PACKAGE_TRANSITIONS[old]:
        return _(
            "Van %(old)s naar %(new)s kan niet.",
            old=package_status_label(old).lower(),
            new=package_status_label(wanted).lower(),
        )
    if not staff and wanted not in MEMBER_STEPS:
        return _("Alleen een coördinator zet een werkpakket in een baan of op vervuld.")
    if not staff and old == PackageStatus.IN_POOL and wanted != PackageStatus.INGETROKKEN:
        return _("Dit werkpakket zit in een gecombineerde baan. U kunt het alleen intrekken.")
    return None


def next_package_statuses(current: str, *, staff: bool) -> list[PackageStatus]:
    return [
        s
        for s in PackageStatus
        if package_transition_refusal(current, s, staff=staff) is None
        # Pooling happens through a pooled job, not by a status button.
        and s != PackageStatus.IN_POOL
    ]


# --- membership: when a member leaves ------------------------------------------------------

ACTIVE_MEMBER = "actief"
# Statuses in which a member's work must be re-pooled: suspended or ended. (A member that
# is approved but not yet active was never in a job.)
LEAVING_STATUSES = frozenset({"geschorst", "beeindigd"})


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def repool_deadline(since: date, notice_months: int) -> date:
    """The day by which the work of a leaving member must be re-pooled: its notice period
    (from the member registry) counted from the notice or the withdrawal."""
    return add_months(since, max(0, notice_months))


def member_is_leaving(status: str, end_requested: bool) -> bool:
    return status in LEAVING_STATUSES or end_requested


# --- place types -------------------------------------------------------------------------


def counts_as_paid_work(place_type: str, model: str | None = None) -> bool:
    """Whether a placement on a place of this type may count for the banenafspraak: only
    paid work (employment or secondment) does; trial placements, participatieplaatsen and
    werkervaringsplaatsen never do, whatever the model."""
    kind = PlaceType(place_type)
    if kind in UNPAID_TYPES:
        return False
    if model is None:
        return True
    return EmploymentModel(model) in PAID_MODELS and EmploymentModel(model) in MODELS_FOR_TYPE[kind]


class Duration(msgspec.Struct, frozen=True, kw_only=True):
    max_months: int
    max_months_extended: int


def max_duration(place_type: str, year: int) -> Duration | None:
    """The longest placement on a place of this type in ``year``, from ``regulations``;
    None when the law sets no maximum (a paid job, sheltered work, or a type the year's
    table does not list). A year without a table raises ``UnknownYear``."""
    rules = regulations.for_year(year)
    for place in rules.places:
        if place.slug == place_type:
            return Duration(
                max_months=place.max_months, max_months_extended=place.max_months_extended
            )
    return None


def latest_end(place_type: str, start: date, *, extended: bool = False) -> date | None:
    """The last day a placement of this type starting on ``start`` may run, by the rules
    of the year it starts in; None when there is no maximum."""
    duration = max_duration(place_type, start.year)
    if duration is None:
        return None
    months = duration.max_months_extended if extended else duration.max_months
    return add_months(start, months) - (date(2000, 1, 2) - date(2000, 1, 1))


def check_capacity(value: int | None, *, field: str = "capacity") -> list[FieldError]:
    if value is None:
        return [FieldError(field, _("Vul het aantal plaatsen in."))]
    if value < 1:
        return [FieldError(field, _("Een plaats heeft ten minste 1 plek."))]
    if value > MAX_CAPACITY:
        return [FieldError(field, _("Vul hoogstens %(max)s plekken in.", max=MAX_CAPACITY))]
    return []


def check_model(
    place_type: str, model: str, *, field: str = "employment_model"
) -> list[FieldError]:
    if EmploymentModel(model) not in MODELS_FOR_TYPE[PlaceType(place_type)]:
        return [
            FieldError(
                field,
                _(
                    "Een %(type)s past niet bij de vorm: %(model)s.",
                    type=place_type_label(place_type).lower(),
                    model=model_label(model).lower(),
                ),
            )
        ]
    return []
