"""Tag passages with the taxonomy's themes, each match with a status and its evidence.

How it works, and why (measured before it was written):

* Text is tokenised and split into sentences by a blank Swedish spaCy pipeline
  (``spacy.blank("sv")`` and :func:`sentences_of`), with tokenizer exceptions for the
  abbreviations the defaults split wrongly ("ca.", "enl.", "avd.", "st."), so an
  abbreviation does not end a sentence. Nothing is downloaded.
* A term is compiled into one :class:`WordRule` per word. Every distinct token is
  matched against all rules once, through dictionaries keyed by the token's
  lemma (simplemma, greedy), its stem without each regular Swedish ending, and its
  prefixes and suffixes for compound rules; the result is cached. A Matcher with
  hundreds of REGEX patterns ran at about 8k words/s; this runs at well over 150k.
* Phrases are consecutive tokens whose cached rule sets line up. Hyphenated
  coordination ("hälso- och sjukvård") adds the words it stands for ("hälsovård").
* Each match's status comes from cue words in its sentence (:func:`match_status`).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, NamedTuple

import simplemma

from nvreport.tagging.taxonomy import (
    MAX_PATTERN_LENGTH,
    Taxonomy,
    TaxonomyError,
    Theme,
    regex_hazard,
)

if TYPE_CHECKING:  # spaCy is imported when text is first tokenised: a run served
    # from the cache never needs it
    from spacy.language import Language

ACTIVE, PLANNED, NEGATED, NONE = "active", "planned", "negated", "none"
#: Statuses in the order they win when matches are combined: active over planned over negated.
STATUS_RANK = {ACTIVE: 3, PLANNED: 2, NEGATED: 1, NONE: 0}

# Abbreviations spaCy's Swedish tokenizer splits ("ca." -> "ca", "."), which would end
# sentences in the middle.
ABBREVIATIONS = (
    "ca.", "Ca.", "enl.", "avd.", "st.", "resp.", "jfr.", "mm.", "m.m.", "bl.a.", "Bl.a.",
    "t.ex.", "T.ex.", "fr.o.m.", "t.o.m.", "dvs.", "d.v.s.", "kap.", "prop.", "milj.",
    "mdkr.", "tkr.", "mkr.", "inkl.", "exkl.", "ang.", "angående.", "nr.", "s.k.", "p.g.a.",
    "pga.", "ev.", "kl.", "tel.", "vs.", "osv.", "etc.", "o.s.v.", "ff.", "f.d.", "bil.",
)  # fmt: skip

_ABBREVIATION_SET = frozenset(ABBREVIATIONS)

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


def make_nlp() -> Language:
    """The spaCy pipeline every command shares: blank Swedish with the exceptions.

    Sentences are split by :func:`sentences_of` on the tokenizer's output."""
    import spacy
    from spacy.attrs import ORTH

    nlp = spacy.blank("sv")
    for abbreviation in ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    return nlp


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """simplemma's greedy lemma of a lower-case Swedish word."""
    return simplemma.lemmatize(word, lang="sv", greedy=True).casefold()


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


#: A match as a tuple: (theme, status, text, start, end, sentence, term).
MatchTuple = tuple[str, str, str, int, int, str, str]


@dataclass(frozen=True)
class Match:
    """One occurrence of a theme in a passage.

    ``start``/``end`` are character offsets of the matched words in the passage;
    ``sentence`` is the sentence they stand in.
    """

    theme: str
    status: str
    text: str
    start: int
    end: int
    sentence: str
    term: str


class _RuleIndex:
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
        stems = _stems(word)
        if len(word) > 3 and word.isalpha():
            stems.add(lemma(word))
        for stem in stems:
            hits.update(self.exact.get(stem, ()))
        if self.first:
            for size in self.first_sizes:
                if size <= len(word):
                    hits.update(self.first.get(word[:size], ()))
        if self.head:
            for stem in stems:
                for size in self.head_sizes:
                    if size <= len(stem):
                        hits.update(self.head.get(stem[-size:], ()))
        for number in self.inside:
            if self.rules[number].base in word:
                hits.add(number)
        return hits


def _stems(word: str) -> set[str]:
    """The word itself and what it could be an inflection of."""
    stems = {word}
    if not word.isalpha():
        return stems  # numbers, "FaR-recept", "1177": no regular endings to strip
    for ending in _ENDINGS_BY_LAST.get(word[-1], ()):
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stem = word[: -len(ending)]
            stems.add(stem)
            if len(stem) >= 3 and stem[-1] == stem[-2]:
                stems.add(stem[:-1])  # programmet -> program
            if ending in ("t", "e", "a") and not stem.endswith(("d", "t")):
                stems.add(stem + "d")  # personcentrerat -> personcentrerad
            if ending in ("na", "rna", "n", "ns"):
                stems.add(stem + "e")  # läkarna -> läkare
    return stems


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
class _CompiledTerm:
    entry: str  # theme or facet value id
    term: Term
    rules: tuple[int, ...]
    near: tuple[tuple[int, ...], ...] = ()  # near phrases, for a near rule
    window: int = 0
    exclude: bool = False


_COORDINATORS = frozenset({"och", "eller", "samt", "respektive", "resp.", ",", "som"})
_HYPHENS = ("-", "\u2010")


_DEFINITION_STARTS = frozenset({"Med", "med", "MED"})
_DEFINING_VERBS = frozenset({"avses", "menas"})


def _defines(words: list[str]) -> bool:
    """Is the sentence a definition ("Med fast vårdkontakt avses en namngiven kontakt
    …")? A report defines a concept in a fact box or a footnote; that reports no work,
    and "avses" would read as a plan. "Med stöd av medlen avses att …" plans."""
    for position, word in enumerate(words[1:], start=1):
        if word.casefold() in _DEFINING_VERBS:
            following = words[position + 1].casefold() if position + 1 < len(words) else ""
            return following != "att"
    return False


def _token_span(starts: list[int], start: int, end: int) -> tuple[int, int]:
    """The first and last token (of those starting at ``starts``) that the characters
    [start, end) touch."""
    first = max(bisect_right(starts, start) - 1, 0)
    return first, max(bisect_right(starts, end - 1) - 1, first)


def _has_hyphen(text: str, start: int, end: int) -> bool:
    """Does text[start:end] hold a hyphen? Tokens are pieces of it, so without one no
    token ends with a hyphen."""
    return text.find("-", start, end) >= 0 or text.find("\u2010", start, end) >= 0


