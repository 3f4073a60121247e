"""Exchange with QDA software (NVivo, MAXQDA, ATLAS.ti, QualCoder) through REFI-QDA 1.0.

The REFI-QDA standard (www.qdasoftware.org) has two formats, both XML:

* a *codebook* (``.qdc``, namespace ``urn:QDA-XML:codebook:1.0``): the code tree.
  :func:`export_codebook` writes the taxonomy as one; :func:`import_codebook` reads
  one made elsewhere and returns a taxonomy skeleton in nvreport's YAML format;
* a *project* (``.qdpx``, a zip archive holding ``project.qde`` in the namespace
  ``urn:QDA-XML:project:1.0`` and the source files under ``sources/``):
  :func:`export_project` writes an analysis as one, with the codebook, the documents
  and a coding for every theme and facet value of every tagged passage.

Decisions the standard leaves open, taken here:

* **GUIDs** are UUID5s in :data:`NVREPORT_NAMESPACE`, written in upper case without
  braces (the schemas' ``GUIDType`` takes both cases). A code's GUID comes from its
  path in the tree (:func:`theme_guid`): ``area/<area>``, ``area/<area>/<theme>``,
  ``facet/<facet>`` and ``facet/<facet>/<value>``, so a code keeps its GUID across
  taxonomy versions while its id and its area (or facet) stay the same, whatever
  happens to its label, description or terms. Sources, selections, codings, cases,
  variables and the user get GUIDs from the document's ``doc_id`` (a content hash),
  the passage index and the code path, so the same analysis gives the same bytes.
* **Codes**: areas and facets are top-level codes that cannot be coded
  (``isCodable="false"``); themes and facet values are nested under them and can.
  Every code of an area or facet has that area's or facet's colour, taken in file
  order from :data:`AREA_COLOURS` and :data:`FACET_COLOURS`. A code's
  ``Description`` holds the description, a ``Termer:`` line (and ``Undantag:`` for
  exclude phrases) and an ``nvreport-id:`` line (``nvreport-area:`` or
  ``nvreport-facet:`` on the top-level codes), from which :func:`import_codebook`
  recovers the ids.
* **Sources**: every readable document (status ``ok`` or ``warning`` with a
  ``doc_id``). A PDF becomes a ``PDFSource`` with the file embedded as
  ``sources/<GUID>.pdf`` (``path="internal://<GUID>.pdf"``) and a plain-text
  ``Representation``; any other format becomes a ``TextSource`` whose text is
  ``sources/<GUID>.txt``. Both texts are the document's passages joined with a blank
  line (``"\\n\\n"``), UTF-8 without a byte-order mark.
* **Codings** are passage-level: one selection per passage that has at least one
  theme or facet value, with one ``Coding`` per theme and value, whatever its status
  (active, planned or negated; the selection's ``Description`` tells the statuses and
  the evidence). In a text, a ``PlainTextSelection``'s ``startPosition`` and
  ``endPosition`` are 0-based offsets in Unicode code points into the plain text,
  end exclusive: ``text[start:end]`` is the passage. In a PDF, a ``PDFSelection``
  covers the passage's whole page, since nvreport keeps no geometry per passage:
  ``page`` is 0-based (:data:`PDF_FIRST_PAGE`; the schema does not say), and
  ``firstX="0" firstY="0"`` to ``secondX``/``secondY`` = the page's width and height
  in PDF points (the full page box, whichever corner a tool takes as origin); its
  ``Representation`` holds the passage's text.
* **Variables** ``actor``, ``actor_type``, ``lan`` (Text) and ``year`` (Integer) are
  declared once; every source carries its values (``VariableValue``, as MAXQDA,
  ATLAS.ti and QualCoder use document variables), and every actor is a ``Case``
  (as NVivo uses cases) with the actor's ``actor``, ``actor_type`` and ``lan`` values
  and a ``SourceRef`` to each of its documents. Unknown values are left out.
* No dates are written, and zip members get a fixed timestamp, so the archive is
  byte-identical from run to run.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nvreport.analysis.document import file_sha256
from nvreport.analysis.tables import Analysis
from nvreport.errors import UsageError
from nvreport.exchange.codebook_export import (
    codes_element,
    entry_path,
    make_guid,
    origin_text,
    serialise,
    sub_element,
    text_element,
    theme_guid,
    xml_text,
)
from nvreport.exchange.refi import (
    CASE_VARIABLES,
    FALLBACK_PAGE_SIZE,
    PASSAGE_SEPARATOR,
    PDF_FIRST_PAGE,
    PROJECT_FILE,
    PROJECT_NAMESPACE,
    READABLE,
    USER_NAME,
    VARIABLES,
    ZIP_TIMESTAMP,
)
from nvreport.models import DocumentRecord, Passage
from nvreport.tagging.tagger import Match, passage_themes
from nvreport.tagging.taxonomy import Taxonomy


class QdaError(UsageError):
    """A REFI-QDA file that cannot be read, or an export whose inputs are missing."""


# ---------------------------------------------------------------- project export


@dataclass
class _Document:
    """A readable document with its passages and their matches, in order."""

    record: DocumentRecord
    passages: list[Passage] = field(default_factory=list)
    matches: list[list[Match]] = field(default_factory=list)

    @property
    def guid(self) -> str:
        return make_guid(f"source/{self.record.doc_id}")

    @property
    def is_pdf(self) -> bool:
        return self.record.source.suffix == ".pdf"

    def plain_text(self) -> tuple[str, list[int]]:
        """The passages joined with :data:`PASSAGE_SEPARATOR`, and where each starts."""
        starts, position = [], 0
        for passage in self.passages:
            starts.append(position)
            position += len(passage.text) + len(PASSAGE_SEPARATOR)
        return PASSAGE_SEPARATOR.join(passage.text for passage in self.passages), starts


def _documents(analysis: Analysis) -> list[_Document]:
    documents = {
        record.doc_id: _Document(record)
        for record in analysis.documents
        if record.status in READABLE and record.doc_id
    }
    for number, passage in enumerate(analysis.passages):
        document = documents.get(passage.doc_id)
        if document is not None:
            document.passages.append(passage)
            document.matches.append(analysis.matches[number] if analysis.matches else [])
    return [document for document in documents.values() if document.passages]


def _source_file(record: DocumentRecord, root: Path) -> bytes:
    """The bytes of a document, from ``root`` or where the analysis found it; they
    must be the bytes that were analysed."""
    candidates = [root / record.source.relpath, record.source.path]
    path = next((candidate for candidate in candidates if candidate.is_file()), None)
    if path is None:
        raise QdaError(f"{record.source.relpath}: the file is no longer in {root}")
    if record.sha256 and file_sha256(path)[0] != record.sha256:
        raise QdaError(f"{record.source.relpath}: the file has changed since it was analysed")
    return path.read_bytes()


def _page_sizes(data: bytes) -> list[tuple[int, int]]:
    """Width and height in points of each page of a PDF, rounded; empty if unreadable."""
    import pypdfium2 as pdfium  # here: ``nvreport --help`` imports this module

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # a PDF pdfium cannot open now: fall back to A4 pages
        return []
    try:
        sizes = []
        for number in range(len(pdf)):
            width, height = pdf[number].get_size()
            sizes.append((round(width), round(height)))
        return sizes
    finally:
        pdf.close()


def _value_element(
    parent: ET.Element, name: str, value: str | int, variables: dict[str, str]
) -> None:
    element = sub_element(parent, "VariableValue")
    sub_element(element, "VariableRef", targetGUID=variables[name])
    tag = "IntegerValue" if isinstance(value, int) else "TextValue"
    text_element(element, tag, str(value))


def _values(record: DocumentRecord, names: Iterable[str]) -> list[tuple[str, str | int]]:
    known = []
    for name in names:
        value = getattr(record.meta, name)
        if value not in ("", None):
            known.append((name, value))
    return known


def _selection_description(
    passage: Passage, entries: dict[str, str], matches: list[Match], taxonomy: Taxonomy
) -> str:
    where = f"nvreport: passage {passage.index}"
    lines = [f"{where}, {passage.section}" if passage.section else where]
    for entry, status in entries.items():
        evidence = []
        for match in matches:
            if match.theme == entry and match.text not in evidence:
                evidence.append(match.text)
        quoted = ", ".join(f"«{text}»" for text in evidence)
        lines.append(f"{taxonomy.entries[entry].label} ({entry}): {status}; {quoted}")
    return "\n".join(lines)


def _codings(
    parent: ET.Element,
    document: _Document,
    number: int,
    entries: dict[str, str],
    taxonomy: Taxonomy,
    user: str,
) -> None:
    passage = document.passages[number]
    for entry in entries:
        path = entry_path(taxonomy.entries[entry])
        coding = sub_element(
            parent,
            "Coding",
            guid=make_guid(f"coding/{passage.doc_id}/{passage.index}/{path}"),
            creatingUser=user,
        )
        sub_element(coding, "CodeRef", targetGUID=theme_guid(path))


def _tagged(document: _Document, taxonomy: Taxonomy) -> list[tuple[int, dict[str, str]]]:
    """The passages with at least one theme or value, with their entries' statuses."""
    tagged = []
    for number, matches in enumerate(document.matches):
        entries = passage_themes(matches)
        for entry in entries:
            if entry not in taxonomy.entries:
                raise QdaError(
                    f"{document.record.source.relpath}: a passage is tagged with {entry!r}, "
                    "which is not in the taxonomy given for the export"
                )
        if entries:
            tagged.append((number, entries))
    return tagged


