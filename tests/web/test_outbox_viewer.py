"""The admins' outbox view: the mails per status, one mail with its text, and a retry of a
failed mail (recorded in the audit log). Only admins. Both engines."""

from __future__ import annotations

import pytest

from coop import db
from coop.accounts.roles import Role
from coop.audit.tables import AuditEvent
from coop.mail import outbox
from coop.mail.tables import OutboxMail
from tests import factories
from tests.factories import csrf_from, login

pytestmark = pytest.mark.usefixtures("migrated")


async def mail(recipient: str, subject: str, *, failed: bool = False) -> int:
    async with db.write_transaction():
        mail_id = await outbox.enqueue(recipient, subject, f"Hallo {recipient}", kind="invitation")
    if failed:
        await OutboxMail.update(
            {
                OutboxMail.status: "failed",
                OutboxMail.attempts: 8,
                OutboxMail.last_error: "SMTPRecipientsRefused: 550 No such user",
            }
        ).where(OutboxMail.id == mail_id)
    return mail_id


async def test_an_admin_sees_failed_mails_first_and_can_send_one_again(client):
    await mail("anna@example.org", "Welkom Anna")
    failed = await mail("bob@example.org", "Welkom Bob", failed=True)
    admin = await factories.user(Role.ADMIN)
    await login(client, admin)

    page = await client.get("/beheer/uitgaande-post")
    assert page.status_code == 200
    assert "Welkom Bob" in page.text and "550 No such user" in page.text
    assert "Welkom Anna" not in page.text  # the failed tab is shown first
    everything = await client.get("/beheer/uitgaande-post?status=alle")
    assert "Welkom Anna" in everything.text and "Welkom Bob" in everything.text

    detail = await client.get(f"/beheer/uitgaande-post/{failed}")
    assert "Hallo bob@example.org" in detail.text
    r = await client.post(
        f"/beheer/uitgaande-post/{failed}/opnieuw", data={"_csrf": csrf_from(detail.text)}
    )
    assert r.status_code == 303
    row = (
        await OutboxMail.select(OutboxMail.status, OutboxMail.attempts)
        .where(OutboxMail.id == failed)
        .first()
    )
    assert row == {"status": "queued", "attempts": 0}
    event = await AuditEvent.select().where(AuditEvent.action == "mail_requeued").first()
    assert event["object_id"] == str(failed) and event["actor_id"] == admin.id

    # Once queued it cannot be retried again (409), and an unknown mail is 404.
    again = await client.post(
        f"/beheer/uitgaande-post/{failed}/opnieuw", data={"_csrf": csrf_from(detail.text)}
    )
    assert again.status_code == 409
    assert (await client.get("/beheer/uitgaande-post/999999")).status_code == 404
    assert (await client.get("/beheer/uitgaande-post/99999999999")).status_code == 404


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MEMBER, Role.WSP])
async def test_only_admins_see_the_outbox(client, role):
    failed = await mail("bob@example.org", "Welkom Bob", failed=True)
    await login(client, await factories.user(role))
    assert (await client.get("/beheer/uitgaande-post")).status_code == 403
    assert (await client.get(f"/beheer/uitgaande-post/{failed}")).status_code == 403
