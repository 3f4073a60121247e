"""How much a candidate is made of the words of a theme's terms.

New words for the same work are most often new combinations of the words a theme's
terms already use: "hemmonitorering" beside ``distansmonitorering*``, "vård på
distans" beside ``distansvård*``, "gemensam ledningsgrupp" beside ``länsgemensam*
ledningsgrupp*``. :class:`Kinship` compares a candidate with each term of a theme by
their **atoms**:

* a word's atoms are the parts of its compound ("hem" and "monitorering", split on
  known words and on :func:`shared_heads`) or the word itself, lemmatised and lightly
  stemmed ("utvärdering" and "utvärdera" are both "utvärder"); a term's truncated
  word ("huvudm*") is a prefix, ``*word`` a head, ``*word*`` a part anywhere;
* each atom weighs 1 / the number of themes whose terms use it, so that "vård", in
  nearly every theme's terms, tells little and "monitorering" much, times 1 + the log
  of the number of the theme's terms that use it (tf-idf), times how rarely the
  reports use it (an idf over their passages: "patient" tells little);
* the kinship of a candidate and a term is the weighted Dice overlap of their atoms
  (the weight of the atoms each matches in the other, over the weight of all), and a
  candidate's kinship with a theme that of the term it is closest to (``like``).

A candidate all of whose atoms are in a term that has more ("kommun" of
``samarbete* med kommun*``) is only a part of it, less specific than the term: no
kin. A candidate with none of a theme's atoms is no kin either.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

from nvreport.analysis.candidate_words import (
    _is_acronym,
    compound_parts,
    general_frequency,
    stop_words,
    word_key,
)

#: Endings stripped to compare words ("utvärdering", "utvärdera" -> "utvärder"),
#: longest first, when at least :data:`STEM_LEFT` letters are left.
_STEM_ENDINGS = ("ningar", "ning", "ing", "ande", "ende", "else", "are", "a", "e")
STEM_LEFT = 5
#: A function word at least this frequent in general Swedish (a Zipf value of 5.5)
#: is no part of a term's meaning.
FUNCTION_FREQUENCY = 10 ** (5.5 - 9)
#: Letters of a head found only as the end of compounds (see :func:`shared_heads`).
_SHORTEST_SHARED = 6
_SHARED_BY = 3
#: Letters of a term's truncated word for it to count as a prefix ("huvudm*").
SHORTEST_PREFIX = 4
#: A prefix this long matches any word that begins with it; a shorter one only the
#: words it is followed in by at most :data:`INFLECTION` letters.
FREE_PREFIX = 7
INFLECTION = 3


def light_stem(word: str) -> str:
    """The word without a derivational or inflectional ending (see
    :data:`_STEM_ENDINGS`)."""
    for ending in _STEM_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= STEM_LEFT:
            return word[: -len(ending)]
    return word


def word_atoms(key: str, known: object) -> tuple[str, ...]:
    """A candidate's word (its key, as :func:`word_key` gives it) as atoms."""
    if _is_acronym(key) or not key.isalpha():
        return (key,)
    parts = compound_parts(key, known)  # type: ignore[arg-type]
    if parts is None:
        return (light_stem(key),)
    return tuple(light_stem(part) for part in parts)


@dataclass(frozen=True)
class _Atom:
    text: str
    how: str  # "word", "prefix", "head" or "inside"

    def _begins(self, word: str) -> bool:
        """Does the word begin with this prefix: as a word of its own ("region*":
        regional) when the prefix is long, else only as an inflection ("organ*":
        organet, not organisera)?"""
        if not word.startswith(self.text):
            return False
        return len(self.text) >= FREE_PREFIX or len(word) - len(self.text) <= INFLECTION

    def matches(self, atoms: Sequence[str], key: str) -> bool:
        if self.how == "word":
            return self.text in atoms
        if self.how == "prefix":
            return any(self._begins(each) for each in (key, *atoms))
        if self.how == "head":
            return key.endswith(self.text) or self.text in atoms
        return self.text in key


def _is_function_word(word: str) -> bool:
    """A word of a term that names nothing: a function word as common as "med", "för"
    or "sin" (not "tillsammans", which the term "tillsammans med patient*" turns on)."""
    return word in stop_words() and general_frequency(word) >= FUNCTION_FREQUENCY


