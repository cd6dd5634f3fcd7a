"""``selfscan`` imports nothing from ``coop``: it must run embedded in another host."""

from __future__ import annotations

import ast
from pathlib import Path

import selfscan

ROOT = Path(selfscan.__file__).resolve().parent


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_selfscan_imports_nothing_from_coop():
    files = sorted(ROOT.rglob("*.py"))
    assert len(files) > 10
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imported_modules(path) if m == "coop" or m.startswith("coop.")
        )
        for path in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}
