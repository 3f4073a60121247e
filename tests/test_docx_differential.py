"""Every word of a Word document, in order: the passages against the document's own XML.

Word documents with the cases that lose or repeat text (issue 15) are made once per
session by ``tests/docx_factory.py`` (python-docx, raw XML where it has no API, and
LibreOffice's own DOCX where soffice is installed). Each is read
(``read_docx`` -> ``split_passages``) and held against a reference read here with
the standard library alone (:func:`reference`), not with the reader's code: every
``w:t`` (``w:tab``, ``w:br`` and ``w:cr`` as spaces) of the body's paragraphs, of all
table cells, of text boxes (once: not the VML copy in ``mc:Fallback``), and of the
footnotes and endnotes (not the separators, which have a ``w:type``); headers and
footers are no body. A table of contents is left out of the body, as the reader and
the splitter leave it out: paragraphs in a TOC style ("TOC1", "toc 1", "TOC
Heading"), in a content control of the "Table of Contents" gallery, or in a TOC
field, and a typed contents ("Innehåll:" over lines ending in dot leaders and a page
number). Word's automatic numbering is no text in the XML and is not in it either.

The words are compared by the rules of ``pdf_factory`` (NFKC, casefolded,
punctuation stripped): body-word recall of at least 0.99 as a multiset; at least 95%
of the passages' adjacent word pairs adjacent in a reference paragraph (or across the
paragraphs of one table cell, which the reader joins); the account's ``layer_words``
within 2% of the words of every paragraph of the reference, contents included (the
account counts the text layer, and the numbers Word shows before headings, which the
reader writes into them). Then come the checks a user would notice, one per case.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import docx_factory as factory
import pdf_factory as compare
from nvreport.ingest.normalize import count_words
from nvreport.ingest.passages import SECTION_SEPARATOR, split_passages
from nvreport.ingest.readers.docx import read_docx
from nvreport.models import BlockKind, ReadResult

FIXTURES = {fixture.name: fixture for fixture in factory.FIXTURES}
NAMES = list(FIXTURES)
RECALL = 0.99
ORDER = 0.95
ACCOUNT = 0.02

# --------------------------------------------------------------------------------------
# The reference: the document's XML, read with the standard library
# --------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SPACE_TAGS = {f"{_W}tab", f"{_W}br", f"{_W}cr"}
_TOC_STYLE = re.compile(r"^(?:toc ?[1-9]|toc ?heading)$", re.IGNORECASE)
_CONTENTS_HEADING = re.compile(r"^(?:innehåll|innehållsförteckning)\s*:?$", re.IGNORECASE)
#: a typed contents line: a title, dot leaders (or a tab), a page number
_TYPED_ENTRY = re.compile(r"^\S.{1,120}?(?:\s*(?:\.\s?){3,}\s*|\t\s*)\d{1,4}$")
_SECTION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?$")


@dataclass
class Paragraph:
    text: str
    #: part of a table of contents
    contents: bool = False
    #: the paragraphs of one top-level table cell share a group; "" elsewhere
    cell: str = ""
    #: a footnote's or endnote's
    note: bool = False


@dataclass
class Reference:
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def body(self) -> list[Paragraph]:
        return [paragraph for paragraph in self.paragraphs if not paragraph.contents]

    @property
    def body_words(self) -> list[str]:
        return [word for p in self.body for word in compare.words(p.text)]

    @property
    def layer_words(self) -> int:
        """Words of every paragraph, the contents included, as the account counts."""
        return sum(count_words(paragraph.text) for paragraph in self.paragraphs)

    def pair_set(self) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        cells: dict[str, list[str]] = {}
        for paragraph in self.paragraphs:
            sequence = compare.words(paragraph.text)
            found.update(compare.pairs(sequence))
            if paragraph.cell:
                cells.setdefault(paragraph.cell, []).extend(sequence)
        for sequence in cells.values():
            found.update(compare.pairs(sequence))
        return found


class _Walk:
    """Document-order walk of a part: paragraphs, with the state a TOC field keeps
    across paragraphs."""

    def __init__(self, styles: dict[str, str]) -> None:
        self.styles = styles
        self.found: list[Paragraph] = []
        self.fields: list[str] = []  # instructions of the open fields, outermost first
        self.cells = 0
        self.note = False  # walking the notes

    def in_toc_field(self) -> bool:
        return any(instruction.strip().upper().startswith("TOC") for instruction in self.fields)

    def container(self, element: ET.Element, contents: bool, cell: str) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{_MC}Fallback":
                continue  # the VML copy of what mc:Choice holds
            if tag == f"{_W}p":
                self.paragraph(child, contents, cell)
            elif tag == f"{_W}sdt":
                gallery = child.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
                toc = gallery is not None and gallery.get(f"{_W}val") == "Table of Contents"
                self.container(child, contents or toc, cell)
            elif tag == f"{_W}tc" and not cell:
                self.cells += 1
                self.container(child, contents, f"cell{self.cells}")
            else:
                self.container(child, contents, cell)

    def paragraph(self, p: ET.Element, contents: bool, cell: str) -> None:
        style = p.find(f"{_W}pPr/{_W}pStyle")
        style_id = style.get(f"{_W}val", "") if style is not None else ""
        styled = any(
            _TOC_STYLE.match(name) for name in (style_id, self.styles.get(style_id, "")) if name
        )
        parts: list[str] = []
        boxes: list[ET.Element] = []
        in_field = self.in_toc_field()
        self.inline(p, parts, boxes)
        in_field = in_field or self.in_toc_field()
        self.found.append(
            Paragraph("".join(parts), contents or styled or in_field, cell, self.note)
        )
        for box in boxes:  # a text box's paragraphs, after the one that anchors it
            self.container(box, contents, cell)

    def inline(self, element: ET.Element, parts: list[str], boxes: list[ET.Element]) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{_MC}Fallback":
                continue
            if tag == f"{_W}txbxContent":
                boxes.append(child)
            elif tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag in _SPACE_TAGS:
                parts.append(" ")
            elif tag == f"{_W}fldChar":
                kind = child.get(f"{_W}fldCharType")
                if kind == "begin":
                    self.fields.append("")
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif tag == f"{_W}instrText" and self.fields:
                self.fields[-1] += child.text or ""
            elif tag == f"{_W}fldSimple":
                self.fields.append(child.get(f"{_W}instr", ""))
                self.inline(child, parts, boxes)
                self.fields.pop()
            else:
                self.inline(child, parts, boxes)


def _style_names(package: zipfile.ZipFile) -> dict[str, str]:
    if "word/styles.xml" not in package.namelist():
        return {}
    root = ET.fromstring(package.read("word/styles.xml"))
    names = {}
    for style in root.iter(f"{_W}style"):
        name = style.find(f"{_W}name")
        if name is not None:
            names[style.get(f"{_W}styleId", "")] = name.get(f"{_W}val", "")
    return names


def _note_parts(package: zipfile.ZipFile) -> list[str]:
    """The footnotes and endnotes parts the main part refers to."""
    rels = "word/_rels/document.xml.rels"
    if rels not in package.namelist():
        return []
    found = []
    for relationship in ET.fromstring(package.read(rels)).iter(f"{_REL}Relationship"):
        kind = relationship.get("Type", "").rsplit("/", 1)[-1]
        if kind in ("footnotes", "endnotes") and relationship.get("TargetMode") != "External":
            target = relationship.get("Target", "").lstrip("/")
            found.append(target if target.startswith("word/") else f"word/{target}")
    return found


def _typed_contents(paragraphs: list[Paragraph]) -> None:
    """Mark a typed contents: three or more body paragraphs in a row that end in dot
    leaders (or a tab) and a page number, and a contents heading right before them."""
    body = [p for p in paragraphs if not p.cell and p.text.strip()]
    start = 0
    while start < len(body):
        end = start
        while end < len(body) and _TYPED_ENTRY.match(body[end].text.strip()):
            end += 1
        if end - start >= 3:
            for paragraph in body[start:end]:
                paragraph.contents = True
            if start and _CONTENTS_HEADING.match(body[start - 1].text.strip()):
                body[start - 1].contents = True
        start = max(end, start + 1)


def reference(path: Path) -> Reference:
    """The words of ``path``'s XML, by paragraph (see the module's docstring)."""
    with zipfile.ZipFile(path) as package:
        walk = _Walk(_style_names(package))
        body = ET.fromstring(package.read("word/document.xml")).find(f"{_W}body")
        if body is not None:
            walk.container(body, False, "")
        walk.note = True
        for part in _note_parts(package):
            if part not in package.namelist():
                continue
            for note in ET.fromstring(package.read(part)):
                if note.get(f"{_W}type", "normal") != "normal":
                    continue  # the separator lines Word keeps among the notes
                walk.container(note, False, "")
    paragraphs = walk.found
    _typed_contents(paragraphs)
    return Reference([p for p in paragraphs if p.text.strip()])


# --------------------------------------------------------------------------------------
# The fixtures, made and read once per session
# --------------------------------------------------------------------------------------


@dataclass
class Read:
    path: Path
    result: ReadResult
    passages: list
    reference: Reference

    @property
    def text(self) -> str:
        return "\n".join(passage.text for passage in self.passages)

    @property
    def words(self) -> list[str]:
        return compare.words(" ".join(passage.text for passage in self.passages))

    def of_kind(self, kind: BlockKind) -> list:
        return [passage for passage in self.passages if passage.kind is kind]


@pytest.fixture(scope="session")
def factory_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docx-factory")


_MADE: dict[str, Path | BaseException] = {}
_READ: dict[str, Read] = {}


def made(folder: Path, name: str) -> Path:
    """The DOCX of fixture ``name``, made on first use (LibreOffice's all at once);
    skipped without soffice."""
    fixture = FIXTURES[name]
    if fixture.needs == "soffice" and factory.soffice_executable() is None:
        pytest.skip("needs LibreOffice (soffice)")
    if name not in _MADE:
        together = [other.name for other in FIXTURES.values() if other.make is None]
        try:
            if fixture.make is None:
                _MADE.update(factory.convert_all(folder))
            else:
                _MADE[name] = fixture.make(folder / f"{name}.docx")
        except Exception as error:
            _MADE.update(dict.fromkeys(together if fixture.make is None else [name], error))
    found = _MADE[name]
    if isinstance(found, BaseException):
        raise found
    return found


def read(folder: Path, name: str) -> Read:
    if name not in _READ:
        path = made(folder, name)
        result = read_docx(path)
        _READ[name] = Read(path, result, split_passages("d", result.blocks), reference(path))
    return _READ[name]


def runs_in(sequence: list[str], part: list[str]) -> bool:
    """Is ``part`` a contiguous run of ``sequence``?"""
    size = len(part)
    return any(sequence[start : start + size] == part for start in range(len(sequence)))


def passage_pairs(passage) -> list[tuple[str, str]]:
    """Adjacent word pairs of a passage, within a cell for a table row; a heading's
    number as Word shows it ("2.1") is no text of the XML and is left out."""
    text = passage.text
    if passage.kind is BlockKind.HEADING:
        first, _, rest = text.partition(" ")
        if _SECTION_NUMBER.match(first):
            text = rest
    parts = text.split(" | ") if passage.kind is BlockKind.TABLE_ROW else [text]
    return [pair for part in parts for pair in compare.pairs(compare.words(part))]


def shown_numbers(found: Read) -> int:
    """Words of the numbers Word shows before headings, which the reader writes into
    their text and its account counts, but which are no text of the XML: a passage
    that is a paragraph of the XML but for a section number in front ("2.1" is two
    words to ``count_words``)."""
    texts = {" ".join(paragraph.text.split()) for paragraph in found.reference.paragraphs}
    total = 0
    for passage in found.passages:
        number, _, rest = passage.text.partition(" ")
        if _SECTION_NUMBER.match(number) and passage.text not in texts and rest in texts:
            total += count_words(number)
    return total


# --------------------------------------------------------------------------------------
# Every word, in order
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_body_word_is_in_the_passages(factory_folder: Path, name: str) -> None:
    found = read(factory_folder, name)
    want = Counter(found.reference.body_words)
    have = Counter(found.words)
    recall = sum((want & have).values()) / max(sum(want.values()), 1)
    lost = sorted((want - have).elements())[:15]
    assert recall >= RECALL, f"recall {recall:.3f}; lost words: {lost}"


@pytest.mark.parametrize("name", NAMES)
def test_words_come_in_the_order_of_the_xml(factory_folder: Path, name: str) -> None:
    found = read(factory_folder, name)
    known = found.reference.pair_set()
    total = good = 0
    strays = []
    for passage in found.passages:
        mine = passage_pairs(passage)
        hit = sum(pair in known for pair in mine)
        total, good = total + len(mine), good + hit
        if hit < len(mine):
            strays.append(passage.text[:100])
    assert total, "no word pairs at all"
    assert good / total >= ORDER, f"{good}/{total} pairs in the XML's order; e.g. {strays[:3]}"


@pytest.mark.parametrize("name", NAMES)
def test_the_account_counts_the_words_of_the_xml(factory_folder: Path, name: str) -> None:
    found = read(factory_folder, name)
    assert found.result.account is not None
    layer = found.result.account.layer_words
    want = found.reference.layer_words
    numbers = shown_numbers(found)
    assert abs(layer - want - numbers) <= ACCOUNT * want, (
        f"account {layer} words, the XML {want} and {numbers} of heading numbers"
    )


@pytest.mark.parametrize("name", NAMES)
def test_no_word_is_read_more_often_than_the_xml_holds_it(factory_folder: Path, name: str) -> None:
    """A box read twice (its VML copy), a note read at each reference, a merged cell
    read in every row: the words count twice in every tally of themes."""
    found = read(factory_folder, name)
    numbers = Counter(word for word in found.words if _SECTION_NUMBER.match(word))
    extra = Counter(found.words) - Counter(found.reference.body_words) - numbers
    assert extra == Counter(), f"words read more often than written: {sorted(extra.elements())}"


def test_there_are_enough_fixtures() -> None:
    assert len(FIXTURES) >= 8


def test_the_reference_leaves_out_what_it_must(factory_folder: Path) -> None:
    """The reference itself: the VML copy of a box, the contents and the note
    separators are not in it; the notes and the box are."""
    boxes = read(factory_folder, "text_boxes").reference
    assert [p.text for p in boxes.paragraphs].count(factory.QUOTE_BOX) == 1
    contents = read(factory_folder, "word_contents").reference
    assert next(p.text for p in contents.paragraphs if p.contents) == "Innehåll"
    assert sum(p.contents for p in contents.paragraphs) == len(factory.WORD_CONTENTS) + 1
    typed = read(factory_folder, "typed_contents").reference
    assert sum(p.contents for p in typed.paragraphs) == len(factory.TYPED_CONTENTS) + 1
    notes = read(factory_folder, "notes").reference
    texts = [p.text.strip() for p in notes.paragraphs]
    assert [text for text in texts if text in factory.FOOTNOTES.values()] == list(
        factory.FOOTNOTES.values()
    )


# --------------------------------------------------------------------------------------
# What a user would notice
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_nothing_after_a_contents_or_at_the_end_is_lost(factory_folder: Path, name: str) -> None:
    found = read(factory_folder, name)
    last = [p.text for p in found.reference.body if not p.note][-1]
    if name == "numbered_headings":
        assert last == factory.sentences(9, 3)
    else:
        assert last == factory.LAST_PARAGRAPH
    assert runs_in(found.words, compare.words(last)), "the last paragraph is not read whole"


@pytest.mark.parametrize("name", ["word_contents", "typed_contents", "libreoffice_contents"])
def test_a_contents_is_no_passage(factory_folder: Path, name: str) -> None:
    found = read(factory_folder, name)
    assert not [p.text for p in found.passages if p.text.strip(" :").casefold() == "innehåll"]
    assert not [p.text for p in found.passages if re.search(r"(?:\.\s?){4,}|\t|\s\d{1,2}$", p.text)]
    body = [p.text for p in found.reference.body]
    for paragraph in body:
        assert runs_in(found.words, compare.words(paragraph)), paragraph[:60]


def _sections(found: Read) -> set[str]:
    return {part for passage in found.passages for part in passage.section.split(SECTION_SEPARATOR)}


@pytest.mark.parametrize("name", ["numbered_headings"])
def test_section_paths_carry_word_heading_numbers(factory_folder: Path, name: str) -> None:
    found = read(factory_folder, name)
    sections = _sections(found)
    want = [
        f"{number} {heading}"
        for number, (_, heading, _) in zip(factory.OUTLINE_NUMBERS, factory.OUTLINE, strict=True)
    ]
    assert [text for text in want if text not in sections] == [], sorted(sections)
    under = [p for p in found.passages if p.section.endswith("2.1.1 Samordnad individuell plan")]
    assert under and under[0].section.startswith("2 Fast vårdkontakt > 2.1 ")


def test_section_paths_carry_libreoffice_heading_numbers(factory_folder: Path) -> None:
    found = read(factory_folder, "libreoffice_report")
    sections = _sections(found)
    for heading in ("1 Inledning", "2 Mobila team och hälsosamtal", "2.1 Mobila team"):
        assert heading in sections, sorted(sections)
    assert "3 Digitala vårdmöten" in sections or "4 Digitala vårdmöten" in sections


def test_section_paths_carry_typed_heading_numbers(factory_folder: Path) -> None:
    found = read(factory_folder, "typed_contents")
    sections = _sections(found)
    want = [f"{number} {text}" for number, text, _ in factory.TYPED_CONTENTS]
    assert [text for text in want if text not in sections] == [], sorted(sections)
    under = [p for p in found.passages if p.section.endswith("2.1 Mobila team")]
    assert under and all(p.section.startswith("2. Fast vårdkontakt > ") for p in under)


@pytest.mark.parametrize("name", ["text_boxes", "libreoffice_report"])
def test_a_text_box_is_read_exactly_once(factory_folder: Path, name: str) -> None:
    found = read(factory_folder, name)
    text = " ".join(found.text.split())
    for box in [factory.BOX_TITLE, *factory.BOX_TEXTS, factory.QUOTE_BOX]:
        assert text.count(box) == 1, box


@pytest.mark.parametrize("name", ["notes", "libreoffice_report"])
def test_a_footnote_is_read_exactly_once(factory_folder: Path, name: str) -> None:
    found = read(factory_folder, name)
    text = " ".join(found.text.split())
    notes = [*factory.FOOTNOTES.values(), *factory.ENDNOTES.values()]
    if name == "libreoffice_report":
        notes = [factory.FOOTNOTES[1]]
    for note in notes:
        assert text.count(note) == 1, note


def test_every_cell_of_a_table_is_read(factory_folder: Path) -> None:
    found = read(factory_folder, "tables")
    rows = " ".join(p.text for p in found.of_kind(BlockKind.TABLE_ROW))
    for text in [
        factory.MERGED_TITLE,
        factory.VERTICAL_CELL,
        " ".join(factory.CELL_PARAGRAPHS),
        *(cell for row in factory.NESTED_CELLS for cell in row),
    ]:
        assert text in rows, text


def test_a_cell_merged_over_rows_is_read_once(factory_folder: Path) -> None:
    """A cell merged over two rows (w:vMerge) stands in the row it starts in only."""
    found = read(factory_folder, "tables")
    rows = " ".join(p.text for p in found.of_kind(BlockKind.TABLE_ROW))
    assert rows.count(factory.VERTICAL_CELL) == 1, rows


def test_list_items_and_their_continuations_are_read(factory_folder: Path) -> None:
    found = read(factory_folder, "lists")
    items = [p.text for p in found.of_kind(BlockKind.LIST_ITEM)]
    for text in [*factory.BULLETS, *(text for text, _ in factory.NUMBERED)]:
        assert text in items, text
    assert any(factory.CONTINUATION in p.text for p in found.passages)
    lead = [p.context for p in found.passages if p.text == factory.BULLETS[0]]
    assert lead == ["Regionens mål för perioden är följande:"]
