"""The banenafspraak API's reading of ``year`` and ``as_of``, and the default day counted
up to: the future is never counted."""

from __future__ import annotations

from datetime import date

import pytest

import regulations
from coop.banenafspraak.api import as_of_of, year_of
from coop.banenafspraak.repository import default_as_of
from coop.errors import ValidationFailed


def test_the_default_day_is_today_or_the_end_of_a_past_year():
    assert default_as_of(2026, today=date(2026, 12, 8)) == date(2026, 12, 8)
    assert default_as_of(2025, today=date(2026, 12, 8)) == date(2025, 12, 31)
    # A year still to come: before its first day, so nothing of it counts.
    assert default_as_of(2027, today=date(2026, 12, 8)) == date(2026, 12, 8)


def test_a_year_is_four_digits_with_a_rule_table():
    assert year_of("2025") == 2025
    assert year_of(" 2026 ") == 2026
    assert year_of(None, today=date(2026, 5, 1)) == 2026
    assert year_of("", today=date(2025, 5, 1)) == 2025


@pytest.mark.parametrize("value", ["abc", "2024", "1900", "12345", "-1", "2025.0", "٢٠٢٥", "20 25"])
def test_a_bad_year_names_the_field(value):
    with pytest.raises(ValidationFailed) as caught:
        year_of(value)
    assert [e.field for e in caught.value.errors] == ["year"]


def test_a_year_without_rules_says_which_years_have_them():
    with pytest.raises(ValidationFailed) as caught:
        year_of("2024")
    detail = caught.value.errors[0].detail
    assert "2024" in detail
    assert all(str(y) in detail for y in regulations.available_years())


def test_as_of_is_an_iso_date_or_nothing():
    assert as_of_of(None) is None and as_of_of(" ") is None
    assert as_of_of("2026-06-30") == date(2026, 6, 30)
    for bad in ("2026-02-30", "20260630", "gisteren", "2026-6-30"):
        with pytest.raises(ValidationFailed) as caught:
            as_of_of(bad)
        assert [e.field for e in caught.value.errors] == ["as_of"]
