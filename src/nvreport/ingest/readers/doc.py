"""Reader for Word 97–2003 documents (``.doc``), through LibreOffice.

The old binary Word format is read by converting the file to ``.docx`` with
LibreOffice (``soffice --headless --convert-to docx``), in a temporary folder of its
own, with a profile of its own (so that conversions in parallel workers, or an open
LibreOffice window, do not stand in each other's way), within
:data:`CONVERSION_SECONDS`; the ``.docx`` is then read by the DOCX reader
(:func:`~nvreport.ingest.readers.docx.read_docx`), headings, lists, tables and all.

When LibreOffice is not installed, discovery lists a ``.doc`` file as ignored with
:data:`NO_LIBREOFFICE`, which says how to get it; ``--strict`` fails on such a file.
Importing this module is cheap: it loads the DOCX reader only to read.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from nvreport.errors import EncryptedDocumentError, UnreadableDocumentError
from nvreport.models import ReadResult

#: Seconds LibreOffice may take to convert one file (it starts in a few seconds; a
#: report of a hundred pages converts in a few more).
CONVERSION_SECONDS = 120.0

NO_LIBREOFFICE = (
    "a Word 97–2003 document (.doc): nvreport reads it through LibreOffice, which is "
    "not installed; install LibreOffice (Debian/Ubuntu: apt install "
    "libreoffice-writer-nogui; otherwise from libreoffice.org) or save the file as "
    ".docx in Word"
)

_COMMANDS = ("soffice", "libreoffice")


@functools.lru_cache(maxsize=1)
def libreoffice() -> str | None:
    """The path of LibreOffice's ``soffice`` command, None when it is not installed."""
    for command in _COMMANDS:
        found = shutil.which(command)
        if found:
            return found
    return None


def read_doc(path: Path) -> ReadResult:
    """Read a ``.doc`` file: convert it to ``.docx`` with LibreOffice, then read that.

    Raises :class:`UnreadableDocumentError` when LibreOffice is missing, fails or
    takes longer than :data:`CONVERSION_SECONDS` (that one ``transient``: a busy
    machine may convert it next time), and :class:`EncryptedDocumentError` for a
    password-protected document."""
    from nvreport.ingest.readers.docx import read_docx

    command = libreoffice()
    if command is None:
        raise UnreadableDocumentError(path, NO_LIBREOFFICE, transient=True)
    try:
        with path.open("rb") as handle:
            handle.read(8)
    except OSError as exc:
        raise UnreadableDocumentError(
            path, f"cannot open the file ({exc.strerror or exc})", transient=True
        ) from exc
    with tempfile.TemporaryDirectory(prefix="nvreport-doc-") as work:
        folder = Path(work)
        # LibreOffice names its output after the input: give it a plain name, so a
        # name with odd characters (or one starting with "-") cannot confuse it
        source = folder / "in" / "report.doc"
        source.parent.mkdir()
        shutil.copyfile(path, source)
        converted = _convert(command, source, folder, path)
        try:
            result = read_docx(converted)
        except EncryptedDocumentError:
            raise
        except UnreadableDocumentError as error:
            raise UnreadableDocumentError(
                path,
                f"LibreOffice converted it, but the result could not be read ({error.reason})",
                transient=error.transient,
            ) from None
    return result


def _convert(command: str, source: Path, folder: Path, path: Path) -> Path:
    """Convert ``source`` to ``folder/out/report.docx`` with LibreOffice; ``path`` is
    the user's file, named in errors."""
    out = folder / "out"
    profile = (folder / "profile").as_uri()
    arguments = [
        command,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(out),
        str(source),
    ]
    environment = {**os.environ, "HOME": str(folder)}  # nothing of the user's profile
    try:
        process = subprocess.Popen(  # a fixed command, no shell
            arguments,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            start_new_session=True,  # its helper processes are stopped with it
            preexec_fn=_bounded if os.name == "posix" else None,
        )
    except OSError as exc:
        raise UnreadableDocumentError(
            path, f"LibreOffice could not be started ({exc.strerror or exc})", transient=True
        ) from exc
    try:
        _stdout, stderr = process.communicate(timeout=CONVERSION_SECONDS)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise UnreadableDocumentError(
            path,
            f"LibreOffice took longer than {CONVERSION_SECONDS:g} s to convert it to .docx; "
            "stopped",
            transient=True,
        ) from None
    except BaseException:  # interrupted: leave no LibreOffice behind
        _stop(process)
        raise
    converted = out / "report.docx"
    if process.returncode != 0 or not converted.is_file():
        # its message names the temporary folder, which differs from run to run
        said = " ".join(stderr.decode("utf-8", "replace").replace(str(folder), "").split())
        raise UnreadableDocumentError(
            path,
            "LibreOffice could not convert it to .docx (damaged, password-protected, or "
            "not a Word document?)" + (f": {said[:300]}" if said else ""),
        )
    return converted


def _bounded() -> None:
    """In LibreOffice's process, before it starts: at most :data:`CONVERSION_SECONDS`
    of processor time (inherited by the processes it starts), and, on Linux, stopped
    when the process that started it dies (a worker stopped by ``--time-limit``), so
    that no conversion outlives the run."""
    import resource

    seconds = int(CONVERSION_SECONDS)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the time-out stops it
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _stop(process: subprocess.Popen) -> None:
    """Stop LibreOffice and the processes it started (its own session)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        process.kill()
    process.wait()
