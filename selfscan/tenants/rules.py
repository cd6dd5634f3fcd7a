"""Pure rules for tenants: slugs, colours and their contrast, origins, consent versions, and
the embed snippet. No I/O; every message is Dutch, with English beside it, like the rest of
the self-scan (:class:`selfscan.model.Text`).
"""

from __future__ import annotations

import math
import re
from html import escape
from urllib.parse import urlsplit

from selfscan.model import Text

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
#: The text drawn on the brand colours (buttons, the header band) is white.
TEXT_ON_BRAND = "#ffffff"
MIN_CONTRAST = 4.5
MAX_ORIGINS = 20
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")
#: Slugs that would collide with the scan's own paths or read as ours.
RESERVED_SLUGS = frozenset({"embed", "static", "api", "brand", "logo", "nieuw", "beheer"})


# --- slugs ---------------------------------------------------------------------------------


def slug_problem(slug: str) -> Text | None:
    if not slug:
        return Text(
            nl="Vul een korte naam voor het adres in.", en="Enter a short name for the address."
        )
    if not SLUG_RE.match(slug):
        return Text(
            nl="Gebruik alleen kleine letters, cijfers en streepjes, hoogstens 40 tekens. "
            "Bijvoorbeeld: wsp-rijnmond.",
            en="Use only lower-case letters, digits and hyphens, at most 40 characters. "
            "For example: wsp-rijnmond.",
        )
    if slug in RESERVED_SLUGS:
        return Text(
            nl="Deze naam is gereserveerd. Kies een andere.",
            en="This name is reserved. Choose another.",
        )
    return None


# --- colours -------------------------------------------------------------------------------


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#rrggbb``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def normal_colour(raw: str) -> str:
    text = raw.strip().lower()
    if re.fullmatch(r"[0-9a-f]{6}", text):
        text = "#" + text
    return text


def colour_problem(colour: str) -> Text | None:
    """Why ``colour`` (already normalised) cannot be a brand colour, or None."""
    if not COLOUR_RE.match(colour):
        return Text(
            nl="Vul een kleur in als # met zes tekens, bijvoorbeeld #154273.",
            en="Enter a colour as # and six characters, for example #154273.",
        )
    ratio = contrast(colour, TEXT_ON_BRAND)
    if ratio < MIN_CONTRAST:
        # Rounded down, so a ratio just under the minimum never reads as the minimum.
        shown = f"{math.floor(ratio * 100) / 100:.2f}"
        return Text(
            nl=f"Deze kleur is te licht: witte tekst erop is slecht leesbaar (contrast "
            f"{shown.replace('.', ',')}:1, minimaal 4,5:1 nodig). Kies een donkerdere kleur.",
            en=f"This colour is too light: white text on it is hard to read (contrast "
            f"{shown}:1, at least 4.5:1 needed). Choose a darker colour.",
        )
    return None


# --- origins -------------------------------------------------------------------------------


def normal_origin(raw: str) -> str | None:
    """``scheme://host[:port]`` in lower case, or None when ``raw`` is no bare origin
    (a path, query, user info or fragment makes it something else)."""
    text = raw.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.path or parts.query or parts.fragment or "@" in parts.netloc:
        return None
    host = parts.hostname.lower()
    if not re.fullmatch(r"[a-z0-9.-]+|\[[0-9a-f:]+\]", host) or ".." in host:
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    suffix = f":{port}" if port is not None and port != default else ""
    return f"{parts.scheme}://{host}{suffix}"


