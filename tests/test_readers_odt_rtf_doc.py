"""The OpenDocument, RTF and Word 97–2003 readers: files written here by hand (the
ODF XML, the RTF source) and, where LibreOffice is installed, files LibreOffice
made from a Word document, checked against what the DOCX reader reads from that
document."""

# ruff: noqa: E501 - the ODF XML and RTF sources are kept as a word processor writes them

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from nvreport.errors import EncryptedDocumentError, UnreadableDocumentError
from nvreport.ingest.normalize import count_words
from nvreport.ingest.readers import READERS
from nvreport.ingest.readers.doc import NO_LIBREOFFICE, read_doc
from nvreport.ingest.readers.docx import read_docx
from nvreport.ingest.readers.odt import read_odt
from nvreport.ingest.readers.rtf import read_rtf
from nvreport.models import BlockKind

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")


def shape(result) -> list[tuple[str, int | None, str]]:
    return [(block.kind.value, block.level, block.text) for block in result.blocks]


def test_the_new_formats_are_registered_by_suffix() -> None:
    assert {".odt", ".rtf", ".doc"} <= set(READERS)


# --------------------------------------------------------------------------------------
# OpenDocument text, written by hand
# --------------------------------------------------------------------------------------

_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)

ODT_BODY = """
<text:sequence-decls><text:sequence-decl text:name="Illustration"/></text:sequence-decls>
<text:p text:style-name="Title">Region Exempel</text:p>
<text:table-of-content text:name="Innehåll">
  <text:index-body>
    <text:p text:style-name="Contents_20_1">1 Inledning<text:tab/>2</text:p>
    <text:p text:style-name="Contents_20_1">2 Insatser<text:tab/>3</text:p>
  </text:index-body>
</text:table-of-content>
<text:h text:style-name="Heading_20_1" text:outline-level="1"><text:number>1</text:number>Inledning</text:h>
<text:p text:style-name="Standard">Regionen har under året infört <text:span>hälsosamtal</text:span>
för alla som fyller 50 år.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>
<text:note-body><text:p>Enligt beslut i regionfullmäktige.</text:p></text:note-body></text:note>
Arbetet<text:s text:c="3"/>fortsätter<office:annotation><dc:creator>Granskare</dc:creator>
<text:p>Kontrollera siffran.</text:p></office:annotation> nästa år.</text:p>
<text:h text:outline-level="2"><text:number>1.1</text:number>Fast vårdkontakt</text:h>
<text:p text:style-name="Mellanrubrik">Mobila team</text:p>
<text:p>Samtliga vårdcentraler erbjuder:<draw:frame draw:name="Faktaruta"><draw:text-box>
<text:p>Faktaruta: 12 mobila team finns i länet.</text:p></draw:text-box></draw:frame></text:p>
<text:list>
  <text:list-item><text:p>fast läkarkontakt</text:p>
    <text:list><text:list-item><text:p>för personer med kroniska sjukdomar</text:p></text:list-item></text:list>
  </text:list-item>
  <text:list-header><text:p>digitala vårdbesök</text:p></text:list-header>
</text:list>
<text:p>• patientkontrakt vid behov</text:p>
<text:p>Detta stod i rapporten<text:tracked-changes/></text:p>
<table:table table:name="Tabell1">
  <table:table-column table:number-columns-repeated="3"/>
  <table:table-header-rows>
    <table:table-row>
      <table:table-cell table:number-columns-spanned="2"><text:p>Insats</text:p></table:table-cell>
      <table:covered-table-cell/>
      <table:table-cell><text:p>Status</text:p></table:table-cell>
    </table:table-row>
  </table:table-header-rows>
  <table:table-row>
    <table:table-cell><text:p>Hälsosamtal</text:p><text:p>(50-åringar)</text:p></table:table-cell>
    <table:table-cell><text:p/></table:table-cell>
    <table:table-cell><text:p>Genomförd</text:p></table:table-cell>
  </table:table-row>
  <table:table-row><table:table-cell><text:p/></table:table-cell></table:table-row>
</table:table>
<text:section text:name="Bilaga"><text:p>Bilagan beskriver uppföljningen.</text:p></text:section>
<text:p><text:hidden-text text:string-value="dold" text:is-hidden="true">dold text</text:hidden-text>Synlig text.</text:p>
"""

