"""Every example in the bundled taxonomy passes: must-match sentences are tagged with
their theme, must-not-match sentences are not."""

from __future__ import annotations

import pytest

from nvreport.tagging.tagger import Tagger, passage_themes
from nvreport.tagging.taxonomy import SUBTHEME, bundled_taxonomy_path, load_taxonomy

TAXONOMY = load_taxonomy(bundled_taxonomy_path())
CASES = [
    (entry.id, sentence, True)
    for entry in TAXONOMY.entries.values()
    for sentence in entry.examples_match
] + [
    (entry.id, sentence, False)
    for entry in TAXONOMY.entries.values()
    for sentence in entry.examples_no_match
]


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(TAXONOMY, subthemes=True)


@pytest.mark.parametrize(("entry", "sentence", "must_match"), CASES)
def test_example(tagger: Tagger, entry: str, sentence: str, must_match: bool) -> None:
    matches = tagger.tag(sentence)
    tagged = passage_themes(matches)
    if must_match:
        assert entry in tagged, f"{entry} not found in: {sentence}"
    else:
        found = [m.text for m in matches if m.theme == entry]
        assert entry not in tagged, f"{entry} matched {found} in: {sentence}"


SUBTHEME_CASES = [
    (entry.id, entry.group, sentence)
    for entry in TAXONOMY.subthemes
    for sentence in entry.examples_match
]


def test_the_bundled_taxonomy_has_subthemes_and_the_obstacles_facet() -> None:
    assert {"digitala_vardbesok", "distansmonitorering", "digital_sjalvservice"} <= {
        entry.id for entry in TAXONOMY.subthemes
    }
    assert TAXONOMY.entries["digitala_vardbesok"].kind == SUBTHEME
    assert "digitala_vardbesok" in TAXONOMY.entries["digitalisering"].subthemes
    obstacles = {group.id: group.members for group in TAXONOMY.facets}["obstacles"]
    assert len(obstacles) == 5


@pytest.mark.parametrize(("entry", "theme", "sentence"), SUBTHEME_CASES)
def test_a_subtheme_example_also_carries_its_theme(
    tagger: Tagger, entry: str, theme: str, sentence: str
) -> None:
    """A sub-theme counts only where its theme is found: an example without the theme
    would describe work the narrative never counts."""
    tagged = passage_themes(tagger.tag(sentence))
    assert entry in tagged and theme in tagged, f"{entry}/{theme}: {sentence}"


def test_analyse_taggers_leave_subthemes_out() -> None:
    """analyse's outputs do not depend on sub-themes: its tagger never tags them."""
    sentence = "Samtliga vårdcentraler erbjuder videobesök för uppföljning av kroniska sjukdomar."
    assert "digitala_vardbesok" not in passage_themes(Tagger(TAXONOMY).tag(sentence))
    assert "digitalisering" in passage_themes(Tagger(TAXONOMY).tag(sentence))
