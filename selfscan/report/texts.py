"""Every text the report prints besides the advice itself, in Dutch and English.

Bilingual :class:`~selfscan.model.Text` structs rather than the host's message catalogue:
the self-scan imports nothing from ``coop`` (so it runs embedded in another host), the
report is rendered in a worker process that has no request and no locale, and a report's
language is the scan's, not the visitor's. The template gets them already in the scan's
language as ``t.<name>``. Figures are placeholders (``{lkv_hourly}``) filled from the year's
rules by :func:`selfscan.advice.placeholder_values`, never typed here.
"""

from __future__ import annotations

from selfscan.model import Text

T: dict[str, Text] = {
    "report_title": Text(nl="Zelfscan inclusief werkgeverschap", en="Inclusive employer self-scan"),
    "report_subtitle": Text(
        nl="Adviesrapport over uw gereedheid voor de banenafspraak",
        en="Advice report on your readiness for the jobs agreement",
    ),
    "prepared_for": Text(nl="Opgesteld voor", en="Prepared for"),
    "your_organisation": Text(nl="Uw organisatie", en="Your organisation"),
    "offered_by": Text(nl="Aangeboden door", en="Offered by"),
    "date": Text(nl="Datum", en="Date"),
    "version": Text(nl="Vragenlijst", en="Questionnaire"),
    "figures_year": Text(nl="Bedragen en regels", en="Amounts and rules"),
    "contents": Text(nl="Inhoud", en="Contents"),
    "summary": Text(nl="Samenvatting", en="Summary"),
    "overall": Text(nl="Totaalscore", en="Overall score"),
    "of_100": Text(nl="van 100", en="out of 100"),
    "level": Text(nl="Niveau", en="Level"),
    "levels_intro": Text(
        nl="Oriënteren · Voorbereiden · Starten · Verankeren",
        en="Exploring · Preparing · Starting · Embedding",
    ),
    "scores_per_theme": Text(nl="Scores per thema", en="Scores per theme"),
    "priorities": Text(nl="Uw drie prioriteiten", en="Your three priorities"),
    "priorities_intro": Text(
        nl="Hier levert een stap de meeste winst op.",
        en="This is where a step gains you most.",
    ),
    "themes": Text(nl="Resultaten per thema", en="Results per theme"),
    "score": Text(nl="Score", en="Score"),
    "band": Text(nl="Beoordeling", en="Assessment"),
    "in_place": Text(nl="Wat al goed gaat", en="What is already in place"),
    "nothing_in_place": Text(
        nl="Op dit thema scoort nog geen antwoord hoog: hier valt het meest te winnen.",
        en="No answer on this theme scores high yet: this is where most can be gained.",
    ),
    "advice": Text(nl="Advies", en="Advice"),
    "first_steps": Text(nl="Eerste stappen", en="First steps"),
    "instruments_that_help": Text(nl="Wat daarbij helpt", en="What helps"),
    "priority_badge": Text(nl="Prioriteit", en="Priority"),
    "action_plan": Text(nl="Actieplan", en="Action plan"),
    "action_plan_intro": Text(
        nl="Uw prioriteiten omgezet in stappen. Vul per stap in wie hem oppakt en wanneer, "
        "en bespreek het plan met uw directie of met het werkgeversservicepunt.",
        en="Your priorities turned into steps. Fill in who takes each step and when, and "
        "discuss the plan with your board or with the employer service point.",
    ),
    "step": Text(nl="Stap", en="Step"),
    "who": Text(nl="Wie", en="Who"),
    "when": Text(nl="Wanneer", en="When"),
    "done": Text(nl="Klaar", en="Done"),
    "notes": Text(nl="Aantekeningen", en="Notes"),
    "instruments": Text(nl="Regelingen en bedragen {year}", en="Schemes and amounts {year}"),
    "instruments_intro": Text(
        nl="De regelingen die het werkgeven aan mensen uit de doelgroep lichter maken, met de "
        "bedragen van {year}. Bedragen veranderen per jaar; het werkgeversservicepunt weet "
        "wat op dit moment geldt.",
        en="The schemes that make employing people from the target group easier, with the "
        "amounts of {year}. Amounts change every year; the employer service point knows what "
        "applies today.",
    ),
    "instrument": Text(nl="Regeling", en="Scheme"),
    "what_it_is": Text(nl="Wat het is", en="What it is"),
    "key_figures": Text(nl="Kerncijfers", en="Key figures"),
    "quota": Text(nl="Indicatie quotumregeling", en="Quota indication"),
    "quota_indicative": Text(
        nl="Dit is een indicatie, geen besluit. UWV toetst per loonheffingennummer, op de "
        "verloonde uren zonder ingeleend personeel.",
        en="This is an indication, not a decision. UWV tests per payroll-tax number, on paid "
        "hours without hired-in staff.",
    ),
    "quota_hours": Text(nl="Verloonde uren per jaar", en="Paid hours a year"),
    "quota_hours_estimated": Text(nl="geschat", en="estimated"),
    "quota_threshold": Text(nl="Drempel", en="Threshold"),
    "quota_percent": Text(nl="Quotumpercentage", en="Quota percentage"),
    "quota_banen": Text(nl="Indicatief aantal banen", en="Indicative number of jobs"),
    "quota_not_applicable": Text(nl="niet van toepassing", en="not applicable"),
    "contact": Text(nl="Contact", en="Contact"),
    "phone": Text(nl="Telefoon", en="Phone"),
    "email": Text(nl="E-mail", en="Email"),
    "website": Text(nl="Website", en="Website"),
    "privacy": Text(
        nl="Hoe wij met uw gegevens omgaan, leest u in onze privacyverklaring:",
        en="How we handle your data is set out in our privacy statement:",
    ),
    "contact_intro": Text(
        nl="Wilt u een stap zetten? Het werkgeversservicepunt denkt kosteloos met u mee, "
        "helpt bij de regelingen en zoekt met u naar geschikte kandidaten.",
        en="Ready to take a step? The employer service point advises you free of charge, "
        "helps with the schemes and looks for suitable candidates with you.",
    ),
    "colophon": Text(nl="Verantwoording", en="About this report"),
    "method": Text(nl="Hoe de scores tot stand komen", en="How the scores are computed"),
    "method_text": Text(
        nl="De zelfscan heeft acht thema's met elk drie tot vijf vragen. Elk antwoord heeft "
        "een waarde van 0 (nog niet geregeld) tot 1 (helemaal geregeld). De score van een "
        "thema is het gemiddelde van de antwoorden, maal 100. De totaalscore is het gewogen "
        "gemiddelde van de thema's. Een thema onder de 40 is laag, van 40 tot en met 70 "
        "midden, boven de 70 hoog; de grenzen gelden voor de onafgeronde score. De "
        "prioriteiten zijn de thema's waar de volgende stap de totaalscore het meest verhoogt.",
        en="The self-scan has eight themes of three to five questions each. Every answer has "
        "a value from 0 (not arranged yet) to 1 (fully arranged). A theme's score is the mean "
        "of its answers, times 100. The overall score is the weighted mean of the themes. A "
        "theme below 40 is low, from 40 up to and including 70 middle, above 70 high; the "
        "limits apply to the unrounded score. The priorities are the themes where the next "
        "step raises the overall score most.",
    ),
    "sources": Text(nl="Bronnen", en="Sources"),
    "sources_text": Text(
        nl="Bedragen en regels komen uit de regelingen van {year}: minimumloon, "
        "loonkostensubsidie (Participatiewet), loonkostenvoordeel (Wet tegemoetkomingen "
        "loondomein), no-riskpolis en jobcoach (UWV), proefplaatsing, quotumregeling en de "
        "Wet banenafspraak.",
        en="Amounts and rules come from the schemes of {year}: minimum wage, wage-cost "
        "subsidy (Participation Act), wage-cost benefit (Wage Scheme Allowances Act), "
        "no-riskpolis and job coach (UWV), trial placement, the quota scheme and the Jobs "
        "Agreement Act.",
    ),
    "disclaimer": Text(nl="Voorbehoud", en="Disclaimer"),
    "disclaimer_text": Text(
        nl="Dit rapport is gemaakt op basis van uw eigen antwoorden en is bedoeld als "
        "hulpmiddel, niet als juridisch of financieel advies. Aan de bedragen en de indicatie "
        "van het quotum kunt u geen rechten ontlenen; de uitvoerders (UWV, gemeente, "
        "Belastingdienst) beslissen over elke aanvraag. Uw antwoorden beschrijven uw "
        "organisatie, niet personen.",
        en="This report is based on your own answers and is meant as an aid, not as legal "
        "or financial advice. No rights can be derived from the amounts or the quota "
        "indication; the agencies (UWV, the municipality, the tax authority) decide on every "
        "application. Your answers describe your organisation, not people.",
    ),
    "made_with": Text(
        nl="Gemaakt met de zelfscan van {brand} · vragenlijst {version} · {date}",
        en="Made with the self-scan of {brand} · questionnaire {version} · {date}",
    ),
    "page": Text(nl="pagina", en="page"),
    "of": Text(nl="van", en="of"),
    "logo_alt": Text(nl="Logo van {brand}", en="Logo of {brand}"),
}

