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
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import yaml

from nvreport import __version__
from nvreport.analysis.document import file_sha256
from nvreport.analysis.tables import Analysis
from nvreport.errors import UsageError
from nvreport.models import DocumentRecord, DocumentStatus, Passage
from nvreport.tagging.tagger import Match, passage_themes
from nvreport.tagging.taxonomy import THEME, Group, Taxonomy, Theme

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
_CASE_VARIABLES = ("actor", "actor_type", "lan")

TERMS_PREFIX = "Termer: "
EXCLUDE_PREFIX = "Undantag: "
ID_PREFIX = "nvreport-id: "
AREA_PREFIX = "nvreport-area: "
FACET_PREFIX = "nvreport-facet: "
MISSING_DESCRIPTION = "Beskrivning saknas."

_READABLE = (DocumentStatus.OK, DocumentStatus.WARNING)
_ID = re.compile(r"[a-z0-9_]+")
# Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class QdaError(UsageError):
    """A REFI-QDA file that cannot be read, or an export whose inputs are missing."""


# ---------------------------------------------------------------- GUIDs and paths


def theme_guid(path: str) -> str:
    """The GUID of the code at ``path`` in the tree, e.g. ``"area/personcentrering"``,
    ``"area/personcentrering/fasta_kontakter"`` or ``"facet/target_groups/aldre"``.

    A UUID5 in :data:`NVREPORT_NAMESPACE`, upper case, as the schemas' ``GUIDType``
    takes it. The same path always gives the same GUID.
    """
    return _guid(path)


def _guid(name: str) -> str:
    return str(uuid.uuid5(NVREPORT_NAMESPACE, name)).upper()


def _group_path(group: Group, kind: str) -> str:
    return f"{'area' if kind == THEME else 'facet'}/{group.id}"


def _entry_path(entry: Theme) -> str:
    return f"{'area' if entry.kind == THEME else 'facet'}/{entry.group}/{entry.id}"


# ---------------------------------------------------------------- codebook export


