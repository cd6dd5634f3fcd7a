"""Queries of stored scans: the one place that reads and writes ``selfscan_scan``.

A link is looked up by the SHA-256 of its token (:mod:`selfscan.scans.tokens`); an
unknown, malformed or expired token finds nothing, and the caller cannot tell which.
Writes that read first (merging answers into a draft) run in one transaction that takes
the write lock up front: IMMEDIATE on SQLite, ``SELECT ... FOR UPDATE`` on PostgreSQL,
so two tabs saving at once lose no answers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from piccolo.engine.sqlite import TransactionType

from selfscan.model import OrganisationProfile, ScanResult, ThemeResult
from selfscan.scans import tokens
from selfscan.scans.tables import Scan
from selfscan.tenants.tables import Tenant

DRAFT = "draft"
COMPLETED = "completed"

_COLUMNS = (
    Scan.id,
    Scan.tenant,
    Scan.tenant.slug.as_alias("tenant_slug"),
    Scan.version,
    Scan.lang,
    Scan.status,
    Scan.source,
    Scan.answers,
    Scan.employees,
    Scan.yearly_paid_hours,
    Scan.sector,
    Scan.overall,
    Scan.level,
    Scan.themes,
    Scan.priorities,
    Scan.created_at,
    Scan.updated_at,
    Scan.completed_at,
    Scan.expires_at,
)


# The same columns as _COLUMNS, for the direct path on PostgreSQL.
_FIND_POSTGRES = """
SELECT s.id, s.tenant, t.slug AS tenant_slug, s.version, s.lang, s.status, s.source,
       s.answers, s.employees, s.yearly_paid_hours, s.sector, s.overall, s.level, s.themes,
       s.priorities, s.created_at, s.updated_at, s.completed_at, s.expires_at
FROM selfscan_scan AS s JOIN selfscan_tenant AS t ON t.id = s.tenant
WHERE s.token_hash = $1
"""


def now() -> datetime:
    return datetime.now(UTC)


class StoredScan(msgspec.Struct, frozen=True, kw_only=True):
    """One scan as stored. ``result`` is the stored outcome (None for a draft): the
    figures of the day it was completed, never scored again."""

    id: int
    tenant_id: int
    tenant_slug: str
    version: str
    lang: str
    status: str
    source: str
    answers: dict[str, str]
    profile: OrganisationProfile
    result: ScanResult | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    expires_at: datetime

    @property
    def completed(self) -> bool:
        return self.status == COMPLETED


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _stored(row: dict[str, Any]) -> StoredScan:
    answers = _json(row["answers"]) or {}
    themes = _json(row["themes"])
    result = None
    if row["status"] == COMPLETED and themes is not None:
        result = ScanResult(
            version=row["version"],
            overall=row["overall"],
            level=row["level"],
            themes=tuple(ThemeResult(t["id"], t["score"], t["band"]) for t in themes),
            priorities=tuple(_json(row["priorities"]) or ()),
            answers=dict(answers),
        )
    return StoredScan(
        id=row["id"],
        tenant_id=row["tenant"],
        tenant_slug=row["tenant_slug"],
        version=row["version"],
        lang=row["lang"],
        status=row["status"],
        source=row["source"],
        answers=answers,
        profile=OrganisationProfile(
            employees=row["employees"],
            yearly_paid_hours=row["yearly_paid_hours"],
            sector=row["sector"],
        ),
        result=result,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        completed_at=row["completed_at"],
        expires_at=row["expires_at"],
    )


def _outcome(result: ScanResult) -> dict[str, Any]:
    """The columns that hold a completed scan's outcome."""
    return {
        Scan.status: COMPLETED,
        Scan.overall: result.overall,
        Scan.level: result.level,
        Scan.themes: [{"id": t.id, "score": t.score, "band": t.band} for t in result.themes],
        Scan.priorities: list(result.priorities),
    }


def _profile(profile: OrganisationProfile) -> dict[str, Any]:
    return {
        Scan.employees: profile.employees,
        Scan.yearly_paid_hours: profile.yearly_paid_hours,
        Scan.sector: profile.sector,
        Scan.size_class: profile.size_class,
    }


def _write_transaction():  # type: ignore[no-untyped-def]
    db = Scan._meta.db
    if db.engine_type == "sqlite":
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


# --- tenants -------------------------------------------------------------------------------


async def active_tenant(slug: str) -> dict[str, Any] | None:
    """An active tenant, or None: ``id``, ``slug``, ``name`` and what the scan pages show
    of it (``primary_colour``, ``secondary_colour``, ``logo_type``, ``contact_name``,
    ``contact_email``, ``contact_phone``, ``privacy_url``, ``allowed_origins`` (a list),
    ``updated_at``); never the logo's bytes."""
    row = (
        await Tenant.select(
            Tenant.id,
            Tenant.slug,
            Tenant.name,
            Tenant.primary_colour,
            Tenant.secondary_colour,
            Tenant.logo_type,
            Tenant.contact_name,
            Tenant.contact_email,
            Tenant.contact_phone,
            Tenant.privacy_url,
            Tenant.allowed_origins,
            Tenant.updated_at,
        )
        .where((Tenant.slug == slug) & (Tenant.active == True))  # noqa: E712
        .output(load_json=True)
        .first()
    )
    if row is not None and not isinstance(row["allowed_origins"], list):
        row["allowed_origins"] = []
    return row


