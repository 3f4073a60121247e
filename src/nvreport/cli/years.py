"""``nvreport compare`` and ``narrative``: two or more years, and the story they tell."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from nvreport.cli.app import app, error_console
from nvreport.cli.options import (
    CacheFolder,
    CsvChoice,
    CsvFormat,
    Formats,
    Jobs,
    NoCache,
    Ocr,
    OutputFolder,
    Quiet,
    TaxonomyFile,
    cache_folder,
    load_tagger,
    read_choices,
)
from nvreport.cli.printing import print_comparison, print_term_drift
from nvreport.errors import ExitCode, UsageError
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.store.files import check_output_file, check_output_folder

if TYPE_CHECKING:
    from nvreport.tagging.taxonomy import Taxonomy


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
    formats: Formats = None,
    ocr: Ocr = False,
    new_only: Annotated[
        bool,
        typer.Option(
            "--new-only",
            help="Count only new and revised text: a paragraph repeated from last year's "
            "report is not work done again.",
        ),
    ] = False,
    drift: Annotated[
        bool,
        typer.Option(
            "--drift/--no-drift",
            help="Study which words carry each theme year by year (term_drift.csv). "
            "--no-drift skips it: on hundreds of reports a year it takes most of the "
            "time and memory of a comparison.",
        ),
    ] = True,
    taxonomy: TaxonomyFile = None,
    quiet: Quiet = False,
    jobs: Jobs = 0,
    cache: CacheFolder = None,
    no_cache: NoCache = False,
    csv_format: CsvFormat = CsvChoice.excel_sv,
) -> None:
    """Compare years: which themes spread, appeared, or went from planned to in place,
    actor by actor.

    Writes coverage.csv, transitions.csv, term_drift.csv (the words that carry each
    theme, year by year; not with --no-drift), comparison.xlsx, comparison.json and
    explorer.html (every year's matrix and passages, to open in a browser) to
    --output. Exit code 1 when
    some report could not be read (it counts as unreadable, never as "not
    mentioned"), 2 for a usage error.
    """
    from nvreport.analysis.compare import compare_years, load_year
    from nvreport.outputs.comparison import write_comparison
    from nvreport.store.csv_dialect import csv_dialect

    if len(folders) < 2:
        raise UsageError("compare needs at least two year folders")
    check_output_folder(output)
    choices = read_choices(formats, ocr)
    tagger = load_tagger(taxonomy)
    gazetteer = Gazetteer.load()
    err = error_console()
    out = Console(soft_wrap=True, highlight=False, emoji=False)
    years = []
    for folder in folders:
        if not quiet:
            err.print(f"Reading {folder} …", markup=False, highlight=False)
        years.append(
            load_year(
                folder,
                gazetteer,
                tagger,
                jobs=jobs,
                cache_dir=cache_folder(cache, no_cache),
                choices=choices,
                evidence=False,  # read again, a year at a time, for explorer.html
            )
        )
    comparison = compare_years(years, tagger.taxonomy, new_only=new_only)
    drifted = None
    if drift:
        from nvreport.analysis.drift import term_drift

        drifted = term_drift(years, tagger)
    write_comparison(
        comparison,
        output,
        tagger.taxonomy,
        {
            "folders": [str(f) for f in folders],
            "new_only": new_only,
            "csv": csv_format.value,
            "drift": drift,
        },
        csv_dialect(csv_format.value),
        years=years,
        drift=drifted,
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
        print_comparison(out, comparison, tagger.taxonomy)
        if drifted is not None:
            print_term_drift(out, drifted, tagger.taxonomy)
        out.print(f"outputs in {output}", markup=False)
    unreadable = any(data.documents["status"].isin(["error", "no_text"]).any() for data in years)
    if unreadable:
        raise typer.Exit(ExitCode.SOME_FILES_FAILED)


class StoryFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"


#: The narrative's formats by the suffix of --output.
STORY_SUFFIXES = {".md": "md", ".html": "html", ".docx": "docx"}


def _story_format(output: Path | None, story_format: StoryFormat | None) -> str:
    """The format to write: from --output's suffix, which must be one nvreport writes
    (never HTML under another name), and which --format, when given, must agree with."""
    if output is None:
        return story_format.value if story_format is not None else "html"
    if output.is_dir():
        raise UsageError(f"-o {output} is a folder: name the file to write in it")
    by_suffix = STORY_SUFFIXES.get(output.suffix.lower())
    if by_suffix is None:
        found = f'the suffix "{output.suffix}"' if output.suffix else "no suffix"
        raise UsageError(
            f"-o {output}: {found}; the narrative is written as "
            f"{', '.join(STORY_SUFFIXES)} (Markdown, HTML or Word)"
        )
    if story_format is not None and story_format.value != by_suffix:
        raise UsageError(
            f"-o {output} names a {output.suffix.lower()} file but --format is "
            f"{story_format.value}: drop --format, or give a file ending in "
            f".{story_format.value}"
        )
    return by_suffix


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
            help="md, html or docx (Word); default: from the --output suffix, else html.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write, ending in .md, .html or .docx; default: "
            "arsberattelse-YEAR.html (or .md, .docx). Markdown charts go beside it, in "
            "NAME-figurer/.",
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
    formats: Formats = None,
    ocr: Ocr = False,
) -> None:
    """Draft the yearly story (årsberättelse) in Markdown, HTML or Word: trends, six chapters
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
    fmt = _story_format(output, story_format)
    if output is not None:
        check_output_file(output)
    choices = read_choices(formats, ocr)
    tagger = load_tagger(taxonomy)
    gazetteer = Gazetteer.load()
    err = error_console()
    if not quiet:
        err.print(f"Reading {folder} …", markup=False, highlight=False)
    current, before, notes = story_years(
        folder,
        previous,
        gazetteer,
        tagger,
        jobs=jobs,
        cache_dir=cache_folder(cache, no_cache),
        choices=choices,
    )
    years = [current] if before is None else [before, current]
    comparison = compare_years(years, tagger.taxonomy, new_only=new_only)
    del years
    if before is not None:  # from here on the story needs only last year's documents
        before = before.documents_only()
    notes.extend(_renamed_chapter_notes(tagger.taxonomy, chapters))
    story = build_story(current, before, comparison, tagger.taxonomy, chapters=chapters, date=day)
    target = output or Path(f"arsberattelse-{story.year}.{fmt}")
    if fmt == "docx":
        from nvreport.story.docx import write_docx

        written = write_docx(story, target, templates=templates)
    else:
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


def _renamed_chapter_notes(taxonomy: Taxonomy, chapters: list[str] | None) -> list[str]:
    """A deprecation note for each ``--chapters`` id that the taxonomy has renamed;
    the chapter is still picked. (A new id given to a copy of the taxonomy made
    before the rename is picked silently: it is the id to use from now on.)"""
    from nvreport.tagging.taxonomy import RENAMED_IDS, current_id

    notes = []
    for item in chapters or []:
        for part in item.split(","):
            part = part.strip()
            if part in RENAMED_IDS and (now := current_id(taxonomy, part)) != part:
                notes.append(
                    f"--chapters {part}: the area is called {now} in taxonomy "
                    f"{taxonomy.version}; {part} is accepted for now but is deprecated, "
                    f"write --chapters {now}"
                )
    return notes
