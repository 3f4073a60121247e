"""The story's quotes: whole sentences from one paragraph, verbatim, spread over actors.

A quote is chosen from the *fitting* passages of what it exemplifies: paragraphs (not
headings, list items or table rows, so a quote never cuts a list or joins two
paragraphs) in which the theme is in place — or, for an obstacle, in which the
obstacle is named beside an active or planned mention of the theme — with at least
:data:`MIN_WORDS` words in the excerpt, and, with ``new_only``, not repeated from
last year's report.

The excerpt is the whole paragraph when it has at most ``QUOTE_WORDS[1]`` words;
else a run of whole sentences from the first one that carries the theme (or the
obstacle), as long as the run stays within that length (one sentence at least).

Among the fitting passages the order is fixed, so the same inputs give the same
quotes:

1. actors not yet quoted in the chapter before those that are — so no actor is quoted
   twice in a chapter while another with a fitting passage is not;
2. text that is new or revised this year before text repeated from last year;
3. work before summaries (:func:`summary`: summary words, a list of areas, a
   passage that names three themes or more);
4. actors quoted fewer times in the story so far;
5. text about the theme before text naming it in passing (:func:`relevance`: named
   in the first sentence, named more than once);
6. concrete work before the rest (:func:`concreteness`: figures and dates count for);
7. excerpts of ``QUOTE_WORDS`` words before longer or shorter ones;
8. actor, file and position.

A passage that is a near-duplicate of a quote already chosen anywhere in the story
(:func:`near_duplicate`) is passed over, as is a passage already quoted.
"""

from __future__ import annotations

import re
from collections import Counter

from nvreport.story.model import Quote
from nvreport.story.synthesis import EFFECTS, OBSTACLES, YearView
from nvreport.tagging.novelty import NEW, REPEATED
from nvreport.tagging.tagger import ACTIVE, NEGATED, PLANNED

#: The preferred length of a quote, in words (inclusive); longer paragraphs are cut
#: at a sentence end.
QUOTE_WORDS = (15, 90)
#: An excerpt of fewer words is no example.
MIN_WORDS = 8
#: Two texts are near-duplicates when this share of the shorter one's words (of three
#: letters or more) are also in the other.
NEAR_DUPLICATE = 0.6

_WORD = re.compile(r"\w{3,}")
_FIGURE = re.compile(r"\d")
_TIME = re.compile(
    r"\b(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|"
    r"december|våren|hösten|sommaren|vintern)\b",
    re.IGNORECASE,
)
_SUMMARY = re.compile(
    r"\b(sammanfattningsvis|sammantaget|övergripande|generellt|i stort sett|"
    r"på en övergripande nivå|fortsatt arbete|medlen|medel från överenskommelsen|"
    r"inom områdena|inom följande områden|aktiviteter inom)\b",
    re.IGNORECASE,
)
#: First words that point back to a sentence the excerpt leaves out.
_BACK_REFERENCES = frozenset(
    {"detta", "dessa", "där", "därför", "dessutom", "även", "också", "därutöver", "vidare"}
)


def words_of(text: str) -> frozenset[str]:
    return frozenset(word.casefold() for word in _WORD.findall(text))


def near_duplicate(first: frozenset[str], second: frozenset[str]) -> bool:
    """Do the two texts share most of their words (:data:`NEAR_DUPLICATE`)?"""
    if not first or not second:
        return first == second
    return len(first & second) / min(len(first), len(second)) >= NEAR_DUPLICATE


def summary(text: str, themes: int) -> bool:
    """Does the text sum up rather than tell of work: summary words, a list of areas,
    or three themes or more named at once?"""
    return bool(_SUMMARY.search(text)) or themes >= 3


def concreteness(text: str, themes: int) -> int:
    """How much a text reads as concrete work rather than a summary: figures and
    dates count for it; summary words, and a passage that names three themes or
    more, count against it."""
    score = 0
    if _FIGURE.search(text):
        score += 2
    if _TIME.search(text):
        score += 1
    if _SUMMARY.search(text):
        score -= 2
    if themes >= 3:
        score -= 2
    first = text.split(maxsplit=1)[0].strip(",.:;").casefold() if text.strip() else ""
    if first in _BACK_REFERENCES:
        score -= 1
    return score


def relevance(view: YearView, doc_id: str, index: int, entry: str, start: int, text: str) -> int:
    """How much an excerpt is about ``entry``: named in its first sentence (the
    excerpt is about it, not naming it in passing), and named more than once."""
    sentences = [(a, b) for a, b in view.sentences(doc_id, index) if a >= start]
    first_end = sentences[0][1] if sentences else start + len(text)
    found = [
        match.start
        for match in view.matches(doc_id, index)
        if match.theme == entry and start <= match.start < start + len(text)
    ]
    return (2 if any(position < first_end for position in found) else 0) + (
        1 if len(found) >= 2 else 0
    )


