"""The cache: a re-run reads nothing twice, a taxonomy change re-tags without
re-reading, a changed file is read again, and the outputs never change."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from builders import BODY, TITLE, Paragraph, build_pdf
from nvreport.analysis.run import analyse_folder
from nvreport.bundled import bundled_folder
from nvreport.ingest import readers
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.store.cache import Cache, default_cache_dir, package_fingerprint
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import load_taxonomy
from output_csv import read_rows

SMALL = Path(__file__).parent / "fixtures" / "taxonomies" / "small.yaml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    reports = tmp_path / "2022"
    reports.mkdir()
    build_pdf(
        reports / "Region Halland 2022.pdf",
        [Paragraph("Region Halland", TITLE), Paragraph("Regionen erbjuder hälsosamtal.", BODY)],
        header="",
    )
    (reports / "Flens kommun 2022.txt").write_text(
        "Flens kommun\n\nKommunen planerar mobila team.\n", encoding="utf-8"
    )
    (reports / "trasig.pdf").write_bytes(b"%PDF-1.4 trasig")
    return reports


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the calls to every reader."""
    calls = {suffix: 0 for suffix in readers.READERS}
    for suffix, reader in list(readers.READERS.items()):

        def counting(path, reader=reader, suffix=suffix):
            calls[suffix] += 1
            return reader(path)

        monkeypatch.setitem(readers.READERS, suffix, counting)
    return calls


def analyse(folder: Path, cache: Path | None, taxonomy: Path = SMALL):
    return analyse_folder(
        folder, Gazetteer.load(), Tagger(load_taxonomy(taxonomy)), cache_dir=cache
    )


def test_second_run_reads_nothing_and_gives_the_same_result(folder, tmp_path, counted) -> None:
    first = analyse(folder, tmp_path / "cache")
    assert counted[".pdf"] == 2 and counted[".txt"] == 1
    second = analyse(folder, tmp_path / "cache")
    assert counted[".pdf"] == 2 and counted[".txt"] == 1  # nothing read again
    assert second.passages_frame().equals(first.passages_frame())
    assert second.documents_frame().equals(first.documents_frame())
    statuses = {r.source.relpath: (r.status.value, r.message) for r in second.documents}
    assert statuses["trasig.pdf"][0] == "error"
    assert "damaged" in statuses["trasig.pdf"][1]  # the failure is remembered too


def test_taxonomy_change_retags_without_rereading(folder, tmp_path, counted) -> None:
    first = analyse(folder, tmp_path / "cache")
    assert any("halsosamtal" in themes for themes in first.passages_frame()["themes"])
    changed = tmp_path / "ny.yaml"
    changed.write_text(
        SMALL.read_text("utf-8").replace("terms: [hälsosamtal*]", "terms: [hälsokontroll*]"),
        encoding="utf-8",
    )
    again = analyse(folder, tmp_path / "cache", changed)
    assert counted[".pdf"] == 2  # not read again
    assert not any("halsosamtal" in themes for themes in again.passages_frame()["themes"])


def test_taxonomy_change_retags_without_tokenising_again(folder, tmp_path, monkeypatch) -> None:
    tokenised: list[str] = []
    tokenize = Tagger.tokenize

    def counting(self, texts):
        tokenised.extend(texts)
        return tokenize(self, texts)

    monkeypatch.setattr(Tagger, "tokenize", counting)
    analyse(folder, tmp_path / "cache")
    assert "Regionen erbjuder hälsosamtal." in tokenised
    tokenised.clear()
    changed = tmp_path / "ny.yaml"
    changed.write_text(
        SMALL.read_text("utf-8").replace("terms: [hälsosamtal*]", "terms: [hälsokontroll*]"),
        encoding="utf-8",
    )
    again = analyse(folder, tmp_path / "cache", changed)
    assert tokenised == []  # the tokens came from the cache
    fresh = analyse(folder, None, changed)
    assert again.passages_frame().equals(fresh.passages_frame())
    assert list(again.matches) == list(fresh.matches)


def test_tokens_of_another_text_are_not_used(tmp_path) -> None:
    from nvreport.analysis.document import _pack_tokens, _unpack_tokens

    tagger = Tagger(load_taxonomy(SMALL))
    texts = ["Regionen erbjuder hälsosamtal.", "Kommunen planerar mobila team."]
    packed = _pack_tokens(tagger.tokenize(texts))
    assert _unpack_tokens(packed, texts) == tagger.tokenize(texts)
    assert _unpack_tokens(packed, texts[:1]) is None  # another passage count
    assert _unpack_tokens(packed, ["Kort.", "Text."]) is None  # tokens beyond the text
    assert _unpack_tokens(("något", "annat"), texts) is None