async def ensure_tenant(slug: str, name: str, when: datetime | None = None) -> int:
    """The id of tenant ``slug``, made (active) when missing; for demo data and tests."""
    found = await Tenant.select(Tenant.id).where(Tenant.slug == slug).first()
    if found:
        return found["id"]
    rows = await Tenant.insert(
        Tenant(slug=slug, name=name, active=True, created_at=when or now())
    ).returning(Tenant.id)
    return rows[0]["id"]


# --- scans ---------------------------------------------------------------------------------


def _new_row(
    *,
    tenant_id: int,
    version: str,
    lang: str,
    source: str,
    when: datetime,
    link_days: int,
) -> tuple[str, dict[str, Any]]:
    """A new scan's columns (by name) and its token."""
    token = tokens.new_token()
    row = {
        "token_hash": tokens.hash_token(token),
        "tenant": tenant_id,
        "version": version,
        "lang": lang,
        "status": DRAFT,
        "source": source,
        "answers": {},
        "employees": None,
        "yearly_paid_hours": None,
        "sector": None,
        "size_class": None,
        "overall": None,
        "level": None,
        "themes": None,
        "priorities": None,
        "created_at": when,
        "updated_at": when,
        "completed_at": None,
        "expires_at": when + timedelta(days=link_days),
    }
    return token, row


def _fill(
    row: dict[str, Any], result: ScanResult, profile: OrganisationProfile, when: datetime
) -> None:
    row["answers"] = dict(result.answers)
    for column, value in (*_outcome(result).items(), *_profile(profile).items()):
        row[column._meta.name] = value
    row["completed_at"] = when


_INSERT_COLUMNS = (
    "token_hash",
    "tenant",
    "version",
    "lang",
    "status",
    "source",
    "answers",
    "employees",
    "yearly_paid_hours",
    "sector",
    "size_class",
    "overall",
    "level",
    "themes",
    "priorities",
    "created_at",
    "updated_at",
    "completed_at",
    "expires_at",
)
_JSON_COLUMNS = frozenset({"answers", "themes", "priorities"})
# Fixed column names; the values are parameters.
_INSERT_POSTGRES = (
    f"INSERT INTO selfscan_scan ({', '.join(_INSERT_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join(f'${n}' for n in range(1, len(_INSERT_COLUMNS) + 1))})"
)


def _direct_pool() -> Any:
    """The PostgreSQL connection pool when a query may bypass Piccolo: a pool is open and
    no Piccolo transaction is running (it would not see the query). None otherwise.

    The hot paths (one new scan in the API, reading a scan by its link) use it: building a
    Piccolo query for nineteen columns cost as much CPU as the database took to run it.
    Everything else goes through Piccolo."""
    db = Scan._meta.db
    if db.engine_type != "postgres" or db.current_transaction.get() is not None:
        return None
    return getattr(db, "pool", None)


async def _insert(*rows: dict[str, Any]) -> None:
    pool = _direct_pool()
    if len(rows) == 1 and pool is not None:
        row = rows[0]
        values = [
            _ENCODE(row[name]).decode()
            if name in _JSON_COLUMNS and row[name] is not None
            else row[name]
            for name in _INSERT_COLUMNS
        ]
        async with pool.acquire() as connection:
            await connection.execute(_INSERT_POSTGRES, *values)
        return
    await Scan.insert(*(Scan(**row) for row in rows))


_ENCODE = msgspec.json.Encoder().encode


async def create_draft(
    *, tenant_id: int, version: str, lang: str, link_days: int, when: datetime | None = None
) -> str:
    """A new empty draft; returns its token (only ever in the link)."""
    token, row = _new_row(
        tenant_id=tenant_id,
        version=version,
        lang=lang,
        source="page",
        when=when or now(),
        link_days=link_days,
    )
    await _insert(row)
    return token


async def create_completed(
    *,
    tenant_id: int,
    result: ScanResult,
    profile: OrganisationProfile,
    lang: str,
    source: str,
    link_days: int,
    when: datetime | None = None,
) -> tuple[str, datetime]:
    """A scan answered and scored in one go (the API, demo data); one INSERT.

    Returns the token and when the link expires."""
    when = when or now()
    token, row = _new_row(
        tenant_id=tenant_id,
        version=result.version,
        lang=lang,
        source=source,
        when=when,
        link_days=link_days,
    )
    _fill(row, result, profile, when)
    await _insert(row)
    return token, row["expires_at"]


