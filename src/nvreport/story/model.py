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
    actor_noun,
    change_phrase,
    share_phrase,
)
from nvreport.errors import NvreportError


class NoStoryError(NvreportError):
    """The material cannot carry a story (no readable report, no shared actor)."""


@dataclass(frozen=True)
class Quote:
    """Whole sentences quoted verbatim from one paragraph of a report: the paragraph
    is passage ``index`` of document ``doc_id``, and ``text`` stands in it (with its
    white space made single) from character ``start``."""

    actor: str
    actor_type: str
    file: str
    page: int | None
    section: str
    text: str
    novelty: str
    doc_id: str = ""
    index: int = -1
    start: int = 0
    #: what the quote exemplifies: "work" (the theme), or an obstacle's id
    kind: str = "work"
    actor_key: str = ""


@dataclass(frozen=True)
class Source:
    """Where a counted actor says it: the passage behind one actor of a count."""

    actor: str
    file: str
    page: int | None
    section: str


@dataclass(frozen=True)
class FacetCount:
    """A target group, effect, obstacle or kind of work, and how many actors name it
    together with a theme; ``sources`` has one passage per actor, in actor order."""

    id: str
    label: str
    actors: int
    sources: tuple[Source, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(source.actor for source in self.sources)


@dataclass(frozen=True)
class Leaders:
    """Who has come furthest on a theme: the actors with the theme in place and the
    most related work in place too (other themes of the area, kinds of work of the
    theme), against those that only plan it."""

    actors: tuple[str, ...]  # names of the leaders (at most half the actors with it in place)
    related: tuple[str, ...]  # labels of the area's other themes every leader has in place
    kinds: tuple[str, ...]  # labels of the theme's kinds of work every leader has
    planners: tuple[str, ...]  # names of actors that only plan the theme, when few
    planners_count: int  # all of them (named or not)
    active: int  # actors with the theme in place
    sources: tuple[Source, ...] = ()  # a passage of each leader on the theme
    planner_sources: tuple[Source, ...] = ()  # a passage of each planner on the theme


@dataclass(frozen=True)
class Variation:
    """Where one type of actor reports a theme, and who changed since the year before."""

    actor_type: str
    noun: Noun
    actors: int  # with a readable report
    active: tuple[str, ...]  # names of actors with work in place
    inactive: tuple[str, ...]  # names of actors without work in place
    #: by län (municipalities): (län, active, actors), län with enough actors only
    most: tuple[tuple[str, int, int], ...] = ()
    least: tuple[tuple[str, int, int], ...] = ()
    started: tuple[str, ...] = ()  # in both years: work in place now, not before
    stopped: tuple[str, ...] = ()  # in both years: work in place before, not now
    previous_year: int | None = None
    #: the two with work in place whose reports give the theme the most passages per
    #: 10,000 words (the comparison's intensity), when five or more have it in place
    most_detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class BasisRow:
    """One line of the appendix that makes a synthesis count traceable."""

    theme: str
    part: str
    item: str
    sources: tuple[Source, ...]


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
    noun: Noun = field(default_factory=lambda: actor_noun(""))  # for the counts below
    activities: tuple[FacetCount, ...] = ()  # kinds of work (sub-themes), by actor
    activity_base: int = 0  # actors with the theme in place
    kinds: int = 0  # kinds of work the taxonomy names for the theme
    leaders: Leaders | None = None
    obstacles: tuple[FacetCount, ...] = ()
    obstacle_examples: tuple[Quote, ...] = ()
    effect_examples: tuple[Quote, ...] = ()  # when no example of the work reports one
    variation: tuple[Variation, ...] = ()
    basis: tuple[BasisRow, ...] = ()


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
    #: obstacles named anywhere in the year's reports, by actor
    obstacles: tuple[FacetCount, ...] = ()
    noun: Noun = field(default_factory=lambda: actor_noun(""))

    @property
    def total_reports(self) -> int:
        return sum(count.reports for count in self.reports)

    @property
    def years(self) -> list[int]:
        return [y for y in (self.previous_year, self.year) if y is not None]
