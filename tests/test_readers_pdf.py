"""The PDF reader: pages, headings, running headers, hyphens, columns, tables, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas

from builders import (
    BODY,
    BOLD,
    H1,
    H2,
    HEADER_TEXT,
    TITLE,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    bullets,
    ruled_table,
)
from nvreport.errors import EncryptedDocumentError, NoTextError, UnreadableDocumentError
from nvreport.ingest.readers.pdf import garbled_text, read_pdf
from nvreport.models import BlockKind

INTRO = (
    "Regionen har under året fortsatt omställningen till en god och nära vård. "
    "Arbetet har bedrivits i nära samverkan med länets kommuner och med stöd av "
    "den gemensamma styrgruppen för hälso- och sjukvård."
)
LEFT_COLUMN = (
    "Vänsterspalten beskriver hur vårdcentralerna har infört fast vårdkontakt för "
    "patienter med kroniska sjukdomar. Varje patient har fått en namngiven kontakt "
    "och en skriftlig plan för sin vård. Uppföljningen visar att patienterna "
    "upplever större trygghet och färre onödiga besök på akutmottagningen."
)
RIGHT_COLUMN = (
    "Högerspalten redogör för de mobila teamen, som besöker sköra äldre i hemmet. "
    "Teamen består av sjuksköterskor och läkare från regionen samt personal från "
    "kommunernas hemsjukvård. Under hösten utökades verksamheten till ytterligare "
    "två kommuner i länets norra del."
)


@pytest.fixture
def report(make_pdf) -> Path:
    """A four-page report: title page, body with list and table, a two-column page."""
    story = [
        Paragraph("Region Testberga", TITLE),
        Paragraph("Helårsredovisning 2022", H1),
        PageBreak(),
        Paragraph("1 Inledning", H1),
        Paragraph(INTRO, BODY),
        Paragraph("1.1 Genomförda insatser", H2),
        Paragraph(
            "Regionen har i år genomfört flera insatser. Följande insatser har prioriterats:",
            BODY,
        ),
        bullets(
            "riktade hälsosamtal för personer som fyller 40 år",
            "utbildning i personcentrerat arbetssätt för all personal",
        ),
        Paragraph("Tabell 1. Användning av medel 2022, tkr", BOLD),
        ruled_table(
            [
                ["Insats", "Budget", "Utfall"],
                ["Hälsosamtal", "1 500", "1 320"],
                ["Mobila team", "4 000", "4 250"],
            ]
        ),
        Paragraph(
            "Avslutningsvis har regionen tecknat fler patient-<br/>kontrakt än föregående år, "
            "utbildat ST-<br/>läkare i allmänmedicin och förskrivit FaR-<br/>recept. "
            "Satsningen på e-<br/>hälsa omfattar hela hälso-<br/>och sjukvården.",
            BODY,
        ),
        NextPageTemplate("two"),
        PageBreak(),
        Paragraph("2 Arbetet i spalter", H1),
        Paragraph(LEFT_COLUMN * 3, BODY),
        Paragraph(RIGHT_COLUMN * 3, BODY),
    ]
    return make_pdf("testberga.pdf", story)


def texts(result, kind: BlockKind | None = None) -> list[str]:
    return [block.text for block in result.blocks if kind is None or block.kind is kind]


def test_page_count_and_page_of_every_block(report: Path) -> None:
    result = read_pdf(report)
    assert result.pages == 3 or result.pages == 4
    pages = {block.text: block.page for block in result.blocks}
    assert pages["Region Testberga"] == 1
    assert pages["1 Inledning"] == 2
    assert pages["2 Arbetet i spalter"] == 3


def test_running_header_and_page_numbers_are_removed(report: Path) -> None:
    joined = "\n".join(texts(read_pdf(report)))
    assert HEADER_TEXT not in joined
    assert not re.search(r"\bSida \d", joined)


def test_headings_are_found_by_size_and_weight_with_levels(report: Path) -> None:
    result = read_pdf(report)
    headings = {
        block.text: block.level for block in result.blocks if block.kind is BlockKind.HEADING
    }
    assert headings["Region Testberga"] == 1  # 24 pt
    assert headings["1 Inledning"] == headings["Helårsredovisning 2022"] == 2  # 16 pt
    assert headings["1.1 Genomförda insatser"] == 3  # 13 pt
    # bold at body size, alone on its line: the lowest level
    assert headings["Tabell 1. Användning av medel 2022, tkr"] == 4


def test_words_broken_at_line_ends_are_joined_and_real_hyphens_kept(report: Path) -> None:
    paragraph = next(text for text in texts(read_pdf(report)) if text.startswith("Avslutningsvis"))
    assert "patientkontrakt" in paragraph
    assert "ST-läkare" in paragraph
    assert "FaR-recept" in paragraph
    assert "e-hälsa" in paragraph
    assert "hälso- och sjukvården" in paragraph
    assert "\ufffe" not in paragraph


def test_list_items_come_out_one_by_one_without_bullets(report: Path) -> None:
    items = texts(read_pdf(report), BlockKind.LIST_ITEM)
    assert items == [
        "riktade hälsosamtal för personer som fyller 40 år",
        "utbildning i personcentrerat arbetssätt för all personal",
    ]


def test_ruled_table_comes_out_row_by_row_in_place(report: Path) -> None:
    result = read_pdf(report)
    rows = texts(result, BlockKind.TABLE_ROW)
    assert rows == [
        "Insats | Budget | Utfall",
        "Hälsosamtal | 1 500 | 1 320",
        "Mobila team | 4 000 | 4 250",
    ]
    order = texts(result)
    assert order.index("Tabell 1. Användning av medel 2022, tkr") < order.index(rows[0])
    assert order.index(rows[-1]) < next(
        i for i, text in enumerate(order) if text.startswith("Avslutningsvis")
    )


def test_two_column_page_is_read_column_by_column(report: Path) -> None:
    result = read_pdf(report)
    paragraphs = [
        block for block in result.blocks if block.page == 3 and block.kind is BlockKind.PARAGRAPH
    ]
    assert [block.text for block in paragraphs] == [
        (LEFT_COLUMN * 3).strip(),
        (RIGHT_COLUMN * 3).strip(),
    ]


def test_paragraph_is_intact(report: Path) -> None:
    assert INTRO in texts(read_pdf(report), BlockKind.PARAGRAPH)


def test_pdfium_text_agrees_with_pdfplumber(report: Path) -> None:
    """Same characters in the same order as pdfplumber's text flow, page by page,
    once running headers, page numbers, spaces, hyphens and bullets are set aside."""

    def letters(text: str) -> str:
        text = re.sub(r"\(cid:\d+\)", "", text)  # glyphs pdfplumber cannot name (bullets)
        return re.sub(r"[\W_]+", "", text).casefold()

    result = read_pdf(report)
    with pdfplumber.open(report) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            lines = (page.extract_text(use_text_flow=True) or "").splitlines()
            theirs = letters(
                " ".join(
                    line
                    for line in lines
                    if HEADER_TEXT not in line and not line.startswith("Sida")
                )
            )
            ours = letters(" ".join(b.text for b in result.blocks if b.page == number))
            assert ours == theirs, f"page {number}"


def test_encrypted_pdf_says_so(tmp_path: Path) -> None:
    path = tmp_path / "låst rapport.pdf"
    page = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("hemligt", "ägare"))
    page.drawString(72, 700, "Regionen redovisar sitt arbete med hälsosamtal.")
    page.save()
    with pytest.raises(EncryptedDocumentError, match="encrypted with a password"):
        read_pdf(path)


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    path = tmp_path / "skyddad.pdf"
    page = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("", "ägare"))
    page.drawString(72, 700, "Regionen redovisar sitt arbete med hälsosamtal.")
    page.save()
    assert texts(read_pdf(path)) == ["Regionen redovisar sitt arbete med hälsosamtal."]


def test_truncated_pdf_is_reported_as_damaged(report: Path, tmp_path: Path) -> None:
    broken = tmp_path / "avbruten.pdf"
    broken.write_bytes(report.read_bytes()[:2000])
    with pytest.raises(UnreadableDocumentError, match="damaged or truncated"):
        read_pdf(broken)


def test_text_file_named_pdf_is_reported_as_misnamed(tmp_path: Path) -> None:
    fake = tmp_path / "egentligen-text.pdf"
    fake.write_text("Detta är ingen PDF utan en vanlig textfil.", encoding="utf-8")
    with pytest.raises(UnreadableDocumentError, match="not a PDF file"):
        read_pdf(fake)


def test_scan_without_text_layer_needs_ocr(tmp_path: Path) -> None:
    path = tmp_path / "inskannad.pdf"
    page = canvas.Canvas(str(path))
    for _ in range(2):
        page.rect(72, 300, 400, 300, fill=1)  # stands in for a scanned image
        page.showPage()
    page.save()
    with pytest.raises(NoTextError, match="OCR") as raised:
        read_pdf(path)
    assert raised.value.status == "no_text"


def test_table_without_ruling_lines_comes_out_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "olinjerad.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Helvetica", 10)
    page.drawString(72, 760, "Tabellen visar hur medlen har använts under året.")
    rows = [
        ("Insats", "Budget", "Utfall"),
        ("Hälsosamtal", "1 500", "1 320"),
        ("Mobila team", "4 000", "4 250"),
    ]
    for number, cells in enumerate(rows):
        for x, cell in zip((72, 260, 380), cells, strict=True):
            page.drawString(x, 730 - 16 * number, cell)
    page.save()
    result = read_pdf(path)
    assert texts(result, BlockKind.TABLE_ROW) == [
        "Insats | Budget | Utfall",
        "Hälsosamtal | 1 500 | 1 320",
        "Mobila team | 4 000 | 4 250",
    ]
    assert texts(result, BlockKind.PARAGRAPH) == [
        "Tabellen visar hur medlen har använts under året."
    ]


def test_columns_written_line_by_line_across_the_page_are_still_read_in_order(
    tmp_path: Path,
) -> None:
    """Some producers write both columns' first lines, then both second lines."""
    left = [
        "Regionen har under året infört fast",
        "vårdkontakt på samtliga vårdcentraler",
        "i länet, med stöd av de nya rutinerna",
        "för kontinuitet och uppföljning.",
    ]
    right = [
        "Kommunerna har samtidigt utvecklat",
        "de mobila teamen, som nu besöker",
        "sköra äldre i hemmet dygnet runt i",
        "samtliga kommuner i länet.",
    ]
    path = tmp_path / "tvaspalt.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Helvetica", 10)
    for number, (a, b) in enumerate(zip(left, right, strict=True)):
        page.drawString(72, 700 - 13 * number, a)
        page.drawString(320, 700 - 13 * number, b)
    page.save()
    assert texts(read_pdf(path)) == [" ".join(left), " ".join(right)]


