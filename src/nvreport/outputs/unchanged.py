"""A re-run with nothing to do: the same ``analyse`` command on inputs, a taxonomy, an
nvreport and outputs that have not changed since it last ran.

When ``nvreport analyse`` has written its outputs, it keeps a :class:`Rerun` record in
the cache folder's ``reruns/``, named after the command line and the folder it was
given in. The record holds what the command prints (every report's record, the
coverage rows, the notes, the exit code's grounds) and a :class:`Snapshot` of what
the run depended on:

* every file and folder under the input folder (the output folder left out): its
  path and its size, modification and change times, inode and device, as the system
  gives them (a file edited, replaced by another of the same size, copied over with
  its old time kept, moved in, or removed, changes them); a file changed less than
  :data:`RACY_SECONDS` before the run began is also checked by its SHA-256, since a
  change in the same tick of the file system's clock might not show in its times;
* the taxonomy file given with ``--taxonomy``, by its SHA-256 (it is small);
* nvreport's own files (code, bundled taxonomy and templates), the Python
  interpreter, and the libraries installed (their ``.dist-info`` folders:
  installing, upgrading or removing one changes them);
* every output file as the run left it.

:func:`find` is called (by :func:`nvreport.cli.again.analyse_again`) before the
command line is even parsed: when the record of this command line is there and all
of it still holds, nothing is read, tagged or written (only a file changed just
before the run is hashed again), and the command prints what the run printed and
ends with its exit code. Anything else, a doubt included, goes the ordinary way (where a
finished run kept in the cache still saves the reading, see
:mod:`nvreport.outputs.runs`). A folder with symbolic links or ``.doc`` files (read
with LibreOffice, which may have been installed meanwhile) or a run with ``--ocr``
is always checked the ordinary way.

This module imports only the standard library, :mod:`nvreport.models` and
:mod:`nvreport.store.cache_folder`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
import stat
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nvreport.models import DocumentRecord

#: A file whose times are this close (seconds) to the start of the run is checked by
#: its content too.
RACY_SECONDS = 2.0
#: Records kept (the oldest go first).
RECORDS_KEPT = 64
_FOLDER = "reruns"
_FORMAT = 1

#: size, modification time, change time (ns), inode, device
Stat = tuple[int, int, int, int, int]


def _stat(path: str | Path) -> Stat | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev)


def file_sha256(path: str | Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


@dataclass(frozen=True)
class Snapshot:
    """What a run depended on, as the file system showed it (see the module)."""

    #: (path in the input folder, its :data:`Stat`; None for a folder)
    tree: tuple[tuple[str, Stat | None], ...]
    #: path in the input folder -> SHA-256 of a file changed just before the run
    racy: dict[str, str]
    taxonomy: str | None  # the SHA-256 of the --taxonomy file (small: read each time)
    code: tuple[Any, ...]
    #: output file name -> its :data:`Stat` as the run left it
    outputs: dict[str, Stat | None] = field(default_factory=dict)


def _listing(root: Path, leave_out: Path) -> list[tuple[str, Stat | None]] | None:
    """Every folder and file under ``root`` but ``leave_out``, sorted by path; None
    when the folder holds what is checked the ordinary way (a symbolic link, a
    ``.doc`` file, a folder that cannot be listed)."""
    found: list[tuple[str, Stat | None]] = []
    left_out = str(leave_out.resolve())
    pending = [("", str(root))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            return None
        for entry in entries:
            relpath = prefix + entry.name
            if entry.is_symlink() or entry.name.lower().endswith(".doc"):
                return None
            try:
                info = entry.stat()
            except OSError:
                return None
            if stat.S_ISDIR(info.st_mode):
                if os.path.realpath(entry.path) == left_out:
                    continue
                found.append((relpath + "/", None))
                pending.append((relpath + "/", entry.path))
            else:
                found.append(
                    (
                        relpath,
                        (
                            info.st_size,
                            info.st_mtime_ns,
                            info.st_ctime_ns,
                            info.st_ino,
                            info.st_dev,
                        ),
                    )
                )
    found.sort(key=lambda item: item[0])
    return found


def code_stamp() -> tuple[Any, ...]:
    """The interpreter, every file of nvreport and its bundled folders (by
    :data:`Stat`), and the libraries installed on Python's path (by the name, inode
    and time of their ``.dist-info`` folders: installing, upgrading or removing one
    changes them)."""
    import nvreport

    package = Path(nvreport.__file__).parent
    folders = [package]
    for name in ("templates", "taxonomies"):  # outside the package in a source checkout
        beside = package.parents[1] / name
        if beside.is_dir():
            folders.append(beside)
    files = []
    for folder in folders:
        for base, subfolders, names in os.walk(folder):
            subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
            for name in sorted(names):
                if not name.endswith(".pyc"):
                    path = os.path.join(base, name)
                    files.append((path, _stat(path)))
    libraries = []
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listed:
                installed = [
                    (found.name, found.inode(), found.stat().st_mtime_ns)
                    for found in listed
                    if found.name.endswith((".dist-info", ".egg-info"))
                ]
        except OSError:  # not a folder (a zip file, or nothing)
            continue
        libraries.append((entry, tuple(sorted(installed))))
    return (sys.version, sys.executable, tuple(files), tuple(libraries))


def take_snapshot(root: Path, output: Path, taxonomy: Path | None) -> Snapshot | None:
    """What the inputs look like now (taken before the run reads them); None when the
    input folder is checked the ordinary way (see :func:`_listing`)."""
    began = time.time_ns()
    listing = _listing(root, output)
    if listing is None:
        return None
    racy = {}
    for relpath, found in listing:
        if found is not None and max(found[1], found[2]) > began - RACY_SECONDS * 1e9:
            digest = file_sha256(root / relpath)
            if digest is None:
                return None
            racy[relpath] = digest
    return Snapshot(
        tree=tuple(listing),
        racy=racy,
        taxonomy=file_sha256(taxonomy) if taxonomy is not None else None,
        code=code_stamp(),
    )


@dataclass(frozen=True)
class Rerun:
    """What a finished ``analyse`` left for the same command to find again."""

    argv: tuple[str, ...]
    cwd: str
    cache_dir: str
    root: str  # the input folder, resolved
    output: str  # the output folder, resolved
    taxonomy: str | None  # the --taxonomy file, resolved (None: the bundled one)
    snapshot: Snapshot
    # what the command printed from, and its exit code's grounds
    documents: list[DocumentRecord]
    passages: int
    notes: list[str]
    coverage: list[dict[str, Any]]
    labels: dict[str, str]  # theme id -> label
    failed: tuple[str, ...]  # reports that could not be read
    not_read: tuple[str, ...]  # ignored files that may be reports
    root_as_given: str
    output_as_given: str
    strict: bool
    quiet: bool
    suffixes: tuple[str, ...]  # the formats looked for


def record_path(cache_dir: Path, argv: Sequence[str], cwd: str) -> Path:
    """Where the record of this command line, given in ``cwd``, is kept."""
    key = hashlib.sha256("\0".join([cwd, *argv]).encode(errors="surrogateescape"))
    return cache_dir / _FOLDER / f"{key.hexdigest()[:40]}.pickle"


def _output_stats(output: Path, names: Sequence[str]) -> dict[str, Stat | None]:
    return {name: _stat(output / name) for name in names}


def keep(rerun: Rerun, output_names: Sequence[str]) -> None:
    """Keep ``rerun`` (its snapshot completed with the outputs as they are now) in its
    cache folder; drop the records beyond :data:`RECORDS_KEPT`. A failure to keep
    costs only the shortcut."""
    outputs = _output_stats(Path(rerun.output), output_names)
    if any(found is None for found in outputs.values()):
        return
    kept = dataclasses.replace(rerun, snapshot=dataclasses.replace(rerun.snapshot, outputs=outputs))
    target = record_path(Path(rerun.cache_dir), rerun.argv, rerun.cwd)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(pickle.dumps((_FORMAT, kept), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, target)
        records = sorted(
            target.parent.glob("*.pickle"), key=lambda path: path.stat().st_mtime, reverse=True
        )
        for old in records[RECORDS_KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        temporary.unlink(missing_ok=True)


def forget(cache_dir: Path, argv: Sequence[str], cwd: str) -> None:
    """Drop the record of this command line (its run did not leave one to trust)."""
    with contextlib.suppress(OSError):
        record_path(cache_dir, argv, cwd).unlink(missing_ok=True)


def _cache_dir(argv: Sequence[str]) -> Path | None:
    """The cache folder the command line names, as the command would find it (None:
    ``--no-cache``). Only a guess: the record says which folder the command used,
    and a record is trusted only when it is the same."""
    chosen = None
    for number, argument in enumerate(argv):
        if argument == "--no-cache":
            return None
        if argument == "--cache" and number + 1 < len(argv):
            chosen = argv[number + 1]
        elif argument.startswith("--cache="):
            chosen = argument.split("=", 1)[1]
    if chosen:
        return Path(chosen)
    from nvreport.store.cache_folder import default_cache_dir

    return default_cache_dir()


def find(argv: Sequence[str]) -> Rerun | None:
    """The record of this command line when all it depended on is as it was; None
    otherwise (the command is then run the ordinary way)."""
    if "--ocr" in argv or "--help" in argv:
        return None
    cache_dir = _cache_dir(argv)
    if cache_dir is None:
        return None
    cwd = os.getcwd()
    path = record_path(cache_dir, argv, cwd)
    try:
        with open(path, "rb") as handle:
            saved_format, rerun = pickle.load(handle)
    except Exception:  # none, damaged, or of another version
        return None
    if (
        saved_format != _FORMAT
        or not isinstance(rerun, Rerun)
        or tuple(rerun.argv) != tuple(argv)
        or rerun.cwd != cwd
        or rerun.cache_dir != str(cache_dir.resolve())
    ):
        return None
    if not holds(rerun):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: the last to be dropped
    return rerun


def holds(rerun: Rerun) -> bool:
    """Is everything ``rerun`` depended on as it was?"""
    then = rerun.snapshot
    root, output = Path(rerun.root), Path(rerun.output)
    if (
        str(Path(rerun.root_as_given).resolve()) != rerun.root
        or str(Path(rerun.output_as_given).resolve()) != rerun.output
    ):
        return False
    if _output_stats(output, list(then.outputs)) != then.outputs:
        return False
    if rerun.taxonomy is not None and file_sha256(rerun.taxonomy) != then.taxonomy:
        return False
    listing = _listing(root, output)
    if listing is None or tuple(listing) != then.tree:
        return False
    for relpath, digest in then.racy.items():
        if file_sha256(root / relpath) != digest:
            return False
    return code_stamp() == then.code
