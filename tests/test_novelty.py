"""Passages copied from last year's report are told apart from new ones, however reflowed."""

from __future__ import annotations

import random

import pytest

from nvreport.ingest.normalize import count_words
from nvreport.tagging.novelty import (
    NEW,
    REPEATED,
    REVISED,
    PreviousText,
    canonical_text,
    canonical_words,
    classify_passages,
)

# Last year's report of one region: four paragraphs of 40-80 words.
HEALTH_TALKS = (
    "Regionen har under året fortsatt att utveckla hälsosamtalsverksamheten inom "
    "primärvården. Samtliga vårdcentraler erbjuder hälsosamtal till invånare som fyller "
    "40, 50 och 60 år, och under året genomfördes 1 700 samtal med stöd av en gemensam "
    "metodbok. Insatsen följs upp i ett regionalt kvalitetsregister. Uppföljningen visar "
    "att deltagandet är lägre i områden med socioekonomiska utmaningar, varför regionen "
    "avser att rikta särskilda informationsinsatser till dessa områden under kommande år."
)
MOBILE_TEAMS = (
    "Mobila team är en central del i omställningen till en god och nära vård. Under året "
    "har regionen tillsammans med två kommuner i länet bedrivit ett mobilt "
    "närsjukvårdsteam för äldre med omfattande behov av hälso- och sjukvård. Teamet "
    "består av sjuksköterskor och läkare från primärvården och gör hembesök efter remiss "
    "från kommunens hemsjukvård. Arbetssättet har minskat antalet akuta besök på sjukhus "
    "för målgruppen."
)
CARE_CONTACT = (
    "Alla vårdcentraler i regionen erbjuder patienter med kroniska sjukdomar en fast "
    "vårdkontakt. Den fasta vårdkontakten ska samordna patientens insatser och vara en "
    "väg in till vården. Under året har regionen infört patientkontrakt som ett verktyg "
    "för att tydliggöra överenskommelser mellan patient och vårdgivare. "
    "Patientkontraktet dokumenteras i journalen och följs upp vid varje besök."
)
COOPERATION = (
    "Regionen och länets kommuner har tecknat en gemensam överenskommelse om samverkan "
    "vid in- och utskrivning från slutenvården. Överenskommelsen omfattar rutiner för "
    "samordnad individuell plan och för informationsöverföring mellan huvudmännen. En "
    "gemensam ledningsgrupp följer arbetet och rapporterar två gånger per år till det "
    "politiska samverkansorganet, som beslutar om eventuella förändringar i rutinerna."
)
LAST_YEAR = [
    "1 Inledning",
    HEALTH_TALKS,
    "2 Personcentrerad vård",
    "2.1 Fasta vårdkontakter",
    CARE_CONTACT,
    "2.2 Mobila team",
    MOBILE_TEAMS,
    "3 Samverkan",
    COOPERATION,
    "Mobila team | 3 980",
]

# This year's genuinely new paragraph on the same topic, sharing much vocabulary.
NEW_MOBILE_TEAMS = (
    "Regionen har under året infört mobila team i samtliga kommuner i länet. De nya "
    "teamen leds av distriktssköterskor och arbetar dagtid alla veckodagar. Målgruppen "
    "har utvidgats till att även omfatta personer med psykisk ohälsa som har svårt att "
    "ta sig till en vårdcentral. En utvärdering av arbetssättet genomförs tillsammans "
    "med ett lärosäte och redovisas i nästa års rapport."
)


@pytest.fixture(scope="module")
def last_year() -> PreviousText:
    return PreviousText(LAST_YEAR)


def test_example_paragraphs_are_report_sized() -> None:
    for paragraph in (HEALTH_TALKS, MOBILE_TEAMS, CARE_CONTACT, COOPERATION, NEW_MOBILE_TEAMS):
        assert 40 <= count_words(paragraph) <= 80, paragraph