def _text_source(
    sources: ET.Element,
    document: _Document,
    taxonomy: Taxonomy,
    user: str,
    variables: dict[str, str],
) -> None:
    _, starts = document.plain_text()
    source = sub_element(
        sources,
        "TextSource",
        guid=document.guid,
        name=xml_text(document.record.source.relpath),
        plainTextPath=f"internal://{document.guid}.txt",
        creatingUser=user,
    )
    text_element(source, "Description", _source_description(document))
    for number, entries in _tagged(document, taxonomy):
        passage = document.passages[number]
        selection = sub_element(
            source,
            "PlainTextSelection",
            guid=make_guid(f"selection/{passage.doc_id}/{passage.index}"),
            startPosition=str(starts[number]),
            endPosition=str(starts[number] + len(passage.text)),
            creatingUser=user,
        )
        text_element(
            selection,
            "Description",
            _selection_description(passage, entries, document.matches[number], taxonomy),
        )
        _codings(selection, document, number, entries, taxonomy, user)
    for name, value in _values(document.record, (name for name, _, _ in VARIABLES)):
        _value_element(source, name, value, variables)


def _pdf_source(
    sources: ET.Element,
    document: _Document,
    taxonomy: Taxonomy,
    user: str,
    variables: dict[str, str],
    sizes: list[tuple[int, int]],
) -> None:
    source = sub_element(
        sources,
        "PDFSource",
        guid=document.guid,
        name=xml_text(document.record.source.relpath),
        path=f"internal://{document.guid}.pdf",
        creatingUser=user,
    )
    text_element(source, "Description", _source_description(document))
    for number, entries in _tagged(document, taxonomy):
        passage = document.passages[number]
        page = passage.page or 1  # 1-based in nvreport
        width, height = sizes[page - 1] if 0 < page <= len(sizes) else FALLBACK_PAGE_SIZE
        selection = sub_element(
            source,
            "PDFSelection",
            guid=make_guid(f"selection/{passage.doc_id}/{passage.index}"),
            page=str(page - 1 + PDF_FIRST_PAGE),
            firstX="0",
            firstY="0",
            secondX=str(width),
            secondY=str(height),
            creatingUser=user,
        )
        text_element(
            selection,
            "Description",
            _selection_description(passage, entries, document.matches[number], taxonomy),
        )
        representation = sub_element(
            selection,
            "Representation",
            guid=make_guid(f"representation/{passage.doc_id}/{passage.index}"),
        )
        text_element(representation, "PlainTextContent", passage.text)
        _codings(selection, document, number, entries, taxonomy, user)
    sub_element(
        source,
        "Representation",
        guid=make_guid(f"representation/{document.record.doc_id}"),
        name=xml_text(document.record.source.relpath),
        plainTextPath=f"internal://{document.guid}.txt",
    )
    for name, value in _values(document.record, (name for name, _, _ in VARIABLES)):
        _value_element(source, name, value, variables)