#: The six instruments of the report's overview, each with its key figures in words.
INSTRUMENT_FIGURES: dict[str, Text] = {
    "lks": Text(
        nl="Tot {lks_max_share} van het minimumloon ({wml_hourly} per uur vanaf {wml_from}), "
        "plus {lks_allowance} voor werkgeverslasten.",
        en="Up to {lks_max_share} of the minimum wage ({wml_hourly} an hour from {wml_from}), "
        "plus {lks_allowance} for employer costs.",
    ),
    "lkv": Text(
        nl="{lkv_hourly} per verloond uur, tot {lkv_max_year} per jaar.",
        en="{lkv_hourly} per paid hour, up to {lkv_max_year} a year.",
    ),
    "no_riskpolis": Text(
        nl="De eerste {no_riskpolis_years} jaar van het dienstverband.",
        en="The first {no_riskpolis_years} years of employment.",
    ),
    "jobcoach": Text(
        nl="Interne jobcoach: {jobcoach_shares} van de uren; contract van minstens "
        "{jobcoach_min_hours} uur per week en {jobcoach_min_months} maanden.",
        en="Internal job coach: {jobcoach_shares} of the hours; a contract of at least "
        "{jobcoach_min_hours} hours a week and {jobcoach_min_months} months.",
    ),
    "proefplaatsing": Text(
        nl="Tot {proefplaatsing_months} maanden ({proefplaatsing_months_extended} op "
        "verzoek), met uitzicht op een contract van minstens "
        "{proefplaatsing_min_contract_months} maanden.",
        en="Up to {proefplaatsing_months} months ({proefplaatsing_months_extended} on "
        "request), with a contract of at least {proefplaatsing_min_contract_months} months "
        "in view.",
    ),
    "werkplekaanpassing": Text(
        nl="Vergoed door UWV: de goedkoopste passende oplossing. Vraag aan vóór de aankoop.",
        en="Paid by UWV: the cheapest adequate solution. Apply before you buy.",
    ),
}
