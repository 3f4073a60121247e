"""nvreport taxonomy check and diff: problems with file and line, examples run, and
what a change does to a corpus."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nvreport.cli.commands import app
from nvreport.exchange.taxonomy_tools import check_taxonomy, resolve_taxonomy_source

ROOT = Path(__file__).parents[1]
SMALL = ROOT / "tests" / "fixtures" / "taxonomies" / "small.yaml"
runner = CliRunner()

VALID = """version: "v1"
areas:
  - id: halsoframjande
    label: Hälsofrämjande
    themes:
      - id: halsosamtal
        label: Hälsosamtal
        description: Riktade hälsosamtal till invånare.
        framework_area: B
        terms:
          - hälsosamtal*
        exclude:
          - samtal om hälsosamtalsmodellen
        examples:
          match:
            - Regionen erbjuder hälsosamtal.
            - Hälsosamtalen genomförs på vårdcentralen.
            - Hälsosamtalsverksamheten har utökats.
            - Kommunen planerar hälsosamtal för 50-åringar.
            - Riktade hälsosamtal saknas ännu i länet.
          no_match:
            - Regionen erbjuder samtal om levnadsvanor.
            - Hälsan i befolkningen har förbättrats.
            - Samtalet hölls på vårdcentralen.
            - Regionen har infört fast vårdkontakt.
            - Personalen har utbildats i motiverande samtal.
"""


def write(tmp_path: Path, text: str, name: str = "tax.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_bundled_taxonomy_passes_the_check() -> None:
    result = runner.invoke(app, ["taxonomy", "check"])
    assert result.exit_code == 0, result.stdout
    assert "examples run, ok" in result.stdout


def test_valid_file_passes_and_runs_every_example(tmp_path: Path) -> None:
    report = check_taxonomy(write(tmp_path, VALID))
    assert report.ok, report.findings
    assert report.examples_run == 10


def test_failing_example_shows_the_sentence_what_matched_and_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, VALID.replace("Samtalet hölls på vårdcentralen.", "Hälsosamtalet hölls.")
    )
    result = runner.invoke(app, ["taxonomy", "check", str(path)])
    assert result.exit_code == 1
    line = line_of(path, "Hälsosamtalet hölls.")
    assert (
        f"{path}:{line}:1: halsosamtal: must not match but was tagged: 'Hälsosamtalet hölls.' "
        "(matched 'Hälsosamtalet' by term 'hälsosamtal*')"
    ) in result.stdout
    missed = write(
        tmp_path,
        VALID.replace("Regionen erbjuder hälsosamtal.", "Regionen erbjuder samtal."),
        "b.yaml",
    )
    result = runner.invoke(app, ["taxonomy", "check", str(missed)])
    assert (
        "must match but was not tagged: 'Regionen erbjuder samtal.' (no term matched)"
        in result.stdout
    )


def test_unreachable_term_and_useless_exclude_are_problems(tmp_path: Path) -> None:
    text = VALID.replace(
        "          - hälsosamtal*\n", "          - hälsosamtal*\n          - riktade hälsosamtal\n"
    ).replace("samtal om hälsosamtalsmodellen", "fysisk aktivitet")
    path = write(tmp_path, text)
    messages = [f.message for f in check_taxonomy(path).findings]
    assert messages == [
        "halsosamtal: the exclude 'fysisk aktivitet' can never apply: none of its words is a "
        "word of the theme's terms",
        "halsosamtal: the term 'riktade hälsosamtal' is unreachable: 'hälsosamtal*' already "
        "matches wherever it does",
    ]


def test_schema_problems_have_line_and_column_in_every_format(tmp_path: Path) -> None:
    path = write(
        tmp_path, VALID.replace("framework_area: B", "framework_area: B\n        färg: röd")
    )
    line = line_of(path, "färg: röd")
    github = runner.invoke(app, ["taxonomy", "check", str(path), "--format", "github"])
    assert github.exit_code == 1
    unknown = (
        "theme 'halsosamtal': unknown key 'färg'; the keys of a theme are id, label, "
        "description, framework_area, terms"
    )
    assert f"::error file={path},line={line},col=9::{unknown}" in github.stdout
    report = json.loads(
        runner.invoke(app, ["taxonomy", "check", str(path), "--format", "json"]).stdout
    )
    assert report[0]["ok"] is False
    finding = report[0]["findings"][0]
    assert finding["message"].startswith(unknown)
    assert finding == {
        "file": str(path),
        "line": line,
        "column": 9,
        "message": finding["message"],
        "kind": "schema",
    }


def test_diff_shows_terms_and_the_passages_that_change(tmp_path: Path) -> None:
    corpus = tmp_path / "2022"
    corpus.mkdir()
    (corpus / "Region Halland 2022.txt").write_text(
        "Region Halland\n\nRegionen erbjuder hälsosamtal.\n\nKommunen erbjuder FaR.\n",
        encoding="utf-8",
    )
    new = write(
        tmp_path,
        SMALL.read_text("utf-8").replace("terms: [hälsosamtal*]", "terms: [hälsokontroll*]"),
        "ny.yaml",
    )
    result = runner.invoke(
        app,
        [
            "taxonomy",
            "diff",
            str(SMALL),
            str(new),
            "--corpus",
            str(corpus),
            "--format",
            "markdown",
            "-o",
            str(tmp_path / "pr.md"),
        ],
    )
    assert result.exit_code == 0, result.output
    markdown = result.stdout
    assert (
        "- **Changed** `halsosamtal`: term added: `hälsokontroll*`; term removed: `hälsosamtal*`"
        in markdown
    )
    assert "| `halsosamtal` | region | 1 | 0 | 0 | 0 |" in markdown
    assert "### Passages that lose a theme (1)" in markdown
    assert "Region Halland (Region Halland 2022.txt): “Regionen erbjuder hälsosamtal.”" in markdown
    assert (tmp_path / "pr.md").read_text("utf-8") == markdown


def test_old_taxonomy_can_be_a_git_revision() -> None:
    path = resolve_taxonomy_source("HEAD:taxonomies/nara-vard.yaml", ROOT)
    assert path.read_text("utf-8").startswith(("# ", "version", "name"))
