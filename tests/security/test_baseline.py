"""The security baseline: headers on every response, no cookies, allowed hosts, no CORS,
rate limits, and logs without secrets."""

from __future__ import annotations

import io
import logging

import pytest
from litestar import get, post
from litestar.params import JSONBody

from coop.logs import JsonFormatter
from tests.support import register

PATHS = [
    "/",
    "/toegankelijkheid",
    "/health/live",
    "/health/ready",
    "/static/css/app.css",
    "/does-not-exist",
    "/api/v1/does-not-exist",
    "/scan",
    "/embed.js",
]


@pytest.mark.parametrize("path", PATHS)
async def test_security_headers_on_every_response(client, path):
    r = await client.get(path)
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    # Scan pages carry their token in the URL, so they send no referrer at all.
    expected = "same-origin" if path.startswith("/scan") else "strict-origin-when-cross-origin"
    assert r.headers["referrer-policy"] == expected
    assert "camera=()" in r.headers["permissions-policy"]
    assert "strict-transport-security" not in r.headers


@pytest.mark.parametrize("path", PATHS)
async def test_no_path_sets_a_cookie(client, path):
    for method in ("GET", "OPTIONS", "POST"):
        r = await client.request(method, path)
        assert "set-cookie" not in r.headers, (method, path, r.headers.get("set-cookie"))


async def test_hsts_only_in_production(make_client):
    async with make_client(
        COOP_ENV="production", SECRET_KEY="p" * 40, base_url="https://coop.example.nl"
    ) as client:
        r = await client.get("/health/live")
        assert r.status_code == 200
        assert r.headers["strict-transport-security"].startswith("max-age=")


async def test_production_allows_only_the_base_url_host(make_client):
    async with make_client(
        COOP_ENV="production", SECRET_KEY="p" * 40, base_url="https://coop.example.nl"
    ) as client:
        assert (await client.get("/health/live")).status_code == 200
        forged = await client.get("/health/live", headers={"host": "evil.example"})
        assert forged.status_code == 400
        local = await client.get("/health/live", headers={"host": "127.0.0.1:8000"})
        assert local.status_code == 400


async def test_development_allows_loopback_hosts_with_any_port(client):
    for host in ("127.0.0.1:8000", "localhost:9999", "localhost", "[::1]:8000"):
        assert (await client.get("/health/live", headers={"host": host})).status_code == 200
    assert (await client.get("/health/live", headers={"host": "evil.example"})).status_code == 400


async def test_cors_is_off(client):
    r = await client.options(
        "/health/live",
        headers={"origin": "https://evil.example", "access-control-request-method": "GET"},
    )
    assert "access-control-allow-origin" not in r.headers
    r = await client.get("/health/live", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


async def test_rate_limit_answers_429_page_with_retry_after(make_client):
    async with make_client(RATE_LIMIT_PER_MINUTE="3") as client:
        # A forged X-Forwarded-For does not make a client someone else.
        statuses = [
            (await client.get("/", headers={"x-forwarded-for": f"10.0.0.{i}"})).status_code
            for i in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        r = await client.get("/")
        assert r.status_code == 429
        assert r.headers["content-type"].startswith("text/html")
        assert "Te veel verzoeken" in r.text
        assert int(r.headers["retry-after"]) > 0
        # Health checks are never limited, so a load balancer cannot lock itself out.
        assert (await client.get("/health/live")).status_code == 200


@get("/api/v1/_test/ping", sync_to_thread=False)
def api_ping() -> dict[str, str]:
    return {"pong": "yes"}


async def test_rate_limit_in_the_api_is_a_problem(make_client):
    async with make_client(RATE_LIMIT_PER_MINUTE="1") as client:
        register(client.app, api_ping)
        assert (await client.get("/api/v1/_test/ping")).status_code == 200
        r = await client.get("/api/v1/_test/ping")
        assert r.status_code == 429
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "rate_limited"


@get("/_test/boom", sync_to_thread=False)
def boom() -> None:
    raise RuntimeError("internal detail that must stay inside")


async def test_500_page_is_dutch_and_has_no_trace_outside_development(client):
    register(client.app, boom)
    r = await client.get("/_test/boom")
    assert r.status_code == 500
    assert r.headers["content-type"].startswith("text/html")
    assert "Er ging iets mis" in r.text
    assert "Traceback" not in r.text and "internal detail" not in r.text


async def test_500_page_shows_the_trace_in_development(make_client):
    async with make_client(COOP_ENV="development") as client:
        register(client.app, boom)
        r = await client.get("/_test/boom")
        assert r.status_code == 500
        assert "Traceback" in r.text


@post("/_test/login", sync_to_thread=False)
def fake_login(data: JSONBody[dict[str, str]]) -> dict[str, str]:
    return {"ok": "yes"}


async def test_logs_hold_no_bodies_tokens_or_query_strings(client):
    register(client.app, fake_login)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    try:
        await client.post(
            "/_test/login?token=query-secret-123",
            json={"email": "a@example.nl", "password": "body-secret-456"},
            headers={
                "authorization": "Bearer header-secret-789",
                "cookie": "session=cookie-secret-0",
            },
        )
        await client.get("/scan/coop/path-secret-abc/resultaat")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    # The test's own HTTP client (httpx) logs its URLs; only the service's lines count.
    output = "\n".join(
        line for line in stream.getvalue().splitlines() if '"logger":"httpx"' not in line
    )
    assert '"route":"/_test/login"' in output
    for secret in (
        "query-secret-123",
        "body-secret-456",
        "header-secret-789",
        "cookie-secret-0",
        "path-secret-abc",
        "a@example.nl",
    ):
        assert secret not in output
