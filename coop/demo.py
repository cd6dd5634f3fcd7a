"""Demo data for a first look at the service. Idempotent: running it twice adds nothing.

Each app contributes a loader; a loader returns the lines to print about what it made
(or found already there).
"""

from __future__ import annotations

from coop.settings import Settings


async def load(settings: Settings) -> list[str]:
    from coop.accounts import demo as accounts
    from coop.allocation import demo as allocation
    from coop.members import demo as members
    from coop.participants import demo as participants
    from coop.work import demo as work
    from selfscan.scans import demo as scans
    from selfscan.tenants import demo as tenants
    from selfscan.tenants.leads import demo as leads

    lines: list[str] = []
    # Before the accounts: the demo WSP user belongs to the tenant "wsp-demo" made here.
    lines.extend(await tenants.load(settings.base_url, settings.default_tenant))
    lines.extend(await accounts.load())
    lines.extend(await members.load())
    lines.extend(await participants.load())
    lines.extend(await work.load())
    lines.extend(await allocation.load())  # after participants and work: it uses both
    lines.extend(await scans.load(settings.default_tenant, "Coöperatie Inclusief Werk"))
    lines.extend(await leads.load("wsp-demo"))  # the demo WSP user's dashboard and leads
    lines.append(f"Demo ready at {settings.base_url}/ (self-scan: {settings.base_url}/scan)")
    return lines
