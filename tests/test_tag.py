"""The tagger: how terms match Swedish text, and the status of each match."""

from __future__ import annotations

from pathlib import Path

import pytest

from nvreport.tagging.status import combine
from nvreport.tagging.tagger import ACTIVE, NEGATED, PLANNED, Tagger, passage_themes
from nvreport.tagging.taxonomy import load_taxonomy

SMALL = Path(__file__).parent / "fixtures" / "taxonomies" / "small.yaml"


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(SMALL))


def themes(tagger: Tagger, text: str, year: int | None = 2022) -> dict[str, str]:
    return passage_themes(tagger.tag(text, year))


@pytest.mark.parametrize(
    ("text", "theme", "words"),
    [
        (
            "Alla patienter har fått fasta vårdkontakterna.",
            "fasta_kontakter",
            "fasta vårdkontakterna",
        ),
        ("Den fasta läkarkontakten uppskattas.", "fasta_kontakter", "fasta läkarkontakten"),
        ("Patientkontraktet infördes i maj.", "patientkontrakt", "Patientkontraktet"),
        ("Patientkontraktsarbetet leds centralt.", "patientkontrakt", "Patientkontraktsarbetet"),
        ("Hälsosamtalsverksamheten har utökats.", "halsosamtal", "Hälsosamtalsverksamheten"),
        ("Vi erbjuder riktade hälsosamtal.", "halsosamtal", "hälsosamtal"),
        ("FaR-förskrivningen ökade under året.", "far", "FaR-förskrivningen"),
        ("Antalet FaR ökade.", "far", "FaR"),
        ("Fysisk aktivitet på recept erbjuds.", "far", "Fysisk aktivitet på recept"),
        ("Recept på fysisk aktivitet skrivs ut.", "far", "Recept"),
        (
            "De mobila närsjukvårdsteamen besöker hemmen.",
            "mobila_team",
            "mobila närsjukvårdsteamen",
        ),
        ("Mobilt team finns i tre kommuner.", "mobila_team", "Mobilt team"),
        ("Närsjukvårdsteamen arbetar dygnet runt.", "mobila_team", "Närsjukvårdsteamen"),
        ("Inom hälso- och sjukvården pågår arbetet.", "vard", "hälso- och sjukvården"),
        ("Invånarna använder 1177 allt oftare.", "vard", "1177"),
        ("Insatser för sköra äldre har prioriterats.", "skora_aldre", "sköra äldre"),
        ("Multisjuka äldre får förebyggande besök.", "skora_aldre", "äldre"),
    ],
)
def test_terms_match_inflections_compounds_and_acronyms(tagger, text, theme, words) -> None:
    matches = [m for m in tagger.tag(text, 2022) if m.theme == theme]
    assert [m.text for m in matches] == [words]
    match = matches[0]
    assert text[match.start : match.end] == words
    assert match.sentence == text


@pytest.mark.parametrize(
    "text",
    [
        "Hans far bodde på ett särskilt boende.",  # far is not FaR
        "Läkaren skrev ut recept på läkemedel.",  # recept without fysisk aktivitet
        "Regionen uppmuntrar ökad fysisk aktivitet bland äldre.",  # no prescription
        "Teamarbetet på vårdcentralen har utvecklats.",  # team, but not mobile
        "Mobila multiprofessionella team finns inte här.",  # excluded phrase
        "Vården ska vara fast och tydlig i sin kontakt.",  # not the phrase
        "Kontrakt med leverantörer har förnyats.",
    ],
)
def test_near_misses_do_not_match(tagger, text) -> None:
    assert not set(themes(tagger, text)) & {
        "far",
        "mobila_team",
        "fasta_kontakter",
        "patientkontrakt",
    }


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Regionen erbjuder hälsosamtal till alla 50-åringar.", ACTIVE),
        ("Sedan 2021 genomförs hälsosamtal på samtliga vårdcentraler.", ACTIVE),
        ("Regionen planerar att införa hälsosamtal.", PLANNED),
        ("Hälsosamtal ska införas under 2023.", PLANNED),
        ("Under 2023 påbörjas hälsosamtal i länets norra del.", PLANNED),
        ("Regionen har beslutat om införande av hälsosamtal.", PLANNED),
        ("Regionen kommer att erbjuda hälsosamtal.", PLANNED),
        ("Regionen avser att starta hälsosamtal.", PLANNED),
        ("Regionen har inte påbörjat arbetet med hälsosamtal.", NEGATED),
        ("Hälsosamtal erbjuds ännu inte.", NEGATED),
        ("Hälsosamtal saknas i dag.", NEGATED),
        ("Regionen erbjuder ej hälsosamtal.", NEGATED),
        ("Hälsosamtal har ännu inte införts men planeras till 2023.", PLANNED),
        ("Regionen har infört hälsosamtal och planerar att utöka dem.", ACTIVE),
        ("Inte bara hälsosamtal utan även andra insatser erbjuds.", ACTIVE),
        ("Tack vare hälsosamtalen har ingen patient behövt läggas in.", ACTIVE),
        ("Det finns inga hälsosamtal i kommunen.", NEGATED),
    ],
)
def test_status_comes_from_the_sentence(tagger, text, status) -> None:
    assert themes(tagger, text)["halsosamtal"] == status


