"""A tenant's branding on its reports (brand_of: name, colours, logo, contact block), the
colours' contrast, and how they reach the HTML and the PDF."""

from __future__ import annotations

import base64
import io
import re

import pypdf
import pytest

from selfscan.report import render, service
from selfscan.report.sample import SAMPLE_LOGO_SVG, sample_view
from selfscan.report.view import (
    DEFAULT_COLOUR,
    DEFAULT_SECONDARY,
    Brand,
    contrast,
    readable_on_white,
)

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def tenant_row(**columns: object) -> dict[str, object]:
    """A tenant as the scans' repository returns it (never the logo's bytes)."""
    row: dict[str, object] = {
        "id": 7,
        "slug": "wsp-rijnmond",
        "name": "WSP Rijnmond",
        "primary_colour": "#7a1f5c",
        "secondary_colour": "#f2b700",
        "logo_type": "",
        "contact_name": "Ayşe Yılmaz",
        "contact_email": "werkgevers@wsp-rijnmond.nl",
        "contact_phone": "010 765 43 21",
        "privacy_url": "https://www.wsp-rijnmond.nl/privacy",
        "allowed_origins": [],
        "updated_at": None,
    }
    row.update(columns)
    return row


def test_brand_of_takes_name_colours_and_contact_from_the_tenant():
    brand = service.brand_of(tenant_row())
    assert brand.name == "WSP Rijnmond" and brand.slug == "wsp-rijnmond"
    assert brand.safe_colour == "#7a1f5c" and brand.safe_secondary == "#f2b700"
    assert brand.logo is None
    assert brand.contact.person == "Ayşe Yılmaz"
    assert brand.contact.email == "werkgevers@wsp-rijnmond.nl"
    assert brand.contact.phone == "010 765 43 21"
    assert brand.contact.privacy_url == "https://www.wsp-rijnmond.nl/privacy"


def test_brand_of_a_tenant_without_branding_uses_the_defaults():
    row = {"id": 1, "slug": "wsp-kaal", "name": "WSP Kaal"}
    brand = service.brand_of(row)
    assert brand.safe_colour == DEFAULT_COLOUR and brand.safe_secondary == DEFAULT_SECONDARY
    assert brand.contact.person is None and brand.contact.email is None
    # Empty strings (the columns' defaults) print nothing either.
    brand = service.brand_of(tenant_row(contact_name="", contact_phone="  ", privacy_url=""))
    assert brand.contact.person is None and brand.contact.phone is None
    assert brand.contact.privacy_url is None


def test_contact_fields_are_one_clean_line():
    brand = service.brand_of(tenant_row(contact_name="Jan\n\tde  Boer\x00", name="WSP\r\nWest"))
    assert brand.contact.person == "Jan de Boer" and brand.name == "WSP West"


@pytest.mark.parametrize("content_type", ["image/png", "image/svg+xml"])
def test_a_stored_logo_becomes_a_data_url(content_type):
    data = PNG_1PX if content_type == "image/png" else SAMPLE_LOGO_SVG
    brand = service.brand_of(tenant_row(logo_type=content_type), logo=(data, content_type))
    prefix = f"data:{content_type};base64,"
    assert brand.logo.startswith(prefix)
    assert base64.b64decode(brand.logo.removeprefix(prefix)) == data


@pytest.mark.parametrize(
    "content_type", ["text/html", "image/svg+xml;charset=utf-8", "", "image/jpeg", "url"]
)
def test_a_logo_of_another_type_is_left_out(content_type):
    brand = service.brand_of(
        tenant_row(logo_type=content_type), logo=(b"http://127.0.0.1:1/x.png", content_type)
    )
    assert brand.logo is None


def test_the_cooperatives_own_tenant_gets_the_cooperatives_logo_unless_it_has_one():
    row = tenant_row(slug="coop")
    assert service.brand_of(row, "coop").logo == service.COOP_LOGO.as_uri()
    assert service.brand_of(row, "other").logo is None
    own = service.brand_of(row, "coop", logo=(PNG_1PX, "image/png"))
    assert own.logo.startswith("data:image/png;base64,")


@pytest.mark.parametrize(
    "colour",
    ["red", "#fff", "#12345g", "#123456;}body{x:y}", "url(http://127.0.0.1/x)", "", None],
)
def test_a_colour_that_is_not_rrggbb_never_reaches_the_stylesheet(colour):
    brand = service.brand_of(tenant_row(primary_colour=colour, secondary_colour=colour))
    html = render.render_html(sample_view("nl", brand=brand))
    assert brand.safe_colour == DEFAULT_COLOUR and brand.safe_secondary == DEFAULT_SECONDARY
    style = html[html.index("<style>") : html.index("</style>")]
    if colour:
        assert not re.search(re.escape(colour) + "(?![0-9a-fA-F])", style)


