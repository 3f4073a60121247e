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


#: suffix -> (module, function) of its reader
_READ_FUNCTIONS = {
    ".pdf": ("nvreport.ingest.readers.pdf", "read_pdf"),
    ".docx": ("nvreport.ingest.readers.docx", "read_docx"),
    ".doc": ("nvreport.ingest.readers.doc", "read_doc"),
    ".odt": ("nvreport.ingest.readers.odt", "read_odt"),
    ".rtf": ("nvreport.ingest.readers.rtf", "read_rtf"),
    ".txt": ("nvreport.ingest.readers.text", "read_text"),
    ".md": ("nvreport.ingest.readers.text", "read_text"),
    ".html": ("nvreport.ingest.readers.html", "read_html"),
    ".htm": ("nvreport.ingest.readers.html", "read_html"),
}


def import_readers(suffixes: Iterable[str]) -> None:
    """Import the readers of these suffixes now (before worker processes are forked,
    so that each need not import them)."""
    for suffix in sorted(set(suffixes) & set(_READ_FUNCTIONS)):
        importlib.import_module(_READ_FUNCTIONS[suffix][0])


READERS: dict[str, Reader] = {
    suffix: _imported_when_used(module, name) for suffix, (module, name) in _READ_FUNCTIONS.items()
}

#: The PDF reader that reads pages without a text layer by OCR (``--ocr``).
read_pdf_with_ocr = _imported_when_used("nvreport.ingest.readers.ocr", "read_pdf_with_ocr")


def reader_for(suffix: str, ocr: bool = False) -> Reader:
    """The reader of files with this suffix; for a PDF with ``ocr``, the reader
    that reads its scanned pages by OCR."""
    return read_pdf_with_ocr if ocr and suffix == ".pdf" else READERS[suffix]


__all__ = ["READERS", "Reader", "import_readers", "reader_for"]