def test_justified_narrow_line_is_not_mistaken_for_a_table(tmp_path: Path) -> None:
    path = tmp_path / "marginaljusterad.pdf"
    page = canvas.Canvas(str(path))
    text = page.beginText(72, 700)
    text.setFont("Helvetica", 10)
    text.setWordSpace(22)  # stretched like a justified line in a narrow column
    text.textLine("Regionen har infört detta")
    page.drawText(text)
    page.save()
    assert [(b.kind, b.text) for b in read_pdf(path).blocks] == [
        (BlockKind.PARAGRAPH, "Regionen har infört detta")
    ]


def test_libreoffice_pdf_reads_exactly_like_its_word_source() -> None:
    """A PDF from another producer: LibreOffice's export of a sample report (title
    page, contents set larger than the sections, running header and footer, lists,
    a ruled table) gives the same passages as the Word file it was made from."""
    from nvreport.ingest.passages import split_passages
    from nvreport.ingest.readers.docx import read_docx

    root = Path(__file__).parents[1]
    pdf = read_pdf(root / "tests/fixtures/documents/libreoffice-rapport-jkpg-2022.pdf")
    docx = read_docx(root / "samples/2022/rapport_jkpg.docx")
    from_pdf = [(p.kind, p.text, p.section) for p in split_passages("pdf", pdf.blocks)]
    from_docx = [(p.kind, p.text, p.section) for p in split_passages("docx", docx.blocks)]
    assert from_pdf == from_docx  # same texts, kinds and section paths
    assert pdf.pages == 7


