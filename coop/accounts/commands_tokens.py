"""``coop token``: personal API tokens from the command line.

``coop token create`` prints the new token once, on stdout and nothing else there, so a
script can capture it (``TOKEN=$(coop token create --email ...)``); every explanation
goes to stderr.
"""

from __future__ import annotations

import click

from coop.accounts import tokens

CLI_ACTOR = "cli"
DEFAULT_NAME = "Gemaakt met coop token create"


@click.group()
def token() -> None:
    """Personal API tokens."""


@token.command("create")
@click.option("--email", required=True, help="The user the token belongs to.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(["read", "write"]),
    help="read or write (write implies read); repeatable; default read.",
)
@click.option(
    "--name",
    default=DEFAULT_NAME,
    show_default=True,
    help="What the token is for, as the user's account page shows it (at most 100 characters).",
)
@click.option(
    "--days",
    default=tokens.DEFAULT_DAYS,
    show_default=True,
    type=click.IntRange(1, tokens.MAX_DAYS),
    help="How long the token works.",
)
def create(email: str, scopes: tuple[str, ...], name: str, days: int) -> None:
    """Make an API token for a user and print it once on stdout."""
    from coop.accounts import token_repository as token_repo
    from coop.cli import fail, load_settings, run

    name = " ".join(name.split())
    if not name:
        fail("--name must not be empty")
    if len(name) > token_repo.NAME_MAX_LENGTH:
        fail(f"--name is longer than {token_repo.NAME_MAX_LENGTH} characters")
    scope = token_repo.widest_scope(scopes)
    settings = load_settings()

    async def go() -> tuple[str | None, str]:
        from coop import db
        from coop.accounts import repository
        from coop.audit.log import record

        db.use_engine(db.engine_from_url(settings.database_url))
        async with db.pool(db.engine()):
            user = await repository.user_by_email(email)
            if user is None:
                return None, f"no user with the e-mail address {email!r}"
            if not user["active"]:
                return None, f"the user {user['email']} is deactivated"
            async with db.write_transaction():
                created = await token_repo.create(
                    user_id=user["id"], name=name, scope=scope, days=days
                )
                await record(
                    "token_created",
                    actor_email=CLI_ACTOR,
                    object_type="api_token",
                    object_id=created.id,
                    detail=(
                        f"for {user['email']}, scope {scope}, {days} days, "
                        f"prefix {created.prefix}, via coop token create"
                    ),
                )
            expires = created.expires_at.date().isoformat()
            return created.token, (
                f"Token for {user['email']} (scope {scope}, expires {expires}). "
                "It is shown only this once: store it safely."
            )

    try:
        secret, message = run(go)
    except OSError as exc:
        fail(f"cannot reach the database ({type(exc).__name__}: {exc})")
        return
    except Exception as exc:  # a database without the tables, for one
        fail(f"cannot make the token ({type(exc).__name__}: {exc}); has `coop migrate` run?")
        return
    if secret is None:
        fail(message)
        return
    click.echo(message, err=True)
    click.echo(secret)
