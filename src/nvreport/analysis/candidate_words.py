"""The words, compounds and phrases a candidate term can be, and how key one is.

:func:`text_units` takes a passage's candidates (content words lemmatised as the tagger
matches them, compound heads, two- and three-word phrases); :func:`general_frequency`
is a word's frequency in general Swedish (``wordfreq``); :func:`log_likelihood` is
Dunning's G² of a candidate near a theme against the rest of the corpus.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from nvreport.tagging.sentences import sentences_of
from nvreport.tagging.terms import lemma, stems

#: A candidate that stands inside a longer one (or around a shorter one) in this
#: share of the passages is the same finding: only the better-ranked is kept.
NESTED_SHARE = 0.8

_SHORTEST_PART = 3  # letters of a compound's part
_SHORTEST_COMPOUND = 7
_SHORTEST_HEAD = 4
#: Endings that are words of their own too, but no compound's head.
_SUFFIXES = frozenset({"ning", "else", "skap", "ande", "ende", "arna", "erna", "tion", "ighet"})
#: Function words that may stand inside a three-word phrase ("vård på distans").
_INNER_WORDS = frozenset(
    {"i", "på", "för", "av", "med", "till", "vid", "inom", "om", "mot", "och", "utan", "efter",
     "mellan", "över", "under", "genom", "från", "hos", "kring", "bland", "via", "enligt",
     "inför", "utifrån"}
)  # fmt: skip
_LINKING = ("s", "")  # a compound's first part may end in a linking s: "hälsos|amtal"
#: Letters of a phrase's last word for the phrase to count the phrases whose last
#: word begins with it (see :func:`join_families`).
FAMILY_LAST = 5


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Swedish function words (spaCy's list), lower case."""
    from spacy.lang.sv.stop_words import STOP_WORDS

    return frozenset(word.casefold() for word in STOP_WORDS)


@lru_cache(maxsize=200_000)
def general_frequency(word: str) -> float:
    """How often ``word`` (lower case) occurs in general Swedish, as a share of all
    words (``wordfreq``'s Swedish list; 0 for a word it does not know)."""
    from wordfreq import word_frequency

    return word_frequency(word, "sv")


def _is_acronym(word: str) -> bool:
    """An upper-case letter after the first (FaR, SIP, KBT): matched case-sensitively."""
    return any(char.isupper() for char in word[1:])


def word_key(word: str) -> str:
    """The form a word is counted and matched by: its lemma as the tagger finds it
    (lower case), an acronym as it is written."""
    if _is_acronym(word):
        return word
    lower = word.casefold()
    if len(lower) > 3 and lower.isalpha():
        return lemma(lower)
    first, hyphen, last = lower.rpartition("-")
    if hyphen and first and len(last) > 3 and last.isalpha():  # "e-tjänster" -> "e-tjänst"
        return f"{first}-{lemma(last)}"
    return lower


def _is_content(word: str, key: str) -> bool:
    """A word a candidate may be made of: letters (digits and hyphens inside allowed,
    "e-hälsa", "1177"), not a function word, at least three letters or an acronym."""
    if _is_acronym(word):
        return len(word) >= 2 and any(char.isalpha() for char in word)
    lower = word.casefold()
    if len(lower) < 3 or lower in stop_words() or key in stop_words():
        return False
    if lower.isalpha():
        return True
    if lower.isdigit():  # a service's number ("1177"), not a year or an amount
        return len(lower) == 4 and not lower.startswith(("19", "20"))
    stripped = lower.replace("-", "")
    return (
        stripped.isalnum()
        and any(char.isalpha() for char in stripped)
        and lower[0] != "-"
        and lower[-1] != "-"  # "hälso-" of "hälso- och sjukvård"
    )


#: A finding of a ranking: a tuple whose first item is its :class:`Candidate`.
_Finding = TypeVar("_Finding", bound=tuple[Any, ...])


