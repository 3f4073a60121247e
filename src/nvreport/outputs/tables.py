"""Write an analysis to disk: passages, documents and the run record.

Every file is written to a temporary file beside its target and moved into place
with :func:`os.replace`, so an interrupted run leaves the previous outputs whole.
The outputs of ``analyse`` are moved into place together, once all are written, so
they are either all the previous run's or all this one's.
CSV files are UTF-8 with a byte-order mark, so Excel shows å, ä and ö right, and a
text cell Excel would take for a formula gets a leading apostrophe
(:func:`excel_text`); an .xlsx file keeps every text as text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate, chain
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from nvreport import __version__
from nvreport.analysis.aggregate import coverage, document_summary, themes_by_document
from nvreport.analysis.tables import (
    PASSAGE_COLUMNS,
    Analysis,
    DocumentPart,
    DocumentTags,
    FlatTags,
    RunSummary,
    document_parts,
    entry_kinds,
    gc_paused,
    passage_values,
)
from nvreport.models import DocumentRecord
from nvreport.outputs.runs import run_record
from nvreport.store.files import atomic_write, to_json, written_together
from nvreport.tagging.taxonomy import Taxonomy

CSV_ENCODING = "utf-8-sig"

#: What makes Excel take a cell of a CSV file for a formula (OWASP's list), or an
#: apostrophe (the guard itself, so that it can be taken off again exactly).
_GUARDED_STARTS = frozenset("=+-@\t\r'")
_FORMULA_STARTS = frozenset("=+-@\t\r")
#: A signed number ("-3", "+2,5 %"): Excel reads it as the number it is.
_SIGNED_NUMBER = re.compile(r"[+-]\s?\d[\d\s]*(?:[.,]\d+)?\s*%?")


def _needs_guard(text: str) -> bool:
    bare = text.lstrip("'")
    return bool(bare) and bare[0] in _FORMULA_STARTS and not _SIGNED_NUMBER.fullmatch(bare)


def excel_text(value: Any) -> Any:
    """``value`` as a CSV cell that Excel shows as the text it is.

    Excel runs a cell that starts with =, +, -, @, a tab or a carriage return as a
    formula when it opens a CSV file: a report's "=HYPERLINK(…)" would become a link,
    and "+ Fast vårdkontakt" the error #NAME?. Such a text gets a leading apostrophe
    (OWASP's advice against formula injection); a signed number stays as it is. The
    apostrophe is not part of the text: :func:`plain_text` takes it off, and
    ``passages.parquet`` holds the text as read."""
    if isinstance(value, str) and value and value[0] in _GUARDED_STARTS and _needs_guard(value):
        return "'" + value
    return value


def plain_text(value: Any) -> Any:
    """The text :func:`excel_text` was given."""
    if isinstance(value, str) and value[:1] == "'" and _needs_guard(value[1:]):
        return value[1:]
    return value


#: A line of joined texts that starts like a text :func:`excel_text` guards.
_GUARDED_LINE = re.compile(r"\n[=+\-@\t\r']")


def _excel_column(values: Sequence) -> Sequence:
    """``values`` with :func:`excel_text` applied (the same object when no value
    needs it, which is nearly always). A column of texts is looked through in one
    regular-expression search over the texts joined, not value by value."""
    try:
        joined = "\n".join(values)
    except TypeError:  # numbers or missing values: look at each
        starts = _GUARDED_STARTS
        if not any(type(value) is str and value[:1] in starts for value in values):
            return values
    else:
        if joined[:1] not in _GUARDED_STARTS and not _GUARDED_LINE.search(joined):
            return values
    return [excel_text(value) for value in values]


#: Stands in for a carriage return while a CSV is written (see :func:`_returns_quoted`).
_RETURN = "\n\ue8b0\ue8b1"


def _returns_quoted(values: Sequence) -> Sequence:
    """``values`` with each carriage return written as :data:`_RETURN` (the same object
    when there is none, which is nearly always).

    Python's csv writer quotes a field with a line feed but not one with a bare
    carriage return ("Icon\r", a macOS folder icon's file) when lines end in "\n", and
    every CSV reader takes such a return for the end of a row. With the stand-in the
    field holds a line feed and is quoted; :func:`_returns_back` then puts the return
    back inside the quotes."""
    try:
        joined = "\n".join(values)
    except TypeError:
        if not any(type(value) is str and "\r" in value for value in values):
            return values
    else:
        if "\r" not in joined:
            return values
    return [value.replace("\r", _RETURN) if type(value) is str else value for value in values]


def _returns_back(text: str) -> str:
    return text.replace(_RETURN, "\r")


def _to_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as CSV for Excel: UTF-8 with a byte-order mark, texts Excel would
    run as formulas guarded (:func:`excel_text`), and any field with a line break or
    a carriage return quoted. The guard is put on here and nowhere else: the frame
    keeps the texts as they are."""
    changed = {}
    returns = False
    for name in frame.columns:
        if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name].dtype):
            values = frame[name].tolist()
            safe = _excel_column(values)
            quoted = _returns_quoted(safe)
            returns = returns or quoted is not safe
            if quoted is not values:
                changed[name] = quoted
    if changed:
        frame = frame.assign(
            **{
                name: pd.Series(values, index=frame.index, dtype=object)
                for name, values in changed.items()
            }
        )
    if not returns:
        frame.to_csv(path, index=False, encoding=CSV_ENCODING, lineterminator="\n")
        return
    text = frame.to_csv(index=False, lineterminator="\n")
    with path.open("w", encoding=CSV_ENCODING, newline="") as handle:
        handle.write(_returns_back(text))


