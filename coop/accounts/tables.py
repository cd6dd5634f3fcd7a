"""Accounts. Secrets are stored only as hashes, except the TOTP seed, which the server
needs in the clear to check codes."""

from piccolo.columns import BigInt, Boolean, ForeignKey, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from coop.members.tables import Organisation
from selfscan.tenants.tables import Tenant


class User(Table, tablename="account_user"):
    email = Varchar(length=320, unique=True, index=True)  # always lower-case
    name = Varchar(length=200, default="")
    # admin | coordinator | member | wsp (coop.accounts.roles.Role)
    role = Varchar(length=20)
    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.restrict)
    tenant = ForeignKey(Tenant, null=True, on_delete=OnDelete.restrict)
    password_hash = Text(null=True, default=None, secret=True)
    active = Boolean(default=True)
    # Changes whenever what a session may do changes (password, role, deactivation,
    # second factor): every session made with the old stamp stops working.
    security_stamp = Varchar(length=64, secret=True)
    totp_secret = Varchar(length=64, null=True, default=None, secret=True)
    totp_enabled_at = Timestamptz(null=True, default=None)
    # The last accepted TOTP time step, so a code cannot be used twice.
    totp_last_step = BigInt(null=True, default=None)
    language = Varchar(length=2, default="nl")
    created_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)
    password_changed_at = Timestamptz(null=True, default=None)


class RecoveryCode(Table, tablename="account_recovery_code"):
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    code_hash = Varchar(length=128, secret=True)
    created_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class ApiToken(Table, tablename="account_api_token"):
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=100)
    # The public part of the token, to find it; the secret part is only hashed.
    prefix = Varchar(length=16, unique=True, index=True)
    token_hash = Varchar(length=128, secret=True)
    scope = Varchar(length=10)  # read | write
    created_at = Timestamptz()
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)


class OneTimeLink(Table, tablename="account_one_time_link"):
    """An invitation or password-reset link: usable once, until it expires."""

    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=10)  # invite | reset
    token_hash = Varchar(length=128, unique=True, index=True, secret=True)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
