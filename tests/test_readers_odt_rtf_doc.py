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
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
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
    styles: str = ODT_STYLES,
) -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {_NAMESPACES}>'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_NAMESPACES}>'
        f"<office:styles>{styles}</office:styles></office:document-styles>"
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


SAMPLES = sorted((Path(__file__).parents[1] / "samples").glob("*/*.docx"))


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Word documents (the one above, and the sample reports in DOCX, whose title
    pages set headings in large or bold type), each with LibreOffice's .odt, .rtf
    and .doc of it, by name: {"rapport": {"docx": …, "odt": …}, …}."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("libreoffice")
    sources = [word_report(folder / "rapport.docx")]
    for number, sample in enumerate(SAMPLES, start=1):
        sources.append(folder / f"prov{number}.docx")
        shutil.copyfile(sample, sources[-1])
    profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
    for target in ("odt", "rtf", "doc"):
        subprocess.run(
            [SOFFICE, profile, "--headless", "--convert-to", target, "--outdir", str(folder),
             *map(str, sources)],
            capture_output=True,
            timeout=600,
            check=True,
        )  # fmt: skip
    found = {
        source.stem: {suffix: source.with_suffix(f".{suffix}") for suffix in FORMATS}
        for source in sources
    }
    assert all(path.exists() for files in found.values() for path in files.values()), found
    return found


FORMATS = ("docx", "odt", "rtf", "doc")


@needs_libreoffice
@pytest.mark.parametrize("suffix", ["odt", "rtf", "doc"])
def test_libreoffice_files_read_as_the_word_document(
    converted: dict[str, dict[str, Path]], suffix: str
) -> None:
    reader = {"odt": read_odt, "rtf": read_rtf, "doc": read_doc}[suffix]
    for name, files in converted.items():
        expected = shape(read_docx(files["docx"]))
        result = reader(files[suffix])
        assert shape(result) == expected, name
        kinds = {kind for kind, _, _ in expected}
        assert {"heading", "paragraph", "list_item"} <= kinds, name
        read = sum(count_words(text) for _, _, text in expected)
        assert result.account.layer_words - result.account.left_out_words("contents") == read
    assert len(converted) == len(SAMPLES) + 1 >= 5
    # the title pages' headings in large or bold type are found in every format
    title = shape(read_odt(converted["prov1"]["odt"]))[:3]
    assert all(kind == "heading" for kind, _, _ in title), title


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

    from nvreport.cli.commands import app

    reports = tmp_path / "2022"
    reports.mkdir()
    for suffix in FORMATS:
        shutil.copyfile(
            converted["rapport"][suffix], reports / f"Region Halland {suffix} 2022.{suffix}"
        )
    result = CliRunner().invoke(
        app, ["analyse", str(reports), "-o", str(tmp_path / "ut"), "-q", "--strict", "-j", "2"]
    )
    assert result.exit_code == 0, result.output
    import pandas as pd

    passages = pd.read_parquet(tmp_path / "ut" / "passages.parquet")
    texts = {
        suffix: passages[passages["file"].str.endswith(suffix)]["text"].tolist()
        for suffix in FORMATS
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


FORMATTED_RTF = r"""{\rtf1\ansi\ansicpg1252
{\stylesheet{\s0 Normal;}{\s2 heading 2;}}
\pard\plain\fs44\b Region Exempel\par
\pard\plain\fs24 Redovisning till Socialstyrelsen\par
\pard\plain\s2\fs28\b Insatser\par
\pard\plain\fs24\b Mobila team\par
\pard\plain\fs24 Teamen finns i alla kommuner.\par
\pard\plain\fs24\b 2.3 Fast v\'e5rdkontakt\par
\pard\plain\fs24 Alla patienter erbjuds en fast kontakt.\par
\pard\plain\fs24\b Tabell A\par
\pard\plain\fs24\b Tabell B\par
\pard\plain\fs24 Siffrorna avser hela \b\'e5ret\b0 .\par
\pard\plain\fs24\b En mening i fetstil som slutar med punkt.\par
\pard\plain\fs24 Sista stycket.\par
}"""


def test_rtf_headings_by_formatting_as_the_docx_reader_finds_them(tmp_path: Path) -> None:
    """Large type is a heading by its size; a short bold paragraph standing alone
    before body text is a heading below the deepest styled level; numbered, at its
    number's depth; two bold lines in a row, a sentence, or bold within a line are not."""
    path = tmp_path / "formaterad.rtf"
    path.write_bytes(FORMATTED_RTF.encode("ascii"))
    assert shape(read_rtf(path)) == [
        ("heading", 1, "Region Exempel"),  # 22 pt
        ("paragraph", None, "Redovisning till Socialstyrelsen"),
        ("heading", 2, "Insatser"),  # its style
        ("heading", 3, "Mobila team"),  # bold, alone: below the styled level 2
        ("paragraph", None, "Teamen finns i alla kommuner."),
        ("heading", 2, "2.3 Fast vårdkontakt"),  # numbered: at its number's depth
        ("paragraph", None, "Alla patienter erbjuds en fast kontakt."),
        ("paragraph", None, "Tabell A"),
        ("paragraph", None, "Tabell B"),
        ("paragraph", None, "Siffrorna avser hela året."),
        ("paragraph", None, "En mening i fetstil som slutar med punkt."),
        ("paragraph", None, "Sista stycket."),
    ]


def test_odt_headings_by_formatting(tmp_path: Path) -> None:
    body = """
<text:p text:style-name="Stor">Region Exempel</text:p>
<text:p><text:span text:style-name="Fet">Mobila team</text:span></text:p>
<text:p>Teamen finns i alla kommuner.</text:p>
<text:p text:style-name="Fetstycke">Tabell A</text:p>
<text:p text:style-name="Fetstycke">Tabell B</text:p>
<text:p>Siffrorna avser <text:span text:style-name="Fet">hela året</text:span>.</text:p>
"""
    styles = """<style:style style:name="Stor" style:family="paragraph">
<style:text-properties fo:font-size="20pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Fetstycke" style:family="paragraph">
<style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Fet" style:family="text"><style:text-properties fo:font-weight="700"/>
</style:style>"""
    path = write_odt(tmp_path / "formaterad.odt", body, styles=styles)
    assert shape(read_odt(path)) == [
        ("heading", 1, "Region Exempel"),
        ("heading", 1, "Mobila team"),  # no styled heading in use: level 1
        ("paragraph", None, "Teamen finns i alla kommuner."),
        ("paragraph", None, "Tabell A"),
        ("paragraph", None, "Tabell B"),
        ("paragraph", None, "Siffrorna avser hela året."),
    ]
