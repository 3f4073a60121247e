"""``nvreport analyse``, ``tag`` and ``kwic``: one year's reports."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import nvreport.cli
from nvreport.analysis.pool import DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT
from nvreport.cli.app import app, error_console
from nvreport.cli.options import (
    CacheFolder,
    CsvChoice,
    CsvFormat,
    Formats,
    InputFolder,
    Jobs,
    MemoryLimit,
    NoCache,
    Ocr,
    OutputFolder,
    Quiet,
    Strict,
    TaxonomyFile,
    TimeLimit,
    cache_folder,
    load_tagger,
    read_choices,
)
from nvreport.cli.outcome import report_analysis
from nvreport.errors import UsageError
from nvreport.ingest.discover import unread_report
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.models import DocumentRecord, DocumentStatus
from nvreport.outputs import unchanged
from nvreport.outputs.runs import DATA_FILES, analyse_into
from nvreport.store.csv_dialect import csv_dialect
from nvreport.store.files import check_output_folder
from nvreport.tagging.tagger import Tagger, tag_record
from nvreport.tagging.taxonomy import load_taxonomy


@app.command("analyse")
def analyse_command(
    folder: InputFolder,
    output: OutputFolder = Path("nvreport-output"),
    strict: Strict = False,
    quiet: Quiet = False,
    taxonomy: TaxonomyFile = None,
    jobs: Jobs = 0,
    cache: CacheFolder = None,
    no_cache: NoCache = False,
    time_limit: TimeLimit = DEFAULT_TIME_LIMIT,
    memory_limit: MemoryLimit = DEFAULT_MEMORY_LIMIT / 2**30,
    csv_format: CsvFormat = CsvChoice.excel_sv,
    formats: Formats = None,
    ocr: Ocr = False,
) -> None:
    """Read every report in FOLDER, tag its passages with themes, and tell which
    actors report which theme.

    Writes passages.parquet, passages.csv, documents.csv, themes_by_actor.csv,
    coverage.csv, analysis.xlsx, explorer.html (the matrix and passages, to open in
    a browser) and run.json to --output.
    Exit code 0 when every file was read, 1 when some could not be (with --strict,
    also when any file has a warning or a possible report was not read: a .doc
    without LibreOffice, a zip archive), 2 for a usage error.
    """
    check_output_folder(output)
    choices = read_choices(formats, ocr)
    cache_dir = cache_folder(cache, no_cache)
    argv = nvreport.cli.command_line()
    # what the inputs are like before anything is read, for a re-run to find unchanged
    snapshot = (
        unchanged.take_snapshot(folder, output, taxonomy)
        if cache_dir is not None and argv is not None and not ocr and folder.is_dir()
        else None
    )
    err = error_console()
    tagger = load_tagger(taxonomy)
    gazetteer = Gazetteer.load()
    progress = Progress(
        TextColumn("[bold]Reading[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[file]}", style="dim", markup=False),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    )
    task = progress.add_task("read", total=None, file="")

    def on_start(total: int) -> None:
        progress.update(task, total=total)

    def on_document(record: DocumentRecord) -> None:
        progress.update(task, advance=1, file=record.source.relpath)

    with progress:
        analysis, covered, kept = analyse_into(
            folder,
            output,
            gazetteer,
            tagger,
            {
                "strict": strict,
                "taxonomy": str(taxonomy or "bundled"),
                "csv": csv_format.value,
                "formats": ",".join(choices.formats),
                "ocr": ocr,
            },
            on_start=on_start,
            on_document=on_document,
            jobs=jobs,
            cache_dir=cache_dir,
            time_limit=time_limit,
            memory_limit=int(memory_limit * 2**30),
            csv_dialect=csv_dialect(csv_format.value),
            choices=choices,
        )

    not_read = {
        record.source.relpath
        for record in analysis.documents
        if record.status is DocumentStatus.IGNORED and unread_report(record.source, record.message)
    }
    failed = analysis.unreadable()
    labels = {theme.id: theme.label for theme in tagger.taxonomy.themes}
    code = report_analysis(
        analysis,
        covered,
        labels,
        output,
        failed=failed,
        not_read=not_read,
        strict=strict,
        quiet=quiet,
        suffixes=choices.formats,
        kept=kept,
    )
    if cache_dir is not None and argv is not None:
        if snapshot is not None and _may_be_replayed(analysis.documents):
            unchanged.keep(
                unchanged.Rerun(
                    argv=argv,
                    cwd=os.getcwd(),
                    cache_dir=str(cache_dir.resolve()),
                    root=str(folder.resolve()),
                    output=str(output.resolve()),
                    taxonomy=str(taxonomy.resolve()) if taxonomy is not None else None,
                    snapshot=snapshot,
                    documents=analysis.documents,
                    passages=analysis.passages,
                    notes=analysis.notes,
                    coverage=covered,
                    labels=labels,
                    failed=tuple(record.source.relpath for record in failed),
                    not_read=tuple(sorted(not_read)),
                    root_as_given=str(folder),
                    output_as_given=str(output),
                    strict=strict,
                    quiet=quiet,
                    suffixes=tuple(choices.formats),
                ),
                (*DATA_FILES, "run.json"),
            )
        else:
            unchanged.forget(cache_dir, argv, os.getcwd())
    if code:
        raise typer.Exit(code)


def _may_be_replayed(documents: list[DocumentRecord]) -> bool:
    """May a re-run with nothing changed print this run's outcome without doing it
    again? Not when a report could not be opened, or failed in a way that may not
    recur (a time or memory limit, a worker that died): as for a kept run."""
    return all(
        record.sha256 and not record.retry
        for record in documents
        if record.status is not DocumentStatus.IGNORED
    )


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


@app.command("tag")
def tag_command(
    source: Annotated[
        str,
        typer.Argument(help="File with one passage per line, or - for standard input."),
    ] = "-",
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="jsonl: one JSON object per line; table.")
    ] = OutputFormat.jsonl,
    taxonomy: TaxonomyFile = None,
    year: Annotated[
        int | None,
        typer.Option(help="Year the text reports on; a later year marks planned work."),
    ] = None,
) -> None:
    """Tag text without a corpus: one passage per line, plain text or a JSON object
    with a "text" key (and optionally "year"). Prints one result per input line, in
    order."""
    tagger = load_tagger(taxonomy)
    kinds = {entry.id: entry.kind for entry in tagger.taxonomy.entries.values()}
    if source == "-":
        lines = sys.stdin.read().splitlines()
    else:
        path = Path(source)
        if not path.is_file():
            raise UsageError(f"{source}: no such file")
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    texts, years = [], []
    for number, line in enumerate(lines, start=1):
        text, line_year = line, year
        if line.lstrip().startswith("{"):
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise UsageError(f"{source}, line {number}: not valid JSON ({error.msg})") from None
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise UsageError(f'{source}, line {number}: a JSON line needs a "text" string')
            text, line_year = item["text"], item.get("year", year)
        texts.append(text)
        years.append(line_year)
    out = Console(soft_wrap=True, highlight=False, emoji=False)
    records = [
        tag_record(text, matches, kinds)
        for text, matches in zip(texts, tagger.tag_many(texts, years), strict=True)
    ]
    if output_format is OutputFormat.jsonl:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    table = Table("line", "text", "themes", "facets")
    for number, record in enumerate(records, start=1):
        table.add_row(
            str(number),
            escape(record["text"]),
            "\n".join(f"{t['id']}: {t['status']}" for t in record["themes"]),
            "\n".join(f"{t['id']}: {t['status']}" for t in record["facets"]),
        )
    out.print(table)


@app.command("kwic")
def kwic_command(
    term: Annotated[
        str,
        typer.Argument(
            help="A theme or facet id (halsosamtal) or a term in the taxonomy's term "
            'language ("fast* kontakt").',
            show_default=False,
        ),
    ],
    folder: Annotated[
        Path,
        typer.Argument(
            help="A folder of reports, or an analyse output folder (uses its passages).",
            show_default=False,
        ),
    ],
    taxonomy: TaxonomyFile = None,
    width: Annotated[int, typer.Option(help="Characters of context on each side.")] = 50,
    formats: Formats = None,
    ocr: Ocr = False,
) -> None:
    """Show every occurrence of a theme or term in context, with actor and page."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    choices = read_choices(formats, ocr)
    from nvreport.analysis.kwic import find_occurrences, passages_for_kwic, resolve_entry

    chosen, entry = resolve_entry(load_taxonomy(taxonomy), term)
    tagger = Tagger(chosen, subthemes=True)  # a sub-theme's id finds its occurrences too
    occurrences = find_occurrences(
        passages_for_kwic(folder, Gazetteer.load(), choices), tagger, entry, width
    )
    out = Console(soft_wrap=True, highlight=False, emoji=False)
    if out.is_terminal:
        table = Table(
            title=f"{_occurrences(len(occurrences))} of {escape(term)}", title_justify="left"
        )
        for column in ("actor", "year", "page", "status", "left", "match", "right"):
            table.add_column(column, justify="right" if column == "left" else "left")
        for hit in occurrences:
            table.add_row(
                escape(hit.actor or hit.file),
                "" if hit.year is None else str(hit.year),
                "" if hit.page is None else str(hit.page),
                hit.status,
                escape(hit.left),
                f"[bold]{escape(hit.match)}[/]",
                escape(hit.right),
            )
        out.print(table)
        return
    for hit in occurrences:
        page = "" if hit.page is None else f" s. {hit.page}"
        out.print(
            f"{hit.actor or hit.file} {hit.year or ''}{page} [{hit.status}]\t"
            f"{hit.left}[{hit.match}]{hit.right}",
            markup=False,
        )
    out.print(f"{_occurrences(len(occurrences))} of {term}", markup=False)


def _occurrences(count: int) -> str:
    """ "1 occurrence", "2 occurrences"."""
    return f"{count} occurrence" if count == 1 else f"{count} occurrences"
