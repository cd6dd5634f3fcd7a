"""CSV export and import of members, as Excel in the Netherlands reads and writes them:
semicolon-separated, UTF-8 with a byte-order mark. The columns have Dutch names; the
import reads the same columns (the derived ones, gemeente and regio, are ignored), so an
export can be edited and imported again as new members.

The import checks every row before it writes anything: a dry run reports each row's
problems; the real run writes all rows in one transaction, or none.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable
from typing import Any

from coop import db
from coop.accounts.principal import Principal
from coop.audit.log import record
from coop.errors import FieldError
from coop.members import repository, rules
from coop.members.rules import Status
from coop.web.i18n import gettext as _

# column -> organisation field (None: exported, not imported)
COLUMNS: dict[str, str | None] = {
    "naam": "name",
    "kvk_nummer": "kvk_number",
    "vestigingsnummer": "establishment_number",
    "adres": "street_address",
    "postcode": "postcode",
    "plaats": "city",
    "gemeentecode": "municipality_code",
    "gemeente": None,
    "regio": None,
    "sector": "sector",
    "medewerkers": "employees",
    "verloonde_uren": "yearly_paid_hours",
    "overheid": "public_employer",
    "website": "website",
    "status": None,
}
REQUIRED_COLUMNS = ("naam", "kvk_nummer", "adres", "postcode", "plaats", "gemeentecode")
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


def cell(value: object) -> str:
    """A cell a spreadsheet shows as text, never a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _row(member: dict[str, Any]) -> list[str]:
    values = {
        **{column: member.get(field) for column, field in COLUMNS.items() if field},
        "gemeente": member.get("municipality_name"),
        "regio": member.get("region_name"),
        "overheid": "ja" if member.get("public_employer") else "nee",
        "status": member.get("status"),
    }
    return [cell(values[column]) for column in COLUMNS]


async def export_lines(principal: Principal, filters: repository.Filters) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(list(COLUMNS))
    yield "\ufeff" + buffer.getvalue()
    offset = 0
    while True:
        rows, _total = await repository.list_members(
            principal, filters, limit=500, offset=offset, columns=repository.DETAIL_COLUMNS
        )
        if not rows:
            return
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(_row(r) for r in rows)
        yield buffer.getvalue()
        offset += len(rows)


class RowResult:
    def __init__(self, number: int, name: str, values: dict[str, Any], errors: list[FieldError]):
        self.number = number
        self.name = name
        self.values = values
        self.errors = errors


def parse(data: bytes) -> tuple[list[RowResult], list[str]]:
    """Every row checked, and the problems of the file as a whole."""
    if len(data) > MAX_BYTES:
        return [], [_("Het bestand is te groot (hoogstens 5 MB).")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("Sla het bestand op als CSV UTF-8 en probeer het opnieuw.")]
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return [], [
            _(
                "Deze kolommen ontbreken: %(columns)s. Gebruik de kolommen van de export.",
                columns=", ".join(missing),
            )
        ]
    reader.fieldnames = header
    results: list[RowResult] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            return results, [_("Hoogstens %(max)s rijen per bestand.", max=MAX_ROWS)]
        if not any((v or "").strip() for k, v in raw.items() if k):
            continue  # an empty line
        values = {
            field: (raw.get(column) or "").strip().lstrip("'")
            for column, field in COLUMNS.items()
            if field
        }
        if "sector" in values:
            values["sector"] = values["sector"].lower()
        clean, errors = rules.check_organisation(values)
        kvk = clean.get("kvk_number")
        if kvk and kvk in seen:
            errors.append(
                FieldError(
                    "kvk_number",
                    _("Dit KvK-nummer staat ook in rij %(row)s.", row=seen[kvk]),
                )
            )
        elif kvk:
            seen[kvk] = number
        results.append(RowResult(number, values.get("name") or "", clean, errors))
    if not results:
        return [], [_("Het bestand bevat geen rijen.")]
    return results, []


async def check_against_database(results: Iterable[RowResult]) -> None:
    for result in results:
        kvk = result.values.get("kvk_number")
        if kvk and await repository.kvk_taken(kvk):
            result.errors.append(
                FieldError("kvk_number", _("Er is al een lid met dit KvK-nummer."))
            )


async def import_rows(
    principal: Principal | None,
    results: list[RowResult],
    *,
    client_ip: str = "",
    actor_name: str = "",
) -> int:
    """Write every row, all in one transaction; call only when no row has errors.
    ``principal`` is None for the command line, which names itself by ``actor_name``."""
    assert not any(r.errors for r in results)
    async with db.write_transaction():
        for result in results:
            if await repository.kvk_taken(result.values["kvk_number"]):
                raise repository.duplicate_kvk()
            organisation_id = await repository.insert_member(
                result.values,
                status=Status.ACTIEF,
                actor=principal,
                actor_name=actor_name,
                reason=_("Geïmporteerd uit een CSV-bestand."),
            )
            await record(
                "member_imported",
                actor=principal,
                actor_email=actor_name,
                object_type="organisation",
                object_id=organisation_id,
                client_ip=client_ip,
            )
    return len(results)


async def check_file(data: bytes) -> tuple[list[RowResult], list[str]]:
    """Every row checked, against the rules and the database: the page's and the
    command's one check before anything is written."""
    results, problems = parse(data)
    if not problems:
        await check_against_database(results)
    return results, problems


def column_of(field: str) -> str:
    return next((c for c, f in COLUMNS.items() if f == field), field)
