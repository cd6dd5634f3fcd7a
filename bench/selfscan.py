"""The self-scan over HTTP on PostgreSQL, against a bare Litestar + Piccolo insert, in one run.

Run from the repository root (PostgreSQL on 127.0.0.1 reachable as the current user)::

    .venv/bin/python bench/selfscan.py [--seconds N] [--connections C] [--rounds R]

It creates a database of its own (``coop_bench_<random>``) on the server named by
``--admin-url`` (default ``postgresql://127.0.0.1/postgres``), runs ``coop demo`` there (the
migrations and 200 demo scans, so the result page compares with peers), starts
``coop serve`` and a bare Litestar app whose one route inserts one row through Piccolo,
both under uvicorn with one worker, loads each URL with the same generator and settings,
and prints requests per second as ratios to the bare insert. Both servers are stopped and
the database dropped on the way out, also on Ctrl-C. See bench/README.md.

Targets:

- ``bare``: ``POST /`` on the bare app: decode the same JSON body, insert one row (the body
  as JSON) with Piccolo, answer 201 with a small JSON document. The ceiling.
- ``post``: ``POST /api/v1/selfscan/scans`` with every question answered: validate, score,
  one INSERT, the contract's answer (201).
- ``result``: ``GET /scan/coop/{token}/resultaat``: read the scan, advice, the peer query
  over the demo scans, two radar charts and eight bars, the Jinja page.
- ``read``: ``GET /api/v1/selfscan/scans/{token}``: read the scan, the contract's answer.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Python puts this folder first on sys.path, where bench/http.py would shadow the standard
# library's http package (urllib needs it): take it off before the other imports.
# ruff: noqa: E402
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit, urlunsplit

ROOT = _HERE.parent
sys.path.insert(0, str(ROOT))

# The load generators, the server runner and the table of bench/http.py, shared.
_spec = importlib.util.spec_from_file_location("bench_http", Path(__file__).with_name("http.py"))
assert _spec and _spec.loader
bench_http = importlib.util.module_from_spec(_spec)
sys.modules["bench_http"] = bench_http  # dataclasses look their module up there
_spec.loader.exec_module(bench_http)
Result, Server, Target = bench_http.Result, bench_http.Server, bench_http.Target
HOST = bench_http.HOST

BARE_APP = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from typing import Any

    import uvicorn
    from litestar import Litestar, post
    from piccolo.columns import JSON, Timestamptz
    from piccolo.engine.postgres import PostgresEngine
    from piccolo.table import Table

    DB = PostgresEngine(config={"dsn": sys.argv[3]}, log_queries=False)


    class BenchRow(Table, tablename="bench_row", db=DB):
        body = JSON()
        created_at = Timestamptz()


    @post("/", status_code=201)
    async def insert(data: dict[str, Any]) -> dict[str, str]:
        await BenchRow.insert(BenchRow(body=data, created_at=datetime.now(timezone.utc)))
        return {"status": "created"}


    async def startup() -> None:
        await BenchRow.create_table(if_not_exists=True)
        await DB.start_connection_pool(max_size=10)


    async def shutdown() -> None:
        await DB.close_connection_pool()


    app = Litestar(route_handlers=[insert], on_startup=[startup], on_shutdown=[shutdown])

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

WRK_POST = textwrap.dedent(
    """
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.body = [==[{body}]==]
    """
)


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


async def _admin(url: str, statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def admin(url: str, statement: str) -> None:
    asyncio.run(_admin(url, statement))


def request(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def scan_body() -> bytes:
    """Every question answered (a middle mix), a small organisation."""
    from selfscan import questionnaires

    answers = {}
    for theme in questionnaires.current().themes:
        for n, question in enumerate(theme.questions):
            answers[question.id] = question.options[(n + 1) % len(question.options)].id
    body = {"answers": answers, "organisation": {"employees": 30, "sector": "G"}}
    return json.dumps(body, separators=(",", ":")).encode()


# --- the Python load generator, for POST as well -------------------------------------------


async def _python_load(
    url: str, method: str, body: bytes, seconds: float, connections: int
) -> Result:
    parts = urlsplit(url)
    host, port = parts.hostname or HOST, parts.port or 80
    head = f"{method} {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: */*\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    payload = (head + "\r\n").encode() + body
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
                writer.write(payload)
                status = await bench_http._read_response(reader)
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
    mean = sum(latencies) / len(latencies)
    return Result(len(latencies), elapsed, mean * 1000, p99 * 1000, counts["errors"], counts["bad"])


# --- main ----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measured time per URL")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up time per URL")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds; median")
    parser.add_argument(
        "--generator", choices=["auto", "wrk", "python"], default="auto", help="load generator"
    )
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", "postgresql://127.0.0.1/postgres"),
        help="a PostgreSQL URL allowed to create and drop databases",
    )
    args = parser.parse_args()
    if not (0 < args.seconds <= 600 and 0 <= args.warmup <= 60):
        parser.error("--seconds must be in (0, 600] and --warmup in [0, 60]")
    if not 1 <= args.connections <= 1000 or not 1 <= args.rounds <= 20:
        parser.error("--connections must be 1..1000 and --rounds 1..20")
    return args


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, bench_http._on_sigterm)
    wrk = shutil.which("wrk") if args.generator in ("auto", "wrk") else None
    if args.generator == "wrk" and not wrk:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 1
    if args.generator == "auto" and not wrk:
        print("note: wrk not found; using the slower asyncio load loop", file=sys.stderr)

    name = f"coop_bench_{secrets.token_hex(4)}"
    try:
        admin(args.admin_url, f'CREATE DATABASE "{name}"')
    except Exception as exc:  # no server, no rights: say so plainly
        print(f"cannot create a database on {args.admin_url}: {exc}", file=sys.stderr)
        return 1
    servers: list[Server] = []
    try:
        with tempfile.TemporaryDirectory(prefix="coop-bench-scan-") as tmp_name:
            try:
                return bench(
                    args, Path(tmp_name), with_database(args.admin_url, name), wrk, servers
                )
            except KeyboardInterrupt:
                print("\ninterrupted", file=sys.stderr)
                return 130
            finally:
                for server in servers:
                    server.stop()
    finally:
        admin(args.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench(
    args: argparse.Namespace, tmp: Path, database_url: str, wrk: str | None, servers: list[Server]
) -> int:
    env = os.environ.copy()
    env.update(
        COOP_ENV="test",
        DATABASE_URL=database_url,
        RATE_LIMIT_PER_MINUTE="0",  # the general limit and the new-scan limit off
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    for variable in ("REDIS_URL", "SMTP_URL", "SECRET_KEY"):
        env.pop(variable, None)
    coop_port, bare_port = bench_http.free_port(), bench_http.free_port()
    while bare_port == coop_port:
        bare_port = bench_http.free_port()
    env["BASE_URL"] = f"http://{HOST}:{coop_port}"

    demo = subprocess.run(
        [*bench_http.coop_command(), "demo"],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if demo.returncode != 0:
        print(f"coop demo failed:\n{demo.stdout}{demo.stderr}", file=sys.stderr)
        return 1

    bare_file = tmp / "bare_insert.py"
    bare_file.write_text(BARE_APP)
    servers.append(
        Server(
            "coop",
            [*bench_http.coop_command(), "serve", "--host", HOST, "--port", str(coop_port)],
            tmp,
            env,
        )
    )
    servers.append(
        Server(
            "bare",
            [sys.executable, str(bare_file), HOST, str(bare_port), database_url],
            tmp,
            env,
        )
    )
    coop = f"http://{HOST}:{coop_port}"
    bare = f"http://{HOST}:{bare_port}/"
    servers[0].wait_ready(f"{coop}/health/ready")
    deadline = time.monotonic() + bench_http.STARTUP_TIMEOUT_S
    while True:
        with contextlib.suppress(OSError):
            if request(bare, "POST", b"{}")[0] == 201:
                break
        if time.monotonic() > deadline or servers[1].proc.poll() is not None:
            print(f"the bare app did not start:\n{servers[1].log_tail()}", file=sys.stderr)
            return 1
        time.sleep(0.1)

    body = scan_body()
    status, made = request(f"{coop}/api/v1/selfscan/scans", "POST", body)
    if status != 201:
        print(f"POST /api/v1/selfscan/scans answered {status}:\n{made[:500]!r}", file=sys.stderr)
        return 1
    token = json.loads(made)["token"]
    targets = [
        (Target("bare", bare), "POST", body),
        (Target("post", f"{coop}/api/v1/selfscan/scans"), "POST", body),
        (Target("result", f"{coop}/scan/coop/{token}/resultaat"), "GET", b""),
        (Target("read", f"{coop}/api/v1/selfscan/scans/{token}"), "GET", b""),
    ]
    for target, method, payload in targets:
        status, answer = request(target.url, method, payload or None)
        if status not in (200, 201):
            print(f"{method} {target.url}: {status}\n{answer[:300]!r}", file=sys.stderr)
            return 1
    result_page = request(targets[2][0].url)[1].decode()
    if "gemiddelde van anderen" not in result_page:
        print("note: the result page shows no peer comparison", file=sys.stderr)

    scripts: dict[str, Path] = {}
    for target, method, payload in targets:
        script = tmp / f"{target.name}.lua"
        setup = WRK_POST.format(body=payload.decode()) if method == "POST" else ""
        script.write_text(setup + bench_http.WRK_SCRIPT)
        scripts[target.name] = script

    def load(target: Target, method: str, payload: bytes, seconds: float) -> Result:
        if wrk:
            return bench_http.run_wrk(
                wrk, scripts[target.name], target.url, seconds, args.connections
            )
        return asyncio.run(_python_load(target.url, method, payload, seconds, args.connections))

    gen = "wrk -t1" if wrk else "asyncio loop (in this process)"
    print(
        f"PostgreSQL, generator: {gen}, {args.connections} connections, {args.seconds:g}s per "
        f"URL after {args.warmup:g}s warm-up, {args.rounds} round(s); {os.cpu_count()} CPUs"
    )
    for rnd in range(args.rounds):
        for target, method, payload in targets:
            if args.warmup and rnd == 0:
                load(target, method, payload, args.warmup)
            target.results.append(load(target, method, payload, args.seconds))
    for server in servers:
        if server.proc.poll() is not None:
            print(f"{server.name} died during the run:\n{server.log_tail()}", file=sys.stderr)
            return 1
    return 0 if print_table([t for t, _m, _p in targets]) else 1


def print_table(targets: list[Target]) -> bool:
    base = targets[0].median().rps
    rows = [("name", "request", "req/s", "mean ms", "p99 ms", "ratio", "non-2xx", "errors")]
    ratios = {}
    labels = {
        "bare": "POST / (bare insert)",
        "post": "POST /api/v1/selfscan/scans",
        "result": "GET /scan/coop/{token}/resultaat",
        "read": "GET /api/v1/selfscan/scans/{token}",
    }
    for target in targets:
        result = target.median()
        ratio = result.rps / base if base else 0.0
        ratios[target.name] = ratio
        rows.append(
            (
                target.name,
                labels[target.name],
                f"{result.rps:,.0f}",
                bench_http._ms(result.mean_ms),
                bench_http._ms(result.p99_ms),
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
    print("ratios: " + " ".join(f"{n}={ratios[n]:.2f}" for n in ("post", "result", "read")))
    aim = "met" if ratios["post"] >= 0.6 else "NOT met"
    print(f"aim: POST at least 0.60 of the bare insert: {aim}")
    return clean


if __name__ == "__main__":
    sys.exit(main())
