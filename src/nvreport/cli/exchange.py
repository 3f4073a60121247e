"""``nvreport export``: a run as a REFI-QDA project for other QDA tools."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from nvreport.analysis.run import analyse_folder
from nvreport.cli.app import app, error_console
from nvreport.cli.options import (
    Formats,
    InputFolder,
    Ocr,
    TaxonomyFile,
    load_tagger,
    read_choices,
)
from nvreport.errors import ExitCode
from nvreport.exchange.qda import export_project
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.store.files import atomic_write


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
    formats: Formats = None,
    ocr: Ocr = False,
) -> None:
    """Export a folder of reports, analysed and tagged, as a REFI-QDA project (.qdpx):
    the documents as sources, actor, actor type, län and year as variables, and
    every tagged passage as a coding (PDF selections with their page)."""
    choices = read_choices(formats, ocr)
    tagger = load_tagger(taxonomy)
    analysis = analyse_folder(folder, Gazetteer.load(), tagger, choices=choices)
    data = export_project(analysis, tagger.taxonomy, folder)
    atomic_write(output, lambda path: path.write_bytes(data))
    err = error_console()
    for record in analysis.unreadable():
        err.print(
            f"nvreport: error: {record.source.relpath}: {record.message} (left out)",
            markup=False,
            highlight=False,
        )
    err.print(f"wrote {output}", markup=False, highlight=False)
    if analysis.unreadable():
        raise typer.Exit(ExitCode.SOME_FILES_FAILED)
