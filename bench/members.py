"""The member registry's throughput against a bare Litestar + Piccolo + Jinja page.

Run from the repository root, with a PostgreSQL server whose URL may create databases::

    .venv/bin/python bench/members.py [--database-url postgresql://127.0.0.1/test]
                                      [--seconds N] [--connections C] [--rounds R]

It creates a database of its own (``coop_bench_<random>``), migrates it, adds 5,000
organisations, a coordinator with a second factor and an API token, and starts
``coop serve`` and a bare app (Litestar + Piccolo + Jinja, one page that lists 50 rows of
``member_organisation`` by name) under uvicorn with the same options. It logs the
coordinator in through the pages (password and TOTP) and loads with ``wrk``:

- bare:  the bare page, 50 rows;
- list:  ``/beheer/leden?status=actief&sorteer=-medewerkers`` (filtered, sorted, 50 rows),
  with the session cookie;
- api:   ``/api/v1/members?limit=50`` with the Bearer token.

After seeding it runs ``VACUUM ANALYZE``, as autovacuum would shortly after, so that the
planner has statistics and counts can use the visibility map.

It prints requests per second and each as a ratio to the bare page (aim: at least 0.70),
then stops both servers and drops the database, also on Ctrl-C.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package (see bench/http.py):
# take this folder off sys.path before the other imports, hence the file-wide E402.
# ruff: noqa: E402
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse
import asyncio
import http.cookiejar
import importlib.util
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import textwrap
import urllib.error
import urllib.parse
import urllib.request

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The house helpers (servers, wrk, the table) live in bench/http.py; load it under
# another name, since "http" is the standard library's.
_spec = importlib.util.spec_from_file_location("bench_http", Path(__file__).with_name("http.py"))
assert _spec and _spec.loader
bench_http = importlib.util.module_from_spec(_spec)
sys.modules["bench_http"] = bench_http  # dataclasses look their module up there
_spec.loader.exec_module(bench_http)

HOST = bench_http.HOST
ORGANISATIONS = 5000
PASSWORD = "bench paard batterij nietje"
EMAIL = "bench-coordinator@example.nl"

BARE_APP = textwrap.dedent(
    """
    import contextlib
    import sys

    import uvicorn
    from jinja2 import Environment
    from litestar import Litestar, MediaType, get
    from litestar.response import Response
    from piccolo.columns import Integer, Timestamptz, Varchar
    from piccolo.engine.postgres import PostgresEngine
    from piccolo.table import Table

    DB = PostgresEngine(config={"dsn": sys.argv[3]})


    class Organisation(Table, tablename="member_organisation", db=DB):
        name = Varchar(length=200)
        city = Varchar(length=100)
        employees = Integer(null=True)
        created_at = Timestamptz()


    TEMPLATE = Environment(autoescape=True).from_string(
        "<!doctype html><html lang=nl><head><meta charset=utf-8><title>Leden</title></head>"
        "<body><h1>Leden</h1><table><tbody>{% for o in rows %}<tr><td>{{ o.id }}</td>"
        "<td>{{ o.name }}</td><td>{{ o.city }}</td><td>{{ o.employees }}</td></tr>"
        "{% endfor %}</tbody></table></body></html>"
    )


    @get("/", media_type=MediaType.HTML)
    async def index() -> Response:
        rows = await Organisation.select(
            Organisation.id, Organisation.name, Organisation.city, Organisation.employees
        ).order_by(Organisation.name).limit(50)
        return Response(TEMPLATE.render(rows=rows), media_type=MediaType.HTML)


    @contextlib.asynccontextmanager
    async def pool(app):
        await DB.start_connection_pool(max_size=10)
        try:
            yield
        finally:
            await DB.close_connection_pool()


    app = Litestar(route_handlers=[index], lifespan=[pool])

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


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


