"""``taxonomy suggest`` finds a theme's new words where no term of the theme reaches.

A passage whose only word for a theme is one the taxonomy lacks carries no tag for
it, and may stand in a section the theme is never tagged in: nothing around it is
"near the theme". Six municipalities' short reports, written for this test, use two
such words: the new compound "anhörigpanel" (beside the taxonomy's ``brukarpanel*``
and ``invånarpanel*`` for *Samskapande*), and the phrase "i samarbete med regionen"
for *Samverkan*, left out of a copy of the taxonomy (as the project owner's held-out
test does), always in sections about other work. ``suggest`` must rank both among
the first five for their theme, and say which term of the theme each is like. All
Swedish text was written for these tests.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from nvreport.analysis.candidate_words import KnownWords, word_key
from nvreport.analysis.candidates import STUDY_COLUMNS, TermStudy, label_names
from nvreport.analysis.kinship import Kinship, shared_heads
from nvreport.analysis.kwic import adhoc_taxonomy
from nvreport.exchange.suggest import suggest_terms
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import Taxonomy, load_taxonomy

MUNICIPALITIES = (
    "Alingsås kommun",
    "Borås stad",
    "Eksjö kommun",
    "Falköpings kommun",
    "Gislaveds kommun",
    "Habo kommun",
)

INTRODUCTION = (
    "{actor} redovisar här arbetet med omställningen till en god och nära vård under 2022.",
    "Denna redovisning beskriver hur {actor} har använt de statliga medlen under året.",
    "{actor} lämnar här sin redovisning av utvecklingsarbetet inom vård och omsorg.",
    "Redovisningen från {actor} har beretts av förvaltningen och behandlats av nämnden.",
    "I redovisningen beskriver {actor} de insatser som har genomförts under 2022.",
    "{actor} har under året fortsatt omställningen enligt den plan som nämnden beslutade.",
)
#: Passages that the taxonomy tags with Samskapande, one wording per report.
CO_CREATION = (
    "Kommunen har inrättat ett brukarråd där företrädare för brukarna lämnar synpunkter "
    "på hur hemtjänsten organiseras.",
    "Verksamheterna har använt tjänstedesign när det nya arbetssättet för "
    "korttidsboendet togs fram.",
    "Ett pensionärsråd har under året granskat informationen om hemtjänstens avgifter.",
    "Brukarmedverkan har stärkts genom att brukare deltar i kommunens kvalitetsgrupper.",
    "Kommunen har genomfört en medborgardialog om hur äldreomsorgen bör utvecklas de "
    "kommande åren.",
    "Patientföreträdare och brukarorganisationer har medverkat i planeringen av den nya "
    "träffpunkten.",
)
#: Passages that the copy of the taxonomy tags with Samverkan, one wording per report.
COOPERATION = (
    "Överenskommelsen med regionen om hemsjukvård har reviderats och gäller från januari.",
    "Den gemensamma ledningsgruppen för kommunerna och regionen har sammanträtt varje månad.",
    "Hemsjukvårdsavtalet har följts upp av en arbetsgrupp med företrädare för båda huvudmännen.",
    "Frågor som gäller båda huvudmännen bereds i ett politiskt samråd två gånger per år.",
    "Kommunerna i länet har genom RSS tagit fram en gemensam rutin för trygg hemgång.",
    "En länsgemensam styrgrupp följer omställningen och fördelar uppdrag mellan huvudmännen.",
)
#: The new compound, in four reports, in a section no theme is tagged in.
PANEL = (
    (
        "Under året har kommunen bildat en anhörigpanel med tolv deltagare som lämnar "
        "synpunkter på stödet till anhöriga.",
        "Anhörigpanelens medlemmar har även deltagit när den nya broschyren om "
        "anhörigstöd togs fram.",
    ),
    (
        "Anhörigpanelen har träffats fyra gånger och har bland annat granskat "
        "informationen om avlösning i hemmet.",
    ),
    ("Kommunens anhörigpanel föreslog att anhörigstödet ska erbjuda fler träffar på kvällstid.",),
    (
        "Synpunkter från anhörigpanelen har lett till att växelvård nu kan bokas med "
        "kortare varsel.",
    ),
)
#: The left-out phrase, in four reports, in sections about other work.
TOGETHER = (
    "Rehabilitering i hemmet efter utskrivning från sjukhus erbjuds i samarbete med regionen.",
    "Kommunens sjuksköterskor tar prover hos patienter i ordinärt boende i samarbete med regionen.",
    "Utbildningen i palliativ vård för baspersonal har genomförts i samarbete med regionen.",
    "I samarbete med regionen har kommunen öppnat en träffpunkt för personer med demenssjukdom.",
)
OTHER = (
    "Bemanningen inom äldreomsorgen har varit ansträngd under sommaren.",
    "Lokalerna för dagverksamheten har byggts om och är nu tillgängliga för personer med rullator.",
    "Medlen har i första hand använts till bemanning och till utbildning av baspersonal.",
    "Sjukfrånvaron bland medarbetarna har minskat jämfört med föregående år.",
    "Kommunen har upphandlat ett nytt verksamhetssystem för socialtjänsten.",
    "Arbetet med heltid som norm har fortsatt inom vård och omsorg.",
)
LEFT_OUT = "samarbete* med region*"


def report(number: int, actor: str) -> list[dict]:
    """One municipality's report, on three pages."""
    blocks = [
        ("1 Inledning", INTRODUCTION[number].format(actor=actor)),
        ("2 Delaktighet", CO_CREATION[number]),
        ("3 Samverkan", COOPERATION[number]),
        ("4 Vård och omsorg i hemmet", OTHER[number]),
    ]
    if number < len(TOGETHER):
        blocks.append(("4 Vård och omsorg i hemmet", TOGETHER[number]))
    if number < len(PANEL):
        blocks.extend(("5 Stöd till anhöriga", text) for text in PANEL[number])
    blocks.append(("6 Övrigt", OTHER[(number + 1) % len(OTHER)]))
    return [
        {
            "doc_id": f"d{number}",
            "index": index,
            "file": f"{actor} - God och nära vård 2022.pdf",
            "actor": actor,
            "year": 2022,
            "page": 1 + index // 3,
            "section": section,
            "kind": "paragraph",
            "text": text,
            "context": "",
        }
        for index, (section, text) in enumerate(blocks)
    ]


