"""Every word of a PDF's pages, in order: the passages against independent extractors.

PDFs from several producers (hand-written bytes, reportlab's canvas and Platypus,
pdfium, Chromium's print, LibreOffice where installed), each with one of the cases
that lose or scramble text (issue 15), are made once per session by
``tests/pdf_factory.py``. Every page's passages (``read_pdf`` -> ``split_passages``)
are held against poppler's ``pdftotext`` (clipped to the crop box) and pdfminer.six:
body-word recall of at least 0.99 per page, and at least 95% of the passages'
adjacent word pairs adjacent in the reference page. The comparison rules are in
``pdf_factory`` and shared with ``benchmarks/pdf_dev.py``.

A reference that is itself wrong about a fixture (pdfminer keeps text outside the crop
box, reads a glyph drawn twice twice, gives right-to-left text in visual order, and
scrambles the justified lines of Chromium's columns) is not held against the reader:
the test checks for that flaw in the reference's text and skips, saying so. Then come
the checks a user would notice, one per case.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

import pdf_factory as factory
from nvreport.ingest.passages import SECTION_SEPARATOR, split_passages
from nvreport.ingest.readers.pdf import garbled_text, read_pdf
from nvreport.models import BlockKind, ReadResult

FIXTURES = {fixture.name: fixture for fixture in factory.FIXTURES}
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
RECALL = 0.99
ORDER = 0.95


@dataclass
class Read:
    path: Path
    result: ReadResult
    passages: list

    @property
    def text(self) -> str:
        return "\n".join(passage.text for passage in self.passages)

    @property
    def words(self) -> list[str]:
        return factory.words(" ".join(passage.text for passage in self.passages))

    def of_kind(self, kind: BlockKind) -> list:
        return [passage for passage in self.passages if passage.kind is kind]


@pytest.fixture(scope="session")
def factory_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf-factory")


_MADE: dict[str, Path | BaseException] = {}
_READ: dict[str, Read] = {}
_REFERENCES: dict[tuple[str, str], list[str]] = {}


def made(folder: Path, name: str) -> Path:
    """The PDF of fixture ``name``, made on first use; skipped without its program."""
    fixture = FIXTURES[name]
    if fixture.needs == "chromium" and factory.chromium_executable() is None:
        pytest.skip("needs chromium")
    if fixture.needs == "soffice" and factory.soffice_executable() is None:
        pytest.skip("needs LibreOffice (soffice)")
    if name not in _MADE:
        try:
            _MADE[name] = fixture.make(folder / f"{name}.pdf")
        except Exception as error:
            _MADE[name] = error
    found = _MADE[name]
    if isinstance(found, BaseException):
        raise found
    return found


def read(folder: Path, name: str) -> Read:
    if name not in _READ:
        path = made(folder, name)
        result = read_pdf(path)
        _READ[name] = Read(path, result, split_passages(name, result.blocks))
    return _READ[name]


def reference_texts(folder: Path, name: str, which: str) -> list[str]:
    key = (name, which)
    if key not in _REFERENCES:
        found = read(folder, name)
        if which == "pdftotext":
            if not Path(PDFTOTEXT).exists():
                pytest.skip("needs poppler's pdftotext")
            texts = factory.pdftotext_pages(found.path, PDFTOTEXT)
        else:
            texts = factory.pdfminer_pages(found.path, len(factory.page_boxes(found.path)))
        _REFERENCES[key] = texts
    return _REFERENCES[key]


def reference_flaw(texts: list[str]) -> str | None:
    """What is wrong with a reference's own text of a fixture, if anything."""
    whole = "\n".join(texts)
    hidden = [factory.HIDDEN_BELOW.split()[0], factory.HIDDEN_BESIDE.split()[0]]
    if any(word in whole for word in hidden):
        return "it keeps text outside the crop box"
    for text in texts:
        if sum(window.split()[0] in text for window in factory.WINDOW_TEXTS) > 1:
            return "it reads the whole shared content stream on every page window"
    if whole.count(factory.FAKE_BOLD_HEADING) > 1:
        return "it reads a glyph drawn twice twice"
    hebrew = factory.RTL_HEBREW.split()[0]
    found = hebrew in whole or hebrew[::-1] in whole
    if found and factory.RTL_HEBREW not in " ".join(whole.split()):
        return "it gives right-to-left text in visual order"
    return None


