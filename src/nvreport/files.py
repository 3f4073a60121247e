"""Files written whole or not at all.

Every output is written to a temporary file beside its target and moved into place
with :func:`os.replace`, so an interrupted run leaves the previous file whole;
:func:`written_together` moves several files into place as one. The temporaries of
a run that was killed before it could remove them are removed by the next run that
writes to the folder (:func:`remove_stale_temporaries`). Kept apart from
:mod:`nvreport.outputs` so that work which only moves files (reusing a finished
run) does not load pandas.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temporary(folder: Path, name: str) -> Path:
    """An empty temporary file in ``folder`` for ``name``, with the permissions a
    newly created file gets (mkstemp's own are owner-only, which would make an
    output unreadable to the colleagues the analyst shares the folder with)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    with contextlib.suppress(AttributeError, OSError):  # no fchmod on this platform
        os.fchmod(handle, 0o666 & ~_umask())
    os.close(handle)
    return Path(temporary)


#: A temporary file of ours untouched this long (seconds) belongs to a run that was
#: killed (``kill -9``, a power cut) before it could remove it: a live run writes its
#: temporaries within seconds and moves them into place at once.
STALE_AFTER = 15 * 60
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")  # as tempfile.mkstemp names them


def remove_stale_temporaries(folder: Path, now: float | None = None) -> list[str]:
    """Remove the temporary files a killed run left in ``folder``; return their
    names. Only files named as :func:`_temporary` names them, and only when no
    run has written to them for :data:`STALE_AFTER` seconds."""
    removed: list[str] = []
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMPORARY.match(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and (
                now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
            ):
                os.unlink(entry.path)
                removed.append(entry.name)
    return sorted(removed)


def atomic_write(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temporary_path)`` and move the result onto ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target.parent)
    temporary = _temporary(target.parent, target.name)
    try:
        write(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C back for the duration of the block, then deliver it."""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is None:
        yield  # signals can be handled only in the main thread; None: not set by Python
        return
    caught: list[int] = []
    signal.signal(signal.SIGINT, lambda number, _frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and callable(previous):
            previous(signal.SIGINT, None)


@contextlib.contextmanager
def written_together(folder: Path) -> Iterator[Callable[[str], Path]]:
    """Write several files into ``folder`` as one: the block gets ``stage(name)``, the
    temporary path to write ``name`` to; when the block is done, every file is moved
    into place, with Ctrl-C held back until the last is; when it fails or is
    interrupted, the temporaries are removed and ``folder`` is left as it was."""
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder)
    staged: list[tuple[Path, Path]] = []

    def stage(name: str) -> Path:
        temporary = _temporary(folder, name)
        staged.append((temporary, folder / name))
        return temporary

    try:
        yield stage
        with _interrupts_held():
            for temporary, target in staged:
                os.replace(temporary, target)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def to_json(data: Any, path: Path) -> None:
    """Write ``data`` as indented UTF-8 JSON, Swedish letters as they are (and a path
    that is not UTF-8 as :func:`readable_name` shows it)."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    path.write_text(readable_name(text), encoding="utf-8")


def readable_name(name: str) -> str:
    """A file or folder name as text that can be written anywhere.

    On Linux a name is bytes, and Python stands in for bytes that are not UTF-8 with
    lone surrogates, which no UTF-8 file (CSV, JSON) can hold. Such names come from
    zip files and shares made on Windows, in its Swedish code page: "J\xf6nk\xf6ping".
    Those bytes are read as Windows-1252 ("Jönköping"); a byte that is not a
    character there becomes "\ufffd". The file is still opened by its real name."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        text = os.fsencode(name).decode("utf-8", errors="surrogateescape")
        return "".join(
            bytes([ord(char) - 0xDC00]).decode("cp1252", errors="replace")
            if "\udc80" <= char <= "\udcff"
            else char
            for char in text
        )
    return name
