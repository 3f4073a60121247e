"""Find the reports under an input folder.

Walks the folder recursively, in a stable order, without following symbolic links
to folders (so a link loop cannot trap it) and without reading a linked file that
lies outside the folder: both are listed as ignored, with the reason. Office lock
files (``~$…``) and the clutter operating systems leave (``.DS_Store``,
``Thumbs.db``, ``__MACOSX``, ``._…``) are skipped silently; every other file that
is not a report is returned as ignored, with the reason, so the run's record lists
it: a hidden file or folder, a file of another format or of a format not chosen
(:class:`ReadChoices`), a README or notes file (:data:`NOT_REPORT_NAMES`), a page
that nvreport wrote (a narrative), a zip archive, a ``.doc`` file when LibreOffice
is not installed, and the output folder of an earlier run.

:func:`unread_report` tells which of the ignored files may be reports that were not
read (``--strict`` fails on them), as against files that are not reports at all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from nvreport.errors import UsageError
from nvreport.ingest.metadata import MANIFEST_NAME
from nvreport.models import SourceFile
from nvreport.store.files import readable_name

#: The formats nvreport reads, by the name ``--formats`` takes, with their suffixes.
FORMATS: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "docx": (".docx",),
    "doc": (".doc",),
    "odt": (".odt",),
    "rtf": (".rtf",),
    "txt": (".txt",),
    "md": (".md",),
    "html": (".html", ".htm"),
}
#: What ``--formats`` is by default: every format nvreport reads.
DEFAULT_FORMATS = tuple(FORMATS)
SUPPORTED_SUFFIXES = frozenset(suffix for suffixes in FORMATS.values() for suffix in suffixes)
#: Archives, which may hold reports but are not read: unpacking someone else's archive
#: (its sizes, its paths, its links) is left to the user.
ARCHIVE_SUFFIXES = frozenset({".zip", ".7z", ".rar"})


@dataclass(frozen=True)
class ReadChoices:
    """What the user chose to read: the report formats (``--formats``, as suffixes)
    and whether PDF pages without a text layer are read by OCR (``--ocr``)."""

    suffixes: frozenset[str] = SUPPORTED_SUFFIXES
    ocr: bool = False

    @classmethod
    def of(cls, formats: str | Iterable[str] | None = None, ocr: bool = False) -> ReadChoices:
        """Choices from ``--formats`` ("pdf,docx" or a list of names; None: all)."""
        return cls(suffixes_of(formats), ocr)

    @property
    def formats(self) -> tuple[str, ...]:
        """The names of the formats chosen, in the order of :data:`FORMATS`."""
        return tuple(name for name, suffixes in FORMATS.items() if set(suffixes) <= self.suffixes)


def suffixes_of(formats: str | Iterable[str] | None) -> frozenset[str]:
    """The suffixes of the formats named in ``formats`` ("pdf,docx", any case, with
    or without dots; None or empty: all). Raises :class:`UsageError` for a name
    nvreport does not read, listing those it does."""
    if formats is None:
        return SUPPORTED_SUFFIXES
    names = formats.split(",") if isinstance(formats, str) else list(formats)
    chosen: set[str] = set()
    for raw in names:
        name = raw.strip().lower().lstrip(".")
        if not name:
            continue
        if name == "htm":
            name = "html"
        if name not in FORMATS:
            raise UsageError(
                f"--formats: {raw.strip()!r} is not a format nvreport reads; "
                f"choose from {','.join(FORMATS)}"
            )
        chosen.update(FORMATS[name])
    if not chosen:
        raise UsageError(f"--formats: name at least one of {','.join(FORMATS)}")
    return frozenset(chosen)


@dataclass(frozen=True)
class Discovery:
    """The files found: ``reports`` to read, ``ignored`` with a reason each, and
    ``unlistable`` folders (which may hold reports) with why they could not be
    listed."""

    reports: tuple[SourceFile, ...]
    ignored: tuple[tuple[SourceFile, str], ...]
    unlistable: tuple[tuple[SourceFile, str], ...] = ()


#: What operating systems and Office leave beside files: never listed.
_CLUTTER = frozenset({"thumbs.db", "desktop.ini", ".ds_store", "__macosx", ".spotlight-v100"})


def _skipped_silently(name: str) -> bool:
    return name.startswith(("~$", "._")) or name.casefold() in _CLUTTER


def _hidden(name: str) -> bool:
    return name.startswith(".")


HIDDEN = "hidden (its name starts with a dot): not read"
FORMAT_NOT_CHOSEN = "format not chosen (--formats)"
WRITTEN_BY_NVREPORT = "written by nvreport (a narrative or explorer page): not a report"
EARLIER_RUN = "the outputs of an earlier nvreport run (run.json): not reports"


def discover_reports(
    root: Path, exclude: tuple[Path, ...] = (), choices: ReadChoices | None = None
) -> Discovery:
    """List the report files under ``root``; ``exclude`` holds folders to leave out
    (the output folder, when it lies inside the input folder); ``choices`` the
    formats to read (default: all) and whether PDFs are read with OCR."""
    if not root.exists():
        raise UsageError(f"{root}: no such folder")
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder; give the folder that holds the reports")
    choices = choices or ReadChoices()
    excluded = {path.resolve() for path in exclude}
    reports: list[SourceFile] = []
    ignored: list[tuple[SourceFile, str]] = []
    unlistable: list[tuple[SourceFile, str]] = []

    def on_error(error: OSError) -> None:
        where = Path(error.filename or root)
        source = SourceFile(where, _relative(where, root))
        unlistable.append((source, f"cannot list this folder: {error.strerror}"))

    real_root = root.resolve()
    for folder, subfolders, files in os.walk(root, onerror=on_error):
        here = Path(folder)
        kept: list[str] = []
        for name in sorted(subfolders):
            path = here / name
            if _skipped_silently(name) or path.resolve() in excluded:
                continue
            source = SourceFile(path, _relative(path, root))
            if _hidden(name):
                ignored.append((source, HIDDEN))
            elif path.is_symlink():  # os.walk does not follow it: say so
                ignored.append((source, _folder_link(path, real_root)))
            elif _is_output_folder(path):
                ignored.append((source, EARLIER_RUN))
            else:
                kept.append(name)
        subfolders[:] = kept
        for name in sorted(files):
            if _skipped_silently(name) or (here == root and name == MANIFEST_NAME):
                continue
            path = here / name
            source = SourceFile(path, _relative(path, root))
            why = _why_not_read(path, real_root, choices)
            if why is None:
                ocr = choices.ocr and source.suffix == ".pdf"
                reports.append(SourceFile(path, source.relpath, ocr=ocr) if ocr else source)
            else:
                ignored.append((source, why))
    reports.sort(key=lambda source: source.relpath)
    ignored.sort(key=lambda item: item[0].relpath)
    unlistable.sort(key=lambda item: item[0].relpath)
    return Discovery(tuple(reports), tuple(ignored), tuple(unlistable))


def _why_not_read(path: Path, real_root: Path, choices: ReadChoices) -> str | None:
    """Why the file at ``path`` is not read as a report; None: it is read."""
    suffix = path.suffix.lower()
    if _hidden(path.name):
        return HIDDEN
    if path.is_symlink() and (why := _outside(path, real_root)):
        return why
    if _not_a_report_name(path):
        return _NOT_A_REPORT
    if suffix in ARCHIVE_SUFFIXES:
        return _archive(suffix)
    if suffix not in SUPPORTED_SUFFIXES:
        return f"not a report format ({suffix or 'without an extension'})"
    if suffix not in choices.suffixes:
        return FORMAT_NOT_CHOSEN
    if suffix == ".doc":
        from nvreport.ingest.readers.doc import NO_LIBREOFFICE, libreoffice

        if libreoffice() is None:
            return NO_LIBREOFFICE
    if suffix in (".html", ".htm") and _written_by_nvreport(path):
        return WRITTEN_BY_NVREPORT
    return None


#: A page nvreport wrote says so in its head: ``<meta name="generator" content="nvreport …">``.
_NVREPORT_GENERATOR = re.compile(
    rb"""<meta\s+name\s*=\s*["']?generator["']?\s+content\s*=\s*["']?nvreport\b""",
    re.IGNORECASE,
)
_HEAD_BYTES = 8192


def _written_by_nvreport(path: Path) -> bool:
    """Is the HTML file a page nvreport wrote (a narrative saved among the reports)?
    Its head names nvreport as its generator."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return False  # reading it fails with a message of its own
    return _NVREPORT_GENERATOR.search(head) is not None


