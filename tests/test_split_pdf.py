"""A large PDF read by several workers, page range by page range, gives exactly what one
process reading it whole gives: passages, pages, tags, warnings and the cache's entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib import colors
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, Table, TableStyle

from builders import build_pdf
from nvreport.analysis import pool
from nvreport.analysis.document import (
    analyse_document,
    analyse_one,
    merge_shares,
    share_of,
    tag_share,
)
from nvreport.analysis.run import analyse_folder
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.ingest.readers.pdf import read_page_range, read_pdf
from nvreport.models import SourceFile
from nvreport.store.cache import Cache
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import load_taxonomy

STYLES = getSampleStyleSheet()
SENTENCES = [
    "Regionen har infört fasta vårdkontakter för patienter med stora och samansatta behov",
    "Mobila team inom hemsjukvården arbetar nu i samtliga kommuner i länet",
    "Hälsosamtal för 40-åringar planeras att införas under nästa år",
    "Arbetet med personcentrerad vård har fortsatt i primärvården",
    "Kommunerna och regionen har tecknat en gemensam överenskommelse om hemsjukvård",
    "Digitala vårdbesök erbjuds vid samtliga vårdcentraler sedan våren",
]


def report_story(pages: int) -> list:
    """Sections with headings, paragraphs long enough to run over page breaks, and a
    ruled table every few pages: what the reader puts together across pages."""
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    story: list = [Paragraph("Region Kronoberg – uppföljning av nära vård 2022", STYLES["Title"])]
    for number in range(pages):
        story.append(Paragraph(f"{number + 1} Avsnitt om omställningen", STYLES["Heading2"]))
        body = ". ".join(SENTENCES[(number + k) % len(SENTENCES)] for k in range(14)) + "."
        story.extend(Paragraph(body, STYLES["Normal"]) for _ in range(4))
        if number % 5 == 2:
            rows = [["Insats", "Plan", "Utfall"]] + [
                [f"Insats {row}", str(10 * row + number), str(9 * row)] for row in range(1, 5)
            ]
            story.append(Table(rows, style=grid))
        if number % 3 == 0:
            story.append(PageBreak())
    return story


@pytest.fixture(scope="module")
def large_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("large") / "2022"
    folder.mkdir()
    return build_pdf(folder / "region-kronoberg-2022.pdf", report_story(36))


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_pages_read_in_ranges_make_the_same_document(large_pdf: Path, parts: int) -> None:
    pages = [page for part in range(parts) for page in read_page_range(large_pdf, part, parts)]
    whole = read_pdf(large_pdf)
    assert whole.pages > 20
    assert read_pdf(large_pdf, pages) == whole


def test_shares_merge_into_what_one_process_gives(large_pdf: Path, tmp_path: Path) -> None:
    tagger, gazetteer = Tagger(load_taxonomy(None)), Gazetteer.load()
    source = SourceFile(large_pdf, large_pdf.name)
    root = large_pdf.parent
    one_cache, split_cache = Cache(tmp_path / "one"), Cache(tmp_path / "split")
    whole = analyse_one(source, root, gazetteer, tagger, {}, {}, one_cache)
    assert whole is not None
    digest = (whole[0].sha256, whole[0].size)
    pages = [page for part in range(3) for page in read_page_range(large_pdf, part, 3)]
    put_together = analyse_document(
        source, root, gazetteer, {}, {}, split_cache, digest, pages=pages
    )
    assert put_together is not None
    record, columns = put_together
    assert columns is not None
    numbers = [share_of(columns, part, 3) for part in range(3)]
    assert sorted(n for share in numbers for n in share) == [
        n for n, kind in enumerate(columns.kinds) if kind != "heading"
    ]
    shares = [
        tag_share(
            tagger,
            share,
            [columns.texts[n] for n in share],
            [columns.contexts[n] for n in share],
            record.meta.year,
        )
        for share in numbers
    ]
    merged = merge_shares(record, columns, shares, tagger, split_cache)
    assert merged[0] == whole[0]
    assert merged[1] is not None and whole[1] is not None
    assert merged[1].columns == whole[1].columns
    assert merged[1].matches == whole[1].matches
    assert merged[1].matches  # the report mentions themes
    assert merged[1].tags.dump() == whole[1].tags.dump()
    # the cache holds the same read, tokens and tags as after one process
    sha256, year = whole[0].sha256, whole[0].meta.year
    taxonomy = tagger.taxonomy.sha256
    version = tagger.tokenizer_version
    assert split_cache.get_read(sha256, ".pdf") == one_cache.get_read(sha256, ".pdf")
    assert split_cache.get_tokens(sha256, ".pdf", version) == one_cache.get_tokens(
        sha256, ".pdf", version
    )
    assert split_cache.get_tags(sha256, taxonomy, year) == one_cache.get_tags(
        sha256, taxonomy, year
    )


def _shared_documents(monkeypatch) -> list[str]:
    """Share any PDF, however small, and list the documents that get shared."""
    monkeypatch.setattr(pool, "SPLIT_MIN_BYTES", 1)
    scheduled: list[str] = []
    original = pool._Split.__init__

    def counted(self, *arguments, **options):
        scheduled.append(arguments[1][0].relpath)
        original(self, *arguments, **options)

    monkeypatch.setattr(pool._Split, "__init__", counted)
    return scheduled


def test_a_folder_with_a_large_pdf_gives_the_same_with_every_core(
    large_pdf: Path, tmp_path: Path, monkeypatch
) -> None:
    """Three workers share the large PDF (and a damaged one is recorded as one worker
    records it); the results equal one worker's."""
    folder = large_pdf.parent
    (folder / "region-halland-2022.pdf").write_bytes(b"%PDF-1.7\n" + b"\0trasig" * 40_000)
    tagger, gazetteer = Tagger(load_taxonomy(None)), Gazetteer.load()
    one = analyse_folder(folder, gazetteer, tagger, jobs=1)
    scheduled = _shared_documents(monkeypatch)
    cache = tmp_path / "cache"
    shared = analyse_folder(folder, gazetteer, tagger, jobs=3, cache_dir=cache)
    assert sorted(scheduled) == ["region-halland-2022.pdf", "region-kronoberg-2022.pdf"]
    assert [(r.source.relpath, r.status, r.message, r.pages) for r in shared.documents] == [
        (r.source.relpath, r.status, r.message, r.pages) for r in one.documents
    ]
    assert "damaged" in shared.documents[0].message
    assert shared.passages_frame().equals(one.passages_frame())
    assert list(shared.matches) == list(one.matches)
    # again from the cache the split run kept: the same, and nothing is split
    scheduled.clear()
    again = analyse_folder(folder, gazetteer, tagger, jobs=3, cache_dir=cache)
    assert scheduled == []
    assert again.passages_frame().equals(one.passages_frame())
    assert list(again.matches) == list(one.matches)