def test_canonical_form_ignores_hyphenation_case_punctuation_and_figures() -> None:
    assert canonical_text("patient- kontrakt") == canonical_text("Patientkontrakt")
    assert canonical_text("hälsosamtals-\nverksamheten") == "hälsosamtalsverksamheten"
    assert canonical_text("hälso\u00adsamtals\u00ad\nverksamheten") == "hälsosamtalsverksamheten"
    assert canonical_text("1 700 samtal") == canonical_text("2 100 samtal")
    assert canonical_text("ökade med 2,5 procent") == canonical_text("ökade med 12 procent")
    assert canonical_text("e-\nhälsa") == canonical_text("e-hälsa") == "ehälsa"
    # a shortened compound keeps its words, also when the line broke after the hyphen
    assert canonical_words("hälso-\noch sjukvård") == ["hälso", "och", "sjukvård"]
    assert canonical_words("kommun- eller regionnivå") == ["kommun", "eller", "regionnivå"]
    assert canonical_text("»Nära vård« – för alla!") == "nära vård för alla"


def test_paragraph_copied_word_for_word_is_repeated(last_year: PreviousText) -> None:
    assert last_year.classify(HEALTH_TALKS) == (REPEATED, 1.0)


def test_reflowed_paragraph_with_line_break_hyphen_is_repeated(last_year: PreviousText) -> None:
    reflowed = (
        "Regionen har under året fortsatt att utveckla hälsosamtals-\nverksamheten inom\n"
        "primärvården. Samtliga vårdcentraler erbjuder hälsosamtal till invånare\nsom "
        "fyller 40, 50 och 60 år, och under året genomfördes 1 700 samtal med stöd\nav en "
        "gemensam metodbok. Insatsen följs upp i ett regionalt kvalitets-\nregister. "
        "Uppföljningen visar att deltagandet är lägre i områden med socio-\nekonomiska "
        "utmaningar, varför regionen avser att rikta särskilda informations-\ninsatser "
        "till dessa områden under kommande år."
    )
    assert last_year.classify(reflowed) == (REPEATED, 1.0)


def test_updated_figures_alone_keep_a_paragraph_repeated(last_year: PreviousText) -> None:
    updated = HEALTH_TALKS.replace("1 700 samtal", "2 100 samtal")
    assert last_year.classify(updated) == (REPEATED, 1.0)


def test_one_figure_and_one_word_changed_is_still_repeated(last_year: PreviousText) -> None:
    edited = HEALTH_TALKS.replace("1 700", "2 100").replace("regionalt", "nationellt")
    label, score = last_year.classify(edited)
    # one changed word costs at most 4 of the paragraph's shingles
    assert label == REPEATED
    assert 0.9 <= score < 1.0


def test_two_sentences_of_four_rewritten_is_revised(last_year: PreviousText) -> None:
    edited = (
        "Hälsosamtalen är nu en etablerad del av det förebyggande arbetet. Samtliga "
        "vårdcentraler erbjuder hälsosamtal till invånare som fyller 40, 50 och 60 år, och "
        "under året genomfördes 2 100 samtal med stöd av en gemensam metodbok. Resultaten "
        "redovisas årligen för regionstyrelsen. Uppföljningen visar att deltagandet är lägre "
        "i områden med socioekonomiska utmaningar, varför regionen avser att rikta särskilda "
        "informationsinsatser till dessa områden under kommande år."
    )
    label, score = last_year.classify(edited)
    assert label == REVISED
    assert 0.5 <= score < 0.9


def test_paragraph_split_in_two_gives_two_repeated_halves(last_year: PreviousText) -> None:
    first = (
        "Alla vårdcentraler i regionen erbjuder patienter med kroniska sjukdomar en fast "
        "vårdkontakt. Den fasta vårdkontakten ska samordna patientens insatser och vara en "
        "väg in till vården."
    )
    second = (
        "Under året har regionen infört patientkontrakt som ett verktyg för att tydliggöra "
        "överenskommelser mellan patient och vårdgivare. Patientkontraktet dokumenteras i "
        "journalen och följs upp vid varje besök."
    )
    assert last_year.classify(first) == (REPEATED, 1.0)
    assert last_year.classify(second) == (REPEATED, 1.0)


