"""Build every report, check its story, and write the corpus and its side files."""

from __future__ import annotations

import sys
from pathlib import Path

from .check import check_story
from .content import Block, build_report
from .plan import SPECS, Spec
from .write_docx import render_docx
from .write_pdf import render_pdf
from .write_side import write_metadata, write_readme, write_story

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
METADATA = ROOT / "tests" / "fixtures" / "samples_metadata.csv"


def main() -> int:
    problems: list[str] = []
    built: list[tuple[Spec, int, list[Block]]] = []
    for spec in SPECS:
        blocks = build_report(spec)
        problems += check_story(spec, blocks)
        data, pages = (render_pdf if spec.fmt == "pdf" else render_docx)(spec, blocks)
        path = SAMPLES / spec.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        built.append((spec, pages, blocks))
        print(f"{spec.relpath}: {pages} pages")
    write_story(SAMPLES / "story.csv")
    write_metadata(METADATA)
    write_readme(SAMPLES / "README.md", built)
    for problem in problems:
        print(f"story: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
