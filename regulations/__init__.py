"""The yearly figures of Dutch law and schemes, one data file per year.

A computation takes its year as an argument and asks ``for_year(year)``; a year without a
data file is an error (UnknownYear), never a fallback to a neighbouring year.
"""

from .loader import RulesError, UnknownYear, available_years, for_year, load_file
from .model import (
    Banenafspraak,
    Heffing,
    Jobcoach,
    LkvBanenafspraak,
    Loonkostensubsidie,
    NoRiskpolis,
    OpslagBonus,
    PlaceType,
    Pso,
    PsoNorm,
    Quota,
    Wml,
    WmlPeriod,
    YearRules,
)

__all__ = [
    "Banenafspraak",
    "Heffing",
    "Jobcoach",
    "LkvBanenafspraak",
    "Loonkostensubsidie",
    "NoRiskpolis",
    "OpslagBonus",
    "PlaceType",
    "Pso",
    "PsoNorm",
    "Quota",
    "RulesError",
    "UnknownYear",
    "Wml",
    "WmlPeriod",
    "YearRules",
    "available_years",
    "for_year",
    "load_file",
]
