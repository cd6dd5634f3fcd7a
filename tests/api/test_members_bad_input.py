"""Bad input to /api/v1/members: a clear problem naming each field, never a 500, and
nothing stored. HTML in a text field is kept as typed (JSON is not HTML) and shown escaped
on the pages."""

from __future__ import annotations

import pytest

from coop.accounts.roles import Role
from coop.members.tables import Organisation
from tests import factories
from tests.api.test_members_api import is_problem, make, token

BAD = [
    ({"name": "x" * 201}, "name"),
    ({"name": "   "}, "name"),
    ({"kvk_number": "1234"}, "kvk_number"),
    ({"kvk_number": "1234567a"}, "kvk_number"),
    ({"postcode": "0123 AB"}, "postcode"),
    ({"postcode": "1234 SS"}, "postcode"),
    ({"municipality_code": "GM9999"}, "municipality_code"),
    ({"sector": "z"}, "sector"),
    ({"employees": -1}, "employees"),
    ({"employees": "veel"}, "employees"),
    ({"website": "javascript:alert(1)"}, "website"),
    ({"street_address": "Markt\x001"}, "street_address"),
    ({"status": "actief"}, "status"),  # a transition, never a field
    ({"onbekend": 1}, "onbekend"),
]


@pytest.mark.parametrize(("body", "field"), BAD, ids=[f for _, f in BAD])
async def test_a_bad_field_is_a_422_naming_it_and_changes_nothing(client, migrated, body, field):
    own = await make("Bakkerij De Korenaar", "10000001")
    headers = await token(Role.COORDINATOR, {"own": own})
    before = await Organisation.select().where(Organisation.id == own).first()
    r = await client.patch(f"/api/v1/members/{own}", json=body, headers=headers)
    problem = is_problem(r, 422)
    # A field's own problem names it; an unknown field is named in the body's error.
    errors = problem.get("errors", [])
    assert any(e.get("field") == field or f"`{field}`" in e.get("detail", "") for e in errors), (
        problem
    )
    assert await Organisation.select().where(Organisation.id == own).first() == before


async def test_a_body_that_is_not_json_is_a_problem_not_a_500(client, migrated):
    own = await make("Bakkerij De Korenaar", "10000001")
    headers = {**await token(Role.COORDINATOR, {"own": own}), "content-type": "application/json"}
    r = await client.patch(f"/api/v1/members/{own}", content=b"{nee", headers=headers)
    assert r.status_code in (400, 422) and r.headers["content-type"].startswith(
        "application/problem+json"
    )


@pytest.mark.parametrize(
    "query",
    [
        "region=AM99",
        "region=XX",
        "sector=zz",
        "status=onzin",
        "size=reus",
        "sort=prijs",
        "limit=0",
        "limit=101",
        "offset=-1",
        "public=misschien",
        "q=" + "x" * 101,
    ],
)
async def test_bad_filters_are_problems_or_find_nothing(client, migrated, query):
    own = await make("Bakkerij De Korenaar", "10000001")
    headers = await token(Role.COORDINATOR, {"own": own})
    r = await client.get(f"/api/v1/members?{query}", headers=headers)
    if r.status_code == 200:
        assert r.json()["items"] == [] and r.json()["total"] == 0, query
    else:
        is_problem(r, 400 if r.status_code == 400 else 422)


async def test_html_is_kept_as_typed_and_escaped_on_the_page(client, migrated):
    own = await make("Bakkerij De Korenaar", "10000001")
    headers = await token(Role.COORDINATOR, {"own": own})
    name = '<script>alert("x")</script> & Zn'
    r = await client.patch(f"/api/v1/members/{own}", json={"name": name}, headers=headers)
    assert r.status_code == 200 and r.json()["name"] == name
    user = await factories.user(Role.COORDINATOR)
    assert (await factories.login(client, user)).status_code == 303
    for path in (f"/beheer/leden/{own}", "/beheer/leden", f"/organisaties/{own}"):
        page = await client.get(path)
        assert page.status_code == 200
        assert "<script>alert" not in page.text, path
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Zn" in page.text, path
