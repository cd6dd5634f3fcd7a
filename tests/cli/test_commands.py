"""The ``coop`` command as a user runs it: in a fresh folder, configured by the environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

COOP = shutil.which("coop") or str(Path(sys.executable).parent / "coop")


def coop(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "COOP_ENV", "PICCOLO_CONF")
    }
    return subprocess.run(
        [COOP, *args], cwd=cwd, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def test_migrate_creates_the_sqlite_file_under_data_and_is_repeatable(folder):
    first = coop(folder, "migrate")
    assert first.returncode == 0, first.stderr
    assert (folder / "data" / "coop.sqlite").exists()
    assert "up to date" in first.stdout
    again = coop(folder, "migrate")
    assert again.returncode == 0, again.stderr
    assert "The database is up to date." in again.stdout


def test_sqlite_file_uses_write_ahead_logging(folder):
    import sqlite3

    assert coop(folder, "migrate").returncode == 0
    with sqlite3.connect(folder / "data" / "coop.sqlite") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_demo_is_idempotent(folder):
    first = coop(folder, "demo", COOP_ENV="development")
    assert first.returncode == 0, first.stderr
    second = coop(folder, "demo", COOP_ENV="development")
    assert second.returncode == 0, second.stderr
    assert "Demo ready" in second.stdout


def test_demo_refuses_production(folder):
    result = coop(
        folder,
        "demo",
        COOP_ENV="production",
        SECRET_KEY="k" * 40,
        BASE_URL="https://coop.example.nl",
    )
    assert result.returncode == 2
    assert "production" in result.stderr
    assert not (folder / "data" / "coop.sqlite").exists()


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DATABASE_URL": "mysql://localhost/coop"}, "DATABASE_URL"),
        ({"COOP_ENV": "production", "BASE_URL": "https://coop.example.nl"}, "SECRET_KEY"),
        (
            {
                "COOP_ENV": "production",
                "SECRET_KEY": "k" * 40,
                "BASE_URL": "http://coop.example.nl",
            },
            "BASE_URL",
        ),
        ({"PDF_WORKERS": "lots"}, "PDF_WORKERS"),
    ],
)
def test_bad_settings_stop_with_one_line_and_exit_code_2(folder, env, variable):
    result = coop(folder, "serve", **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_serve_refuses_several_workers_on_sqlite(folder):
    result = coop(
        folder,
        "serve",
        "--workers",
        "2",
        COOP_ENV="production",
        SECRET_KEY="k" * 40,
        BASE_URL="https://coop.example.nl",
    )
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr and "SQLite" in result.stderr


def test_help_lists_the_commands(folder):
    result = coop(folder, "--help")
    assert result.returncode == 0
    for command in ("migrate", "demo", "serve"):
        assert command in result.stdout
