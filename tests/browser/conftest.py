"""Browser tests: the real server in a subprocess, driven by Debian's Chromium.

Every test here carries ``@pytest.mark.browser``; run them with
``pytest -m browser tests/browser`` (the default run deselects them). Chromium
comes from Debian (``apt-get install chromium``); Playwright's own browser download is
never used. Set ``CHROMIUM`` to use another binary.

Fixtures:
  live_server  the base URL of ``coop serve`` on a free port, with a fresh migrated
               SQLite database (session)
  browser      a headless Chromium (session)
  page         a fresh browser context and page, 1280x900, per test
  axe          ``await axe(page)``: axe-core's WCAG 2.1 A/AA violations on the page
               (``await axe(page, tags=[...])`` for other rule tags); ``.report()``
               lists them for the assertion message
The browser fixtures use Playwright's async API: write browser tests as ``async def``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the networking flags Chromium tries to reach the internet and slows down.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
START_TIMEOUT_S = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _coop_command() -> list[str]:
    """The installed ``coop`` command of this interpreter's environment."""
    installed = Path(sys.executable).parent / "coop"
    if installed.exists():
        return [str(installed)]
    return [sys.executable, "-m", "coop.cli"]


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"coop serve stopped ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/health/ready", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"coop serve not ready after {START_TIMEOUT_S:.0f}s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``coop demo`` (migrate and the demo accounts) and ``coop serve`` on a fresh SQLite
    file; yields the base URL."""
    workdir = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = {
        **os.environ,
        "COOP_ENV": "test",
        "DATABASE_URL": f"sqlite:///{workdir / 'coop.sqlite'}",
        "BASE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
    }
    command = _coop_command()
    migrate = subprocess.run(
        [*command, "demo"], cwd=workdir, env=env, capture_output=True, text=True, check=False
    )
    assert migrate.returncode == 0, f"coop demo failed:\n{migrate.stdout}{migrate.stderr}"

    log = workdir / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    """Playwright's async API, so it shares pytest-asyncio's event loop (the sync API
    keeps a loop of its own running, which breaks every async fixture after it)."""
    if not Path(CHROMIUM).exists():
        message = (
            f"no Chromium at {CHROMIUM}: apt-get install chromium (never `playwright install`)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        # launch() gives every run a fresh, temporary user-data dir.
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def page(browser: Any) -> AsyncIterator[Any]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    try:
        yield page
    finally:
        await context.close()


class Violations(list[dict[str, Any]]):
    """axe-core's violations; ``report()`` lists them readably for an assertion."""

    def report(self) -> str:
        lines = []
        for violation in self:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(
                f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '')}"
                for node in violation["nodes"]
            )
        return "\n".join(lines)


@pytest.fixture(scope="session")
def axe() -> Callable[..., Awaitable[Violations]]:
    """``await axe(page)`` -> the violations of WCAG 2.1 A and AA on the loaded page."""
    from axe_playwright_python.async_playwright import Axe

    runner = Axe()

    async def run(page: Any, tags: list[str] | None = None) -> Violations:
        options = {
            "runOnly": {"type": "tag", "values": tags or WCAG_TAGS},
            "resultTypes": ["violations"],
        }
        results = await runner.run(page, options=options)
        return Violations(results.response["violations"])

    return run
