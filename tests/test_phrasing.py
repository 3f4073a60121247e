"""The Swedish words for counts, shares and changes: every rule and its boundaries,
asserted as the exact strings a report will carry."""

from __future__ import annotations

import dataclasses
import doctest

import pytest

from nvreport.analysis import phrasing
from nvreport.analysis.phrasing import (
    ACTOR_NOUNS,
    FALLBACK_NOUN,
    Noun,
    actor_noun,
    change_arrow,
    change_phrase,
    lower_first,
    number_word,
    percent,
    share_phrase,
)


def test_docstring_examples_hold() -> None:
    failures, tried = doctest.testmod(phrasing, raise_on_error=False)
    assert tried > 0
    assert failures == 0


# --- number_word ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (0, "noll"),
        (1, "en"),
        (2, "två"),
        (3, "tre"),
        (4, "fyra"),
        (5, "fem"),
        (6, "sex"),
        (7, "sju"),
        (8, "åtta"),
        (9, "nio"),
        (10, "tio"),
        (11, "elva"),
        (12, "tolv"),
        (13, "13"),
        (21, "21"),
        (290, "290"),
        (999, "999"),
        (1000, "1 000"),
        (1700, "1 700"),
        (1234567, "1 234 567"),
    ],
)
def test_number_word(n: int, word: str) -> None:
    assert number_word(n) == word


@pytest.mark.parametrize(
    ("n", "common", "neuter"),
    [(1, "en", "ett"), (0, "noll", "noll"), (2, "två", "två"), (21, "21", "21")],
)
def test_number_word_gender_matters_for_one_only(n: int, common: str, neuter: str) -> None:
    assert number_word(n, gender="common") == common
    assert number_word(n, gender="neuter") == neuter


def test_number_word_accepts_numpy_style_integers() -> None:
    class Int64Like:
        def __index__(self) -> int:
            return 12

    assert number_word(Int64Like()) == "tolv"


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: number_word(-1), ValueError),
        (lambda: number_word(2.0), TypeError),  # type: ignore[arg-type]
        (lambda: number_word(True), TypeError),
        (lambda: number_word(1, gender="masculine"), ValueError),  # type: ignore[arg-type]
    ],
    ids=["negative", "float", "bool", "unknown gender"],
)
def test_number_word_rejects_what_is_not_a_count(call, error) -> None:
    with pytest.raises(error):
        call()


# --- actor nouns -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor_type", "forms"),
    [
        ("region", ("region", "regioner", "regionerna", "common", "regionen")),
        ("kommun", ("kommun", "kommuner", "kommunerna", "common", "kommunen")),
        ("rss", ("län", "län", "länen", "neuter", "länet")),
        ("", ("aktör", "aktörer", "aktörerna", "common", "aktören")),
        ("landsting", ("aktör", "aktörer", "aktörerna", "common", "aktören")),
    ],
)
def test_actor_noun_forms(actor_type: str, forms: tuple[str, ...]) -> None:
    noun = actor_noun(actor_type)
    assert (
        noun.singular,
        noun.plural,
        noun.definite_plural,
        noun.gender,
        noun.definite_singular,
    ) == forms


def test_actor_nouns_cover_the_three_actor_types_and_cannot_be_changed() -> None:
    assert set(ACTOR_NOUNS) == {"region", "kommun", "rss"}
    assert actor_noun("okänd") is FALLBACK_NOUN
    with pytest.raises(TypeError):
        ACTOR_NOUNS["region"] = FALLBACK_NOUN  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ACTOR_NOUNS["region"].plural = "regionerna"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("actor_type", "n", "text"),
    [
        ("region", 1, "en region"),
        ("region", 2, "två regioner"),
        ("region", 12, "tolv regioner"),
        ("region", 21, "21 regioner"),
        ("region", 0, "noll regioner"),
        ("rss", 1, "ett län"),
        ("rss", 12, "tolv län"),
        ("rss", 21, "21 län"),
        ("kommun", 1, "en kommun"),
        ("kommun", 290, "290 kommuner"),
        ("kommun", 1700, "1 700 kommuner"),
        ("okänd", 3, "tre aktörer"),
    ],
)
def test_noun_count(actor_type: str, n: int, text: str) -> None:
    assert actor_noun(actor_type).count(n) == text


