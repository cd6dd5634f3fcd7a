"""The member registry's pages.

- ``/aanmelden``: the public application form (honeypot, rate-limited, consent kept).
- ``/organisaties/{id}``: one organisation, for whoever may see it; its own member edits
  its details and contacts there (``/bewerken``, ``/contactpersonen``).
- ``/beheer/aanmeldingen``: coordinators review applications.
- ``/beheer/leden``: coordinators' list with search, filters, sorting and pages, and a
  detail page with contacts, history, contributions and status changes.

Form fields carry the rules' field names, so a rule's error lands next to its field;
what was typed comes back on every error.
"""

from __future__ import annotations

import functools
import operator
from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from litestar import Controller, MediaType, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Stream, Template
from markupsafe import Markup

from coop.accounts import invitations
from coop.accounts.auth import provide_principal, requires, session_of
from coop.accounts.login import client_ip
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.audit.tables import AuditEvent
from coop.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from coop.members import applications, csv_io, repository, rules
from coop.members.repository import Filters
from coop.reference import regions, sbi
from coop.web import i18n
from coop.web.i18n import gettext as _
from coop.web.templating import url

ADMIN_BASE = "/beheer/leden"
REVIEW_BASE = "/beheer/aanmeldingen"

APPLICATION_FIELDS = (
    *rules.ORGANISATION_FIELDS,
    "contact_name",
    "contact_function",
    "contact_email",
    "contact_phone",
    "motivation",
    "consent",
)
CONTACT_FIELDS = (
    "name",
    "function",
    "email",
    "phone",
    "is_primary",
    "mail_newsletter",
    "mail_invoices",
    "mail_placements",
)


def _int(value: Any) -> int | None:
    try:
        return int(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _errors(items: list[FieldError] | tuple[FieldError, ...]) -> dict[str, str]:
    result: dict[str, str] = {}
    for e in items:
        result.setdefault(e.field, e.detail)
    return result


async def _form(request: Request[Any, Any, Any], names: tuple[str, ...]) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name) or "")[:5000] for name in names}


def choices() -> dict[str, Any]:
    return dict(_choices(i18n.current_language.get()))


@functools.lru_cache(maxsize=len(i18n.LANGUAGES))
def _choices(language: str) -> tuple[tuple[str, Any], ...]:
    # The lists only change with the language: made once per language, not per page.
    return (
        ("municipality_options", tuple((m.code, m.name) for m in regions.municipalities())),
        ("region_options", tuple((r.code, r.name) for r in regions.regions())),
        (
            "sector_options",
            tuple((s.code, f"{s.letter} – {s.name(language)}") for s in sbi.SECTIONS),
        ),
        ("status_options", tuple((s.value, rules.status_label(s)) for s in rules.Status)),
        ("size_options", tuple(rules.size_labels().items())),
        ("public_options", (("ja", _("Alleen overheid")), ("nee", _("Alleen niet-overheid")))),
    )


def select_options(kind: str, current: str | None, all_label: str) -> Markup:
    """The ``<option>`` elements of one of the list's filters, ``current`` selected, after
    a first option ``all_label`` for no filter. Remembered per language and selection:
    the filters' options were a good part of the list page's rendering."""
    return _select_options(i18n.current_language.get(), kind, current, all_label)


@functools.lru_cache(maxsize=1024)
def _select_options(language: str, kind: str, current: str | None, all_label: str) -> Markup:
    items = dict(_choices(language))[kind + "_options"]
    tags = [Markup('<option value="">{}</option>').format(all_label)]
    for value, text in items:
        selected = Markup(" selected") if value == current else ""
        tags.append(Markup('<option value="{}"{}>{}</option>').format(value, selected, text))
    return Markup("\n").join(tags)


def sector_name(code: str | None) -> str:
    section = sbi.section(code)
    return section.name(i18n.current_language.get()) if section else ""


TEMPLATE_HELPERS = {
    "status_label": rules.status_label,
    "sector_name": sector_name,
    "select_options": select_options,
}


def page(name: str, http_status: int = 200, /, **context: Any) -> Template:
    return Template(
        name,
        context={**TEMPLATE_HELPERS, **context},
        status_code=http_status,
        media_type=MediaType.HTML,
    )


