"""The ``nvreport`` command: a thin typer layer over the library.

Commands parse their options, call the library, and print. Errors the library
raises on purpose (:class:`~nvreport.errors.NvreportError`) become one line,
"nvreport: error: …", and a named exit code, in one place (:func:`main`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import click
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from nvreport import __version__
from nvreport.errors import ExitCode, NvreportError
from nvreport.gazetteer import Gazetteer
from nvreport.models import DocumentRecord, DocumentStatus
from nvreport.outputs import write_analysis
from nvreport.pipeline import Analysis, analyse_folder


class _ReportingGroup(TyperGroup):
    """Runs a command and turns what goes wrong into one message and an exit code."""

    def invoke(self, ctx: click.Context) -> object:
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
        except (typer.Exit, click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as error:
            if ctx.meta.get("nvreport.traceback"):
                raise
            _error_console().print(
                f"nvreport: internal error: {type(error).__name__}: {error} "
                "(run again with --traceback and report it)",
                markup=False,
                highlight=False,
            )
            raise typer.Exit(ExitCode.INTERNAL) from None


def _error_console() -> Console:
    return Console(stderr=True, soft_wrap=True)


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


@app.command("analyse")
def analyse_command(
    folder: InputFolder,
    output: OutputFolder = Path("nvreport-output"),
    strict: Strict = False,
    quiet: Quiet = False,
) -> None:
    """Read every report in FOLDER and write its passages, with page references.

    Writes passages.parquet, passages.csv, documents.csv and run.json to --output.
    Exit code 0 when every file was read, 1 when some could not be (with --strict,
    also when any file has a warning), 2 for a usage error.
    """
    out = Console(soft_wrap=True)
    err = _error_console()
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
        analysis = analyse_folder(
            folder,
            gazetteer,
            exclude=(output,),
            on_start=on_start,
            on_document=on_document,
        )
    write_analysis(analysis, output, {"strict": strict})

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
    if not quiet:
        _print_summary(out, analysis, output)

    failed = analysis.unreadable()
    warned = [r for r in analysis.documents if r.status is DocumentStatus.WARNING]
    if failed or (strict and (warned or analysis.notes)):
        raise typer.Exit(ExitCode.SOME_FILES_FAILED)


def _print_summary(console: Console, analysis: Analysis, output: Path) -> None:
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
                record.source.relpath,
                record.meta.actor or "?",
                record.meta.actor_type or "?",
                str(record.meta.year or "?"),
                f"[{_STATUS_STYLE[record.status.value]}]{record.status.value}[/]",
                "" if record.pages is None else str(record.pages),
                str(record.passages),
                str(record.words),
            )
        console.print(table)
        for record in ignored:
            console.print(f"[dim]ignored: {record.source.relpath} ({record.message})[/]")
    else:
        for record in ignored:
            console.print(f"ignored: {record.source.relpath} ({record.message})", markup=False)
    counts: dict[str, int] = {}
    for record in analysis.documents:
        counts[record.status.value] = counts.get(record.status.value, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    console.print(
        f"{len(documents)} reports, {len(analysis.passages)} passages ({summary}); "
        f"outputs in {output}",
        markup=False,
        highlight=False,
    )


def main() -> None:
    """Entry point of the console script."""
    app()