#: Text a fixture holds in this order, whatever its layout: a reference whose words
#: do not have it in order is wrong about that fixture.
IN_ORDER = {
    "raw_three_columns": factory.column_texts(),
    "chromium_columns": factory.chromium_column_texts(),
}


def reference(folder: Path, name: str, which: str) -> list[factory.ReferencePage]:
    texts = reference_texts(folder, name, which)
    flaw = reference_flaw(texts)
    sequence = factory.split_connectors(factory.words("\n".join(texts)))
    if not flaw and any(
        not runs_in(sequence, factory.words(text)) for text in IN_ORDER.get(name, [])
    ):
        flaw = "it does not give the text of each column whole and in order"
    if flaw:
        pytest.skip(f"{which} is no reference for {name}: {flaw}")
    return factory.reference_pages(texts)


NAMES = list(FIXTURES)
REFERENCE_NAMES = ["pdftotext", "pdfminer"]


# --------------------------------------------------------------------------------------
# Every page: its words, in order
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", REFERENCE_NAMES)
@pytest.mark.parametrize("name", NAMES)
def test_every_body_word_of_every_page_is_in_its_passages(
    factory_folder: Path, name: str, which: str
) -> None:
    found = read(factory_folder, name)
    pages = reference(factory_folder, name, which)
    scores = factory.page_recall(pages, found.passages)
    by_page = factory.passage_words_by_page(found.passages, len(pages))
    low = []
    for score in scores:
        if score.recall < RECALL:
            lost = Counter(pages[score.page - 1].body_words) - by_page[score.page - 1]
            low.append((score.page, round(score.recall, 3), sorted(lost)[:12]))
    assert not low, f"pages read short of {which}'s text (page, recall, lost words): {low}"


@pytest.mark.parametrize("which", REFERENCE_NAMES)
@pytest.mark.parametrize("name", NAMES)
def test_words_of_every_page_come_in_the_reference_order(
    factory_folder: Path, name: str, which: str
) -> None:
    found = read(factory_folder, name)
    pages = reference(factory_folder, name, which)
    counts, scrambles = factory.pair_agreement(pages, found.passages)
    bad = [
        (page, f"{good}/{total}")
        for page, (total, good) in enumerate(counts, start=1)
        if total and good / total < ORDER
    ]
    worst = [
        passage.text[:120] for passage, share in sorted(scrambles, key=lambda item: -item[1])[:2]
    ]
    assert not bad, f"word pairs not in {which}'s order (page, found/pairs): {bad}; e.g. {worst}"


def test_there_are_enough_fixtures_from_enough_producers() -> None:
    assert len(FIXTURES) >= 20
    assert len({fixture.producer for fixture in FIXTURES.values()}) >= 5


# --------------------------------------------------------------------------------------
# The size in the text matrix (problem A)
# --------------------------------------------------------------------------------------

SCALED = {
    "raw_scaled_tm": factory.SCALED_TM_HEADINGS,
    "raw_tj_justified": ["Samordnad individuell plan"],
    "reportlab_scaled_text": ["Hälsosamtal i primärvården", "Fast vårdkontakt"],
    "pdfium_text": factory.PDFIUM_HEADINGS,
    "pdfium_justified": factory.PDFIUM_HEADINGS,
}


@pytest.mark.parametrize("name", list(SCALED))
def test_headings_set_by_the_text_matrix_are_found(factory_folder: Path, name: str) -> None:
    found = read(factory_folder, name)
    headings = [passage.text for passage in found.of_kind(BlockKind.HEADING)]
    assert [text for text in SCALED[name] if text not in headings] == [], headings


