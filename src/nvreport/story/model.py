"""The story as data: chapters, figures, quotes and charts, ready to render.

:func:`~nvreport.story.narrative.build_story` makes a :class:`Story`;
:mod:`nvreport.story.render` writes it as Markdown or HTML through the templates.
Every number here is taken from the comparison's tables, never computed anew.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from nvreport.analysis.phrasing import (
    Noun,
    SharePhrase,
    change_phrase,
    share_phrase,
)
from nvreport.errors import NvreportError


class NoStoryError(NvreportError):
    """The material cannot carry a story (no readable report, no shared actor)."""


@dataclass(frozen=True)
class Quote:
    """A verbatim passage cited as an example."""

    actor: str
    actor_type: str
    file: str
    page: int | None
    section: str
    text: str
    novelty: str


@dataclass(frozen=True)
class FacetCount:
    """A target group or effect and how many actors name it together with a theme."""

    id: str
    label: str
    actors: int


@dataclass(frozen=True)
class Movement:
    """How the actors that reported both years moved on one theme."""

    previous_year: int
    shared: int  # actors of the type with a report read in full both years
    active_before: int
    active_after: int
    planned_before: int
    planned_after: int
    planned_to_active: int
    stopped_active: int  # from active to planned, not mentioned or absent
    changed: int  # actors whose status changed (a transition other than unchanged)

    @property
    def net(self) -> int:
        return self.active_after - self.active_before

    @property
    def named_change(self) -> str:
        """The change's own word ("en fördubbling", "en halvering") when it has one,
        else the empty string: the counts are stated anyway."""
        words = change_phrase(self.active_before, self.active_after)
        if words.startswith("en ") and not words.startswith(("en ökning", "en minskning")):
            return words
        return ""


@dataclass(frozen=True)
class GroupFigures:
    """One theme among one type of actor, this year (and the year before)."""

    actor_type: str
    noun: Noun
    actors: int  # with a report read this year, fully or partly (this year's own count)
    active: int
    planned: int
    negated: int
    previous_actors: int | None  # the previous year's own count; None: no previous year
    previous_active: int | None
    previous_planned: int | None
    movement: Movement | None  # None: no previous year, or no actor in both
    cautious: bool
    partly_read: int = 0  # read only in part, the theme not found in what was read
    unreadable: int = 0  # actors whose reports could not be read this year

    @property
    def share(self) -> SharePhrase:
        return share_phrase(self.active, self.actors, self.actor_type)

    @property
    def mentioned(self) -> int:
        return self.active + self.planned


@dataclass(frozen=True)
class ThemeSection:
    id: str
    label: str
    in_sentence: str  # "hälsosamtal", "SIP och samordnad planering"
    work: str  # "arbete med hälsosamtal", "förebyggande arbete"
    description: str
    groups: tuple[GroupFigures, ...]
    target_groups: tuple[FacetCount, ...]
    effects: tuple[FacetCount, ...]
    examples: tuple[Quote, ...]


@dataclass(frozen=True)
class ChartBar:
    """One year's bar: with a previous year, among the actors in both years."""

    year: int
    active: int
    planned: int
    actors: int


@dataclass(frozen=True)
class ChartRow:
    theme: str
    actor_type: str
    bars: tuple[ChartBar, ...]  # previous year first, when there is one
    #: with a previous year, this year's own count (all actors with a readable report),
    #: shown beside the bars in the table; None without one (the bar is that count)
    own: ChartBar | None = None


@dataclass(frozen=True)
class Chapter:
    number: int
    id: str
    title: str
    description: str
    sections: tuple[ThemeSection, ...]
    chart: tuple[ChartRow, ...]


@dataclass(frozen=True)
class Trend:
    theme: str
    label: str
    work: str
    figures: GroupFigures
    direction: str  # "up", "down" or "widespread" (no previous year)


@dataclass(frozen=True)
class ReportCount:
    actor_type: str
    reports: int


@dataclass(frozen=True)
class ReportRow:
    year: int
    file: str
    actor: str
    actor_type: str
    pages: int | None
    words: int | None
    status: str
    message: str
    partly_read: bool = False


@dataclass
class Story:
    """Everything the draft states, as data. See the module docstring for the rules."""

    year: int
    previous_year: int | None
    date: dt.date
    nvreport_version: str
    taxonomy_name: str
    taxonomy_version: str
    reports: tuple[ReportCount, ...]  # readable reports this year, by actor type
    previous_reports: tuple[ReportCount, ...]
    unreadable: tuple[ReportRow, ...]  # this year and the previous
    partly_read: tuple[ReportRow, ...]  # read only in part, this year and the previous
    not_compared: dict[str, int]  # new_actor, missing_actor, unreadable, partly_read
    duplicates: int  # files with the same content as another, counted once
    shared_actors: int | None
    new_only: bool
    trends: tuple[Trend, ...]
    chapters: tuple[Chapter, ...]
    coverage: pd.DataFrame  # the comparison's coverage, for the appendix
    read: tuple[ReportRow, ...]
    theme_labels: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def total_reports(self) -> int:
        return sum(count.reports for count in self.reports)

    @property
    def years(self) -> list[int]:
        return [y for y in (self.previous_year, self.year) if y is not None]
