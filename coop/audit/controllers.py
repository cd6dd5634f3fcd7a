"""The audit viewer for the cooperative's staff: who did what to which record, and when.

It shows the fields of each event and nothing more; the detail text is non-sensitive by
design (:func:`coop.audit.log.record`). Filters travel in the query string, so a filtered
page can be bookmarked, and pagination keeps them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from litestar import Controller, MediaType, Request, get
from litestar.datastructures import CacheControlHeader
from litestar.response import Stream, Template

from coop.accounts.auth import requires
from coop.accounts.roles import Role
from coop.audit import repository
from coop.audit.repository import LOCAL_ZONE, AuditFilter
from coop.web.i18n import format_date
from coop.web.i18n import gettext as _
from coop.web.templating import url

PAGE_SIZE = 50
FIRST_YEAR, LAST_YEAR = 2000, 2100
FILTER_PARAMS = ("email", "actie", "objecttype", "objectid", "van", "tot")
NO_STORE = CacheControlHeader(no_store=True)
CSV_FIELDS = ("actor_email", "action", "object_type", "object_id", "client_ip", "detail")


def action_labels() -> dict[str, str]:
    """Readable names of the actions the service records; an unknown one shows its code."""
    return {
        "login": _("Ingelogd"),
        "login_failed": _("Inloggen mislukt"),
        "logout": _("Uitgelogd"),
        "second_factor_failed": _("Tweede factor mislukt"),
        "second_factor_enrolled": _("Tweede factor ingesteld"),
        "second_factor_reset": _("Tweede factor verwijderd"),
        "password_changed": _("Wachtwoord gewijzigd"),
        "password_change_failed": _("Wachtwoord wijzigen mislukt"),
        "password_reset_requested": _("Wachtwoordherstel aangevraagd"),
        "password_reset_refused": _("Wachtwoordherstel geweigerd"),
        "password_reset": _("Wachtwoord hersteld"),
        "user_created": _("Gebruiker aangemaakt"),
        "user_invited": _("Gebruiker uitgenodigd"),
        "invitation_accepted": _("Uitnodiging aangenomen"),
        "role_changed": _("Rol gewijzigd"),
        "user_deactivated": _("Gebruiker gedeactiveerd"),
        "user_activated": _("Gebruiker weer geactiveerd"),
        "token_created": _("API-token aangemaakt"),
        "token_revoked": _("API-token ingetrokken"),
        "tenant_created": _("Werkgeversservicepunt aangemaakt"),
        "tenant_updated": _("Werkgeversservicepunt gewijzigd"),
        "tenant_settings_changed": _("Instellingen werkgeversservicepunt opgeslagen"),
        "tenant_logo_set": _("Logo werkgeversservicepunt geplaatst"),
        "tenant_logo_removed": _("Logo werkgeversservicepunt verwijderd"),
        "member_created": _("Lid aangemaakt"),
        "member_updated": _("Lid gewijzigd"),
        "member_imported": _("Lid geïmporteerd"),
        "member_status_changed": _("Lidmaatschapsstatus gewijzigd"),
        "member_end_requested": _("Opzegging aangevraagd"),
        "member_contribution_set": _("Contributie vastgelegd"),
        "member_contact_added": _("Contactpersoon toegevoegd"),
        "member_contact_updated": _("Contactpersoon gewijzigd"),
        "member_contact_removed": _("Contactpersoon verwijderd"),
        "application_submitted": _("Aanmelding ontvangen"),
        "application_approved": _("Aanmelding goedgekeurd"),
        "application_refused": _("Aanmelding afgewezen"),
        "work_package_created": _("Werkpakket aangemaakt"),
        "work_package_updated": _("Werkpakket gewijzigd"),
        "work_package_status_changed": _("Status werkpakket gewijzigd"),
        "pooled_job_created": _("Gecombineerde baan aangemaakt"),
        "pooled_job_package_added": _("Werkpakket aan gecombineerde baan toegevoegd"),
        "pooled_job_package_removed": _("Werkpakket uit gecombineerde baan gehaald"),
        "pooled_job_status_changed": _("Status gecombineerde baan gewijzigd"),
        "place_created": _("Plaats aangemaakt"),
        "place_updated": _("Plaats gewijzigd"),
        "participant_created": _("Deelnemer aangemaakt"),
        "participant_updated": _("Deelnemer gewijzigd"),
        "participant_status_changed": _("Status deelnemer gewijzigd"),
        "participant_read": _("Deelnemer ingezien"),
        "participant_list_read": _("Deelnemerslijst ingezien"),
        "participant_names_read": _("Namen van deelnemers ingezien"),
        "participant_identity_read": _("Identiteit van deelnemer ingezien"),
        "participant_profile_read": _("Anoniem profiel ingezien"),
        "participant_profiles_read": _("Anonieme profielen ingezien"),
        "participant_match_read": _("Gegevens voor toewijzing ingezien"),
        "participant_register_read": _("Doelgroepregistergegevens ingezien"),
        "participant_consents_read": _("Toestemmingen ingezien"),
        "participant_consent_given": _("Toestemming gegeven"),
        "participant_consent_withdrawn": _("Toestemming ingetrokken"),
        "participant_exported": _("Gegevens deelnemer geëxporteerd"),
        "participant_erased": _("Deelnemer gewist"),
        "participant_anonymised": _("Deelnemer geanonimiseerd"),
        "proposal_created": _("Voorstel gemaakt"),
        "placement_created": _("Plaatsing aangemaakt"),
        "placement_read": _("Plaatsing ingezien"),
        "placement_list_read": _("Plaatsingenlijst ingezien"),
        "placement_status": _("Status plaatsing gewijzigd"),
        "placement_wage_value": _("Loonwaarde vastgelegd"),
        "placement_check_in": _("Gesprek vastgelegd"),
        "placement_milestone": _("Mijlpaal beoordeeld"),
        "mail_requeued": _("Mail opnieuw in de wachtrij"),
    }


def object_type_labels() -> dict[str, str]:
    return {
        "user": _("Gebruiker"),
        "api_token": _("API-token"),
        "organisation": _("Organisatie"),
        "tenant": _("Werkgeversservicepunt"),
        "participant": _("Deelnemer"),
        "placement": _("Plaatsing"),
        "application": _("Aanmelding"),
        "work_package": _("Werkpakket"),
        "pooled_job": _("Gecombineerde baan"),
        "place": _("Plaats in de pool"),
        "proposal": _("Voorstel"),
        "mail": _("Mail"),
    }


_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def parse_day(text: str) -> date | None:
    """A date as a browser's date field sends it (2026-03-31) or as people write it
    (31-03-2026, 31/3/2026); None when it is neither."""
    text = text.strip()
    try:
        if match := _DUTCH_DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


class FilterForm:
    """The filters as typed (kept for the form), as parsed, and what is wrong with them."""

    def __init__(self, query: Mapping[str, str], actions: list[str], types: list[str]) -> None:
        self.values = {name: (query.get(name) or "").strip() for name in FILTER_PARAMS}
        self.errors: dict[str, str] = {}
        values = self.values
        if len(values["email"]) > 320:
            self.errors["email"] = _("Een e-mailadres is hoogstens 320 tekens lang.")
        if values["actie"] and values["actie"] not in actions:
            self.errors["actie"] = _("Kies een actie uit de lijst.")
        if values["objecttype"] and values["objecttype"] not in types:
            self.errors["objecttype"] = _("Kies een soort object uit de lijst.")
        if len(values["objectid"]) > 40:
            self.errors["objectid"] = _("Een object-id is hoogstens 40 tekens lang.")
        days: dict[str, date | None] = {}
        for name in ("van", "tot"):
            days[name] = None
            if not values[name]:
                continue
            day = parse_day(values[name])
            if day is None:
                self.errors[name] = _("Vul een datum in zoals 31-12-2026.")
            elif not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.errors[name] = _(
                    "Vul een datum tussen %(first)s en %(last)s in.",
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                )
            else:
                days[name] = day
        if days["van"] and days["tot"] and days["tot"] < days["van"]:
            self.errors["tot"] = _("De datum 'tot en met' ligt vóór de datum 'vanaf'.")
        self.filters = AuditFilter(
            actor_email=values["email"],
            action=values["actie"],
            object_type=values["objecttype"],
            object_id=values["objectid"],
            date_from=days["van"],
            date_to=days["tot"],
        )
        # A valid date goes back into its field as people write it.
        for name in ("van", "tot"):
            day = days[name]
            if day is not None:
                values[name] = f"{day.day}-{day.month}-{day.year}"

    @property
    def active(self) -> dict[str, str]:
        """The filters in use, for links that keep them."""
        return {name: value for name, value in self.values.items() if value}


def _page_number(text: str | None) -> int:
    """The page asked for: a number past the end is the last page (the caller caps it),
    anything else the first."""
    if not text or not text.isascii() or not text.isdigit():
        return 1
    return max(1, int(text)) if len(text) <= 18 else 10**18


async def _choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The options of the two selects: the actions and object types the service knows,
    and any others the log holds."""
    action_names, type_names = action_labels(), object_type_labels()
    actions = sorted(
        set(action_names) | set(await repository.distinct_values("action")),
        key=lambda a: action_names.get(a, a).lower(),
    )
    types = sorted(
        set(type_names) | set(await repository.distinct_values("object_type")),
        key=lambda t: type_names.get(t, t).lower(),
    )
    return (
        [(a, action_names.get(a, a)) for a in actions],
        [(t, type_names.get(t, t)) for t in types],
    )


