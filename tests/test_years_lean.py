"""compare and narrative hold less of a year, and say exactly the same.

A year read from an ``analyse`` output folder without its evidence sentences
(``load_year(..., evidence=False)``, as ``compare`` and ``narrative`` read it) has
the same passages, mentions, match counts and facets; ``compare``'s explorer reads
the evidence again from the folder and is byte-identical; the narrative drawn from
such years, with last year's passages let go after the comparison, is the same
text, quote for quote, as the one drawn from fully loaded years.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from nvreport.analysis.compare import compare_years, load_year
from nvreport.cli.commands import app
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.outputs.compare_explorer import write_compare_explorer
from nvreport.story.narrative import build_story
from nvreport.story.render import render_story
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import load_taxonomy

SAMPLES = Path(__file__).parents[1] / "samples"
runner = CliRunner()


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy())


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The samples of both years analysed into output folders."""
    root = tmp_path_factory.mktemp("years")
    found = {}
    for year in ("2021", "2022"):
        out = root / f"out-{year}"
        result = runner.invoke(app, ["analyse", str(SAMPLES / year), "-o", str(out), "-q"])
        assert result.exit_code in (0, 1), result.output
        found[year] = out
    return found


def test_a_year_without_evidence_has_the_same_passages_mentions_and_facets(
    outputs: dict[str, Path], tagger: Tagger, gazetteer: Gazetteer
) -> None:
    full = load_year(outputs["2022"], gazetteer, tagger)
    lean = load_year(outputs["2022"], gazetteer, tagger, evidence=False)
    assert len(full.mentions) > 100  # the samples mention many themes
    pd.testing.assert_frame_equal(lean.passages, full.passages)
    stored = pd.read_parquet(outputs["2022"] / "passages.parquet")
    pd.testing.assert_series_equal(full.passages["text"], stored["text"])
    pd.testing.assert_series_equal(full.passages["doc_id"], stored["doc_id"])
    assert full.passages["words"].tolist() == stored["word_count"].tolist()
    pd.testing.assert_frame_equal(lean.facets, full.facets)
    columns = ["doc_id", "index", "theme", "status", "matches"]
    pd.testing.assert_frame_equal(lean.mentions[columns], full.mentions[columns])
    assert all(evidence == () for evidence in lean.mentions["evidence"])
    # the evidence is read again from the folder, mention for mention
    again = list(lean.mention_evidence())
    assert again == list(full.mention_evidence())
    assert sum(len(evidence) for *_, evidence in again) == full.mentions["matches"].sum()
    assert any(sentence for *_, evidence in again for _, _, sentence in evidence)


def test_the_compare_explorer_is_the_same_with_the_evidence_read_again(
    outputs: dict[str, Path], tagger: Tagger, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    written = []
    for evidence in (True, False):
        years = [
            load_year(outputs[year], gazetteer, tagger, evidence=evidence)
            for year in ("2021", "2022")
        ]
        comparison = compare_years(years, tagger.taxonomy)
        target = tmp_path / f"explorer-{evidence}.html"
        write_compare_explorer(comparison, years, tagger.taxonomy, tmp_path, target)
        written.append(target.read_bytes())
    assert written[0] == written[1]
    assert "Region Skåne".encode() in written[0]


def test_the_story_is_the_same_from_lean_years(
    outputs: dict[str, Path], tagger: Tagger, gazetteer: Gazetteer
) -> None:
    stories = []
    for evidence in (True, False):
        before, current = (
            load_year(outputs[year], gazetteer, tagger, evidence=evidence)
            for year in ("2021", "2022")
        )
        comparison = compare_years([before, current], tagger.taxonomy)
        if not evidence:  # as narrative does: last year's passages let go
            before = before.documents_only()
            assert before.passages.empty and before.mentions.empty
        story = build_story(current, before, comparison, tagger.taxonomy, date=dt.date(2023, 3, 1))
        stories.append((story, render_story(story, "md")))
    (full, full_text), (lean, lean_text) = stories
    assert lean_text.text == full_text.text
    assert lean_text.charts == full_text.charts
    quotes = [quote for chapter in lean.chapters for s in chapter.sections for quote in s.examples]
    assert quotes  # the samples give examples, which are quoted verbatim
    assert quotes == [q for chapter in full.chapters for s in chapter.sections for q in s.examples]
    for quote in quotes:
        assert quote.text in lean_text.text


def test_a_folder_of_reports_keeps_its_evidence(tagger: Tagger, gazetteer: Gazetteer) -> None:
    """Reports analysed on the fly have nowhere to read their evidence again from."""
    year = load_year(SAMPLES / "2022", gazetteer, tagger, evidence=False)
    evidence = [found for *_, found in year.mention_evidence()]
    assert len(evidence) == len(year.mentions)
    assert sum(len(found) for found in evidence) == year.mentions["matches"].sum() > 0
    assert all(sentence for found in evidence for _, _, sentence in found)


def test_every_themes_ranking_in_one_pass_is_what_each_theme_asked_for_gives(
    outputs: dict[str, Path], tagger: Tagger, gazetteer: Gazetteer
) -> None:
    """The term drift ranks every theme's candidates in one pass, keeping only the
    findings; each theme's list is what asking for that theme alone gives."""
    from nvreport.analysis.candidates import TermStudy
    from nvreport.analysis.drift import drift_passages, term_drift

    years = [
        load_year(outputs[year], gazetteer, tagger, evidence=False) for year in ("2021", "2022")
    ]
    study = TermStudy(drift_passages(years), tagger)
    rankings = study.rankings()
    assert list(rankings) == study.theme_ids
    assert sum(len(found) for found in rankings.values()) > 50
    for theme, found in rankings.items():
        assert found == study.ranked(theme), theme
    # the first few of each theme, as the drift asks for them: the same findings
    first = study.rankings(limit=3)
    assert all(first[theme] == found[:3] for theme, found in rankings.items())
    drift = term_drift(years, tagger, study=study)
    assert len(drift) > 50
    assert set(drift["source"]) == {"taxonomy", "candidate"}
