"""The README stays true: the two commands, every command, every output column."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from nvreport.analysis.aggregate import COVERAGE_COLUMNS, THEMES_BY_ACTOR_COLUMNS
from nvreport.analysis.compare import (
    CHANGE_COLUMNS,
    INTENSITY_COLUMNS,
    NOVELTY_COLUMNS,
    TRANSITION_COLUMNS,
)
from nvreport.analysis.tables import DOCUMENT_COLUMNS, PASSAGE_COLUMNS
from nvreport.cli.commands import app

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, flags=re.S)


def test_readme_starts_with_install_and_analyse_then_the_test_command() -> None:
    first, second = shell_blocks()[:2]
    assert "pip install ." in first and "nvreport analyse samples/2022" in first
    assert "pytest" in second


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    test_command = shell_blocks()[1].strip()
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_is_documented_with_help() -> None:
    group = typer.main.get_group(app)
    for name, command in group.commands.items():
        assert f"nvreport {name}" in README, name
        assert command.help, name


def documented_columns(heading: str) -> set[str]:
    section = README.split(heading, 1)[1].split("\n### ", 1)[0]
    names: set[str] = set()
    for cell in re.findall(r"^\| (.+?) \|", section, flags=re.M):
        names.update(re.findall(r"`([a-z_0-9]+)`", cell))
    return names


def test_every_output_column_is_documented() -> None:
    assert set(PASSAGE_COLUMNS) <= documented_columns("### `passages.csv`")
    assert set(DOCUMENT_COLUMNS) <= documented_columns("### `documents.csv`")
    assert set(THEMES_BY_ACTOR_COLUMNS) <= documented_columns("### `themes_by_actor.csv`")
    assert set(COVERAGE_COLUMNS) <= documented_columns("### `coverage.csv`")
    assert set(TRANSITION_COLUMNS) <= documented_columns("### `nvreport compare` outputs")
    compare_section = README.split("### `nvreport compare` outputs", 1)[1].split("\n### ", 1)[0]
    for column in (*CHANGE_COLUMNS, *NOVELTY_COLUMNS, *INTENSITY_COLUMNS):
        assert f"`{column}`" in compare_section, column