@pytest.mark.parametrize("name", list(SCALED))
def test_paragraphs_set_by_the_text_matrix_are_not_cut_at_every_line(
    factory_folder: Path, name: str
) -> None:
    found = read(factory_folder, name)
    sizes = [passage.word_count for passage in found.of_kind(BlockKind.PARAGRAPH)]
    assert sizes and factory.median(sizes) >= 12, sizes


@pytest.mark.parametrize("name", list(SCALED))
def test_justified_word_gaps_are_no_table_cells(factory_folder: Path, name: str) -> None:
    found = read(factory_folder, name)
    rows = [passage.text[:80] for passage in found.of_kind(BlockKind.TABLE_ROW)]
    assert rows == []


# --------------------------------------------------------------------------------------
# Three columns, and a word broken at a column's line end
# --------------------------------------------------------------------------------------


def runs_in(sequence: list[str], part: list[str]) -> bool:
    """Is ``part`` a contiguous run of ``sequence``?"""
    size = len(part)
    return any(sequence[start : start + size] == part for start in range(len(sequence)))


@pytest.mark.parametrize(
    "name,texts",
    [
        ("raw_three_columns", factory.column_texts()),
        ("chromium_columns", factory.chromium_column_texts()),
    ],
)
def test_three_columns_are_read_column_by_column(
    factory_folder: Path, name: str, texts: list[str]
) -> None:
    found = read(factory_folder, name)
    sequence = found.words
    out_of_order = [text[:40] for text in texts if not runs_in(sequence, factory.words(text))]
    assert out_of_order == [], "columns not read whole and in order"


@pytest.mark.parametrize(
    "name,texts,joined",
    [
        ("raw_three_columns", factory.column_texts(), "".join(factory.HYPHENATED)),
        ("chromium_columns", factory.chromium_column_texts(), "samverkansöverenskommelsen"),
    ],
)
def test_a_word_broken_at_a_column_line_end_is_joined_with_its_own_column(
    factory_folder: Path, name: str, texts: list[str], joined: str
) -> None:
    found = read(factory_folder, name)
    source = set(factory.words(" ".join([*texts, factory.COLUMNS_HEADING])))
    invented = sorted(set(found.words) - source)
    assert joined in found.words
    assert invented == [], "words that are in no column (joined across columns?)"


# --------------------------------------------------------------------------------------
# Text outside the page (problem C)
# --------------------------------------------------------------------------------------


def test_text_outside_the_crop_box_is_in_no_passage(factory_folder: Path) -> None:
    found = read(factory_folder, "raw_crop_box")
    for hidden in (factory.HIDDEN_BELOW, factory.HIDDEN_BESIDE):
        assert hidden.split()[0] not in found.text
    assert "Synlig rubrik om hälsosamtal" in found.text


def test_page_windows_onto_one_content_stream_carry_only_their_own_text(
    factory_folder: Path,
) -> None:
    found = read(factory_folder, "raw_shared_windows")
    assert found.result.pages == 3
    for page, own in enumerate(factory.WINDOW_TEXTS, start=1):
        text = " ".join(passage.text for passage in found.passages if passage.page == page)
        assert own in text, f"page {page} lacks its own text"
        others = [other.split()[0] for other in factory.WINDOW_TEXTS if other != own]
        assert [word for word in others if word in text] == [], f"page {page}"


# --------------------------------------------------------------------------------------
# A glyph drawn twice (problem D); word spaces made by moving the pen
# --------------------------------------------------------------------------------------


def test_text_drawn_twice_for_a_fake_bold_is_read_once(factory_folder: Path) -> None:
    found = read(factory_folder, "raw_fake_bold")
    assert found.text.count(factory.FAKE_BOLD_HEADING) == 1
    source = Counter(factory.words(factory.FAKE_BOLD_HEADING + " " + factory.sentences(2, 6)))
    doubled = Counter(found.words) - source
    assert doubled == Counter(), "words read more often than written"


