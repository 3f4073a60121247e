"""The worker processes that analyse documents side by side, within time and memory limits.

Documents are handed out in order and their results taken back in the same order, so a
run's outputs do not depend on the number of workers. A document that takes longer than
:data:`DEFAULT_TIME_LIMIT` or more memory than :data:`DEFAULT_MEMORY_LIMIT` is stopped
and recorded as an error; the run goes on with the rest.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

from pebble import ProcessExpired, ProcessPool
from pebble.common import CONSTS as pebble_constants

from nvreport.analysis.document import (
    Result,
    ShareResult,
    analyse_document,
    analyse_one,
    file_sha256,
    merge_shares,
    share_of,
    tag_share,
    without_path,
)
from nvreport.analysis.inputs import RunInputs
from nvreport.analysis.tables import DocumentPart
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.ingest.metadata import infer_metadata
from nvreport.ingest.readers import import_readers
from nvreport.models import (
    DocumentRecord,
    DocumentStatus,
    SourceFile,
)
from nvreport.store.cache import Cache, code_fingerprint
from nvreport.tagging.tagger import Tagger

#: Seconds one document may take in a worker process before it is stopped.
DEFAULT_TIME_LIMIT = 300.0
#: Address space a worker process may use (bytes): well above what a report needs.
DEFAULT_MEMORY_LIMIT = 4 * 2**30


def resolve_jobs(jobs: int, documents: int, splittable: bool = False) -> int:
    """Worker processes to use: ``jobs`` if given, else one per core, but no more
    than there are documents unless a PDF may be read by several workers
    (``splittable``: see :data:`SPLIT_MIN_BYTES`), so every core works whatever the
    folder holds. Workers are forked from a process that has loaded everything, so
    even two documents gain from a second one."""
    if jobs > 0:
        return jobs
    cores = os.cpu_count() or 1
    return max(1, cores if splittable and documents else min(cores, documents))


#: A PDF at least this large may be read by several workers at once, page range by
#: page range, when there are fewer documents left than workers (so the last
#: documents of a run, or the only one, do not leave cores idle), or when it is a
#: long pole (:class:`_LongPoles`). Sharing costs about a fifth more work, so
#: documents that keep every worker busy anyway are read whole. Smaller files are
#: read whole: a few pages gain nothing from being shared.
SPLIT_MIN_BYTES = 128 * 1024


class _LongPoles:
    """Which documents would keep one worker busy after the others are done: those
    larger than the workers' average share of what is left from them on (by size,
    which follows the work of a PDF closely enough: a 900-page folder of one large
    report and two smaller ones would otherwise wait about a second for the large
    one's worker)."""

    def __init__(self, digests: Sequence[tuple[str, int] | None]) -> None:
        sizes = [digest[1] if digest else 0 for digest in digests]
        self._sizes = sizes
        self._left = list(accumulate(reversed(sizes)))[::-1]  # from each document on

    def __call__(self, number: int, workers: int) -> bool:
        return self._sizes[number] * workers > self._left[number]


def splittable(source: SourceFile, digest: tuple[str, int] | None) -> bool:
    """May this file be read by several workers (:data:`SPLIT_MIN_BYTES`)?"""
    return (
        source.suffix == ".pdf"
        and not source.ocr
        and digest is not None
        and digest[1] >= SPLIT_MIN_BYTES
    )


def analyse_in_order(
    inputs: RunInputs,
    gazetteer: Gazetteer,
    tagger: Tagger | None,
    cache_dir: Path | None,
) -> Iterator[Result]:
    cache = Cache(cache_dir) if cache_dir is not None else None
    root, manifest = inputs.root, inputs.manifest
    try:
        seen: dict[str, str] = {}
        for source, digest in zip(inputs.discovery.reports, inputs.digests, strict=True):
            done = analyse_one(source, root, gazetteer, tagger, manifest, seen, cache, digest)
            assert done is not None
            yield done
    finally:
        if cache is not None:
            cache.close()


@dataclass
class _WorkerState:
    """What a worker process holds: the gazetteer, the tagger and its own cache."""

    gazetteer: Gazetteer | None = None
    tagger: Tagger | None = None
    cache: Cache | None = None


_worker = _WorkerState()  # filled in each worker process by _start_worker, never in the parent


def _start_worker(
    gazetteer: Gazetteer, tagger: Tagger | None, cache_dir: Path | None, memory_limit: int
) -> None:
    """Worker processes are forked: the parent's gazetteer and tagger come as they are."""
    if memory_limit > 0:
        _limit_memory(memory_limit)
    gc.freeze()  # what the parent built stays put: not walked by the collector, not copied
    _worker.gazetteer = gazetteer
    _worker.tagger = tagger
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