def _to_parquet(table: pa.Table, path: Path) -> None:
    # no pandas metadata: same bytes every run
    pq.write_table(table.replace_schema_metadata(None), path)


def write_csv(frame: pd.DataFrame, target: Path) -> None:
    atomic_write(target, lambda path: _to_csv(frame, path))


def write_json(data: Any, target: Path) -> None:
    atomic_write(target, lambda path: to_json(data, path))


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


def _chained(values: Iterable[Sequence], kind: pa.DataType, size: int) -> pa.Array:
    """One Arrow array (a single chunk) of the documents' values, in order."""
    return pa.array(chain.from_iterable(values), kind, size=size)


def _offsets(counts: Iterable[Sequence[int]], size: int) -> pa.Array:
    return pa.array(accumulate(chain((0,), chain.from_iterable(counts))), pa.int32(), size=size + 1)


def _tags_array(flats: list[FlatTags]) -> pa.Array:
    """The documents' themes (or facet values) as one list<struct> array, built from
    the flat columns: the same values as :func:`pyarrow.array` on nested dicts (so
    the same Parquet bytes), at a fraction of the cost and memory."""
    passages = sum(len(flat.counts) for flat in flats)
    tags = sum(len(flat.ids) for flat in flats)
    found = sum(len(flat.texts) for flat in flats)
    evidence_values = pa.StructArray.from_arrays(
        [
            _chained((flat.texts for flat in flats), pa.string(), found),
            _chained((flat.starts for flat in flats), pa.int32(), found),
            _chained((flat.ends for flat in flats), pa.int32(), found),
            _chained((flat.sentences for flat in flats), pa.string(), found),
        ],
        fields=list(_EVIDENCE),
    )
    tag_values = pa.StructArray.from_arrays(
        [
            _chained((flat.ids for flat in flats), pa.string(), tags),
            _chained((flat.statuses for flat in flats), pa.string(), tags),
            pa.ListArray.from_arrays(
                _offsets((flat.evidence_counts for flat in flats), tags),
                evidence_values,
                type=pa.list_(_EVIDENCE),
            ),
        ],
        fields=list(_TAGS.value_type),
    )
    return pa.ListArray.from_arrays(
        _offsets((flat.counts for flat in flats), passages), tag_values, type=_TAGS
    )


