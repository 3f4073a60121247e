"""A table of contents is known by its entries, hides nothing but itself, and tells
which short paragraphs after it are the headings it lists (issue 15)."""

from __future__ import annotations

from nvreport.ingest.normalize import count_words
from nvreport.ingest.passages import (
    ContentsEntry,
    contents_entries,
    listed_headings_missing,
    parse_entries,
    split_passages,
)
from nvreport.models import Block, BlockKind

H, P, L, T = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW

INTRO = (
    "Kommunstyrelsen redovisar i denna rapport hur medlen för omställningen till en god "
    "och nära vård har använts under verksamhetsåret."
)
BACKGROUND = "Överenskommelsen mellan staten och Sveriges Kommuner och Regioner ligger till grund."
TEAMS = "De mobila teamen har under året gjort hembesök i samtliga kommundelar."
FOLLOW_UP = "Uppföljningen redovisas till nämnden två gånger per år."


def words(passages) -> int:
    return sum(passage.word_count for passage in passages)


def sections(passages) -> dict[str, str]:
    return {passage.text: passage.section for passage in passages}


def test_numbered_headings_read_as_list_items_after_the_contents_are_not_lost() -> None:
    """The bug of issue 15: the reader took "1. Inledning" for a list item and cut
    its number; the contents never ended and every later block was dropped."""
    body = [
        Block(L, "Inledning", 3, 1),
        Block(P, INTRO, 3),
        Block(L, "Bakgrund", 4, 1),
        Block(P, BACKGROUND, 4),
        Block(L, "Mobila team", 5, 1),
        Block(P, TEAMS, 5),
    ]
    blocks = [
        Block(H, "Årsredovisning av omställningen till nära vård", 1, 1),
        Block(H, "Innehåll", 2, 1),
        Block(P, "1. Inledning 3", 2),
        Block(P, "2. Bakgrund 4", 2),
        Block(P, "2.1 Mobila team 5", 2),
        *body,
    ]
    passages = split_passages("d", blocks)
    after = passages[1:]
    assert [p.text for p in after] == [block.text for block in body]
    assert words(after) == sum(count_words(block.text) for block in body)
    assert [p.kind for p in after] == [H, P, H, P, H, P]
    assert sections(passages)[INTRO] == "1 Inledning"
    assert sections(passages)[BACKGROUND] == "2 Bakgrund"
    assert sections(passages)[TEAMS] == "2 Bakgrund > 2.1 Mobila team"
    assert listed_headings_missing(blocks) == []


def test_the_same_without_pages_ends_at_the_first_block_that_is_no_entry() -> None:
    blocks = [
        Block(H, "Innehållsförteckning", None, 1),
        Block(P, "1 Inledning 3", None),
        Block(P, "2 Bakgrund 4", None),
        Block(P, "Inledning", None),
        Block(P, INTRO, None),
        Block(L, "2 Bakgrund", None, 1),
        Block(P, BACKGROUND, None),
    ]
    passages = split_passages("d", blocks)
    assert [(p.kind, p.text, p.section) for p in passages] == [
        (H, "Inledning", "1 Inledning"),
        (P, INTRO, "1 Inledning"),
        (H, "2 Bakgrund", "2 Bakgrund"),
        (P, BACKGROUND, "2 Bakgrund"),
    ]


def test_a_contents_heading_with_a_colon_and_entries_with_three_dots() -> None:
    blocks = [
        Block(P, "Innehåll:", None),
        Block(P, "Inledning ... 3", None),
        Block(P, "Uppföljning ... 5", None),
        Block(H, "Inledning", None, 1),
        Block(P, INTRO, None),
        Block(H, "Uppföljning", None, 1),
        Block(P, FOLLOW_UP, None),
    ]
    passages = split_passages("d", blocks)
    assert [p.text for p in passages] == ["Inledning", INTRO, "Uppföljning", FOLLOW_UP]
    assert [p.section for p in passages] == ["Inledning", "Inledning", "Uppföljning", "Uppföljning"]
    assert contents_entries(blocks) == [
        ContentsEntry("", "Inledning", 3),
        ContentsEntry("", "Uppföljning", 5),
    ]


