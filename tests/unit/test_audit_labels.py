"""Every action the service writes to the audit log has a readable name in the viewer, and
every object type too: the viewer would otherwise show raw codes to the people who read it."""

from __future__ import annotations

import re
from pathlib import Path

from coop.audit.controllers import action_labels, object_type_labels
from selfscan.tenants import audit as tenant_audit

ROOT = Path(__file__).resolve().parents[2]
# record("x", ...), _audit("x", ...), possibly with the string on the next line.
CALL = re.compile(r"\b(?:record|_audit)\(\s*\"([a-z_]+)\"")
TYPE = re.compile(r"object_type=\"([a-z_]+)\"|^OBJECT_TYPE = \"([a-z_]+)\"", re.M)


def _sources() -> list[str]:
    return [p.read_text("utf-8") for p in (ROOT / "coop").rglob("*.py")]


def test_every_recorded_action_has_a_label():
    recorded = {name for text in _sources() for name in CALL.findall(text)}
    recorded |= {
        value
        for name, value in vars(tenant_audit).items()
        if name.startswith("TENANT_") and isinstance(value, str)
    }
    assert {"participant_register_read", "placement_created", "member_created"} <= recorded
    missing = sorted(recorded - set(action_labels()))
    assert not missing, missing


def test_every_object_type_has_a_label():
    used = {a or b for text in _sources() for a, b in TYPE.findall(text)}
    assert {"participant", "placement", "organisation", "tenant"} <= used
    missing = sorted(used - set(object_type_labels()))
    assert not missing, missing