def _xml_text(text: str) -> str:
    """``text`` with line breaks normalised and characters XML cannot hold dropped."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    """A child element. Tags are written unqualified, in the default namespace that
    the root element declares with an ``xmlns`` attribute (ElementTree cannot write a
    default namespace together with unqualified attributes)."""
    return ET.SubElement(parent, tag, attributes)


def _text_element(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = _sub(parent, tag)
    element.text = _xml_text(text)
    return element


def _entry_description(entry: Theme) -> str:
    terms = [*entry.terms]
    terms += [f"{rule.term} (nära {' / '.join(rule.near)})" for rule in entry.near]
    lines = [entry.description] if entry.description else []
    if terms:
        lines.append(TERMS_PREFIX + ", ".join(terms))
    if entry.exclude:
        lines.append(EXCLUDE_PREFIX + ", ".join(entry.exclude))
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
    code = _sub(
        parent,
        "Code",
        guid=guid,
        name=_xml_text(name),
        isCodable="true" if codable else "false",
        color=colour,
    )
    _text_element(code, "Description", description)
    return code


def _codes(parent: ET.Element, taxonomy: Taxonomy) -> ET.Element:
    """The ``Codes`` element of a codebook, in either namespace (the types agree)."""
    codes = _sub(parent, "Codes")
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
            _code(
                top,
                theme_guid(_entry_path(entry)),
                entry.label,
                True,
                colour,
                _entry_description(entry),
            )
    return codes


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _origin() -> str:
    return f"nvreport {__version__}"


def export_codebook(taxonomy: Taxonomy) -> bytes:
    """The taxonomy as a REFI-QDA codebook (``.qdc``): UTF-8 XML, the same bytes for
    the same taxonomy.

    Areas are top-level codes with their themes nested, facets top-level codes with
    their values nested; see the module's docstring for GUIDs, colours and
    descriptions.
    """
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NAMESPACE, "origin": _origin()})
    _codes(root, taxonomy)
    return _serialise(root)


# ---------------------------------------------------------------- project export


@dataclass
class _Document:
    """A readable document with its passages and their matches, in order."""

    record: DocumentRecord
    passages: list[Passage] = field(default_factory=list)
    matches: list[list[Match]] = field(default_factory=list)

    @property
    def guid(self) -> str:
        return _guid(f"source/{self.record.doc_id}")

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
        if record.status in _READABLE and record.doc_id
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
    element = _sub(parent, "VariableValue")
    _sub(element, "VariableRef", targetGUID=variables[name])
    tag = "IntegerValue" if isinstance(value, int) else "TextValue"
    _text_element(element, tag, str(value))


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
        path = _entry_path(taxonomy.entries[entry])
        coding = _sub(
            parent,
            "Coding",
            guid=_guid(f"coding/{passage.doc_id}/{passage.index}/{path}"),
            creatingUser=user,
        )
        _sub(coding, "CodeRef", targetGUID=theme_guid(path))


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
    source = _sub(
        sources,
        "TextSource",
        guid=document.guid,
        name=_xml_text(document.record.source.relpath),
        plainTextPath=f"internal://{document.guid}.txt",
        creatingUser=user,
    )
    _text_element(source, "Description", _source_description(document))
    for number, entries in _tagged(document, taxonomy):
        passage = document.passages[number]
        selection = _sub(
            source,
            "PlainTextSelection",
            guid=_guid(f"selection/{passage.doc_id}/{passage.index}"),
            startPosition=str(starts[number]),
            endPosition=str(starts[number] + len(passage.text)),
            creatingUser=user,
        )
        _text_element(
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
    source = _sub(
        sources,
        "PDFSource",
        guid=document.guid,
        name=_xml_text(document.record.source.relpath),
        path=f"internal://{document.guid}.pdf",
        creatingUser=user,
    )
    _text_element(source, "Description", _source_description(document))
    for number, entries in _tagged(document, taxonomy):
        passage = document.passages[number]
        page = passage.page or 1  # 1-based in nvreport
        width, height = sizes[page - 1] if 0 < page <= len(sizes) else FALLBACK_PAGE_SIZE
        selection = _sub(
            source,
            "PDFSelection",
            guid=_guid(f"selection/{passage.doc_id}/{passage.index}"),
            page=str(page - 1 + PDF_FIRST_PAGE),
            firstX="0",
            firstY="0",
            secondX=str(width),
            secondY=str(height),
            creatingUser=user,
        )
        _text_element(
            selection,
            "Description",
            _selection_description(passage, entries, document.matches[number], taxonomy),
        )
        representation = _sub(
            selection,
            "Representation",
            guid=_guid(f"representation/{passage.doc_id}/{passage.index}"),
        )
        _text_element(representation, "PlainTextContent", passage.text)
        _codings(selection, document, number, entries, taxonomy, user)
    _sub(
        source,
        "Representation",
        guid=_guid(f"representation/{document.record.doc_id}"),
        name=_xml_text(document.record.source.relpath),
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
    cases = _sub(project, "Cases")
    for actor in sorted(actors):
        members = actors[actor]
        case = _sub(cases, "Case", guid=_guid(f"case/{actor}"), name=_xml_text(actor))
        values: dict[str, str | int] = {}
        for document in members:
            for name, value in _values(document.record, _CASE_VARIABLES):
                values.setdefault(name, value)
        for name in _CASE_VARIABLES:
            if name in values:
                _value_element(case, name, values[name], variables)
        for document in members:
            _sub(case, "SourceRef", targetGUID=document.guid)


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
    user = _guid(f"user/{USER_NAME}")
    project = ET.Element(
        "Project",
        {
            "xmlns": PROJECT_NAMESPACE,
            "name": _xml_text(f"nvreport: {Path(root).name or 'analys'}"),
            "origin": _origin(),
            "creatingUserGUID": user,
        },
    )
    users = _sub(project, "Users")
    _sub(users, "User", guid=user, name=USER_NAME, id=USER_NAME)
    codebook = _sub(project, "CodeBook")
    _codes(codebook, taxonomy)

    variables = {name: _guid(f"variable/{name}") for name, _, _ in VARIABLES}
    declared = _sub(project, "Variables")
    for name, kind, description in VARIABLES:
        variable = _sub(
            declared,
            "Variable",
            guid=variables[name],
            name=name,
            typeOfVariable=kind,
        )
        _text_element(variable, "Description", description)

    documents = _documents(analysis)
    _cases(project, documents, variables)
    members: list[tuple[str, bytes, bool]] = []
    if documents:
        sources = _sub(project, "Sources")
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
    _text_element(
        project,
        "Description",
        f"Exporterat av nvreport med taxonomin {taxonomy.name or Path(taxonomy.source).name} "
        f"version {taxonomy.version}. Kodningar på styckenivå: ett stycke kodas med "
        "varje tema och facettvärde som nvreport hittat i det.",
    )
    return _zip([(PROJECT_FILE, _serialise(project), True), *members])


# ---------------------------------------------------------------- codebook import


@dataclass
class _ImportedCode:
    name: str
    description: str
    children: list[_ImportedCode]


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((child for child in element if _local(child.tag) == name), None)


#: Limits of ``taxonomy import`` (issue 17: a hostile codebook must not crash, hang
#: or take all memory). Codes nested deeper than this are refused: a codebook made by
#: a QDA program has two to five levels.
MAX_CODE_DEPTH = 50
#: Bytes of XML read, unpacked, up to the end of the codebook (a ``.qdpx`` member's
#: declared size counts too): a codebook is kilobytes, a project's XML before it small.
MAX_CODEBOOK_BYTES = 64 * 2**20
#: Codes in a codebook.
MAX_CODES = 100_000
_CHUNK = 2**20


def _read_code(element: ET.Element) -> _ImportedCode:
    """The code and its subcodes (depth checked while parsing: at most
    :data:`MAX_CODE_DEPTH`, so this recursion stays shallow)."""
    description = _child(element, "Description")
    return _ImportedCode(
        name=(element.get("name") or "").strip(),
        description=(description.text or "") if description is not None else "",
        children=[_read_code(child) for child in element if _local(child.tag) == "Code"],
    )


def _xml_stream(path: Path) -> tuple[zipfile.ZipFile | None, io.BufferedIOBase]:
    """The codebook's XML as a stream: the file, or a ``.qdpx``'s ``project.qde``
    (refused when its declared size passes :data:`MAX_CODEBOOK_BYTES`)."""
    if not zipfile.is_zipfile(path):
        return None, path.open("rb")
    archive = zipfile.ZipFile(path)
    try:
        info = archive.getinfo(PROJECT_FILE)
        if info.file_size > MAX_CODEBOOK_BYTES:
            raise QdaError(
                f"{path}: {PROJECT_FILE} would unpack to {info.file_size / 2**20:,.0f} MiB: "
                f"nvreport reads at most {MAX_CODEBOOK_BYTES // 2**20} MiB of it"
            )
        return archive, archive.open(info)
    except BaseException:
        archive.close()
        raise


def _parse_codebook(path: Path) -> ET.Element:
    """The ``CodeBook`` element (or a root without one), parsed as a stream that stops
    at the codebook's end; at most :data:`MAX_CODEBOOK_BYTES` are read, whatever a
    zip member declares, and codes at most :data:`MAX_CODE_DEPTH` deep."""
    parser = ET.XMLPullParser(events=("start", "end"))
    archive, stream = _xml_stream(path)
    root: ET.Element | None = None
    codebook: ET.Element | None = None
    depth = deepest = codes = 0
    read = 0
    try:
        with stream:
            while codebook is None:
                chunk = stream.read(_CHUNK)
                read += len(chunk)
                if read > MAX_CODEBOOK_BYTES:
                    raise QdaError(
                        f"{path}: the codebook's XML runs past "
                        f"{MAX_CODEBOOK_BYTES // 2**20} MiB unpacked: nvreport reads no more"
                    )
                if chunk:
                    parser.feed(chunk)
                else:
                    parser.close()
                for event, element in parser.read_events():
                    name = _local(element.tag)
                    if event == "start":
                        root = root if root is not None else element
                        if name == "Code":
                            depth += 1
                            codes += 1
                            deepest = max(deepest, depth)
                        continue
                    if name == "Code":
                        depth -= 1
                    if name == "CodeBook" or element is root:
                        codebook = element
                        break
                if deepest > MAX_CODE_DEPTH:
                    raise QdaError(
                        f"{path}: codes are nested more than {MAX_CODE_DEPTH} levels deep: "
                        f"nvreport reads at most {MAX_CODE_DEPTH}"
                    )
                if codes > MAX_CODES:
                    raise QdaError(
                        f"{path}: the codebook has more than {MAX_CODES:,} codes: "
                        "nvreport reads no more"
                    )
                if not chunk:
                    break
    except (OSError, KeyError, zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise QdaError(f"{path}: cannot read the codebook: {_reason(error)}") from None
    except ET.ParseError as error:
        raise QdaError(f"{path}: not valid XML: {error}") from None
    except (RuntimeError, NotImplementedError, EOFError, zlib.error) as error:
        # zipfile: an encrypted member, an unknown compression, a truncated stream
        raise QdaError(f"{path}: cannot read the codebook: {_reason(error)}") from None
    finally:
        if archive is not None:
            archive.close()
    if codebook is None:
        raise QdaError(f"{path}: not valid XML: the document ends before its root closes")
    return codebook


def _reason(error: BaseException) -> str:
    """What went wrong, in words: the message without Python's class name or repr."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    if isinstance(error, KeyError):
        return f"the archive has no {PROJECT_FILE}"
    text = str(error).strip().strip("'\"")
    return text or "the file is damaged"


