"""Hostile inputs and clumsy colleagues must not crash, leak or corrupt the outputs of
``analyse``, ``compare`` and ``narrative`` (issue 17): formula guards written once and
only in CSV and xlsx, control and bidi characters kept out of metadata, file names
with a carriage return quoted, no folder named inside an output folder ever read, and
an output path that cannot be written to told in plain words, with the previous
outputs left as they were."""

from __future__ import annotations

import csv
import errno
import json
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from nvreport.cli.commands import app
from nvreport.ingest.metadata import clean_text, read_manifest
from nvreport.outputs.tables import write_csv
from nvreport.store import files
from output_csv import read_frame, read_rows

runner = CliRunner()
LINK = '=HYPERLINK("http://exempel.invalid/";"Klicka här")'
BODY = "Regionen erbjuder riktade hälsosamtal till alla 40-åringar.\n"
COMPARE_FILES = (
    "coverage.csv",
    "transitions.csv",
    "term_drift.csv",
    "comparison.xlsx",
    "comparison.json",
    "explorer.html",
)


def run(*args: object):
    return runner.invoke(app, [str(arg) for arg in args])


def year_folder(folder: Path, year: int, actor: str, name: str = "rapport.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"God och nära vård {year}\n\n{BODY}", encoding="utf-8")
    (folder / "Region Kronoberg.txt").write_text(
        f"Region Kronoberg\n\nGod och nära vård {year}\n\n{BODY}", encoding="utf-8"
    )
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "actor", "actor_type", "lan", "year"])
        writer.writerow([name, actor, "region", "", year])
        writer.writerow(["Region Kronoberg.txt", "", "", "", year])
    return folder


def csv_rows(path: Path) -> list[dict[str, str]]:
    return read_rows(path)


def json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in json_strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in json_strings(item)]
    return []