ODT_STYLES = """<style:style style:name="Heading_20_1" style:display-name="Heading 1"
  style:family="paragraph" style:default-outline-level="1"/>
<style:style style:name="Title" style:family="paragraph"/>
<style:style style:name="Mellanrubrik" style:family="paragraph" style:parent-style-name="Rubrik_20_3"/>
<style:style style:name="Rubrik_20_3" style:display-name="Rubrik 3" style:family="paragraph"/>
<style:style style:name="Contents_20_1" style:display-name="Contents 1" style:family="paragraph"/>"""


def write_odt(
    path: Path,
    body: str = ODT_BODY,
    *,
    manifest_extra: str = "",
    mimetype: str = "application/vnd.oasis.opendocument.text",
    prolog: str = "",
) -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {_NAMESPACES}>'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_NAMESPACES}>'
        f"<office:styles>{ODT_STYLES}</office:styles></office:document-styles>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        f'<manifest:file-entry manifest:full-path="content.xml">{manifest_extra}'
        "</manifest:file-entry></manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", styles, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def test_odt_headings_paragraphs_lists_tables_notes_and_frames(tmp_path: Path) -> None:
    result = read_odt(write_odt(tmp_path / "rapport.odt"))
    assert shape(result) == [
        ("heading", 1, "Region Exempel"),
        ("heading", 1, "1 Inledning"),
        (
            "paragraph",
            None,
            "Regionen har under året infört hälsosamtal för alla som fyller 50 år. "
            "Arbetet fortsätter nästa år.",
        ),
        ("paragraph", None, "Enligt beslut i regionfullmäktige."),  # the footnote
        ("heading", 2, "1.1 Fast vårdkontakt"),
        ("heading", 3, "Mobila team"),  # its style is based on "Rubrik 3"
        ("paragraph", None, "Samtliga vårdcentraler erbjuder:"),
        ("paragraph", None, "Faktaruta: 12 mobila team finns i länet."),  # the frame
        ("list_item", 1, "fast läkarkontakt"),
        ("list_item", 2, "för personer med kroniska sjukdomar"),
        ("list_item", 1, "digitala vårdbesök"),
        ("list_item", 1, "patientkontrakt vid behov"),
        ("paragraph", None, "Detta stod i rapporten"),
        ("table_row", None, "Insats | Status"),
        ("table_row", None, "Hälsosamtal (50-åringar) | Genomförd"),
        ("paragraph", None, "Bilagan beskriver uppföljningen."),
        ("paragraph", None, "Synlig text."),
    ]
    # every word read is accounted for; the contents' words are left out as such
    read = sum(count_words(text) for _, _, text in shape(result))
    contents = count_words("1 Inledning 2") + count_words("2 Insatser 3")
    assert result.account.layer_words == read + contents
    assert result.account.left_out == (("contents", contents),)


def test_odt_refusals_name_what_is_wrong(tmp_path: Path) -> None:
    encrypted = write_odt(
        tmp_path / "låst.odt",
        manifest_extra='<manifest:encryption-data manifest:checksum-type="SHA1"/>',
    )
    with pytest.raises(EncryptedDocumentError, match="password-protected"):
        read_odt(encrypted)
    sheet = write_odt(
        tmp_path / "kalkyl.odt", mimetype="application/vnd.oasis.opendocument.spreadsheet"
    )
    with pytest.raises(UnreadableDocumentError, match="spreadsheet"):
        read_odt(sheet)
    plain = tmp_path / "text.odt"
    plain.write_text("inte ett paket", encoding="utf-8")
    with pytest.raises(UnreadableDocumentError, match="not a zip archive"):
        read_odt(plain)
    bomb = tmp_path / "bomb.odt"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"<a>" + b" " * (120 * 1024 * 1024) + b"</a>")
    with pytest.raises(UnreadableDocumentError, match="zip bomb") as refused:
        read_odt(bomb)
    assert refused.value.transient  # a limit's refusal is not cached