#: What a tagger knows of a token: the ids of the rules it satisfies, and the terms it
#: can begin, each with the rules its other words must satisfy, in order.
_TokenInfo = tuple[frozenset[int], tuple[tuple["_CompiledTerm", tuple[int, ...]], ...]]

#: Lead-ins whose status a tagger remembers (each is short; a report has dozens).
_CONTEXTS_KEPT = 10_000


class Tagger:
    """Tags text with a taxonomy. Build it once; it keeps its caches between calls."""

    def __init__(self, taxonomy: Taxonomy, nlp: Language | None = None) -> None:
        self.taxonomy = taxonomy
        self._nlp = nlp
        self.index = _RuleIndex()
        self.terms: list[_CompiledTerm] = []
        self.regex_terms: list[_CompiledTerm] = []
        self.by_first_rule: dict[int, list[_CompiledTerm]] = {}
        # every token seen: the rules it satisfies and the terms it can begin
        self._token_info: dict[str, _TokenInfo] = {}
        # a list's lead-in is the context of every item in the list: worked out once
        self._context_statuses: dict[tuple[str, int | None], str] = {}
        for entry in taxonomy.entries.values():
            self._add_entry(entry)

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline, made on first use."""
        if self._nlp is None:
            self._nlp = make_nlp()
        return self._nlp

    def load(self) -> None:
        """Load now what tagging loads on first use: the spaCy pipeline and the
        lemma dictionary (for worker processes forked afterwards to share)."""
        _ = self.nlp
        simplemma.lemmatize("vårdcentralerna", lang="sv", greedy=True)

    def _compile(self, text: str) -> tuple[Term, tuple[int, ...]]:
        term = compile_term(text)
        return term, tuple(self.index.add(rule) for rule in term.words)

    def _add_entry(self, entry: Theme) -> None:
        compiled: list[_CompiledTerm] = []
        for text in entry.terms:
            term, rules = self._compile(text)
            compiled.append(_CompiledTerm(entry.id, term, rules))
        for text in entry.exclude:
            term, rules = self._compile(text)
            compiled.append(_CompiledTerm(entry.id, term, rules, exclude=True))
        for rule in entry.near:
            term, rules = self._compile(rule.term)
            near = tuple(self._compile(text)[1] for text in rule.near)
            compiled.append(_CompiledTerm(entry.id, term, rules, near, rule.window))
        for item in compiled:
            if item.term.pattern is not None:
                self.regex_terms.append(item)
            else:
                self.terms.append(item)
                self.by_first_rule.setdefault(item.rules[0], []).append(item)

    def warm_up(self) -> None:
        """Load the lemma dictionary now rather than on the first new word (benchmarks
        time start-up apart from tagging; a run served from the cache never needs it)."""
        lemma("vård")

    # --- matching ------------------------------------------------------------------------

    def tag(self, text: str, year: int | None = None, context: str = "") -> list[Match]:
        """All theme and facet matches in one passage. ``context`` is a list item's
        lead-in sentence: it gives the status when the item itself says nothing."""
        return next(self.tag_many([text], [year], [context]))

    def tag_many(
        self,
        texts: Iterable[str],
        years: Iterable[int | None],
        contexts: Iterable[str] | None = None,
    ) -> Iterator[list[Match]]:
        """Tag many passages; spaCy tokenises them in batches."""
        for rows in self.tag_rows(texts, years, contexts):
            yield [Match(*row) for row in rows]

    def tag_rows(
        self,
        texts: Iterable[str],
        years: Iterable[int | None],
        contexts: Iterable[str] | None = None,
        tokens: Iterable[Tokens] | None = None,
    ) -> Iterator[list[MatchTuple]]:
        """As :meth:`tag_many`, each match as a plain tuple of :class:`Match`'s fields
        (theme, status, text, start, end, sentence, term): cheaper to make and to send
        between processes. ``tokens``: the texts' :meth:`tokenize`, when known."""
        texts = list(texts)
        context_list = iter(contexts) if contexts is not None else None
        if tokens is None:
            tokens = self.tokenize(texts)
        for text, (starts, lengths), year in zip(texts, tokens, years, strict=False):
            context = next(context_list, "") if context_list is not None else ""
            fallback = self._context_status(context, year) if context else ACTIVE
            sentences = sentences_of(starts, lengths, text)
            found = [self._tag_sentence(sentence, year, fallback) for sentence in sentences]
            for number in range(len(sentences) - 1):
                if found[number] and not found[number + 1]:
                    found[number] = _planned_next(found[number], sentences[number + 1], year)
            yield [match for matches in found for match in matches]

    @cached_property
    def tokenizer_version(self) -> str:
        """What the tokens depend on besides the text: spaCy's version and the
        tokenizer exceptions (a cache of :meth:`tokenize` is keyed by it)."""
        from importlib.metadata import version

        exceptions = hashlib.sha256("\n".join(ABBREVIATIONS).encode()).hexdigest()[:16]
        return f"spacy-{version('spacy')}-{exceptions}"

    def tokenize(self, texts: Sequence[str]) -> list[Tokens]:
        """Every text's tokens, as (starts, lengths): spaCy tokenises them in batches."""
        from spacy.attrs import IDX, LENGTH

        found: list[Tokens] = []
        for doc in self.nlp.tokenizer.pipe(texts, batch_size=512):
            array = doc.to_array([IDX, LENGTH])
            found.append((array[:, 0].tolist(), array[:, 1].tolist()) if len(array) else ([], []))
        return found

    def _context_status(self, context: str, year: int | None) -> str:
        """The status a list's lead-in gives its items that say nothing themselves."""
        found = self._context_statuses.get((context, year))
        if found is None:
            sentences = sentences_of(*self.tokenize([context])[0], context)
            if not sentences:
                found = ACTIVE
            else:
                last = sentences[-1]
                found = match_status(sentence_cues(last.words, year), len(last.words))
            if len(self._context_statuses) >= _CONTEXTS_KEPT:
                self._context_statuses.clear()
            self._context_statuses[(context, year)] = found
        return found

    def _learn_token(self, token: str) -> _TokenInfo:
        rules = self.index.rules_for(token)
        by_first_rule = self.by_first_rule
        info = (
            rules,
            tuple((item, item.rules[1:]) for rule in rules for item in by_first_rule.get(rule, ())),
        )
        self._token_info[token] = info
        return info

    def _tag_sentence(
        self, sentence: Sentence, year: int | None, fallback: str
    ) -> list[MatchTuple]:
        """The sentence's matches as tuples of :class:`Match`'s fields."""
        tokens = sentence.words
        if tokens and tokens[0] in _DEFINITION_STARTS and _defines(tokens):
            return []
        known, learn = self._token_info.get, self._learn_token
        # per token: the rules it satisfies and the terms it can begin (cached)
        infos = [known(token) or learn(token) for token in tokens]
        hits = [info[0] for info in infos]
        spans: list[tuple[_CompiledTerm, int, int]] = []  # (term, first token, last token)
        count = len(tokens)
        for position, (_, items) in enumerate(infos):
            for item, rest in items:  # rest: the rules of the term's other words
                if not rest:
                    spans.append((item, position, position))
                    continue
                last = position + len(rest)
                if last >= count:
                    continue
                following = position
                for rule in rest:
                    following += 1
                    if rule not in hits[following]:
                        break
                else:
                    spans.append((item, position, last))
        text = sentence.text
        if _has_hyphen(text, sentence.start, sentence.end):  # else nothing is coordinated
            spans.extend(self._coordinated(tokens, hits))
        found: list[tuple[str, str, int, int]] = []  # (entry, term, start char, end char)
        excluded: dict[str, list[tuple[int, int]]] = {}
        for item, first, last in spans:
            if item.exclude:
                excluded.setdefault(item.entry, []).append((first, last))
        starts = sentence.starts
        # regular-expression terms, excludes and near rules, as (term, first token,
        # last token, start char, end char): they exclude and are excluded as words do
        patterned = [
            (item, *_token_span(starts, match.start(), match.end()), match.start(), match.end())
            for item in self.regex_terms
            for match in item.term.pattern.finditer(text, sentence.start, sentence.end)  # type: ignore[union-attr]
            if match.end() > match.start()  # a lookaround alone finds no words
        ]
        for item, first, last, _, _ in patterned:
            if item.exclude:
                excluded.setdefault(item.entry, []).append((first, last))
        for item, first, last in spans:
            if item.exclude:
                continue
            if excluded and any(a <= last and first <= b for a, b in excluded.get(item.entry, ())):
                continue
            if item.near and not self._is_near(item, first, last, hits):
                continue
            found.append(
                (item.entry, item.term.text, starts[first], starts[last] + len(tokens[last]))
            )
        for item, first, last, start, end in patterned:
            if item.exclude:
                continue
            if excluded and any(a <= last and first <= b for a, b in excluded.get(item.entry, ())):
                continue
            if item.near and not self._is_near(item, first, last, hits):
                continue
            found.append((item.entry, item.term.text, start, end))
        if not found:
            return []
        cues = sentence_cues(tokens, year)
        sentence_text = text[sentence.start : sentence.end]
        if (
            not _RECORD_TOKENS.isdisjoint(tokens)
            and _RECORD_LINE.search(sentence_text)
            and not any(
                cue.kind in (ACTIVE, PLANNED, NEGATED) and not cue.weak for cue in cues.cues
            )
        ):
            return []  # a letterhead or record line: "Dnr RS 2022/123", "Handläggare: …"
        if not _UNIT_TOKENS.isdisjoint(tokens):
            found = _outside_unit_names(found, tokens, starts, cues)
            if not found:
                return []
        matches: list[MatchTuple] = []
        kept: dict[str, list[tuple[int, int]]] = {}
        for entry, term, start, end in sorted(found, key=lambda f: (f[2], -f[3], f[0])):
            if any(a < end and start < b for a, b in kept.get(entry, ())):
                continue  # overlaps a longer match of the same theme
            kept.setdefault(entry, []).append((start, end))
            first_token = max(bisect_right(starts, start) - 1, 0)
            matches.append(
                (
                    entry,
                    match_status(cues, first_token, fallback),
                    text[start:end],
                    start,
                    end,
                    sentence_text,
                    term,
                )
            )
        return matches

    def _is_near(
        self, item: _CompiledTerm, first: int, last: int, hits: list[frozenset[int]]
    ) -> bool:
        low, high = max(0, first - item.window), min(len(hits), last + item.window + 1)
        window = hits[low:high]
        present = frozenset().union(*window)
        for phrase in item.near:
            if phrase[0] not in present:
                continue
            if len(phrase) == 1:
                return True
            for offset in range(len(window) - len(phrase) + 1):
                if all(phrase[k] in window[offset + k] for k in range(len(phrase))):
                    return True
        return False

    def _reaches_head(self, rule: int, stem_length: int) -> bool:
        word = self.index.rules[rule]
        return word.first or word.head or word.case_sensitive or len(word.base) > stem_length

    def _coordinated(
        self, tokens: list[str], hits: list[frozenset[int]]
    ) -> Iterator[tuple[_CompiledTerm, int, int]]:
        """Terms hidden by a hyphen: coordination ("hälso- och sjukvård" holds
        hälsovård; "fasta läkar- och omvårdnadskontakter" holds fast läkarkontakt and
        fast omvårdnadskontakt) and words a line break split in text that was not
        joined ("personcen- trerat")."""
        rules_for = self.index.rules_for
        for position, token in enumerate(tokens):
            if len(token) < 3 or not token.endswith(_HYPHENS) or not token[-2].isalpha():
                continue
            cursor = position + 1
            while cursor < len(tokens) and (
                tokens[cursor] in _COORDINATORS or tokens[cursor].endswith(_HYPHENS)
            ):
                cursor += 1
            if cursor >= len(tokens) or cursor - position > 6:
                continue
            stem, head_word = token[:-1], tokens[cursor]
            if cursor == position + 1:
                if not head_word[:1].islower():
                    continue
                virtual = rules_for(stem + head_word)  # a split word
                heads: frozenset[int] = frozenset()
            else:
                # "Senior- och juniorkonsulter": the truncated word is a compound's first
                # part, so it matches alone only a term declared to match as one (`word*`,
                # or an acronym); a plain word must reach into the head ("hälso- och
                # sjukvård" holds hälsovård), not merely take an ending from it ("seniorer")
                virtual = frozenset(
                    rule
                    for rule in frozenset().union(
                        *(
                            rules_for(stem + head_word[split:])
                            for split in range(1, len(head_word) - 1)
                        )
                    )
                    if self._reaches_head(rule, len(stem))
                )
                heads = hits[cursor]
            before = hits[position - 1] if position else frozenset()
            for rule in virtual:
                for item in self.by_first_rule.get(rule, ()):
                    if len(item.rules) == 1:
                        yield item, position, cursor
            # two-word terms whose first word stands before the coordination
            for rule in before:
                for item in self.by_first_rule.get(rule, ()):
                    if len(item.rules) == 2 and (
                        item.rules[1] in virtual or item.rules[1] in heads
                    ):
                        yield item, position - 1, cursor


