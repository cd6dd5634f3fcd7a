"""PDF report: the bare WeasyPrint render against the service's cold, warm and cached
downloads, and the pool's throughput, in one run.

Run from the repository root::

    .venv/bin/python bench/pdf.py [--rounds N] [--requests N] [--workers N]

It renders the sample report (selfscan.report.sample: 8 themes, every section) and prints:

1. **bare**: WeasyPrint alone on the same HTML in this process, as a newcomer would call it
   (``HTML(string).write_pdf(stylesheets=[CSS(string)], pdf_variant="pdf/ua-1")``, stylesheet
   parsed and fonts loaded every time), and the service's own in-process call
   (``render.html_to_pdf``: stylesheet and fonts kept per process); then where the time of
   one render goes (HTML, styles, layout, drawing and PDF writing, font subsetting backend).
2. **service**: the app in this process (fresh SQLite database in a temporary folder,
   httpx's ASGI transport, ``PDF_WORKERS`` workers): the cold download (first render of the
   first worker after start), warm downloads (cache misses on warm workers), cached downloads.
3. **throughput**: ``--requests`` cache misses (distinct scans), all at once, on the pool.

Aims (issue 7): a cache miss at most 1.1x the bare render; at least 5 reports a second on 2
cores with cache misses; a cached download under 5 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/http.py would shadow the standard library's http package: take this folder off.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != _HERE]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def timed(fn, rounds: int) -> list[float]:
    fn()
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def line(label: str, values: list[float]) -> float:
    median = statistics.median(values)
    print(f"  {label:<44} median {ms(median)}   min {ms(min(values))}")
    return median


def bare(rounds: int) -> tuple[float, float, int]:
    from weasyprint import CSS, HTML
    from weasyprint.text.ffi import harfbuzz_subset
    from weasyprint.text.fonts import FontConfiguration

    from selfscan.report import render
    from selfscan.report.fetcher import SafeFetcher
    from selfscan.report.sample import sample_view

    view = sample_view("nl")
    html = render.render_html(view)
    css_text = render._font_css() + (render.TEMPLATE_DIR / "report.css").read_text()
    base = render.TEMPLATE_DIR.as_uri() + "/"

    def bare_render() -> bytes:
        fonts = FontConfiguration()
        css = CSS(string=css_text, base_url=base, url_fetcher=SafeFetcher(), font_config=fonts)
        return HTML(string=html, base_url=base, url_fetcher=SafeFetcher()).write_pdf(
            stylesheets=[css], font_config=fonts, pdf_variant="pdf/ua-1"
        )

    import io

    import pypdf

    pages = len(pypdf.PdfReader(io.BytesIO(bare_render())).pages)
    print(f"\n1. Bare render of the sample report ({pages} pages, {len(html) // 1024} KB HTML)")
    b = line("bare WeasyPrint (CSS and fonts each time)", timed(bare_render, rounds))
    s = line(
        "render.html_to_pdf (CSS and fonts kept)", timed(lambda: render.html_to_pdf(html), rounds)
    )

    styles = render._styles()
    print("   where one render's time goes:")
    line(
        "view model (advice, charts) + Jinja HTML",
        timed(lambda: render.render_html(sample_view("nl")), rounds),
    )
    docs = []

    def layout():
        docs.append(
            HTML(string=html, base_url=base, url_fetcher=styles.fetcher).render(
                stylesheets=[styles.stylesheet],
                font_config=styles.font_config,
                pdf_tags=True,
                pdf_variant="pdf/ua-1",
            )
        )

    line("parse, style and layout (Document.render)", timed(layout, rounds))
    line(
        "draw, subset fonts, write (Document.write_pdf)",
        timed(lambda: docs[-1].write_pdf(pdf_variant="pdf/ua-1"), rounds),
    )
    backend = (
        "HarfBuzz (libharfbuzz-subset0)"
        if harfbuzz_subset
        else "fontTools (slow: apt-get install libharfbuzz-subset0)"
    )
    print(f"   font subsetting by: {backend}")
    return b, s, pages


async def service(rounds: int, requests: int, workers: int) -> dict[str, float]:
    import httpx

    folder = Path(tempfile.mkdtemp(prefix="coop-bench-pdf-"))
    os.environ.update(
        COOP_ENV="test",
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite",
        PDF_WORKERS=str(workers),
        RATE_LIMIT_PER_MINUTE="0",
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("PICCOLO_CONF", "coop.piccolo_conf")
    from coop import db
    from coop.app import create_app
    from coop.settings import from_env
    from selfscan.report import service as report_service
    from selfscan.report.sample import sample_answers
    from selfscan.scans import repository

    settings = from_env(data_dir=folder)
    db.use_engine(db.engine_from_url(settings.database_url))
    await db.migrate()
    await repository.ensure_tenant("coop", "Coöperatie Inclusief Werk")
    app = create_app(settings)
    app.state[report_service.STATE_KEY] = report_service.ReportConfig(
        workers=workers, cache_dir=str(folder / "reports")
    )
    figures: dict[str, float] = {}
    patterns = [tuple((i * 7 + k) % 4 for k in range(8)) for i in range(64)]
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:

            async def new_url(n: int) -> str:
                r = await c.post(
                    "/api/v1/selfscan/scans",
                    json={
                        "answers": sample_answers(patterns[n % len(patterns)]),
                        "organisation": {"employees": 30 + n},
                    },
                )
                assert r.status_code == 201, r.text
                return r.json()["report_url"].removeprefix("http://127.0.0.1:8000")

            async def get(url: str) -> float:
                started = time.perf_counter()
                r = await c.get(url)
                elapsed = time.perf_counter() - started
                assert r.status_code == 200, (r.status_code, r.text[:200])
                return elapsed

            # Let the workers start and warm up as they do after a deploy.
            runtime = report_service.runtime_of(app)
            await runtime.pool.run(__import__("selfscan.report.jobs").report.jobs.sleep_job, 0)
            print(f"\n2. The service ({workers} workers; httpx ASGI transport, SQLite)")
            urls = [await new_url(n) for n in range(rounds + 1)]
            figures["cold"] = line("cold: first download after start (miss)", [await get(urls[0])])
            warm = [await get(u) for u in urls[1:]]
            figures["warm"] = line("warm: cache miss on a warm worker", warm)
            cached = [await get(urls[1]) for _ in range(max(rounds, 20))]
            figures["cached"] = line("cached download (hit)", cached)

            print(f"\n3. Throughput: {requests} cache misses at once on {workers} workers")
            many = [await new_url(100 + n) for n in range(requests)]
            started = time.perf_counter()
            await asyncio.gather(*(get(u) for u in many))
            total = time.perf_counter() - started
            figures["throughput"] = requests / total
            print(
                f"  {requests} reports in {total:.2f} s: {figures['throughput']:.1f} reports/s"
                f" (cores: {os.cpu_count()})"
            )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    os.chdir(ROOT)
    load = os.getloadavg()[0]
    print(
        f"load average {load:.1f} on {os.cpu_count()} cores"
        + ("  (busy machine: figures are slower than on an idle one)" if load > 1 else "")
    )
    b, s, _ = bare(args.rounds)
    f = asyncio.run(service(args.rounds, args.requests, args.workers))
    print("\nAgainst the aims")
    print(f"  cache miss / bare render: {f['warm'] / b:.2f}x  (aim <= 1.1x)")
    print(f"  cache miss / in-process render.html_to_pdf: {f['warm'] / s:.2f}x  (the service's own")
    print("    overhead: database, pipe to the worker, cache write)")
    print(f"  throughput with misses:   {f['throughput']:.1f} reports/s  (aim >= 5 on 2 cores)")
    print(f"  cached download:          {f['cached'] * 1000:.1f} ms  (aim < 5 ms)")


if __name__ == "__main__":
    main()
