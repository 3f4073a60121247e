"""A run's document parts on disk instead of in memory.

A part is any picklable object with ``columns.size`` (the passages it holds):
:class:`~nvreport.analysis.tables.DocumentPart` in a run.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterator
from typing import Any


class PartStore:
    """The documents' parts of a run, kept in an anonymous temporary file instead of
    memory, so the memory of a run does not grow with the corpus: appending pickles
    a part to the file, iterating reads the parts back one at a time. Reads use
    positioned I/O, so two iterations may run side by side. The file goes away with
    the store (or the process)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="nvreport-parts-")  # noqa: SIM115
        self._index: list[tuple[int, int]] = []  # offset and length of each part
        self._end = 0
        self.passage_count = 0

    def append(self, part: Any) -> None:
        data = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
        written = 0
        while written < len(data):
            written += os.pwrite(self._file.fileno(), data[written:], self._end + written)
        self._index.append((self._end, len(data)))
        self._end += len(data)
        self.passage_count += part.columns.size

    def _load(self, offset: int, length: int) -> Any:
        data = bytearray()
        while len(data) < length:
            chunk = os.pread(self._file.fileno(), length - len(data), offset + len(data))
            if not chunk:
                raise OSError("the temporary file of the run's passages is truncated")
            data += chunk
        return pickle.loads(data)

    def __len__(self) -> int:
        return len(self._index)

    def __iter__(self) -> Iterator[Any]:
        for offset, length in self._index:
            yield self._load(offset, length)

    def __getitem__(self, number: int) -> Any:
        return self._load(*self._index[number])

    def close(self) -> None:
        self._file.close()
