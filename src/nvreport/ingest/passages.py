"""Blocks -> passages: give every block its section path, a list item its lead-in,
and leave out what is not report text (a table of contents).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from typing import NamedTuple

from nvreport.ingest.normalize import count_words, number_depth
from nvreport.models import Block, BlockKind, Passage

SECTION_SEPARATOR = " > "
#: A block longer than this many characters becomes several passages, cut at
#: sentence ends: a cell of Excel holds at most 32,767, and a passage is the unit an
#: analyst reads and quotes. Report paragraphs stay far below it (a whole page of
#: text run together is about 4,000); what exceeds it is text with no paragraph
#: breaks at all.
MAX_PASSAGE_CHARS = 10_000
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


# -- the table of contents ------------------------------------------------------

_TOC_HEADING = re.compile(
    r"^(?:innehåll(?:sförteckning)?|innehåll och sammanfattning|(?:table of )?contents)\s*:?$",
    re.IGNORECASE,
)
#: a section number as printed: "2", "2.3", "2.3.1", "1." (no year: at most two digits)
_NUMBER = r"\d{1,2}(?:\.\d{1,2}){0,4}\.?"
#: what stands between a contents entry's title and its page number: dots ("....",
#: ". . ."), an ellipsis, the cell border of a contents set as a table, or spaces
_LEADER = r"(?:[ ]*(?:(?:\.[ ]?){2,}|…+|\|))+[ ]*|[ ]+"
_ENTRY = re.compile(
    rf"(?:(?P<number>{_NUMBER}) )?(?P<title>.+?)(?P<leader>{_LEADER})(?P<page>\d{{1,4}})"
)
#: one entry of several run together: its title is words that start with no digit
_WORD = r"[^\s\d.…|][^\s…|]*?"
_RUN_ENTRY = re.compile(
    rf"(?:(?P<number>{_NUMBER}) )?(?P<title>{_WORD}(?: {_WORD})*?)"
    rf"(?P<leader>{_LEADER})(?P<page>\d{{1,4}})(?!\S)"
)
_HEADING_NUMBER = re.compile(rf"^(?P<number>{_NUMBER}) (?P<title>\S.*)$")
_DOTS = re.compile(r"(?:\.[ ]?){4,}|…")
#: an entry's title is no longer than this; a block of more words with no page number
#: at its end is never an entry
_ENTRY_WORDS = 20
#: the most text a block of several entries run together holds (a whole contents page)
_RUN_CHARS = 5_000
#: a run of entries with no contents heading before it is a contents if it lists this many
_HEADLESS_ENTRIES = 3
#: a headless contents sets where the title page ends only this near the top
_HEADLESS_TITLE_BLOCKS = 30
#: a paragraph or list item with a listed title is a heading if no longer than this
_HEADING_WORDS = 15
#: pages a heading may stand from where the contents lists it, before the offset of
#: printed page numbers is taken into account
_PAGE_SLACK = 2


class ContentsEntry(NamedTuple):
    """One line of a table of contents: ``("2.3", "Mobila team", 7)``.

    ``number`` is the section number as printed, without a trailing dot ("" when the
    entry has none); ``page`` is the printed page number, None for an entry set
    like a heading without one.
    """

    number: str
    title: str
    page: int | None

    @property
    def depth(self) -> int:
        """1 for "2", 2 for "2.3", 3 for "2.3.1"; 1 for an unnumbered entry."""
        return number_depth(self.number) or 1

    @property
    def label(self) -> str:
        """The entry as a heading: "2.3 Mobila team"."""
        return f"{self.number} {self.title}" if self.number else self.title


def _entry(match: re.Match[str]) -> ContentsEntry:
    return ContentsEntry(
        (match.group("number") or "").rstrip("."),
        match.group("title").strip(" ."),
        int(match.group("page")),
    )


def parse_entries(text: str) -> list[ContentsEntry]:
    """The contents entries ``text`` consists of: one ("2.3 Mobila team ..... 7",
    "Inledning 3", "1 Inledning | 3"), several run together as a PDF reader may join
    the lines of a contents page ("1. Inledning 3 2. Bakgrund 4 2.1 Mobila team 5"),
    or none (``[]``): a title must have a letter and at most 20 words, a year after
    mere spaces is no page number, and a block of several entries must be mostly
    entries, each title capitalised, their pages in order, and three or more of them
    unless each is numbered or has dot leaders."""
    text = " ".join(text.split())
    if not text or not text[-1].isdigit():
        return []
    if len(text) <= _RUN_CHARS:
        run = list(_RUN_ENTRY.finditer(text))
        if len(run) >= 2:
            covered = sum(match.end() - match.start() for match in run)
            entries = [_entry(match) for match in run]
            if (
                covered >= 0.8 * len(text)
                and (len(run) >= 3 or all(_strong(match) for match in run))
                and all(_capitalised(match["title"]) and not _year(match) for match in run)
                and _in_order(entries)
            ):
                return entries
    if count_words(text) > _ENTRY_WORDS + 2:
        return []
    match = _ENTRY.fullmatch(text)
    if match is None or not any(c.isalpha() for c in match["title"]) or _year(match):
        return []
    return [_entry(match)]


def _strong(match: re.Match[str]) -> bool:
    """Is this entry more than a title and a number: numbered, or with dot leaders?"""
    return bool(match["number"] or _DOTS.search(match["leader"]) or "|" in match["leader"])


def _year(match: re.Match[str]) -> bool:
    """Is the "page number" a year after a title with no leader ("Verksamhetsåret 2022")?"""
    return match["leader"].isspace() and 1900 <= int(match["page"]) <= 2099


def _capitalised(title: str) -> bool:
    letter = next((c for c in title if c.isalpha()), "")
    return letter.isupper()


def _in_order(entries: list[ContentsEntry]) -> bool:
    pages = [entry.page or 0 for entry in entries]
    return all(a <= b for a, b in pairwise(pages))


def is_contents_heading(block: Block) -> bool:
    """ "Innehåll", "Innehållsförteckning", "INNEHÅLL:", "Contents", "Table of
    contents" standing alone, as a heading or a paragraph."""
    return block.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH) and bool(
        _TOC_HEADING.match(block.text.strip())
    )