def test_a_failure_whose_cause_may_not_recur_is_not_kept(folder, tmp_path, monkeypatch) -> None:
    """Memory that ran out (a worker's --memory-limit, say) is no property of the
    file: with more memory, the next run reads it."""
    read_text = readers.READERS[".txt"]

    def out_of_memory(path):
        raise MemoryError

    monkeypatch.setitem(readers.READERS, ".txt", out_of_memory)
    first = analyse(folder, tmp_path / "cache")
    (failed,) = [r for r in first.documents if r.source.relpath == "Flens kommun 2022.txt"]
    assert failed.message == "too large to read in memory" and failed.retry
    monkeypatch.setitem(readers.READERS, ".txt", read_text)
    again = analyse(folder, tmp_path / "cache")
    (read,) = [r for r in again.documents if r.source.relpath == "Flens kommun 2022.txt"]
    assert read.status.value == "ok" and read.passages > 0


def test_changed_file_is_read_again(folder, tmp_path, counted) -> None:
    analyse(folder, tmp_path / "cache")
    (folder / "Flens kommun 2022.txt").write_text(
        "Flens kommun\n\nKommunen erbjuder mobila team.\n", encoding="utf-8"
    )
    again = analyse(folder, tmp_path / "cache")
    assert counted[".txt"] == 2
    texts = again.passages_frame()["text"].tolist()
    assert "Kommunen erbjuder mobila team." in texts


def test_no_cache_reads_everything(folder, counted) -> None:
    analyse(folder, None)
    analyse(folder, None)
    assert counted[".txt"] == 2


def test_default_place_follows_xdg_cache_home(isolated_cache: Path) -> None:
    assert default_cache_dir() == isolated_cache
    Cache(default_cache_dir()).close()
    assert (isolated_cache / "cache.sqlite3").is_file()


def test_a_run_served_from_the_cache_starts_no_worker(folder, tmp_path, monkeypatch) -> None:
    """Everything cached: the parent takes it from the cache; no pool, nothing read."""
    from nvreport.analysis import document, pool

    first = analyse_folder(
        folder, Gazetteer.load(), Tagger(load_taxonomy(SMALL)), jobs=2, cache_dir=tmp_path / "c"
    )

    def no_pool(*_args, **_kwargs):
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(pool, "ProcessPool", no_pool)
    monkeypatch.setattr(document, "read_document", no_pool)
    second = analyse_folder(
        folder, Gazetteer.load(), Tagger(load_taxonomy(SMALL)), jobs=2, cache_dir=tmp_path / "c"
    )
    assert second.passages_frame().equals(first.passages_frame())
    assert second.documents_frame().equals(first.documents_frame())
    assert [list(m) for m in second.matches] == [list(m) for m in first.matches]


def test_outputs_are_the_same_cold_warm_and_without_cache(folder, tmp_path) -> None:
    from nvreport.outputs.tables import write_analysis

    names = ("passages.csv", "passages.parquet", "documents.csv", "themes_by_actor.csv")
    written = {}
    for label, cache, jobs in (
        ("none", None, 1),
        ("cold", tmp_path / "c", 2),
        ("warm", tmp_path / "c", 1),
        ("warm2", tmp_path / "c", 2),
    ):
        analysis = analyse_folder(
            folder, Gazetteer.load(), Tagger(load_taxonomy(SMALL)), jobs=jobs, cache_dir=cache
        )
        write_analysis(analysis, tmp_path / label, {})
        written[label] = {name: (tmp_path / label / name).read_bytes() for name in names}
    assert written["cold"] == written["none"] == written["warm"] == written["warm2"]


def test_another_nvreport_reads_and_tags_again(folder, tmp_path, counted, monkeypatch) -> None:
    """Entries are keyed by nvreport's code: another code serves nothing stale."""
    from nvreport.store import cache as cache_module

    analyse(folder, tmp_path / "cache")
    assert counted[".txt"] == 1
    calls = []
    original = Tagger.tag_rows

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Tagger, "tag_rows", counting)
    analyse(folder, tmp_path / "cache")
    assert counted[".txt"] == 1 and not calls  # served from the cache
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another nvreport")
    analyse(folder, tmp_path / "cache")
    assert counted[".txt"] == 2 and calls  # read and tagged again


def copy_of_nvreport(target: Path) -> Path:
    """A copy of the installed nvreport package in ``target``/nvreport."""
    source = Path(str(resources.files("nvreport")))
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(source, target / "nvreport", ignore=ignore)
    shipped = {"templates": "story.md.j2", "taxonomies": "nara-vard.yaml"}
    for name, probe in shipped.items():  # laid out as installed, when run from a checkout
        if not (target / "nvreport" / name).exists():
            folder = bundled_folder(name, probe)
            shutil.copytree(folder, target / "nvreport" / name, ignore=ignore)
    return target / "nvreport"


