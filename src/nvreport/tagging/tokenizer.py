"""spaCy's Swedish tokenizer, in plain Python, from rules kept in the cache folder.

Tagging tokenises every passage as ``spacy.blank("sv")`` does with nvreport's
abbreviations added (:func:`spacy_pipeline`). Importing spaCy and building that
pipeline took about a second of every run, before the first page. :class:`Tokenizer`
gives the same tokens without spaCy: it follows spaCy's own algorithm (whitespace
runs, special cases, prefixes, suffixes, infixes, URLs, then the special cases
that affixes hid) with spaCy's own rules: its regular expressions and special
cases, taken from spaCy the first time they are needed and kept in the cache folder
(``tables/``) under a name holding spaCy's version and the abbreviations' digest,
so an upgrade or a new abbreviation makes new rules. Python's ``re`` runs the
expressions in both, so the tokens are the same, which
``tests/test_tokenizer.py`` checks against spaCy on texts of every kind.

Each whitespace-separated chunk is tokenised once per process and remembered
(passages repeat their words), which makes this faster than calling spaCy.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nvreport.store.cache import read_table, write_table
from nvreport.tagging.sentences import ABBREVIATIONS, Tokens

if TYPE_CHECKING:
    from spacy.language import Language

#: The rules file's layout; a change of layout changes the file's name.
FORMAT = 1
#: Chunks remembered per process before the memory is cleared.
_CHUNKS_KEPT = 200_000
_RUNS = re.compile(r"\s+|\S+")


def abbreviations_digest() -> str:
    return hashlib.sha256("\n".join(ABBREVIATIONS).encode()).hexdigest()[:16]


def spacy_version() -> str:
    from importlib.metadata import version

    return version("spacy")


def spacy_pipeline() -> Language:
    """The spaCy pipeline whose tokenizer nvreport follows: blank Swedish with the
    abbreviations as special cases (so "bl.a." stays one token)."""
    import spacy
    from spacy.attrs import ORTH

    nlp = spacy.blank("sv")
    for abbreviation in ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    return nlp


def rules_of(nlp: Language) -> dict[str, Any]:
    """The tokenizer rules of a spaCy pipeline, as plain data: each expression's
    pattern and flags, and each special case's token texts."""
    from spacy.attrs import ORTH

    tokenizer = nlp.tokenizer

    def pattern(function: Any) -> list | None:
        owner = getattr(function, "__self__", None)
        if function is None:
            return None
        if not isinstance(owner, re.Pattern):
            raise ValueError(f"a tokenizer rule that is not a regular expression: {function!r}")
        return [owner.pattern, owner.flags]

    return {
        "spacy": spacy_version(),
        "prefix": pattern(tokenizer.prefix_search),
        "suffix": pattern(tokenizer.suffix_search),
        "infix": pattern(tokenizer.infix_finditer),
        "token_match": pattern(tokenizer.token_match),
        "url_match": pattern(tokenizer.url_match),
        "faster_heuristics": bool(tokenizer.faster_heuristics),
        "specials": {
            string: [piece[ORTH] for piece in pieces]
            for string, pieces in sorted(tokenizer.rules.items())
        },
    }


def rules_name() -> str:
    return f"tokenizer-sv-spacy-{spacy_version()}-{abbreviations_digest()}-v{FORMAT}.json"


def load_rules(folder: Path | None = None) -> dict[str, Any]:
    """The rules from the cache folder's ``tables/``, taken from spaCy and kept there
    when missing (or when the folder cannot be written, taken from spaCy each run)."""
    name = rules_name()
    data = read_table(name, folder)
    if data is not None:
        try:
            rules = json.loads(bytes(data))
            if isinstance(rules, dict) and rules.get("spacy") == spacy_version():
                return rules
        except (ValueError, UnicodeDecodeError):
            pass
    rules = rules_of(spacy_pipeline())
    write_table(name, json.dumps(rules, ensure_ascii=False, sort_keys=True).encode(), folder)
    return rules


def _compiled(rule: list | None) -> Any:
    return re.compile(rule[0], rule[1]) if rule else None


