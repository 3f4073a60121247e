"""``analysis.xlsx``: the outputs of ``nvreport analyse`` as one Excel workbook.

Sheets, in order:

* ``matrix`` — one row per actor, one column per theme: the actor's status for the
  theme, coloured (green active, amber planned, red negated, blank not mentioned;
  grey where a report could not be read in full), the same counts as ``coverage``;
* ``legend`` — what the colours and values of ``matrix`` mean, and each theme's label
  and area;
* ``coverage``, ``themes_by_actor``, ``documents``, ``passages`` — the CSV files of
  the same names, with numbers as numbers.

Each table sheet has a frozen header row (``matrix`` also its actor columns), filters
and column widths fitted to its first rows. Every text is a text cell, never a
formula, and exactly as read (no formula guard: that is for CSV files).

The passages come document by document while the run goes on
(:meth:`AnalysisWorkbook.add`); their rows are written as worksheet XML to a
temporary file, which :meth:`AnalysisWorkbook.finish` copies into the workbook that
openpyxl writes for the rest. A hundred thousand passages thus take seconds and
little memory, where openpyxl cell by cell would take half a minute. The file is the
same, byte for byte, for the same run.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nvreport.analysis.aggregate import actor_identity
from nvreport.analysis.figures import type_order
from nvreport.analysis.tables import PASSAGE_COLUMNS
from nvreport.models import DocumentRecord, DocumentStatus
from nvreport.outputs.workbook import _FIXED_TIME, _stable_zip, xlsx_text
from nvreport.tagging.status import ACTIVE, NEGATED, NONE, PLANNED, combine
from nvreport.tagging.taxonomy import Taxonomy

#: The matrix's values beside the statuses: an actor whose reports were read only in
#: part, without the theme in what was read, and one with no report that could be read.
PARTLY_READ = "partly_read"
UNREADABLE = "unreadable"

#: Sheet names, in order.
SHEETS = ("matrix", "legend", "coverage", "themes_by_actor", "documents", "passages")
#: Columns of the matrix before the themes.
MATRIX_COLUMNS = ("year", "actor", "actor_type", "lan", "reports")

#: Fill and font colour of each matrix value (Excel's own "good", "neutral" and "bad"
#: cell styles for active, planned and negated); a value not here has no colour.
STATUS_COLOURS = {
    ACTIVE: ("C6EFCE", "006100"),
    PLANNED: ("FFEB9C", "9C5700"),
    NEGATED: ("FFC7CE", "9C0006"),
    PARTLY_READ: ("EDEDED", "595959"),
    UNREADABLE: ("A6A6A6", "000000"),
}
#: What each matrix value means, in the legend.
MEANINGS = (
    (ACTIVE, "reported as work in place (done, ongoing, offered)"),
    (PLANNED, "reported as planned"),
    (NEGATED, "reported as explicitly absent (not done, not started)"),
    ("", "not mentioned in the actor's reports, read in full"),
    (PARTLY_READ, "not found, but a report was read only in part: not counted as not mentioned"),
    (UNREADABLE, "no report of the actor could be read: nothing is known"),
)

#: The most characters an Excel cell holds; a longer text is cut, ending in "…".
CELL_LIMIT = 32_767
#: Rows looked at to fit a column's width, and the widest a column is made.
_WIDTH_ROWS = 500
_MAX_WIDTH = 60
_BOLD = Font(bold=True)

#: What worksheet XML text cannot hold as it is: markup, a carriage return (an XML
#: reader would make it a line feed), C0 control characters and the two non-characters.
_NOT_XML = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "\r": "&#13;",
    "\ufffe": "\ufffd",
    "\uffff": "\ufffd",
}


def _xml_character(found: re.Match) -> str:
    character = found.group()
    return _XML.get(character) or chr(0x2400 + ord(character))


def cell_text(text: str) -> str:
    """``text`` as an .xlsx cell holds it: at most :data:`CELL_LIMIT` characters,
    control characters as their pictures (␁)."""
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - 1] + "…"
    return xlsx_text(text)


def _xml_text(text: str | bool) -> str:
    if isinstance(text, bool):  # a flag column (ocr): as the CSV writes it
        return str(text)
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - 1] + "…"
    return _NOT_XML.sub(_xml_character, text) if _NOT_XML.search(text) else text


def _width(texts: Sequence[str]) -> float:
    return min(_MAX_WIDTH, max((len(text) for text in texts), default=0) + 2)


def _one_text(column: Sequence) -> bool:
    """Does ``column`` hold one non-empty text, in every row?"""
    if not isinstance(column, (list, tuple)) or not column:
        return False
    first = column[0]
    return type(first) is str and bool(first) and column.count(first) == len(column)


class AnalysisWorkbook:
    """Writes ``analysis.xlsx`` to ``path``: :meth:`add` each document's passages as
    they come, then :meth:`finish` with the other tables. :meth:`close` (or leaving
    the ``with`` block) drops what was gathered when :meth:`finish` was never called."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.passages = 0
        # closed by finish() or close(); gone from the disk as soon as it is made
        self._rows = tempfile.TemporaryFile(dir=path.parent, prefix=".analysis-rows-")  # noqa: SIM115
        self._letters = [get_column_letter(number) for number in range(1, len(PASSAGE_COLUMNS) + 1)]
        self._widths = [len(name) for name in PASSAGE_COLUMNS]

    def add(self, values: dict[str, Sequence]) -> None:
        """One document's passages, column by column (the values of ``passages.csv``
        before the formula guard: :func:`~nvreport.analysis.tables.passage_values`)."""
        columns = [values[name] for name in PASSAGE_COLUMNS]
        size = len(columns[0])
        if self.passages < _WIDTH_ROWS:
            seen = min(size, _WIDTH_ROWS - self.passages)
            for number, column in enumerate(columns):
                longest = max(
                    (len(str(value)) for value in column[:seen] if value is not None), default=0
                )
                self._widths[number] = max(self._widths[number], longest)
        # the columns of the document itself (file, actor …) hold one text each:
        # made into XML once
        cells = [
            (letter, _xml_text(column[0]) if _one_text(column) else None)
            for letter, column in zip(self._letters, columns, strict=True)
        ]
        parts: list[str] = []
        number = self.passages + 1  # the header is row 1
        for row in zip(*columns, strict=True):
            number += 1
            parts.append(f'<row r="{number}">')
            for (letter, fixed), value in zip(cells, row, strict=True):
                kind = type(value)
                if kind is str:
                    if value:
                        text = fixed if fixed is not None else _xml_text(value)
                        parts.append(
                            f'<c r="{letter}{number}" t="inlineStr">'
                            f'<is><t xml:space="preserve">{text}</t></is></c>'
                        )
                elif value is None:
                    continue
                elif kind is bool:
                    parts.append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
                elif kind is int or (kind is float and math.isfinite(value)):
                    parts.append(f'<c r="{letter}{number}"><v>{value!r}</v></c>')
                elif kind is float:
                    continue  # not a number: a blank cell, as in the CSV file
                else:  # anything else, as the CSV file shows it
                    parts.append(
                        f'<c r="{letter}{number}" t="inlineStr">'
                        f'<is><t xml:space="preserve">{_xml_text(str(value))}</t></is></c>'
                    )
            parts.append("</row>")
        self._rows.write("".join(parts).encode("utf-8", errors="replace"))
        self.passages += size

    def finish(
        self,
        documents: pd.DataFrame,
        themes_by_actor: pd.DataFrame,
        coverage: pd.DataFrame,
        matrix: pd.DataFrame,
        taxonomy: Taxonomy | None,
    ) -> None:
        """Write the workbook: ``matrix`` as :func:`actor_matrix` makes it, the other
        frames as their CSV files hold them, and the passages added."""
        book = Workbook()
        book.remove(book.active)
        sheets = {name: book.create_sheet(name) for name in SHEETS}
        _matrix_sheet(sheets["matrix"], matrix)
        _legend_sheet(sheets["legend"], taxonomy)
        _table_sheet(sheets["coverage"], coverage)
        _table_sheet(sheets["themes_by_actor"], themes_by_actor)
        _table_sheet(sheets["documents"], documents)
        passages = sheets["passages"]
        passages.append(list(PASSAGE_COLUMNS))
        _header(passages, len(PASSAGE_COLUMNS), self.passages + 1, "A2")
        for letter, width in zip(self._letters, self._widths, strict=True):
            passages.column_dimensions[letter].width = min(_MAX_WIDTH, width + 2)
        book.properties.created = datetime(*_FIXED_TIME)
        book.properties.modified = datetime(*_FIXED_TIME)
        book.properties.creator = "nvreport"
        book.save(self.path)
        # openpyxl names the worksheets' files by their place in the workbook
        member = f"xl/worksheets/sheet{SHEETS.index('passages') + 1}.xml"
        extent = f"A1:{self._letters[-1]}{self.passages + 1}"
        try:
            _stable_zip(self.path, {member: (self._rows, extent)})
        finally:
            self.close()

    def close(self) -> None:
        self._rows.close()

    def __enter__(self) -> AnalysisWorkbook:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _header(sheet: Worksheet, columns: int, rows: int, freeze: str) -> None:
    """A bold, frozen header row and filters over ``rows`` rows (the header's too)."""
    for cell in sheet[1]:
        cell.font = _BOLD
    sheet.freeze_panes = freeze
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(rows, 1)}"