def test_status_is_per_sentence_and_passages_combine_active_first(tagger) -> None:
    text = (
        "Regionen planerar att införa hälsosamtal. "
        "Patientkontrakt erbjuds redan vid tre vårdcentraler. "
        "På övriga vårdcentraler har hälsosamtal redan startat."
    )
    matches = tagger.tag(text, 2022)
    assert [(m.theme, m.status) for m in matches] == [
        ("halsosamtal", PLANNED),
        ("patientkontrakt", ACTIVE),
        ("halsosamtal", ACTIVE),
    ]
    assert passage_themes(matches) == {"halsosamtal": ACTIVE, "patientkontrakt": ACTIVE}
    assert matches[2].sentence == "På övriga vårdcentraler har hälsosamtal redan startat."


def test_abbreviations_do_not_end_sentences(tagger) -> None:
    text = "Regionen har bl.a. infört ca. 40 st. hälsosamtal enl. avd. 3 och planerar fler."
    matches = tagger.tag(text, 2022)
    assert [m.sentence for m in matches] == [text]


def test_a_later_year_marks_planned_work_only_relative_to_the_report(tagger) -> None:
    text = "Under 2023 införs hälsosamtal."
    assert themes(tagger, text, 2022)["halsosamtal"] == PLANNED
    assert themes(tagger, text, 2023)["halsosamtal"] == ACTIVE


def test_combine_ranks_active_over_planned_over_negated() -> None:
    assert combine([NEGATED, PLANNED]) == PLANNED
    assert combine([PLANNED, ACTIVE, NEGATED]) == ACTIVE
    assert combine([]) == "none"


def test_text_without_full_stops_is_taken_in_bounded_sentences(tagger) -> None:
    """A list or table run together without full stops is not one sentence of
    thousands of words: every match keeps a sentence of at most 200 tokens as its
    evidence, and its status comes from the cues near it."""
    text = " ".join(
        ["regionen erbjuder hälsosamtal och mobila team"] * 300
        + ["hälsosamtal planeras inte"]
        + ["regionen erbjuder hälsosamtal"] * 50
    )
    matches = tagger.tag(text, 2022)
    assert len([m for m in matches if m.theme == "halsosamtal"]) == 351
    assert len([m for m in matches if m.theme == "mobila_team"]) == 300
    assert max(len(match.sentence.split()) for match in matches) <= 200
    assert all(text[match.start : match.end] == match.text for match in matches)
    assert NEGATED in {match.status for match in matches if match.theme == "halsosamtal"}
    assert matches[0].status == ACTIVE  # the denial far away does not reach it


def test_a_regular_expression_of_lookarounds_alone_finds_no_words() -> None:
    from nvreport.analysis.kwic import adhoc_taxonomy

    tagger = Tagger(adhoc_taxonomy("re:(?=1177)"))
    assert tagger.tag("Regionen erbjuder chatt via 1177 dygnet runt.") == []


def one_theme(
    terms: tuple[str, ...] = (), exclude: tuple[str, ...] = (), near: tuple = ()
) -> Tagger:
    from nvreport.tagging.taxonomy import THEME, Taxonomy, Theme

    theme = Theme(
        id="resor",
        label="Färre resor",
        description="",
        kind=THEME,
        group="",
        framework_area="",
        terms=terms,
        exclude=exclude,
        near=near,
        examples_match=(),
        examples_no_match=(),
    )
    return Tagger(Taxonomy("test", "test", (), (), {"resor": theme}, "", ""))


def test_a_regular_expression_exclude_cancels_what_it_overlaps() -> None:
    """An exclude written as a regular expression was never applied, and no exclude
    applied to a regular-expression term: both over-counted."""
    text = "Patienterna slipper resa till sjukhuset. Personalen slipper resa mellan enheterna."
    word_term = one_theme(terms=("slipper resa",), exclude=("re:(?i)personalen slipper",))
    regex_term = one_theme(
        terms=(r"re:(?i)\bslipper\s+resa\b",), exclude=("personalen slipper resa",)
    )
    for tagger in (word_term, regex_term):
        matches = tagger.tag(text)
        assert [text[match.start : match.end] for match in matches] == ["slipper resa"]
        assert matches[0].start == text.index("slipper")


def test_a_near_rule_with_a_regular_expression_term_keeps_its_scope() -> None:
    """The near phrases of a rule whose term is a regular expression were ignored, so
    the term counted everywhere."""
    from nvreport.tagging.taxonomy import NearRule

    tagger = one_theme(near=(NearRule(r"re:(?i)\bresor\b", ("patienter",), window=4),))
    assert len(tagger.tag("Färre resor för patienter med kroniska sjukdomar.")) == 1
    assert tagger.tag("Regionen har minskat antalet resor i tjänsten.") == []


def test_a_definition_reports_no_work(tagger) -> None:
    """Fact boxes and footnotes define concepts: "Med fast vårdkontakt avses …" tells
    what the report means by the words, not what the actor did or plans ("avses"
    read as a plan)."""
    assert themes(tagger, "Med fast vårdkontakt avses en namngiven kontakt i vården.") == {}
    assert themes(tagger, "Med patientkontrakt menas här en samlad plan för vården.") == {}
    # "avses att" plans, and a sentence that does not open with "Med" defines nothing
    assert themes(tagger, "Med stöd av medlen avses att införa hälsosamtal.") == {
        "halsosamtal": PLANNED
    }
    assert themes(tagger, "Regionen avser att erbjuda fast vårdkontakt.") == {
        "fasta_kontakter": PLANNED
    }
