"""The two mails of a lead, and how the host takes them.

The self-scan writes no mail itself: the host hands its controllers a :data:`MailWriter`
by dependency injection (``dependencies={"mail_writer": Provide(...)}``; the
cooperative's is :func:`coop.mail.bridge.provide_mail_writer`), which puts the mail in its
outbox. It is called inside the transaction that stores the lead, so a host whose outbox
lives in the same database gets the lead and its mails together, or neither.

Composing is pure: data in, mails out.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import msgspec

from selfscan.tenants.leads import texts
from selfscan.tenants.leads.rules import ContactRequest

KIND_NOTIFICATION = "lead_notification"
KIND_CONFIRMATION = "lead_confirmation"


class OutgoingMail(msgspec.Struct, frozen=True, kw_only=True):
    recipient: str
    subject: str
    body_text: str
    kind: str


MailWriter = Callable[[OutgoingMail], Awaitable[None]]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def notification(
    *,
    to: str,
    tenant_name: str,
    request: ContactRequest,
    score: str,
    level: str,
    lead_url: str,
) -> OutgoingMail:
    """To the WSP: who asked, the scan's outcome, and where to see the lead. Always in
    Dutch: it goes to the WSP's own address."""
    lang = "nl"
    missing = texts.NOT_GIVEN.get(lang)
    return OutgoingMail(
        recipient=to,
        # A subject is one line: the organisation's name is the employer's input.
        subject=_one_line(texts.NOTIFY_SUBJECT.get(lang).format(organisation=request.organisation))[
            :300
        ],
        body_text=texts.NOTIFY_BODY.get(lang).format(
            tenant=tenant_name,
            organisation=request.organisation,
            name=request.contact_name,
            email=request.email,
            phone=request.phone or missing,
            question=request.question or missing,
            score=score,
            level=level,
            lead_url=lead_url,
        ),
        kind=KIND_NOTIFICATION,
    )


def confirmation(
    *,
    tenant_name: str,
    request: ContactRequest,
    lang: str,
    result_url: str,
    withdraw_url: str,
) -> OutgoingMail:
    """To the employer, in the scan's language: received, and how to withdraw consent."""
    return OutgoingMail(
        recipient=request.email,
        subject=_one_line(texts.CONFIRM_SUBJECT.get(lang).format(tenant=tenant_name))[:300],
        body_text=texts.CONFIRM_BODY.get(lang).format(
            name=request.contact_name,
            tenant=tenant_name,
            result_url=result_url,
            withdraw_url=withdraw_url,
        ),
        kind=KIND_CONFIRMATION,
    )
