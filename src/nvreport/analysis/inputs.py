"""What a run reads: the report files found in a folder, with their checksums.

:func:`gather_inputs` discovers the files (:func:`~nvreport.ingest.discover.discover_reports`),
reads the manifest and hashes every file once, so that a finished run can be recognised
before anything is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nvreport.analysis.document import file_sha256
from nvreport.ingest.discover import Discovery, ReadChoices, discover_reports
from nvreport.ingest.metadata import read_manifest


@dataclass(frozen=True)
class RunInputs:
    """What a run is given: the folder, its manifest, the files found in it, and
    each report's (SHA-256, size), None where the file cannot be opened."""

    root: Path
    manifest: dict
    discovery: Discovery
    digests: tuple[tuple[str, int] | None, ...]


def gather_inputs(
    root: Path, exclude: tuple[Path, ...] = (), choices: ReadChoices | None = None
) -> RunInputs:
    """Read the manifest, find the reports under ``root`` (of the formats ``choices``
    names, default all) and hash each of them. Raises
    :class:`~nvreport.errors.UsageError` for a missing folder or a malformed manifest."""
    manifest = read_manifest(root)
    discovery = discover_reports(root, exclude, choices)
    digests: list[tuple[str, int] | None] = []
    for source in discovery.reports:
        try:
            digests.append(file_sha256(source.path))
        except OSError:
            digests.append(None)  # analyse_document records why it cannot be opened
    return RunInputs(root, manifest, discovery, tuple(digests))
