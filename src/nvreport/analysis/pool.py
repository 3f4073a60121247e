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
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pebble import ProcessExpired, ProcessPool

from nvreport.analysis.document import (
    Result,
    analyse_document,
    analyse_one,
    file_sha256,
    without_path,
)
from nvreport.analysis.inputs import RunInputs
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


def resolve_jobs(jobs: int, documents: int) -> int:
    """Worker processes to use: ``jobs`` if given, else one per core, but no more
    than there are documents. Workers are forked from a process that has loaded
    everything, so even two documents gain from a second one (three large PDFs on
    two cores: 7.0 s with one worker, 5.2 s with two)."""
    if jobs > 0:
        return jobs
    return max(1, min(os.cpu_count() or 1, documents))


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


#: Results a run may hold back, per worker, while it waits for an earlier document:
#: results are passed on in the order of the reports, and this bounds the memory
#: that waiting takes.
_AHEAD_PER_WORKER = 4
#: Documents a worker process handles before it is replaced by a fresh one: the
#: tagger's word caches grow with the vocabulary it meets, and this keeps a worker's
#: memory the same however large the corpus (a new worker costs about a second).
_TASKS_PER_WORKER = 100


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
) -> Iterator[Result]:
    """Read and tag documents in worker processes, yielding results in the order of
    ``sources``, as one process would, and as they come: nothing is held longer than
    the order requires, so memory does not grow with the corpus.

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
    waiting: deque[Result | tuple[_Task, Any]] = deque()
    ahead = _AHEAD_PER_WORKER * workers

    def ready(item: Result | tuple[_Task, Any]) -> bool:
        return not isinstance(item[1], Future) or item[1].done()

    def outcome(item: Result | tuple[_Task, Any]) -> Result:
        if isinstance(item[1], Future):
            return _outcome(item[0], item[1], gazetteer, time_limit)  # type: ignore[arg-type]
        return item  # type: ignore[return-value]

    try:
        for source, digest in zip(inputs.discovery.reports, inputs.digests, strict=True):
            sha256 = digest[0] if digest else ""  # no digest: the worker records why
            item: Result | tuple[_Task, Any] | None = None
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
                    future = pool.schedule(_work, args=(task,), timeout=time_limit or None)
                    item = (task, future)
            waiting.append(item)
            while waiting and (ready(waiting[0]) or len(waiting) > ahead):
                yield outcome(waiting.popleft())
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