# Title pages, letterheads and record lines report no work: a diary number, a label with a
# colon ("Datum:", "Handläggare:", "Postadress:"), "Version 1.2", an address, or the
# record of a decision with its date ("Beslutad av regionstyrelsen 2023-03-01"). A
# sentence with one of them and no word that tells status is not evidence of anything.
_RECORD_LINE = re.compile(
    r"(?i)(?:^|[|,;]\s*)(?:diarienummer|diarienr|dnr|ärendenummer|ärendenr|beteckning)\b"
    r"|^(?:datum|handläggare|författare|dokumentansvarig|dokumentägare|kontaktperson|"
    r"kontaktpersoner|ansvarig|postadress|besöksadress|adress|telefon|tel|e-post|epost|"
    r"webbplats|org\.?\s?nr|organisationsnummer|sändlista|mottagare|gäller från|"
    r"giltig\w*|version|sida|ärende|dokumenttyp|dokumentnamn)\s*:"
    r"|^version\s+\d+(?:\.\d+)+\b"
    r"|^(?:beslutad|beslutat|fastställd|fastställt|godkänd|godkänt|antagen|antaget|"
    r"reviderad|reviderat|upprättad|upprättat)\b[^.]{0,80}?\b(?:\d{4}-\d{2}-\d{2}|§)"
    r"|\bbox\s+\d+\b"
)
#: Tokens without which no sentence is a record line (a cheap test before the pattern).
_RECORD_WORDS = (
    "diarienummer", "diarienr", "dnr", "ärendenummer", "ärendenr", "beteckning", "datum",
    "handläggare", "författare", "dokumentansvarig", "dokumentägare", "kontaktperson",
    "kontaktpersoner", "ansvarig", "postadress", "besöksadress", "adress", "telefon", "tel",
    "e-post", "epost", "webbplats", "org.nr", "orgnr", "organisationsnummer", "sändlista",
    "mottagare", "gäller", "giltig", "giltighetstid", "version", "sida", "ärende",
    "dokumenttyp", "dokumentnamn", "beslutad", "beslutat", "fastställd", "fastställt",
    "godkänd", "godkänt", "antagen", "antaget", "reviderad", "reviderat", "upprättad",
    "upprättat", "box",
)  # fmt: skip
_RECORD_TOKENS = frozenset(
    form for word in _RECORD_WORDS for form in (word, word.capitalize(), word.upper())
)
# The name of a unit ("Avdelningen för nära vård och hälsa", "Enheten för
# digitalisering", "Beredningen för hälsa och nära vård") names a remit, not work done:
# its words are no evidence, whatever the sentence goes on to report. A name is a unit
# noun in its definite form, or capitalised; "har inrättat en enhet för välfärdsteknik"
# reports work.
_UNIT_NAMES = (
    "avdelningen", "enheten", "sektionen", "staben", "kansliet", "kontoret", "centrumet",
    "nämnden", "utskottet", "beredningen", "verksamhetsområdet", "förvaltningen", "byrån",
)  # fmt: skip
_UNIT_NOUNS = (
    "avdelning", "enhet", "sektion", "stab", "kansli", "kontor", "centrum", "nämnd",
    "utskott", "beredning", "verksamhetsområde", "byrå",
)  # fmt: skip
_UNIT_TOKENS = frozenset(
    [form for word in _UNIT_NAMES for form in (word, word.capitalize(), word.upper())]
    + [form for word in _UNIT_NOUNS for form in (word.capitalize(), word.upper())]
)
_UNIT_NAME_ENDS = frozenset({",", ";", ":", "|", "(", ")", ".", "!", "?", "som", "där", "–"})
_UNIT_NAME_WORDS = 7  # at most: "Avdelningen för hälsa, vård och tandvård i Norrbotten"


