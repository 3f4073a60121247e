"""How well the PDF reader reads real PDFs: words kept, order, structure, per file.

    python benchmarks/pdf_dev.py [FOLDER_OR_PDF ...] [--json FILE|-]

Default folder: ``../shared/pdf-dev`` beside the repository (real PDFs from many
producers, kept out of the repository; never copy them in). For each PDF it runs
``read_pdf`` and ``split_passages`` as the pipeline does, and compares every page's
passages with poppler's ``pdftotext`` (plain mode, one run split at form feeds) as the
reference. The comparison rules live in ``tests/pdf_factory.py`` (words, body words,
recall, word-pair order), shared with ``tests/test_pdf_differential.py`` so the
benchmark and the tests judge alike; this script puts ``tests/`` on ``sys.path`` to
import them.

Per file it prints:

* ``recall``: reference body words found in the passages of the same page (a
  multiset, capped per word), over all body words. Body words leave out running
  headers/footers (the first/last two lines of a page when their digit-folded text
  is there on at least half the pages), lone page numbers and contents pages;
* ``excess``: passage words not in the reference page, over the body words;
* ``table``: share of passages that are ``table_row``;
* ``para``: median words per ``paragraph`` passage; ``heads``: headings;
* ``silent``: pages of >= 30 body words with recall < 0.5 in a document without a
  warning;
* ``scram``: passages of >= 8 words more than half of whose adjacent word pairs are
  not adjacent in the reference page text;
* ``frag``: share of paragraphs starting in lower case after a paragraph without a
  sentence end (flagged ``!`` at >= 25%);
* ``layer/out/kept``: the reader's own account (``ReadResult.account``) when it has
  one: words of the text layer, words left out (by reason, in ``--json``), words
  passed on in blocks;
* the document's warnings, below the table.

Then the median and mean recall over the files and the time taken. One process,
files one after another. Needs poppler's ``pdftotext`` on the PATH.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from nvreport.ingest.passages import split_passages  # noqa: E402
from nvreport.ingest.readers.pdf import read_pdf  # noqa: E402
from nvreport.models import BlockKind  # noqa: E402
from pdf_factory import (  # noqa: E402
    fragmented,
    median,
    page_recall,
    pair_agreement,
    pdftotext_pages,
    reference_pages,
    words,
)

DEFAULT_FOLDER = ROOT.parent / "shared" / "pdf-dev"
SILENT_WORDS = 30
SILENT_RECALL = 0.5
SCRAMBLED = 0.5
SCRAMBLE_WORDS = 8
FRAGMENTED = 0.25


def measure(path: Path) -> dict:
    """Every figure for one PDF, as a dict (what ``--json`` writes)."""
    started = time.perf_counter()
    row: dict = {"file": path.name}
    try:
        result = read_pdf(path)
    except Exception as error:  # a benchmark reports, it does not stop
        row.update(error=f"{type(error).__name__}: {error}", seconds=time.perf_counter() - started)
        return row
    read_seconds = time.perf_counter() - started
    passages = split_passages(path.stem, result.blocks)
    texts = pdftotext_pages(path)
    pages = max(result.pages or 0, len(texts))
    texts += [""] * (pages - len(texts))
    reference = reference_pages(texts)
    scores = page_recall(reference, passages)
    _, scrambles = pair_agreement(reference, passages, min_words=SCRAMBLE_WORDS)
    body = sum(score.body_words for score in scores)
    found = sum(score.found for score in scores)
    excess = sum(score.excess for score in scores)
    kinds = [passage.kind for passage in passages]
    paragraph_words = [p.word_count for p in passages if p.kind is BlockKind.PARAGRAPH]
    silent = [
        score.page
        for score in scores
        if not result.warnings and score.body_words >= SILENT_WORDS and score.recall < SILENT_RECALL
    ]
    scrambled = [(passage, share) for passage, share in scrambles if share > SCRAMBLED]
    account = getattr(result, "account", None)
    row.update(
        pages=pages,
        passages=len(passages),
        body_words=body,
        passage_words=sum(len(words(passage.text)) for passage in passages),
        recall=found / body if body else 1.0,
        excess=excess / body if body else 0.0,
        table_share=kinds.count(BlockKind.TABLE_ROW) / len(kinds) if kinds else 0.0,
        median_paragraph_words=median(paragraph_words),
        headings=kinds.count(BlockKind.HEADING),
        silent_pages=silent,
        scrambled=len(scrambled),
        scrambled_examples=[
            {"page": passage.page, "share": round(share, 2), "text": passage.text[:160]}
            for passage, share in sorted(scrambled, key=lambda item: -item[1])[:3]
        ],
        fragmented=fragmented(passages),
        contents_pages=[score.page for score in scores if score.contents],
        warnings=list(result.warnings),
        account=None
        if account is None
        else {
            "layer_words": account.layer_words,
            "left_out": dict(account.left_out),
            "kept_words": sum(account.page_words),
        },
        per_page=[
            {
                "page": score.page,
                "body_words": score.body_words,
                "recall": round(score.recall, 4),
                "excess": score.excess,
                "contents": score.contents,
            }
            for score in scores
        ],
        read_seconds=read_seconds,
        seconds=time.perf_counter() - started,
    )
    return row


def pdfs(arguments: list[str]) -> list[Path]:
    found: list[Path] = []
    for argument in arguments or [str(DEFAULT_FOLDER)]:
        path = Path(argument)
        if path.is_dir():
            found.extend(sorted(path.glob("*.pdf")) + sorted(path.glob("*.PDF")))
        elif path.is_file():
            found.append(path)
        else:
            sys.exit(f"not found: {path}")
    return found


def _cell(row: dict) -> list[str]:
    if "error" in row:
        return [row["file"][:34], "-", "ERROR", *["-"] * 9, f"{row['seconds']:.1f}"]
    account = row["account"]
    accounted = (
        "-"
        if account is None
        else f"{account['layer_words']}/{sum(account['left_out'].values())}/{account['kept_words']}"
    )
    return [
        row["file"][:34],
        str(row["pages"]),
        f"{row['recall']:.3f}",
        f"{row['excess']:.3f}",
        f"{row['table_share']:.0%}",
        f"{row['median_paragraph_words']:.0f}",
        str(row["headings"]),
        str(len(row["silent_pages"])),
        str(row["scrambled"]),
        f"{row['fragmented']:.0%}" + ("!" if row["fragmented"] >= FRAGMENTED else ""),
        "W" if row["warnings"] else "",
        accounted,
        f"{row['seconds']:.1f}",
    ]


HEADER = [
    "file", "pages", "recall", "excess", "table", "para", "heads", "silent", "scram",
    "frag", "warn", "layer/out/kept", "sec",
]  # fmt: skip


def print_table(rows: list[dict]) -> None:
    cells = [HEADER] + [_cell(row) for row in rows]
    widths = [max(len(line[column]) for line in cells) for column in range(len(HEADER))]
    for line in cells:
        print(
            "  ".join(
                text.ljust(width) if column == 0 else text.rjust(width)
                for column, (text, width) in enumerate(zip(line, widths, strict=True))
            )
        )


def summary(rows: list[dict], seconds: float) -> dict:
    read = [row for row in rows if "error" not in row]
    recalls = [row["recall"] for row in read]
    body = sum(row["body_words"] for row in read)
    return {
        "files": len(rows),
        "errors": len(rows) - len(read),
        "median_recall": statistics.median(recalls) if recalls else 0.0,
        "mean_recall": statistics.fmean(recalls) if recalls else 0.0,
        "word_recall": sum(row["recall"] * row["body_words"] for row in read) / body
        if body
        else 0.0,
        "silent_pages": sum(len(row["silent_pages"]) for row in read),
        "scrambled": sum(row["scrambled"] for row in read),
        "fragmented_files": sum(row["fragmented"] >= FRAGMENTED for row in read),
        "seconds": seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help=f"PDFs or folders (default {DEFAULT_FOLDER})")
    parser.add_argument("--json", metavar="FILE", help="write every figure as JSON ('-': stdout)")
    parser.add_argument("--worst", type=int, default=5, help="worst files to list (by recall)")
    options = parser.parse_args(argv)
    if shutil.which("pdftotext") is None:
        sys.exit("needs poppler's pdftotext on the PATH")
    files = pdfs(options.paths)
    started = time.perf_counter()
    rows = []
    for path in files:
        rows.append(measure(path))
        print(f"  {path.name}: {rows[-1].get('recall', 0):.3f}", file=sys.stderr)
    total = summary(rows, time.perf_counter() - started)
    if options.json == "-":
        json.dump({"summary": total, "files": rows}, sys.stdout, ensure_ascii=False, indent=1)
        return 0
    print_table(rows)
    print()
    for row in rows:
        for warning in row.get("warnings", []):
            print(f"warning  {row['file']}: {warning}")
        if "error" in row:
            print(f"error    {row['file']}: {row['error']}")
    read = sorted((row for row in rows if "error" not in row), key=lambda row: row["recall"])
    print()
    print(f"worst {options.worst} by recall:")
    for row in read[: options.worst]:
        pages = sorted(row["per_page"], key=lambda page: page["recall"])
        low = ", ".join(
            f"p{page['page']} {page['recall']:.2f}" for page in pages[:3] if page["body_words"]
        )
        print(f"  {row['file']}: {row['recall']:.3f} (lowest pages: {low})")
        for example in row["scrambled_examples"][:1]:
            print(f"    scrambled p{example['page']}: {example['text'][:100]!r}")
    print()
    print(
        f"files {total['files']} (errors {total['errors']})  "
        f"recall median {total['median_recall']:.3f}  mean {total['mean_recall']:.3f}  "
        f"by words {total['word_recall']:.3f}  silent pages {total['silent_pages']}  "
        f"scrambled passages {total['scrambled']}  fragmented files {total['fragmented_files']}  "
        f"time {total['seconds']:.1f} s"
    )
    if options.json:
        Path(options.json).write_text(
            json.dumps({"summary": total, "files": rows}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
