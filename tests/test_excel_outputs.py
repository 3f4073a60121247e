"""Files that open in Excel set to Swedish (issue 20): the CSV dialects and analysis.xlsx.

A year of reports — one actor with two reports, one report that cannot be read, one
read only in part, texts with the characters that trouble CSV and XML files — goes
through ``analyse`` as a user runs it. The CSV files are read as Excel set to Swedish
reads them (``;`` between fields, UTF-8 by the byte-order mark, decimal comma), and
``--csv rfc4180`` as any other CSV reader does; the workbook is read back with
openpyxl: its cells, frozen panes, filters, widths and colours.
"""

from __future__ import annotations

import csv
import io
import json
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from lxml import etree
from typer.testing import CliRunner

from nvreport.analysis.tables import DOCUMENT_COLUMNS, PASSAGE_COLUMNS
from nvreport.cli.commands import app
from nvreport.ingest import readers
from nvreport.models import Block, BlockKind, ReadResult, TextAccount
from nvreport.outputs.analysis_workbook import CELL_LIMIT, SHEETS, AnalysisWorkbook
from nvreport.outputs.tables import frame_to_csv
from nvreport.store.csv_dialect import EXCEL_SV, RFC4180, folder_dialect, read_csv_frame
from output_csv import BOM, read_frame, read_rows

runner = CliRunner()
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

FORMULA = "=SUMMA(A1:A9) och +46 10 123 45 67 står i rapporten som text"
MARKUP = "Samverkan & uppföljning <i> enlighet med> avtalet; se bilaga 2, avsnitt 3."

REPORTS = {
    "Region Halland 2022.txt": "Region Halland\n\nRegionen erbjuder riktade hälsosamtal "
    f"till alla invånare som fyller 40 år.\n\n{FORMULA}\n\n{MARKUP}\n",
    "Region Skåne 2022.txt": "Region Skåne\n\nRegionen planerar att införa hälsosamtal "
    "under nästa år.\n\nRegionen har mobila team som besöker sköra äldre i hemmet.\n",
    "Region Dalarna 2022.txt": "Region Dalarna\n\nRegionen har ännu inte påbörjat "
    "arbetet med hälsosamtal.\n",
    "Flens kommun 2022.txt": "Flens kommun\n\nKommunen har startat ett mobilt team.\n",
    "Flens kommun bilaga 2022.txt": "Flens kommun\n\nKommunen planerar att erbjuda "
    "hälsosamtal under nästa år.\n",
    # cannot be read: a Word file that is no zip archive
    "Region Kronoberg 2022.docx": "inte ett Word-dokument",
    # read only in part (the reader below): the second page yields no passage
    "Region Gävleborg 2022.pdf": "%PDF-1.4 läses av testets egen läsare",
}
TEAMS = "Regionen har under året utökat de mobila teamen till samtliga kommuner i länet."


def partly_read_pdf(path: Path) -> ReadResult:
    blocks = (
        Block(BlockKind.HEADING, "Region Gävleborg 2022", page=1, level=1),
        Block(BlockKind.PARAGRAPH, TEAMS, page=1),
    )
    page_words = (len(TEAMS.split()) + 3, 40)
    return ReadResult(blocks=blocks, pages=2, account=TextAccount(sum(page_words), (), page_words))


def invoke(*arguments: object):
    return runner.invoke(app, [str(argument) for argument in arguments])


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rapporter") / "2022"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def outputs(reports: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The reports analysed in each dialect (the default first)."""
    found = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(readers.READERS, ".pdf", partly_read_pdf)
        for name, options in (("default", ()), ("rfc4180", ("--csv", "rfc4180"))):
            out = tmp_path_factory.mktemp(name) / "ut"
            result = invoke("analyse", reports, "-o", out, "--no-cache", "-q", *options)
            assert result.exit_code == 1, result.output  # Kronoberg cannot be read
            found[name] = out
    return found


# --- CSV for Excel set to Swedish ------------------------------------------------------


def excel_sv_rows(path: Path) -> list[list[str]]:
    """The file as Excel set to Swedish reads it: UTF-8 when it starts with a
    byte-order mark, fields separated by the list separator ';', quotes as RFC 4180."""
    raw = path.read_bytes()
    assert raw.startswith(BOM), f"{path.name}: no byte-order mark, Excel would read ANSI"
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""), delimiter=";"))