_Task = tuple[SourceFile, Path, dict, "tuple[str, int] | None"]


def _work(task: _Task) -> Result:
    source, root, manifest, digest = task
    assert _worker.gazetteer is not None
    done = analyse_one(
        source, root, _worker.gazetteer, _worker.tagger, manifest, {}, _worker.cache, digest
    )
    assert done is not None
    return done


def _read_range(path: Path, part: int, parts: int) -> bytes | None:
    """A page range of a PDF, pickled (the parent passes it on as it is), or None:
    it could not be read; the document is then read whole, which meets and records
    the problem as it always does."""
    from nvreport.ingest.readers.pdf import read_page_range

    try:
        return pickle.dumps(read_page_range(path, part, parts), pickle.HIGHEST_PROTOCOL)
    except Exception:  # the reader's errors do not all cross between processes
        return None


def _work_assemble(task: _Task, ranges: list[bytes]) -> Result:
    """Put a document together from the page ranges workers read: its record and
    passages, the read kept in the cache as one worker keeps it."""
    source, root, manifest, digest = task
    assert _worker.gazetteer is not None
    pages = [page for found in ranges for page in pickle.loads(found)]
    done = analyse_document(
        source, root, _worker.gazetteer, manifest, {}, _worker.cache, digest, pages=pages
    )
    assert done is not None
    return done


def _work_share(
    numbers: list[int], texts: list[str], contexts: list[str], year: int | None
) -> ShareResult:
    assert _worker.tagger is not None
    return tag_share(_worker.tagger, numbers, texts, contexts, year)


class _Split:
    """One PDF analysed by several workers: each reads a page range; one puts the
    document together from all the pages; each tags a share of its passages
    (:func:`~nvreport.analysis.document.tag_share`), and the shares are merged
    here, in order, into what one worker would have given. Should a range, or
    putting the document together, fail, the document is analysed whole by one
    worker, which meets and records the problem as it would have without the
    split."""

    def __init__(
        self, pool: ProcessPool, task: _Task, parts: int, time_limit: float, tagging: bool
    ) -> None:
        self.task = task
        self.parts = parts
        self._pool = pool
        self._timeout = time_limit or None
        self._tagging = tagging
        self._lock = threading.Lock()
        self._ranges: list[Any] = []
        self._assembly: Any = None  # the document put together
        self._shares: list[Any] = []
        self.whole: Any = None  # the fallback: the document read whole
        self.settled = threading.Event()  # the shares, or the whole, are scheduled
        path = task[0].path
        self._ranges = [
            pool.schedule(_read_range, args=(path, part, parts), timeout=self._timeout)
            for part in range(parts)
        ]
        for future in self._ranges:
            future.add_done_callback(self._range_done)

    def _range_done(self, _future: Any) -> None:
        with self._lock:
            if self._assembly is not None or self.settled.is_set():
                return
            if not all(f.done() for f in self._ranges):
                return
            try:
                if any(
                    f.cancelled() or f.exception() is not None or f.result() is None
                    for f in self._ranges
                ):
                    self._read_whole()
                else:
                    ranges = [f.result() for f in self._ranges]
                    self._assembly = self._pool.schedule(
                        _work_assemble, args=(self.task, ranges), timeout=self._timeout
                    )
            except RuntimeError:  # the pool was stopped (Ctrl-C): nothing more to do
                self.settled.set()
            finally:
                self._ranges = []  # the pages are not kept here
        if self._assembly is not None:
            self._assembly.add_done_callback(self._assembled)

    def _assembled(self, future: Any) -> None:
        with self._lock:
            try:
                if future.cancelled() or future.exception() is not None:
                    self._read_whole()
                    return
                record, columns = future.result()
                if columns is None or not self._tagging:
                    return  # nothing to tag: the document is done
                shares = [share_of(columns, part, self.parts) for part in range(self.parts)]
                self._shares = [
                    self._pool.schedule(
                        _work_share,
                        args=(
                            numbers,
                            [columns.texts[n] for n in numbers],
                            [columns.contexts[n] for n in numbers],
                            record.meta.year,
                        ),
                        timeout=self._timeout,
                    )
                    for numbers in shares
                ]
            except RuntimeError:  # the pool was stopped (Ctrl-C): nothing more to do
                pass
            finally:
                self.settled.set()

    def _read_whole(self) -> None:
        self.whole = self._pool.schedule(_work, args=(self.task,), timeout=self._timeout)
        self.settled.set()

    def done(self) -> bool:
        if not self.settled.is_set():
            return False
        if self.whole is not None:
            return self.whole.done()
        return self._assembly is None or (
            self._assembly.done() and all(future.done() for future in self._shares)
        )

    def outcome(
        self, gazetteer: Gazetteer, tagger: Tagger | None, cache_dir: Path | None, time_limit: float
    ) -> Result:
        self.settled.wait()
        if self.whole is not None:
            return _outcome(self.task, self.whole, gazetteer, time_limit)
        if self._assembly is None:  # the pool stopped before it could be scheduled
            stopped: Future = Future()
            stopped.set_exception(RuntimeError("the worker processes stopped"))
            return _outcome(self.task, stopped, gazetteer, time_limit)
        try:
            record, columns = self._assembly.result()
        except BaseException:
            return _outcome(self.task, self._assembly, gazetteer, time_limit)
        if columns is None:
            return record, None
        if tagger is None:
            return record, DocumentPart(columns, None)
        shares = []
        for future in self._shares:
            try:
                shares.append(future.result())
            except BaseException:
                return _outcome(self.task, future, gazetteer, time_limit)
        if len(shares) != self.parts:  # the pool stopped before they were scheduled
            stopped = Future()
            stopped.set_exception(RuntimeError("the worker processes stopped"))
            return _outcome(self.task, stopped, gazetteer, time_limit)
        cache = Cache(cache_dir) if cache_dir is not None else None
        try:
            return merge_shares(record, columns, shares, tagger, cache)
        finally:
            if cache is not None:
                cache.close()