# --- the public application ------------------------------------------------------------


class ApplicationFormController(Controller):
    path = "/aanmelden"
    include_in_schema = False

    @get("/", name="members.apply", media_type=MediaType.HTML)
    async def form(self, request: Request[Any, Any, Any]) -> Template:
        session_of(request).ensure()  # the form's CSRF token lives in the session
        return self._page({}, {})

    @post("/", name="members.apply.submit", media_type=MediaType.HTML)
    async def submit(self, request: Request[Any, Any, Any]) -> Any:
        values = await _form(request, (*APPLICATION_FIELDS, "fax"))
        if values.pop("fax").strip():
            # The honeypot was filled in: software, not a person. Answer as if it worked.
            return Redirect(url("/aanmelden/ontvangen"), status_code=303)
        store = request.app.stores.get("throttle")
        ip = client_ip(request)
        if await applications.submissions_left(store, ip) <= 0:
            return self._page(
                values,
                {
                    "_form": _(
                        "U hebt in korte tijd te veel aanmeldingen verstuurd. Probeer het over "
                        "een uur opnieuw."
                    )
                },
                status=429,
            )
        organisation, own, problems = applications.check(values)
        if problems:
            return self._page(values, _errors(problems), status=400)
        try:
            await applications.submit(organisation, own, client_ip=ip)
        except ValidationFailed as exc:
            return self._page(values, _errors(exc.errors), status=400)
        await applications.count_submission(store, ip)
        return Redirect(url("/aanmelden/ontvangen"), status_code=303)

    @get("/ontvangen", name="members.applied", media_type=MediaType.HTML)
    async def received(self) -> Template:
        return page("members/applied.html")

    @staticmethod
    def _page(values: dict[str, str], errors: dict[str, str], status: int = 200) -> Template:
        return page(
            "members/apply.html",
            status,
            errors=errors,
            values=values,
            consent_text=applications.consent_text(),
            consent_version=applications.CONSENT_VERSION,
            **choices(),
        )


# --- one organisation, for whoever may see it ----------------------------------------------


async def detail_context(principal: Principal, organisation_id: int) -> dict[str, Any]:
    member = await repository.member(principal, organisation_id)
    return {
        "organisation": member,
        "contacts": await repository.contacts(principal, organisation_id),
        "history": await repository.history(principal, organisation_id),
        "contributions": await repository.contributions(principal, organisation_id),
    }


def organisation_values(member: dict[str, Any]) -> dict[str, Any]:
    names = (*rules.ORGANISATION_FIELDS, "ambassador", "award")
    return {k: "" if member.get(k) is None else member[k] for k in names}