def test_noun_is_a_frozen_value() -> None:
    noun = Noun("region", "regioner", "regionerna", "common", "regionen")
    assert noun == ACTOR_NOUNS["region"]
    assert hash(noun) == hash(ACTOR_NOUNS["region"])


# --- share_phrase ------------------------------------------------------------------------

# (count, total, actor type, exact, approximate)
SHARES = [
    # 21 regions: every rule, from all to none
    pytest.param(
        12, 21, "region", "Tolv av 21 regioner", "Drygt hälften av regionerna", id="12/21"
    ),
    pytest.param(1, 21, "region", "En av 21 regioner", None, id="1/21"),
    pytest.param(0, 21, "region", "Ingen av 21 regioner", "Ingen region", id="0/21"),
    pytest.param(21, 21, "region", "Samtliga 21 regioner", "Samtliga regioner", id="21/21"),
    pytest.param(20, 21, "region", "20 av 21 regioner", "Alla regioner utom en", id="20/21"),
    pytest.param(19, 21, "region", "19 av 21 regioner", "Alla regioner utom två", id="19/21"),
    pytest.param(18, 21, "region", "18 av 21 regioner", "Majoriteten av regionerna", id="18/21"),
    pytest.param(
        16, 21, "region", "16 av 21 regioner", "Tre fjärdedelar av regionerna", id="16/21"
    ),
    pytest.param(
        14, 21, "region", "14 av 21 regioner", "Två tredjedelar av regionerna", id="14/21"
    ),
    pytest.param(13, 21, "region", "13 av 21 regioner", "Majoriteten av regionerna", id="13/21"),
    pytest.param(
        11, 21, "region", "Elva av 21 regioner", "Drygt hälften av regionerna", id="11/21"
    ),
    pytest.param(
        10, 21, "region", "Tio av 21 regioner", "Knappt hälften av regionerna", id="10/21"
    ),
    pytest.param(8, 21, "region", "Åtta av 21 regioner", None, id="8/21"),
    pytest.param(7, 21, "region", "Sju av 21 regioner", "En tredjedel av regionerna", id="7/21"),
    pytest.param(5, 21, "region", "Fem av 21 regioner", "En fjärdedel av regionerna", id="5/21"),
    pytest.param(4, 21, "region", "Fyra av 21 regioner", None, id="4/21"),
    # other totals
    pytest.param(
        15, 20, "region", "15 av 20 regioner", "Tre fjärdedelar av regionerna", id="15/20"
    ),
    pytest.param(10, 20, "region", "Tio av 20 regioner", "Hälften av regionerna", id="10/20"),
    # "i stort sett alla" speaks of every region in the country: 30 is not all
    pytest.param(27, 30, "region", "27 av 30 regioner", "Majoriteten av regionerna", id="27/30"),
    pytest.param(26, 30, "region", "26 av 30 regioner", "Majoriteten av regionerna", id="26/30"),
    pytest.param(3, 4, "region", "Tre av fyra regioner", None, id="3/4 too few"),
    pytest.param(4, 4, "region", "Samtliga fyra regioner", None, id="4/4 too few"),
    pytest.param(0, 4, "region", "Ingen av fyra regioner", None, id="0/4 too few"),
    # counties (RSS): neuter
    pytest.param(12, 21, "rss", "Tolv av 21 län", "Drygt hälften av länen", id="rss 12/21"),
    pytest.param(1, 21, "rss", "Ett av 21 län", None, id="rss 1/21"),
    pytest.param(0, 21, "rss", "Inget av 21 län", "Inget län", id="rss 0/21"),
    pytest.param(20, 21, "rss", "20 av 21 län", "Alla län utom ett", id="rss 20/21"),
    pytest.param(19, 21, "rss", "19 av 21 län", "Alla län utom två", id="rss 19/21"),
    pytest.param(21, 21, "rss", "Samtliga 21 län", "Samtliga län", id="rss 21/21"),
    pytest.param(7, 21, "rss", "Sju av 21 län", "En tredjedel av länen", id="rss 7/21"),
    # municipalities
    pytest.param(3, 4, "kommun", "Tre av fyra kommuner", None, id="kommun 3/4"),
    pytest.param(
        290, 290, "kommun", "Samtliga 290 kommuner", "Samtliga kommuner", id="kommun 290/290"
    ),
    pytest.param(
        289, 290, "kommun", "289 av 290 kommuner", "Alla kommuner utom en", id="kommun 289/290"
    ),
    pytest.param(1, 290, "kommun", "En av 290 kommuner", None, id="kommun 1/290"),
    # unknown actor type
    pytest.param(6, 12, "", "Sex av tolv aktörer", "Hälften av aktörerna", id="aktör 6/12"),
]