class _Layout(NamedTuple):
    """What the splitter learns from a document's blocks before it splits them."""

    skipped: frozenset[int]  # blocks left out: the contents, its heading included
    entries: tuple[tuple[int, ContentsEntry], ...]  # (first block after its contents, entry)
    headings: dict[int, tuple[int, str]]  # heading block -> (level, its text in a section path)
    found: frozenset[int]  # the entries (by position) found as headings after the contents
    title_end: int  # the first block after the title page


def _layout(blocks: list[Block]) -> _Layout:
    parsed: dict[int, list[ContentsEntry]] = {}

    def entries_at(index: int) -> list[ContentsEntry]:
        if index not in parsed:
            parsed[index] = parse_entries(blocks[index].text)
        return parsed[index]

    skipped: set[int] = set()
    entries: list[tuple[int, ContentsEntry]] = []
    contents_start: int | None = None
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if is_contents_heading(block):
            end, found = _contents_after(blocks, index, entries_at)
        elif entries_at(index) and _headless_run(blocks, index, entries_at):
            end, found = _contents_after(blocks, index, entries_at, strict=True)
        elif entries_at(index) and _DOTS.search(block.text):
            end, found = index + 1, list(entries_at(index))  # a contents line astray
        else:
            index += 1
            continue
        if contents_start is None and (
            is_contents_heading(block) or (end - index > 1 and index < _HEADLESS_TITLE_BLOCKS)
        ):
            contents_start = index
        skipped.update(range(index, end))
        entries.extend((end, entry) for entry in found)
        index = end
    title_end = next(
        (
            number
            for number, block in enumerate(blocks)
            if block.page is not None and block.page > 1
        ),
        len(blocks),
    )
    if contents_start is not None:
        title_end = min(title_end, contents_start)
    elif title_end == len(blocks):
        title_end = 0
    headings, found = _headings(blocks, skipped, entries)
    return _Layout(frozenset(skipped), tuple(entries), headings, found, title_end)


