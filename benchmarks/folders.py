"""nvreport against pdftotext on four kinds of folder, and its start-up, in one run.

    python benchmarks/folders.py [--work DIR] [--kinds large,small,mixed,dense]
                                 [--mixed 200] [--large-pages 256]

For each kind of folder:

* ``large``: three large PDFs of about ``--large-pages`` pages each (about 330 words
  a page), one from each producer the project owner measures with: reportlab,
  LibreOffice (a Word file with tables, converted) and Chromium (a web page printed),
  when soffice and chromium are installed (reportlab stands in for a missing one);
  Chromium writes an object per glyph and costs pdftotext and nvreport the most;
* ``small``: 40 small reports of 1 to 6 pages;
* ``mixed``: ``--mixed`` reports of 20 to 60 pages, four in five PDF, one in five
  DOCX (``benchmarks/pipeline.py``'s corpus);
* ``dense``: a word-dense manual: 120 pages of about 1,200 words in small print;

it prints the reference, pdftotext over the folder's PDFs in one process, one file
after another (``for f in *.pdf; do pdftotext "$f" -; done``: what a user would run
instead), timed before and after nvreport and the faster taken; then ``nvreport
analyse`` with default options as a user runs it (a fresh process, start-up
included, bytecode compiled as pip install leaves it): cold (an empty cache), warm
(the same command again), warm into a new output folder (the kept run's files
copied there), and after a taxonomy change (re-tagged, not re-read); for each its
wall time, its CPU time (all processes), the
ratio to pdftotext, and the peak memory (the largest resident set of any of its
processes). Then the start-up: ``nvreport --version`` and a one-page report.

The lemma table and the tokenizer's rules (made at first use) are made before the
timing starts, in the work folder's cache; their first making is timed apart.
Timings on a shared machine are noisy: compare ratios taken in one run, and repeat.
Needs reportlab and python-docx (the test extras) and poppler's pdftotext.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from pipeline import make_pdf, make_reports
from tagging import make_corpus

ROOT = Path(__file__).resolve().parents[1]

_LAUNCHER = (
    "import resource, subprocess, sys, time;"
    "start = time.perf_counter();"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
    "wall = time.perf_counter() - start;"
    "r = resource.getrusage(resource.RUSAGE_CHILDREN);"
    "print(wall, r.ru_utime + r.ru_stime, r.ru_maxrss)"
)


def timed(command: list[str], environment: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak resident memory (bytes) of a command and
    every process it starts, measured from a fresh launcher process (the wall time
    from the launcher's start of the command to its end: the launcher's own
    start-up, 20-30 ms, is not the command's)."""
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *command],
        check=False,
        capture_output=True,
        text=True,
        env=environment,
    )
    wall, cpu, peak = done.stdout.split()[-3:]
    return float(wall), float(cpu), int(peak) * 1024


def make_large(folder: Path, pages: int) -> None:
    """One report each from reportlab, LibreOffice and Chromium, as the owner's folder."""
    from pipeline import _chromium, _libreoffice, make_docx, make_html

    scratch = Path(tempfile.mkdtemp(prefix="nvreport-large-"))
    reports = (("region-skane", "reportlab"), ("region-halland", "soffice"))
    for seed, (name, producer) in enumerate((*reports, ("region-dalarna", "chromium"))):
        title = name.split("-")[1].title()
        paragraphs = make_corpus(pages * 420, seed)
        if producer == "soffice" and shutil.which("soffice"):
            make_docx(scratch / f"{name}-2022.docx", f"Region {title}", paragraphs, tables=True)
            _libreoffice([scratch / f"{name}-2022.docx"], folder, scratch)
        elif producer == "chromium" and shutil.which("chromium"):
            make_html(scratch / f"{name}-2022.html", f"Region {title}", paragraphs)
            _chromium([scratch / f"{name}-2022.html"], folder, scratch)
        else:
            make_pdf(folder / f"{name}-2022.pdf", title, paragraphs, pages + 10 * seed)
    shutil.rmtree(scratch, ignore_errors=True)


def make_small(folder: Path, reports: int = 40) -> None:
    """Short reports of municipalities (real names, so who wrote each is found)."""
    from nvreport.ingest.gazetteer import Gazetteer

    municipalities = Gazetteer.load().municipalities
    rng = random.Random(40)
    for number in range(reports):
        pages = rng.randint(1, 6)
        title = municipalities[number * 7 % len(municipalities)].name
        make_pdf(
            folder / f"{title} 2022.pdf",
            title,
            make_corpus(pages * 300, number),
            pages,
        )


