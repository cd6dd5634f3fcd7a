"""Pure tenant rules: contrast, origins, parents, slugs, consent versions, the snippet, and
the logo check with its SVG whitelist."""

from __future__ import annotations

import pytest

from selfscan.errors import TenantNotFound
from selfscan.tenants import logos, rules
from selfscan.tenants.access import TenantUser, managed_slug, may_manage


@pytest.mark.parametrize(
    ("a", "b", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#154273", "#ffffff", 10.2),
     ("#767676", "#ffffff", 4.54)],
)  # fmt: skip
def test_contrast_is_the_wcag_ratio(a, b, ratio):
    assert rules.contrast(a, b) == pytest.approx(ratio, abs=0.01)
    assert rules.contrast(b, a) == pytest.approx(ratio, abs=0.01)


def test_a_colour_must_carry_white_text_at_4_5_to_1():
    assert rules.colour_problem("#767676") is None  # 4.54:1, just enough
    problem = rules.colour_problem("#777777")  # 4.478:1
    assert problem is not None and "contrast 4,47:1" in problem.nl and "4.47:1" in problem.en
    assert "te licht" in problem.nl and "too light" in problem.en
    assert rules.colour_problem("#12345") is not None
    assert rules.colour_problem("red") is not None
    assert rules.normal_colour(" 00584D ") == "#00584d"


@pytest.mark.parametrize(
    ("raw", "production", "ok"),
    [
        ("https://www.wsp.nl", True, True),
        ("https://www.wsp.nl/", True, True),
        ("https://WWW.Wsp.NL:443", True, True),
        ("https://www.wsp.nl:8443", True, True),
        ("http://www.wsp.nl", False, False),
        ("http://localhost:8001", False, True),
        ("http://127.0.0.1:8001", False, True),
        ("http://localhost", False, False),
        ("http://127.0.0.1:8001", True, False),
        ("https://localhost:8443", True, False),
        ("https://www.wsp.nl/pagina", True, False),
        ("https://www.wsp.nl?x=1", True, False),
        ("https://user@www.wsp.nl", True, False),
        ("javascript:alert(1)", False, False),
        ("www.wsp.nl", False, False),
        ("https://*.wsp.nl", True, False),
        ("https://wsp.nl 'unsafe-inline'", True, False),
    ],
)
def test_origins(raw, production, ok):
    assert (rules.origin_problem(raw, production=production) is None) is ok


def test_origins_are_normalised_and_distinct():
    origins, problems = rules.parse_origins(
        "https://WWW.wsp.nl/\nhttps://www.wsp.nl:443 , http://127.0.0.1:8001", production=False
    )
    assert origins == ["https://www.wsp.nl", "http://127.0.0.1:8001"]
    assert problems == []
    many = "\n".join(f"https://s{i}.wsp.nl" for i in range(rules.MAX_ORIGINS + 1))
    assert rules.parse_origins(many, production=True)[1]


def test_a_parent_is_accepted_only_when_listed():
    allowed = ["https://www.wsp.nl", "http://127.0.0.1:8001"]
    assert rules.accepted_parent("https://www.wsp.nl", allowed) == "https://www.wsp.nl"
    assert rules.accepted_parent("https://www.wsp.nl/", allowed) == "https://www.wsp.nl"
    assert rules.accepted_parent("http://127.0.0.1:8001", allowed) == "http://127.0.0.1:8001"
    for bad in (None, "", "null", "https://evil.nl", "https://www.wsp.nl.evil.nl",
                "http://www.wsp.nl", "https://www.wsp.nl/x", "x" * 400):  # fmt: skip
        assert rules.accepted_parent(bad, allowed) is None
    assert rules.frame_ancestors(allowed) == ["'self'", *allowed]


def test_slugs():
    assert rules.slug_problem("wsp-rijnmond") is None
    for bad in ("", "WSP", "wsp_x", "-wsp", "wsp-", "a" * 41, "embed", "wsp rijnmond"):
        assert rules.slug_problem(bad) is not None, bad