def corpus() -> pd.DataFrame:
    rows = [row for number, actor in enumerate(MUNICIPALITIES) for row in report(number, actor)]
    return pd.DataFrame(rows)[list(STUDY_COLUMNS)]


def without(taxonomy: Taxonomy, theme: str, term: str) -> Taxonomy:
    """A copy of the taxonomy without ``term`` in ``theme`` (and without the ``match``
    examples it tags, which would give it away)."""
    entry = taxonomy.entries[theme]
    assert term in entry.terms
    tagger = Tagger(adhoc_taxonomy(term))
    entries = dict(taxonomy.entries)
    entries[theme] = dataclasses.replace(
        entry,
        terms=tuple(each for each in entry.terms if each != term),
        examples_match=tuple(each for each in entry.examples_match if not tagger.tag(each)),
    )
    return dataclasses.replace(taxonomy, entries=entries)


@pytest.fixture(scope="module")
def study() -> TermStudy:
    return TermStudy(corpus(), Tagger(without(load_taxonomy(), "samverkan", LEFT_OUT)))


def found(term: str, suggestions: list) -> list:
    """The suggestions the term, written in the taxonomy, would match."""
    tagger = Tagger(adhoc_taxonomy(term))
    return [
        each
        for each in suggestions
        if any(tagger.tag(text) for text in (each.term, each.key, *each.forms))
    ]


def untagged_sections(study: TermStudy, word: str, theme: str) -> None:
    """Every passage using ``word`` lacks ``theme``, and so does every passage of its
    section: nothing around the word is tagged with the theme."""
    using = [number for number, text in enumerate(study.texts) if word in text.casefold()]
    assert len(using) >= 4
    for number in using:
        same = [
            other
            for other in range(len(study.texts))
            if study.doc_ids[other] == study.doc_ids[number]
            and study.sections[other] == study.sections[number]
        ]
        assert not any(theme in study.themes[other] for other in same), study.texts[number]


