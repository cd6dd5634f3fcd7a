"""``coop members``: the member registry from the command line.

``coop members import FILE [--dry-run]`` reads the same CSV as the import page
(:mod:`coop.members.csv_io`: the columns of the export, semicolon or comma separated,
UTF-8) and follows the same rules: every row is checked first, against the rules and
the database; if any row has a problem, each row's problems are printed and nothing is
written. ``--dry-run`` only checks. Problems go to stderr, in the language of ``--lang``;
the exit code is 0 when the file is (or would be) imported, 1 when it is not.
"""

from __future__ import annotations

from pathlib import Path

import click

from coop.web import i18n

CLI_ACTOR = "cli"


@click.group()
def members() -> None:
    """The member registry."""


@members.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and write nothing.")
@click.option(
    "--lang",
    type=click.Choice(i18n.LANGUAGES),
    default=i18n.DEFAULT_LANGUAGE,
    show_default=True,
    help="Language of the problems reported per row.",
)
def import_members(file: Path, dry_run: bool, lang: str) -> None:
    """Import member organisations from a CSV file (the columns of the export)."""
    from coop.cli import fail, load_settings, run
    from coop.members import csv_io

    settings = load_settings()
    data = file.read_bytes()

    async def go() -> tuple[list[csv_io.RowResult], list[str], int | None]:
        from coop import db

        i18n.current_language.set(lang)
        db.use_engine(db.engine_from_url(settings.database_url))
        async with db.pool(db.engine()):
            results, problems = await csv_io.check_file(data)
            if problems or any(r.errors for r in results) or dry_run:
                return results, problems, None
            written = await csv_io.import_rows(None, results, actor_name=CLI_ACTOR, client_ip="")
            return results, problems, written

    try:
        results, problems, written = run(go)
    except OSError as exc:
        fail(f"cannot reach the database ({type(exc).__name__}: {exc})")
        return
    except Exception as exc:  # a database without the tables, for one
        fail(f"cannot import ({type(exc).__name__}: {exc}); has `coop migrate` run?")
        return

    for problem in problems:
        click.echo(f"{file.name}: {problem}", err=True)
    failed = [r for r in results if r.errors]
    for result in failed:
        for error in result.errors:
            column = csv_io.column_of(error.field)
            click.echo(f"{file.name}:{result.number}: {column}: {error.detail}", err=True)
    if problems or failed:
        fail(
            f"{len(failed)} of {len(results)} row(s) have problems; nothing was written."
            if failed
            else "the file cannot be imported; nothing was written."
        )
        return
    if written is None:
        click.echo(f"{len(results)} row(s) checked, all valid; nothing written (--dry-run).")
        return
    click.echo(f"{written} member(s) imported.")
