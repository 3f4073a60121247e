"""Headings made by direct formatting, for the readers of formats with styles
(ODT, RTF): the rule the DOCX reader applies (:mod:`nvreport.ingest.readers.docx`).

Title pages and many reports set a heading as a body paragraph in larger or bold
type instead of in a heading style:

* not a sentence (at most 120 characters, not ending in ".", ",", ";" or ":") and
  all of it at least 13 pt is a heading, level 1 from 20 pt, 2 from 16 pt, 3 below;
* short (at most :data:`BOLD_HEADING_WORDS` words) and all in bold: numbered ("1.",
  "2.3", "1)", "A.") it is a heading at its number's depth; otherwise it is a
  heading only where it stands alone (not after another such paragraph) before a
  paragraph or list item that is not, a level below the deepest styled heading in
  use (:func:`bold_headings`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nvreport.ingest.normalize import number_depth
from nvreport.models import Block, BlockKind

BOLD_HEADING_WORDS = 12
#: a bold line that starts with a section number: "1.", "2.3", "2.3.1", "1)", "A."
NUMBERED_HEADING = re.compile(r"^(?:(\d{1,2}(?:\.\d{1,2})*\.?)|\d{1,2}\)|[A-Z]\.)\s+[A-ZÅÄÖ]")
#: (points at least, heading level)
_SIZES = ((20.0, 1), (16.0, 2), (13.0, 3))

STYLED = "styled"  # a heading by its style or outline level
BOLD = "bold"  # a short paragraph all in bold: a heading where it stands alone


def formatted_block(text: str, size: float | None, bold: bool) -> tuple[Block, str]:
    """The block of a body paragraph whose text is all at least ``size`` points (None:
    not known for all of it) and all bold or not, with its tag for
    :func:`bold_headings`."""
    paragraph = Block(BlockKind.PARAGRAPH, text), ""
    if len(text) > 120 or text.endswith((".", ",", ";", ":")):
        return paragraph
    for least, level in _SIZES:
        if size is not None and size >= least:
            return Block(BlockKind.HEADING, text, level=level), ""
    if not bold or len(text.split()) > BOLD_HEADING_WORDS:
        return paragraph
    numbered = NUMBERED_HEADING.match(text)
    if numbered is not None:
        return Block(BlockKind.HEADING, text, level=number_depth(numbered.group(1) or "") or 1), ""
    return Block(BlockKind.PARAGRAPH, text), BOLD


def bold_headings(found: Sequence[tuple[Block, str]]) -> list[Block]:
    """The blocks, each candidate (tag :data:`BOLD`) made a heading where it stands
    alone before a paragraph or list item that is no candidate: a level below the
    deepest styled heading level in use (tag :data:`STYLED`), or 1 without one."""
    deepest = max((block.level or 1 for block, tag in found if tag == STYLED), default=0)
    blocks = []
    for number, (block, tag) in enumerate(found):
        if tag == BOLD:
            after = found[number + 1] if number + 1 < len(found) else None
            alone = number == 0 or found[number - 1][1] != BOLD
            if (
                alone
                and after is not None
                and after[1] != BOLD
                and after[0].kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
            ):
                block = Block(BlockKind.HEADING, block.text, level=min(deepest + 1, 9))
        blocks.append(block)
    return blocks
