"""Counts in the Swedish words of the årsberättelse.

This module is the one place where nvreport decides how a number, a share or a change
is written in Swedish. Everything that drafts text (the comparison tables, the
narrative) asks it rather than formatting counts itself, so that "Tolv av 21
regioner", "Alla län utom ett" and "en fördubbling" are spelled the same everywhere.

* :func:`number_word` — a count as a word up to twelve, in digits above:
  ``number_word(12) == "tolv"``, ``number_word(1700) == "1 700"``.
* :data:`ACTOR_NOUNS` and :func:`actor_noun` — the noun for each actor type, with the
  forms a sentence needs and its grammatical gender.
* :func:`share_phrase` — how many of the actors do something, exactly ("Tolv av 21
  regioner") and, where the årsberättelse would round, approximately ("Drygt hälften
  av regionerna").
* :func:`change_phrase` and :func:`change_arrow` — the change from one year to the
  next ("en fördubbling", "en ökning från fem till åtta", "↑").
* :func:`percent` — a share as whole percent ("57 procent").

The functions accept any integer, including the ``numpy.int64`` that pandas hands
out, and raise :class:`ValueError` for counts that cannot be (negative counts, more
actors than there are). Those are programming errors, not something a user can cause,
so they are not :class:`~nvreport.errors.NvreportError`.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Literal, SupportsIndex

__all__ = [
    "ACTOR_NOUNS",
    "FALLBACK_NOUN",
    "MIN_TOTAL_FOR_APPROXIMATE",
    "Gender",
    "Noun",
    "SharePhrase",
    "VerbNumber",
    "actor_noun",
    "amount",
    "change_arrow",
    "change_phrase",
    "lower_first",
    "number_word",
    "percent",
    "share_phrase",
    "theme_in_sentence",
    "upper_first",
    "work_on",
]

#: Grammatical gender of a Swedish noun: *en region* (common), *ett län* (neuter).
Gender = Literal["common", "neuter"]

#: Whether a phrase is grammatically singular or plural. Swedish verbs do not inflect
#: for number, but reflexive possessives and predicative adjectives do: "en region har
#: infört sin plan", "regionerna har infört sina planer".
VerbNumber = Literal["singular", "plural"]

#: Below this many actors, :func:`share_phrase` gives no approximate phrase: with so
#: few, "två tredjedelar" says less than "två av tre".
MIN_TOTAL_FOR_APPROXIMATE = 6

#: From this many actors on, "Alla regioner utom en/två" is used for one or two missing.
_MIN_TOTAL_FOR_ALL_BUT = 8

_WORDS = (
    "noll",
    "en",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
)
_LAST_WORD = len(_WORDS) - 1  # twelve: above it, digits

_GENDERS: tuple[Gender, ...] = ("common", "neuter")


def _count(value: SupportsIndex, name: str) -> int:
    """``value`` as a non-negative ``int``; ``numpy`` integers are welcome, floats not."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, not a bool")
    number = operator.index(value)
    if number < 0:
        raise ValueError(f"{name} must not be negative, got {number}")
    return number


def _check_gender(gender: str) -> None:
    if gender not in _GENDERS:
        raise ValueError(f"gender must be 'common' or 'neuter', got {gender!r}")


def _digits(n: int) -> str:
    """``n`` in digits, thousands separated by a space as in Swedish print: ``1 700``."""
    return f"{n:,}".replace(",", " ")


def _none_word(gender: Gender) -> str:
    """The Swedish "no/none" that agrees with a singular noun: *ingen* or *inget*."""
    return "inget" if gender == "neuter" else "ingen"


def lower_first(text: str) -> str:
    """``text`` with a lower-case first letter, for use inside a sentence.

    >>> lower_first("Tolv av 21 regioner")
    'tolv av 21 regioner'
    >>> lower_first("21 regioner")
    '21 regioner'
    """
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """``text`` with a capital first letter, to open a sentence.

    >>> upper_first("tre av dem")
    'Tre av dem'
    """
    return text[:1].upper() + text[1:]


def number_word(n: SupportsIndex, *, gender: Gender = "common") -> str:
    """A count as Swedish print writes it: a word from zero to twelve, digits above.

    One agrees with the noun it counts: *en* region (common gender), *ett* län
    (neuter). Numbers from 1 000 on have a space as thousands separator.

    >>> number_word(0)
    'noll'
    >>> number_word(1), number_word(1, gender="neuter")
    ('en', 'ett')
    >>> number_word(12), number_word(13)
    ('tolv', '13')
    >>> number_word(1700)
    '1 700'
    """
    number = _count(n, "n")
    _check_gender(gender)
    if number == 1 and gender == "neuter":
        return "ett"
    if number <= _LAST_WORD:
        return _WORDS[number]
    return _digits(number)


