"""The audit viewer at /beheer/audit: staff only, newest first, filters, pages, CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from coop.accounts.roles import Role
from coop.audit.tables import AuditEvent
from tests import factories

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


async def event(
    action: str = "login",
    *,
    at: datetime = T0,
    actor_email: str = "jan@example.nl",
    object_type: str = "user",
    object_id: str = "7",
    detail: str = "",
) -> None:
    await AuditEvent.insert(
        AuditEvent(
            at=at,
            actor_id=None,
            actor_email=actor_email,
            action=action,
            object_type=object_type,
            object_id=object_id,
            client_ip="192.0.2.1",
            detail=detail,
        )
    )


def rows(html: str) -> list[str]:
    """The body rows of the events table, as text without tags."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
async def staff(client, migrated):
    coordinator = await factories.user(Role.COORDINATOR, email="co@cooperatie.test")
    await factories.login(client, coordinator)
    return client


async def test_newest_first_in_an_accessible_table(staff):
    await event("login", at=T0, actor_email="oud@example.nl")
    await event("logout", at=T0 + timedelta(hours=1), actor_email="nieuw@example.nl")
    r = await staff.get("/beheer/audit?email=example.nl")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "no-store" in r.headers["cache-control"]
    assert "<caption id=" in r.text
    headers = re.findall(r"<th(?:\s[^>]*)?>", r.text)
    assert len(headers) == 6 and all('scope="col"' in h for h in headers)
    found = rows(r.text)
    assert len(found) == 2
    assert "nieuw@example.nl" in found[0] and "Uitgelogd" in found[0]
    assert "oud@example.nl" in found[1] and "Ingelogd" in found[1]
    # Shown in Dutch time (CET in March): 12:00 UTC is 13:00.
    assert "13:00:00" in found[1]
    assert 'datetime="2026-03-10T13:00:00+01:00"' in r.text


async def test_the_viewers_own_login_is_in_the_log(staff):
    r = await staff.get("/beheer/audit?actie=login")
    assert any("co@cooperatie.test" in row for row in rows(r.text))


async def test_shows_the_events_fields_and_escapes_them(staff):
    await event(
        "login_failed",
        actor_email="<script>alert(1)</script>@x.nl",
        detail="wrong password",
        object_id="42",
    )
    r = await staff.get("/beheer/audit?actie=login_failed")
    (row,) = rows(r.text)
    assert "Inloggen mislukt" in row and "wrong password" in row and "192.0.2.1" in row
    assert "Gebruiker 42" in row
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;" in r.text
    # The object links to every event of that record.
    assert 'href="/beheer/audit?objecttype=user&amp;objectid=42"' in r.text


async def test_filters(staff):
    await event("login", actor_email="anna@bakkerij.nl", object_id="1")
    await event("logout", actor_email="ANNA@bakkerij.nl", object_id="1")
    await event("login", actor_email="piet@bouw.nl", object_id="2", object_type="user")
    await event("token_created", actor_email="piet@bouw.nl", object_type="api_token", object_id="2")
    await event("login", actor_email="a_b@x.nl", object_id="3")
    await event("login", actor_email="axb@x.nl", object_id="4")

    async def found(query: str) -> list[str]:
        r = await staff.get("/beheer/audit?" + query)
        assert r.status_code == 200, r.text
        return rows(r.text)

    assert len(await found("email=bakkerij")) == 2  # case-insensitive
    assert len(await found("email=BAKKERIJ&actie=logout")) == 1
    assert len(await found("objecttype=api_token")) == 1
    assert len(await found("objecttype=user&objectid=2")) == 1
    # What is typed is literal text: "_" and "%" are no wildcards.
    (row,) = await found("email=a_b")
    assert "a_b@x.nl" in row
    assert await found("email=%25") == []


async def test_dates_are_dutch_days_inclusive(staff):
    # 23:30 UTC on 9 March is 00:30 on 10 March in the Netherlands.
    await event("login", at=datetime(2026, 3, 9, 23, 30, tzinfo=UTC), object_id="a")
    await event("login", at=datetime(2026, 3, 9, 22, 30, tzinfo=UTC), object_id="b")
    await event("login", at=datetime(2026, 3, 11, 22, 59, tzinfo=UTC), object_id="c")
    await event("login", at=datetime(2026, 3, 11, 23, 0, tzinfo=UTC), object_id="d")

    async def ids(query: str) -> set[str]:
        r = await staff.get("/beheer/audit?actie=login&email=example.nl&" + query)
        assert r.status_code == 200, r.text
        return {m for m in re.findall(r"Gebruiker (\w+)", "\n".join(rows(r.text)))}

    assert await ids("van=2026-03-10&tot=2026-03-11") == {"a", "c"}
    assert await ids("van=10-03-2026") == {"a", "c", "d"}
    assert await ids("tot=9-3-2026") == {"b"}
    r = await staff.get("/beheer/audit?van=2026-03-10")
    assert 'value="10-3-2026"' in r.text  # kept in the form, as people write it


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("van=gisteren", "van", "Vul een datum in zoals 31-12-2026."),
        ("tot=31-02-2026", "tot", "Vul een datum in zoals 31-12-2026."),
        ("van=0001-01-01", "van", "Vul een datum tussen 2000 en 2100 in."),
        ("tot=9999-12-31", "tot", "Vul een datum tussen 2000 en 2100 in."),
        ("van=2026-03-10&tot=2026-03-01", "tot", "ligt vóór de datum"),
        ("actie=drop_tables", "actie", "Kies een actie uit de lijst."),
        ("objecttype=geheim", "objecttype", "Kies een soort object uit de lijst."),
        ("objectid=" + "1" * 41, "objectid", "hoogstens 40 tekens"),
    ],
)
async def test_bad_filter_input_is_a_dutch_error_next_to_the_field(staff, query, field, message):
    r = await staff.get("/beheer/audit?" + query)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/html")
    # The message sits in the field's own block, linked from the summary at the top.
    block = r.text.split(f'<label for="veld-{field}">', 1)[1].split("</div>", 1)[0]
    assert message in block.replace("&#39;", "'")
    assert f'id="veld-{field}"' in block and 'aria-invalid="true"' in block
    assert f'href="#veld-{field}"' in r.text
    assert "<table" not in r.text
    if field == "van" and "gisteren" in query:
        assert 'value="gisteren"' in r.text  # what was typed is kept


