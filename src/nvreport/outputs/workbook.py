"""Excel workbooks (``.xlsx``) written with openpyxl, byte-identical from run to run."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from nvreport.store.files import atomic_write

_FIXED_TIME = (2000, 1, 1, 0, 0, 0)


def _stable_zip(path: Path, rows: dict[str, tuple[BinaryIO, str]] | None = None) -> None:
    """Rewrite a zip (an .xlsx) with fixed member times, so the bytes depend only on
    the content. ``rows``: by member name (a worksheet), a file of ``<row>`` elements
    to put at the end of its ``sheetData``, copied a piece at a time (so a sheet of a
    hundred thousand rows is never held whole), and the sheet's extent with them
    ("A1:P1001")."""
    import zipfile

    rows = rows or {}
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
            extra = rows.get(info.filename)
            if extra is None:
                target.writestr(fixed, data)
                continue
            added, extent = extra
            # a large sheet: zlib's fastest level, 2.5 times faster than its default,
            # for a file a fifth larger (Python reads the level from this attribute)
            fixed._compresslevel = 1
            head, tail = _split_sheet_data(data, info.filename)
            head = re.sub(
                rb'<dimension ref="[^"]*"', b'<dimension ref="%s"' % extent.encode(), head
            )
            with target.open(fixed, "w", force_zip64=True) as member:
                member.write(head)
                added.seek(0)
                while piece := added.read(1 << 20):
                    member.write(piece)
                member.write(tail)


def _split_sheet_data(data: bytes, name: str) -> tuple[bytes, bytes]:
    """A worksheet's XML cut where rows may be added: before ``</sheetData>`` (or in
    place of an empty ``<sheetData/>``)."""
    end = data.find(b"</sheetData>")
    if end >= 0:
        return data[:end], data[end:]
    empty = data.find(b"<sheetData/>")
    if empty < 0:
        raise ValueError(f"{name}: no sheetData to add rows to")
    return data[:empty] + b"<sheetData>", b"</sheetData>" + data[empty + len(b"<sheetData/>") :]


#: What an .xlsx cell cannot hold (openpyxl refuses the file): C0 control characters
#: but tab, line feed and carriage return. Shown as their Unicode control pictures
#: ("\x01" as "␁"), so a file name that holds one stays recognisable.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_text(value: Any) -> Any:
    """``value`` as an .xlsx cell can hold it: a C0 control character shown as its
    control picture."""
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
                    [xlsx_text(v) for v in values], index=frame.index, dtype=object
                )
    return frame.assign(**changed) if changed else frame


def sheets_to_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> None:
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
    """:func:`sheets_to_xlsx`, written whole or not at all."""
    atomic_write(target, lambda path: sheets_to_xlsx(sheets, path))