@pytest.mark.parametrize(
    "name", ["passages.csv", "documents.csv", "themes_by_actor.csv", "coverage.csv"]
)
def test_every_csv_opens_in_columns_in_swedish_excel(outputs, name) -> None:
    rows = excel_sv_rows(outputs["default"] / name)
    header = rows[0]
    assert len(header) > 3  # one column would mean Excel saw no separator
    assert all(len(row) == len(header) for row in rows), name
    if name == "passages.csv":
        assert header == list(PASSAGE_COLUMNS)
    if name == "documents.csv":
        assert header == list(DOCUMENT_COLUMNS)


def test_decimals_have_a_comma_whole_numbers_none(outputs) -> None:
    out = outputs["default"]
    documents = {row["file"]: row for row in read_rows(out / "documents.csv")}
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    shares = {entry["file"]: entry["kept_share"] for entry in record["files"]}
    partly = documents["Region Gävleborg 2022.pdf"]
    assert partly["kept_share"] == str(shares["Region Gävleborg 2022.pdf"]).replace(".", ",")
    assert "," in partly["kept_share"] and "." not in partly["kept_share"]
    assert documents["Region Halland 2022.txt"]["kept_share"] == "1,0"
    # whole numbers stay plain: no decimals, no thousands separator
    assert partly["pages"] == "2" and partly["year"] == "2022"
    assert documents["Region Kronoberg 2022.docx"]["kept_share"] == ""
    # read as Excel set to Swedish reads it, a decimal comma is a number
    frame = pd.read_csv(out / "documents.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert frame["kept_share"].dtype == float
    shown = frame.set_index("file")["kept_share"]
    assert shown["Region Gävleborg 2022.pdf"] == shares["Region Gävleborg 2022.pdf"]


def test_a_text_with_the_separator_comes_back_whole_and_the_guard_stays(outputs) -> None:
    passages = read_rows(outputs["default"] / "passages.csv")
    texts = [row["text"] for row in passages if row["file"] == "Region Halland 2022.txt"]
    assert MARKUP in texts  # its ';' quoted, its ',' no separator
    assert "'" + FORMULA in texts  # still no formula for Excel
    pages = read_rows(outputs["default"] / "themes_by_actor.csv")
    assert {row["status"] for row in pages} <= {"active", "planned", "negated", "none"}


def test_rfc4180_gives_the_format_of_before(outputs) -> None:
    """``--csv rfc4180``: ',' and a decimal point, as nvreport wrote before, and the
    same cells as the Excel files, field by field."""
    for name in ("passages.csv", "documents.csv", "themes_by_actor.csv", "coverage.csv"):
        plain = (outputs["rfc4180"] / name).read_bytes()
        assert plain.startswith(BOM)
        with (outputs["rfc4180"] / name).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))  # Python's defaults: RFC 4180
        swedish = excel_sv_rows(outputs["default"] / name)
        if name == "documents.csv":
            share = swedish[0].index("kept_share")
            for row in swedish[1:]:
                row[share] = row[share].replace(",", ".")
        assert rows == swedish, name
        # written again by Python's csv module, the bytes are the same
        again = io.StringIO()
        csv.writer(again, lineterminator="\n").writerows(rows)
        assert plain == BOM + again.getvalue().encode("utf-8"), name
    frame = pd.read_csv(outputs["rfc4180"] / "documents.csv", encoding="utf-8-sig")
    assert frame["kept_share"].dtype == float  # pandas' defaults read it


def test_run_json_records_the_dialect(outputs) -> None:
    for name, expected in (("default", "excel-sv"), ("rfc4180", "rfc4180")):
        record = json.loads((outputs[name] / "run.json").read_text(encoding="utf-8"))
        assert record["options"]["csv"] == expected
        assert folder_dialect(outputs[name]).name == expected


def test_an_unknown_dialect_is_a_usage_error(reports, tmp_path) -> None:
    result = invoke("analyse", reports, "-o", tmp_path / "ut", "--csv", "excel")
    assert result.exit_code == 2
    assert "excel-sv" in result.output and "rfc4180" in result.output
    assert not (tmp_path / "ut").exists()


