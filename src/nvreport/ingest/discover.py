"""Find the reports under an input folder.

Walks the folder recursively, in a stable order, without following symbolic links
to folders (so a link loop cannot trap it) and without reading a linked file that
lies outside the folder: both are listed as ignored, with the reason. Hidden files
and folders and Office lock files (``~$…``) are skipped silently; every other file
that is not a report format, a README or notes file (:data:`NOT_REPORT_NAMES`), and
the output folder of an earlier run are returned as ignored, with the reason, so the
run's record lists them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from nvreport.errors import UsageError
from nvreport.ingest.metadata import MANIFEST_NAME
from nvreport.models import SourceFile
from nvreport.store.files import readable_name

SUPPORTED_SUFFIXES = frozenset({".pdf", ".docx", ".txt", ".md", ".html", ".htm"})


@dataclass(frozen=True)
class Discovery:
    """The files found: ``reports`` to read, ``ignored`` with a reason each, and
    ``unlistable`` folders (which may hold reports) with why they could not be
    listed."""

    reports: tuple[SourceFile, ...]
    ignored: tuple[tuple[SourceFile, str], ...]
    unlistable: tuple[tuple[SourceFile, str], ...] = ()


def _skipped_silently(name: str) -> bool:
    return name.startswith((".", "~$")) or name in {"Thumbs.db", "desktop.ini", "__MACOSX"}


def discover_reports(root: Path, exclude: tuple[Path, ...] = ()) -> Discovery:
    """List the report files under ``root``; ``exclude`` holds folders to leave out
    (the output folder, when it lies inside the input folder)."""
    if not root.exists():
        raise UsageError(f"{root}: no such folder")
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder; give the folder that holds the reports")
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
            if path.is_symlink():  # os.walk does not follow it: say so
                ignored.append(
                    (SourceFile(path, _relative(path, root)), _folder_link(path, real_root))
                )
                continue
            if _is_output_folder(path):
                ignored.append(
                    (
                        SourceFile(path, _relative(path, root)),
                        "the outputs of an earlier nvreport run (run.json): not reports",
                    )
                )
                continue
            kept.append(name)
        subfolders[:] = kept
        for name in sorted(files):
            if _skipped_silently(name):
                continue
            path = here / name
            source = SourceFile(path, _relative(path, root))
            if here == root and name == MANIFEST_NAME:
                continue
            if path.is_symlink() and (why := _outside(path, real_root)):
                ignored.append((source, why))
                continue
            if path.suffix.lower() in SUPPORTED_SUFFIXES and _not_a_report_name(path):
                ignored.append((source, _NOT_A_REPORT))
            elif path.suffix.lower() in SUPPORTED_SUFFIXES:
                reports.append(source)
            else:
                kind = path.suffix.lower() or "without an extension"
                ignored.append((source, f"not a report format ({kind})"))
    reports.sort(key=lambda source: source.relpath)
    ignored.sort(key=lambda item: item[0].relpath)
    unlistable.sort(key=lambda item: item[0].relpath)
    return Discovery(tuple(reports), tuple(ignored), tuple(unlistable))


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
        return "a symbolic link to a file outside the input folder: not read"
    return None


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
    return "a symbolic link to a folder outside the input folder: not followed"


def _relative(path: Path, root: Path) -> str:
    try:
        return readable_name(path.relative_to(root).as_posix())
    except ValueError:
        return readable_name(path.as_posix())
