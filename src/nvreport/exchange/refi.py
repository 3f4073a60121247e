"""What nvreport writes into REFI-QDA files: namespaces, GUID seed, colours, variables and
the prefixes of a code's description that carry a theme's terms across tools.
"""

from __future__ import annotations

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

TERMS_PREFIX = "Termer: "
EXCLUDE_PREFIX = "Undantag: "
ID_PREFIX = "nvreport-id: "
AREA_PREFIX = "nvreport-area: "
FACET_PREFIX = "nvreport-facet: "
MISSING_DESCRIPTION = "Beskrivning saknas."

READABLE = (DocumentStatus.OK, DocumentStatus.WARNING)
ID_FORM = re.compile(r"[a-z0-9_]+")
# Characters XML 1.0 does not allow, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
