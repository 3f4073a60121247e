"""What a chapter says beyond the counts: the work that recurs, who has come furthest,
what stands in the way, and where the theme is reported.

Every figure here is a count of actors, and every actor counted can be found: each
:class:`~nvreport.story.model.FacetCount` keeps one passage per actor
(:class:`~nvreport.story.model.Source`), and the story's appendix lists them.

* **Statuses** are the comparison's: an actor's status for a theme is its passages'
  statuses combined (active over planned over negated), repeated text left out with
  ``new_only``, exactly as :mod:`nvreport.analysis.compare` computes them, so the
  actors counted here are the actors counted in the coverage.
* **Kinds of work** (:func:`YearView.activities`): the theme's sub-themes, each
  counted over the actors with a passage where the theme is in place (active) and
  the sub-theme is found too (not negated).
* **Target groups, effects and obstacles** (:func:`YearView.facet_counts`): a facet
  value counts for an actor when it stands in the same passage as an active or
  planned mention of the theme; a target group when it is not negated, an effect
  only when reported as achieved (active), an obstacle whatever its status ("det
  saknas sjuksköterskor" is how an obstacle is said).
* **Who has come furthest** (:func:`YearView.leaders`): among the actors with the
  theme in place, those with the most related work in place too: the area's other
  themes, and the theme's kinds of work. Named only when some stand out (not all
  tie) and they are few (at most :data:`MAX_NAMED`).
* **Where** (:func:`YearView.variation`): per actor type, the actors with and
  without work in place (named when few), by län for municipalities (the län with
  the largest and the smallest share, among län with at least
  :data:`MIN_PER_LAN` municipalities), the two that write the most about the theme
  (passages per 10,000 words, the comparison's intensity) and, among the actors in
  both years, those that started or stopped (the comparison's transitions).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import pandas as pd

from nvreport.analysis.compare import Comparison, YearData
from nvreport.analysis.figures import PARTLY_READ, READ
from nvreport.analysis.phrasing import Noun, actor_noun
from nvreport.ingest.metadata import clean_text
from nvreport.story.model import (
    BasisRow,
    FacetCount,
    Leaders,
    Source,
    Variation,
)
from nvreport.tagging.novelty import REPEATED
from nvreport.tagging.sentences import sentences_of
from nvreport.tagging.status import STATUS_RANK
from nvreport.tagging.tagger import ACTIVE, NEGATED, NONE, PLANNED, Tagger
from nvreport.tagging.taxonomy import SUBTHEME, Taxonomy

#: At most this many actors are named in one sentence; more are counted instead.
MAX_NAMED = 4
#: At most this many kinds of work, target groups, effects and obstacles per theme.
MAX_ITEMS = 3
#: A län is compared with the others only with at least this many municipalities.
MIN_PER_LAN = 3

TARGET_GROUPS = "target_groups"
EFFECTS = "effects"
OBSTACLES = "obstacles"


def readable_documents(data: YearData) -> pd.DataFrame:
    """Readable, counted documents of a year with their actor."""
    docs = data.documents
    docs = docs[docs["status"].isin(["ok", "warning"]) & (docs["doc_id"] != "")]
    return docs[["doc_id", "file", "actor", "actor_type", "actor_key"]].fillna("")


class YearView:
    """One year's actors, statuses, passages and tags, indexed for the synthesis."""

    def __init__(self, data: YearData, comparison: Comparison, taxonomy: Taxonomy) -> None:
        self.data = data
        self.year = data.year
        self.taxonomy = taxonomy
        self.new_only = comparison.new_only
        self.labels = comparison.novelty_labels.get(data.year, {})
        docs = readable_documents(data)
        self.actor_of: dict[str, str] = dict(zip(docs["doc_id"], docs["actor_key"], strict=True))
        self.file_of: dict[str, str] = dict(zip(docs["doc_id"], docs["file"], strict=True))
        actors = comparison.actors
        actors = actors[(actors["year"] == data.year) & actors["reading"].isin([READ, PARTLY_READ])]
        self.name: dict[str, str] = {}
        self.type: dict[str, str] = {}
        self.lan: dict[str, str] = {}
        for key, actor, actor_type, lan in zip(
            actors["actor_key"], actors["actor"], actors["actor_type"], actors["lan"], strict=True
        ):
            self.name[key] = actor if isinstance(actor, str) and actor else clean_text(key)
            self.type[key] = actor_type if isinstance(actor_type, str) else ""
            self.lan[key] = lan if isinstance(lan, str) else ""
        self.passage = _Passages(data.passages, set(self.actor_of))
        # theme -> [(doc_id, index, status)], and every passage's themes (a tuple
        # of a few ids is a quarter of the memory of a dict of them)
        self.mentions: dict[str, list[tuple[str, int, str]]] = {}
        self.themes_at: dict[tuple[str, int], tuple[str, ...]] = {}
        self.status: dict[tuple[str, str], str] = {}
        mentions = data.mentions
        for doc_id, index, theme, status in zip(
            mentions["doc_id"].tolist(),
            mentions["index"].tolist(),
            mentions["theme"].tolist(),
            mentions["status"].tolist(),
            strict=True,
        ):
            if doc_id not in self.actor_of or not self.counted(doc_id, int(index)):
                continue
            place = self.passage.key(doc_id, int(index))
            self.mentions.setdefault(theme, []).append((place[0], place[1], status))
            here = self.themes_at.get(place, ())
            if theme not in here:
                self.themes_at[place] = (*here, theme)
            key = (self.actor_of[doc_id], theme)
            if STATUS_RANK[status] > STATUS_RANK[self.status.get(key, NONE)]:
                self.status[key] = status
        self.facets_at: dict[tuple[str, int], list[tuple[str, str, str]]] = {}
        facets = data.facets
        for doc_id, index, facet, value, status in zip(
            facets["doc_id"].tolist(),
            facets["index"].tolist(),
            facets["facet"].tolist(),
            facets["value"].tolist(),
            facets["status"].tolist(),
            strict=True,
        ):
            if doc_id in self.actor_of and self.counted(doc_id, int(index)):
                place = self.passage.key(doc_id, int(index))
                self.facets_at.setdefault(place, []).append((facet, value, status))
        self._tagger: Tagger | None = None
        self._matches: dict[tuple[str, int], tuple[Found, ...]] = {}

    # --- passages -------------------------------------------------------------------

    def counted(self, doc_id: str, index: int) -> bool:
        """Is the passage counted (not repeated text under ``new_only``)?"""
        return not (self.new_only and self.labels.get((doc_id, index)) == REPEATED)

    def source(self, doc_id: str, index: int) -> Source:
        _, page, section, _, _ = self.passage[(doc_id, index)]
        return Source(
            actor=self.name.get(self.actor_of[doc_id], ""),
            file=self.file_of[doc_id],
            page=None if page is None or pd.isna(page) else int(page),
            section=section or "",
        )

    @property
    def tagger(self) -> Tagger:
        """A tagger of the themes, facet values and sub-themes, made on first use."""
        if self._tagger is None:
            self._tagger = Tagger(self.taxonomy, subthemes=True)
        return self._tagger

    def matches(self, doc_id: str, index: int) -> tuple[Found, ...]:
        """The passage tagged again with the themes, facet values and sub-themes:
        where each match starts, of what and with what status (``analyse`` keeps
        only the tags). Kept once made, in that form only: the matches themselves,
        with their words and sentences, would take more than the passages."""
        key = (doc_id, index)
        found = self._matches.get(key)
        if found is None:
            found = self._matches[key] = tuple(
                Found(match.theme, match.status, match.start)
                for match in self.tagger.tag(self.passage.text(key), self.year)
            )
        return found

    def sentences(self, doc_id: str, index: int) -> list[tuple[int, int]]:
        """Where each sentence of a passage starts and ends, as the tagger splits it."""
        text = self.passage.text((doc_id, index))
        return [
            (sentence.start, sentence.end)
            for sentence in sentences_of(*self.tagger.tokenize([text])[0], text)
        ]

    def subthemes_at(self, doc_id: str, index: int, theme: str) -> set[str]:
        """The theme's sub-themes found (not negated) in a passage."""
        entries = self.taxonomy.entries
        return {
            match.theme
            for match in self.matches(doc_id, index)
            if match.status != NEGATED
            and (entry := entries.get(match.theme)) is not None
            and entry.kind == SUBTHEME
            and entry.group == theme
        }

    # --- counts ---------------------------------------------------------------------

    def _counted(self, found: dict[str, dict[str, tuple[str, int]]]) -> list[FacetCount]:
        """value -> actor_key -> its first passage, as counts in taxonomy order, the
        largest first; each count's sources in actor order."""
        order = {entry_id: n for n, entry_id in enumerate(self.taxonomy.entries)}
        counts = []
        for value, actors in found.items():
            sources = sorted(
                (self.source(*where) for where in actors.values()),
                key=lambda source: (source.actor, source.file),
            )
            counts.append(
                FacetCount(value, self.taxonomy.entries[value].label, len(actors), tuple(sources))
            )
        counts.sort(key=lambda count: (-count.actors, order.get(count.id, 0)))
        return counts

    def activities(self, theme: str) -> list[FacetCount]:
        """The theme's kinds of work (sub-themes), counted by actor over the passages
        where the theme is in place."""
        if not self.taxonomy.entries[theme].subthemes:
            return []
        found: dict[str, dict[str, tuple[str, int]]] = {}
        for doc_id, index, status in self.mentions.get(theme, ()):
            if status != ACTIVE:
                continue
            for sub in sorted(self.subthemes_at(doc_id, index, theme)):
                found.setdefault(sub, {}).setdefault(self.actor_of[doc_id], (doc_id, index))
        return self._counted(found)

    def facet_counts(self, theme: str | None, facet: str) -> list[FacetCount]:
        """A facet's values counted by actor: with a theme, over the passages with an
        active or planned mention of it; without, over every passage."""
        allowed = {
            EFFECTS: {ACTIVE},
            TARGET_GROUPS: {ACTIVE, PLANNED},
            OBSTACLES: {ACTIVE, PLANNED, NEGATED},
        }.get(facet, {ACTIVE, PLANNED})
        if theme is None:
            places: Iterable[tuple[str, int]] = self.facets_at
        else:
            places = [
                (doc_id, index)
                for doc_id, index, status in self.mentions.get(theme, ())
                if status in (ACTIVE, PLANNED)
            ]
        found: dict[str, dict[str, tuple[str, int]]] = {}
        for where in places:
            for group, value, status in self.facets_at.get(where, ()):
                if group == facet and status in allowed and value in self.taxonomy.entries:
                    found.setdefault(value, {}).setdefault(self.actor_of[where[0]], where)
        return self._counted(found)

    def actors_with(self, theme: str, status: str = ACTIVE) -> list[str]:
        """Actor keys with this status for the theme, in name order."""
        keys = [
            key for (key, name), found in self.status.items() if name == theme and found == status
        ]
        return sorted(keys, key=lambda key: (self.name.get(key, key), key))

    def leaders(self, theme: str, area_themes: tuple[str, ...]) -> Leaders | None:
        """Who has come furthest on the theme (see the module), or None when nobody
        has it in place and nobody plans it."""
        active = [key for key in self.actors_with(theme) if key in self.name]
        planners = [key for key in self.actors_with(theme, PLANNED) if key in self.name]
        if not active and not planners:
            return None
        related_of = {
            key: tuple(
                other
                for other in area_themes
                if other != theme and self.status.get((key, other)) == ACTIVE
            )
            for key in active
        }
        kinds_of = {key: self._kinds_of(key, theme) for key in active}
        breadth = {key: len(related_of[key]) + len(kinds_of[key]) for key in active}
        best = max(breadth.values(), default=0)
        chosen = [key for key in active if breadth[key] == best]
        if not best or 2 * len(chosen) > len(active):
            chosen = []  # nobody stands out when half or more are as far
        labels = self.taxonomy.entries
        related = [t for t in area_themes if chosen and all(t in related_of[k] for k in chosen)]
        kinds = [
            s for s in labels[theme].subthemes if chosen and all(s in kinds_of[k] for k in chosen)
        ]
        return Leaders(
            actors=tuple(self.name[key] for key in chosen),
            sources=tuple(self._first_source(key, theme, ACTIVE) for key in chosen),
            planner_sources=tuple(self._first_source(key, theme, PLANNED) for key in planners),
            related=tuple(labels[t].label for t in related),
            kinds=tuple(labels[s].label for s in kinds),
            planners=tuple(self.name[key] for key in planners)
            if len(planners) <= MAX_NAMED
            else (),
            planners_count=len(planners),
            active=len(active),
        )

    def _first_source(self, key: str, theme: str, status: str) -> Source:
        """The first passage where the actor mentions the theme with the status."""
        return next(
            self.source(doc_id, index)
            for doc_id, index, found in self.mentions.get(theme, ())
            if found == status and self.actor_of[doc_id] == key
        )

    def _kinds_of(self, key: str, theme: str) -> set[str]:
        kinds: set[str] = set()
        if not self.taxonomy.entries[theme].subthemes:
            return kinds
        for doc_id, index, status in self.mentions.get(theme, ()):
            if status == ACTIVE and self.actor_of[doc_id] == key:
                kinds |= self.subthemes_at(doc_id, index, theme)
        return kinds

    def variation(
        self, theme: str, actor_type: str, comparison: Comparison, previous_year: int | None
    ) -> Variation | None:
        """Where one type of actor reports the theme (see the module)."""
        keys = sorted(
            (key for key, found in self.type.items() if found == actor_type),
            key=lambda key: (self.name[key], key),
        )
        if not keys:
            return None
        active = [key for key in keys if self.status.get((key, theme)) == ACTIVE]
        inactive = [key for key in keys if key not in set(active)]
        most: list[tuple[str, int, int]] = []
        least: list[tuple[str, int, int]] = []
        if actor_type == "kommun":
            by_lan: dict[str, list[str]] = {}
            for key in keys:
                if self.lan.get(key):
                    by_lan.setdefault(self.lan[key], []).append(key)
            shares = sorted(
                (
                    (lan, sum(key in set(active) for key in members), len(members))
                    for lan, members in by_lan.items()
                    if len(members) >= MIN_PER_LAN
                ),
                key=lambda item: (-item[1] / item[2], item[0]),
            )
            if len(shares) >= 2 and shares[0][1] / shares[0][2] > shares[-1][1] / shares[-1][2]:
                top, bottom = shares[0][1] / shares[0][2], shares[-1][1] / shares[-1][2]
                most = [item for item in shares if item[1] / item[2] == top]
                least = [item for item in shares if item[1] / item[2] == bottom]
        started: list[str] = []
        stopped: list[str] = []
        if previous_year is not None:
            moves = comparison.transitions
            moves = moves[
                (moves["to_year"] == self.year)
                & (moves["from_year"] == previous_year)
                & (moves["theme"] == theme)
                & (moves["actor_type"] == actor_type)
            ]
            for actor, change, before, after in zip(
                moves["actor"],
                moves["change"],
                moves["from_status"],
                moves["to_status"],
                strict=True,
            ):
                if change in ("new", "planned_to_active"):
                    started.append(actor)
                elif (
                    before == ACTIVE
                    and after != ACTIVE
                    and change
                    in (
                        "active_to_planned",
                        "dropped",
                    )
                ):
                    stopped.append(actor)
        most_detail: list[str] = []
        if len(active) >= 5:
            rates = comparison.intensity
            rates = rates[
                (rates["year"] == self.year)
                & (rates["theme"] == theme)
                & (rates["actor_type"] == actor_type)
            ]
            names = {self.name[key] for key in active}
            ranked = sorted(
                (
                    (-float(rate), actor)
                    for actor, rate in zip(
                        rates["actor"], rates["passages_per_10k_words"], strict=True
                    )
                    if actor in names
                ),
            )
            if len(ranked) > 2 and ranked[1][0] < ranked[2][0]:  # two stand out
                most_detail = [actor for _, actor in ranked[:2]]
        return Variation(
            actor_type=actor_type,
            most_detail=tuple(most_detail),
            noun=actor_noun(actor_type),
            actors=len(keys),
            active=tuple(self.name[key] for key in active),
            inactive=tuple(self.name[key] for key in inactive),
            most=tuple(most),
            least=tuple(least),
            started=tuple(sorted(started)),
            stopped=tuple(sorted(stopped)),
            previous_year=previous_year,
        )

    def story_noun(self) -> Noun:
        """The noun for counts over every actor: "regioner" when all are regions."""
        types = set(self.type.values())
        return actor_noun(types.pop() if len(types) == 1 else "")


