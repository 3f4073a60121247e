"""Blocks -> passages: give every block its section path, a list item its lead-in,
and leave out what is not report text (a table of contents).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nvreport.models import Block, BlockKind, Passage
from nvreport.normalize import count_words

SECTION_SEPARATOR = " > "
#: A block longer than this many characters becomes several passages, cut at
#: sentence ends: a cell of Excel holds at most 32,767, and a passage is the unit an
#: analyst reads and quotes. Report paragraphs stay far below it (a whole page of
#: text run together is about 4,000); what exceeds it is text with no paragraph
#: breaks at all.
MAX_PASSAGE_CHARS = 10_000
_TOC_HEADING = re.compile(r"^(innehåll(sförteckning)?|innehåll och sammanfattning|contents)$", re.I)
_TOC_ENTRY = re.compile(r"(?:\.\s?){4,}\s*\d{1,4}$|\t\d{1,4}$")
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖÉ0-9])")


def lead_in(paragraph: str) -> str:
    """The last sentence of the paragraph before a list: what its items hang on."""
    sentences = _SENTENCES.split(paragraph.strip())
    return sentences[-1] if sentences else ""


def pieces(text: str, limit: int = MAX_PASSAGE_CHARS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, each cut after the last
    sentence end in its second half, else at the last space there, else at
    ``limit``."""
    if len(text) <= limit:
        return [text]
    found: list[str] = []
    start = 0
    while len(text) - start > limit:
        low, high = start + limit // 2, start + limit
        ends = [match.end() for match in _SENTENCES.finditer(text, low, high + 1)]
        cut = ends[-1] if ends else text.rfind(" ", low, high) + 1 or high
        found.append(text[start:cut].strip())
        start = cut
    found.append(text[start:].strip())
    return [piece for piece in found if piece]


def _title_page_end(blocks: list[Block]) -> int:
    """Index of the first block after the title page: the table of contents, or the
    first block on page 2. Headings before it are the report's title, not sections."""
    for number, block in enumerate(blocks):
        if block.kind is BlockKind.HEADING and _TOC_HEADING.match(block.text.strip()):
            return number
        if block.page is not None and block.page > 1:
            return number
    return 0


def _ends_contents(contents: Block, heading: Block) -> bool:
    """Does ``heading`` end the table of contents that ``contents`` opened?

    A heading on a later page does, and so does one at the contents heading's level
    or above; a smaller heading on the same page is an entry set in bold. Without
    pages (Word, text), the entries are no headings, so any heading ends it.
    """
    if heading.page is None or contents.page is None:
        return True
    return heading.page > contents.page or (heading.level or 1) <= (contents.level or 1)


def split_passages(doc_id: str, blocks: Iterable[Block]) -> list[Passage]:
    """Turn a document's blocks into passages, in order, indexed from 0.

    Headings on the title page are passages but do not open sections; a table of
    contents is left out; a block longer than :data:`MAX_PASSAGE_CHARS` is cut into
    several passages (:func:`pieces`).
    """
    blocks = list(blocks)
    title_end = _title_page_end(blocks)
    passages: list[Passage] = []
    path: list[tuple[int, str]] = []  # (level, heading text)
    contents: Block | None = None  # the contents heading, while in the table of contents
    previous: Block | None = None
    context = ""
    for number, block in enumerate(blocks):
        if block.kind is BlockKind.HEADING and number < title_end:
            pass  # the title page: a passage, not a section
        elif block.kind is BlockKind.HEADING:
            level = block.level or 1
            if contents is not None and _ends_contents(contents, block):
                contents = None
            if contents is not None or _TOC_HEADING.match(block.text.strip()):
                contents = contents or block  # an entry set like a heading, or the contents
                previous = block
                continue
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, block.text))
        elif contents is not None or _TOC_ENTRY.search(block.text):
            previous = block
            continue
        if block.kind is BlockKind.LIST_ITEM:
            if previous is not None and previous.kind is BlockKind.PARAGRAPH:
                context = lead_in(previous.text)
            elif previous is None or previous.kind is not BlockKind.LIST_ITEM:
                context = ""
        section = SECTION_SEPARATOR.join(text for _, text in path)
        for text in pieces(block.text):
            passages.append(
                Passage(
                    doc_id=doc_id,
                    index=len(passages),
                    kind=block.kind,
                    text=text,
                    page=block.page,
                    section=section,
                    context=context if block.kind is BlockKind.LIST_ITEM else "",
                    word_count=count_words(text),
                )
            )
        previous = block
    return passages
