"""simplemma's Swedish lemmas, from a table that opens in no time.

simplemma keeps its Swedish dictionary (about 960,000 word forms) compressed, and
decoding it into a Python dict took 1.3–1.5 s of every run. :func:`lemmatizer`
gives simplemma's own greedy lemmatizer with the dictionary served instead from a
hash table in a file of the nvreport cache folder (``tables/``), mapped into memory:
opening it costs nothing, a lookup about a microsecond, and forked worker processes
share its pages. The table is made from simplemma's dictionary the first time it is
needed (about two seconds), under a name that holds simplemma's version and the
table's format, so an upgrade makes a new one; it is never downloaded. When the
cache folder cannot be written, simplemma's dictionary is used as before.

Lemmas are therefore exactly simplemma's: only where the dictionary's entries are
looked up changes (``tests/test_lemmas.py`` holds them side by side).
"""

from __future__ import annotations

import contextlib
import mmap
import struct
import zlib
from array import array
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from nvreport.store.cache import read_table, tables_dir, write_table

LANGUAGE = "sv"
#: The table's layout; a change of layout changes the file's name.
FORMAT = 1
_MAGIC = b"NVLEMMA" + bytes([FORMAT])
_HEADER = struct.Struct("<8sIIQ")  # magic, slot count, entry count, file size
_RECORD = struct.Struct("<HH")  # key length, value length (UTF-8 bytes)


def table_name() -> str:
    """The table's file name: simplemma's version and the layout's."""
    from importlib.metadata import version

    return f"lemmas-{LANGUAGE}-simplemma-{version('simplemma')}-v{FORMAT}.bin"


def build_table(entries: Mapping[bytes, bytes] | Iterator[tuple[bytes, bytes]]) -> bytes:
    """A hash table of ``entries`` (UTF-8 word form -> UTF-8 lemma), open addressing
    with linear probing, at most half full. Each slot is a 64-bit number: the key's
    CRC-32 above, the offset of its record below (0: empty); a record is the key's and
    the value's lengths, then the key and the value."""
    items = list(entries.items()) if isinstance(entries, Mapping) else list(entries)
    size = 1 << max(4, (2 * len(items)).bit_length())
    mask = size - 1
    slots = array("Q", bytes(8 * size))
    records = bytearray()
    base = _HEADER.size + 8 * size
    pack, crc32 = _RECORD.pack, zlib.crc32
    for key, value in items:
        if len(key) > 0xFFFF or len(value) > 0xFFFF:
            raise ValueError("a dictionary entry is too long for the lemma table")
        offset = base + len(records)
        records += pack(len(key), len(value))
        records += key
        records += value
        digest = crc32(key)
        slot = digest & mask
        while slots[slot]:
            slot = (slot + 1) & mask
        slots[slot] = (digest << 32) | offset
    if base + len(records) >= 1 << 32:
        raise ValueError("the lemma dictionary is too large for the lemma table")
    if slots.itemsize != 8:  # pragma: no cover - every platform nvreport runs on
        raise ValueError("no 64-bit array type")
    if struct.pack("=I", 1) != struct.pack("<I", 1):
        slots.byteswap()
    total = base + len(records)
    return _HEADER.pack(_MAGIC, size, len(items), total) + slots.tobytes() + bytes(records)


class LemmaTable(Mapping[str, str]):
    """A read-only str -> str mapping over a table :func:`build_table` made."""

    def __init__(self, data: bytes | mmap.mmap) -> None:
        if len(data) < _HEADER.size:
            raise ValueError("not a lemma table")
        magic, size, count, total = _HEADER.unpack_from(data, 0)
        if magic != _MAGIC or size & (size - 1) or len(data) != total:
            raise ValueError("not a lemma table of this format, or not whole")
        self._data = data
        view = memoryview(data)[_HEADER.size : _HEADER.size + 8 * size]
        self._slots = view.cast("Q") if struct.pack("=I", 1) == struct.pack("<I", 1) else None
        if self._slots is None:  # pragma: no cover - big-endian machines
            swapped = array("Q", view.tobytes())
            swapped.byteswap()
            self._slots = swapped
        self._mask = size - 1
        self._count = count

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        encoded = key.encode()
        digest = zlib.crc32(encoded)
        slots, mask, data = self._slots, self._mask, self._data
        slot = digest & mask
        while True:
            entry = slots[slot]
            if not entry:
                return default
            if entry >> 32 == digest:
                offset = entry & 0xFFFFFFFF
                key_length, value_length = _RECORD.unpack_from(data, offset)
                start = offset + 4
                if data[start : start + key_length] == encoded:
                    start += key_length
                    return data[start : start + value_length].decode()
            slot = (slot + 1) & mask

    def __getitem__(self, key: str) -> str:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        data = self._data
        for entry in self._slots:
            if entry:
                offset = entry & 0xFFFFFFFF
                key_length, _ = _RECORD.unpack_from(data, offset)
                yield bytes(data[offset + 4 : offset + 4 + key_length]).decode()

    def __len__(self) -> int:
        return self._count


def _simplemma_entries() -> Iterator[tuple[bytes, bytes]]:
    """simplemma's Swedish dictionary as UTF-8 pairs: from its bytes-keyed dict
    where it keeps one, else through its public mapping."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    mapping = DefaultDictionaryFactory(cache_max_size=0).get_dictionary(LANGUAGE)
    raw = getattr(mapping, "_dict", None)
    if isinstance(raw, dict):
        return iter(raw.items())
    return ((key.encode(), mapping[key].encode()) for key in mapping)


def open_table(folder: Path | None = None) -> LemmaTable | None:
    """The lemma table in the cache folder's ``tables/``, made there when missing or
    damaged (None: simplemma's dictionary cannot be put in a table)."""
    name = table_name()
    data = read_table(name, folder)
    if data is not None:
        try:
            return LemmaTable(data)
        except ValueError:
            data.close()  # damaged: made again
    try:
        built = build_table(_simplemma_entries())
    except ValueError:
        return None
    if write_table(name, built, folder):
        _drop_other_tables(name, folder)
        if (data := read_table(name, folder)) is not None:
            with contextlib.suppress(ValueError):
                return LemmaTable(data)  # mapped, so forked workers share its pages
    return LemmaTable(built)  # for this run only: the folder cannot be written


def _drop_other_tables(name: str, folder: Path | None) -> None:
    """Remove the lemma tables of other simplemma versions or layouts (40 MB each)."""
    with contextlib.suppress(OSError):
        for path in tables_dir(folder).glob(f"lemmas-{LANGUAGE}-*.bin"):
            if path.name != name:
                path.unlink(missing_ok=True)


class _TableFactory:
    """A simplemma dictionary factory that serves the lemma table."""

    def __init__(self, table: Mapping[str, str]) -> None:
        self.table = table

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        if lang != LANGUAGE:
            raise ValueError(f"Unsupported language: {lang}")
        return self.table


@cache
def lemmatizer() -> Any:
    """simplemma's greedy lemmatizer (as ``simplemma.lemmatize(…, greedy=True)``
    uses), its dictionary served from the lemma table when there is one."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    table = open_table()
    if table is None:
        return Lemmatizer(lemmatization_strategy=DefaultStrategy(greedy=True))
    return Lemmatizer(
        lemmatization_strategy=DefaultStrategy(greedy=True, dictionary_factory=_TableFactory(table))
    )
