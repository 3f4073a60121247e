"""Finished runs kept in the cache, and reused when the same inputs come again.

``nvreport analyse`` writes the same bytes for the same inputs, so a run whose
inputs are exactly those of a kept run need not read, tag or write anything: it
copies that run's data files into the output folder and writes a fresh
``run.json``, or, when the output folder holds those files already (and a
``run.json`` that differs only in its clock), leaves it as it is. A run is
identified by the SHA-256 of everything its data files depend on:

* nvreport's own code and data files, the Python version, and the versions of the
  libraries that read the reports and write the outputs;
* the input folder's name (not where it is: a moved corpus is the same input), and
  every file found in it: a report's path in the folder and the SHA-256 of its
  content (and whether its scanned pages are read by OCR); an ignored file or a
  folder that cannot be listed, with the reason (so the formats chosen count);
* the manifest's content and the taxonomy's SHA-256 (or no taxonomy);
* the CSV dialect the files are written in;
* the explorer's templates (in a source checkout they lie outside the package).

A changed report, taxonomy, manifest or nvreport gives another key, so a kept run
is never stale. A run is kept only when every report could be opened and none
failed in a way that may not recur (a time or memory limit, a worker that died).
The :data:`RUNS_KEPT` most recently used runs, :data:`RUNS_MAX_BYTES` of outputs
at most, are kept in ``runs/`` in the cache
folder; a kept run whose files are missing or damaged is dropped and the run done
again. This module does not load pandas: a reused run starts in a fraction of the
time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import filecmp
import hashlib
import json
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nvreport.analysis.inputs import RunInputs, gather_inputs
from nvreport.analysis.pool import DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT
from nvreport.analysis.run import analyse_folder
from nvreport.analysis.tables import DocumentPart, RunSummary, gc_paused
from nvreport.ingest.discover import ReadChoices
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.ingest.metadata import MANIFEST_NAME
from nvreport.models import DocumentRecord
from nvreport.outputs.explorer import EXPLORER_NAME, ExplorerWriter, link_base, relocate
from nvreport.outputs.record import run_record
from nvreport.store.cache import code_fingerprint
from nvreport.store.csv_dialect import DEFAULT_DIALECT, CsvDialect
from nvreport.store.files import to_json, written_together

if TYPE_CHECKING:
    from nvreport.outputs.tables import PassageWriter
from nvreport.tagging.tagger import Tagger

#: The data files of ``analyse`` a kept run holds (``run.json`` is written afresh).
DATA_FILES = (
    "passages.parquet",
    "passages.csv",
    "documents.csv",
    "themes_by_actor.csv",
    "coverage.csv",
    "explorer.html",
    "analysis.xlsx",
)
#: How many finished runs the cache keeps, and how many bytes of outputs at most
#: (a run of a whole country's reports writes a gigabyte; a laptop's disk is small).
RUNS_KEPT = 3
RUNS_MAX_BYTES = 2 * 2**30
_RECORD = "run.pickle"
#: A staging folder older than this was left by a run that was stopped.
_LEFTOVER_SECONDS = 24 * 3600
_FORMAT = 1


class _NotKept(Exception):
    """No finished run of these inputs is kept (or it could not be copied)."""


class _Unchanged(Exception):
    """The output folder holds the kept run's files already."""


#: What ``run.json`` may differ in when the outputs are those of the same run.
_CLOCK = ("started", "finished")


def _already_there(output: Path, staged: dict[str, Path], record: dict[str, Any]) -> bool:
    """Does ``output`` hold exactly the files ``staged`` (as this run would move them
    into place), and a ``run.json`` that differs from ``record`` only in its clock
    (the same inputs, options and nvreport)?"""
    try:
        for name, path in staged.items():
            if not filecmp.cmp(path, output / name, shallow=False):
                return False
        with (output / "run.json").open(encoding="utf-8") as handle:
            there = json.load(handle)
    except (OSError, ValueError):
        return False
    if not isinstance(there, dict):
        return False
    written = json.loads(json.dumps(record, ensure_ascii=False))  # as JSON reads it back
    for key in _CLOCK:
        there.pop(key, None)
        written.pop(key, None)
    return there == written


@dataclass(frozen=True)
class KeptRun:
    """What a kept run tells the command besides its files: every input's record,
    the run's notes and manifest files, its passage count and the coverage rows
    (one dict per row of ``coverage.csv``, with None where a value is missing)."""

    documents: list[DocumentRecord]
    notes: list[str]
    manifest_files: tuple[str, ...]
    passages: int
    coverage: list[dict[str, Any]]
    gaps: dict[str, Any] | None = None  # run.json's gaps


