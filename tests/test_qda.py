"""REFI-QDA exchange: the codebook and project exports validate against the standard's
schemas, keep their GUIDs, and a codebook made elsewhere imports as a taxonomy skeleton."""

from __future__ import annotations

import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xmlschema
import yaml

from builders import BODY, TITLE, PageBreak, Paragraph, build_pdf
from nvreport.analysis.run import analyse_folder
from nvreport.analysis.tables import Analysis
from nvreport.exchange.codebook_export import export_codebook, theme_guid
from nvreport.exchange.codebook_import import import_codebook
from nvreport.exchange.qda import QdaError, export_project
from nvreport.exchange.refi import NVREPORT_NAMESPACE, PDF_FIRST_PAGE
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.models import DocumentStatus
from nvreport.tagging.tagger import Tagger, passage_themes
from nvreport.tagging.taxonomy import Taxonomy, load_taxonomy

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "taxonomies" / "small.yaml"
SCHEMAS = FIXTURES / "refi-qda"
CODEBOOK = "{urn:QDA-XML:codebook:1.0}"
PROJECT = "{urn:QDA-XML:project:1.0}"
GUID = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")

KRONOBERG = """Årsrapport God och nära vård

Alla patienter med stora behov har en fast vårdkontakt sedan 2022.

Vi erbjuder hälsosamtal till sköra äldre i hela länet.

Inget annat att rapportera.
"""
FLEN = "Kommunen planerar mobila team under året.\n\nÖvrigt arbete fortsätter.\n"
PDF_PAGE_ONE = [
    "Regionen har under året arbetat brett med omställningen till nära vård.",
    "Arbetet leds av en styrgrupp med företrädare för regionen och kommunerna.",
    "Uppföljning sker två gånger per år i den gemensamma ledningsgruppen.",
]
PDF_PAGE_TWO = [
    "Regionen förskriver FaR på alla vårdcentraler och erbjuder patientkontrakt.",
    "Samarbetet med kommunerna har fördjupats under året.",
]


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(SMALL)


@pytest.fixture(scope="module")
def codebook_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "Codebook.xsd"))


@pytest.fixture(scope="module")
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "Project.xsd"))


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory, taxonomy: Taxonomy) -> Analysis:
    """Two text reports, a two-page PDF, a duplicate and a report nobody signed."""
    folder = tmp_path_factory.mktemp("reports")
    (folder / "Region Kronoberg 2023.txt").write_text(KRONOBERG, encoding="utf-8")
    (folder / "Flens kommun 2023.txt").write_text(FLEN, encoding="utf-8")
    (folder / "kopia av Flen.txt").write_text(FLEN, encoding="utf-8")  # same content
    (folder / "anteckning.txt").write_text("En text om hälsosamtal.\n", encoding="utf-8")
    story = [Paragraph("Redovisning God och nära vård 2023", TITLE)]
    story += [Paragraph(text, BODY) for text in PDF_PAGE_ONE]
    story += [PageBreak()] + [Paragraph(text, BODY) for text in PDF_PAGE_TWO]
    build_pdf(folder / "Region Skåne 2023.pdf", story)
    return analyse_folder(folder, Gazetteer.load(), Tagger(taxonomy))


@pytest.fixture(scope="module")
def qdpx(analysis: Analysis, taxonomy: Taxonomy) -> bytes:
    return export_project(analysis, taxonomy, analysis.root)


@pytest.fixture(scope="module")
def project(qdpx: bytes) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(qdpx)) as archive:
        return ET.fromstring(archive.read("project.qde"))


def member(qdpx: bytes, internal_path: str) -> bytes:
    assert internal_path.startswith("internal://")
    with zipfile.ZipFile(io.BytesIO(qdpx)) as archive:
        return archive.read("sources/" + internal_path.removeprefix("internal://"))


def codes_by_id(root: ET.Element, ns: str) -> dict[str, ET.Element]:
    """Every code by the ``nvreport-id``/``-area``/``-facet`` in its description."""
    found = {}
    for code in root.iter(f"{ns}Code"):
        description = code.findtext(f"{ns}Description") or ""
        marker = re.search(r"^nvreport-(?:id|area|facet): (\S+)$", description, re.M)
        assert marker, code.get("name")
        found[marker.group(1)] = code
    return found


# ----------------------------------------------------------------- GUIDs