def _term_atoms(term: str, known: object) -> list[_Atom]:
    found: list[_Atom] = []
    for word in term.split():
        base = word.strip("*")
        if not base or (not _is_acronym(base) and _is_function_word(base.casefold())):
            continue
        if _is_acronym(base):
            found.append(_Atom(base, "word"))
            continue
        lower = base.casefold()
        head, first = word.startswith("*"), word.endswith("*")
        if head and first:
            found.append(_Atom(lower, "inside"))
        elif first:
            parts = compound_parts(lower, known) if lower.isalpha() else None  # type: ignore[arg-type]
            if parts is not None:  # "distansvård*": distans, then vård as a prefix
                found.append(_Atom(light_stem(parts[0]), "word"))
                lower = parts[1]
            stem = light_stem(lower)
            if len(stem) >= SHORTEST_PREFIX:
                found.append(_Atom(stem, "prefix"))
        elif head:
            found.append(_Atom(light_stem(word_key(lower)), "head"))
        else:
            found.extend(_Atom(atom, "word") for atom in word_atoms(word_key(lower), known))
    return found


#: The terms a word touches when it touches none.
_NOTHING: frozenset[int] = frozenset()


class _Index:
    """A theme's term atoms, to find the terms a word touches without trying each."""

    def __init__(self, terms: list[list[_Atom]], texts: list[str]) -> None:
        self.terms = terms
        self.texts = texts  # each term as the taxonomy writes it
        self.by_how: dict[str, dict[str, set[int]]] = {how: {} for how in _HOWS}
        for number, term in enumerate(terms):
            for atom in term:
                self.by_how[atom.how].setdefault(atom.text, set()).add(number)
        self.prefix_sizes = sorted({len(text) for text in self.by_how["prefix"]})
        self.head_sizes = sorted({len(text) for text in self.by_how["head"]})

    def touched(self, key: str, atoms: Sequence[str]) -> set[int]:
        """The numbers of the terms one of whose atoms matches the word."""
        found: set[int] = set()
        words, prefixes, heads = self.by_how["word"], self.by_how["prefix"], self.by_how["head"]
        for atom in atoms:
            found.update(words.get(atom, ()))
            found.update(heads.get(atom, ()))
        for text in (key, *atoms):
            for size in self.prefix_sizes:
                found.update(prefixes.get(text[:size], ()) if size <= len(text) else ())
        for size in self.head_sizes:
            found.update(heads.get(key[-size:], ()) if size <= len(key) else ())
        for text, numbers in self.by_how["inside"].items():
            if text in key:
                found.update(numbers)
        return found


_HOWS = ("word", "prefix", "head", "inside")


class _Known:
    """Words known for splitting compounds, and the heads found in several of them."""

    def __init__(self, known: object, heads: set[str]) -> None:
        self.known = known
        self.heads = heads

    def __contains__(self, word: object) -> bool:
        return word in self.heads or word in self.known  # type: ignore[operator]


def shared_heads(words: Iterable[str], known: object) -> set[str]:
    """Words general Swedish and the reports do not use alone, but that end
    :data:`_SHARED_BY` compounds or more after a known first part ("monitorering" of
    "distansmonitorering", "egenmonitorering" and "hemmonitorering"): a compound is
    split on them too."""
    found: dict[str, set[str]] = {}
    for word in words:
        if len(word) < _SHORTEST_SHARED + 3 or not word.isalpha():
            continue
        for cut in range(3, len(word) - _SHORTEST_SHARED + 1):
            first, head = word[:cut], word[cut:]
            # a head after a linking s ("lednings|grupp") is a known word already
            if not head.startswith("s") and first in known:  # type: ignore[operator]
                found.setdefault(head, set()).add(word)
    return {
        head
        for head, compounds in found.items()
        if len(compounds) >= _SHARED_BY and head not in known  # type: ignore[operator]
    }


