"""The outbox as the self-scan's mail writer (:data:`selfscan.tenants.leads.mails.MailWriter`).

``selfscan`` writes no mail itself; the host registers its lead pages with
``dependencies={"mail_writer": Provide(provide_mail_writer)}``. The writer only inserts an
outbox row, in whatever transaction the caller has open, so a lead and its mails commit
together.
"""

from __future__ import annotations

from coop.mail.outbox import enqueue
from selfscan.tenants.leads.mails import MailWriter, OutgoingMail


async def write_to_outbox(mail: OutgoingMail) -> None:
    await enqueue(mail.recipient, mail.subject, mail.body_text, kind=mail.kind)


async def provide_mail_writer() -> MailWriter:
    return write_to_outbox
