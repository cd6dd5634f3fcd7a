"""Logo uploads: a PNG or an SVG, at most :data:`MAX_BYTES`, checked by content (never by
the name or the browser's content type). An SVG is rebuilt from a whitelist of elements and
attributes, so what is stored can carry no script, event handler, foreign object, style
sheet or link to anything outside itself. The logo is served from our own origin with a
closed CSP and shown only through ``<img>``, where a browser runs no script anyway: the
whitelist is the second fence, not the only one.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET

from selfscan.model import Text

MAX_BYTES = 200 * 1024
MAX_PNG_SIDE = 2000
PNG = "image/png"
SVG = "image/svg+xml"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

ALLOWED_ELEMENTS = frozenset(
    {
        "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "title", "desc", "defs", "lineargradient", "radialgradient", "stop",
        "clippath", "mask", "use", "symbol",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = frozenset(
    {
        "id", "class", "viewbox", "width", "height", "x", "y", "x1", "x2", "y1", "y2", "cx",
        "cy", "r", "rx", "ry", "d", "points", "fill", "fill-opacity", "fill-rule", "stroke",
        "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin",
        "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity", "transform",
        "offset", "stop-color", "stop-opacity", "gradientunits", "gradienttransform",
        "spreadmethod", "fx", "fy", "clip-path", "clip-rule", "clippathunits", "mask",
        "maskunits", "preserveaspectratio", "font-family", "font-size", "font-weight",
        "font-style", "text-anchor", "dominant-baseline", "letter-spacing", "dx", "dy",
        "href", "version", "role", "aria-label", "aria-hidden", "xml:space",
    }
)  # fmt: skip
#: Attributes that may refer to something: only to a fragment of this same file.
REFERENCE_ATTRIBUTES = frozenset({"href", "fill", "stroke", "clip-path", "mask"})
_URL_RE = re.compile(r"url\(\s*['\"]?([^)'\"]*)", re.IGNORECASE)


class LogoProblem(ValueError):
    def __init__(self, message: Text) -> None:
        self.message = message
        super().__init__(message.en)


TOO_LARGE = Text(
    nl="Het logo is groter dan 200 kB. Maak het bestand kleiner en probeer het opnieuw.",
    en="The logo is larger than 200 kB. Make the file smaller and try again.",
)
WRONG_TYPE = Text(
    nl="Dit bestand is geen PNG of SVG. Kies een logo als .png of .svg.",
    en="This file is not a PNG or SVG. Choose a logo as .png or .svg.",
)
BROKEN_SVG = Text(
    nl="Dit SVG-bestand kunnen we niet lezen. Sla het opnieuw op als gewone SVG en probeer "
    "het nog eens.",
    en="We cannot read this SVG file. Save it again as a plain SVG and try once more.",
)
BROKEN_PNG = Text(
    nl="Dit PNG-bestand is beschadigd of te groot (hoogstens 2000 bij 2000 pixels).",
    en="This PNG file is damaged or too large (at most 2000 by 2000 pixels).",
)
EMPTY = Text(nl="Kies een bestand met het logo.", en="Choose a file with the logo.")


def check(data: bytes) -> tuple[bytes, str]:
    """The bytes to store and their content type; LogoProblem otherwise."""
    if not data:
        raise LogoProblem(EMPTY)
    if len(data) > MAX_BYTES:
        raise LogoProblem(TOO_LARGE)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _check_png(data), PNG
    head = data[:1000].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4000].lower():
        return sanitise_svg(data), SVG
    raise LogoProblem(WRONG_TYPE)


def _check_png(data: bytes) -> bytes:
    # The first chunk must be IHDR: width and height, big-endian.
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise LogoProblem(BROKEN_PNG)
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_PNG_SIDE and 0 < height <= MAX_PNG_SIDE):
        raise LogoProblem(BROKEN_PNG)
    if not data.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82"):
        raise LogoProblem(BROKEN_PNG)
    return data


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _safe_reference(value: str) -> bool:
    value = value.strip()
    urls = _URL_RE.findall(value)
    if value.lower().startswith("url(") or urls:
        return all(u.strip().startswith("#") for u in urls)
    return True


def sanitise_svg(data: bytes) -> bytes:
    """A new SVG document with only whitelisted elements and attributes.

    Document type declarations are refused before parsing (entities could expand or
    reach out); ``href`` may only point inside the file (``#id``)."""
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise LogoProblem(BROKEN_SVG)
    try:
        # Safe without defusedxml: a DOCTYPE (and so any entity) was refused above.
        root = ET.fromstring(data)  # noqa: S314
    except ET.ParseError as exc:
        raise LogoProblem(BROKEN_SVG) from exc
    namespace, local = _local(root.tag)
    if local.lower() != "svg" or namespace not in ("", SVG_NS):
        raise LogoProblem(BROKEN_SVG)
    clean = _copy(root)
    if clean is None:
        raise LogoProblem(BROKEN_SVG)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(clean, encoding="utf-8", xml_declaration=True)


def _copy(element: ET.Element) -> ET.Element | None:
    namespace, local = _local(element.tag)
    if namespace not in ("", SVG_NS) or local.lower() not in ALLOWED_ELEMENTS:
        return None  # script, style, foreignObject, image, a, animate, ... and their content
    copy = ET.Element(f"{{{SVG_NS}}}{local}")
    for name, value in element.attrib.items():
        attr_ns, attr_local = _local(name)
        key = attr_local.lower()
        if attr_ns == XLINK_NS and key == "href":
            attr_ns, name = "", "href"
        elif attr_ns == "http://www.w3.org/XML/1998/namespace" and key == "space":
            key = "xml:space"
        elif attr_ns:
            continue
        if key not in ALLOWED_ATTRIBUTES or key.startswith("on"):
            continue
        if key == "href" and not value.strip().startswith("#"):
            continue
        if key in REFERENCE_ATTRIBUTES and not _safe_reference(value):
            continue
        if "javascript:" in value.lower() or "expression(" in value.lower():
            continue
        copy.set(
            name if key != "xml:space" else "{http://www.w3.org/XML/1998/namespace}space", value
        )
    copy.text = element.text
    for child in element:
        child_copy = _copy(child)
        if child_copy is not None:
            child_copy.tail = child.tail
            copy.append(child_copy)
    return copy