#: Rows of ``passages.parquet`` per row group: the outputs are written a row group at
#: a time, so writing them takes the same memory whatever the corpus size. The
#: groups end at the first document boundary past this many rows: the same inputs
#: give the same groups, so the same bytes.
ROW_GROUP_ROWS = 20_000


def _passage_batch(documents: list[tuple[dict[str, Sequence], DocumentTags]]) -> pa.Table:
    """A table of the documents' passages, from single-chunk Arrow arrays built
    straight from their columns."""
    size = sum(len(values["text"]) for values, _ in documents)
    fields, arrays = [], []
    for name in PASSAGE_COLUMNS:
        if name in ("themes", "facets"):
            fields.append(pa.field(name, _TAGS))
            flats = [
                tags.theme_tags if name == "themes" else tags.facet_tags for _, tags in documents
            ]
            arrays.append(_tags_array(flats))
        else:
            field = _PASSAGE_SCHEMA.field(name)
            fields.append(field)
            arrays.append(_chained((values[name] for values, _ in documents), field.type, size))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _passages_schema() -> pa.Schema:
    return pa.schema(
        [
            pa.field(name, _TAGS) if name in ("themes", "facets") else _PASSAGE_SCHEMA.field(name)
            for name in PASSAGE_COLUMNS
        ]
    )


class PassageWriter:
    """Writes ``passages.csv`` and ``passages.parquet`` document by document, as the
    documents come (:meth:`add`), holding at most a row group's documents at a time,
    and sums up each document's themes on the way (``summaries``, by ``doc_id``, for
    :func:`~nvreport.analysis.aggregate.themes_by_document`), so the aggregates need no pass
    of their own. The CSV is byte for byte what :func:`_to_csv` writes (the same
    csv writer settings; missing values empty; texts guarded for Excel). Use it as a context
    manager: leaving the block writes the last row group and closes both files."""

    def __init__(self, csv_path: Path, parquet_path: Path, taxonomy: Taxonomy | None) -> None:
        self.summaries: dict[str, dict] = {}
        self.passages = 0
        self._theme_ids = taxonomy.theme_ids if taxonomy else []
        self._is_theme = entry_kinds(taxonomy)
        self._batch: list[tuple[dict[str, Sequence], DocumentTags]] = []
        self._rows = 0
        self._handle = csv_path.open("w", encoding=CSV_ENCODING, newline="")
        self._parquet = pq.ParquetWriter(parquet_path, _passages_schema())
        self._csv = csv.writer(self._handle, lineterminator="\n")
        self._csv.writerow(PASSAGE_COLUMNS)

    def add(self, record: DocumentRecord, part: DocumentPart) -> None:
        """Write the passages of one document (``part``, with its tags worked out)."""
        assert part.tags is not None
        doc_id = part.columns.doc_id
        self.summaries[doc_id] = document_summary(part, self._theme_ids, self._is_theme)
        values = passage_values(record, part.columns, part.tags)
        columns = [_excel_column(values[name]) for name in PASSAGE_COLUMNS]
        quoted = [_returns_quoted(column) for column in columns]
        if all(new is old for new, old in zip(quoted, columns, strict=True)):
            self._csv.writerows(zip(*columns, strict=True))
        else:  # a carriage return: written through a buffer, to put it back
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(zip(*quoted, strict=True))
            self._handle.write(_returns_back(buffer.getvalue()))
        self._batch.append((values, part.tags))
        self._rows += part.columns.size
        self.passages += part.columns.size
        if self._rows >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        self._parquet.write_table(_passage_batch(self._batch), row_group_size=self._rows)
        self._batch, self._rows = [], 0

    def __enter__(self) -> PassageWriter:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        try:
            if kind is None and self._batch:
                self._flush()
        finally:
            self._parquet.close()
            self._handle.close()


def write_parquet(table: pa.Table, target: Path) -> None:
    atomic_write(target, lambda path: _to_parquet(table, path))


