"""Year-on-year comparison on small corpora whose truth is known: every count, every
transition and every share phrase is asserted."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from nvreport.analysis.compare import compare_years, load_year
from nvreport.cli.commands import app
from nvreport.errors import UsageError
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import load_taxonomy
from output_csv import read_rows

SMALL = Path(__file__).parent / "fixtures" / "taxonomies" / "small.yaml"
runner = CliRunner()

SKANE_TEAMS = (
    "Regionen erbjuder mobila team som besöker sköra äldre i hemmet. Teamen består av "
    "sjuksköterskor och läkare och arbetar i nära samarbete med den kommunala hemsjukvården."
)

REPORTS = {
    "2021": {
        "Region Halland 2021.txt": "Region Halland\n\nRegionen planerar att införa hälsosamtal.\n\n"
        "Regionen erbjuder FaR på samtliga vårdcentraler.\n",
        "Region Skåne 2021.txt": f"Region Skåne\n\n{SKANE_TEAMS}\n",
        "Region Dalarna 2021.txt": "Region Dalarna\n\nRegionen erbjuder riktade hälsosamtal.\n",
        "Region Jönköpings län 2021.txt": "Region Jönköpings län\n\n"
        "Regionen har inte påbörjat arbetet med patientkontrakt.\n",
        "Flens kommun 2021.txt": "Flens kommun\n\nKommunen har startat ett mobilt team.\n",
    },
    "2022": {
        "Region Halland 2022.txt": "Region Halland\n\nRegionen erbjuder nu hälsosamtal "
        "till alla som fyller 40 år.\n",
        "Region Skåne 2022.txt": f"Region Skåne\n\n{SKANE_TEAMS}\n\n"
        "Regionen planerar att införa hälsosamtal under 2023.\n",
        "Jönköping 2022.txt": "Region Jönköpings län\n\nPatientkontrakt erbjuds sedan "
        "våren vid samtliga vårdcentraler.\n",
        "Region Kronoberg 2022.txt": "Region Kronoberg\n\nRegionen erbjuder FaR.\n",
        "Flens kommun 2022.txt": "Flens kommun\n\nKommunen har startat ett mobilt team.\n",
    },
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    for year, files in REPORTS.items():
        folder = tmp_path / year
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(SMALL))


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def compare(corpus: Path, tagger: Tagger, gazetteer: Gazetteer, *, new_only: bool = False):
    years = [load_year(corpus / year, gazetteer, tagger) for year in ("2022", "2021")]
    return compare_years(years, tagger.taxonomy, new_only=new_only)


def cell(frame, **where) -> dict:
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, where
    return rows.iloc[0].to_dict()


def test_years_are_ordered_by_metadata_not_arguments(corpus, tagger, gazetteer) -> None:
    assert compare(corpus, tagger, gazetteer).years == [2021, 2022]


def test_coverage_counts_and_share_phrases(corpus, tagger, gazetteer) -> None:
    coverage = compare(corpus, tagger, gazetteer).coverage
    halsosamtal_2021 = cell(coverage, year=2021, actor_type="region", theme="halsosamtal")
    assert (halsosamtal_2021["actors"], halsosamtal_2021["active"]) == (4, 1)
    assert (halsosamtal_2021["planned"], halsosamtal_2021["not_mentioned"]) == (1, 2)
    assert halsosamtal_2021["share_active_exact"] == "En av fyra regioner"
    halsosamtal_2022 = cell(coverage, year=2022, actor_type="region", theme="halsosamtal")
    assert (halsosamtal_2022["active"], halsosamtal_2022["planned"]) == (1, 1)
    patientkontrakt_2021 = cell(coverage, year=2021, actor_type="region", theme="patientkontrakt")
    assert patientkontrakt_2021["negated"] == 1
    teams = cell(coverage, year=2022, actor_type="kommun", theme="mobila_team")
    assert (teams["actors"], teams["active"]) == (1, 1)


def test_actors_are_matched_across_years_by_identity(corpus, tagger, gazetteer) -> None:
    transitions = compare(corpus, tagger, gazetteer).transitions
    jonkoping = cell(transitions, actor="Region Jönköpings län", theme="patientkontrakt")
    assert (jonkoping["from_status"], jonkoping["to_status"], jonkoping["change"]) == (
        "negated",
        "active",
        "new",
    )


def test_every_transition(corpus, tagger, gazetteer) -> None:
    transitions = compare(corpus, tagger, gazetteer).transitions
    found = {
        (row.actor, row.theme): (row.from_status, row.to_status, row.change)
        for row in transitions.itertuples()
        if row.change != "unchanged"
    }
    assert found == {
        ("Region Halland", "halsosamtal"): ("planned", "active", "planned_to_active"),
        ("Region Halland", "far"): ("active", "none", "dropped"),
        ("Region Skåne", "halsosamtal"): ("none", "planned", "newly_planned"),
        ("Region Jönköpings län", "patientkontrakt"): ("negated", "active", "new"),
        **{
            ("Region Dalarna", theme): (status, "no_report", "missing_actor")
            for theme, status in {
                "fasta_kontakter": "none",
                "patientkontrakt": "none",
                "halsosamtal": "active",
                "far": "none",
                "mobila_team": "none",
                "vard": "none",
            }.items()
        },
        **{
            ("Region Kronoberg", theme): ("no_report", status, "new_actor")
            for theme, status in {
                "fasta_kontakter": "none",
                "patientkontrakt": "none",
                "halsosamtal": "none",
                "far": "active",
                "mobila_team": "none",
                "vard": "none",
            }.items()
        },
    }
    # an actor without a report is missing, never "dropped every theme"
    assert not len(
        transitions[
            (transitions["actor"] == "Region Dalarna") & (transitions["change"] == "dropped")
        ]
    )


def test_changes_per_theme(corpus, tagger, gazetteer) -> None:
    changes = compare(corpus, tagger, gazetteer).changes
    # the change is among the actors in both years (Halland, Skåne, Jönköping):
    # Dalarna (2021 only) and Kronoberg (2022 only) are not compared ...
    halsosamtal = cell(changes, actor_type="region", theme="halsosamtal")
    assert halsosamtal["actors_both"] == 3
    assert (halsosamtal["active_from"], halsosamtal["active_to"]) == (0, 1)
    assert halsosamtal["planned_to_active"] == 1
    assert halsosamtal["newly_planned"] == 1
    assert (halsosamtal["new_actor"], halsosamtal["missing_actor"]) == (1, 1)
    # ... though each year's own count stands beside it
    assert (halsosamtal["year_active_from"], halsosamtal["year_active_to"]) == (1, 1)
    assert (halsosamtal["year_actors_from"], halsosamtal["year_actors_to"]) == (4, 4)
    far = cell(changes, actor_type="region", theme="far")
    assert (far["active_from"], far["active_to"], far["dropped"]) == (1, 0, 1)
    assert (far["year_active_from"], far["year_active_to"]) == (1, 1)
    patientkontrakt = cell(changes, actor_type="region", theme="patientkontrakt")
    assert (patientkontrakt["active_from"], patientkontrakt["active_to"]) == (0, 1)
    assert patientkontrakt["active_change"] == "från ingen till en"


def test_repeated_text_is_marked_and_new_only_does_not_count_it(corpus, tagger, gazetteer) -> None:
    comparison = compare(corpus, tagger, gazetteer)
    skane = cell(comparison.novelty, year=2022, actor="Region Skåne")
    assert (skane["passages"], skane["repeated"], skane["new"]) == (3, 2, 1)
    flen = cell(comparison.novelty, year=2022, actor="Flens kommun")
    assert flen["repeated"] == flen["passages"] == 2
    kronoberg = cell(comparison.novelty, year=2022, actor="Region Kronoberg")
    assert kronoberg["passages"] == 2  # no report the year before: nothing to compare with
    assert pd.isna(kronoberg["new"]) and pd.isna(kronoberg["new_share"])

    fresh = compare(corpus, tagger, gazetteer, new_only=True)
    teams = cell(fresh.transitions, actor="Region Skåne", theme="mobila_team")
    assert (teams["from_status"], teams["to_status"], teams["change"]) == (
        "active",
        "none",
        "dropped",
    )
    planned = cell(fresh.transitions, actor="Region Skåne", theme="halsosamtal")
    assert planned["to_status"] == "planned"  # new text still counts


def test_intensity_is_per_ten_thousand_words(corpus, tagger, gazetteer) -> None:
    intensity = compare(corpus, tagger, gazetteer).intensity
    kronoberg = cell(intensity, year=2022, actor="Region Kronoberg", theme="far")
    assert kronoberg["passages"] == 1 and kronoberg["mentions"] == 1
    assert kronoberg["passages_per_10k_words"] == round(10_000 / kronoberg["words"], 2)


def read_csv(path: Path) -> list[dict[str, str]]:
    return read_rows(path)


def test_compare_command_writes_every_output(corpus, tmp_path) -> None:
    out = tmp_path / "jämförelse"
    result = runner.invoke(
        app,
        [
            "compare",
            str(corpus / "2022"),
            str(corpus / "2021"),
            "-o",
            str(out),
            "--taxonomy",
            str(SMALL),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "comparison.json",
        "comparison.xlsx",
        "coverage.csv",
        "explorer.html",
        "term_drift.csv",
        "transitions.csv",
    ]
    coverage = read_csv(out / "coverage.csv")
    assert list(coverage[0]) == [
        "year",
        "actor_type",
        "theme",
        "actors",
        "active",
        "planned",
        "negated",
        "not_mentioned",
        "unreadable",
        "partly_read",
    ]
    assert {row["year"] for row in coverage} == {"2021", "2022"}
    transitions = read_csv(out / "transitions.csv")
    assert any(row["change"] == "planned_to_active" for row in transitions)

    book = openpyxl.load_workbook(out / "comparison.xlsx")
    assert book.sheetnames == [
        "coverage", "changes", "pairs", "transitions", "new_text", "intensity",
    ]  # fmt: skip
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref
    record = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert record["years"] == [2021, 2022]
    assert {"coverage", "changes", "transitions", "new_text", "intensity", "movers"} <= set(record)
    assert "Hälsosamtal" in result.stdout


def test_outputs_are_byte_identical_across_runs(corpus, tmp_path) -> None:
    for name in ("a", "b"):
        time.sleep(1.1 if name == "b" else 0)  # a second apart: no timestamp may leak in
        runner.invoke(
            app,
            [
                "compare",
                str(corpus / "2021"),
                str(corpus / "2022"),
                "-o",
                str(tmp_path / name),
                "--taxonomy",
                str(SMALL),
                "-q",
            ],
        )
    for name in ("coverage.csv", "transitions.csv", "comparison.xlsx", "comparison.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_an_analyse_output_is_read_from_its_own_files_only(
    corpus, tmp_path, tagger, gazetteer
) -> None:
    runner.invoke(
        app,
        [
            "analyse",
            str(corpus / "2021"),
            "-o",
            str(tmp_path / "ut2021"),
            "--taxonomy",
            str(SMALL),
            "-q",
        ],
    )
    reused = load_year(tmp_path / "ut2021", gazetteer, tagger)
    assert reused.reused and reused.year == 2021
    fresh = compare_years([reused, load_year(corpus / "2022", gazetteer, tagger)], tagger.taxonomy)
    direct = compare(corpus, tagger, gazetteer)
    assert fresh.transitions.equals(direct.transitions)
    # the folder of reports its run.json names is never opened (the output may come
    # from someone else): a report changed there since leaves the output as it is
    (corpus / "2021" / "Region Dalarna 2021.txt").write_text(
        "Region Dalarna\n\nInget.\n", encoding="utf-8"
    )
    again = load_year(tmp_path / "ut2021", gazetteer, tagger)
    assert again.reused and not again.notes
    assert again.documents.equals(reused.documents)
    # tagged with another taxonomy, the output is not enough, and that is said
    with pytest.raises(UsageError, match="another taxonomy"):
        load_year(tmp_path / "ut2021", gazetteer, Tagger(load_taxonomy(None)))


def test_two_folders_of_the_same_year_is_a_usage_error(corpus, tmp_path) -> None:
    shutil.copytree(corpus / "2022", tmp_path / "kopia")
    result = runner.invoke(
        app,
        [
            "compare",
            str(corpus / "2022"),
            str(tmp_path / "kopia"),
            "--taxonomy",
            str(SMALL),
            "-o",
            str(tmp_path / "ut"),
        ],
    )
    assert result.exit_code == 2
    assert "two folders hold reports for the same year" in result.stderr


def test_years_without_shared_actors_are_flagged(tmp_path, tagger, gazetteer) -> None:
    for year, name in (("2021", "Region Halland"), ("2022", "Region Skåne")):
        (tmp_path / year).mkdir()
        (tmp_path / year / f"{name} {year}.txt").write_text(
            f"{name}\n\nVi erbjuder FaR.\n", encoding="utf-8"
        )
    comparison = compare_years(
        [load_year(tmp_path / y, gazetteer, tagger) for y in ("2021", "2022")], tagger.taxonomy
    )
    assert comparison.notes == [
        "2021 and 2022 share no actor with a report read in full both years; the "
        "transitions say nothing about change"
    ]


def test_unreadable_report_is_counted_as_unreadable_and_exits_1(corpus, tmp_path) -> None:
    (corpus / "2022" / "Region Dalarna 2022.pdf").write_bytes(b"%PDF-1.4 trasig")
    out = tmp_path / "ut"
    result = runner.invoke(
        app,
        [
            "compare",
            str(corpus / "2021"),
            str(corpus / "2022"),
            "-o",
            str(out),
            "--taxonomy",
            str(SMALL),
        ],
    )
    assert result.exit_code == 1
    assert "Region Dalarna 2022.pdf" in result.stderr
    rows = [
        r
        for r in read_csv(out / "coverage.csv")
        if r["year"] == "2022" and r["actor_type"] == "region"
    ]
    assert {r["unreadable"] for r in rows} == {"1"}
    assert {r["actors"] for r in rows} == {"4"}
    dalarna = [r for r in read_csv(out / "transitions.csv") if r["actor"] == "Region Dalarna"]
    assert {r["change"] for r in dalarna} == {"unreadable"}  # never "dropped"
    assert {r["to_status"] for r in dalarna} == {"unreadable"}


def test_empty_folder_is_a_usage_error(corpus, tmp_path) -> None:
    (tmp_path / "tom").mkdir()
    result = runner.invoke(
        app, ["compare", str(corpus / "2021"), str(tmp_path / "tom"), "--taxonomy", str(SMALL)]
    )
    assert result.exit_code == 2
    assert "no reports found" in result.stderr


def test_compare_without_drift_writes_no_term_drift(corpus, tmp_path) -> None:
    """--no-drift skips the term study, the costly part of a large comparison: the
    other outputs are as with it."""
    with_drift, without = tmp_path / "med", tmp_path / "utan"
    for out, extra in ((with_drift, []), (without, ["--no-drift"])):
        arguments = [str(corpus / "2022"), str(corpus / "2021"), "-o", str(out)]
        result = runner.invoke(app, ["compare", *arguments, "--taxonomy", str(SMALL), *extra])
        assert result.exit_code == 0, result.output
    assert (with_drift / "term_drift.csv").exists()
    assert not (without / "term_drift.csv").exists()
    for name in ("coverage.csv", "transitions.csv"):
        assert (without / name).read_bytes() == (with_drift / name).read_bytes()
    options = json.loads((without / "comparison.json").read_text(encoding="utf-8"))["options"]
    assert options["drift"] is False
    assert "term_drift" not in json.loads((without / "comparison.json").read_text("utf-8"))