def test_a_new_compound_used_only_where_no_term_reaches_is_among_the_first_five(
    study: TermStudy,
) -> None:
    untagged_sections(study, "anhörigpanel", "samskapande")
    suggestions = suggest_terms(study, "samskapande", 5)
    [panel] = found("anhörigpanel*", suggestions)
    assert panel.keyness.like.endswith("panel*")  # brukarpanel*, invånarpanel* …
    assert panel.occurrences == 5 and panel.all_actors == 4
    for line in panel.kwic:
        assert line.match.casefold().startswith("anhörigpanel")
        assert line.page is not None and line.file.endswith(".pdf")
    assert panel.examples  # quoted sentences the term, once added, tags with the theme


def test_a_left_out_phrase_whose_passages_lost_the_tag_is_among_the_first_five(
    study: TermStudy,
) -> None:
    untagged_sections(study, "i samarbete med regionen", "samverkan")
    suggestions = suggest_terms(study, "samverkan", 5)
    [phrase] = found(LEFT_OUT, suggestions)
    assert phrase.kind == "phrase" and phrase.occurrences == 4
    assert phrase.keyness.like in study.taxonomy.entries["samverkan"].terms
    # the single words of the theme's terms are no new terms for it
    assert not {"region", "kommun", "regionen", "kommunerna"} & {s.term for s in suggestions}


def test_the_same_corpus_gives_the_same_ranking(study: TermStudy) -> None:
    again = TermStudy(corpus(), Tagger(study.taxonomy))
    for theme in ("samskapande", "samverkan", None):
        first = [(s.term, round(s.keyness.score, 9)) for s in suggest_terms(study, theme, 20)]
        assert first == [
            (s.term, round(s.keyness.score, 9)) for s in suggest_terms(again, theme, 20)
        ]


@pytest.mark.parametrize(
    ("candidate", "terms", "expected"),
    [
        # the same parts in another order: a phrase for a compound
        ("vård på distans", ["distansvård*"], 1.0),
        # another form of the same word
        ("utvärdera", ["*utvärdering"], 1.0),
        # a sibling: another first part for the same head
        ("hemmonitorering", ["distansmonitorering*"], 0.5),
        # a part of a term, less specific than it, is no kin
        ("kommun", ["samarbete* med kommun*"], 0.0),
        ("team", ["mobil *team"], 0.0),
        # nothing in common
        ("lokal", ["distansvård*"], 0.0),
    ],
)
def test_kinship_with_a_theme_s_terms(candidate: str, terms: list[str], expected: float) -> None:
    # compounds split into words of the reports or of general Swedish
    known = KnownWords({"monitorering"})
    kinship = Kinship({"theme": terms, "other": ["bemanning"]}, known)
    words = [word_key(word) for word in candidate.split() if word != "på"]
    share, like = kinship.of(words, "theme")
    assert share == pytest.approx(expected)
    assert like == (terms[0] if expected else "")


def test_a_head_found_only_inside_compounds_splits_them() -> None:
    # "monitorering" is in neither general Swedish nor the reports on its own
    known = KnownWords({"ledningsgrupp", "styrgrupp", "arbetsgrupp"})
    words = ["distansmonitorering", "egenmonitorering", "hemmonitorering", "ledningsgrupp",
             "styrgrupp", "arbetsgrupp"]  # fmt: skip
    assert shared_heads(words, known) == {"monitorering"}
    kinship = Kinship({"theme": ["distansmonitorering*"]}, known, words)
    assert kinship.of(["hemmonitorering"], "theme") == (0.5, "distansmonitorering*")


def test_a_label_names_the_work_in_each_of_its_parts() -> None:
    assert label_names("Uppföljning och utvärdering") == ["Uppföljning", "utvärdering"]
    assert label_names("Fysisk aktivitet på recept (FaR)") == ["Fysisk aktivitet på recept"]
    # a single word as common as "verksamheter" names no theme
    assert label_names("Samverkan mellan huvudmän och verksamheter") == [
        "Samverkan mellan huvudmän"
    ]