def local_time(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_ZONE)


def _unbroken(text: str) -> str:
    """Keep "23 nov 2026" and "Gebruiker 12" on one line in a narrow column."""
    return text.replace(" ", "\u00a0")


def _event_view(
    row: dict[str, Any], actions: dict[str, str], types: dict[str, str]
) -> dict[str, Any]:
    at = local_time(row["at"])
    type_label = types.get(row["object_type"], row["object_type"])
    has_object = bool(row["object_type"] and row["object_id"])
    return {
        **row,
        "at": at,
        "day": _unbroken(format_date(at.date(), "d MMM y")),
        "action_label": actions.get(row["action"], row["action"]),
        "object_label": _unbroken(f"{type_label} {row['object_id']}".strip()),
        "object_url": url("/beheer/audit", objecttype=row["object_type"], objectid=row["object_id"])
        if has_object
        else None,
    }


def _csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: never a formula (an email like ``=HYPERLINK(..)``
    typed at the login form must not run in someone's spreadsheet)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def _form(request: Request[Any, Any, Any]) -> tuple[FilterForm, dict[str, Any]]:
    action_options, type_options = await _choices()
    form = FilterForm(
        request.query_params,
        [a for a, _label in action_options],
        [t for t, _label in type_options],
    )
    context: dict[str, Any] = {
        "values": form.values,
        "errors": form.errors,
        "action_options": action_options,
        "type_options": type_options,
        "filtered": bool(form.active),
        "events": [],
        "total": 0,
        "page": 1,
        "pages": 1,
        "previous_url": None,
        "next_url": None,
        "csv_url": url("/beheer/audit.csv", **form.active),
        "clear_url": url("/beheer/audit"),
    }
    return form, context


def _invalid(context: dict[str, Any]) -> Template:
    return Template("audit/list.html", context=context, status_code=400)


class AuditController(Controller):
    include_in_schema = False
    guards = [requires(Role.ADMIN, Role.COORDINATOR)]

    @get("/beheer/audit", name="audit.list", cache_control=NO_STORE, media_type=MediaType.HTML)
    async def list_events(self, request: Request[Any, Any, Any]) -> Template:
        form, context = await _form(request)
        if form.errors:
            return _invalid(context)
        total = await repository.count_events(form.filters)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(_page_number(request.query_params.get("pagina")), pages)
        rows = await repository.list_events(
            form.filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        labels, type_names = dict(context["action_options"]), dict(context["type_options"])

        def page_url(number: int) -> str:
            return url("/beheer/audit", **form.active, pagina=number if number > 1 else None)

        context.update(
            events=[_event_view(row, labels, type_names) for row in rows],
            total=total,
            page=page,
            pages=pages,
            first_number=(page - 1) * PAGE_SIZE + 1,
            last_number=(page - 1) * PAGE_SIZE + len(rows),
            previous_url=page_url(page - 1) if page > 1 else None,
            next_url=page_url(page + 1) if page < pages else None,
        )
        return Template("audit/list.html", context=context)

    @get("/beheer/audit.csv", name="audit.csv", cache_control=NO_STORE)
    async def export(self, request: Request[Any, Any, Any]) -> Template | Stream:
        form, context = await _form(request)
        if form.errors:
            return _invalid(context)
        header = [
            _("Tijdstip"),
            _("Gebruikers-id"),
            _("E-mailadres"),
            _("Actie"),
            _("Soort object"),
            _("Object-id"),
            _("IP-adres"),
            _("Toelichting"),
        ]

        async def lines() -> AsyncIterator[str]:
            # Excel in the Netherlands opens a semicolon-separated UTF-8 file with a BOM
            # straight into columns.
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
            writer.writerow(header)
            yield "\ufeff" + buffer.getvalue()
            async for row in repository.iter_events(form.filters):
                buffer.seek(0)
                buffer.truncate()
                writer.writerow(
                    [
                        local_time(row["at"]).isoformat(timespec="seconds"),
                        "" if row["actor_id"] is None else row["actor_id"],
                        *(_csv_cell(row[key]) for key in CSV_FIELDS),
                    ]
                )
                yield buffer.getvalue()

        stamp = datetime.now(LOCAL_ZONE).strftime("%Y%m%d-%H%M")
        return Stream(
            lines(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="auditlog-{stamp}.csv"'},
        )
