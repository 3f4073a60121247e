"""Which files are reports (``--formats``, files that are not reports, archives,
``.doc`` without LibreOffice), ``--strict`` on files not read, and ``--ocr`` of
scanned PDFs, as a user of ``nvreport analyse`` sees them: statuses and messages in
documents.csv, the passages, the messages on standard error and the exit code."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from builders import BODY, H1, TITLE, Paragraph, build_pdf
from nvreport.cli.commands import app
from nvreport.errors import UsageError
from nvreport.ingest.discover import (
    FORMAT_NOT_CHOSEN,
    HIDDEN,
    WRITTEN_BY_NVREPORT,
    ReadChoices,
    discover_reports,
    unread_report,
)
from nvreport.ingest.readers import doc as doc_reader
from nvreport.ingest.readers.ocr import ocr_problem
from nvreport.models import SourceFile

runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(arg) for arg in args])


def documents(output: Path) -> dict[str, dict[str, str]]:
    """documents.csv by file, read as any CSV reader would (either separator)."""
    data = (output / "documents.csv").read_bytes().decode("utf-8-sig")
    delimiter = ";" if ";" in data.split("\n", 1)[0] else ","
    return {row["file"]: row for row in csv.DictReader(io.StringIO(data), delimiter=delimiter)}


def region_report(path: Path, region: str = "Region Halland") -> Path:
    story = [
        Paragraph(region, TITLE),
        Paragraph("Helårsredovisning 2022", H1),
        Paragraph(
            f"{region} har under 2022 fortsatt arbetet med fast vårdkontakt och "
            "riktade hälsosamtal. Arbetet följs upp av regionens ledningsgrupp.",
            BODY,
        ),
    ]
    return build_pdf(path, story, header="")


# --------------------------------------------------------------------------------------
# --formats and the files that are not reports
# --------------------------------------------------------------------------------------


def test_formats_choose_which_files_are_reports(tmp_path: Path) -> None:
    reports = tmp_path / "2022"
    reports.mkdir()
    region_report(reports / "Region Halland 2022.pdf")
    (reports / "Flens kommun 2022.txt").write_text(
        "Flens kommun\n\nKommunen har infört trygghetsbesök.\n", encoding="utf-8"
    )
    (reports / "mina tankar.md").write_text("# Tankar\n\nOm rapporterna.\n", encoding="utf-8")
    result = run("analyse", reports, "-o", tmp_path / "ut", "--formats", "pdf", "--strict")
    assert result.exit_code == 0, result.output
    found = documents(tmp_path / "ut")
    assert found["Region Halland 2022.pdf"]["status"] == "ok"
    for name in ("Flens kommun 2022.txt", "mina tankar.md"):
        assert (found[name]["status"], found[name]["message"]) == ("ignored", FORMAT_NOT_CHOSEN)
    record = json.loads((tmp_path / "ut" / "run.json").read_text(encoding="utf-8"))
    assert record["options"]["formats"] == "pdf"

    # the default reads every format
    result = run("analyse", reports, "-o", tmp_path / "alla")
    assert result.exit_code == 0, result.output
    assert "ignored" not in {row["status"] for row in documents(tmp_path / "alla").values()}


def test_an_unknown_format_is_a_usage_error_naming_the_formats(tmp_path: Path) -> None:
    (tmp_path / "r").mkdir()
    result = run("analyse", tmp_path / "r", "-o", tmp_path / "ut", "--formats", "pdf,pages")
    assert result.exit_code == 2
    assert "'pages' is not a format nvreport reads" in result.stderr
    assert "pdf,docx,doc,odt,rtf,txt,md,html" in result.stderr
    with pytest.raises(UsageError):
        ReadChoices.of(" , ")
    assert ReadChoices.of("PDF, .htm").formats == ("pdf", "html")


def test_files_that_are_not_reports_are_ignored_with_a_reason(tmp_path: Path) -> None:
    for name in ("Region Halland 2022.pdf", "LICENSE", ".anteckningar.md", "berattelse.html"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / ".utkast").mkdir()
    (tmp_path / ".utkast" / "Region Skåne.pdf").write_bytes(b"x")
    (tmp_path / "berattelse.html").write_text(
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">\n'
        '<meta name="generator" content="nvreport 0.1.0"><title>Nära vård</title></head>'
        "<body><p>Berättelsen</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "Region Skåne 2022.html").write_text(
        '<html><head><meta name="generator" content="Microsoft Word 15"></head>'
        "<body><p>Regionens rapport</p></body></html>",
        encoding="utf-8",
    )
    found = discover_reports(tmp_path)
    assert [source.relpath for source in found.reports] == [
        "Region Halland 2022.pdf",
        "Region Skåne 2022.html",
    ]
    assert {source.relpath: why for source, why in found.ignored} == {
        ".anteckningar.md": HIDDEN,
        ".utkast": HIDDEN,
        "LICENSE": "not a report: a README, licence or notes file, by its name",
        "berattelse.html": WRITTEN_BY_NVREPORT,
    }


def test_which_ignored_files_may_be_reports_not_read(tmp_path: Path) -> None:
    def unread(name: str, reason: str) -> bool:
        return unread_report(SourceFile(tmp_path / name, name), reason)

    assert unread("arkiv.zip", "zip archive: unpack it first, then analyse the folder")
    assert unread("gammal.doc", doc_reader.NO_LIBREOFFICE)
    assert unread("rapport.pdf", "a symbolic link to a file outside the input folder: not read")
    assert not unread("bild.png", "a symbolic link to a file outside the input folder: not read")
    assert not unread("README.md", "not a report: a README, licence or notes file, by its name")
    assert not unread("rapport.txt", FORMAT_NOT_CHOSEN)
    assert not unread("budget.xlsx", "not a report format (.xlsx)")
    assert not unread(".dold.pdf", HIDDEN)


# --------------------------------------------------------------------------------------
# --strict fails on any file not read
# --------------------------------------------------------------------------------------


@pytest.fixture
def with_archive(tmp_path: Path) -> Path:
    reports = tmp_path / "2022"
    reports.mkdir()
    region_report(reports / "Region Halland 2022.pdf")
    (reports / "Region Skåne 2022.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (reports / "README.md").write_text("Rapporterna för 2022.\n", encoding="utf-8")
    return reports


def test_an_archive_is_not_read_and_strict_fails_on_it(with_archive: Path, tmp_path: Path) -> None:
    result = run("analyse", with_archive, "-o", tmp_path / "ut", "-q")
    assert result.exit_code == 0, result.output
    assert (
        "nvreport: warning: Region Skåne 2022.zip: not read: zip archive: unpack it first"
        in result.stderr
    )
    assert "README.md" not in result.stderr  # not a report: nothing to warn of
    row = documents(tmp_path / "ut")["Region Skåne 2022.zip"]
    assert (row["status"], row["message"]) == (
        "ignored",
        "zip archive: unpack it first, then analyse the folder",
    )

    result = run("analyse", with_archive, "-o", tmp_path / "ut", "-q", "--strict")
    assert result.exit_code == 1
    assert "nvreport: error: --strict: 1 file was not read: Region Skåne 2022.zip" in (
        result.stderr
    )


def test_a_doc_without_libreoffice_is_listed_and_strict_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(doc_reader, "libreoffice", lambda: None)
    reports = tmp_path / "2022"
    reports.mkdir()
    region_report(reports / "Region Halland 2022.pdf")
    (reports / "Flens kommun 2022.doc").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    )
    result = run("analyse", reports, "-o", tmp_path / "ut", "-q", "--strict")
    assert result.exit_code == 1
    row = documents(tmp_path / "ut")["Flens kommun 2022.doc"]
    assert row["status"] == "ignored"
    assert "LibreOffice" in row["message"] and "apt install" in row["message"]
    assert "Flens kommun 2022.doc: not read: a Word 97–2003 document" in result.stderr
    assert "--strict: 1 file was not read: Flens kommun 2022.doc" in result.stderr


def test_strict_lists_unreadable_files_too(tmp_path: Path) -> None:
    reports = tmp_path / "2022"
    reports.mkdir()
    region_report(reports / "Region Halland 2022.pdf")
    (reports / "Region Skåne 2022.pdf").write_bytes(b"%PDF-1.4 trasig")
    (reports / "arkiv.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    result = run("analyse", reports, "-o", tmp_path / "ut", "-q", "--strict")
    assert result.exit_code == 1
    assert "--strict: 2 files were not read: Region Skåne 2022.pdf, arkiv.zip" in result.stderr


# --------------------------------------------------------------------------------------
# OCR
# --------------------------------------------------------------------------------------

needs_ocr = pytest.mark.skipif(ocr_problem() is not None, reason=f"no OCR here: {ocr_problem()}")

SCANNED_LINES = [
    ("Hälsosamtal", "title"),
    ("Regionen har under året infört hälsosamtal för", "body"),
    ("alla invånare som fyller 50 år. Samtalen", "body"),
    ("genomförs på vårdcentralerna i hela länet.", "body"),
]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/Library/Fonts/Arial.ttf",
        "C:/Windows/Fonts/arial.ttf",
    ):
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def scanned_page() -> Image.Image:
    """An A4 page at 300 dpi with Swedish text drawn on it, as a scanner gives it."""
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    y = 300
    for text, kind in SCANNED_LINES:
        draw.text((250, y), text, font=_font(96 if kind == "title" else 52), fill=0)
        y += 200 if kind == "title" else 80
    return image


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A scanned report (one image page), and a report typed in Word whose second
    page is a scanned appendix."""
    folder = tmp_path_factory.mktemp("scans")
    scanned = folder / "Region Halland 2022.pdf"
    scanned_page().save(scanned, resolution=300)
    mixed = folder / "Region Skåne 2022.pdf"
    page = canvas.Canvas(str(mixed), pagesize=A4)
    page.setFont("Helvetica-Bold", 18)
    page.drawString(72, 760, "Region Skåne")
    page.setFont("Helvetica", 11)
    page.drawString(72, 720, "Regionen har under 2022 fortsatt arbetet med fast vårdkontakt.")
    page.showPage()
    page.drawImage(ImageReader(scanned_page()), 0, 0, *A4)
    page.showPage()
    page.save()
    return {"scanned": scanned, "mixed": mixed}


