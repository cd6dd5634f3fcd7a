"""The scan pages through HTTP: introduction, a step per theme, the organisation, the result.

No cookies anywhere under /scan, Referrer-Policy same-origin on every answer, answers kept
when going back and forth, leaving and coming back by the link, a page in Dutch for a link
that does not work, and the peer comparison only over at least ten other scans.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from selfscan import scoring
from selfscan.scans import repository, service, tokens
from selfscan.scans.tables import Scan
from tests import scans
from tests.scans import QUESTIONNAIRE, STEPS, THEMES, answers, theme_answers
from tests.support import TEST_BASE_URL

START = "/scan/coop"


@pytest.fixture
async def tenant(client):
    # The test app is shared by the whole run: forget the tenants and peers it remembers.
    service.forget(client.app)
    return await scans.default_tenant()


def step_path(location: str) -> str:
    return location.split("?")[0]


def token_of(location: str) -> str:
    return location.split("/")[3]


def checked(page: str) -> dict[str, str]:
    """The checked radio buttons of a page: name -> value."""
    found = {}
    for tag in re.findall(r"<input[^>]*type=\"radio\"[^>]*>", page):
        if " checked" in tag:
            name = re.search(r'name="([^"]+)"', tag).group(1)
            found[name] = re.search(r'value="([^"]+)"', tag).group(1)
    return found


def assert_scan_headers(r) -> None:
    assert "set-cookie" not in r.headers, r.headers.get("set-cookie")
    assert r.headers["referrer-policy"] == "same-origin"


async def start(client, lang: str | None = None) -> str:
    r = await client.post(START + ("?lang=en" if lang == "en" else ""))
    assert r.status_code == 303, r.text
    assert_scan_headers(r)
    location = r.headers["location"]
    assert re.fullmatch(r"/scan/coop/[A-Za-z0-9_-]{32}/stap/1(\?lang=en)?", location)
    return location


async def answer_step(client, token: str, n: int, chosen: dict[str, str], go="volgende", q=""):
    return await client.post(f"/scan/coop/{token}/stap/{n}{q}", data={**chosen, "ga": go})


async def complete(client, pick="middle", lang=None, employees="30", sector="G") -> str:
    q = "?lang=en" if lang == "en" else ""
    token = token_of(await start(client, lang))
    chosen = answers(pick)
    for n in range(1, STEPS):
        r = await answer_step(client, token, n, theme_answers(chosen, n), q=q)
        assert r.status_code == 303, r.text
        assert step_path(r.headers["location"]) == f"/scan/coop/{token}/stap/{n + 1}"
    r = await client.post(
        f"/scan/coop/{token}/stap/{STEPS}{q}",
        data={"employees": employees, "sector": sector, "ga": "volgende"},
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/scan/coop/{token}/resultaat{q}"
    return token


# --- entry ---------------------------------------------------------------------------------


async def test_scan_leads_to_the_default_tenant_and_keeps_the_language(client, tenant):
    r = await client.get("/scan")
    assert r.status_code == 302 and r.headers["location"] == START
    r = await client.get("/scan?lang=en")
    assert r.headers["location"] == START + "?lang=en"


async def test_the_introduction_says_what_how_long_and_what_happens(client, tenant):
    r = await client.get(START)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert_scan_headers(r)
    page = html.unescape(r.text)
    assert "32 vragen over 8 thema's" in page
    assert "Ongeveer 10 minuten" in page
    assert "30 dagen" in page and "geen cookies" in page
    for theme in THEMES:
        assert theme.title.nl in page
    assert '<form method="post" action="/scan/coop">' in r.text
    assert "_csrf" not in r.text


async def test_the_whole_flow_in_dutch(client, tenant):
    token = token_of(await start(client))
    chosen = answers(1)
    for n in range(1, STEPS):
        page = await client.get(f"/scan/coop/{token}/stap/{n}")
        assert page.status_code == 200
        assert_scan_headers(page)
        assert f"Stap {n} van {STEPS}" in page.text
        assert f'<progress class="scan-progress__bar" max="{STEPS}" value="{n}"' in page.text
        assert html.escape(THEMES[n - 1].title.nl) in page.text
        assert f"/scan/coop/{token}/stap/{n}" in page.text  # the link to come back
        assert "_csrf" not in page.text
        r = await answer_step(client, token, n, theme_answers(chosen, n))
        assert r.status_code == 303
    page = await client.get(f"/scan/coop/{token}/stap/{STEPS}")
    assert f"Stap {STEPS} van {STEPS}" in page.text and "Over uw organisatie" in page.text
    r = await client.post(
        f"/scan/coop/{token}/stap/{STEPS}",
        data={"employees": "30", "sector": "G", "ga": "volgende"},
    )
    assert r.headers["location"] == f"/scan/coop/{token}/resultaat"

    result = await client.get(r.headers["location"])
    assert result.status_code == 200
    assert_scan_headers(result)
    assert "no-store" in result.headers["cache-control"]
    expected = scoring.score(QUESTIONNAIRE, chosen)
    page = html.unescape(result.text)
    assert "Uw resultaat" in page
    overall = f"{expected.overall:.1f}".replace(".", ",")
    assert overall in page
    assert scoring.level_by_id(expected.level).name.nl in page
    for theme, scored in zip(THEMES, expected.themes, strict=True):
        assert theme.title.nl in page
        assert f"{scored.score:.1f}".replace(".", ",") in page
    bands = {"low": "Score laag", "middle": "Score midden", "high": "Score hoog"}
    for scored in expected.themes:
        assert bands[scored.band] in page  # the band in words, not only in colour
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--radar"' in result.text
    assert 'role="img"' in result.text and '<title id="radar-title">' in result.text
    assert "Hier wint u het meest" in page
    for theme_id in expected.priorities:
        assert QUESTIONNAIRE.theme(theme_id).title.nl in page
    assert "Wat u nu kunt doen" in page
    assert "style=" not in result.text  # the CSP forbids inline styles

    row = (await scans.stored())[0]
    assert row["status"] == "completed" and row["lang"] == "nl"
    assert row["overall"] == expected.overall and row["answers"] == chosen
    assert row["employees"] == 30 and row["sector"] == "G" and row["size_class"] == "small"
    assert row["token_hash"] == tokens.hash_token(token)


async def test_the_whole_flow_in_english(client, tenant):
    token = await complete(client, pick="best", lang="en")
    step = await client.get(f"/scan/coop/{token}/stap/2?lang=en")
    assert '<html lang="en">' in step.text
    assert html.escape(THEMES[1].title.en) in step.text
    assert html.escape(THEMES[1].questions[0].text.en) in step.text
    assert 'action="/scan/coop/' + token + '/stap/2?lang=en"' in step.text
    result = await client.get(f"/scan/coop/{token}/resultaat?lang=en")
    page = html.unescape(result.text)
    assert result.status_code == 200
    assert "Embedding" in page  # the level, all answers at their best
    assert "100.0" in page  # English number format
    for theme in THEMES:
        assert theme.title.en in page
    assert (await scans.stored())[0]["lang"] == "en"


async def test_back_and_forth_keeps_the_answers(client, tenant):
    token = token_of(await start(client))
    chosen = answers(2)
    await answer_step(client, token, 1, theme_answers(chosen, 1))
    r = await answer_step(client, token, 2, theme_answers(chosen, 2), go="vorige")
    assert r.status_code == 303
    assert r.headers["location"] == f"/scan/coop/{token}/stap/1"
    assert checked((await client.get(r.headers["location"])).text) == theme_answers(chosen, 1)
    # "Vorige" saved step 2 as well.
    assert checked((await client.get(f"/scan/coop/{token}/stap/2")).text) == theme_answers(
        chosen, 2
    )
    # Changing one answer keeps the others.
    first = THEMES[0].questions[0]
    await answer_step(client, token, 1, {first.id: first.options[0].id})
    kept = checked((await client.get(f"/scan/coop/{token}/stap/1")).text)
    assert kept == {**theme_answers(chosen, 1), first.id: first.options[0].id}


async def test_leave_halfway_and_resume_by_the_link(client, tenant):
    token = token_of(await start(client))
    chosen = answers("best")
    for n in (1, 2):
        await answer_step(client, token, n, theme_answers(chosen, n))
    r = await answer_step(client, token, 3, theme_answers(chosen, 3), go="opslaan")
    assert r.headers["location"] == f"/scan/coop/{token}/stap/3?opgeslagen=1"
    saved = await client.get(r.headers["location"])
    assert "Uw antwoorden zijn opgeslagen" in saved.text
    link = re.search(r'id="scan-link-url" type="text" value="([^"]+)"', saved.text).group(1)
    assert link == f"http://127.0.0.1:8000/scan/coop/{token}/stap/3"
    assert "De link werkt tot en met" in html.unescape(saved.text)

    # Another browser: a client of its own, with nothing but the link.
    transport = httpx.ASGITransport(app=client.app, client=("192.0.2.7", 50001))
    async with httpx.AsyncClient(transport=transport, base_url=TEST_BASE_URL) as elsewhere:
        back = await elsewhere.get(link.removeprefix("http://127.0.0.1:8000"))
        assert back.status_code == 200
        assert checked(back.text) == theme_answers(chosen, 3)
        for n in range(4, STEPS):
            await answer_step(elsewhere, token, n, theme_answers(chosen, n))
        r = await elsewhere.post(f"/scan/coop/{token}/stap/{STEPS}", data={"ga": "volgende"})
        assert r.headers["location"] == f"/scan/coop/{token}/resultaat"
        assert (await elsewhere.get(r.headers["location"])).status_code == 200


async def test_the_result_needs_every_answer(client, tenant):
    token = token_of(await start(client))
    chosen = answers()
    for n in range(1, STEPS):
        if n != 4:
            await answer_step(client, token, n, theme_answers(chosen, n))
    # Skipping is allowed on the way...
    r = await answer_step(client, token, 4, {})
    assert r.headers["location"] == f"/scan/coop/{token}/stap/5"
    # ...but not at the end: back to the first open question, with a clear message.
    r = await client.post(f"/scan/coop/{token}/stap/{STEPS}", data={"ga": "volgende"})
    assert r.headers["location"] == f"/scan/coop/{token}/stap/4?ontbreekt=1"
    page = await client.get(r.headers["location"])
    assert "Nog niet alle vragen zijn beantwoord" in page.text
    assert page.text.count("Beantwoord deze vraag.") == 2 * len(THEMES[3].questions)
    assert f'href="#veld-{THEMES[3].questions[0].id}"' in page.text
    # The result page itself sends a draft to the same place.
    r = await client.get(f"/scan/coop/{token}/resultaat")
    assert r.status_code == 303
    assert r.headers["location"] == f"/scan/coop/{token}/stap/4?ontbreekt=1"
    # Answering the open step leads straight back to the end.
    r = await client.post(
        f"/scan/coop/{token}/stap/4", data={**theme_answers(chosen, 4), "ontbreekt": "1"}
    )
    assert r.headers["location"] == f"/scan/coop/{token}/stap/{STEPS}"
    r = await client.post(f"/scan/coop/{token}/stap/{STEPS}", data={"ga": "volgende"})
    assert r.headers["location"] == f"/scan/coop/{token}/resultaat"
    assert (await scans.stored())[0]["status"] == "completed"


async def test_an_option_of_another_question_is_refused_and_nothing_is_stored(client, tenant):
    token = token_of(await start(client))
    first, second = THEMES[0].questions[:2]
    foreign = next(o.id for o in THEMES[5].questions[0].options if not first.option(o.id))
    r = await answer_step(client, token, 1, {first.id: foreign, second.id: second.options[1].id})
    assert r.status_code == 422
    assert_scan_headers(r)
    assert "Dit antwoord hoort niet bij deze vraag" in r.text
    assert checked(r.text) == {second.id: second.options[1].id}  # what was chosen stays
    assert (await scans.stored())[0]["answers"] == {}
    # Fields of other steps, and twice the same field, are no way in either.
    other = THEMES[1].questions[0]
    await answer_step(client, token, 1, {other.id: other.options[1].id})
    assert (await scans.stored())[0]["answers"] == {}
    r = await client.post(
        f"/scan/coop/{token}/stap/1",
        content=f"{first.id}={first.options[0].id}&{first.id}={first.options[1].id}",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 422
    assert (await scans.stored())[0]["answers"] == {}


@pytest.mark.parametrize(
    ("employees", "sector", "message"),
    [
        ("veertig", "", "Vul een heel getal in"),
        ("-5", "", "kan niet kleiner zijn dan 0"),
        ("12.5", "", "Vul een heel getal in"),
        ("99999999999999999999", "", "te groot"),
        ("", "Z", "Kies een sector uit de lijst"),
    ],
)
async def test_wrong_organisation_input_is_explained_and_kept(
    client, tenant, employees, sector, message
):
    token = token_of(await start(client))
    r = await client.post(
        f"/scan/coop/{token}/stap/{STEPS}",
        data={"employees": employees, "sector": sector, "ga": "volgende"},
    )
    assert r.status_code == 422
    assert message in html.unescape(r.text)
    assert 'class="error-summary"' in r.text
    if employees:
        assert f'value="{html.escape(employees)}"' in r.text
    row = (await scans.stored())[0]
    assert row["employees"] is None and row["sector"] is None


async def test_a_completed_scan_can_be_changed_and_is_scored_again(client, tenant):
    token = await complete(client, pick="worst")
    before = (await scans.stored())[0]
    r = await answer_step(client, token, 1, theme_answers(answers("best"), 1))
    assert r.status_code == 303
    after = (await scans.stored())[0]
    assert after["status"] == "completed"
    assert after["overall"] > before["overall"]
    assert after["completed_at"] == before["completed_at"]
    page = await client.get(f"/scan/coop/{token}/stap/1")
    assert "Terug naar uw resultaat" in page.text


# --- links that do not work ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/scan/coop/" + "A" * 32 + "/stap/1",
        "/scan/coop/" + "A" * 32 + "/resultaat",
        "/scan/coop/kort/stap/1",
        "/scan/coop/" + "A" * 40 + "/resultaat",
    ],
)
async def test_an_unknown_link_says_so_in_dutch_and_offers_a_new_scan(client, tenant, path):
    for r in (await client.get(path), await client.post(path, data={"ga": "volgende"})):
        if path.endswith("resultaat") and r.request.method == "POST":
            assert r.status_code == 405
            continue
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("text/html")
        assert_scan_headers(r)
        page = html.unescape(r.text)
        assert "Deze link werkt niet (meer)" in page
        assert '<a class="button" href="/scan/coop">Start een nieuwe scan</a>' in r.text


async def test_an_expired_link_says_so(client, tenant):
    token = await complete(client)
    await scans.expire_all()
    for path in (f"/scan/coop/{token}/resultaat", f"/scan/coop/{token}/stap/2"):
        r = await client.get(path)
        assert r.status_code == 404
        assert "Deze link werkt niet (meer)" in html.unescape(r.text)
        assert "ouder is dan 30 dagen" in html.unescape(r.text)


async def test_a_link_under_another_tenant_does_not_work(client, tenant):
    from tests import factories

    await factories.tenant("wsp-oost", "WSP Oost")
    token = await complete(client)
    r = await client.get(f"/scan/wsp-oost/{token}/resultaat")
    assert r.status_code == 404
    assert 'href="/scan/wsp-oost"' in r.text


async def test_an_unknown_tenant_and_an_unknown_step(client, tenant):
    r = await client.get("/scan/bestaat-niet")
    assert r.status_code == 404 and "Deze zelfscan bestaat niet" in r.text
    assert_scan_headers(r)
    assert (await client.post("/scan/bestaat-niet")).status_code == 404
    token = token_of(await start(client))
    for n in (0, STEPS + 1, 99):
        r = await client.get(f"/scan/coop/{token}/stap/{n}")
        assert r.status_code == 404
        assert_scan_headers(r)
    assert (await client.get(f"/scan/coop/{token}/stap/twee")).status_code == 404
    assert await Scan.count() == 1


async def test_a_huge_form_is_refused(client, tenant):
    token = token_of(await start(client))
    r = await client.post(f"/scan/coop/{token}/stap/1", data={"x": "y" * 70_000})
    assert r.status_code == 413
    assert (await scans.stored())[0]["answers"] == {}


async def test_starting_many_scans_is_limited(client, tenant):
    for _ in range(20):
        await start(client)
    r = await client.post(START)
    assert r.status_code == 429
    assert r.headers["content-type"].startswith("text/html")
    assert "te veel nieuwe scans" in html.unescape(r.text)
    assert int(r.headers["retry-after"]) >= 1
    assert await Scan.count() == 20


# --- no cookies, no referrer ---------------------------------------------------------------


async def test_no_scan_page_sets_a_cookie_or_sends_a_referrer(client, tenant):
    token = await complete(client)
    paths = [
        "/scan",
        START,
        f"/scan/coop/{token}/stap/1",
        f"/scan/coop/{token}/stap/{STEPS}",
        f"/scan/coop/{token}/resultaat",
        "/scan/coop/" + "B" * 32 + "/resultaat",
        "/scan/nergens",
        "/static/js/selfscan.js",
        "/static/css/selfscan.css",
    ]
    for path in paths:
        for method in ("GET", "POST"):
            r = await client.request(method, path)
            assert "set-cookie" not in r.headers, (method, path)
            if path.startswith("/scan/"):
                assert r.headers["referrer-policy"] == "same-origin", (method, path)
    assert (await client.get("/static/js/selfscan.js")).status_code == 200
    # Elsewhere the site keeps its own policy.
    assert (await client.get("/")).headers["referrer-policy"] == "strict-origin-when-cross-origin"


# --- the peer benchmark --------------------------------------------------------------------


async def peers(count: int, pick="worst", employees=30) -> None:
    for _ in range(count):
        await scans.completed_scan(pick, employees=employees)


def peer_means(page: str) -> list[str]:
    return re.findall(r"gemiddelde van anderen: (\d+)", page)


@pytest.fixture
def no_peer_cache(monkeypatch):
    monkeypatch.setattr(service, "PEER_CACHE_S", 0)


async def test_peers_are_shown_only_over_at_least_ten_other_scans(client, tenant, no_peer_cache):
    token = await complete(client, pick="middle", employees="30")  # small: 10 to 49
    await peers(8, "worst")
    await peers(1, "best")
    await peers(20, "best", employees=300)  # large: another size class
    await peers(5, "best", employees=None)  # size unknown: never a peer
    page = html.unescape((await client.get(f"/scan/coop/{token}/resultaat")).text)
    assert peer_means(page) == []
    assert "zodra minstens 10 van hen" in page
    assert 'stroke-dasharray="9 6"' not in page  # no peer outline in the radar

    await peers(1, "best")  # now 10 other small organisations: 8 at 0 and 2 at 100
    page = html.unescape((await client.get(f"/scan/coop/{token}/resultaat")).text)
    assert peer_means(page) == ["20"] * len(THEMES)
    assert "het gemiddelde van 10 andere organisaties met 10 tot 50 medewerkers" in page
    assert 'stroke-dasharray="9 6"' in page
    # No single scan can be read from it: no 0 or 100 of one peer, and the own scan is not
    # one of its own peers.
    assert "gemiddelde van anderen: 0" not in page and "gemiddelde van anderen: 100" not in page


async def test_the_cached_figures_leave_the_scan_itself_out(client, tenant):
    token = await complete(client, pick="best", employees="20")
    await peers(10, "worst")
    page = html.unescape((await client.get(f"/scan/coop/{token}/resultaat")).text)
    assert peer_means(page) == ["0"] * len(THEMES)  # not 9: the own 100 is not a peer
    # Within the cache's time the figures stay as they were: one more scan cannot be read
    # from the difference.
    await peers(1, "best")
    page = html.unescape((await client.get(f"/scan/coop/{token}/resultaat")).text)
    assert peer_means(page) == ["0"] * len(THEMES)
    assert "het gemiddelde van 10 andere organisaties" in page
    # A scan completed after the figures were taken is not in them, and sees them whole.
    later = await complete(client, pick="middle", employees="20")
    page = html.unescape((await client.get(f"/scan/coop/{later}/resultaat")).text)
    assert "het gemiddelde van 11 andere organisaties" in page


async def test_without_a_size_there_is_no_comparison(client, tenant):
    token = await complete(client, employees="", sector="")
    await peers(12, "best")
    page = html.unescape((await client.get(f"/scan/coop/{token}/resultaat")).text)
    assert peer_means(page) == []
    assert "Vul dan het aantal medewerkers in" in page


async def test_peer_averages_exclude_drafts_and_the_scan_itself(migrated):
    tenant_id = await scans.default_tenant()
    own, _ = await scans.completed_scan("best", tenant_id=tenant_id)
    await repository.create_draft(tenant_id=tenant_id, version="2026-1", lang="nl", link_days=30)
    await peers(3, "worst")
    scan = await repository.find(own)
    stats = await repository.peer_averages("small", scan.id)
    assert set(stats) == {t.id for t in THEMES}
    assert {count for _mean, count in stats.values()} == {3}
    assert {mean for mean, _count in stats.values()} == {0.0}


async def test_an_expired_peer_still_counts(migrated):
    tenant_id = await scans.default_tenant()
    old = datetime.now(UTC) - timedelta(days=90)
    for _ in range(2):
        await scans.completed_scan("best", tenant_id=tenant_id, when=old)
    stats = await repository.peer_averages("small", 0)
    assert {count for _mean, count in stats.values()} == {2}
