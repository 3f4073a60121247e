"""Tag passages with the taxonomy's themes, each match with a status and its evidence.

How it works, and why (measured before it was written):

* Text is tokenised as a blank Swedish spaCy pipeline does (``spacy.blank("sv")``,
  followed in plain Python by :mod:`~nvreport.tagging.tokenizer`, with spaCy's rules
  kept in the cache folder) and split into sentences by :func:`sentences_of`, with
  tokenizer exceptions for the abbreviations the defaults split wrongly ("ca.",
  "enl.", "avd.", "st."), so an abbreviation does not end a sentence. Nothing is
  downloaded.
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
from functools import cached_property
from typing import TYPE_CHECKING

from nvreport.tagging.taxonomy import SUBTHEME, Taxonomy, Theme

if TYPE_CHECKING:  # spaCy is imported when text is first tokenised: a run served
    # from the cache never needs it
    from spacy.language import Language

from nvreport.tagging.sentences import ABBREVIATIONS, Sentence, Tokens, sentences_of
from nvreport.tagging.status import (
    ACTIVE,
    NEGATED,
    NONE,
    PLANNED,
    STATUS_RANK,
    MatchTuple,
    SentenceCues,
    match_status,
    planned_next,
    sentence_cues,
)
from nvreport.tagging.terms import (
    CompiledTerm,
    RuleIndex,
    Term,
    compile_term,
    lemma,
)
from nvreport.tagging.tokenizer import Tokenizer, tokenizer


def make_nlp() -> Tokenizer:
    """The tokenizer every command shares: spaCy's blank Swedish one with the
    exceptions, without spaCy (:mod:`~nvreport.tagging.tokenizer`).

    Sentences are split by :func:`sentences_of` on the tokenizer's output."""
    return tokenizer()


#: A match as a tuple: (theme, status, text, start, end, sentence, term).
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
_TokenInfo = tuple[frozenset[int], tuple[tuple["CompiledTerm", tuple[int, ...]], ...]]

#: Lead-ins whose status a tagger remembers (each is short; a report has dozens).
_CONTEXTS_KEPT = 10_000


class Tagger:
    """Tags text with a taxonomy. Build it once; it keeps its caches between calls.

    Sub-themes are tagged only with ``subthemes=True``: a match's sub-theme is then a
    match of its own, whose entry's ``group`` is the theme (the narrative counts it
    where the theme itself is found). ``analyse`` never tags them, so its outputs do
    not depend on them."""

    def __init__(
        self, taxonomy: Taxonomy, nlp: Language | None = None, *, subthemes: bool = False
    ) -> None:
        self.taxonomy = taxonomy
        self._nlp = nlp
        self.index = RuleIndex()
        self.terms: list[CompiledTerm] = []
        self.regex_terms: list[CompiledTerm] = []
        self.by_first_rule: dict[int, list[CompiledTerm]] = {}
        # every token seen: the rules it satisfies and the terms it can begin
        self._token_info: dict[str, _TokenInfo] = {}
        # a list's lead-in is the context of every item in the list: worked out once
        self._context_statuses: dict[tuple[str, int | None], str] = {}
        for entry in taxonomy.entries.values():
            if entry.kind != SUBTHEME or subthemes:
                self._add_entry(entry)

    @property
    def nlp(self) -> Tokenizer | Language:
        """The tokenizer (or a spaCy pipeline given to the tagger), made on first use."""
        if self._nlp is None:
            self._nlp = make_nlp()
        return self._nlp

    def load(self) -> None:
        """Load now what tagging loads on first use: the tokenizer's rules and the
        lemma table (for worker processes forked afterwards to share)."""
        nlp = self.nlp
        if isinstance(nlp, Tokenizer):
            nlp("Förberedd.")  # compiles its expressions
        lemma("vårdcentralerna")

    def _compile(self, text: str) -> tuple[Term, tuple[int, ...]]:
        term = compile_term(text)
        return term, tuple(self.index.add(rule) for rule in term.words)

    def _add_entry(self, entry: Theme) -> None:
        compiled: list[CompiledTerm] = []
        for text in entry.terms:
            term, rules = self._compile(text)
            compiled.append(CompiledTerm(entry.id, term, rules))
        for text in entry.exclude:
            term, rules = self._compile(text)
            compiled.append(CompiledTerm(entry.id, term, rules, exclude=True))
        for rule in entry.near:
            term, rules = self._compile(rule.term)
            near = tuple(self._compile(text)[1] for text in rule.near)
            compiled.append(CompiledTerm(entry.id, term, rules, near, rule.window))
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
                    found[number] = planned_next(found[number], sentences[number + 1], year)
            yield [match for matches in found for match in matches]

    @cached_property
    def tokenizer_version(self) -> str:
        """What the tokens depend on besides the text: spaCy's version and the
        tokenizer exceptions (a cache of :meth:`tokenize` is keyed by it)."""
        from importlib.metadata import version

        exceptions = hashlib.sha256("\n".join(ABBREVIATIONS).encode()).hexdigest()[:16]
        return f"spacy-{version('spacy')}-{exceptions}"

    def tokenize(self, texts: Sequence[str]) -> list[Tokens]:
        """Every text's tokens, as (starts, lengths)."""
        nlp = self.nlp
        if isinstance(nlp, Tokenizer):
            return [nlp(text) for text in texts]
        from spacy.attrs import IDX, LENGTH  # a spaCy pipeline given to the tagger

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
        spans: list[tuple[CompiledTerm, int, int]] = []  # (term, first token, last token)
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
        self, item: CompiledTerm, first: int, last: int, hits: list[frozenset[int]]
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
    ) -> Iterator[tuple[CompiledTerm, int, int]]:
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
