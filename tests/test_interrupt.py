"""Ctrl-C in the middle of ``nvreport analyse``: a short message and exit code 130,
the previous outputs untouched, the cache whole, and the next run picks up where
the interrupted one stopped and writes the same outputs as a run never stopped.

The command runs as a user runs it, in its own process group, and the interrupt is
sent to the whole group, as a terminal sends Ctrl-C, so worker processes get it too.
Nothing here depends on timing: the interrupt is sent once the cache shows that the
run is under way, and every wait has a generous limit.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nvreport.errors import ExitCode

REPORTS = 16  # enough that the run takes seconds, so it is caught in the middle
EARLIER = 3  # reports in the folder at the earlier, complete run
WORDS = 10_000  # per report
OUTPUTS = ("passages.csv", "passages.parquet", "documents.csv", "themes_by_actor.csv")
OUTPUTS += ("coverage.csv",)  # run.json holds times, so it differs between any two runs
REGIONS = ("Region Skåne", "Region Halland", "Region Kronoberg", "Region Dalarna")
SUBJECTS = ("Regionen", "Vårdcentralen i {ort}", "Primärvården", "Förvaltningen")
VERBS = ("har infört", "planerar att införa", "erbjuder", "har ännu inte påbörjat")
OBJECTS = (
    "fast vårdkontakt för patienter med kroniska sjukdomar",
    "patientkontrakt för personer med stora vårdbehov",
    "mobila team som besöker sköra äldre i hemmet",
    "riktade hälsosamtal för invånare som fyller 40 år",
    "digitala vårdmöten och chatt via 1177",
    "lokaler och fastighetsunderhåll i {ort}",
)
PLACES = ("Växjö", "Ljungby", "Kiruna", "Ystad", "Borås")


def report_text(number: int) -> str:
    rng = random.Random(number)
    region = REGIONS[number % len(REGIONS)]
    paragraphs, words = [region, "Helårsredovisning 2022"], 0
    while words < WORDS:
        sentences = [
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}. "
            f"Insats nr {rng.randint(1, 9999)} omfattar projekt {rng.randint(1, 500)}."
            for _ in range(rng.randint(1, 4))
        ]
        paragraph = " ".join(sentences).format(ort=rng.choice(PLACES))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    return "\n\n".join(paragraphs) + "\n"


def report_name(number: int) -> str:
    return f"{REGIONS[number % len(REGIONS)]} 2022 del {number + 1:02d}.txt"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rapporter")
    for number in range(REPORTS):
        (folder / report_name(number)).write_text(report_text(number), encoding="utf-8")
    return folder


def nvreport(*args: object, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "nvreport", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def uninterrupted(reports: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hela")
    nvreport("analyse", reports, "-o", out, "--no-cache", "--jobs", "1", "-q")
    return out


def cached_reads(cache: Path) -> int:
    """Documents read into the cache so far (0 while the database is not there yet)."""
    try:
        with contextlib.closing(
            sqlite3.connect(f"file:{cache / 'cache.sqlite3'}?mode=ro", uri=True)
        ) as db:
            return db.execute("select count(*) from reads").fetchone()[0]
    except sqlite3.Error:
        return 0


def opened(cache: Path) -> contextlib.closing[sqlite3.Connection]:
    return contextlib.closing(sqlite3.connect(cache / "cache.sqlite3", isolation_level=None))


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_keeps_the_outputs_and_the_next_run_picks_up(
    jobs: str, reports: Path, uninterrupted: Path, tmp_path: Path
) -> None:
    folder, out, cache = tmp_path / "2022", tmp_path / "ut", tmp_path / "cache"
    folder.mkdir()
    names = [report_name(number) for number in range(REPORTS)]
    for name in names[:EARLIER]:
        shutil.copy(reports / name, folder / name)
    nvreport("analyse", folder, "-o", out, "--no-cache", "-q")  # last week's outputs
    earlier = files_in(out)
    for name in names[EARLIER:]:
        shutil.copy(reports / name, folder / name)

    command = [sys.executable, "-m", "nvreport", "analyse", str(folder), "-o", str(out)]
    command += ["--cache", str(cache), "--jobs", jobs, "-q"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a command in a terminal
    )
    try:
        deadline = time.monotonic() + 300
        while cached_reads(cache) < 2 and process.poll() is None:
            assert time.monotonic() < deadline, "the run did not get under way"
            time.sleep(0.05)
        assert process.poll() is None, "the run ended before it could be interrupted"
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C
        stdout, stderr = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    assert process.returncode == ExitCode.INTERRUPTED, stderr
    assert stderr == "nvreport: interrupted; earlier outputs are left as they were\n"
    assert stdout == ""
    assert files_in(out) == earlier  # byte for byte, and no temporary file left behind

    with opened(cache) as db:
        assert db.execute("pragma integrity_check").fetchall() == [("ok",)]
        done = db.execute("select count(*) from reads").fetchone()[0]
        # the run stopped at the interrupt instead of finishing the documents first
        assert 2 <= done < REPORTS
        # count what the next run reads: every read is written to the cache
        db.execute("create table fresh_reads (key text)")
        db.execute(
            "create trigger count_reads after insert on reads "
            "begin insert into fresh_reads values (new.key); end"
        )

    again = nvreport("analyse", folder, "-o", out, "--cache", cache, "--jobs", jobs, "-q")
    assert again.stderr == ""
    with opened(cache) as db:
        assert db.execute("pragma integrity_check").fetchall() == [("ok",)]
        assert db.execute("select count(*) from reads").fetchone()[0] == REPORTS
        # only what the interrupted run had not read is read now
        assert db.execute("select count(*) from fresh_reads").fetchone()[0] == REPORTS - done
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (uninterrupted / name).read_bytes(), name


def test_an_interrupt_while_writing_leaves_every_previous_output(
    reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outputs are moved into place together: an interrupt after some are
    written, before the last, leaves all of them as they were."""
    from typer.testing import CliRunner

    from nvreport.cli.commands import app
    from nvreport.outputs import tables as outputs

    folder, out = tmp_path / "2022", tmp_path / "ut"
    folder.mkdir()
    shutil.copy(reports / report_name(0), folder / report_name(0))
    runner = CliRunner()
    assert runner.invoke(app, ["analyse", str(folder), "-o", str(out), "-q"]).exit_code == 0
    earlier = files_in(out)
    shutil.copy(reports / report_name(1), folder / report_name(1))

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt  # as Ctrl-C while run.json, the last output, is made

    monkeypatch.setattr(outputs, "run_record", interrupted)
    result = runner.invoke(app, ["analyse", str(folder), "-o", str(out), "-q"])
    assert result.exit_code == ExitCode.INTERRUPTED
    assert "interrupted; earlier outputs are left as they were" in result.stderr
    assert files_in(out) == earlier  # byte for byte, and no temporary file left behind
