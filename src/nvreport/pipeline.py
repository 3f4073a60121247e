"""The analyse pipeline: discover -> read -> metadata -> passages, one document at a time.

:func:`analyse_folder` is what ``nvreport analyse`` calls; it never raises for a bad
file: every input ends up as a :class:`~nvreport.models.DocumentRecord` with a status
and a message, and the run goes on with the rest.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from pebble import ProcessExpired, ProcessPool

from nvreport.cache import Cache
from nvreport.discover import discover_reports
from nvreport.errors import UnreadableDocumentError
from nvreport.gazetteer import Gazetteer
from nvreport.metadata import infer_metadata, read_manifest
from nvreport.models import (
    Block,
    BlockKind,
    DocumentMeta,
    DocumentRecord,
    DocumentStatus,
    Passage,
    ReadResult,
    SourceFile,
)
from nvreport.passages import split_passages
from nvreport.readers import READERS
from nvreport.tag import Match, Tagger, passage_themes
from nvreport.taxonomy import THEME, Taxonomy

#: Columns of the passages table (``passages.csv`` / ``passages.parquet``), in order.
PASSAGE_COLUMNS = (
    "doc_id",
    "file",
    "actor",
    "actor_type",
    "lan",
    "year",
    "page",
    "section",
    "index",
    "kind",
    "text",
    "context",
    "word_count",
    "themes",
    "facets",
    "evidence",
)

#: Columns of ``documents.csv``, in order.
DOCUMENT_COLUMNS = (
    "file",
    "status",
    "message",
    "doc_id",
    "format",
    "sha256",
    "size_bytes",
    "pages",
    "passages",
    "words",
    "actor",
    "actor_type",
    "lan",
    "year",
    "actor_source",
    "actor_type_source",
    "lan_source",
    "year_source",
)

_FIRST_PAGES = 2  # metadata is looked for in the first pages' text
_FIRST_BLOCKS = 40  # ... or the first blocks of formats without pages


@dataclass
class Analysis:
    """The result of analysing one folder."""

    root: Path
    documents: list[DocumentRecord]
    passages: list[Passage]
    started: datetime
    finished: datetime
    manifest_files: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)  # run-level warnings
    matches: list[list[Match]] = field(default_factory=list)  # per passage, when tagged
    taxonomy: Taxonomy | None = None

    def passages_frame(self) -> pd.DataFrame:
        """One row per passage with the columns in :data:`PASSAGE_COLUMNS`."""
        by_doc = {record.doc_id: record for record in self.documents if record.doc_id}
        rows = []
        for number, passage in enumerate(self.passages):
            record = by_doc[passage.doc_id]
            themes, facets = self.tags_of(number)
            first = {}
            for match in self.matches[number] if self.matches else ():
                first.setdefault(match.theme, match.text)
            rows.append(
                {
                    "doc_id": passage.doc_id,
                    "file": record.source.relpath,
                    "actor": record.meta.actor,
                    "actor_type": record.meta.actor_type,
                    "lan": record.meta.lan,
                    "year": record.meta.year,
                    "page": passage.page,
                    "section": passage.section,
                    "index": passage.index,
                    "kind": passage.kind.value,
                    "text": passage.text,
                    "context": passage.context,
                    "word_count": passage.word_count,
                    "themes": ";".join(f"{key}:{value}" for key, value in themes.items()),
                    "facets": ";".join(f"{key}:{value}" for key, value in facets.items()),
                    "evidence": "; ".join(f"{key}={text}" for key, text in first.items()),
                }
            )
        frame = pd.DataFrame(rows, columns=list(PASSAGE_COLUMNS))
        for column in ("year", "page", "index", "word_count"):
            frame[column] = frame[column].astype("Int64")
        for column in PASSAGE_COLUMNS:
            if column not in ("year", "page", "index", "word_count"):
                frame[column] = frame[column].astype("string")
        return frame

    def tags_of(self, number: int) -> tuple[dict[str, str], dict[str, str]]:
        """The themes and the facet values of passage ``number``, each with its status."""
        if not self.matches or self.taxonomy is None:
            return {}, {}
        return self._tags[number]

    @cached_property
    def _tags(self) -> list[tuple[dict[str, str], dict[str, str]]]:
        """Every passage's themes and facet values, worked out once."""
        entries = self.taxonomy.entries if self.taxonomy else {}
        tags = []
        for matches in self.matches:
            combined = passage_themes(matches)
            themes = {key: value for key, value in combined.items() if entries[key].kind == THEME}
            facets = {key: value for key, value in combined.items() if entries[key].kind != THEME}
            tags.append((themes, facets))
        return tags

    def documents_frame(self) -> pd.DataFrame:
        """One row per input file with the columns in :data:`DOCUMENT_COLUMNS`."""
        rows = [
            {
                "file": record.source.relpath,
                "status": record.status.value,
                "message": record.message,
                "doc_id": record.doc_id,
                "format": record.source.suffix.lstrip("."),
                "sha256": record.sha256,
                "size_bytes": record.size,
                "pages": record.pages,
                "passages": record.passages,
                "words": record.words,
                "actor": record.meta.actor,
                "actor_type": record.meta.actor_type,
                "lan": record.meta.lan,
                "year": record.meta.year,
                "actor_source": record.meta.actor_source,
                "actor_type_source": record.meta.actor_type_source,
                "lan_source": record.meta.lan_source,
                "year_source": record.meta.year_source,
            }
            for record in self.documents
        ]
        frame = pd.DataFrame(rows, columns=list(DOCUMENT_COLUMNS))
        for column in ("size_bytes", "pages", "passages", "words", "year"):
            frame[column] = frame[column].astype("Int64")
        return frame

    def unreadable(self) -> list[DocumentRecord]:
        return [
            record
            for record in self.documents
            if record.status in (DocumentStatus.ERROR, DocumentStatus.NO_TEXT)
        ]


