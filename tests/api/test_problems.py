"""Errors under /api are RFC 9457 problem details; msgspec's field errors name each field."""

from __future__ import annotations

import msgspec
import pytest
from litestar import get, post
from litestar.params import FromPath, JSONBody

from coop.errors import Conflict, NotFound
from tests.support import register


class Organisation(msgspec.Struct, forbid_unknown_fields=True):
    employees: int = msgspec.field()
    sector: str | None = None


class Scan(msgspec.Struct):
    answers: dict[str, str]
    organisation: Organisation


@post("/api/v1/_test/scans", sync_to_thread=False)
def create_scan(data: JSONBody[Scan]) -> dict[str, int]:
    return {"answers": len(data.answers)}


@get("/api/v1/_test/missing/{item_id:int}", sync_to_thread=False)
def missing(item_id: FromPath[int]) -> None:
    raise NotFound("Dit record bestaat niet.")


@get("/api/v1/_test/conflict", sync_to_thread=False)
def conflict() -> None:
    raise Conflict("Deze plaats is al bezet.", code="place_taken")


@get("/api/v1/_test/boom", sync_to_thread=False)
def boom() -> None:
    raise RuntimeError("secret internal detail")


@pytest.fixture
async def api(client):
    for handler in (create_scan, missing, conflict, boom):
        register(client.app, handler)
    return client


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["type"]
    return body


async def test_valid_request_passes(api):
    r = await api.post(
        "/api/v1/_test/scans", json={"answers": {"q1": "a"}, "organisation": {"employees": 5}}
    )
    assert r.status_code == 201
    assert r.json() == {"answers": 1}


async def test_wrong_type_names_the_field(api):
    r = await api.post(
        "/api/v1/_test/scans", json={"answers": {"q1": "a"}, "organisation": {"employees": "many"}}
    )
    body = assert_problem(r, 422)
    assert body["code"] == "validation_failed"
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"organisation.employees"}
    assert body["errors"][0]["pointer"] == "#/organisation/employees"


async def test_missing_field_is_named(api):
    r = await api.post("/api/v1/_test/scans", json={"organisation": {"employees": 3}})
    body = assert_problem(r, 422)
    assert any("answers" in (e["field"] + e["detail"]) for e in body["errors"])


async def test_malformed_json_is_a_bad_request(api):
    r = await api.post(
        "/api/v1/_test/scans", content=b'{"answers": ', headers={"content-type": "application/json"}
    )
    body = assert_problem(r, 400)
    assert body["code"] == "bad_request"


async def test_absurdly_nested_json_is_a_bad_request(api):
    body = "[" * 100_000 + "]" * 100_000
    r = await api.post(
        "/api/v1/_test/scans", content=body, headers={"content-type": "application/json"}
    )
    assert_problem(r, 400)


async def test_domain_errors_map_to_status_and_stable_code(api):
    body = assert_problem(await api.get("/api/v1/_test/missing/7"), 404)
    assert body["code"] == "not_found"
    assert body["detail"] == "Dit record bestaat niet."
    body = assert_problem(await api.get("/api/v1/_test/conflict"), 409)
    assert body["code"] == "place_taken"


async def test_unknown_api_path_is_a_problem_not_a_page(api):
    body = assert_problem(await api.get("/api/v1/does-not-exist"), 404)
    assert body["instance"] == "/api/v1/does-not-exist"


async def test_wrong_method_is_a_problem(api):
    assert_problem(await api.delete("/api/v1/_test/conflict"), 405)


async def test_unexpected_error_hides_its_detail(api):
    r = await api.get("/api/v1/_test/boom")
    body = assert_problem(r, 500)
    assert "secret internal detail" not in r.text
    assert "Traceback" not in r.text
    assert body["code"] == "internal_error"


async def test_problem_titles_follow_accept_language(api):
    nl = (await api.get("/api/v1/nope")).json()
    en = (await api.get("/api/v1/nope", headers={"accept-language": "en-GB,en;q=0.9"})).json()
    assert nl["title"] == "Pagina niet gevonden"
    assert en["title"] != nl["title"]


async def test_openapi_document_and_docs_page_render(client):
    r = await client.get("/schema/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert spec["info"]["title"]
    assert "/health/ready" in spec["paths"]
    docs = await client.get("/schema")
    assert docs.status_code == 200
    assert docs.headers["content-type"].startswith("text/html")
