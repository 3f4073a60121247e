"""Write an analysis to disk: passages, documents and the run record.

Every file is written to a temporary file beside its target and moved into place
with :func:`os.replace`, so an interrupted run leaves the previous outputs whole.
CSV files are UTF-8 with a byte-order mark, so Excel shows å, ä and ö right.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from nvreport import __version__
from nvreport.aggregate import coverage, themes_by_document
from nvreport.pipeline import Analysis

CSV_ENCODING = "utf-8-sig"


def atomic_write(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temporary_path)`` and move the result onto ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_csv(frame: pd.DataFrame, target: Path) -> None:
    atomic_write(
        target,
        lambda path: frame.to_csv(path, index=False, encoding=CSV_ENCODING, lineterminator="\n"),
    )


def write_json(data: Any, target: Path) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    atomic_write(target, lambda path: path.write_text(text, encoding="utf-8"))


_PASSAGE_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("file", pa.string()),
        ("actor", pa.string()),
        ("actor_type", pa.string()),
        ("lan", pa.string()),
        ("year", pa.int32()),
        ("page", pa.int32()),
        ("section", pa.string()),
        ("index", pa.int32()),
        ("kind", pa.string()),
        ("text", pa.string()),
        ("context", pa.string()),
        ("word_count", pa.int32()),
        ("evidence", pa.string()),
    ]
)
_EVIDENCE = pa.struct(
    [("text", pa.string()), ("start", pa.int32()), ("end", pa.int32()), ("sentence", pa.string())]
)
_TAGS = pa.list_(
    pa.struct([("id", pa.string()), ("status", pa.string()), ("evidence", pa.list_(_EVIDENCE))])
)


def _passages_table(analysis: Analysis, frame: pd.DataFrame) -> pa.Table:
    """The passages as Arrow: plain columns from the frame; themes and facets as
    lists of structs {id, status, evidence: [{text, start, end, sentence}]}."""
    plain = frame.drop(columns=["themes", "facets"])
    table = pa.Table.from_pandas(plain, schema=_PASSAGE_SCHEMA, preserve_index=False)
    themes_column, facets_column = [], []
    for number in range(len(analysis.passages)):
        themes, facets = analysis.tags_of(number)
        evidence: dict[str, list[dict]] = {}
        for m in analysis.matches[number] if analysis.matches else ():
            evidence.setdefault(m.theme, []).append(
                {"text": m.text, "start": m.start, "end": m.end, "sentence": m.sentence}
            )
        for tags, column in ((themes, themes_column), (facets, facets_column)):
            column.append(
                [
                    {"id": tag, "status": status, "evidence": evidence.get(tag, [])}
                    for tag, status in tags.items()
                ]
            )
    position = table.schema.get_field_index("word_count") + 1
    table = table.add_column(position, pa.field("themes", _TAGS), pa.array(themes_column, _TAGS))
    table = table.add_column(
        position + 1, pa.field("facets", _TAGS), pa.array(facets_column, _TAGS)
    )
    return table.replace_schema_metadata(None)


def write_parquet(table: pa.Table, target: Path) -> None:
    table = table.replace_schema_metadata(None)  # no pandas metadata: same bytes every run
    atomic_write(target, lambda path: pq.write_table(table, path))


def run_record(analysis: Analysis, output: Path, options: dict[str, Any]) -> dict[str, Any]:
    """What ``run.json`` holds: version, inputs with their SHA-256, options, times."""
    documents = analysis.documents
    statuses: dict[str, int] = {}
    for record in documents:
        statuses[record.status.value] = statuses.get(record.status.value, 0) + 1
    return {
        "nvreport_version": __version__,
        "command": "analyse",
        "input": str(analysis.root),
        "output": str(output),
        "options": options,
        "started": analysis.started.isoformat(timespec="seconds"),
        "finished": analysis.finished.isoformat(timespec="seconds"),
        "counts": {
            "files": len(documents),
            "passages": len(analysis.passages),
            "by_status": dict(sorted(statuses.items())),
        },
        "taxonomy": (
            {
                "version": analysis.taxonomy.version,
                "file": analysis.taxonomy.source,
                "sha256": analysis.taxonomy.sha256,
            }
            if analysis.taxonomy
            else None
        ),
        "manifest": list(analysis.manifest_files),
        "notes": analysis.notes,
        "files": [
            {
                "file": record.source.relpath,
                "sha256": record.sha256,
                "size_bytes": record.size,
                "status": record.status.value,
            }
            for record in documents
        ],
    }


def write_analysis(analysis: Analysis, output: Path, options: dict[str, Any]) -> pd.DataFrame:
    """Write every output of ``nvreport analyse`` into ``output``; return the coverage."""
    output.mkdir(parents=True, exist_ok=True)
    passages = analysis.passages_frame()
    by_document = themes_by_document(analysis)
    written = [
        output / "passages.parquet",
        output / "passages.csv",
        output / "documents.csv",
        output / "themes_by_actor.csv",
        output / "coverage.csv",
        output / "run.json",
    ]
    write_parquet(_passages_table(analysis, passages), written[0])
    write_csv(passages, written[1])
    write_csv(analysis.documents_frame(), written[2])
    write_csv(by_document, written[3])
    covered = coverage(analysis, by_document)
    write_csv(covered, written[4])
    write_json(run_record(analysis, output, options), written[5])
    return covered


# --- compare ---------------------------------------------------------------------------

_FIXED_TIME = (2000, 1, 1, 0, 0, 0)


def _stable_zip(path: Path) -> None:
    """Rewrite a zip (an .xlsx) with fixed member times, so the bytes depend only on
    the content."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info.filename)) for info in source.infolist()]
    # openpyxl stamps the time of saving into the document properties
    fixed_time = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*_FIXED_TIME).encode()
    members = [
        (
            info,
            re.sub(
                rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                rb"\g<1>" + fixed_time + rb"\g<2>",
                data,
            )
            if info.filename == "docProps/core.xml"
            else data,
        )
        for info, data in members
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)


