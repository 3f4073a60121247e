"""One reader per format, chosen by file suffix.

Every reader has the signature ``read(path: Path) -> ReadResult`` and raises only
:class:`~nvreport.errors.UnreadableDocumentError` (or a subclass) for a file it
cannot read. The registry is a plain dict, so a test or a plug-in can see exactly
which suffixes are taken.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nvreport.models import ReadResult
from nvreport.readers.docx import read_docx
from nvreport.readers.html import read_html
from nvreport.readers.pdf import read_pdf
from nvreport.readers.text import read_text

Reader = Callable[[Path], ReadResult]

READERS: dict[str, Reader] = {
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".txt": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
}

__all__ = ["READERS", "Reader"]
