"""The few texts the self-scan makes in Python, in Dutch and English.

Templates translate their own texts through the host's message catalogue; these are the
ones made in code (form errors, band and size-class names, chart legends, SBI sections),
so the self-scan brings them itself and works in any host.
"""

from __future__ import annotations

from selfscan.model import Text

BANDS = {
    "low": Text(nl="laag", en="low"),
    "middle": Text(nl="midden", en="middle"),
    "high": Text(nl="hoog", en="high"),
}

SIZE_CLASSES = {
    "micro": Text(nl="minder dan 10 medewerkers", en="fewer than 10 employees"),
    "small": Text(nl="10 tot 50 medewerkers", en="10 to 49 employees"),
    "medium": Text(nl="50 tot 250 medewerkers", en="50 to 249 employees"),
    "large": Text(nl="250 medewerkers of meer", en="250 employees or more"),
}

CHART_OWN = Text(nl="Uw organisatie", en="Your organisation")
CHART_PEERS = Text(
    nl="Gemiddelde van vergelijkbare organisaties", en="Average of similar organisations"
)
CHART_RADAR_TITLE = Text(
    nl="Uw scores per thema, van 0 tot 100", en="Your scores per theme, from 0 to 100"
)
CHART_BARS_TITLE = CHART_RADAR_TITLE
CHART_BAR_TITLE = Text(nl="Score voor {theme}", en="Score for {theme}")

# --- form errors ---------------------------------------------------------------------------

ANSWER_MISSING = Text(nl="Beantwoord deze vraag.", en="Answer this question.")
ANSWER_INVALID = Text(
    nl="Dit antwoord hoort niet bij deze vraag. Kies een van de antwoorden.",
    en="This answer does not belong to this question. Choose one of the answers.",
)
WHOLE_NUMBER = Text(
    nl="Vul een heel getal in, zonder punten of letters. Bijvoorbeeld: 45.",
    en="Enter a whole number, without dots or letters. For example: 45.",
)
NOT_NEGATIVE = Text(
    nl="Het getal kan niet kleiner zijn dan 0.", en="The number cannot be less than 0."
)
TOO_LARGE = Text(
    nl="Dit getal is te groot. Controleer het nog eens.",
    en="This number is too large. Please check it.",
)
SECTOR_INVALID = Text(nl="Kies een sector uit de lijst.", en="Choose a sector from the list.")

# --- SBI sections (Standaard Bedrijfsindeling, CBS) ----------------------------------------

SECTORS: dict[str, Text] = {
    "A": Text(nl="Landbouw, bosbouw en visserij", en="Agriculture, forestry and fishing"),
    "B": Text(nl="Delfstoffenwinning", en="Mining and quarrying"),
    "C": Text(nl="Industrie", en="Manufacturing"),
    "D": Text(nl="Energievoorziening", en="Electricity and gas supply"),
    "E": Text(nl="Waterbedrijven en afvalbeheer", en="Water supply, sewerage and waste management"),
    "F": Text(nl="Bouwnijverheid", en="Construction"),
    "G": Text(nl="Handel", en="Wholesale and retail trade"),
    "H": Text(nl="Vervoer en opslag", en="Transport and storage"),
    "I": Text(nl="Logies-, maaltijd- en drankverstrekking", en="Accommodation and food service"),
    "J": Text(nl="Informatie en communicatie", en="Information and communication"),
    "K": Text(nl="Financiële dienstverlening", en="Financial services"),
    "L": Text(nl="Verhuur van en handel in onroerend goed", en="Real estate"),
    "M": Text(
        nl="Specialistische zakelijke diensten",
        en="Professional, scientific and technical services",
    ),
    "N": Text(
        nl="Verhuur en overige zakelijke diensten",
        en="Rental and other business services",
    ),
    "O": Text(
        nl="Openbaar bestuur en overheidsdiensten",
        en="Public administration and government services",
    ),
    "P": Text(nl="Onderwijs", en="Education"),
    "Q": Text(nl="Gezondheids- en welzijnszorg", en="Health and social care"),
    "R": Text(nl="Cultuur, sport en recreatie", en="Culture, sports and recreation"),
    "S": Text(nl="Overige dienstverlening", en="Other services"),
    "T": Text(nl="Huishoudens als werkgever", en="Households as employers"),
    "U": Text(nl="Extraterritoriale organisaties", en="Extraterritorial organisations"),
}