TURNED_PAGES = {
    0: (
        "1 Hälsosamtal",
        "Regionen erbjuder riktade hälsosamtal till alla som",
        "fyller 40 och 50 år. Fast vårdkontakt finns vid",
        "samtliga vårdcentraler sedan 2021.",
    ),
    90: (
        "2 Mobila team",
        "Mobila team arbetar i hela länet och når patienter",
        "i deras hem. Teamen bemannas av sjuksköterskor",
        "och läkare från primärvården.",
    ),
    180: (
        "3 Uppföljning",
        "Uppföljningen sker varje kvartal i ledningsgruppen",
        "och resultaten redovisas för nämnden. Arbetet",
        "fortsätter under 2023.",
    ),
    270: (
        "4 Samverkan",
        "Kommunerna och regionen har tecknat en gemensam",
        "överenskommelse om hemsjukvård som gäller från",
        "och med den första januari.",
    ),
}
TURNED_TABLE = (("Insats", "Antal"), ("Hembesök", "120"))


def drawn_at(rotation: int, width: float, height: float, x: float, y: float) -> tuple:
    """Where to draw, on a page of these sides, a point that is to be seen at x from
    the left and y from the top once the page is turned by ``rotation``."""
    return {0: (x, height - y), 90: (y, x), 180: (width - x, y), 270: (width - y, height - x)}[
        rotation
    ]


