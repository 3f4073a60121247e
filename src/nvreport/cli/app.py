"""The ``nvreport`` command: a thin typer layer over the library.

Commands parse their options, call the library, and print. Errors the library
raises on purpose (:class:`~nvreport.errors.NvreportError`) become one line,
"nvreport: error: …", and a named exit code, in one place (:func:`main`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import os
import sys
from enum import Enum
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from nvreport import __version__
from nvreport.analysis.phrasing import change_arrow
from nvreport.analysis.pool import DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT
from nvreport.analysis.run import analyse_folder
from nvreport.analysis.tables import RunSummary
from nvreport.errors import ExitCode, NvreportError, UsageError
from nvreport.exchange.qda import export_codebook, export_project, import_codebook
from nvreport.ingest.discover import SUPPORTED_SUFFIXES
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.models import DocumentRecord, DocumentStatus
from nvreport.outputs.runs import analyse_into
from nvreport.store.cache import default_cache_dir
from nvreport.store.files import atomic_write, check_output_file, check_output_folder, readable_name
from nvreport.tagging.tagger import Tagger, tag_record
from nvreport.tagging.taxonomy import Taxonomy, bundled_taxonomy_path, load_taxonomy

# Modules that load pandas are imported by the commands that need them: ``analyse``
# of inputs it has seen before, and ``--help``, then start in half the time.
if TYPE_CHECKING:
    from nvreport.analysis.compare import Comparison


class _ReportingGroup(TyperGroup):
    """Runs a command and turns what goes wrong into one message and an exit code."""

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except NvreportError as error:
            if ctx.meta.get("nvreport.traceback"):
                raise
            _error_console().print(f"nvreport: error: {error}", markup=False, highlight=False)
            raise typer.Exit(ExitCode.USAGE) from None
        except KeyboardInterrupt:
            _error_console().print("nvreport: interrupted; earlier outputs are left as they were")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:
            _stdout_gone()
            raise typer.Exit(0) from None
        except OSError as error:  # a file or folder the system would not let us use
            if ctx.meta.get("nvreport.traceback"):
                raise
            _error_console().print(
                f"nvreport: error: {_os_problem(error)}", markup=False, highlight=False
            )
            raise typer.Exit(ExitCode.USAGE) from None
        except Exception as error:
            if _is_command_line_exception(error) or ctx.meta.get("nvreport.traceback"):
                raise
            _error_console().print(
                "nvreport: internal error: something went wrong that nvreport does not "
                "expect; earlier outputs are left as they were (run it again as "
                "'nvreport --traceback COMMAND …', the option before the command, and "
                "report what it prints)",
                markup=False,
                highlight=False,
            )
            raise typer.Exit(ExitCode.INTERNAL) from None


#: What the system's refusal to open or write a file means, in plain words.
_OS_PROBLEMS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EIO: "the disk could not be read or written",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EMFILE: "too many files open at once",
}


def _os_problem(error: OSError) -> str:
    """``error`` as "path: what is wrong", without Python's way of putting it."""
    what = _OS_PROBLEMS.get(error.errno or 0) or (
        (error.strerror or "the system refused").lower().rstrip(".")
    )
    named = next((name for name in (error.filename, error.filename2) if name), None)
    return (
        f"{readable_name(os.fsdecode(named) if isinstance(named, bytes) else str(named))}: {what}"
        if named
        else what
    )


#: Exceptions of the command-line layer that carry their own message and exit code
#: (a bad option is a usage error, exit 2): click's, or the copy of click that recent
#: typer versions vendor, so they are told apart by name rather than by class.
_COMMAND_LINE_EXCEPTIONS = frozenset({"ClickException", "Exit", "Abort"})


def _is_command_line_exception(error: BaseException) -> bool:
    return any(kind.__name__ in _COMMAND_LINE_EXCEPTIONS for kind in type(error).__mro__)


def _error_console() -> Console:
    return Console(stderr=True, soft_wrap=True, emoji=False)


