"""Demo data for a first look at the service. Idempotent: running it twice adds nothing.

Each app contributes a loader; a loader returns the lines to print about what it made
(or found already there).
"""

from __future__ import annotations

from coop.settings import Settings


async def load(settings: Settings) -> list[str]:
    from coop.accounts import demo as accounts
    from coop.members import demo as members
    from selfscan.scans import demo as scans

    lines: list[str] = []
    lines.extend(await accounts.load())
    lines.extend(await members.load())
    lines.extend(await scans.load(settings.default_tenant, "Coöperatie Inclusief Werk"))
    lines.append(f"Demo ready at {settings.base_url}/ (self-scan: {settings.base_url}/scan)")
    return lines
