"""What crosses the boundary of the tenant back office: the settings a WSP user edits and
the basics an admin sets. Built by :mod:`selfscan.tenants.forms` from a posted form."""

from __future__ import annotations

import msgspec


class TenantBasics(msgspec.Struct, frozen=True, kw_only=True):
    """What only an admin sets."""

    slug: str
    name: str
    region_code: str
    active: bool = True


class TenantSettings(msgspec.Struct, frozen=True, kw_only=True):
    """What a WSP user manages for its own tenant (an admin may too)."""

    contact_name: str
    contact_email: str
    contact_phone: str
    lead_email: str
    privacy_url: str
    consent_text: str
    primary_colour: str
    secondary_colour: str
    allowed_origins: list[str]
