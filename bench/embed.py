"""First paint of the self-scan embedded in a WSP's page against the scan on its own.

Run from the repository root (needs Debian's Chromium at /usr/bin/chromium)::

    .venv/bin/python bench/embed.py [--runs N]

It makes a temporary directory, runs ``coop demo`` there (the demo tenant ``wsp-demo`` may
be embedded from http://127.0.0.1:8001), starts ``coop serve`` on a free port and a plain
host page with the WSP's snippet on 127.0.0.1:8001 (another origin), and loads in Chromium,
in a fresh browser context each time (empty cache, like a first visit):

- **own**: ``/scan/wsp-demo`` on its own: first contentful paint (FCP) after navigation start;
- **embedded**: the host page: the host page's own FCP, and the FCP of the scan inside the
  frame measured from the host page's navigation start (the frame's ``timeOrigin`` + its FCP
  − the host's ``timeOrigin``): what a visitor of the WSP's site waits for;
- the same two again in one context with a warm cache (the second visit).

Prints the median and the 90th percentile in milliseconds. Both servers are stopped on the
way out, also on Ctrl-C.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package (this folder comes first
# on sys.path); take the folder off before the other imports.
# ruff: noqa: E402
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse
import asyncio
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOST_PORT = 8001  # one of wsp-demo's allowed origins in `coop demo`
FCP = """() => new Promise(resolve => {
  const done = () => {
    const e = performance.getEntriesByName("first-contentful-paint")[0];
    if (e) { resolve({fcp: e.startTime, origin: performance.timeOrigin}); return true; }
    return false;
  };
  if (!done()) {
    new PerformanceObserver(() => done()).observe({type: "paint", buffered: true});
  }
})"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def coop() -> list[str]:
    installed = Path(sys.executable).parent / "coop"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "coop.cli"]


def host_server(page: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page.encode())

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a page closed while its answer was on the way: not worth a traceback

    server = Server(("127.0.0.1", HOST_PORT), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def wait_ready(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url + "/health/ready", timeout=2) as r:
                if r.status == 200:
                    return
        time.sleep(0.2)
    raise SystemExit("coop serve did not become ready")


async def own_fcp(context, base: str) -> float:  # type: ignore[no-untyped-def]
    page = await context.new_page()
    await page.goto(base + "/scan/wsp-demo")
    found = await page.evaluate(FCP)
    await page.close()
    return found["fcp"]


async def embedded_fcp(context, host: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    page = await context.new_page()
    await page.goto(host + "/")
    outer = await page.evaluate(FCP)
    handle = await page.wait_for_selector('iframe[data-coop-selfscan="wsp-demo"]')
    frame = await handle.content_frame()
    await frame.wait_for_selector("h1")
    inner = await frame.evaluate(FCP)
    await page.close()
    return outer["fcp"], inner["origin"] + inner["fcp"] - outer["origin"]


def summary(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]
    return f"median {statistics.median(values):7.1f}   p90 {p90:7.1f}"


async def measure(base: str, host: str, runs: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        own_cold, host_cold, frame_cold = [], [], []
        own_warm, host_warm, frame_warm = [], [], []
        # One throw-away round, so the server's first renders (template compilation) do
        # not count for whichever is measured first.
        warmup = await browser.new_context()
        await own_fcp(warmup, base)
        await embedded_fcp(warmup, host)
        await warmup.close()
        for _ in range(runs):
            # Alternate the order, so neither always follows the other.
            for kind in ("own", "embedded") if _ % 2 == 0 else ("embedded", "own"):
                context = await browser.new_context()
                if kind == "own":
                    own_cold.append(await own_fcp(context, base))
                    own_warm.append(await own_fcp(context, base))
                else:
                    outer, inner = await embedded_fcp(context, host)
                    host_cold.append(outer)
                    frame_cold.append(inner)
                    outer, inner = await embedded_fcp(context, host)
                    host_warm.append(outer)
                    frame_warm.append(inner)
                await context.close()
        await browser.close()
    print(f"first contentful paint, ms, {runs} runs each (Chromium {CHROMIUM})")
    print(f"  scan on its own        cold  {summary(own_cold)}")
    print(f"  host page itself       cold  {summary(host_cold)}")
    print(f"  scan in the host page  cold  {summary(frame_cold)}")
    print(f"  scan on its own        warm  {summary(own_warm)}")
    print(f"  host page itself       warm  {summary(host_warm)}")
    print(f"  scan in the host page  warm  {summary(frame_warm)}")
    extra = statistics.median(frame_cold) - statistics.median(own_cold)
    print(f"embedded minus own (cold, medians): {extra:+.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="coop-bench-embed-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "COOP_ENV": "development",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite'}",
        "BASE_URL": base,
        "RATE_LIMIT_PER_MINUTE": "0",
        "LOG_LEVEL": "WARNING",
    }
    server = None
    process = None
    try:
        subprocess.run([*coop(), "demo"], cwd=workdir, env=env, check=True, capture_output=True)
        process = subprocess.Popen(
            [*coop(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=workdir,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_ready(base)
        page = (
            '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
            "<title>WSP Demo-regio</title></head><body><h1>Werkgeversservicepunt Demo-regio</h1>"
            f'<script src="{base}/embed.js" data-wsp="wsp-demo" async></script>'
            "</body></html>"
        )
        server = host_server(page)
        asyncio.run(measure(base, f"http://127.0.0.1:{HOST_PORT}", args.runs))
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        if process is not None:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            if process.poll() is None:
                process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