def one(folder: Path, *files: Path) -> Path:
    folder.mkdir()
    for path in files:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_a_scan_without_ocr_says_how_to_get_it(scans: dict[str, Path], tmp_path: Path) -> None:
    reports = one(tmp_path / "2022", scans["scanned"])
    result = run("analyse", reports, "-o", tmp_path / "ut", "-q")
    assert result.exit_code == 1
    row = documents(tmp_path / "ut")["Region Halland 2022.pdf"]
    assert row["status"] == "no_text"
    assert "run again with --ocr" in row["message"]
    assert "apt install tesseract-ocr tesseract-ocr-swe" in row["message"]


def test_ocr_asked_for_where_it_is_missing_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nvreport.ingest.readers import ocr

    monkeypatch.setattr(
        ocr, "ocr_problem", lambda: f"tesseract is not installed; {ocr.HOW_TO_GET_OCR}"
    )
    (tmp_path / "r").mkdir()
    result = run("analyse", tmp_path / "r", "-o", tmp_path / "ut", "--ocr")
    assert result.exit_code == 2
    assert "--ocr: tesseract is not installed" in result.stderr
    assert "apt install tesseract-ocr tesseract-ocr-swe" in result.stderr
    assert 'pip install "nvreport[ocr]"' in result.stderr


