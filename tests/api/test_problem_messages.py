"""msgspec's and Litestar's validation messages reach API clients in their language:
Dutch by default, English with ``Accept-Language: en``; the field stays as named."""

from __future__ import annotations

from typing import Annotated

import msgspec
import pytest
from litestar import get, post
from litestar.params import JSONBody, QueryParameter

from tests.support import register


class Contact(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=2, max_length=10)]
    region: Annotated[str, msgspec.Meta(pattern="^AM[0-9]{2}$")] = "AM01"
    employees: Annotated[int, msgspec.Meta(ge=1, le=500)] = 1
    tags: Annotated[list[str], msgspec.Meta(max_length=2)] = []


class Envelope(msgspec.Struct):
    contact: Contact


@post("/api/v1/_test/contacts", sync_to_thread=False)
def create_contact(data: JSONBody[Envelope]) -> dict[str, str]:
    return {"name": data.contact.name}


@get("/api/v1/_test/page", sync_to_thread=False)
def page(
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 50,
    region: Annotated[str | None, QueryParameter(pattern="^AM[0-9]{2}$")] = None,
) -> dict[str, int]:
    return {"limit": limit}


@pytest.fixture
async def api(client):
    register(client.app, create_contact, page)
    return client


EN = {"accept-language": "en"}


def errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return {e["field"]: e["detail"] for e in response.json()["errors"]}


@pytest.mark.parametrize(
    ("query", "dutch", "english"),
    [
        ("limit=0", "Moet 1 of meer zijn.", "Must be 1 or more."),
        ("limit=100000", "Moet 100 of minder zijn.", "Must be 100 or less."),
        ("limit=abc", "Moet een geheel getal zijn.", "Must be a whole number."),
        (
            "region=XX99",
            "Heeft niet de juiste vorm (patroon '^AM[0-9]{2}$').",
            "Does not have the right form (pattern '^AM[0-9]{2}$').",
        ),
    ],
)
async def test_query_parameter_messages_in_both_languages(api, query, dutch, english):
    field = query.split("=")[0]
    nl = await api.get(f"/api/v1/_test/page?{query}")
    assert errors(nl) == {field: dutch}
    assert nl.json()["detail"] == "Een of meer velden zijn niet goed ingevuld."
    en = await api.get(f"/api/v1/_test/page?{query}", headers=EN)
    assert errors(en) == {field: english}
    assert en.json()["detail"] == "One or more fields have not been filled in correctly."
    assert en.json()["errors"][0]["pointer"] == f"#/{field}"


@pytest.mark.parametrize(
    ("body", "field", "dutch", "english"),
    [
        (
            {},
            "data",
            "Het verplichte veld `contact` ontbreekt.",
            "The required field `contact` is missing.",
        ),
        ({"contact": {"name": 5}}, "contact.name", "Moet tekst zijn.", "Must be text."),
        (
            {"contact": {"name": "A"}},
            "contact.name",
            "Moet minstens 2 tekens lang zijn.",
            "Must be at least 2 characters long.",
        ),
        (
            {"contact": {"name": "A" * 11}},
            "contact.name",
            "Mag hoogstens 10 tekens lang zijn.",
            "Must be at most 10 characters long.",
        ),
        (
            {"contact": {"name": "Anna", "tags": ["a", "b", "c"]}},
            "contact.tags",
            "Mag hoogstens 2 elementen bevatten.",
            "Must contain at most 2 items.",
        ),
        (
            {"contact": {"name": "Anna", "employees": 0}},
            "contact.employees",
            "Moet 1 of meer zijn.",
            "Must be 1 or more.",
        ),
        (
            {"contact": {"name": "Anna", "employees": None}},
            "contact.employees",
            "Moet een geheel getal zijn.",
            "Must be a whole number.",
        ),
        (
            {"contact": {"name": "Anna", "extra": 1}},
            "contact",
            "Onbekend veld `extra`.",
            "Unknown field `extra`.",
        ),
    ],
)
async def test_body_messages_in_both_languages(api, body, field, dutch, english):
    assert errors(await api.post("/api/v1/_test/contacts", json=body)) == {field: dutch}
    en = await api.post("/api/v1/_test/contacts", json=body, headers=EN)
    assert errors(en) == {field: english}


async def test_a_domain_errors_default_detail_follows_the_language(client, migrated):
    # ValidationFailed's own default detail (coop.errors) in an endpoint that raises it.
    from tests.api.test_banenafspraak_api import coordinator

    headers = await coordinator()
    nl = await client.get("/api/v1/banenafspraak?year=abc", headers=headers)
    assert nl.json()["detail"] == "Een of meer velden zijn niet goed ingevuld."
    en = await client.get("/api/v1/banenafspraak?year=abc", headers={**headers, **EN})
    assert en.json()["detail"] == "One or more fields have not been filled in correctly."
    assert (
        en.json()["title"] == "The input is not correct" or en.json()["title"] != nl.json()["title"]
    )


async def test_a_message_of_an_unknown_kind_passes_unchanged():
    from coop.web.problems import validation_message

    assert validation_message("Invalid base64 encoded string") == "Invalid base64 encoded string"