@pytest.fixture(scope="module")
def formula_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two years of analyse outputs whose actor (from the manifest) looks like a formula."""
    root = tmp_path_factory.mktemp("formula")
    for year in (2021, 2022):
        year_folder(root / str(year), year, LINK)
        result = run("analyse", root / str(year), "-o", root / f"out{year}", "--no-cache", "-q")
        assert result.exit_code == 0, result.output
    return root


# --- 8: the formula guard, once, in CSV only ---------------------------------------------


def test_compare_writes_the_formula_guard_once_and_only_in_csv(formula_years: Path) -> None:
    out = formula_years / "cmp"
    result = run("compare", formula_years / "out2021", formula_years / "out2022", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    document = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert LINK in {row["actor"] for row in document["actors"]}
    assert not [text for text in json_strings(document) if text.startswith("'")]
    actors = {row["actor"] for row in csv_rows(out / "transitions.csv")}
    assert actors == {"'" + LINK, "Region Kronoberg"}  # one apostrophe, not two
    book = openpyxl.load_workbook(out / "comparison.xlsx")
    cells = {cell.value for row in book["transitions"].iter_rows() for cell in row}
    assert LINK in cells and "'" + LINK not in cells


def test_narrative_quotes_an_actor_that_looks_like_a_formula_as_it_is(
    formula_years: Path,
) -> None:
    story = formula_years / "story.md"
    result = run(
        "narrative", formula_years / "out2022", "-p", formula_years / "out2021", "-o", story, "-q"
    )
    assert result.exit_code == 0, result.output
    text = story.read_text(encoding="utf-8")
    assert "=HYPERLINK" in text and "'=HYPERLINK" not in text


def test_the_guard_comes_off_a_documents_csv_read_back(formula_years: Path) -> None:
    from nvreport.analysis.compare import _from_output
    from nvreport.ingest.gazetteer import Gazetteer
    from nvreport.tagging.taxonomy import load_taxonomy

    data = _from_output(formula_years / "out2022", Gazetteer.load(), load_taxonomy(None))
    assert LINK in set(data.documents["actor"])


# --- 9: control and bidi characters; outputs written as a whole --------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Region\x01 Halland", "Region Halland"),
        ("Region\u202e Halland\u2069", "Region Halland"),
        ("\u200fRegion Halland\u200e", "Region Halland"),
        ("Region\x85Halland\x9b", "RegionHalland"),
        ("Region\tHalland", "Region Halland"),
        ("Region\nHalland", "Region Halland"),
        ("Jönköpings län", "Jönköpings län"),
    ],
)
def test_metadata_values_lose_control_and_bidi_characters(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_a_manifest_keeps_no_control_character(tmp_path: Path) -> None:
    (tmp_path / "manifest.csv").write_text(
        "file,actor,actor_type,lan,year\n"
        "rapport.txt,Region\x01 Hall\u202eand,region,Hall\x7fand,2022\n",
        encoding="utf-8",
    )
    row = read_manifest(tmp_path)["rapport.txt"]
    assert (row.actor, row.lan) == ("Region Halland", "Halland")


def test_a_control_character_in_an_actor_name_does_not_break_compare(tmp_path: Path) -> None:
    actor = "Region\x01 Hal\u202eland\x1b[31m"
    for year in (2021, 2022):
        year_folder(tmp_path / str(year), year, actor)
    out = tmp_path / "cmp"
    result = run("compare", tmp_path / "2021", tmp_path / "2022", "-o", out, "-q", "--no-cache")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.iterdir()) == sorted(COMPARE_FILES)
    document = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert "Region Halland[31m" in {row["actor"] for row in document["actors"]}


def test_a_failed_compare_leaves_the_previous_outputs(tmp_path: Path, monkeypatch) -> None:
    for year in (2021, 2022):
        year_folder(tmp_path / str(year), year, "Region Halland")
    out = tmp_path / "cmp"
    args = ("compare", tmp_path / "2021", tmp_path / "2022", "-o", out, "-q")
    assert run(*args).exit_code == 0
    before = {name: (out / name).read_bytes() for name in COMPARE_FILES}
    (tmp_path / "2022" / "rapport.txt").write_text("Inget alls.\n", encoding="utf-8")

    import nvreport.outputs.comparison

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(nvreport.outputs.comparison, "sheets_to_xlsx", full)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "disk is full" in result.stderr and "internal error" not in result.stderr
    assert {name: (out / name).read_bytes() for name in COMPARE_FILES} == before
    assert sorted(path.name for path in out.iterdir()) == sorted(COMPARE_FILES)


def test_a_failed_markdown_story_leaves_the_previous_story_and_charts(
    formula_years: Path, tmp_path: Path, monkeypatch
) -> None:
    story = tmp_path / "story.md"
    args = ("narrative", formula_years / "out2022", "-p", formula_years / "out2021", "-o", story)
    assert run(*args, "-q").exit_code == 0
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    assert len(before) > 1  # the story and its charts
    real = os.replace

    def refuse(source, target, *rest):
        if str(target).endswith(".md"):
            raise PermissionError(errno.EACCES, "Permission denied", str(target))
        return real(source, target, *rest)

    monkeypatch.setattr(files.os, "replace", refuse)
    result = run(*args, "--date", "2030-01-01", "-q")
    assert result.exit_code == 2, result.output
    assert "permission" in result.stderr.lower() and "Error" not in result.stderr
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before


# --- 10: a carriage return in a file name ------------------------------------------------


def test_a_file_name_with_a_carriage_return_is_quoted_in_every_csv(tmp_path: Path) -> None:
    folder = tmp_path / "2022"
    folder.mkdir()
    (folder / "Icon\r").write_bytes(b"")
    (folder / "Region Halland\r2022.txt").write_text(
        f"Region Halland\n\nGod och nära vård 2022\n\n{BODY}", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = run("analyse", folder, "-o", out, "--no-cache", "-q")
    assert result.exit_code == 0, result.output
    documents = csv_rows(out / "documents.csv")
    assert {row["file"] for row in documents} == {"Icon\r", "Region Halland\r2022.txt"}
    assert len(read_frame(out / "documents.csv")) == 2
    passages = csv_rows(out / "passages.csv")
    assert {row["file"] for row in passages} == {"Region Halland\r2022.txt"}
    frame = read_frame(out / "passages.csv")
    assert len(frame) == len(passages) and set(frame["file"]) == {"Region Halland\r2022.txt"}


def test_the_csv_writer_quotes_a_bare_carriage_return(tmp_path: Path) -> None:
    frame = pd.DataFrame({"file": ["Icon\r", "a\r\nb", "ok", LINK], "n": [1, 2, 3, 4]})
    write_csv(frame, tmp_path / "t.csv")
    raw = (tmp_path / "t.csv").read_bytes()
    assert b'"Icon\r"' in raw and b'"a\r\nb"' in raw
    rows = csv_rows(tmp_path / "t.csv")
    assert [row["file"] for row in rows] == ["Icon\r", "a\r\nb", "ok", "'" + LINK]
    back = read_frame(tmp_path / "t.csv")
    assert back["n"].tolist() == [1, 2, 3, 4]


# --- 15: nothing named inside an output folder is read -----------------------------------


def test_compare_never_reads_the_folder_a_received_run_json_names(
    formula_years: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "hemlig"
    year_folder(secret, 2022, "Region Hemlig")
    received = tmp_path / "mottagen"
    (received).mkdir()
    for name in ("run.json", "passages.parquet", "passages.csv", "documents.csv"):
        (received / name).write_bytes((formula_years / "out2022" / name).read_bytes())
    record = json.loads((received / "run.json").read_text(encoding="utf-8"))
    record["input"] = str(secret)
    (received / "run.json").write_text(json.dumps(record), encoding="utf-8")

    out = tmp_path / "cmp"
    result = run("compare", formula_years / "out2021", received, "-o", out, "-q")
    assert result.exit_code == 0, result.output
    assert str(secret) not in result.output + result.stderr
    document = (out / "comparison.json").read_text(encoding="utf-8")
    assert "hemlig" not in document.lower()

    # with another taxonomy the output is not enough: said so, nothing else read
    small = Path(__file__).parent / "fixtures" / "taxonomies" / "small.yaml"
    result = run(
        "compare", formula_years / "out2021", received, "-o", out, "-q", "--taxonomy", small
    )
    assert result.exit_code == 2, result.output
    assert "another taxonomy" in result.stderr
    assert str(secret) not in result.stderr


def test_narrative_never_reads_the_year_folders_a_compare_output_names(
    formula_years: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cmp"
    result = run("compare", formula_years / "out2021", formula_years / "out2022", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    result = run("narrative", out, "-o", tmp_path / "story.md", "-q")
    assert result.exit_code == 2, result.output
    assert "--previous" in result.stderr
    assert str(formula_years) not in result.stderr
    assert not (tmp_path / "story.md").exists()


# --- 19: an output path that cannot be written to ----------------------------------------


@pytest.mark.parametrize("command", ["analyse", "compare", "narrative"])
def test_an_output_path_under_a_file_is_a_usage_error(
    command: str, formula_years: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "fil.txt"
    blocker.write_text("mitt arbete\n", encoding="utf-8")
    inputs = {
        "analyse": [formula_years / "2022"],
        "compare": [formula_years / "out2021", formula_years / "out2022"],
        "narrative": [formula_years / "out2022", "-p", formula_years / "out2021"],
    }[command]
    target = blocker / ("story.md" if command == "narrative" else "ut")
    result = run(command, *inputs, "-o", target, "-q", "--no-cache")
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.stderr and "Error" not in result.stderr
    assert "is a file" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "mitt arbete\n"
    if command != "narrative":  # -o names a folder
        result = run(command, *inputs, "-o", blocker, "-q", "--no-cache")
        assert result.exit_code == 2, result.output
        assert "is a file" in result.stderr
        assert blocker.read_text(encoding="utf-8") == "mitt arbete\n"


def test_narrative_output_that_is_a_folder_is_a_usage_error(
    formula_years: Path, tmp_path: Path
) -> None:
    result = run(
        "narrative", formula_years / "out2022", "-p", formula_years / "out2021", "-o", tmp_path
    )
    assert result.exit_code == 2, result.output
    assert "is a folder" in result.stderr


@pytest.mark.parametrize(
    ("number", "words"),
    [(errno.ENOSPC, "disk is full"), (errno.EACCES, "permission"), (errno.EROFS, "read-only")],
)
def test_analyse_on_a_full_or_read_only_disk_keeps_the_previous_outputs(
    number: int, words: str, formula_years: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "out"
    args = ("analyse", formula_years / "2022", "-o", out, "-q", "--no-cache")
    assert run(*args).exit_code == 0
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    def refuse(*_args, **_kwargs):
        raise OSError(number, os.strerror(number))

    monkeypatch.setattr(files.os, "replace", refuse)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert words in result.stderr.lower() and "internal error" not in result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


# --- 21: no Python internals in messages -------------------------------------------------


def test_an_internal_error_names_no_exception_class(formula_years: Path, monkeypatch) -> None:
    import nvreport.analysis.compare

    def broken(*_args, **_kwargs):
        raise KeyError("actor_key")

    monkeypatch.setattr(nvreport.analysis.compare, "compare_years", broken)
    result = run("compare", formula_years / "out2021", formula_years / "out2022", "-o", "x")
    assert result.exit_code == 70
    assert "KeyError" not in result.stderr and "internal error" in result.stderr
    # the hint puts --traceback where it works: before the command
    assert "'nvreport --traceback COMMAND …'" in result.stderr
    assert "report what it prints" in result.stderr


def test_an_unreadable_file_is_told_in_plain_words(formula_years: Path, monkeypatch) -> None:
    import nvreport.analysis.compare

    def refused(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/delad/documents.csv")

    monkeypatch.setattr(nvreport.analysis.compare, "compare_years", refused)
    result = run("compare", formula_years / "out2021", formula_years / "out2022", "-o", "x")
    assert result.exit_code == 2, result.output
    assert "PermissionError" not in result.stderr and "Errno" not in result.stderr
    assert "/srv/delad/documents.csv" in result.stderr and "permission" in result.stderr


def test_messages_quote_values_without_python_repr(tmp_path: Path) -> None:
    (tmp_path / "manifest.csv").write_text(
        "file,actor,actor_type,lan,year\nrapport.txt,,landsting,,2022\n", encoding="utf-8"
    )
    with pytest.raises(Exception, match='found "landsting"'):
        read_manifest(tmp_path)
