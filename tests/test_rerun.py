"""``nvreport analyse`` run again with nothing changed prints what it printed, ends
with the same exit code and leaves every output file as it was; any change to what
the run depended on does the run again, with the outputs of a first run."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from nvreport.cli import main
from nvreport.outputs import runs, unchanged

SMALL = Path(__file__).parent / "fixtures" / "taxonomies" / "small.yaml"
KEPT = "nothing has changed since this command last ran: the outputs are kept"
OUTPUTS = (*runs.DATA_FILES, "run.json")


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "2022"
    folder.mkdir()
    (folder / "Region Halland 2022.txt").write_text(
        "Region Halland\n\nRegionen erbjuder hälsosamtal till alla som fyller 50 år.\n",
        encoding="utf-8",
    )
    (folder / "Flens kommun 2022.txt").write_text(
        "Flens kommun\n\nKommunen planerar att införa fast vårdkontakt under 2023.\n",
        encoding="utf-8",
    )
    (folder / "anteckningar.xyz").write_text("inte en rapport", encoding="utf-8")
    return folder


@pytest.fixture
def taxonomy(tmp_path: Path) -> Path:
    copy = tmp_path / "teman.yaml"
    shutil.copyfile(SMALL, copy)
    return copy


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def nvreport(monkeypatch: pytest.MonkeyPatch, capsys, *arguments) -> tuple[int, str, str]:
    """Run the command as the console script does: exit code, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["nvreport", *map(str, arguments)])
    capsys.readouterr()
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def state(output: Path) -> dict[str, tuple[int, int]]:
    """Each output file's inode and modification time: a file written anew changes them."""
    return {
        name: ((output / name).stat().st_ino, (output / name).stat().st_mtime_ns)
        for name in OUTPUTS
    }


def data_files(output: Path) -> dict[str, bytes]:
    return {name: (output / name).read_bytes() for name in runs.DATA_FILES}


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch):
    """Fail the test if the run reads, hashes, tags or restores anything."""

    def refuse(*args, **kwargs):
        raise AssertionError("the run did work although nothing had changed")

    def forbid() -> None:
        monkeypatch.setattr(runs, "gather_inputs", refuse)
        monkeypatch.setattr(runs, "analyse_folder", refuse)
        monkeypatch.setattr(runs.FinishedRuns, "restore", refuse)

    return forbid


def test_a_rerun_with_nothing_changed_prints_the_same_and_writes_nothing(
    reports: Path, taxonomy: Path, tmp_path: Path, monkeypatch, capsys, no_work
) -> None:
    output = tmp_path / "out"
    command = ["analyse", reports, "-o", output, "--taxonomy", taxonomy, "-j", "1"]
    first = nvreport(monkeypatch, capsys, *command)
    assert first[0] == 0
    assert KEPT not in first[1]
    assert "halsosamtal: 1 active, 0 planned" in first[1]
    assert "fasta_kontakter: 0 active, 1 planned" in first[1]
    before = state(output)
    no_work()
    again = nvreport(monkeypatch, capsys, *command)
    assert again[0] == first[0]
    assert again[2] == first[2]  # the same problems, on the same stream
    assert again[1] == first[1].replace(f"outputs in {output}", f"outputs in {output} ({KEPT})")
    assert state(output) == before  # not one file written again, run.json neither
    # the outputs are those of a first run of the same command elsewhere
    fresh = tmp_path / "fresh"
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-cache"))
    nvreport(monkeypatch, capsys, "analyse", reports, "-o", fresh, "--taxonomy", taxonomy)
    assert data_files(fresh) == data_files(output)