def _read_codes(path: Path) -> list[_ImportedCode]:
    """The top-level codes of a ``.qdc`` codebook, a ``.qde`` project or a ``.qdpx``."""
    element = _parse_codebook(path)
    codebook = element if _local(element.tag) == "CodeBook" else None
    codes = _child(codebook, "Codes") if codebook is not None else None
    if codes is None:
        raise QdaError(f"{path}: not a REFI-QDA codebook (no CodeBook/Codes element)")
    return [_read_code(child) for child in codes if _local(child.tag) == "Code"]


@dataclass
class _Description:
    """A code's description split into the text and nvreport's marker lines."""

    text: str = ""
    entry_id: str = ""
    area_id: str = ""
    facet_id: str = ""
    terms: str = ""


def _split_description(description: str) -> _Description:
    result = _Description()
    kept = []
    for line in description.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if stripped.startswith(ID_PREFIX.strip()):
            result.entry_id = stripped[len(ID_PREFIX.strip()) :].strip()
        elif stripped.startswith(AREA_PREFIX.strip()):
            result.area_id = stripped[len(AREA_PREFIX.strip()) :].strip()
        elif stripped.startswith(FACET_PREFIX.strip()):
            result.facet_id = stripped[len(FACET_PREFIX.strip()) :].strip()
        elif stripped.startswith(TERMS_PREFIX.strip()):
            result.terms = stripped[len(TERMS_PREFIX.strip()) :].strip()
        elif not stripped.startswith(EXCLUDE_PREFIX.strip()):
            kept.append(stripped)
    result.text = " ".join(" ".join(kept).split())
    return result