class OrganisationController(Controller):
    path = "/organisaties"
    include_in_schema = False
    guards = [requires()]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/{organisation_id:int}", name="members.organisation", media_type=MediaType.HTML)
    async def organisation(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        organisation_id: FromPath[int],
    ) -> Template:
        # Another organisation's id answers exactly like an unknown one: 404.
        context = await detail_context(principal, organisation_id)
        return page(
            "members/organisation.html",
            messages=session_of(request).pop_flash(),
            can_edit=principal.role == Role.MEMBER or principal.role.staff,
            **context,
        )

    @get("/{organisation_id:int}/bewerken", name="members.edit", media_type=MediaType.HTML)
    async def edit_form(
        self, principal: NamedDependency[Principal], organisation_id: FromPath[int]
    ) -> Template:
        member = await repository.member(principal, organisation_id)
        return self._edit_page(member, organisation_values(member), {})

    @post(
        "/{organisation_id:int}/bewerken",
        name="members.edit.submit",
        media_type=MediaType.HTML,
    )
    async def edit(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        organisation_id: FromPath[int],
    ) -> Any:
        member = await repository.member(principal, organisation_id)
        # A member's form has no staff-only fields; any that are sent are not read.
        names = tuple(f for f in rules.ORGANISATION_FIELDS if f != "notice_months")
        if principal.role.staff:
            names = (*rules.ORGANISATION_FIELDS, "ambassador", "award")
        values = await _form(request, names)
        clean, problems = rules.check_organisation(values, partial=True)
        if principal.role.staff:
            recognition, more = rules.check_recognition(values)
            clean.update(recognition)
            problems += more
        if not problems:
            try:
                changed = await repository.update_member(
                    principal, organisation_id, clean, client_ip=client_ip(request)
                )
            except ValidationFailed as exc:
                problems = list(exc.errors)
            else:
                session_of(request).flash(
                    "success" if changed else "info",
                    _("De gegevens zijn opgeslagen.") if changed else _("Er is niets gewijzigd."),
                )
                return Redirect(url(f"/organisaties/{organisation_id}"), status_code=303)
        return self._edit_page(member, values, _errors(problems), status=400)

    @post(
        "/{organisation_id:int}/contactpersonen",
        name="members.contact.add",
        media_type=MediaType.HTML,
    )
    async def add_contact(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        organisation_id: FromPath[int],
    ) -> Any:
        await repository.member(principal, organisation_id)
        values = await _form(request, CONTACT_FIELDS)
        clean, problems = rules.check_contact(values)
        if problems:
            context = await detail_context(principal, organisation_id)
            return page(
                "members/organisation.html",
                400,
                messages=[],
                can_edit=True,
                contact_errors=_errors(problems),
                contact_values=values,
                **context,
            )
        await repository.add_contact(
            principal, organisation_id, clean, client_ip=client_ip(request)
        )
        session_of(request).flash("success", _("De contactpersoon is toegevoegd."))
        return Redirect(url(f"/organisaties/{organisation_id}"), status_code=303)

    @get(
        "/{organisation_id:int}/contactpersonen/{contact_id:int}",
        name="members.contact.edit",
        media_type=MediaType.HTML,
    )
    async def contact_form(
        self,
        principal: NamedDependency[Principal],
        organisation_id: FromPath[int],
        contact_id: FromPath[int],
    ) -> Template:
        member = await repository.member(principal, organisation_id)
        row = await repository.contact(principal, organisation_id, contact_id)
        values = {k: "" if row.get(k) is None else row[k] for k in CONTACT_FIELDS}
        return page(
            "members/contact.html", organisation=member, contact=row, values=values, errors={}
        )

    @post(
        "/{organisation_id:int}/contactpersonen/{contact_id:int}",
        name="members.contact.update",
        media_type=MediaType.HTML,
    )
    async def update_contact(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        organisation_id: FromPath[int],
        contact_id: FromPath[int],
    ) -> Any:
        member = await repository.member(principal, organisation_id)
        row = await repository.contact(principal, organisation_id, contact_id)
        values = await _form(request, CONTACT_FIELDS)
        clean, problems = rules.check_contact(values)
        if problems:
            return page(
                "members/contact.html",
                400,
                organisation=member,
                contact=row,
                values=values,
                errors=_errors(problems),
            )
        await repository.update_contact(
            principal, organisation_id, contact_id, clean, client_ip=client_ip(request)
        )
        session_of(request).flash("success", _("De contactpersoon is gewijzigd."))
        return Redirect(url(f"/organisaties/{organisation_id}"), status_code=303)

    @post(
        "/{organisation_id:int}/contactpersonen/{contact_id:int}/verwijderen",
        name="members.contact.remove",
        media_type=MediaType.HTML,
    )
    async def remove_contact(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        organisation_id: FromPath[int],
        contact_id: FromPath[int],
    ) -> Any:
        try:
            name = await repository.remove_contact(
                principal, organisation_id, contact_id, client_ip=client_ip(request)
            )
        except Conflict as exc:
            member = await repository.member(principal, organisation_id)
            row = await repository.contact(principal, organisation_id, contact_id)
            values = {k: "" if row.get(k) is None else row[k] for k in CONTACT_FIELDS}
            return page(
                "members/contact.html",
                409,
                organisation=member,
                contact=row,
                values=values,
                errors={},
                notice=exc.detail,
            )
        session_of(request).flash(
            "success", _("De contactpersoon %(name)s is verwijderd.", name=name)
        )
        return Redirect(url(f"/organisaties/{organisation_id}"), status_code=303)

    @post(
        "/{organisation_id:int}/collega-uitnodigen",
        name="members.invite_colleague",
        media_type=MediaType.HTML,
    )
    async def invite_colleague(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        organisation_id: FromPath[int],
    ) -> Any:
        await repository.member(principal, organisation_id)  # 404 outside the scope
        values = await _form(request, ("invite_name", "invite_email"))
        errors: dict[str, str] = {}
        try:
            email = rules.email(values["invite_email"])
        except rules.Invalid as exc:
            errors["invite_email"] = str(exc)
        try:
            name = rules.text(
                values["invite_name"], "name", required=True, missing=_("Vul de naam in.")
            )
        except rules.Invalid as exc:
            errors["invite_name"] = str(exc)
        if not errors:
            try:
                await invitations.invite_user(
                    actor=principal,
                    email=email or "",
                    name=name,
                    role=Role.MEMBER,
                    organisation_id=organisation_id,
                    tenant_id=None,
                    base_url=request.app.state["settings"].base_url,
                    client_ip=client_ip(request),
                )
            except ValidationFailed as exc:
                errors.update({"invite_" + e.field: e.detail for e in exc.errors})
            else:
                session_of(request).flash(
                    "success",
                    _("De uitnodiging is verstuurd naar %(email)s.", email=email),
                )
                return Redirect(url(f"/organisaties/{organisation_id}"), status_code=303)
        context = await detail_context(principal, organisation_id)
        return page(
            "members/organisation.html",
            400,
            messages=[],
            can_edit=True,
            invite_errors=errors,
            invite_values=values,
            **context,
        )

    @post(
        "/{organisation_id:int}/opzeggen",
        name="members.request_end",
        media_type=MediaType.HTML,
    )
    async def request_end(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        organisation_id: FromPath[int],
    ) -> Any:
        values = await _form(request, ("confirm_end",))
        if not rules.flag(values["confirm_end"]):
            context = await detail_context(principal, organisation_id)
            return page(
                "members/organisation.html",
                400,
                messages=[],
                can_edit=True,
                end_errors={"confirm_end": _("Vink aan dat u het lidmaatschap wilt opzeggen.")},
                **context,
            )
        await repository.request_end(principal, organisation_id, client_ip=client_ip(request))
        session_of(request).flash(
            "success",
            _(
                "Uw opzegging is doorgegeven. Een coördinator bevestigt die en neemt contact "
                "met u op over de opzegtermijn."
            ),
        )
        return Redirect(url(f"/organisaties/{organisation_id}"), status_code=303)

    @staticmethod
    def _edit_page(
        member: dict[str, Any], values: dict[str, Any], errors: dict[str, str], status: int = 200
    ) -> Template:
        return page(
            "members/edit.html",
            status,
            organisation=member,
            values=values,
            errors=errors,
            **choices(),
        )


