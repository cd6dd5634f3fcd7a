"""The public self-scan API: the contract of the architecture page, and bad input.

GET /api/v1/selfscan/questionnaire, POST /api/v1/selfscan/scans and
GET /api/v1/selfscan/scans/{token}: public, no cookies, problem details on every error.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from selfscan import questionnaires, scoring
from selfscan.scans import service
from selfscan.scans.tables import Scan
from tests import scans
from tests.scans import QUESTIONNAIRE, QUESTIONS, answers

QUESTIONNAIRE_URL = "/api/v1/selfscan/questionnaire"
SCANS_URL = "/api/v1/selfscan/scans"
RESULT_KEYS = {
    "token",
    "version",
    "lang",
    "overall",
    "level",
    "level_label",
    "themes",
    "priorities",
    "report_url",
}
LEVEL_IDS = {level.id for level in scoring.LEVELS}


@pytest.fixture
async def tenant(client):
    # The test app is shared by the whole run: forget the tenants and peers it remembers.
    service.forget(client.app)
    return await scans.default_tenant()


def one_decimal(value: float) -> bool:
    return round(value, 1) == value


def assert_problem(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "set-cookie" not in r.headers
    body = r.json()
    assert body["status"] == status
    if code:
        assert body["code"] == code
    return body


def fields(body: dict) -> list[str]:
    return [error["field"] for error in body.get("errors", [])]


# --- the questionnaire ---------------------------------------------------------------------


async def test_questionnaire_has_exactly_the_contract_shape(client):
    r = await client.get(QUESTIONNAIRE_URL)
    assert r.status_code == 200
    assert "set-cookie" not in r.headers
    body = r.json()
    assert set(body) == {"version", "themes"}
    assert body["version"] == QUESTIONNAIRE.version
    assert [t["id"] for t in body["themes"]] == [t.id for t in QUESTIONNAIRE.themes]
    for theme, source in zip(body["themes"], QUESTIONNAIRE.themes, strict=True):
        assert set(theme) == {"id", "title", "weight", "questions"}
        assert theme["title"] == source.title.nl
        assert theme["weight"] == source.weight
        for question in theme["questions"]:
            assert set(question) == {"id", "text", "options"}
            for option in question["options"]:
                assert set(option) == {"id", "label", "score"}
                assert 0 <= option["score"] <= 1


async def test_questionnaire_in_english_by_query_or_header(client):
    first = QUESTIONNAIRE.themes[0]
    for r in (
        await client.get(QUESTIONNAIRE_URL, params={"lang": "en"}),
        await client.get(QUESTIONNAIRE_URL, headers={"accept-language": "en-GB,en;q=0.9"}),
    ):
        body = r.json()
        assert body["themes"][0]["title"] == first.title.en
        assert body["themes"][0]["questions"][0]["text"] == first.questions[0].text.en


async def test_questionnaire_of_an_unknown_version_is_a_404_problem(client):
    r = await client.get(QUESTIONNAIRE_URL, params={"version": "1999-1"})
    assert_problem(r, 404, "unknown_version")


# --- creating a scan -----------------------------------------------------------------------


async def test_a_complete_scan_answers_201_with_exactly_the_contract(client, tenant):
    r = await client.post(
        SCANS_URL, json={"answers": answers("middle"), "organisation": {"employees": 30}}
    )
    assert r.status_code == 201, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert "set-cookie" not in r.headers
    assert "no-store" in r.headers["cache-control"]
    body = r.json()
    assert set(body) == RESULT_KEYS
    expected = scoring.score(QUESTIONNAIRE, answers("middle"))
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", body["token"])  # 192 random bits
    assert body["version"] == QUESTIONNAIRE.version
    assert body["lang"] == "nl"
    assert body["overall"] == expected.overall and one_decimal(body["overall"])
    assert body["level"] == expected.level and body["level"] in LEVEL_IDS
    assert body["level_label"] == scoring.level_by_id(expected.level).name.nl
    assert [set(t) for t in body["themes"]] == [{"id", "title", "score", "band"}] * 8
    for theme, source, scored in zip(
        body["themes"], QUESTIONNAIRE.themes, expected.themes, strict=True
    ):
        assert theme["id"] == source.id
        assert theme["title"] == source.title.nl
        assert theme["score"] == scored.score and one_decimal(theme["score"])
        assert theme["band"] == scored.band
    assert body["priorities"] == list(expected.priorities)
    assert set(body["priorities"]) <= {t.id for t in QUESTIONNAIRE.themes}
    assert body["report_url"] == f"http://127.0.0.1:8000/scan/coop/{body['token']}/rapport.pdf"

    rows = await scans.stored()
    assert len(rows) == 1
    row = rows[0]
    assert row["status"] == "completed" and row["source"] == "api"
    assert row["token_hash"] != body["token"] and body["token"] not in json.dumps(row, default=str)
    assert row["overall"] == body["overall"] and row["size_class"] == "small"


def exactly(theme_index: int, target: int) -> dict[str, str]:
    """Answers to one theme whose exact mean score is ``target`` (out of 100)."""
    theme = QUESTIONNAIRE.themes[theme_index]
    for combo in itertools.product(*(q.options for q in theme.questions)):
        total = sum(Fraction(repr(o.score)) for o in combo)
        if total * 100 == target * len(combo):
            return {q.id: o.id for q, o in zip(theme.questions, combo, strict=True)}
    raise LookupError(f"no answers make {target} in theme {theme.id}")


async def test_scores_have_one_decimal_and_bands_follow_the_unrounded_score(client, tenant):
    # Commitment: 0.3, 0.7 and 1.0 make 66.666... -> 66.7.
    commitment = QUESTIONNAIRE.themes[0].questions
    chosen = {
        **answers("worst"),
        commitment[0].id: "discussed",
        commitment[1].id: "set",
        commitment[2].id: "linked",
        **exactly(3, 70),  # recruitment exactly 70: middle, not high
        **exactly(4, 40),  # guidance exactly 40: middle, not low
    }
    body = (await client.post(SCANS_URL, json={"answers": chosen})).json()
    expected = scoring.score(QUESTIONNAIRE, chosen)
    assert body["themes"][0]["score"] == 66.7
    assert (body["themes"][3]["score"], body["themes"][3]["band"]) == (70.0, "middle")
    assert (body["themes"][4]["score"], body["themes"][4]["band"]) == (40.0, "middle")
    for theme, scored in zip(body["themes"], expected.themes, strict=True):
        assert (theme["score"], theme["band"]) == (scored.score, scored.band)
        assert one_decimal(theme["score"])
    assert body["overall"] == expected.overall and one_decimal(body["overall"])


async def test_lang_en_gives_english_texts(client, tenant):
    r = await client.post(SCANS_URL, json={"answers": answers("best"), "lang": "en"})
    body = r.json()
    assert r.status_code == 201
    assert body["lang"] == "en"
    assert body["level"] == "verankeren" and body["level_label"] == "Embedding"
    assert [t["title"] for t in body["themes"]] == [t.title.en for t in QUESTIONNAIRE.themes]
    assert body["priorities"] == []  # every answer already at its best
    assert (await scans.stored())[0]["lang"] == "en"


async def test_missing_unknown_and_foreign_answers_are_each_named(client, tenant):
    chosen = answers("middle")
    missing = QUESTIONS[0].id
    del chosen[missing]
    foreign = QUESTIONS[1].id
    chosen[foreign] = next(  # an option id of another question, not of this one
        o.id
        for q in QUESTIONS
        for o in q.options
        if q.id != foreign and all(o.id != own.id for own in QUESTIONS[1].options)
    )
    chosen["no_such_question"] = "yes"
    r = await client.post(SCANS_URL, json={"answers": chosen})
    body = assert_problem(r, 422, "invalid_answers")
    assert body["type"] == "urn:coop:problem:invalid_answers"
    assert fields(body) == [
        f"answers.{missing}",
        f"answers.{foreign}",
        "answers.no_such_question",
    ]
    pointers = [e["pointer"] for e in body["errors"]]
    assert pointers[0] == f"#/answers/{missing}"
    assert all(e["detail"] for e in body["errors"])
    assert "niet beantwoord" in body["errors"][0]["detail"]
    assert await Scan.count() == 0


async def test_the_errors_follow_the_body_language(client, tenant):
    chosen = answers("middle")
    del chosen[QUESTIONS[0].id]
    r = await client.post(SCANS_URL, json={"answers": chosen, "lang": "en"})
    body = assert_problem(r, 422)
    assert body["errors"][0]["detail"] == "This question has not been answered."
    assert body["detail"] == "Not all answers are right."
    assert body["title"]


async def test_empty_answers_name_every_question(client, tenant):
    body = assert_problem(await client.post(SCANS_URL, json={"answers": {}}), 422)
    assert fields(body) == [f"answers.{q.id}" for q in QUESTIONS]


async def test_an_answer_that_is_not_a_string_is_named(client, tenant):
    chosen = {**answers("middle"), QUESTIONS[2].id: 3}
    body = assert_problem(await client.post(SCANS_URL, json={"answers": chosen}), 422)
    assert fields(body) == [f"answers.{QUESTIONS[2].id}"]


async def test_answers_of_another_version_are_unknown_questions(client, tenant):
    chosen = {"commitment_q1": "yes", "schemes_lks_old": "no"}  # ids of no current version
    body = assert_problem(await client.post(SCANS_URL, json={"answers": chosen}), 422)
    assert "answers.commitment_q1" in fields(body)
    assert "answers.schemes_lks_old" in fields(body)


@pytest.mark.parametrize(
    ("organisation", "field"),
    [
        ({"employees": "veertig"}, "organisation.employees"),
        ({"employees": [40]}, "organisation.employees"),
        ({"employees": -5}, "organisation.employees"),
        ({"employees": 4.5}, "organisation.employees"),
        ({"employees": 10**12}, "organisation.employees"),
        ({"sector": "Z"}, "organisation.sector"),
        ({"yearly_paid_hours": -1}, "organisation.yearly_paid_hours"),
        ({"colour": "blue"}, "organisation"),  # the detail names the unknown field
    ],
)
async def test_wrong_organisation_fields_are_422_naming_the_field(
    client, tenant, organisation, field
):
    r = await client.post(SCANS_URL, json={"answers": answers(), "organisation": organisation})
    body = assert_problem(r, 422, "validation_failed")
    assert fields(body) == [field]
    assert await Scan.count() == 0


async def test_an_unknown_tenant_is_named(client, tenant):
    chosen = answers()
    del chosen[QUESTIONS[0].id]
    r = await client.post(SCANS_URL, json={"answers": chosen, "tenant": "wsp-nergens"})
    body = assert_problem(r, 422, "validation_failed")
    assert fields(body) == ["tenant", f"answers.{QUESTIONS[0].id}"]
    assert await Scan.count() == 0


async def test_another_active_tenant_is_used(client, tenant):
    from tests import factories

    await factories.tenant("wsp-rijnmond", "WSP Rijnmond")
    r = await client.post(SCANS_URL, json={"answers": answers(), "tenant": "wsp-rijnmond"})
    assert r.status_code == 201
    assert "/scan/wsp-rijnmond/" in r.json()["report_url"]


async def test_a_huge_payload_is_a_413_problem_and_stores_nothing(client, tenant):
    padding = {f"x{i:06d}": "y" * 40 for i in range(2000)}  # about 100 KB
    r = await client.post(SCANS_URL, json={"answers": {**answers(), **padding}})
    assert_problem(r, 413)
    assert await Scan.count() == 0


async def test_too_many_answers_are_refused_before_scoring(client, tenant):
    many = {f"q{i}": "x" for i in range(250)}
    body = assert_problem(await client.post(SCANS_URL, json={"answers": many}), 422)
    assert fields(body) == ["answers"]


async def test_a_body_that_is_not_json_is_a_400_problem(client, tenant):
    r = await client.post(
        SCANS_URL, content=b"answers=yes", headers={"content-type": "application/json"}
    )
    assert_problem(r, 400)
    r = await client.post(SCANS_URL, json=["not", "an", "object"])
    assert_problem(r, 422)
    assert await Scan.count() == 0


# --- reading a scan ------------------------------------------------------------------------


async def test_a_scan_is_read_back_by_its_token(client, tenant):
    made = (await client.post(SCANS_URL, json={"answers": answers(1)})).json()
    r = await client.get(f"{SCANS_URL}/{made['token']}")
    assert r.status_code == 200
    assert "set-cookie" not in r.headers and "no-store" in r.headers["cache-control"]
    assert r.json() == made
    english = (
        await client.get(f"{SCANS_URL}/{made['token']}", headers={"accept-language": "en"})
    ).json()
    assert english["lang"] == "en" and english["level_label"] != made["level_label"]
    assert {k: v for k, v in english.items() if k not in ("lang", "level_label", "themes")} == {
        k: v for k, v in made.items() if k not in ("lang", "level_label", "themes")
    }
    dutch = (await client.get(f"{SCANS_URL}/{made['token']}?lang=nl")).json()
    assert dutch == made


async def test_without_a_language_the_scan_answers_in_its_own(client, tenant):
    made = (await client.post(SCANS_URL, json={"answers": answers(), "lang": "en"})).json()
    assert (await client.get(f"{SCANS_URL}/{made['token']}")).json()["lang"] == "en"


@pytest.mark.parametrize(
    "token",
    [
        "A" * 32,  # well formed, unknown
        "abc",  # too short
        "A" * 33,  # too long
        "A" * 31 + "=",  # not URL-safe base64
        "%00" + "A" * 29,
        "..%2F..%2Fetc%2Fpasswd",
    ],
)
async def test_unknown_and_tampered_tokens_are_404_problems(client, tenant, token):
    r = await client.get(f"{SCANS_URL}/{token}")
    assert r.status_code == 404
    if r.headers["content-type"].startswith("application/problem+json"):
        assert r.json()["status"] == 404
    assert "set-cookie" not in r.headers


async def test_a_tampered_real_token_is_a_404_problem(client, tenant):
    token = (await client.post(SCANS_URL, json={"answers": answers()})).json()["token"]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    body = assert_problem(await client.get(f"{SCANS_URL}/{flipped}"), 404, "scan_not_found")
    assert "verlopen" in body["detail"]


async def test_an_expired_scan_is_a_404_problem(client, tenant):
    token = (await client.post(SCANS_URL, json={"answers": answers()})).json()["token"]
    await scans.expire_all()
    assert_problem(await client.get(f"{SCANS_URL}/{token}"), 404, "scan_not_found")


async def test_a_draft_is_a_409_problem(client, tenant):
    start = await client.post("/scan/coop")
    token = start.headers["location"].split("/")[3]
    assert_problem(await client.get(f"{SCANS_URL}/{token}"), 409, "scan_not_completed")


# --- versions ------------------------------------------------------------------------------


async def test_a_stored_result_is_read_not_scored_again(client, tenant):
    made = (await client.post(SCANS_URL, json={"answers": answers("worst")})).json()
    themes = [{**t, "score": 12.3, "band": "low"} for t in (await scans.stored())[0]["themes"]]
    await Scan.update(
        {Scan.overall: 12.3, Scan.level: "orienteren", Scan.themes: themes}, force=True
    )
    read = (await client.get(f"{SCANS_URL}/{made['token']}")).json()
    assert read["overall"] == 12.3
    assert {t["score"] for t in read["themes"]} == {12.3}


async def test_a_new_version_never_changes_an_old_result(client, tenant, monkeypatch, tmp_path):
    chosen = answers("best")
    for question in QUESTIONNAIRE.themes[0].questions:
        chosen[question.id] = question.options[0].id  # commitment low, the rest high
    old = (await client.post(SCANS_URL, json={"answers": chosen})).json()
    assert old["version"] == "2026-1"

    source = Path(questionnaires.__file__).parent
    for name in ("2026-1.toml", "2026-1.advice.toml"):
        shutil.copy(source / name, tmp_path / name)
    text = (source / "2026-1.toml").read_text(encoding="utf-8")
    text = text.replace('version = "2026-1"', 'version = "2026-2"')
    text = text.replace('id = "commitment"\nweight = 1.0', 'id = "commitment"\nweight = 4.0', 1)
    assert "weight = 4.0" in text
    (tmp_path / "2026-2.toml").write_text(text, encoding="utf-8")
    advice = (source / "2026-1.advice.toml").read_text(encoding="utf-8")
    (tmp_path / "2026-2.advice.toml").write_text(
        advice.replace('version = "2026-1"', 'version = "2026-2"'), encoding="utf-8"
    )
    caches = (
        questionnaires.versions,
        questionnaires._load,
        questionnaires._load_advice,
        service.questionnaire_out,
    )
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr(questionnaires, "_data_dir", lambda: tmp_path)
    try:
        assert (await client.get(QUESTIONNAIRE_URL)).json()["version"] == "2026-2"
        older = await client.get(QUESTIONNAIRE_URL, params={"version": "2026-1"})
        assert older.json()["version"] == "2026-1"
        new = (await client.post(SCANS_URL, json={"answers": chosen})).json()
        assert new["version"] == "2026-2"
        assert new["overall"] < old["overall"]  # the low theme weighs more now
        again = (await client.get(f"{SCANS_URL}/{old['token']}")).json()
        assert again == old
    finally:
        monkeypatch.undo()
        for cached in caches:
            cached.cache_clear()


# --- limits --------------------------------------------------------------------------------


async def test_new_scans_are_rate_limited_per_client(client, tenant):
    for _ in range(20):
        assert (await client.post(SCANS_URL, json={"answers": answers()})).status_code == 201
    r = await client.post(SCANS_URL, json={"answers": answers()})
    body = assert_problem(r, 429, "rate_limited")
    assert int(r.headers["retry-after"]) >= 1
    assert "te veel" in body["detail"]
    assert await Scan.count() == 20
    # Starting a scan through the pages counts towards the same limit.
    page = await client.post("/scan/coop")
    assert page.status_code == 429
    assert page.headers["content-type"].startswith("text/html")
    # Reading is not limited by it.
    token = (await scans.completed_scan())[0]
    assert (await client.get(f"{SCANS_URL}/{token}")).status_code == 200


async def test_the_scan_limit_is_off_with_the_general_limit(make_client, migrated):
    await scans.default_tenant()
    async with make_client(RATE_LIMIT_PER_MINUTE="0") as client:
        for _ in range(25):
            r = await client.post(SCANS_URL, json={"answers": answers()})
            assert r.status_code == 201


async def test_the_openapi_document_describes_the_endpoints(client):
    spec = (await client.get("/schema/openapi.json")).json()
    paths = spec["paths"]
    assert "/api/v1/selfscan/questionnaire" in paths
    assert "post" in paths["/api/v1/selfscan/scans"]
    create = paths["/api/v1/selfscan/scans"]["post"]
    assert {"201", "413", "422", "429"} <= set(create["responses"])
    assert "/api/v1/selfscan/scans/{token}" in paths
    assert not any(path.endswith(("/resultaat", "/stap/{n}")) for path in paths)


async def test_a_scan_reads_the_same_with_or_without_piccolo(client, tenant):
    """On PostgreSQL, outside a transaction, a link is read straight from the pool; inside
    one through Piccolo. Both give the same scan."""
    from selfscan.scans import repository

    token = (await client.post(SCANS_URL, json={"answers": answers(2)})).json()["token"]
    direct = await repository.find(token)
    async with Scan._meta.db.transaction():
        through_piccolo = await repository.find(token)
    assert direct == through_piccolo
    assert direct.result is not None and direct.tenant_slug == "coop"


async def test_json_nested_too_deeply_is_a_400_problem(client, tenant):
    body = '{"answers": {"a": ' + "[" * 30_000 + "]" * 30_000 + "}}"
    r = await client.post(SCANS_URL, content=body, headers={"content-type": "application/json"})
    assert_problem(r, 400)
    assert await Scan.count() == 0