def write_analysis(analysis: Analysis, output: Path, options: dict[str, Any]) -> pd.DataFrame:
    """Write every output of ``nvreport analyse`` into ``output``, all at once (an
    interrupted run leaves the previous outputs as they were); return the coverage."""
    by_doc = {record.doc_id: record for record in analysis.documents if record.doc_id}
    with written_together(output) as stage, gc_paused():
        passages = (stage("passages.csv"), stage("passages.parquet"))
        with PassageWriter(*passages, analysis.taxonomy) as writer:
            for part in document_parts(analysis):
                writer.add(by_doc[part.columns.doc_id], part)
        run = analysis.summary()
        return write_tables(analysis, writer.summaries, stage, run, output, options)


def write_tables(
    analysis: Analysis,
    summaries: dict[str, dict],
    stage: Callable[[str], Path],
    run: RunSummary,
    output: Path,
    options: dict[str, Any],
) -> pd.DataFrame:
    """Write the outputs of ``analyse`` besides the passages to ``stage(name)``:
    documents, the actor × theme matrix, the coverage, and ``run.json`` (for ``run``
    written to ``output``, with ``options``); ``summaries`` are
    :class:`PassageWriter`'s. Return the coverage."""
    by_document = themes_by_document(analysis, summaries)
    covered = coverage(analysis, by_document)
    _to_csv(analysis.documents_frame(), stage("documents.csv"))
    _to_csv(by_document, stage("themes_by_actor.csv"))
    _to_csv(covered, stage("coverage.csv"))
    to_json(run_record(run, output, options), stage("run.json"))
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


#: What an .xlsx cell cannot hold (openpyxl refuses the file): C0 control characters
#: but tab, line feed and carriage return. Shown as their Unicode control pictures
#: ("\x01" as "␁"), so a file name that holds one stays recognisable.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_text(value: Any) -> Any:
    if isinstance(value, str) and _NOT_IN_XLSX.search(value):
        return _NOT_IN_XLSX.sub(lambda found: chr(0x2400 + ord(found.group())), value)
    return value


def _xlsx_frame(frame: pd.DataFrame) -> pd.DataFrame:
    changed = {}
    for name in frame.columns:
        if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name].dtype):
            values = frame[name].tolist()
            if any(isinstance(v, str) and _NOT_IN_XLSX.search(v) for v in values):
                changed[name] = pd.Series(
                    [_xlsx_text(v) for v in values], index=frame.index, dtype=object
                )
    return frame.assign(**changed) if changed else frame


def _to_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    """One sheet per frame, with a frozen header row, filters, and column widths that
    fit Swedish labels; every text a text (never a formula). The file is the same,
    byte for byte, for the same frames."""
    from datetime import datetime

    from openpyxl.utils import get_column_letter

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame = _xlsx_frame(frame)
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if cell.data_type == "f":  # openpyxl takes "=…" for a formula
                        cell.data_type = "s"
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


def write_xlsx(sheets: dict[str, pd.DataFrame], target: Path) -> None:
    """:func:`_to_xlsx`, written whole or not at all."""
    atomic_write(target, lambda path: _to_xlsx(sheets, path))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: missing values become null, numpy numbers plain numbers."""
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def write_comparison(comparison: Any, output: Path, taxonomy: Any, options: dict[str, Any]) -> None:
    """Write every output of ``nvreport compare`` into ``output``, all at once: a run
    that fails or is interrupted leaves the previous outputs as they were. The texts
    are written as they are, but in the CSV files (:func:`_to_csv`)."""
    from nvreport.analysis.compare import biggest_movers

    movers = biggest_movers(comparison)
    with written_together(output) as stage:
        _write_comparison(comparison, stage, taxonomy, options, movers)


def _write_comparison(
    comparison: Any,
    stage: Callable[[str], Path],
    taxonomy: Any,
    options: dict[str, Any],
    movers: pd.DataFrame,
) -> None:
    from nvreport.analysis.figures import CHANGES, COVERAGE_COLUMNS

    _to_csv(comparison.coverage[list(COVERAGE_COLUMNS)], stage("coverage.csv"))
    _to_csv(comparison.transitions, stage("transitions.csv"))
    _to_xlsx(
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
    to_json(document, stage("comparison.json"))