def run_key(
    inputs: RunInputs, taxonomy_sha256: str | None, csv_dialect: str = DEFAULT_DIALECT.name
) -> str | None:
    """The key of a run of ``inputs`` tagged with the taxonomy of this SHA-256 (None:
    untagged), its CSV files in the dialect of this name; None when the run cannot be
    kept (a report could not be opened)."""
    if any(digest is None for digest in inputs.digests):
        return None
    lines = [
        code_fingerprint(),
        # the folder's name (a year or an actor may be read from it), not where it is:
        # a corpus moved or copied elsewhere is the same input
        f"root\0{inputs.root.resolve().name}",
        f"taxonomy\0{taxonomy_sha256 or '-'}",
        f"csv\0{csv_dialect}",
        # explorer.html is made from them; in a source checkout they are outside the
        # package, and code_fingerprint does not see them
        f"templates\0{_templates_digest()}",
    ]
    manifest = inputs.root / MANIFEST_NAME
    if inputs.manifest or manifest.is_file():
        try:
            lines.append(f"manifest\0{hashlib.sha256(manifest.read_bytes()).hexdigest()}")
        except OSError:
            return None
    discovery = inputs.discovery
    for source, digest in zip(discovery.reports, inputs.digests, strict=True):
        assert digest is not None
        read_as = "\0ocr" if source.ocr else ""  # its scanned pages read by OCR
        lines.append(f"report\0{source.relpath}\0{digest[0]}\0{digest[1]}{read_as}")
    for kind, found in (("ignored", discovery.ignored), ("unlistable", discovery.unlistable)):
        lines.extend(f"{kind}\0{source.relpath}\0{reason}" for source, reason in found)
    return hashlib.sha256("\n".join(lines).encode(errors="surrogateescape")).hexdigest()


def _templates_digest() -> str:
    """SHA-256 of the explorer's templates: every file's name and content."""
    from nvreport.outputs.explorer import _templates_dir

    digest = hashlib.sha256()
    folder = _templates_dir()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class FinishedRuns:
    """The finished runs kept in ``cache_dir / "runs"``, one folder per key."""

    def __init__(
        self, cache_dir: Path, kept: int = RUNS_KEPT, max_bytes: int = RUNS_MAX_BYTES
    ) -> None:
        self.folder = cache_dir / "runs"
        self.kept = kept
        self.max_bytes = max_bytes

    def restore(self, key: str, stage: Callable[[str], Path]) -> KeptRun | None:
        """Copy the data files of the run kept under ``key`` to ``stage(name)`` and
        return what it tells; None when no run is kept under it, or it is damaged
        (it is then dropped)."""
        entry = self.folder / key
        try:
            with (entry / _RECORD).open("rb") as handle:
                saved = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception:  # damaged, or from another version: do the run again
            shutil.rmtree(entry, ignore_errors=True)
            return None
        try:
            sizes, kept = saved["sizes"], KeptRun(**saved["run"])
            if saved["format"] != _FORMAT or set(sizes) != set(DATA_FILES):
                raise ValueError("another format")
            for name in DATA_FILES:
                if (entry / name).stat().st_size != sizes[name]:
                    raise ValueError(f"{name} has changed")
        except Exception:  # a file missing or changed: do the run again
            shutil.rmtree(entry, ignore_errors=True)
            return None
        try:
            for name in DATA_FILES:
                shutil.copyfile(entry / name, stage(name))
        except OSError:  # dropped by another run meanwhile, or no room for the copy
            return None
        with contextlib.suppress(OSError):
            os.utime(entry / _RECORD)  # recently used
        return kept

    def store(self, key: str, output: Path, run: KeptRun) -> None:
        """Keep the data files just written to ``output`` under ``key``; then drop the
        least recently used runs beyond :attr:`kept` or :attr:`max_bytes`. A failure
        to keep (a full disk) costs only the reuse, never the run."""
        if any(record.retry for record in run.documents):
            return
        try:
            if sum((output / name).stat().st_size for name in DATA_FILES) > self.max_bytes:
                return
        except OSError:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".run-", dir=self.folder))
        except OSError:
            return
        try:
            sizes = {}
            for name in DATA_FILES:
                shutil.copyfile(output / name, staging / name)
                sizes[name] = (staging / name).stat().st_size
            saved = {"format": _FORMAT, "sizes": sizes, "run": run.__dict__}
            with (staging / _RECORD).open("wb") as handle:
                pickle.dump(saved, handle, protocol=pickle.HIGHEST_PROTOCOL)
            target = self.folder / key
            if target.exists():
                shutil.rmtree(target, ignore_errors=True)
            os.replace(staging, target)
        except OSError:
            return
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self._drop_oldest()

    def _drop_oldest(self) -> None:
        entries: list[tuple[float, Path, int]] = []  # (last used, folder, bytes)
        for entry in self.folder.iterdir():
            if entry.name.startswith("."):  # another run keeping its files, or a leftover
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime < time.time() - _LEFTOVER_SECONDS:
                        shutil.rmtree(entry, ignore_errors=True)
                continue
            try:
                used = (entry / _RECORD).stat().st_mtime
                size = sum(path.stat().st_size for path in entry.iterdir())
            except OSError:
                used, size = 0.0, 0
            entries.append((used, entry, size))
        entries.sort(key=lambda found: (found[0], found[1].name), reverse=True)
        total = 0
        for number, (_, entry, size) in enumerate(entries):
            total += size
            if number >= self.kept or total > self.max_bytes:
                shutil.rmtree(entry, ignore_errors=True)