def test_the_contents_heading_never_roots_a_section_path() -> None:
    """A heading "INNEHÅLL:" was not known as the contents: it opened a section and
    every heading of the report hung under it."""
    blocks = [
        Block(H, "INNEHÅLL:", 2, 1),
        Block(P, "1 Inledning ... 3", 2),
        Block(P, "2 Uppföljning ... 4", 2),
        Block(H, "1 Inledning", 3, 1),
        Block(P, INTRO, 3),
        Block(H, "2 Uppföljning", 4, 1),
        Block(P, FOLLOW_UP, 4),
    ]
    passages = split_passages("d", blocks)
    assert "INNEHÅLL:" not in [p.text for p in passages]
    assert not any("INNEHÅLL" in p.section for p in passages)
    assert sections(passages)[FOLLOW_UP] == "2 Uppföljning"


def test_a_contents_that_runs_to_a_second_page() -> None:
    blocks = [
        Block(H, "Innehåll", 2, 1),
        Block(T, "1 Inledning . . . . . . . . | 4", 2),
        Block(T, "2 Bakgrund . . . . . . . . | 5", 2),
        Block(T, "2.1 Mobila team . . . . . . | 6", 3),
        Block(T, "3 Uppföljning . . . . . . . | 7", 3),
        Block(H, "1 Inledning", 4, 2),
        Block(P, INTRO, 4),
        Block(H, "2 Bakgrund", 5, 2),
        Block(P, BACKGROUND, 5),
        Block(H, "2.1 Mobila team", 6, 3),
        Block(P, TEAMS, 6),
        Block(H, "3 Uppföljning", 7, 2),
        Block(P, FOLLOW_UP, 7),
    ]
    passages = split_passages("d", blocks)
    assert [p.page for p in passages] == [4, 4, 5, 5, 6, 6, 7, 7]
    assert sections(passages)[TEAMS] == "2 Bakgrund > 2.1 Mobila team"
    assert listed_headings_missing(blocks) == []


def test_the_contents_hides_no_more_than_its_entries() -> None:
    """Text on the contents page after the last entry, and a heading-like line on the
    next page, are report text."""
    note = "Rapporten har beslutats av regionstyrelsen den 20 februari."
    blocks = [
        Block(H, "Innehåll", 2, 1),
        Block(P, "1 Inledning 3", 2),
        Block(P, note, 2),
        Block(P, "Inledning", 3),
        Block(P, INTRO, 3),
    ]
    passages = split_passages("d", blocks)
    assert [p.text for p in passages] == [note, "Inledning", INTRO]
    assert passages[1].kind is H and passages[2].section == "1 Inledning"


def test_entries_run_together_in_one_block_without_a_contents_heading() -> None:
    """A PDF reader may join the lines of a contents page into one paragraph."""
    blocks = [
        Block(H, "Redovisning av statsbidrag för nära vård", 1, 1),
        Block(P, "1. Inledning 3 2. Bakgrund 4 2.1 Mobila team 5 3. Uppföljning 6", 2),
        Block(P, "1. Inledning", 3),
        Block(P, INTRO, 3),
        Block(P, "2. Bakgrund", 4),
        Block(P, BACKGROUND, 4),
        Block(P, "2.1 Mobila team", 5),
        Block(P, TEAMS, 5),
    ]
    passages = split_passages("d", blocks)
    assert [p.text for p in passages][1:] == [block.text for block in blocks[2:]]
    assert sections(passages)[TEAMS] == "2. Bakgrund > 2.1 Mobila team"
    assert sections(passages)["Redovisning av statsbidrag för nära vård"] == ""  # title page
    assert listed_headings_missing(blocks) == ["'3 Uppföljning' (p. 6)"]


