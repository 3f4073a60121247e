"""The two ways nvreport writes a CSV file, and how it reads its own files back.

* ``excel-sv`` (the default): what Excel set to Swedish opens in columns when the
  file is double-clicked: ``;`` between fields, a decimal comma (``0,9987``), UTF-8
  with a byte-order mark (so å, ä and ö show right);
* ``rfc4180``: plain RFC 4180 for other programs: ``,`` between fields and a decimal
  point, UTF-8 with a byte-order mark (the files nvreport wrote before the choice).

Both end lines with a line feed, write whole numbers without decimals and keep the
formula guard of :mod:`nvreport.store.cells`. The choice is recorded in
``run.json`` (``options.csv``). Reading an output folder back, :func:`folder_dialect`
tells the dialect from a file's header line (the column names hold neither
separator), and from ``run.json`` only when there is no separator to see, so a
folder written either way, or before the choice existed, is read right.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nvreport.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

CSV_ENCODING = "utf-8-sig"


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file separates its fields and writes a decimal number."""

    name: str
    delimiter: str
    decimal: str
    encoding: str = CSV_ENCODING

    def number(self, value: float) -> str:
        """A decimal number as this dialect writes it (as :mod:`pandas` does: the
        shortest text that reads back as the same number)."""
        text = repr(float(value))
        return text.replace(".", self.decimal) if self.decimal != "." else text


EXCEL_SV = CsvDialect("excel-sv", ";", ",")
RFC4180 = CsvDialect("rfc4180", ",", ".")
DIALECTS = {dialect.name: dialect for dialect in (EXCEL_SV, RFC4180)}
DEFAULT_DIALECT = EXCEL_SV


def csv_dialect(name: str) -> CsvDialect:
    """The dialect called ``name``; a :class:`UsageError` naming the choices otherwise."""
    try:
        return DIALECTS[name]
    except KeyError:
        choices = " or ".join(DIALECTS)
        raise UsageError(f"--csv {name}: no such CSV dialect (choose {choices})") from None


def _separated(path: Path) -> CsvDialect | None:
    """The dialect whose separator stands between the column names in the header line
    of ``path`` (the names hold neither ``;`` nor ``,``); None for one column."""
    with path.open("rb") as handle:
        header = handle.readline(1 << 16).decode("utf-8", errors="replace")
    return next((found for found in DIALECTS.values() if found.delimiter in header), None)


def sniff_dialect(path: Path) -> CsvDialect:
    """The dialect of a CSV file nvreport wrote, told by its header line."""
    return _separated(path) or DEFAULT_DIALECT  # one column: the separator does not matter


def folder_dialect(folder: Path, name: str = "documents.csv") -> CsvDialect:
    """The dialect of the CSV files in an ``analyse`` or ``compare`` output folder, as
    the header line of ``name`` shows it (a file edited by hand and saved the other
    way is read as it now is); for a file of one column, as ``run.json`` records it."""
    found = _separated(folder / name)
    if found is not None:
        return found
    try:
        record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        record = None
    options = record.get("options") if isinstance(record, dict) else None
    recorded = options.get("csv") if isinstance(options, dict) else None
    return DIALECTS.get(recorded, DEFAULT_DIALECT) if isinstance(recorded, str) else DEFAULT_DIALECT


def read_csv_rows(path: Path, dialect: CsvDialect | None = None) -> list[dict[str, str]]:
    """The rows of a CSV file nvreport wrote, as texts (a decimal number as written,
    a text with its formula guard), in either dialect (told by the header when not
    given)."""
    dialect = dialect or sniff_dialect(path)
    with path.open(encoding=dialect.encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=dialect.delimiter))


def read_csv_frame(path: Path, dialect: CsvDialect | None = None, **options: Any) -> pd.DataFrame:
    """A CSV file nvreport wrote as a pandas frame, in either dialect (told by the
    header when not given): decimal numbers as numbers. ``options`` go to
    :func:`pandas.read_csv`."""
    import pandas as pd

    dialect = dialect or sniff_dialect(path)
    return pd.read_csv(
        path,
        sep=dialect.delimiter,
        decimal=dialect.decimal,
        encoding=dialect.encoding,
        **options,
    )
