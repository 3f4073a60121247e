"""A new word for an existing theme in the second year: suggest ranks it, compare shows
the drift (issue 22). The corpus is :mod:`drift_corpus`: six regions, whose teams for
care in the home are "mobila team" in 2021 and, for four of them, "hembesöksteam" in
2022, a word the bundled taxonomy does not know."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from drift_corpus import NEW_WORD, NEW_WORD_REGIONS, REGIONS, build_drift_year

NVREPORT = str(Path(sys.executable).with_name("nvreport"))


def run(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NVREPORT, *arguments], cwd=cwd, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("drift")
    build_drift_year(root / "2021", 2021)
    build_drift_year(root / "2022", 2022)
    return root


@pytest.fixture(scope="module")
def compared(years: Path) -> tuple[Path, subprocess.CompletedProcess]:
    done = run("compare", "2021", "2022", "-o", "jämförelse", "--no-cache", cwd=years)
    assert done.returncode == 0, done.stderr
    return years / "jämförelse", done


def drift_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "term_drift.csv").open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(2048)
        handle.seek(0)
        return list(csv.DictReader(handle, dialect=csv.Sniffer().sniff(sample, ";,")))


def test_suggest_ranks_the_new_word_among_the_first_five_for_its_theme(years: Path) -> None:
    done = run(
        "taxonomy", "suggest", "2022", "--theme", "mobila_team", "--format", "json",
        "--no-cache", cwd=years,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    terms = [item["term"] for item in found[:5]]
    assert NEW_WORD in terms, terms
    item = found[terms.index(NEW_WORD)]
    # the four regions that use it, each near the theme; quoted from their reports
    assert item["actors"] == len(NEW_WORD_REGIONS)
    assert item["likely_theme"] == "mobila_team"
    assert {line["actor"] for line in item["kwic"]} <= set(NEW_WORD_REGIONS)
    assert all(NEW_WORD in line["match"].casefold() for line in item["kwic"])
    assert item["kwic"] and all(line["file"].endswith("2022.md") for line in item["kwic"])


def test_suggest_does_not_offer_the_words_the_taxonomy_already_matches(years: Path) -> None:
    done = run(
        "taxonomy", "suggest", "2021", "--theme", "mobila_team", "--format", "json",
        "--no-cache", cwd=years,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    terms = {item["key"] for item in json.loads(done.stdout)}
    assert "mobil team" not in terms and "mobil" not in terms
    assert NEW_WORD not in terms  # not used in 2021


def test_compare_writes_the_drift_of_the_new_word_and_the_old_one(
    compared: tuple[Path, subprocess.CompletedProcess],
) -> None:
    folder, _ = compared
    rows = drift_rows(folder)
    new = [row for row in rows if row["theme"] == "mobila_team" and row["term"] == NEW_WORD]
    assert len(new) == 1, new
    assert new[0]["source"] == "candidate" and new[0]["drift"] == "new"
    assert (new[0]["from_year"], new[0]["to_year"]) == ("2021", "2022")
    assert (new[0]["actors_from"], new[0]["actors_to"]) == ("0", str(len(NEW_WORD_REGIONS)))
    old = [row for row in rows if row["theme"] == "mobila_team" and row["term"] == "mobil team"]
    assert len(old) == 1, old
    assert old[0]["source"] == "taxonomy" and old[0]["taxonomy_term"] == "mobil *team"
    assert old[0]["drift"] == "less"
    # every region said "mobila team" twice in 2021; two of them still do in 2022
    assert (old[0]["actors_from"], old[0]["actors_to"]) == (str(len(REGIONS)), "2")
    assert (old[0]["passages_from"], old[0]["passages_to"]) == (str(2 * len(REGIONS)), "4")
    document = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
    assert any(row["term"] == NEW_WORD and row["drift"] == "new" for row in document["term_drift"])


def test_compare_prints_the_drift(compared: tuple[Path, subprocess.CompletedProcess]) -> None:
    _, done = compared
    table = done.stdout.split("Words that carry each theme", 1)[1]
    lines = [line for line in table.splitlines() if NEW_WORD in line]
    assert lines and "new" in lines[0] and "Mobila team" in lines[0], table
    assert any("mobil team" in line and "less" in line for line in table.splitlines())


def test_a_theme_whose_words_did_not_change_shows_no_drift(
    compared: tuple[Path, subprocess.CompletedProcess],
) -> None:
    folder, _ = compared
    rows = [row for row in drift_rows(folder) if row["theme"] == "halsosamtal"]
    assert rows and all(row["drift"] == "same" for row in rows), rows
