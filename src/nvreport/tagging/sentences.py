"""Sentences from tokens: where a passage's sentences begin and end.

:func:`sentences_of` splits a passage by its tokens' offsets, not ending a sentence at
an abbreviation; a run-on "sentence" (a list without full stops) is cut into pieces of at
most :data:`MAX_SENTENCE_TOKENS` tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # spaCy is imported when text is first tokenised: a run served
    # from the cache never needs it
    pass

# Abbreviations spaCy's Swedish tokenizer splits ("ca." -> "ca", "."), which would end
# sentences in the middle.
ABBREVIATIONS = (
    "ca.", "Ca.", "enl.", "avd.", "st.", "resp.", "jfr.", "mm.", "m.m.", "bl.a.", "Bl.a.",
    "t.ex.", "T.ex.", "fr.o.m.", "t.o.m.", "dvs.", "d.v.s.", "kap.", "prop.", "milj.",
    "mdkr.", "tkr.", "mkr.", "inkl.", "exkl.", "ang.", "angående.", "nr.", "s.k.", "p.g.a.",
    "pga.", "ev.", "kl.", "tel.", "vs.", "osv.", "etc.", "o.s.v.", "ff.", "f.d.", "bil.",
)  # fmt: skip

_ABBREVIATION_SET = frozenset(ABBREVIATIONS)


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
