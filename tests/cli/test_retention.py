"""``coop retention run``: leads past their tenant's retention period, and scans past their
life, are erased; at a frozen moment, so the edges are exact. Both engines."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from coop import retention
from selfscan.scans import repository as scans
from selfscan.scans.tables import Scan
from selfscan.tenants.leads import repository as leads
from selfscan.tenants.leads.rules import ContactRequest
from selfscan.tenants.leads.tables import Lead
from tests import factories
from tests.scans import completed_scan

pytestmark = pytest.mark.usefixtures("migrated")

NOW = datetime(2027, 6, 15, 12, 0, tzinfo=UTC)
CONTACT = ContactRequest(organisation="Bakkerij", contact_name="Anna", email="anna@example.org")


async def nothing(_created) -> None:
    return None


async def scan_with_lead(slug: str, when: datetime) -> tuple[str, int]:
    """A scan completed at ``when`` with a lead left at the same moment."""
    tenant = await leads.tenant(slug)
    assert tenant is not None
    token, _ = await completed_scan(tenant_id=tenant.id, when=when)
    scan = await scans.find(token, when=when)
    assert scan is not None
    created = await leads.create(
        tenant=tenant,
        scan_id=scan.id,
        scan_token=token,
        request=CONTACT,
        lang="nl",
        then=nothing,
        when=when,
    )
    assert created is not None
    return token, created.lead_id


async def test_leads_and_scans_are_erased_exactly_when_their_time_is_over():
    await factories.tenant("wsp-a", "WSP A")  # the default: 12 months
    await factories.tenant("wsp-b", "WSP B", lead_retention_months=3)
    a_id = (await leads.tenant("wsp-a")).id

    await scan_with_lead("wsp-a", NOW - timedelta(days=366))
    a_recent_token, a_recent = await scan_with_lead("wsp-a", datetime(2026, 6, 16, tzinfo=UTC))
    await scan_with_lead("wsp-b", datetime(2027, 3, 14, tzinfo=UTC))
    b_recent_token, b_recent = await scan_with_lead("wsp-b", datetime(2027, 3, 16, tzinfo=UTC))
    lone_old, _ = await completed_scan(tenant_id=a_id, when=NOW - timedelta(days=31))
    lone_new, _ = await completed_scan(tenant_id=a_id, when=NOW - timedelta(days=29))

    lines = await retention.run(when=NOW)

    assert lines[0] == "Leads erased: 2."
    assert "  wsp-a: 1" in lines and "  wsp-b: 1" in lines
    assert any(
        line.startswith("Scans erased: 3 (0 unfinished deleted; 3 completed") for line in lines
    )
    assert {r["id"] for r in await Lead.select(Lead.id)} == {a_recent, b_recent}
    # A scan with a lead lives as long as its lead, well past a scan's own 30 days.
    assert await scans.find(a_recent_token, when=NOW) is not None
    assert await scans.find(b_recent_token, when=NOW) is not None
    assert await scans.find(lone_new, when=NOW) is not None
    # The others lost their link and answers for good, even if the clock went back; their
    # outcome stays as an anonymous figure for the dashboards.
    assert await scans.find(lone_old, when=NOW - timedelta(days=60)) is None
    assert await Scan.count() == 6
    gone = (
        await Scan.select(Scan.answers, Scan.employees, Scan.overall)
        .where(Scan.token_hash.like("-%"))
        .output(load_json=True)
    )
    assert len(gone) == 3
    assert all(r["answers"] == {} and r["employees"] is None for r in gone)
    assert all(r["overall"] is not None for r in gone)

    # Again at the same moment: nothing more to do.
    again = await retention.run(when=NOW)
    assert again[0] == "Leads erased: 0." and any(
        line.startswith("Scans erased: 0 ") for line in again
    )


async def test_an_unfinished_scan_is_deleted_after_its_30_days():
    tenant_id = await factories.tenant("wsp-a", "WSP A")
    await scans.create_draft(
        tenant_id=tenant_id,
        version="2026-1",
        lang="nl",
        link_days=30,
        when=NOW - timedelta(days=31),
    )
    lines = await retention.run(when=NOW)
    assert any(line.startswith("Scans erased: 1 (1 unfinished deleted") for line in lines)
    assert await Scan.count() == 0


async def test_a_withdrawn_lead_keeps_its_scan_until_the_lead_goes():
    await factories.tenant("wsp-a", "WSP A", lead_retention_months=2)
    token, lead_id = await scan_with_lead("wsp-a", NOW - timedelta(days=45))
    withdraw = await Lead.select(Lead.withdraw_hash).first()
    assert withdraw["withdraw_hash"]
    await Lead.update({Lead.withdrawn_at: NOW - timedelta(days=40)}).where(Lead.id == lead_id)

    assert (await retention.run(when=NOW))[0] == "Leads erased: 0."
    assert await scans.find(token, when=NOW) is not None
    later = NOW + timedelta(days=20)
    assert (await retention.run(when=later))[0] == "Leads erased: 1."
    assert await scans.find(token, when=later) is None
    assert await Lead.count() == 0


async def test_the_command_prints_what_it_did(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the command prunes ./data/reports

    def invoke():
        return CliRunner().invoke(retention.retention, ["run"], catch_exceptions=False)

    result = await asyncio.to_thread(invoke)
    assert result.exit_code == 0, result.output
    assert "Leads erased: 0." in result.output
    assert "Scans erased: 0 (" in result.output
    assert "Report cache:" in result.output
    assert "Participants anonymised: 0 (left on or before" in result.output


async def test_the_reports_of_erased_scans_leave_the_cache(tmp_path):
    from selfscan.report.cache import ReportCache, cache_key
    from selfscan.report.render import template_version
    from selfscan.scans import tokens

    await factories.tenant("wsp-a", "WSP A")
    a_id = (await leads.tenant("wsp-a")).id
    # The cache judges files by their real age, so this test runs at the real time.
    now = datetime.now(UTC)
    old, _ = await completed_scan(tenant_id=a_id, when=now - timedelta(days=31))
    new, _ = await completed_scan(tenant_id=a_id, when=now - timedelta(days=1))
    reports = ReportCache(tmp_path)
    keys = {}
    for token in (old, new):
        keys[token] = cache_key(tokens.hash_token(token), "2026-1", template_version(), "nl")
        reports.put(keys[token], b"%PDF-1.7 test")

    lines = await retention.run(when=now, report_dir=tmp_path)

    assert "Report cache: 1 file(s) removed, 1 kept." in lines
    assert reports.get(keys[old]) is None
    assert reports.get(keys[new]) == b"%PDF-1.7 test"