def write_xlsx(sheets: dict[str, pd.DataFrame], target: Path) -> None:
    """One sheet per frame, with a frozen header row, filters, and column widths that
    fit Swedish labels. The file is the same, byte for byte, for the same frames."""
    from datetime import datetime

    from openpyxl.utils import get_column_letter

    def write(path: Path) -> None:
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                frame.to_excel(writer, sheet_name=name, index=False)
                sheet = writer.sheets[name]
                sheet.freeze_panes = "A2"
                if len(frame.columns):
                    last = get_column_letter(len(frame.columns))
                    sheet.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
                for number, column in enumerate(frame.columns, start=1):
                    values = [str(column), *(str(v) for v in frame[column].head(500))]
                    width = min(60, max(len(value) for value in values) + 2)
                    sheet.column_dimensions[get_column_letter(number)].width = width
            book = writer.book
            book.properties.created = datetime(*_FIXED_TIME)
            book.properties.modified = datetime(*_FIXED_TIME)
            book.properties.creator = "nvreport"
        _stable_zip(path)

    atomic_write(target, write)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: missing values become null, numpy numbers plain numbers."""
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def write_comparison(comparison: Any, output: Path, taxonomy: Any, options: dict[str, Any]) -> None:
    """Write every output of ``nvreport compare`` into ``output``."""
    from nvreport.aggregate import COVERAGE_COLUMNS
    from nvreport.compare import CHANGES, biggest_movers

    output.mkdir(parents=True, exist_ok=True)
    write_csv(comparison.coverage[list(COVERAGE_COLUMNS)], output / "coverage.csv")
    write_csv(comparison.transitions, output / "transitions.csv")
    write_xlsx(
        {
            "coverage": comparison.coverage,
            "changes": comparison.changes,
            "transitions": comparison.transitions,
            "new_text": comparison.novelty,
            "intensity": comparison.intensity,
        },
        output / "comparison.xlsx",
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
        "movers": _records(biggest_movers(comparison)),
        "transitions": _records(comparison.transitions),
        "new_text": _records(comparison.novelty),
        "intensity": _records(comparison.intensity),
        "theme_labels": labels,
    }
    write_json(document, output / "comparison.json")