class QuotePicker:
    """Chooses the quotes of a whole story, chapter by chapter (see the module)."""

    def __init__(self, view: YearView) -> None:
        self.view = view
        self.in_story: Counter[str] = Counter()
        self.in_chapter: Counter[str] = Counter()
        self.chosen: list[frozenset[str]] = []
        self.places: set[tuple[str, int]] = set()

    def new_chapter(self) -> None:
        self.in_chapter.clear()

    def excerpt(
        self, doc_id: str, index: int, entry: str, statuses: frozenset[str]
    ) -> tuple[int, str] | None:
        """The whole sentences to quote from a paragraph that carries ``entry`` with
        one of ``statuses``, as (start, text); None when it is no fitting passage."""
        text, _, _, kind, words = self.view.passage[(doc_id, index)]
        if kind != "paragraph":
            return None
        carrying = [
            match.start
            for match in self.view.matches(doc_id, index)
            if match.theme == entry and match.status in statuses
        ]
        if not carrying:
            return None
        high = QUOTE_WORDS[1]
        if words <= high:
            start = len(text) - len(text.lstrip())
            found = text.strip()
        else:
            sentences = self.view.sentences(doc_id, index)
            first = next(
                (n for n, (_, end) in enumerate(sentences) if min(carrying) < end),
                len(sentences) - 1,
            )
            start, end = sentences[first]
            for _, following_end in sentences[first + 1 :]:
                if len(text[start:following_end].split()) > high:
                    break
                end = following_end
            found = text[start:end]
        if len(found.split()) < MIN_WORDS:
            return None
        return start, found

    def pick(
        self,
        places: list[tuple[str, int]],
        entry: str,
        statuses: frozenset[str],
        limit: int,
        kind: str = "work",
    ) -> tuple[Quote, ...]:
        """Up to ``limit`` quotes from different actors among ``places`` (passages),
        each carrying ``entry`` (a theme, or an obstacle) with one of ``statuses``."""
        view = self.view
        candidates = []
        for doc_id, index in dict.fromkeys(places):
            if (doc_id, index) in self.places:
                continue
            found = self.excerpt(doc_id, index, entry, statuses)
            if found is None:
                continue
            start, text = found
            novelty = view.labels.get((doc_id, index), NEW)
            themes = len(view.themes_at.get((doc_id, index), ()))
            words = len(text.split())
            candidates.append(
                (
                    view.actor_of[doc_id],
                    (
                        1 if novelty == REPEATED else 0,
                        1 if summary(text, themes) else 0,
                        -relevance(view, doc_id, index, entry, start, text),
                        -concreteness(text, themes),
                        0 if QUOTE_WORDS[0] <= words <= QUOTE_WORDS[1] else 1,
                        view.name.get(view.actor_of[doc_id], ""),
                        view.file_of[doc_id],
                        index,
                    ),
                    doc_id,
                    index,
                    start,
                    text,
                    novelty,
                )
            )
        chosen: list[Quote] = []
        quoted: set[str] = set()
        while len(chosen) < limit:
            ranked = sorted(
                (
                    (self.in_chapter[actor], order[:2], self.in_story[actor], order, number)
                    for number, (actor, order, *_) in enumerate(candidates)
                    if actor not in quoted
                ),
            )
            for *_, number in ranked:
                actor, _, doc_id, index, start, text, novelty = candidates[number]
                words = words_of(text)
                if any(near_duplicate(words, other) for other in self.chosen):
                    continue
                break
            else:
                break
            quoted.add(actor)
            self.in_chapter[actor] += 1
            self.in_story[actor] += 1
            self.chosen.append(words)
            self.places.add((doc_id, index))
            source = view.source(doc_id, index)
            chosen.append(
                Quote(
                    actor=source.actor,
                    actor_type=view.type.get(actor, ""),
                    file=source.file,
                    page=source.page,
                    section=source.section,
                    text=" ".join(text.split()),
                    novelty=novelty,
                    doc_id=doc_id,
                    index=index,
                    start=start,
                    kind=kind,
                    actor_key=actor,
                )
            )
        return tuple(chosen)

    def examples(self, theme: str, limit: int) -> tuple[Quote, ...]:
        """Quotes of work on the theme that is in place."""
        places = [
            (doc_id, index)
            for doc_id, index, status in self.view.mentions.get(theme, ())
            if status == ACTIVE
        ]
        return self.pick(places, theme, frozenset({ACTIVE}), limit)

    def facet_examples(
        self, theme: str, facet: str, values: tuple[str, ...], limit: int
    ) -> tuple[Quote, ...]:
        """Quotes naming a facet value — an obstacle (any status), or an effect (as
        achieved) — beside an active or planned mention of the theme, the most common
        value first."""
        view = self.view
        statuses = (
            frozenset({ACTIVE}) if facet == EFFECTS else frozenset({ACTIVE, PLANNED, NEGATED})
        )
        chosen: list[Quote] = []
        for value in values:
            if len(chosen) == limit:
                break
            places = [
                (doc_id, index)
                for doc_id, index, status in view.mentions.get(theme, ())
                if status in (ACTIVE, PLANNED)
                and any(
                    group == facet and found == value and found_status in statuses
                    for group, found, found_status in view.facets_at.get((doc_id, index), ())
                )
            ]
            chosen.extend(self.pick(places, value, statuses, 1, kind=value))
        return tuple(chosen)

    def obstacle_examples(
        self, theme: str, obstacles: tuple[str, ...], limit: int
    ) -> tuple[Quote, ...]:
        """Quotes naming an obstacle (the most common first) beside the theme."""
        return self.facet_examples(theme, OBSTACLES, obstacles, limit)

    def effect_examples(
        self, theme: str, effects: tuple[str, ...], limit: int, shown: tuple[Quote, ...]
    ) -> tuple[Quote, ...]:
        """Quotes of a reported effect (the most common first) beside the theme, unless
        a quote in ``shown`` already reports one."""
        for quote in shown:
            if any(
                group == EFFECTS and status == ACTIVE
                for group, _, status in self.view.facets_at.get((quote.doc_id, quote.index), ())
            ):
                return ()
        return self.facet_examples(theme, EFFECTS, effects, limit)