def unread_report(source: SourceFile, reason: str) -> bool:
    """Is a file ignored for ``reason`` possibly a report that was not read: an
    archive, a ``.doc`` without LibreOffice, a link to a report file or to a folder
    outside the input folder? ``--strict`` fails on these; the other ignored files
    are not reports (a README, a hidden file, a picture, a format not chosen)."""
    from nvreport.ingest.readers.doc import NO_LIBREOFFICE

    if source.suffix in ARCHIVE_SUFFIXES and reason == _archive(source.suffix):
        return True
    if source.suffix == ".doc" and reason == NO_LIBREOFFICE:
        return True
    if reason == _LINK_OUTSIDE:
        return source.suffix in SUPPORTED_SUFFIXES | ARCHIVE_SUFFIXES
    return reason == _FOLDER_LINK_OUTSIDE


def _archive(suffix: str) -> str:
    kind = "zip" if suffix == ".zip" else suffix.lstrip(".").upper()
    return f"{kind} archive: unpack it first, then analyse the folder"


#: Names (without suffix, any case) of the files that lie beside reports without
#: being one: a README or notes file in Markdown or text would otherwise count as
#: one more actor's report.
NOT_REPORT_NAMES = frozenset(
    {
        "readme",
        "license",
        "licence",
        "licens",
        "changelog",
        "changes",
        "notes",
        "anteckningar",
        "results",
        "resultat",
        "todo",
        "contributing",
        "authors",
        "copying",
        "läsmig",
    }
)


