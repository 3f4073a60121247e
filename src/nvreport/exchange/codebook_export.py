"""The taxonomy as a REFI-QDA codebook (``.qdc``), for ATLAS.ti, MAXQDA, NVivo and others.

:func:`export_codebook` writes every area, theme and facet value as a code with a stable
GUID (:func:`theme_guid`), its description holding the terms, near rules, excludes,
framework area and example sentences, so that
:func:`~nvreport.exchange.codebook_import.import_codebook` can read them back.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from nvreport import __version__
from nvreport.exchange.refi import (
    AREA_COLOURS,
    AREA_PREFIX,
    CODEBOOK_NAMESPACE,
    EXCLUDE_PREFIX,
    FACET_COLOURS,
    FACET_PREFIX,
    FRAMEWORK_PREFIX,
    ID_PREFIX,
    MATCH_PREFIX,
    NEAR_PREFIX,
    NO_MATCH_PREFIX,
    NOT_XML,
    NVREPORT_NAMESPACE,
    TERMS_PREFIX,
    format_items,
    format_near,
    one_line,
)
from nvreport.tagging.taxonomy import THEME, Group, Taxonomy, Theme

# ---------------------------------------------------------------- GUIDs and paths


def theme_guid(path: str) -> str:
    """The GUID of the code at ``path`` in the tree, e.g. ``"area/personcentrering"``,
    ``"area/personcentrering/fasta_kontakter"`` or ``"facet/target_groups/aldre"``.

    A UUID5 in :data:`NVREPORT_NAMESPACE`, upper case, as the schemas' ``GUIDType``
    takes it. The same path always gives the same GUID.
    """
    return make_guid(path)


def make_guid(name: str) -> str:
    return str(uuid.uuid5(NVREPORT_NAMESPACE, name)).upper()


def _group_path(group: Group, kind: str) -> str:
    return f"{'area' if kind == THEME else 'facet'}/{group.id}"


def entry_path(entry: Theme) -> str:
    return f"{'area' if entry.kind == THEME else 'facet'}/{entry.group}/{entry.id}"


# ---------------------------------------------------------------- codebook export


def xml_text(text: str) -> str:
    """``text`` with line breaks normalised and characters XML cannot hold dropped."""
    return NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def sub_element(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    """A child element. Tags are written unqualified, in the default namespace that
    the root element declares with an ``xmlns`` attribute (ElementTree cannot write a
    default namespace together with unqualified attributes)."""
    return ET.SubElement(parent, tag, attributes)


def text_element(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = sub_element(parent, tag)
    element.text = xml_text(text)
    return element


def _entry_description(entry: Theme) -> str:
    """The description, then one line per part of the theme that nvreport reads back
    (:mod:`nvreport.exchange.refi` has the prefixes and the list format): terms, near
    rules, excludes, framework area, example sentences, and the id. A coder in the
    QDA program reads the same lines as a codebook's inclusion criteria."""
    lines = [entry.description] if entry.description else []
    if entry.terms:
        lines.append(TERMS_PREFIX + format_items(entry.terms))
    lines += [NEAR_PREFIX + format_near(rule.term, rule.near, rule.window) for rule in entry.near]
    if entry.exclude:
        lines.append(EXCLUDE_PREFIX + format_items(entry.exclude))
    if entry.framework_area:
        lines.append(FRAMEWORK_PREFIX + entry.framework_area)
    lines += [MATCH_PREFIX + one_line(sentence) for sentence in entry.examples_match]
    lines += [NO_MATCH_PREFIX + one_line(sentence) for sentence in entry.examples_no_match]
    lines.append(ID_PREFIX + entry.id)
    return "\n".join(lines)


def _group_description(group: Group, kind: str) -> str:
    marker = (AREA_PREFIX if kind == THEME else FACET_PREFIX) + group.id
    return f"{group.description}\n{marker}" if group.description else marker


def _code(
    parent: ET.Element,
    guid: str,
    name: str,
    codable: bool,
    colour: str,
    description: str,
) -> ET.Element:
    code = sub_element(
        parent,
        "Code",
        guid=guid,
        name=xml_text(name),
        isCodable="true" if codable else "false",
        color=colour,
    )
    text_element(code, "Description", description)
    return code


def codes_element(parent: ET.Element, taxonomy: Taxonomy) -> ET.Element:
    """The ``Codes`` element of a codebook, in either namespace (the types agree)."""
    codes = sub_element(parent, "Codes")
    groups = [(group, THEME, AREA_COLOURS) for group in taxonomy.areas]
    groups += [(group, "facet", FACET_COLOURS) for group in taxonomy.facets]
    counters = {THEME: 0, "facet": 0}
    for group, kind, palette in groups:
        colour = palette[counters[kind] % len(palette)]
        counters[kind] += 1
        top = _code(
            codes,
            theme_guid(_group_path(group, kind)),
            group.label,
            False,
            colour,
            _group_description(group, kind),
        )
        for member in group.members:
            entry = taxonomy.entries[member]
            code = _code(
                top,
                theme_guid(entry_path(entry)),
                entry.label,
                True,
                colour,
                _entry_description(entry),
            )
            for sub_id in entry.subthemes:  # sub-themes nested in their theme
                sub = taxonomy.entries[sub_id]
                path = f"{entry_path(entry)}/{sub.id}"
                _code(code, theme_guid(path), sub.label, True, colour, _entry_description(sub))
    return codes


def serialise(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def origin_text() -> str:
    return f"nvreport {__version__}"


def export_codebook(taxonomy: Taxonomy) -> bytes:
    """The taxonomy as a REFI-QDA codebook (``.qdc``): UTF-8 XML, the same bytes for
    the same taxonomy.

    Areas are top-level codes with their themes nested, facets top-level codes with
    their values nested; see the module's docstring for GUIDs, colours and
    descriptions.
    """
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NAMESPACE, "origin": origin_text()})
    codes_element(root, taxonomy)
    return serialise(root)
