"""The outbox table: a mail is a row written in the same transaction as its cause."""

from piccolo.columns import Integer, Text, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class OutboxMail(Table, tablename="mail_outbox"):
    # queued -> sent | failed; a row is never deleted by the application.
    status = Varchar(length=10, default="queued", index=True, index_method=IndexMethod.btree)
    recipient = Varchar(length=320)
    subject = Varchar(length=300)
    body_text = Text()
    body_html = Text(null=True, default=None)
    # What caused the mail (e.g. "invitation"), for the admins' outbox view.
    kind = Varchar(length=50, default="")
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz()
    # A sender claims a row until this time, so two workers never send it twice.
    locked_until = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