def test_odt_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "hemlig.txt"
    secret.write_text("HEMLIGT", encoding="utf-8")
    prolog = f'<!DOCTYPE office:document-content [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
    path = write_odt(tmp_path / "xxe.odt", "<text:p>Före &x; efter</text:p>", prolog=prolog)
    try:
        texts = [block.text for block in read_odt(path).blocks]
    except UnreadableDocumentError:
        return  # refusing the file is as good
    assert "HEMLIGT" not in " ".join(texts)


# --------------------------------------------------------------------------------------
# RTF, written by hand
# --------------------------------------------------------------------------------------

RTF = r"""{\rtf1\ansi\ansicpg1252\deff0\uc1
{\fonttbl{\f0\fswiss\fcharset0 Arial;}{\f1\froman\fcharset238 Times CE;}{\f2\fnil\fcharset2 Symbol;}}
{\colortbl;\red0\green0\blue0;}
{\stylesheet{\s0 Normal;}{\s1\sbasedon0\outlinelevel0 heading 1;}{\s2\sbasedon0 Rubrik 2;}
{\s3\sbasedon0 List Bullet 2;}{\s9\sbasedon0 toc 1;}{\*\cs10 Default Paragraph Font;}}
{\info{\title Rapport}{\author Region Exempel}}
{\header \pard\plain Sidhuvud som inte ska med\par}
{\field{\*\fldinst TOC \\o "1-3"}{\fldrslt \pard\s9 1 Inledning\tab 2\par \pard\s9 2 Insatser\tab 3\par}}
\pard\s1 Inledning\par
\pard\s0 Regionen har inf\'f6rt h\'e4lsosamtal f\'f6r alla som fyller 50 \'e5r.{\super\chftn}{\footnote\pard\plain Enligt beslut i fullm\'e4ktige.}
 Arbetet forts\u228?tter{\v dold text} n\'e4sta \'e5r.\par
\pard\plain\outlinelevel1 Fast v\'e5rdkontakt\par
\pard\s2 Digitala v\u229?rdbes\u246?k\par
\pard Samtliga v\'e5rdcentraler erbjuder:\par
\pard\ls1\ilvl0{\listtext\f2 \'b7\tab}fast l\'e4karkontakt\par
\pard\ls1\ilvl1{\listtext\f2 \'b7\tab}f\'f6r personer med kroniska sjukdomar\par
\pard\s3\ls2\ilvl0 mobila team\par
\pard {\pntext\f2 \'b7\tab}{\*\pn\pnlvlblt\pnf2{\pntxtb \'b7}}digitala v\'e5rdm\'f6ten\par
\pard\intbl Insats\cell Status\cell\row
\pard\intbl H\'e4lsosamtal\par (50-\'e5ringar)\cell Genomf\'f6rd\cell\row
\pard Se {\field{\*\fldinst HYPERLINK "https://example.se"}{\fldrslt webbplatsen}} och {\deleted borttagen }text i tabellen.\par
\pard {\pict\wmetafile8\picw10\pich10 0102030405}Bild\bin3 {}}\par
\pard{\f1 \'9al\'e1sk\'fd text}\par
}"""


