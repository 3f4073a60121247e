"""Checks of a taxonomy's terms before they are compiled: what a term may contain.

:func:`term_problem` says in words what is wrong with a term (or None);
:func:`regex_hazard` finds a regular expression that could take exponential time
(nested or overlapping repeats), since a taxonomy comes from a file an analyst edits.
"""

from __future__ import annotations

import re
from typing import Any

# --- catastrophic backtracking ----------------------------------------------------------
#
# Python's re backtracks: a repetition whose body can match the same text in more than
# one way (``(a+)+``, ``(a|aa)+``, ``(\w+\s?)+``) tries exponentially many ways when
# the rest of the pattern fails. regex_hazard finds them on the parsed pattern: for
# every repetition that may repeat more than once it asks whether the body can match
# nothing, whether two alternatives of the body can begin with the same character,
# and whether a repetition inside the body can run on into what follows it (the rest
# of the body, or the next round). Characters are compared on a sample alphabet that
# holds every character the pattern names, so two classes that overlap share one.

try:  # the parser of the re module: private, but the same since Python 3.11
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

#: Characters in a regular-expression term (after ``re:``).
MAX_PATTERN_LENGTH = 500


def term_problem(term: str, regex: bool = True, theme: str = "") -> str | None:
    """What is wrong with a term (None: nothing): one that has no word would match
    nothing, and a regular expression that is broken, matches empty text (which it
    would do at every position), is longer than :data:`MAX_PATTERN_LENGTH` or could
    take exponential time (:func:`regex_hazard`) cannot be used. ``regex``: may it be
    one. ``theme``: the id the term belongs to, named in the message."""
    if regex and term.startswith("re:"):
        source = term[3:]
        owner = f" of {theme!r}" if theme else ""
        if len(source) > MAX_PATTERN_LENGTH:
            return (
                f"the regular expression term{owner} is {len(source)} characters long: "
                f"at most {MAX_PATTERN_LENGTH} are allowed"
            )
        try:
            pattern = re.compile(source)
        except re.error as error:
            return f"bad regular expression: {error}"
        except (RecursionError, OverflowError, MemoryError):
            return "bad regular expression: too complex to compile"
        hazard = regex_hazard(source)
        if hazard:
            return (
                f"the regular expression {term!r}{owner} could take hours on some text: "
                f"{hazard}; rewrite it so each character can be matched one way only"
            )
        if pattern.search("") is not None:
            return f"the regular expression {source!r} matches empty text"
        return None
    if term.startswith("re:"):
        return "a near phrase cannot be a regular expression"
    if not term.split():
        return f"{term!r} has no word to match"
    return None


_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT}
_ALPHABET = [chr(code) for code in range(0x250)] + list(
    "\u00a0\u2013\u2014\u2019\u201d\u2028\u3000\u0660\u0966\uff10ßẞ"
)
_CATEGORY = {
    _sre.CATEGORY_DIGIT: r"\d",
    _sre.CATEGORY_NOT_DIGIT: r"\D",
    _sre.CATEGORY_SPACE: r"\s",
    _sre.CATEGORY_NOT_SPACE: r"\S",
    _sre.CATEGORY_WORD: r"\w",
    _sre.CATEGORY_NOT_WORD: r"\W",
}


class _Shape:
    """What a part of a pattern can match: nothing at all (``nullable``), which
    characters it can begin with (``first``) and which it can hold (``chars``)."""

    __slots__ = ("chars", "first", "nullable")

    def __init__(self, nullable: bool, first: frozenset[str], chars: frozenset[str]) -> None:
        self.nullable, self.first, self.chars = nullable, first, chars