def _headless_run(blocks: list[Block], index: int, entries_at) -> bool:
    """Do the blocks from ``index`` on list enough entries, in page order, numbered or
    with dot leaders and capitalised, to be a contents without a heading?"""
    found: list[ContentsEntry] = []
    for number in range(index, len(blocks)):
        block = blocks[number]
        entries = entries_at(number)
        if not entries or not _strong_block(block, entries):
            break
        found.extend(entries)
        if len(found) >= _HEADLESS_ENTRIES:
            return _in_order(found)
    return False


def _strong_block(block: Block, entries: list[ContentsEntry]) -> bool:
    if len(entries) > 1:
        return True  # parse_entries asks as much of a run
    entry = entries[0]
    return _capitalised(entry.title) and bool(entry.number or _DOTS.search(block.text))


def _contents_after(
    blocks: list[Block], start: int, entries_at, strict: bool = False
) -> tuple[int, list[ContentsEntry]]:
    """The end (exclusive) of the contents that begins at ``start`` (its heading, or
    its first entry) and the entries it lists. It ends at the first block that is no
    entry, and it never hides more than the pages its entries are on: an entry may
    go on to the next page, but only an entry, and an entry with neither dots nor a
    cell border must not go back in the pages. On the contents' own page a heading
    smaller than the contents heading, followed by an entry or by the next page, is
    an entry set in bold without its page number."""
    opener = blocks[start]
    heading = is_contents_heading(opener)
    last_page = opener.page
    found: list[ContentsEntry] = []
    number = start + 1 if heading else start
    while number < len(blocks):
        block = blocks[number]
        entries = entries_at(number)
        if entries and strict and not _strong_block(block, entries):
            break
        if entries and _backwards(block, entries, found):
            break  # "Bilaga 1" after entries up to page 7: a heading, not an entry
        if entries and (block.page is None or last_page is None or block.page <= last_page + 1):
            found.extend(entries)
            last_page = block.page if block.page is not None else last_page
        elif heading and _bold_entry(blocks, number, opener, last_page, entries_at):
            match = _HEADING_NUMBER.match(block.text.strip())
            found.append(
                ContentsEntry(match["number"].rstrip("."), match["title"], None)
                if match
                else ContentsEntry("", block.text.strip(), None)
            )
        else:
            break
        number += 1
    return number, found


def _backwards(block: Block, entries: list[ContentsEntry], found: list[ContentsEntry]) -> bool:
    """Does a block that reads as an entry only by a number after spaces go back in
    the pages the contents has listed so far?"""
    pages = [entry.page for entry in found if entry.page is not None]
    return (
        bool(pages)
        and (entries[0].page or 0) < pages[-1]
        and not _DOTS.search(block.text)
        and "|" not in block.text
    )


def _bold_entry(
    blocks: list[Block], number: int, opener: Block, page: int | None, entries_at
) -> bool:
    block = blocks[number]
    if (
        block.kind is not BlockKind.HEADING
        or block.page is None
        or block.page != page
        or (block.level or 1) <= (opener.level or 1)
        or count_words(block.text) > _HEADING_WORDS
    ):
        return False
    if number + 1 == len(blocks):
        return True
    after = blocks[number + 1]
    return after.page is None or after.page > block.page or bool(entries_at(number + 1))


