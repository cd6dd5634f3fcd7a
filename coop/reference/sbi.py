"""The SBI sections (Standaard Bedrijfsindeling, CBS; SBI 2008, sections A to U), the
letter that classifies an organisation's main activity, with Dutch and English names.
The slug stored is the lower-case letter."""

from __future__ import annotations

import msgspec


class Section(msgspec.Struct, frozen=True):
    code: str  # "a" .. "u"
    nl: str
    en: str

    @property
    def letter(self) -> str:
        return self.code.upper()

    def name(self, language: str) -> str:
        return self.en if language == "en" else self.nl


SECTIONS: tuple[Section, ...] = (
    Section("a", "Landbouw, bosbouw en visserij", "Agriculture, forestry and fishing"),
    Section("b", "Delfstoffenwinning", "Mining and quarrying"),
    Section("c", "Industrie", "Manufacturing"),
    Section(
        "d",
        "Energievoorziening",
        "Electricity, gas, steam and air conditioning supply",
    ),
    Section(
        "e",
        "Winning en distributie van water; afval- en afvalwaterbeheer en sanering",
        "Water supply; sewerage, waste management and remediation",
    ),
    Section("f", "Bouwnijverheid", "Construction"),
    Section(
        "g",
        "Groot- en detailhandel; reparatie van auto's",
        "Wholesale and retail trade; repair of motor vehicles",
    ),
    Section("h", "Vervoer en opslag", "Transportation and storage"),
    Section("i", "Logies-, maaltijd- en drankverstrekking", "Accommodation and food service"),
    Section("j", "Informatie en communicatie", "Information and communication"),
    Section("k", "Financiële instellingen", "Financial institutions"),
    Section(
        "l", "Verhuur van en handel in onroerend goed", "Renting, buying and selling of real estate"
    ),
    Section(
        "m",
        "Advisering, onderzoek en overige specialistische zakelijke dienstverlening",
        "Consultancy, research and other specialised business services",
    ),
    Section(
        "n",
        "Verhuur van roerende goederen en overige zakelijke dienstverlening",
        "Renting and leasing of tangible goods and other business support services",
    ),
    Section(
        "o",
        "Openbaar bestuur, overheidsdiensten en verplichte sociale verzekeringen",
        "Public administration, public services and compulsory social security",
    ),
    Section("p", "Onderwijs", "Education"),
    Section("q", "Gezondheids- en welzijnszorg", "Human health and social work activities"),
    Section("r", "Cultuur, sport en recreatie", "Culture, sports and recreation"),
    Section("s", "Overige dienstverlening", "Other service activities"),
    Section("t", "Huishoudens als werkgever", "Activities of households as employers"),
    Section(
        "u",
        "Extraterritoriale organisaties en lichamen",
        "Extraterritorial organisations and bodies",
    ),
)

BY_CODE = {s.code: s for s in SECTIONS}


def section(code: str | None) -> Section | None:
    return BY_CODE.get((code or "").strip().lower())