def _outside_unit_names(
    found: list[tuple[str, str, int, int]], tokens: list[str], starts: list[int], cues: SentenceCues
) -> list[tuple[str, str, int, int]]:
    """The matches that do not stand in a unit's name: from "för" after a unit noun up to
    a punctuation mark, a word that tells status ("har", "erbjuder") or seven words."""
    cue_positions = {cue.position for cue in cues.cues}
    spans: list[tuple[int, int]] = []
    for position, token in enumerate(tokens[:-1]):
        if token not in _UNIT_TOKENS or tokens[position + 1].casefold() != "för":
            continue
        last = position + 1
        while (
            last + 1 < len(tokens)
            and last + 1 - position <= _UNIT_NAME_WORDS
            and tokens[last + 1].casefold() not in _UNIT_NAME_ENDS
            and last + 1 not in cue_positions
        ):
            last += 1
        spans.append((starts[position], starts[last] + len(tokens[last])))
    if not spans:
        return found
    return [f for f in found if not any(a <= f[2] and f[3] <= b for a, b in spans)]


class Sentence(NamedTuple):
    """The tokens of one sentence: their texts and where each starts in ``text``
    (a named tuple: a passage makes one per sentence, and a tuple is cheaper to make)."""

    text: str  # the whole passage
    words: list[str]
    starts: list[int]
    start: int
    end: int


_SENTENCE_ENDS = frozenset({".", "!", "?", "…", "!?"})


#: A text's tokens: where each starts in the text, and its length.
Tokens = tuple[list[int], list[int]]


