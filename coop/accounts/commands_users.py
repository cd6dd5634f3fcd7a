"""``coop user ...``: users from the command line (the first admin, or in bulk by script).

Exit codes: 0 done, 1 refused by the database's state (the address is taken, no usable
password given), 2 a usage error (a missing or wrong option, an organisation or tenant
that does not exist).
"""

from __future__ import annotations

import sys

import click

from coop.accounts.roles import Role

EXIT_CONFLICT = 1
EXIT_USAGE = 2
PASSWORD_ATTEMPTS = 3


@click.group("user")
def user() -> None:
    """Users of the back office."""


def _read_secret(prompt: str) -> str | None:
    """A hidden prompt on a terminal; one line from stdin otherwise (for scripts).
    None at the end of input."""
    if sys.stdin.isatty():
        try:
            return click.prompt(prompt, hide_input=True, default="", show_default=False, err=True)
        except click.Abort:
            return None
    click.echo(f"{prompt}: ", nl=False, err=True)
    line = sys.stdin.readline()
    click.echo("", err=True)
    return line.rstrip("\r\n") if line else None


def _ask_password(email: str, name: str) -> str:
    from coop.accounts.invitations import language
    from coop.accounts.passwords import policy_problem
    from coop.cli import fail

    for _attempt in range(PASSWORD_ATTEMPTS):
        password = _read_secret("Password")
        if password is None:
            break
        with language("en"):
            problem = policy_problem(password, email=email, name=name)
        if problem:
            click.echo(f"This password is refused: {problem}", err=True)
            continue
        repeat = _read_secret("Repeat the password")
        if repeat is None:
            break
        if repeat != password:
            click.echo("The two passwords are not the same; please try again.", err=True)
            continue
        return password
    else:
        fail(
            f"no acceptable password after {PASSWORD_ATTEMPTS} attempts; "
            "nothing was made (or use --invite to mail a link)",
            EXIT_CONFLICT,
        )
    fail(
        "no password given (end of input); nothing was made (or use --invite to mail a link)",
        EXIT_CONFLICT,
    )
    raise AssertionError  # unreachable: fail() exits


def _check_usage(email: str, role: Role, organisation: int | None, tenant: str | None) -> None:
    from coop.mail.outbox import valid_address

    if not valid_address(email.strip()):
        raise click.BadParameter(f"{email!r} is not an e-mail address", param_hint="--email")
    if role == Role.MEMBER and organisation is None:
        raise click.UsageError("a member user needs --organisation ID (the member organisation)")
    if role == Role.WSP and not tenant:
        raise click.UsageError("a wsp user needs --tenant SLUG (the WSP tenant)")
    if organisation is not None and role != Role.MEMBER:
        raise click.UsageError("--organisation is only for the role member")
    if tenant and role != Role.WSP:
        raise click.UsageError("--tenant is only for the role wsp")


@user.command("create")
@click.option("--email", required=True, help="The address the user logs in with.")
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="admin, coordinator, member (needs --organisation) or wsp (needs --tenant).",
)
@click.option("--name", default="", help="The user's name, as shown and used in mails.")
@click.option("--organisation", type=int, help="A member user's organisation (its id).")
@click.option("--tenant", help="A wsp user's tenant (its slug).")
@click.option(
    "--invite",
    is_flag=True,
    help="Mail a link to choose a password (valid 72 hours) instead of asking for one.",
)
def create(
    email: str,
    role: str,
    name: str,
    organisation: int | None,
    tenant: str | None,
    invite: bool,
) -> None:
    """Make a user: asks for the password twice, or with --invite mails a link."""
    from coop.cli import fail, load_settings

    the_role = Role(role)
    name = name.strip()
    _check_usage(email, the_role, organisation, tenant)
    email = email.strip().lower()
    settings = load_settings()

    import asyncio

    from coop import db
    from coop.accounts import invitations, links, passwords, repository
    from coop.accounts import user_admin_repository as repo
    from coop.audit.log import record

    async def go() -> list[str]:
        db.use_engine(db.engine_from_url(settings.database_url))
        async with db.pool(db.engine()):
            place = audit_place = ""
            tenant_id = None
            if organisation is not None:
                found = [o for o in await repo.organisation_choices() if o["id"] == organisation]
                if not found:
                    raise click.BadParameter(
                        f"there is no organisation with id {organisation}",
                        param_hint="--organisation",
                    )
                audit_place = f", organisation {organisation}"
                place = f'{audit_place} "{found[0]["name"]}"'
            if tenant:
                row = await repository.tenant_by_slug(tenant)
                if row is None:
                    raise click.BadParameter(
                        f"there is no tenant {tenant!r}", param_hint="--tenant"
                    )
                tenant_id = row["id"]
                audit_place = f", tenant {tenant_id}"
                place = f', tenant {tenant} "{row["name"]}"'
            if await repo.email_taken(email):
                fail(f"a user with the address {email} already exists", EXIT_CONFLICT)

            password_hash = None
            if not invite:
                password_hash = await passwords.hash_password(_ask_password(email, name))
            detail = f"role {the_role.value}{audit_place}"
            try:
                async with db.write_transaction():
                    user_id = await repository.create_user(
                        email=email,
                        name=name,
                        role=the_role,
                        password_hash=password_hash,
                        organisation_id=organisation,
                        tenant_id=tenant_id,
                    )
                    expires_at = None
                    if invite:
                        expires_at = await invitations.send_invitation(
                            user_id, invited_by=None, base_url=settings.base_url
                        )
                    await record(
                        "user_created",
                        actor_email="cli",
                        object_type="user",
                        object_id=user_id,
                        detail=detail + (", invitation mailed" if invite else ""),
                    )
            except Exception as exc:
                if repo.is_unique_violation(exc):
                    fail(f"a user with the address {email} already exists", EXIT_CONFLICT)
                raise

        lines = [f"Made user {user_id}: {email} ({the_role.value}{place})."]
        if expires_at is not None:
            hours = int(links.LIFETIMES[links.INVITE].total_seconds() // 3600)
            lines.append(
                f"Invitation mailed to {email}: the link works once, for {hours} hours "
                f"(until {expires_at:%Y-%m-%d %H:%M} UTC)."
            )
            if not settings.smtp_url:
                lines.append("SMTP_URL is not set: the mail waits in the outbox.")
        else:
            lines.append(f"They can log in at {settings.base_url}/login.")
        if the_role.needs_second_factor:
            lines.append("At the first login they set up the second factor (an authenticator app).")
        return lines

    try:
        for line in asyncio.run(go()):
            click.echo(line)
    except click.ClickException:
        raise
    except OSError as exc:
        fail(f"cannot reach the database ({type(exc).__name__}: {exc})")