def test_rtf_styles_lists_tables_notes_and_code_pages(tmp_path: Path) -> None:
    path = tmp_path / "rapport.rtf"
    path.write_bytes(RTF.encode("ascii"))
    result = read_rtf(path)
    assert shape(result) == [
        ("heading", 1, "Inledning"),
        (
            "paragraph",
            None,
            "Regionen har infört hälsosamtal för alla som fyller 50 år. "
            "Arbetet fortsätter nästa år.",
        ),
        ("paragraph", None, "Enligt beslut i fullmäktige."),  # the footnote, after
        ("heading", 2, "Fast vårdkontakt"),  # \outlinelevel1
        ("heading", 2, "Digitala vårdbesök"),  # style "Rubrik 2"; \uN with fallbacks
        ("paragraph", None, "Samtliga vårdcentraler erbjuder:"),
        ("list_item", 1, "fast läkarkontakt"),
        ("list_item", 2, "för personer med kroniska sjukdomar"),
        ("list_item", 2, "mobila team"),  # style "List Bullet 2"
        ("list_item", 1, "digitala vårdmöten"),  # Word's older list text
        ("table_row", None, "Insats | Status"),
        ("table_row", None, "Hälsosamtal (50-åringar) | Genomförd"),
        ("paragraph", None, "Se webbplatsen och text i tabellen."),
        ("paragraph", None, "Bild"),
        ("paragraph", None, "šláský text"),  # \fcharset238: Central European code page
    ]
    read = sum(count_words(text) for _, _, text in shape(result))
    contents = count_words("1 Inledning 2") + count_words("2 Insatser 3")
    assert result.account.layer_words == read + contents
    assert result.account.left_out == (("contents", contents),)


def test_rtf_refusals(tmp_path: Path) -> None:
    path = tmp_path / "fel.rtf"
    path.write_text("Det här är ingen RTF-fil.", encoding="utf-8")
    with pytest.raises(UnreadableDocumentError, match="not an RTF file"):
        read_rtf(path)
    deep = tmp_path / "djup.rtf"
    deep.write_bytes(b"{\\rtf1 " + b"{" * 5000 + b"text" + b"}" * 5000 + b"}")
    with pytest.raises(UnreadableDocumentError, match="nested too deeply"):
        read_rtf(deep)


def test_rtf_without_structure_is_read_as_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "wordpad.rtf"
    # bytes above 127 written as they are, in the document's code page
    path.write_bytes(r"{\rtf1\ansi Första stycket.\par Andra\line stycket.\par}".encode("cp1252"))
    assert shape(read_rtf(path)) == [
        ("paragraph", None, "Första stycket."),
        ("paragraph", None, "Andra stycket."),
    ]


# --------------------------------------------------------------------------------------
# What LibreOffice makes of a Word document, against the DOCX reader
# --------------------------------------------------------------------------------------


