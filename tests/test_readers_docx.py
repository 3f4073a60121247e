"""Reading Word (.docx) reports."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from nvreport.errors import EncryptedDocumentError, UnreadableDocumentError
from nvreport.ingest.readers import docx as docx_reader
from nvreport.ingest.readers.docx import read_docx
from nvreport.models import Block, BlockKind

H = BlockKind.HEADING
P = BlockKind.PARAGRAPH
LI = BlockKind.LIST_ITEM
ROW = BlockKind.TABLE_ROW


def kinds_texts_levels(path: Path) -> list[tuple[BlockKind, str, int | None]]:
    return [(block.kind, block.text, block.level) for block in read_docx(path).blocks]


def set_numbering(paragraph, num_id: int, ilvl: int) -> None:
    """Give ``paragraph`` Word numbering, as Word does for a bulleted paragraph."""
    num_pr = OxmlElement("w:numPr")
    level = OxmlElement("w:ilvl")
    level.set(qn("w:val"), str(ilvl))
    number = OxmlElement("w:numId")
    number.set(qn("w:val"), str(num_id))
    num_pr.append(level)
    num_pr.append(number)
    paragraph._p.get_or_add_pPr().append(num_pr)


def set_outline_level(paragraph, value: int) -> None:
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(value))
    paragraph._p.get_or_add_pPr().append(outline)


def wrap_in_content_control(element) -> None:
    """Move ``element`` into a ``w:sdt`` content control at the same place."""
    sdt = OxmlElement("w:sdt")
    sdt.append(OxmlElement("w:sdtPr"))
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    element.addprevious(sdt)
    content.append(element)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """A small report with the parts of a real one, in a known order."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Region Exempel – Delårsrapport"
    section.footer.paragraphs[0].text = "Sidfot: diarienummer RS 2024/123"
    document.styles.add_style("Rubrik 1", WD_STYLE_TYPE.PARAGRAPH)

    document.add_heading("Omställningen till en god och nära vård", level=0)
    document.add_heading("Inledning", level=1)
    document.add_paragraph(
        "Regionen har infört fast vårdkontakt för patienter med kroniska sjukdomar."
    )
    document.add_paragraph("", style="Normal")  # empty paragraphs are skipped
    document.add_paragraph("Primärvårdens uppdrag", style="Rubrik 1")
    document.add_heading("Hälsofrämjande insatser", level=2)
    document.add_paragraph(
        "Hälsosamtal erbjuds alla invånare som fyller 40 år.", style="List Bullet"
    )
    document.add_paragraph("Uppföljning sker kvartalsvis.", style="List Bullet 2")
    document.add_paragraph("• Levnadsvaneinsatser ges i primärvården.", style="List Paragraph")
    document.add_paragraph("1. Kartläggning av vårdbehov i länet", style="List Number")

    table = document.add_table(rows=4, cols=3)
    for column, text in enumerate(["Kommun", "Mobilt team", "Start"]):
        table.cell(0, column).text = text
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "Samtliga kommuner i länet"
    table.cell(1, 2).text = "2023"
    table.cell(2, 0).text = "Norrby"
    table.cell(2, 1).paragraphs[0].text = "Ja,"
    table.cell(2, 1).add_paragraph("dygnet runt")
    nested = table.cell(2, 2).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "Vår"
    nested.cell(0, 1).text = "2024"
    # row 3 stays empty and is skipped

    document.add_paragraph("Tabellen visar införandet av mobila team.")
    path = tmp_path / "rapport.docx"
    document.save(str(path))
    return path


