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
from nvreport.models import Block, BlockKind
from nvreport.readers import docx as docx_reader
from nvreport.readers.docx import read_docx

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
