"""Whole-pipeline speed and memory on a generated corpus, against poppler's pdftotext.

    python benchmarks/pipeline.py [--reports 200] [--folder DIR] [--jobs N]
                                  [--producer reportlab|libreoffice|chromium]

Makes (or reuses, in ``--folder``) a corpus of report-like documents of 20 to 60
pages, four in five PDF (with a ruled table in every fourth section) and one in
five DOCX (python-docx). The PDFs are made by ``--producer``: reportlab (the
default: base-14 fonts, nothing embedded, the cheapest PDFs to extract),
LibreOffice from a Word file (embedded TrueType subsets, as Word and LibreOffice
reports have; needs ``soffice``) or headless Chromium from a web page (Skia: one
object per glyph run; needs ``chromium``), since extraction costs differ by
producer. Then it times
``nvreport analyse`` as a user runs it (a fresh process, start-up included):

* cold: an empty cache;
* warm: the same again: the outputs of the cold run are reused from the cache;
* warm, per document: the same again without that finished run (as when one
  report has been added), so every document comes from the cache one by one;
* taxonomy change: a changed taxonomy, so everything is re-tagged but not re-read;
* PDFs only, cold: the PDFs alone (a copy of them in a folder of their own), with
  an empty cache -- the figure to hold against pdftotext;
* start-up: ``nvreport --version``, and ``analyse`` of an empty folder;

and, in the same run, ``pdftotext`` on the same PDFs, as the reference for raw PDF
extraction speed, twice: as it runs (one process, one file after another) and spread
over the same number of processes as nvreport (timed before and after
the nvreport runs; the faster is the reference, as the machine may be busy). Prints
wall time, pages per second and peak memory (the largest resident set of any
process) for each. Timings on a shared machine are noisy: compare ratios taken in
the same run, and repeat.
Needs reportlab and python-docx (the test extras) and, for the reference, poppler's
pdftotext on the PATH.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from tagging import make_corpus

ROOT = Path(__file__).parents[1]
REGIONS = [
    "Region Skåne", "Region Halland", "Region Kronoberg", "Region Dalarna", "Region Uppsala",
    "Region Norrbotten", "Region Värmland", "Region Gävleborg", "Region Jönköpings län",
]  # fmt: skip


def make_pdf(path: Path, title: str, paragraphs: list[str], pages: int) -> int:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    rl_config.invariant = 1
    body = ParagraphStyle("b", fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=8)
    heading = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=14, leading=18)

    def decorate(canvas, document) -> None:
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, A4[1] - 40, f"{title} – Helårsredovisning 2022")
        canvas.drawRightString(A4[0] - 72, 30, f"Sida {document.page}")

    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    story = [Paragraph(title, heading)]
    per_page = max(1, len(paragraphs) // pages)
    for number in range(pages):
        story.append(Paragraph(f"{number + 1} Avsnitt om omställningen", heading))
        if number % 4 == 3:  # a ruled table on every fourth page, as reports have
            rows = _table_rows(number)
            story.append(Table(rows, style=grid))
        story.extend(
            Paragraph(text, body)
            for text in paragraphs[number * per_page : (number + 1) * per_page]
        )
        story.append(PageBreak())
    document = SimpleDocTemplate(str(path), pagesize=A4)
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return document.page


def _table_rows(section: int) -> list[list[str]]:
    return [["Insats", "Plan 2022", "Utfall 2022"]] + [
        [f"Insats {row} inom omställningen", f"{100 + 7 * row + section}", f"{95 + row}"]
        for row in range(1, 6)
    ]


def make_docx(path: Path, title: str, paragraphs: list[str], tables: bool = False) -> None:
    """A Word report: a heading every eight paragraphs and, with ``tables``, a
    bordered table in every fourth section."""
    import docx

    document = docx.Document()
    document.add_heading(title, 0)
    for number, text in enumerate(paragraphs):
        if number % 8 == 0:
            section = number // 8
            document.add_heading(f"{section + 1} Avsnitt om omställningen", 1)
            if tables and section % 4 == 3:
                rows = _table_rows(section)
                table = document.add_table(rows=len(rows), cols=3, style="Table Grid")
                for cells, values in zip(table.rows, rows, strict=True):
                    for cell, value in zip(cells.cells, values, strict=True):
                        cell.text = value
        document.add_paragraph(text)
    document.save(str(path))


def make_html(path: Path, title: str, paragraphs: list[str]) -> None:
    """A report as a web page, laid out like :func:`make_docx` with tables."""
    import html

    parts = [
        "<!doctype html><html lang='sv'><head><meta charset='utf-8'><style>"
        "body{font-family:sans-serif;font-size:11pt} table{border-collapse:collapse}"
        "td{border:1px solid #000;padding:3px}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
    ]
    for number, text in enumerate(paragraphs):
        if number % 8 == 0:
            section = number // 8
            parts.append(f"<h2>{section + 1} Avsnitt om omställningen</h2>")
            if section % 4 == 3:
                rows = "".join(
                    "<tr>" + "".join(f"<td>{value}</td>" for value in row) + "</tr>"
                    for row in _table_rows(section)
                )
                parts.append(f"<table>{rows}</table>")
        parts.append(f"<p>{html.escape(text)}</p>")
    path.write_text("\n".join(parts) + "</body></html>", encoding="utf-8")


def _libreoffice(sources: list[Path], folder: Path, scratch: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("--producer libreoffice needs soffice (Debian: libreoffice-writer-nogui)")
    profile = scratch / "lo-profile"
    for first in range(0, len(sources), 40):  # one soffice start per forty files
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
            + ["--convert-to", "pdf", "--outdir", str(folder)]
            + [str(source) for source in sources[first : first + 40]],
            check=True,
            capture_output=True,
        )


def _chromium(sources: list[Path], folder: Path, scratch: Path) -> None:
    browser = next(
        (found for name in ("chromium", "chromium-browser", "google-chrome")
         if (found := shutil.which(name))),
        None,
    )  # fmt: skip
    if browser is None:
        sys.exit("--producer chromium needs a Chromium browser (Debian: chromium)")

    def print_one(source: Path) -> None:
        target = folder / f"{source.stem}.pdf"
        profile = scratch / "profiles" / source.stem
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={target}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(print_one, sources))


def make_reports(folder: Path, reports: int, producer: str = "reportlab") -> list[tuple[Path, int]]:
    """The corpus: (path, pages) per PDF; DOCX files have no page count here."""
    from pypdfium2 import PdfDocument

    rng = random.Random(2022)
    folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="nvreport-sources-"))
    sources = scratch / "sources"
    sources.mkdir()
    to_convert: list[Path] = []
    for number in range(reports):
        pages = rng.randint(20, 60)
        title = f"{rng.choice(REGIONS)} {number + 1}"
        paragraphs = make_corpus(pages * 420, seed=number)
        name = f"rapport {number + 1:03d}"
        if number % 5 == 4:
            make_docx(folder / f"{name}.docx", title, paragraphs)
        elif producer == "reportlab":
            make_pdf(folder / f"{name}.pdf", title, paragraphs, pages)
        elif producer == "libreoffice":
            make_docx(sources / f"{name}.docx", title, paragraphs, tables=True)
            to_convert.append(sources / f"{name}.docx")
        else:
            make_html(sources / f"{name}.html", title, paragraphs)
            to_convert.append(sources / f"{name}.html")
    if producer == "libreoffice":
        _libreoffice(to_convert, folder, scratch)
    elif producer == "chromium":
        _chromium(to_convert, folder, scratch)
    shutil.rmtree(scratch, ignore_errors=True)
    return [(path, len(PdfDocument(str(path)))) for path in sorted(folder.glob("*.pdf"))]


_LAUNCHER = (
    "import resource, subprocess, sys;"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL);"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (bytes) of a command and all the
    processes it starts, measured from a fresh launcher process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *command], check=False, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    peak_kib = int(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else 0
    return seconds, peak_kib * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--folder", type=Path, default=None, help="keep the corpus here")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--producer", choices=("reportlab", "libreoffice", "chromium"), default="reportlab"
    )
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nvreport-bench-"))
    folder = options.folder or work / "corpus"
    if folder.is_dir() and any(folder.iterdir()):
        from pypdfium2 import PdfDocument

        pdfs = [(path, len(PdfDocument(str(path)))) for path in sorted(folder.glob("*.pdf"))]
    else:
        start = time.perf_counter()
        pdfs = make_reports(folder, options.reports, options.producer)
        print(f"made the corpus in {time.perf_counter() - start:.0f} s")
    pages = sum(count for _, count in pdfs)
    docx = len(list(folder.glob("*.docx")))
    print(
        f"corpus: {len(pdfs)} PDFs ({pages} pages) and {docx} DOCX files, {options.jobs} processes"
    )

    def pdftotext(processes: int) -> float | None:
        if not shutil.which("pdftotext"):
            return None
        start = time.perf_counter()
        with ThreadPoolExecutor(processes) as pool:
            list(
                pool.map(
                    lambda item: subprocess.run(
                        ["pdftotext", str(item[0]), os.devnull], check=False
                    ),
                    pdfs,
                )
            )
        return time.perf_counter() - start

    # pdftotext over the PDFs both as it runs (one file after another) and spread over
    # as many processes as nvreport uses
    references = sorted({options.jobs, 1}, reverse=True)
    before = {processes: pdftotext(processes) for processes in references}
    if before[1] is None:
        print("pdftotext:        not installed (Debian: poppler-utils); no reference")

    nvreport = [sys.executable, "-m", "nvreport"]
    analyse = [*nvreport, "analyse", "-q", "--jobs", str(options.jobs)]
    cache = ["--cache", str(work / "cache")]
    changed = work / "changed.yaml"
    bundled = ROOT / "taxonomies" / "nara-vard.yaml"
    changed.write_text(
        bundled.read_text("utf-8").replace('version: "', 'version: "changed-', 1), encoding="utf-8"
    )
    only_pdfs = work / "pdfs"
    only_pdfs.mkdir()
    for path, _ in pdfs:
        shutil.copy(path, only_pdfs / path.name)
    empty = work / "empty"
    empty.mkdir()

    def forget_finished_runs() -> None:
        shutil.rmtree(work / "cache" / "runs", ignore_errors=True)

    runs = [
        ("cold", [*analyse, str(folder), "-o", str(work / "cold"), *cache]),
        ("warm", [*analyse, str(folder), "-o", str(work / "warm"), *cache]),
        (
            "warm, per document",
            [*analyse, str(folder), "-o", str(work / "warm-documents"), *cache],
            forget_finished_runs,
        ),
        (
            "taxonomy change",
            [*analyse, str(folder), "-o", str(work / "retag"), *cache, "--taxonomy", str(changed)],
        ),
        (
            "PDFs only, cold",
            [*analyse, str(only_pdfs), "-o", str(work / "pdfs-out"), "--cache", str(work / "c2")],
        ),
    ]
    measured = []
    for label, command, *prepare in runs:
        for step in prepare:
            step()
        measured.append((label, *timed(command)))
    after = {processes: pdftotext(processes) for processes in references}
    reference: dict[int, float] = {}
    for processes in references:
        if before[processes] is None or after[processes] is None:
            continue
        reference[processes] = min(before[processes], after[processes])  # type: ignore[type-var]
        label = f"pdftotext, {processes} process{'es' if processes > 1 else ''}:"
        print(
            f"{label:28} {reference[processes]:7.2f} s  "
            f"{pages / reference[processes]:8.0f} pages/s"
            f"  (before the runs {before[processes]:.2f} s, after {after[processes]:.2f} s)"
        )
    cold = measured[0][1]
    for label, seconds, peak in measured:
        ratios = "".join(
            f", {seconds / reference[processes]:.2f}× pdftotext in {processes}"
            for processes in references
            if processes in reference
        )
        print(
            f"{label + ':':28} {seconds:7.2f} s  {pages / seconds:8.0f} pages/s  "
            f"peak {peak / 2**20:6.0f} MiB  {seconds / cold:5.1%} of cold{ratios}"
        )
    version, _ = timed([*nvreport, "--version"])
    nothing, _ = timed([*analyse, str(empty), "-o", str(work / "empty-out"), "--no-cache"])
    print(f"{'start-up:':28} {version:7.2f} s  (--version); {nothing:.2f} s (analyse, no files)")
    shutil.rmtree(work, ignore_errors=True)  # a --folder corpus lives elsewhere and stays


if __name__ == "__main__":
    main()