def file_sha256(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def first_pages_text(blocks: tuple[Block, ...]) -> str:
    """The text metadata is looked for in: the first pages, or the first blocks."""
    chosen = [
        block.text
        for number, block in enumerate(blocks)
        if (block.page is not None and block.page <= _FIRST_PAGES)
        or (block.page is None and number < _FIRST_BLOCKS)
    ]
    return "\n".join(chosen)


def read_document(source: SourceFile) -> ReadResult:
    """Read one file with the reader for its format.

    Raises :class:`UnreadableDocumentError` for anything that goes wrong, including
    errors no reader anticipated, so one bad file cannot stop a run.
    """
    reader = READERS[source.suffix]
    try:
        return reader(source.path)
    except UnreadableDocumentError:
        raise
    except MemoryError:
        raise UnreadableDocumentError(source.path, "too large to read in memory") from None
    except RecursionError:
        raise UnreadableDocumentError(
            source.path, "the file's structure is too deeply nested (damaged?)"
        ) from None
    except Exception as error:  # any failure is recorded, never fatal
        detail = str(error).strip() or type(error).__name__
        raise UnreadableDocumentError(
            source.path, f"could not be read ({type(error).__name__}: {detail})"
        ) from None


def analyse_document(
    source: SourceFile,
    root: Path,
    gazetteer: Gazetteer,
    manifest: dict,
    seen: dict[str, str],
    cache: Cache | None = None,
) -> tuple[DocumentRecord, list[Passage]]:
    """Read, describe and split one document. ``seen`` maps content hashes to files
    already analysed in this run, to flag duplicates; ``cache`` keeps what was read."""
    record = DocumentRecord(source=source, status=DocumentStatus.OK)
    messages: list[str] = []
    try:
        record.sha256, record.size = file_sha256(source.path)
    except OSError as error:
        record.status = DocumentStatus.ERROR
        record.message = f"cannot open the file: {error.strerror or error}"
        record.meta, _ = infer_metadata(source, root, "", gazetteer, manifest.get(source.relpath))
        return record, []
    record.doc_id = record.sha256[:12]

    if record.sha256 in seen:
        record.status = DocumentStatus.WARNING
        record.message = f"same content as {seen[record.sha256]}; counted once, under that file"
        record.meta, _ = infer_metadata(source, root, "", gazetteer, manifest.get(source.relpath))
        record.doc_id = ""
        return record, []
    seen[record.sha256] = source.relpath

    result: ReadResult | None = None
    cached = cache.get_read(record.sha256, source.suffix) if cache else None
    if cached is not None:
        result, failure = cached
        if failure is not None:
            record.status = DocumentStatus(failure[0])
            messages.append(failure[1])
    else:
        try:
            result = read_document(source)
        except UnreadableDocumentError as error:
            record.status = DocumentStatus(error.status)
            messages.append(error.reason)
        if cache is not None:
            failure = None if result is not None else (record.status.value, messages[-1])
            cache.put_read(record.sha256, source.suffix, (result, failure))

    blocks = result.blocks if result else ()
    record.meta, meta_warnings = infer_metadata(
        source, root, first_pages_text(blocks), gazetteer, manifest.get(source.relpath)
    )
    passages: list[Passage] = []
    if result is not None:
        record.pages = result.pages
        messages.extend(result.warnings)
        passages = split_passages(record.doc_id, blocks)
        if not passages:
            record.status = DocumentStatus.NO_TEXT
            messages.append("the document contains no text")
        elif result.warnings:
            record.status = DocumentStatus.WARNING
    messages.extend(meta_warnings)
    if meta_warnings and record.status is DocumentStatus.OK:
        record.status = DocumentStatus.WARNING
    record.passages = len(passages)
    record.words = sum(passage.word_count for passage in passages)
    record.message = "; ".join(messages)
    return record, passages


def tag_passages(passages: list[Passage], tagger: Tagger, year: int | None) -> list[list[Match]]:
    """Tag a document's passages. Headings are not tagged: a heading names what the
    report must cover ("2.2 Patientkontrakt"), not work done."""
    result: list[list[Match]] = [[] for _ in passages]
    taggable = [n for n, passage in enumerate(passages) if passage.kind is not BlockKind.HEADING]
    texts = [passages[n].text for n in taggable]
    contexts = [passages[n].context for n in taggable]
    tagged = tagger.tag_many(texts, [year] * len(texts), contexts)
    for number, found in zip(taggable, tagged, strict=True):
        result[number] = found
    return result


Result = tuple[DocumentRecord, list[Passage], list[list[Match]]]

#: Seconds one document may take in a worker process before it is stopped.
DEFAULT_TIME_LIMIT = 300.0
#: Address space a worker process may use (bytes): well above what a report needs.
DEFAULT_MEMORY_LIMIT = 4 * 2**30


def _tagged(
    record: DocumentRecord, found: list[Passage], tagger: Tagger | None, cache: Cache | None
) -> list[list[Match]]:
    """The document's matches, from the cache when this taxonomy tagged it before."""
    if tagger is None:
        return []
    taxonomy = tagger.taxonomy.sha256
    if cache is not None and record.sha256 and taxonomy:
        cached = cache.get_tags(record.sha256, taxonomy, record.meta.year)
        if cached is not None and len(cached) == len(found):
            return cached
    tagged = tag_passages(found, tagger, record.meta.year)
    if cache is not None and record.sha256 and taxonomy:
        cache.put_tags(record.sha256, taxonomy, record.meta.year, tagged)
    return tagged


def resolve_jobs(jobs: int, documents: int) -> int:
    """Worker processes to use: ``jobs`` if given, else the cores, but one process
    for small corpora, where starting workers costs more than it saves."""
    if jobs > 0:
        return jobs
    return (os.cpu_count() or 1) if documents >= 8 else 1


def _analyse_in_order(
    sources: tuple[SourceFile, ...],
    root: Path,
    gazetteer: Gazetteer,
    tagger: Tagger | None,
    manifest: dict,
    cache_dir: Path | None,
) -> Iterator[Result]:
    cache = Cache(cache_dir) if cache_dir is not None else None
    try:
        seen: dict[str, str] = {}
        for source in sources:
            record, found = analyse_document(source, root, gazetteer, manifest, seen, cache)
            yield record, found, _tagged(record, found, tagger, cache)
    finally:
        if cache is not None:
            cache.close()


@dataclass
class _WorkerState:
    """What a worker process loads once, when it starts: the gazetteer and the tagger."""

    gazetteer: Gazetteer | None = None
    tagger: Tagger | None = None
    cache: Cache | None = None


_worker = _WorkerState()  # filled in each worker process by _start_worker, never in the parent


def _start_worker(taxonomy: Taxonomy | None, cache_dir: Path | None, memory_limit: int) -> None:
    if memory_limit > 0:
        _limit_memory(memory_limit)
    _worker.gazetteer = Gazetteer.load()
    _worker.tagger = Tagger(taxonomy) if taxonomy is not None else None
    _worker.cache = Cache(cache_dir) if cache_dir is not None else None


def _limit_memory(limit: int) -> None:
    """Cap this process's address space, so a document that would take all memory
    fails with MemoryError in its own worker instead of sinking the machine."""
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the time limit and the pool still protect the run


def _work(task: tuple[SourceFile, Path, dict]) -> Result:
    source, root, manifest = task
    assert _worker.gazetteer is not None
    record, found = analyse_document(source, root, _worker.gazetteer, manifest, {}, _worker.cache)
    return record, found, _tagged(record, found, _worker.tagger, _worker.cache)


def _analyse_in_processes(
    sources: tuple[SourceFile, ...],
    root: Path,
    gazetteer: Gazetteer,
    tagger: Tagger | None,
    manifest: dict,
    workers: int,
    cache_dir: Path | None,
    time_limit: float = 0,
    memory_limit: int = 0,
) -> Iterator[Result]:
    """Read and tag documents in worker processes, yielding results in the order of
    ``sources``, as one process would. Duplicates are settled here first, in that
    order, so which copy counts does not depend on which worker is faster."""
    seen: dict[str, str] = {}
    tasks: list[tuple[SourceFile, Path, dict]] = []
    duplicates: dict[int, Result] = {}
    for source in sources:
        try:
            sha256, _ = file_sha256(source.path)
        except OSError:
            sha256 = ""  # the worker records why it cannot be read
        if sha256 and sha256 in seen:
            record, _ = analyse_document(source, root, gazetteer, manifest, {sha256: seen[sha256]})
            duplicates[len(tasks) + len(duplicates)] = (record, [], [])
            continue
        if sha256:
            seen[sha256] = source.relpath
        row = manifest.get(source.relpath)
        tasks.append((source, root, {source.relpath: row} if row else {}))
    taxonomy = tagger.taxonomy if tagger is not None else None
    initargs = (taxonomy, cache_dir, memory_limit)
    with ProcessPool(workers, initializer=_start_worker, initargs=initargs) as pool:
        futures = [pool.schedule(_work, args=(task,), timeout=time_limit or None) for task in tasks]
        position = 0
        for task, future in zip(tasks, futures, strict=True):
            while position in duplicates:
                yield duplicates.pop(position)
                position += 1
            yield _outcome(task, future, gazetteer, time_limit)
            position += 1
        yield from (duplicates[key] for key in sorted(duplicates))


def _outcome(
    task: tuple[SourceFile, Path, dict], future: Any, gazetteer: Gazetteer, time_limit: float
) -> Result:
    """A worker's result, or a record of why there is none: the document took longer
    than the time limit (its worker was stopped), or its worker died (out of memory,
    or a crash in a library), so one pathological file cannot sink the run."""
    try:
        return future.result()
    except FuturesTimeout:
        reason = f"reading it took longer than {time_limit:g} s; stopped and skipped"
    except ProcessExpired as error:
        reason = f"the process reading it stopped ({error}); out of memory or a crash?"
    except Exception as error:  # any failure is recorded, never fatal
        reason = f"could not be analysed ({type(error).__name__}: {error})"
    source, root, manifest = task
    record = DocumentRecord(source=source, status=DocumentStatus.ERROR, message=reason)
    with contextlib.suppress(OSError):
        record.sha256, record.size = file_sha256(source.path)
    record.meta, _ = infer_metadata(source, root, "", gazetteer, manifest.get(source.relpath))
    return record, [], []


def analyse_folder(
    root: Path,
    gazetteer: Gazetteer,
    tagger: Tagger | None = None,
    *,
    exclude: tuple[Path, ...] = (),
    on_start: Callable[[int], None] | None = None,
    on_document: Callable[[DocumentRecord], None] | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
) -> Analysis:
    """Analyse every report under ``root``.

    ``on_start`` is told how many reports there are; ``on_document`` gets each record
    as it is done (the CLI's progress bar). ``jobs`` worker processes read and tag
    documents (0: as many as the machine has cores, for a corpus large enough to
    gain); the result is the same whatever their number. ``cache_dir`` holds a
    :class:`~nvreport.cache.Cache` of what was read and tagged (None: no cache).
    With worker processes, a document that takes longer than ``time_limit`` seconds
    (0: no limit) is stopped and recorded as an error, a worker may use at most
    ``memory_limit`` bytes of address space (0: no limit), and a worker that dies
    takes only its document with it.
    Raises only for usage errors (no such folder, malformed manifest).
    """
    started = datetime.now(timezone.utc)
    manifest = read_manifest(root)
    discovery = discover_reports(root, exclude)
    if on_start:
        on_start(len(discovery.reports))
    documents: list[DocumentRecord] = []
    passages: list[Passage] = []
    matches: list[list[Match]] = []
    workers = resolve_jobs(jobs, len(discovery.reports))
    results = (
        _analyse_in_processes(
            discovery.reports,
            root,
            gazetteer,
            tagger,
            manifest,
            workers,
            cache_dir,
            time_limit,
            memory_limit,
        )
        if workers > 1
        else _analyse_in_order(discovery.reports, root, gazetteer, tagger, manifest, cache_dir)
    )
    for record, found, tagged in results:
        documents.append(record)
        passages.extend(found)
        matches.extend(tagged)
        if on_document:
            on_document(record)
    for source, reason in discovery.ignored:
        documents.append(
            DocumentRecord(
                source=source,
                status=DocumentStatus.IGNORED,
                message=reason,
                meta=DocumentMeta(),
            )
        )
    documents.sort(key=lambda record: record.source.relpath)
    found_files = {source.relpath for source in discovery.reports}
    notes = [
        f"manifest.csv names {name}, which is not among the reports found"
        for name in sorted(manifest)
        if name not in found_files
    ]
    return Analysis(
        root=root,
        documents=documents,
        passages=passages,
        started=started,
        finished=datetime.now(timezone.utc),
        manifest_files=tuple(sorted(manifest)),
        notes=notes,
        matches=matches,
        taxonomy=tagger.taxonomy if tagger else None,
    )
