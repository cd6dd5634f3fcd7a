"""What crosses the API boundary: the public self-scan contract of the architecture page.

Field names and shapes are the contract; extend them, never change them. Scores have one
decimal and the band is decided on the unrounded score (see :mod:`selfscan.scoring`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

# A body larger than this is refused with 413 before it is read.
MAX_BODY_BYTES = 64 * 1024
# More answers than this is never a real scan; refused before any question is looked at.
MAX_ANSWERS = 200
MAX_EMPLOYEES = 10_000_000
MAX_YEARLY_HOURS = 20_000_000_000


class OptionOut(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    label: str
    score: float


class QuestionOut(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    text: str
    options: list[OptionOut]


class ThemeOut(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    weight: float
    questions: list[QuestionOut]


class QuestionnaireOut(msgspec.Struct, frozen=True, kw_only=True):
    """One version of the questionnaire, in one language."""

    version: str
    themes: list[ThemeOut]


class OrganisationIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The organisation, all optional: the number of employees (head count) decides the
    size class of the peer comparison; ``sector`` is an SBI section letter (A to U)."""

    employees: Annotated[int, msgspec.Meta(ge=0, le=MAX_EMPLOYEES)] | None = None
    sector: Annotated[str, msgspec.Meta(pattern="^[A-U]$")] | None = None
    yearly_paid_hours: Annotated[int, msgspec.Meta(ge=0, le=MAX_YEARLY_HOURS)] | None = None


class ScanCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A completed scan: every question of the current questionnaire answered.

    ``answers`` maps each question id to one of that question's option ids. ``tenant`` is
    the slug of the WSP the scan is made for (default: the cooperative's own). ``lang``
    (``nl`` or ``en``) sets the language of the texts in the answer and of the report.
    """

    answers: Annotated[
        dict[str, Any],
        msgspec.Meta(
            max_length=MAX_ANSWERS,
            description="question id -> option id, for every question",
            examples=[{"commitment_management": "decided", "commitment_goal": "vague"}],
        ),
    ]
    tenant: Annotated[str, msgspec.Meta(min_length=1, max_length=40)] | None = None
    organisation: OrganisationIn = msgspec.field(default_factory=OrganisationIn)
    lang: Literal["nl", "en"] = "nl"


class ThemeScoreOut(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    score: float
    band: Literal["low", "middle", "high"]


class ScanResultOut(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of a scan. ``token`` is the scan's secret link token: keep it."""

    token: str
    version: str
    lang: Literal["nl", "en"]
    overall: float
    level: str
    level_label: str
    themes: list[ThemeScoreOut]
    priorities: list[str]
    report_url: str


class FieldProblem(msgspec.Struct, frozen=True, kw_only=True):
    field: str
    pointer: str
    detail: str


class ProblemDetails(msgspec.Struct, frozen=True, kw_only=True):
    """RFC 9457 problem details, for the OpenAPI description of errors."""

    type: str
    title: str
    status: int
    code: str
    instance: str
    detail: str | None = None
    errors: list[FieldProblem] | None = None
