"""Report text kept as text in a spreadsheet: never run as a formula, and read back unchanged.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a line that does) is a formula to
Excel and LibreOffice; :func:`excel_text` puts an apostrophe before it, and
:func:`plain_text` takes it off again when nvreport reads its own files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

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


def excel_column(values: Sequence) -> Sequence:
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
