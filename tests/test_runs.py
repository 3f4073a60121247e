"""A run of the same inputs again copies the earlier run's outputs from the cache:
the same bytes, the same messages and exit code, and never a stale copy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import BODY, TITLE, Paragraph, build_pdf
from nvreport.cli.commands import app
from nvreport.models import DocumentRecord, DocumentStatus, SourceFile
from nvreport.outputs import runs

SMALL = Path(__file__).parent / "fixtures" / "taxonomies" / "small.yaml"
REUSED = "copied from the cache: same inputs as an earlier run"
KEPT = "nothing has changed since this command last ran: the outputs are kept"
runner = CliRunner()


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "2022"
    folder.mkdir()
    build_pdf(
        folder / "Region Halland 2022.pdf",
        [
            Paragraph("Region Halland", TITLE),
            Paragraph("Regionen erbjuder hälsosamtal till alla som fyller 50 år.", BODY),
        ],
        header="",
    )
    (folder / "Flens kommun 2022.txt").write_text(
        "Flens kommun\n\nKommunen planerar mobila team under 2023.\n", encoding="utf-8"
    )
    (folder / "trasig.pdf").write_bytes(b"%PDF-1.4 trasig")
    (folder / "anteckningar.xyz").write_text("inte en rapport", encoding="utf-8")
    return folder


@pytest.fixture
def no_analysis(monkeypatch: pytest.MonkeyPatch):
    """Fail the test if the run reads, tags or writes anything itself."""

    def refuse(*args, **kwargs):
        raise AssertionError("the run was done again instead of reused")

    def forbid() -> None:
        monkeypatch.setattr(runs, "analyse_folder", refuse)

    return forbid


def analyse(folder: Path, output: Path, cache: Path, *options: str):
    arguments = ["analyse", folder, "-o", output, "--cache", cache, "--jobs", "1", *options]
    return runner.invoke(app, [str(argument) for argument in arguments])


def data_files(output: Path) -> dict[str, bytes]:
    return {name: (output / name).read_bytes() for name in runs.DATA_FILES}


def test_same_inputs_reuse_the_outputs_byte_for_byte(
    reports: Path, tmp_path: Path, no_analysis
) -> None:
    cache = tmp_path / "cache"
    first = analyse(reports, tmp_path / "first", cache, "--taxonomy", SMALL)
    assert first.exit_code == 1  # trasig.pdf cannot be read
    assert REUSED not in first.stdout
    no_analysis()
    second = analyse(reports, tmp_path / "second", cache, "--taxonomy", SMALL)
    assert second.exit_code == 1
    assert data_files(tmp_path / "second") == data_files(tmp_path / "first")
    # the same messages, about the same files, on the same streams
    assert second.stderr == first.stderr
    assert "trasig.pdf" in second.stderr
    assert second.stdout.replace(f"second ({REUSED})", "first") == first.stdout
    assert REUSED in second.stdout
    records = [
        json.loads((tmp_path / name / "run.json").read_text()) for name in ("first", "second")
    ]
    for record in records:
        del record["started"], record["finished"], record["output"]
    assert records[0] == records[1]
    assert records[1]["counts"]["by_status"] == {"error": 1, "ignored": 1, "ok": 2}


def test_a_corpus_moved_elsewhere_is_the_same_input(
    reports: Path, tmp_path: Path, no_analysis
) -> None:
    """Only the folder's name can change what is read from it (a year, an actor)."""
    cache = tmp_path / "cache"
    first = analyse(reports, tmp_path / "first", cache)
    moved = tmp_path / "arkiv" / reports.name
    shutil.copytree(reports, moved)
    no_analysis()
    second = analyse(moved, tmp_path / "second", cache)
    assert REUSED in second.stdout
    reused, kept = data_files(tmp_path / "second"), data_files(tmp_path / "first")
    # the explorer's links lead to the reports where they are now
    assert b'"href":"../arkiv/2022/"' in reused.pop("explorer.html")
    assert b'"href":"../2022/"' in kept.pop("explorer.html")
    assert reused == kept
    assert second.stderr == first.stderr
    record = json.loads((tmp_path / "second" / "run.json").read_text(encoding="utf-8"))
    assert record["input"] == str(moved)