# --- coordinators: applications --------------------------------------------------------------


class ApplicationReviewController(Controller):
    path = REVIEW_BASE
    include_in_schema = False
    guards = [requires(Role.COORDINATOR, Role.ADMIN)]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="members.applications", media_type=MediaType.HTML)
    async def list_applications(
        self,
        request: Request[Any, Any, Any],
        status: FromQuery[str | None] = None,
        pagina: FromQuery[str | None] = None,
    ) -> Template:
        wanted = status if status in {s.value for s in rules.Status} else None
        if status is None:
            wanted = rules.Status.AANGEMELD.value
        rows, total = await applications.list_applications(wanted, _int(pagina) or 1)
        return page(
            "members/applications.html",
            items=rows,
            total=total,
            current_status=wanted or "",
            messages=session_of(request).pop_flash(),
        )

    @get("/{application_id:int}", name="members.application", media_type=MediaType.HTML)
    async def detail(
        self, request: Request[Any, Any, Any], application_id: FromPath[int]
    ) -> Template:
        return await self._detail(request, application_id)

    @post(
        "/{application_id:int}/goedkeuren",
        name="members.application.approve",
        media_type=MediaType.HTML,
    )
    async def approve(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        application_id: FromPath[int],
    ) -> Any:
        try:
            organisation_id, invited = await applications.approve(
                principal,
                application_id,
                base_url=request.app.state["settings"].base_url,
                client_ip=client_ip(request),
            )
        except Conflict as exc:
            return await self._detail(request, application_id, notice=exc.detail, status=409)
        session_of(request).flash(
            "success",
            _("De aanmelding is goedgekeurd. De contactpersoon krijgt een uitnodiging per e-mail.")
            if invited
            else _(
                "De aanmelding is goedgekeurd. De contactpersoon heeft al een account en "
                "krijgt geen nieuwe uitnodiging."
            ),
        )
        return Redirect(url(f"{ADMIN_BASE}/{organisation_id}"), status_code=303)

    @post(
        "/{application_id:int}/afwijzen",
        name="members.application.refuse",
        media_type=MediaType.HTML,
    )
    async def refuse(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        application_id: FromPath[int],
    ) -> Any:
        values = await _form(request, ("reason",))
        try:
            await applications.refuse(
                principal, application_id, values["reason"], client_ip=client_ip(request)
            )
        except ValidationFailed as exc:
            return await self._detail(
                request, application_id, errors=_errors(exc.errors), values=values, status=400
            )
        except Conflict as exc:
            return await self._detail(request, application_id, notice=exc.detail, status=409)
        session_of(request).flash("success", _("De aanmelding is afgewezen."))
        return Redirect(url(REVIEW_BASE), status_code=303)

    @staticmethod
    async def _detail(
        request: Request[Any, Any, Any],
        application_id: int,
        *,
        notice: str | None = None,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        row = await applications.application(application_id)
        return page(
            "members/application.html",
            status,
            application=row,
            data=row["data"],
            notice=notice,
            errors=errors or {},
            values=values or {},
            messages=session_of(request).pop_flash(),
        )


# --- coordinators: the member list and one member ----------------------------------------------


def filters_from(
    zoek: str | None,
    status: str | None,
    sector: str | None,
    regio: str | None,
    grootte: str | None,
    overheid: str | None,
    sorteer: str | None,
) -> Filters:
    return Filters(
        search=(zoek or "").strip()[:100],
        status=status if status in {s.value for s in rules.Status} else None,
        sector=sector if sbi.section(sector) else None,
        region=regio if regions.region(regio) else None,
        size=grootte if grootte in rules.SIZE_CLASSES else None,
        public={"ja": True, "nee": False}.get(overheid or ""),
        sort=sorteer if sorteer in repository.SORTS else "naam",
    )


def filter_query(filters: Filters) -> dict[str, Any]:
    return {
        "zoek": filters.search or None,
        "status": filters.status,
        "sector": filters.sector,
        "regio": filters.region,
        "grootte": filters.size,
        "overheid": None if filters.public is None else ("ja" if filters.public else "nee"),
        "sorteer": filters.sort if filters.sort != "naam" else None,
    }


@functools.lru_cache(maxsize=8192)
def _date_text(language: str, day: date) -> str:
    return format_date(day, format="medium", locale=i18n.babel_locale())


@functools.lru_cache(maxsize=8192)
def _number_text(language: str, number: int) -> str:
    return format_decimal(number, locale=i18n.babel_locale())


@functools.lru_cache(maxsize=len(i18n.LANGUAGES))
def _sector_names(language: str) -> dict[str, str]:
    return {s.code: s.name(language) for s in sbi.SECTIONS}


# What the row template (members/_list_row.html) gets of a row.
ROW_FIELDS = (
    "href",
    "name",
    "public_employer",
    "kvk_number",
    "municipality_name",
    "region_name",
    "sector",
    "sector_title",
    "employees_text",
    "status_text",
    "created_text",
)

# A row's HTML follows from the row template, the language and the row's columns as read
# (repository.LIST_COLUMNS; every shown text is derived from them): the key under which
# it is remembered, so a row shown before costs a lookup, not formatting and rendering.
_row_columns = operator.itemgetter(*(c._meta.db_column_name for c in repository.LIST_COLUMNS))
_ROW_CACHE_SIZE = 10_000
_row_cache: dict[tuple[Any, ...], Markup] = {}


def _format_row(row: dict[str, Any], language: str) -> None:
    employees = row["employees"]
    row["employees_text"] = "–" if employees is None else _number_text(language, employees)
    row["created_text"] = _date_text(language, row["created_at"].date())
    row["status_text"] = rules.status_labels().get(row["status"], row["status"])
    row["sector_title"] = _sector_names(language).get(row["sector"] or "", "")
    row["href"] = url(f"{ADMIN_BASE}/{row['id']}")


def prepare_rows(rows: list[dict[str, Any]], row_macro: Any = None) -> None:
    """Format the list's cells. Babel is slow per call (most of the list page's time
    once), and a page repeats few dates and numbers: both are remembered per language.
    With ``row_macro`` (members/_list_row.html) each row is rendered to ``row_html`` too,
    and remembered by what it is made from: rendering fifty rows was most of the rest of
    the page's time, and the same rows are shown again and again (the first page above
    all). A macro of an autoescaped template returns Markup, escaped as anywhere else."""
    language = i18n.current_language.get()
    if row_macro is None:
        for row in rows:
            _format_row(row, language)
        return
    for row in rows:
        key = (row_macro, language, _row_columns(row))
        html = _row_cache.get(key)
        if html is None:
            _format_row(row, language)
            html = row_macro({f: row[f] for f in ROW_FIELDS})
            if len(_row_cache) >= _ROW_CACHE_SIZE:
                _row_cache.clear()  # bounded; refilled by the pages shown next
            _row_cache[key] = html
        row["row_html"] = html


class MemberAdminController(Controller):
    path = ADMIN_BASE
    include_in_schema = False
    guards = [requires(Role.COORDINATOR, Role.ADMIN)]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="members.list", media_type=MediaType.HTML)
    async def list_members(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        zoek: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
        sector: FromQuery[str | None] = None,
        regio: FromQuery[str | None] = None,
        grootte: FromQuery[str | None] = None,
        overheid: FromQuery[str | None] = None,
        sorteer: FromQuery[str | None] = None,
        pagina: FromQuery[str | None] = None,
    ) -> Template:
        filters = filters_from(zoek, status, sector, regio, grootte, overheid, sorteer)
        result = await repository.page_of_members(principal, filters, _int(pagina) or 1)
        environment = request.app.template_engine.engine  # type: ignore[union-attr]
        prepare_rows(result.items, environment.get_template("members/_list_row.html").module.row)
        # The rows as one piece of markup: a loop over fifty rows in the template cost
        # more than their (remembered) rendering.
        rows_html = Markup("\n").join(row["row_html"] for row in result.items)
        query = filter_query(filters)

        def page_url(number: int) -> str:
            return url(ADMIN_BASE, **query, pagina=number if number > 1 else None)

        def sort_url(key: str) -> str:
            current = filters.sort
            wanted = ("-" + key) if current == key else key
            return url(ADMIN_BASE, **{**query, "sorteer": wanted if wanted != "naam" else None})

        return page(
            "members/list.html",
            page=result,
            rows_html=rows_html,
            filters=query,
            filtered=any(v for k, v in query.items() if k != "sorteer"),
            sort=filters.sort,
            page_url=page_url,
            sort_url=sort_url,
            messages=session_of(request).pop_flash(),
            **choices(),
        )

    @get("/export.csv", name="members.export")
    async def export(
        self,
        principal: NamedDependency[Principal],
        zoek: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
        sector: FromQuery[str | None] = None,
        regio: FromQuery[str | None] = None,
        grootte: FromQuery[str | None] = None,
        overheid: FromQuery[str | None] = None,
        sorteer: FromQuery[str | None] = None,
    ) -> Stream:
        filters = filters_from(zoek, status, sector, regio, grootte, overheid, sorteer)
        stamp = datetime.now(i18n.LOCAL_TIMEZONE).strftime("%Y%m%d-%H%M")
        return Stream(
            csv_io.export_lines(principal, filters),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="leden-{stamp}.csv"',
                "Cache-Control": "no-store",
            },
        )

    @get("/import", name="members.import", media_type=MediaType.HTML)
    async def import_form(self) -> Template:
        return page("members/import.html", results=None, problems=[], written=None)

    @post("/import", name="members.import.submit", media_type=MediaType.HTML)
    async def import_file(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Any:
        form = await request.form()
        upload = form.get("bestand")
        dry_run = str(form.get("actie") or "") != "importeren"
        if upload is None or isinstance(upload, str):
            return page(
                "members/import.html",
                400,
                results=None,
                problems=[_("Kies een CSV-bestand.")],
                written=None,
            )
        results, problems = await csv_io.check_file(await upload.read())
        failed = bool(problems) or any(r.errors for r in results)
        if failed or dry_run:
            return page(
                "members/import.html",
                400 if failed else 200,
                results=results,
                problems=problems,
                written=None,
                dry_run=dry_run,
                column_of=csv_io.column_of,
            )
        try:
            written = await csv_io.import_rows(principal, results, client_ip=client_ip(request))
        except ValidationFailed as exc:
            return page(
                "members/import.html",
                409,
                results=None,
                problems=[e.detail for e in exc.errors],
                written=None,
            )
        session_of(request).flash(
            "success",
            _("%(count)s leden geïmporteerd.", count=written),
        )
        return Redirect(url(ADMIN_BASE), status_code=303)

    @get("/{organisation_id:int}", name="members.detail", media_type=MediaType.HTML)
    async def detail(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        organisation_id: FromPath[int],
    ) -> Template:
        return await self._detail(request, principal, organisation_id)

    @post("/{organisation_id:int}/status", name="members.status", media_type=MediaType.HTML)
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        organisation_id: FromPath[int],
    ) -> Any:
        values = await _form(request, ("status", "reason"))
        try:
            await repository.change_status(
                principal,
                organisation_id,
                values["status"],
                values["reason"],
                client_ip=client_ip(request),
            )
        except ValidationFailed as exc:
            return await self._detail(
                request,
                principal,
                organisation_id,
                errors=_errors(exc.errors),
                values=values,
                status=400,
            )
        except (Conflict, PermissionDenied) as exc:
            return await self._detail(
                request,
                principal,
                organisation_id,
                errors={"status": exc.detail},
                values=values,
                status=409,
            )
        session_of(request).flash(
            "success",
            _(
                "De status is gewijzigd in: %(status)s.",
                status=rules.status_label(values["status"]),
            ),
        )
        return Redirect(url(f"{ADMIN_BASE}/{organisation_id}"), status_code=303)

    @post(
        "/{organisation_id:int}/contributie",
        name="members.contribution",
        media_type=MediaType.HTML,
    )
    async def set_contribution(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        organisation_id: FromPath[int],
    ) -> Any:
        values = await _form(request, ("year", "amount", "invoiced_on", "paid_on"))
        errors: dict[str, str] = {}
        parsed: dict[str, Any] = {}
        try:
            parsed["year"] = rules.whole_number(values["year"], low=2000, high=2100, required=True)
        except rules.Invalid as exc:
            errors["year"] = str(exc)
        try:
            parsed["amount_cents"] = rules.euros_to_cents(values["amount"])
        except rules.Invalid as exc:
            errors["amount"] = str(exc)
        for name in ("invoiced_on", "paid_on"):
            try:
                parsed[name] = rules.optional_date(values[name])
            except rules.Invalid as exc:
                errors[name] = str(exc)
        if errors:
            return await self._detail(
                request, principal, organisation_id, errors=errors, values=values, status=400
            )
        await repository.set_contribution(
            principal,
            organisation_id,
            parsed["year"],
            parsed["amount_cents"],
            invoiced_on=parsed["invoiced_on"],
            paid_on=parsed["paid_on"],
            client_ip=client_ip(request),
        )
        session_of(request).flash(
            "success", _("De contributie voor %(year)s is opgeslagen.", year=parsed["year"])
        )
        return Redirect(url(f"{ADMIN_BASE}/{organisation_id}"), status_code=303)

    @staticmethod
    async def _detail(
        request: Request[Any, Any, Any],
        principal: Principal,
        organisation_id: int,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        context = await detail_context(principal, organisation_id)
        audit = await (
            AuditEvent.select(
                AuditEvent.at, AuditEvent.actor_email, AuditEvent.action, AuditEvent.detail
            )
            .where(
                (AuditEvent.object_type == "organisation")
                & (AuditEvent.object_id == str(organisation_id))
            )
            .order_by(AuditEvent.id, ascending=False)
            .limit(20)
        )
        return page(
            "members/detail.html",
            status,
            next_statuses=[
                (s.value, rules.status_label(s))
                for s in rules.next_statuses(context["organisation"]["status"])
            ],
            audit=audit,
            errors=errors or {},
            values=values or {},
            messages=session_of(request).pop_flash(),
            **context,
        )
