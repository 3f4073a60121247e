"""The compact form an analysis is kept in (per document columns and match rows)
gives exactly what one object per passage and per match gives."""

from __future__ import annotations

import dataclasses
import random
import re
import unicodedata
from pathlib import Path

import pytest

from nvreport.analysis.aggregate import coverage, themes_by_document
from nvreport.analysis.run import analyse_folder
from nvreport.analysis.tables import passage_table
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.ingest.normalize import _SPACES, _TRANSLATE, normalize_text
from nvreport.store.parts import PartStore
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import load_taxonomy

SAMPLES = Path(__file__).parents[1] / "samples" / "2022"


@pytest.fixture(scope="module")
def analysis():
    return analyse_folder(SAMPLES, Gazetteer.load(), Tagger(load_taxonomy(None)))


def test_lists_built_from_the_parts_match_the_tables(analysis) -> None:
    table = passage_table(analysis)
    assert len(analysis.passages) == len(table["text"]) == len(analysis.matches)
    assert [p.text for p in analysis.passages] == table["text"]
    assert [p.index for p in analysis.passages] == list(table["index"])
    assert sum(len(found) for found in analysis.matches) > 0


def test_replaced_matches_are_what_the_aggregates_use(analysis) -> None:
    """taxonomy diff replaces an analysis's matches: the aggregates must follow."""
    same = dataclasses.replace(analysis, matches=[list(m) for m in analysis.matches])
    assert themes_by_document(same).equals(themes_by_document(analysis))
    assert coverage(same, themes_by_document(same)).equals(
        coverage(analysis, themes_by_document(analysis))
    )
    assert same.passages_frame().equals(analysis.passages_frame())
    dropped = dataclasses.replace(analysis, matches=[[] for _ in analysis.matches])
    assert set(themes_by_document(dropped)["status"]) == {"none"}
    assert not any(dropped.passages_frame()["themes"])


def test_untagged_analysis_has_no_matches_and_empty_tags() -> None:
    untagged = analyse_folder(SAMPLES, Gazetteer.load())
    assert untagged.matches == []
    frame = untagged.passages_frame()
    assert len(frame) == len(untagged.passages) > 0
    assert set(frame["themes"]) == {""}


def _normalize_by_definition(text: str) -> str:
    text = unicodedata.normalize("NFC", text.translate(_TRANSLATE))
    return _SPACES.sub(" ", text).strip()


def test_fast_normalisation_is_the_definition() -> None:
    rng = random.Random(7)
    alphabet = (
        "ab åäöÅ\t\n\u00a0\u2003\u200b\u00ad\ufb01\ufb03\uf0b7\u25cf\ufffe\u0301e\u0308\u3000"
    )
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert normalize_text(text) == _normalize_by_definition(text), repr(text)
    assert re.fullmatch(r"\S(?:.*\S)?|", normalize_text(" \u00a0 x \u2003 "))


def test_the_parts_are_kept_on_disk_and_read_back_whole(analysis) -> None:
    store = analysis.passages.parts
    assert isinstance(store, PartStore)
    assert store.passage_count == len(analysis.passages) == sum(part.columns.size for part in store)
    copy = PartStore()
    for part in store:
        copy.append(part)
    assert list(copy) == list(store)
    # two readers side by side do not disturb each other
    pairs = list(zip(copy, reversed([copy[n] for n in range(len(copy))]), strict=True))
    assert [a for a, _ in pairs] == list(store)
    copy.close()


def test_parquet_is_written_a_row_group_at_a_time(tmp_path: Path, monkeypatch) -> None:
    import pyarrow.parquet as pq

    from nvreport.outputs import tables as outputs

    monkeypatch.setattr(outputs, "ROW_GROUP_ROWS", 50)
    tagger = Tagger(load_taxonomy(None))
    written = []
    for jobs in (1, 2):
        result = analyse_folder(SAMPLES, Gazetteer.load(), tagger, jobs=jobs)
        outputs.write_analysis(result, tmp_path / str(jobs), {})
        written.append((tmp_path / str(jobs) / "passages.parquet").read_bytes())
    assert written[0] == written[1]
    parquet = pq.ParquetFile(tmp_path / "1" / "passages.parquet")
    assert parquet.metadata.num_row_groups > 5
    table = parquet.read().to_pandas()
    assert list(table["text"]) == passage_table(result)["text"]
    assert list(table["doc_id"]) == passage_table(result)["doc_id"]


def test_spawned_workers_give_what_forked_ones_do(monkeypatch) -> None:
    """On macOS and Windows the workers are spawned, not forked: they get the tagger
    and gazetteer pickled and load spaCy themselves. Same results."""
    import types

    import nvreport.analysis.pool as pool

    samples = Path(__file__).parents[1] / "samples" / "2022"
    tagger, gazetteer = Tagger(load_taxonomy(None)), Gazetteer.load()
    forked = analyse_folder(samples, gazetteer, tagger, jobs=2)
    monkeypatch.setattr(pool, "sys", types.SimpleNamespace(platform="darwin"))
    spawned = analyse_folder(samples, gazetteer, tagger, jobs=2)
    assert [record.status for record in spawned.documents] == [
        record.status for record in forked.documents
    ]
    assert spawned.passages_frame().equals(forked.passages_frame())
    assert list(spawned.matches) == list(forked.matches)


def test_one_isolated_job_keeps_the_time_limit(tmp_path, monkeypatch) -> None:
    """--jobs 1 on the command line reads in one worker process, so a report that
    hangs the reader is stopped by the time limit like in the pool, and the run
    goes on with the rest."""
    import time as clock

    from nvreport.analysis.run import analyse_folder
    from nvreport.ingest import readers
    from nvreport.ingest.gazetteer import Gazetteer

    reports = tmp_path / "2022"
    reports.mkdir()
    (reports / "Region Halland 2022.txt").write_text(
        "Region Halland\n\nRegionen erbjuder hälsosamtal.\n", encoding="utf-8"
    )
    (reports / "Region Gotland 2022.md").write_text("# Region Gotland\n", encoding="utf-8")

    def hangs(path):
        clock.sleep(60)

    monkeypatch.setitem(readers.READERS, ".md", hangs)
    analysis = analyse_folder(
        reports, Gazetteer.load(), jobs=1, isolate=True, time_limit=2, cache_dir=None
    )
    statuses = {record.source.relpath: record for record in analysis.documents}
    assert statuses["Region Halland 2022.txt"].status.value == "ok"
    stopped = statuses["Region Gotland 2022.md"]
    assert stopped.status.value == "error"
    assert "took longer than 2 s" in stopped.message
