"""How fast ``explorer.html`` is written, and how fast it opens in Chromium, for a large
run.

    python benchmarks/explorer.py [--reports 300] [--passages 100000] [--runs 3]
                                  [--keep DIR]

Makes a synthetic run in memory (``tests/explorer_corpus.py``: ``--reports`` reports
of the country's regions and municipalities, ``--passages`` tagged passages in all,
one to three themes each, no PDF read), writes its explorer as ``analyse`` does
(:class:`~nvreport.outputs.explorer.ExplorerWriter`, a document at a time), then opens
it ``--runs`` times in a fresh headless Chromium (Debian's ``chromium``, driven over
``--remote-debugging-pipe``) and prints, for each, and as the median:

* ready: from the start of navigation to the end of the page's first render (the
  matrix drawn and the first passages listed: the page is usable), as the page
  measures it with ``performance.now()``; with the time at which the script began
  (the HTML read and parsed) and at which the data were parsed;
* load: from the request to the load event, as the test driver sees it;
* a click on a matrix cell and a search over every passage: until the list shows
  the result.

The target is under 2 s ready for 300 reports and 100,000 passages. Timings on a
shared machine are noisy: repeat, and compare runs made together.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from cdp import Chromium, find_browser  # noqa: E402
from explorer_corpus import synthetic_analysis  # noqa: E402
from nvreport.analysis.tables import document_parts  # noqa: E402
from nvreport.ingest.gazetteer import Gazetteer  # noqa: E402
from nvreport.outputs.explorer import ExplorerWriter  # noqa: E402
from nvreport.tagging.taxonomy import load_taxonomy  # noqa: E402


def write(folder: Path, reports: int, passages: int) -> Path:
    taxonomy = load_taxonomy()
    started = time.perf_counter()
    analysis = synthetic_analysis(taxonomy, Gazetteer.load(), reports=reports, passages=passages)
    made = time.perf_counter()
    records = {record.doc_id: record for record in analysis.documents}
    parts = list(document_parts(analysis))
    target = folder / "explorer.html"
    begun = time.perf_counter()
    with ExplorerWriter(taxonomy, analysis.root, folder) as writer:
        for part in parts:
            writer.add(records[part.columns.doc_id], part)
        writer.write(analysis, target)
    done = time.perf_counter()
    size = target.stat().st_size
    print(
        f"{reports} reports, {passages:,} passages: made in {made - started:.1f} s; "
        f"explorer.html written in {done - begun:.2f} s, {size / 2**20:.1f} MiB"
    )
    return target


def open_once(binary: str, page: Path, profile: Path) -> dict[str, float]:
    with Chromium(binary, profile, size=(1400, 1000)) as browser:
        load = browser.open(page.as_uri(), timeout=120)
        state = browser.wait_until(
            "window.nvExplorer && window.nvExplorer.ready && window.nvExplorer", timeout=120
        )
        began = time.monotonic()
        browser.click(
            browser.evaluate(
                "(() => { const b = [...document.querySelectorAll('button.cell')].find("
                "b => +b.dataset.r >= 123 && +b.textContent > 0); "
                "return `button.cell[data-r='${b.dataset.r}'][data-t='${b.dataset.t}']`; })()"
            )
        )
        browser.wait_until("document.getElementById('list-summary').textContent.includes(' om ')")
        clicked = time.monotonic() - began
        began = time.monotonic()
        browser.type("#query", "pilotverksamheten")
        browser.wait_until(
            "document.getElementById('list-summary').textContent.includes('pilotverksamheten')"
        )
        searched = time.monotonic() - began  # includes the search box's 150 ms pause
        problems = browser.problems()
        if problems:
            raise SystemExit(f"the page reported problems: {json.dumps(problems)[:2000]}")
    return {
        "ready": state["loadMs"] / 1000,
        "script": state["scriptMs"] / 1000,
        "parsed": state["parsedMs"] / 1000,
        "load": load,
        "click": clicked,
        "search": searched,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the explorer here and keep it")
    options = parser.parse_args()
    binary = find_browser()
    if binary is None:
        raise SystemExit("no Chromium on this machine (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="nvreport-explorer-") as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        page = write(folder, options.reports, options.passages)
        results = []
        for number in range(options.runs):
            found = open_once(binary, page, Path(scratch) / f"profile-{number}")
            results.append(found)
            print(
                f"  run {number + 1}: ready {found['ready']:.2f} s (script from "
                f"{found['script']:.2f} s, data parsed at {found['parsed']:.2f} s), "
                f"load event {found['load']:.2f} s, cell {found['click']:.2f} s, "
                f"search {found['search']:.2f} s"
            )
        print(
            "  median: "
            + ", ".join(
                f"{name} {statistics.median(r[name] for r in results):.2f} s"
                for name in ("ready", "load", "click", "search")
            )
        )


if __name__ == "__main__":
    main()