def _value(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return cell_text(value) if value else None
    return value


def _append(sheet: Worksheet, rows: Sequence[Sequence]) -> None:
    """The rows, each text a text cell (openpyxl takes "=…" for a formula)."""
    for row in rows:
        sheet.append([_value(value) for value in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _fit_widths(sheet: Worksheet, frame: pd.DataFrame) -> None:
    for number, column in enumerate(frame.columns, start=1):
        values = [str(column)] + [
            str(value) for value in frame[column].head(_WIDTH_ROWS).tolist() if not pd.isna(value)
        ]
        sheet.column_dimensions[get_column_letter(number)].width = _width(values)


def _table_sheet(sheet: Worksheet, frame: pd.DataFrame) -> None:
    sheet.append([str(column) for column in frame.columns])
    _append(sheet, frame.itertuples(index=False, name=None))
    _header(sheet, len(frame.columns), len(frame) + 1, "A2")
    _fit_widths(sheet, frame)


def _fill(value: str) -> tuple[PatternFill, Font] | None:
    colours = STATUS_COLOURS.get(value)
    if colours is None:
        return None
    fill, font = colours
    return PatternFill(fill_type="solid", start_color=fill, end_color=fill), Font(color=font)


def _matrix_sheet(sheet: Worksheet, matrix: pd.DataFrame) -> None:
    sheet.append([str(column) for column in matrix.columns])
    _append(sheet, matrix.itertuples(index=False, name=None))
    styles = {value: _fill(value) for value in STATUS_COLOURS}
    first = len(MATRIX_COLUMNS) + 1
    for row in sheet.iter_rows(min_row=2, min_col=first):
        for cell in row:
            style = styles.get(cell.value) if isinstance(cell.value, str) else None
            if style is not None:
                cell.fill, cell.font = style
    _header(sheet, len(matrix.columns), len(matrix) + 1, f"{get_column_letter(first)}2")
    _fit_widths(sheet, matrix)


def _legend_sheet(sheet: Worksheet, taxonomy: Taxonomy | None) -> None:
    sheet.append(["value", "meaning"])
    for value, meaning in MEANINGS:
        sheet.append([value or None, meaning])
        style = _fill(value)
        if style is not None:
            sheet.cell(row=sheet.max_row, column=1).fill = style[0]
            sheet.cell(row=sheet.max_row, column=1).font = style[1]
    for cell in sheet[1]:
        cell.font = _BOLD
    sheet.freeze_panes = "A2"
    widths = [max(len(value) for value, _ in MEANINGS), max(len(text) for _, text in MEANINGS)]
    if taxonomy is not None and taxonomy.themes:
        sheet.append([])
        sheet.append(["theme", "label", "area"])
        for cell in sheet[sheet.max_row]:
            cell.font = _BOLD
        for theme in taxonomy.themes:
            sheet.append([cell_text(theme.id), cell_text(theme.label), cell_text(theme.group)])
            widths = [max(widths[0], len(theme.id)), max(widths[1], len(theme.label))]
        widths.append(max(len(theme.group) for theme in taxonomy.themes))
        sheet.column_dimensions["C"].width = _width(["area", "x" * widths[2]])
    sheet.column_dimensions["A"].width = _width(["value", "x" * widths[0]])
    sheet.column_dimensions["B"].width = _width(["meaning", "x" * widths[1]])
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _swedish_key(text: str) -> str:
    """A sort key that puts å, ä and ö after z, as Swedish does."""
    return text.casefold().translate({ord("å"): "z\x01", ord("ä"): "z\x02", ord("ö"): "z\x03"})


_READ = (DocumentStatus.OK, DocumentStatus.WARNING)
_UNREADABLE = (DocumentStatus.ERROR, DocumentStatus.NO_TEXT)


def actor_matrix(
    documents: Sequence[DocumentRecord], themes_by_actor: pd.DataFrame, theme_ids: Sequence[str]
) -> pd.DataFrame:
    """One row per actor (per year and actor type, as ``coverage.csv`` counts them):
    :data:`MATRIX_COLUMNS`, then per theme the actor's status, its reports combined:
    ``active``, ``planned``, ``negated``; empty when not mentioned in reports read in
    full, :data:`PARTLY_READ` when not found in a report read only in part, and
    :data:`UNREADABLE` in every theme for an actor none of whose reports could be
    read. How many actors show each value in a theme is ``coverage.csv``'s count."""
    actors: dict[tuple, dict[str, Any]] = {}
    identity = {}
    for record in documents:
        read = record.status in _READ and bool(record.doc_id)
        if not read and record.status not in _UNREADABLE:
            continue
        year, actor_type = record.meta.year, record.meta.actor_type
        key = (year, actor_type, actor_identity(record))
        identity[record.source.relpath] = key
        actor = actors.setdefault(
            key,
            {
                "year": year,
                "actor": record.meta.actor or record.source.relpath,
                "actor_type": actor_type,
                "lan": record.meta.lan,
                "read": 0,
                "unreadable": 0,
                "partly": False,
            },
        )
        if read:
            actor["read"] += 1
            actor["partly"] = actor["partly"] or record.partly_read
        else:
            actor["unreadable"] += 1
    statuses: dict[tuple, str] = {}
    for file, theme, status in zip(
        themes_by_actor["file"].tolist(),
        themes_by_actor["theme"].tolist(),
        themes_by_actor["status"].tolist(),
        strict=True,
    ):
        key = (identity[file], theme)
        statuses[key] = combine((statuses.get(key, NONE), status))
    rows = []
    for key, actor in actors.items():
        row = {name: actor[name] for name in MATRIX_COLUMNS if name != "reports"}
        if actor["read"]:
            row["reports"] = actor["read"]
            for theme in theme_ids:
                status = statuses.get((key, theme), NONE)
                if status == NONE:
                    row[theme] = PARTLY_READ if actor["partly"] else ""
                else:
                    row[theme] = status
        else:
            row["reports"] = actor["unreadable"]
            row.update(dict.fromkeys(theme_ids, UNREADABLE))
        rows.append(row)
    rows.sort(
        key=lambda row: (
            row["year"] is None,
            row["year"] or 0,
            type_order(row["actor_type"] or ""),
            _swedish_key(row["actor"]),
            row["actor"],
        )
    )
    frame = pd.DataFrame(rows, columns=[*MATRIX_COLUMNS, *theme_ids])
    frame["year"] = frame["year"].astype("Int64")
    frame["reports"] = frame["reports"].astype("Int64")
    return frame
