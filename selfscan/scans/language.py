"""The language of a page or an API answer: Dutch first, English second.

Pages follow ``?lang=`` (the host's ``url()`` keeps it on every link and form), exactly as
the host chooses the language of its own texts. API answers follow ``?lang=``, then
``Accept-Language``, then the language stored with the scan.
"""

from __future__ import annotations

from typing import Any

from selfscan.model import LANGUAGES

DEFAULT = "nl"


def of_page(request: Any) -> str:
    asked = (request.query_params.get("lang") or "").lower()
    return asked if asked in LANGUAGES else DEFAULT


def of_api(request: Any, stored: str | None = None) -> str:
    asked = (request.query_params.get("lang") or "").lower()
    if asked in LANGUAGES:
        return asked
    for part in (request.headers.get("accept-language") or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return stored if stored in LANGUAGES else DEFAULT
