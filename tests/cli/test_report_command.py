"""`coop report render TOKEN --out FILE` (the group lives in selfscan.report.commands)."""

from __future__ import annotations

import asyncio

import pypdf
from click.testing import CliRunner

from selfscan import questionnaires, scoring
from selfscan.model import OrganisationProfile
from selfscan.report.commands import report
from selfscan.report.sample import sample_answers
from selfscan.scans import repository
from tests import factories


async def test_render_writes_the_pdf_and_the_html_it_laid_out(migrated, tmp_path):
    tenant_id = await factories.tenant("wsp-test", "WSP Test <Regio>")
    result = scoring.score(questionnaires.current(), sample_answers())
    token, _ = await repository.create_completed(
        tenant_id=tenant_id,
        result=result,
        profile=OrganisationProfile(employees=12),
        lang="en",
        source="api",
        link_days=30,
    )
    out, html = tmp_path / "r.pdf", tmp_path / "r.html"
    outcome = await asyncio.to_thread(
        CliRunner().invoke,
        report,
        # "--" first: a token may start with "-".
        ["render", "--out", str(out), "--html", str(html), "--", token],
    )
    assert outcome.exit_code == 0, outcome.output
    assert out.read_bytes().startswith(b"%PDF")
    laid_out = html.read_text()
    assert '<html lang="en">' in laid_out and "WSP Test &lt;Regio&gt;" in laid_out
    assert len(pypdf.PdfReader(out).pages) >= 7


async def test_unknown_token_fails_with_a_message(migrated, tmp_path):
    outcome = await asyncio.to_thread(
        CliRunner().invoke, report, ["render", "x" * 32, "--out", str(tmp_path / "r.pdf")]
    )
    assert outcome.exit_code == 1
    assert "no scan" in outcome.output


def test_sample_needs_no_database(tmp_path):
    outcome = CliRunner().invoke(
        report, ["render", "--sample", "--lang", "nl", "--out", str(tmp_path / "s.pdf")]
    )
    assert outcome.exit_code == 0, outcome.output
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
