"""Quality floors on the hand-labelled gold set, so a change that makes tagging worse
fails here before it reaches a national report.

The gold set (tests/fixtures/tagging/gold.jsonl) was written without seeing the
taxonomy, but the taxonomy has since been tuned on it: these floors guard against
regressions; the honest figures come from the held-out set (see the README).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nvreport.tagging.evaluate import read_gold, score
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import load_taxonomy

GOLD = Path(__file__).parent / "fixtures" / "tagging" / "gold.jsonl"
REQUIRED = [
    "personcentrering",
    "fasta_kontakter",
    "patientkontrakt",
    "mobila_team",
    "halsosamtal",
    "far",
    "digitalisering",
]


@pytest.fixture(scope="module")
def scores():
    return score(Tagger(load_taxonomy()), read_gold(GOLD))


def test_micro_f1_on_the_gold_set(scores) -> None:
    assert scores.f1()[2] >= 0.95


@pytest.mark.parametrize("theme", REQUIRED)
def test_every_required_theme_is_tagged_well(scores, theme) -> None:
    assert scores.f1(theme)[2] >= 0.93, theme


def test_status_of_planned_and_negated_mentions(scores) -> None:
    assert scores.status_share("planned", "negated") >= 0.90
    assert scores.status_share("active") >= 0.90