def test_compare_reads_analyse_outputs_of_either_dialect(outputs, reports, tmp_path) -> None:
    """A year analysed for Excel and one analysed as RFC 4180 compare as the reports
    themselves do; compare writes its CSV files in the dialect asked for."""
    earlier = tmp_path / "2021"
    earlier.mkdir()
    (earlier / "Region Halland 2021.txt").write_text(
        "Region Halland\n\nRegionen planerar att införa hälsosamtal under nästa år.\n",
        encoding="utf-8",
    )
    (earlier / "Region Skåne 2021.txt").write_text(
        "Region Skåne\n\nRegionen har mobila team i hela länet.\n", encoding="utf-8"
    )
    analysed = tmp_path / "ut2021"
    result = invoke("analyse", earlier, "-o", analysed, "--no-cache", "-q", "--csv", "rfc4180")
    assert result.exit_code == 0, result.output
    results = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(readers.READERS, ".pdf", partly_read_pdf)
        for name, folders, options in (
            ("outputs", (analysed, outputs["default"]), ()),
            ("mixed", (analysed, outputs["rfc4180"]), ("--csv", "rfc4180")),
            ("reports", (earlier, reports), ()),
        ):
            out = tmp_path / name
            done = invoke("compare", *folders, "-o", out, "--no-cache", "-q", *options)
            assert done.exit_code == 1, done.output  # Kronoberg
            results[name] = out
    documents = {
        name: json.loads((out / "comparison.json").read_text(encoding="utf-8"))
        for name, out in results.items()
    }
    for document in documents.values():
        document.pop("options")
    assert documents["outputs"] == documents["reports"] == documents["mixed"]
    transitions = {name: read_rows(out / "transitions.csv") for name, out in results.items()}
    assert transitions["outputs"] == transitions["mixed"] == transitions["reports"]
    halland = next(
        row
        for row in transitions["outputs"]
        if row["actor"] == "Region Halland" and row["theme"] == "halsosamtal"
    )
    assert halland["change"] == "planned_to_active"
    assert (results["outputs"] / "coverage.csv").read_bytes().startswith(BOM + b"year;")
    assert (results["mixed"] / "coverage.csv").read_bytes().startswith(BOM + b"year,")
    record = json.loads((results["mixed"] / "comparison.json").read_text(encoding="utf-8"))
    assert record["options"]["csv"] == "rfc4180"


def test_a_kept_run_is_not_reused_for_the_other_dialect(reports, tmp_path) -> None:
    cache = tmp_path / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(readers.READERS, ".pdf", partly_read_pdf)
        for name, dialect in (("a", "rfc4180"), ("b", "excel-sv"), ("c", "rfc4180")):
            result = invoke(
                "analyse", reports, "-o", tmp_path / name, "--cache", cache, "--csv", dialect
            )
            assert result.exit_code == 1, result.output
    assert (tmp_path / "a" / "coverage.csv").read_bytes().startswith(BOM + b"year,")
    assert (tmp_path / "b" / "coverage.csv").read_bytes().startswith(BOM + b"year;")
    for name in ("passages.csv", "documents.csv", "analysis.xlsx"):
        assert (tmp_path / "c" / name).read_bytes() == (tmp_path / "a" / name).read_bytes()
    assert (tmp_path / "b" / "analysis.xlsx").read_bytes() == (
        tmp_path / "a" / "analysis.xlsx"
    ).read_bytes()