def test_only_the_last_documents_are_shared(large_pdf: Path, tmp_path: Path, monkeypatch) -> None:
    """Sharing costs work: documents that keep every worker busy are read whole, and
    only those left when there are fewer than workers are shared."""
    folder = tmp_path / "2022"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"region-{name}-2022.pdf").write_bytes(large_pdf.read_bytes() + name.encode())
    scheduled = _shared_documents(monkeypatch)
    tagger, gazetteer = Tagger(load_taxonomy(None)), Gazetteer.load()
    result = analyse_folder(folder, gazetteer, tagger, jobs=2)
    assert scheduled == ["region-c-2022.pdf"]
    assert [record.status.value for record in result.documents] == ["ok", "ok", "ok"]


def test_a_large_first_document_is_shared_too(large_pdf: Path, tmp_path: Path, monkeypatch) -> None:
    """A document larger than the workers' average share of what is left would keep
    one worker busy long after the other is done: it is shared, wherever it stands,
    and the results are one worker's."""
    folder = tmp_path / "2022"
    folder.mkdir()
    (folder / "region-a-2022.pdf").write_bytes(large_pdf.read_bytes())
    small = build_pdf(tmp_path / "small.pdf", report_story(2)).read_bytes()
    for name in ("b", "c", "d"):
        (folder / f"region-{name}-2022.pdf").write_bytes(small + name.encode())
    assert (folder / "region-a-2022.pdf").stat().st_size > 3 * len(small)
    tagger, gazetteer = Tagger(load_taxonomy(None)), Gazetteer.load()
    one = analyse_folder(folder, gazetteer, tagger, jobs=1)
    scheduled = _shared_documents(monkeypatch)
    shared = analyse_folder(folder, gazetteer, tagger, jobs=2)
    assert scheduled == ["region-a-2022.pdf", "region-d-2022.pdf"]
    assert shared.passages_frame().equals(one.passages_frame())
    assert list(shared.matches) == list(one.matches)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_caller_hears_once_when_workers_have_started(large_pdf: Path, jobs: int) -> None:
    """``on_workers`` comes once, before the first result, when worker processes read
    (the command line then loads its writers while they work); never without them."""
    heard: list[str] = []
    analyse_folder(
        large_pdf.parent,
        Gazetteer.load(),
        Tagger(load_taxonomy(None)),
        jobs=jobs,
        on_workers=lambda: heard.append("workers"),
        on_document=lambda record: heard.append(record.source.relpath),
    )
    documents = sorted(path.name for path in large_pdf.parent.glob("*.pdf"))
    assert heard == (["workers"] if jobs > 1 else []) + documents


def _fails_to_put_together(task, ranges):
    raise RuntimeError("the pages would not go together")


def _fails_to_tag(numbers, texts, contexts, year):
    raise RuntimeError("the share would not tag")


def test_a_shared_pdf_that_cannot_be_put_together_is_read_whole(
    large_pdf: Path, monkeypatch
) -> None:
    """Should putting the pages together fail, one worker reads the document whole,
    and the run records what one worker would have."""
    tagger, gazetteer = Tagger(load_taxonomy(None)), Gazetteer.load()
    one = analyse_folder(large_pdf.parent, gazetteer, tagger, jobs=1)
    scheduled = _shared_documents(monkeypatch)
    monkeypatch.setattr(pool, "_work_assemble", _fails_to_put_together)
    shared = analyse_folder(large_pdf.parent, gazetteer, tagger, jobs=2)
    assert large_pdf.name in scheduled
    assert [(r.source.relpath, r.status, r.message) for r in shared.documents] == [
        (r.source.relpath, r.status, r.message) for r in one.documents
    ]
    assert shared.passages_frame().equals(one.passages_frame())
    assert list(shared.matches) == list(one.matches)


def test_a_share_that_fails_is_recorded_and_the_run_goes_on(large_pdf: Path, monkeypatch) -> None:
    tagger, gazetteer = Tagger(load_taxonomy(None)), Gazetteer.load()
    _shared_documents(monkeypatch)
    monkeypatch.setattr(pool, "_work_share", _fails_to_tag)
    shared = analyse_folder(large_pdf.parent, gazetteer, tagger, jobs=2)
    record = next(r for r in shared.documents if r.source.relpath == large_pdf.name)
    assert record.status.value == "error"
    assert "RuntimeError: the share would not tag" in record.message