def turned_report(path: Path) -> None:
    """Four pages whose /Rotate is 0, 90, 180 and 270 degrees, each drawn so that it
    reads upright on screen (as a landscape table drawn sideways and turned): a
    heading, a paragraph of three lines and a table with ruling lines."""
    import math

    page = canvas.Canvas(str(path))
    for rotation, (heading, *lines) in TURNED_PAGES.items():
        page.setPageRotation(rotation)  # reportlab swaps the page's sides for 90 and 270
        sides = (595.28, 841.89) if rotation in (0, 180) else (841.89, 595.28)
        angle = math.radians(rotation)
        turn = (math.cos(angle), math.sin(angle), -math.sin(angle), math.cos(angle))

        def write(text: str, x: float, y: float, font: str = "Helvetica", size: float = 11) -> None:
            writing = page.beginText()
            writing.setFont(font, size)
            writing.setTextTransform(*turn, *drawn_at(rotation, *sides, x, y))  # noqa: B023
            writing.textLine(text)
            page.drawText(writing)

        write(heading, 72, 100, "Helvetica-Bold", 16)
        for number, line in enumerate(lines):
            write(line, 72, 136 + 14 * number)
        for row, cells in enumerate(TURNED_TABLE):
            for column, cell in enumerate(cells):
                write(cell, 78 + 150 * column, 235 + 20 * row)
        for y in (220, 240, 260):
            page.line(*drawn_at(rotation, *sides, 72, y), *drawn_at(rotation, *sides, 372, y))
        for x in (72, 222, 372):
            page.line(*drawn_at(rotation, *sides, x, 220), *drawn_at(rotation, *sides, x, 260))
        page.showPage()
    page.save()