def test_frame_to_csv_writes_decimals_by_dialect(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "share": pd.array([0.9987, None, 1.0], dtype="Float64"),
            "plain": [0.5, 2.25, float("nan")],
            "count": pd.array([1, None, 12000], dtype="Int64"),
            "mixed": pd.Series([0.25, "3, 5", None], dtype=object),
            "text": ["a;b", "-3", "=1+1"],
        }
    )
    frame_to_csv(frame, tmp_path / "sv.csv", EXCEL_SV)
    frame_to_csv(frame, tmp_path / "rfc.csv", RFC4180)
    assert (tmp_path / "sv.csv").read_bytes().decode("utf-8-sig").splitlines() == [
        "share;plain;count;mixed;text",
        '0,9987;0,5;1;0,25;"a;b"',
        ";2,25;;3, 5;-3",
        "1,0;;12000;;'=1+1",
    ]
    assert (tmp_path / "rfc.csv").read_bytes().decode("utf-8-sig").splitlines() == [
        "share,plain,count,mixed,text",
        "0.9987,0.5,1,0.25,a;b",
        ',2.25,,"3, 5",-3',
        "1.0,,12000,,'=1+1",
    ]
    for name in ("sv.csv", "rfc.csv"):
        back = read_csv_frame(tmp_path / name)
        assert back["share"].tolist()[::2] == [0.9987, 1.0]
        assert back["plain"].tolist()[:2] == [0.5, 2.25]
        assert back["text"].tolist()[0] == "a;b"
        assert read_frame(tmp_path / name)["count"].tolist()[2] == 12000


# --- analysis.xlsx ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(outputs) -> openpyxl.Workbook:
    return openpyxl.load_workbook(outputs["default"] / "analysis.xlsx")


