"""The yearly story: what the reports of one year say, against the year before.

:func:`build_story` turns a :class:`~nvreport.analysis.compare.Comparison` and the years it
was made from into a :class:`Story`: plain data with every figure the draft states,
the quotes it cites and the charts it shows. It writes no sentence itself; the
templates in ``templates/narrative/`` do that (see :mod:`nvreport.story.render`), so an
analyst can reword the draft without touching the figures.

What the story claims, and on what grounds:

* **Presence.** For every theme and actor type: how many of the actors with a
  readable report describe the work as in place (``active``), only as planned, or
  say outright that it is missing (``negated``). Unreadable reports are never
  counted as "not mentioned".
* **Change.** Only between the actors that have a report read in full in *both*
  years, so that a change in who reported is never told as a change in what they do;
  the figures are the comparison's ``changes`` (:mod:`nvreport.analysis.figures` defines
  every count, and this module only picks them out). A report read only in part is
  counted for what it says, never as "not mentioned" or as work that stopped.
* **Caution.** A theme/actor-type pair is ``cautious`` when fewer than
  :data:`MIN_ACTORS` actors have a readable report, or when fewer than
  :data:`MIN_MENTIONS` of them mention the theme (active or planned) in either
  year. A cautious pair gets its figures but no statement of change and no trend.
* **Trends** (*Trender i korthet*): the pairs that are not cautious, ranked by the
  size of the net change in actors with work in place (among actors in both
  years), then by breadth (how many actors changed status at all), then by actor
  type and theme order; at most :data:`MAX_TRENDS`, each with a net change.
  Without a previous year the trends are the most widespread themes instead.
* **Synthesis**: the kinds of work that recur, who has come furthest, target
  groups, effects and obstacles, and where the theme is reported, each counted by
  actor with the passages behind it (:mod:`nvreport.story.synthesis`).
* **Examples** are whole sentences quoted verbatim from one paragraph, spread over
  the actors of a chapter and the story, never near-duplicates of each other, and
  concrete work before summaries (:mod:`nvreport.story.quotes`). The same inputs
  always give the same examples. With ``new_only``, repeated text is never cited, as
  it is not counted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path

import pandas as pd

from nvreport import __version__
from nvreport.analysis.compare import Comparison, YearData, load_year
from nvreport.analysis.figures import flag, rank_key, type_order
from nvreport.analysis.phrasing import (
    actor_noun,
    theme_in_sentence,
    work_on,
)
from nvreport.errors import UsageError
from nvreport.ingest.discover import ReadChoices
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.story.model import (
    Chapter,
    ChartBar,
    ChartRow,
    GroupFigures,
    Movement,
    NoStoryError,
    ReportCount,
    ReportRow,
    Story,
    ThemeSection,
    Trend,
)
from nvreport.story.quotes import QuotePicker
from nvreport.story.synthesis import (
    EFFECTS,
    OBSTACLES,
    TARGET_GROUPS,
    YearView,
    basis_rows,
    readable_documents,
    top,
)
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import Taxonomy, current_id

#: Fewer actors of a type than this with a readable report: too few to speak of change.
MIN_ACTORS = 3
#: Fewer actors than this mentioning a theme (in both years): too few for a trend.
MIN_MENTIONS = 2
#: At most this many trends in *Trender i korthet*.
MAX_TRENDS = 6
#: At most this many examples of work per theme (and one of an obstacle).
MAX_EXAMPLES = 2
#: At most this many obstacles named over the whole year.
MAX_OBSTACLES = 5


_type_order = type_order


def _cell(coverage: pd.DataFrame, year: int, actor_type: str, theme: str) -> dict | None:
    found = coverage[
        (coverage["year"] == year)
        & (coverage["actor_type"] == actor_type)
        & (coverage["theme"] == theme)
    ]
    return found.iloc[0].to_dict() if len(found) else None


def _change_row(comparison: Comparison, year: int, actor_type: str, theme: str) -> dict | None:
    found = comparison.changes[
        (comparison.changes["to_year"] == year)
        & (comparison.changes["actor_type"] == actor_type)
        & (comparison.changes["theme"] == theme)
    ]
    return found.iloc[0].to_dict() if len(found) else None


def _movement(change: dict | None) -> Movement | None:
    """The comparison's change among the actors in both years, as the story tells it."""
    if change is None or not change["actors_both"]:
        return None
    return Movement(
        previous_year=int(change["from_year"]),
        shared=int(change["actors_both"]),
        active_before=int(change["active_from"]),
        active_after=int(change["active_to"]),
        planned_before=int(change["planned_from"]),
        planned_after=int(change["planned_to"]),
        planned_to_active=int(change["planned_to_active"]),
        stopped_active=int(change["stopped_active"]),
        changed=int(change["changed"]),
    )