@needs_ocr
def test_ocr_reads_a_scanned_report(scans: dict[str, Path], tmp_path: Path) -> None:
    reports = one(tmp_path / "2022", scans["scanned"])
    # a run without OCR first: its no_text read, in the cache, is not what --ocr gets
    assert run("analyse", reports, "-o", tmp_path / "utan", "-q").exit_code == 1
    result = run("analyse", reports, "-o", tmp_path / "ut", "-q", "--ocr", "--strict")
    assert result.exit_code == 0, result.output
    row = documents(tmp_path / "ut")["Region Halland 2022.pdf"]
    assert (row["status"], row["ocr_pages"], row["pages"]) == ("ok", "1", "1")
    passages = pd.read_parquet(tmp_path / "ut" / "passages.parquet")
    assert passages["ocr"].all()
    text = " ".join(passages["text"])
    assert "infört hälsosamtal för alla invånare som fyller 50 år" in text
    heading = passages[passages["kind"] == "heading"]["text"].tolist()
    assert heading == ["Hälsosamtal"]
    themes = {tag["id"]: tag["status"] for tags in passages["themes"] for tag in tags}
    assert themes.get("halsosamtal") == "active"
    assert int(row["kept_words"]) == int(row["text_layer_words"]) > 20


@needs_ocr
def test_ocr_reads_only_the_scanned_pages_of_a_typed_report(
    scans: dict[str, Path], tmp_path: Path
) -> None:
    reports = one(tmp_path / "2022", scans["mixed"])
    result = run("analyse", reports, "-o", tmp_path / "ut", "-q", "--ocr")
    assert result.exit_code == 0, result.output
    row = documents(tmp_path / "ut")["Region Skåne 2022.pdf"]
    assert (row["status"], row["ocr_pages"], row["message"]) == ("ok", "2", "")
    passages = pd.read_parquet(tmp_path / "ut" / "passages.parquet")
    by_page = passages.groupby("page")["ocr"].agg(["all", "any"])
    assert not by_page.loc[1, "any"] and by_page.loc[2, "all"]
    assert passages[passages["page"] == 1]["text"].str.contains("fast vårdkontakt").any()
    assert passages[passages["page"] == 2]["text"].str.contains("hälsosamtal").any()


