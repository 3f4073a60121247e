"""Taxonomy terms compiled into word rules, and the index that matches tokens against them.

A term ("mobil* team", "*hemsjukvård", "FaR") becomes one :class:`WordRule` per word
(:func:`compile_term`); :class:`RuleIndex` finds the rules a token satisfies through
its lemma (:func:`lemma`, simplemma's), its stems and its compound parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from nvreport.tagging.lemmas import lemmatizer
from nvreport.tagging.taxonomy import TaxonomyError
from nvreport.tagging.term_checks import MAX_PATTERN_LENGTH, regex_hazard

if TYPE_CHECKING:  # spaCy is imported when text is first tokenised: a run served
    # from the cache never needs it
    pass


# Regular Swedish endings of nouns, adjectives and participles, longest first.
_ENDINGS = tuple(
    sorted(
        {
            "s", "n", "t", "a", "e", "r",
            "en", "et", "er", "ar", "or", "na", "ns", "ts", "es", "as",
            "ens", "ets", "ers", "ars", "ors", "ena", "ade", "at", "ad", "are", "rna",
            "erna", "arna", "orna", "enas", "ande", "ende", "aren", "ares",
            "ernas", "arnas", "ornas", "arens",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
_ENDINGS_BY_LAST: dict[str, tuple[str, ...]] = {}
for _ending in _ENDINGS:
    _ENDINGS_BY_LAST[_ending[-1]] = (*_ENDINGS_BY_LAST.get(_ending[-1], ()), _ending)
_WORD_CHARS = re.compile(r"\w", re.UNICODE)
_ACRONYM = re.compile(r"^[A-ZÅÄÖ0-9][A-Za-zÅÄÖåäö0-9]*$")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """simplemma's greedy lemma of a lower-case Swedish word (its dictionary served
    from the lemma table, :mod:`~nvreport.tagging.lemmas`)."""
    return lemmatizer().lemmatize(word, "sv").casefold()


def _is_case_sensitive(word: str) -> bool:
    """An acronym: an upper-case letter after the first (FaR, SIP, KBT)."""
    return any(char.isupper() for char in word[1:])


@dataclass(frozen=True)
class WordRule:
    """How one word of a term matches a token."""

    base: str  # the word without * markers; folded unless case-sensitive
    head: bool  # `*word`: may be the head of a compound (anything before)
    first: bool  # `word*`: may be the first part of a compound (anything after)
    case_sensitive: bool

    @classmethod
    def parse(cls, word: str) -> WordRule:
        head, first = word.startswith("*"), word.endswith("*") and len(word) > 1
        base = word.strip("*")
        sensitive = _is_case_sensitive(base)
        return cls(base if sensitive else base.casefold(), head, first, sensitive)


@dataclass(frozen=True)
class Term:
    """A compiled term: a phrase of word rules, or a regular expression."""

    text: str  # as written in the taxonomy
    words: tuple[WordRule, ...] = ()
    pattern: re.Pattern[str] | None = None


def compile_term(text: str) -> Term:
    if text.startswith("re:"):
        # load_taxonomy refuses these; a taxonomy built in code is checked here too, as
        # a pattern that backtracks without end would hang tagging with no time bound
        if len(text) - 3 > MAX_PATTERN_LENGTH or (hazard := regex_hazard(text[3:])):
            problem = hazard or f"longer than {MAX_PATTERN_LENGTH} characters"
            raise TaxonomyError("taxonomy", [f"the regular expression {text!r}: {problem}"])
        return Term(text, pattern=re.compile(text[3:]))
    return Term(text, words=tuple(WordRule.parse(word) for word in text.split()))


class RuleIndex:
    """All word rules of a taxonomy, indexed for one pass per distinct token."""

    def __init__(self) -> None:
        self.rules: list[WordRule] = []
        self._ids: dict[WordRule, int] = {}
        self.exact: dict[str, list[int]] = {}  # base -> rules matching the word and inflections
        self.first: dict[str, list[int]] = {}  # base -> rules `word*`
        self.head: dict[str, list[int]] = {}  # base -> rules `*word`
        self.inside: list[int] = []  # rules `*word*`
        self.acronyms: dict[str, list[int]] = {}
        self.cache: dict[str, frozenset[int]] = {}
        self.first_sizes: set[int] = set()  # lengths of the bases in `first`
        self.head_sizes: set[int] = set()  # lengths of the bases in `head`

    def add(self, rule: WordRule) -> int:
        if rule in self._ids:
            return self._ids[rule]
        number = len(self.rules)
        self.rules.append(rule)
        self._ids[rule] = number
        if rule.case_sensitive:
            self.acronyms.setdefault(rule.base, []).append(number)
        elif rule.head and rule.first:
            self.inside.append(number)
        else:
            self.exact.setdefault(rule.base, []).append(number)
            if rule.first:
                self.first.setdefault(rule.base, []).append(number)
            if rule.head:
                self.head.setdefault(rule.base, []).append(number)
        self.first_sizes = {len(base) for base in self.first}
        self.head_sizes = {len(base) for base in self.head}
        self.cache.clear()
        return number

    def rules_for(self, token: str) -> frozenset[int]:
        """The ids of every rule the token satisfies (cached per distinct token)."""
        found = self.cache.get(token)
        if found is None:
            found = frozenset(self._compute(token))
            self.cache[token] = found
        return found

    def _compute(self, token: str) -> set[int]:
        hits: set[int] = set()
        if not _WORD_CHARS.search(token):
            return hits
        if self.acronyms:
            for candidate in _acronym_candidates(token):
                hits.update(self.acronyms.get(candidate, ()))
        word = token.casefold()
        forms = stems(word)
        if len(word) > 3 and word.isalpha():
            forms.add(lemma(word))
        for stem in forms:
            hits.update(self.exact.get(stem, ()))
        if self.first:
            for size in self.first_sizes:
                if size <= len(word):
                    hits.update(self.first.get(word[:size], ()))
        if self.head:
            for stem in forms:
                for size in self.head_sizes:
                    if size <= len(stem):
                        hits.update(self.head.get(stem[-size:], ()))
        for number in self.inside:
            if self.rules[number].base in word:
                hits.add(number)
        return hits


def stems(word: str) -> set[str]:
    """The word itself and what it could be an inflection of."""
    found = {word}
    if not word.isalpha():
        return found  # numbers, "FaR-recept", "1177": no regular endings to strip
    for ending in _ENDINGS_BY_LAST.get(word[-1], ()):
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stem = word[: -len(ending)]
            found.add(stem)
            if len(stem) >= 3 and stem[-1] == stem[-2]:
                found.add(stem[:-1])  # programmet -> program
            if ending in ("t", "e", "a") and not stem.endswith(("d", "t")):
                found.add(stem + "d")  # personcentrerat -> personcentrerad
            if ending in ("na", "rna", "n", "ns"):
                found.add(stem + "e")  # läkarna -> läkare
    return found


def _acronym_candidates(token: str) -> set[str]:
    """FaR-förskrivningen -> FaR; SIP:ar -> SIP; SIPar -> SIP; FaR -> FaR."""
    candidates = {token}
    for separator in ("-", ":", "–"):
        if separator in token:
            candidates.add(token.split(separator, 1)[0])
    match = re.match(r"^([A-ZÅÄÖ][A-Za-zÅÄÖåäö]*?[A-ZÅÄÖ])([a-zåäö]{1,5})$", token)
    if match:
        candidates.add(match.group(1))
    return candidates


@dataclass(frozen=True)
class CompiledTerm:
    entry: str  # theme or facet value id
    term: Term
    rules: tuple[int, ...]
    near: tuple[tuple[int, ...], ...] = ()  # near phrases, for a near rule
    window: int = 0
    exclude: bool = False