def test_a_renamed_folder_is_another_input(reports: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    analyse(reports, tmp_path / "first", cache)
    renamed = reports.with_name("2021")
    shutil.copytree(reports, renamed)
    assert REUSED not in analyse(renamed, tmp_path / "second", cache).stdout


def test_a_library_message_does_not_tell_where_the_file_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message is kept with the file's content, so the path in a library's
    message becomes "the file": a copy elsewhere gets the same, true, message."""
    from nvreport.ingest import readers

    def failing(path: Path):
        raise ValueError(f"unexpected byte in {path} at offset 12")

    monkeypatch.setitem(readers.READERS, ".txt", failing)
    folder = tmp_path / "2022"
    folder.mkdir()
    (folder / "Flens kommun 2022.txt").write_text("Flens kommun\n", encoding="utf-8")
    result = analyse(folder, tmp_path / "ut", tmp_path / "cache")
    assert result.exit_code == 1
    message = "could not be read (ValueError: unexpected byte in the file at offset 12)"
    assert f"Flens kommun 2022.txt: {message}" in result.stderr
    assert str(tmp_path) not in result.stderr


def test_the_reused_run_replaces_earlier_outputs_whole(reports: Path, tmp_path: Path) -> None:
    cache, output = tmp_path / "cache", tmp_path / "out"
    analyse(reports, output, cache)
    expected = data_files(output)
    (output / "passages.csv").write_text("ändrad för hand", encoding="utf-8")
    (output / "coverage.csv").unlink()
    analyse(reports, output, cache)
    assert data_files(output) == expected
    assert not [path for path in output.iterdir() if path.name.startswith(".")]


@pytest.mark.parametrize("change", ["content", "new file", "ignored file", "taxonomy", "manifest"])
def test_any_change_to_the_inputs_does_the_run_again(
    reports: Path, tmp_path: Path, change: str
) -> None:
    cache = tmp_path / "cache"
    taxonomy = ["--taxonomy", str(SMALL)]
    analyse(reports, tmp_path / "first", cache, *taxonomy)
    if change == "content":
        (reports / "Flens kommun 2022.txt").write_text(
            "Flens kommun\n\nKommunen har infört mobila team.\n", encoding="utf-8"
        )
    elif change == "new file":
        (reports / "Region Dalarna 2022.txt").write_text(
            "Region Dalarna\n\nRegionen erbjuder hälsosamtal.\n", encoding="utf-8"
        )
    elif change == "ignored file":
        (reports / "bild.png").write_bytes(b"\x89PNG")
    elif change == "taxonomy":
        taxonomy = []  # the bundled taxonomy
    else:
        (reports / "manifest.csv").write_text(
            "file,actor,actor_type,lan,year\ntrasig.pdf,Region Skåne,region,Skåne län,2022\n",
            encoding="utf-8",
        )
    second = analyse(reports, tmp_path / "second", cache, *taxonomy)
    assert REUSED not in second.stdout
    fresh = analyse(reports, tmp_path / "fresh", tmp_path / "empty-cache", *taxonomy)
    assert data_files(tmp_path / "second") == data_files(tmp_path / "fresh")
    assert data_files(tmp_path / "second") != data_files(tmp_path / "first")
    assert second.stderr == fresh.stderr


def test_a_damaged_kept_run_is_dropped_and_the_run_done_again(
    reports: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    analyse(reports, tmp_path / "first", cache)
    (kept,) = (cache / "runs").iterdir()
    with (kept / "passages.csv").open("ab") as handle:
        handle.write(b"en rad till\n")
    second = analyse(reports, tmp_path / "second", cache)
    assert REUSED not in second.stdout
    assert data_files(tmp_path / "second") == data_files(tmp_path / "first")
    third = analyse(reports, tmp_path / "third", cache)  # kept again, whole this time
    assert REUSED in third.stdout
    assert data_files(tmp_path / "third") == data_files(tmp_path / "first")


def test_no_cache_keeps_and_reuses_nothing(reports: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    for name in ("first", "second"):
        result = runner.invoke(
            app, ["analyse", str(reports), "-o", str(tmp_path / name), "--no-cache"]
        )
        assert REUSED not in result.stdout
    # nothing read or tagged is kept, and no finished run; only the lemma and
    # tokenizer tables nvreport makes from its libraries at first use may be there
    cache = tmp_path / "xdg" / "nvreport"
    kept = sorted(path.name for path in cache.iterdir()) if cache.exists() else []
    assert set(kept) <= {"tables"}, kept


def test_only_the_most_recent_runs_are_kept(reports: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for number in range(runs.RUNS_KEPT + 2):
        (reports / "Flens kommun 2022.txt").write_text(
            f"Flens kommun\n\nKommunen har infört {number + 2} mobila team.\n", encoding="utf-8"
        )
        analyse(reports, tmp_path / f"out{number}", cache)
    assert len(list((cache / "runs").iterdir())) == runs.RUNS_KEPT
    # the latest is among them
    assert REUSED in analyse(reports, tmp_path / "again", cache).stdout


def test_a_run_with_a_failure_that_may_not_recur_is_not_kept(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    for name in runs.DATA_FILES:
        (output / name).write_text("x", encoding="utf-8")
    stopped = DocumentRecord(
        SourceFile(tmp_path / "a.pdf", "a.pdf"),
        DocumentStatus.ERROR,
        "reading and tagging it took longer than 300 s; stopped and skipped",
        retry=True,
    )
    kept = runs.FinishedRuns(tmp_path / "cache")
    kept.store("k" * 64, output, runs.KeptRun([stopped], [], (), 0, []))
    assert not list((tmp_path / "cache" / "runs").glob("k*"))
    stopped.retry = False
    kept.store("k" * 64, output, runs.KeptRun([stopped], [], (), 0, []))
    assert (tmp_path / "cache" / "runs" / ("k" * 64)).is_dir()


def test_a_run_with_a_file_that_cannot_be_opened_is_done_again(
    reports: Path, tmp_path: Path
) -> None:
    # the file may be back next time (a network drive, a permission put right)
    (reports / "borta.pdf").symlink_to(tmp_path / "finns-inte.pdf")
    cache = tmp_path / "cache"
    first = analyse(reports, tmp_path / "first", cache)
    assert "borta.pdf" in first.stderr
    second = analyse(reports, tmp_path / "second", cache)
    assert REUSED not in second.stdout
    assert not (cache / "runs").exists()


def test_the_analyse_outputs_are_the_kept_files_and_run_json(reports: Path, tmp_path: Path) -> None:
    analyse(reports, tmp_path / "out", tmp_path / "cache")
    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert written == sorted([*runs.DATA_FILES, "run.json"])


def test_a_kept_run_missing_a_file_is_dropped_and_the_outputs_stay_whole(
    reports: Path, tmp_path: Path
) -> None:
    cache, output = tmp_path / "cache", tmp_path / "out"
    analyse(reports, output, cache)
    expected = data_files(output)
    (kept,) = (cache / "runs").iterdir()
    (kept / "themes_by_actor.csv").unlink()
    again = analyse(reports, output, cache)
    assert REUSED not in again.stdout
    assert data_files(output) == expected
    assert not [path for path in output.iterdir() if path.name.startswith(".")]
    # kept whole again: the output folder holds its files already, and they stay
    assert KEPT in analyse(reports, output, cache).stdout


def test_kept_runs_stay_under_the_size_limit(reports: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    analyse(reports, tmp_path / "first", cache)
    size = sum(path.stat().st_size for path in (tmp_path / "first").iterdir())
    (reports / "Flens kommun 2022.txt").write_text(
        "Flens kommun\n\nKommunen har infört mobila team.\n", encoding="utf-8"
    )
    analyse(reports, tmp_path / "second", cache)
    kept = runs.FinishedRuns(cache, max_bytes=int(size * 1.5))
    kept._drop_oldest()
    assert len(list((cache / "runs").iterdir())) == 1  # the older one went
    assert REUSED in analyse(reports, tmp_path / "third", cache).stdout
    small = runs.FinishedRuns(tmp_path / "other", max_bytes=10)
    small.store("k" * 64, tmp_path / "third", runs.KeptRun([], [], (), 0, []))
    assert not (tmp_path / "other" / "runs" / ("k" * 64)).exists()  # too large to keep
