"""Every word is accounted for: what a user sees of a document's text layer in
``documents.csv`` and ``run.json``, and the warnings when words reach no passage."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nvreport.analysis.document import file_sha256
from nvreport.analysis.run import analyse_folder
from nvreport.analysis.tables import DOCUMENT_COLUMNS, TEXT_COLUMNS
from nvreport.cli.commands import app
from nvreport.ingest import readers
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.ingest.normalize import count_words
from nvreport.models import LEFT_OUT_REASONS, Block, BlockKind, ReadResult, TextAccount
from nvreport.store.cache import Cache
from output_csv import read_rows

ROOT = Path(__file__).parents[1]
runner = CliRunner()

LEFT_OUT_COLUMNS = [f"left_out_{reason}" for reason in LEFT_OUT_REASONS]

TEXT_REPORT = """Flens kommun

Redovisning 2022

Innehåll

Inledning .......... 2
Fast vårdkontakt .......... 3

1 Inledning

Kommunen har under året infört trygghetsbesök för äldre som kommer hem från
sjukhus, och fortsatt arbetet med patient-
kontrakt tillsammans med regionen.

- Trygghetsbesök inom två dagar
- Uppföljning efter en vecka

2 Fast vårdkontakt

Alla som får hemsjukvård har en fast vårdkontakt.
"""

MARKDOWN_REPORT = """# Region Gävleborg

## Innehåll

Inledning .......... 2

## Inledning

