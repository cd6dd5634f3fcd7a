"""Applications to join: the public form's submission, and the coordinators' review.

Approval makes the organisation a member (status ``goedgekeurd``, with the step from
``aangemeld`` in its history), its contact the primary contact, and a member user for
that contact who gets a one-time invitation link (:mod:`coop.accounts.invitations`);
all in one transaction with the audit record. Refusal keeps a reason.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar.stores.base import Store

from coop import db
from coop.accounts import invitations
from coop.accounts import user_admin_repository as users
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.audit.log import record
from coop.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from coop.members import repository, rules
from coop.members.rules import Status
from coop.members.tables import Application, Contact
from coop.web.i18n import gettext as _

CONSENT_VERSION = "2026-1"
# Submissions per client address per hour, on top of the general rate limit.
SUBMISSIONS_PER_HOUR = 5
WINDOW_S = 3600
PAGE_SIZE = 50


def consent_text() -> str:
    return _(
        "Ik geef de coöperatie toestemming om de gegevens van de contactpersoon (naam, "
        "functie, e-mailadres en telefoonnummer) te gebruiken om deze aanmelding te "
        "behandelen en, als de organisatie lid wordt, voor contact over het lidmaatschap. "
        "De coöperatie deelt deze gegevens niet met anderen. U kunt deze toestemming altijd "
        "intrekken."
    )


# --- rate limit of the public form -----------------------------------------------------


class _Times(msgspec.Struct):
    times: list[float] = msgspec.field(default_factory=list)


def _key(client_ip: str) -> str:
    return "application:" + hashlib.sha256(client_ip.encode()).hexdigest()


async def submissions_left(store: Store, client_ip: str) -> int:
    raw = await store.get(_key(client_ip))
    times = msgspec.json.decode(raw, type=_Times).times if raw else []
    recent = [t for t in times if time.time() - t < WINDOW_S]
    return max(0, SUBMISSIONS_PER_HOUR - len(recent))


async def count_submission(store: Store, client_ip: str) -> None:
    raw = await store.get(_key(client_ip))
    times = msgspec.json.decode(raw, type=_Times).times if raw else []
    now = time.time()
    times = [t for t in times if now - t < WINDOW_S] + [now]
    await store.set(_key(client_ip), msgspec.json.encode(_Times(times)), expires_in=WINDOW_S)


# --- checking and submitting -------------------------------------------------------------


def check(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[FieldError]]:
    """The organisation's fields, the application's own (contact, motivation, consent),
    and every problem, named by the form's field names."""
    organisation, errors = rules.check_organisation(
        {k: v for k, v in values.items() if k != "notice_months"}
    )
    organisation.pop("notice_months", None)
    contact, contact_errors = rules.check_contact(
        {
            "name": values.get("contact_name"),
            "function": values.get("contact_function"),
            "email": values.get("contact_email"),
            "phone": values.get("contact_phone"),
        }
    )
    errors += [FieldError("contact_" + e.field, e.detail) for e in contact_errors]
    own: dict[str, Any] = {
        "contact_name": contact.get("name"),
        "contact_function": contact.get("function"),
        "contact_email": contact.get("email"),
        "contact_phone": contact.get("phone"),
    }
    try:
        own["motivation"] = rules.text(values.get("motivation"), "motivation")
    except rules.Invalid as exc:
        errors.append(FieldError("motivation", str(exc)))
    if not rules.flag(values.get("consent")):
        errors.append(
            FieldError(
                "consent",
                _(
                    "Geef toestemming voor het gebruik van de gegevens, anders kunnen wij de "
                    "aanmelding niet behandelen."
                ),
            )
        )
    return organisation, own, errors


async def pending_kvk(kvk_number: str) -> bool:
    return await Application.exists().where(
        (Application.kvk_number == kvk_number) & (Application.status == Status.AANGEMELD.value)
    )


async def submit(organisation: dict[str, Any], own: dict[str, Any], *, client_ip: str) -> int:
    """Store a checked application. A KvK number that is a member already, or that has an
    application waiting, is refused on the field."""
    async with db.write_transaction():
        if await repository.kvk_taken(organisation["kvk_number"]):
            raise repository.duplicate_kvk()
        if await pending_kvk(organisation["kvk_number"]):
            raise ValidationFailed(
                [
                    FieldError(
                        "kvk_number",
                        _(
                            "Voor dit KvK-nummer is al een aanmelding ontvangen. Wij nemen "
                            "daarover contact met u op."
                        ),
                    )
                ]
            )
        moment = datetime.now(UTC)
        application_id = (
            await Application.insert(
                Application(
                    name=organisation["name"],
                    kvk_number=organisation["kvk_number"],
                    organisation_data=msgspec.json.encode(organisation).decode(),
                    **own,
                    consent_text=consent_text(),
                    consent_version=CONSENT_VERSION,
                    consent_at=moment,
                    submitted_at=moment,
                    status=Status.AANGEMELD.value,
                )
            )
        )[0]["id"]
        await record(
            "application_submitted",
            actor_email=own["contact_email"],
            object_type="application",
            object_id=application_id,
            client_ip=client_ip,
        )
    return application_id


