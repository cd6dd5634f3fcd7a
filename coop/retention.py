"""``coop retention run``: erase what has outlived its retention period.

- Leads older than their tenant's ``lead_retention_months`` (default 12), with their
  contact details and consent record.
- Scans whose life is over: a scan with a lead lives as long as the lead, any other scan
  30 days (the life of its link). An unfinished scan is deleted; a completed one loses its
  link, its answers and its exact size, and stays only as the anonymous figures that the
  WSP dashboards and the peer comparison count.
- Cached PDF reports of scans that no longer have a link (the report cache's own prune).
- Participants who left longer ago than their retention period: anonymised by
  :mod:`coop.participants` (identity and support needs go, what the monitor counts stays).

Meant for a daily cron job; safe to repeat, and safe beside a running service (one write
transaction). Prints what it erased, never whose.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

import click


async def run(when: datetime | None = None, *, report_dir: Path | None = None) -> list[str]:
    """Erase what is due at ``when`` (now by default); returns the lines to print.
    ``report_dir`` is the report cache (default ``data/reports``, as the service uses)."""
    from selfscan.tenants.leads import repository

    erased = await repository.erase_expired(when)
    lines = [f"Leads erased: {erased.leads}."]
    for slug, count in sorted(erased.per_tenant.items()):
        lines.append(f"  {slug}: {count}")
    lines.append(
        f"Scans erased: {erased.total_scans} ({erased.drafts} unfinished deleted; "
        f"{erased.scans} completed kept only as anonymous figures, without link or answers)."
    )
    lines.append(await _prune_reports(when, report_dir))
    lines.append(await _participants(when))
    return lines


async def _participants(when: datetime | None) -> str:
    """Participants who left longer ago than their period are anonymised by their own app
    (:func:`coop.participants.repository.run_retention`)."""
    from coop.participants import repository as participants

    done = await participants.run_retention(on=None if when is None else when.date())
    return (
        f"Participants anonymised: {len(done.anonymised)} "
        f"(left on or before {done.cutoff.isoformat()})."
    )


async def _prune_reports(when: datetime | None, directory: Path | None) -> str:
    """The report cache's own prune: reports of scans that no longer exist, of an old
    template, or older than its maximum age. Only the cache can tell which file belongs to
    which scan (it keeps a hash of the scan's token hash, never the token)."""
    from selfscan.report import cache
    from selfscan.tenants.leads import repository

    prune: Any = getattr(cache, "prune", None)
    if prune is None:  # an older report module: nothing to do here
        return "Report cache: no prune function available; nothing removed."
    live = await repository.live_token_hashes()
    folder = directory or cache.DEFAULT_DIR
    now = None if when is None else when.timestamp()
    done = await asyncio.to_thread(prune, folder, live_scans=live, now=now)
    return f"Report cache: {done.removed} file(s) removed, {done.kept} kept."


@click.group("retention")
def retention() -> None:
    """Erasing data past its retention period."""


@retention.command("run")
def run_command() -> None:
    """Erase leads past their tenant's retention period and scans past their life."""
    # Imported here: coop.cli imports this module to register the group.
    from coop.cli import fail, load_settings

    settings = load_settings()

    async def go() -> list[str]:
        from coop import db

        db.use_engine(db.engine_from_url(settings.database_url))
        async with db.pool(db.engine()):
            return await run()

    try:
        lines = asyncio.run(go())
    except OSError as exc:
        fail(f"cannot reach the database ({type(exc).__name__}: {exc})")
        return
    for line in lines:
        click.echo(line)