def sentences_of(token_starts: list[int], lengths: list[int], text: str) -> list[Sentence]:
    """Split a tokenised passage (its tokens as their starts and lengths in ``text``,
    from :meth:`Tagger.tokenize`) into sentences: after ".", "!" or "?" when the next
    token starts with a capital letter. Abbreviations are single tokens ("bl.a.",
    "ca."), thanks to the tokenizer exceptions, so they never end a sentence.

    Works on token offsets rather than spaCy Token objects: building a Token per
    word cost more than all the matching together."""
    if not token_starts:
        return []
    words = [
        text[start : start + length] for start, length in zip(token_starts, lengths, strict=True)
    ]
    starts = list(token_starts)
    # spaCy keeps a mixed-case word and its full stop together ("FaR."): part them
    dotted = [
        number
        for number, word in enumerate(words)
        if word[-1] == "."  # tokens are never empty
        and len(word) > 1
        and "." not in word[:-1]
        and word not in _ABBREVIATION_SET
    ]
    for number in reversed(dotted):
        word, start = words[number], starts[number]
        words[number : number + 1] = [word[:-1], "."]
        starts[number : number + 1] = [start, start + len(word) - 1]
    sentences: list[Sentence] = []
    first, count = 0, len(words)
    for number in [n for n, word in enumerate(words) if word in _SENTENCE_ENDS]:
        if number + 1 < count:
            following = text[starts[number + 1]]
            if following.isupper() or following in "\"'«»”–-":
                end = starts[number] + len(words[number])
                sentences.append(
                    Sentence(
                        text,
                        words[first : number + 1],
                        starts[first : number + 1],
                        starts[first],
                        end,
                    )
                )
                first = number + 1
    if first < count:
        end = token_starts[-1] + lengths[-1]
        sentences.append(Sentence(text, words[first:], starts[first:], starts[first], end))
    if any(len(sentence.words) > MAX_SENTENCE_TOKENS for sentence in sentences):
        return [piece for sentence in sentences for piece in _bounded(sentence)]
    return sentences


#: A "sentence" longer than this many tokens is text without full stops (a list or
#: table run together, or a damaged file) and is taken in pieces this long: the
#: status of a match looks at every cue of its sentence, and each match carries its
#: sentence as evidence, so one sentence of N words would cost N² time and space.
#: Real sentences stay far below it (the longest of 41,000 in the gold sets and the
#: samples has 45 tokens).
MAX_SENTENCE_TOKENS = 200


def _bounded(sentence: Sentence) -> list[Sentence]:
    words, starts = sentence.words, sentence.starts
    if len(words) <= MAX_SENTENCE_TOKENS:
        return [sentence]
    pieces = []
    for first in range(0, len(words), MAX_SENTENCE_TOKENS):
        last = min(first + MAX_SENTENCE_TOKENS, len(words)) - 1
        pieces.append(
            Sentence(
                sentence.text,
                words[first : last + 1],
                starts[first : last + 1],
                starts[first],
                starts[last] + len(words[last]),
            )
        )
    return pieces


# --- status ----------------------------------------------------------------------------

