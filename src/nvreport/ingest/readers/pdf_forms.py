"""Pages that would cost more work than any report needs: forms drawing forms.

A PDF page can draw a form XObject (a drawing kept once and drawn where named), and
a form can draw other forms. Ten forms each drawing the next ten times, fifteen
deep, make 10^15 drawings from a file of 5 KB: pdfium expands them all while it
loads the page, and runs out of memory long before it is done. This module finds,
before pdfium loads anything, the pages that would expand to more than
:data:`MAX_DRAWINGS` form drawings, so that the reader can skip them with a
warning.

It works in two steps, the first cheap enough for every file:

1. :func:`nested_forms_explode` reads the forms straight from the file's bytes. A
   form is a stream, and a stream's dictionary stands in the file's body, never in
   a compressed object stream, so every form is found by a search for its
   ``/Subtype /Form``; its content is inflated (capped) and its ``Do`` operators
   counted against the forms its resources name. Forms that draw each other past
   the limit, or that cannot be followed this way (resources kept elsewhere, a
   filter other than Flate), send the file to the second step.
2. :func:`overloaded_pages` follows every page with pdfminer.six (which
   pdfplumber installs), pages and forms alike, without drawing anything.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

#: Form drawings a page may expand to; a report's pages need a few hundred at most
#: (a logo in every table cell), a form bomb billions.
MAX_DRAWINGS = 100_000
#: Bytes of a form's content inflated to count its drawings: the drawings of a
#: larger form are counted in its first 8 MB only.
_MAX_STREAM = 8 * 2**20

_FORM = re.compile(rb"/Subtype\s*/Form\b")
_ESCAPED_SUBTYPE = re.compile(rb"/Subtype\s*/[^\s/<>\[\]()%]*#")
_OBJECT = re.compile(rb"(\d+)\s+\d+\s+obj\b")
_DO = re.compile(rb"/([^\s/<>\[\]()%{}]+)\s+Do\b")
_XOBJECTS = re.compile(rb"/XObject\s*<<(.*?)>>", re.DOTALL)
_NAMED_REFERENCE = re.compile(rb"/([^\s/<>\[\]()%]+)\s+(\d+)\s+\d+\s+R")
_INDIRECT = re.compile(rb"/(?:Resources|XObject)\s+\d+\s+\d+\s+R")
_FILTER = re.compile(rb"/Filter\s*(?:\[\s*)?/(\w+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


class _Unfollowable(Exception):
    """A form this module cannot follow from the bytes alone."""


def _name(raw: bytes) -> bytes:
    """A PDF name with its ``#xx`` escapes undone (``/F#6frm`` is ``/Form``)."""
    return _ESCAPE.sub(lambda found: bytes([int(found.group(1), 16)]), raw)


def nested_forms_explode(data: bytes, limit: int = MAX_DRAWINGS) -> bool:
    """Might a page of this file expand to more than ``limit`` form drawings?
    False for nearly every file, after one search of its bytes; True when its
    forms draw each other past the limit, or cannot be followed from the bytes."""
    if _ESCAPED_SUBTYPE.search(data):
        return True  # a name written in #xx escapes: only a parser can tell
    forms: dict[int, tuple[dict[bytes, int], bytes]] = {}
    try:
        for found in _FORM.finditer(data):
            number, head, body = _stream_at(data, found.start())
            forms[number] = (_named_forms(head), body)
    except _Unfollowable:
        return True
    drawing = {number: names for number, (names, _) in forms.items()}
    if not any(number in forms for names in drawing.values() for number in names.values()):
        return False  # no form draws a form: nothing nests
    memo: dict[int, int] = {}

    def expand(number: int, active: frozenset[int]) -> int:
        if number in memo:
            return memo[number]
        if number in active or number not in forms:
            return 0
        names, body = forms[number]
        total = 0
        for found in _DO.finditer(body):
            inner = names.get(_name(found.group(1)))
            if inner is not None and inner in forms:
                total += 1 + expand(inner, active | {number})
                if total > limit:
                    break
        memo[number] = min(total, limit + 1)
        return memo[number]

    return any(expand(number, frozenset()) > limit for number in forms)