def test_turned_pages_read_like_upright_ones(tmp_path: Path) -> None:
    path = tmp_path / "vänd.pdf"
    turned_report(path)
    blocks = read_pdf(path).blocks
    expected = []
    for number, (heading, *lines) in enumerate(TURNED_PAGES.values(), start=1):
        expected.append((BlockKind.HEADING, heading, number))
        expected.append((BlockKind.PARAGRAPH, " ".join(lines), number))
        expected.extend((BlockKind.TABLE_ROW, " | ".join(row), number) for row in TURNED_TABLE)
    assert [(block.kind, block.text, block.page) for block in blocks] == expected


@pytest.mark.parametrize("font", ["Symbol", "ZapfDingbats"])
def test_a_text_layer_in_the_wrong_characters_is_reported(tmp_path: Path, font) -> None:
    """Glyphs mapped to the wrong characters (here: a Swedish text set in a symbol
    font, as a font without a Unicode map reads) would count as a report that names
    no theme; the reader says the text looks garbled."""
    path = tmp_path / "förvanskad.pdf"
    page = canvas.Canvas(str(path))
    page.setFont(font, 11)
    for number in range(30):
        page.drawString(72, 780 - 20 * number, "Regionen erbjuder riktade halsosamtal och FaR.")
    page.save()
    result = read_pdf(path)
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("the text layer looks garbled: only ")
    assert "on page 1;" in result.warnings[0]
    assert result.warnings[0].endswith("check the text in passages.csv, or run OCR")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        # text in another script is not judged by Latin vowels: Greek, Chinese,
        # Japanese, Arabic read right
        ("Ρεγιονεν ερβϕυδερ ηαλσοσαμταλ ", None),
        ("地区提供定期的健康检查和家庭护理服务。", None),
        ("地域の医療機関は訪問看護を提供しています。", None),
        ("تقدم المنطقة زيارات منزلية منتظمة ", None),
        # glyphs the font could not map: replacement and private-use characters
        (
            "Regionen erbjuder \ufffd\ufffdriktade h\ufffdlsosamtal. ",
            "60 of its characters are unmapped glyphs",
        ),
        ("Regionen erbjuder \ue001\ue002 insatser. ", "40 of its characters are unmapped glyphs"),
        ("Sfhjpofo fsckvefs iåmtptbnubm gps bmmb ", "only 18% of its letters are vowels"),
        ("#$%&'() *+,-./ ", "only 0% of its characters are letters or digits"),
        ("Regionen erbjuder riktade hälsosamtal. ", None),
        ("Insats | 120 | 95 | 2022 | 14,5 % | ", None),  # a table of numbers
        ("Sfhjpofo", None),  # too short to judge
    ],
)
def test_garbled_text_is_told_by_unmapped_glyphs_symbols_and_latin_vowels(
    text: str, why: str | None
) -> None:
    assert garbled_text(text * (1 if len(text) < 10 else 20)) == why


def test_a_report_of_tables_and_numbers_is_not_taken_for_garbled(tmp_path: Path) -> None:
    path = tmp_path / "tabeller.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Helvetica", 10)
    for number in range(40):
        page.drawString(
            72,
            800 - 18 * number,
            f"Insats {number}   {1200 + 7 * number}   {95 + number} %   2022-03-{number % 28 + 1}",
        )
    page.save()
    assert read_pdf(path).warnings == ()


