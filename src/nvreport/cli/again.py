"""``nvreport analyse`` run again with nothing changed: print what it printed.

Called by :func:`nvreport.cli.main` before the command line is parsed, so that a
re-run loads neither the analysis nor the command-line library (see
:mod:`nvreport.outputs.unchanged`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def analyse_again(arguments: Sequence[str]) -> int | None:
    """The exit code of ``nvreport analyse`` with these ``arguments``, after printing
    what it prints, when the same command ran before and nothing it depended on has
    changed; None when it is to be run the ordinary way."""
    from nvreport.outputs import unchanged

    try:
        rerun = unchanged.find(arguments)
    except Exception:  # a doubt of any kind: the ordinary way decides
        return None
    if rerun is None:
        return None
    from nvreport.cli.outcome import Outcome, report_analysis

    failed = set(rerun.failed)
    return report_analysis(
        Outcome(
            root=Path(rerun.root_as_given),
            documents=rerun.documents,
            passages=rerun.passages,
            notes=rerun.notes,
        ),
        rerun.coverage,
        rerun.labels,
        Path(rerun.output_as_given),
        failed=[record for record in rerun.documents if record.source.relpath in failed],
        not_read=set(rerun.not_read),
        strict=rerun.strict,
        quiet=rerun.quiet,
        suffixes=rerun.suffixes,
        kept=True,
    )
