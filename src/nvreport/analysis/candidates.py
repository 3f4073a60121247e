"""Words the reports use for a theme that the taxonomy does not cover, and how key they are.

What ``nvreport taxonomy suggest`` ranks and ``compare``'s term drift follows. A
:class:`TermStudy` goes once through a corpus of passages, tagged with a taxonomy:

* **Candidates** are taken from every body passage (headings name what a report must
  cover, and are not tagged): each content word, the heads of its compounds (a compound
  split where both parts are known words: "närsjukvårds|team" gives ``*team``), and two-
  and three-word phrases that begin and end with a content word ("mobila närvårdsteam",
  "vård på distans"). Words are reduced to the lemma the tagger matches them by
  (:func:`nvreport.tagging.terms.lemma`), with the tagger's own tokenisation and
  sentences, so a candidate written as a term matches what it was found in; words
  one of which, as a term, matches every form of the others are one candidate
  (:func:`~nvreport.analysis.candidate_words.one_key_per_term`).
* **Covered** occurrences do not count: an occurrence that overlaps the words a theme
  of the taxonomy matched is already found by it. A candidate most of whose
  occurrences are covered is no candidate at all.
* **Near a theme** is a passage tagged with it (weight 1), a passage whose section
  heading names it (1), a passage within :data:`NEIGHBOURS` passages of one tagged
  with it in the same section (½), any other passage of that section (¼), or a
  passage whose words read like those of the theme's tagged passages (at the
  probability that such a passage is tagged with it: :mod:`~nvreport.analysis.affinity`).
* A phrase also counts the phrases that differ from it by a longer last word that
  begins with its own (:func:`~nvreport.analysis.candidate_words.join_families`).
* **Kinship** of a candidate with a theme is how much it is made of the words of the
  theme's terms, or of a name its label gives (:func:`label_names`), by
  :mod:`~nvreport.analysis.kinship`: a passage that lost its tag
  because the taxonomy lacks its word is near nothing, but its word is often a new
  combination of the theme's words.
* **Score** of a candidate for a theme (:meth:`TermStudy.keyness`) is the lift of its
  share of uses near the theme over the theme's share of all words, its kinship
  counting as :data:`KIN_PRIOR` uses before any is seen (:meth:`TermStudy.lift`),
  times log2 of 1 + its uses near the theme; weighed by how much more often the
  corpus uses it than general Swedish does (word frequencies of the ``wordfreq``
  package, which ships its data: nothing is downloaded), so that ordinary words do
  not rise, and by how many actors use it. Dunning's log-likelihood (G²) of its
  occurrences near the theme against the rest of the corpus is given beside it.

Everything is deterministic: the same passages and taxonomy give the same ranking.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from nvreport.analysis.affinity import passage_affinities
from nvreport.analysis.candidate_words import (
    Candidate,
    Keyness,
    KnownWords,
    _is_acronym,
    _split_compound,
    general_frequency,
    is_adjective,
    is_verb,
    join_families,
    log_likelihood,
    one_key_per_term,
    rekey,
    rekeyed,
    stop_words,
    text_units,
    without_nested,
    word_key,
)
from nvreport.analysis.document import tag_passages
from nvreport.analysis.gaps import section_title
from nvreport.analysis.kinship import Kinship
from nvreport.models import BlockKind, Passage
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import THEME, Theme

#: Passage columns a study needs (those of ``passages.csv``; ``context`` may be empty).
STUDY_COLUMNS = ("doc_id", "index", "file", "actor", "year", "page", "section", "kind", "text",
                 "context")  # fmt: skip

#: Passages before and after one tagged with a theme, in the same section, that are
#: near the theme too (at half weight).
NEIGHBOURS = 2
NEIGHBOUR_WEIGHT = 0.5
#: Any other passage of a section with a passage tagged with a theme is near the
#: theme at this weight.
SECTION_WEIGHT = 0.25
#: A passage reads like a theme's tagged passages (see :meth:`TermStudy._affinities`)
#: at this weight times the probability that it is tagged with the theme, and not
#: when that is below the floor.
AFFINITY_WEIGHT = 1.0
AFFINITY_FLOOR = 0.1
#: Kinship with a theme's terms (see :mod:`~nvreport.analysis.kinship`) counts as
#: this many uses of a candidate, that share of them near the theme, before any of
#: its uses is seen; and this many more uses at the theme's own share smooth the
#: share of its uses near the theme (see :meth:`TermStudy.lift`).
KIN_PRIOR = 4.0
SHARE_PRIOR = 2.0
#: A candidate whose occurrences are at least this share covered by the taxonomy's
#: matches is already covered.
COVERED_SHARE = 0.5
#: Relative frequency in general Swedish below which a word is as good as unknown
#: there (wordfreq's Swedish list reaches about 1e-8).
GENERAL_FLOOR = 1e-8
#: How many times more often the corpus uses a candidate than general Swedish does,
#: as a power of two, for it to count in full (2**12: 4,096 times; a word general
#: Swedish does not know, as a new compound is, counts in full), and for it not to
#: count at all (2**3: eight times; report language uses "arbete", "insats" and
#: "verksamhet" that much more often than general Swedish does).
GENERAL_FULL = 12.0
GENERAL_NONE = 3.0


@dataclass
class _Document:
    doc_id: str
    file: str
    actor: str
    year: int | None
    rows: list[int]  # passage numbers of the study, in order


@dataclass(frozen=True)
class ThemeProfile:
    """What the taxonomy itself says a theme is about, in candidates' keys: the
    specific words of its label, and the words and phrases of its label, description
    and ``match`` examples (``words``), less those only in what it leaves out (the
    description's "… räknas inte hit" and the ``no_match`` examples: ``against``)."""

    label: frozenset[str]
    label_words: frozenset[str]  # every word of the label
    words: frozenset[str]
    specific: frozenset[str]  # the single words of ``words`` rare in general Swedish
    against: frozenset[str]


#: A word less frequent than this in general Swedish (a Zipf value of 4.5: about
#: once in 30,000 words) is specific enough to tell a theme by.
SPECIFIC_FREQUENCY = 10 ** (4.5 - 9)
#: A word of a theme's label less frequent than this in general Swedish (a Zipf value
#: of 4.7: "kompetens", "team", not "vård" or "arbete") names the theme in a heading.
LABEL_FREQUENCY = 10 ** (4.7 - 9)
#: A section title is a theme's in every report when this many reports write about
#: the theme under it, and this share of the reports that have it (see
#: :meth:`TermStudy._shared_sections`).
TITLE_REPORTS = 2
TITLE_SHARE = 1 / 3
#: How much a verb or an adjective counts, or a phrase that ends in one (see
#: :func:`~nvreport.analysis.candidate_words.is_verb` and ``is_adjective``).
VERB_WEIGHT = 0.25
#: How much more a candidate the taxonomy's description or examples of the theme
#: name counts (its score is multiplied by 1 + this).
PROFILE_BOOST = 1.0


def label_names(label: str) -> list[str]:
    """The names of the work a theme's label gives, as terms for kinship: each part of
    a label joined by "och" ("Uppföljning och utvärdering": uppföljning, utvärdering),
    a part in brackets left out; a part of one word only when it is rare enough in
    general Swedish to tell a theme by (:data:`SPECIFIC_FREQUENCY`: not
    "verksamheter")."""
    plain = re.sub(r"\([^)]*\)", " ", label)
    found = []
    for part in re.split(r"\s+och\s+", plain.strip()):
        words = part.split()
        if len(words) == 1 and (
            general_frequency(word_key(words[0].casefold())) >= SPECIFIC_FREQUENCY
        ):
            continue
        if words:
            found.append(" ".join(words))
    return found


def _leaves_out(sentence: str) -> bool:
    """A description's sentence that says what the theme is not ("… räknas inte hit")."""
    lower = sentence.casefold()
    return " inte " in f" {lower} " or " ej " in f" {lower} "


def theme_profile(theme: Theme, tagger: Tagger) -> ThemeProfile:
    texts_for = [theme.label, *theme.examples_match]
    texts_against = list(theme.examples_no_match)
    sentences = [part.strip() for part in theme.description.replace(":", ".").split(". ")]
    for sentence in sentences:
        (texts_against if _leaves_out(sentence) else texts_for).append(sentence)
    keys_for: set[str] = set()
    keys_against: set[str] = set()
    specific: set[str] = set()
    texts = texts_for + texts_against
    for number, (text, (starts, lengths)) in enumerate(
        zip(texts, tagger.tokenize(texts), strict=True)
    ):
        for key, kind, _, _, form in text_units(text, starts, lengths):
            if number < len(texts_for):
                keys_for.add(key)
                if kind == "word" and general_frequency(form) < SPECIFIC_FREQUENCY:
                    specific.add(key)
            else:
                keys_against.add(key)
    label: set[str] = set()
    label_words: set[str] = set()
    ((starts, lengths),) = tagger.tokenize([theme.label])
    for key, kind, _, _, form in text_units(theme.label, starts, lengths):
        if kind == "word":
            label_words.add(key)
            if general_frequency(form) < LABEL_FREQUENCY:
                label.add(key)
    return ThemeProfile(
        frozenset(label),
        frozenset(label_words),
        frozenset(keys_for),
        frozenset(specific),
        frozenset(keys_against - keys_for),
    )


#: The kinds of candidate occurrence (see :func:`text_units`), and a compound's head.
_KINDS = ("word", "phrase", "compound_head")
_KIND_CODES = {kind: code for code, kind in enumerate(_KINDS)}


_Value = TypeVar("_Value")


def _one_each(values: Iterable[_Value]) -> list[_Value]:
    """The values, in order, equal ones as one object."""
    seen: dict[_Value, _Value] = {}
    return [seen.setdefault(value, value) for value in values]


class _Occurrences:
    """A passage's candidate occurrences, as numbers in arrays: iterating gives
    (key, kind, start, end, form), as :func:`text_units` does. The form is the
    passage's text there, in lower case (as :func:`text_units` writes it, for a
    compound's head too): read again, not kept."""

    __slots__ = ("_ends", "_keys", "_kinds", "_starts", "_strings", "_text")

    def __init__(
        self,
        strings: list[str],
        text: str,
        keys: array,
        kinds: bytearray,
        starts: array,
        ends: array,
    ) -> None:
        self._strings = strings  # shared by every passage of the study
        self._text = text
        self._keys, self._kinds = keys, kinds
        self._starts, self._ends = starts, ends

    def __iter__(self) -> Iterator[tuple[str, str, int, int, str]]:
        strings, text = self._strings, self._text
        for key, kind, start, end in zip(
            self._keys, self._kinds, self._starts, self._ends, strict=True
        ):
            yield strings[key], _KINDS[kind], start, end, text[start:end].casefold()


class TermStudy:
    """A corpus of passages, tagged, with every candidate counted (see the module)."""

    def __init__(self, passages: pd.DataFrame, tagger: Tagger) -> None:
        self.tagger = tagger
        self.taxonomy = tagger.taxonomy
        self.theme_ids = [theme.id for theme in self.taxonomy.themes]
        #: theme -> its number: where a candidate's ``near`` holds it
        self.theme_numbers = {theme: number for number, theme in enumerate(self.theme_ids)}
        self.profiles = {theme.id: theme_profile(theme, tagger) for theme in self.taxonomy.themes}
        frame = passages.reset_index(drop=True)
        # a report's id, file, actor, year, sections and the passages' kinds repeat
        # from passage to passage: one object each (on hundreds of reports, a new
        # string or number per passage took tens of megabytes)
        self.doc_ids = _one_each(str(value) for value in frame["doc_id"].tolist())
        self.files = _one_each(str(value) for value in frame["file"].tolist())
        self.actors = _one_each(
            "" if pd.isna(value) else str(value) for value in frame["actor"].tolist()
        )
        self.years = _one_each(
            None if pd.isna(value) else int(value) for value in frame["year"].tolist()
        )
        self.pages = _one_each(
            None if pd.isna(value) else int(value) for value in frame["page"].tolist()
        )
        self.sections = _one_each(
            "" if pd.isna(value) else str(value) for value in frame["section"]
        )
        self.kinds = _one_each(str(value) for value in frame["kind"].tolist())
        self.texts = [str(value) for value in frame["text"].tolist()]
        self.contexts = _one_each(
            "" if pd.isna(value) else str(value) for value in frame["context"]
        )
        self.indexes = [int(value) for value in frame["index"].tolist()]
        size = len(self.texts)
        #: per passage: the theme matches' spans, and the themes it carries (made by
        #: :meth:`_tag`; a passage without a match has an empty tuple, and passages
        #: tagged with the same themes share one set)
        self.spans: list[Sequence[tuple[str, int, int]]] = [() for _ in range(size)]
        self.themes: list[frozenset[str]] = []
        #: per passage: the taxonomy's term of each theme match, as in ``spans`` (the
        #: words it matched are the passage's text there: see :meth:`evidence`)
        self.terms: list[Sequence[str]] = [() for _ in range(size)]
        self.heads: dict[str, str] = {}  # compound -> its head, for compound heads
        self.splits: dict[str, str] = {}  # compound -> its head, for every compound
        #: per passage: theme -> weight of "near the theme"
        self.near: list[dict[str, float]] = [{} for _ in range(size)]
        self.words: list[int] = [0] * size  # content words per passage
        self.candidates: dict[str, Candidate] = {}
        self._tag()
        units = self._units()
        using: Counter = Counter()  # word -> the passages using it
        for found in units.values():
            using.update({key for key, kind, *_ in found if kind == "word"})
        self.kinship = Kinship(
            {theme.id: (*theme.terms, *label_names(theme.label)) for theme in self.taxonomy.themes},
            self.known,
            self.known.corpus,
            using,
            len(units),
        )
        self._kin: dict[tuple[str, str], tuple[float, str]] = {}
        self._neighbourhoods(units)
        self._affinities(units)
        self._count(units)
        join_families(self.candidates)
        #: the candidate :meth:`near_counts` was last asked for, and its counts
        self._near_counted: tuple[Candidate | None, dict[str, int], dict[str, int], int] = (
            None,
            {},
            {},
            0,
        )

    # --- tagging -----------------------------------------------------------------------

    def _documents(self) -> list[_Document]:
        documents: dict[str, _Document] = {}
        for number, doc_id in enumerate(self.doc_ids):
            found = documents.get(doc_id)
            if found is None:
                found = documents[doc_id] = _Document(
                    doc_id, self.files[number], self.actors[number], self.years[number], []
                )
            found.rows.append(number)
        for document in documents.values():
            document.rows.sort(key=lambda number: self.indexes[number])
        return list(documents.values())

    def _tag(self) -> None:
        """Tag the passages as ``analyse`` does (a document at a time, with its year;
        headings not at all), keeping each theme match's span."""
        is_theme = {key: entry.kind == THEME for key, entry in self.taxonomy.entries.items()}
        self.documents = self._documents()
        for document in self.documents:
            passages = [
                Passage(
                    doc_id=document.doc_id,
                    index=self.indexes[number],
                    kind=BlockKind(self.kinds[number]),
                    text=self.texts[number],
                    page=self.pages[number],
                    section=self.sections[number],
                    context=self.contexts[number],
                    word_count=0,
                )
                for number in document.rows
            ]
            for number, matches in zip(
                document.rows, tag_passages(passages, self.tagger, document.year), strict=True
            ):
                themed = [match for match in matches if is_theme.get(match.theme)]
                if themed:
                    self.spans[number] = [(match.theme, match.start, match.end) for match in themed]
                    self.terms[number] = [match.term for match in themed]
        themes: dict[frozenset[str], frozenset[str]] = {}
        for spans in self.spans:
            found = frozenset(theme for theme, _, _ in spans)
            self.themes.append(themes.setdefault(found, found))

    def evidence(self, number: int) -> list[tuple[str, str, str]]:
        """Passage ``number``'s theme matches: (theme, the taxonomy's term, the words
        it matched)."""
        text, terms = self.texts[number], self.terms[number]
        return [
            (theme, term, text[start:end])
            for (theme, start, end), term in zip(self.spans[number], terms, strict=True)
        ]

    def _heading_themes(self, section: str, cache: dict[str, frozenset[str]]) -> frozenset[str]:
        """The themes a section's headings name (any level of its path): by the
        theme's terms, or by a specific word of its label ("Mobila team")."""
        found = cache.get(section)
        if found is None:
            parts = [part for part in section.split(" > ") if part.strip()]
            themes: set[str] = set()
            for matches in self.tagger.tag_many(parts, [None] * len(parts)):
                themes.update(match.theme for match in matches)
            keys = {
                key
                for part, (starts, lengths) in zip(parts, self.tagger.tokenize(parts), strict=True)
                for key, kind, *_ in text_units(part, starts, lengths)
                if kind == "word"
            }
            for theme, profile in self.profiles.items():
                if any(_names(key, word) for key in keys for word in profile.label):
                    themes.add(theme)
            found = frozenset(theme for theme in themes if theme in self.profiles)
            cache[section] = found
        return found

    def body_rows(self) -> list[int]:
        heading = BlockKind.HEADING.value
        return [number for number in range(len(self.texts)) if self.kinds[number] != heading]

    def _units(self) -> dict[int, _Occurrences]:
        """Every body passage's candidate occurrences (compound heads included), kept
        compact: hundreds of reports have millions."""
        strings: list[str] = []  # every key once, by number
        numbers: dict[str, int] = {}

        def number_of(text: str) -> int:
            found = numbers.get(text)
            if found is None:
                found = numbers[text] = len(strings)
                strings.append(text)
            return found

        raw: dict[int, tuple[array, bytearray, array, array]] = {}
        forms: dict[str, Counter] = {}
        tokenize = self.tagger.tokenize
        for number in self.body_rows():  # a passage's tokens at a time: not all at once
            ((starts, lengths),) = tokenize([self.texts[number]])
            keys, kinds = array("i"), bytearray()
            begins, ends = array("i"), array("i")
            for key, kind, start, end, form in text_units(self.texts[number], starts, lengths):
                if kind == "word":
                    forms.setdefault(key, Counter())[form] += 1
                keys.append(number_of(key))
                kinds.append(_KIND_CODES[kind])
                begins.append(start)
                ends.append(end)
            raw[number] = (keys, kinds, begins, ends)
        self.keys = one_key_per_term(forms)
        known = {key for key in forms if key not in self.keys}
        heads = self.heads = self._compound_heads(known)
        head_numbers = {numbers[key]: number_of("*" + head) for key, head in heads.items()}
        word, compound_head = _KIND_CODES["word"], _KIND_CODES["compound_head"]
        counted_keys: dict[tuple[int, int], int] = {}  # (key, kind) -> the key counted
        found: dict[int, _Occurrences] = {}
        for number in list(raw):
            keys, kinds, begins, ends = raw.pop(number)
            for position, (key, kind) in enumerate(zip(keys, kinds, strict=True)):
                counted = counted_keys.get((key, kind))
                if counted is None:
                    counted = number_of(rekey(strings[key], _KINDS[kind], self.keys))
                    counted_keys[(key, kind)] = counted
                keys[position] = counted
            heads_at = [
                position
                for position, (key, kind) in enumerate(zip(keys, kinds, strict=True))
                if kind == word and key in head_numbers
            ]
            for position in heads_at:  # after the passage's own occurrences, in order
                keys.append(head_numbers[keys[position]])
                kinds.append(compound_head)
                begins.append(begins[position])
                ends.append(ends[position])
            found[number] = _Occurrences(strings, self.texts[number], keys, kinds, begins, ends)
        return found

    def _neighbourhoods(self, units: dict[int, _Occurrences]) -> None:
        headings: dict[str, frozenset[str]] = {}
        for document in self.documents:
            rows = [number for number in document.rows if number in units]
            for position, number in enumerate(rows):
                weights = self.near[number]
                for theme in self.themes[number]:
                    weights[theme] = 1.0
                for theme in self._heading_themes(self.sections[number], headings):
                    weights[theme] = 1.0
                low, high = max(0, position - NEIGHBOURS), position + NEIGHBOURS + 1
                for other in rows[low:high]:
                    if other == number or self.sections[other] != self.sections[number]:
                        continue
                    for theme in self.themes[other]:
                        weights.setdefault(theme, NEIGHBOUR_WEIGHT)
            sections: dict[str, set[str]] = {}  # section -> themes tagged in it
            for number in rows:
                if self.sections[number]:
                    sections.setdefault(self.sections[number], set()).update(self.themes[number])
            for number in rows:
                for theme in sections.get(self.sections[number], ()):
                    self.near[number].setdefault(theme, SECTION_WEIGHT)
        self._shared_sections(units)

    def _shared_sections(self, units: dict[int, _Occurrences]) -> None:
        """Reports follow templates: a section title ("Vård i hemmet") under which
        :data:`TITLE_REPORTS` reports or more, and at least :data:`TITLE_SHARE` of those
        with that section, write about a theme is near the theme in every report (at
        :data:`NEIGHBOUR_WEIGHT`), so that a report that names the work with other
        words is still read near it."""
        documents: dict[str, set[str]] = {}  # title -> doc ids with the section
        with_theme: dict[tuple[str, str], set[str]] = {}  # (title, theme) -> doc ids
        titles: dict[int, str] = {}
        for number in units:
            title = section_title(self.sections[number]).casefold()
            if not title:
                continue
            titles[number] = title
            documents.setdefault(title, set()).add(self.doc_ids[number])
            for theme in self.themes[number]:
                with_theme.setdefault((title, theme), set()).add(self.doc_ids[number])
        shared: dict[str, list[str]] = {}
        for (title, theme), found in with_theme.items():
            if len(found) >= TITLE_REPORTS and len(found) >= TITLE_SHARE * len(documents[title]):
                shared.setdefault(title, []).append(theme)
        for number, title in titles.items():
            for theme in shared.get(title, ()):
                self.near[number].setdefault(theme, NEIGHBOUR_WEIGHT)

    def _affinities(self, units: dict[int, _Occurrences]) -> None:
        """A passage that reads like the theme's tagged passages is near the theme at
        the probability that such a passage is tagged with it (see
        :mod:`~nvreport.analysis.affinity`), times :data:`AFFINITY_WEIGHT`, when that
        is at least :data:`AFFINITY_FLOOR` and more than its other weights."""
        numbers = list(units)
        found = passage_affinities(
            [units[number] for number in numbers],
            [self.spans[number] for number in numbers],
            [self.themes[number] for number in numbers],
            self.theme_ids,
        )
        for theme, affinity in found.items():
            for position in np.flatnonzero(affinity * AFFINITY_WEIGHT >= AFFINITY_FLOOR):
                number = numbers[position]
                weight = float(affinity[position]) * AFFINITY_WEIGHT
                if weight > self.near[number].get(theme, 0.0):
                    self.near[number][theme] = weight

    # --- counting ----------------------------------------------------------------------

    def _count(self, units_by_row: dict[int, _Occurrences]) -> None:
        """Count every passage's candidates, in order, each passage's occurrences let
        go of once counted (the last use of ``units_by_row``): the candidates grow as
        the occurrences go, rather than on top of them all."""
        self.size_all = 0.0
        self.size_near: dict[str, float] = dict.fromkeys(self.theme_ids, 0.0)
        self._nowhere = array("d", bytes(8 * len(self.theme_ids)))  # a new candidate's near
        for number in list(units_by_row):
            units = units_by_row.pop(number)
            words = sum(1 for unit in units if unit[1] == "word")
            self.words[number] = words
            self.size_all += words
            for theme, weight in self.near[number].items():
                self.size_near[theme] += weight * words
            self._add(number, units)

    def _compound_heads(self, words: set[str]) -> dict[str, str]:
        """Compound -> its head, for compounds whose parts are both known words (words
        of the corpus, or common in general Swedish); only heads of two or more
        different compounds, since a head of one is the word itself."""
        known = self.known = KnownWords({word for word in words if word.isalpha()})
        found: dict[str, str] = {}
        for word in words:
            head = _split_compound(word, known)
            if head is not None:
                found[word] = head
        self.splits = found
        families = Counter(found.values())
        return {word: head for word, head in found.items() if families[head] >= 2}

    def _add(self, number: int, units: _Occurrences) -> None:
        spans = self.spans[number]
        numbers = self.theme_numbers
        near = [(numbers[theme], weight) for theme, weight in self.near[number].items()]
        seen: set[str] = set()
        nowhere = self._nowhere
        for key, kind, start, end, form in units:
            candidate = self.candidates.get(key)
            if candidate is None:
                candidate = self.candidates[key] = Candidate(key, kind, near=array("d", nowhere))
            if spans and any(a < end and start < b for _, a, b in spans):
                candidate.covered += 1
                continue
            candidate.occurrences += 1
            candidate.forms[form] += 1
            if key not in seen:
                seen.add(key)
                candidate.passages.append(number)
            for theme, weight in near:
                candidate.near[theme] += weight

    def near_counts(self, candidate: Candidate) -> tuple[dict[str, int], dict[str, int], int]:
        """How many of the candidate's passages are near each theme, how many actors
        use it there, and how many actors use it at all: theme -> passages, theme ->
        actors (themes it is not near left out), actors. Worked out from its passages
        (where it has a use the taxonomy does not cover) when asked, for one
        candidate at a time (the last one asked is kept, as :meth:`keyness` asks
        theme by theme)."""
        last, passages, actors, every = self._near_counted
        if last is candidate:
            return passages, actors, every
        counted: Counter = Counter()
        using: dict[str, set[str]] = {}
        everyone: set[str] = set()
        for number in candidate.passages:
            actor = self.actors[number] or self.files[number]
            everyone.add(actor)
            for theme in self.near[number]:
                counted[theme] += 1
                using.setdefault(theme, set()).add(actor)
        passages, actors = dict(counted), {theme: len(found) for theme, found in using.items()}
        self._near_counted = (candidate, passages, actors, len(everyone))
        return passages, actors, len(everyone)

    def kin(self, candidate: Candidate, theme: str) -> tuple[float, str]:
        """How much the candidate is made of the words of the theme's terms, and the
        term it is closest to (see :mod:`~nvreport.analysis.kinship`)."""
        found = self._kin.get((candidate.key, theme))
        if found is None:
            if candidate.kind == "compound_head":
                words = [candidate.key[1:]]
            else:
                words = [word for word in candidate.key.split() if word not in stop_words()]
            found = self._kin[(candidate.key, theme)] = self.kinship.of(words, theme)
        return found

    # --- keyness -----------------------------------------------------------------------

    def general_ratio(self, candidate: Candidate) -> float:
        """log2 of the candidate's relative frequency in the corpus over that in general
        Swedish: for a phrase, that of its most specific word."""
        total = candidate.occurrences + candidate.covered
        if candidate.kind == "phrase":
            words = candidate.key.split()
            ratios = []
            for word in words:
                found = self.candidates.get(word)
                if found is not None:
                    ratios.append(self.general_ratio(found))
            return max(ratios) if ratios else 0.0
        general = sum(general_frequency(form) for form in candidate.forms)
        if _is_acronym(candidate.key):  # "FaR" is not the word "far" general Swedish knows
            general = 0.0
        elif candidate.kind == "compound_head":
            general = general_frequency(candidate.key[1:])
        corpus = total / self.size_all if self.size_all else 0.0
        if corpus <= 0:
            return 0.0
        return math.log2(corpus / max(general, GENERAL_FLOOR))

    def lift(
        self, candidate: Candidate, theme: str, near: float, kin: float
    ) -> tuple[float, float]:
        """log2 of how much more often the candidate is used near the theme than words
        are in general, and how many of its uses are expected near the theme: its
        kinship with the theme's terms counts as :data:`KIN_PRIOR` uses, that share of
        them near the theme, before any is seen, and :data:`SHARE_PRIOR` more uses at the
        theme's own share (additive smoothing), so that two uses are weak evidence and
        forty strong."""
        base = self.size_near.get(theme, 0.0) / self.size_all if self.size_all else 0.0
        if base <= 0:
            return 0.0, 0.0
        expected = near + KIN_PRIOR * kin
        share = (expected + SHARE_PRIOR * base) / (candidate.occurrences + KIN_PRIOR + SHARE_PRIOR)
        return (math.log2(share / base) if share > base else 0.0), expected

    def keyness(self, candidate: Candidate, theme: str) -> Keyness:
        near = candidate.near[self.theme_numbers[theme]]
        rest = max(candidate.occurrences - near, 0.0)
        size_near = self.size_near.get(theme, 0.0)
        size_rest = max(self.size_all - size_near, 0.0)
        ratio = (
            math.log2(((near + 0.5) / (size_near + 1)) / ((rest + 0.5) / (size_rest + 1)))
            if size_near
            else 0.0
        )
        g2 = log_likelihood(near, rest, size_near, size_rest) if ratio > 0 else 0.0
        general = self.general_ratio(candidate)
        passages_near, actors_near, every = self.near_counts(candidate)
        actors = actors_near.get(theme, 0)
        weight = min(max((general - GENERAL_NONE) / (GENERAL_FULL - GENERAL_NONE), 0.0), 1.0)
        kin, like = self.kin(candidate, theme)
        lift, expected = self.lift(candidate, theme, near, kin)
        score = lift * math.log2(1.0 + expected) * weight * every / (every + 1)
        if self.verb(candidate):  # a word the theme's terms use counts ("utvärder*")
            score *= VERB_WEIGHT + (1.0 - VERB_WEIGHT) * (kin if candidate.kind == "word" else 0)
        profile = self.profiles.get(theme)
        if profile is not None and _named_in(candidate, profile, self.splits):
            score *= 1.0 + PROFILE_BOOST
        elif profile is not None and _part_named_in(candidate, profile):
            score *= 1.0 + PROFILE_BOOST / 2
        return Keyness(
            theme,
            score,
            g2,
            ratio,
            general,
            near,
            actors,
            passages_near.get(theme, 0),
            kin,
            like,
        )

    def occurrences_in(self, number: int, candidate: Candidate) -> list[tuple[int, int]]:
        """Where the candidate stands in passage ``number``, not covered by a theme's
        match: (start, end) character offsets."""
        text = self.texts[number]
        ((starts, lengths),) = self.tagger.tokenize([text])
        spans = self.spans[number]
        found = []
        for key, kind, start, end, _ in rekeyed(list(text_units(text, starts, lengths)), self.keys):
            if candidate.kind == "compound_head":
                if kind != "word" or "*" + self.heads.get(key, "\0") != candidate.key:
                    continue
            elif key != candidate.key and key not in candidate.family:
                continue
            if not any(a < end and start < b for _, a, b in spans):
                found.append((start, end))
        return found

    def verb(self, candidate: Candidate) -> bool:
        """A verb or an adjective, or a phrase that ends in one: no name of a thing."""
        if candidate.kind == "phrase":
            last = self.candidates.get(candidate.key.rsplit(" ", 1)[-1])
            return last is not None and (is_verb(last) or is_adjective(last))
        return is_verb(candidate) or is_adjective(candidate)

    def is_covered(self, candidate: Candidate) -> bool:
        total = candidate.occurrences + candidate.covered
        return total == 0 or candidate.covered / total >= COVERED_SHARE

    def rankings(
        self, min_occurrences: int = 2, limit: int | None = None
    ) -> dict[str, list[tuple[Candidate, Keyness, Keyness]]]:
        """What :meth:`ranked` gives for each theme, by theme, in one pass over the
        candidates (asking :meth:`ranked` theme by theme would work each keyness out
        once per theme); the first ``limit`` of each theme when given.

        A finding is kept as its candidate, its score and the number of its best
        theme while the candidates are ranked (hundreds of thousands of keyness
        records on hundreds of reports); the keyness records of the findings given
        back are worked out again at the end, as they were in the pass."""
        found: dict[str, list[tuple[Candidate, float, int]]] = {
            theme: [] for theme in self.theme_ids
        }
        for candidate in self.candidates.values():
            if candidate.occurrences < min_occurrences or self.is_covered(candidate):
                continue
            scores = [
                self.keyness(candidate, each)
                for number, each in enumerate(self.theme_ids)
                if candidate.near[number] or self.kin(candidate, each)[0]
            ]
            self._kin.clear()  # a cache for one candidate's themes here
            if not scores:
                continue
            best = max(scores, key=lambda item: (item.score, item.log_likelihood))
            best_number = self.theme_numbers[best.theme]
            for chosen in scores:
                if chosen.score > 0:
                    found[chosen.theme].append((candidate, chosen.score, best_number))
        ranked: dict[str, list[tuple[Candidate, Keyness, Keyness]]] = {}
        for theme, items in found.items():
            items.sort(key=lambda item: (-item[1], item[0].key))
            ranked[theme] = [
                (
                    candidate,
                    self.keyness(candidate, theme),
                    self.keyness(candidate, self.theme_ids[best_number]),
                )
                for candidate, _, best_number in without_nested(items)[:limit]
            ]
            found[theme] = []
            self._kin.clear()
        return ranked

    def ranked(
        self, theme: str | None = None, min_occurrences: int = 2
    ) -> list[tuple[Candidate, Keyness, Keyness]]:
        """Candidates for ``theme`` (or for any theme), best first: (candidate, its
        keyness for the theme asked for or its best theme, its keyness for its most
        likely theme)."""
        found = []
        themes = self.theme_ids
        for candidate in self.candidates.values():
            if candidate.occurrences < min_occurrences or self.is_covered(candidate):
                continue
            scores = [
                self.keyness(candidate, each)
                for number, each in enumerate(themes)
                if candidate.near[number] or self.kin(candidate, each)[0]
            ]
            if not scores:
                continue
            best = max(scores, key=lambda item: (item.score, item.log_likelihood))
            if theme is None:
                chosen = best
            else:
                chosen = next((item for item in scores if item.theme == theme), None)
                if chosen is None:
                    continue
            if chosen.score <= 0:
                continue
            found.append((candidate, chosen, best))
        found.sort(key=lambda item: (-item[1].score, item[0].key))
        return without_nested(found)


def _names(word: str, label_word: str) -> bool:
    """Does a heading's word name a label's word: the word itself, or a compound of it
    ("kompetensförsörjning" names "kompetens")?"""
    if word == label_word:
        return True
    return len(label_word) >= 6 and (word.startswith(label_word) or word.endswith(label_word))


def _named_in(candidate: Candidate, profile: ThemeProfile, splits: dict[str, str]) -> bool:
    """Does the taxonomy's description, label or examples of the theme name the
    candidate, or is it a compound whose head the label names ("hembesöksteam" for
    "Mobila team": new names for the same work are often new compounds)?"""
    key = candidate.key[1:] if candidate.kind == "compound_head" else candidate.key
    if key in profile.against:
        return False
    return key in profile.words or splits.get(key, "") in profile.label_words


def _part_named_in(candidate: Candidate, profile: ThemeProfile) -> bool:
    """Is the candidate a phrase one of whose words is a word of the theme's label, or
    a word of its description or examples rare in general Swedish ("digitala
    kontaktvägar" for "Digitalisering", "mobil hemsjukvård" for "Mobila team")?"""
    if candidate.kind != "phrase" or candidate.key in profile.against:
        return False
    return any(
        word in profile.label_words or word in profile.specific for word in candidate.key.split()
    )