def test_printed_page_numbers_offset_from_the_pdf_pages() -> None:
    """The printed page 1 is the third page of the file: the headings stand two pages
    after where the contents puts them; a listed title far from its page is text."""
    blocks = [
        Block(H, "Innehåll", 2, 1),
        Block(P, "1 Inledning 1", 2),
        Block(P, "2 Bakgrund 2", 2),
        Block(P, "2.1 Mobila team 4", 2),
        Block(P, "3 Uppföljning 7", 2),
        Block(L, "Inledning", 3, 1),
        Block(P, INTRO, 3),
        Block(L, "Bakgrund", 4, 1),
        Block(P, BACKGROUND, 4),
        Block(L, "Mobila team", 6, 1),
        Block(P, TEAMS, 6),
        Block(P, "Mobila team", 12),  # a caption far from page 4 + 2
        Block(P, FOLLOW_UP, 12),
    ]
    passages = split_passages("d", blocks)
    kinds = [(p.kind, p.text, p.page) for p in passages]
    assert (H, "Mobila team", 6) in kinds
    assert (P, "Mobila team", 12) in kinds
    assert sections(passages)[TEAMS] == "2 Bakgrund > 2.1 Mobila team"
    assert sections(passages)[FOLLOW_UP] == "2 Bakgrund > 2.1 Mobila team"
    assert listed_headings_missing(blocks) == ["'3 Uppföljning' (p. 7)"]


def test_a_numbered_list_in_body_text_stays_a_list() -> None:
    """List items that happen to repeat listed titles, led in by a sentence ending in
    a colon or among other items, are a list, not headings."""
    blocks = [
        Block(H, "Innehåll", None, 1),
        Block(P, "1 Inledning 3", None),
        Block(P, "2 Mobila team 4", None),
        Block(P, "3 Uppföljning 5", None),
        Block(H, "1 Inledning", None, 1),
        Block(P, "Rapporten behandlar följande områden:", None),
        Block(L, "Mobila team", None, 1),
        Block(L, "Uppföljning", None, 1),
        Block(P, "Därtill redovisas de ekonomiska förutsättningarna.", None),
        Block(L, "hälsosamtal", None, 1),
        Block(L, "Mobila team", None, 1),
        Block(H, "2 Mobila team", None, 1),
        Block(P, TEAMS, None),
    ]
    passages = split_passages("d", blocks)
    lists = [p for p in passages if p.kind is L]
    assert [p.text for p in lists] == ["Mobila team", "Uppföljning", "hälsosamtal", "Mobila team"]
    assert {p.section for p in lists} == {"1 Inledning"}
    assert lists[0].context == "Rapporten behandlar följande områden:"
    assert listed_headings_missing(blocks) == ["'3 Uppföljning' (p. 5)"]


def test_section_paths_carry_numbers_and_levels_follow_them() -> None:
    blocks = [
        Block(H, "2 Personcentrerad vård", None, None),
        Block(H, "2.3 Mobila team", None, None),
        Block(H, "2.3.1 Hembesök", None, None),
        Block(P, TEAMS, None),
        Block(H, "2.4 Uppföljning", None, None),
        Block(P, FOLLOW_UP, None),
    ]
    found = sections(split_passages("d", blocks))
    assert found[TEAMS] == "2 Personcentrerad vård > 2.3 Mobila team > 2.3.1 Hembesök"
    assert found[FOLLOW_UP] == "2 Personcentrerad vård > 2.4 Uppföljning"


def test_a_heading_without_its_number_gets_it_from_the_contents() -> None:
    blocks = [
        Block(H, "Innehåll", None, 1),
        Block(P, "1 Inledning 3", None),
        Block(P, "2 Mobila team 4", None),
        Block(H, "Inledning", None, 1),
        Block(P, INTRO, None),
        Block(H, "Mobila team", None, 1),
        Block(P, TEAMS, None),
    ]
    found = sections(split_passages("d", blocks))
    assert found[INTRO] == "1 Inledning"
    assert found[TEAMS] == "2 Mobila team"


