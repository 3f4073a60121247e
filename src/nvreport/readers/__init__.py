"""One reader per format, chosen by file suffix.

Every reader has the signature ``read(path: Path) -> ReadResult`` and raises only
:class:`~nvreport.errors.UnreadableDocumentError` (or a subclass) for a file it
cannot read. The registry is a plain dict, so a test or a plug-in can see exactly
which suffixes are taken.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
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


_MODULES = {
    ".pdf": "nvreport.readers.pdf",
    ".docx": "nvreport.readers.docx",
    ".txt": "nvreport.readers.text",
    ".md": "nvreport.readers.text",
    ".html": "nvreport.readers.html",
    ".htm": "nvreport.readers.html",
}


def import_readers(suffixes: Iterable[str]) -> None:
    """Import the readers of these suffixes now (before worker processes are forked,
    so that each need not import them)."""
    for suffix in sorted(set(suffixes) & set(_MODULES)):
        importlib.import_module(_MODULES[suffix])


READERS: dict[str, Reader] = {
    ".pdf": _imported_when_used(_MODULES[".pdf"], "read_pdf"),
    ".docx": _imported_when_used(_MODULES[".docx"], "read_docx"),
    ".txt": _imported_when_used(_MODULES[".txt"], "read_text"),
    ".md": _imported_when_used(_MODULES[".md"], "read_text"),
    ".html": _imported_when_used(_MODULES[".html"], "read_html"),
    ".htm": _imported_when_used(_MODULES[".htm"], "read_html"),
}

__all__ = ["READERS", "Reader", "import_readers"]