@dataclass(slots=True)
class Candidate:
    """One candidate and what the corpus says of it. How many actors use it, and how
    many passages and actors use it near each theme, is worked out from ``passages``
    when asked (:meth:`~nvreport.analysis.candidates.TermStudy.near_counts`): kept
    for every candidate, those counts took hundreds of megabytes on hundreds of
    reports."""

    key: str  # lemmas joined by spaces; "*head" for a compound head
    kind: str  # word, compound_head, phrase
    occurrences: int = 0  # not covered by the taxonomy
    covered: int = 0  # covered by a theme's matches
    passages: list[int] = field(default_factory=list)  # passage numbers (uncovered), in order
    forms: Counter = field(default_factory=Counter)  # the words as written (lower case)
    #: weighted occurrences near each theme, by the theme's number in the study (0.0:
    #: not near it); an array rather than a dict: a tenth of the memory
    near: array = field(default_factory=lambda: array("d"))
    #: phrases counted in this one's occurrences (see :func:`join_families`); most
    #: candidates have none, and share this empty one
    family: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Keyness:
    """A candidate's keyness for one theme."""

    theme: str
    score: float  # what the ranking uses
    log_likelihood: float  # G², near the theme against the rest of the corpus
    log_ratio: float  # log2 of its relative frequency near the theme over the rest
    general_ratio: float  # log2 of its relative frequency in the corpus over general Swedish
    near: float  # weighted occurrences near the theme
    actors: int  # actors using it near the theme
    passages: int  # passages near the theme using it
    kinship: float = 0.0  # how much it is made of the words of the theme's terms (0 to 1)
    like: str = ""  # the theme's term it is most made of the words of


def log_likelihood(near: float, rest: float, size_near: float, size_rest: float) -> float:
    """Dunning's G² of a word's ``near`` occurrences in ``size_near`` words against
    ``rest`` in ``size_rest`` (Rayson and Garside's form for two corpora)."""
    total = near + rest
    size = size_near + size_rest
    if total <= 0 or size_near <= 0 or size_rest <= 0:
        return 0.0
    expected_near = size_near * total / size
    expected_rest = size_rest * total / size
    found = 0.0
    if near > 0:
        found += near * math.log(near / expected_near)
    if rest > 0:
        found += rest * math.log(rest / expected_rest)
    return 2.0 * found


def compound_parts(word: str, known: set[str]) -> tuple[str, str] | None:
    """The first part and head of a compound whose parts are both known words (the
    shortest such head: "hemsjukvårdsteam" -> ("hemsjukvård", "team"); a linking s
    left out), or None."""
    if len(word) < _SHORTEST_COMPOUND or not word.isalpha():
        return None
    for cut in range(len(word) - _SHORTEST_PART, _SHORTEST_PART - 1, -1):
        head = word[cut:]
        if len(head) < _SHORTEST_HEAD or head in _SUFFIXES or head not in known:
            continue
        first = word[:cut]
        for link in _LINKING:
            if link and not first.endswith(link):
                continue
            stem = first[: len(first) - len(link)] if link else first
            if len(stem) >= _SHORTEST_PART and stem in known:
                return stem, head
            if len(stem) >= _SHORTEST_PART and stem + "a" in known:
                return stem + "a", head
    return None


def _split_compound(word: str, known: set[str]) -> str | None:
    """The head of a compound whose parts are both known words, or None (see
    :func:`compound_parts`)."""
    parts = compound_parts(word, known)
    return parts[1] if parts else None