def word_report(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Inledning", level=1)
    document.add_paragraph(
        "Regionen har under året infört hälsosamtal för alla som fyller 50 år, "
        "och arbetet med fast vårdkontakt har utvecklats i samverkan med kommunerna."
    )
    document.add_heading("Insatser", level=1)
    document.add_heading("Mobila team", level=2)
    document.add_paragraph("Mobila närsjukvårdsteam finns i samtliga kommuner i länet.")
    document.add_paragraph("Arbetet omfattar:")
    document.add_paragraph("hembesök av läkare och sjuksköterska", style="List Bullet")
    document.add_paragraph("digitala vårdmöten", style="List Bullet")
    document.add_paragraph("uppföljning efter utskrivning", style="List Bullet 2")
    table = document.add_table(rows=2, cols=2, style="Table Grid")
    for row, (left, right) in enumerate([("Insats", "Status"), ("Hälsosamtal", "Genomförd")]):
        table.cell(row, 0).text = left
        table.cell(row, 1).text = right
    document.add_heading("Uppföljning", level=1)
    document.add_paragraph("Uppföljningen sker varje kvartal i regionens ledningsgrupp.")
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Word document, and LibreOffice's .odt, .rtf and .doc of it."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("libreoffice")
    source = word_report(folder / "rapport.docx")
    profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
    for target in ("odt", "rtf", "doc"):
        subprocess.run(
            [SOFFICE, profile, "--headless", "--convert-to", target, "--outdir", str(folder),
             str(source)],
            capture_output=True,
            timeout=300,
            check=True,
        )  # fmt: skip
    found = {suffix: folder / f"rapport.{suffix}" for suffix in ("docx", "odt", "rtf", "doc")}
    assert all(path.exists() for path in found.values()), found
    return found


@needs_libreoffice
@pytest.mark.parametrize("suffix", ["odt", "rtf", "doc"])
def test_libreoffice_files_read_as_the_word_document(
    converted: dict[str, Path], suffix: str
) -> None:
    expected = shape(read_docx(converted["docx"]))
    reader = {"odt": read_odt, "rtf": read_rtf, "doc": read_doc}[suffix]
    result = reader(converted[suffix])
    assert shape(result) == expected
    kinds = {kind for kind, _, _ in expected}
    assert {"heading", "paragraph", "list_item", "table_row"} <= kinds
    assert result.account.layer_words == sum(count_words(text) for _, _, text in expected)


def test_doc_without_libreoffice_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nvreport.ingest.readers import doc

    monkeypatch.setattr(doc, "libreoffice", lambda: None)
    path = tmp_path / "gammal.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(UnreadableDocumentError) as refused:
        read_doc(path)
    assert refused.value.reason == NO_LIBREOFFICE
    assert "LibreOffice" in NO_LIBREOFFICE and "apt install" in NO_LIBREOFFICE


@needs_libreoffice
def test_a_damaged_doc_is_an_error_naming_libreoffice(tmp_path: Path) -> None:
    path = tmp_path / "trasig.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 2000)
    try:
        result = read_doc(path)
    except UnreadableDocumentError as error:
        assert "LibreOffice" in error.reason
        assert str(tmp_path) not in error.reason  # no temporary path in a cached message
    else:  # LibreOffice may read garbage as an empty document: then nothing is made up
        assert all(block.kind is not BlockKind.HEADING for block in result.blocks)


@needs_libreoffice
def test_analyse_reads_the_three_formats_in_its_workers(
    converted: dict[str, Path], tmp_path: Path
) -> None:
    """Through the command, in worker processes with their memory limit (LibreOffice
    runs under it), every format gives the Word document's passages."""
    from typer.testing import CliRunner

    from nvreport.cli.app import app

    reports = tmp_path / "2022"
    reports.mkdir()
    for suffix in ("docx", "odt", "rtf", "doc"):
        shutil.copyfile(converted[suffix], reports / f"Region Halland {suffix} 2022.{suffix}")
    result = CliRunner().invoke(
        app, ["analyse", str(reports), "-o", str(tmp_path / "ut"), "-q", "--strict", "-j", "2"]
    )
    assert result.exit_code == 0, result.output
    import pandas as pd

    passages = pd.read_parquet(tmp_path / "ut" / "passages.parquet")
    texts = {
        suffix: passages[passages["file"].str.endswith(suffix)]["text"].tolist()
        for suffix in ("docx", "odt", "rtf", "doc")
    }
    assert texts["docx"] and all(found == texts["docx"] for found in texts.values())


def test_rtf_unicode_surrogate_pairs_become_one_character(tmp_path: Path) -> None:
    """Word writes an emoji as two \\uN (a UTF-16 surrogate pair); a lone half, or a
    number out of range, becomes U+FFFD rather than text no UTF-8 file could hold."""
    path = tmp_path / "emoji.rtf"
    path.write_bytes(
        rb"{\rtf1\ansi\uc1 Bra \u-10179?\u-8704? arbete \u55357? slut \u99999999?\par}"
    )
    assert shape(read_rtf(path)) == [("paragraph", None, "Bra 😀 arbete \ufffd slut \ufffd")]
