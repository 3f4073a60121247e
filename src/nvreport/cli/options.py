"""Options shared by several commands, and what they turn into (a cache folder, a tagger)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from nvreport.errors import UsageError
from nvreport.ingest.discover import ReadChoices
from nvreport.store.cache import default_cache_dir
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import load_taxonomy

InputFolder = Annotated[
    Path,
    typer.Argument(
        help="Folder with one year's reports (PDF, DOCX, DOC, ODT, RTF, TXT, MD, HTML), "
        "searched recursively.",
        show_default=False,
    ),
]
OutputFolder = Annotated[
    Path,
    typer.Option("--output", "-o", help="Folder to write the outputs to (created if missing)."),
]
Strict = Annotated[
    bool,
    typer.Option("--strict", help="Exit with 1 when any file has a warning, not only errors."),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")]
CacheFolder = Annotated[
    Path | None,
    typer.Option(
        "--cache",
        help="Folder of the cache of what was read and tagged "
        "(default: $XDG_CACHE_HOME/nvreport or the platform's cache folder).",
        show_default=False,
    ),
]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Read and tag everything afresh.")]


TimeLimit = Annotated[
    float,
    typer.Option(
        "--time-limit",
        min=0,
        help="Seconds one document may take in a worker process before it is stopped "
        "and recorded as an error (0: no limit).",
    ),
]


MemoryLimit = Annotated[
    float,
    typer.Option(
        "--memory-limit",
        min=0,
        help="GiB of memory one worker process may use; a document that needs more is "
        "recorded as an error (0: no limit).",
    ),
]


class CsvChoice(str, Enum):
    """The dialects of :mod:`nvreport.store.csv_dialect`."""

    excel_sv = "excel-sv"
    rfc4180 = "rfc4180"


CsvFormat = Annotated[
    CsvChoice,
    typer.Option(
        "--csv",
        help="How the CSV files are written: excel-sv (for Excel set to Swedish: ';' "
        "between fields, decimal comma) or rfc4180 (',' and decimal point); both UTF-8 "
        "with a byte-order mark.",
    ),
]


def cache_folder(cache: Path | None, no_cache: bool) -> Path | None:
    if no_cache:
        return None
    return cache or default_cache_dir()


Jobs = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        help="Worker processes for reading and tagging; 0: one per core of the machine, "
        "at most one per report. Every worker keeps the time limit and memory guard. "
        "The outputs are the same whatever the number.",
    ),
]
TaxonomyFile = Annotated[
    Path | None,
    typer.Option(
        "--taxonomy",
        help="Theme taxonomy (YAML) to tag with; default: the bundled nara-vard.yaml.",
        show_default=False,
    ),
]


Formats = Annotated[
    str | None,
    typer.Option(
        "--formats",
        help="Which formats count as reports, comma-separated (default: all nvreport "
        "reads: pdf,docx,doc,odt,rtf,txt,md,html); a file of another format is listed as "
        "ignored.",
        show_default=False,
    ),
]
Ocr = Annotated[
    bool,
    typer.Option(
        "--ocr",
        help="Read PDF pages without a text layer (scans) by OCR, with tesseract and its "
        "Swedish language data.",
    ),
]


def read_choices(formats: str | None, ocr: bool = False) -> ReadChoices:
    """What ``--formats`` and ``--ocr`` choose; with ``--ocr``, a usage error saying
    how to get OCR when tesseract or its Swedish data is missing."""
    choices = ReadChoices.of(formats, ocr)
    if ocr:
        from nvreport.ingest.readers.ocr import ocr_problem

        if problem := ocr_problem():
            raise UsageError(f"--ocr: {problem}")
    return choices


def load_tagger(taxonomy: Path | None) -> Tagger:
    """Load and validate the taxonomy before any work, and build the tagger once."""
    return Tagger(load_taxonomy(taxonomy))
