"""Is a passage new this year, or reported again from the actor's previous report?

Many actors copy whole paragraphs from last year's report, word for word or lightly
edited, and the copy is often reflowed: a paragraph split in two or two merged, other
line breaks and hyphenation, a number updated. For a year-on-year comparison every
passage of an actor's year-N report is marked against the same actor's year N-1
report, so that "reported again" is not mistaken for "did again":

* ``repeated`` — score ≥ :data:`REPEATED_THRESHOLD` (0.9): the passage is last year's
  text, perhaps with updated figures and a word or two changed (one changed word in a
  60-word paragraph costs at most 4 of its 57 shingles: score ≥ 0.93);
* ``revised`` — score ≥ :data:`REVISED_THRESHOLD` (0.5): at least half of it is last
  year's text (e.g. two short sentences of four rewritten);
* ``new`` — below that.

**Canonical form.** Both years are compared in one canonical form
(:func:`canonical_words`): :func:`~nvreport.ingest.normalize.normalize_text` (NFC, ligatures,
soft hyphens and zero-width characters removed, whitespace collapsed), then
line-break hyphenation joined ("patient- kontrakt" and "patient-\\nkontrakt" become
"patientkontrakt", but "hälso- och sjukvård" keeps its two words, see
:data:`~nvreport.ingest.readers.hyphenation.COORDINATING_WORDS`), casefold, every number
folded to the placeholder ``0`` ("1 700 samtal", "2 100 samtal" and "2,5 procent"
all become ``0 …``), hyphens, colons and apostrophes inside words dropped ("e-hälsa"
= "ehälsa", "SÄBO:s" = "säbos", so a hyphen that a line break made or unmade does not
matter), other punctuation dropped.

**Score.** The share of the passage's 4-word shingles (:data:`SHINGLE_SIZE`) that
occur anywhere in last year's report. It is containment, not Jaccard: a passage that
was half of a paragraph last year (a split) still scores 1.0. Last year's shingles
are taken over the whole report as one word stream, across passage boundaries, so
two adjacent paragraphs merged into one also score 1.0; two non-adjacent ones lose
only the three shingles that span the join.

**Short passages.** Shingles say little about a passage of few words:

* fewer than :data:`VERY_SHORT_WORDS` (4) canonical words — a heading such as
  "2.1 Fasta vårdkontakter" or a table row such as "Mobila team | 4 250": ``repeated``
  (score 1.0) if the canonical text equals, or occurs as consecutive words inside,
  one of last year's passages, else ``new`` (score 0.0); never ``revised``. Since
  numbers are folded, "2.2 Fasta vårdkontakter" repeats "2.1 Fasta vårdkontakter".
* fewer than :data:`SHORT_PASSAGE_WORDS` (8) canonical words — a list item, a short
  sentence: the shingle score (which is 1.0 whenever the whole canonical text occurs
  in last year's report), or, if higher, a single-word fallback: the share of its
  distinct words found in one of last year's short passages (at most twice as many
  words, so a long paragraph that happens to contain the same common words does not
  count). The fallback is capped at :data:`WORD_FALLBACK_CAP` (0.85): it can make a
  lightly edited list item ``revised`` ("mobila team i tre kommuner" → "… i fyra
  kommuner" has no shingle left), but never ``repeated``.

A passage with no words at all (only punctuation) is ``new`` with score 0.0.

**Cost.** :class:`PreviousText` is built once per actor pair: a set of hashed 4-word
shingles, a set of hashed 1- to 3-word n-grams within passages, and an inverted index
over last year's short passages. Classifying a passage is linear in its length (plus
the posting lists of its words among last year's short passages for the fallback);
there is no passage × passage comparison. 500 passages of 60 words against 500 take
about 0.2 s, most of it in :func:`~nvreport.ingest.normalize.normalize_text`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from nvreport.ingest.normalize import normalize_text
from nvreport.ingest.readers.hyphenation import COORDINATING_WORDS

NEW, REVISED, REPEATED = "new", "revised", "repeated"

REPEATED_THRESHOLD = 0.9
"""Score from which a passage is ``repeated``."""

REVISED_THRESHOLD = 0.5
"""Score from which a passage is ``revised`` (below :data:`REPEATED_THRESHOLD`)."""

SHINGLE_SIZE = 4
"""Words per shingle."""

SHORT_PASSAGE_WORDS = 8
"""Passages with fewer canonical words also get the single-word fallback."""

VERY_SHORT_WORDS = 4
"""Passages with fewer canonical words are matched whole: ``repeated`` or ``new``."""

WORD_FALLBACK_CAP = 0.85
"""Highest score the single-word fallback can give: ``revised`` at most."""

# A soft hyphen (or pdfium's line-break marker) directly before a line break: the
# break is a hyphenation point, so the two parts are one word.
# (The lookbehinds follow the character they check: much faster than leading with them.)
_SOFT_BREAK = re.compile(r"[\u00ad\ufffe](?<=\w.)\s+(?=\w)")

# A hyphen after a word and before whitespace and another word, once line breaks are
# spaces: "patient- kontrakt". Joined unless the next word coordinates a shortened
# compound ("hälso- och sjukvård", "kommun- eller regionnivå").
_COORDINATING = "|".join(
    sorted((re.escape(word.rstrip(".")) for word in COORDINATING_WORDS), key=len, reverse=True)
)
_BREAK_HYPHEN = re.compile(
    rf"[-\u2010\u2011](?<=\w.)\s+(?!(?:{_COORDINATING})\b)(?=\w)", re.IGNORECASE
)

# A number, with thousands groups, decimals, times, ranges: "1 700", "2,5", "08:30",
# "2023–2024". Folded to one placeholder word.
_NUMBER = re.compile(r"\d+(?:[ .,:/\u2013-]\d+)*")
NUMBER_PLACEHOLDER = "0"

# Joiners inside a word ("e-hälsa", "SÄBO:s", "covid-19", "0-åringar"): dropped.
_IN_WORD = re.compile(r"[-\u2010\u2011\u2013:'’](?<=\w.)(?=\w)")

_TOKEN = re.compile(r"\w+")


def canonical_words(text: str) -> list[str]:
    """The words of ``text`` in the canonical form both years are compared in.

    >>> canonical_words("Regionen erbjuder patient- kontrakt i 1 700 fall.")
    ['regionen', 'erbjuder', 'patientkontrakt', 'i', '0', 'fall']
    >>> canonical_words("Hälso- och sjukvården, e-hälsa och SÄBO:s 40-åringar")
    ['hälso', 'och', 'sjukvården', 'ehälsa', 'och', 'säbos', '0åringar']
    """
    if "\u00ad" in text or "\ufffe" in text:
        text = _SOFT_BREAK.sub("", text)
    text = normalize_text(text)
    text = _BREAK_HYPHEN.sub("", text).casefold()
    text = _NUMBER.sub(NUMBER_PLACEHOLDER, text)
    text = _IN_WORD.sub("", text)
    return _TOKEN.findall(text)


def canonical_text(text: str) -> str:
    """:func:`canonical_words` joined by single spaces.

    >>> canonical_text("2.1 Fasta vårdkontakter")
    '0 fasta vårdkontakter'
    """
    return " ".join(canonical_words(text))


def label_for(score: float) -> str:
    """The label for a score: ``repeated`` ≥ 0.9 > ``revised`` ≥ 0.5 > ``new``."""
    if score >= REPEATED_THRESHOLD:
        return REPEATED
    if score >= REVISED_THRESHOLD:
        return REVISED
    return NEW


def _shingle_hashes(words: Sequence[str], size: int = SHINGLE_SIZE) -> list[int]:
    """Hashes of the ``size``-word shingles of ``words``, in order."""
    return [hash(shingle) for shingle in zip(*(words[k:] for k in range(size)), strict=False)]


class PreviousText:
    """The previous year's report of one actor, indexed for :meth:`classify`.

    Build it once from that report's passages, in document order (the order matters
    only for shingles spanning two passages, which let a merged paragraph match).
    """

    __slots__ = ("_grams", "_passage_count", "_shingles", "_short_postings", "_short_sizes")

    def __init__(self, passages: Iterable[str]) -> None:
        stream: list[str] = []
        self._shingles: set[int] = set()
        self._grams: set[int] = set()
        self._short_postings: dict[str, list[int]] = {}
        self._short_sizes: list[int] = []
        self._passage_count = 0
        for passage in passages:
            self._passage_count += 1
            words = canonical_words(passage)
            if not words:
                continue
            stream.extend(words)
            for size in range(1, VERY_SHORT_WORDS):
                self._grams.update(_shingle_hashes(words, size))
            if len(words) < 2 * SHORT_PASSAGE_WORDS:
                number = len(self._short_sizes)
                distinct = set(words)
                self._short_sizes.append(len(words))
                for word in distinct:
                    self._short_postings.setdefault(word, []).append(number)
        self._shingles.update(_shingle_hashes(stream))

    def __len__(self) -> int:
        """Number of passages the previous report had."""
        return self._passage_count

    def classify(self, text: str) -> tuple[str, float]:
        """Label ``text`` ``new``, ``revised`` or ``repeated``, with its score in [0, 1].

        See the module docstring for the score, the thresholds and the rules for
        passages of fewer than 4 and fewer than 8 canonical words.
        """
        words = canonical_words(text)
        if not words:
            return NEW, 0.0
        if len(words) < VERY_SHORT_WORDS:
            if hash(tuple(words)) in self._grams:
                return REPEATED, 1.0
            return NEW, 0.0
        shingles = _shingle_hashes(words)
        score = sum(shingle in self._shingles for shingle in shingles) / len(shingles)
        if len(words) < SHORT_PASSAGE_WORDS and score < WORD_FALLBACK_CAP:
            score = max(score, min(self._word_containment(words), WORD_FALLBACK_CAP))
        return label_for(score), score

    def _word_containment(self, words: Sequence[str]) -> float:
        """Highest share of the distinct ``words`` found in one of last year's short
        passages of at most twice as many words."""
        distinct = set(words)
        longest = 2 * len(words)
        hits: Counter[int] = Counter()
        for word in distinct:
            for number in self._short_postings.get(word, ()):
                if self._short_sizes[number] <= longest:
                    hits[number] += 1
        if not hits:
            return 0.0
        return max(hits.values()) / len(distinct)


def classify_passages(current: Sequence[str], previous: Sequence[str]) -> list[tuple[str, float]]:
    """Classify each of ``current`` against ``previous``, one result per passage, in
    order. With no previous passages every passage is ``new`` with score 0.0."""
    if not previous:
        return [(NEW, 0.0) for _ in current]
    index = PreviousText(previous)
    return [index.classify(text) for text in current]