def text_units(
    text: str, starts: list[int], lengths: list[int]
) -> Iterator[tuple[str, str, int, int, str]]:
    """Every candidate occurrence in a tokenised text (its tokens' starts and lengths,
    from :meth:`Tagger.tokenize`): (key, kind, start, end, form), where ``kind`` is
    ``word`` or ``phrase`` and ``form`` the words as written, in lower case."""
    for sentence in sentences_of(starts, lengths, text):
        words, offsets = sentence.words, sentence.starts
        keys = [word_key(word) for word in words]
        content = [_is_content(word, key) for word, key in zip(words, keys, strict=True)]
        for position, word in enumerate(words):
            if not content[position]:
                continue
            start = offsets[position]
            yield keys[position], "word", start, start + len(word), word.casefold()
            for size in (2, 3):
                last = position + size - 1
                if last >= len(words) or not content[last]:
                    continue
                if (
                    size == 3
                    and not content[position + 1]
                    and words[position + 1].casefold() not in _INNER_WORDS
                ):
                    continue
                stop = offsets[last] + len(words[last])
                key = " ".join(keys[position : last + 1])
                yield key, "phrase", start, stop, text[start:stop].casefold()


def _matched_by(key: str, form: str) -> bool:
    """Would ``key``, written as a term, match the word ``form`` (by one of the regular
    endings the tagger strips, or by the form's lemma)?"""
    return key in stems(form) or (len(form) > 3 and form.isalpha() and lemma(form) == key)


def one_key_per_term(forms: dict[str, Counter]) -> dict[str, str]:
    """Word keys to count as another, so that one term is one candidate: keys one of
    which, written as a term, matches every form of another ("anhörigpanel" matches
    "anhörigpanelen", whatever lemma the lemmatiser guesses for an unknown compound)
    are one group, counted as the key of the group that matches every form of all
    of them (the one used most, then the shortest, then the first in alphabetical
    order); a group no key matches all of is left as it is."""
    used = {key: sum(counter.values()) for key, counter in forms.items()}
    parent = {key: key for key in forms}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key in sorted(forms):
        if _is_acronym(key) or not key.isalpha():
            continue
        for form in forms[key]:
            for stem in sorted(stems(form)):
                if (
                    stem != key
                    and stem in forms
                    and all(_matched_by(stem, each) for each in forms[key])
                ):
                    first, second = sorted((root(key), root(stem)))
                    parent[second] = first
    groups: dict[str, list[str]] = {}
    for key in forms:
        groups.setdefault(root(key), []).append(key)
    found: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        every = [form for member in members for form in forms[member]]
        able = [key for key in members if all(_matched_by(key, form) for form in every)]
        if not able:
            continue
        best = min(able, key=lambda key: (-used[key], len(key), key))
        found.update({member: best for member in members if member != best})
    return found


def rekeyed(
    units: list[tuple[str, str, int, int, str]], keys: dict[str, str]
) -> list[tuple[str, str, int, int, str]]:
    """The units with their words counted as :func:`one_key_per_term` says."""
    if not keys:
        return units
    return [
        (rekey(key, kind, keys), kind, start, end, form) for key, kind, start, end, form in units
    ]


def rekey(key: str, kind: str, keys: dict[str, str]) -> str:
    """A unit's key (of ``kind``) with its words counted as :func:`one_key_per_term`
    says (``keys``)."""
    if kind == "word":
        return keys.get(key, key)
    return " ".join(keys.get(word, word) for word in key.split(" "))


def join_families(candidates: dict[str, Candidate]) -> None:
    """A phrase counts, besides its own occurrences, those of the phrases that
    differ from it only by a longer last word that begins with its own ("mobil
    hemsjukvård" counts "mobil hemsjukvårdsläkare" too), as a term ending in ``*``
    would match them: a name that reports write in several compounds is one
    finding, not several too rare to rank."""
    groups: dict[tuple[str, int], list[Candidate]] = {}
    for candidate in candidates.values():
        if candidate.kind == "phrase" and candidate.occurrences:
            words = candidate.key.split()
            groups.setdefault((" ".join(words[:-1]), len(words)), []).append(candidate)
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda each: each.key)
        for position, candidate in enumerate(members):
            last = candidate.key.rsplit(" ", 1)[-1]
            if len(last) < FAMILY_LAST or not last.isalpha():
                continue
            longer = []
            for other in members[position + 1 :]:
                other_last = other.key.rsplit(" ", 1)[-1]
                if not other_last.startswith(last):
                    break
                longer.append(other)
            if longer:
                _join(candidate, longer)


