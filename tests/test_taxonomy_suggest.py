"""``taxonomy suggest`` and ``taxonomy gaps`` (issue 22).

The held-out test leaves terms of a theme out of a copy of the bundled taxonomy (as a
YAML file, as an analyst would) and checks that ``suggest`` puts at least two thirds
of them in its first 20 candidates for that theme, on the 21 regions' reports of
2022 (:mod:`region_year`). A left-out term counts as found when it, as a term of its
own, matches a candidate's term or one of the forms the candidate was found as.
Measured on every theme by ``benchmarks/suggest_recall.py`` (seeded draws of a third
of its terms, see the README's "Measured"), recall is lower for some themes than for
those tested here; these cases guard the themes where the reports' own wording is
enough. ``tests/test_suggest_untagged.py`` guards terms used only where nothing is
tagged with their theme.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from nvreport.analysis.candidates import TermStudy
from nvreport.analysis.kwic import adhoc_taxonomy
from nvreport.exchange.suggest import SUGGEST_COLUMNS, study_passages, suggest_terms, with_term
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import bundled_taxonomy_path, load_taxonomy
from region_year import build_region_year

NVREPORT = str(Path(sys.executable).with_name("nvreport"))

#: Terms left out of a copy of the taxonomy, per theme: each the only term of its
#: theme that matches in two or more passages of the 2022 reports.
HELD_OUT = {
    "digitalisering": ["videobesök*", "chatt*", "e-tjänst*"],
    "samskapande": ["patientråd", "brukarråd", "tjänstedesign*"],
    "mobila_team": ["mobil *team", "mobil närsjukvård*"],
    "ledarskap_kompetens": ["kompetensförsörjning*", "ledarskap*", "utbildningsinsats*"],
    "samordning_sip": ["SIP", "samordnad individuell plan"],
}


def run(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NVREPORT, *arguments], cwd=cwd, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def regions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 21 regions' 2022 reports, analysed into ``ut/``."""
    root = tmp_path_factory.mktemp("regions")
    build_region_year(root / "2022", 2022)
    done = run("analyse", "2022", "-o", "ut", "--quiet", "--no-cache", cwd=root)
    assert done.returncode == 0, done.stderr
    return root


def without_terms(target: Path, theme: str, terms: list[str]) -> Path:
    """A copy of the bundled taxonomy with ``terms`` taken out of ``theme``, written
    as YAML."""
    data = yaml.safe_load(bundled_taxonomy_path().read_text(encoding="utf-8"))
    found = 0
    for area in data["areas"]:
        for entry in area["themes"]:
            if entry["id"] == theme:
                before = len(entry["terms"])
                entry["terms"] = [term for term in entry["terms"] if term not in terms]
                found = before - len(entry["terms"])
    assert found == len(terms), (theme, terms)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return target


def is_found(term: str, suggestion) -> bool:
    tagger = Tagger(adhoc_taxonomy(term))
    return any(tagger.tag(text) for text in (suggestion.term, suggestion.key, *suggestion.forms))


@pytest.mark.parametrize("theme", sorted(HELD_OUT))
def test_suggest_finds_two_thirds_of_left_out_terms_in_its_first_20(
    regions: Path, tmp_path: Path, theme: str
) -> None:
    held_out = HELD_OUT[theme]
    taxonomy = load_taxonomy(without_terms(tmp_path / "utan.yaml", theme, held_out))
    passages = pd.read_parquet(regions / "ut" / "passages.parquet")
    suggestions = suggest_terms(TermStudy(passages, Tagger(taxonomy)), theme, 20)
    assert len(suggestions) == 20
    found = [term for term in held_out if any(is_found(term, s) for s in suggestions)]
    assert 3 * len(found) >= 2 * len(held_out), (found, [s.term for s in suggestions])


def test_a_term_the_taxonomy_matches_is_no_candidate(regions: Path) -> None:
    passages = pd.read_parquet(regions / "ut" / "passages.parquet")
    tagger = Tagger(load_taxonomy())
    suggestions = suggest_terms(TermStudy(passages, tagger), "digitalisering", 20)
    assert suggestions
    for suggestion in suggestions:
        # no candidate is itself tagged with the theme as the taxonomy stands
        for form in suggestion.forms:
            assert not any(match.theme == "digitalisering" for match in tagger.tag(form)), (
                suggestion.term,
                form,
            )