_NOT_A_REPORT = "not a report: a README, licence or notes file, by its name"


def _not_a_report_name(path: Path) -> bool:
    return path.stem.casefold() in NOT_REPORT_NAMES


def _is_output_folder(path: Path) -> bool:
    """Does the folder hold the outputs of an nvreport run (its run.json beside
    documents.csv)? Its passages.csv is no report."""
    try:
        return (path / "run.json").is_file() and (path / "documents.csv").is_file()
    except OSError:  # a folder that cannot be looked into is listed as such by the walk
        return False


def _outside(path: Path, real_root: Path) -> str | None:
    """Why a symbolic link to a file is not read (it leads out of the input folder),
    or None when it leads inside the folder (or nowhere: it cannot be opened, and
    says so). A folder
    unpacked from someone else's zip may carry links to any file of this machine;
    only what lies inside the folder the user named is read."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None  # it leads nowhere: reading it fails with a message, leaking nothing
    if not target.is_relative_to(real_root):
        return _LINK_OUTSIDE
    return None


_LINK_OUTSIDE = "a symbolic link to a file outside the input folder: not read"
_FOLDER_LINK_OUTSIDE = "a symbolic link to a folder outside the input folder: not followed"


def _folder_link(path: Path, real_root: Path) -> str:
    """Why a symbolic link to a folder is not followed."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "a symbolic link to a folder that does not exist (or a loop): not followed"
    if target.is_relative_to(real_root):
        return (
            "a symbolic link to a folder inside the input folder: not followed "
            "(its reports are read where they are)"
        )
    return _FOLDER_LINK_OUTSIDE


def _relative(path: Path, root: Path) -> str:
    try:
        return readable_name(path.relative_to(root).as_posix())
    except ValueError:
        return readable_name(path.as_posix())