app = typer.Typer(
    cls=_ReportingGroup,
    name="nvreport",
    help="Read the yearly God och nära vård reports of regions and municipalities "
    "and tell who reports what.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_STATUS_STYLE = {
    "ok": "green",
    "warning": "yellow",
    "no_text": "magenta",
    "error": "red",
    "ignored": "dim",
}


def _version(value: bool) -> None:
    if value:
        print(f"nvreport {__version__}")
        raise typer.Exit()


@app.callback()
def _main_options(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    traceback: Annotated[
        bool, typer.Option("--traceback", help="Show the full traceback of an error.")
    ] = False,
) -> None:
    """Read the yearly God och nära vård reports and tell who reports what."""
    ctx.meta["nvreport.traceback"] = traceback


InputFolder = Annotated[
    Path,
    typer.Argument(
        help="Folder with one year's reports (PDF, DOCX, TXT, MD, HTML), searched recursively.",
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


def _cache_dir(cache: Path | None, no_cache: bool) -> Path | None:
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


def _tagger(taxonomy: Path | None) -> Tagger:
    """Load and validate the taxonomy before any work, and build the tagger once."""
    return Tagger(load_taxonomy(taxonomy))


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
) -> None:
    """Read every report in FOLDER, tag its passages with themes, and tell which
    actors report which theme.

    Writes passages.parquet, passages.csv, documents.csv, themes_by_actor.csv,
    coverage.csv and run.json to --output.
    Exit code 0 when every file was read, 1 when some could not be (with --strict,
    also when any file has a warning), 2 for a usage error.
    """
    check_output_folder(output)
    out = Console(soft_wrap=True, emoji=False)
    err = _error_console()
    tagger = _tagger(taxonomy)
    gazetteer = Gazetteer.load()
    progress = Progress(
        TextColumn("[bold]Reading[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[file]}", style="dim"),
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
        analysis, covered = analyse_into(
            folder,
            output,
            gazetteer,
            tagger,
            {"strict": strict, "taxonomy": str(taxonomy or "bundled")},
            on_start=on_start,
            on_document=on_document,
            jobs=jobs,
            cache_dir=_cache_dir(cache, no_cache),
            time_limit=time_limit,
            memory_limit=int(memory_limit * 2**30),
        )

    for record in analysis.documents:
        if record.status in (DocumentStatus.WARNING, DocumentStatus.NO_TEXT, DocumentStatus.ERROR):
            level = "warning" if record.status is DocumentStatus.WARNING else "error"
            err.print(
                f"nvreport: {level}: {record.source.relpath}: {record.message}",
                markup=False,
                highlight=False,
            )
    for note in analysis.notes:
        err.print(f"nvreport: warning: {note}", markup=False, highlight=False)
    readable = [r for r in analysis.documents if r.status is not DocumentStatus.IGNORED]
    if not readable:
        suffixes = ", ".join(sorted(SUPPORTED_SUFFIXES))
        err.print(
            f"nvreport: error: no reports found in {folder} (looked for {suffixes})",
            markup=False,
            highlight=False,
        )
    if not quiet:
        _print_coverage(out, covered, tagger.taxonomy)
        _print_summary(out, analysis, output)

    failed = analysis.unreadable()
    warned = [r for r in analysis.documents if r.status is DocumentStatus.WARNING]
    if failed or not readable or (strict and (warned or analysis.notes)):
        raise typer.Exit(ExitCode.SOME_FILES_FAILED)


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
    tagger = _tagger(taxonomy)
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
) -> None:
    """Show every occurrence of a theme or term in context, with actor and page."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    from nvreport.analysis.kwic import find_occurrences, passages_for_kwic, resolve_entry

    chosen, entry = resolve_entry(load_taxonomy(taxonomy), term)
    tagger = Tagger(chosen)
    occurrences = find_occurrences(
        passages_for_kwic(folder, Gazetteer.load()), tagger, entry, width
    )
    out = Console(soft_wrap=True, highlight=False, emoji=False)
    if out.is_terminal:
        table = Table(title=f"{len(occurrences)} occurrences of {term}", title_justify="left")
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
    out.print(f"{len(occurrences)} occurrences of {term}", markup=False)


@app.command("compare")
def compare_command(
    folders: Annotated[
        list[Path],
        typer.Argument(
            help="Two or more year folders: folders of reports, or analyse output folders "
            "(reused when their inputs and the taxonomy are unchanged). Years are ordered "
            "by the reports' metadata, not by argument order.",
            show_default=False,
        ),
    ],
    output: OutputFolder = Path("nvreport-comparison"),
    new_only: Annotated[
        bool,
        typer.Option(
            "--new-only",
            help="Count only new and revised text: a paragraph repeated from last year's "
            "report is not work done again.",
        ),
    ] = False,
    taxonomy: TaxonomyFile = None,
    quiet: Quiet = False,
    jobs: Jobs = 0,
    cache: CacheFolder = None,
    no_cache: NoCache = False,
) -> None:
    """Compare years: which themes spread, appeared, or went from planned to in place,
    actor by actor.

    Writes coverage.csv, transitions.csv, comparison.xlsx and comparison.json to
    --output. Exit code 1 when some report could not be read (it counts as
    unreadable, never as "not mentioned"), 2 for a usage error.
    """
    from nvreport.analysis.compare import compare_years, load_year
    from nvreport.outputs.tables import write_comparison

    if len(folders) < 2:
        raise UsageError("compare needs at least two year folders")
    check_output_folder(output)
    tagger = _tagger(taxonomy)
    gazetteer = Gazetteer.load()
    err = _error_console()
    out = Console(soft_wrap=True, highlight=False, emoji=False)
    years = []
    for folder in folders:
        if not quiet:
            err.print(f"Reading {folder} …", markup=False, highlight=False)
        years.append(
            load_year(folder, gazetteer, tagger, jobs=jobs, cache_dir=_cache_dir(cache, no_cache))
        )
    comparison = compare_years(years, tagger.taxonomy, new_only=new_only)
    write_comparison(
        comparison,
        output,
        tagger.taxonomy,
        {"folders": [str(f) for f in folders], "new_only": new_only},
    )
    for note in comparison.notes:
        err.print(f"nvreport: warning: {note}", markup=False, highlight=False)
    for data in years:
        problems = data.documents[data.documents["status"].isin(["error", "no_text"])]
        for row in problems.itertuples():
            err.print(
                f"nvreport: error: {data.folder}/{row.file}: {row.message}",
                markup=False,
                highlight=False,
            )
    if not quiet:
        _print_comparison(out, comparison, tagger.taxonomy)
        out.print(f"outputs in {output}", markup=False)
    unreadable = any(data.documents["status"].isin(["error", "no_text"]).any() for data in years)
    if unreadable:
        raise typer.Exit(ExitCode.SOME_FILES_FAILED)


def _print_comparison(console: Console, comparison: Comparison, taxonomy: Taxonomy) -> None:
    """Each year's own count per actor type, the change among the actors in both
    years, who was not compared and why, and the biggest movers: every figure as
    :mod:`nvreport.analysis.figures` defines it, only formatted here."""
    from nvreport.analysis.compare import biggest_movers

    labels = {theme.id: theme.label for theme in taxonomy.themes}
    coverage, changes = comparison.coverage, comparison.changes
    own = {(row.year, row.actor_type, row.theme): row for row in coverage.itertuples()}
    last = comparison.years[-2:] if len(comparison.years) >= 2 else []
    moved = {
        (row.actor_type, row.theme): row
        for row in changes[changes["to_year"] == (last[-1] if last else None)].itertuples()
    }
    types = sorted(set(coverage["actor_type"]) | {key[0] for key in moved})
    for actor_type in types:
        table = Table(
            title=f"{actor_type or 'unknown type'}: active (planned) / actors, each year's own "
            "count"
            + (f"; change {last[0]}→{last[1]} among the actors in both years" if last else ""),
            title_justify="left",
        )
        table.add_column("theme")
        for year in comparison.years:
            table.add_column(str(year), justify="right")
        if last:
            table.add_column("in both years", justify="right")
            table.add_column("", justify="center")
        for theme in taxonomy.theme_ids:
            cells = []
            for year in comparison.years:
                row = own.get((year, actor_type, theme))
                cells.append("–" if row is None else f"{row.active} ({row.planned}) / {row.actors}")
            if last:
                change = moved.get((actor_type, theme))
                if change is None or not change.actors_both:
                    cells += ["–", ""]
                else:
                    cells.append(
                        f"{change.active_from} → {change.active_to} / {change.actors_both}"
                    )
                    cells.append(change_arrow(change.active_from, change.active_to))
            table.add_row(escape(labels.get(theme, theme)), *cells)
        console.print(table)
    pairs = comparison.pairs
    for row in pairs.itertuples():
        console.print(
            f"{row.from_year}→{row.to_year} {row.actor_type or 'unknown type'}: "
            f"{row.actors_both} in both years; not compared: {row.new_actor} new, "
            f"{row.missing_actor} missing, {row.unreadable} unreadable, "
            f"{row.partly_read} partly read",
            markup=False,
            highlight=False,
        )
    movers = biggest_movers(comparison)
    if len(movers):
        console.print("Biggest movers (among the actors in both years):", markup=False)
        for row in movers.itertuples():
            console.print(
                f"  {labels.get(row.theme, row.theme)} ({row.actor_type}): "
                f"{row.active_from} → {row.active_to} active of {row.actors_both}, "
                f"{row.active_change}",
                markup=False,
                highlight=False,
            )


class StoryFormat(str, Enum):
    md = "md"
    html = "html"


@app.command("narrative")
def narrative_command(
    folder: Annotated[
        Path,
        typer.Argument(
            help="The year to tell: a folder of reports, an analyse output, or a compare "
            "output (which brings its own previous year).",
            show_default=False,
        ),
    ],
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            "-p",
            help="The year before: a folder of reports or an analyse output.",
            show_default=False,
        ),
    ] = None,
    story_format: Annotated[
        StoryFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="md or html; default: from the --output suffix, else html.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write; default: arsberattelse-YEAR.html (or .md). Markdown "
            "charts go beside it, in NAME-figurer/.",
            show_default=False,
        ),
    ] = None,
    chapters: Annotated[
        list[str] | None,
        typer.Option(
            "--chapters",
            help="Chapters to include, by number or area id: --chapters 1,4 or "
            "--chapters samordning. Default: all six.",
            show_default=False,
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="Folder of your own Jinja2 templates; each file there replaces the bundled "
            "one of the same name (story.md.j2, story.html.j2, sentences.j2, story.css).",
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help="Date on the draft, YYYY-MM-DD; default: today.", show_default=False
        ),
    ] = None,
    new_only: Annotated[
        bool,
        typer.Option(
            "--new-only", help="Count only new and revised text, not text repeated from last year."
        ),
    ] = False,
    taxonomy: TaxonomyFile = None,
    quiet: Quiet = False,
    jobs: Jobs = 0,
    cache: CacheFolder = None,
    no_cache: NoCache = False,
) -> None:
    """Draft the yearly story (årsberättelse) in Markdown or HTML: trends, six chapters
    with shares, changes, named examples quoted verbatim with their page, charts, and
    an appendix.

    Exit code 0 when every report was read, 1 when some could not be (they are listed
    in the appendix and never counted), 2 when no story can be told (no readable
    report, or no actor in both years) or for a usage error.
    """
    from datetime import date as Date

    from nvreport.analysis.compare import compare_years
    from nvreport.story.narrative import build_story, story_years
    from nvreport.story.render import write_story

    if date is not None:
        try:
            day = Date.fromisoformat(date)
        except ValueError:
            raise UsageError(f"--date {date}: not a date of the form YYYY-MM-DD") from None
    else:
        day = None
    if story_format is None:
        suffix = output.suffix.lower().lstrip(".") if output is not None else ""
        fmt = suffix if suffix in ("md", "html") else "html"
    else:
        fmt = story_format.value
    if output is not None:
        check_output_file(output)
    tagger = _tagger(taxonomy)
    gazetteer = Gazetteer.load()
    err = _error_console()
    if not quiet:
        err.print(f"Reading {folder} …", markup=False, highlight=False)
    current, before, notes = story_years(
        folder, previous, gazetteer, tagger, jobs=jobs, cache_dir=_cache_dir(cache, no_cache)
    )
    years = [current] if before is None else [before, current]
    comparison = compare_years(years, tagger.taxonomy, new_only=new_only)
    story = build_story(current, before, comparison, tagger.taxonomy, chapters=chapters, date=day)
    target = output or Path(f"arsberattelse-{story.year}.{fmt}")
    written = write_story(story, target, fmt, templates=templates)
    for note in notes + comparison.notes:
        err.print(f"nvreport: warning: {note}", markup=False, highlight=False)
    for row in story.unreadable:
        err.print(
            f"nvreport: error: {row.year}: {row.file}: {row.message}",
            markup=False,
            highlight=False,
        )
    if not quiet:
        trends = len(story.trends)
        err.print(
            f"{story.total_reports} reports for {story.year}"
            + (f" against {story.previous_year}" if story.previous_year else "")
            + f"; {trends} trends, {len(story.chapters)} chapters",
            markup=False,
            highlight=False,
        )
        for path in written[-1:]:
            err.print(f"draft in {path}", markup=False, highlight=False)
    if story.unreadable:
        raise typer.Exit(ExitCode.SOME_FILES_FAILED)


taxonomy_app = typer.Typer(
    name="taxonomy",
    help="Check, compare, export and import theme taxonomies.",
    no_args_is_help=True,
)
app.add_typer(taxonomy_app, name="taxonomy")


class CheckFormat(str, Enum):
    text = "text"
    github = "github"
    json = "json"


@taxonomy_app.command("check")
def taxonomy_check_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Taxonomy files (YAML); default: the bundled one.", show_default=False),
    ] = None,
    output_format: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            help="text; github: GitHub Actions annotations; json: a machine-readable report.",
        ),
    ] = CheckFormat.text,
) -> None:
    """Validate taxonomies and run their examples. Exit code 0 when all is well,
    1 on any problem: a schema error, an exclude that can never apply, an
    unreachable term, or an example that fails."""
    from nvreport.exchange.taxonomy_tools import check_taxonomy, github_annotations

    reports = [check_taxonomy(path) for path in (files or [bundled_taxonomy_path()])]
    if output_format is CheckFormat.github:
        for line in github_annotations(reports):
            sys.stdout.write(line + "\n")
    elif output_format is CheckFormat.json:
        document = [
            {
                "file": report.file,
                "version": report.version,
                "ok": report.ok,
                "examples_run": report.examples_run,
                "findings": [dataclasses.asdict(finding) for finding in report.findings],
            }
            for report in reports
        ]
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        out = Console(soft_wrap=True, highlight=False, emoji=False)
        for report in reports:
            for finding in report.findings:
                out.print(
                    f"{finding.file}:{finding.line}:{finding.column}: {finding.message}",
                    markup=False,
                )
            verdict = "ok" if report.ok else f"{len(report.findings)} problems"
            out.print(
                f"{report.file}: taxonomy {report.version or '?'}, "
                f"{report.examples_run} examples run, {verdict}",
                markup=False,
            )
    if not all(report.ok for report in reports):
        raise typer.Exit(ExitCode.SOME_FILES_FAILED)


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"


@taxonomy_app.command("diff")
def taxonomy_diff_command(
    old: Annotated[
        str,
        typer.Argument(
            help="The taxonomy before: a file, or a git revision and path "
            "(main:taxonomies/nara-vard.yaml).",
            show_default=False,
        ),
    ],
    new: Annotated[
        str, typer.Argument(help="The taxonomy after: a file or revision:path.", show_default=False)
    ],
    corpus: Annotated[
        Path | None,
        typer.Option(help="A folder of reports to measure the change on.", show_default=False),
    ] = None,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", help="text (terminal) or markdown.")
    ] = DiffFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the Markdown to this file.")
    ] = None,
) -> None:
    """What a taxonomy change does: themes and terms added, removed or changed, and,
    on a corpus, the passages that gain or lose each theme and coverage before and
    after."""
    here = Path.cwd()
    from nvreport.exchange.taxonomy_tools import (
        diff_markdown,
        diff_taxonomies,
        load_taxonomy_source,
    )

    # a revision is read in memory: messages name "HEAD:taxonomies/…", no temporary
    before = load_taxonomy_source(old, here)
    after = load_taxonomy_source(new, here)
    analysis = analyse_folder(corpus, Gazetteer.load()) if corpus is not None else None
    diff = diff_taxonomies(before, after, analysis)
    markdown = diff_markdown(diff)
    if output is not None:
        atomic_write(output, lambda path: path.write_text(markdown, encoding="utf-8"))
    out = Console(soft_wrap=True, highlight=False, emoji=False)
    if output_format is DiffFormat.markdown:
        sys.stdout.write(markdown)
        return
    from rich.markdown import Markdown

    out.print(Markdown(markdown))


class CodebookFormat(str, Enum):
    qdc = "qdc"


@taxonomy_app.command("export")
def taxonomy_export_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The codebook file to write.")],
    output_format: Annotated[
        CodebookFormat, typer.Option("--format", help="qdc: a REFI-QDA codebook.")
    ] = CodebookFormat.qdc,
    taxonomy: TaxonomyFile = None,
) -> None:
    """Export the taxonomy as a REFI-QDA codebook (.qdc) for NVivo, MAXQDA, ATLAS.ti
    or QualCoder: areas and facets as codes with their themes nested, stable GUIDs,
    labels, descriptions with the terms, and colours."""
    data = export_codebook(load_taxonomy(taxonomy))
    atomic_write(output, lambda path: path.write_bytes(data))
    Console(stderr=True, emoji=False).print(f"wrote {output}", markup=False, highlight=False)


@taxonomy_app.command("import")
def taxonomy_import_command(
    codebook: Annotated[
        Path,
        typer.Argument(
            help="A REFI-QDA codebook (.qdc), or a .qde/.qdpx project.", show_default=False
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the taxonomy skeleton here (default: print it)."
        ),
    ] = None,
) -> None:
    """Turn a codebook made elsewhere into a taxonomy skeleton to fill with terms and
    examples (nvreport taxonomy check tells what is still missing)."""
    if not codebook.is_file():
        raise UsageError(f"{codebook}: no such file")
    text = import_codebook(codebook)
    if output is None:
        sys.stdout.write(text)
        return
    atomic_write(output, lambda path: path.write_text(text, encoding="utf-8"))
    Console(stderr=True, emoji=False).print(f"wrote {output}", markup=False, highlight=False)


class ProjectFormat(str, Enum):
    qdpx = "qdpx"


@app.command("export")
def export_command(
    folder: InputFolder,
    output: Annotated[Path, typer.Option("--output", "-o", help="The project file to write.")],
    output_format: Annotated[
        ProjectFormat, typer.Option("--format", help="qdpx: a REFI-QDA project.")
    ] = ProjectFormat.qdpx,
    taxonomy: TaxonomyFile = None,
) -> None:
    """Export a folder of reports, analysed and tagged, as a REFI-QDA project (.qdpx):
    the documents as sources, actor, actor type, län and year as variables, and
    every tagged passage as a coding (PDF selections with their page)."""
    tagger = _tagger(taxonomy)
    analysis = analyse_folder(folder, Gazetteer.load(), tagger)
    data = export_project(analysis, tagger.taxonomy, folder)
    atomic_write(output, lambda path: path.write_bytes(data))
    err = _error_console()
    for record in analysis.unreadable():
        err.print(
            f"nvreport: error: {record.source.relpath}: {record.message} (left out)",
            markup=False,
            highlight=False,
        )
    err.print(f"wrote {output}", markup=False, highlight=False)
    if analysis.unreadable():
        raise typer.Exit(ExitCode.SOME_FILES_FAILED)


_COVERAGE_COUNTS = ("active", "planned", "negated", "not_mentioned", "partly_read", "unreadable")


def _print_coverage(console: Console, covered: list[dict], taxonomy: Taxonomy) -> None:
    """Coverage per actor type: how many actors report each theme, active+planned."""
    labels = {theme.id: theme.label for theme in taxonomy.themes}
    for (year, actor_type), grouped in groupby(
        covered, key=lambda row: (row["year"], row["actor_type"])
    ):
        group = list(grouped)
        title = f"{actor_type or 'unknown type'} {'' if year is None else year}: "
        actors = group[0]["actors"]
        title += f"{actors} actor{'' if actors == 1 else 's'}"
        if console.is_terminal:
            table = Table(title=title, title_justify="left")
            for column in ("theme", *(name.replace("_", " ") for name in _COVERAGE_COUNTS)):
                table.add_column(column, justify="left" if column == "theme" else "right")
            for row in group:
                table.add_row(
                    escape(labels.get(row["theme"], row["theme"])),
                    *(str(row[column]) for column in _COVERAGE_COUNTS),
                )
            console.print(table)
        else:
            console.print(title, markup=False, highlight=False)
            for row in group:
                console.print(
                    f"  {row['theme']}: {row['active']} active, {row['planned']} planned, "
                    f"{row['negated']} negated, {row['not_mentioned']} not mentioned"
                    + (f", {row['partly_read']} partly read" if row["partly_read"] else ""),
                    markup=False,
                    highlight=False,
                )


def _print_summary(console: Console, analysis: RunSummary, output: Path) -> None:
    documents = [r for r in analysis.documents if r.status is not DocumentStatus.IGNORED]
    ignored = [r for r in analysis.documents if r.status is DocumentStatus.IGNORED]
    if console.is_terminal:
        table = Table(title=f"{len(documents)} reports in {analysis.root}", title_justify="left")
        for column in ("file", "actor", "type", "year", "status", "pages", "passages", "words"):
            table.add_column(
                column,
                justify="right" if column in ("pages", "passages", "words", "year") else "left",
            )
        for record in documents:
            table.add_row(
                escape(record.source.relpath),
                escape(record.meta.actor or "?"),
                record.meta.actor_type or "?",
                str(record.meta.year or "?"),
                f"[{_STATUS_STYLE[record.status.value]}]{record.status.value}[/]",
                "" if record.pages is None else str(record.pages),
                str(record.passages),
                str(record.words),
            )
        console.print(table)
        for record in ignored:
            console.print(f"[dim]ignored: {escape(record.source.relpath)} ({record.message})[/]")
    else:
        for record in ignored:
            console.print(f"ignored: {record.source.relpath} ({record.message})", markup=False)
    counts: dict[str, int] = {}
    for record in analysis.documents:
        counts[record.status.value] = counts.get(record.status.value, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    console.print(
        f"{len(documents)} reports, {analysis.passages} passages"
        f"{f' ({summary})' if summary else ''}; outputs in {output}"
        f"{' (copied from the cache: same inputs as an earlier run)' if analysis.reused else ''}",
        markup=False,
        highlight=False,
    )


def _stdout_gone() -> None:
    """The reader of our output (``head``, ``less``) has gone: stop quietly, as Unix
    tools do, without Python complaining about the pipe at exit."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _stdout_is_devnull() -> bool:
    """Is standard output the null device? Click points it there when the pipe it
    wrote into was closed."""
    try:
        return os.path.samestat(os.fstat(sys.stdout.fileno()), os.stat(os.devnull))
    except (AttributeError, OSError, ValueError):
        return False


def main() -> None:
    """Entry point of the console script."""
    to_null = _stdout_is_devnull()
    try:
        app()
    except BrokenPipeError:  # while --help or a usage message was printed
        _stdout_gone()
        sys.exit(0)
    except SystemExit as stop:
        # click ends with 1, its output sent to the null device, when the pipe it
        # printed --help into was closed early (``nvreport --help | head``)
        if stop.code == 1 and not to_null and _stdout_is_devnull():
            sys.exit(0)
        raise
