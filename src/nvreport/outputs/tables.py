"""Write an analysis to disk: passages, documents and the run record.

Every file is written to a temporary file beside its target and moved into place
with :func:`os.replace`, so an interrupted run leaves the previous outputs whole.
The outputs of ``analyse`` are moved into place together, once all are written, so
they are either all the previous run's or all this one's.
CSV files are written in a :class:`~nvreport.store.csv_dialect.CsvDialect`: by default
for Excel set to Swedish (``;`` between fields, a decimal comma), or as plain RFC 4180
(``,`` and a decimal point); both are UTF-8 with a byte-order mark, so Excel shows å,
ä and ö right, and a text cell Excel would take for a formula gets a leading
apostrophe (:func:`excel_text`). ``analysis.xlsx``
(:mod:`nvreport.outputs.analysis_workbook`) keeps every text as text.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate, chain
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from nvreport.analysis.aggregate import coverage, document_summary, themes_by_document
from nvreport.analysis.gaps import GapTally
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
from nvreport.outputs.analysis_workbook import AnalysisWorkbook, actor_matrix
from nvreport.outputs.explorer import EXPLORER_NAME, ExplorerWriter
from nvreport.outputs.record import run_record
from nvreport.store.cells import excel_column
from nvreport.store.csv_dialect import DEFAULT_DIALECT, CsvDialect
from nvreport.store.files import atomic_write, to_json, written_together
from nvreport.tagging.taxonomy import Taxonomy

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


def _decimals(values: list, dialect: CsvDialect) -> list:
    """``values`` (of a column of mixed types) with each decimal number written as
    ``dialect`` writes one (pandas does so only in a column of numbers)."""
    if not any(type(value) is float for value in values):
        return values
    return [
        dialect.number(value) if type(value) is float and value == value else value
        for value in values
    ]


def frame_to_csv(frame: pd.DataFrame, path: Path, dialect: CsvDialect = DEFAULT_DIALECT) -> None:
    """Write ``frame`` as CSV in ``dialect`` (by default for Excel set to Swedish: ``;``
    between fields, a decimal comma): UTF-8 with a byte-order mark, decimal numbers
    with the dialect's decimal sign and whole numbers without one, texts Excel would
    run as formulas guarded (:func:`excel_text`), and any field with a line break, a
    carriage return or the separator quoted. The guard is put on here and nowhere
    else: the frame keeps the texts as they are."""
    changed = {}
    returns = False
    for name in frame.columns:
        if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name].dtype):
            values = frame[name].tolist()
            safe = excel_column(_decimals(values, dialect))
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
    layout = {"sep": dialect.delimiter, "decimal": dialect.decimal, "lineterminator": "\n"}
    if not returns:
        frame.to_csv(path, index=False, encoding=dialect.encoding, **layout)
        return
    text = frame.to_csv(index=False, **layout)
    with path.open("w", encoding=dialect.encoding, newline="") as handle:
        handle.write(_returns_back(text))


def _to_parquet(table: pa.Table, path: Path) -> None:
    # no pandas metadata: same bytes every run
    pq.write_table(table.replace_schema_metadata(None), path)


def write_csv(frame: pd.DataFrame, target: Path, dialect: CsvDialect = DEFAULT_DIALECT) -> None:
    atomic_write(target, lambda path: frame_to_csv(frame, path, dialect))


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
        ("ocr", pa.bool_()),
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
    """Writes ``passages.csv`` and ``passages.parquet`` (and the passages of
    ``analysis.xlsx`` when given ``workbook``, a path) document by document, as the
    documents come (:meth:`add`), holding at most a row group's documents at a time,
    and sums up each document's themes on the way (``summaries``, by ``doc_id``, for
    :func:`~nvreport.analysis.aggregate.themes_by_document`), so the aggregates need no pass
    of their own. The CSV is byte for byte what :func:`frame_to_csv` writes in
    ``dialect`` (the same csv writer settings; missing values empty; texts guarded for
    Excel). Use it as a context manager: leaving the block writes the last row group
    and closes both files; :func:`write_tables` then finishes the workbook
    (``self.workbook``), which is dropped if the block fails."""

    def __init__(
        self,
        csv_path: Path,
        parquet_path: Path,
        taxonomy: Taxonomy | None,
        dialect: CsvDialect = DEFAULT_DIALECT,
        workbook: Path | None = None,
    ) -> None:
        self.summaries: dict[str, dict] = {}
        self.passages = 0
        self.gaps = GapTally() if taxonomy is not None else None  # run.json's gaps
        self._theme_ids = taxonomy.theme_ids if taxonomy else []
        self._is_theme = entry_kinds(taxonomy)
        self._batch: list[tuple[dict[str, Sequence], DocumentTags]] = []
        self._rows = 0
        self._delimiter = dialect.delimiter
        self.workbook = AnalysisWorkbook(workbook) if workbook is not None else None
        self._handle = csv_path.open("w", encoding=dialect.encoding, newline="")
        self._parquet = pq.ParquetWriter(parquet_path, _passages_schema())
        self._csv = csv.writer(self._handle, delimiter=self._delimiter, lineterminator="\n")
        self._csv.writerow(PASSAGE_COLUMNS)

    def add(self, record: DocumentRecord, part: DocumentPart) -> None:
        """Write the passages of one document (``part``, with its tags worked out)."""
        assert part.tags is not None
        doc_id = part.columns.doc_id
        self.summaries[doc_id] = document_summary(part, self._theme_ids, self._is_theme)
        if self.gaps is not None:
            own = part.columns
            tagged = [bool(themes) for themes in part.tags.themes]
            self.gaps.add(
                record.source.relpath,
                record.meta.actor or "",
                own.kinds,
                own.sections,
                own.word_counts,
                tagged,
            )
        values = passage_values(record, part.columns, part.tags)
        columns = [excel_column(values[name]) for name in PASSAGE_COLUMNS]
        quoted = [_returns_quoted(column) for column in columns]
        if all(new is old for new, old in zip(quoted, columns, strict=True)):
            self._csv.writerows(zip(*columns, strict=True))
        else:  # a carriage return: written through a buffer, to put it back
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=self._delimiter, lineterminator="\n")
            writer.writerows(zip(*quoted, strict=True))
            self._handle.write(_returns_back(buffer.getvalue()))
        if self.workbook is not None:
            self.workbook.add(values)
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
        except BaseException:
            kind = BaseException
            raise
        finally:
            self._parquet.close()
            self._handle.close()
            if kind is not None and self.workbook is not None:
                self.workbook.close()


def write_parquet(table: pa.Table, target: Path) -> None:
    atomic_write(target, lambda path: _to_parquet(table, path))


def write_analysis(
    analysis: Analysis,
    output: Path,
    options: dict[str, Any],
    dialect: CsvDialect = DEFAULT_DIALECT,
) -> pd.DataFrame:
    """Write every output of ``nvreport analyse`` into ``output``, all at once (an
    interrupted run leaves the previous outputs as they were), the CSV files in
    ``dialect``; return the coverage."""
    by_doc = {record.doc_id: record for record in analysis.documents if record.doc_id}
    with written_together(output) as stage, gc_paused():
        passages = (stage("passages.csv"), stage("passages.parquet"))
        workbook = stage(WORKBOOK_NAME)
        with (
            PassageWriter(*passages, analysis.taxonomy, dialect, workbook) as writer,
            ExplorerWriter(analysis.taxonomy, analysis.root, output) as explorer,
        ):
            for part in document_parts(analysis):
                writer.add(by_doc[part.columns.doc_id], part)
                explorer.add(by_doc[part.columns.doc_id], part)
            explorer.write(analysis, stage(EXPLORER_NAME))
        gaps = writer.gaps.record() if writer.gaps is not None else None
        run = dataclasses.replace(analysis.summary(), gaps=gaps)
        return write_tables(analysis, writer, stage, run, output, options, dialect)


#: The workbook ``analyse`` writes beside its CSV files.
WORKBOOK_NAME = "analysis.xlsx"


def write_tables(
    analysis: Analysis,
    writer: PassageWriter,
    stage: Callable[[str], Path],
    run: RunSummary,
    output: Path,
    options: dict[str, Any],
    dialect: CsvDialect = DEFAULT_DIALECT,
) -> pd.DataFrame:
    """Write the outputs of ``analyse`` besides the passages to ``stage(name)``:
    documents, the actor × theme matrix, the coverage (CSV files in ``dialect``),
    the workbook the passages ``writer`` began (if it did), and ``run.json`` (for
    ``run`` written to ``output``, with ``options``). Return the coverage."""
    try:
        by_document = themes_by_document(analysis, writer.summaries)
        covered = coverage(analysis, by_document)
        documents = analysis.documents_frame()
        frame_to_csv(documents, stage("documents.csv"), dialect)
        frame_to_csv(by_document, stage("themes_by_actor.csv"), dialect)
        frame_to_csv(covered, stage("coverage.csv"), dialect)
        if writer.workbook is not None:
            theme_ids = analysis.taxonomy.theme_ids if analysis.taxonomy else []
            matrix = actor_matrix(analysis.documents, by_document, theme_ids)
            writer.workbook.finish(documents, by_document, covered, matrix, analysis.taxonomy)
    finally:
        if writer.workbook is not None:
            writer.workbook.close()
    to_json(run_record(run, output, options), stage("run.json"))
    return covered
