"""What ``run.json`` holds: the run's command, options, clock, counts, taxonomy and every
input file with its status.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nvreport import __version__
from nvreport.analysis.accounting import text_figures, text_totals
from nvreport.analysis.tables import RunSummary
from nvreport.store.files import readable_name


def run_record(run: RunSummary, output: Path, options: dict[str, Any]) -> dict[str, Any]:
    """What ``run.json`` holds: version, inputs with their SHA-256, options, times,
    and the text accounting, per file and in total."""
    documents = run.documents
    statuses: dict[str, int] = {}
    for record in documents:
        statuses[record.status.value] = statuses.get(record.status.value, 0) + 1
    return {
        "nvreport_version": __version__,
        "command": "analyse",
        "input": readable_name(str(run.root)),
        "output": readable_name(str(output)),
        "options": options,
        "started": run.started.isoformat(timespec="seconds"),
        "finished": run.finished.isoformat(timespec="seconds"),
        "counts": {
            "files": len(documents),
            "passages": run.passages,
            "by_status": dict(sorted(statuses.items())),
            "text": text_totals(documents),
        },
        "gaps": run.gaps,
        "taxonomy": (
            {
                "version": run.taxonomy.version,
                "file": run.taxonomy.source,
                "sha256": run.taxonomy.sha256,
            }
            if run.taxonomy
            else None
        ),
        "manifest": list(run.manifest_files),
        "notes": run.notes,
        "files": [
            {
                "file": record.source.relpath,
                "sha256": record.sha256,
                "size_bytes": record.size,
                "status": record.status.value,
                **text_figures(record),
                "partly_read": record.partly_read,
            }
            for record in documents
        ],
    }
