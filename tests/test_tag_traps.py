"""Tagging traps found on real report text (issue 16), each with sentences written for
this test in the reports' register: contact persons of organisations, digital care in
adjective and compound forms, plans stated through a noun phrase, decisions already
taken, letterheads and record lines, and target groups inside other words' compounds.
The bundled taxonomy is used, as the reports are tagged with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from nvreport.tagging.evaluate import read_gold, score
from nvreport.tagging.tagger import ACTIVE, PLANNED, Tagger, passage_themes
from nvreport.tagging.taxonomy import load_taxonomy

TRAPS = Path(__file__).parent / "fixtures" / "tagging" / "traps.jsonl"


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy())


def tagged(tagger: Tagger, text: str, year: int = 2022) -> dict[str, str]:
    return passage_themes(tagger.tag(text, year))


# --- a contact person of an organisation is not a patient's fixed contact ---------------


@pytest.mark.parametrize(
    "text",
    [
        "Regionen har en fast kontaktperson för samverkansfrågor gentemot varje kommun.",
        "Varje kommun har utsett en fast kontaktperson för nära vård.",
        "Hemtjänsten har en fast kontaktperson gentemot regionen i läkemedelsfrågor.",
        "Äldreomsorgen har en fast kontakt gentemot vårdcentralerna.",
        "Samtliga kommuner har utsett en fast kontaktperson till RSS.",
        "Omsorgsförvaltningen har en fast kontaktperson för hemsjukvårdsområdet.",
    ],
)
def test_an_organisations_contact_person_is_not_a_fixed_contact(tagger, text) -> None:
    assert "fasta_kontakter" not in tagged(tagger, text)


@pytest.mark.parametrize(
    "text",
    [
        "Varje brukare i hemtjänsten har en fast kontaktperson som följer hen över tid.",
        "Patienter med stora vårdbehov erbjuds en fast kontaktperson på hälsocentralen.",
        "Alla patienter med hemsjukvård har en fast vårdkontakt på vårdcentralen.",
        "Den enskilde får en fast kontaktperson för sina kontakter med vården.",
    ],
)
def test_a_persons_fixed_contact_still_counts(tagger, text) -> None:
    assert "fasta_kontakter" in tagged(tagger, text)


# --- digital care in adjective and compound forms -----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Den digitala omställningen i primärvården har fortsatt under året.",
        "Andelen digitala vårdkontakter har ökat till en tredjedel.",
        "Regionen har infört digitala läkarbesök på kvällstid.",
        "Hemsjukvården gör digitala tillsynsbesök hos brukare som önskar det.",
        "Vårdcentralerna arbetar enligt principen digital first.",
        "Principen digitalt först gäller vid all nybesöksbokning.",
        "Patienter med blodförtunnande läkemedel erbjuds självprovtagning.",
        "Provtagning i hemmet erbjuds patienter med kroniska sjukdomar.",
        "Telemonitorering av patienter med hjärtsvikt har införts.",
        "Uppföljning på distans har införts för patienter med diabetes.",
        "Hemsjukvård på distans har prövats i två kommuner.",
        "Digitala kanaler för kontakt med vården har byggts ut.",
        "Virtuella besök erbjuds inom barnhälsovården.",
        "Via regionens hälsoapp kan invånarna kontakta vårdcentralen.",
        "Regionen har öppnat en digital hälsocentral för hela länet.",
    ],
)
def test_adjective_and_compound_forms_of_digital_care(tagger, text) -> None:
    assert "digitalisering" in tagged(tagger, text)


@pytest.mark.parametrize(
    "text",
    [
        "Ledningsgruppen har haft digitala möten varannan vecka.",
        "Medarbetarna på kansliet arbetar på distans två dagar i veckan.",
        "Utbildningen gavs på distans för medarbetare i hemtjänsten.",
    ],
)
def test_digital_work_of_staff_is_not_digital_care(tagger, text) -> None:
    assert "digitalisering" not in tagged(tagger, text)


# --- plans stated through a noun phrase --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Till de insatser som planeras hör riktade hälsosamtal för 50-åringar.", "halsosamtal"),
        ("Bland planerade aktiviteter finns mobila team i norra länsdelen.", "mobila_team"),
        ("Planerade åtgärder: fast vårdkontakt för multisjuka patienter.", "fasta_kontakter"),
        ("Kommande insatser omfattar patientkontrakt inom psykiatrin.", "patientkontrakt"),
        ("I handlingsplanen för nästa år ingår fysisk aktivitet på recept.", "far"),
        ("I verksamhetsplanen för 2023 ingår mobila team i två kommuner.", "mobila_team"),
    ],
)
def test_plans_stated_through_a_noun_phrase_are_planned(tagger, text, theme) -> None:
    assert tagged(tagger, text)[theme] == PLANNED


def test_the_plan_that_holds_them_exists(tagger) -> None:
    found = tagged(tagger, "I handlingsplanen för nästa år ingår fysisk aktivitet på recept.")
    assert found == {"malbild_handlingsplan": ACTIVE, "far": PLANNED}


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("De planerade hembesöken av det mobila teamet har genomförts.", "mobila_team"),
        ("Mobila team finns redan i tre kommuner.", "mobila_team"),
        ("Bland de planerade insatserna finns i dag hälsosamtal i två kommuner.", "halsosamtal"),
    ],
)
def test_scheduled_visits_and_work_already_there_stay_active(tagger, text, theme) -> None:
    assert tagged(tagger, text)[theme] == ACTIVE


# --- decisions and requirements already taken ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        (
            "Regionstyrelsen har infört krav på att personcentrerat arbetssätt ska beaktas.",
            "personcentrering",
        ),
        (
            "Beslut har fattats om att riktade hälsosamtal ska erbjudas alla 40-åringar.",
            "halsosamtal",
        ),
        ("Det är beslutat att mobila team ska finnas i alla kommuner.", "mobila_team"),
        ("Nämnden har beslutat att SIP ska erbjudas alla barn med insatser.", "samordning_sip"),
        ("Uppdraget innebär att vårdcentralerna ska erbjuda fast läkarkontakt.", "fasta_kontakter"),
    ],
)
def test_a_decision_taken_is_work_in_place(tagger, text, theme) -> None:
    assert tagged(tagger, text)[theme] == ACTIVE


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Beslut har fattats om att införa mobil nära vård i samtliga kommuner.", "mobila_team"),
        (
            "Regionen har beslutat att ta fram en gemensam plan för primärvården.",
            "gemensam_plan_primarvard",
        ),
        ("Beslut har fattats om att hälsosamtal ska erbjudas från och med 2023.", "halsosamtal"),
        ("Kommunen har beslutat om införande av fast omsorgskontakt.", "fasta_kontakter"),
        (
            "Regionen planerar att ställa krav på att patientkontrakt ska erbjudas.",
            "patientkontrakt",
        ),
        ("Ett beslut om att mobila team ska inrättas väntas under våren.", "mobila_team"),
    ],
)
def test_a_decision_to_introduce_or_a_later_year_is_planned(tagger, text, theme) -> None:
    assert tagged(tagger, text)[theme] == PLANNED


def test_a_decision_not_taken_is_no_plan(tagger) -> None:
    found = tagged(tagger, "Något beslut om att införa patientkontrakt har inte fattats.")
    assert found == {"patientkontrakt": "negated"}


# --- title pages, letterheads and record lines ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Hälso- och sjukvårdsförvaltningen, Avdelningen för digitalisering och e-hälsa",
        "Diarienummer: HSN 2022/456 Handlingsplan för nära vård",
        "Dnr RS 2022/123 Mobila team i länet",
        "Version 1.2 Datum: 2023-02-15 Personcentrerad vård",
        "Beslutad av regionstyrelsen 2023-03-01 Färdplan för omställningen",
        "Handläggare: Eva Ek, strateg för personcentrerad vård",
        "Enheten för hälsofrämjande och förebyggande arbete, Box 123, 851 86 Sundsvall",
        "Region Västernorrland, Staben för nära vård och samverkan",
        "Kontaktperson: Karin Berg, samordnare för mobila team, tel. 010-123 45 67",
    ],
)
def test_record_lines_and_letterheads_report_no_work(tagger, text) -> None:
    assert tagged(tagger, text) == {}


def test_a_units_name_is_no_evidence_but_its_work_is(tagger) -> None:
    found = tagged(tagger, "Enheten för digitalisering har under året infört videobesök.")
    matches = [m.text for m in tagger.tag("Enheten för digitalisering har infört videobesök.")]
    assert found == {"digitalisering": ACTIVE}
    assert matches == ["videobesök"]


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Regionen har inrättat en enhet för mobila team under året.", "mobila_team"),
        ("Kommunen har bildat en ny avdelning för välfärdsteknik.", "digitalisering"),
    ],
)
def test_a_unit_set_up_for_the_work_is_evidence(tagger, text, theme) -> None:
    assert tagged(tagger, text) == {theme: ACTIVE}


def test_a_record_word_in_a_sentence_that_reports_work(tagger) -> None:
    text = "Dnr RS 2022/123 Regionen har under året infört mobila team i tre kommuner."
    assert tagged(tagger, text) == {"mobila_team": ACTIVE}


# --- target groups inside other words' compounds -----------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Samverkan med pensionärsorganisationerna sker i pensionärsrådet.", "aldre"),
        ("Representanter för brukar- och pensionärsorganisationer ingår i gruppen.", "aldre"),
        ("Regionen har anlitat en seniorkonsult för arbetet.", "aldre"),
        ("Senior- och juniorkonsulter har stöttat förvaltningen.", "aldre"),
        ("Barnmorskemottagningen har utökat sina telefontider.", "barn_unga"),
        ("Ungdomsrådet har lämnat synpunkter på webbplatsen.", "barn_unga"),
    ],
)
def test_a_target_group_inside_another_words_compound(tagger, text, value) -> None:
    assert value not in tagged(tagger, text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Träffpunkterna riktar sig till pensionärer i glesbygden.", "aldre"),
        ("Ålderspensionärer med hemtjänst erbjuds förebyggande hembesök.", "aldre"),
        ("Äldreomsorgen har fått nya resurser.", "aldre"),
        ("Äldre- och funktionshinderomsorgen har fått ett gemensamt ledningssystem.", "aldre"),
        ("Ungdomsmottagningen har utökat sina öppettider.", "barn_unga"),
        ("Barn- och ungdomspsykiatrin har förstärkts.", "barn_unga"),
        ("Ungdomar med psykisk ohälsa erbjuds stöd på vårdcentralen.", "barn_unga"),
    ],
)
def test_a_target_group_as_word_head_or_declared_first_part(tagger, text, value) -> None:
    assert value in tagged(tagger, text)


# --- the traps set as a whole --------------------------------------------------------------


def test_the_traps_set(tagger) -> None:
    gold = read_gold(TRAPS)
    assert len(gold) >= 60
    scores = score(tagger, gold)
    assert scores.f1()[2] >= 0.95
    assert scores.f1("digitalisering")[1] >= 0.90
    assert scores.status_share("active", "planned", "negated") >= 0.95