# --------------------------------------------------------------------------------------
# --formats on the other commands that read a folder of reports
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["compare", "narrative", "export", "kwic"])
def test_every_command_that_reads_reports_takes_formats(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "--formats" in result.stdout and "--ocr" in result.stdout


def year_of_reports(folder: Path, year: int) -> Path:
    folder.mkdir()
    region_report(folder / f"Region Halland {year}.pdf")
    (folder / f"Flens kommun {year}.txt").write_text(
        f"Flens kommun\n\nRedovisning {year}\n\nKommunen erbjuder hälsosamtal till alla "
        "som fyller 40 år.\n",
        encoding="utf-8",
    )
    return folder


def test_kwic_and_compare_read_only_the_formats_chosen(tmp_path: Path) -> None:
    later = year_of_reports(tmp_path / "2022", 2022)
    earlier = year_of_reports(tmp_path / "2021", 2021)

    every = run("kwic", "halsosamtal", later)
    chosen = run("kwic", "halsosamtal", later, "--formats", "pdf")
    assert every.exit_code == chosen.exit_code == 0, every.output + chosen.output
    assert "Flens kommun" in every.stdout and "Region Halland" in every.stdout
    assert "Flens kommun" not in chosen.stdout and "Region Halland" in chosen.stdout

    result = run("compare", earlier, later, "-o", tmp_path / "jmf", "-q", "--formats", "pdf")
    assert result.exit_code == 0, result.output
    data = (tmp_path / "jmf" / "coverage.csv").read_bytes().decode("utf-8-sig")
    delimiter = ";" if ";" in data.split("\n", 1)[0] else ","
    rows = list(csv.DictReader(io.StringIO(data), delimiter=delimiter))
    assert rows and {row["actor_type"] for row in rows} == {"region"}  # no kommun: .txt left out


def test_pages_ocr_was_unsure_of_are_named_in_a_warning(tmp_path: Path) -> None:
    """Tesseract's words with their confidence, as image_to_data gives them: a page
    read with a mean confidence under 70% gets a warning naming it."""
    from nvreport.ingest.readers.ocr import _merged, _page_blocks, _words

    def data(confidence: float) -> dict[str, list]:
        words = ["Regionen", "har", "infört", "hälsosamtal"]
        return {
            "text": ["", *words],
            "block_num": [1] * 5,
            "par_num": [1] * 5,
            "line_num": [1] * 5,
            "height": [40] * 5,
            "conf": [-1, *[confidence] * 4],
        }

    sure, unsure = _page_blocks(_words(data(93.0)), 1), _page_blocks(_words(data(41.5)), 2)
    result = _merged(tmp_path / "skannad.pdf", None, {1: sure, 2: unsure}, 2)
    assert [(block.page, block.text) for block in result.blocks] == [
        (1, "Regionen har infört hälsosamtal"),
        (2, "Regionen har infört hälsosamtal"),
    ]
    assert result.ocr_pages == (1, 2)
    assert result.warnings == (
        "OCR was unsure of the words on page 2 (mean confidence 42%); check the passages "
        "from it against the page",
    )
    assert result.account.page_words == (4, 4)
