"""The public self-scan API (the contract of the architecture page).

- ``GET /api/v1/selfscan/questionnaire``: the current version (or ``?version=``), texts in
  ``?lang=`` or Accept-Language.
- ``POST /api/v1/selfscan/scans``: every question answered -> 201 with the result and the
  scan's secret ``token``. Texts in the body's ``lang``.
- ``GET /api/v1/selfscan/scans/{token}``: the stored result again, texts in ``?lang=``,
  Accept-Language, or the scan's own language.

Public: no token, no cookie; rate-limited by the host's general limit, and new scans also
by :mod:`selfscan.scans.limits`. Errors are raised as :mod:`selfscan.errors` and become
problem details in the host (422 naming each field, 404, 409, 413, 429).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import ClientException, SerializationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from selfscan import questionnaires
from selfscan.errors import ScanNotCompleted
from selfscan.scans import language, limits, service
from selfscan.scans.config import config_of
from selfscan.scans.schemas import (
    MAX_BODY_BYTES,
    ProblemDetails,
    QuestionnaireOut,
    ScanCreate,
    ScanResultOut,
)

PROBLEM_JSON = "application/problem+json"


async def _decode_first(request: Request[Any, Any, Any]) -> None:
    """Decode the JSON body before Litestar does, to turn JSON nested too deeply for the
    decoder (a RecursionError, a 500 otherwise) into a 400. The decoded body is kept on the
    request, so it is not decoded twice."""
    try:
        await request.json()
    except SerializationException:
        return  # not JSON at all: Litestar says so, as for every other body
    except RecursionError:
        raise ClientException(
            detail="De inhoud van het verzoek is te diep genest: dit is geen zelfscan."
        ) from None


def _problem(description: str) -> ResponseSpec:
    return ResponseSpec(
        data_container=ProblemDetails,
        description=description,
        media_type=PROBLEM_JSON,
        generate_examples=False,
    )


class SelfscanApi(Controller):
    path = "/api/v1/selfscan"
    tags = ["selfscan"]
    security = []  # public: no token needed

    @get(
        "/questionnaire",
        name="api.selfscan.questionnaire",
        summary="The questionnaire",
        description=(
            "The current version of the questionnaire, or an older one with `?version=`; "
            "texts in Dutch, or in English with `?lang=en` or `Accept-Language: en`."
        ),
        responses={404: _problem("No questionnaire of this version.")},
        operation_id="getSelfscanQuestionnaire",
        cache_control=CacheControlHeader(public=True, max_age=300),
    )
    async def questionnaire(
        self, request: Request[Any, Any, Any], version: FromQuery[str | None] = None
    ) -> QuestionnaireOut:
        chosen = questionnaires.load(version) if version else questionnaires.current()
        return service.questionnaire_out(chosen.version, language.of_api(request))

    @post(
        "/scans",
        name="api.selfscan.create",
        summary="Score a completed scan",
        description=(
            "Every question of the current questionnaire answered with one of its own "
            "options. Answers with 201 and the result; keep the `token`, it is the only "
            "key to the scan. A missing or unknown question id, or an option id that does "
            "not belong to its question, is a 422 problem naming each field. At most "
            f"{MAX_BODY_BYTES // 1024} KiB; new scans are limited per client and minute."
        ),
        status_code=HTTP_201_CREATED,
        request_max_body_size=MAX_BODY_BYTES,
        before_request=_decode_first,
        responses={
            413: _problem("The body is larger than 64 KiB."),
            422: _problem("A field is missing or wrong; `errors` names each one."),
            429: _problem("Too many new scans from this client; see Retry-After."),
        },
        operation_id="createSelfscanScan",
        cache_control=CacheControlHeader(no_store=True),
    )
    async def create(
        self, request: Request[Any, Any, Any], data: JSONBody[ScanCreate]
    ) -> ScanResultOut:
        await limits.count_new_scan(
            request, (data.tenant or config_of(request.app).default_tenant)[:40]
        )
        return await service.create_completed(request.app, data, config_of(request.app))

    @get(
        "/scans/{token:str}",
        name="api.selfscan.read",
        summary="The result of a scan",
        description=(
            "The stored result of a completed scan, scored on the questionnaire version it "
            "was answered on. An unknown, malformed or expired token answers 404."
        ),
        responses={
            404: _problem("No scan with this token, or its link has expired."),
            409: _problem("The scan is still being filled in."),
        },
        operation_id="getSelfscanScan",
        cache_control=CacheControlHeader(no_store=True),
    )
    async def read(self, request: Request[Any, Any, Any], token: FromPath[str]) -> ScanResultOut:
        scan = await service.find(token)
        if scan.result is None:
            raise ScanNotCompleted()
        lang = language.of_api(request, scan.lang)
        return service.result_out(
            scan.result,
            questionnaires.load(scan.version),
            token=token,
            lang=lang,
            report=service.report_url(config_of(request.app), scan.tenant_slug, token),
        )
