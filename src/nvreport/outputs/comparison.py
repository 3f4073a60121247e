"""The files of a comparison of years: its tables as CSV, ``comparison.json`` and the workbook."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from nvreport import __version__
from nvreport.outputs.compare_explorer import write_compare_explorer
from nvreport.outputs.explorer import EXPLORER_NAME
from nvreport.outputs.tables import frame_to_csv
from nvreport.outputs.workbook import sheets_to_xlsx
from nvreport.store.csv_dialect import DEFAULT_DIALECT, CsvDialect
from nvreport.store.files import to_json, written_together


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: missing values become null, numpy numbers plain numbers."""
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def write_comparison(
    comparison: Any,
    output: Path,
    taxonomy: Any,
    options: dict[str, Any],
    dialect: CsvDialect = DEFAULT_DIALECT,
    *,
    years: Sequence[Any] = (),
    drift: pd.DataFrame | None = None,
) -> None:
    """Write every output of ``nvreport compare`` into ``output``, all at once: a run
    that fails or is interrupted leaves the previous outputs as they were. The texts
    are written as they are, but in the CSV files (:func:`frame_to_csv`, in
    ``dialect``). With ``years``, the years compared (their
    :class:`~nvreport.analysis.compare.YearData`), ``explorer.html`` too; with
    ``drift`` (:func:`~nvreport.analysis.drift.term_drift`), ``term_drift.csv``."""
    from nvreport.analysis.compare import biggest_movers

    movers = biggest_movers(comparison)
    with written_together(output) as stage:
        _write_comparison(comparison, stage, taxonomy, options, movers, dialect, drift)
        if drift is not None:
            frame_to_csv(drift, stage("term_drift.csv"), dialect)
        if years:
            write_compare_explorer(comparison, years, taxonomy, output, stage(EXPLORER_NAME))


def _write_comparison(
    comparison: Any,
    stage: Callable[[str], Path],
    taxonomy: Any,
    options: dict[str, Any],
    movers: pd.DataFrame,
    dialect: CsvDialect = DEFAULT_DIALECT,
    drift: pd.DataFrame | None = None,
) -> None:
    from nvreport.analysis.figures import CHANGES, COVERAGE_COLUMNS

    frame_to_csv(comparison.coverage[list(COVERAGE_COLUMNS)], stage("coverage.csv"), dialect)
    frame_to_csv(comparison.transitions, stage("transitions.csv"), dialect)
    sheets_to_xlsx(
        {
            "coverage": comparison.coverage,
            "changes": comparison.changes,
            "pairs": comparison.pairs,
            "transitions": comparison.transitions,
            "new_text": comparison.novelty,
            "intensity": comparison.intensity,
        },
        stage("comparison.xlsx"),
    )
    labels = {theme.id: theme.label for theme in taxonomy.themes}
    document = {
        "nvreport_version": __version__,
        "taxonomy": {
            "version": taxonomy.version,
            "file": taxonomy.source,
            "sha256": taxonomy.sha256,
        },
        "years": comparison.years,
        "options": options,
        "new_only": comparison.new_only,
        "themes": [
            {
                "id": theme.id,
                "label": theme.label,
                "area": theme.group,
                "description": theme.description,
            }
            for theme in taxonomy.themes
        ],
        "change_kinds": CHANGES,
        "notes": comparison.notes,
        "actors": _records(
            comparison.actors.drop(columns=["actor_key"]).assign(key=comparison.actors["actor_key"])
        ),
        "coverage": _records(comparison.coverage),
        "changes": _records(comparison.changes),
        "pairs": _records(comparison.pairs),
        "movers": _records(movers),
        "transitions": _records(comparison.transitions),
        "new_text": _records(comparison.novelty),
        "intensity": _records(comparison.intensity),
        "theme_labels": labels,
    }
    if drift is not None:
        document["term_drift"] = _records(drift)
    to_json(document, stage("comparison.json"))