def amount(n: SupportsIndex, *, gender: Gender = "common") -> str:
    """A count that stands for a noun already named, as :func:`number_word` but with
    *ingen*/*inget* for none: "uppgav ingen att …", "fyra av dem".

    >>> amount(0), amount(0, gender="neuter"), amount(4)
    ('ingen', 'inget', 'fyra')
    """
    number = _count(n, "n")
    _check_gender(gender)
    return _none_word(gender) if number == 0 else number_word(number, gender=gender)


@dataclass(frozen=True)
class Noun:
    """A Swedish count noun with the forms a counting sentence needs.

    >>> region = actor_noun("region")
    >>> region.count(1), region.count(2), region.count(21)
    ('en region', 'två regioner', '21 regioner')
    >>> lan = actor_noun("rss")
    >>> lan.count(1), lan.count(12)
    ('ett län', 'tolv län')
    """

    singular: str
    """Indefinite singular: *region*, *län*."""
    plural: str
    """Indefinite plural: *regioner*, *län*."""
    definite_plural: str
    """Definite plural: *regionerna*, *länen*."""
    gender: Gender
    """Grammatical gender, which decides *en*/*ett* and *ingen*/*inget*."""
    definite_singular: str
    """Definite singular: *regionen*, *länet* ("Den enda regionen")."""

    def count(self, n: SupportsIndex) -> str:
        """``n`` of this noun: the number in words (see :func:`number_word`) and the
        noun in singular for one, plural otherwise.

        >>> actor_noun("kommun").count(290)
        '290 kommuner'
        >>> actor_noun("kommun").count(0)
        'noll kommuner'
        """
        number = _count(n, "n")
        noun = self.singular if number == 1 else self.plural
        return f"{number_word(number, gender=self.gender)} {noun}"


#: The noun for each actor type. RSS reports are counted as *län*: there is one RSS
#: per county, and the årsberättelse speaks of the counties.
ACTOR_NOUNS: Mapping[str, Noun] = MappingProxyType(
    {
        "region": Noun("region", "regioner", "regionerna", "common", "regionen"),
        "kommun": Noun("kommun", "kommuner", "kommunerna", "common", "kommunen"),
        "rss": Noun("län", "län", "länen", "neuter", "länet"),
    }
)

#: How many actors of a kind the country has, by the noun's plural: only a share of
#: all of them is said with "samtliga", "ingen", "alla utom" or "i stort sett alla".
NATIONAL_TOTALS: Mapping[str, int] = MappingProxyType({"regioner": 21, "län": 21, "kommuner": 290})

#: The noun for an actor type that :data:`ACTOR_NOUNS` does not know, or none at all.
FALLBACK_NOUN = Noun("aktör", "aktörer", "aktörerna", "common", "aktören")


def actor_noun(actor_type: str) -> Noun:
    """The noun for ``actor_type`` (``region``, ``kommun``, ``rss``), or *aktör*.

    >>> actor_noun("rss").definite_plural
    'länen'
    >>> actor_noun("").plural
    'aktörer'
    """
    return ACTOR_NOUNS.get(actor_type, FALLBACK_NOUN)


@dataclass(frozen=True)
class SharePhrase:
    """How many of a group of actors do something, in words.

    ``exact`` always gives the count ("Tolv av 21 regioner"); ``approximate`` is the
    rounder phrase the årsberättelse prefers ("Drygt hälften av regionerna"), or
    ``None`` when no such phrase fits better than the exact one. Both start with a
    capital letter, ready to open a sentence; :attr:`mid_sentence` and
    :func:`lower_first` give the lower-case forms.

    >>> phrase = share_phrase(12, 21, "region")
    >>> phrase.exact, phrase.approximate
    ('Tolv av 21 regioner', 'Drygt hälften av regionerna')
    >>> str(phrase), phrase.mid_sentence, phrase.verb_number
    ('Drygt hälften av regionerna', 'drygt hälften av regionerna', 'plural')
    """

    count: int
    total: int
    exact: str
    approximate: str | None

    @property
    def text(self) -> str:
        """The phrase to open a sentence with: ``approximate`` if there is one, else
        ``exact``."""
        return self.approximate if self.approximate is not None else self.exact

    @property
    def mid_sentence(self) -> str:
        """:attr:`text` with a lower-case first letter: "… medan tolv av 21 regioner"."""
        return lower_first(self.text)

    @property
    def verb_number(self) -> VerbNumber:
        """``"singular"`` for one actor and for none ("Ingen region har …"), otherwise
        ``"plural"``, so the sentence can choose *sin*/*sina*, *infört*/*införda*."""
        return "singular" if self.count <= 1 else "plural"

    def __str__(self) -> str:
        return self.text