def test_two_paragraphs_merged_into_one_is_repeated(last_year: PreviousText) -> None:
    # adjacent last year (with a heading between them)
    assert last_year.classify("2.2 Mobila team " + MOBILE_TEAMS + " 3 Samverkan") == (
        REPEATED,
        1.0,
    )
    # not adjacent last year: only the shingles across the join are missing
    label, score = last_year.classify(HEALTH_TALKS + "\n" + COOPERATION)
    assert label == REPEATED
    assert score >= 0.95


def test_new_paragraph_on_the_same_topic_is_new(last_year: PreviousText) -> None:
    label, score = last_year.classify(NEW_MOBILE_TEAMS)
    assert label == NEW
    assert score < 0.2


def test_heading_present_last_year_is_repeated_absent_is_new(last_year: PreviousText) -> None:
    assert last_year.classify("2.1 Fasta vårdkontakter") == (REPEATED, 1.0)
    assert last_year.classify("2.1 FASTA VÅRDKONTAKTER") == (REPEATED, 1.0)
    assert last_year.classify("4 Digitala vårdtjänster") == (NEW, 0.0)
    # close, but a short passage is never "revised"
    assert last_year.classify("2.1 Fast vårdkontakt") == (NEW, 0.0)


def test_table_row_with_updated_figure_is_repeated(last_year: PreviousText) -> None:
    assert last_year.classify("Mobila team | 4 250") == (REPEATED, 1.0)
    assert last_year.classify("Hemsjukvård | 4 250") == (NEW, 0.0)


def test_short_list_item_lightly_edited_is_revised() -> None:
    previous = PreviousText(["Följande insatser har genomförts:", "mobila team i tre kommuner"])
    assert previous.classify("mobila team i tre kommuner") == (REPEATED, 1.0)
    label, score = previous.classify("mobila team i fyra kommuner")
    assert label == REVISED
    assert 0.5 <= score < 0.9


def test_short_sentence_made_of_common_words_is_not_matched_to_a_long_paragraph(
    last_year: PreviousText,
) -> None:
    # every word occurs last year, but never together
    assert last_year.classify("Regionen har infört mobila team.")[0] == NEW


def test_whole_report_one_result_per_passage_in_order() -> None:
    this_year = [
        "1 Inledning",
        HEALTH_TALKS.replace("1 700", "2 100"),
        "2 Personcentrerad vård",
        NEW_MOBILE_TEAMS,
        CARE_CONTACT,
        "4 Digital vård",
        "",
    ]
    labels = [label for label, _ in classify_passages(this_year, LAST_YEAR)]
    assert labels == [REPEATED, REPEATED, REPEATED, NEW, REPEATED, NEW, NEW]


def test_without_a_previous_report_everything_is_new() -> None:
    current = [HEALTH_TALKS, "2.1 Fasta vårdkontakter", "mobila team i tre kommuner"]
    assert classify_passages(current, []) == [(NEW, 0.0)] * 3
    assert [PreviousText([]).classify(text) for text in current] == [(NEW, 0.0)] * 3
    assert classify_passages([], LAST_YEAR) == []


def test_a_full_report_pair_finds_every_copied_passage() -> None:
    """Speed is measured in benchmarks, not asserted here; this checks the labels."""
    vocabulary = sorted({word for p in [*LAST_YEAR, NEW_MOBILE_TEAMS] for word in p.split()})
    rng = random.Random(2024)
    previous = [" ".join(rng.choices(vocabulary, k=rng.randint(3, 80))) for _ in range(500)]
    current = previous[:250] + [
        " ".join(rng.choices(vocabulary, k=rng.randint(3, 80))) for _ in range(250)
    ]
    results = classify_passages(current, previous)
    assert len(results) == 500
    assert all(label == REPEATED for label, _ in results[:250])
