"""``coop report render TOKEN --out FILE``: render one report in this process, for debugging.

Registered by the host's CLI (``main.add_command(report)``). It reads the scan through the
self-scan's repository (Piccolo's engine from ``PICCOLO_CONF``/``DATABASE_URL``), renders
without the pool and without the cache, and can write the HTML it laid out beside the PDF.
``--sample`` renders made-up answers without a database.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import click


@click.group("report")
def report() -> None:
    """The self-scan's PDF advice report."""


@report.command("render")
@click.argument("token", required=False)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the PDF.",
)
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the HTML that was laid out.",
)
@click.option("--sample", is_flag=True, help="Made-up answers instead of a stored scan.")
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default=None,
    help="With --sample: the language (a stored scan keeps its own).",
)
def render_command(
    token: str | None, out: Path, html_out: Path | None, sample: bool, lang: str | None
) -> None:
    """Render the report of the scan with link token TOKEN to --out.

    Put ``--`` before a token that starts with a hyphen: ``coop report render --out r.pdf --
    -abc...``."""
    from selfscan.report import render

    if sample:
        from selfscan.report.sample import sample_view

        html = render.render_html(sample_view(lang or "nl"))
    else:
        if not token:
            raise click.UsageError("give a TOKEN, or --sample")
        html = asyncio.run(_html_of(token))
    started = time.perf_counter()
    pdf = render.html_to_pdf(html)
    elapsed = (time.perf_counter() - started) * 1000
    out.write_bytes(pdf)
    if html_out:
        html_out.write_text(html, "utf-8")
    click.echo(f"{out}: {len(pdf):,} bytes, rendered in {elapsed:.0f} ms")


async def _html_of(token: str) -> str:
    from selfscan.errors import SelfscanError
    from selfscan.report import jobs, service
    from selfscan.scans import repository
    from selfscan.scans import service as scans

    scan = await repository.find(token)
    if scan is None:
        click.echo("report: no scan with this token (unknown or expired)", err=True)
        sys.exit(1)
    from selfscan.scans.config import STATE_KEY, SelfscanConfig

    default = os.environ.get("DEFAULT_TENANT") or "coop"
    host = SimpleNamespace(state={STATE_KEY: SelfscanConfig(default_tenant=default)})
    try:
        tenant = await scans.tenant(host, scan.tenant_slug)
        brand, _ = await service.brand_for(host, tenant)
        job = service.job_for(scan, brand)
    except SelfscanError as exc:
        click.echo(f"report: {exc.detail_in('en')}", err=True)
        sys.exit(1)
    return jobs.job_html(job)