def test_theme_guid_is_a_uuid5_of_the_path_in_the_schema_format() -> None:
    guid = theme_guid("area/personcentrering/fasta_kontakter")
    assert GUID.fullmatch(guid)
    expected = uuid.uuid5(NVREPORT_NAMESPACE, "area/personcentrering/fasta_kontakter")
    assert uuid.UUID(guid) == expected
    assert theme_guid("area/personcentrering/fasta_kontakter") == guid
    assert theme_guid("facet/target_groups/aldre") != guid
    assert theme_guid("area/tillganglighet/fasta_kontakter") != guid


def test_code_guids_survive_a_new_taxonomy_version(tmp_path: Path, taxonomy: Taxonomy) -> None:
    changed = SMALL.read_text("utf-8").replace("fast läkarkontakt", "fast husläkarkontakt")
    changed = changed.replace('version: "test-1"', 'version: "test-2"')
    (tmp_path / "changed.yaml").write_text(changed, encoding="utf-8")
    before = ET.fromstring(export_codebook(taxonomy))
    after_bytes = export_codebook(load_taxonomy(tmp_path / "changed.yaml"))
    after = ET.fromstring(after_bytes)

    assert b"fast husl\xc3\xa4karkontakt" in after_bytes
    old = {key: code.get("guid") for key, code in codes_by_id(before, CODEBOOK).items()}
    new = {key: code.get("guid") for key, code in codes_by_id(after, CODEBOOK).items()}
    assert old == new
    assert old["fasta_kontakter"] == theme_guid("area/personcentrering/fasta_kontakter")
    assert old["skora_aldre"] == theme_guid("facet/target_groups/skora_aldre")


# ----------------------------------------------------------------- codebook


def test_codebook_validates_and_is_deterministic(
    taxonomy: Taxonomy, codebook_schema: xmlschema.XMLSchema
) -> None:
    data = export_codebook(taxonomy)
    codebook_schema.validate(io.BytesIO(data))
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert data == export_codebook(taxonomy)
    assert data == export_codebook(load_taxonomy(SMALL))


def test_codebook_nests_themes_in_areas_and_values_in_facets(taxonomy: Taxonomy) -> None:
    root = ET.fromstring(export_codebook(taxonomy))
    assert root.tag == f"{CODEBOOK}CodeBook"
    top = root.findall(f"{CODEBOOK}Codes/{CODEBOOK}Code")
    groups = [*taxonomy.areas, *taxonomy.facets]
    assert [code.get("name") for code in top] == [group.label for group in groups]
    for code, group in zip(top, groups, strict=True):
        assert code.get("isCodable") == "false"
        children = code.findall(f"{CODEBOOK}Code")
        labels = [taxonomy.entries[member].label for member in group.members]
        assert [child.get("name") for child in children] == labels
        for child in children:
            assert child.get("isCodable") == "true"
            assert child.get("color") == code.get("color")
            assert not child.findall(f"{CODEBOOK}Code")
        assert re.fullmatch(r"#[0-9A-F]{6}", code.get("color"))
    colours = [code.get("color") for code in top]
    assert len(set(colours)) == len(colours)

    fasta = codes_by_id(root, CODEBOOK)["fasta_kontakter"]
    assert fasta.findtext(f"{CODEBOOK}Description").split("\n") == [
        "Patienten har en namngiven fast kontakt.",
        "Termer: fast vårdkontakt, fast läkarkontakt",
        "Ramverksområde: B",
        *(f"Exempel: {letter}" for letter in "abcde"),
        *(f"Motexempel: {letter}" for letter in "abcde"),
        "nvreport-id: fasta_kontakter",
    ]
    mobila = codes_by_id(root, CODEBOOK)["mobila_team"].findtext(f"{CODEBOOK}Description")
    assert "Undantag: mobil* multiprofessionella team" in mobila
    far = codes_by_id(root, CODEBOOK)["far"].findtext(f"{CODEBOOK}Description")
    assert "Nära: recept (inom 6 ord från fysisk aktivitet)" in far
    vard = codes_by_id(root, CODEBOOK)["vard"].findtext(f"{CODEBOOK}Description")
    assert "Termer: hälsovård, re:\\b1177\\b\nRamverksområde: A" in vard


# ----------------------------------------------------------------- project