async def find(token: str, when: datetime | None = None) -> StoredScan | None:
    """The scan of a link, or None when the token is malformed, unknown or expired."""
    if not tokens.well_formed(token):
        return None
    digest = tokens.hash_token(token)
    pool = _direct_pool()
    if pool is not None:
        async with pool.acquire() as connection:
            found = await connection.fetchrow(_FIND_POSTGRES, digest)
        row = dict(found) if found is not None else None
    else:
        row = (
            await Scan.select(*_COLUMNS)
            .where(Scan.token_hash == digest)
            .first()
            .output(load_json=True)
        )
    if row is None or row["expires_at"] <= (when or now()):
        return None
    return _stored(row)


async def _locked(scan_id: int) -> StoredScan:
    query = Scan.select(*_COLUMNS).where(Scan.id == scan_id).output(load_json=True)
    if Scan._meta.db.engine_type != "sqlite":
        query = query.lock_rows(of=(Scan,))
    rows = await query
    return _stored(rows[0])


async def save_answers(
    scan_id: int, answers: Mapping[str, str], *, lang: str, when: datetime | None = None
) -> StoredScan:
    """Merge answers into the stored ones (later answers win) and return the scan as it is
    now. A completed scan stays completed; the caller scores it again."""
    when = when or now()
    async with _write_transaction():
        scan = await _locked(scan_id)
        merged = {**scan.answers, **answers}
        await Scan.update({Scan.answers: merged, Scan.lang: lang, Scan.updated_at: when}).where(
            Scan.id == scan_id
        )
    return msgspec.structs.replace(scan, answers=merged, lang=lang, updated_at=when)


async def save_profile(
    scan_id: int, profile: OrganisationProfile, *, lang: str, when: datetime | None = None
) -> None:
    await Scan.update({**_profile(profile), Scan.lang: lang, Scan.updated_at: when or now()}).where(
        Scan.id == scan_id
    )


async def complete(
    scan_id: int,
    result: ScanResult,
    profile: OrganisationProfile,
    *,
    lang: str,
    when: datetime | None = None,
) -> None:
    """Store the outcome of a draft (or a changed completed scan) with its profile.

    ``completed_at`` keeps the first completion; ``updated_at`` says when it last changed.
    """
    when = when or now()
    values: dict[Any, Any] = {
        **_outcome(result),
        **_profile(profile),
        Scan.answers: dict(result.answers),
        Scan.lang: lang,
        Scan.updated_at: when,
    }
    async with _write_transaction():
        await Scan.update(values).where(Scan.id == scan_id)
        await Scan.update({Scan.completed_at: when}).where(
            (Scan.id == scan_id) & Scan.completed_at.is_null()
        )


# --- the peer benchmark --------------------------------------------------------------------

_PEERS_SQLITE = """
SELECT json_extract(t.value, '$.id') AS theme,
       SUM(json_extract(t.value, '$.score')) AS total,
       COUNT(*) AS scans
FROM selfscan_scan AS s, json_each(s.themes) AS t
WHERE s.status = 'completed' AND s.size_class = {} AND s.id <> {}
GROUP BY 1
"""

_PEERS_POSTGRES = """
SELECT t.value ->> 'id' AS theme,
       SUM((t.value ->> 'score')::double precision) AS total,
       COUNT(*) AS scans
FROM selfscan_scan AS s, json_array_elements(s.themes::json) AS t
WHERE s.status = 'completed' AND s.size_class = {} AND s.id <> {}
GROUP BY 1
"""


async def peer_totals(size_class: str, exclude_scan_id: int = 0) -> dict[str, tuple[float, int]]:
    """Per theme id: the sum of the stored scores of the completed scans of a size class
    (but ``exclude_scan_id``), and how many scans that is. The caller decides what may be
    shown."""
    sql = _PEERS_SQLITE if Scan._meta.db.engine_type == "sqlite" else _PEERS_POSTGRES
    rows = await Scan.raw(sql, size_class, exclude_scan_id)
    return {row["theme"]: (float(row["total"]), int(row["scans"])) for row in rows}


async def peer_averages(size_class: str, exclude_scan_id: int) -> dict[str, tuple[float, int]]:
    """Per theme id: the mean stored score of the other completed scans of a size class,
    and how many scans that mean is over."""
    totals = await peer_totals(size_class, exclude_scan_id)
    return {theme: (total / count, count) for theme, (total, count) in totals.items()}


# --- demo data -----------------------------------------------------------------------------


async def count_by_source(source: str) -> int:
    return await Scan.count().where(Scan.source == source)


async def insert_completed(
    rows: Iterable[tuple[int, ScanResult, OrganisationProfile, str, datetime]],
    *,
    source: str,
    link_days: int,
) -> int:
    """Many completed scans in one statement: (tenant id, result, profile, lang, when)."""
    made = []
    for tenant_id, result, profile, lang, when in rows:
        _token, row = _new_row(
            tenant_id=tenant_id,
            version=result.version,
            lang=lang,
            source=source,
            when=when,
            link_days=link_days,
        )
        _fill(row, result, profile, when)
        made.append(row)
    if made:
        await Scan.insert(*(Scan(**row) for row in made))
    return len(made)
