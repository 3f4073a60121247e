"""``nvreport analyse`` end to end: outputs, statuses, messages and exit codes."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from builders import BODY, H1, TITLE, Paragraph, build_pdf
from nvreport import __version__
from nvreport.cli import app
from nvreport.pipeline import DOCUMENT_COLUMNS, PASSAGE_COLUMNS

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(arg) for arg in args])


def region_report(path: Path, region: str, year: int) -> Path:
    story = [
        Paragraph(region, TITLE),
        Paragraph(f"Helårsredovisning {year}", H1),
        Paragraph(
            f"{region} har under {year} fortsatt arbetet med fast vårdkontakt och "
            "riktade hälsosamtal. Arbetet följs upp av regionens ledningsgrupp.",
            BODY,
        ),
    ]
    return build_pdf(path, story, header="")


@pytest.fixture
def year_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "2022"
    folder.mkdir()
    region_report(folder / "Region Halland 2022.pdf", "Region Halland", 2022)
    region_report(folder / "rapport.pdf", "Region Dalarna", 2022)
    (folder / "Flens kommun.txt").write_text(
        "Flens kommun\n\nRedovisning 2022\n\nKommunen har infört trygghetsbesök för äldre.\n",
        encoding="utf-8",
    )
    return folder


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"nvreport {__version__}"


@pytest.mark.parametrize("command", [[], ["analyse"]])
def test_every_command_has_help(command) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_analyse_writes_every_output(year_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    result = run("analyse", year_folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "documents.csv",
        "passages.csv",
        "passages.parquet",
        "run.json",
    ]
    assert (out / "passages.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel

    documents = read_csv(out / "documents.csv")
    assert list(documents[0]) == list(DOCUMENT_COLUMNS)
    by_file = {row["file"]: row for row in documents}
    assert by_file["rapport.pdf"]["actor"] == "Region Dalarna"
    assert by_file["rapport.pdf"]["actor_source"] == "text"
    assert by_file["Region Halland 2022.pdf"]["actor_source"] == "filename"
    assert by_file["Flens kommun.txt"]["actor_type"] == "kommun"
    assert by_file["Flens kommun.txt"]["lan"] == "Södermanlands län"
    assert {row["status"] for row in documents} == {"ok"}
    assert {row["year"] for row in documents} == {"2022"}

    passages = read_csv(out / "passages.csv")
    assert list(passages[0]) == list(PASSAGE_COLUMNS)
    halland = [row for row in passages if row["file"] == "Region Halland 2022.pdf"]
    assert [row["text"] for row in halland][:2] == ["Region Halland", "Helårsredovisning 2022"]
    assert {row["page"] for row in halland} == {"1"}
    flen = [row for row in passages if row["file"] == "Flens kommun.txt"]
    assert {row["page"] for row in flen} == {""}

    parquet = pd.read_parquet(out / "passages.parquet")
    assert list(parquet.columns) == list(PASSAGE_COLUMNS)
    assert len(parquet) == len(passages)
    assert parquet["text"].tolist() == [row["text"] for row in passages]

    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["nvreport_version"] == __version__
    assert {f["file"] for f in record["files"]} == set(by_file)
    assert all(len(f["sha256"]) == 64 for f in record["files"])
    assert record["counts"]["passages"] == len(passages)


def test_bad_files_are_recorded_and_the_run_goes_on(year_folder: Path, tmp_path: Path) -> None:
    good = year_folder / "Region Halland 2022.pdf"
    (year_folder / "trasig.pdf").write_bytes(good.read_bytes()[:1500])
    (year_folder / "tom.pdf").write_bytes(b"")
    (year_folder / "egentligen text.pdf").write_text("Bara text.", encoding="utf-8")
    locked = canvas.Canvas(
        str(year_folder / "låst.pdf"), encrypt=pdfencrypt.StandardEncryption("lösen", "ägare")
    )
    locked.drawString(72, 700, "Region Kronoberg")
    locked.save()
    scan = canvas.Canvas(str(year_folder / "Region Blekinge skannad.pdf"))
    scan.rect(72, 300, 400, 300, fill=1)
    scan.save()
    (year_folder / "budget.xlsx").write_bytes(b"PK")
    shutil.copy(good, year_folder / "kopia av Halland.pdf")

    out = tmp_path / "ut"
    result = run("analyse", year_folder, "-o", out)
    assert result.exit_code == 1
    statuses = {
        row["file"]: (row["status"], row["message"]) for row in read_csv(out / "documents.csv")
    }
    assert statuses["Region Halland 2022.pdf"] == ("ok", "")
    assert statuses["trasig.pdf"][0] == "error"
    assert "damaged or truncated" in statuses["trasig.pdf"][1]
    assert statuses["tom.pdf"][0] == "error"
    assert "egentligen text.pdf" in statuses and "not a PDF" in statuses["egentligen text.pdf"][1]
    assert statuses["låst.pdf"][0] == "error"
    assert "encrypted" in statuses["låst.pdf"][1]
    assert statuses["Region Blekinge skannad.pdf"][0] == "no_text"
    assert "OCR" in statuses["Region Blekinge skannad.pdf"][1]
    assert statuses["budget.xlsx"] == ("ignored", "not a report format (.xlsx)")
    assert statuses["kopia av Halland.pdf"][0] == "warning"
    assert "same content as Region Halland 2022.pdf" in statuses["kopia av Halland.pdf"][1]

    # each problem is told on stderr with the file's name
    for name in ["trasig.pdf", "låst.pdf", "Region Blekinge skannad.pdf", "kopia av Halland.pdf"]:
        assert name in result.stderr
    # the readable reports are unaffected, and the duplicate is counted once
    passages = read_csv(out / "passages.csv")
    assert {row["file"] for row in passages} == {
        "Region Halland 2022.pdf",
        "rapport.pdf",
        "Flens kommun.txt",
    }


def test_strict_turns_warnings_into_exit_code_1(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "anteckning.txt").write_text("En text utan avsändare eller år.", encoding="utf-8")
    assert run("analyse", folder, "-o", tmp_path / "a").exit_code == 0
    strict = run("analyse", folder, "-o", tmp_path / "b", "--strict")
    assert strict.exit_code == 1
    assert "could not tell the actor" in strict.stderr


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("analyse", tmp_path / "saknas", "-o", tmp_path / "ut")
    assert result.exit_code == 2
    assert "nvreport: error:" in result.stderr
    assert "no such folder" in result.stderr


def test_malformed_manifest_stops_the_run_before_any_work(
    year_folder: Path, tmp_path: Path
) -> None:
    (year_folder / "manifest.csv").write_text("fil,aktör\n", encoding="utf-8")
    result = run("analyse", year_folder, "-o", tmp_path / "ut")
    assert result.exit_code == 2
    assert (
        "manifest.csv: the columns must be exactly file,actor,actor_type,lan,year" in result.stderr
    )
    assert not (tmp_path / "ut").exists()


def test_outputs_are_byte_identical_across_runs(year_folder: Path, tmp_path: Path) -> None:
    run("analyse", year_folder, "-o", tmp_path / "a")
    run("analyse", year_folder, "-o", tmp_path / "b")
    for name in ["passages.csv", "passages.parquet", "documents.csv"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_output_inside_input_folder_is_not_read_back(year_folder: Path) -> None:
    run("analyse", year_folder, "-o", year_folder / "ut")
    again = run("analyse", year_folder, "-o", year_folder / "ut")
    assert again.exit_code == 0
    files = {row["file"] for row in read_csv(year_folder / "ut" / "documents.csv")}
    assert not any(name.startswith("ut/") for name in files)
