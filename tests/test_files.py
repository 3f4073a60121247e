"""Outputs written whole: what a killed run leaves behind is cleaned up next time."""

from __future__ import annotations

import os
import time
from pathlib import Path

from nvreport.store.files import (
    STALE_AFTER,
    atomic_write,
    remove_stale_temporaries,
    written_together,
)


def _left_behind(folder: Path, name: str, age: float) -> Path:
    """A temporary as a run killed with ``kill -9`` leaves it, ``age`` seconds old."""
    path = folder / f".{name}.k9x2m4qz.tmp"
    path.write_bytes(b"half a file")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_the_next_run_removes_what_a_killed_run_left(tmp_path: Path) -> None:
    stale = _left_behind(tmp_path, "passages.parquet", STALE_AFTER + 60)
    fresh = _left_behind(tmp_path, "documents.csv", 5)  # a run writing right now
    mine = tmp_path / ".mitt.txt.tmp"  # not a name of ours: the user's
    mine.write_text("egen fil\n", encoding="utf-8")
    with written_together(tmp_path) as stage:
        stage("run.json").write_text("{}\n", encoding="utf-8")
    assert not stale.exists()
    assert fresh.exists() and mine.exists()
    assert (tmp_path / "run.json").read_text(encoding="utf-8") == "{}\n"


def test_a_single_output_cleans_up_too(tmp_path: Path) -> None:
    stale = _left_behind(tmp_path, "comparison.json", STALE_AFTER + 1)
    atomic_write(tmp_path / "story.md", lambda path: path.write_text("# Berättelse\n"))
    assert not stale.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["story.md"]


def test_removed_names_are_returned(tmp_path: Path) -> None:
    _left_behind(tmp_path, "passages.csv", STALE_AFTER + 1)
    assert remove_stale_temporaries(tmp_path) == [".passages.csv.k9x2m4qz.tmp"]
    assert remove_stale_temporaries(tmp_path / "finns-inte") == []
