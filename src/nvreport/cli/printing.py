"""What the commands print on the terminal: summaries, coverage and comparisons as tables."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nvreport.analysis.phrasing import change_arrow
from nvreport.models import DocumentStatus

if TYPE_CHECKING:  # (the tagger's modules are not loaded to print a re-run's summary)
    from nvreport.analysis.compare import Comparison
    from nvreport.analysis.tables import RunSummary
    from nvreport.cli.outcome import Outcome
    from nvreport.tagging.taxonomy import Taxonomy


STATUS_STYLE = {
    "ok": "green",
    "warning": "yellow",
    "no_text": "magenta",
    "error": "red",
    "ignored": "dim",
}


def print_comparison(console: Console, comparison: Comparison, taxonomy: Taxonomy) -> None:
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
            title=f"{escape(actor_type or 'unknown type')}: active (planned) / actors, each "
            "year's own count"
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


_COVERAGE_COUNTS = ("active", "planned", "negated", "not_mentioned", "partly_read", "unreadable")


def print_coverage(console: Console, covered: list[dict], labels: Mapping[str, str]) -> None:
    """Coverage per actor type: how many actors report each theme, active+planned
    (``labels``: each theme's label by its id)."""
    for (year, actor_type), grouped in groupby(
        covered, key=lambda row: (row["year"], row["actor_type"])
    ):
        group = list(grouped)
        title = f"{actor_type or 'unknown type'} {'' if year is None else year}: "
        actors = group[0]["actors"]
        title += f"{actors} actor{'' if actors == 1 else 's'}"
        if console.is_terminal:
            table = Table(title=escape(title), title_justify="left")
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


def print_summary(
    console: Console, analysis: RunSummary | Outcome, output: Path, kept: bool = False
) -> None:
    """The reports read and the counts; ``kept``: nothing had changed since the same
    command last ran, and its outputs were left as they were."""
    documents = [r for r in analysis.documents if r.status is not DocumentStatus.IGNORED]
    ignored = [r for r in analysis.documents if r.status is DocumentStatus.IGNORED]
    if console.is_terminal:
        table = Table(
            title=f"{len(documents)} reports in {escape(str(analysis.root))}", title_justify="left"
        )
        for column in ("file", "actor", "type", "year", "status", "pages", "passages", "words"):
            table.add_column(
                column,
                justify="right" if column in ("pages", "passages", "words", "year") else "left",
            )
        for record in documents:
            table.add_row(
                escape(record.source.relpath),
                escape(record.meta.actor or "?"),
                escape(record.meta.actor_type or "?"),
                str(record.meta.year or "?"),
                f"[{STATUS_STYLE[record.status.value]}]{record.status.value}[/]",
                "" if record.pages is None else str(record.pages),
                str(record.passages),
                str(record.words),
            )
        console.print(table)
        for record in ignored:
            console.print(
                f"[dim]ignored: {escape(record.source.relpath)} ({escape(record.message)})[/]"
            )
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
        + (
            " (nothing has changed since this command last ran: the outputs are kept)"
            if kept
            else " (copied from the cache: same inputs as an earlier run)"
            if analysis.reused
            else ""
        ),
        markup=False,
        highlight=False,
    )


def print_suggestions(
    console: Console, suggestions: list, taxonomy: Taxonomy, theme: str | None
) -> None:
    """``taxonomy suggest``'s candidates: a table on a terminal (with the first
    keyword-in-context line), plain lines otherwise (with every line)."""
    labels = {entry.id: entry.label for entry in taxonomy.themes}
    title = (
        f"Candidate terms for {labels.get(theme, theme)} ({theme})"
        if theme
        else "Candidate terms, each under the theme it is most key for"
    )
    if not suggestions:
        console.print(f"{title}: none found", markup=False, highlight=False)
        return
    if console.is_terminal:
        table = Table(title=title, title_justify="left")
        columns = ("#", "term", "theme", "likely", "like", "actors", "passages", "score")
        for column in (*columns, "in context"):
            table.add_column(
                column,
                justify="right" if column in ("#", "actors", "passages", "score") else "left",
            )
        for item in suggestions:
            line = item.kwic[0] if item.kwic else None
            context = (
                f"{escape(line.actor or line.file)}"
                f"{'' if line.page is None else f' s. {line.page}'}: "
                f"…{escape(line.left)}[bold]{escape(line.match)}[/]{escape(line.right)}…"
                if line
                else ""
            )
            table.add_row(
                str(item.rank),
                escape(item.term),
                item.theme,
                "" if item.likely_theme == item.theme else item.likely_theme,
                escape(item.keyness.like),
                str(item.keyness.actors),
                str(item.keyness.passages),
                f"{item.keyness.score:.1f}",
                context,
            )
        console.print(table)
        return
    console.print(title, markup=False, highlight=False)
    for item in suggestions:
        likely = "" if item.likely_theme == item.theme else f" (most likely {item.likely_theme})"
        like = f", like {item.keyness.like}" if item.keyness.like else ""
        console.print(
            f"{item.rank}. {item.term} [{item.theme}{likely}{like}]: {item.keyness.actors} actors, "
            f"{item.keyness.passages} passages near the theme; score {item.keyness.score:.1f}",
            markup=False,
            highlight=False,
        )
        for line in item.kwic:
            console.print(f"   {line.plain()}", markup=False, highlight=False)


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f} %"