#: Results a run may hold back, per worker, while it waits for an earlier document:
#: results are passed on in the order of the reports, and this bounds the memory
#: that waiting takes.
_AHEAD_PER_WORKER = 4
#: How many times more results may wait before ``on_workers`` is called (see
#: :func:`analyse_in_processes`) than after: the workers then have enough to read
#: while the parent loads the output writers.
_AHEAD_BEFORE_CALL = 4
#: Documents a worker process handles before it is replaced by a fresh one: the
#: tagger's word caches grow with the vocabulary it meets, and this keeps a worker's
#: memory the same however large the corpus (a new worker costs about a second).
_TASKS_PER_WORKER = 100
#: How often pebble's threads look at the pool (see :func:`_start_pool`).
_POLL_SECONDS = 0.01


def _start_pool(
    workers: int,
    sources: Sequence[SourceFile],
    gazetteer: Gazetteer,
    tagger: Tagger | None,
    cache_dir: Path | None,
    memory_limit: int,
) -> ProcessPool:
    """Start the worker processes. On Linux, where processes are forked, the parent first
    loads what every worker needs (the readers of the formats present, the spaCy
    pipeline, the lemma dictionary: nearly two seconds of a worker's start; the
    cache keys' code fingerprint), so each worker, and each that replaces one, starts
    with them instead of loading them again."""
    # pebble's threads look at the pool every sleep_unit seconds (0.1 by default):
    # closing a pool then waits 50-100 ms for nothing, a tenth of a one-page run
    # (polling a hundred times a second costs no measurable CPU)
    pebble_constants.sleep_unit = min(pebble_constants.sleep_unit, _POLL_SECONDS)
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("fork")
        if cache_dir is not None:
            code_fingerprint()
        import_readers({source.suffix for source in sources})
        if tagger is not None:
            tagger.load()
    else:  # macOS and Windows spawn workers (fork is unsafe or absent there)
        context = multiprocessing.get_context("spawn")
    return ProcessPool(
        workers,
        max_tasks=_TASKS_PER_WORKER,
        initializer=_start_worker,
        initargs=(gazetteer, tagger, cache_dir, memory_limit),
        context=context,
    )


