"""``nvreport taxonomy check|diff|export|import|suggest|gaps``: the taxonomy checked,
exchanged and kept in step with what the reports say."""

from __future__ import annotations

import dataclasses
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from nvreport.analysis.run import analyse_folder
from nvreport.cli.options import (
    CacheFolder,
    Jobs,
    NoCache,
    TaxonomyFile,
    cache_folder,
    load_tagger,
)
from nvreport.cli.printing import print_gaps, print_suggestions
from nvreport.errors import ExitCode, UsageError
from nvreport.exchange.codebook_export import export_codebook
from nvreport.exchange.codebook_import import import_codebook
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.store.files import atomic_write, check_output_file
from nvreport.tagging.taxonomy import bundled_taxonomy_path, load_taxonomy

taxonomy_app = typer.Typer(
    name="taxonomy",
    help="Check, compare, export and import theme taxonomies, and find what they miss.",
    no_args_is_help=True,
)


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
    if output_format is DiffFormat.markdown:
        sys.stdout.write(markdown)
        return
    from rich.markdown import Markdown

    # no soft_wrap: rendered Markdown is wrapped to the width, and soft_wrap would cut
    # each line there instead (a passage lost after 80 characters when piped)
    Console(highlight=False, emoji=False).print(Markdown(markdown))


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


class SuggestFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _study_folder_help(what: str) -> str:
    return f"A folder of reports, or an analyse output folder (its passages are used), {what}."


@taxonomy_app.command("suggest")
def taxonomy_suggest_command(
    folder: Annotated[
        Path,
        typer.Argument(help=_study_folder_help("to find terms in"), show_default=False),
    ],
    theme: Annotated[
        str | None,
        typer.Option(
            "--theme",
            help="Rank candidates for this theme id (default: for every theme).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many candidates.")] = 20,
    output_format: Annotated[
        SuggestFormat, typer.Option("--format", help="table (terminal), json or csv.")
    ] = SuggestFormat.table,
    patch: Annotated[
        Path | None,
        typer.Option(
            "--yaml",
            help="Also write the candidates as a YAML patch of terms with their must-match "
            "examples, for review.",
            show_default=False,
        ),
    ] = None,
    taxonomy: TaxonomyFile = None,
    jobs: Jobs = 0,
    cache: CacheFolder = None,
    no_cache: NoCache = False,
) -> None:
    """Terms the reports use that the taxonomy does not cover, ranked by how key they
    are near a theme's matches (against the rest of the reports and against general
    Swedish) and how much they are made of the words of its terms, each with the
    actors and passages using it, the term it is like, keyword-in-context lines with
    file and page, and the theme it most likely belongs to."""
    import csv
    import difflib

    from nvreport.analysis.candidates import TermStudy
    from nvreport.exchange.suggest import (
        SUGGEST_COLUMNS,
        patch_yaml,
        study_passages,
        suggest_terms,
    )

    tagger = load_tagger(taxonomy)
    if theme is not None and theme not in tagger.taxonomy.theme_ids:
        nearest = difflib.get_close_matches(theme, tagger.taxonomy.theme_ids, n=1, cutoff=0.6)
        hint = f"; did you mean '{nearest[0]}'?" if nearest else ""
        raise UsageError(f"no theme '{theme}' in the taxonomy{hint}")
    if patch is not None:
        check_output_file(patch)
    passages = study_passages(
        folder, Gazetteer.load(), jobs=jobs, cache_dir=cache_folder(cache, no_cache)
    )
    study = TermStudy(passages, tagger)
    suggestions = suggest_terms(study, theme, limit)
    if patch is not None:
        text = patch_yaml(suggestions, tagger.taxonomy, str(folder))
        atomic_write(patch, lambda path: path.write_text(text, encoding="utf-8"))
    if output_format is SuggestFormat.json:
        records = [suggestion.record() for suggestion in suggestions]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif output_format is SuggestFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=SUGGEST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for suggestion in suggestions:
            writer.writerow(suggestion.row())
    else:
        print_suggestions(
            Console(soft_wrap=True, highlight=False, emoji=False),
            suggestions,
            tagger.taxonomy,
            theme,
        )
    if patch is not None:
        Console(stderr=True, emoji=False).print(f"wrote {patch}", markup=False, highlight=False)


class GapsFormat(str, Enum):
    table = "table"
    json = "json"


@taxonomy_app.command("gaps")
def taxonomy_gaps_command(
    folder: Annotated[
        Path, typer.Argument(help=_study_folder_help("to measure"), show_default=False)
    ],
    output_format: Annotated[
        GapsFormat, typer.Option("--format", help="table (terminal) or json.")
    ] = GapsFormat.table,
    sections: Annotated[
        int, typer.Option("--sections", min=0, help="How many sections to list.")
    ] = 10,
    taxonomy: TaxonomyFile = None,
    jobs: Jobs = 0,
    cache: CacheFolder = None,
    no_cache: NoCache = False,
) -> None:
    """The ground the taxonomy does not reach: per report and in all, the share of
    body passages (paragraphs, list items, table rows) that carry no theme, and the
    sections with the most untagged text. An analyse output is measured as it was
    tagged; a folder of reports is tagged with --taxonomy."""
    import pandas as pd

    from nvreport.analysis.gaps import gaps_of

    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    parquet = folder / "passages.parquet"
    columns = ["doc_id", "file", "actor", "kind", "section", "word_count", "themes"]
    if parquet.is_file():
        try:
            passages = pd.read_parquet(parquet, columns=columns)
        except Exception as error:
            raise UsageError(
                f"{parquet}: not the passages nvreport analyse writes ({error}); "
                "analyse the reports again"
            ) from None
    else:
        tagger = load_tagger(taxonomy)
        analysis = analyse_folder(
            folder, Gazetteer.load(), tagger, jobs=jobs, cache_dir=cache_folder(cache, no_cache)
        )
        if not any(record.doc_id for record in analysis.documents):
            raise UsageError(f"{folder}: no report could be read, so there is nothing to measure")
        passages = analysis.passages_frame()[columns]
    gaps = gaps_of(passages, sections)
    if output_format is GapsFormat.json:
        sys.stdout.write(json.dumps(gaps, ensure_ascii=False, indent=2) + "\n")
        return
    print_gaps(Console(soft_wrap=True, highlight=False, emoji=False), gaps)