def test_project_validates_against_the_schema(
    project: ET.Element, qdpx: bytes, project_schema: xmlschema.XMLSchema
) -> None:
    with zipfile.ZipFile(io.BytesIO(qdpx)) as archive:
        project_schema.validate(io.BytesIO(archive.read("project.qde")))
        assert archive.namelist()[0] == "project.qde"
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
    assert project.tag == f"{PROJECT}Project"


def test_project_export_is_byte_identical(
    analysis: Analysis, taxonomy: Taxonomy, qdpx: bytes
) -> None:
    assert export_project(analysis, taxonomy, analysis.root) == qdpx


def test_project_embeds_the_codebook_and_one_user(project: ET.Element, taxonomy: Taxonomy) -> None:
    users = project.findall(f"{PROJECT}Users/{PROJECT}User")
    assert [user.get("name") for user in users] == ["nvreport"]
    codebook = ET.fromstring(export_codebook(taxonomy))
    embedded = project.find(f"{PROJECT}CodeBook")
    assert embedded is not None

    def shape(root: ET.Element, ns: str) -> list[tuple]:
        return [
            (code.get("guid"), code.get("name"), code.get("isCodable"), code.get("color"))
            for code in root.iter(f"{ns}Code")
        ]

    assert shape(embedded, PROJECT) == shape(codebook, CODEBOOK)


def test_every_readable_document_is_a_source(project: ET.Element, analysis: Analysis) -> None:
    readable = [
        record.source.relpath
        for record in analysis.documents
        if record.status in (DocumentStatus.OK, DocumentStatus.WARNING) and record.doc_id
    ]
    assert sorted(readable) == [
        "Flens kommun 2023.txt",
        "Region Kronoberg 2023.txt",
        "Region Skåne 2023.pdf",
        "anteckning.txt",
    ]
    sources = project.find(f"{PROJECT}Sources")
    assert sorted(source.get("name") for source in sources) == sorted(readable)
    kinds = {source.get("name"): source.tag.removeprefix(PROJECT) for source in sources}
    assert kinds["Region Skåne 2023.pdf"] == "PDFSource"
    assert kinds["Region Kronoberg 2023.txt"] == "TextSource"


def test_the_pdf_is_embedded(project: ET.Element, qdpx: bytes, analysis: Analysis) -> None:
    pdf = project.find(f"{PROJECT}Sources/{PROJECT}PDFSource")
    original = analysis.root / "Region Skåne 2023.pdf"
    assert pdf.get("path") == f"internal://{pdf.get('guid')}.pdf"
    assert member(qdpx, pdf.get("path")) == original.read_bytes()
    representation = pdf.find(f"{PROJECT}Representation")
    text = member(qdpx, representation.get("plainTextPath")).decode("utf-8")
    assert PDF_PAGE_TWO[0] in text


def expected_codings(analysis: Analysis, taxonomy: Taxonomy) -> set[tuple[str, str, str]]:
    """(file, passage text, code GUID) for every tagged passage and theme or value."""
    files = {record.doc_id: record.source.relpath for record in analysis.documents}
    expected = set()
    for passage, matches in zip(analysis.passages, analysis.matches, strict=True):
        for entry_id in passage_themes(matches):
            entry = taxonomy.entries[entry_id]
            kind = "area" if entry.kind == "theme" else "facet"
            guid = theme_guid(f"{kind}/{entry.group}/{entry.id}")
            expected.add((files[passage.doc_id], passage.text, guid))
    return expected


