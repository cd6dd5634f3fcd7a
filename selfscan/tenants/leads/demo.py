"""Demo data for a WSP's dashboard: a year of completed scans and a few leads in every
status, for the demo tenant. Idempotent: a tenant that has leads already gets nothing.
No mail is written for demo leads.
"""

from __future__ import annotations

import random
from datetime import timedelta

from selfscan import questionnaires, scoring
from selfscan.model import OrganisationProfile
from selfscan.scans import repository as scans
from selfscan.scans.demo import _pick
from selfscan.tenants.leads import repository, rules
from selfscan.tenants.leads.rules import ContactRequest, LeadUpdate
from selfscan.tenants.leads.tables import Lead

SEED = 20261123
SOURCE = "demo-wsp"
SCANS = 60
LEADS = [
    ("Bouwbedrijf Van Dam", "Karin van Dam", "nieuw", ""),
    ("Zorggroep De Linde", "Mohamed El Amrani", "nieuw", ""),
    ("Drukkerij De Pers", "Joost de Wit", "benaderd", "Gebeld; afspraak op het bedrijf gepland."),
    ("Hotel De Zeven Zeeën", "Sanne de Boer", "benaderd", "Mail gestuurd met uitleg over LKS."),
    ("Gemeente Demostad", "Pieter Bakker", "afgerond", "Proefplaatsing gestart."),
]


async def _result(rng: random.Random, readiness: float):  # type: ignore[no-untyped-def]
    questionnaire = questionnaires.current()
    answers = {}
    for theme in questionnaire.themes:
        level = min(1.0, max(0.0, readiness + rng.gauss(0, 0.15)))
        for question in theme.questions:
            answers[question.id] = _pick(question, level, rng)
    return scoring.score(questionnaire, answers)


async def _nothing(_created: repository.Created) -> None:
    return None


async def load(slug: str) -> list[str]:
    tenant = await repository.tenant(slug, active_only=False)
    if tenant is None:
        return [f"Leads: no tenant {slug}; no demo leads."]
    if await Lead.exists().where(Lead.tenant == tenant.id):
        return [f"Leads: {slug} had its demo leads already."]
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    now = scans.now()
    rows = []
    for _ in range(SCANS):
        result = await _result(rng, rng.betavariate(2.2, 2.4))
        when = now - timedelta(days=rng.randint(0, 360), minutes=rng.randint(0, 600))
        profile = OrganisationProfile(employees=rng.randint(3, 400))
        rows.append((tenant.id, result, profile, "nl", when))
    made = await scans.insert_completed(rows, source=SOURCE, link_days=30)
    for number, (organisation, name, status, note) in enumerate(LEADS):
        when = now - timedelta(days=3 + number * 9)
        result = await _result(rng, 0.35 + 0.1 * number)
        token, _ = await scans.create_completed(
            tenant_id=tenant.id,
            result=result,
            profile=OrganisationProfile(employees=rng.randint(10, 200)),
            lang="nl",
            source=SOURCE,
            link_days=30,
            when=when,
        )
        scan = await scans.find(token, when=when)
        assert scan is not None
        email = name.lower().replace(" ", ".") + "@demo.example"
        created = await repository.create(
            tenant=tenant,
            scan_id=scan.id,
            scan_token=token,
            request=ContactRequest(
                organisation=organisation,
                contact_name=name,
                email=email,
                phone="06 12345678",
                question="Wij willen graag weten hoe een proefplaatsing werkt.",
            ),
            lang="nl",
            then=_nothing,
            when=when,
        )
        if created is not None and status != rules.NEW:
            await repository.update(
                tenant.id, created.lead_id, LeadUpdate(status=status, note=note), when=when
            )
    return [f"Leads: {made + len(LEADS)} demo scans and {len(LEADS)} demo leads for {slug}."]
