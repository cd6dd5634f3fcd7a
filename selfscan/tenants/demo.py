"""Demo tenants for development: two WSPs besides the cooperative's own, with a logo,
colours, contact and the origins a local host page can embed from (http://127.0.0.1:8001
and http://localhost:8001). Idempotent: a tenant that exists keeps what was set, except
that branding still missing is filled in.
"""

from __future__ import annotations

from typing import Any

from selfscan.tenants import logos, repository
from selfscan.tenants.schemas import TenantBasics, TenantSettings

LOCAL_ORIGINS = ["http://127.0.0.1:8001", "http://localhost:8001"]


def _logo(initials: str, colour: str, name: str) -> bytes:
    svg = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 64" width="240" height="64">
<title>{name}</title>
<rect x="0" y="0" width="64" height="64" rx="12" fill="{colour}"/>
<text x="32" y="42" text-anchor="middle" font-family="Arial, sans-serif" font-size="26"
 font-weight="700" fill="#ffffff">{initials}</text>
<text x="76" y="30" font-family="Arial, sans-serif" font-size="18" font-weight="700"
 fill="#1b1b1b">Werkgevers</text>
<text x="76" y="52" font-family="Arial, sans-serif" font-size="18" fill="#1b1b1b">servicepunt</text>
</svg>"""
    clean, _type = logos.check(svg.encode())
    return clean


DEMO_TENANTS: list[dict[str, Any]] = [
    {
        "slug": "wsp-demo",
        "name": "Werkgeversservicepunt Demo-regio",
        "region": "AM02",
        "initials": "DR",
        "primary": "#5b2a86",
        "secondary": "#a0226f",
        "contact": ("Dewi de Vries", "werkgevers@wsp-demo.test", "058 123 45 67"),
    },
    {
        "slug": "wsp-rijnmond",
        "name": "Werkgeversservicepunt Rijnmond",
        "region": "AM22",
        "initials": "RM",
        "primary": "#00584d",
        "secondary": "#b3450f",
        "contact": ("Rachid Bouzid", "werkgevers@wsp-rijnmond.test", "010 765 43 21"),
    },
]


def _settings(spec: dict[str, Any]) -> TenantSettings:
    name = spec["name"]
    contact_name, contact_email, phone = spec["contact"]
    return TenantSettings(
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=phone,
        lead_email=f"leads@{spec['slug']}.test",
        privacy_url=f"https://www.{spec['slug']}.test/privacy",
        consent_text=(
            f"Ja, {name} mag contact met mij opnemen over de uitkomst van deze scan. "
            f"Daarvoor bewaart {name} mijn gegevens en de scan, tot ik mijn toestemming "
            "intrek of uiterlijk 12 maanden."
        ),
        primary_colour=spec["primary"],
        secondary_colour=spec["secondary"],
        allowed_origins=LOCAL_ORIGINS,
    )


async def load(base_url: str, default_tenant: str = "coop") -> list[str]:
    lines = ["Demo WSP tenants (embed them from a page on http://127.0.0.1:8001):"]
    for spec in DEMO_TENANTS:
        found = await repository.by_slug(spec["slug"])
        if found is None:
            basics = TenantBasics(slug=spec["slug"], name=spec["name"], region_code=spec["region"])
            await repository.create(basics, _settings(spec).consent_text)
            found = await repository.by_slug(spec["slug"])
            assert found is not None
        if not found["allowed_origins"] and not found["logo_type"]:
            await repository.update_basics(
                spec["slug"],
                TenantBasics(slug=spec["slug"], name=found["name"], region_code=spec["region"]),
            )
            await repository.update_settings(spec["slug"], _settings(spec))
            logo = _logo(spec["initials"], spec["primary"], spec["name"])
            await repository.set_logo(spec["slug"], logo, logos.SVG)
        lines.append(f"  {spec['name']}: {base_url.rstrip('/')}/scan/{spec['slug']}")
    own = await repository.by_slug(default_tenant)
    if own is not None and not own["contact_email"]:
        await repository.update_settings(
            default_tenant,
            TenantSettings(
                contact_name="Team Werkgevers",
                contact_email="werkgevers@demo.coop.test",
                contact_phone="050 123 45 67",
                lead_email="leads@demo.coop.test",
                privacy_url="https://www.coop-inclusiefwerk.test/privacy",
                consent_text=own["consent_text"] or _settings(DEMO_TENANTS[0]).consent_text,
                primary_colour=own["primary_colour"],
                secondary_colour=own["secondary_colour"],
                allowed_origins=LOCAL_ORIGINS,
            ),
        )
    return lines