# -- the contents as an oracle of headings ----------------------------------------


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _headings(
    blocks: list[Block], skipped: set[int], entries: list[tuple[int, ContentsEntry]]
) -> tuple[dict[int, tuple[int, str]], frozenset[int]]:
    """Every heading's level and section text, the paragraphs and list items that the
    contents shows to be headings among them, and the entries found as headings."""
    by_title: dict[str, list[int]] = {}
    for position, (_, entry) in enumerate(entries):
        by_title.setdefault(_key(entry.title), []).append(position)
    candidates: dict[int, list[int]] = {}  # block -> entries (by position) it may be
    if by_title:
        for number, block in enumerate(blocks):
            if number in skipped or block.kind is BlockKind.TABLE_ROW:
                continue
            if block.kind is not BlockKind.HEADING and (count_words(block.text) > _HEADING_WORDS):
                continue
            listed = [p for p in _listed(block.text, by_title, entries) if entries[p][0] <= number]
            if listed:
                candidates[number] = listed
    offset = _page_offset(blocks, candidates, entries)

    def fits(number: int, position: int) -> bool:
        page, listed = blocks[number].page, entries[position][1].page
        if page is None or listed is None:
            return True
        return abs(page - listed) <= _PAGE_SLACK or abs(page - listed - offset) <= 1

    matched: dict[int, int] = {}  # block -> the entry (by position) it is
    for number, positions in candidates.items():
        position = next((p for p in positions if fits(number, p)), None)
        if position is not None:
            matched[number] = position
    promoted = {
        number
        for number in matched
        if blocks[number].kind is BlockKind.PARAGRAPH
        or (blocks[number].kind is BlockKind.LIST_ITEM and _heading_list(blocks, number, matched))
    }
    levels = _levels_by_depth(blocks, matched, entries)
    headings: dict[int, tuple[int, str]] = {}
    for number, block in enumerate(blocks):
        if number in skipped or not (block.kind is BlockKind.HEADING or number in promoted):
            continue
        text = block.text
        own = _HEADING_NUMBER.match(text.strip())
        entry = entries[matched[number]][1] if number in matched else None
        if own is None and entry is not None and entry.number:
            text = f"{entry.number} {text}"  # the number Word or the reader left off
        depth = number_depth(own["number"]) if own else (entry.depth if entry else 0)
        # a promoted block has no heading level; a heading without one gets its depth
        promoted_level = _level_for(depth or 1, levels) if number in promoted else None
        level = promoted_level or block.level or depth or 1
        headings[number] = (level, text)
    found = frozenset(
        position
        for number, position in matched.items()
        if blocks[number].kind is BlockKind.HEADING or number in promoted
    )
    return headings, found


def _listed(text: str, by_title: dict[str, list[int]], entries) -> list[int]:
    """The entries (by position) whose title ``text`` is, with or without the number."""
    found = list(by_title.get(_key(text), ()))
    own = _HEADING_NUMBER.match(text.strip())
    if own is not None:
        number = own["number"].rstrip(".")
        found.extend(
            position
            for position in by_title.get(_key(own["title"]), ())
            if entries[position][1].number in (number, "")
        )
    return found


def _page_offset(blocks: list[Block], candidates: dict[int, list[int]], entries) -> int:
    """The most common difference between where a listed title stands and the page
    the contents gives it: printed page numbers often start after the cover."""
    differences = Counter(
        blocks[number].page - entries[position][1].page
        for number, positions in candidates.items()
        for position in positions
        if blocks[number].page is not None and entries[position][1].page is not None
    )
    if not differences:
        return 0
    best = max(differences.values())
    return min((d for d, n in differences.items() if n == best), key=abs)


def _heading_list(blocks: list[Block], number: int, matched: dict[int, int]) -> bool:
    """Is the list item ``number`` a numbered heading read as a list item? Only if every
    item of its run is a listed title and no paragraph ending in a colon leads it in."""
    first = number
    while first > 0 and blocks[first - 1].kind is BlockKind.LIST_ITEM:
        first -= 1
    last = number
    while last + 1 < len(blocks) and blocks[last + 1].kind is BlockKind.LIST_ITEM:
        last += 1
    if first > 0 and blocks[first - 1].text.rstrip().endswith(":"):
        return False
    return all(item in matched for item in range(first, last + 1))