# --- review ------------------------------------------------------------------------------


def _staff(actor: Principal) -> None:
    if not actor.role.staff:
        raise PermissionDenied(_("Alleen coördinatoren en beheerders beoordelen aanmeldingen."))


def organisation_data(row: Mapping[str, Any]) -> dict[str, Any]:
    raw = row["organisation_data"]
    return msgspec.json.decode(raw) if isinstance(raw, str | bytes) else dict(raw)


async def list_applications(status: str | None, page: int) -> tuple[list[dict[str, Any]], int]:
    query = Application.select(
        Application.id,
        Application.name,
        Application.kvk_number,
        Application.contact_name,
        Application.submitted_at,
        Application.status,
    )
    count = Application.count()
    if status:
        query = query.where(Application.status == status)
        count = count.where(Application.status == status)
    rows = await (
        query.order_by(Application.submitted_at, ascending=False)
        .order_by(Application.id, ascending=False)
        .limit(PAGE_SIZE)
        .offset((max(1, page) - 1) * PAGE_SIZE)
    )
    return rows, await count


async def application(application_id: int) -> dict[str, Any]:
    if not 0 < application_id < 2**31:
        raise NotFound(code="application_not_found")
    row = await Application.select().where(Application.id == application_id).first()
    if row is None:
        raise NotFound(code="application_not_found")
    row["data"] = repository.with_reference(organisation_data(row))
    return row


async def approve(
    actor: Principal, application_id: int, *, base_url: str, client_ip: str = ""
) -> tuple[int, bool]:
    """Make the applicant a member; returns its id and whether an invitation went out
    (not when the contact's address already has an account)."""
    _staff(actor)
    async with db.write_transaction():
        row = await application(application_id)
        if row["status"] != Status.AANGEMELD.value:
            raise Conflict(_("Deze aanmelding is al beoordeeld."), code="already_reviewed")
        data = organisation_data(row)
        if await repository.kvk_taken(data["kvk_number"]):
            raise Conflict(
                _("Er is al een lid met dit KvK-nummer. Wijs deze aanmelding af met die reden."),
                code="duplicate_kvk",
            )
        organisation_id = await repository.insert_member(
            data,
            status=Status.GOEDGEKEURD,
            from_status=Status.AANGEMELD,
            actor=actor,
            reason=_("Aanmelding goedgekeurd."),
        )
        await Contact.insert(
            Contact(
                organisation=organisation_id,
                name=row["contact_name"],
                function=row["contact_function"],
                email=row["contact_email"],
                phone=row["contact_phone"],
                is_primary=True,
                mail_newsletter=True,
                mail_invoices=True,
                mail_placements=True,
                created_at=repository.now(),
            )
        )
        invited = not await users.email_taken(row["contact_email"])
        if invited:
            user_id = await users.create_invited_user(
                actor=actor,
                email=row["contact_email"],
                name=row["contact_name"],
                role=Role.MEMBER,
                organisation_id=organisation_id,
                tenant_id=None,
                client_ip=client_ip,
            )
            await invitations.send_invitation(
                user_id,
                invited_by=actor.user_id,
                inviter_name=actor.name or actor.email,
                base_url=base_url,
            )
        await Application.update(
            {
                Application.status: Status.GOEDGEKEURD.value,
                Application.reviewed_at: repository.now(),
                Application.reviewer_id: actor.user_id,
                Application.reviewer_name: actor.name or actor.email,
                Application.organisation: organisation_id,
            }
        ).where(Application.id == application_id)
        await record(
            "application_approved",
            actor=actor,
            object_type="application",
            object_id=application_id,
            client_ip=client_ip,
            detail=f"organisation {organisation_id}" + ("" if invited else ", no invitation"),
        )
    return organisation_id, invited


async def refuse(
    actor: Principal, application_id: int, reason: str, *, client_ip: str = ""
) -> None:
    _staff(actor)
    try:
        reason = rules.text(reason, "reason", required=True, missing=_("Vul een reden in."))
    except rules.Invalid as exc:
        raise ValidationFailed([FieldError("reason", str(exc))]) from exc
    async with db.write_transaction():
        row = await application(application_id)
        if row["status"] != Status.AANGEMELD.value:
            raise Conflict(_("Deze aanmelding is al beoordeeld."), code="already_reviewed")
        await Application.update(
            {
                Application.status: Status.AFGEWEZEN.value,
                Application.reviewed_at: repository.now(),
                Application.reviewer_id: actor.user_id,
                Application.reviewer_name: actor.name or actor.email,
                Application.reason: reason,
            }
        ).where(Application.id == application_id)
        await record(
            "application_refused",
            actor=actor,
            object_type="application",
            object_id=application_id,
            client_ip=client_ip,
        )