class Kinship:
    """The kinship of candidates with each theme's terms (see the module). ``words``
    are the reports' words, for :func:`shared_heads`, and ``passages`` how many of
    the ``size`` passages use each, for the weight of a part in the reports."""

    def __init__(
        self,
        terms: Mapping[str, Iterable[str]],
        known: object,
        words: Iterable[str] = (),
        passages: Mapping[str, int] | None = None,
        size: int = 0,
    ) -> None:
        bases = {
            word.strip("*").casefold()
            for texts in terms.values()
            for text in texts
            if not text.startswith("re:")
            for word in text.split()
        }
        known = _Known(known, shared_heads(sorted(bases | set(words)), known))
        self.known = known
        self.index: dict[str, _Index] = {}
        themes_with: Counter = Counter()
        self.uses: dict[str, Counter] = {}  # theme -> atom -> its terms using it
        for theme, texts in terms.items():
            found = [
                (atoms, text)
                for text in texts
                if not text.startswith("re:") and (atoms := _term_atoms(text, known))
            ]
            self.index[theme] = _Index([atoms for atoms, _ in found], [text for _, text in found])
            themes_with.update({atom.text for atoms, _ in found for atom in atoms})
            self.uses[theme] = Counter(
                text for atoms, _ in found for text in {atom.text for atom in atoms}
            )
        self.weights = {text: 1.0 / count for text, count in themes_with.items()}
        self._atoms: dict[str, tuple[str, ...]] = {}
        #: (word, theme) -> the theme's terms it touches; most touch none, and share
        #: one empty set (a set each took tens of megabytes on hundreds of reports)
        self._touched: dict[tuple[str, str], Set[int]] = {}
        # part -> how little the reports use it: 1 for a part no passage uses, 0 for
        # one every passage uses
        self.rarity: dict[str, float] = {}
        if passages and size:
            using: Counter = Counter()
            for word, count in passages.items():
                for atom in set(self._atoms_of(word)):
                    using[atom] += count
            scale = math.log(1 + size)
            self.rarity = {
                atom: max(math.log((1 + size) / (1 + count)) / scale, 0.0)
                for atom, count in using.items()
            }

    def _atoms_of(self, word: str) -> tuple[str, ...]:
        atoms = self._atoms.get(word)
        if atoms is None:
            atoms = self._atoms[word] = word_atoms(word, self.known)
        return atoms

    def _weight(self, text: str, theme: str) -> float:
        """tf-idf: 1 / the number of themes whose terms use the part, times 1 + the
        log of the number of ``theme``'s terms that use it ("digital" weighs more
        than "hälsocentral" for *Digitalisering*, whose terms use it again and
        again), times how rarely the reports use it (an idf over the passages:
        "patient" and "kommun", in every other passage, tell little)."""
        uses = self.uses[theme].get(text, 0) if theme in self.uses else 0
        weight = self.weights.get(text, 1.0) * (1.0 + math.log(uses) if uses else 1.0)
        return weight * self.rarity.get(text, 1.0)

    def _word(self, word: str, theme: str) -> tuple[tuple[str, ...], Set[int]]:
        atoms = self._atoms_of(word)
        touched = self._touched.get((word, theme))
        if touched is None:
            index = self.index.get(theme)
            touched = (index.touched(word, atoms) if index is not None else None) or _NOTHING
            self._touched[(word, theme)] = touched
        return atoms, touched

    def of(self, words: Sequence[str], theme: str) -> tuple[float, str]:
        """The kinship of a candidate (its content words' keys) with ``theme``, and the
        term (as the taxonomy writes it) it is closest to ("" for none)."""
        atoms: list[tuple[str, ...]] = []
        touched: set[int] = set()
        for word in words:
            found, terms = self._word(word, theme)
            atoms.append(found)
            touched |= terms
        if not touched:
            return 0.0, ""
        size = sum(len(found) for found in atoms)
        own_weight = sum(self._weight(each, theme) for found in atoms for each in found)
        index = self.index[theme]
        best, like = 0.0, ""
        for number in sorted(touched):
            term = index.terms[number]
            matched_term = 0.0
            unmatched = 0
            matched_own: set[tuple[int, int]] = set()  # (word, atom) of the candidate
            for atom in term:
                hit = False
                for place, (word, found) in enumerate(zip(words, atoms, strict=True)):
                    if atom.how != "word" and atom.matches((), word):
                        # the term's word matches the whole of the candidate's
                        matched_own.update((place, part) for part in range(len(found)))
                        hit = True
                    for part, each in enumerate(found):
                        if atom.matches((each,), each):
                            matched_own.add((place, part))
                            hit = True
                if hit:
                    matched_term += self._weight(atom.text, theme)
                else:
                    unmatched += 1
            if not matched_term or (unmatched and len(matched_own) == size):
                continue  # no atom in common, or a part of the term: less specific than it
            own = sum(self._weight(atoms[place][part], theme) for place, part in matched_own)
            whole = sum(self._weight(atom.text, theme) for atom in term) + own_weight
            if (matched_term + own) / whole > best:
                best, like = (matched_term + own) / whole, index.texts[number]
        return best, like