def origin_problem(raw: str, *, production: bool) -> Text | None:
    origin = normal_origin(raw)
    if origin is None:
        return Text(
            nl=f"„{raw.strip()[:100]}” is geen geldig adres. Vul alleen het begin van het "
            "adres in, zoals https://www.wsp-voorbeeld.nl (zonder pad).",
            en=f"“{raw.strip()[:100]}” is not a valid address. Enter only the start of the "
            "address, like https://www.wsp-example.nl (no path).",
        )
    parts = urlsplit(origin)
    if parts.scheme == "https":
        if parts.hostname in LOOPBACK_HOSTS and production:
            return Text(
                nl=f"{origin}: een adres op deze computer kan niet in productie.",
                en=f"{origin}: an address on this computer cannot be used in production.",
            )
        return None
    if not production and parts.hostname in LOOPBACK_HOSTS and parts.port:
        return None
    return Text(
        nl=f"{origin}: gebruik een adres dat begint met https://.",
        en=f"{origin}: use an address that starts with https://.",
    )


def parse_origins(text: str, *, production: bool) -> tuple[list[str], list[Text]]:
    """One origin per line (or separated by spaces or commas): the normalised, distinct
    origins and the problems, one per wrong line."""
    origins: list[str] = []
    problems: list[Text] = []
    for raw in re.split(r"[\s,]+", text):
        if not raw:
            continue
        problem = origin_problem(raw, production=production)
        if problem:
            problems.append(problem)
            continue
        origin = normal_origin(raw)
        if origin and origin not in origins:
            origins.append(origin)
    if len(origins) > MAX_ORIGINS:
        problems.append(
            Text(
                nl=f"Hoogstens {MAX_ORIGINS} websites.",
                en=f"At most {MAX_ORIGINS} websites.",
            )
        )
    return origins, problems


def accepted_parent(raw: str | None, allowed: list[str] | tuple[str, ...]) -> str | None:
    """The embedding page's origin from ``?parent=``, when it is one of ``allowed``."""
    if not raw or len(raw) > 300:
        return None
    origin = normal_origin(raw)
    return origin if origin is not None and origin in allowed else None


def frame_ancestors(allowed: list[str] | tuple[str, ...]) -> list[str]:
    return ["'self'", *allowed]


# --- consent -------------------------------------------------------------------------------


def next_consent_version(old_text: str, new_text: str, version: int) -> int:
    """A changed consent text is a new version; the same text keeps its version."""
    return version if old_text.strip() == new_text.strip() else version + 1


# --- the snippet ---------------------------------------------------------------------------


def embed_snippet(base_url: str, slug: str, name: str) -> str:
    base = base_url.rstrip("/")
    link = escape(f"{base}/scan/{slug}")
    label = escape(f"Doe de zelfscan banenafspraak van {name}")
    return (
        f'<script src="{escape(base)}/embed.js" data-wsp="{escape(slug)}" async></script>\n'
        f'<noscript><a href="{link}">{label}</a></noscript>'
    )


# --- the brand stylesheet ------------------------------------------------------------------


def brand_css(primary: str, secondary: str) -> str:
    """The tenant's colours as a stylesheet (the CSP allows no inline style). Only
    validated ``#rrggbb`` values reach it; anything else falls back to the defaults."""
    from selfscan.tenants.tables import DEFAULT_PRIMARY, DEFAULT_SECONDARY

    primary = primary if COLOUR_RE.match(primary or "") else DEFAULT_PRIMARY
    secondary = secondary if COLOUR_RE.match(secondary or "") else DEFAULT_SECONDARY
    return f""":root {{
  --brand-primary: {primary};
  --brand-secondary: {secondary};
  --brand-on-primary: {TEXT_ON_BRAND};
  --color-primary: {primary};
  --color-primary-dark: {primary};
  --color-accent: {secondary};
}}
.button:not(.button--secondary) {{
  background: {primary}; border-color: {primary}; color: {TEXT_ON_BRAND};
}}
.button--secondary {{ color: {primary}; border-color: {primary}; }}
.scan-brand {{ border-top: 0.5rem solid {primary}; }}
.scan-kicker, .scan-brand__name {{ color: {secondary}; }}
.scan-progress__bar::-webkit-progress-value {{ background: {primary}; }}
.scan-progress__bar::-moz-progress-bar {{ background: {primary}; }}
main a:not(.button) {{ color: {secondary}; }}
"""