_TRANSLITERATION = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "ae", "ø": "o", "ß": "ss"})


def _slug(name: str) -> str:
    """An id from a code name: lower-case ASCII, å/ä to a, ö to o, the rest to ``_``."""
    text = name.lower().translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "kod"


def _unique(preferred: str, name: str, taken: set[str]) -> str:
    """``preferred`` (an ``nvreport-id``) if usable, else the name's slug, made unique."""
    base = preferred if _ID.fullmatch(preferred or "") else _slug(name)
    chosen, number = base, 2
    while chosen in taken:
        chosen, number = f"{base}_{number}", number + 1
    taken.add(chosen)
    return chosen


_INFINITE = float("inf")
# What YAML takes as a line break, or refuses in a stream, besides \n and \r.
_NOT_IN_COMMENT = re.compile("[^\t\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _yaml(text: str) -> str:
    """``text`` as a YAML scalar, written by PyYAML's emitter: plain when that is safe,
    else quoted with escapes, never with a raw line break (a code or file name must
    not be able to add keys to the skeleton)."""
    dump = yaml.safe_dump([text], default_flow_style=True, allow_unicode=True, width=_INFINITE)
    scalar = dump.strip()[1:-1]
    if any(character in scalar for character in "\n\r\x85\u2028\u2029"):
        dump = yaml.safe_dump(
            [text], default_flow_style=True, default_style='"', allow_unicode=True, width=_INFINITE
        )
        scalar = dump.strip()[1:-1]
    return scalar


def _comment(text: str) -> str:
    """``text`` fit for a YAML comment: on one line, without characters YAML refuses."""
    return _NOT_IN_COMMENT.sub("\ufffd", " ".join(text.split()))


def _descendants(code: _ImportedCode, trail: tuple[str, ...] = ()) -> list[str]:
    names = []
    for child in code.children:
        names.append(" > ".join((*trail, child.name)))
        names += _descendants(child, (*trail, child.name))
    return names


def _entry_lines(
    code: _ImportedCode, entry_id: str, kind: str, indent: str, note: str = ""
) -> list[str]:
    parts = _split_description(code.description)
    lines = []
    if note:
        lines.append(f"{indent}# {_comment(note)}")
    merged = _descendants(code)
    if merged:
        lines.append(f"{indent}# Subcodes flattened into this theme: {_comment('; '.join(merged))}")
    lines.append(f"{indent}- id: {_yaml(entry_id)}")
    inner = indent + "  "
    lines.append(f"{inner}label: {_yaml(code.name or entry_id)}")
    if kind == THEME:
        lines.append(f"{inner}description: {_yaml(parts.text or MISSING_DESCRIPTION)}")
        lines.append(f"{inner}framework_area: B")
    elif parts.text:
        lines.append(f"{inner}description: {_yaml(parts.text)}")
    if parts.terms:
        lines.append(f"{inner}# Terms in the codebook: {_comment(parts.terms)}")
    lines.append(f"{inner}terms: []")
    if kind == THEME:
        lines.append(f"{inner}examples: {{match: [], no_match: []}}")
    return lines


def import_codebook(path: Path) -> str:
    """A taxonomy skeleton, as YAML text, from a REFI-QDA codebook made elsewhere.

    ``path`` is a ``.qdc`` codebook (a ``.qde`` project or ``.qdpx`` archive also
    works: its codebook is read). Top-level codes become areas and the codes nested
    in them themes; deeper codes are flattened into their theme, named in a comment.
    A top-level code without subcodes becomes an area with one theme of the same
    name. Top-level codes marked ``nvreport-facet:`` (as :func:`export_codebook`
    writes them) become facets with their values.

    Ids come from the ``nvreport-id:`` (``-area:``, ``-facet:``) lines of the
    descriptions when present, else from the names: lower-case ASCII, å and ä to
    ``a``, ö to ``o``, anything else to ``_``, made unique with ``_2``, ``_3`` …
    Themes get ``framework_area: B``, empty ``terms`` and empty ``examples``, which
    the analyst must fill in before ``nvreport taxonomy check`` passes.
    Raises :class:`QdaError` for a file that is not a REFI-QDA codebook.
    """
    path = Path(path)
    codes = _read_codes(path)
    if not codes:
        raise QdaError(f"{path}: the codebook has no codes")
    groups_taken: set[str] = set()
    entries_taken: set[str] = set()
    areas: list[str] = []
    facets: list[str] = []
    for code in codes:
        parts = _split_description(code.description)
        is_facet = bool(parts.facet_id) and bool(code.children)
        group_id = _unique(parts.facet_id or parts.area_id, code.name, groups_taken)
        lines = [f"  - id: {_yaml(group_id)}", f"    label: {_yaml(code.name or group_id)}"]
        if parts.text:
            lines.append(f"    description: {_yaml(parts.text)}")
        lines.append("    values:" if is_facet else "    themes:")
        kind = "facet" if is_facet else THEME
        if code.children:
            for child in code.children:
                child_parts = _split_description(child.description)
                entry_id = _unique(child_parts.entry_id, child.name, entries_taken)
                lines += _entry_lines(child, entry_id, kind, "      ")
        else:
            entry_id = _unique(parts.entry_id, code.name, entries_taken)
            alone = _ImportedCode(code.name, code.description, [])
            note = f"«{code.name}» has no subcodes in the codebook: it is the area's only theme."
            lines += _entry_lines(alone, entry_id, THEME, "      ", note)
        (facets if is_facet else areas).append("\n".join(lines))

    header = [
        "# Taxonomy skeleton imported by nvreport from the REFI-QDA codebook "
        f"{_comment(path.name)}.",
        "#",
        "# It must be completed before `nvreport taxonomy check` passes: give every theme",
        "# and facet value its terms, and every theme at least five `match` and five",
        "# `no_match` example sentences. framework_area is B everywhere: set it to A, B",
        "# or C. Format: README, section 'Taxonomy format'.",
        "",
        'version: "0.1"',
        f"name: {_yaml(path.stem)}",
        "areas:" if areas else "areas: []",
    ]
    text = "\n".join(header) + "\n" + "".join(area + "\n" for area in areas)
    if facets:
        text += "facets:\n" + "\n".join(facets) + "\n"
    return text