async def admin(url: str, statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(with_database(url, "postgres"))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def seed(url: str) -> tuple[str, str]:
    """5,000 organisations, a coordinator with TOTP and a read token; returns the TOTP
    secret and the token."""
    from datetime import UTC, datetime

    from coop import db
    from coop.accounts import passwords, repository, second_factor, token_repository, totp
    from coop.accounts.roles import Role
    from coop.members.repository import search_key
    from coop.members.tables import Organisation
    from coop.reference import regions, sbi

    engine = db.use_engine(db.engine_from_url(url))
    await engine.start_connection_pool(min_size=1, max_size=4)  # type: ignore[attr-defined]
    try:
        municipalities = regions.municipalities()
        statuses = ["actief"] * 8 + ["geschorst", "goedgekeurd"]
        rows = []
        for n in range(ORGANISATIONS):
            m = municipalities[n % len(municipalities)]
            name = f"Organisatie {n:05d} {m.name}"
            kvk = f"{40000000 + n}"
            rows.append(
                Organisation(
                    name=name,
                    created_at=datetime(2020 + n % 6, 1 + n % 12, 1 + n % 28, tzinfo=UTC),
                    kvk_number=kvk,
                    street_address=f"Hoofdstraat {n % 300 + 1}",
                    postcode=f"{1000 + n % 8999} AB",
                    city=m.name,
                    municipality_code=m.code,
                    sector=sbi.SECTIONS[n % len(sbi.SECTIONS)].code,
                    employees=(n * 37) % 900,
                    public_employer=n % 50 == 0,
                    status=statuses[n % len(statuses)],
                    search_key=search_key(name, kvk, m.name),
                )
            )
        for start in range(0, len(rows), 500):
            await Organisation.insert(*rows[start : start + 500])
        user_id = await repository.create_user(
            email=EMAIL,
            name="Bench Coördinator",
            role=Role.COORDINATOR,
            password_hash=await passwords.hash_password(PASSWORD),
        )
        secret = totp.new_secret()
        await second_factor.enable(user_id, secret, 0)
        made = await token_repository.create(user_id=user_id, name="bench", scope="read", days=1)
        return secret, made.token
    finally:
        await engine.close_connection_pool()  # type: ignore[attr-defined]


async def vacuum_analyze(url: str) -> None:
    """What autovacuum would do a minute later: statistics for the planner, and a
    visibility map so that counts can read the index alone. Measuring straight after
    5,000 inserts would measure a table no running service has."""
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


def session_cookie(base: str, secret: str) -> str:
    """Log in through the pages as a browser would; the session cookie's header value."""
    import pyotp

    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def csrf(path: str) -> str:
        with opener.open(base + path) as response:
            match = re.search(r'name="_csrf" value="([^"]+)"', response.read().decode())
        assert match, f"no CSRF field on {path}"
        return match.group(1)

    def post(path: str, fields: dict[str, str]) -> None:
        data = urllib.parse.urlencode(fields).encode()
        try:
            opener.open(urllib.request.Request(base + path, data=data, method="POST"))
        except urllib.error.HTTPError as exc:
            if exc.code != 303:
                raise SystemExit(f"login failed at {path}: {exc.code}") from exc

    post("/login", {"email": EMAIL, "password": PASSWORD, "_csrf": csrf("/login")})
    code = pyotp.TOTP(secret).now()
    post("/login/tweede-factor", {"code": code, "_csrf": csrf("/login/tweede-factor")})
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie


def run_wrk(
    wrk: str, script: Path, url: str, seconds: float, connections: int, header: str | None
) -> bench_http.Result:
    argv = [wrk, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "5s"]
    if header:
        argv += ["-H", header]
    argv += ["-s", str(script), url]
    out = subprocess.run(argv, capture_output=True, text=True, check=False)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if out.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    import json

    data = json.loads(line.removeprefix("BENCH_JSON "))
    return bench_http.Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        mean_ms=data["mean_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        bad_status=data["status"],
    )


def fetch_with(url: str, header: str | None) -> int:
    request = urllib.request.Request(url)
    if header:
        name, _, value = header.partition(": ")
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgresql://127.0.0.1/test"),
        help="a PostgreSQL server where this user may create a database",
    )
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    if not args.database_url.startswith(("postgresql://", "postgres://")):
        parser.error("--database-url must be a PostgreSQL URL")
    return args


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, bench_http._on_sigterm)
    wrk = shutil.which("wrk")
    if not wrk:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 1
    name = f"coop_bench_{secrets.token_hex(4)}"
    asyncio.run(admin(args.database_url, f'CREATE DATABASE "{name}"'))
    url = with_database(args.database_url, name)
    servers: list[bench_http.Server] = []
    try:
        with tempfile.TemporaryDirectory(prefix="coop-bench-members-") as tmp_name:
            try:
                return bench(args, Path(tmp_name), url, wrk, servers)
            finally:
                for server in servers:
                    server.stop()
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        asyncio.run(admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def bench(
    args: argparse.Namespace, tmp: Path, url: str, wrk: str, servers: list[bench_http.Server]
) -> int:
    env = os.environ.copy()
    env.update(
        COOP_ENV="test",
        DATABASE_URL=url,
        RATE_LIMIT_PER_MINUTE=bench_http.RATE_LIMIT,
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    for key in ("REDIS_URL", "SMTP_URL", "SECRET_KEY"):
        env.pop(key, None)
    coop_port, bare_port = bench_http.free_port(), bench_http.free_port()
    env["BASE_URL"] = f"http://{HOST}:{coop_port}"
    migrate = subprocess.run(
        [*bench_http.coop_command(), "migrate"],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if migrate.returncode != 0:
        print(f"coop migrate failed:\n{migrate.stdout}{migrate.stderr}", file=sys.stderr)
        return 1
    os.environ["DATABASE_URL"] = url
    secret, token = asyncio.run(seed(url))
    asyncio.run(vacuum_analyze(url))
    print(f"seeded {ORGANISATIONS:,} organisations in {url.rsplit('/', 1)[1]}")

    bare_file = tmp / "bare_members.py"
    bare_file.write_text(BARE_APP)
    script = tmp / "report.lua"
    script.write_text(bench_http.WRK_SCRIPT)
    coop_base = f"http://{HOST}:{coop_port}"
    servers.append(
        bench_http.Server(
            "coop",
            [*bench_http.coop_command(), "serve", "--host", HOST, "--port", str(coop_port)],
            tmp,
            env,
        )
    )
    servers.append(
        bench_http.Server(
            "bare", [sys.executable, str(bare_file), HOST, str(bare_port), url], tmp, env
        )
    )
    servers[0].wait_ready(f"{coop_base}/health/ready")
    servers[1].wait_ready(f"http://{HOST}:{bare_port}/")
    cookie = session_cookie(coop_base, secret)

    targets = [
        (bench_http.Target("bare", f"http://{HOST}:{bare_port}/"), None),
        (
            bench_http.Target(
                "list", f"{coop_base}/beheer/leden?status=actief&sorteer=-medewerkers"
            ),
            f"Cookie: {cookie}",
        ),
        (
            bench_http.Target("api", f"{coop_base}/api/v1/members?limit=50"),
            f"Authorization: Bearer {token}",
        ),
    ]
    for target, header in targets:
        status = fetch_with(target.url, header)
        if status != 200:
            print(f"{target.url} answered {status}, not 200", file=sys.stderr)
            return 1
    print(
        f"generator: wrk -t1, {args.connections} connections, {args.seconds:g}s per URL after "
        f"{args.warmup:g}s warm-up, {args.rounds} round(s); {os.cpu_count()} CPUs"
    )
    for rnd in range(args.rounds):
        for target, header in targets:
            if args.warmup and rnd == 0:
                run_wrk(wrk, script, target.url, args.warmup, args.connections, header)
            target.results.append(
                run_wrk(wrk, script, target.url, args.seconds, args.connections, header)
            )
    base = targets[0][0].median().rps
    print()
    print(f"{'name':<6} {'req/s':>8} {'mean ms':>8} {'p99 ms':>8} {'ratio':>6} {'non-2xx':>8}")
    for target, _header in targets:
        r = target.median()
        print(
            f"{target.name:<6} {r.rps:>8,.0f} {r.mean_ms or 0:>8.2f} {r.p99_ms or 0:>8.2f} "
            f"{(r.rps / base if base else 0):>6.2f} {r.bad_status:>8}"
        )
    ratios = {t.name: (t.median().rps / base if base else 0) for t, _h in targets}
    print()
    print(f"ratios: list={ratios['list']:.2f} api={ratios['api']:.2f} (aim: >= 0.70)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