def sheet_rows(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_workbook_has_its_sheets_frozen_filtered_and_fitted(book) -> None:
    assert book.sheetnames == list(SHEETS)
    assert book.active.title == "matrix"
    for name in ("coverage", "themes_by_actor", "documents", "passages"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        last = openpyxl.utils.get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", name
        assert all(cell.font.bold for cell in sheet[1]), name
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
        assert all(6 <= width <= 60 for width in widths), (name, widths)
    assert book["matrix"].freeze_panes == "F2"  # the header and the actor stay in view
    passages = book["passages"]
    widths = {
        cell.value: passages.column_dimensions[cell.column_letter].width for cell in passages[1]
    }
    assert widths["text"] == 60 and widths["year"] < 10


def test_the_sheets_hold_what_the_csv_files_hold(book, outputs) -> None:
    out = outputs["default"]
    passages = sheet_rows(book["passages"])
    parquet = pd.read_parquet(out / "passages.parquet")
    assert len(passages) == len(parquet)
    assert [row["text"] for row in passages] == parquet["text"].tolist()
    assert [row["page"] for row in passages] == [
        None if pd.isna(page) else int(page) for page in parquet["page"]
    ]
    assert all(isinstance(row["index"], int) for row in passages)
    # every cell is the CSV file's, as a number, a truth value or the text unguarded
    for sheet_row, csv_row in zip(passages, read_rows(out / "passages.csv"), strict=True):
        for name, written in csv_row.items():
            value = sheet_row[name]
            shown = "" if value is None else str(value)
            assert shown == written or "'" + shown == written, (name, value, written)
    halland = [row for row in passages if row["file"] == "Region Halland 2022.txt"]
    # exactly as read: no formula, no guard, markup as characters
    assert FORMULA in [row["text"] for row in halland]
    assert MARKUP in [row["text"] for row in halland]
    cells = [cell for row in book["passages"].iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    documents = {row["file"]: row for row in sheet_rows(book["documents"])}
    csv_documents = {row["file"]: row for row in read_rows(out / "documents.csv")}
    assert set(documents) == set(csv_documents)
    partly = documents["Region Gävleborg 2022.pdf"]
    assert isinstance(partly["kept_share"], float)
    assert (
        str(partly["kept_share"]).replace(".", ",")
        == csv_documents["Region Gävleborg 2022.pdf"]["kept_share"]
    )
    assert partly["pages"] == 2 and partly["partly_read"] is True
    coverage = sheet_rows(book["coverage"])
    assert [
        {key: "" if value is None else str(value) for key, value in row.items()} for row in coverage
    ] == read_rows(out / "coverage.csv")
    themes = sheet_rows(book["themes_by_actor"])
    assert len(themes) == len(read_rows(out / "themes_by_actor.csv"))


def matrix_of(book) -> dict[tuple[str, str], str | None]:
    rows = sheet_rows(book["matrix"])
    return {(row["actor"], theme): row[theme] for row in rows for theme in list(row)[5:]}


def test_the_matrix_has_one_row_per_actor_with_its_status_per_theme(book) -> None:
    rows = {row["actor"]: row for row in sheet_rows(book["matrix"])}
    assert list(rows) == [  # regions, then municipalities; å, ä, ö after z
        "Region Dalarna",
        "Region Gävleborg",
        "Region Halland",
        "Region Kronoberg",
        "Region Skåne",
        "Flens kommun",
    ]
    assert rows["Flens kommun"]["reports"] == 2  # its two reports combined
    cells = matrix_of(book)
    assert cells[("Region Halland", "halsosamtal")] == "active"
    assert cells[("Region Skåne", "halsosamtal")] == "planned"
    assert cells[("Region Dalarna", "halsosamtal")] == "negated"
    assert cells[("Flens kommun", "halsosamtal")] == "planned"
    assert cells[("Flens kommun", "mobila_team")] == "active"
    assert cells[("Region Dalarna", "mobila_team")] is None  # not mentioned: blank
    assert cells[("Region Gävleborg", "mobila_team")] == "active"
    assert cells[("Region Gävleborg", "halsosamtal")] == "partly_read"
    assert {value for (actor, _), value in cells.items() if actor == "Region Kronoberg"} == {
        "unreadable"
    }


def test_the_matrix_counts_are_the_coverage_counts(book, outputs) -> None:
    rows = sheet_rows(book["matrix"])
    counted: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        for theme in list(row)[5:]:
            value = row[theme] or "not_mentioned"
            cell = counted.setdefault((row["actor_type"], theme), {})
            cell[value] = cell.get(value, 0) + 1
    columns = ("active", "planned", "negated", "not_mentioned", "partly_read", "unreadable")
    for row in read_rows(outputs["default"] / "coverage.csv"):
        found = counted[(row["actor_type"], row["theme"])]
        assert {name: found.get(name, 0) for name in columns} == {
            name: int(row[name]) for name in columns
        }, (row["actor_type"], row["theme"])
        assert int(row["actors"]) == sum(found.get(name, 0) for name in columns[:5])


def test_the_matrix_colours_each_status_and_the_legend_says_what_they_mean(book) -> None:
    matrix = book["matrix"]
    header = [cell.value for cell in matrix[1]]
    fills: dict[str | None, set[str]] = {}
    for row in matrix.iter_rows(min_row=2, min_col=6):
        for cell in row:
            colour = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
            fills.setdefault(cell.value, set()).add(colour)
    assert fills["active"] == {"00C6EFCE"}  # green
    assert fills["planned"] == {"00FFEB9C"}  # amber
    assert fills["negated"] == {"00FFC7CE"}  # red
    assert fills[None] == {None}  # not mentioned: blank
    assert len(fills["unreadable"]) == 1 and len(fills["partly_read"]) == 1
    assert header[:5] == ["year", "actor", "actor_type", "lan", "reports"]
    legend = book["legend"]
    shown = {}
    for row in legend.iter_rows(min_row=2, max_col=2):
        if row[1].value:
            colour = row[0].fill.fgColor.rgb if row[0].fill.fill_type == "solid" else None
            shown[row[0].value] = (colour, row[1].value)
    for value, colours in fills.items():
        assert shown[value][0] in colours, value
    assert "not mentioned" in shown[None][1]
    themes = [row for row in legend.iter_rows(values_only=True) if row[0] == "halsosamtal"]
    assert themes and themes[0][1] == "Hälsosamtal"


def test_the_workbook_is_the_same_byte_for_byte_from_run_to_run(reports, outputs, tmp_path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(readers.READERS, ".pdf", partly_read_pdf)
        result = invoke("analyse", reports, "-o", tmp_path / "igen", "--no-cache", "-q")
    assert result.exit_code == 1
    again = (tmp_path / "igen" / "analysis.xlsx").read_bytes()
    assert again == (outputs["default"] / "analysis.xlsx").read_bytes()
    # and is a well-formed package: every part parses as XML
    with zipfile.ZipFile(io.BytesIO(again)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(package.read(name))


def test_texts_that_xml_or_excel_cannot_hold_as_they_are(tmp_path: Path) -> None:
    """Control characters become their pictures, a carriage return stays one, a text
    longer than a cell holds is cut with "…"; nothing becomes a formula."""
    path = tmp_path / "a.xlsx"
    values = {name: [None, None, None] for name in PASSAGE_COLUMNS}
    values.update(
        doc_id=["d1"] * 3,
        file=["Icon\r", "Icon\r", "Icon\r"],
        index=range(3),
        year=[2022] * 3,
        text=["a\x01b & <c>", '=HYPERLINK("x")', "å" * (CELL_LIMIT + 10)],
        themes=["", "", "halsosamtal:active"],
    )
    with AnalysisWorkbook(path) as workbook:
        workbook.add(values)
        workbook.finish(*(pd.DataFrame({"x": []}) for _ in range(4)), None)
    sheet = openpyxl.load_workbook(path)["passages"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    text = list(PASSAGE_COLUMNS).index("text")
    assert [row[text][:20] for row in rows] == ["a\u2401b & <c>", '=HYPERLINK("x")', "å" * 20]
    assert len(rows[2][text]) == CELL_LIMIT and rows[2][text].endswith("…")
    assert rows[0][1] == "Icon\r"
    last = openpyxl.utils.get_column_letter(len(PASSAGE_COLUMNS))
    assert sheet.auto_filter.ref == f"A1:{last}4"


def write_passages(path: Path, documents: int, size: int) -> AnalysisWorkbook:
    """A workbook of ``documents`` reports of ``size`` passages each, as a large run's."""
    text = "Regionen erbjuder hälsosamtal till alla invånare som fyller 40 år. " * 4
    with AnalysisWorkbook(path) as workbook:
        for document in range(documents):
            values = {name: [""] * size for name in PASSAGE_COLUMNS}
            values |= {
                "doc_id": [f"{document:012x}"] * size,
                "file": [f"Region {document} 2022.pdf"] * size,
                "actor": [f"Region {document}"] * size,
                "actor_type": ["region"] * size,
                "lan": ["Hallands län"] * size,
                "year": [2022] * size,
                "page": [number // 20 + 1 for number in range(size)],
                "section": ["2 Arbetet under året > 2.1 Hälsosamtal"] * size,
                "index": range(size),
                "kind": ["paragraph"] * size,
                "text": [f"{text}{document}.{number}" for number in range(size)],
                "word_count": [48] * size,
                "themes": ["halsosamtal:active"] * size,
                "evidence": ["halsosamtal=hälsosamtal"] * size,
            }
            workbook.add(values)
        workbook.finish(*(pd.DataFrame({"x": [1]}) for _ in range(4)), None)
    return workbook


def test_a_hundred_thousand_passages_take_seconds(tmp_path: Path) -> None:
    """The passages sheet of a large run (300 reports, 100,000 passages) is written in
    seconds (3.6 s on this project's machine; openpyxl cell by cell takes 25 s)."""
    path = tmp_path / "stor.xlsx"
    started = time.perf_counter()
    workbook = write_passages(path, 300, 334)
    seconds = time.perf_counter() - started
    assert workbook.passages == 100_200
    assert seconds < 30, seconds
    # every row there, in order: read with lxml (openpyxl takes a minute for it)
    text = list(PASSAGE_COLUMNS).index("text")
    rows = 0
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        sheet = f"xl/worksheets/sheet{SHEETS.index('passages') + 1}.xml"
        assert sheet in names
        with package.open(sheet) as member:
            for _, row in etree.iterparse(member, tag=f"{{{MAIN}}}row"):
                rows += 1
                last = row
                if rows > 2:
                    row.getparent().remove(row.getprevious())
    assert rows == 100_201
    assert last.get("r") == "100201"
    cells = last.findall(f"{{{MAIN}}}c")
    assert cells[text].findtext(f"{{{MAIN}}}is/{{{MAIN}}}t").endswith("299.333")


def test_memory_does_not_grow_with_the_passages(tmp_path: Path) -> None:
    """The rows go to a file on disk as they come, not to memory: six times the
    passages take no more memory (10,000 passages of XML would be 12 MB)."""
    peaks = []
    for documents in (6, 36):
        tracemalloc.start()
        write_passages(tmp_path / f"{documents}.xlsx", documents, 333)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] - peaks[0] < 2 * 2**20, peaks