class _Hazards:
    def __init__(self, parsed: Any, alphabet: list[str]) -> None:
        self.alphabet = alphabet
        self.all = frozenset(alphabet)
        self.memo: dict[tuple[int, int], _Shape] = {}
        self.found: list[str] = []
        self.parsed = parsed

    # the characters of one atom ------------------------------------------------------
    def _fold(self, chars: set[str]) -> frozenset[str]:
        """Case-insensitively: a class and its other case overlap (erring on caution)."""
        return frozenset(c for c in self.alphabet if c in chars or c.swapcase() in chars)

    def atom(self, op: Any, av: Any) -> frozenset[str]:
        if op is _sre.LITERAL:
            return self._fold({chr(av)})
        if op is _sre.NOT_LITERAL:
            return self.all - {chr(av)}
        if op is _sre.ANY:
            return self.all
        # IN: a character class
        chars: set[str] = set()
        negate = False
        for kind, value in av:
            if kind is _sre.NEGATE:
                negate = True
            elif kind is _sre.LITERAL:
                chars.add(chr(value))
            elif kind is _sre.RANGE:
                low, high = value
                chars.update(c for c in self.alphabet if low <= ord(c) <= high)
            elif kind is _sre.CATEGORY and value in _CATEGORY:
                test = re.compile(_CATEGORY[value])
                chars.update(c for c in self.alphabet if test.match(c))
            else:  # anything else: assume it can be any character
                chars.update(self.alphabet)
        folded = self._fold(chars)
        return self.all - folded if negate else folded

    # shapes ----------------------------------------------------------------------------
    def sequence(self, items: Any) -> _Shape:
        nullable, first, chars = True, frozenset(), frozenset()
        for op, av in items:
            shape = self.item(op, av)
            chars |= shape.chars
            if nullable:
                first |= shape.first
                nullable = shape.nullable
        return _Shape(nullable, first, chars)

    def item(self, op: Any, av: Any) -> _Shape:
        key = (id(op), id(av))
        if key in self.memo:
            return self.memo[key]
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN):
            chars = self.atom(op, av)
            return _Shape(False, chars, chars)
        if op is _sre.SUBPATTERN:
            shape = self.sequence(av[-1])
        elif op is _sre.ATOMIC_GROUP:
            shape = self.sequence(av)
        elif op is _sre.BRANCH:
            shapes = [self.sequence(branch) for branch in av[1]]
            shape = _Shape(
                any(s.nullable for s in shapes),
                frozenset().union(*(s.first for s in shapes)),
                frozenset().union(*(s.chars for s in shapes)),
            )
        elif op in _REPEATS or op is getattr(_sre, "POSSESSIVE_REPEAT", None):
            low, _, body = av
            inner = self.sequence(body)
            shape = _Shape(low == 0 or inner.nullable, inner.first, inner.chars)
        elif op is _sre.GROUPREF_EXISTS:
            yes = self.sequence(av[1])
            no = (
                self.sequence(av[2])
                if av[2] is not None
                else _Shape(True, frozenset(), frozenset())
            )
            shape = _Shape(yes.nullable or no.nullable, yes.first | no.first, yes.chars | no.chars)
        elif op is _sre.GROUPREF:
            shape = _Shape(True, self.all, self.all)  # a backreference: anything
        else:  # AT (anchors), ASSERT, ASSERT_NOT: they take no characters
            shape = _Shape(True, frozenset(), frozenset())
        self.memo[key] = shape
        return shape

    # the search ------------------------------------------------------------------------
    def check(self, items: Any) -> None:
        """Look at every repetition in ``items``, at any depth."""
        for op, av in items:
            if op in _REPEATS:
                high, body = av[1], av[2]
                if high > 1:
                    self.repetition(body)
                self.check(body)
            elif op is _sre.SUBPATTERN:
                self.check(av[-1])
            elif op is _sre.ATOMIC_GROUP or op is getattr(_sre, "POSSESSIVE_REPEAT", None):
                self.check(av if op is _sre.ATOMIC_GROUP else av[2])
            elif op is _sre.BRANCH:
                for branch in av[1]:
                    self.check(branch)
            elif op is _sre.GROUPREF_EXISTS:
                self.check(av[1])
                if av[2] is not None:
                    self.check(av[2])
            elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
                self.check(av[1])

    def repetition(self, body: Any) -> None:
        whole = self.sequence(body)
        if whole.nullable:
            self.found.append("it repeats a part that can match empty text")
            return
        self.alternatives(body)
        # every repetition inside the body, with what can follow it in the body
        self.runs_on(body, [], whole.first)

    def alternatives(self, items: Any) -> None:
        """Alternatives of the repeated part that can begin with the same character
        can split the same text in many ways: ``(a|aa)+``."""
        for op, av in items:
            if op is _sre.SUBPATTERN:
                self.alternatives(av[-1])
            elif op is _sre.BRANCH:
                shapes = [self.sequence(branch) for branch in av[1]]
                for number, shape in enumerate(shapes):
                    if any(shape.first & other.first for other in shapes[number + 1 :]):
                        self.found.append(
                            "two alternatives of a repeated group can begin with the same text"
                        )
                        return

    def runs_on(self, items: Any, outer: list[tuple[Any, int]], wrap: frozenset[str]) -> None:
        r"""Find the repetitions in ``items`` whose characters can also be taken by what
        follows them: ``(a+)+``, ``(\w+\s?)+``. ``outer``: the enclosing sequences
        and positions; ``wrap``: what the next round of the outer repetition begins
        with."""
        for index, (op, av) in enumerate(items):
            here = [*outer, (items, index)]
            shape = self.item(op, av)
            if shape.nullable and shape.first & self.following(here, wrap, shape.first):
                # an optional part that what follows can also take: ``(a(?:|a))+``,
                # which is how the parser writes ``(a|aa)+``
                self.found.append(
                    "a part of a repeated group can be taken or left out, and what "
                    "follows it can take the same text"
                )
                return
            if op in _REPEATS and av[1] > 1:
                inner = self.sequence(av[2])
                if inner.chars & self.following(here, wrap, inner.first):
                    self.found.append(
                        "a repetition is nested in a repetition and both can take the same "
                        "characters"
                    )
                    return
                self.runs_on(av[2], here, wrap | inner.first)
            elif op in _REPEATS:
                self.runs_on(av[2], here, wrap)
            elif op is _sre.SUBPATTERN:
                self.runs_on(av[-1], here, wrap)
            elif op is _sre.BRANCH:
                if sum(self.sequence(branch).nullable for branch in av[1]) > 1:
                    # ``(a|a)+``, parsed as ``(a(?:|))+``: two ways to take nothing
                    self.found.append("two alternatives of a repeated group match the same text")
                    return
                for branch in av[1]:
                    self.runs_on(branch, here, wrap)

    def following(
        self, path: list[tuple[Any, int]], wrap: frozenset[str], again: frozenset[str]
    ) -> frozenset[str]:
        """The characters that can come right after the item at the end of ``path``
        within one round of the outer repetition, or begin the next round."""
        found: frozenset[str] = frozenset()
        for items, index in reversed(path):
            rest = self.sequence(items[index + 1 :])
            found |= rest.first
            if not rest.nullable:
                return found
        return found | wrap