def test_a_paragraph_carried_onto_a_new_page_quotes_what_follows_with_that_page(
    tmp_path: Path,
) -> None:
    """A sentence that crosses a page break stays whole in the passage of the page it
    began on; the sentences after it stand on the next page, and are quoted so."""
    path = tmp_path / "sidbrytning.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Helvetica", 11)
    first = [
        "Regionen har under året utvecklat arbetet med fast vårdkontakt vid samtliga",
        "vårdcentraler och följer upp arbetet med stöd av patientenkäter som",
    ]
    for number, text in enumerate(first):
        page.drawString(72, 120 - 14 * number, text)
    page.showPage()
    page.setFont("Helvetica", 11)
    second = [
        "genomförs två gånger per år i hela länet under ledning av regionen.",
        "Mobila team besöker sköra äldre i hemmet i samverkan med kommunerna.",
    ]
    for number, text in enumerate(second):
        page.drawString(72, 780 - 14 * number, text)
    page.save()

    blocks = read_pdf(path).blocks
    assert [(block.page, block.text.split()[0]) for block in blocks] == [
        (1, "Regionen"),
        (2, "Mobila"),
    ]
    assert blocks[0].text.endswith("under ledning av regionen.")


def test_a_contents_page_with_dot_leaders_is_left_to_the_splitter_and_counted(
    tmp_path: Path,
) -> None:
    """'Innehåll:' with numbered entries and dot leaders ("1. Sammanfattning ....
    3"), as Word writes it: the reader passes the entries on, the passage splitter
    leaves them out as contents, and the numbered headings after it open sections."""
    from nvreport.ingest.passages import split_passages

    path = tmp_path / "innehall.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Helvetica-Bold", 16)
    page.drawString(72, 760, "Innehåll:")
    page.setFont("Helvetica", 11)
    entries = [("1. Sammanfattning", 2), ("2. Mobila team", 2), ("3. Uppföljning", 2)]
    for number, (title, at) in enumerate(entries):
        page.drawString(72, 730 - 16 * number, f"{title} {'.' * 40} {at}")
    page.showPage()
    y = 780
    for title, _ in entries:
        page.setFont("Helvetica-Bold", 16)
        page.drawString(72, y, title)
        page.setFont("Helvetica", 11)
        page.drawString(72, y - 24, "Regionen redovisar här arbetet under året med stöd av")
        page.drawString(72, y - 38, "kommunerna i länet och de gemensamma ledningsgrupperna.")
        y -= 90
    page.save()

    result = read_pdf(path)
    assert any("Sammanfattning ..." in block.text for block in result.blocks)
    passages = split_passages("doc", result.blocks)
    assert all(passage.page == 2 for passage in passages)
    headings = [passage.text for passage in passages if passage.kind is BlockKind.HEADING]
    assert headings == ["1. Sammanfattning", "2. Mobila team", "3. Uppföljning"]
    assert {passage.section for passage in passages} == {title for title, _ in entries}
    assert result.account is not None and result.account.page_words[0] > 0


def _body_lines(page: canvas.Canvas, top: float, count: int = 6) -> None:
    page.setFont("Helvetica", 11)
    for number in range(count):
        page.drawString(
            72,
            top - 14 * number,
            "Kommunerna och regionen har tillsammans utvecklat stödet till patienterna.",
        )


def test_a_large_decorative_mark_and_a_lead_paragraph_are_no_headings(tmp_path: Path) -> None:
    """A huge "?" drawn as decoration is not the top heading every later section
    hangs under, and a lead paragraph set large is a paragraph, not a heading."""
    path = tmp_path / "dekor.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Helvetica", 150)
    page.drawString(400, 600, "?")
    page.setFont("Helvetica-Bold", 18)
    page.drawString(72, 760, "Mobila team")
    page.setFont("Helvetica", 14)
    lead = [
        "Regionen",
        "och",
        "länets",
        "kommuner",
        "har",
        "under",
        "året",
        "byggt",
        "ut",
        "de",
        "mobila",
        "teamen",
        "så",
        "att",
        "fler",
        "sköra",
        "äldre",
        "kan",
        "få",
        "sin",
        "vård",
        "i",
        "hemmet",
        "i",
        "stället",
        "för",
        "på",
        "sjukhus",
        "och",
        "med",
        "samma",
        "personal",
        "vid",
        "varje",
        "besök",
        "under",
        "hela",
        "året",
    ]
    for number in range(4):
        page.drawString(72, 730 - 18 * number, " ".join(lead[number * 10 : number * 10 + 10]))
    _body_lines(page, 640)
    page.save()

    blocks = read_pdf(path).blocks
    headings = [block.text for block in blocks if block.kind is BlockKind.HEADING]
    assert headings == ["Mobila team"]
    assert any(
        block.kind is BlockKind.PARAGRAPH and block.text.startswith("Regionen och länets")
        for block in blocks
    )