def test_every_example_of_the_patch_is_tagged_once_the_term_is_added(regions: Path) -> None:
    passages = study_passages(regions / "ut", None)  # an output folder: no reading
    taxonomy = load_taxonomy(without_terms(regions / "utan-rad.yaml", "samskapande",
                                           HELD_OUT["samskapande"]))  # fmt: skip
    suggestions = suggest_terms(TermStudy(passages, Tagger(taxonomy)), "samskapande", 5)
    report_text = "\n".join(passages["text"])
    examples = [sentence for suggestion in suggestions for sentence in suggestion.examples]
    assert examples
    for suggestion in suggestions:
        tagger = Tagger(with_term(taxonomy, "samskapande", [suggestion.term]))
        for sentence in suggestion.examples:
            assert sentence in report_text  # quoted, never made up
            assert any(match.theme == "samskapande" for match in tagger.tag(sentence))
        for line in suggestion.kwic:
            assert line.match and line.page is not None and line.file.endswith(".pdf")


def test_the_cli_writes_json_csv_and_a_yaml_patch(regions: Path) -> None:
    done = run(
        "taxonomy", "suggest", "ut", "--theme", "mobila_team", "--limit", "5",
        "--format", "json", "--yaml", "förslag.yaml", cwd=regions,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert [record["rank"] for record in records] == [1, 2, 3, 4, 5]
    assert all(record["theme"] == "mobila_team" for record in records)
    patch = yaml.safe_load((regions / "förslag.yaml").read_text(encoding="utf-8"))
    assert patch["taxonomy"]["version"] == load_taxonomy().version
    [block] = patch["themes"]
    assert block["id"] == "mobila_team"
    assert block["terms"] == [record["term"] for record in records]
    assert block["examples"]["match"]
    done = run(
        "taxonomy", "suggest", "ut", "--theme", "mobila_team", "--limit", "5",
        "--format", "csv", cwd=regions,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert tuple(rows[0]) == SUGGEST_COLUMNS
    assert [row["term"] for row in rows] == [record["term"] for record in records]


def test_every_theme_at_once_names_each_candidates_likely_theme(regions: Path) -> None:
    done = run("taxonomy", "suggest", "ut", "--limit", "10", "--format", "json", cwd=regions)
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert len(records) == 10
    themes = set(load_taxonomy().theme_ids)
    assert all(record["theme"] == record["likely_theme"] in themes for record in records)


def test_a_misspelt_theme_is_an_error_naming_the_nearest(regions: Path) -> None:
    done = run("taxonomy", "suggest", "ut", "--theme", "mobila_teamm", cwd=regions)
    assert done.returncode == 2
    assert "no theme 'mobila_teamm'" in done.stderr and "'mobila_team'" in done.stderr
    done = run("taxonomy", "suggest", "finns-inte", cwd=regions)
    assert done.returncode == 2 and "finns-inte: no such folder" in done.stderr


def test_gaps_count_the_body_passages_without_a_theme(regions: Path) -> None:
    done = run("taxonomy", "gaps", "ut", "--format", "json", cwd=regions)
    assert done.returncode == 0, done.stderr
    gaps = json.loads(done.stdout)
    passages = pd.read_parquet(regions / "ut" / "passages.parquet")
    body = passages[passages["kind"] != "heading"]
    untagged = body[[len(themes) == 0 for themes in body["themes"]]]
    assert gaps["body_passages"] == len(body)
    assert gaps["untagged_passages"] == len(untagged)
    assert gaps["untagged_words"] == int(untagged["word_count"].sum())
    assert gaps["untagged_share"] == round(len(untagged) / len(body), 4)
    assert len(gaps["reports"]) == 21
    for report in gaps["reports"]:
        own = body[body["file"] == report["file"]]
        assert report["body_passages"] == len(own)
        assert report["untagged_passages"] == sum(len(themes) == 0 for themes in own["themes"])
    # the sections, most untagged words first
    words = [section["untagged_words"] for section in gaps["sections"]]
    assert words == sorted(words, reverse=True) and len(words) <= 10
    # run.json of analyse holds the same block
    record = json.loads((regions / "ut" / "run.json").read_text(encoding="utf-8"))
    assert record["gaps"] == gaps
    # a folder of reports is tagged on the way, and gives the same figures
    done = run("taxonomy", "gaps", "2022", "--format", "json", "--no-cache", cwd=regions)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == gaps