def _join(candidate: Candidate, longer: list[Candidate]) -> None:
    passages = set(candidate.passages)
    candidate.family = candidate.family | {other.key for other in longer}
    for other in longer:
        candidate.occurrences += other.occurrences
        candidate.covered += other.covered
        candidate.forms.update(other.forms)
        passages.update(other.passages)
        for theme, weight in enumerate(other.near):
            if weight:
                candidate.near[theme] += weight
    candidate.passages = sorted(passages)


def without_nested(found: list[_Finding]) -> list[_Finding]:
    """One finding, one candidate. A candidate that stands inside a longer one in
    :data:`NESTED_SHARE` of its passages or more is that longer one ("närvårdsteam"
    always in "mobilt närvårdsteam"): the longer is kept, at the better of the two
    ranks, and the shorter left out."""
    ranked = {item[0].key: item for item in found}
    absorbed: dict[str, str] = {}  # shorter -> the longer that holds it
    for item in found:  # best first: the best longer one takes a shorter one
        candidate = item[0]
        words = candidate.key.split()
        if len(words) < 2 or candidate.key in absorbed:
            continue
        holds = set(candidate.passages)
        for size in range(1, len(words)):
            for start in range(len(words) - size + 1):
                key = " ".join(words[start : start + size])
                inner = ranked.get(key)
                if inner is None or key in absorbed:
                    continue
                passages = inner[0].passages
                if len(holds.intersection(passages)) >= NESTED_SHARE * len(passages):
                    absorbed[key] = candidate.key
    kept: list[_Finding] = []
    placed: set[str] = set()
    for item in found:
        key = item[0].key
        while key in absorbed:
            key = absorbed[key]
        if key not in placed:
            placed.add(key)
            kept.append(ranked[key])
    return kept


def is_verb(candidate: Candidate) -> bool:
    """Is the word a verb, by the forms the corpus uses ("ökar", "ökade" of "öka";
    "bedömer" of "bedöma")? Terms are names of things: a verb, or a phrase that ends
    in one ("kommunen sker"), is seldom one. A participle ("ambulerande",
    "samordnad") is not taken for a verb."""
    key = candidate.key
    if candidate.kind != "word" or not key.isalpha() or len(key) < 3:
        return False
    if key.endswith("a"):
        stem = key[:-1]
        finite = {key + "r", key + "de", key + "t", stem + "er", stem + "de", stem + "te"}
    elif key[-1] in "eouyåi":
        finite = {key + "r", key + "tt", key + "dde"}
    else:
        return False
    return any(form in finite for form in candidate.forms)


def is_adjective(candidate: Candidate) -> bool:
    """Is the word an adjective, by the forms the corpus uses: a neuter in -t and a
    plural or definite form in -a or -e ("gemensamt", "gemensamma" of "gemensam";
    "regionalt", "regionala")? A noun ending in a consonant takes -et, not -t, in the
    definite form. Terms end in the thing they name: an adjective alone, or a phrase
    that ends in one ("hemsjukvård och gemensam"), is seldom one."""
    key = candidate.key
    if candidate.kind != "word" or not key.isalpha() or len(key) < 4 or key[-1] in "aeiouyåäö":
        return False
    neuter = {key + "t", key[:-1] + "t", key + "tt"} if key[-1] in "dt" else {key + "t"}
    inflected = {key + "a", key + "e", key + key[-1] + "a", key + key[-1] + "e"}
    forms = candidate.forms
    return any(form in neuter for form in forms) and any(form in inflected for form in forms)


class KnownWords:
    """Known words for splitting compounds: the corpus's words, or words common in
    general Swedish."""

    def __init__(self, corpus: set[str]) -> None:
        self.corpus = corpus

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self.corpus or general_frequency(word) >= 1e-6)