@pytest.mark.parametrize(("count", "total", "actor_type", "exact", "approximate"), SHARES)
def test_share_phrase(
    count: int, total: int, actor_type: str, exact: str, approximate: str | None
) -> None:
    phrase = share_phrase(count, total, actor_type)
    assert phrase.exact == exact
    assert phrase.approximate == approximate
    assert phrase.text == (approximate or exact)
    assert str(phrase) == phrase.text


@pytest.mark.parametrize(
    ("count", "total", "actor_type", "exact"),
    [
        (1, 1, "region", "Den enda regionen"),
        (1, 1, "rss", "Det enda länet"),
        (0, 1, "kommun", "Ingen kommun"),
        (0, 1, "rss", "Inget län"),
        (2, 2, "region", "Båda regionerna"),
        (2, 2, "rss", "Båda länen"),
        (1, 2, "region", "En av två regioner"),
        (0, 2, "rss", "Inget av de två länen"),
        (0, 2, "region", "Ingen av de två regionerna"),
    ],
)
def test_share_phrase_of_one_or_two_actors(
    count: int, total: int, actor_type: str, exact: str
) -> None:
    phrase = share_phrase(count, total, actor_type)
    assert (phrase.exact, phrase.approximate) == (exact, None)


@pytest.mark.parametrize(
    ("count", "total", "approximate"),
    [
        # "all", "none", "all but" and "nearly all" only of all 21 regions: of eight
        # that reported, the count says it (issue 16's "Samtliga regioner" for 6 of 21)
        (7, 8, "Majoriteten av regionerna"),
        (6, 8, "Tre fjärdedelar av regionerna"),
        (6, 7, "Majoriteten av regionerna"),
        (4, 6, "Två tredjedelar av regionerna"),
        (5, 6, "Majoriteten av regionerna"),
        # six actors is the smallest total with an approximate phrase; five has none
        (3, 6, "Hälften av regionerna"),
        (2, 6, "En tredjedel av regionerna"),
        (1, 6, None),
        (6, 6, None),
        (5, 5, None),
        (0, 5, None),
        # 0.9 exactly is "i stort sett alla"
        (36, 40, "Majoriteten av regionerna"),
        (19, 21, "Alla regioner utom två"),
        (21, 21, "Samtliga regioner"),
        (35, 40, "Majoriteten av regionerna"),
        # within 0.02 of 3/4, inclusive: 77/100 and 73/100 are, 78/100 is not
        (77, 100, "Tre fjärdedelar av regionerna"),
        (73, 100, "Tre fjärdedelar av regionerna"),
        (78, 100, "Majoriteten av regionerna"),
        # within 0.03 of 2/3: 64/100 is, 70/100 and 63/100 are not
        (64, 100, "Två tredjedelar av regionerna"),
        (70, 100, "Majoriteten av regionerna"),
        (63, 100, "Majoriteten av regionerna"),
        # 0.6 exactly is "majoriteten", just below is "drygt hälften"
        (60, 100, "Majoriteten av regionerna"),
        (59, 100, "Drygt hälften av regionerna"),
        # 0.45 exactly is "knappt hälften", just below has no phrase
        (45, 100, "Knappt hälften av regionerna"),
        (44, 100, None),
        # within 0.03 of 1/3 and within 0.02 of 1/4
        (36, 100, "En tredjedel av regionerna"),
        (37, 100, None),
        (27, 100, "En fjärdedel av regionerna"),
        (28, 100, None),
        (22, 100, None),
    ],
)
def test_share_phrase_boundaries(count: int, total: int, approximate: str | None) -> None:
    assert share_phrase(count, total, "region").approximate == approximate


@pytest.mark.parametrize(
    ("count", "total", "actor_type", "mid_sentence"),
    [
        (12, 21, "region", "drygt hälften av regionerna"),
        (3, 4, "region", "tre av fyra regioner"),
        (21, 21, "rss", "samtliga län"),
        (19, 21, "region", "alla regioner utom två"),
        (27, 30, "region", "majoriteten av regionerna"),
    ],
)
def test_share_phrase_mid_sentence(
    count: int, total: int, actor_type: str, mid_sentence: str
) -> None:
    assert share_phrase(count, total, actor_type).mid_sentence == mid_sentence


