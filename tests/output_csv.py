"""Reading the CSV files nvreport writes, as Excel set to Swedish or any CSV reader would.

nvreport writes CSV for Excel set to Swedish by default (``;`` between fields, a
decimal comma, UTF-8 with a byte-order mark) or, with ``--csv rfc4180``, with ``,``
and a decimal point. These helpers tell the two apart by the header line (the column
names hold neither separator) on their own, without nvreport's code, so that a test
reads a file as another program would.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pandas as pd

BOM = b"\xef\xbb\xbf"


def separators(path: Path) -> tuple[str, str]:
    """(field separator, decimal sign) of an nvreport CSV file, by its header line."""
    header = path.read_bytes().split(b"\n", 1)[0]
    return (";", ",") if b";" in header else (",", ".")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows as texts, each a dict by column name (a decimal number as written)."""
    delimiter, _ = separators(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def read_frame(path: Path, **options: Any) -> pd.DataFrame:
    """The file as a pandas frame, decimal numbers as numbers."""
    delimiter, decimal = separators(path)
    return pd.read_csv(path, sep=delimiter, decimal=decimal, encoding="utf-8-sig", **options)


def number(text: str) -> float:
    """A decimal number as written in either dialect ("0,9987" or "0.9987")."""
    return float(text.replace(",", "."))