def _levels_by_depth(blocks: list[Block], matched: dict[int, int], entries) -> dict[int, int]:
    """The heading level the reader gives each depth of section number, as the
    headings it found show it: a PDF reader's levels follow type sizes."""
    seen: dict[int, Counter[int]] = {}
    for number, position in matched.items():
        block = blocks[number]
        if block.kind is BlockKind.HEADING and block.level is not None:
            own = _HEADING_NUMBER.match(block.text.strip())
            depth = number_depth(own["number"]) if own else entries[position][1].depth
            seen.setdefault(depth, Counter())[block.level] += 1
    return {depth: counts.most_common(1)[0][0] for depth, counts in seen.items()}


def _level_for(depth: int, levels: dict[int, int]) -> int:
    if not levels:
        return depth
    known = max((d for d in levels if d <= depth), default=min(levels))
    return max(1, levels[known] + depth - known)


def contents_entries(blocks: Iterable[Block]) -> list[ContentsEntry]:
    """The entries of the document's tables of contents, in order."""
    return [entry for _, entry in _layout(list(blocks)).entries]


def listed_headings_missing(blocks: Iterable[Block]) -> list[str]:
    """The headings the table of contents lists that are not found as headings after
    it, each as ``'2.3 Mobila team' (p. 7)``, in the order listed; ``[]`` when all
    are found or the document has no contents.

    A heading counts as found where a heading block, or a short paragraph or list
    item, after the contents has the listed title (with or without its number) on
    the listed page, give or take two pages or one around the most common offset of
    printed page numbers. For a warning such as "the contents page lists headings
    that were not found: " + ", ".join(missing). Pure, and linear in the blocks.
    """
    layout = _layout(list(blocks))
    missing: list[str] = []
    for position, (_, entry) in enumerate(layout.entries):
        if position in layout.found:
            continue
        label = f"'{entry.label}'" + (f" (p. {entry.page})" if entry.page is not None else "")
        if label not in missing:
            missing.append(label)
    return missing


# -- passages ---------------------------------------------------------------------


def split_passages(doc_id: str, blocks: Iterable[Block]) -> list[Passage]:
    """Turn a document's blocks into passages, in order, indexed from 0.

    Headings on the title page are passages but do not open sections. A table of
    contents, known by its heading or by its entries, is left out, and nothing
    else: it ends at the first block that is no entry (:func:`parse_entries`). A
    short paragraph or list item after it that the contents lists is a heading
    (a numbered heading a reader took for a list item); a numbered heading keeps its
    number in the section path, and one without a level is set at the depth of its
    number. A block longer than :data:`MAX_PASSAGE_CHARS` is cut into several
    passages (:func:`pieces`).
    """
    blocks = list(blocks)
    layout = _layout(blocks)
    passages: list[Passage] = []
    path: list[tuple[int, str]] = []  # (level, heading text)
    previous: BlockKind | None = None
    context = ""
    for number, block in enumerate(blocks):
        if number in layout.skipped:
            previous = block.kind
            continue
        kind = BlockKind.HEADING if number in layout.headings else block.kind
        if kind is BlockKind.HEADING and number >= layout.title_end:
            level, text = layout.headings[number]
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, text))
        if kind is BlockKind.LIST_ITEM:
            if previous is BlockKind.PARAGRAPH and number > 0:
                context = lead_in(blocks[number - 1].text)
            elif previous is not BlockKind.LIST_ITEM:
                context = ""
        section = SECTION_SEPARATOR.join(text for _, text in path)
        for text in pieces(block.text):
            passages.append(
                Passage(
                    doc_id=doc_id,
                    index=len(passages),
                    kind=kind,
                    text=text,
                    page=block.page,
                    section=section,
                    context=context if kind is BlockKind.LIST_ITEM else "",
                    word_count=count_words(text),
                )
            )
        previous = kind
    return passages
