"""What nvreport writes into REFI-QDA files: namespaces, GUID seed, colours, variables and
the prefixes of a code's description that carry a theme's terms across tools.
"""

from __future__ import annotations

import csv
import re
import uuid

from nvreport.models import DocumentStatus

#: The namespace of every GUID nvreport writes: ``uuid5(NAMESPACE_URL,
#: "https://nvreport.example/refi-qda")``. Never change it: GUIDs would change with it.
NVREPORT_NAMESPACE = uuid.UUID("04dbe179-1d6c-523d-baee-22358bb24e09")

CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"

#: Colours of the areas, in file order (repeated when there are more areas).
AREA_COLOURS = (
    "#1F77B4",
    "#FF7F0E",
    "#2CA02C",
    "#D62728",
    "#9467BD",
    "#8C564B",
    "#E377C2",
    "#17BECF",
    "#BCBD22",
    "#393B79",
)
#: Colours of the facets, in file order: muted, to tell them from the areas.
FACET_COLOURS = ("#7F7F7F", "#8C6D31", "#637939", "#7B4173", "#3182BD", "#843C39")

#: Number of the first page in a ``PDFSelection``'s ``page`` attribute.
PDF_FIRST_PAGE = 0
#: Page size used when a PDF's page size cannot be read: A4 in points.
FALLBACK_PAGE_SIZE = (595, 842)

USER_NAME = "nvreport"
PROJECT_FILE = "project.qde"
#: Timestamp of every member of a ``.qdpx`` archive (the earliest zip can store).
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
PASSAGE_SEPARATOR = "\n\n"

#: The document variables: name, REFI-QDA type, description.
VARIABLES = (
    ("actor", "Text", "Aktör: regionen eller kommunen som skrivit rapporten."),
    ("actor_type", "Text", "Typ av aktör: region eller kommun."),
    ("lan", "Text", "Län."),
    ("year", "Integer", "Året rapporten gäller."),
)
CASE_VARIABLES = ("actor", "actor_type", "lan")

# The lines of a code's description that carry a theme across tools, one prefix each
# (see describe_entry / read_entry_lines). Lists are written as in CSV: items joined
# by ", ", an item with a comma, a quote, a bracket or edge spaces in double quotes.
TERMS_PREFIX = "Termer: "
NEAR_PREFIX = "Nära: "  # one line per rule: TERM (inom N ord från P1, P2)
EXCLUDE_PREFIX = "Undantag: "
FRAMEWORK_PREFIX = "Ramverksområde: "
MATCH_PREFIX = "Exempel: "  # one line per sentence that must be tagged
NO_MATCH_PREFIX = "Motexempel: "  # one line per sentence that must not be
ID_PREFIX = "nvreport-id: "
AREA_PREFIX = "nvreport-area: "
FACET_PREFIX = "nvreport-facet: "
MISSING_DESCRIPTION = "Beskrivning saknas."

READABLE = (DocumentStatus.OK, DocumentStatus.WARNING)
ID_FORM = re.compile(r"[a-z0-9_]+")
# Characters XML 1.0 does not allow, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


_NEEDS_QUOTES = re.compile(r'[,"()\n\r]')
_NEAR_RULE = re.compile(
    r'^(?P<term>"(?:[^"]|"")*"|[^"(]*?) \(inom (?P<window>\d+) ord från (?P<near>.*)\)$'
)
#: A near rule as nvreport 2026.1 wrote it inside the terms line: "term (nära a / b)".
_OLD_NEAR_RULE = re.compile(r"^(?P<term>.+?) \(nära (?P<near>.+)\)$")
DEFAULT_WINDOW = 10


def quote_item(item: str) -> str:
    """A list item as written in a description: in double quotes (a quote doubled)
    when it holds a comma, a quote, a bracket or a line break, or has edge spaces."""
    if not item or item != item.strip() or _NEEDS_QUOTES.search(item):
        return '"' + item.replace('"', '""') + '"'
    return item


def format_items(items: list[str] | tuple[str, ...]) -> str:
    return ", ".join(quote_item(item) for item in items)


def parse_items(text: str) -> list[str]:
    """The items of a list written by :func:`format_items` (or by hand: "a, b, c")."""
    if not text.strip():
        return []
    row = next(csv.reader([text.strip()], skipinitialspace=True), [])
    return [item.strip() for item in row if item.strip()]


def format_near(term: str, near: tuple[str, ...], window: int) -> str:
    return f"{quote_item(term)} (inom {window} ord från {format_items(near)})"


def parse_near(text: str) -> tuple[str, list[str], int] | None:
    """(term, near phrases, window) of a rule written by :func:`format_near`."""
    match = _NEAR_RULE.match(text.strip())
    if match is None:
        return None
    term = match.group("term")
    if term.startswith('"'):
        term = term[1:-1].replace('""', '"')
    return term, parse_items(match.group("near")), int(match.group("window"))


def split_old_near(item: str) -> tuple[str, list[str], int] | None:
    """A near rule inside a terms line, as nvreport wrote it before 2026.2:
    ``term (nära a / b)`` (the window was not written: the default)."""
    match = _OLD_NEAR_RULE.match(item)
    if match is None:
        return None
    return match.group("term"), match.group("near").split(" / "), DEFAULT_WINDOW


def one_line(text: str) -> str:
    """``text`` on one line (an example sentence in a description)."""
    return " ".join(text.split())