def make_dense(folder: Path, pages: int = 120) -> None:
    """A manual in 7-point print: about 1,200 words a page."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    rl_config.invariant = 1
    body = ParagraphStyle("b", fontName="Helvetica", fontSize=7, leading=8.2, spaceAfter=2)
    heading = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=10, leading=12)
    paragraphs = make_corpus(pages * 1250, seed=7)
    story = []
    for number, text in enumerate(paragraphs):
        if number % 12 == 0:
            story.append(Paragraph(f"{number // 12 + 1} Rutiner i vården", heading))
        story.append(Paragraph(text, body))
    document = SimpleDocTemplate(
        str(folder / "handbok-region-uppsala-2022.pdf"),
        pagesize=A4,
        leftMargin=36,
        rightMargin=36,
        topMargin=36,
        bottomMargin=36,
    )
    document.build(story)


def make_folder(kind: str, folder: Path, options: argparse.Namespace) -> None:
    folder.mkdir(parents=True)
    if kind == "large":
        make_large(folder, options.large_pages)
    elif kind == "small":
        make_small(folder)
    elif kind == "mixed":
        make_reports(folder, options.mixed)
    else:
        make_dense(folder)


def pdftotext(pdfs: list[Path]) -> float:
    start = time.perf_counter()
    for path in pdfs:
        subprocess.run(["pdftotext", str(path), "-"], stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def page_count(pdfs: list[Path]) -> int:
    from pypdfium2 import PdfDocument

    total = 0
    for path in pdfs:
        document = PdfDocument(str(path))
        total += len(document)
        document.close()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="keep the folders here (made once, reused)")
    parser.add_argument("--kinds", default="large,small,mixed,dense")
    parser.add_argument("--mixed", type=int, default=200, help="reports in the mixed folder")
    parser.add_argument(
        "--large-pages", type=int, default=256, help="pages of each large PDF (reportlab)"
    )
    options = parser.parse_args()
    if not shutil.which("pdftotext"):
        sys.exit("needs poppler's pdftotext (Debian: poppler-utils)")
    work = options.work or Path(tempfile.mkdtemp(prefix="nvreport-folders-"))
    work.mkdir(parents=True, exist_ok=True)
    runs = work / "runs"
    shutil.rmtree(runs, ignore_errors=True)
    runs.mkdir()
    environment = {**os.environ, "XDG_CACHE_HOME": str(runs / "xdg")}
    # as after pip install, which compiles the bytecode: nvreport's modules are not
    # compiled anew in every run (the first run writes the bytecode of every module
    # it loads, in the work folder, not beside the code)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
    nvreport = [str(Path(sys.executable).parent / "nvreport")]
    changed = runs / "changed.yaml"
    bundled = ROOT / "taxonomies" / "nara-vard.yaml"
    changed.write_text(
        bundled.read_text("utf-8").replace('version: "', 'version: "changed-', 1), encoding="utf-8"
    )

    one_page = work / "one-page"
    if not one_page.exists():
        one_page.mkdir()
        make_pdf(one_page / "region-kronoberg-2022.pdf", "Kronoberg", make_corpus(380, 1), 1)
    first, _, _ = timed(
        [*nvreport, "analyse", str(one_page), "-o", str(runs / "first"), "-q", "--no-cache"],
        environment,
    )
    print(f"first use (tables and bytecode made): one-page analyse {first:.2f} s")
    print(
        f"{'folder':8} {'files':>5} {'pages':>6} | {'pdftotext':>9} | {'run':16} {'wall':>7} "
        f"{'CPU':>7} {'× pdftotext':>11} {'% of cold':>9} {'peak':>9}"
    )
    for kind in options.kinds.split(","):
        folder = work / kind
        if not folder.exists():
            make_folder(kind, folder, options)
        pdfs = sorted(folder.glob("*.pdf"))
        files = len([p for p in folder.iterdir() if p.is_file()])
        pages = page_count(pdfs)
        before = pdftotext(pdfs)
        cache = ["--cache", str(runs / f"cache-{kind}")]
        analyse = [*nvreport, "analyse", str(folder), "-q", *cache]
        measured = [
            ("cold", timed([*analyse, "-o", str(runs / f"{kind}-cold")], environment)),
            # the same command again, nothing changed
            ("warm", timed([*analyse, "-o", str(runs / f"{kind}-cold")], environment)),
            # the same inputs into another folder: the kept run's files copied there
            (
                "warm, new folder",
                timed([*analyse, "-o", str(runs / f"{kind}-warm")], environment),
            ),
            (
                "taxonomy change",
                timed(
                    [*analyse, "-o", str(runs / f"{kind}-retag"), "--taxonomy", str(changed)],
                    environment,
                ),
            ),
        ]
        reference = min(before, pdftotext(pdfs))
        cold = measured[0][1][0]
        for number, (label, (wall, cpu, peak)) in enumerate(measured):
            head = f"{kind:8} {files:5} {pages:6} | {reference:8.2f}s" if number == 0 else " " * 34
            print(
                f"{head} | {label:16} {wall:6.2f}s {cpu:6.2f}s {wall / reference:10.2f}× "
                f"{wall / cold:8.1%} {peak / 2**20:6.0f} MiB"
            )
    version = [timed([*nvreport, "--version"], environment)[0] for _ in range(3)]
    page = [
        timed(
            [*nvreport, "analyse", str(one_page), "-o", str(runs / f"one-{n}"), "-q", "--no-cache"],
            environment,
        )
        for n in range(3)
    ]
    print(
        f"start-up: --version {min(version):.2f} s "
        f"(of 3: {', '.join(f'{v:.2f}' for v in version)});"
        f" one-page analyse {min(w for w, _, _ in page):.2f} s wall, "
        f"{min(c for _, c, _ in page):.2f} s CPU (best of 3)"
    )
    if not options.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
