"""Every example in the bundled taxonomy passes: must-match sentences are tagged with
their theme, must-not-match sentences are not."""

from __future__ import annotations

import pytest

from nvreport.tagging.tagger import Tagger, passage_themes
from nvreport.tagging.taxonomy import bundled_taxonomy_path, load_taxonomy

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
    return Tagger(TAXONOMY)


@pytest.mark.parametrize(("entry", "sentence", "must_match"), CASES)
def test_example(tagger: Tagger, entry: str, sentence: str, must_match: bool) -> None:
    matches = tagger.tag(sentence)
    tagged = passage_themes(matches)
    if must_match:
        assert entry in tagged, f"{entry} not found in: {sentence}"
    else:
        found = [m.text for m in matches if m.theme == entry]
        assert entry not in tagged, f"{entry} matched {found} in: {sentence}"