class Tokenizer:
    """Tokenises text as spaCy's tokenizer with ``rules`` (:func:`rules_of`) does."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self._rules = rules
        self._compiled = False
        self.specials: dict[str, tuple[int, ...]] = {
            string: tuple(len(piece) for piece in pieces)
            for string, pieces in rules["specials"].items()
        }
        # chunk -> (token lengths, which of its tokens may begin a late special case)
        self._chunks: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self._late_first: frozenset[str] = frozenset()
        self._late: dict[str, list[tuple[str, ...]]] = {}

    def _compile(self) -> None:
        """Compile the expressions and the late special cases (when a chunk is first
        met that has not been tokenised before)."""
        rules = self._rules
        prefix, suffix, infix = (_compiled(rules[key]) for key in ("prefix", "suffix", "infix"))
        token_match, url_match = (_compiled(rules[key]) for key in ("token_match", "url_match"))
        self._prefix_search = prefix.search if prefix else None
        self._suffix_search = suffix.search if suffix else None
        self._infix_finditer = infix.finditer if infix else None
        self._token_match = token_match.match if token_match else None
        self._url_match = url_match.match if url_match else None
        self._compiled = True
        # spaCy applies, after the affixes, the special cases whose string has an
        # affix or a space in it, by their tokens without special cases
        late: dict[str, list[tuple[str, ...]]] = {}
        for string in sorted(self.specials):
            if (
                not rules["faster_heuristics"]
                or self._find_prefix(string)
                or self._find_infix(string)
                or self._find_suffix(string)
                or " " in string
            ):
                pieces = self._without_specials(string)
                late.setdefault(pieces[0], []).append(tuple(pieces))
        self._late = late
        self._late_first = frozenset(late)
        self._chunks.clear()

    # --- spaCy's algorithm, step by step (spacy/tokenizer.pyx) ------------------------

    def _find_prefix(self, string: str) -> int:
        if self._prefix_search is None:
            return 0
        match = self._prefix_search(string)
        return match.end() - match.start() if match is not None else 0

    def _find_suffix(self, string: str) -> int:
        if self._suffix_search is None:
            return 0
        match = self._suffix_search(string)
        return match.end() - match.start() if match is not None else 0

    def _find_infix(self, string: str) -> list:
        if self._infix_finditer is None:
            return []
        return list(self._infix_finditer(string))

    def _pieces(self, chunk: str, with_specials: bool) -> list[str]:
        """The token texts of one whitespace-free (or all-whitespace) chunk."""
        specials = self.specials if with_specials else {}
        if chunk in specials:
            return _split(chunk, specials[chunk])
        prefixes: list[str] = []
        suffixes: list[str] = []
        string = chunk
        last_size = 0
        token_match = self._token_match
        while string and len(string) != last_size:
            if token_match and token_match(string):
                break
            if string in specials:
                break
            last_size = len(string)
            pre_len = self._find_prefix(string)
            if pre_len:
                prefix, minus_pre = string[:pre_len], string[pre_len:]
                if minus_pre and minus_pre in specials:
                    string = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = self._find_suffix(string[pre_len:])
            if suf_len:
                suffix, minus_suf = string[-suf_len:], string[:-suf_len]
                if minus_suf and minus_suf in specials:
                    string = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        pieces = prefixes
        if string:
            if string in specials:
                pieces.extend(_split(string, specials[string]))
            elif (token_match and token_match(string)) or (
                self._url_match and self._url_match(string)
            ):
                pieces.append(string)
            else:
                matches = self._find_infix(string)
                if not matches:
                    pieces.append(string)
                else:
                    start = 0
                    for match in matches:
                        infix_start, infix_end = match.start(), match.end()
                        if infix_start == 0:
                            continue
                        if infix_start != start:
                            pieces.append(string[start:infix_start])
                        if infix_start != infix_end:
                            pieces.append(string[infix_start:infix_end])
                        start = infix_end
                    if string[start:]:
                        pieces.append(string[start:])
        pieces.extend(reversed(suffixes))
        return pieces

    def _without_specials(self, text: str) -> list[str]:
        """The token texts of ``text`` by the affixes alone (how spaCy finds the late
        special cases: by these tokens)."""
        pieces: list[str] = []
        for _start, chunk in _chunks_of(text):
            pieces.extend(self._pieces(chunk, False))
        return pieces

    def _chunk(self, chunk: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        if not self._compiled:
            self._compile()
        pieces = self._pieces(chunk, True)
        late_first = self._late_first
        found = (
            tuple(len(piece) for piece in pieces),
            tuple(number for number, piece in enumerate(pieces) if piece in late_first),
        )
        if len(self._chunks) >= _CHUNKS_KEPT:
            self._chunks.clear()
        self._chunks[chunk] = found
        return found

    def __call__(self, text: str) -> Tokens:
        """The text's tokens: where each starts, and its length."""
        starts: list[int] = []
        lengths: list[int] = []
        chunks = self._chunks
        late: list[int] = []  # the tokens that may begin a late special case
        for match in _RUNS.finditer(text):
            chunk = match.group()
            start = match.start()
            if start and chunk[0] == " ":  # one space after a word belongs to it
                if len(chunk) == 1:
                    continue
                chunk = chunk[1:]
                start += 1
            found = chunks.get(chunk)
            if found is None:
                found = self._chunk(chunk)
            pieces, may_be_late = found
            if may_be_late:
                late.extend(len(starts) + number for number in may_be_late)
            if len(pieces) == 1:
                starts.append(start)
                lengths.append(pieces[0])
            else:
                for length in pieces:
                    starts.append(start)
                    lengths.append(length)
                    start += length
        if late:
            self._late_specials(text, starts, lengths, late)
        return starts, lengths

    def _late_specials(
        self, text: str, starts: list[int], lengths: list[int], firsts: list[int]
    ) -> None:
        """spaCy's last step: find the token sequences of the late special cases
        anywhere (overlapping too), keep the longest, earliest first, of those that
        overlap, and split those whose text is a special case as it says. They can
        begin only at ``firsts``, the tokens that begin one."""

        def word(number: int) -> str:
            return text[starts[number] : starts[number] + lengths[number]]

        count = len(starts)
        found: list[tuple[int, int]] = []
        for number in firsts:
            for pieces in self._late.get(word(number), ()):
                end = number + len(pieces)
                if end <= count and all(
                    word(number + offset) == piece for offset, piece in enumerate(pieces)
                ):
                    found.append((number, end))
        if not found:
            return
        # spaCy sorts by (length, start) and walks from the end: longest first, and
        # of equal length the earliest first; a span is kept unless its first or last
        # token lies in a span walked before it
        found = sorted(set(found), key=lambda span: (span[1] - span[0], -span[0]), reverse=True)
        seen: set[int] = set()
        kept: list[tuple[int, int]] = []
        for first, end in found:
            if first not in seen and end - 1 not in seen:
                kept.append((first, end))
            seen.update(range(first, end))
        for first, end in sorted(kept, reverse=True):
            begin = starts[first]
            string = text[begin : starts[end - 1] + lengths[end - 1]]
            special = self.specials.get(string)
            if special is None:
                continue
            new_starts = []
            position = begin
            for length in special:
                new_starts.append(position)
                position += length
            starts[first:end] = new_starts
            lengths[first:end] = list(special)

    def pipe(self, texts: Sequence[str]) -> list[Tokens]:
        return [self(text) for text in texts]


def _chunks_of(text: str) -> list[tuple[int, str]]:
    """The chunks spaCy tokenises one by one: runs of whitespace and of anything
    else, each space that follows a word left out."""
    found = []
    for match in _RUNS.finditer(text):
        chunk, start = match.group(), match.start()
        if start and chunk[0] == " ":
            chunk, start = chunk[1:], start + 1
        if chunk:
            found.append((start, chunk))
    return found


def _split(string: str, lengths: tuple[int, ...]) -> list[str]:
    pieces, start = [], 0
    for length in lengths:
        pieces.append(string[start : start + length])
        start += length
    return pieces


@cache
def tokenizer() -> Tokenizer:
    """The tokenizer every tagger in this process shares (worker processes forked
    after it was made share it too)."""
    return Tokenizer(load_rules())