def test_a_changed_consent_text_is_a_new_version():
    assert rules.next_consent_version("Ja.", "Ja. ", 3) == 3
    assert rules.next_consent_version("Ja.", "Ja, graag.", 3) == 4


def test_the_snippet_and_the_brand_stylesheet():
    snippet = rules.embed_snippet("https://coop.example.nl/", "wsp-x", 'WSP "X" & co')
    assert snippet.startswith(
        '<script src="https://coop.example.nl/embed.js" data-wsp="wsp-x" async></script>\n'
    )
    assert '<noscript><a href="https://coop.example.nl/scan/wsp-x">' in snippet
    assert "&quot;X&quot; &amp; co" in snippet
    css = rules.brand_css("#00584d", "} body { display: none")
    assert "#00584d" in css and "display: none" not in css


def test_who_manages_which_tenant():
    wsp = TenantUser(user_id=1, role="wsp", tenant_slug="wsp-a")
    admin = TenantUser(user_id=2, role="admin", tenant_slug=None)
    assert managed_slug(wsp) == "wsp-a" and managed_slug(wsp, "wsp-a") == "wsp-a"
    with pytest.raises(TenantNotFound):
        managed_slug(wsp, "wsp-b")
    assert managed_slug(admin, "wsp-b") == "wsp-b"
    with pytest.raises(TenantNotFound):
        managed_slug(admin)
    with pytest.raises(TenantNotFound):
        managed_slug(TenantUser(user_id=3, role="member", tenant_slug="wsp-a"), "wsp-a")
    with pytest.raises(TenantNotFound):
        managed_slug(TenantUser(user_id=4, role="wsp", tenant_slug=None), "wsp-a")
    assert may_manage(admin, "wsp-a") and not may_manage(wsp, "wsp-b")


# --- logos -------------------------------------------------------------------------------

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


def test_a_png_is_kept_as_it_is():
    assert logos.check(PNG) == (PNG, "image/png")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"GIF89a" + b"\x00" * 20,
        PNG[:20],
        PNG.replace(b"\x00\x00\x00\x01\x00\x00\x00\x01", b"\x00\x00\x27\x10\x00\x00\x00\x01"),
        PNG + b"\x00" * logos.MAX_BYTES,
        b"<html><script>alert(1)</script></html>",
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "xx">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>",
        b'<svg xmlns="http://www.w3.org/1999/xhtml"/>',
    ],
)
def test_other_files_are_refused_with_a_message(data):
    with pytest.raises(logos.LogoProblem) as caught:
        logos.check(data)
    assert caught.value.message.nl and caught.value.message.en


def test_an_svg_keeps_only_the_drawing():
    dirty = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
        b'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">'
        b"<script>alert(1)</script><style>@import url(https://evil.example/x.css);</style>"
        b'<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
        b'<image href="https://evil.example/i.png"/><a href="https://evil.example"><rect/></a>'
        b'<animate attributeName="href" to="javascript:alert(1)"/>'
        b'<defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs>'
        b'<rect width="10" height="10" fill="url(#g)" onclick="x()" style="fill:red"/>'
        b'<rect fill="url(https://evil.example/p#a)"/>'
        b'<use xlink:href="#g"/><use xlink:href="https://evil.example/s.svg#a"/>'
        b'<text x="1" y="9" font-family="Arial">WSP</text></svg>'
    )
    clean, kind = logos.check(dirty)
    assert kind == "image/svg+xml"
    for bad in (b"script", b"onload", b"onclick", b"style", b"foreignObject", b"<image",
                b"<a ", b"animate", b"evil", b"javascript"):  # fmt: skip
        assert bad not in clean, bad
    for kept in (b'fill="url(#g)"', b'href="#g"', b"<text", b">WSP<", b"linearGradient",
                 b'viewBox="0 0 10 10"'):  # fmt: skip
        assert kept in clean, kept
    # What is stored is itself a valid SVG that passes the check again unchanged.
    assert logos.check(clean)[0] == clean
