"""Fingerprint every output of analyse, compare and narrative, to show a change kept them.

    python benchmarks/output_fingerprint.py [--reports 24] [--work DIR] > before.txt
    ... change the code ...
    python benchmarks/output_fingerprint.py [--reports 24] [--work DIR] > after.txt
    diff before.txt after.txt

Runs the installed ``nvreport`` (a fresh process per command, no cache) on the bundled
samples (both years: analyse, compare, narrative in Markdown and HTML) and on a
generated benchmark corpus (the one ``benchmarks/pipeline.py`` makes, reportlab PDFs
and DOCX) and on three large PDFs (read by every worker, page range by page range,
and by one worker), and prints one line per output file: its SHA-256 and its path relative to
the work folder. The run's clock (``started``/``finished`` in ``run.json`` and
``comparison.json``), the output folder's own path and the path of the source tree
(so two copies of the code can be compared; also as the explorer's links to the
reports give it, relative to the output folder) are blanked before hashing, as are the
dates the narrative prints; everything else must be byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from pipeline import make_pdf, make_reports

ROOT = Path(__file__).resolve().parent.parent
_CLOCK = re.compile(rb'"(started|finished|generated)": "[^"]*"')
_DATE = re.compile(rb"\b20\d\d-\d\d-\d\d(T[0-9:+.Z-]+)?\b")


def nvreport(*arguments: str) -> None:
    command = [str(Path(sys.executable).parent / "nvreport"), *arguments]
    done = subprocess.run(command, capture_output=True, cwd=ROOT)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode()}")


def fingerprint(path: Path, work: Path) -> str:
    data = path.read_bytes()
    # the explorer links to the reports relative to itself: the way to the tree too
    # (first: the tree's absolute path may stand inside it, "../../work/main/")
    relative = Path(os.path.relpath(ROOT, path.parent)).as_posix().encode()
    if relative.startswith(b"../"):
        data = data.replace(relative + b"/", b"ROOT/")
    data = data.replace(str(work).encode(), b"WORK")
    data = data.replace(str(ROOT).encode(), b"ROOT")  # the tree run from (a copy, to compare)
    data = _CLOCK.sub(rb'"\1": ""', data)
    if path.suffix in {".md", ".html", ".json", ".svg"}:
        data = _DATE.sub(b"DATE", data)
    return hashlib.sha256(data).hexdigest()


def make_large_pdfs(folder: Path, pages: tuple[int, ...] = (110, 90, 100)) -> None:
    """Large reports, with running headers, tables and paragraphs across pages."""
    from tagging import make_corpus

    folder.mkdir(parents=True, exist_ok=True)
    names = ("region-skane", "region-halland", "region-dalarna")
    for seed, (name, count) in enumerate(zip(names, pages, strict=False)):
        title = name.split("-")[1].title()
        make_pdf(folder / f"{name}-2022.pdf", title, make_corpus(count * 420, seed), count)


def run(work: Path, reports: int) -> None:
    out = work / "out"
    for year in ("2021", "2022"):
        nvreport(
            "analyse",
            f"samples/{year}",
            "-o",
            str(out / f"samples-{year}"),
            "--quiet",
            "--no-cache",
        )
    nvreport(
        "compare",
        str(out / "samples-2021"),
        str(out / "samples-2022"),
        "-o",
        str(out / "samples-compare"),
        "--quiet",
    )
    for suffix in ("md", "html"):
        nvreport(
            "narrative",
            str(out / "samples-2022"),
            "--previous",
            str(out / "samples-2021"),
            "-o",
            str(out / f"samples-story.{suffix}"),
            "--quiet",
        )
    corpus = work / "corpus"
    if not corpus.exists():
        make_reports(corpus, reports)
    nvreport("analyse", str(corpus), "-o", str(out / "corpus"), "--quiet", "--no-cache")
    # three large PDFs, which the workers share page range by page range; and the
    # same read by one worker, which must give the same bytes
    large = work / "large"
    if not large.exists():
        make_large_pdfs(large)
    nvreport("analyse", str(large), "-o", str(out / "large"), "--quiet", "--no-cache")
    nvreport("analyse", str(large), "-o", str(out / "large-1"), "--quiet", "--no-cache", "-j", "1")
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        print(fingerprint(path, work), path.relative_to(work).as_posix())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=24, help="reports in the generated corpus")
    parser.add_argument("--work", type=Path, help="work folder (kept; the corpus is reused)")
    arguments = parser.parse_args()
    if arguments.work:
        shutil.rmtree(arguments.work / "out", ignore_errors=True)
        run(arguments.work.resolve(), arguments.reports)
        return
    with tempfile.TemporaryDirectory() as folder:
        run(Path(folder), arguments.reports)


if __name__ == "__main__":
    main()