def test_a_coding_per_tagged_passage_and_theme(
    project: ET.Element, qdpx: bytes, analysis: Analysis, taxonomy: Taxonomy
) -> None:
    found = set()
    for source in project.iter(f"{PROJECT}TextSource"):
        if source.get("plainTextPath") is None:
            continue  # a PDF selection's representation
        text = member(qdpx, source.get("plainTextPath")).decode("utf-8")
        for selection in source.findall(f"{PROJECT}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            for coding in selection.findall(f"{PROJECT}Coding"):
                target = coding.find(f"{PROJECT}CodeRef").get("targetGUID")
                found.add((source.get("name"), text[start:end], target))
    for source in project.iter(f"{PROJECT}PDFSource"):
        for selection in source.findall(f"{PROJECT}PDFSelection"):
            text = selection.findtext(f"{PROJECT}Representation/{PROJECT}PlainTextContent")
            for coding in selection.findall(f"{PROJECT}Coding"):
                target = coding.find(f"{PROJECT}CodeRef").get("targetGUID")
                found.add((source.get("name"), text, target))

    expected = expected_codings(analysis, taxonomy)
    assert found == expected
    fasta = theme_guid("area/personcentrering/fasta_kontakter")
    skora = theme_guid("facet/target_groups/skora_aldre")
    far = theme_guid("area/halsoframjande/far")
    assert ("Region Kronoberg 2023.txt", KRONOBERG.split("\n\n")[1].strip(), fasta) in found
    assert ("Region Kronoberg 2023.txt", KRONOBERG.split("\n\n")[2].strip(), skora) in found
    pdf_passage = next(p.text for p in analysis.passages if PDF_PAGE_TWO[0] in p.text)
    assert ("Region Skåne 2023.pdf", pdf_passage, far) in found
    codings = [coding.get("guid") for coding in project.iter(f"{PROJECT}Coding")]
    assert len(codings) == len(set(codings)) == len(expected)


def test_text_selections_slice_the_plain_text_to_the_passage(
    project: ET.Element, qdpx: bytes, analysis: Analysis
) -> None:
    passages = {(p.doc_id, p.index): p.text for p in analysis.passages}
    by_name = {record.source.relpath: record.doc_id for record in analysis.documents}
    selections = 0
    for source in project.find(f"{PROJECT}Sources").findall(f"{PROJECT}TextSource"):
        text = member(qdpx, source.get("plainTextPath")).decode("utf-8")
        doc_id = by_name[source.get("name")]
        own = [value for (doc, _), value in sorted(passages.items()) if doc == doc_id]
        assert text == "\n\n".join(own)
        for selection in source.findall(f"{PROJECT}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            index = int(re.search(r"passage (\d+)", selection.findtext(f"{PROJECT}Description"))[1])
            assert text[start:end] == passages[(doc_id, index)]
            selections += 1
    assert selections >= 3


def test_pdf_selections_cover_the_page_zero_based(project: ET.Element, analysis: Analysis) -> None:
    assert PDF_FIRST_PAGE == 0
    pdf = project.find(f"{PROJECT}Sources/{PROJECT}PDFSource")
    selections = pdf.findall(f"{PROJECT}PDFSelection")
    assert selections
    far = next(passage for passage in analysis.passages if PDF_PAGE_TWO[0] in passage.text)
    assert far.page == 2
    pages = {}
    for selection in selections:
        text = selection.findtext(f"{PROJECT}Representation/{PROJECT}PlainTextContent")
        pages[text] = selection.get("page")
        # A4 in points, the full page box
        box = [selection.get(name) for name in ("firstX", "firstY", "secondX", "secondY")]
        assert box == ["0", "0", "595", "842"]
    assert pages[far.text] == "1"


def test_variables_on_sources_and_cases(project: ET.Element) -> None:
    variables = {
        variable.get("name"): (variable.get("guid"), variable.get("typeOfVariable"))
        for variable in project.findall(f"{PROJECT}Variables/{PROJECT}Variable")
    }
    assert {name: kind for name, (_, kind) in variables.items()} == {
        "actor": "Text",
        "actor_type": "Text",
        "lan": "Text",
        "year": "Integer",
    }
    names = {guid: name for name, (guid, _) in variables.items()}

    def values(element: ET.Element) -> dict[str, str]:
        return {
            names[value.find(f"{PROJECT}VariableRef").get("targetGUID")]: value[1].text
            for value in element.findall(f"{PROJECT}VariableValue")
        }

    sources = {source.get("name"): source for source in project.find(f"{PROJECT}Sources")}
    kronoberg = values(sources["Region Kronoberg 2023.txt"])
    assert kronoberg["actor"] == "Region Kronoberg"
    assert kronoberg["year"] == "2023"
    assert kronoberg["lan"] == "Kronobergs län"
    assert "actor" not in values(sources["anteckning.txt"])

    cases = {case.get("name"): case for case in project.findall(f"{PROJECT}Cases/{PROJECT}Case")}
    assert sorted(cases) == ["Flens kommun", "Region Kronoberg", "Region Skåne"]
    flen = cases["Flens kommun"]
    assert values(flen)["actor_type"] == "kommun"
    refs = [ref.get("targetGUID") for ref in flen.findall(f"{PROJECT}SourceRef")]
    assert refs == [sources["Flens kommun 2023.txt"].get("guid")]


def test_an_untagged_analysis_exports_sources_without_codings(
    analysis: Analysis, taxonomy: Taxonomy, project_schema: xmlschema.XMLSchema
) -> None:
    untagged = analyse_folder(analysis.root, Gazetteer.load())
    with zipfile.ZipFile(io.BytesIO(export_project(untagged, taxonomy, untagged.root))) as zipped:
        data = zipped.read("project.qde")
    project_schema.validate(io.BytesIO(data))
    root = ET.fromstring(data)
    assert len(root.find(f"{PROJECT}Sources")) == 4
    assert not list(root.iter(f"{PROJECT}Coding"))


def test_a_changed_pdf_is_not_exported(
    tmp_path: Path, analysis: Analysis, taxonomy: Taxonomy
) -> None:
    build_pdf(tmp_path / "Region Skåne 2023.pdf", [Paragraph("En annan rapport.", BODY)])
    with pytest.raises(QdaError, match="changed since it was analysed"):
        export_project(analysis, taxonomy, tmp_path)


# ----------------------------------------------------------------- import


def test_import_of_the_exported_codebook_keeps_ids_and_labels(
    tmp_path: Path, taxonomy: Taxonomy
) -> None:
    path = tmp_path / "small.qdc"
    path.write_bytes(export_codebook(taxonomy))
    text = import_codebook(path)
    assert text.startswith("#")
    assert "nvreport taxonomy check" in text.split("\n\n")[0]
    data = yaml.safe_load(text)

    def tree(areas: list[dict], key: str) -> list[tuple]:
        return [
            (area["id"], area["label"], [(item["id"], item["label"]) for item in area[key]])
            for area in areas
        ]

    assert tree(data["areas"], "themes") == [
        (area.id, area.label, [(m, taxonomy.entries[m].label) for m in area.members])
        for area in taxonomy.areas
    ]
    assert tree(data["facets"], "values") == [
        (facet.id, facet.label, [(m, taxonomy.entries[m].label) for m in facet.members])
        for facet in taxonomy.facets
    ]
    fasta = data["areas"][0]["themes"][0]
    assert fasta == {
        "id": "fasta_kontakter",
        "label": "Fasta kontakter",
        "description": "Patienten har en namngiven fast kontakt.",
        "framework_area": "B",
        "terms": ["fast vårdkontakt", "fast läkarkontakt"],
        "examples": {"match": list("abcde"), "no_match": list("abcde")},
    }
    far = data["areas"][1]["themes"][1]
    assert far["terms"] == ["FaR", "fysisk aktivitet på recept"]
    assert far["near"] == [{"term": "recept", "near": ["fysisk aktivitet"], "window": 6}]
    mobila = data["areas"][2]["themes"][0]
    assert mobila["exclude"] == ["mobil* multiprofessionella team"]
    assert data["areas"][2]["themes"][1]["framework_area"] == "A"


def test_the_bundled_taxonomy_round_trips(
    tmp_path: Path, codebook_schema: xmlschema.XMLSchema
) -> None:
    bundled = load_taxonomy()
    path = tmp_path / "nara-vard.qdc"
    path.write_bytes(export_codebook(bundled))
    codebook_schema.validate(str(path))
    data = yaml.safe_load(import_codebook(path))
    themes = {theme["id"]: theme for area in data["areas"] for theme in area["themes"]}
    values = {value["id"]: value for facet in data.get("facets", []) for value in facet["values"]}
    assert [area["id"] for area in data["areas"]] == [area.id for area in bundled.areas]
    assert [facet["id"] for facet in data.get("facets", [])] == [f.id for f in bundled.facets]
    assert list(themes) == bundled.theme_ids
    assert list(values) == [value.id for value in bundled.facet_values]
    for theme in bundled.themes:
        assert themes[theme.id]["label"] == theme.label
        assert themes[theme.id]["description"] == " ".join(theme.description.split())


def entry_fields(entry) -> tuple:
    return (
        entry.kind,
        entry.group,
        entry.label,
        entry.description,
        entry.framework_area,
        entry.terms,
        entry.exclude,
        entry.near,
        entry.examples_match,
        entry.examples_no_match,
        entry.subthemes,
    )


def test_the_bundled_taxonomy_imports_back_whole(tmp_path: Path) -> None:
    """Export, import, load: every theme, sub-theme and facet value has the same
    terms, near rules, excludes, framework area and examples as in the bundled file,
    and the imported taxonomy passes the check as the bundled one does."""
    bundled = load_taxonomy()
    path = tmp_path / "nara-vard.qdc"
    path.write_bytes(export_codebook(bundled))
    imported = tmp_path / "importerad.yaml"
    imported.write_text(import_codebook(path), encoding="utf-8")
    loaded = load_taxonomy(imported)
    assert list(loaded.entries) == list(bundled.entries)
    assert len(bundled.subthemes) > 0 and any(e.near for e in bundled.entries.values())
    for entry_id, entry in bundled.entries.items():
        assert entry_fields(loaded.entries[entry_id]) == entry_fields(entry), entry_id
    assert [(a.id, a.label, a.members) for a in loaded.areas] == [
        (a.id, a.label, a.members) for a in bundled.areas
    ]
    assert [(f.id, f.label, f.members) for f in loaded.facets] == [
        (f.id, f.label, f.members) for f in bundled.facets
    ]
    # the sub-themes sit inside their theme's code, with GUIDs from their path
    root = ET.fromstring(path.read_bytes())
    sub = bundled.subthemes[0]
    theme = bundled.entries[sub.group]
    theme_code = next(
        code
        for code in root.iter(f"{CODEBOOK}Code")
        if code.get("guid") == theme_guid(f"area/{theme.group}/{theme.id}")
    )
    nested = [code.get("guid") for code in theme_code.findall(f"{CODEBOOK}Code")]
    assert theme_guid(f"area/{theme.group}/{theme.id}/{sub.id}") in nested


TRICKY_TERMS = r'''<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="nvreport 2026.1">
  <Codes>
    <Code guid="6f9619ff-8b86-d011-b42d-00c04fc964a1" name="Hälsofrämjande" isCodable="false">
      <Description>nvreport-area: halsoframjande</Description>
      <Code guid="6f9619ff-8b86-d011-b42d-00c04fc964a2" name="FaR" isCodable="true">
        <Description>Fysisk aktivitet på recept.
Termer: FaR, fysisk aktivitet på recept, recept (nära fysisk aktivitet / motion)
Undantag: recept på läkemedel
nvreport-id: far</Description>
      </Code>
      <Code guid="6f9619ff-8b86-d011-b42d-00c04fc964a3" name="Resor" isCodable="true">
        <Description>Termer: "re:(slipper|slapp)\s+(\w+\s+){0,2}resa", "säger ""nej""", *resor
Nära: "*resor, färre" (inom 5 ord från färre*, "minskat, kraftigt")
Nära: något som inte går att läsa
Ramverksområde: D
Exempel: Patienterna slipper resa till sjukhuset.
Motexempel: Resorna till sjukhuset är långa.
nvreport-id: farre_resor</Description>
      </Code>
    </Code>
  </Codes>
</CodeBook>
'''


def test_terms_with_commas_quotes_and_old_near_rules_import_as_written(tmp_path: Path) -> None:
    """Lists in a description are read like CSV (an item in quotes may hold a comma);
    a near rule as nvreport wrote it before 2026.2 (inside the terms, "term (nära a /
    b)") is still a near rule; a line that cannot be read is kept in a comment."""
    path = tmp_path / "kodbok.qdc"
    path.write_text(TRICKY_TERMS, encoding="utf-8")
    text = import_codebook(path)
    data = yaml.safe_load(text)
    far, resor = data["areas"][0]["themes"]
    assert far["terms"] == ["FaR", "fysisk aktivitet på recept"]
    assert far["near"] == [{"term": "recept", "near": ["fysisk aktivitet", "motion"], "window": 10}]
    assert far["exclude"] == ["recept på läkemedel"]
    assert far["description"] == "Fysisk aktivitet på recept."
    assert resor["terms"] == [
        "re:(slipper|slapp)\\s+(\\w+\\s+){0,2}resa",
        'säger "nej"',
        "*resor",
    ]
    assert resor["near"] == [
        {"term": "*resor, färre", "near": ["färre*", "minskat, kraftigt"], "window": 5}
    ]
    assert resor["framework_area"] == "B"  # D is no framework area
    assert resor["examples"] == {
        "match": ["Patienterna slipper resa till sjukhuset."],
        "no_match": ["Resorna till sjukhuset är långa."],
    }
    assert "# Not understood in the codebook: Nära: något som inte går att läsa" in text
    assert "# Not understood in the codebook: Ramverksområde: D" in text


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2022">
  <Codes>
    <Code guid="{6F9619FF-8B86-D011-B42D-00C04FC964FF}" name="Äldres hälsa" isCodable="true">
      <Description>Allt om äldre.</Description>
      <Code guid="6f9619ff-8b86-d011-b42d-00c04fc964f1" name="Sköra äldre" isCodable="true">
        <Code guid="6f9619ff-8b86-d011-b42d-00c04fc964f2" name="Multisjuka" isCodable="true">
          <Code guid="6f9619ff-8b86-d011-b42d-00c04fc964f3" name="Polyfarmaci"
                isCodable="true"/>
        </Code>
      </Code>
      <Code guid="6f9619ff-8b86-d011-b42d-00c04fc964f4" name="Mål: 50 %" isCodable="true">
        <Description>"Citat" # inte en kommentar
med radbrytning.</Description>
      </Code>
      <Code guid="6f9619ff-8b86-d011-b42d-00c04fc964f5" name="yes" isCodable="true"/>
    </Code>
    <Code guid="6f9619ff-8b86-d011-b42d-00c04fc964f6" name="Äldres  hälsa!" isCodable="false">
      <Code guid="6f9619ff-8b86-d011-b42d-00c04fc964f7" name="Sköra äldre" isCodable="true"/>
    </Code>
    <Code guid="6f9619ff-8b86-d011-b42d-00c04fc964f8" name="Övrigt" isCodable="true"
          color="#ABC"/>
  </Codes>
</CodeBook>
"""


def test_import_of_a_foreign_codebook_slugifies_names(
    tmp_path: Path, codebook_schema: xmlschema.XMLSchema
) -> None:
    path = tmp_path / "Äldreomsorg.qdc"
    path.write_text(FOREIGN, encoding="utf-8")
    codebook_schema.validate(str(path))  # the test's input is a valid codebook
    text = import_codebook(path)
    data = yaml.safe_load(text)

    assert "facets" not in data
    areas = data["areas"]
    assert [area["id"] for area in areas] == ["aldres_halsa", "aldres_halsa_2", "ovrigt"]
    assert [area["label"] for area in areas] == ["Äldres hälsa", "Äldres  hälsa!", "Övrigt"]
    assert areas[0]["description"] == "Allt om äldre."
    themes = areas[0]["themes"]
    assert [theme["id"] for theme in themes] == ["skora_aldre", "mal_50", "yes"]
    assert [theme["label"] for theme in themes] == ["Sköra äldre", "Mål: 50 %", "yes"]
    assert themes[0]["description"] == "Beskrivning saknas."
    assert themes[1]["description"] == '"Citat" # inte en kommentar med radbrytning.'
    for theme in themes:
        assert theme["framework_area"] == "B"
        assert theme["terms"] == []
        assert theme["examples"] == {"match": [], "no_match": []}
    assert areas[1]["themes"][0]["id"] == "skora_aldre_2"
    assert "# Subcodes flattened into this theme: Multisjuka; Multisjuka > Polyfarmaci" in text
    # a top-level code without subcodes is an area with itself as its only theme
    assert [(theme["id"], theme["label"]) for theme in areas[2]["themes"]] == [("ovrigt", "Övrigt")]


def test_a_completed_skeleton_passes_the_taxonomy_check(tmp_path: Path) -> None:
    path = tmp_path / "foreign.qdc"
    path.write_text(FOREIGN, encoding="utf-8")
    data = yaml.safe_load(import_codebook(path))
    for area in data["areas"]:
        for theme in area["themes"]:
            theme["terms"] = [theme["id"].replace("_", " ")]
            theme["examples"] = {"match": ["a"] * 5, "no_match": ["b"] * 5}
    completed = tmp_path / "completed.yaml"
    completed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = load_taxonomy(completed)
    assert "aldres_halsa" in [area.id for area in loaded.areas]


def test_import_of_a_file_that_is_not_a_codebook(tmp_path: Path) -> None:
    broken = tmp_path / "broken.qdc"
    broken.write_text("<CodeBook><Codes>", encoding="utf-8")
    with pytest.raises(QdaError, match="not valid XML"):
        import_codebook(broken)
    other = tmp_path / "other.qdc"
    other.write_text('<?xml version="1.0"?><Project name="x"/>', encoding="utf-8")
    with pytest.raises(QdaError, match="not a REFI-QDA codebook"):
        import_codebook(other)
