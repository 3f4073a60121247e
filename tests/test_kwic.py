"""kwic and analyse agree: the same passage has the same themes and status in both,
headings included (analyse does not tag headings, so kwic shows none)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from nvreport.analysis.kwic import find_occurrences, passages_for_kwic, resolve_entry
from nvreport.cli.commands import app
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import load_taxonomy

runner = CliRunner()

REPORT = """Region Halland

## Hälsosamtal

Under 2023 avser regionen att:

- erbjuda hälsosamtal till alla invånare som fyller 50 år
- utvidga FaR till samtliga vårdcentraler i länet

Regionen erbjuder redan hälsosamtal vid tre vårdcentraler.

## Fysisk aktivitet på recept (FaR)

Förskrivningen av FaR har ännu inte kommit i gång i alla delar av regionen.
"""


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "2022"
    folder.mkdir()
    (folder / "Region Halland 2022.md").write_text(REPORT, encoding="utf-8")
    return folder


def analysed_statuses(output: Path, theme: str) -> dict[tuple[str, int], str]:
    """(file, passage index) -> the passage's status for ``theme``, as analyse wrote it."""
    table = pd.read_parquet(output / "passages.parquet")
    found = {}
    for row in table.itertuples():
        for tag in row.themes:
            if tag["id"] == theme:
                found[(row.file, int(row.index))] = tag["status"]
    return found


def test_kwic_gives_each_passage_the_themes_and_status_analyse_gives(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    output = tmp_path / "out"
    result = runner.invoke(app, ["analyse", str(folder), "-o", str(output), "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    taxonomy = load_taxonomy()
    for theme in ("halsosamtal", "far"):
        want = analysed_statuses(output, theme)
        assert want, theme
        for source in (folder, output):  # read afresh, and from analyse's passages
            chosen, entry = resolve_entry(taxonomy, theme)
            hits = find_occurrences(
                passages_for_kwic(source, Gazetteer.load()), Tagger(chosen), entry
            )
            got = {(hit.file, hit.index): hit.status for hit in hits}
            assert got == want, (theme, source)
            assert all(hit.kind != "heading" for hit in hits)
    # the list item takes its status from its lead-in, in kwic as in analyse
    assert want_item_planned(output)


def want_item_planned(output: Path) -> bool:
    statuses = analysed_statuses(output, "halsosamtal")
    return sorted(statuses.values()) == ["active", "planned"]


def test_the_kwic_command_prints_the_status_analyse_gives(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    result = runner.invoke(app, ["kwic", "halsosamtal", str(folder)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "[hälsosamtal]" in line.lower()]
    assert len(lines) == 2, result.output  # the heading "Hälsosamtal" is not an occurrence
    assert "[planned]" in lines[0] and "erbjuda [hälsosamtal] till alla" in lines[0]
    assert "[active]" in lines[1]


def test_a_misspelt_theme_is_said_to_be_missing_with_the_nearest(tmp_path: Path) -> None:
    """A theme id with a typo found nothing and exited 0, which reads as an answer:
    it is a usage error naming the nearest id. Words stay words to look for."""
    import pytest

    from nvreport.errors import UsageError

    taxonomy = load_taxonomy()
    with pytest.raises(UsageError, match=r"no theme or facet value 'mobila_teamm'.*'mobila_team'"):
        resolve_entry(taxonomy, "mobila_teamm")
    assert resolve_entry(taxonomy, "mobila_team")[1] == "mobila_team"
    assert resolve_entry(taxonomy, "hembesök")[1] != "hembesök"  # an ad-hoc term
    result = CliRunner().invoke(app, ["kwic", "fasta_kontakte", str(tmp_path)])
    assert result.exit_code == 2
    assert "did you mean 'fasta_kontakter'?" in result.output