def _stream_at(data: bytes, where: int) -> tuple[int, bytes, bytes]:
    """The object number, dictionary and inflated content of the stream whose
    dictionary holds the byte ``where``."""
    start = data.rfind(b"obj", 0, where)
    header = _OBJECT.search(data, max(0, start - 24), start + 3)
    begin = data.find(b"stream", where)
    if start < 0 or header is None or begin < 0:
        raise _Unfollowable
    head = data[start:begin]
    if _INDIRECT.search(head):
        raise _Unfollowable  # its resources are kept elsewhere
    begin += len(b"stream")
    begin += 2 if data[begin : begin + 2] == b"\r\n" else 1
    end = data.find(b"endstream", begin)
    if end < 0:
        raise _Unfollowable
    raw = data[begin:end]
    filters = [_name(found) for found in _FILTER.findall(head)]
    if not filters:
        return int(header.group(1)), head, raw[:_MAX_STREAM]
    if filters != [b"FlateDecode"] or head.count(b"/Filter") > 1 or b"/DecodeParms" in head:
        raise _Unfollowable
    try:
        body = zlib.decompressobj().decompress(raw, _MAX_STREAM)
    except zlib.error:
        body = b""  # pdfium cannot draw it either
    return int(header.group(1)), head, body


def _named_forms(head: bytes) -> dict[bytes, int]:
    """The XObjects a form's dictionary names in its resources: name -> object."""
    found = _XOBJECTS.search(head)
    if found is None:
        return {}
    return {_name(name): int(number) for name, number in _NAMED_REFERENCE.findall(found.group(1))}


def overloaded_pages(path: Path, limit: int = MAX_DRAWINGS) -> dict[int, int]:
    """The pages (1-based) that would expand to more than ``limit`` form drawings,
    with the count found (at most ``limit + 1``); {} for nearly every file, after
    a search of its bytes (:func:`nested_forms_explode`), and for a file pdfminer
    cannot parse (pdfium then says what is wrong with it)."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if not nested_forms_explode(data, limit):
        return {}
    try:
        return _count_pages(path, limit)
    except Exception:  # a file pdfminer cannot follow: pdfium's own checks apply
        return {}


def _count_pages(path: Path, limit: int) -> dict[int, int]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, resolve1

    memo: dict[Any, int] = {}

    def is_form(value: Any) -> bool:
        subtype = resolve1(value.attrs.get("Subtype")) if isinstance(value, PDFStream) else None
        return getattr(subtype, "name", None) == "Form"

    def content(stream: Any) -> bytes:
        try:
            data = stream.get_data()
        except Exception:
            return b""
        return data[:_MAX_STREAM] if isinstance(data, bytes) else b""

    def drawings(streams: list[Any], resources: Any, active: frozenset) -> int:
        resources = resolve1(resources)
        objects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        if not isinstance(objects, dict):
            return 0
        total = 0
        for stream in streams:
            for found in _DO.finditer(content(stream)):
                reference = objects.get(_name(found.group(1)).decode("latin-1"))
                form = resolve1(reference)
                if not is_form(form):
                    continue
                key = getattr(reference, "objid", id(form))
                if key not in memo and key not in active:
                    memo[key] = min(
                        drawings([form], form.attrs.get("Resources"), active | {key}), limit + 1
                    )
                total += 1 + memo.get(key, 0)
                if total > limit:
                    return limit + 1
        return total

    overloaded: dict[int, int] = {}
    with path.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            contents = page.contents if isinstance(page.contents, list) else [page.contents]
            streams = [resolve1(stream) for stream in contents if stream is not None]
            streams = [stream for stream in streams if isinstance(stream, PDFStream)]
            found = drawings(streams, page.resources, frozenset())
            if found > limit:
                overloaded[number] = found
    return overloaded
