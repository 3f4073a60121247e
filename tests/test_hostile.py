"""A corpus of bad inputs, made here: every file gets a clear message and a status in
documents.csv, the run completes, and the good report's results are unchanged."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from builders import BODY, TITLE, Paragraph, build_pdf
from nvreport.cli.commands import app
from output_csv import read_rows

runner = CliRunner()
GOOD = "Region Halland 2022.pdf"
LONG = "Region Östergötland 2022 tvåtusen sidor.pdf"
LOCKED = "ingen behörighet.txt"
LOCKED_FOLDER = "låst mapp"
# Run as root, a process can read a file whatever its mode; setpriv runs nvreport
# without the capabilities that allow that, so "no permission" is real there too.
WITHOUT_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def good_report(folder: Path) -> None:
    build_pdf(
        folder / GOOD,
        [
            Paragraph("Region Halland", TITLE),
            Paragraph("Regionen erbjuder riktade hälsosamtal och fast vårdkontakt.", BODY),
        ],
        header="",
    )


def hostile_corpus(folder: Path) -> None:
    good_report(folder)
    good = (folder / GOOD).read_bytes()
    (folder / "avbruten.pdf").write_bytes(good[: len(good) // 3])
    for name, user in (("låst med lösenord.pdf", "hemligt"), ("skyddad utan lösenord.pdf", "")):
        page = canvas.Canvas(
            str(folder / name), encrypt=pdfencrypt.StandardEncryption(user, "ägare")
        )
        page.drawString(72, 700, "Region Kronoberg erbjuder mobila team.")
        page.save()
    scan = canvas.Canvas(str(folder / "inskannad.pdf"))
    scan.rect(72, 300, 400, 300, fill=1)
    scan.save()
    (folder / "tom.pdf").write_bytes(b"")
    (folder / "egentligen text.pdf").write_text("Detta är en textfil.", encoding="utf-8")
    (folder / "cirkel.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    giant = canvas.Canvas(str(folder / "jättesida.pdf"), pagesize=(50_000, 50_000))
    giant.drawString(100, 100, "Region Halland erbjuder hälsosamtal.")
    giant.save()
    (folder / "inte en zip.docx").write_text("Ingen Word-fil.", encoding="utf-8")
    with (
        zipfile.ZipFile(folder / "zipbomb.docx", "w", zipfile.ZIP_DEFLATED) as bomb,
        bomb.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(260):  # 260 MB of zeros, a few hundred kB packed
            member.write(chunk)
    (folder / "windows 1252.txt").write_bytes(
        "Flens kommun\n\nKommunen har infört trygghetslarm för äldre.\n".encode("cp1252")
    )
    (folder / "utf16.txt").write_text(
        "Flens kommun\n\nKommunen erbjuder förebyggande hembesök.\n", encoding="utf-16"
    )
    (folder / "sida med skript.html").write_text(
        "<html><body><script>alert('x')</script><p>Regionen erbjuder chatt via 1177.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    shutil.copy(folder / GOOD, folder / "Återsänd kopia av Region Halland 2022.pdf")
    os.symlink(folder / "finns inte.pdf", folder / "trasig länk.pdf")
    (folder / "loop").mkdir()
    os.symlink(folder / "loop", folder / "loop" / "igen")
    long_report(folder / LONG)
    (folder / LOCKED).write_text("Region Gotland\n\nRegionen erbjuder FaR.\n", encoding="utf-8")
    (folder / LOCKED).chmod(0)
    (folder / LOCKED_FOLDER).mkdir()
    (folder / LOCKED_FOLDER / "Region Gotland 2022.txt").write_text(
        "Region Gotland\n\nRegionen erbjuder FaR.\n", encoding="utf-8"
    )
    (folder / LOCKED_FOLDER).chmod(0)


def long_report(path: Path, pages: int = 2000) -> None:
    """A report of ``pages`` pages, one numbered sentence mid-page on each (fast to make)."""
    page = canvas.Canvas(str(path))
    for number in range(1, pages + 1):
        page.setFont("Helvetica", 11)
        page.drawString(
            72, 420, f"Sidan {number}: regionen erbjuder hälsosamtal på enhet {number}."
        )
        page.showPage()
    page.save()


def denied(path: Path, command: list[str]) -> bool:
    """Whether ``command`` + python cannot open ``path`` (a file with mode 000)."""
    done = subprocess.run(
        [*command, sys.executable, "-c", f"open({str(path)!r}, 'rb')"],
        capture_output=True,
        check=False,
    )
    return done.returncode != 0 and b"PermissionError" in done.stderr


def analyse(corpus: Path, out: Path) -> tuple[int, str]:
    """Run ``nvreport analyse`` where file permissions hold: in this process when
    they do, else (as root) in a child process without the capabilities to bypass
    them. Returns the exit code and standard error. Where neither is possible, the
    file without permission is left out of the corpus, with a warning."""
    locked = corpus / LOCKED
    assert stat.S_IMODE(locked.stat().st_mode) == 0
    try:
        locked.open("rb").close()
    except PermissionError:
        enforced = True
    else:
        enforced = False
        if shutil.which("setpriv") and denied(locked, WITHOUT_OVERRIDE):
            command = [*WITHOUT_OVERRIDE, sys.executable, "-m", "nvreport", "analyse"]
            done = subprocess.run(
                [*command, str(corpus), "-o", str(out)],
                capture_output=True,
                text=True,
                check=False,
                timeout=600,
            )
            return done.returncode, done.stderr
        locked.unlink()
        (corpus / LOCKED_FOLDER).chmod(0o755)
        shutil.rmtree(corpus / LOCKED_FOLDER)
        warnings.warn(
            f"{LOCKED} left out: running as root, and setpriv cannot drop the capability "
            "to read any file, so a file without read permission cannot be made",
            stacklevel=2,
        )
    assert enforced or not locked.exists()
    result = runner.invoke(app, ["analyse", str(corpus), "-o", str(out)])
    return result.exit_code, result.stderr


def documents(out: Path) -> dict[str, dict[str, str]]:
    return {row["file"]: row for row in read_rows(out / "documents.csv")}


def passages_of(out: Path, file: str) -> list[tuple[str, str, str]]:
    return [
        (row["page"], row["text"], row["themes"])
        for row in read_rows(out / "passages.csv")
        if row["file"] == file
    ]


def test_every_bad_file_is_recorded_and_the_good_one_is_unchanged(tmp_path: Path) -> None:
    alone = tmp_path / "ensam"
    alone.mkdir()
    good_report(alone)
    assert (
        runner.invoke(app, ["analyse", str(alone), "-o", str(tmp_path / "a"), "-q"]).exit_code == 0
    )

    corpus = tmp_path / "fientlig"
    corpus.mkdir()
    hostile_corpus(corpus)
    exit_code, stderr = analyse(corpus, tmp_path / "b")
    assert exit_code == 1, stderr
    found = documents(tmp_path / "b")
    expected = {
        GOOD: ("ok", ""),
        "avbruten.pdf": ("error", "damaged or truncated"),
        "låst med lösenord.pdf": ("error", "encrypted with a password"),
        "skyddad utan lösenord.pdf": ("warning", "could not tell the year"),  # read fine
        "inskannad.pdf": ("no_text", "needs OCR"),
        "tom.pdf": ("error", "not a PDF file"),
        "egentligen text.pdf": ("error", "not a PDF file"),
        "cirkel.pdf": ("error", "no page could be read"),
        "jättesida.pdf": ("error", "absurd size"),
        "inte en zip.docx": ("error", "not a valid Word document"),
        "zipbomb.docx": ("error", "zip bomb"),
        "windows 1252.txt": ("warning", "read as Windows-1252"),
        "utf16.txt": ("warning", "could not tell the year"),
        "sida med skript.html": ("warning", "could not tell the actor"),
        "Återsänd kopia av Region Halland 2022.pdf": ("warning", f"same content as {GOOD}"),
        "trasig länk.pdf": ("error", "cannot open the file"),
        LOCKED: ("error", "cannot open the file: Permission denied"),
        LOCKED_FOLDER: ("error", "cannot list this folder: Permission denied"),
        LONG: ("ok", ""),
        # a link to a folder is listed, not followed: the loop is walked once
        "loop/igen": ("ignored", "a symbolic link to a folder inside the input folder"),
    }
    if not (corpus / LOCKED).exists():  # see analyse()
        del expected[LOCKED], expected[LOCKED_FOLDER]
    for name, (status, words) in expected.items():
        assert found[name]["status"] == status, (name, found[name])
        assert words in found[name]["message"], (name, found[name]["message"])
    assert set(found) == set(expected)  # the loop is walked once, nothing is missing
    for name in expected:
        if expected[name][0] in ("error", "no_text"):
            assert f"{name}: {found[name]['message']}" in stderr
    # what could be read was read, and the good report is exactly as when alone
    assert passages_of(tmp_path / "b", GOOD) == passages_of(tmp_path / "a", GOOD)
    assert any("1177" in text for _, text, _ in passages_of(tmp_path / "b", "sida med skript.html"))
    assert not any(
        "alert" in text for _, text, _ in passages_of(tmp_path / "b", "sida med skript.html")
    )
    assert [t for _, t, _ in passages_of(tmp_path / "b", "windows 1252.txt")][-1] == (
        "Kommunen har infört trygghetslarm för äldre."
    )
    # two thousand pages, every one read and every passage on its own page
    assert found[LONG]["pages"] == "2000"
    long = passages_of(tmp_path / "b", LONG)
    assert len(long) == 2000
    assert [page for page, _, _ in long] == [str(number) for number in range(1, 2001)]
    assert long[-1][1] == "Sidan 2000: regionen erbjuder hälsosamtal på enhet 2000."
    assert long[-1][2] == "halsosamtal:active"


def test_names_that_are_not_utf8_are_read_and_written_as_windows_1252(tmp_path: Path) -> None:
    """Zip files and shares made on Windows give names in its Swedish code page; the
    report is read under its real name and every output shows the name readably."""
    year = os.fsencode(tmp_path) + b"/J\xf6nk\xf6ping 2022"
    try:
        os.mkdir(year)
        with open(year + b"/Region J\xf6nk\xf6pings l\xe4n \x81.txt", "wb") as handle:
            handle.write("Region Jönköpings län\n\nRegionen erbjuder hälsosamtal.\n".encode())
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 names")
    folder = Path(os.fsdecode(year))
    for label in ("cold", "reused"):
        out = tmp_path / label
        result = runner.invoke(
            app, ["analyse", str(folder), "-o", str(out), "--cache", str(tmp_path / "cache")]
        )
        assert result.exit_code == 0, result.output
        found = documents(out)
        assert list(found) == ["Region Jönköpings län \ufffd.txt"]
        row = found["Region Jönköpings län \ufffd.txt"]
        assert (row["status"], row["actor"], row["year"]) == ("ok", "Region Jönköpings län", "2022")
        record = json.loads((out / "run.json").read_text(encoding="utf-8"))
        assert record["input"].endswith("/Jönköping 2022")
        assert record["files"][0]["file"] == "Region Jönköpings län \ufffd.txt"
        assert passages_of(out, "Region Jönköpings län \ufffd.txt")[-1][2] == "halsosamtal:active"
    assert "copied from the cache" in result.output
