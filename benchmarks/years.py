"""compare and narrative on many reports a year: time and peak memory at 10, 100, 400.

    python benchmarks/years.py [--reports 10,100,400] [--drift-up-to 100] [--work DIR]

Makes two years of plain-text reports (``--reports`` a year: every region and
municipality in turn, then second reports of some), each of 4,000 to 12,000 words
(a report of 15 to 40 pages),
next year's report keeping about half of last year's paragraphs (as actors copy
text from year to year); analyses both years once (not timed), then times
``nvreport compare --no-drift``, ``nvreport narrative`` and, up to
``--drift-up-to`` reports a year, ``nvreport compare`` with its term drift, as a user
runs them (a fresh process each) and prints, for each size, the wall time, the CPU
time and the peak memory (the largest resident set of any process). Linear time and
flat memory are what to look for.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from folders import timed
from tagging import make_corpus


def actors() -> list[str]:
    from nvreport.ingest.gazetteer import Gazetteer

    gazetteer = Gazetteer.load()
    names = [gazetteer.region(lan).name for lan in gazetteer.lans]
    names += [gazetteer.kommun(municipality).name for municipality in gazetteer.municipalities]
    return names


def make_years(folder: Path, reports: int) -> None:
    """Two years of reports: ``reports`` a year."""
    names = actors()
    for number in range(reports):
        name = names[number % len(names)]
        extra = "" if number < len(names) else " bilaga"
        rng = random.Random(number)
        paragraphs = make_corpus(rng.randint(4000, 12000), seed=number)
        for year in (2021, 2022):
            if year == 2022:  # about half of last year's text again, the rest new
                fresh = make_corpus(len(" ".join(paragraphs).split()) // 2, seed=10_000 + number)
                paragraphs = [p for n, p in enumerate(paragraphs) if n % 2 == 0] + fresh
            target = folder / str(year) / f"{name}{extra} {year}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            title = f"{name} – redovisning av God och nära vård {year}"
            target.write_text("\n\n".join([title, *paragraphs]) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", default="10,100,400")
    parser.add_argument(
        "--drift-up-to",
        type=int,
        default=100,
        help="time compare with its term drift only up to this many reports a year",
    )
    parser.add_argument("--work", type=Path, help="keep the reports and analyses here")
    options = parser.parse_args()
    work = options.work or Path(tempfile.mkdtemp(prefix="nvreport-years-"))
    environment = {**os.environ, "XDG_CACHE_HOME": str(work / "xdg")}
    nvreport = [str(Path(sys.executable).parent / "nvreport")]
    print(f"{'reports':>7} | {'command':18} {'wall':>7} {'CPU':>7} {'peak':>9}")
    for reports in (int(size) for size in options.reports.split(",")):
        folder = work / f"r{reports}"
        if not folder.exists():
            make_years(folder, reports)
        outputs = {}
        for year in ("2021", "2022"):
            outputs[year] = folder / f"out-{year}"
            if not (outputs[year] / "run.json").exists():
                subprocess.run(
                    [*nvreport, "analyse", str(folder / year), "-o", str(outputs[year]), "-q"],
                    check=True,
                    env=environment,
                )
        compare = [
            *nvreport, "compare", str(outputs["2021"]), str(outputs["2022"]),
            "-o", str(folder / "compare"), "-q",
        ]  # fmt: skip
        runs = {
            "compare --no-drift": [*compare, "--no-drift"],
            "narrative": [
                *nvreport, "narrative", str(outputs["2022"]), "--previous", str(outputs["2021"]),
                "-o", str(folder / "story.md"), "-q",
            ],
        }  # fmt: skip
        if reports <= options.drift_up_to:
            runs["compare"] = compare
        for label, command in runs.items():
            shutil.rmtree(folder / "compare", ignore_errors=True)
            wall, cpu, peak = timed(command, environment)
            print(
                f"{reports:7} | {label:18} {wall:6.2f}s {cpu:6.2f}s {peak / 2**20:6.0f} MiB",
                flush=True,
            )
    if not options.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