def analyse_into(
    root: Path,
    output: Path,
    gazetteer: Gazetteer,
    tagger: Tagger | None,
    options: dict[str, Any],
    *,
    cache_dir: Path | None = None,
    jobs: int = 1,
    on_start: Callable[[int], None] | None = None,
    on_document: Callable[[DocumentRecord], None] | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
    csv_dialect: CsvDialect = DEFAULT_DIALECT,
    choices: ReadChoices | None = None,
) -> tuple[RunSummary, list[dict[str, Any]], bool]:
    """What ``nvreport analyse`` does: analyse the reports under ``root`` and write
    every output to ``output`` (``options`` are recorded in ``run.json``); return
    the run, the coverage rows, and whether ``output`` held this run's outputs
    already (they are then left as they are, ``run.json`` too, and nothing is
    written). With a ``cache_dir``, a run of the same inputs
    kept there is reused (see the module's description), and this run is kept.
    The CSV files are written in ``csv_dialect``. The other arguments are
    :func:`~nvreport.analysis.run.analyse_folder`'s."""
    started = datetime.now(timezone.utc)
    inputs = gather_inputs(root, (output,), choices)
    taxonomy = tagger.taxonomy if tagger is not None else None
    sha256 = taxonomy.sha256 if taxonomy else None
    key = run_key(inputs, sha256, csv_dialect.name) if cache_dir else None
    if key is not None and cache_dir is not None:
        try:
            with written_together(output) as stage:
                staged: dict[str, Path] = {}
                kept = FinishedRuns(cache_dir).restore(
                    key, lambda name: staged.setdefault(name, stage(name))
                )
                if kept is None:
                    raise _NotKept  # leave the output folder as it was
                try:  # its links to the reports lead from where that run's outputs were
                    relocate(staged[EXPLORER_NAME], [link_base(root, output)])
                except (OSError, ValueError):
                    raise _NotKept from None
                if on_start:
                    on_start(0)
                run = RunSummary(
                    root=root,
                    documents=kept.documents,
                    passages=kept.passages,
                    started=started,
                    finished=datetime.now(timezone.utc),
                    manifest_files=kept.manifest_files,
                    notes=kept.notes,
                    taxonomy=taxonomy,
                    reused=True,
                    gaps=kept.gaps,
                )
                record = run_record(run, output, options)
                if _already_there(output, staged, record):
                    raise _Unchanged  # leave every output file as it is
                to_json(record, stage("run.json"))
            return run, kept.coverage, False
        except _Unchanged:
            return run, kept.coverage, True
        except _NotKept:
            pass

    # the passages are written as the documents come, while the workers go on; the
    # writers, and pandas, pyarrow and openpyxl with them, are loaded once the
    # workers have started (forked without them), or at the first document
    with written_together(output) as stage, gc_paused():
        writers: list[Any] = []

        def open_writers() -> tuple[PassageWriter, ExplorerWriter]:
            if not writers:
                from nvreport.outputs.tables import WORKBOOK_NAME, PassageWriter

                passages = (stage("passages.csv"), stage("passages.parquet"))
                workbook = stage(WORKBOOK_NAME)
                writer = PassageWriter(*passages, taxonomy, csv_dialect, workbook)
                writers.append(opened.enter_context(writer))
                writers.append(opened.enter_context(ExplorerWriter(taxonomy, root, output)))
            return writers[0], writers[1]

        def on_part(record: DocumentRecord, part: DocumentPart) -> None:
            writer, explorer = open_writers()
            writer.add(record, part)
            explorer.add(record, part)

        with contextlib.ExitStack() as opened:
            analysis = analyse_folder(
                root,
                gazetteer,
                tagger,
                on_start=on_start,
                on_document=on_document,
                jobs=jobs,
                cache_dir=cache_dir,
                time_limit=time_limit,
                memory_limit=memory_limit,
                inputs=inputs,
                on_part=on_part,
                keep_parts=False,
                isolate=True,  # --jobs 1 too: the time and memory limits apply
                on_workers=open_writers,
            )
            writer, explorer = open_writers()
            explorer.write(analysis, stage(EXPLORER_NAME))
        from nvreport.analysis.aggregate import coverage_rows
        from nvreport.outputs.tables import write_tables

        gaps = writer.gaps.record() if writer.gaps is not None else None
        run = dataclasses.replace(analysis.summary(), passages=writer.passages, gaps=gaps)
        covered = write_tables(analysis, writer, stage, run, output, options, csv_dialect)
    rows = coverage_rows(covered)
    if key is not None and cache_dir is not None:
        kept = KeptRun(
            documents=run.documents,
            notes=run.notes,
            manifest_files=run.manifest_files,
            passages=run.passages,
            coverage=rows,
            gaps=run.gaps,
        )
        FinishedRuns(cache_dir).store(key, output, kept)
    return run, rows, False