def _source_description(document: _Document) -> str:
    record = document.record
    lines = [f"nvreport doc_id: {record.doc_id}", f"Fil: {record.source.relpath}"]
    if record.pages:
        lines.append(f"Sidor: {record.pages}")
    return "\n".join(lines)


def _cases(project: ET.Element, documents: list[_Document], variables: dict[str, str]) -> None:
    actors: dict[str, list[_Document]] = {}
    for document in documents:
        if document.record.meta.actor:
            actors.setdefault(document.record.meta.actor, []).append(document)
    if not actors:
        return
    cases = sub_element(project, "Cases")
    for actor in sorted(actors):
        members = actors[actor]
        case = sub_element(cases, "Case", guid=make_guid(f"case/{actor}"), name=xml_text(actor))
        values: dict[str, str | int] = {}
        for document in members:
            for name, value in _values(document.record, CASE_VARIABLES):
                values.setdefault(name, value)
        for name in CASE_VARIABLES:
            if name in values:
                _value_element(case, name, values[name], variables)
        for document in members:
            sub_element(case, "SourceRef", targetGUID=document.guid)


def _zip(members: list[tuple[str, bytes, bool]]) -> bytes:
    """A zip archive of ``(name, data, compress)`` with fixed timestamps and modes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, compress in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.create_system = 3  # Unix, whatever the platform
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def export_project(analysis: Analysis, taxonomy: Taxonomy, root: Path) -> bytes:
    """The analysis as a REFI-QDA project archive (``.qdpx``), as bytes.

    ``taxonomy`` must be the one the analysis was tagged with. ``root`` is the folder
    the reports were analysed in: PDFs are read from ``root / relpath`` (or from
    where the analysis found them) to be embedded, and must not have changed since.
    Raises :class:`QdaError` when one is missing or changed. The same analysis gives
    the same bytes; see the module's docstring for what is written.
    """
    user = make_guid(f"user/{USER_NAME}")
    project = ET.Element(
        "Project",
        {
            "xmlns": PROJECT_NAMESPACE,
            "name": xml_text(f"nvreport: {Path(root).name or 'analys'}"),
            "origin": origin_text(),
            "creatingUserGUID": user,
        },
    )
    users = sub_element(project, "Users")
    sub_element(users, "User", guid=user, name=USER_NAME, id=USER_NAME)
    codebook = sub_element(project, "CodeBook")
    codes_element(codebook, taxonomy)

    variables = {name: make_guid(f"variable/{name}") for name, _, _ in VARIABLES}
    declared = sub_element(project, "Variables")
    for name, kind, description in VARIABLES:
        variable = sub_element(
            declared,
            "Variable",
            guid=variables[name],
            name=name,
            typeOfVariable=kind,
        )
        text_element(variable, "Description", description)

    documents = _documents(analysis)
    _cases(project, documents, variables)
    members: list[tuple[str, bytes, bool]] = []
    if documents:
        sources = sub_element(project, "Sources")
        for document in documents:
            text, _ = document.plain_text()
            if document.is_pdf:
                data = _source_file(document.record, Path(root))
                members.append((f"sources/{document.guid}.pdf", data, False))
                _pdf_source(sources, document, taxonomy, user, variables, _page_sizes(data))
            else:
                _text_source(sources, document, taxonomy, user, variables)
            encoded = text.encode("utf-8", errors="replace")
            members.append((f"sources/{document.guid}.txt", encoded, True))
    text_element(
        project,
        "Description",
        f"Exporterat av nvreport med taxonomin {taxonomy.name or Path(taxonomy.source).name} "
        f"version {taxonomy.version}. Kodningar på styckenivå: ett stycke kodas med "
        "varje tema och facettvärde som nvreport hittat i det.",
    )
    return _zip([(PROJECT_FILE, serialise(project), True), *members])