@pytest.mark.parametrize("colour", ["#ffd700", "#7fdbff", "#ffffff", "#154273", "#000000"])
def test_brand_colours_stay_readable(colour):
    brand = Brand(name="x", slug="x", colour=colour)
    # Text in the brand colour on white, and text on an area of the brand colour.
    assert contrast(brand.text_colour, "#ffffff") >= 4.5
    assert contrast(brand.on_colour, brand.safe_colour) >= 4.5
    if contrast(colour, "#ffffff") >= 4.5:
        assert brand.text_colour == colour  # a dark enough colour is used as it is
    assert readable_on_white("#000000") == "#000000"


def test_the_template_uses_the_colours_logo_and_contact_block():
    brand = service.brand_of(
        tenant_row(primary_colour="#ffd700"), logo=(SAMPLE_LOGO_SVG, "image/svg+xml")
    )
    html = render.render_html(sample_view("nl", brand=brand))
    assert "--brand: #ffd700;" in html
    assert f"--brand-text: {brand.text_colour};" in html and brand.text_colour != "#ffd700"
    assert "--on-brand: #1b1b1b;" in html  # dark text on a yellow cover
    assert "--accent: #f2b700;" in html
    assert re.search(
        r'<img class="cover-logo" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html
    )
    contact = html[html.index('<div class="contact">') : html.index('<div class="colophon">')]
    for text in ("Ayşe Yılmaz", "werkgevers@wsp-rijnmond.nl", "010 765 43 21"):
        assert text in contact
    assert "https://www.wsp-rijnmond.nl/privacy" in contact
    assert "<a " not in contact  # printed, not linked


def test_what_a_tenant_typed_is_escaped_in_the_html_and_printed_as_text():
    evil = '<img src="http://127.0.0.1:1/x.png"><link rel=stylesheet href="file:///etc/passwd">'
    brand = service.brand_of(
        tenant_row(
            name="WSP " + evil,
            contact_name=evil,
            contact_email='a@b.nl"><script>x()</script>',
            contact_phone="<b>010</b>",
            privacy_url='javascript:alert(1)"><img src=x>',
        )
    )
    html = render.render_html(sample_view("nl", brand=brand))
    assert '<img src="http://127.0.0.1' not in html and "<script>" not in html
    assert "<link rel=stylesheet" not in html and "<b>010</b>" not in html
    assert "&lt;img src=&#34;http://127.0.0.1:1/x.png&#34;&gt;" in html
    data = render.html_to_pdf(html)
    text = " ".join(
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages).split()
    )
    assert '<img src="http://127.0.0.1:1/x.png">' in text  # as the text it is
    assert "<b>010</b>" in text


def test_the_pdf_shows_the_tenants_name_contact_and_logo():
    brand = service.brand_of(tenant_row(), logo=(PNG_1PX, "image/png"))
    view = sample_view("en", brand=brand)
    data = render.html_to_pdf(render.render_html(view))
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for expected in ("WSP Rijnmond", "Ayşe Yılmaz", "werkgevers@wsp-rijnmond.nl", "privacy"):
        assert expected in text
    assert reader.metadata.author == "WSP Rijnmond"
    cover = reader.pages[0]
    assert any(
        x.get_object().get("/Subtype") == "/Image"
        for x in (cover["/Resources"].get("/XObject") or {}).values()
    )
    # The running header on the following pages names the tenant.
    assert "WSP Rijnmond" in reader.pages[2].extract_text()


def test_the_fingerprint_changes_with_every_part_of_the_brand():
    base = service.brand_of(tenant_row())
    changed = [
        service.brand_of(tenant_row(name="WSP Rijnmond-Zuid")),
        service.brand_of(tenant_row(primary_colour="#000000")),
        service.brand_of(tenant_row(secondary_colour="#000000")),
        service.brand_of(tenant_row(contact_phone="010 000 00 00")),
        service.brand_of(tenant_row(contact_email="x@y.nl")),
        service.brand_of(tenant_row(contact_name="Iemand anders")),
        service.brand_of(tenant_row(privacy_url="https://x.nl/p")),
        service.brand_of(tenant_row(), logo=(PNG_1PX, "image/png")),
        service.brand_of(tenant_row(), logo=(PNG_1PX + b"\x00", "image/png")),
    ]
    prints = {service._fingerprint(b) for b in changed}
    assert service._fingerprint(base) not in prints and len(prints) == len(changed)
    assert service._fingerprint(service.brand_of(tenant_row())) == service._fingerprint(base)