def test_promoted_headings_take_the_levels_the_reader_gives_their_depth() -> None:
    """A PDF reader's levels follow type sizes: a list item read for "2.1" nests
    under the level-4 heading "2 Bakgrund", and a following "3" closes both."""
    blocks = [
        Block(H, "Innehåll", 2, 3),
        Block(P, "1 Inledning 3", 2),
        Block(P, "2 Bakgrund 3", 2),
        Block(P, "2.1 Mobila team 3", 2),
        Block(P, "3 Uppföljning 3", 2),
        Block(H, "1 Inledning", 3, 4),
        Block(P, INTRO, 3),
        Block(H, "2 Bakgrund", 3, 4),
        Block(L, "Mobila team", 3, 1),
        Block(P, TEAMS, 3),
        Block(H, "3 Uppföljning", 3, 4),
        Block(P, FOLLOW_UP, 3),
    ]
    found = sections(split_passages("d", blocks))
    assert found[TEAMS] == "2 Bakgrund > 2.1 Mobila team"
    assert found[FOLLOW_UP] == "3 Uppföljning"


def test_what_is_and_is_not_a_contents_entry() -> None:
    assert parse_entries("2.3 Mobila team ..... 7") == [ContentsEntry("2.3", "Mobila team", 7)]
    assert parse_entries("Inledning … 3") == [ContentsEntry("", "Inledning", 3)]
    assert parse_entries("1 Inledning | 3") == [ContentsEntry("1", "Inledning", 3)]
    assert parse_entries("5.2 Fysisk aktivitet på recept (FaR) 5") == [
        ContentsEntry("5.2", "Fysisk aktivitet på recept (FaR)", 5)
    ]
    assert parse_entries("1. Inledning 3 2. Bakgrund 4 2.1 Mobila team 5") == [
        ContentsEntry("1", "Inledning", 3),
        ContentsEntry("2", "Bakgrund", 4),
        ContentsEntry("2.1", "Mobila team", 5),
    ]
    assert parse_entries("Verksamhetsåret 2022") == []  # a year, not a page
    assert parse_entries("Regionen har 13 kommuner och 365 000 invånare 2022") == []
    assert parse_entries("Uppföljningen redovisas till nämnden.") == []
    prose = " ".join(["Kommunen har under året utvecklat samverkan med regionen."] * 4) + " 3"
    assert parse_entries(prose) == []  # too long to be an entry


def test_figures_in_a_table_or_prose_are_no_contents() -> None:
    blocks = [
        Block(H, "Mobila team", 3, 1),
        Block(T, "Kommun | Hembesök", 3),
        Block(T, "Alvesta | 12", 3),
        Block(T, "Lessebo | 14", 3),
        Block(T, "Ljungby | 31", 3),
        Block(P, "Antalet hembesök har ökat jämfört med föregående år.", 3),
    ]
    passages = split_passages("d", blocks)
    assert [p.text for p in passages] == [block.text for block in blocks]
    assert contents_entries(blocks) == []
    assert listed_headings_missing(blocks) == []


def test_a_heading_ending_in_a_number_after_the_contents_is_no_entry() -> None:
    appendix = "Bilagan redovisar antalet hembesök per kommun."
    blocks = [
        Block(H, "Innehåll", None, 1),
        Block(P, "1 Inledning 3", None),
        Block(P, "2 Mobila team 5", None),
        Block(H, "Bilaga 1", None, 1),
        Block(P, appendix, None),
    ]
    passages = split_passages("d", blocks)
    assert [(p.text, p.section) for p in passages] == [
        ("Bilaga 1", "Bilaga 1"),
        (appendix, "Bilaga 1"),
    ]