def test_reads_headings_lists_paragraphs_and_tables_in_order(report: Path) -> None:
    assert kinds_texts_levels(report) == [
        (H, "Omställningen till en god och nära vård", 1),  # Title
        (H, "Inledning", 1),
        (P, "Regionen har infört fast vårdkontakt för patienter med kroniska sjukdomar.", None),
        (H, "Primärvårdens uppdrag", 1),  # the Swedish "Rubrik 1" style
        (H, "Hälsofrämjande insatser", 2),
        (LI, "Hälsosamtal erbjuds alla invånare som fyller 40 år.", 1),
        (LI, "Uppföljning sker kvartalsvis.", 2),
        (LI, "Levnadsvaneinsatser ges i primärvården.", 1),  # typed bullet stripped
        (LI, "Kartläggning av vårdbehov i länet", 1),  # typed number stripped
        (ROW, "Kommun | Mobilt team | Start", None),
        (ROW, "Samtliga kommuner i länet | 2023", None),  # merged cell once
        (ROW, "Norrby | Ja, dygnet runt | Vår 2024", None),  # nested table flattened
        (P, "Tabellen visar införandet av mobila team.", None),
    ]


def test_header_and_footer_are_left_out(report: Path) -> None:
    result = read_docx(report)
    texts = " ".join(block.text for block in result.blocks)
    assert "Delårsrapport" not in texts
    assert "diarienummer" not in texts
    assert result.pages is None
    assert result.warnings == ()
    assert all(block.page is None for block in result.blocks)


def test_numbering_outline_levels_content_controls_and_toc(tmp_path: Path) -> None:
    document = docx.Document()
    document.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    document.styles.add_style("Innehåll 2", WD_STYLE_TYPE.PARAGRAPH)
    toc_heading = document.add_paragraph("Innehåll")
    toc_heading.style = document.styles["TOC Heading"]
    toc = document.add_paragraph("1 Inledning\t3", style="TOC 1")
    document.add_paragraph("1.1 Bakgrund\t4", style="Innehåll 2")
    wrap_in_content_control(toc._p)

    outlined = document.add_paragraph("Bakgrund och syfte")
    set_outline_level(outlined, 1)
    body_level = document.add_paragraph("Brödtext med dispositionsnivå brödtext.")
    set_outline_level(body_level, 9)
    first = document.add_paragraph("Vårdcentralerna har utökat sina öppettider.")
    set_numbering(first, num_id=1, ilvl=0)
    second = document.add_paragraph("Kvällsmottagning finns i tre kommuner.")
    set_numbering(second, num_id=1, ilvl=1)
    in_control = document.add_paragraph("Text i en innehållskontroll läses också.")
    wrap_in_content_control(in_control._p)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Kommun"
    table.cell(0, 1).text = "Andel"
    wrap_in_content_control(table._tbl)

    path = tmp_path / "disposition.docx"
    document.save(str(path))
    assert kinds_texts_levels(path) == [
        (H, "Bakgrund och syfte", 2),
        (P, "Brödtext med dispositionsnivå brödtext.", None),
        (LI, "Vårdcentralerna har utökat sina öppettider.", 1),
        (LI, "Kvällsmottagning finns i tre kommuner.", 2),
        (P, "Text i en innehållskontroll läses också.", None),
        (ROW, "Kommun | Andel", None),
    ]


def test_hidden_and_deleted_text_is_left_out_and_tabs_become_spaces(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Regionen")
    hidden = paragraph.add_run(" DOLD TEXT")
    hidden.font.hidden = True
    paragraph.add_run("\terbjuder")
    paragraph.add_run(" digitala vårdbesök.")
    path = tmp_path / "dolt.docx"
    document.save(str(path))
    assert kinds_texts_levels(path) == [(P, "Regionen erbjuder digitala vårdbesök.", None)]


def test_empty_document_gives_no_blocks(tmp_path: Path) -> None:
    path = tmp_path / "tom.docx"
    docx.Document().save(str(path))
    assert read_docx(path).blocks == ()


# -- unreadable files ----------------------------------------------------------


def test_not_a_zip_file(tmp_path: Path) -> None:
    path = tmp_path / "text.docx"
    path.write_text("Detta är ingen Word-fil.", encoding="utf-8")
    with pytest.raises(UnreadableDocumentError) as caught:
        read_docx(path)
    assert caught.value.reason == "not a valid Word document (not a zip archive)"
    assert type(caught.value) is UnreadableDocumentError


def test_zip_without_document_xml(tmp_path: Path) -> None:
    path = tmp_path / "arkiv.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/styles.xml", "<styles/>")
    with pytest.raises(UnreadableDocumentError) as caught:
        read_docx(path)
    assert caught.value.reason == "not a valid Word document (word/document.xml is missing)"