def print_gaps(console: Console, gaps: dict) -> None:
    """``taxonomy gaps``: untagged body passages per report, in all, and by section."""
    reports = Table(title="Body passages that carry no theme, per report", title_justify="left")
    for column in ("report", "body passages", "untagged", "share", "untagged words", "share"):
        reports.add_column(column, justify="left" if column == "report" else "right")
    for row in gaps["reports"]:
        reports.add_row(
            escape(row["actor"] or row["file"]),
            str(row["body_passages"]),
            str(row["untagged_passages"]),
            _percent(row["untagged_share"]),
            str(row["untagged_words"]),
            _percent(row["untagged_word_share"]),
        )
    reports.add_row(
        "all reports",
        str(gaps["body_passages"]),
        str(gaps["untagged_passages"]),
        _percent(gaps["untagged_share"]),
        str(gaps["untagged_words"]),
        _percent(gaps["untagged_word_share"]),
        style="bold",
    )
    console.print(reports)
    if gaps["sections"]:
        sections = Table(title="Sections with the most untagged text", title_justify="left")
        for column in (
            "section",
            "reports",
            "body passages",
            "untagged",
            "untagged words",
            "share of words",
        ):
            sections.add_column(column, justify="left" if column == "section" else "right")
        for row in gaps["sections"]:
            sections.add_row(
                escape(row["section"] or "(before the first heading)"),
                str(row["reports"]),
                str(row["body_passages"]),
                str(row["untagged_passages"]),
                str(row["untagged_words"]),
                _percent(row["untagged_word_share"]),
            )
        console.print(sections)


#: Terms printed per theme by ``compare``: the largest changes of share.
DRIFT_PRINTED = 3


def print_term_drift(console: Console, drift: Any, taxonomy: Taxonomy) -> None:
    """``compare``'s short table of term drift: per theme, the terms whose share of
    the passages near the theme changed most between the last two years, used by at
    least two actors in one of them (all of it in ``term_drift.csv``)."""
    if drift is None or drift.empty:
        return
    last = drift[drift["to_year"] == drift["to_year"].max()]
    shown = last[
        (last["drift"] != "same") & ((last["actors_from"] >= 2) | (last["actors_to"] >= 2))
    ]
    if shown.empty:
        return
    labels = {theme.id: theme.label for theme in taxonomy.themes}
    first = shown.iloc[0]
    table = Table(
        title=f"Words that carry each theme, {first['from_year']}→{first['to_year']}: actors "
        "(share of the passages near the theme); all in term_drift.csv",
        title_justify="left",
    )
    for column in ("theme", "term", "source", str(first["from_year"]), str(first["to_year"]), ""):
        table.add_column(column, justify="right" if column[:1].isdigit() else "left")
    for theme in taxonomy.theme_ids:
        rows = shown[shown["theme"] == theme].head(DRIFT_PRINTED)
        for number, row in enumerate(rows.itertuples()):
            table.add_row(
                escape(labels.get(theme, theme)) if number == 0 else "",
                escape(row.term),
                row.source,
                f"{row.actors_from} ({row.share_from * 100:.0f} %)",
                f"{row.actors_to} ({row.share_to * 100:.0f} %)",
                row.drift,
            )
    console.print(table)
