"""The exceptions nvreport raises, and the exit codes the CLI turns them into."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Exit statuses of the ``nvreport`` command."""

    OK = 0
    SOME_FILES_FAILED = 1
    USAGE = 2
    INTERNAL = 70
    INTERRUPTED = 130


class NvreportError(Exception):
    """Base class of every error the library raises on purpose."""


class UsageError(NvreportError):
    """The user asked for something that cannot be done (bad folder, bad manifest)."""


class UnreadableDocumentError(NvreportError):
    """A file could not be read. ``reason`` says why, in words an analyst understands.
    ``transient``: the cause lies outside the file and may not recur (it could not be
    opened, or memory ran out), so the failure is not kept in the cache."""

    status = "error"

    def __init__(self, path: Path | str, reason: str, *, transient: bool = False) -> None:
        self.path = Path(path)
        self.reason = reason
        self.transient = transient
        super().__init__(f"{self.path.name}: {reason}")


class EncryptedDocumentError(UnreadableDocumentError):
    """The file is encrypted (password-protected) and cannot be read."""


class NoTextError(UnreadableDocumentError):
    """The file has pages but no text layer (a scan): it needs OCR first."""

    status = "no_text"