def analyse_in_processes(
    inputs: RunInputs,
    gazetteer: Gazetteer,
    tagger: Tagger | None,
    workers: int,
    cache_dir: Path | None,
    time_limit: float = 0,
    memory_limit: int = 0,
    on_workers: Callable[[], None] | None = None,
) -> Iterator[Result]:
    """Read and tag documents in worker processes, yielding results in the order of
    ``sources``, as one process would, and as they come: nothing is held longer than
    the order requires, so memory does not grow with the corpus. ``on_workers`` is
    called once, when workers were started and have been handed every document
    they may take before a result is due: what the caller loads then (the output
    writers' libraries) is loaded while they read, and the workers, forked
    before, do not carry it.

    Duplicates are settled here, in that order, so which copy counts does not depend
    on which worker is faster. Until the first document the cache cannot give in
    full, documents are taken from the cache here, and no worker is started; from
    then on the rest go to the workers (which use the cache themselves), with the
    parent's cache connection closed first, so no connection crosses into a child.
    """
    seen: dict[str, str] = {}
    root, manifest = inputs.root, inputs.manifest
    cache = Cache(cache_dir) if cache_dir is not None else None
    pool: ProcessPool | None = None
    waiting: deque[Result | tuple[_Task, Any] | _Split] = deque()
    ahead = _AHEAD_PER_WORKER * workers
    total = len(inputs.discovery.reports)
    long_pole = _LongPoles(inputs.digests)

    def ready(item: Result | tuple[_Task, Any] | _Split) -> bool:
        if isinstance(item, _Split):
            return item.done()
        return not isinstance(item[1], Future) or item[1].done()

    def outcome(item: Result | tuple[_Task, Any] | _Split) -> Result:
        if isinstance(item, _Split):
            return item.outcome(gazetteer, tagger, cache_dir, time_limit)
        if isinstance(item[1], Future):
            return _outcome(item[0], item[1], gazetteer, time_limit)  # type: ignore[arg-type]
        return item  # type: ignore[return-value]

    try:
        for number, (source, digest) in enumerate(
            zip(inputs.discovery.reports, inputs.digests, strict=True)
        ):
            sha256 = digest[0] if digest else ""  # no digest: the worker records why
            item: Result | tuple[_Task, Any] | _Split | None = None
            if sha256 and sha256 in seen:
                duplicate = analyse_document(
                    source, root, gazetteer, manifest, {sha256: seen[sha256]}, digest=digest
                )
                assert duplicate is not None
                item = (duplicate[0], None)
            else:
                if sha256:
                    seen[sha256] = source.relpath
                if pool is None and cache is not None and digest is not None:
                    item = analyse_one(
                        source, root, gazetteer, tagger, manifest, {}, cache, digest, True
                    )
                if item is None:
                    if pool is None:
                        if cache is not None:
                            cache.close()  # before forking
                            cache = None
                        pool = _start_pool(
                            workers,
                            inputs.discovery.reports,
                            gazetteer,
                            tagger,
                            cache_dir,
                            memory_limit,
                        )
                    row = manifest.get(source.relpath)
                    task: _Task = (source, root, {source.relpath: row} if row else {}, digest)
                    if (
                        workers > 1
                        and splittable(source, digest)
                        and (total - number < workers or long_pole(number, workers))
                        and not _read_kept(cache_dir, sha256, source)
                    ):
                        item = _Split(pool, task, workers, time_limit, tagger is not None)
                    else:
                        future = pool.schedule(_work, args=(task,), timeout=time_limit or None)
                        item = (task, future)
            waiting.append(item)
            # until on_workers is called, the workers are handed more (it takes the
            # time of many small documents)
            limit = ahead if on_workers is None or pool is None else _AHEAD_BEFORE_CALL * ahead
            while waiting and (ready(waiting[0]) or len(waiting) > limit):
                if on_workers is not None and pool is not None and not ready(waiting[0]):
                    on_workers()  # the workers have all they may take for now
                    on_workers = None
                yield outcome(waiting.popleft())
        if on_workers is not None and pool is not None:
            on_workers()  # every document is handed out
            on_workers = None
        while waiting:
            yield outcome(waiting.popleft())
    except BaseException:
        # Ctrl-C, or the caller stopped early: stop the workers now. (Leaving a ``with``
        # block would close() and join(), which waits for every scheduled document.)
        if pool is not None:
            pool.stop()
            pool.join()
        raise
    finally:
        if cache is not None:
            cache.close()
    if pool is not None:
        pool.close()
        pool.join()


def _read_kept(cache_dir: Path | None, sha256: str, source: SourceFile) -> bool:
    """Does the cache hold what this file reads to? (Then one worker serves it from
    there, rather than several reading it again.)"""
    if cache_dir is None or not sha256:
        return False
    cache = Cache(cache_dir)
    try:
        return cache.has_read(sha256, source.read_as)
    finally:
        cache.close()


def _outcome(task: _Task, future: Any, gazetteer: Gazetteer, time_limit: float) -> Result:
    """A worker's result, or a record of why there is none: the document took longer
    than the time limit (its worker was stopped), or its worker died (out of memory,
    or a crash in a library), so one pathological file cannot sink the run."""
    try:
        return future.result()
    except FuturesTimeout:
        reason = f"reading and tagging it took longer than {time_limit:g} s; stopped and skipped"
    except ProcessExpired as error:
        reason = f"the process reading it stopped ({error}); out of memory or a crash?"
    except Exception as error:  # any failure is recorded, never fatal
        detail = without_path(str(error), task[0].path)
        reason = f"could not be analysed ({type(error).__name__}: {detail})"
    source, root, manifest, _digest = task
    record = DocumentRecord(source=source, status=DocumentStatus.ERROR, message=reason, retry=True)
    with contextlib.suppress(OSError):
        record.sha256, record.size = file_sha256(source.path)
    record.meta, _ = infer_metadata(source, root, "", gazetteer, manifest.get(source.relpath))
    return record, None