_NEGATION_WORDS = frozenset(
    {
        "inte", "ej", "icke", "aldrig", "saknas", "saknar", "saknades", "saknat",
        # work stopped or put on hold is, for now, absent
        "pausats", "pausades", "pausat", "avbrutits", "avbröts", "avvecklats", "avvecklades",
        "upphört", "upphörde", "lagts", "lades", "pausade", "pausad", "vilande",
    }
)  # fmt: skip
# "inte bara/minst/enbart …" does not negate; "inte helt" is partial presence.
_NOT_NEGATIONS = frozenset(
    {"bara", "minst", "enbart", "endast", "blott", "sällan", "alltid", "helt"}
)
# "inte … i någon större omfattning / i tillräcklig utsträckning": present, but little.
_EXTENT_WORDS = frozenset({"omfattning", "utsträckning", "takt"})
_NEGATION_DETERMINERS = frozenset({"ingen", "inget", "inga", "varken"})
# Words that, just before a plan, deny it: "inga beslut om", "något beslut … har inte".
_DENIERS = frozenset({"inte", "ej", "ingen", "inget", "inga", "något", "någon", "några"})
_PLANNED_WORDS = frozenset(
    {
        "planerar", "planeras", "planerad", "planerat",
        "ska", "skall", "avser", "avses", "avsikten", "påbörjas", "förbereder", "förbereds",
        "förberedelser", "förberedelserna", "förberedelse", "förberedande", "framöver",
        "ambitionen", "målsättningen", "tänkt", "utreds", "utredas", "utredning", "utreda",
        "förstudie", "förstudien", "införas", "starta", "kommande", "beräknas",
        "skjutits", "senarelagts", "senarelagt",
    }
)  # fmt: skip
_PLANNED_PHRASES = (
    ("kommer", "att"), ("beslut", "om"), ("nästa", "år"), ("på", "sikt"), ("är", "planerad"),
)  # fmt: skip
# A decision already taken ("har beslutat", "beslut har fattats", "det är beslutat") is in
# force: it plans only what it introduces or dates to a later year ("har beslutat att
# införa X", "beslut har fattats om att X ska erbjudas från 2023"); "beslutat att X ska
# finnas" reports a requirement in place. The fatta-forms count next to "beslut".
_DECISION_WORDS = frozenset(
    {"beslutat", "beslutats", "beslutade", "beslutades", "fattats", "fattat", "fattade", "fattades"}
)
_FATTA = frozenset({"fattats", "fattat", "fattade", "fattades"})
# What a decision introduces: it is not there yet.
_INTRODUCING_WORDS = frozenset(
    {
        "införa", "införas", "införande", "införandet", "starta", "startas", "start", "starten",
        "uppstart", "uppstarten", "inrätta", "inrättas", "inrättande", "inrättandet", "etablera",
        "etableras", "bilda", "bildas", "öppna", "öppnas", "upphandla", "upphandlas",
        "upphandling", "bygga", "byggas", "anställa", "anställas", "rekrytera", "rekryteras",
        "påbörja", "påbörjas", "implementera", "implementeras", "implementering", "pröva",
        "prövas", "testa", "testas", "utreda", "utredas", "fram",
    }
)  # fmt: skip
# Words whose "att"-clause states a rule or decision in force: its "ska" describes the
# rule, not a plan ("har infört krav på att X ska beaktas", "beslut har fattats om att X
# ska erbjudas", "uppdraget innebär att X ska erbjudas").
_REQUIRING_WORDS = _DECISION_WORDS | frozenset(
    {
        "beslut", "beslutet", "besluten", "krav", "kravet", "kraven", "riktlinjen",
        "riktlinjerna", "rutinen", "regeln", "reglerna", "uppdrag", "uppdraget",
    }
)  # fmt: skip
# A plan stated through a noun phrase: "planerade insatser", "planerade åtgärder:".
# ("planerade hembesök" and "planerade operationer" are scheduled, not planned work.)
_EFFORT_HEADS = (
    "insats", "aktivitet", "åtgärd", "satsning", "steg", "projekt", "utvecklingsområde",
    "förändring", "förbättring", "utvecklingsarbete",
)  # fmt: skip
# Verbs that say what a list holds: after a planned frame ("Bland planerade aktiviteter
# finns X", "I handlingsplanen för nästa år ingår X", "Kommande insatser omfattar X") they
# give what follows the frame's status, not their own.
_CONTAINING_WORDS = frozenset(
    {
        "finns", "ingår", "hör", "omfattar", "innefattar", "inkluderar", "innehåller",
        "återfinns", "märks",
    }
)  # fmt: skip
#: A cue that marks what follows it as planned, and nothing before it.
PLANNED_AFTER = "planned_after"
_PLANNED_PHRASE_STARTS = frozenset(phrase[0] for phrase in _PLANNED_PHRASES)
_ACTIVE_PHRASES = (("håller", "på"), ("är", "igång"), ("i", "gång"))  # fmt: skip
_ACTIVE_PHRASE_STARTS = frozenset(phrase[0] for phrase in _ACTIVE_PHRASES)
_ACTIVE_WORDS = frozenset(
    {
        "infört", "införts", "införde", "infördes", "erbjuder", "erbjuds", "erbjöd", "erbjudits",
        "pågår", "pågick", "pågått", "genomfört", "genomförts", "genomförde", "genomfördes",
        "används", "använder", "användes", "finns", "fanns", "startade", "startat", "startades",
        "påbörjat", "påbörjats", "påbörjade", "påbörjades", "etablerat", "etablerats",
        "etablerades", "arbetar", "arbetat", "bedrivs", "bedrivits", "implementerat",
        "implementerats", "implementerades", "har", "sedan", "slutfördes", "utökats", "utökades",
        "fortsatt", "fortsätter", "utvecklats", "tecknats", "tecknade", "tecknat", "fått",
        "erhållit", "deltagit", "deltar", "besöker", "ingår", "utförs", "utfördes", "följs",
    }
)  # fmt: skip
# Planned work on something that already exists is work in place: "planerar att utöka",
# "ska utvärderas", "utbilda fler".
_EXTENSION_WORDS = frozenset(
    {
        "utöka", "utökas", "utvidga", "utvidgas", "vidareutveckla", "vidareutvecklas", "fortsätta",
        "fortsätter", "sprida", "spridas", "skala", "breddas", "bredda", "förstärka", "förstärkas",
        "permanenta", "permanentas", "utvärdera",
        "utvärderas", "utvärdering", "utvärderingen", "revidera", "revideras", "revideringen",
        "fler", "ytterligare",
    }
)  # fmt: skip
# A supine after "har"/"hade" reports work done: "har förankrats", "har tagit fram".
_SUPINE_ENDINGS = ("ats", "its", "ts", "at", "it", "tt")
_PERFECT_AUXILIARIES = frozenset({"har", "hade"})
# "ska" right after these opens a description, not a plan: "hur vården ska vara".
_SUBORDINATORS = frozenset({"hur", "vad", "som", "där", "vilka", "vilken", "vilket", "när"})
_CLAUSE_BREAKS = frozenset({";", "men", "medan"})
_CONJUNCTIONS = frozenset({"och", "samt", "eller"})  # after a comma, a new main clause
_YEAR = re.compile(r"^(20[1-4]\d)$")
_CUE_WORDS = (
    _NEGATION_WORDS
    | _NEGATION_DETERMINERS
    | _PLANNED_WORDS
    | _DECISION_WORDS
    | _CONTAINING_WORDS
    | {"planerade"}
    | _PLANNED_PHRASE_STARTS
    | _EXTENSION_WORDS
    | _ACTIVE_WORDS
    | _ACTIVE_PHRASE_STARTS
)


class Cue(NamedTuple):
    position: int  # token index within the sentence
    kind: str  # ACTIVE, PLANNED, NEGATED, PLANNED_AFTER, "determiner", "extension", "period"
    clause: int  # clause number within the sentence
    weak: bool = False  # "har" and "sedan": active only when nothing else speaks


class SentenceCues(NamedTuple):
    cues: tuple[Cue, ...]
    clauses: tuple[int, ...]  # clause number of every token
    framed: bool = False  # a PLANNED_AFTER cue among them


def _clauses(words: list[str]) -> list[int]:
    """The clause number of every word: a clause break starts a new clause."""
    breaks = [
        position
        for position, word in enumerate(words)
        if word in _CLAUSE_BREAKS
        or (word in _CONJUNCTIONS and position and words[position - 1] == ",")
    ]
    numbers: list[int] = []
    before = 0
    for clause, position in enumerate(breaks):
        numbers.extend([clause] * (position - before))
        before = position
    numbers.extend([len(breaks)] * (len(words) - before))
    return numbers