def test_a_heading_drawn_twice_a_point_apart_is_read_once(tmp_path: Path) -> None:
    """A shadow effect drawn as a second copy of the heading, a fraction of a point
    off and in other pieces: read once, counted as duplicate."""
    path = tmp_path / "skugga.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Helvetica-Bold", 16)
    page.drawString(72, 760, "Fast vårdkontakt")
    # the copy is written in other pieces, so pdfium does not see it as the same
    page.drawString(72.3, 759.8, "Fast ")
    page.drawString(72.3 + page.stringWidth("Fast ", "Helvetica-Bold", 16), 759.8, "vårdkontakt")
    _body_lines(page, 730)
    page.save()

    result = read_pdf(path)
    assert result.blocks[0].text == "Fast vårdkontakt"
    assert result.account is not None and result.account.left_out_words("duplicate") == 2


def test_running_headers_that_differ_between_left_and_right_pages_are_dropped(
    tmp_path: Path,
) -> None:
    """ "12 Region Testberga" on even pages and "Region Testberga 13" on odd ones:
    neither is on half of the pages, and both are running headers."""
    path = tmp_path / "uppslag.pdf"
    page = canvas.Canvas(str(path))
    for number in range(1, 8):  # 4 odd pages and 3 even ones
        page.setFont("Helvetica", 9)
        header = f"{number} Region Testberga" if number % 2 else f"Region Testberga {number}"
        page.drawString(72 if number % 2 else 400, 810, header)
        _body_lines(page, 700)
        page.showPage()
    page.save()

    result = read_pdf(path)
    assert not any("Testberga" in block.text for block in result.blocks)
    assert result.account is not None
    assert result.account.left_out_words("header_footer") == 7 * 3  # "1", "Region", "Testberga"
    assert result.account.left_out_words("page_number") == 0


def test_a_section_number_set_apart_from_its_title_is_one_heading(tmp_path: Path) -> None:
    """A large "4." beside or above the chapter's title is one heading with both."""
    path = tmp_path / "kapitel.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Helvetica-Bold", 28)
    page.drawString(72, 760, "4.")
    page.setFont("Helvetica-Bold", 18)
    page.drawString(72, 730, "Hälsosamtal")
    _body_lines(page, 700)
    page.save()

    blocks = read_pdf(path).blocks
    assert blocks[0].kind is BlockKind.HEADING
    assert blocks[0].text == "4. Hälsosamtal"


def test_letter_spaced_heading_keeps_its_words_whole(tmp_path: Path) -> None:
    """A heading set with wide letter spacing, each glyph on its own: pdfium cuts
    its words in pieces ("H åll b ara"); the words come out whole, apart where the
    gap is a word space's wider than between the letters."""
    path = tmp_path / "spärrad.pdf"
    page = canvas.Canvas(str(path))
    x = 72.0
    for word in ("Hållbara", "transporter"):
        for char in word:
            page.setFont("Helvetica-Bold", 18)
            page.drawString(x, 760, char)
            x += page.stringWidth(char, "Helvetica-Bold", 18) + 4.5
        x += page.stringWidth(" ", "Helvetica-Bold", 18) + 4.5
    _body_lines(page, 720)
    page.save()

    blocks = read_pdf(path).blocks
    assert blocks[0].kind is BlockKind.HEADING
    assert blocks[0].text == "Hållbara transporter"


