"""Outputs opened in Excel show a report's text as text: nothing in a report (or a
file name) runs as a formula, and nvreport reads its own CSV files back exactly."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from nvreport.cli.commands import app
from nvreport.outputs.workbook import write_xlsx
from nvreport.store.cells import excel_text, plain_text
from output_csv import read_frame, read_rows

runner = CliRunner()
LINK = '=HYPERLINK("http://exempel.invalid/";"Klicka här")'
PLUS = "+46 10 123 45 67 är numret till den fasta vårdkontakten i hemsjukvården."


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (LINK, "'" + LINK),
        (PLUS, "'" + PLUS),
        ("+ Fast vårdkontakt", "'+ Fast vårdkontakt"),
        ("-Mobila team finns i alla kommuner.", "'-Mobila team finns i alla kommuner."),
        ("@SUMMA(A1)", "'@SUMMA(A1)"),
        ("\tindraget", "'\tindraget"),
        ("-3", "-3"),  # a signed number is read as the number it is
        ("+2,5 %", "+2,5 %"),
        ("- 12", "- 12"),
        ("'=redan skyddad", "''=redan skyddad"),  # so that the guard comes off exactly
        ("'citat'", "'citat'"),
        ("Regionen erbjuder hälsosamtal.", "Regionen erbjuder hälsosamtal."),
        ("", ""),
        (None, None),
        (3, 3),
    ],
)
def test_a_text_excel_would_run_gets_an_apostrophe_that_comes_off_again(text, written) -> None:
    assert excel_text(text) == written
    assert plain_text(written) == text


def test_an_xlsx_keeps_a_text_that_starts_with_an_equals_sign_as_text(tmp_path: Path) -> None:
    frame = pd.DataFrame({"actor": [LINK, "Region Halland"], "share": [0.5, 1.0]})
    write_xlsx({"coverage": frame}, tmp_path / "comparison.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "comparison.xlsx")["coverage"]
    assert sheet["A2"].value == LINK and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 0.5 and sheet["B2"].data_type == "n"


def write_report(folder: Path, name: str, region: str, year: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        f"{region}\n\nGod och nära vård {year}\n\n{LINK}\n\n{PLUS}\n\n"
        "Regionen erbjuder riktade hälsosamtal.\n",
        encoding="utf-8",
    )


def test_report_text_and_file_names_are_guarded_in_csv_but_exact_elsewhere(
    tmp_path: Path,
) -> None:
    years = {2021: tmp_path / "2021", 2022: tmp_path / "2022"}
    for year, folder in years.items():
        write_report(folder, f"=Region Halland {year}.txt", "Region Halland", year)
        write_report(folder, f"Region Kronoberg {year}.txt", "Region Kronoberg", year)
        result = runner.invoke(
            app, ["analyse", str(folder), "-o", str(tmp_path / f"out{year}"), "--no-cache"]
        )
        assert result.exit_code == 0, result.output

    out = tmp_path / "out2022"
    rows = read_rows(out / "passages.csv")
    texts = [row["text"] for row in rows if row["file"] == "'=Region Halland 2022.txt"]
    assert "'" + LINK in texts and "'" + PLUS in texts
    assert "Regionen erbjuder riktade hälsosamtal." in texts
    fast = next(row for row in rows if row["text"] == "'" + PLUS)
    assert "fasta_kontakter" in fast["themes"]  # tagged from the text as read

    parquet = pd.read_parquet(out / "passages.parquet", columns=["file", "text"])
    assert "=Region Halland 2022.txt" in set(parquet["file"])
    assert {LINK, PLUS} <= set(parquet["text"])

    files = {row["file"]: row for row in read_rows(out / "documents.csv")}
    assert files["'=Region Halland 2022.txt"]["status"] == "ok"
    assert files["'=Region Halland 2022.txt"]["actor"] == "Region Halland"

    # compare reads the analyse outputs back: the file names come back as they are
    result = runner.invoke(
        app,
        ["compare", str(tmp_path / "out2021"), str(out), "-o", str(tmp_path / "cmp"), "--no-cache"],
    )
    assert result.exit_code == 0, result.output
    transitions = read_frame(tmp_path / "cmp" / "transitions.csv")
    assert set(transitions["actor"]) == {"Region Halland", "Region Kronoberg"}
