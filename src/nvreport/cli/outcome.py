"""What ``nvreport analyse`` prints once the outputs are written, and its exit code.

Shared by the command and by a re-run with nothing to do
(:mod:`nvreport.outputs.unchanged`), which prints the same from what the run kept:
so this module loads nothing of the analysis, and rich only when there is something
to print.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nvreport.errors import ExitCode
from nvreport.models import DocumentRecord, DocumentStatus

#: Files --strict names when it fails for files not read; the rest are counted.
LISTED = 20


@dataclass(frozen=True)
class Outcome:
    """What the summary is printed from (a :class:`~nvreport.analysis.tables.RunSummary`
    has the same attributes)."""

    root: Path
    documents: list[DocumentRecord]
    passages: int
    notes: list[str]
    reused: bool = False


def report_analysis(
    analysis: Any,
    covered: list[dict[str, Any]],
    labels: Mapping[str, str],
    output: Path,
    *,
    failed: Sequence[DocumentRecord],
    not_read: Collection[str],
    strict: bool,
    quiet: bool,
    suffixes: Sequence[str],
    kept: bool = False,
) -> int:
    """Print the problems to standard error, and (unless ``quiet``) the coverage and
    the summary to standard output; return the exit code. ``analysis`` is a
    :class:`~nvreport.analysis.tables.RunSummary` or an :class:`Outcome`; ``failed``
    the reports that could not be read; ``not_read`` the paths of ignored files that
    may be reports; ``suffixes`` the formats looked for; ``kept``: nothing had
    changed, and the outputs were left as they were."""
    consoles: dict[bool, Any] = {}

    def console(stderr: bool = False) -> Any:
        if stderr not in consoles:
            from rich.console import Console

            consoles[stderr] = Console(stderr=stderr, soft_wrap=True, emoji=False)
        return consoles[stderr]

    not_read_records = [
        record
        for record in analysis.documents
        if record.status is DocumentStatus.IGNORED and record.source.relpath in not_read
    ]
    for record in analysis.documents:
        if record.status in (DocumentStatus.WARNING, DocumentStatus.NO_TEXT, DocumentStatus.ERROR):
            level = "warning" if record.status is DocumentStatus.WARNING else "error"
            console(stderr=True).print(
                f"nvreport: {level}: {record.source.relpath}: {record.message}",
                markup=False,
                highlight=False,
            )
        elif record.status is DocumentStatus.IGNORED and record.source.relpath in not_read:
            console(stderr=True).print(
                f"nvreport: warning: {record.source.relpath}: not read: {record.message}",
                markup=False,
                highlight=False,
            )
    for note in analysis.notes:
        console(stderr=True).print(f"nvreport: warning: {note}", markup=False, highlight=False)
    readable = [r for r in analysis.documents if r.status is not DocumentStatus.IGNORED]
    if not readable:
        looked_for = ", ".join(f".{name}" for name in suffixes)
        console(stderr=True).print(
            f"nvreport: error: no reports found in {analysis.root} (looked for {looked_for})",
            markup=False,
            highlight=False,
        )
    if not quiet:
        from nvreport.cli.printing import print_coverage, print_summary

        print_coverage(console(), covered, labels)
        print_summary(console(), analysis, output, kept=kept)

    warned = [r for r in analysis.documents if r.status is DocumentStatus.WARNING]
    if strict and (failed or not_read_records):
        files = [record.source.relpath for record in [*failed, *not_read_records]]
        listed = ", ".join(files[:LISTED]) + (
            f" and {len(files) - LISTED} more" if len(files) > LISTED else ""
        )
        console(stderr=True).print(
            f"nvreport: error: --strict: {len(files)} "
            f"{'file was' if len(files) == 1 else 'files were'} not read: {listed}",
            markup=False,
            highlight=False,
        )
    if failed or not readable or (strict and (warned or analysis.notes or not_read_records)):
        return int(ExitCode.SOME_FILES_FAILED)
    return 0