Regionen erbjuder [riktade hälsosamtal](https://example.se/halsosamtal) till
alla som fyller **40, 50 och 60 år**.

| Åtgärd | Status |
|---|---|
| Hälsosamtal | infört |

1. Första steget
2. Andra steget
"""

HTML_REPORT = """<!doctype html>
<html><head><title>Region Västmanland</title><script>var x = "ord ord";</script></head>
<body><nav><a href="/">Start</a> <a href="/om">Om oss</a></nav>
<h1>Region Västmanland 2022</h1>
<p>Regionen har infört <b>fast vårdkontakt</b> på alla vårdcentraler.</p>
<ul><li>Mobila team i hela länet</li><li>Digitala besök</li></ul>
<table><tr><th>Åtgärd</th><th>Status</th></tr><tr><td>FaR</td><td>infört</td></tr></table>
<footer>Kontakta oss på regionen.se</footer>
</body></html>
"""


def read_csv(path: Path) -> list[dict[str, str]]:
    return read_rows(path)


def analyse(folder: Path, out: Path) -> tuple[dict[str, dict[str, str]], dict]:
    result = runner.invoke(app, ["analyse", str(folder), "-o", str(out), "--jobs", "1"])
    assert result.exit_code in (0, 1), result.output
    documents = {row["file"]: row for row in read_csv(out / "documents.csv")}
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return documents, record


def number(cell: str) -> int:
    return int(cell) if cell else 0


def decimal(cell: str) -> float:
    """A decimal number as documents.csv writes it for Excel set to Swedish ("0,9797")."""
    assert "." not in cell, cell
    return float(cell.replace(",", "."))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    reports = tmp_path / "2022"
    reports.mkdir()
    (reports / "Flens kommun 2022.txt").write_text(TEXT_REPORT, encoding="utf-8")
    (reports / "Region Gävleborg 2022.md").write_text(MARKDOWN_REPORT, encoding="utf-8")
    (reports / "Region Västmanland 2022.html").write_text(HTML_REPORT, encoding="utf-8")
    shutil.copy(ROOT / "samples/2022/rapport_jkpg.docx", reports / "Region Jönköpings län.docx")
    return reports


def test_the_text_columns_are_the_last_columns_of_documents_csv(folder, tmp_path) -> None:
    documents, _ = analyse(folder, tmp_path / "out")
    header = list(next(iter(documents.values())))
    assert header == list(DOCUMENT_COLUMNS)
    # appended after them, so their positions stay
    assert header[-2:] == ["partly_read", "ocr_pages"]
    assert header[-len(TEXT_COLUMNS) - 2 : -2] == [
        "text_layer_words",
        "kept_words",
        *LEFT_OUT_COLUMNS,
        "body_words",
        "kept_share",
    ]


def test_every_text_format_accounts_for_its_words(folder, tmp_path) -> None:
    documents, _ = analyse(folder, tmp_path / "out")
    for name in (
        "Flens kommun 2022.txt",
        "Region Gävleborg 2022.md",
        "Region Västmanland 2022.html",
    ):
        row = documents[name]
        assert row["status"] == "ok", (name, row["message"])
        layer, kept = int(row["text_layer_words"]), int(row["kept_words"])
        left_out = sum(number(row[column]) for column in LEFT_OUT_COLUMNS)
        assert kept == int(row["words"])
        assert int(row["body_words"]) == layer - left_out
        # kept and left out add up to the text layer, give or take a word joined
        # differently across a line break
        assert abs(kept + left_out - layer) <= 1, row
        assert decimal(row["kept_share"]) >= 0.97
    # the tables of contents are left out, and say so: their headings ("Innehåll")
    # and entries ("Inledning .......... 2")
    assert number(documents["Flens kommun 2022.txt"]["left_out_contents"]) == 6
    assert number(documents["Region Gävleborg 2022.md"]["left_out_contents"]) == 3
    # link targets, scripts, navigation and the page footer are no text of the page
    html = documents["Region Västmanland 2022.html"]
    assert int(html["text_layer_words"]) == count_words(
        "Region Västmanland 2022 Regionen har infört fast vårdkontakt på alla vårdcentraler. "
        "Mobila team i hela länet Digitala besök Åtgärd Status FaR infört"
    )


def test_a_word_document_gets_its_text_layer_words(folder, tmp_path) -> None:
    documents, _ = analyse(folder, tmp_path / "out")
    row = documents["Region Jönköpings län.docx"]
    assert row["status"] == "ok", row["message"]
    layer, kept = int(row["text_layer_words"]), int(row["kept_words"])
    left_out = sum(number(row[column]) for column in LEFT_OUT_COLUMNS)
    assert kept > 0 and number(row["left_out_contents"]) > 0
    assert abs(kept + left_out - layer) <= 1, row


def test_run_json_has_the_figures_per_file_and_in_total(folder, tmp_path) -> None:
    documents, record = analyse(folder, tmp_path / "out")
    files = {entry["file"]: entry for entry in record["files"]}
    for name, row in documents.items():
        for column in TEXT_COLUMNS:
            value = files[name][column]
            # the CSV is for Excel set to Swedish: a decimal comma
            written = "" if value is None else str(value).replace(".", ",")
            assert written == row[column], (name, column)
    totals = record["counts"]["text"]
    accounted = [row for row in documents.values() if row["text_layer_words"]]
    assert totals["documents"] == len(accounted)
    for column in TEXT_COLUMNS[:-1]:
        assert totals[column] == sum(number(row[column]) for row in accounted), column
    assert totals["kept_share"] == round(totals["kept_words"] / totals["body_words"], 4)


def test_a_file_that_is_not_read_has_empty_text_columns(tmp_path) -> None:
    reports = tmp_path / "2022"
    reports.mkdir()
    (reports / "Flens kommun 2022.txt").write_text("Kommunen planerar mobila team.\n")
    (reports / "kopia.txt").write_text("Kommunen planerar mobila team.\n")
    (reports / "trasig.pdf").write_bytes(b"%PDF-1.4 trasig")
    documents, record = analyse(reports, tmp_path / "out")
    assert documents["Flens kommun 2022.txt"]["text_layer_words"] == "4"
    for name in ("kopia.txt", "trasig.pdf"):
        assert {documents[name][column] for column in TEXT_COLUMNS} == {""}, name
        entry = next(entry for entry in record["files"] if entry["file"] == name)
        assert {entry[column] for column in TEXT_COLUMNS} == {None}
    assert record["counts"]["text"]["documents"] == 1


# --- a reader's account, faked --------------------------------------------------------


def words(count: int, word: str = "vård") -> str:
    return " ".join([word] * count) + "."


def fake_reader(
    monkeypatch: pytest.MonkeyPatch,
    blocks: list[Block],
    page_words: tuple[int, ...],
    left_out: tuple[tuple[str, int], ...] = (),
) -> None:
    """PDFs read as ``blocks``, with a text layer of the pages' words and what was
    left out."""
    layer = sum(page_words) + sum(found for _, found in left_out)
    result = ReadResult(
        blocks=tuple(blocks),
        pages=len(page_words),
        account=TextAccount(layer, left_out, page_words),
    )
    monkeypatch.setitem(readers.READERS, ".pdf", lambda path: result)


def report_folder(tmp_path: Path) -> Path:
    reports = tmp_path / "2022"
    reports.mkdir()
    (reports / "Region Halland 2022.pdf").write_bytes(b"%PDF-1.4 faked")
    return reports


def title(page: int = 1) -> Block:
    return Block(BlockKind.HEADING, "Region Halland 2022", page=page, level=1)


def test_a_page_that_yields_no_passage_gets_a_warning_naming_it(tmp_path, monkeypatch) -> None:
    blocks = [
        title(),
        Block(BlockKind.PARAGRAPH, words(597), page=1),
        Block(BlockKind.PARAGRAPH, words(600), page=2),
        # page 3 holds 40 words, but no block of it reaches a passage
        Block(BlockKind.PARAGRAPH, words(600), page=4),
    ]
    fake_reader(monkeypatch, blocks, (600, 600, 40, 600))
    documents, record = analyse(report_folder(tmp_path), tmp_path / "out")
    row = documents["Region Halland 2022.pdf"]
    assert row["status"] == "warning"
    # 40 of 1,840 words lost is 97.8%: only the page tells
    assert row["message"] == "page 3 yields no passage although it holds 30 or more words"
    figures = [row[column] for column in ("text_layer_words", "kept_words", "body_words")]
    assert figures == ["1840", "1800", "1840"]
    assert record["files"][0]["status"] == "warning"
    assert row["partly_read"] == "True" and record["files"][0]["partly_read"] is True


def test_several_silent_pages_are_named_together(tmp_path, monkeypatch) -> None:
    blocks = [title(), Block(BlockKind.PARAGRAPH, words(2000), page=1)]
    blocks += [Block(BlockKind.PARAGRAPH, words(2000), page=page) for page in (2, 3, 6, 7, 8)]
    fake_reader(monkeypatch, blocks, (2003, 2000, 2000, 30, 45, 2000, 2000, 2000, 31))
    documents, _ = analyse(report_folder(tmp_path), tmp_path / "out")
    assert documents["Region Halland 2022.pdf"]["message"] == (
        "pages 4, 5 and 9 yield no passages although they hold 30 or more words"
    )


def test_a_passage_running_onto_the_next_page_yields_it(tmp_path, monkeypatch) -> None:
    """A paragraph that starts at the foot of page 2 and fills page 3 is page 3's
    passage, though it stands under page 2."""
    blocks = [
        title(),
        Block(BlockKind.PARAGRAPH, words(200), page=1),
        Block(BlockKind.PARAGRAPH, words(150), page=2),
        Block(BlockKind.PARAGRAPH, words(50 + 300), page=2),  # 50 words on 2, 300 on 3
        Block(BlockKind.PARAGRAPH, words(20), page=4),  # a page of 20 words need not
    ]
    fake_reader(monkeypatch, blocks, (203, 200, 300, 20, 15))
    documents, _ = analyse(report_folder(tmp_path), tmp_path / "out")
    row = documents["Region Halland 2022.pdf"]
    # page 5 holds fewer than 30 words: not named, but its words count as lost
    assert row["status"] == "ok", row["message"]
    assert (row["kept_words"], row["body_words"], row["kept_share"]) == ("723", "738", "0,9797")


SECTIONS = (
    "Inledning",
    "Fast vårdkontakt",
    "Hälsosamtal",
    "Mobila team",
    "Samverkan",
    "Digitalisering",
    "Kompetens",
    "Ledarskap",
    "Uppföljning",
    "Avslutning",
)


def test_a_contents_page_is_left_out_not_lost(tmp_path, monkeypatch) -> None:
    """A contents page of 30 words or more yields no passage, as it should."""
    headings = [f"{number} {name}" for number, name in enumerate(SECTIONS, start=1)]
    entries = [f"{heading} .......... {page}" for page, heading in enumerate(headings, start=3)]
    blocks = [
        title(),
        Block(BlockKind.PARAGRAPH, words(100), page=1),
        Block(BlockKind.HEADING, "Innehåll", page=2, level=1),
        *(Block(BlockKind.PARAGRAPH, entry, page=2) for entry in entries),
    ]
    for page, heading in enumerate(headings, start=3):
        blocks += [
            Block(BlockKind.HEADING, heading, page=page, level=1),
            Block(BlockKind.PARAGRAPH, words(50), page=page),
        ]
    contents = 1 + sum(count_words(entry) for entry in entries)
    assert contents >= 30
    sections = tuple(count_words(heading) + 50 for heading in headings)
    fake_reader(monkeypatch, blocks, (103, contents, *sections))
    documents, _ = analyse(report_folder(tmp_path), tmp_path / "out")
    row = documents["Region Halland 2022.pdf"]
    assert row["status"] == "ok", row["message"]
    assert number(row["left_out_contents"]) == contents
    kept = str(103 + sum(sections))
    assert (row["body_words"], row["kept_words"], row["kept_share"]) == (kept, kept, "1,0")


def test_headings_the_contents_lists_but_the_text_lacks_give_a_warning(
    tmp_path, monkeypatch
) -> None:
    blocks = [
        title(),
        Block(BlockKind.PARAGRAPH, words(100), page=1),
        Block(BlockKind.HEADING, "Innehåll", page=2, level=1),
        Block(BlockKind.PARAGRAPH, "1 Inledning .......... 3", page=2),
        Block(BlockKind.PARAGRAPH, "2 Mobila team .......... 4", page=2),
        Block(BlockKind.HEADING, "1 Inledning", page=3, level=1),
        Block(BlockKind.PARAGRAPH, words(100), page=3),
        Block(BlockKind.PARAGRAPH, words(100), page=4),
    ]
    fake_reader(monkeypatch, blocks, (103, 10, 102, 100))
    documents, _ = analyse(report_folder(tmp_path), tmp_path / "out")
    row = documents["Region Halland 2022.pdf"]
    assert row["status"] == "warning"
    assert row["message"] == (
        "the contents page lists headings that were not found: '2 Mobila team' (p. 4)"
    )


def test_words_that_do_not_reach_a_passage_give_a_warning_naming_pages(
    tmp_path, monkeypatch
) -> None:
    blocks = [
        title(),
        Block(BlockKind.PARAGRAPH, words(97), page=1),
        Block(BlockKind.PARAGRAPH, words(60), page=2),  # 40 words lost
        Block(BlockKind.PARAGRAPH, words(100), page=3),
        Block(BlockKind.PARAGRAPH, words(70), page=4),  # 30 words lost
    ]
    fake_reader(
        monkeypatch,
        blocks,
        (100, 100, 100, 100),
        left_out=(("header_footer", 24), ("page_number", 4), ("unreadable", 3)),
    )
    documents, record = analyse(report_folder(tmp_path), tmp_path / "out")
    row = documents["Region Halland 2022.pdf"]
    assert row["status"] == "warning"
    assert row["message"] == (
        "only 82% of the body words (330 of 400) reach a passage; pages with the most loss: 2, 4"
    )
    assert [row[column] for column in TEXT_COLUMNS] == [
        "431", "330", "24", "4", "0", "0", "0", "3", "400", "0,825",
    ]  # fmt: skip
    totals = record["counts"]["text"]
    assert (totals["text_layer_words"], totals["kept_share"]) == (431, 0.825)
    # the loss is recorded as a flag, for compare and narrative to use
    assert row["partly_read"] == "True"
    assert record["files"][0]["partly_read"] is True


def test_a_normal_sample_stays_ok(tmp_path) -> None:
    reports = tmp_path / "2022"
    reports.mkdir()
    shutil.copy(ROOT / "samples/2022/rapport_jkpg.docx", reports)
    (reports / "Flens kommun 2022.txt").write_text(TEXT_REPORT, encoding="utf-8")
    documents, _ = analyse(reports, tmp_path / "out")
    assert {row["status"] for row in documents.values()} == {"ok"}, documents
    assert {row["partly_read"] for row in documents.values()} == {"False"}


# --- the cache ---------------------------------------------------------------------------


def test_a_cache_entry_of_the_format_before_the_accounting_is_read_again(tmp_path) -> None:
    reports = tmp_path / "2022"
    reports.mkdir()
    report = reports / "Flens kommun 2022.txt"
    report.write_text("Flens kommun\n\nKommunen planerar mobila team.\n", encoding="utf-8")
    cache_dir = tmp_path / "cache"
    old = (
        (("paragraph",), ("Gammal text ur cachen.",), (None,), ("",), ("",), (4,)),
        "Gammal text ur cachen.",
        None,
        (),
        None,
    )  # a ReadEntry of five fields, before the account
    cache = Cache(cache_dir)
    cache.put_read(file_sha256(report)[0], ".txt", old)
    cache.close()
    analysis = analyse_folder(reports, Gazetteer.load(), cache_dir=cache_dir)
    (record,) = analysis.documents
    assert [passage.text for passage in analysis.passages] == [
        "Flens kommun",
        "Kommunen planerar mobila team.",
    ]
    assert record.account is not None and record.account.layer_words == 6
    # and the entry now cached is of the new format, served as it is
    again = analyse_folder(reports, Gazetteer.load(), cache_dir=cache_dir)
    assert again.documents[0].account == record.account


def test_a_word_contents_the_reader_leaves_out_counts_as_contents(tmp_path) -> None:
    """A Word table of contents (TOC styles in a contents field) is left out by the
    DOCX reader itself: its words are contents, not a loss, and the file stays ok."""
    import docx_factory

    reports = tmp_path / "2022"
    reports.mkdir()
    docx_factory.word_contents(reports / "Region Testberga 2022.docx")
    documents, _ = analyse(reports, tmp_path / "out")
    row = documents["Region Testberga 2022.docx"]
    assert row["status"] in {"ok", "warning"}
    assert "reach a passage" not in row["message"], row["message"]
    assert number(row["left_out_contents"]) >= 10
    assert decimal(row["kept_share"]) >= 0.99
