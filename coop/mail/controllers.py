"""The admins' view of the outbox: what waits, what went out, what failed, and a retry.

``/beheer/uitgaande-post`` lists mails newest first per status (without their bodies);
``/beheer/uitgaande-post/{id}`` shows one mail with its text, which matters most without
``SMTP_URL``, when the outbox is where mail stays. A failed mail can be sent again; that
is recorded in the audit log.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, get, post
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath
from litestar.response import Redirect, Template

from coop import db
from coop.accounts.auth import principal_of, requires
from coop.accounts.login import client_ip
from coop.accounts.roles import Role
from coop.audit.log import record
from coop.errors import NotFound
from coop.mail import outbox
from coop.web.i18n import gettext as _
from coop.web.templating import url

BASE = "/beheer/uitgaande-post"
PAGE_SIZE = 50
NO_STORE = CacheControlHeader(no_store=True)


def status_labels() -> dict[str, str]:
    return {
        outbox.QUEUED: _("Wacht op verzending"),
        outbox.SENT: _("Verzonden"),
        outbox.FAILED: _("Mislukt"),
    }


def kind_labels() -> dict[str, str]:
    return {
        "invitation": _("Uitnodiging"),
        "password_reset": _("Wachtwoordherstel"),
        "lead_notification": _("Nieuwe lead voor een WSP"),
        "lead_confirmation": _("Bevestiging aan een werkgever"),
    }


def _page_number(raw: str | None) -> int:
    try:
        return min(max(1, int(raw or 1)), 100_000)
    except ValueError:
        return 1


class OutboxController(Controller):
    path = BASE
    include_in_schema = False
    guards = [requires(Role.ADMIN)]
    cache_control = NO_STORE

    @get("/", name="mail.outbox", media_type=MediaType.HTML)
    async def list_mail(self, request: Request[Any, Any, Any]) -> Template:
        counts = await outbox.count_by_status()
        asked = request.query_params.get("status")
        status = asked if asked in outbox.STATUSES else None
        if asked is None and counts[outbox.FAILED]:
            # Failed mails first, when there are any: that is what needs an admin.
            status = outbox.FAILED
        page = _page_number(request.query_params.get("pagina"))
        found = await outbox.list_mail(status, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        pages = max(1, -(-found.total // PAGE_SIZE))

        def page_url(number: int) -> str:
            return url(BASE, status=status or "alle", pagina=number if number > 1 else None)

        return Template(
            "mail/outbox.html",
            context={
                "mails": found.items,
                "total": found.total,
                "status": status,
                "counts": counts,
                "all_count": sum(counts.values()),
                "labels": status_labels(),
                "kinds": kind_labels(),
                "page": page,
                "pages": pages,
                "previous_url": page_url(page - 1) if page > 1 else None,
                "next_url": page_url(page + 1) if page < pages else None,
                "base": BASE,
            },
        )

    @get("/{mail_id:int}", name="mail.outbox.detail", media_type=MediaType.HTML)
    async def detail(self, mail_id: FromPath[int]) -> Template:
        if not 0 < mail_id < 2**31:
            raise NotFound(_("Dit bericht staat niet in de uitgaande post."))
        mail = await outbox.get_mail(mail_id)
        return Template(
            "mail/mail.html",
            context={
                "mail": mail,
                "labels": status_labels(),
                "kinds": kind_labels(),
                "base": BASE,
            },
        )

    @post("/{mail_id:int}/opnieuw", name="mail.outbox.retry", media_type=MediaType.HTML)
    async def retry(self, request: Request[Any, Any, Any], mail_id: FromPath[int]) -> Redirect:
        if not 0 < mail_id < 2**31:
            raise NotFound(_("Dit bericht staat niet in de uitgaande post."))
        async with db.write_transaction():  # the retry and its record commit together
            await outbox.requeue(mail_id)
            await record(
                "mail_requeued",
                actor=principal_of(request),
                object_type="mail",
                object_id=mail_id,
                client_ip=client_ip(request),
            )
        return Redirect(url(f"{BASE}/{mail_id}", opnieuw=1), status_code=303)