def test_words_separated_only_by_moving_the_pen_keep_their_space(factory_folder: Path) -> None:
    found = read(factory_folder, "raw_missing_spaces")
    text = " ".join(found.text.split())
    assert "butthe" not in text
    assert "but the team" in text
    assert "registreradesmen" not in text
    assert factory.MISSING_SPACES_SWEDISH in text


# --------------------------------------------------------------------------------------
# A ruled table without rules between its rows (problem E)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["raw_ruled_table", "reportlab_boxed_table"])
def test_ruled_table_without_row_rules_gives_one_row_per_data_row(
    factory_folder: Path, name: str
) -> None:
    found = read(factory_folder, name)
    rows = [passage.text.split(" | ") for passage in found.of_kind(BlockKind.TABLE_ROW)]
    for cells in factory.TABLE_ROWS[1:]:
        assert rows.count(list(cells)) == 1, f"{cells} not one row of its own in {rows}"
    data = [row for row in rows if row != list(factory.TABLE_ROWS[0])]
    assert len(data) == len(factory.TABLE_ROWS) - 1, rows


# --------------------------------------------------------------------------------------
# A contents page and numbered headings (problem B)
# --------------------------------------------------------------------------------------

CONTENTS_FIXTURES = ["reportlab_platypus_contents", "raw_contents_scaled", "chromium_report"]


@pytest.mark.parametrize("name", CONTENTS_FIXTURES)
def test_nothing_after_the_contents_page_is_lost(factory_folder: Path, name: str) -> None:
    found = read(factory_folder, name)
    sequence = found.words
    lost = [
        text[:50]
        for text in factory.contents_body_paragraphs(name)
        if not runs_in(sequence, factory.words(text))
    ]
    assert lost == [], "body paragraphs after the contents page not read whole"


@pytest.mark.parametrize("name", CONTENTS_FIXTURES)
def test_numbered_headings_open_sections(factory_folder: Path, name: str) -> None:
    found = read(factory_folder, name)
    headings = [passage.text for passage in found.of_kind(BlockKind.HEADING)]
    assert [text for text, _ in factory.CONTENTS if text not in headings] == [], headings
    under = [
        passage
        for passage in found.passages
        if passage.kind is BlockKind.PARAGRAPH
        and passage.section.split(SECTION_SEPARATOR)[-1] == "2.3 Mobila team"
    ]
    assert under, "no paragraph stands in section 2.3 Mobila team"
    assert all(passage.section.startswith("2. ") for passage in under), under[0].section


# --------------------------------------------------------------------------------------
# Right-to-left text; the garbled-text check on scripts without vowels
# --------------------------------------------------------------------------------------


def test_right_to_left_words_come_in_logical_order_or_with_a_warning(
    factory_folder: Path,
) -> None:
    found = read(factory_folder, "chromium_rtl")
    text = " ".join(found.text.split())
    warned = [
        warning
        for warning in found.result.warnings
        if any(word in warning.lower() for word in ("right-to-left", "rtl", "order"))
    ]
    logical = runs_in(found.words, factory.words(factory.RTL_HEBREW))
    assert logical or warned, text


def test_chinese_and_japanese_text_is_not_called_garbled(factory_folder: Path) -> None:
    found = read(factory_folder, "reportlab_cjk")
    assert found.passages
    assert [w for w in found.result.warnings if "garbled" in w] == []


def test_garbled_text_check_passes_cjk_and_flags_replacement_characters() -> None:
    chinese = "".join(factory.CJK_CHINESE) * 4
    japanese = "".join(factory.CJK_JAPANESE) * 4
    assert garbled_text(chinese) is None
    assert garbled_text(japanese) is None
    words = factory.sentences(0, 10).split()
    damaged = " ".join(
        word.replace("ä", "\ufffd").replace("ö", "\ufffd") + (" \ufffd\ufffd" if n % 3 else "")
        for n, word in enumerate(words)
    )
    assert damaged.count("\ufffd") >= 100
    assert garbled_text(damaged) is not None