def test_lower_first_for_the_exact_phrase() -> None:
    assert lower_first(share_phrase(12, 21, "region").exact) == "tolv av 21 regioner"
    assert lower_first(share_phrase(13, 21, "region").exact) == "13 av 21 regioner"
    assert lower_first("") == ""


@pytest.mark.parametrize(
    ("count", "total", "verb_number"),
    [
        (0, 21, "singular"),  # "Ingen region har infört sin …"
        (0, 4, "singular"),
        (1, 21, "singular"),
        (1, 1, "singular"),
        (2, 21, "plural"),
        (12, 21, "plural"),  # "Drygt hälften av regionerna har infört sina …"
        (20, 21, "plural"),
        (21, 21, "plural"),
    ],
)
def test_share_phrase_verb_number(count: int, total: int, verb_number: str) -> None:
    assert share_phrase(count, total, "region").verb_number == verb_number


def test_share_phrase_accepts_numpy_style_integers() -> None:
    class Index:
        def __init__(self, value: int) -> None:
            self.value = value

        def __index__(self) -> int:
            return self.value

    phrase = share_phrase(Index(12), Index(21), "region")
    assert (phrase.count, phrase.total, phrase.exact) == (12, 21, "Tolv av 21 regioner")


@pytest.mark.parametrize(("count", "total"), [(0, 0), (22, 21), (-1, 21), (1, -1)], ids=str)
def test_share_phrase_rejects_impossible_counts(count: int, total: int) -> None:
    with pytest.raises(ValueError):
        share_phrase(count, total, "region")


# --- change_phrase and change_arrow --------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        (5, 10, "en fördubbling"),
        (1, 2, "en fördubbling"),
        (4, 12, "en tredubbling"),
        (3, 12, "en fyrdubbling"),
        (12, 6, "en halvering"),
        (2, 1, "en halvering"),
        (0, 2, "från ingen till två"),
        (0, 1, "från ingen till en"),
        (0, 21, "från ingen till 21"),
        (5, 0, "från fem till ingen"),
        (7, 7, "oförändrat"),
        (0, 0, "oförändrat"),
        (5, 8, "en ökning från fem till åtta"),
        (12, 9, "en minskning från tolv till nio"),
        (11, 12, "en ökning från elva till tolv"),
        (5, 25, "en ökning från 5 till 25"),  # five times: no word for it
        (9, 14, "en ökning från 9 till 14"),  # one above twelve: both in digits
        (21, 19, "en minskning från 21 till 19"),
        (1200, 1700, "en ökning från 1 200 till 1 700"),
        (7, 3, "en minskning från sju till tre"),  # not an exact half
    ],
)
def test_change_phrase(before: int, after: int, text: str) -> None:
    assert change_phrase(before, after) == text


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        (0, 1, "från inget till ett"),
        (1, 0, "från ett till inget"),
        (1, 5, "en ökning från ett till fem"),
        (2, 4, "en fördubbling"),
    ],
)
def test_change_phrase_for_a_neuter_noun(before: int, after: int, text: str) -> None:
    assert change_phrase(before, after, gender="neuter") == text


@pytest.mark.parametrize(
    ("before", "after", "arrow"), [(5, 8, "↑"), (0, 1, "↑"), (8, 5, "↓"), (5, 5, "→"), (0, 0, "→")]
)
def test_change_arrow(before: int, after: int, arrow: str) -> None:
    assert change_arrow(before, after) == arrow


def test_change_rejects_negative_counts() -> None:
    with pytest.raises(ValueError):
        change_phrase(-1, 2)
    with pytest.raises(ValueError):
        change_arrow(2, -1)


# --- percent ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "total", "text"),
    [
        (12, 21, "57 procent"),
        (2, 3, "67 procent"),
        (1, 3, "33 procent"),
        (1, 8, "13 procent"),  # 12.5 rounds up
        (1, 200, "1 procent"),  # 0.5 rounds up
        (1, 201, "0 procent"),
        (0, 21, "0 procent"),
        (21, 21, "100 procent"),
        (30, 2, "1 500 procent"),
        (0, 0, "–"),
        (5, 0, "–"),
    ],
)
def test_percent(count: int, total: int, text: str) -> None:
    assert percent(count, total) == text
