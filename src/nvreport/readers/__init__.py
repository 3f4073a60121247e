"""One reader per format, chosen by file suffix.

Every reader has the signature ``read(path: Path) -> ReadResult`` and raises only
:class:`~nvreport.errors.UnreadableDocumentError` (or a subclass) for a file it
cannot read. The registry is a plain dict, so a test or a plug-in can see exactly
which suffixes are taken.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from nvreport.models import ReadResult

Reader = Callable[[Path], ReadResult]


def _imported_when_used(module: str, name: str) -> Reader:
    """A reader whose module (and its libraries: python-docx, BeautifulSoup, pdfium)
    is imported on its first call, so a run served from the cache never loads them."""

    def read(path: Path) -> ReadResult:
        return getattr(importlib.import_module(module), name)(path)

    read.__name__ = read.__qualname__ = name
    return read


READERS: dict[str, Reader] = {
    ".pdf": _imported_when_used("nvreport.readers.pdf", "read_pdf"),
    ".docx": _imported_when_used("nvreport.readers.docx", "read_docx"),
    ".txt": _imported_when_used("nvreport.readers.text", "read_text"),
    ".md": _imported_when_used("nvreport.readers.text", "read_text"),
    ".html": _imported_when_used("nvreport.readers.html", "read_html"),
    ".htm": _imported_when_used("nvreport.readers.html", "read_html"),
}

__all__ = ["READERS", "Reader"]
