"""Blocks become passages with a section path, a lead-in for list items, no contents list."""

from __future__ import annotations

from nvreport.ingest.normalize import count_words
from nvreport.ingest.passages import MAX_PASSAGE_CHARS, pieces, split_passages
from nvreport.models import Block, BlockKind

H, P, L, T = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW


def test_section_path_follows_heading_levels() -> None:
    blocks = [
        Block(H, "Region Testberga", 1, 1),
        Block(H, "2 Personcentrering", 3, 2),
        Block(H, "2.1 Fast vårdkontakt", 3, 3),
        Block(P, "Alla vårdcentraler erbjuder fast vårdkontakt.", 3),
        Block(H, "3 Samverkan", 4, 2),
        Block(P, "Regionen och kommunerna har ett gemensamt avtal.", 4),
    ]
    passages = split_passages("abc", blocks)
    sections = {p.text: p.section for p in passages}
    assert sections["Alla vårdcentraler erbjuder fast vårdkontakt."] == (
        "2 Personcentrering > 2.1 Fast vårdkontakt"
    )
    assert sections["Regionen och kommunerna har ett gemensamt avtal."] == "3 Samverkan"
    # the title page's heading is a passage, but opens no section
    assert sections["Region Testberga"] == ""
    assert [p.index for p in passages] == list(range(len(passages)))
    assert [p.page for p in passages] == [1, 3, 3, 3, 4, 4]


def test_list_items_keep_their_lead_in_sentence() -> None:
    blocks = [
        Block(P, "Arbetet har pågått hela året. Följande insatser har genomförts:", 2),
        Block(L, "riktade hälsosamtal", 2, 1),
        Block(L, "mobila team i två kommuner", 2, 1),
        Block(P, "Därefter följde en utvärdering.", 2),
        Block(H, "Ny rubrik", 2, 2),
        Block(L, "punkt direkt under en rubrik", 2, 1),
    ]
    passages = split_passages("abc", blocks)
    contexts = {p.text: p.context for p in passages}
    assert contexts["riktade hälsosamtal"] == "Följande insatser har genomförts:"
    assert contexts["mobila team i två kommuner"] == "Följande insatser har genomförts:"
    assert contexts["Därefter följde en utvärdering."] == ""
    assert contexts["punkt direkt under en rubrik"] == ""


def test_table_of_contents_is_left_out() -> None:
    blocks = [
        Block(H, "Innehållsförteckning", 2, 1),
        Block(P, "1 Inledning 3", 2),
        Block(P, "2 Patientkontrakt 5", 2),
        Block(H, "1 Inledning", 3, 1),
        Block(P, "Patientkontrakt .......... 5", 3),
        Block(P, "Rapporten beskriver arbetet under året.", 3),
    ]
    texts = [p.text for p in split_passages("abc", blocks)]
    assert texts == ["1 Inledning", "Rapporten beskriver arbetet under året."]


def test_word_counts_and_kinds() -> None:
    blocks = [
        Block(P, "Hälso- och sjukvården har utvecklat e-hälsa för ST-läkare.", None),
        Block(T, "Insats | Belopp", None),
    ]
    passages = split_passages("abc", blocks)
    assert [p.word_count for p in passages] == [8, 2]
    assert [p.kind for p in passages] == [P, T]
    assert passages[0].page is None


def test_contents_heading_larger_than_the_sections_ends_at_the_next_page() -> None:
    """LibreOffice sets "Innehåll" larger than the section headings that follow it."""
    blocks = [
        Block(H, "Innehåll", 2, 1),
        Block(P, "1 Inledning 3", 2),
        Block(H, "2 Personcentrerad vård", 2, 3),  # a contents entry set in bold
        Block(H, "1 Inledning", 3, 2),
        Block(P, "Regionen redovisar här sitt arbete.", 3),
        Block(H, "2 Personcentrerad vård", 3, 2),
        Block(P, "Alla vårdcentraler arbetar personcentrerat.", 3),
    ]
    texts = [p.text for p in split_passages("abc", blocks)]
    assert texts == [
        "1 Inledning",
        "Regionen redovisar här sitt arbete.",
        "2 Personcentrerad vård",
        "Alla vårdcentraler arbetar personcentrerat.",
    ]


def test_a_block_longer_than_a_passage_is_cut_at_sentence_ends() -> None:
    sentence = "Kommunen erbjuder förebyggande hembesök till alla som fyller 80 år. "
    text = (sentence * 400).strip()  # 27,000 characters
    passages = split_passages("d", [Block(BlockKind.PARAGRAPH, text, 3)])
    assert len(passages) == 3
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in passages)
    assert all(p.text.endswith("80 år.") and p.text.startswith("Kommunen") for p in passages)
    assert " ".join(p.text for p in passages) == text  # nothing lost, nothing added
    assert [p.index for p in passages] == [0, 1, 2] and {p.page for p in passages} == {3}
    assert sum(p.word_count for p in passages) == count_words(text)


def test_text_without_sentence_ends_is_cut_at_spaces_or_at_the_limit() -> None:
    words = "hemsjukvård " * 3000
    assert " ".join(pieces(words.strip())) == words.strip()
    assert all(len(piece) <= MAX_PASSAGE_CHARS for piece in pieces(words.strip()))
    solid = "x" * 25_000
    assert [len(piece) for piece in pieces(solid)] == [10_000, 10_000, 5_000]
    assert pieces("kort text") == ["kort text"]
