"""``coop members import FILE [--dry-run]`` as an operator runs it: a subprocess against the
test database, with the import page's rules (every row checked first, all or nothing)."""

from __future__ import annotations

from coop.audit.tables import AuditEvent
from coop.members.tables import MembershipEvent, Organisation
from tests.cli.test_token_command import coop
from tests.web.test_members_admin import member
from tests.web.test_members_csv import GOOD, HEADER, csv_bytes


async def organisations() -> dict[str, dict]:
    return {r["kvk_number"]: r for r in await Organisation.select()}


async def test_dry_run_reports_every_rows_problems_and_writes_nothing(migrated, tmp_path):
    await member("Bestaand", "20000009")
    file = tmp_path / "leden.csv"
    file.write_bytes(
        csv_bytes(
            HEADER,
            GOOD[0],
            "Fout BV;123;;Straat 1;0000 AA;X;Atlantis;z;veel;nee;ftp://x",
            "Dubbel BV;20000001;;Straat 2;1234 AB;Assen;GM0106;c;5;nee;",
            "Al lid BV;20000009;;Straat 3;1234 AB;Assen;GM0106;c;5;nee;",
        )
    )
    for args in (("--dry-run",), ()):
        result = coop(tmp_path, migrated, "members", "import", str(file), *args)
        assert result.returncode == 1, result.stdout + result.stderr
        err = result.stderr
        # Row 3: every field's problem, named by its column, in Dutch.
        assert "leden.csv:3: kvk_nummer: Een KvK-nummer heeft 8 cijfers" in err
        for column in ("postcode", "gemeentecode", "sector", "medewerkers", "website"):
            assert f"leden.csv:3: {column}: " in err, column
        assert "leden.csv:4: kvk_nummer: Dit KvK-nummer staat ook in rij 2." in err
        assert "leden.csv:5: kvk_nummer: Er is al een lid met dit KvK-nummer." in err
        assert "leden.csv:2:" not in err  # the good row has no problem
        assert "3 of 4 row(s) have problems; nothing was written." in err
        assert set(await organisations()) == {"20000009"}
    assert await AuditEvent.count().where(AuditEvent.action == "member_imported") == 0


async def test_a_valid_file_dry_run_then_for_real(migrated, tmp_path):
    file = tmp_path / "leden.csv"
    file.write_bytes(csv_bytes(HEADER, *GOOD))
    result = coop(tmp_path, migrated, "members", "import", str(file), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "2 row(s) checked, all valid; nothing written (--dry-run)." in result.stdout
    assert await organisations() == {}

    result = coop(tmp_path, migrated, "members", "import", str(file))
    assert result.returncode == 0, result.stderr
    assert "2 member(s) imported." in result.stdout
    rows = await organisations()
    assert set(rows) == {"20000001", "20000002"}
    tynaarlo = rows["20000002"]
    assert tynaarlo["postcode"] == "9481 AB" and tynaarlo["public_employer"] is True
    assert tynaarlo["website"] == "https://www.tynaarlo.nl" and tynaarlo["status"] == "actief"
    events = await AuditEvent.select().where(AuditEvent.action == "member_imported")
    assert len(events) == 2
    assert {e["actor_email"] for e in events} == {"cli"}
    assert all(e["actor_id"] is None for e in events)
    history = await MembershipEvent.select().where(MembershipEvent.organisation == tynaarlo["id"])
    assert [(h["to_status"], h["actor_name"]) for h in history] == [("actief", "cli")]

    # The same file again: every row is now a duplicate, and nothing more is written.
    again = coop(tmp_path, migrated, "members", "import", str(file))
    assert again.returncode == 1
    assert again.stderr.count("Er is al een lid met dit KvK-nummer.") == 2
    assert len(await organisations()) == 2


async def test_problems_in_english_and_files_it_cannot_read(migrated, tmp_path):
    file = tmp_path / "leden.csv"
    file.write_bytes(csv_bytes(HEADER, "Fout BV;123;;Straat 1;1234 AB;X;GM0106;c;5;nee;"))
    result = coop(tmp_path, migrated, "members", "import", str(file), "--lang", "en")
    assert result.returncode == 1
    assert (
        "leden.csv:2: kvk_nummer: A Chamber of Commerce (KvK) number has 8 digits" in result.stderr
    )

    file.write_bytes(csv_bytes("naam;plaats", "X;Y"))
    result = coop(tmp_path, migrated, "members", "import", str(file))
    assert result.returncode == 1
    assert "Deze kolommen ontbreken: kvk_nummer, adres, postcode, gemeentecode." in result.stderr
    assert "nothing was written" in result.stderr

    file.write_bytes("naam;kvk_nummer\r\nBakkerij \xe9\r\n".encode("latin-1"))
    result = coop(tmp_path, migrated, "members", "import", str(file))
    assert result.returncode == 1 and "CSV UTF-8" in result.stderr

    missing = coop(tmp_path, migrated, "members", "import", str(tmp_path / "weg.csv"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert await organisations() == {}