def test_a_rerun_keeps_the_exit_code_and_the_problems(
    reports: Path, tmp_path: Path, monkeypatch, capsys, no_work
) -> None:
    (reports / "trasig.pdf").write_bytes(b"%PDF-1.4 trasig")
    (reports / "arkiv.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    output = tmp_path / "out"
    command = ["analyse", reports, "-o", output, "--strict", "-q"]
    first = nvreport(monkeypatch, capsys, *command)
    assert first[0] == 1
    assert "trasig.pdf" in first[2] and "arkiv.zip" in first[2] and "--strict" in first[2]
    no_work()
    assert nvreport(monkeypatch, capsys, *command) == first


def _same_size_edit(reports: Path) -> None:
    path = reports / "Region Halland 2022.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("erbjuder", "planerar"), encoding="utf-8")  # 8 letters each


def _replaced_keeping_the_time(reports: Path) -> None:
    """Another file of the same size put in its place, its old times restored."""
    path = reports / "Region Halland 2022.txt"
    before = path.stat()
    other = reports.parent / "annan.txt"
    other.write_text(
        path.read_text(encoding="utf-8").replace("erbjuder", "planerar"), encoding="utf-8"
    )
    os.replace(other, path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


CHANGES = {
    "same-size edit": _same_size_edit,
    "replaced, old time kept": _replaced_keeping_the_time,
    "report added": lambda reports: (reports / "Region Dalarna 2022.txt").write_text(
        "Region Dalarna\n\nRegionen erbjuder hälsosamtal.\n", encoding="utf-8"
    ),
    "report removed": lambda reports: (reports / "Region Halland 2022.txt").unlink(),
}


@pytest.mark.parametrize("by", ["times", "content"])
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_input_does_the_run_again(
    reports: Path, taxonomy: Path, tmp_path: Path, monkeypatch, capsys, change: str, by: str
) -> None:
    """Found by the file's size, times and inode alone; and, for a file changed just
    before the run, by its content too."""
    if by == "times":
        monkeypatch.setattr(unchanged, "RACY_SECONDS", -60.0)  # no file is checked by content
    output = tmp_path / "out"
    command = ["analyse", reports, "-o", output, "--taxonomy", taxonomy, "-j", "1"]
    first = nvreport(monkeypatch, capsys, *command)
    assert "halsosamtal: 1 active, 0 planned" in first[1]
    CHANGES[change](reports)
    again = nvreport(monkeypatch, capsys, *command)
    assert KEPT not in again[1]
    expected = {
        "same-size edit": "halsosamtal: 0 active, 1 planned",
        "replaced, old time kept": "halsosamtal: 0 active, 1 planned",
        "report added": "halsosamtal: 2 active, 0 planned",
        "report removed": "halsosamtal: 0 active, 0 planned",
    }[change]
    assert expected in again[1]
    reports_now = len(list(reports.glob("*.txt")))
    assert f"{reports_now} reports," in again[1]
    # and the outputs are those of a first run on the changed folder
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-cache"))
    nvreport(
        monkeypatch, capsys, "analyse", reports, "-o", tmp_path / "fresh", "--taxonomy", taxonomy
    )
    assert data_files(tmp_path / "fresh") == data_files(output)


def test_a_changed_taxonomy_file_does_the_run_again(
    reports: Path, taxonomy: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    output = tmp_path / "out"
    command = ["analyse", reports, "-o", output, "--taxonomy", taxonomy, "-j", "1"]
    nvreport(monkeypatch, capsys, *command)
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(
        text.replace('version: "test-1"', 'version: "test-2"').replace(
            "terms: [hälsosamtal*]", "terms: [hälsosamtal*, mobila team]"
        ),
        encoding="utf-8",
    )
    again = nvreport(monkeypatch, capsys, *command)
    assert KEPT not in again[1]
    assert json.loads((output / "run.json").read_text())["taxonomy"]["version"] == "test-2"


@pytest.mark.parametrize("option", ["--strict", "--csv=rfc4180"])
def test_another_option_does_the_run_again(
    reports: Path, tmp_path: Path, monkeypatch, capsys, option: str
) -> None:
    output = tmp_path / "out"
    command = ["analyse", reports, "-o", output, "-j", "1"]
    nvreport(monkeypatch, capsys, *command)
    again = nvreport(monkeypatch, capsys, *command, option)
    assert KEPT not in again[1]
    recorded = json.loads((output / "run.json").read_text())["options"]
    if option == "--strict":
        assert recorded["strict"] is True  # run.json written again: its options changed
    else:
        assert recorded["csv"] == "rfc4180"
        assert (output / "documents.csv").read_text(encoding="utf-8-sig").startswith("file,")


@pytest.mark.parametrize("damage", ["deleted", "edited, same size", "run.json deleted"])
def test_a_damaged_output_folder_is_written_again(
    reports: Path, tmp_path: Path, monkeypatch, capsys, damage: str
) -> None:
    output = tmp_path / "out"
    command = ["analyse", reports, "-o", output, "-j", "1"]
    nvreport(monkeypatch, capsys, *command)
    expected = {name: (output / name).read_bytes() for name in OUTPUTS}
    if damage == "deleted":
        (output / "coverage.csv").unlink()
    elif damage == "run.json deleted":
        (output / "run.json").unlink()
    else:
        size = (output / "passages.csv").stat().st_size
        (output / "passages.csv").write_bytes(b"x" * size)
    again = nvreport(monkeypatch, capsys, *command)
    assert KEPT not in again[1]
    assert data_files(output) == {name: expected[name] for name in runs.DATA_FILES}
    written = json.loads((output / "run.json").read_text())
    assert written["counts"] == json.loads(expected["run.json"])["counts"]


def test_without_the_cache_nothing_is_kept_for_a_rerun(
    reports: Path, tmp_path: Path, monkeypatch, capsys, cache_home: Path
) -> None:
    command = ["analyse", reports, "-o", tmp_path / "out", "-j", "1", "--no-cache"]
    nvreport(monkeypatch, capsys, *command)
    again = nvreport(monkeypatch, capsys, *command)
    assert KEPT not in again[1]
    assert not (cache_home / "nvreport" / "reruns").exists()


def test_the_record_names_its_cache_folder(
    reports: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    """A record is found only in the cache folder the command uses."""
    cache = tmp_path / "eget-cache"
    command = ["analyse", reports, "-o", tmp_path / "out", "-j", "1", "--cache", cache]
    nvreport(monkeypatch, capsys, *command)
    assert len(list((cache / "reruns").glob("*.pickle"))) == 1
    assert KEPT in nvreport(monkeypatch, capsys, *command)[1]
    arguments = [str(argument) for argument in command[1:]]
    assert unchanged.find(["analyse", *arguments]) is not None
    shutil.rmtree(cache / "runs")  # the finished run is not needed to print the outcome
    assert KEPT in nvreport(monkeypatch, capsys, *command)[1]


def test_a_touched_report_is_hashed_again_and_the_same_outputs_are_kept(
    reports: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    """A report whose times changed but not its content (``touch``, a copy back from a
    backup) sends the run the ordinary way, which finds the same inputs: the kept run
    is the output folder's already, and no file is written."""
    output = tmp_path / "out"
    command = ["analyse", reports, "-o", output, "-j", "1"]
    first = nvreport(monkeypatch, capsys, *command)
    before = state(output)
    path = reports / "Flens kommun 2022.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))

    def refuse(*args, **kwargs):
        raise AssertionError("read again")

    monkeypatch.setattr(runs, "analyse_folder", refuse)
    again = nvreport(monkeypatch, capsys, *command)
    assert again[1] == first[1].replace(f"outputs in {output}", f"outputs in {output} ({KEPT})")
    assert state(output) == before
