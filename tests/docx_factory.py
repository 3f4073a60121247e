"""Small Word documents, each with one of the cases that lose or repeat text (issue 15).

Made with python-docx, and with raw WordprocessingML where python-docx has no API
(numbering definitions, a table of contents field in a content control, a text box
with its VML fallback, footnotes and endnotes). Two are written again by LibreOffice
(DOCX -> ODT -> DOCX), so that their XML is LibreOffice's own. Used by
``tests/test_docx_differential.py``; nothing in ``src/`` imports it.

Every generator is deterministic (the same XML on every run, LibreOffice's own
output aside). All Swedish text here was written for these tests.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn

# --------------------------------------------------------------------------------------
# Swedish text written for these tests
# --------------------------------------------------------------------------------------

SENTENCES = [
    "Regionen har under året infört en ordning där varje invånare med återkommande "
    "vårdbehov erbjuds en namngiven fast vårdkontakt vid sin hälsocentral.",
    "Den fasta vårdkontakten ansvarar för att patientens planerade insatser hänger ihop "
    "och att patienten vet vart hon eller han ska vända sig.",
    "Andelen listade patienter med en fast läkarkontakt uppgick vid årets slut till "
    "sextioåtta procent, vilket är en ökning jämfört med föregående år.",
    "De mobila teamen består av sjuksköterska, läkare och arbetsterapeut och arbetar "
    "tillsammans med den kommunala hemsjukvården i patientens hem.",
    "Teamen prioriterar personer som har skrivits ut från slutenvården och som bedöms "
    "ha hög risk för att återinskrivas inom en månad.",
    "Under hösten utvidgades verksamheten med mobila team till tre glesbygdskommuner "
    "efter beslut i det politiska samverkansorganet.",
    "Hälsosamtal har erbjudits invånare som fyller fyrtio, femtio och sextio år, och "
    "drygt hälften av de inbjudna har tackat ja till ett samtal.",
    "Samtalet utgår från ett frågeformulär om levnadsvanor och kompletteras med "
    "mätning av blodtryck, midjemått och blodsocker.",
    "Digitala vårdmöten via videolänk erbjuds nu vid samtliga hälsocentraler i länet "
    "som ett komplement till fysiska besök.",
    "Utvärderingen visar att patienterna uppskattar att slippa resa, medan "
    "medarbetarna efterfrågar bättre tekniskt stöd vid uppkopplingen.",
    "Arbetet med omställningen följs upp av en gemensam ledningsgrupp för region och "
    "kommuner, som sammanträder varannan månad.",
    "Kompetensförsörjningen är alltjämt den största utmaningen, särskilt när det gäller "
    "distriktssköterskor och specialister i allmänmedicin.",
    "Inom ramen för överenskommelsen har regionen fördelat stimulansmedel till "
    "kommunerna efter antalet invånare över sextiofem år.",
    "Patientens egna mål dokumenteras i den samordnade individuella planen, som "
    "upprättas tillsammans med patienten och vid behov närstående.",
]


def sentences(start: int, count: int) -> str:
    """``count`` sentences from :data:`SENTENCES`, starting at ``start``, cyclically."""
    return " ".join(SENTENCES[(start + number) % len(SENTENCES)] for number in range(count))


# --------------------------------------------------------------------------------------
# Raw WordprocessingML
# --------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)


def element(xml: str):
    """One WordprocessingML element from ``xml``, written without namespace
    declarations (they are added to its outermost tag here)."""
    return parse_xml(re.sub(r"^<([\w:]+)", rf"<\1 {NAMESPACES}", xml, count=1))


def run_xml(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def add_numbering(document, abstract_id: int, num_id: int, levels: Sequence[str]) -> None:
    """An abstract numbering of ``levels`` (each the inside of a ``w:lvl``) and one
    instance ``num_id`` of it, in the document's ``numbering.xml``."""
    root = document.part.numbering_part.element
    lvls = "".join(f'<w:lvl w:ilvl="{ilvl}">{inner}</w:lvl>' for ilvl, inner in enumerate(levels))
    abstract = element(f'<w:abstractNum w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    first_num = root.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # abstract numberings come before the instances
    else:
        root.append(abstract)
    root.append(
        element(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    )


def level(text: str, fmt: str = "decimal", style: str = "", indent: int = 0) -> str:
    """The inside of a ``w:lvl``: start 1, its format, the style it numbers, its text."""
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    ppr = f'<w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr>' if indent else ""
    return (
        f'<w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>{ppr}'
    )


def number_style(document, style_id: str, num_id: int, ilvl: int) -> None:
    """Number a paragraph style, as Word does for "Heading 1" in an outline list."""
    ppr = document.styles.element.get_by_id(style_id).get_or_add_pPr()
    ppr.insert(
        0,
        element(f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'),
    )


def number_paragraph(paragraph, num_id: int, ilvl: int) -> None:
    """Give a paragraph its own numbering (``w:numPr`` in its properties)."""
    ppr = paragraph._p.get_or_add_pPr()
    numbering = element(f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    style = ppr.find(qn("w:pStyle"))
    if style is not None:
        style.addnext(numbering)
    else:
        ppr.insert(0, numbering)


def add_paragraph_style(document, style_id: str, name: str, based_on: str = "Normal") -> None:
    """A paragraph style with a given id, as Word names its built-in ones ("TOC1",
    "toc 1"): python-docx makes the id from the name."""
    document.styles.element.append(
        element(
            f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="{based_on}"/><w:uiPriority w:val="39"/>'
            '<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9062"/></w:tabs>'
            "</w:pPr></w:style>"
        )
    )


# --------------------------------------------------------------------------------------
# (1) Word headings numbered through their styles
# --------------------------------------------------------------------------------------

#: (level, heading, paragraphs under it as (first sentence, count)), Word numbering
#: them 1, 2, 2.1, 2.1.1, ...
OUTLINE = [
    (1, "Inledning", [(0, 4)]),
    (1, "Fast vårdkontakt", [(1, 3)]),
    (2, "Patienter med stora behov", [(2, 4)]),
    (3, "Samordnad individuell plan", [(13, 4)]),
    (2, "Uppföljning av kontinuiteten", [(10, 3)]),
    (1, "Mobila team och hälsosamtal", [(11, 3)]),
    (2, "Mobila team", [(3, 4), (5, 3)]),
    (2, "Hälsosamtal", [(6, 4)]),
    (1, "Digitala vårdmöten", [(8, 4), (9, 3)]),
]
#: the numbers Word shows before the headings of :data:`OUTLINE`
OUTLINE_NUMBERS = ["1", "2", "2.1", "2.1.1", "2.2", "3", "3.1", "3.2", "4"]
HEADING_NUM_ID = 90


def number_headings(document) -> None:
    """Number "Heading 1"–"Heading 3" in an outline list: "1", "1.1", "1.1.1"."""
    add_numbering(
        document,
        HEADING_NUM_ID,
        HEADING_NUM_ID,
        [
            level("%1", style="Heading1"),
            level("%1.%2", style="Heading2"),
            level("%1.%2.%3", style="Heading3"),
        ],
    )
    for ilvl in range(3):
        number_style(document, f"Heading{ilvl + 1}", HEADING_NUM_ID, ilvl)


def write_outline(document) -> None:
    for depth, heading, paragraphs in OUTLINE:
        document.add_heading(heading, level=depth)
        for start, count in paragraphs:
            document.add_paragraph(sentences(start, count))


def numbered_headings(path: Path) -> Path:
    """(1) Heading 1–3 numbered by a numbering definition in their styles, with body
    paragraphs under them."""
    document = docx.Document()
    number_headings(document)
    write_outline(document)
    document.save(str(path))
    return path


# --------------------------------------------------------------------------------------
# (2) A table of contents as Word makes it
# --------------------------------------------------------------------------------------

#: (TOC level, title, page) of the contents of :func:`word_contents`
WORD_CONTENTS = [
    (1, "Inledning", 3),
    (1, "Fast vårdkontakt", 3),
    (2, "Patienter med stora behov", 4),
    (1, "Mobila team och hälsosamtal", 5),
    (2, "Mobila team", 5),
    (2, "Hälsosamtal", 6),
    (1, "Digitala vårdmöten", 7),
]
LAST_PARAGRAPH = (
    "Sammanfattningsvis bedömer regionen att omställningen till en god och nära vård "
    "går i rätt riktning, även om takten behöver öka under kommande år."
)


def _field(instruction: str, result: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run_xml(result)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def contents_sdt(entries: Sequence[tuple[int, str, int]]) -> str:
    """A table of contents as Word inserts it: a content control of the "Table of
    Contents" gallery holding the "Innehåll" heading and one TOC1/TOC2 paragraph per
    entry (a hyperlink: the title, a tab, a PAGEREF field with the page), all inside
    one TOC field that starts in the first entry and ends in a paragraph of its own."""
    paragraphs = [
        '<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr>' + run_xml("Innehåll") + "</w:p>"
    ]
    for number, (depth, title, page) in enumerate(entries):
        bookmark = f"_Toc1000{number}"
        pageref = f"PAGEREF {bookmark} \\h"
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            if number == 0
            else ""
        )
        paragraphs.append(
            f'<w:p><w:pPr><w:pStyle w:val="TOC{depth}"/></w:pPr>{begin}'
            f'<w:hyperlink w:anchor="{bookmark}" w:history="1">'
            f"{run_xml(title)}<w:r><w:tab/></w:r>"
            f"{_field(pageref, str(page))}"
            "</w:hyperlink></w:p>"
        )
    paragraphs.append('<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    return (
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "<w:docPartUnique/></w:docPartObj></w:sdtPr>"
        f"<w:sdtContent>{''.join(paragraphs)}</w:sdtContent></w:sdt>"
    )


def word_contents(path: Path) -> Path:
    """(2) A title, a Word table of contents ("Innehåll", TOC1/TOC2 entries with
    tabs and page numbers in a TOC field), then the headings and body it lists."""
    document = docx.Document()
    add_paragraph_style(document, "TOC1", "toc 1")
    add_paragraph_style(document, "TOC2", "toc 2")
    title = document.add_paragraph()
    title.add_run("Region Norrsund – Uppföljning av omställningen 2024").bold = True
    document.add_paragraph(sentences(12, 2))
    title._p.addnext(element(contents_sdt(WORD_CONTENTS)))
    for start, (depth, heading, _) in enumerate(WORD_CONTENTS):
        document.add_heading(heading, level=depth)
        document.add_paragraph(sentences(start + 3, 3))
    document.add_paragraph(LAST_PARAGRAPH)
    document.save(str(path))
    return path


# --------------------------------------------------------------------------------------
# (3) A typed contents and bold numbered headings
# --------------------------------------------------------------------------------------

TYPED_CONTENTS = [
    ("1.", "Inledning", 2),
    ("2.", "Fast vårdkontakt", 3),
    ("2.1", "Mobila team", 4),
    ("2.2", "Hälsosamtal", 5),
    ("3.", "Digitala vårdmöten", 6),
    ("4.", "Fortsatt arbete", 7),
]


def typed_contents(path: Path) -> Path:
    """(3) "Innehåll:" and typed entries ("1. Inledning ..... 2"), then the same
    titles as standalone bold paragraphs ("1. Inledning") with body text."""
    document = docx.Document()
    title = document.add_paragraph()
    title.add_run("Kommunens redovisning av arbetet med nära vård").bold = True
    document.add_paragraph("Innehåll:")
    for number, text, page in TYPED_CONTENTS:
        dots = "." * max(5, 40 - len(text))
        document.add_paragraph(f"{number} {text} {dots} {page}")
    for position, (number, text, _) in enumerate(TYPED_CONTENTS):
        heading = document.add_paragraph()
        heading.add_run(f"{number} {text}").bold = True
        document.add_paragraph(sentences(position * 2, 3))
        document.add_paragraph(sentences(position * 2 + 1, 2))
    document.add_paragraph(LAST_PARAGRAPH)
    document.save(str(path))
    return path


# --------------------------------------------------------------------------------------
# (4) Tables with merged cells and cells of several paragraphs
# --------------------------------------------------------------------------------------

MERGED_TITLE = "Insatser inom nära vård per hälsocentral"
VERTICAL_CELL = "Hälsocentralen Åsen"
CELL_PARAGRAPHS = [
    "Mobilt team två dagar i veckan.",
    "Digitala vårdmöten erbjuds varje vardag.",
]
NESTED_CELLS = [["Hälsosamtal", "Utförda"], ["Fyrtioåringar", "214"]]


def tables(path: Path) -> Path:
    """(4) A table whose title row spans every column, a cell merged over two rows,
    cells of two paragraphs and a table nested in a cell; body text around it."""
    document = docx.Document()
    document.add_heading("Insatser per hälsocentral", level=1)
    document.add_paragraph(sentences(3, 3))
    table = document.add_table(rows=5, cols=3)
    rows = [
        [MERGED_TITLE, "", ""],
        ["Hälsocentral", "Insats", "Antal patienter"],
        [VERTICAL_CELL, "Fast vårdkontakt", "1 240"],
        ["", "Hälsosamtal", "386"],
        ["Hälsocentralen Björkby", "", "95"],
    ]
    for number, cells in enumerate(rows):
        for column, text in enumerate(cells):
            if text:
                table.cell(number, column).text = text
    table.cell(0, 0).merge(table.cell(0, 2))
    table.cell(2, 0).merge(table.cell(3, 0))
    cell = table.cell(4, 1)
    cell.text = CELL_PARAGRAPHS[0]
    cell.add_paragraph(CELL_PARAGRAPHS[1])
    nested = cell.add_table(rows=2, cols=2)
    for number, cells in enumerate(NESTED_CELLS):
        for column, text in enumerate(cells):
            nested.cell(number, column).text = text
    document.add_paragraph(sentences(4, 3))
    second = document.add_table(rows=3, cols=2)
    for number, (left, right) in enumerate(
        [("Uppföljningsmått", "Utfall 2024"), ("Andel med fast vårdkontakt", "68 procent"),
         ("Digitala vårdmöten per månad", "cirka 1 900")]
    ):  # fmt: skip
        second.cell(number, 0).text = left
        second.cell(number, 1).text = right
    document.add_paragraph(LAST_PARAGRAPH)
    document.save(str(path))
    return path


# --------------------------------------------------------------------------------------
# (5) Text boxes
# --------------------------------------------------------------------------------------

BOX_TITLE = "Faktaruta om mobila team"
BOX_TEXTS = [
    "Teamen gjorde under året drygt ettusen hembesök hos sköra äldre i elva kommuner.",
    "Varje besök dokumenteras i en gemensam journal som kommunens sjuksköterskor kan läsa.",
]
QUOTE_BOX = "Citat från en patient: tack vare teamet slapp jag åka till akuten i vintras."


def text_box_run(paragraphs: Sequence[tuple[str, str]], shape_id: int) -> str:
    """A run holding a text box as Word 2010 and later writes it: DrawingML
    (``w:drawing``/``wps:txbx``) in ``mc:Choice``, the same box as VML in
    ``mc:Fallback``. ``paragraphs``: (style id or "", text)."""
    content = "".join(
        "<w:p>"
        + (f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else "")
        + run_xml(text)
        + "</w:p>"
        for style, text in paragraphs
    )
    box = f"<w:txbxContent>{content}</w:txbxContent>"
    return (
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
        'relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" '
        'allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>3200400</wp:posOffset>'
        "</wp:positionH>"
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset>'
        "</wp:positionV>"
        '<wp:extent cx="2286000" cy="1371600"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        '<wp:wrapSquare wrapText="bothSides"/>'
        f'<wp:docPr id="{shape_id}" name="Textruta {shape_id}"/><wp:cNvGraphicFramePr/>'
        "<a:graphic>"
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/>'
        '<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2286000" cy="1371600"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
        f"<wps:txbx>{box}</wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" anchor="t"><a:noAutofit/></wps:bodyPr>'
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict>"
        f'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        f'<v:shape id="Textruta {shape_id}" o:spid="_x0000_s10{shape_id}" type="#_x0000_t202" '
        'style="position:absolute;margin-left:252pt;margin-top:0;width:180pt;height:108pt">'
        f'<v:textbox>{box}</v:textbox><w10:wrap type="square"/></v:shape>'
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def add_text_boxes(document) -> None:
    """A fact box anchored in a body paragraph, and a quote in a paragraph of its own."""
    anchor = document.add_paragraph(sentences(3, 2))
    anchor._p.append(
        element(text_box_run([("Heading2", BOX_TITLE), *(("", text) for text in BOX_TEXTS)], 1))
    )
    own = document.add_paragraph()
    own._p.append(element(text_box_run([("", QUOTE_BOX)], 2)))


def text_boxes(path: Path) -> Path:
    """(5) Text boxes anchored in paragraphs, as DrawingML with a VML fallback."""
    document = docx.Document()
    document.add_heading("Mobila team", level=1)
    document.add_paragraph(sentences(4, 3))
    add_text_boxes(document)
    document.add_paragraph(sentences(5, 3))
    document.add_heading("Hälsosamtal", level=1)
    document.add_paragraph(sentences(6, 3))
    document.add_paragraph(LAST_PARAGRAPH)
    document.save(str(path))
    return path


# --------------------------------------------------------------------------------------
# (6) Footnotes and endnotes
# --------------------------------------------------------------------------------------

FOOTNOTES = {
    1: "Uppgifterna om fast vårdkontakt avser patienter listade den sista december.",
    2: "Hälsosamtalen redovisas per kommun i bilaga två till denna rapport.",
}
ENDNOTES = {
    1: "Källa: regionens uppföljningssystem för primärvården, uttag i januari.",
}


def notes_xml(kind: str, notes: dict[int, str]) -> bytes:
    """A footnotes or endnotes part as Word writes it: the separator and the
    continuation separator (``w:type``), then the notes, each opening with its mark."""
    separators = "".join(
        f'<w:{kind} w:type="{name}" w:id="{number}"><w:p><w:r><w:{name}/></w:r></w:p></w:{kind}>'
        for number, name in ((-1, "separator"), (0, "continuationSeparator"))
    )
    bodies = "".join(
        f'<w:{kind} w:id="{number}"><w:p><w:r><w:{kind}Ref/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{kind}>'
        for number, text in notes.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<w:{kind}s {NAMESPACES}>{separators}{bodies}</w:{kind}s>"
    ).encode()


def add_notes_parts(document) -> None:
    """Add the footnotes and endnotes parts (:data:`FOOTNOTES`, :data:`ENDNOTES`)."""
    package = document.part.package
    for kind, notes, content_type, relationship in (
        ("footnote", FOOTNOTES, CONTENT_TYPE.WML_FOOTNOTES, RELATIONSHIP_TYPE.FOOTNOTES),
        ("endnote", ENDNOTES, CONTENT_TYPE.WML_ENDNOTES, RELATIONSHIP_TYPE.ENDNOTES),
    ):
        part = Part(PackURI(f"/word/{kind}s.xml"), content_type, notes_xml(kind, notes), package)
        document.part.relate_to(part, relationship)


def refer(paragraph, kind: str, number: int) -> None:
    paragraph._p.append(
        element(
            f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:{kind}Reference w:id="{number}"/></w:r>'
        )
    )


def notes(path: Path) -> Path:
    """(6) Footnotes and endnotes referred to from body paragraphs."""
    document = docx.Document()
    add_notes_parts(document)
    document.add_heading("Fast vårdkontakt", level=1)
    refer(document.add_paragraph(sentences(0, 3)), "footnote", 1)
    document.add_paragraph(sentences(2, 2))
    document.add_heading("Hälsosamtal", level=1)
    first = document.add_paragraph(sentences(6, 2))
    refer(first, "footnote", 2)
    refer(document.add_paragraph(sentences(7, 3)), "endnote", 1)
    document.add_paragraph(LAST_PARAGRAPH)
    document.save(str(path))
    return path


# --------------------------------------------------------------------------------------
# (7) Lists
# --------------------------------------------------------------------------------------

LIST_NUM_ID = 91
BULLETS = [
    "en fast vårdkontakt för alla med återkommande vårdbehov",
    "mobila team i samtliga kommuner före utgången av nästa år",
    "hälsosamtal för fyrtio-, femtio- och sextioåringar",
]
NUMBERED = [
    ("Kartlägg vilka patienter som har störst behov av samordning.", 0),
    ("Erbjud patienten en samordnad individuell plan.", 0),
    ("Bjud in närstående när patienten så önskar.", 1),
    ("Följ upp planen inom tre månader.", 0),
]
CONTINUATION = (
    "Uppföljningen görs av den fasta vårdkontakten tillsammans med kommunens biståndshandläggare."
)


def lists(path: Path) -> Path:
    """(7) A bulleted list (List Bullet, numbered through its style), a numbered list
    with a second level (``w:numPr`` on the paragraphs), and continuation paragraphs
    inside the lists."""
    document = docx.Document()
    add_numbering(
        document,
        LIST_NUM_ID,
        LIST_NUM_ID,
        [level("%1.", indent=720), level("%2)", fmt="lowerLetter", indent=1440)],
    )
    document.add_heading("Mål för omställningen", level=1)
    document.add_paragraph(sentences(10, 2) + " Regionens mål för perioden är följande:")
    for text in BULLETS:
        document.add_paragraph(text, style="List Bullet")
    document.add_paragraph(
        "Målen har stämts av med kommunerna i länet under våren.", style="List Continue"
    )
    document.add_paragraph(sentences(13, 2) + " Arbetet sker i fyra steg:")
    for text, ilvl in NUMBERED:
        number_paragraph(document.add_paragraph(text, style="List Paragraph"), LIST_NUM_ID, ilvl)
        if text.startswith("Följ"):
            document.add_paragraph(CONTINUATION, style="List Paragraph")
    document.add_paragraph(LAST_PARAGRAPH)
    document.save(str(path))
    return path


# --------------------------------------------------------------------------------------
# (8) LibreOffice's own DOCX
# --------------------------------------------------------------------------------------


def soffice_executable() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def libreoffice_source(path: Path) -> Path:
    """The document LibreOffice is given: numbered headings, a list, a table with
    merged cells, a text box and a footnote."""
    document = docx.Document()
    number_headings(document)
    add_notes_parts(document)
    document.add_heading("Inledning", level=1)
    refer(document.add_paragraph(sentences(0, 3)), "footnote", 1)
    document.add_heading("Mobila team och hälsosamtal", level=1)
    document.add_heading("Mobila team", level=2)
    document.add_paragraph(sentences(3, 3))
    add_text_boxes(document)
    document.add_heading("Hälsosamtal", level=2)
    document.add_paragraph(sentences(6, 2) + " Samtalen omfattar:")
    for text in BULLETS:
        document.add_paragraph(text, style="List Bullet")
    table = document.add_table(rows=3, cols=2)
    for number, (left, right) in enumerate(
        [(MERGED_TITLE, ""), ("Hälsocentral", "Antal samtal"), (VERTICAL_CELL, "214")]
    ):
        table.cell(number, 0).text = left
        if right:
            table.cell(number, 1).text = right
    table.cell(0, 0).merge(table.cell(0, 1))
    document.add_heading("Digitala vårdmöten", level=1)
    document.add_paragraph(sentences(8, 3))
    document.add_paragraph(LAST_PARAGRAPH)
    document.save(str(path))
    return path


def libreoffice_contents_source(path: Path) -> Path:
    return word_contents(path)


LIBREOFFICE_SOURCES: dict[str, Callable[[Path], Path]] = {
    "libreoffice_report": libreoffice_source,
    "libreoffice_contents": libreoffice_contents_source,
}


def convert_all(folder: Path) -> dict[str, Path]:
    """Every LibreOffice fixture, made in two runs of soffice for all of them:
    python-docx's DOCX -> ODT -> DOCX, so the final XML is LibreOffice's own."""
    office = soffice_executable()
    if office is None:
        raise FileNotFoundError("soffice")
    sources = folder / "lo-source"
    odt = folder / "lo-odt"
    final = folder / "lo-docx"
    for made in (sources, odt, final):
        made.mkdir(exist_ok=True)
    inputs = [make(sources / f"{name}.docx") for name, make in LIBREOFFICE_SOURCES.items()]
    profile = f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}"
    for target, files, out in (
        ("odt", inputs, odt),
        ('docx:"MS Word 2007 XML"', [odt / f"{path.stem}.odt" for path in inputs], final),
    ):
        subprocess.run(
            [office, profile, "--headless", "--convert-to", target.replace('"', ""),
             "--outdir", str(out), *map(str, files)],
            capture_output=True,
            timeout=300,
            check=True,
        )  # fmt: skip
    found = {name: final / f"{name}.docx" for name in LIBREOFFICE_SOURCES}
    missing = [name for name, path in found.items() if not path.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice wrote no DOCX for {missing}")
    return found


# --------------------------------------------------------------------------------------
# The fixtures, by name
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixture:
    name: str
    #: writes the DOCX to the path it is given; None for LibreOffice's (see convert_all)
    make: Callable[[Path], Path] | None
    needs: str | None = None


FIXTURES = [
    Fixture("numbered_headings", numbered_headings),
    Fixture("word_contents", word_contents),
    Fixture("typed_contents", typed_contents),
    Fixture("tables", tables),
    Fixture("text_boxes", text_boxes),
    Fixture("notes", notes),
    Fixture("lists", lists),
    Fixture("libreoffice_report", None, needs="soffice"),
    Fixture("libreoffice_contents", None, needs="soffice"),
]