class Found(NamedTuple):
    """Where a match of a passage tagged again starts, of what and with what status."""

    theme: str
    status: str
    start: int


class _Passages:
    """The passages of the readable documents by (doc_id, index): text, page,
    section, kind and words, as ``passage[(doc_id, index)]``. The texts stay in the
    year's passage table (Arrow strings when read from Parquet) and are taken out
    one at a time as a quote or a tag needs them; the rest is kept in lists, a
    section or kind that recurs as one string."""

    def __init__(self, passages: pd.DataFrame, documents: set[str]) -> None:
        self._row: dict[tuple[str, int], int] = {}
        self._keys: list[tuple[str, int]] = []
        self._pages: list[int | None] = []
        self._sections: list[str] = []
        self._kinds: list[str] = []
        self._words: list[int] = []
        self._at: list[int] = []  # row in the passage table
        same: dict[str, str] = {}
        for number, (doc_id, index, page, section, kind, words) in enumerate(
            zip(
                passages["doc_id"].tolist(),
                passages["index"].tolist(),
                passages["page"].tolist(),
                passages["section"].tolist(),
                passages["kind"].tolist(),
                passages["words"].tolist(),
                strict=True,
            )
        ):
            if doc_id not in documents:
                continue
            key = (same.setdefault(doc_id, doc_id), int(index))
            self._row[key] = len(self._keys)
            self._keys.append(key)
            self._pages.append(page)
            self._sections.append(same.setdefault(section, section))
            self._kinds.append(same.setdefault(kind, kind))
            self._words.append(int(words))
            self._at.append(number)
        self._texts = _strings(passages["text"])

    def __contains__(self, key: object) -> bool:
        return key in self._row

    def key(self, doc_id: str, index: int) -> tuple[str, int]:
        """The one (doc_id, index) tuple kept for the passage."""
        row = self._row.get((doc_id, index))
        return (doc_id, index) if row is None else self._keys[row]

    def text(self, key: tuple[str, int]) -> str:
        found = self._texts[self._at[self._row[key]]]
        return found if isinstance(found, str) else found.as_py()

    def __getitem__(self, key: tuple[str, int]) -> tuple[str, int | None, str, str, int]:
        row = self._row[key]
        return (
            self.text(key),
            self._pages[row],
            self._sections[row],
            self._kinds[row],
            self._words[row],
        )


