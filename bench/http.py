"""HTTP throughput of the service against a bare Litestar app, in one run.

Run from the repository root::

    .venv/bin/python bench/http.py [--seconds N] [--connections C]

It makes a temporary directory, migrates a fresh SQLite database there, starts
``coop serve`` and a bare Litestar app with one JSON route (both under uvicorn, one
worker, the same uvicorn options), loads each URL with the same generator and settings,
and prints requests per second as ratios to the bare route. Both servers are stopped
on the way out, also on Ctrl-C. See bench/README.md for what the figures mean.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is called http.py and Python puts its folder first on sys.path, where it would
# shadow the standard library's http package (urllib needs it). Take it off before the
# other imports, hence the file-wide E402 exemption.
# ruff: noqa: E402
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
# The benchmark is one client sending far more than any real limit allows; 0 turns the
# limit off (refused in production), so its bookkeeping does not skew the figures.
RATE_LIMIT = "0"

# Same uvicorn options as ``coop serve`` (coop/cli.py) where they apply to a bare app.
BARE_APP = textwrap.dedent(
    """
    import sys

    import uvicorn
    from litestar import Litestar, get


    @get("/", sync_to_thread=False)
    def index() -> dict[str, str]:
        return {"status": "ok"}


    app = Litestar(route_handlers=[index])

    if __name__ == "__main__":
        uvicorn.run(
            app,
            host=sys.argv[1],
            port=int(sys.argv[2]),
            workers=1,
            access_log=False,
            log_level="warning",
            proxy_headers=True,
            server_header=False,
            forwarded_allow_ips="127.0.0.1",
        )
    """
)

# wrk calls done() once at the end; print one JSON line we can parse (times in µs).
WRK_SCRIPT = textwrap.dedent(
    """
    done = function(summary, latency, requests)
      local e = summary.errors
      io.write(string.format(
        '\\nBENCH_JSON {"requests": %d, "duration_us": %d, "mean_us": %f, '
        .. '"p99_us": %f, "connect": %d, "read": %d, "write": %d, "status": %d, '
        .. '"timeout": %d}\\n',
        summary.requests, summary.duration, latency.mean, latency:percentile(99),
        e.connect, e.read, e.write, e.status, e.timeout))
    end
    """
)


@dataclass
class Result:
    requests: int
    seconds: float
    mean_ms: float | None
    p99_ms: float | None
    errors: int  # socket errors and timeouts
    bad_status: int  # responses outside 2xx/3xx

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Target:
    name: str
    url: str
    results: list[Result] = field(default_factory=list)

    def median(self) -> Result:
        ordered = sorted(self.results, key=lambda r: r.rps)
        return ordered[len(ordered) // 2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def coop_command() -> list[str]:
    script = Path(sys.executable).with_name("coop")
    if script.exists():
        return [str(script)]
    found = shutil.which("coop")
    return [found] if found else [sys.executable, "-m", "coop.cli"]


class Server:
    """A child process in its own session, so Ctrl-C reaches us and we stop it in order."""

    def __init__(self, name: str, argv: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.name = name
        self.log_path = cwd / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log_lines(self) -> int:
        self._log.flush()
        with self.log_path.open("rb") as handle:
            return sum(1 for _ in handle)

    def log_tail(self, lines: int = 20) -> str:
        self._log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def wait_ready(self, url: str) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(
                    f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            with contextlib.suppress(OSError):
                status, _ = fetch(url, timeout=1.0)
                if status == 200:
                    return
            time.sleep(0.1)
        raise SystemExit(
            f"{self.name} did not answer 200 on {url} within "
            f"{STARTUP_TIMEOUT_S:.0f}s:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._log.close()


# --- load generators -----------------------------------------------------------------


def run_wrk(wrk: str, script: Path, url: str, seconds: float, connections: int) -> Result:
    argv = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
        url,
    ]
    out = subprocess.run(argv, capture_output=True, text=True, check=False)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if out.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        mean_ms=data["mean_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        bad_status=data["status"],
    )


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    chunked = False
    for raw in lines[1:]:
        name, _, value = raw.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def _python_load(url: str, seconds: float, connections: int) -> Result:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host, port = parts.hostname or HOST, parts.port or 80
    request = (
        f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: */*\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    counts = {"errors": 0, "bad": 0}
    start = time.perf_counter()
    deadline = start + seconds

    async def worker() -> None:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            counts["errors"] += 1
            return
        try:
            while (now := time.perf_counter()) < deadline:
                writer.write(request)
                status = await _read_response(reader)
                latencies.append(time.perf_counter() - now)
                if not 200 <= status < 400:
                    counts["bad"] += 1
        except (OSError, asyncio.IncompleteReadError, ValueError):
            counts["errors"] += 1
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - start
    if not latencies:
        return Result(0, elapsed, None, None, counts["errors"], counts["bad"])
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Result(
        len(latencies),
        elapsed,
        statistics.fmean(latencies) * 1000,
        p99 * 1000,
        counts["errors"],
        counts["bad"],
    )


def run_python(url: str, seconds: float, connections: int) -> Result:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(_python_load(url, seconds, connections))
    return uvloop.run(_python_load(url, seconds, connections))


# --- main ----------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measured time per URL")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up time per URL")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure all URLs this many times, interleaved; report the median",
    )
    parser.add_argument(
        "--generator",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator (auto: wrk if installed, else the asyncio loop)",
    )
    args = parser.parse_args()
    if not (0 < args.seconds <= 600 and 0 <= args.warmup <= 60):
        parser.error("--seconds must be in (0, 600] and --warmup in [0, 60]")
    if not 1 <= args.connections <= 1000 or not 1 <= args.rounds <= 20:
        parser.error("--connections must be 1..1000 and --rounds 1..20")
    return args


def _on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    args = parse_args()
    # Ctrl-C and SIGTERM both end up in the finally below that stops the servers (a
    # shell's background job starts with SIGINT ignored; take it back).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _on_sigterm)

    wrk = shutil.which("wrk") if args.generator in ("auto", "wrk") else None
    if args.generator == "wrk" and not wrk:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 1
    if args.generator == "auto" and not wrk:
        print(
            "note: wrk not found (apt-get install -y wrk); using the slower asyncio "
            "load loop, which takes more CPU from the servers",
            file=sys.stderr,
        )

    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="coop-bench-") as tmp_name:
        try:
            return bench(args, Path(tmp_name), wrk, servers)
        except KeyboardInterrupt:
            print("\ninterrupted", file=sys.stderr)
            return 130
        finally:
            # Before the temporary directory goes: the servers hold files in it.
            for server in servers:
                server.stop()


def bench(args: argparse.Namespace, tmp: Path, wrk: str | None, servers: list[Server]) -> int:
    """Migrate, start both servers (appended to ``servers`` for the caller to stop), load."""
    env = os.environ.copy()
    env.update(
        COOP_ENV="test",
        DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite",
        RATE_LIMIT_PER_MINUTE=RATE_LIMIT,
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    for name in ("REDIS_URL", "SMTP_URL", "BASE_URL", "SECRET_KEY"):
        env.pop(name, None)

    migrate = subprocess.run(
        [*coop_command(), "migrate"],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if migrate.returncode != 0:
        print(f"coop migrate failed:\n{migrate.stdout}{migrate.stderr}", file=sys.stderr)
        return 1

    coop_port, bare_port = free_port(), free_port()
    while bare_port == coop_port:
        bare_port = free_port()
    bare_file = tmp / "bare_app.py"
    bare_file.write_text(BARE_APP)
    script = tmp / "report.lua"
    script.write_text(WRK_SCRIPT)

    servers.append(
        Server(
            "coop",
            [*coop_command(), "serve", "--host", HOST, "--port", str(coop_port)],
            tmp,
            env,
        )
    )
    servers.append(Server("bare", [sys.executable, str(bare_file), HOST, str(bare_port)], tmp, env))
    coop_base = f"http://{HOST}:{coop_port}"
    targets = [
        Target("bare", f"http://{HOST}:{bare_port}/"),
        Target("live", f"{coop_base}/health/live"),
        Target("ready", f"{coop_base}/health/ready"),
        Target("home", f"{coop_base}/"),
    ]
    servers[0].wait_ready(f"{coop_base}/health/ready")
    servers[1].wait_ready(targets[0].url)

    for target in targets:
        status, body = fetch(target.url)
        if status != 200:
            print(
                f"{target.url} answered {status}, not 200:\n{body[:500].decode(errors='replace')}",
                file=sys.stderr,
            )
            return 1

    def load(url: str, seconds: float) -> Result:
        if wrk:
            return run_wrk(wrk, script, url, seconds, args.connections)
        return run_python(url, seconds, args.connections)

    gen = "wrk -t1" if wrk else "asyncio loop (in this process)"
    print(
        f"generator: {gen}, {args.connections} connections, {args.seconds:g}s per "
        f"URL after {args.warmup:g}s warm-up, {args.rounds} round(s); "
        f"{os.cpu_count()} CPUs"
    )
    print(
        "note: the generator runs on the same machine and competes with the server "
        "for CPU; nothing is pinned. Compare ratios, not absolute figures."
    )
    logged_before = servers[0].log_lines()
    for rnd in range(args.rounds):
        for target in targets:
            if args.warmup and rnd == 0:
                load(target.url, args.warmup)
            target.results.append(load(target.url, args.seconds))

    for server in servers:
        if server.proc.poll() is not None:
            print(f"{server.name} died during the run:\n{server.log_tail()}", file=sys.stderr)
            return 1

    clean = print_table(targets)
    logged = servers[0].log_lines() - logged_before
    if logged > 100:
        print(
            f"note: coop wrote {logged:,} log lines during the measurement although "
            "LOG_LEVEL=WARNING, so per-request logging is part of these figures; "
            f"the last: {servers[0].log_tail(1)[:90]!r}"
        )
    return 0 if clean and all(t.median().requests for t in targets) else 1


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_table(targets: list[Target]) -> bool:
    """Print the table and the ratios line; False if any response failed or was not 2xx/3xx."""
    base = targets[0].median().rps
    ratios: dict[str, float] = {}
    rows = [("name", "url", "req/s", "mean ms", "p99 ms", "ratio", "non-2xx", "errors")]
    for target in targets:
        result = target.median()
        ratio = result.rps / base if base else 0.0
        ratios[target.name] = ratio
        path = target.url.split("/", 3)[3]
        rows.append(
            (
                target.name,
                "/" + path,
                f"{result.rps:,.0f}",
                _ms(result.mean_ms),
                _ms(result.p99_ms),
                f"{ratio:.2f}",
                str(result.bad_status),
                str(result.errors),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print()
    for row in rows:
        print(
            "  ".join(
                cell.ljust(w) if i < 2 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    clean = not any(r.bad_status or r.errors for t in targets for r in t.results)
    if not clean:
        print("warning: some responses were not 2xx/3xx or failed; the figures are suspect")
    print()
    print("ratios: " + " ".join(f"{n}={ratios[n]:.2f}" for n in ("live", "ready", "home")))
    return clean


if __name__ == "__main__":
    sys.exit(main())