def regex_hazard(source: str) -> str | None:
    """Why the regular expression ``source`` can take exponential time (None: it
    cannot, as far as a look at its structure tells). ``source`` must compile."""
    try:
        parsed = _sre_parse.parse(source)
    except (re.error, RecursionError, OverflowError):  # compiled before: not expected
        return "it cannot be analysed"
    alphabet = list(_ALPHABET)
    extra: set[str] = set()

    def collect(items: Any) -> None:
        for op, av in items:
            if op in (_sre.LITERAL, _sre.NOT_LITERAL):
                extra.add(chr(av))
            elif op is _sre.IN:
                for kind, value in av:
                    if kind is _sre.LITERAL:
                        extra.add(chr(value))
                    elif kind is _sre.RANGE:
                        extra.update((chr(value[0]), chr(value[1])))
            elif isinstance(av, tuple | list):
                for part in av:
                    if isinstance(part, _sre_parse.SubPattern):
                        collect(part)
                    elif isinstance(part, list):
                        for branch in part:
                            if isinstance(branch, _sre_parse.SubPattern):
                                collect(branch)
            elif isinstance(av, _sre_parse.SubPattern):
                collect(av)

    collect(parsed)
    alphabet += sorted(extra - set(alphabet))
    hazards = _Hazards(parsed, alphabet)
    hazards.check(parsed)
    return hazards.found[0] if hazards.found else None
