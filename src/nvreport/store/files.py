"""Files written whole or not at all.

Every output is written to a temporary file beside its target and moved into place
with :func:`os.replace`, so an interrupted run leaves the previous file whole;
:func:`written_together` moves several files into place as one. The temporaries of
a run that was killed before it could remove them are removed by the next run that
writes to the folder (:func:`remove_stale_temporaries`). Kept apart from
:mod:`nvreport.outputs.tables` so that work which only moves files (reusing a finished
run) does not load pandas.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from nvreport.errors import UsageError


class OutputError(UsageError):
    """An output cannot be written where the user asked (a file where a folder should
    be, no permission, a full disk); the previous outputs are left as they were."""


#: What the system's refusal to write means, in the words of someone who sees only
#: the folder.
_WRITE_PROBLEMS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file would be larger than the disk allows",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "no permission to write there",
    errno.EPERM: "no permission to write there",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EEXIST: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ENOENT: "the folder went away while it was written to",
}


def write_problem(error: OSError) -> str:
    """``error``, raised while writing, as a plain sentence (no Python in it)."""
    if error.errno in _WRITE_PROBLEMS:
        return _WRITE_PROBLEMS[error.errno]
    if "No space left" in str(error):  # pyarrow's errors carry no errno
        return _WRITE_PROBLEMS[errno.ENOSPC]
    return (error.strerror or "the system refused to write").lower().rstrip(".")


def _output_error(error: OSError, path: Path) -> OutputError:
    return OutputError(
        f"cannot write the outputs to {readable_name(str(path))}: {write_problem(error)}; "
        "earlier outputs there are left as they were"
    )


def check_output_folder(folder: Path) -> None:
    """Refuse, before any work, a folder of outputs that cannot be one: a file, or a
    path through a file."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(
            f"{readable_name(str(folder))} is a file, not a folder: name a folder for the "
            "outputs (it is created if missing)"
        )
    _check_parents(folder)


def check_output_file(target: Path) -> None:
    """Refuse, before any work, a file to write that cannot be one: a folder, or a path
    through a file."""
    if target.is_dir():
        raise OutputError(f"{readable_name(str(target))} is a folder: name the file to write in it")
    _check_parents(target)


def _check_parents(path: Path) -> None:
    for parent in path.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(
                    f"cannot write to {readable_name(str(path))}: "
                    f"{readable_name(str(parent))} is a file, not a folder"
                )
            return


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
    """Call ``write(temporary_path)`` and move the result onto ``target``. A failure
    to write (a full disk, no permission) is an :class:`OutputError`."""
    check_output_file(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target.parent)
        temporary = _temporary(target.parent, target.name)
    except OSError as error:
        raise _output_error(error, target) from error
    try:
        write(temporary)
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _output_error(error, target) from error
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


def _is_writing(error: OSError, staged: list[tuple[Path, Path]]) -> bool:
    """Did ``error``, raised in a block of :func:`written_together`, come from writing
    one of its files (rather than, say, from reading a report)?"""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS):
        return True
    if "No space left" in str(error):
        return True
    named = {str(path) for pair in staged for path in pair}
    return str(error.filename) in named or str(error.filename2) in named


def _backup(target: Path) -> Path | None:
    """A second name (a hard link) for ``target``'s present content, to put it back if
    a later file of the same set cannot be moved into place; None when there is no
    such file or the disk cannot link."""
    if not os.path.lexists(target):
        return None
    backup = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError:
        return None
    return backup


def _move_into_place(staged: list[tuple[Path, Path]]) -> None:
    """Move every staged file onto its target; when one cannot be, put back the ones
    already moved, so the targets are all the new files or all the old ones."""
    for _, target in staged:
        if target.is_dir() and not target.is_symlink():
            raise OSError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    done: list[tuple[Path, Path | None, bool]] = []  # target, backup, existed before
    try:
        for temporary, target in staged:
            existed = os.path.lexists(target)
            backup = _backup(target)
            try:
                os.replace(temporary, target)
            except BaseException:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                raise
            done.append((target, backup, existed))
    except BaseException:
        for target, backup, existed in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                elif not existed:
                    target.unlink()
        raise
    finally:
        for _, backup, _ in done:
            if backup is not None:
                backup.unlink(missing_ok=True)


@contextlib.contextmanager
def written_together(folder: Path) -> Iterator[Callable[[str], Path]]:
    """Write several files into ``folder`` as one: the block gets ``stage(name)``, the
    temporary path to write ``name`` to (``name`` may lead into a subfolder,
    "figurer/1.svg"); when the block is done, every file is moved into place, with
    Ctrl-C held back until the last is; when it fails or is interrupted, the
    temporaries are removed and ``folder`` is left as it was. A failure to write (a
    full disk, no permission, a file where a folder should be) is an
    :class:`OutputError`."""
    check_output_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _output_error(error, folder) from error
    remove_stale_temporaries(folder)
    staged: list[tuple[Path, Path]] = []

    def stage(name: str) -> Path:
        target = folder / name
        try:
            if target.parent != folder:
                check_output_folder(target.parent)
                target.parent.mkdir(parents=True, exist_ok=True)
                remove_stale_temporaries(target.parent)
            temporary = _temporary(target.parent, target.name)
        except OSError as error:
            raise _output_error(error, folder) from error
        staged.append((temporary, target))
        return temporary

    try:
        try:
            yield stage
        except OSError as error:
            if _is_writing(error, staged):
                raise _output_error(error, folder) from error
            raise
        with _interrupts_held():
            try:
                _move_into_place(staged)
            except OSError as error:
                raise _output_error(error, folder) from error
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
