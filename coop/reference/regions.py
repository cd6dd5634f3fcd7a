"""The 35 labour-market regions (arbeidsmarktregio's) and the 342 municipalities of 2026,
with their CBS codes, from the package's own copy of ``arbeidsmarktregios.csv``
(sources and method in ``data/arbeidsmarktregios-SOURCES.md``).

A municipality is chosen from this list, never typed; its region follows from it.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

import msgspec

YEAR = 2026
FILE = "arbeidsmarktregios.csv"


class Region(msgspec.Struct, frozen=True):
    code: str  # AMxx
    name: str


class Municipality(msgspec.Struct, frozen=True):
    code: str  # GMxxxx
    name: str
    region: Region


class Reference(msgspec.Struct, frozen=True):
    regions: dict[str, Region]
    municipalities: dict[str, Municipality]


@cache
def load() -> Reference:
    text = resources.files("coop.reference").joinpath("data", FILE).read_text("utf-8-sig")
    regions: dict[str, Region] = {}
    municipalities: dict[str, Municipality] = {}
    for row in csv.DictReader(io.StringIO(text), delimiter=";"):
        region = regions.setdefault(
            row["region_code"], Region(row["region_code"], row["region_name"])
        )
        if region.name != row["region_name"]:
            raise ValueError(f"{FILE}: region {region.code} has two names")
        code = row["municipality_code"]
        if code in municipalities:
            raise ValueError(f"{FILE}: municipality {code} twice")
        municipalities[code] = Municipality(code, row["municipality_name"], region)
    return Reference(regions=regions, municipalities=municipalities)


@cache
def regions() -> tuple[Region, ...]:
    """Every region, by name."""
    return tuple(sorted(load().regions.values(), key=lambda r: r.name.casefold()))


@cache
def municipalities() -> tuple[Municipality, ...]:
    """Every municipality, by name."""
    return tuple(sorted(load().municipalities.values(), key=lambda m: m.name.casefold()))


def municipality(code: str | None) -> Municipality | None:
    return load().municipalities.get(code or "")


def region(code: str | None) -> Region | None:
    return load().regions.get(code or "")


@cache
def municipality_codes_in(region_code: str) -> tuple[str, ...]:
    return tuple(m.code for m in load().municipalities.values() if m.region.code == region_code)