def _figures(
    comparison: Comparison, year: int, previous_year: int | None, actor_type: str, theme: str
) -> GroupFigures | None:
    now = _cell(comparison.coverage, year, actor_type, theme)
    if now is None or not now["actors"]:
        return None
    change = _change_row(comparison, year, actor_type, theme) if previous_year else None
    movement = _movement(change)
    mentioned = [int(now["active"]) + int(now["planned"])]
    if movement is not None:
        mentioned.append(movement.active_before)
    cautious = int(now["actors"]) < MIN_ACTORS or max(mentioned) < MIN_MENTIONS
    if movement is not None and movement.shared < MIN_ACTORS:
        cautious = True

    def before(column: str) -> int | None:
        if not previous_year:
            return None
        return int(change[column]) if change is not None else 0

    return GroupFigures(
        actor_type=actor_type,
        noun=actor_noun(actor_type),
        actors=int(now["actors"]),
        active=int(now["active"]),
        planned=int(now["planned"]),
        negated=int(now["negated"]),
        previous_actors=before("year_actors_from"),
        previous_active=before("year_active_from"),
        previous_planned=before("year_planned_from"),
        movement=movement,
        cautious=cautious,
        partly_read=int(now.get("partly_read", 0) or 0),
        unreadable=int(now.get("unreadable", 0) or 0),
    )


def _report_counts(data: YearData) -> tuple[ReportCount, ...]:
    counts = Counter(readable_documents(data)["actor_type"])
    return tuple(
        ReportCount(actor_type, counts[actor_type])
        for actor_type in sorted(counts, key=_type_order)
    )


def _report_rows(data: YearData) -> list[ReportRow]:
    rows = []
    docs = data.documents[data.documents["status"] != "ignored"]
    for row in docs.itertuples(index=False):
        rows.append(
            ReportRow(
                year=data.year,
                file=row.file,
                actor=row.actor if isinstance(row.actor, str) else "",
                actor_type=row.actor_type if isinstance(row.actor_type, str) else "",
                pages=None if pd.isna(row.pages) else int(row.pages),
                words=None if pd.isna(row.words) else int(row.words),
                status=row.status,
                message=row.message if isinstance(row.message, str) else "",
                partly_read=flag(getattr(row, "partly_read", False)),
            )
        )
    return rows


def _trends(chapters: tuple[Chapter, ...], has_previous: bool) -> tuple[Trend, ...]:
    candidates = []
    position = 0
    for chapter in chapters:
        for section in chapter.sections:
            for figures in section.groups:
                position += 1
                if figures.cautious:
                    continue
                if has_previous:
                    move = figures.movement
                    if move is None or move.net == 0:
                        continue
                    key = rank_key(move.net, move.changed, figures.actor_type, position)
                    direction = "up" if move.net > 0 else "down"
                else:
                    if not figures.active:
                        continue
                    key = (
                        -figures.active / figures.actors,
                        -figures.active,
                        _type_order(figures.actor_type),
                        position,
                    )
                    direction = "widespread"
                candidates.append(
                    (key, Trend(section.id, section.label, section.work, figures, direction))
                )
    candidates.sort(key=lambda item: item[0])
    return tuple(trend for _, trend in candidates[:MAX_TRENDS])