def sentence_cues(tokens: list[str], year: int | None) -> SentenceCues:
    """Find the words in a sentence that tell done, planned or absent."""
    words = [token.casefold() for token in tokens]
    clauses = _clauses(words)
    cues: list[Cue] = []
    # most words say nothing about status
    for position in [
        position
        for position, word in enumerate(words)
        if word in _CUE_WORDS or word.endswith(_SUPINE_ENDINGS) or word[:1].isdigit()
    ]:
        word = words[position]
        following = words[position + 1] if position + 1 < len(words) else ""
        previous = words[position - 1] if position else ""
        here = clauses[position]
        if word in _NEGATION_WORDS:
            window = words[position + 1 : position + 6]
            if word in ("inte", "ej") and following in _NOT_NEGATIONS:
                continue
            if any(extent in window for extent in _EXTENT_WORDS):
                continue
            if word in ("lagts", "lades") and following != "ned":
                continue
            if previous == "som":
                continue  # "för alla som inte har hemtjänst": about someone else
            cues.append(Cue(position, NEGATED, here))
        elif word in _NEGATION_DETERMINERS:
            cues.append(Cue(position, "determiner", here))
        elif word in _DECISION_WORDS:
            if word in _FATTA and not any(
                w.startswith("beslut") for w in words[max(0, position - 3) : position + 3]
            ):
                continue  # "fattat" without "beslut": not a decision
            if any(w in _DENIERS for w in words[max(0, position - 3) : position]):
                continue  # "något beslut har inte fattats": the negation speaks
            cues.append(Cue(position, _decided(words, clauses, position, year), here))
        elif (
            word in _PLANNED_WORDS
            or (
                word in _PLANNED_PHRASE_STARTS
                and _starts_phrase(words, position, _PLANNED_PHRASES)
                and not (word == "beslut" and _decision_taken(words, position))
            )
            or (word == "planerade" and following.startswith(_EFFORT_HEADS))
        ):
            before = words[max(0, position - 3) : position]
            if any(w in _DENIERS for w in before) or "obestämd" in words[position : position + 5]:
                continue  # "inga beslut om", "inte kunnat införas", "uppskjutet på obestämd tid"
            if word == "nästa" and previous == "för":
                cues.append(Cue(position, "period", here))  # "handlingsplanen för nästa år"
                continue
            weak = (
                # "som planerat": measured against a plan, not a plan; "som kommer att
                # användas" describes; but "de insatser som planeras" are planned
                (previous == "som" and word not in ("planeras", "planerats"))
                or (
                    word in ("ska", "skall")
                    and (
                        _subordinate(words, clauses, position)
                        or _required(words, clauses, position)
                    )
                )
                or any(c.kind == PLANNED and c.weak and position - c.position <= 2 for c in cues)
            )
            cues.append(Cue(position, PLANNED, here, weak=weak))
        elif word in _CONTAINING_WORDS and _in_planned_frame(cues, words, position, here):
            cues.append(Cue(position, PLANNED_AFTER, here))
        elif word == "obestämd" and following == "tid":
            cues.append(Cue(position, NEGATED, here))  # "skjutits upp på obestämd tid"
        elif word in _EXTENSION_WORDS:
            cues.append(Cue(position, "extension", here))
        elif (
            word in _ACTIVE_WORDS
            or (word in _ACTIVE_PHRASE_STARTS and _starts_phrase(words, position, _ACTIVE_PHRASES))
            or _is_perfect(words, position)
        ):
            if word in ("pågår", "pågick") and any(
                cue.kind == PLANNED and position - cue.position <= 2 for cue in cues
            ):
                continue  # "förberedelser pågår": the preparation, not the thing, is ongoing
            cues.append(Cue(position, ACTIVE, here, weak=word in ("har", "sedan")))
        elif year is not None and (match := _YEAR.match(word)):
            later = int(match.group(1)) > year
            if later and previous == "för":
                cues.append(Cue(position, "period", here))  # "verksamhetsplanen för 2024"
            elif later and previous not in ("år", "–", "-"):
                cues.append(Cue(position, PLANNED, here))
            elif not later and previous in ("sedan", "under", "i", "från"):
                cues.append(Cue(position, ACTIVE, here, weak=True))
    framed = any(cue.kind == PLANNED_AFTER for cue in cues)
    return SentenceCues(tuple(cues), tuple(clauses), framed)


def _decision_taken(words: list[str], position: int) -> bool:
    """Is "beslut" at ``position`` one already taken ("beslut har fattats om", "fattade
    beslut om")? The taken form is the cue then."""
    return any(w in _FATTA for w in words[max(0, position - 3) : position + 4])


def _decided(words: list[str], clauses: list[int], position: int, year: int | None) -> str:
    """The status a decision taken at ``position`` gives: ``planned`` when what it decides,
    in its clause, introduces something or names a later year, else ``active`` (a
    requirement in force)."""
    clause = clauses[position]
    for later in range(position + 1, len(words)):
        if clauses[later] != clause:
            break
        word = words[later]
        introduces = word in _INTRODUCING_WORDS and (
            word != "fram" or words[later - 1] in ("ta", "tas", "tagits")  # "ta fram"
        )
        dated_later = (
            year is not None
            and (match := _YEAR.match(word)) is not None
            and int(match.group(1)) > year
        ) or (word == "nästa" and words[later + 1 : later + 2] == ["år"])
        if introduces or dated_later:
            return PLANNED
    return ACTIVE


def _required(words: list[str], clauses: list[int], position: int) -> bool:
    """Does "ska" at ``position`` stand in the "att"-clause of a decision or requirement
    ("krav på att X ska beaktas", "beslutat att X ska finnas")? It describes the rule."""
    clause = clauses[position]
    for start in range(position - 1, max(-1, position - 10), -1):
        if clauses[start] != clause:
            return False
        if words[start] == "att" and any(
            w in _REQUIRING_WORDS for w in words[max(0, start - 4) : start]
        ):
            return True
    return False


#: Words after a "finns"/"ingår" that say the thing is there already.
_PRESENT_WORDS = frozenset({"redan", "nu", "idag", "sedan"})


def _in_planned_frame(cues: list[Cue], words: list[str], position: int, clause: int) -> bool:
    """Does the verb at ``position`` ("finns", "ingår", "omfattar") follow a planned frame in
    its clause: a plan ("Bland planerade aktiviteter finns", "Kommande insatser
    omfattar") or a later period ("I handlingsplanen för nästa år ingår")? Not when it
    says the thing is there: "finns redan", "finns i dag"."""
    following = words[position + 1 : position + 3]
    if following and (following[0] in _PRESENT_WORDS or following == ["i", "dag"]):
        return False
    return any(
        cue.clause == clause and not cue.weak and cue.kind in (PLANNED, "period") for cue in cues
    )


def _subordinate(words: list[str], clauses: list[int], position: int) -> bool:
    """Does "ska" at ``position`` stand in a clause that describes rather than plans?

    "hur vården ska vara", "vilka som ska", "för att fler läkare ska vilja", "i
    avvaktan på att programmet ska fastställas".
    """
    clause = clauses[position]
    for start in range(max(0, position - 8), position):
        if clauses[start] != clause:
            continue
        word = words[start]
        if word in ("avvaktan", "väntan"):
            return True
        if word == "för" and start + 1 < position and words[start + 1] == "att":
            return True
        if word in _SUBORDINATORS and position - start <= 4:
            return True
    return False