def test_broken_xml(tmp_path: Path, report: Path) -> None:
    path = tmp_path / "trasig.docx"
    with zipfile.ZipFile(report) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "word/document.xml":
                data = data[: len(data) // 2]  # cut off mid-element
            target.writestr(member, data)
    with pytest.raises(UnreadableDocumentError) as caught:
        read_docx(path)
    assert caught.value.reason.startswith("not a valid Word document (broken XML")


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(300):  # 300 MB of zeros, about 1 MB on disk
                member.write(chunk)
    assert path.stat().st_size < 5 * 1024 * 1024
    with pytest.raises(UnreadableDocumentError) as caught:
        read_docx(path)
    assert "looks like a zip bomb" in caught.value.reason
    assert "300 MB" in caught.value.reason


def test_zip_bomb_limit_counts_the_whole_package(
    tmp_path: Path, report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(docx_reader, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(UnreadableDocumentError, match="looks like a zip bomb"):
        read_docx(report)


def with_member(report: Path, target: Path, name: str, data: bytes) -> Path:
    """A copy of ``report`` with one more member, deflated."""
    with zipfile.ZipFile(report) as source, zipfile.ZipFile(target, "w") as copy:
        for member in source.infolist():
            copy.writestr(member, source.read(member.filename))
        copy.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return target


def test_pictures_count_towards_the_package_but_not_the_parsed_parts(
    tmp_path: Path, report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report full of photographs is large, but its pictures barely compress and
    are not parsed: only a package larger than the whole limit is refused."""
    photo = random.Random(7).randbytes(3 * 1024 * 1024)  # incompressible, like a JPEG
    path = with_member(report, tmp_path / "foton.docx", "word/media/image1.jpeg", photo)
    monkeypatch.setattr(docx_reader, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    assert read_docx(path).blocks == read_docx(report).blocks
    monkeypatch.setattr(docx_reader, "MAX_PACKAGE_BYTES", 2 * 1024 * 1024)
    with pytest.raises(UnreadableDocumentError, match="looks like a zip bomb"):
        read_docx(path)


def test_a_picture_that_packs_too_densely_is_refused(tmp_path: Path, report: Path) -> None:
    zeros = bytes(20 * 1024 * 1024)  # 20 MB of zeros pack to about 20 kB: no picture
    path = with_member(report, tmp_path / "tät.docx", "word/media/image1.png", zeros)
    with pytest.raises(UnreadableDocumentError) as caught:
        read_docx(path)
    assert "looks like a zip bomb" in caught.value.reason
    assert "word/media/image1.png unpacks to 1," in caught.value.reason  # a thousand-fold


def test_ole_file_is_reported_as_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "losenord.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(EncryptedDocumentError) as caught:
        read_docx(path)
    assert caught.value.reason == (
        "encrypted or password-protected Word document (or an old .doc file saved as .docx)"
    )
    assert str(caught.value).startswith("losenord.docx: encrypted")


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocumentError, match="cannot open the file"):
        read_docx(tmp_path / "saknas.docx")


def test_block_equality_for_a_single_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("  Kommunen   ansvarar för\u00a0hemsjukvården. ")
    path = tmp_path / "en.docx"
    document.save(str(path))
    assert read_docx(path).blocks == (Block(P, "Kommunen ansvarar för hemsjukvården."),)


_BOX_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def text_box_run(paragraphs: list[tuple[str, str]]) -> str:
    """A run holding a text box as Word writes one: as DrawingML, and again as a VML
    fallback for older readers. ``paragraphs``: (style id or "", text)."""
    content = "".join(
        "<w:p>"
        + (f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else "")
        + f"<w:r><w:t>{text}</w:t></w:r></w:p>"
        for style, text in paragraphs
    )
    box = f"<w:txbxContent>{content}</w:txbxContent>"
    return (
        f"<w:r {_BOX_NAMESPACES}><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


def test_a_text_box_is_read_once_after_the_paragraph_that_holds_it(tmp_path: Path) -> None:
    """Fact boxes and quotes sit in text boxes; their text belongs to the report."""
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_heading("Mobila team", level=1)
    anchor = document.add_paragraph("Regionen har byggt ut de mobila teamen under året.")
    anchor._p.append(
        parse_xml(
            text_box_run(
                [
                    ("Heading2", "Faktaruta"),
                    ("", "Teamen gjorde 1 200 hembesök och erbjöd hälsosamtal i hemmet."),
                ]
            )
        )
    )
    empty = document.add_paragraph()  # a box anchored in a paragraph of its own
    empty._p.append(parse_xml(text_box_run([("", "Citat: Vi slipper åka in till stan.")])))
    document.add_paragraph("Arbetet fortsätter under 2023.")
    path = tmp_path / "textruta.docx"
    document.save(str(path))
    assert [(block.kind, block.text) for block in read_docx(path).blocks] == [
        (BlockKind.HEADING, "Mobila team"),
        (BlockKind.PARAGRAPH, "Regionen har byggt ut de mobila teamen under året."),
        (BlockKind.PARAGRAPH, "Faktaruta"),  # the box's title, not a section
        (BlockKind.PARAGRAPH, "Teamen gjorde 1 200 hembesök och erbjöd hälsosamtal i hemmet."),
        (BlockKind.PARAGRAPH, "Citat: Vi slipper åka in till stan."),
        (BlockKind.PARAGRAPH, "Arbetet fortsätter under 2023."),
    ]


_W_NAMESPACE = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_NOTE_TYPES = {
    "footnote": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "endnote": "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
}


def note_reference(kind: str, number: int) -> str:
    """The run Word writes where a footnote or endnote is referred to."""
    return f'<w:r {_W_NAMESPACE}><w:{kind}Reference w:id="{number}"/></w:r>'


def notes_part(kind: str, notes: dict[int, list[tuple[str, str]]]) -> str:
    """A footnotes or endnotes part as Word writes it: two separators first, then each
    note's paragraphs ((style id or "", text)), the first opening with the mark."""
    separators = "".join(
        f'<w:{kind} w:type="{name}" w:id="{number}"><w:p><w:r><w:{name}/></w:r></w:p></w:{kind}>'
        for number, name in ((-1, "separator"), (0, "continuationSeparator"))
    )
    bodies = "".join(
        f'<w:{kind} w:id="{number}">'
        + "".join(
            "<w:p>"
            + (f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else "")
            + (f"<w:r><w:{kind}Ref/></w:r>" if position == 0 else "")
            + f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
            for position, (style, text) in enumerate(paragraphs)
        )
        + f"</w:{kind}>"
        for number, paragraphs in notes.items()
    )
    declaration = '<?xml version="1.0" encoding="UTF-8"?>'
    return f"{declaration}<w:{kind}s {_W_NAMESPACE}>{separators}{bodies}</w:{kind}s>"


def with_notes(source: Path, target: Path, parts: dict[str, str]) -> Path:
    """A copy of the Word file ``source`` with footnotes or endnotes parts (by kind:
    "footnote" or "endnote"), registered as Word registers them."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for member in original.infolist():
            data = original.read(member.filename)
            if member.filename == "[Content_Types].xml":
                overrides = "".join(
                    f'<Override PartName="/word/{kind}s.xml" ContentType="{_NOTE_TYPES[kind]}"/>'
                    for kind in parts
                )
                data = data.replace(b"</Types>", overrides.encode() + b"</Types>")
            elif member.filename == "word/_rels/document.xml.rels":
                relationships = "".join(
                    f'<Relationship Id="rIdNote{kind}" Target="{kind}s.xml" Type="http://'
                    f'schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}s"/>'
                    for kind in parts
                )
                data = data.replace(
                    b"</Relationships>", relationships.encode() + b"</Relationships>"
                )
            copy.writestr(member, data)
        for kind, xml in parts.items():
            copy.writestr(f"word/{kind}s.xml", xml.encode("utf-8"))
    return target


def test_footnotes_and_endnotes_are_read_after_what_refers_to_them(tmp_path: Path) -> None:
    """A PDF export prints a footnote on the page that refers to it, so the PDF
    counts a theme named only there; the Word file must count it too."""
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_heading("Fasta kontakter", level=1)
    first = document.add_paragraph("Fler patienter har fått en fast kontakt under året.")
    first._p.append(parse_xml(note_reference("footnote", 1)))
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Insats", "Antal"
    table.cell(1, 0).text, table.cell(1, 1).text = "Hembesök", "340"
    table.cell(1, 1).paragraphs[0]._p.append(parse_xml(note_reference("endnote", 1)))
    again = document.add_paragraph("Arbetet följs upp varje kvartal.")
    again._p.append(parse_xml(note_reference("footnote", 1)))  # the same note again
    again._p.append(parse_xml(note_reference("footnote", 9)))  # a note that is missing
    source = tmp_path / "utan-noter.docx"
    document.save(str(source))
    path = with_notes(
        source,
        tmp_path / "fotnoter.docx",
        {
            "footnote": notes_part(
                "footnote",
                {
                    1: [
                        ("Heading2", "Definition"),
                        ("", "Med fast kontakt avses här fast läkarkontakt i primärvården."),
                    ]
                },
            ),
            "endnote": notes_part(
                "endnote", {1: [("", "Hembesöken gjordes av de mobila teamen.")]}
            ),
        },
    )
    result = read_docx(path)
    assert [(block.kind, block.text) for block in result.blocks] == [
        (H, "Fasta kontakter"),
        (P, "Fler patienter har fått en fast kontakt under året."),
        (P, "Definition"),  # a heading in a note names the note, not a section
        (P, "Med fast kontakt avses här fast läkarkontakt i primärvården."),
        (ROW, "Insats | Antal"),
        (ROW, "Hembesök | 340"),
        (P, "Hembesöken gjordes av de mobila teamen."),
        (P, "Arbetet följs upp varje kvartal."),
    ]
    assert result.warnings == ()
    # without the notes parts, the same body and nothing more
    assert [block.text for block in read_docx(source).blocks] == [
        "Fasta kontakter",
        "Fler patienter har fått en fast kontakt under året.",
        "Insats | Antal",
        "Hembesök | 340",
        "Arbetet följs upp varje kvartal.",
    ]


def test_broken_footnotes_leave_the_body_readable_with_a_warning(tmp_path: Path) -> None:
    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph("Regionen har infört hälsosamtal för 40-åringar.")
    paragraph._p.append(parse_xml(note_reference("footnote", 1)))
    source = tmp_path / "kropp.docx"
    document.save(str(source))
    path = with_notes(source, tmp_path / "trasig.docx", {"footnote": "<w:footnotes"})
    result = read_docx(path)
    assert [block.text for block in result.blocks] == [
        "Regionen har infört hälsosamtal för 40-åringar."
    ]
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith(
        "its footnotes or endnotes could not be read (word/footnotes.xml: broken XML"
    )


def test_a_text_box_in_a_table_cell_is_read_after_its_row(tmp_path: Path) -> None:
    """A box in a table cell was lost: cells read only their own paragraphs' text.
    It now comes after its row, also when the row has no text of its own."""
    from docx.oxml import parse_xml

    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Område", "Exempel"
    table.cell(1, 0).text = "Mobila team"
    table.cell(1, 1).paragraphs[0]._p.append(
        parse_xml(text_box_run([("", "Teamen besökte 410 patienter i hemmet.")]))
    )
    table.cell(2, 1).paragraphs[0]._p.append(  # a row with nothing but a box
        parse_xml(text_box_run([("Heading3", "Citat"), ("", "Vi slipper åka in till stan.")]))
    )
    document.add_paragraph("Arbetet fortsätter under 2023.")
    path = tmp_path / "ruta-i-tabell.docx"
    document.save(str(path))
    assert [(block.kind, block.text) for block in read_docx(path).blocks] == [
        (ROW, "Område | Exempel"),
        (ROW, "Mobila team"),
        (P, "Teamen besökte 410 patienter i hemmet."),
        (P, "Citat"),
        (P, "Vi slipper åka in till stan."),
        (P, "Arbetet fortsätter under 2023."),
    ]


def test_notes_that_refer_to_each_other_in_a_long_chain_do_not_stop_the_reading(
    tmp_path: Path,
) -> None:
    """Word makes no note that refers to another; a hostile file can chain thousands.
    A note's own references are not followed: the body and the first note are read."""
    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph("Regionen har infört hälsosamtal.")
    paragraph._p.append(parse_xml(note_reference("footnote", 1)))
    source = tmp_path / "kedja-utan.docx"
    document.save(str(source))
    chain = "".join(
        f'<w:footnote w:id="{number}"><w:p><w:r><w:t>Not {number}</w:t></w:r>'
        f'<w:r><w:footnoteReference w:id="{number + 1}"/></w:r></w:p></w:footnote>'
        for number in range(1, 3001)
    )
    part = f"<w:footnotes {_W_NAMESPACE}>{chain}</w:footnotes>"
    path = with_notes(source, tmp_path / "kedja.docx", {"footnote": part})
    result = read_docx(path)
    assert [block.text for block in result.blocks] == ["Regionen har infört hälsosamtal.", "Not 1"]
    assert result.warnings == ()


# -- numbered headings, headings in bold, the account of the words ------------------


def add_numbering(document, abstract_id: int, levels: list[str], nums: dict[int, str]) -> None:
    """Add to the document's numbering.xml an abstract numbering of ``levels`` (each
    the inside of a ``w:lvl``, in level order) and instances of it (numId -> the
    inside of the ``w:num``, after its ``w:abstractNumId``), as Word writes them."""
    from docx.oxml import parse_xml

    root = document.part.numbering_part.element
    lvls = "".join(f'<w:lvl w:ilvl="{ilvl}">{inner}</w:lvl>' for ilvl, inner in enumerate(levels))
    abstract = parse_xml(
        f'<w:abstractNum {_W_NAMESPACE} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'
    )
    first_num = root.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # abstract numberings come first
    else:
        root.append(abstract)
    for num_id, inner in nums.items():
        root.append(
            parse_xml(
                f'<w:num {_W_NAMESPACE} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{abstract_id}"/>{inner}</w:num>'
            )
        )


def style_numbering(document, style: str, num_id: int, ilvl: int | None = None) -> None:
    """Number a paragraph style, as Word's "Heading 1" is in a numbered outline."""
    from docx.oxml import parse_xml

    level = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
    ppr = document.styles[style].element.get_or_add_pPr()
    ppr.insert(
        0, parse_xml(f'<w:numPr {_W_NAMESPACE}>{level}<w:numId w:val="{num_id}"/></w:numPr>')
    )


def level(text: str, fmt: str = "decimal", pstyle: str = "", start: int = 1) -> str:
    style = f'<w:pStyle w:val="{pstyle}"/>' if pstyle else ""
    return f'<w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{style}<w:lvlText w:val="{text}"/>'


def test_word_headings_numbered_by_their_styles_carry_their_numbers(tmp_path: Path) -> None:
    """Word shows "2.1 Mobila team" where the XML holds "Mobila team": the number
    comes from the heading styles' numbering; a level resets the deeper ones, and
    a numbered list in the body text stays a list without its number."""
    document = docx.Document()
    add_numbering(
        document,
        40,
        [
            level("%1", pstyle="Heading1"),
            level("%1.%2", pstyle="Heading2"),
            level("%1.%2.%3", pstyle="Heading3"),
        ],
        {40: ""},
    )
    style_numbering(document, "Heading 1", 40)  # its level comes from w:pStyle
    style_numbering(document, "Heading 2", 40, ilvl=1)
    style_numbering(document, "Heading 3", 40, ilvl=2)
    document.add_heading("Inledning", level=1)
    document.add_paragraph("Nämnden redovisar här årets arbete med omställningen.")
    document.add_heading("Bakgrund", level=2)
    document.add_heading("Uppdraget", level=3)
    document.add_heading("Mobila team", level=2)
    document.add_paragraph("Följande insatser har genomförts:")
    document.add_paragraph("Hembesök hos äldre med stora behov", style="List Number")
    document.add_paragraph("Samordnad individuell plan vid utskrivning", style="List Number")
    document.add_heading("Uppföljning", level=1)
    document.add_heading("Mått och indikatorer", level=2)
    document.add_heading("2.2 Ekonomi", level=2)  # the number typed as well: kept once
    path = tmp_path / "numrerade-rubriker.docx"
    document.save(str(path))
    assert kinds_texts_levels(path) == [
        (H, "1 Inledning", 1),
        (P, "Nämnden redovisar här årets arbete med omställningen.", None),
        (H, "1.1 Bakgrund", 2),
        (H, "1.1.1 Uppdraget", 3),
        (H, "1.2 Mobila team", 2),
        (P, "Följande insatser har genomförts:", None),
        (LI, "Hembesök hos äldre med stora behov", 1),
        (LI, "Samordnad individuell plan vid utskrivning", 1),
        (H, "2 Uppföljning", 1),
        (H, "2.1 Mått och indikatorer", 2),
        (H, "2.2 Ekonomi", 2),
    ]
    from nvreport.ingest.passages import split_passages

    sections = {p.text: p.section for p in split_passages("d", read_docx(path).blocks)}
    assert sections["Hembesök hos äldre med stora behov"] == "1 Inledning > 1.2 Mobila team"


def test_heading_numbers_in_letters_and_roman_numerals_with_their_start(tmp_path: Path) -> None:
    """``w:start`` and a ``w:startOverride`` of a second list instance are honoured;
    paragraph numbering overrides the style's."""
    document = docx.Document()
    add_numbering(document, 41, [level("%1.", "upperRoman")], {41: ""})
    add_numbering(
        document,
        42,
        [level("%1.", "upperLetter", start=2)],
        {42: "", 43: '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>'},
    )
    for num_id, text in [
        (41, "Syfte"),
        (41, "Metod"),
        (42, "Statistik"),
        (42, "Ekonomi"),
        (43, "Bilagor"),
    ]:
        set_numbering(document.add_heading(text, level=1), num_id=num_id, ilvl=0)
    path = tmp_path / "bokstaver.docx"
    document.save(str(path))
    assert [block.text for block in read_docx(path).blocks] == [
        "I. Syfte",
        "II. Metod",
        "B. Statistik",
        "C. Ekonomi",
        "E. Bilagor",
    ]


def bold_paragraph(document, text: str, style: str | None = None):
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(text).bold = True
    return paragraph


def test_a_short_paragraph_in_bold_before_body_text_is_a_heading(tmp_path: Path) -> None:
    """Many reports make their subheadings bold body text: such a line, standing
    alone before a paragraph that is not bold, is a heading a level below the
    deepest Word heading in use; a bold line with a section number is a heading at
    its number's depth."""
    document = docx.Document()
    strong = document.styles.add_style("Fet brödtext", WD_STYLE_TYPE.PARAGRAPH)
    strong.font.bold = True
    emphasis = document.styles.add_style("Betoning", WD_STYLE_TYPE.CHARACTER)
    emphasis.font.bold = True
    document.add_heading("Personcentrerad vård", level=1)
    document.add_heading("Fast vårdkontakt", level=2)
    bold_paragraph(document, "Hembesök i glesbygd")
    document.add_paragraph("Sjuksköterskorna gör hembesök i hela kommunen.")
    document.add_paragraph("Samverkan med regionen", style="Fet brödtext")
    document.add_paragraph("Ett avtal om hemsjukvård har tecknats under året.")
    document.add_paragraph().add_run("Digitala tjänster", style="Betoning")
    document.add_paragraph("Invånarna kan boka tider via e-tjänster.")
    bold_paragraph(document, "Observera:")  # a lead-in, not a heading
    document.add_paragraph("Uppgifterna avser helåret.")
    bold_paragraph(document, "Viktigt att notera")  # bold before bold: emphasis
    bold_paragraph(document, "Alla siffror är preliminära")
    document.add_paragraph("Slutliga uppgifter lämnas i nästa redovisning.")
    bold_paragraph(
        document, "Denna mening i fetstil är för lång för att vara en rubrik i rapporten"
    )
    document.add_paragraph("Brödtexten fortsätter här.")
    bold_paragraph(document, "2.3 Mobila team")
    bold_paragraph(document, "2.3.1 Hembesök")
    document.add_paragraph("Teamen gjorde fler hembesök än föregående år.")
    bold_paragraph(document, "A. Bilaga")
    path = tmp_path / "fetstil.docx"
    document.save(str(path))
    assert kinds_texts_levels(path) == [
        (H, "Personcentrerad vård", 1),
        (H, "Fast vårdkontakt", 2),
        (H, "Hembesök i glesbygd", 3),
        (P, "Sjuksköterskorna gör hembesök i hela kommunen.", None),
        (H, "Samverkan med regionen", 3),
        (P, "Ett avtal om hemsjukvård har tecknats under året.", None),
        (H, "Digitala tjänster", 3),
        (P, "Invånarna kan boka tider via e-tjänster.", None),
        (P, "Observera:", None),
        (P, "Uppgifterna avser helåret.", None),
        (P, "Viktigt att notera", None),
        (P, "Alla siffror är preliminära", None),
        (P, "Slutliga uppgifter lämnas i nästa redovisning.", None),
        (P, "Denna mening i fetstil är för lång för att vara en rubrik i rapporten", None),
        (P, "Brödtexten fortsätter här.", None),
        (H, "2.3 Mobila team", 2),
        (H, "2.3.1 Hembesök", 3),
        (P, "Teamen gjorde fler hembesök än föregående år.", None),
        (H, "A. Bilaga", 1),
    ]


def test_bold_headings_are_level_1_without_word_headings(tmp_path: Path) -> None:
    document = docx.Document()
    bold_paragraph(document, "Inledning")
    document.add_paragraph("Kommunen redovisar sitt arbete med nära vård.")
    path = tmp_path / "utan-rubrikformat.docx"
    document.save(str(path))
    assert kinds_texts_levels(path)[0] == (H, "Inledning", 1)


def test_the_account_counts_every_paragraph_the_reader_looks_at(tmp_path: Path) -> None:
    """Body, tables, a text box (once, though Word writes it twice), footnotes and
    the heading numbers Word shows; the contents dropped by its style is left out."""
    from docx.oxml import parse_xml

    from nvreport.ingest.normalize import count_words

    document = docx.Document()
    document.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    add_numbering(document, 44, [level("%1", pstyle="Heading1")], {44: ""})
    style_numbering(document, "Heading 1", 44)
    document.add_paragraph("1 Inledning\t3", style="TOC 1")  # 3 words, left out
    typed = document.add_paragraph()  # a typed entry, a tab character in its text
    typed._p.append(parse_xml(f"<w:r {_W_NAMESPACE}><w:t>Bakgrund\t4</w:t></w:r>"))
    document.add_heading("Inledning", level=1)  # shown as "1 Inledning"
    body = document.add_paragraph("Regionen har infört fast vårdkontakt.")
    body._p.append(parse_xml(note_reference("footnote", 1)))
    body._p.append(parse_xml(text_box_run([("", "Faktaruta om hembesök")])))
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Hembesök", "340"
    source = tmp_path / "konto-utan-noter.docx"
    document.save(str(source))
    path = with_notes(
        source,
        tmp_path / "konto.docx",
        {"footnote": notes_part("footnote", {1: [("", "Avser helåret 2022.")]})},
    )
    result = read_docx(path)
    block_words = sum(count_words(block.text) for block in result.blocks)
    assert [block.text for block in result.blocks] == [
        "1 Inledning",
        "Regionen har infört fast vårdkontakt.",
        "Faktaruta om hembesök",
        "Avser helåret 2022.",
        "Hembesök | 340",
    ]
    assert result.account is not None
    assert result.account.left_out == (("contents", 5),)
    assert result.account.layer_words == block_words + 5 == 20
    assert result.account.page_words == ()
