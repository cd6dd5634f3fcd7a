"""Counting the banenafspraak (coop.banenafspraak.counting), with cases worked out by hand.

2026 has 365 days; one baan is 25.5 hours a week, or 1,331 hours a year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from coop.banenafspraak.counting import RegisterPeriod, Work, count, line_of, quota_of, shown
from regulations import for_year

RULES = for_year(2026)
REGISTERED = (RegisterPeriod(dt.date(2020, 1, 1), None),)


def work(**changes: object) -> Work:
    args: dict[str, object] = dict(
        placement_id=1,
        participant_id=1,
        member_id=10,
        weekly_hours=Decimal("25.5"),
        start=dt.date(2025, 6, 1),
        end=None,
        paid=True,
        register=REGISTERED,
    )
    args.update(changes)
    return Work(**args)  # type: ignore[arg-type]


def test_a_full_year_at_25_5_hours_is_exactly_one_baan():
    # 25.5 / 25.5 × 365 / 365 = 1.00 baan = 1,331 hours.
    line = line_of(work(), RULES)
    assert line.banen == 1
    assert line.counted_hours == 1331


def test_half_a_year_at_20_hours():
    # 1 July to 31 December is 184 days: 20 / 25.5 × 184 / 365 = 0.39538 -> 0.40 banen,
    # × 1,331 = 526.25 hours.
    line = line_of(work(weekly_hours=Decimal(20), start=dt.date(2026, 7, 1)), RULES)
    assert shown(line.banen) == Decimal("0.40")
    assert shown(line.counted_hours) == Decimal("526.25")


def test_a_pooled_job_over_three_members_counts_each_share_at_its_member():
    # 30 hours a week for the whole year, 12 + 10 + 8 hours at three members:
    # 12 / 25.5 = 0.4706 -> 0.47; 10 / 25.5 = 0.3922 -> 0.39; 8 / 25.5 = 0.3137 -> 0.31.
    # The cooperative, which employs and seconds, counts nothing.
    shares = {10: 12, 11: 10, 12: 8}
    result = count([work(member_id=m, weekly_hours=Decimal(h)) for m, h in shares.items()], RULES)
    assert {m: shown(c.banen) for m, c in result.items()} == {
        10: Decimal("0.47"),
        11: Decimal("0.39"),
        12: Decimal("0.31"),
    }
    assert None not in result
    # Together the three shares are the whole job: 30 / 25.5 = 1.18 banen.
    assert shown(sum(c.banen for c in result.values())) == Decimal("1.18")


def test_a_register_period_ending_mid_year_counts_only_the_registered_days():
    # Registered until 31 March: 90 days. 25.5 / 25.5 × 90 / 365 = 0.2466 -> 0.25 banen.
    ended = (RegisterPeriod(dt.date(2019, 1, 1), dt.date(2026, 3, 31)),)
    assert shown(line_of(work(register=ended), RULES).banen) == Decimal("0.25")
    # Not in the register at all: nothing counts.
    assert line_of(work(register=()), RULES).banen == 0


def test_a_trial_placement_never_counts():
    # Unpaid: 0, however many hours and however long.
    line = line_of(work(paid=False), RULES)
    assert (line.banen, line.quota_banen, line.counted_hours) == (0, 0, 0)


def test_a_secondment_counts_at_the_hirer_and_own_employment_at_the_cooperative():
    # Seconded to member 10 for 20 hours: 20 / 25.5 = 0.78 at the member. Another person
    # employed by the cooperative itself, 15 hours, not seconded: 15 / 25.5 = 0.59 for
    # the cooperative's own count (member None).
    result = count(
        [
            work(weekly_hours=Decimal(20)),
            work(placement_id=2, participant_id=2, member_id=None, weekly_hours=Decimal(15)),
        ],
        RULES,
    )
    assert shown(result[10].banen) == Decimal("0.78")
    assert shown(result[None].banen) == Decimal("0.59")


def test_a_provision_counts_for_the_quota_but_not_for_the_agreement():
    provision = (RegisterPeriod(dt.date(2024, 1, 1), None, provision=True),)
    line = line_of(work(register=provision), RULES)
    assert (line.banen, line.quota_banen) == (0, 1)


def test_work_outside_the_year_or_ending_before_it_counts_nothing():
    assert line_of(work(start=dt.date(2024, 1, 1), end=dt.date(2025, 12, 31)), RULES).banen == 0
    assert line_of(work(start=dt.date(2027, 1, 1)), RULES).banen == 0


def test_the_indicative_quota_for_a_member_above_the_threshold():
    # 80,000 paid hours a year: 2.58% × 80,000 / 1,331 = 1.5507 -> 1.55 required banen.
    # With one baan realised the difference is 1.00 - 1.55 = -0.55.
    result = count([work()], RULES)[10]
    quota = quota_of(result, Decimal(80000), RULES)
    assert quota is not None
    assert shown(quota.required_banen) == Decimal("1.55")
    assert shown(quota.difference) == Decimal("-0.55")
    # Below 40,575 hours, or without paid hours, there is no quota.
    assert quota_of(result, Decimal(40574), RULES) is None
    assert quota_of(result, None, RULES) is None


def test_periods_are_summed_unrounded():
    # Three people at 1 hour a week for the whole year: each 1 / 25.5 = 0.0392 -> 0.04
    # when shown alone, but together 3 / 25.5 = 0.1176 -> 0.12, not 3 × 0.04.
    result = count(
        [work(placement_id=i, participant_id=i, weekly_hours=Decimal(1)) for i in (1, 2, 3)],
        RULES,
    )[10]
    assert shown(result.banen) == Decimal("0.12")
    assert [shown(line.banen) for line in result.lines] == [Decimal("0.04")] * 3