def _is_perfect(words: list[str], position: int) -> bool:
    """A supine after "har"/"hade", perhaps with one word between: "har också införts"."""
    word = words[position]
    if len(word) <= 4 or not word.endswith(_SUPINE_ENDINGS):
        return False
    before = words[max(0, position - 2) : position]
    return any(auxiliary in _PERFECT_AUXILIARIES for auxiliary in before)


def _starts_phrase(words: list[str], position: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
    return any(tuple(words[position : position + len(phrase)]) == phrase for phrase in phrases)


def match_status(found: SentenceCues, position: int, fallback: str = ACTIVE) -> str:
    """The status of a match at token ``position``, from its sentence's cues.

    * A negation in the match's clause ("inte", "saknas", "har pausats"), or
      "ingen/inga/inget" before it in its clause ("det finns ingen rutin för SIP"), makes
      it ``negated`` — unless the sentence also plans it ("har ännu inte införts men
      planeras till 2023" is ``planned``).
    * Otherwise the strongest cue nearest to the match, in its clause first, decides:
      a plan is ``planned``, unless what is planned is to extend, continue or spread
      (then the thing exists: ``active``).
    * Without cues, ``fallback``: a mention reports work in place (``active``), or, for
      a list item, what its lead-in says ("Under 2023 avser regionen att:").

    A "finns"/"ingår" after a planned frame plans what follows it only ("I
    handlingsplanen för nästa år ingår X": X is planned, the plan itself is not).
    """
    cues = found.cues
    if not cues:
        return fallback
    if found.framed:
        cues = tuple(
            cue._replace(kind=PLANNED) if cue.kind == PLANNED_AFTER else cue
            for cue in cues
            if cue.kind != PLANNED_AFTER or cue.position < position
        )
        found = found._replace(cues=cues, framed=False)
    clause = found.clauses[min(position, len(found.clauses) - 1)]
    in_clause = [cue for cue in cues if cue.clause == clause]
    negated = any(cue.kind == NEGATED for cue in in_clause) or any(
        _determiner_negates(found, cue, position) for cue in in_clause if cue.kind == "determiner"
    )
    planned = [cue for cue in cues if cue.kind == PLANNED and not cue.weak]
    extension = _extends(cues, planned, position)
    if negated:
        denial = min(
            (cue.position for cue in cues if cue.kind in (NEGATED, "determiner")), default=0
        )
        if any(cue.position > denial for cue in planned) and not extension:
            return PLANNED  # "har ännu inte införts men planeras till 2023"
        return NEGATED
    strong = [cue for cue in in_clause if cue.kind in (ACTIVE, PLANNED) and not cue.weak]
    if not strong:
        strong = [cue for cue in cues if cue.kind in (ACTIVE, PLANNED) and not cue.weak]
    if not strong:
        return fallback
    nearest = min(strong, key=lambda cue: (abs(cue.position - position), cue.position > position))
    if nearest.kind == PLANNED and not extension:
        return PLANNED
    return ACTIVE


def _extends(cues: tuple[Cue, ...], planned: list[Cue], position: int) -> bool:
    """Is the plan to extend, evaluate or revise the matched thing, so that it exists?

    The extension word must be governed by the plan ("planerar att utöka", "kommer att
    utvärderas") or stand right before the match ("en utvärdering av de mobila
    teamen"); an extension word that is the match itself extends nothing.
    """
    for cue in cues:
        if cue.kind != "extension" or cue.position == position:
            continue
        if 0 < position - cue.position <= 3:
            return True
        if any(0 < cue.position - plan.position <= 3 for plan in planned):
            return True
    return False


def _planned_next(
    matches: list[MatchTuple], following: Sentence, year: int | None
) -> list[MatchTuple]:
    """A denial followed by a plan, in a sentence that names nothing else, is a plan:
    "Fast omsorgskontakt har ännu inte införts. Införandet planeras till hösten 2023."
    """
    if not any(match[1] == NEGATED for match in matches):
        return matches
    cues = sentence_cues(following.words, year).cues
    plans = any(cue.kind == PLANNED and not cue.weak for cue in cues)
    if not plans or any(cue.kind in (NEGATED, "determiner") for cue in cues):
        return matches
    return [(match[0], PLANNED, *match[2:]) if match[1] == NEGATED else match for match in matches]


def _determiner_negates(found: SentenceCues, cue: Cue, position: int) -> bool:
    """Does "ingen/inga/inget" at ``cue`` deny the match at ``position``?

    After a verb it does, up to eight words on: "det finns ingen rutin för SIP". As the
    subject it denies only what its verb says: "Ingen av kommunerna har infört X"
    denies X, but "Ingen patient i det mobila teamets målgrupp har behövt läggas in"
    does not deny the mobile team.
    """
    if not 0 < position - cue.position <= 8:
        return False
    if position - cue.position <= 2:
        return True  # "ingen SIP", "inga riktade hälsosamtal"
    starts_clause = cue.position == 0 or found.clauses[cue.position - 1] != cue.clause
    if not starts_clause:
        return True
    return any(
        other.kind == ACTIVE and cue.position < other.position < position for other in found.cues
    )


def combine(statuses: Iterable[str]) -> str:
    """Active over planned over negated; ``none`` when there is nothing."""
    return max(statuses, key=STATUS_RANK.__getitem__, default=NONE)


def passage_themes(matches: list[Match]) -> dict[str, str]:
    """Each theme in a passage with its combined status, in order of first match."""
    statuses: dict[str, str] = {}
    for match in matches:
        before = statuses.get(match.theme, NONE)
        if STATUS_RANK[match.status] > STATUS_RANK[before]:
            statuses[match.theme] = match.status
    return statuses


def tag_record(text: str, matches: list[Match], kinds: dict[str, str]) -> dict:
    """The JSON object ``nvreport tag`` prints for one passage.

    ``kinds`` maps entry ids to "theme" or "facet"; themes and facet values go under
    ``themes`` and ``facets``, each ``{"id", "status", "evidence": [{"text", "start",
    "end"}]}`` in order of first appearance.
    """
    record: dict = {"text": text, "themes": [], "facets": []}
    for entry, status in passage_themes(matches).items():
        evidence = [
            {"text": match.text, "start": match.start, "end": match.end}
            for match in matches
            if match.theme == entry
        ]
        key = "themes" if kinds.get(entry) == "theme" else "facets"
        record[key].append({"id": entry, "status": status, "evidence": evidence})
    return record