def test_the_fingerprint_follows_every_file_of_the_package(tmp_path) -> None:
    package = copy_of_nvreport(tmp_path)
    before = package_fingerprint(package)
    assert package_fingerprint(package) == before
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "cli.cpython-311.pyc").write_bytes(b"bytecode")
    assert package_fingerprint(package) == before  # bytecode is not code
    reader = package / "ingest" / "readers" / "text.py"
    reader.write_text(reader.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    edited = package_fingerprint(package)
    assert edited != before
    data = next((package / "data" / "gazetteer").iterdir())
    data.write_bytes(data.read_bytes() + b"\n")
    assert package_fingerprint(package) not in (before, edited)


def test_an_upgraded_reader_is_not_served_old_reads(tmp_path) -> None:
    """What an earlier nvreport read is not served after its reader changed, though
    the version number stayed: a copy of nvreport is run, its text reader changed,
    and run again on the same cache."""
    reports = tmp_path / "2022"
    reports.mkdir()
    (reports / "Flens kommun 2022.txt").write_text(
        "Flens kommun\n\nKommunen erbjuder hälsosamtal.\n", encoding="utf-8"
    )
    package = copy_of_nvreport(tmp_path / "code")
    environment = {**os.environ, "PYTHONPATH": str(tmp_path / "code")}

    def passages(label: str) -> list[str]:
        out = tmp_path / label
        command = [sys.executable, "-m", "nvreport", "analyse", str(reports), "-o", str(out)]
        done = subprocess.run(
            [*command, "--cache", str(tmp_path / "cache"), "--jobs", "1", "--taxonomy", str(SMALL)],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return [row["text"] for row in read_rows(out / "passages.csv")]

    assert "Kommunen erbjuder hälsosamtal." in passages("first")
    reader = package / "ingest" / "readers" / "text.py"
    reader.write_text(
        reader.read_text(encoding="utf-8").replace(
            "def read_text(path: Path) -> ReadResult:",
            "def read_text(path: Path) -> ReadResult:\n    return _upgraded(path)\n\n\n"
            "def _old_read_text(path: Path) -> ReadResult:",
        )
        + "\n\ndef _upgraded(path):\n"
        "    import dataclasses\n\n"
        "    found = _old_read_text(path)\n"
        "    blocks = tuple(\n"
        "        dataclasses.replace(block, text=block.text.replace('erbjuder', 'ERBJUDER'))\n"
        "        for block in found.blocks\n"
        "    )\n"
        "    return dataclasses.replace(found, blocks=blocks)\n",
        encoding="utf-8",
    )
    assert "Kommunen ERBJUDER hälsosamtal." in passages("second")


class _FullDisk:
    """An SQLite connection on a full disk: it opens and reads, but cannot write."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.lstrip().startswith("insert"):
            raise sqlite3.OperationalError("database or disk is full")
        return self._connection.execute(sql, *args)

    def executescript(self, sql: str) -> Any:
        return self._connection.executescript(sql)

    def close(self) -> None:
        self._connection.close()


def test_a_full_cache_disk_is_told_once_and_the_run_goes_on(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache is an optimisation: when it cannot be written (a full disk), no
    report becomes an error; the cache says why, once, and stops trying."""
    connect = sqlite3.connect
    monkeypatch.setattr(
        "nvreport.store.cache.sqlite3.connect",
        lambda *args, **kwargs: _FullDisk(connect(*args, **kwargs)),
    )
    cache = Cache(tmp_path / "cache")
    cache.put_read("a" * 64, ".pdf", ("något",))
    cache.put_read("b" * 64, ".pdf", ("annat",))
    assert cache.problem is not None
    assert "could not be written (database or disk is full)" in cache.problem
    assert cache.get_read("a" * 64, ".pdf") is None
    cache.close()

    analysis = analyse(folder, tmp_path / "cache")
    statuses = {record.source.relpath: record.status.value for record in analysis.documents}
    assert statuses["Region Halland 2022.pdf"] == "ok"
    assert "error" not in {status for name, status in statuses.items() if name != "trasig.pdf"}
    # said once, in the run's notes (the terminal and run.json show them)
    assert [note for note in analysis.notes if "cache" in note] == [
        f"the cache in {tmp_path / 'cache'} could not be written (database or disk is full); "
        "nvreport went on without it, so the next run reads everything again"
    ]


def test_a_cache_folder_that_cannot_be_made_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "fil"
    blocked.write_text("en fil, ingen mapp\n", encoding="utf-8")
    cache = Cache(blocked / "cache")  # a folder inside a file
    assert cache.problem is not None and "could not be opened" in cache.problem
    assert cache.get_read("a" * 64, ".pdf") is None
    cache.put_read("a" * 64, ".pdf", ("något",))
    cache.close()