def _strings(column: pd.Series) -> Sequence:
    """A column of texts to index one at a time: its Arrow array when it has one
    (no copy), else its strings."""
    arrow = getattr(column.array, "__arrow_array__", None)
    return arrow() if arrow is not None else column.tolist()


def basis_rows(
    label: str,
    activities: list[FacetCount],
    target_groups: list[FacetCount],
    effects: list[FacetCount],
    obstacles: list[FacetCount],
    leaders: Leaders | None = None,
) -> tuple[BasisRow, ...]:
    """The appendix lines behind a theme's counts, one per counted item."""
    rows = []
    if leaders is not None and leaders.actors:
        rows.append(BasisRow(label, "Längst har kommit", "", leaders.sources))
    if leaders is not None and leaders.planner_sources:
        rows.append(BasisRow(label, "Bara planerat", "", leaders.planner_sources))
    for part, counts in (
        ("Inslag", activities),
        ("Målgrupp", target_groups),
        ("Effekt", effects),
        ("Hinder", obstacles),
    ):
        for count in counts:
            rows.append(BasisRow(label, part, count.label, count.sources))
    return tuple(rows)


def top(counts: list[FacetCount], limit: int = MAX_ITEMS) -> tuple[FacetCount, ...]:
    """The most common items, at most ``limit``, none counted for no actor."""
    return tuple(count for count in counts[:limit] if count.actors)


def status_counts(view: YearView, theme: str, actor_type: str) -> Counter:
    """How many actors of the type have each status for the theme (for tests: the
    same as the coverage's)."""
    return Counter(
        view.status.get((key, theme), NONE)
        for key, found in view.type.items()
        if found == actor_type
    )
