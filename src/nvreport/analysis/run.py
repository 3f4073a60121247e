"""The analyse pipeline: discover -> read -> metadata -> passages, one document at a time.

:func:`analyse_folder` is what ``nvreport analyse`` calls; it never raises for a bad
file: every input ends up as a :class:`~nvreport.models.DocumentRecord` with a status
and a message, and the run goes on with the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

#: Columns of the passages table (``passages.csv`` / ``passages.parquet``), in order.
from nvreport.analysis.inputs import RunInputs, gather_inputs
from nvreport.analysis.pool import (
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_TIME_LIMIT,
    analyse_in_order,
    analyse_in_processes,
    resolve_jobs,
    splittable,
)
from nvreport.analysis.tables import (
    Analysis,
    DocumentPart,
    MatchList,
    PassageList,
    entry_kinds,
    gc_paused,
    with_tags,
)
from nvreport.ingest.discover import ReadChoices
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.models import (
    DocumentMeta,
    DocumentRecord,
    DocumentStatus,
)
from nvreport.store.cache import cache_problem
from nvreport.store.parts import PartStore
from nvreport.tagging.tagger import Tagger


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
    inputs: RunInputs | None = None,
    on_part: Callable[[DocumentRecord, DocumentPart], None] | None = None,
    keep_parts: bool = True,
    isolate: bool = False,
    choices: ReadChoices | None = None,
    on_workers: Callable[[], None] | None = None,
) -> Analysis:
    """Analyse every report under ``root``.

    ``on_start`` is told how many reports there are; ``on_document`` gets each record
    as it is done (the CLI's progress bar). ``jobs`` worker processes read and tag
    documents (0: one per core, no more than there are documents unless a large
    PDF may be shared between workers; 1: this process reads them itself); the result is the same
    whatever their number. ``cache_dir`` holds a
    :class:`~nvreport.store.cache.Cache` of what was read and tagged (None: no cache).
    With worker processes, a document that takes longer than ``time_limit`` seconds
    (0: no limit) is stopped and recorded as an error, a worker may use at most
    ``memory_limit`` bytes of address space (0: no limit), and a worker that dies
    takes only its document with it. ``inputs`` is what :func:`gather_inputs` found
    in ``root``, when the caller has it already. ``on_part`` gets each document with
    passages, in order, as it is done, with its tags worked out (to write the outputs
    while the workers go on); with ``keep_parts`` false, that is the only place the
    passages go, and the analysis's ``passages`` and ``matches`` stay empty. With
    ``isolate``, even one job reads in a worker process, so that the time and
    memory limits apply (the command line does this for ``--jobs 1``).
    ``choices`` are the formats to read (default: all) and whether PDFs are read
    with OCR, when ``inputs`` is not given. ``on_workers`` is called once worker
    processes have started on the first documents (never when none start): the
    caller can load what it needs for the results while they read.
    Raises only for usage errors (no such folder, malformed manifest).
    """
    started = datetime.now(timezone.utc)
    if inputs is None:
        inputs = gather_inputs(root, exclude, choices)
    manifest, discovery = inputs.manifest, inputs.discovery
    if on_start:
        on_start(len(discovery.reports))
    documents: list[DocumentRecord] = []
    parts = PartStore()
    workers = resolve_jobs(
        jobs,
        len(discovery.reports),
        any(map(splittable, discovery.reports, inputs.digests)),
    )
    results = (
        analyse_in_processes(
            inputs, gazetteer, tagger, workers, cache_dir, time_limit, memory_limit, on_workers
        )
        # jobs=1 reads in this process unless isolated; chosen for a small corpus
        # (jobs=0), one worker process still keeps the time limit and memory guard
        if workers > 1 or ((jobs == 0 or isolate) and (time_limit > 0 or memory_limit > 0))
        else analyse_in_order(inputs, gazetteer, tagger, cache_dir)
    )
    is_theme = entry_kinds(tagger.taxonomy if tagger else None)
    with gc_paused():
        for record, part in results:
            documents.append(record)
            if part is not None:
                if on_part is not None:
                    on_part(record, with_tags(part, tagger is not None, is_theme))
                if keep_parts:
                    parts.append(part)
            if on_document:
                on_document(record)
    # a folder that cannot be listed may hide reports: an error, not merely ignored
    for status, found in (
        (DocumentStatus.IGNORED, discovery.ignored),
        (DocumentStatus.ERROR, discovery.unlistable),
    ):
        documents.extend(
            DocumentRecord(source=source, status=status, message=reason, meta=DocumentMeta())
            for source, reason in found
        )
    documents.sort(key=lambda record: record.source.relpath)
    found_files = {source.relpath for source in discovery.reports}
    notes = [
        f"manifest.csv names {name}, which is not among the reports found"
        for name in sorted(manifest)
        if name not in found_files
    ]
    if cache_dir is not None and (problem := cache_problem(cache_dir)):
        notes.append(problem)
    return Analysis(
        root=root,
        documents=documents,
        passages=PassageList(parts),
        started=started,
        finished=datetime.now(timezone.utc),
        manifest_files=tuple(sorted(manifest)),
        notes=notes,
        matches=MatchList(parts) if tagger is not None else [],
        taxonomy=tagger.taxonomy if tagger else None,
    )