async def test_pages_of_fifty_keep_the_filters(staff):
    for i in range(120):
        await event("login", at=T0 + timedelta(minutes=i), object_id=str(i))
    await event("logout", at=T0, object_id="x")
    r = await staff.get("/beheer/audit?actie=login&email=example.nl")
    assert len(rows(r.text)) == 50
    assert "Gebruiker 119" in rows(r.text)[0]
    assert "120 gebeurtenissen gevonden." in r.text
    assert "Pagina 1 van 3" in r.text
    assert 'rel="prev"' not in r.text
    next_url = re.search(r'<a href="([^"]+)" rel="next">', r.text).group(1).replace("&amp;", "&")
    assert next_url == "/beheer/audit?email=example.nl&actie=login&pagina=2"
    assert '<nav class="pagination" aria-label=' in r.text

    r = await staff.get(next_url)
    assert "Gebruiker 69" in rows(r.text)[0]
    prev_url = re.search(r'<a href="([^"]+)" rel="prev">', r.text).group(1).replace("&amp;", "&")
    assert prev_url == "/beheer/audit?email=example.nl&actie=login"

    r = await staff.get("/beheer/audit?actie=login&email=example.nl&pagina=3")
    assert len(rows(r.text)) == 20 and 'rel="next"' not in r.text
    # A page past the end shows the last one; nonsense shows the first.
    r = await staff.get("/beheer/audit?actie=login&email=example.nl&pagina=999999999999")
    assert r.status_code == 200 and "Pagina 3 van 3" in r.text
    r = await staff.get("/beheer/audit?actie=login&email=example.nl&pagina=drie")
    assert r.status_code == 200 and "Pagina 1 van 3" in r.text


async def test_no_events_for_the_filters(staff):
    r = await staff.get("/beheer/audit?email=niemand")
    assert r.status_code == 200
    assert "Er zijn geen gebeurtenissen die bij deze filters passen." in r.text
    assert "<table" not in r.text


async def test_csv_export_of_the_filtered_list(staff):
    await event("login_failed", actor_email='=HYPERLINK("http://evil")', detail="unknown account")
    await event("login_failed", actor_email="jan@example.nl", at=T0 + timedelta(seconds=1))
    await event("logout", actor_email="jan@example.nl")
    r = await staff.get("/beheer/audit.csv?actie=login_failed")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert "no-store" in r.headers["cache-control"]
    assert r.content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:4] == ["Tijdstip", "Gebruikers-id", "E-mailadres", "Actie"]
    assert len(table) == 3
    assert table[1][2] == "jan@example.nl" and table[1][0] == "2026-03-10T13:00:01+01:00"
    # Never a formula in someone's spreadsheet.
    assert table[2][2] == '\'=HYPERLINK("http://evil")'
    page = await staff.get("/beheer/audit?actie=login_failed")
    assert 'href="/beheer/audit.csv?actie=login_failed"' in page.text
    bad = await staff.get("/beheer/audit.csv?van=gisteren")
    assert bad.status_code == 400 and "Vul een datum in" in bad.text


async def test_the_csv_export_reads_every_batch(staff):
    from coop.audit import repository

    for i in range(7):
        await event("login", object_id=str(i), at=T0 + timedelta(minutes=i))
    seen = [
        row["object_id"]
        async for row in repository.iter_events(
            repository.AuditFilter(actor_email="example.nl"), batch=3
        )
    ]
    assert seen == [str(i) for i in reversed(range(7))]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.WSP])
async def test_only_staff(client, migrated, role):
    user = await factories.user(role)
    await factories.login(client, user)
    for path in ("/beheer/audit", "/beheer/audit.csv"):
        r = await client.get(path)
        assert r.status_code == 403
        assert "Geen toegang" in r.text


async def test_anonymous_is_sent_to_login(client, migrated):
    for path in ("/beheer/audit", "/beheer/audit.csv"):
        r = await client.get(path)
        assert r.status_code == 303
        assert r.headers["location"].startswith("/login?volgende=")


async def test_admin_sees_it_too(client, migrated):
    admin = await factories.user(Role.ADMIN)
    await factories.login(client, admin)
    assert (await client.get("/beheer/audit")).status_code == 200


async def test_in_english(staff):
    r = await staff.get("/beheer/audit?lang=en&van=gisteren")
    assert '<input type="hidden" name="lang" value="en">' in r.text