def build_story(
    current: YearData,
    previous: YearData | None,
    comparison: Comparison,
    taxonomy: Taxonomy,
    *,
    chapters: list[str] | None = None,
    date: dt.date | None = None,
) -> Story:
    """The story of ``current``'s reports, against ``previous`` when given.

    ``comparison`` must be :func:`~nvreport.analysis.compare.compare_years` of exactly these
    years. ``chapters`` picks areas by number (``"3"``) or id (``"samordning"``).
    Raises :class:`NoStoryError` when no report of ``current`` could be read, or when
    ``previous`` shares no actor with ``current``.
    """
    year = current.year
    read_now = readable_documents(current)
    if read_now.empty:
        raise NoStoryError(
            f"{current.folder}: no report for {year} could be read, so there is nothing "
            "to tell; see documents.csv of an analyse run for why"
        )
    previous_year = previous.year if previous is not None else None
    shared = None
    if previous is not None:
        if previous_year >= year:
            raise NoStoryError(
                f"the previous year ({previous_year}, {previous.folder}) is not before "
                f"the current year ({year}, {current.folder})"
            )
        pairs = comparison.pairs[comparison.pairs["to_year"] == year]
        shared = int(pairs["actors_both"].sum())
        if not shared:
            raise NoStoryError(
                f"{previous.folder} ({previous_year}) and {current.folder} ({year}) share "
                "no actor with a report read in full both years, so nothing can be said "
                "about change; check the folders, or leave out --previous"
            )

    wanted = _pick_chapters(taxonomy, chapters)
    types = sorted(
        set(comparison.coverage[comparison.coverage["year"] == year]["actor_type"]),
        key=_type_order,
    )
    view = YearView(current, comparison, taxonomy)
    picker = QuotePicker(view)
    noun = view.story_noun()
    built = []
    for number, area in enumerate(taxonomy.areas, start=1):
        if number not in wanted:
            continue
        picker.new_chapter()
        sections, chart = [], []
        for theme_id in area.members:
            theme = taxonomy.entries[theme_id]
            groups = tuple(
                found
                for actor_type in types
                if (found := _figures(comparison, year, previous_year, actor_type, theme_id))
            )
            activities = view.activities(theme_id)
            targets = view.facet_counts(theme_id, TARGET_GROUPS)
            effects = view.facet_counts(theme_id, EFFECTS)
            obstacles = view.facet_counts(theme_id, OBSTACLES)
            examples = picker.examples(theme_id, MAX_EXAMPLES)
            sections.append(
                ThemeSection(
                    id=theme.id,
                    label=theme.label,
                    in_sentence=theme_in_sentence(theme.label),
                    work=work_on(theme.label),
                    description=theme.description,
                    groups=groups,
                    target_groups=top(targets),
                    effects=top(effects),
                    examples=examples,
                    noun=noun,
                    activities=top(activities),
                    activity_base=len(view.actors_with(theme_id)),
                    kinds=len(theme.subthemes),
                    leaders=view.leaders(theme_id, area.members),
                    obstacles=top(obstacles),
                    effect_examples=picker.effect_examples(
                        theme_id, tuple(count.id for count in top(effects)), 1, examples
                    ),
                    obstacle_examples=picker.obstacle_examples(
                        theme_id, tuple(count.id for count in top(obstacles)), 1
                    ),
                    variation=tuple(
                        found
                        for actor_type in types
                        if (
                            found := view.variation(theme_id, actor_type, comparison, previous_year)
                        )
                    ),
                )
            )
            leaders = sections[-1].leaders
            if leaders is not None and any(
                earlier.leaders is not None and earlier.leaders.actors == leaders.actors
                for earlier in sections[:-1]
            ):  # the same leaders, on the same area's themes: told once in a chapter
                sections[-1] = dataclasses.replace(
                    sections[-1], leaders=dataclasses.replace(leaders, actors=(), sources=())
                )
            sections[-1] = dataclasses.replace(
                sections[-1],
                basis=basis_rows(
                    theme.label, activities, targets, effects, obstacles, sections[-1].leaders
                ),
            )
            for figures in groups:
                chart_row = _chart_row(theme.label, figures, year)
                if chart_row is not None:
                    chart.append(chart_row)
        built.append(
            Chapter(
                number=number,
                id=area.id,
                title=area.label,
                description=area.description,
                sections=tuple(sections),
                chart=tuple(chart),
            )
        )
    chapters_ = tuple(built)
    every = _report_rows(current) + (_report_rows(previous) if previous is not None else [])
    duplicates = sum(
        1
        for row in _report_rows(current)
        if row.status == "warning" and "same content as" in row.message
    )
    return Story(
        year=year,
        previous_year=previous_year,
        date=date or dt.date.today(),
        nvreport_version=__version__,
        taxonomy_name=taxonomy.name,
        taxonomy_version=taxonomy.version,
        reports=_report_counts(current),
        previous_reports=_report_counts(previous) if previous is not None else (),
        unreadable=tuple(row for row in every if row.status in ("error", "no_text")),
        partly_read=tuple(
            row for row in every if row.partly_read and row.status in ("ok", "warning")
        ),
        not_compared=_not_compared(comparison, year) if previous is not None else {},
        duplicates=duplicates,
        shared_actors=shared,
        new_only=comparison.new_only,
        trends=_trends(chapters_, previous is not None),
        chapters=chapters_,
        coverage=comparison.coverage,
        read=tuple(
            sorted(
                (row for row in every if row.status in ("ok", "warning")),
                key=lambda row: (-row.year, _type_order(row.actor_type), row.actor, row.file),
            )
        ),
        theme_labels={theme.id: theme.label for theme in taxonomy.themes},
        notes=list(comparison.notes),
        obstacles=top(view.facet_counts(None, OBSTACLES), MAX_OBSTACLES),
        noun=noun,
    )