def _exact_share(count: int, total: int, noun: Noun) -> str:
    """The count of actors, always in words: "Tolv av 21 regioner"."""
    if count == total:
        if total == 1:
            article = "Det" if noun.gender == "neuter" else "Den"
            return f"{article} enda {noun.definite_singular}"
        if total == 2:
            return f"Båda {noun.definite_plural}"
        return f"Samtliga {number_word(total, gender=noun.gender)} {noun.plural}"
    if count == 0:
        none = upper_first(_none_word(noun.gender))
        if total == 1:
            return f"{none} {noun.singular}"
        if total == 2:  # "Inget av de två länen", not "Inget av två län"
            return f"{none} av de två {noun.definite_plural}"
        return f"{none} av {number_word(total, gender=noun.gender)} {noun.plural}"
    part = upper_first(number_word(count, gender=noun.gender))
    return f"{part} av {number_word(total, gender=noun.gender)} {noun.plural}"


def _near(share: Fraction, target: Fraction, tolerance: Fraction) -> bool:
    return abs(share - target) <= tolerance


def _approximate_share(count: int, total: int, noun: Noun) -> str | None:
    """The årsberättelse's rounder phrase for the share, or ``None``.

    The rules are tried in order; shares are compared as exact fractions, so a
    boundary such as 9/10 is never missed by a rounding error.
    """
    if total < MIN_TOTAL_FOR_APPROXIMATE:
        return None
    share = Fraction(count, total)
    missing = total - count
    # "Samtliga regioner", "Ingen region", "alla utom två" and "i stort sett alla"
    # speak of every region in the country: of six that reported, the count says it
    national = total == NATIONAL_TOTALS.get(noun.plural)
    if count in (0, total) and not national:
        return None
    if count == total:
        return f"Samtliga {noun.plural}"
    if count == 0:
        return f"{upper_first(_none_word(noun.gender))} {noun.singular}"
    if national and total >= _MIN_TOTAL_FOR_ALL_BUT and missing in (1, 2):
        return f"Alla {noun.plural} utom {number_word(missing, gender=noun.gender)}"
    if national and share >= Fraction(9, 10):
        return f"I stort sett alla {noun.plural}"
    if _near(share, Fraction(3, 4), Fraction(2, 100)):
        return f"Tre fjärdedelar av {noun.definite_plural}"
    if _near(share, Fraction(2, 3), Fraction(3, 100)):
        return f"Två tredjedelar av {noun.definite_plural}"
    if share >= Fraction(6, 10):
        return f"Majoriteten av {noun.definite_plural}"
    if share == Fraction(1, 2):
        return f"Hälften av {noun.definite_plural}"
    if share > Fraction(1, 2):
        return f"Drygt hälften av {noun.definite_plural}"
    if share >= Fraction(45, 100):
        return f"Knappt hälften av {noun.definite_plural}"
    if _near(share, Fraction(1, 3), Fraction(3, 100)):
        return f"En tredjedel av {noun.definite_plural}"
    if _near(share, Fraction(1, 4), Fraction(2, 100)):
        return f"En fjärdedel av {noun.definite_plural}"
    return None


def share_phrase(count: SupportsIndex, total: SupportsIndex, actor_type: str) -> SharePhrase:
    """How many of ``total`` actors of ``actor_type`` do something, in words.

    ``exact`` names the count: "Tolv av 21 regioner", "Ett av 21 län", "Ingen av 21
    regioner", "Samtliga 21 regioner" (with one or two actors in all: "Den enda
    regionen", "Båda regionerna").

    ``approximate`` rounds the share the way the årsberättelse does, for six actors or
    more (with fewer there are too few to speak of shares). The first rule that fits:

    ========================================  ==================================
    share                                     phrase (for regions)
    ========================================  ==================================
    all (of all 21, or 290)                   Samtliga regioner
    none (of all 21, or 290)                  Ingen region (län: Inget län)
    all but one or two (of all 21, or 290)    Alla regioner utom en / utom två
    at least 0.9 (of all 21, or 290)          I stort sett alla regioner
    within 0.02 of 3/4                        Tre fjärdedelar av regionerna
    within 0.03 of 2/3                        Två tredjedelar av regionerna
    at least 0.6                              Majoriteten av regionerna
    exactly 1/2                               Hälften av regionerna
    above 1/2 (and below 0.6)                 Drygt hälften av regionerna
    at least 0.45 (and below 1/2)             Knappt hälften av regionerna
    within 0.03 of 1/3                        En tredjedel av regionerna
    within 0.02 of 1/4                        En fjärdedel av regionerna
    anything else                             ``None``
    ========================================  ==================================

    >>> share_phrase(19, 21, "region").text
    'Alla regioner utom två'
    >>> share_phrase(20, 21, "rss").text
    'Alla län utom ett'
    >>> share_phrase(7, 21, "region").text
    'En tredjedel av regionerna'
    >>> share_phrase(3, 4, "region").text
    'Tre av fyra regioner'
    >>> share_phrase(0, 21, "rss").exact, share_phrase(0, 21, "rss").text
    ('Inget av 21 län', 'Inget län')

    Raises :class:`ValueError` unless ``0 <= count <= total`` and ``total >= 1``.
    """
    count_ = _count(count, "count")
    total_ = _count(total, "total")
    if total_ == 0:
        raise ValueError("total must be at least 1: a share of no actors cannot be phrased")
    if count_ > total_:
        raise ValueError(f"count ({count_}) must not exceed total ({total_})")
    noun = actor_noun(actor_type)
    return SharePhrase(
        count=count_,
        total=total_,
        exact=_exact_share(count_, total_, noun),
        approximate=_approximate_share(count_, total_, noun),
    )


