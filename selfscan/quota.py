"""The indicative quota share: would the quota apply, and roughly how many banen would it ask?

Pure: the year's figures come in as ``rules`` (``regulations.for_year(year)``); nothing is
typed in here. The outcome is an **indication**, labelled as such in every text: the real
test is per payroll-tax number, on paid hours without hired-in staff, by UWV.

- **Hours.** The employer's yearly paid hours when given. Otherwise an estimate:
  employees × the average paid hours per employee that the law itself uses, which is the
  quota threshold in hours ÷ the threshold in employees (2026: 40,575 ÷ 25 = 1,623 hours a
  year, about 31 hours a week). With that estimate exactly the threshold number of employees
  reaches exactly the threshold in hours, so the estimate and the rule agree on who is in.
  The estimate is rounded to whole hours.
- **Applies** when the hours reach ``rules.quota.threshold_paid_hours`` and the employer's
  sector is one the year's quota covers (``rules.quota.sector``: ``alle``, or ``overheid``
  = SBI section O, public administration). When the sector is not given it is not held
  against the employer: ``applies`` then follows the hours, and the explanation says which
  employers the year's quota covers.
- **Indicative banen** = ``rules.quota_required_banen(hours)``, i.e. percent × hours ÷
  hours per baan, rounded to 2 decimals (half up); None when the quota does not apply.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from regulations import YearRules

from .model import OrganisationProfile, QuotaIndication, Text, format_number, format_percent

__all__ = ["GOVERNMENT_SECTIONS", "hours_per_employee", "indicative_quota"]

#: SBI sections that count as government for a quota limited to "overheid": section O,
#: public administration and public services (openbaar bestuur en overheidsdiensten).
GOVERNMENT_SECTIONS = frozenset({"O"})

_CENT = Decimal("0.01")


def hours_per_employee(rules: YearRules) -> Decimal:
    """Average yearly paid hours per employee implied by the quota threshold."""
    return rules.quota.threshold_paid_hours / rules.quota.min_employees


def indicative_quota(profile: OrganisationProfile, rules: YearRules) -> QuotaIndication | None:
    """The indication for ``rules.year``, or None when neither hours nor employees are given."""
    quota = rules.quota
    per_employee: Decimal | None = None
    if profile.yearly_paid_hours is not None:
        used = Decimal(profile.yearly_paid_hours)
    elif profile.employees is not None:
        per_employee = hours_per_employee(rules)
        used = (profile.employees * per_employee).quantize(Decimal(1), ROUND_HALF_UP)
    else:
        return None

    above = used >= quota.threshold_paid_hours
    if quota.sector == "alle":
        in_scope: bool | None = True
    elif profile.sector is None:
        in_scope = None
    else:
        in_scope = profile.sector in GOVERNMENT_SECTIONS
    applies = above and in_scope is not False
    required = rules.quota_required_banen(used) if applies else None
    banen = None if required is None else required.quantize(_CENT, ROUND_HALF_UP)

    return QuotaIndication(
        year=rules.year,
        employees=profile.employees,
        yearly_paid_hours=int(used),
        estimated=per_employee is not None,
        hours_per_employee=per_employee,
        threshold_paid_hours=quota.threshold_paid_hours,
        above_threshold=above,
        sector_scope=quota.sector,
        in_scope=in_scope,
        applies=applies,
        percent=quota.percent,
        hours_per_baan=rules.banenafspraak.hours_per_baan_per_year,
        indicative_banen=banen,
        explanation=_explanation(rules, used, in_scope, banen),
        assumption=None if per_employee is None else _assumption(rules, profile, per_employee),
    )


def _explanation(
    rules: YearRules, used: Decimal, in_scope: bool | None, banen: Decimal | None
) -> Text:
    year, quota = rules.year, rules.quota
    above = used >= quota.threshold_paid_hours
    government_only = quota.sector == "overheid"

    h, t = format_number(used, "nl"), format_number(quota.threshold_paid_hours, "nl")
    nl = [f"Indicatief: met {h} betaalde uren per jaar"]
    if not above:
        nl.append(f"blijft uw organisatie onder de grens van de quotumregeling ({t} uur).")
    elif not government_only:
        nl.append(f"valt uw organisatie onder de quotumregeling van {year} (vanaf {t} uur).")
    else:
        nl.append(f"komt uw organisatie boven de grens van de quotumregeling ({t} uur).")
        nl.append(f"In {year} geldt het quotum alleen voor overheidswerkgevers.")
        if in_scope is False:
            nl.append("Uw sector valt daar niet onder.")
    if banen is not None:
        p = format_percent(quota.percent, "nl")
        per_baan = format_number(rules.banenafspraak.hours_per_baan_per_year, "nl")
        who = "Voor uw organisatie" if in_scope else "Bent u overheidswerkgever, dan"
        nl.append(
            f"Het quotum is {p} van de betaalde uren en één baan is {per_baan} uur per jaar."
            f" {who} is dat ongeveer {format_number(banen, 'nl', 2)} banen."
        )
    nl.append(
        "UWV stelt het echte aantal vast per loonheffingennummer; ingeleend personeel telt "
        "niet mee voor de grens."
    )

    h, t = format_number(used, "en"), format_number(quota.threshold_paid_hours, "en")
    en = [f"Indicative: with {h} paid hours a year"]
    if not above:
        en.append(f"your organisation stays below the threshold of the quota rules ({t} hours).")
    elif not government_only:
        en.append(f"your organisation falls under the {year} quota rules (from {t} hours).")
    else:
        en.append(f"your organisation is above the threshold of the quota rules ({t} hours).")
        en.append(f"In {year} the quota applies to government employers only.")
        if in_scope is False:
            en.append("Your sector is not one of them.")
    if banen is not None:
        p = format_percent(quota.percent, "en")
        per_baan = format_number(rules.banenafspraak.hours_per_baan_per_year, "en")
        who = "For your organisation" if in_scope else "If you are a government employer,"
        en.append(
            f"The quota is {p} of paid hours and one job (baan) is {per_baan} hours a year."
            f" {who} that is about {format_number(banen, 'en', 2)} jobs."
        )
    en.append(
        "UWV sets the real figure per payroll-tax number; hired-in staff do not count "
        "towards the threshold."
    )
    return Text(nl=" ".join(nl), en=" ".join(en))


def _assumption(rules: YearRules, profile: OrganisationProfile, per_employee: Decimal) -> Text:
    def figures(lang: str) -> tuple[str, str, str, str]:
        return (
            format_number(profile.employees or 0, lang),
            format_number(per_employee, lang, 0),  # shown in whole hours
            format_number(rules.quota.min_employees, lang),
            format_number(rules.quota.threshold_paid_hours, lang),
        )

    employees, per, minimum, threshold = figures("nl")
    nl = (
        f"Geschat: {employees} medewerkers × {per} betaalde uren per jaar. Dat gemiddelde "
        f"volgt uit de grens in de wet: {minimum} werknemers staan gelijk aan {threshold} "
        "betaalde uren. Geef uw eigen aantal betaalde uren op voor een betere indicatie."
    )
    employees, per, minimum, threshold = figures("en")
    en = (
        f"Estimated: {employees} employees × {per} paid hours a year. That average follows "
        f"from the threshold in the law: {minimum} employees equal {threshold} paid hours. "
        "Give your own number of paid hours for a better indication."
    )
    return Text(nl=nl, en=en)
