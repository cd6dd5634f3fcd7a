"""The ``coop`` command. Each app adds its own group of commands here."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from typing import Any

import click

# Piccolo finds its configuration by module name; the installed command has no
# repository root on sys.path, so point it at the package's own module.
os.environ.setdefault("PICCOLO_CONF", "coop.piccolo_conf")

from coop.settings import Settings, SettingsError, from_env

EXIT_CONFIG = 2


def fail(message: str, code: int = 1) -> None:
    click.echo(f"coop: {message}", err=True)
    sys.exit(code)


def load_settings() -> Settings:
    try:
        return from_env()
    except SettingsError as exc:
        fail(f"configuration error: {exc}", EXIT_CONFIG)
        raise  # unreachable; keeps type checkers content


def run(coro_fn: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    return asyncio.run(coro_fn())


async def _migrate(settings: Settings) -> str:
    from coop import db

    db.use_engine(db.engine_from_url(settings.database_url))
    async with db.pool(db.engine()):
        return await db.migrate()


def _migration_summary(report: str) -> str:
    if "No migrations need to be run" in report and "not yet run" not in report:
        return "The database is up to date."
    ran = report.count("✅") or report.count("🚀")
    return f"Migrations applied ({ran} step(s)); the database is up to date."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Coöperatie Inclusief Werk: the cooperative and the readiness self-scan."""


@main.command()
def migrate() -> None:
    """Apply every migration that has not run yet."""
    settings = load_settings()
    from coop.db import MigrationError

    try:
        report = asyncio.run(_migrate(settings))
    except MigrationError as exc:
        fail(f"migration failed: {exc}")
    except OSError as exc:
        fail(f"cannot reach the database ({type(exc).__name__}: {exc})")
    click.echo(_migration_summary(report))


@main.command()
def demo() -> None:
    """Migrate and load demo data (idempotent); prints what it made."""
    settings = load_settings()
    if settings.is_production:
        fail("refusing to load demo data with COOP_ENV=production", EXIT_CONFIG)
    from coop import demo as demo_data

    async def go() -> list[str]:
        report = await _migrate(settings)
        click.echo(_migration_summary(report))
        from coop import db

        async with db.pool(db.engine()):
            return await demo_data.load(settings)

    for line in asyncio.run(go()):
        click.echo(line)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=int, help="Worker processes.")
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
def serve(host: str, port: int, workers: int, reload: bool) -> None:
    """Serve the application with uvicorn."""
    settings = load_settings()
    try:
        settings.check_workers(workers)
    except SettingsError as exc:
        fail(f"configuration error: {exc}", EXIT_CONFIG)
    if settings.is_production and reload:
        fail("--reload is for development only", EXIT_CONFIG)
    import uvicorn

    from coop import logs

    logs.configure(settings.log_level)
    click.echo(f"Serving on http://{host}:{port} ({settings.env}, {workers} worker(s))", err=True)
    uvicorn.run(
        "coop.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        access_log=False,
        log_config=None,
        proxy_headers=True,
        server_header=False,
        # Behind a reverse proxy on the same host only; set FORWARDED_ALLOW_IPS to widen.
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    )


def _register_app_commands() -> None:
    """Each app owns its commands; they are gathered here."""
    from coop.accounts.commands_tokens import token
    from coop.accounts.commands_users import user
    from coop.mail.commands import mail
    from coop.members.commands import members
    from coop.retention import retention
    from selfscan.report.commands import report

    main.add_command(mail)
    main.add_command(report)
    main.add_command(user)
    main.add_command(members)
    main.add_command(token)
    main.add_command(retention)


_register_app_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