def test_a_sentence_ending_inside_a_line_on_the_new_page_ends_the_first_passage(
    tmp_path: Path,
) -> None:
    """The sentence that crossed the page break ends inside the first line of the
    new page: what follows it is a passage of its own, on that page."""
    path = tmp_path / "sidbrytning-mitt.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Helvetica", 11)
    page.drawString(
        72, 120, "Regionen har under året utvecklat arbetet med fast vårdkontakt vid alla"
    )
    page.drawString(
        72, 106, "vårdcentraler och följer upp arbetet med stöd av de patientenkäter som"
    )
    page.showPage()
    page.setFont("Helvetica", 11)
    page.drawString(
        72, 780, "genomförs varje år i länet. Mobila team besöker sköra äldre i hemmet i"
    )
    page.drawString(72, 766, "samverkan med kommunernas hemsjukvård och primärvårdens läkare.")
    page.save()

    blocks = read_pdf(path).blocks
    assert [(block.page, block.text) for block in blocks] == [
        (
            1,
            "Regionen har under året utvecklat arbetet med fast vårdkontakt vid alla "
            "vårdcentraler och följer upp arbetet med stöd av de patientenkäter som "
            "genomförs varje år i länet.",
        ),
        (
            2,
            "Mobila team besöker sköra äldre i hemmet i samverkan med kommunernas "
            "hemsjukvård och primärvårdens läkare.",
        ),
    ]


def _form_bomb(path: Path, depth: int = 15, fan_out: int = 10) -> Path:
    """Two pages: the first plain text, the second drawing a form that draws the
    next form ``fan_out`` times, ``depth`` deep (10^15 drawings from 6 KB)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(dictionary: bytes, content: bytes) -> bytes:
        return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(content), content)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    inner = None
    for _ in range(depth):
        if inner is None:
            resources, content = b"<< /Font << /F1 %d 0 R >> >>" % font, b"BT /F1 9 Tf (x) Tj ET"
        else:
            resources = b"<< /XObject << /X %d 0 R >> >>" % inner
            content = b" ".join(b"q 1 0 0 1 %d 0 cm /X Do Q" % k for k in range(fan_out))
        inner = add(
            stream(
                b"/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources " + resources,
                content,
            )
        )
    text = b"BT /F1 12 Tf 72 700 Td (Regionen erbjuder halsosamtal till alla.) Tj ET"
    plain = add(stream(b"", text))
    bomb = add(stream(b"", b"q /X0 Do Q"))
    parent = len(objects) + 3
    page = (
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
        b"/Resources << /Font << /F1 %d 0 R >> /XObject << /X0 %d 0 R >> >> >>"
    )
    first = add(page % (parent, plain, font, inner))
    second = add(page % (parent, bomb, font, inner))
    add(b"<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count 2 >>" % (first, second))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % parent)
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    path.write_bytes(bytes(data))
    return path


def test_a_page_of_forms_drawing_forms_is_skipped_not_expanded(tmp_path: Path) -> None:
    """A 6 KB page whose forms draw each other ten-fold, fifteen deep, would make
    pdfium expand 10^15 drawings until memory runs out, in whatever process reads
    it: the page is skipped with a warning, the rest of the report read."""
    result = read_pdf(_form_bomb(tmp_path / "Region Testberga 2022.pdf"))
    assert [block.text for block in result.blocks] == ["Regionen erbjuder halsosamtal till alla."]
    assert result.pages == 2
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("page 2 skipped: drawings nested in drawings")


def test_forms_drawn_a_few_times_each_are_read(tmp_path: Path) -> None:
    """Nested forms that expand to a few hundred drawings are read as usual."""
    result = read_pdf(_form_bomb(tmp_path / "Region Testberga 2022.pdf", depth=3, fan_out=5))
    assert not result.warnings
    assert result.blocks[0].text == "Regionen erbjuder halsosamtal till alla."