def change_phrase(before: SupportsIndex, after: SupportsIndex, *, gender: Gender = "common") -> str:
    """The change from ``before`` to ``after`` in words, as in "… vilket är …".

    Doubling, tripling, quadrupling and exact halving have their own words; a start
    from or a fall to nothing names both ends; anything else names the direction and
    both counts. The counts are words when both are twelve or less and digits
    otherwise, so that two numbers set side by side are written alike. ``gender`` is
    the gender of the counted noun (*från ingen till en region*, *från inget till ett
    län*).

    >>> change_phrase(4, 8), change_phrase(3, 9), change_phrase(2, 8)
    ('en fördubbling', 'en tredubbling', 'en fyrdubbling')
    >>> change_phrase(10, 5)
    'en halvering'
    >>> change_phrase(0, 2), change_phrase(0, 1, gender="neuter")
    ('från ingen till två', 'från inget till ett')
    >>> change_phrase(5, 8), change_phrase(12, 9)
    ('en ökning från fem till åtta', 'en minskning från tolv till nio')
    >>> change_phrase(9, 14)
    'en ökning från 9 till 14'
    >>> change_phrase(7, 7)
    'oförändrat'
    """
    old = _count(before, "before")
    new = _count(after, "after")
    _check_gender(gender)
    if new == old:
        return "oförändrat"
    if old == 0:
        return f"från {_none_word(gender)} till {number_word(new, gender=gender)}"
    if new == 0:
        return f"från {number_word(old, gender=gender)} till {_none_word(gender)}"
    for factor, word in ((2, "fördubbling"), (3, "tredubbling"), (4, "fyrdubbling")):
        if new == factor * old:
            return f"en {word}"
    if 2 * new == old:
        return "en halvering"
    if max(old, new) <= _LAST_WORD:
        old_text, new_text = number_word(old, gender=gender), number_word(new, gender=gender)
    else:
        old_text, new_text = _digits(old), _digits(new)
    direction = "ökning" if new > old else "minskning"
    return f"en {direction} från {old_text} till {new_text}"


def change_arrow(before: SupportsIndex, after: SupportsIndex) -> str:
    """An arrow for the direction of change: ``↑``, ``↓`` or ``→`` (unchanged).

    >>> change_arrow(5, 8), change_arrow(8, 5), change_arrow(5, 5)
    ('↑', '↓', '→')
    """
    old = _count(before, "before")
    new = _count(after, "after")
    if new > old:
        return "↑"
    if new < old:
        return "↓"
    return "→"


def percent(count: SupportsIndex, total: SupportsIndex) -> str:
    """``count`` of ``total`` as whole percent, rounded half up; ``–`` for no total.

    >>> percent(12, 21), percent(2, 3), percent(1, 8)
    ('57 procent', '67 procent', '13 procent')
    >>> percent(0, 0)
    '–'
    """
    part = _count(count, "count")
    whole = _count(total, "total")
    if whole == 0:
        return "–"
    # half up in integer arithmetic: floor(100 * part / whole + 1/2)
    rounded = (200 * part + whole) // (2 * whole)
    return f"{_digits(rounded)} procent"


def theme_in_sentence(label: str) -> str:
    """A theme's label as it stands inside a sentence: lower-case first letter, except
    for an acronym ("SIP", "FaR") or a proper noun-like capital run.

    >>> theme_in_sentence("Hälsosamtal"), theme_in_sentence("SIP och samordnad planering")
    ('hälsosamtal', 'SIP och samordnad planering')
    """
    if len(label) > 1 and label[1].isupper():
        return label
    return lower_first(label)


def work_on(label: str) -> str:
    """ "Work with" a theme, as the årsberättelse writes it: *arbete med hälsosamtal*, but
    *förebyggande arbete* for a label that already names work.

    >>> work_on("Mobila team"), work_on("Förebyggande arbete")
    ('arbete med mobila team', 'förebyggande arbete')
    """
    phrase = theme_in_sentence(label)
    if phrase.split()[-1] in ("arbete", "arbetet", "arbetssätt"):
        return phrase
    return f"arbete med {phrase}"
