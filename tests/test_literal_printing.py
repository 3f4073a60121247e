"""Text a user or a report wrote is printed as written: ':100:' is no emoji, '[bold]'
no style, '*vård*' no emphasis, '[/]' no crash. On a terminal (rich's tables and
progress) and when piped, in every command that prints such text."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from nvreport.cli.commands import app
from nvreport.exchange.taxonomy_tools import CheckReport, Finding, github_annotations

runner = CliRunner()
TERMINAL = {"TTY_COMPATIBLE": "1", "COLUMNS": "400", "NO_COLOR": "1"}
PIPED = {"TTY_COMPATIBLE": "0"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")
TRICKY = ":100: [bold]fet[/bold] [/] *kursiv* <b>html</b>"

TAXONOMY = """version: "v1"
areas:
  - id: halsoframjande
    label: Hälsofrämjande
    themes:
      - id: halsosamtal
        label: "Hälsosamtal [bold]nu[/bold] :100:"
        description: Riktade hälsosamtal till invånare.
        framework_area: B
        terms:
          - hälsosamtal*
        examples:
          match:
            - Regionen erbjuder hälsosamtal.
            - Hälsosamtalen genomförs på vårdcentralen.
            - Hälsosamtalsverksamheten har utökats.
            - Kommunen planerar hälsosamtal för 50-åringar.
            - "Regionen erbjuder samtal :100: [bold]fet[/bold] [/] *kursiv* <b>html</b>"
          no_match:
            - Regionen erbjuder samtal om levnadsvanor.
            - Hälsan i befolkningen har förbättrats.
            - Samtalet hölls på vårdcentralen.
            - Regionen har infört fast vårdkontakt.
            - Personalen har utbildats i motiverande samtal.
"""


def run(args: list[object], env: dict[str, str]):
    result = runner.invoke(app, [str(a) for a in args], env=env)
    return result, ANSI.sub("", result.stdout), ANSI.sub("", result.stderr)


def test_taxonomy_check_prints_a_failing_example_as_written(tmp_path: Path) -> None:
    path = tmp_path / "tax.yaml"
    path.write_text(TAXONOMY, encoding="utf-8")
    for env in (TERMINAL, PIPED):
        result, out, _ = run(["taxonomy", "check", path], env)
        assert result.exit_code == 1, result.output
        assert TRICKY in out
        assert "💯" not in out


def test_taxonomy_diff_shows_terms_labels_and_passages_as_written(tmp_path: Path) -> None:
    old = tmp_path / "gammal.yaml"
    old.write_text(TAXONOMY, encoding="utf-8")
    new = tmp_path / "ny.yaml"
    new.write_text(
        TAXONOMY.replace("- hälsosamtal*\n", "- hälsosamtal*\n          - '*dialog*'\n").replace(
            'version: "v1"', 'version: "v2 *ny*"'
        ),
        encoding="utf-8",
    )
    corpus = tmp_path / "2022"
    corpus.mkdir()
    passage = "Regionen för en [bold]hälsodialog[/bold] :100: med *alla* <b>invånare</b>."
    (corpus / "Region Halland 2022.txt").write_text(
        f"Region Halland\n\n{passage}\n", encoding="utf-8"
    )
    result, markdown, _ = run(
        ["taxonomy", "diff", old, new, "--corpus", corpus, "--format", "markdown"], PIPED
    )
    assert result.exit_code == 0, result.output
    assert "## Taxonomy change: v1 → v2 \\*ny\\*" in markdown
    assert "- **Changed** `halsosamtal`: term added: `*dialog*`" in markdown
    escaped = (
        "Regionen för en \\[bold\\]hälsodialog\\[/bold\\] :100: med \\*alla\\* "
        "\\<b\\>invånare\\</b\\>."
    )
    assert f"“{escaped}”" in markdown
    # the terminal renders that Markdown, and shows the text as it was written
    for env in (TERMINAL, PIPED):
        result, out, _ = run(["taxonomy", "diff", old, new, "--corpus", corpus], env)
        assert result.exit_code == 0, result.output
        assert "term added: *dialog*" in out
        assert "v2 *ny*" in out
        assert passage in " ".join(out.split())
        assert "💯" not in out


def test_kwic_on_a_terminal_shows_the_term_and_the_text_as_written(tmp_path: Path) -> None:
    corpus = tmp_path / "2022"
    corpus.mkdir()
    (corpus / "Region Halland 2022.txt").write_text(
        f"Region Halland\n\nRegionen erbjuder hälsosamtal {TRICKY} till alla.\n",
        encoding="utf-8",
    )
    result, out, _ = run(["kwic", "halsosamtal", corpus, "--width", "80"], TERMINAL)
    assert result.exit_code == 0, result.output
    assert "1 occurrence of halsosamtal" in out
    assert TRICKY in out
    result, out, _ = run(["kwic", "hälsosamtal [red]x[/] :100:", corpus], TERMINAL)
    assert result.exit_code == 0, result.output
    assert "of hälsosamtal [red]x[/] :100:" in out


def test_analyse_on_a_terminal_shows_file_names_as_written(tmp_path: Path) -> None:
    """The progress line and the summary table show a file name with markup in it;
    '[/red]' in a path once ended the run with an internal error."""
    corpus = tmp_path / "2022"
    corpus.mkdir()
    # a folder "Region Halland [" holding "red] :100: 2022.txt": the file's path in the
    # folder is "Region Halland [/red] :100: 2022.txt", a closing tag to rich
    name = "Region Halland [/red] :100: 2022.txt"
    (corpus / "Region Halland [").mkdir()
    (corpus / name).write_text(
        "Region Halland\n\nRegionen erbjuder hälsosamtal till alla invånare.\n", encoding="utf-8"
    )
    result, out, err = run(["analyse", corpus, "-o", tmp_path / "ut", "--no-cache"], TERMINAL)
    assert result.exit_code == 0, result.output
    assert "internal error" not in err
    assert name in out
    assert "💯" not in out + err


def test_github_annotations_escape_the_file_and_the_message() -> None:
    report = CheckReport(file="a,b:c.yaml")
    report.findings.append(Finding("a,b:c.yaml", 3, 5, "100% fel\nrad två", "schema"))
    assert github_annotations([report]) == [
        "::error file=a%2Cb%3Ac.yaml,line=3,col=5::100%25 fel%0Arad två"
    ]


def test_compare_on_a_terminal_shows_theme_labels_as_written(tmp_path: Path) -> None:
    taxonomy = tmp_path / "tax.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    for year in (2021, 2022):
        folder = tmp_path / str(year)
        folder.mkdir()
        for region in ("Halland", "Kronoberg"):
            (folder / f"Region {region} {year}.txt").write_text(
                f"Region {region}\n\nRegionen erbjuder hälsosamtal.\n", encoding="utf-8"
            )
    result, out, _ = run(
        ["compare", tmp_path / "2021", tmp_path / "2022", "-o", tmp_path / "ut",
         "--taxonomy", taxonomy, "--no-cache"],
        TERMINAL,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Hälsosamtal [bold]nu[/bold] :100:" in out
    assert "💯" not in out