def _chart_row(label: str, figures: GroupFigures, year: int) -> ChartRow | None:
    """A theme's bars: with a previous year, both years among the actors in both years
    (none when no actor of the type is in both), else this year's own count."""
    move = figures.movement
    if figures.previous_actors is None:
        bars = (ChartBar(year, figures.active, figures.planned, figures.actors),)
    elif move is None:
        return None
    else:
        bars = (
            ChartBar(move.previous_year, move.active_before, move.planned_before, move.shared),
            ChartBar(year, move.active_after, move.planned_after, move.shared),
        )
        own = ChartBar(year, figures.active, figures.planned, figures.actors)
        return ChartRow(label, figures.actor_type, bars, own)
    return ChartRow(label, figures.actor_type, bars)


def _not_compared(comparison: Comparison, year: int) -> dict[str, int]:
    pairs = comparison.pairs[comparison.pairs["to_year"] == year]
    return {
        name: int(pairs[name].sum())
        for name in ("new_actor", "missing_actor", "unreadable", "partly_read")
    }


def _pick_chapters(taxonomy: Taxonomy, chapters: list[str] | None) -> set[int]:
    numbers = {area.id: n for n, area in enumerate(taxonomy.areas, start=1)}
    if not chapters:
        return set(numbers.values())
    picked: set[int] = set()
    for item in chapters:
        for part in item.split(","):
            part = current_id(taxonomy, part.strip())
            if not part:
                continue
            if part.isdigit() and 1 <= int(part) <= len(numbers):
                picked.add(int(part))
            elif part in numbers:
                picked.add(numbers[part])
            else:
                known = ", ".join(f"{n} ({area})" for area, n in numbers.items())
                raise UsageError(f'no chapter "{part}"; the chapters are {known}')
    return picked


def is_comparison_folder(folder: Path) -> bool:
    """Is ``folder`` the output of ``nvreport compare``?"""
    return (folder / "comparison.json").is_file()


def story_years(
    current: Path,
    previous: Path | None,
    gazetteer: Gazetteer,
    tagger: Tagger,
    *,
    jobs: int = 1,
    cache_dir: Path | None = None,
    choices: ReadChoices | None = None,
) -> tuple[YearData, YearData | None, list[str]]:
    """The year to tell and the year before it, from folders of reports or ``analyse``
    outputs. A ``compare`` output is refused with a message that says why: it holds
    the figures but not the passages the story quotes, and the year folders it names
    are never opened (it may come from someone else's computer, and name anything).

    Returns the two years and notes for the user.
    """
    notes: list[str] = []
    if is_comparison_folder(current):
        raise UsageError(
            f"{current} is a compare output: it holds the figures but not the passages "
            "the story quotes, and nvreport does not open the folders named inside it; "
            "name the year folders themselves (folders of reports or analyse outputs): "
            "nvreport narrative YEAR --previous PREVIOUS_YEAR"
        )
    # the story quotes from the passages themselves: the years' evidence sentences
    # (most of an output folder) are not loaded
    data = load_year(
        current, gazetteer, tagger, jobs=jobs, cache_dir=cache_dir, choices=choices, evidence=False
    )
    before = (
        load_year(
            previous,
            gazetteer,
            tagger,
            jobs=jobs,
            cache_dir=cache_dir,
            choices=choices,
            evidence=False,
        )
        if previous is not None
        else None
    )
    return data, before, notes
