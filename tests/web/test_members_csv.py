"""CSV export of the filtered member list and CSV import with a dry run."""

from __future__ import annotations

from coop.audit.tables import AuditEvent
from coop.members.tables import Organisation
from tests import factories
from tests.web.test_members_admin import coordinator_client, member

HEADER = (
    "naam;kvk_nummer;vestigingsnummer;adres;postcode;plaats;gemeentecode;sector;medewerkers;"
    "overheid;website"
)
GOOD = [
    "Drukkerij Het Blad;20000001;;Industrieweg 4;7811aa;Emmen;GM0114;c;40;nee;",
    "Gemeente Tynaarlo;20000002;;Kerkstraat 1;9481 AB;Vries;GM1730;o;300;ja;www.tynaarlo.nl",
]


def csv_bytes(*lines: str, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n").encode()


async def upload(client, data: bytes, action: str):
    page = await client.get("/beheer/leden/import")
    assert page.status_code == 200
    return await client.post(
        "/beheer/leden/import",
        data={"_csrf": factories.csrf_from(page.text), "actie": action},
        files={"bestand": ("leden.csv", data, "text/csv")},
    )


async def test_export_is_semicolon_utf8_with_bom_and_follows_the_filter(client, migrated):
    await member("Bakkerij Één", "10000001")
    await member('=HYPERLINK("x")', "10000002", sector="f")
    await coordinator_client(client)
    r = await client.get("/beheer/leden/export.csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith("\ufeff".encode())
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("naam;kvk_nummer;")
    assert len(lines) == 3
    assert any(
        line.startswith("Bakkerij Één;10000001;") and ";Assen;Groningen;" in line for line in lines
    )
    assert any(line.startswith("\"'=HYPERLINK") for line in lines)  # never a formula
    filtered = await client.get("/beheer/leden/export.csv?sector=f")
    assert len(filtered.content.decode("utf-8-sig").splitlines()) == 2


async def test_import_dry_run_reports_every_row_and_writes_nothing(client, migrated):
    await member("Bestaand", "20000009")
    await coordinator_client(client)
    data = csv_bytes(
        HEADER,
        GOOD[0],
        "Fout BV;123;;Straat 1;0000 AA;X;Atlantis;z;veel;nee;ftp://x",
        "Dubbel BV;20000001;;Straat 2;1234 AB;Y;GM0106;c;3;nee;",
        "Bestaat al;20000009;;Straat 3;1234 AB;Y;GM0106;c;3;nee;",
    )
    for action in ("controleren", "importeren"):
        r = await upload(client, data, action)
        assert r.status_code == 400, r.text
        assert "3 rijen hebben fouten" in r.text
        for column in (
            "kvk_nummer",
            "postcode",
            "gemeentecode",
            "sector",
            "medewerkers",
            "website",
        ):
            assert f"<td>{column}</td>" in r.text, column
        assert "ook in rij 2" in r.text and "al een lid met dit KvK-nummer" in r.text
    assert await Organisation.count() == 1


async def test_import_valid_file_dry_run_then_for_real(client, migrated):
    await coordinator_client(client)
    data = csv_bytes(HEADER, *GOOD)
    r = await upload(client, data, "controleren")
    assert r.status_code == 200 and "Alle 2 rijen zijn goed" in r.text
    assert await Organisation.count() == 0
    r = await upload(client, data, "importeren")
    assert r.status_code == 303
    rows = await Organisation.select().order_by(Organisation.kvk_number)
    assert [(o["name"], o["postcode"], o["status"]) for o in rows] == [
        ("Drukkerij Het Blad", "7811 AA", "actief"),
        ("Gemeente Tynaarlo", "9481 AB", "actief"),
    ]
    assert rows[1]["public_employer"] is True and rows[1]["website"] == "https://www.tynaarlo.nl"
    assert await AuditEvent.count().where(AuditEvent.action == "member_imported") == 2


async def test_import_refuses_a_file_it_cannot_read(client, migrated):
    await coordinator_client(client)
    r = await upload(client, csv_bytes("naam;plaats", "X;Y"), "controleren")
    assert r.status_code == 400 and "Deze kolommen ontbreken" in r.text
    r = await upload(client, "naam;kvk\n\xff".encode("latin-1"), "controleren")
    assert r.status_code == 400 and "UTF-8" in r.text
    r = await upload(client, csv_bytes(HEADER, *GOOD, bom=False).replace(b";", b","), "controleren")
    assert r.status_code == 200  # comma-separated works too
