"""The analyse pipeline: discover -> read -> metadata -> passages, one document at a time.

:func:`analyse_folder` is what ``nvreport analyse`` calls; it never raises for a bad
file: every input ends up as a :class:`~nvreport.models.DocumentRecord` with a status
and a message, and the run goes on with the rest.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import pickle
import sys
import tempfile
from array import array
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pebble import ProcessExpired, ProcessPool

from nvreport.errors import UnreadableDocumentError
from nvreport.ingest.discover import Discovery, discover_reports
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.ingest.metadata import infer_metadata, read_manifest
from nvreport.ingest.normalize import count_words
from nvreport.ingest.passages import listed_headings_missing, split_passages
from nvreport.ingest.readers import READERS, import_readers
from nvreport.models import (
    LEFT_OUT_REASONS,
    Block,
    BlockKind,
    DocumentMeta,
    DocumentRecord,
    DocumentStatus,
    Passage,
    ReadResult,
    SourceFile,
    TextAccount,
)
from nvreport.store.cache import Cache, cache_problem, code_fingerprint
from nvreport.tagging.tagger import NONE, STATUS_RANK, Match, Tagger, Tokens
from nvreport.tagging.taxonomy import THEME, Taxonomy

if TYPE_CHECKING:
    import pandas as pd

#: Columns of the passages table (``passages.csv`` / ``passages.parquet``), in order.
PASSAGE_COLUMNS = (
    "doc_id",
    "file",
    "actor",
    "actor_type",
    "lan",
    "year",
    "page",
    "section",
    "index",
    "kind",
    "text",
    "context",
    "word_count",
    "themes",
    "facets",
    "evidence",
)

#: The text accounting of a document, in order: the words of its text layer, the
#: words kept in passages, the words left out for each reason of
#: :data:`~nvreport.models.LEFT_OUT_REASONS`, the body words (the text layer less
#: what was left out) and the share of them kept. The last columns of
#: ``documents.csv``, and keys of each file's entry in ``run.json``.
TEXT_COLUMNS = (
    "text_layer_words",
    "kept_words",
    *(f"left_out_{reason}" for reason in LEFT_OUT_REASONS),
    "body_words",
    "kept_share",
)

#: Columns of ``documents.csv``, in order.
DOCUMENT_COLUMNS = (
    "file",
    "status",
    "message",
    "doc_id",
    "format",
    "sha256",
    "size_bytes",
    "pages",
    "passages",
    "words",
    "actor",
    "actor_type",
    "lan",
    "year",
    "actor_source",
    "actor_type_source",
    "lan_source",
    "year_source",
    *TEXT_COLUMNS,
    "partly_read",
)

_FIRST_PAGES = 2  # metadata is looked for in the first pages' text
_FIRST_BLOCKS = 40  # ... or the first blocks of formats without pages


class PassageColumns(NamedTuple):
    """A document's passages, column by column: what crosses between processes and
    what the cache keeps. Much cheaper to pickle and to hold than one
    :class:`~nvreport.models.Passage` per passage; passage ``n`` of the document has
    ``index`` n."""

    doc_id: str
    kinds: tuple[str, ...]  # BlockKind values
    texts: tuple[str, ...]
    pages: tuple[int | None, ...]
    sections: tuple[str, ...]
    contexts: tuple[str, ...]
    word_counts: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.texts)

    @classmethod
    def of(cls, doc_id: str, passages: Sequence[Passage]) -> PassageColumns:
        return cls(
            doc_id,
            tuple(passage.kind.value for passage in passages),
            tuple(passage.text for passage in passages),
            tuple(passage.page for passage in passages),
            tuple(passage.section for passage in passages),
            tuple(passage.context for passage in passages),
            tuple(passage.word_count for passage in passages),
        )

    def passages(self) -> list[Passage]:
        return [
            Passage(self.doc_id, number, BlockKind(kind), text, page, section, context, words)
            for number, (kind, text, page, section, context, words) in enumerate(
                zip(
                    self.kinds,
                    self.texts,
                    self.pages,
                    self.sections,
                    self.contexts,
                    self.word_counts,
                    strict=True,
                )
            )
        ]


#: One match as a plain tuple: (passage number within its document, theme, status,
#: text, start, end, sentence, term) -- the fields of :class:`~nvreport.tagging.tagger.Match`.
MatchRow = tuple[int, str, str, str, int, int, str, str]


def rows_by_passage(rows: Sequence[MatchRow], size: int) -> list[list[MatchRow]]:
    """Match rows grouped per passage, for a document of ``size`` passages."""
    grouped: list[list[MatchRow]] = [[] for _ in range(size)]
    for row in rows:
        grouped[row[0]].append(row)
    return grouped


class FlatTags(NamedTuple):
    """The themes (or facet values) of a document's passages, flat, as the Parquet
    list<struct> column is built: ``counts`` tags per passage, then per tag its id,
    combined status and ``evidence_counts`` matches, then per match its words,
    offsets and sentence."""

    counts: tuple[int, ...]
    ids: tuple[str, ...]
    statuses: tuple[str, ...]
    evidence_counts: tuple[int, ...]
    texts: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    sentences: tuple[str, ...]


class DocumentTags(NamedTuple):
    """A document's tags as the outputs show them, per passage: the ``themes``,
    ``facets`` and ``evidence`` strings of ``passages.csv``, and the Parquet lists."""

    themes: tuple[str, ...]
    facets: tuple[str, ...]
    evidence: tuple[str, ...]
    theme_tags: FlatTags
    facet_tags: FlatTags

    @classmethod
    def load(cls, value: tuple) -> DocumentTags:
        themes, facets, evidence, theme_tags, facet_tags = value
        return cls(themes, facets, evidence, FlatTags(*theme_tags), FlatTags(*facet_tags))

    def dump(self) -> tuple:
        """Plain tuples, for the cache."""
        return (*self[:3], tuple(self.theme_tags), tuple(self.facet_tags))


def document_tags(grouped: Sequence[Sequence[MatchRow]], is_theme: dict[str, bool]) -> DocumentTags:
    """Work out a document's :class:`DocumentTags` from its match rows per passage."""
    themes_column: list[str] = []
    facets_column: list[str] = []
    evidence_column: list[str] = []
    flat: tuple[list[list], list[list]] = (
        [[], [], [], [], [], [], [], []],
        [[], [], [], [], [], [], [], []],
    )
    for rows in grouped:
        if not rows:
            themes_column.append("")
            facets_column.append("")
            evidence_column.append("")
            flat[0][0].append(0)
            flat[1][0].append(0)
            continue
        statuses: dict[str, str] = {}
        evidence: dict[str, list[MatchRow]] = {}
        for row in rows:
            entry = row[1]
            before = statuses.get(entry, NONE)
            if STATUS_RANK[row[2]] > STATUS_RANK[before]:
                statuses[entry] = row[2]
            evidence.setdefault(entry, []).append(row)
        themes = {key: value for key, value in statuses.items() if is_theme[key]}
        facets = {key: value for key, value in statuses.items() if not is_theme[key]}
        themes_column.append(";".join(f"{key}:{value}" for key, value in themes.items()))
        facets_column.append(";".join(f"{key}:{value}" for key, value in facets.items()))
        evidence_column.append("; ".join(f"{key}={found[0][3]}" for key, found in evidence.items()))
        for tags, columns in ((themes, flat[0]), (facets, flat[1])):
            counts, ids, kept, evidence_counts, texts, starts, ends, sentences = columns
            counts.append(len(tags))
            for tag, status in tags.items():
                ids.append(tag)
                kept.append(status)
                found = evidence[tag]
                evidence_counts.append(len(found))
                for row in found:
                    texts.append(row[3])
                    starts.append(row[4])
                    ends.append(row[5])
                    sentences.append(row[6])
    return DocumentTags(
        tuple(themes_column),
        tuple(facets_column),
        tuple(evidence_column),
        FlatTags(*map(tuple, flat[0])),
        FlatTags(*map(tuple, flat[1])),
    )


class DocumentPart(NamedTuple):
    """What one document with passages contributes: its passages and, when tagged,
    its matches (as rows) and its tags as the outputs show them."""

    columns: PassageColumns
    matches: tuple[MatchRow, ...] | None
    tags: DocumentTags | None = None


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

    def append(self, part: DocumentPart) -> None:
        data = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
        written = 0
        while written < len(data):
            written += os.pwrite(self._file.fileno(), data[written:], self._end + written)
        self._index.append((self._end, len(data)))
        self._end += len(data)
        self.passage_count += part.columns.size

    def _load(self, offset: int, length: int) -> DocumentPart:
        data = bytearray()
        while len(data) < length:
            chunk = os.pread(self._file.fileno(), length - len(data), offset + len(data))
            if not chunk:
                raise OSError("the temporary file of the run's passages is truncated")
            data += chunk
        return pickle.loads(data)

    def __len__(self) -> int:
        return len(self._index)

    def __iter__(self) -> Iterator[DocumentPart]:
        for offset, length in self._index:
            yield self._load(offset, length)

    def __getitem__(self, number: int) -> DocumentPart:
        return self._load(*self._index[number])

    def close(self) -> None:
        self._file.close()


class _PartList(Sequence):
    """A list built from the documents' parts the first time it is used: most runs
    never need one object per passage or match."""

    def __init__(self, parts: Sequence[DocumentPart] | PartStore) -> None:
        self.parts = parts
        self._items: list | None = None

    def _build(self) -> list:
        raise NotImplementedError

    def _list(self) -> list:
        if self._items is None:
            self._items = self._build()
        return self._items

    def __len__(self) -> int:
        if isinstance(self.parts, PartStore):
            return self.parts.passage_count
        return sum(part.columns.size for part in self.parts)

    def __getitem__(self, index):  # type: ignore[override]
        return self._list()[index]

    def __iter__(self) -> Iterator:
        return iter(self._list())

    def __eq__(self, other: object) -> bool:
        return self._list() == (list(other) if isinstance(other, Sequence) else other)

    def __repr__(self) -> str:
        return repr(self._list())


class PassageList(_PartList):
    """Every passage of a run, in document order, as :class:`Passage` objects."""

    def _build(self) -> list[Passage]:
        return [passage for part in self.parts for passage in part.columns.passages()]


class MatchList(_PartList):
    """Every passage's matches, in the order of :class:`PassageList`."""

    def _build(self) -> list[list[Match]]:
        result: list[list[Match]] = []
        for part in self.parts:
            grouped = rows_by_passage(part.matches or (), part.columns.size)
            result.extend([Match(*row[1:]) for row in rows] for rows in grouped)
        return result


def unreadable(documents: Sequence[DocumentRecord]) -> list[DocumentRecord]:
    """The files that could not be read, or have no text."""
    return [
        record
        for record in documents
        if record.status in (DocumentStatus.ERROR, DocumentStatus.NO_TEXT)
    ]


@dataclass
class RunSummary:
    """What ``run.json`` and the command's report need of a run: its documents and
    counts, without the passages (a run whose outputs were reused has none at hand).
    ``reused`` is true when the outputs were copied from an identical earlier run."""

    root: Path
    documents: list[DocumentRecord]
    passages: int
    started: datetime
    finished: datetime
    manifest_files: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    taxonomy: Taxonomy | None = None
    reused: bool = False

    def unreadable(self) -> list[DocumentRecord]:
        return unreadable(self.documents)


@dataclass
class Analysis:
    """The result of analysing one folder.

    ``passages`` and ``matches`` behave as lists (one match list per passage; no
    lists at all when nothing was tagged); :func:`document_parts` gives the same,
    document by document, in the compact form the outputs are written from.
    """

    root: Path
    documents: list[DocumentRecord]
    passages: Sequence[Passage]
    started: datetime
    finished: datetime
    manifest_files: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)  # run-level warnings
    matches: Sequence[list[Match]] = field(default_factory=list)  # per passage, when tagged
    taxonomy: Taxonomy | None = None

    def summary(self) -> RunSummary:
        return RunSummary(
            root=self.root,
            documents=self.documents,
            passages=len(self.passages),
            started=self.started,
            finished=self.finished,
            manifest_files=self.manifest_files,
            notes=self.notes,
            taxonomy=self.taxonomy,
        )

    def passages_frame(self) -> pd.DataFrame:
        """One row per passage with the columns in :data:`PASSAGE_COLUMNS`."""
        import pandas as pd

        columns = passage_table(self)
        frame = pd.DataFrame({name: columns[name] for name in PASSAGE_COLUMNS})
        for column in PASSAGE_COLUMNS:
            dtype = "Int64" if column in _INTEGER_COLUMNS else "string"
            frame[column] = frame[column].astype(dtype)
        return frame

    def tags_of(self, number: int) -> tuple[dict[str, str], dict[str, str]]:
        """The themes and the facet values of passage ``number``, each with its status."""
        if not self.matches or self.taxonomy is None:
            return {}, {}
        return self._tags[number]

    @cached_property
    def _tags(self) -> list[tuple[dict[str, str], dict[str, str]]]:
        """Every passage's themes and facet values, worked out once."""
        kinds = entry_kinds(self.taxonomy)
        return [
            split_tags(rows, kinds)
            for part in document_parts(self)
            for rows in rows_by_passage(part.matches or (), part.columns.size)
        ]

    def documents_frame(self) -> pd.DataFrame:
        """One row per input file with the columns in :data:`DOCUMENT_COLUMNS`."""
        import pandas as pd

        rows = [
            {
                "file": record.source.relpath,
                "status": record.status.value,
                "message": record.message,
                "doc_id": record.doc_id,
                "format": record.source.suffix.lstrip("."),
                "sha256": record.sha256,
                "size_bytes": record.size,
                "pages": record.pages,
                "passages": record.passages,
                "words": record.words,
                "actor": record.meta.actor,
                "actor_type": record.meta.actor_type,
                "lan": record.meta.lan,
                "year": record.meta.year,
                "actor_source": record.meta.actor_source,
                "actor_type_source": record.meta.actor_type_source,
                "lan_source": record.meta.lan_source,
                "year_source": record.meta.year_source,
                **text_figures(record),
                "partly_read": record.partly_read,
            }
            for record in self.documents
        ]
        frame = pd.DataFrame(rows, columns=list(DOCUMENT_COLUMNS))
        for column in ("size_bytes", "pages", "passages", "words", "year", *TEXT_COLUMNS[:-1]):
            frame[column] = frame[column].astype("Int64")
        frame["kept_share"] = frame["kept_share"].astype("Float64")
        return frame

    def unreadable(self) -> list[DocumentRecord]:
        return unreadable(self.documents)


_INTEGER_COLUMNS = ("year", "page", "index", "word_count")


def document_parts(analysis: Analysis) -> Iterator[DocumentPart]:
    """Each document with passages, in order, with its tags worked out (empty when
    nothing was tagged). Comes straight from the compact parts when the analysis has
    them, and is built from ``passages``/``matches`` otherwise (after
    :func:`dataclasses.replace`, say)."""
    passages, matches = analysis.passages, analysis.matches
    tagged = bool(matches) and analysis.taxonomy is not None
    is_theme = entry_kinds(analysis.taxonomy)
    if isinstance(passages, PassageList) and (
        not matches or (isinstance(matches, MatchList) and matches.parts is passages.parts)
    ):
        for part in passages.parts:
            yield with_tags(part, tagged, is_theme)
        return
    start = 0
    items = list(passages)
    while start < len(items):
        end = start
        while end < len(items) and items[end].doc_id == items[start].doc_id:
            end += 1
        chunk = items[start:end]
        grouped = [
            [
                (number, m.theme, m.status, m.text, m.start, m.end, m.sentence, m.term)
                for m in (matches[start + number] if tagged else ())
            ]
            for number in range(len(chunk))
        ]
        rows = tuple(row for found in grouped for row in found) if tagged else None
        yield DocumentPart(
            PassageColumns.of(chunk[0].doc_id, chunk), rows, document_tags(grouped, is_theme)
        )
        start = end


def with_tags(part: DocumentPart, tagged: bool, is_theme: dict[str, bool]) -> DocumentPart:
    """The part with its tags worked out (empty tags when nothing was tagged)."""
    if tagged and part.matches is not None:
        if part.tags is not None:
            return part
        grouped = rows_by_passage(part.matches, part.columns.size)
        return part._replace(tags=document_tags(grouped, is_theme))
    empty = [[] for _ in range(part.columns.size)]
    return DocumentPart(part.columns, None, document_tags(empty, is_theme))


def entry_kinds(taxonomy: Taxonomy | None) -> dict[str, bool]:
    """Entry id -> whether it is a theme (else a facet value)."""
    entries = taxonomy.entries if taxonomy else {}
    return {key: entry.kind == THEME for key, entry in entries.items()}


def split_tags(
    rows: Sequence[MatchRow], is_theme: dict[str, bool]
) -> tuple[dict[str, str], dict[str, str]]:
    """A passage's themes and facet values, each with its combined status, in order of
    first match (as :func:`~nvreport.tagging.tagger.passage_themes`)."""
    if not rows:
        return {}, {}
    statuses: dict[str, str] = {}
    for row in rows:
        before = statuses.get(row[1], NONE)
        if STATUS_RANK[row[2]] > STATUS_RANK[before]:
            statuses[row[1]] = row[2]
    themes = {key: value for key, value in statuses.items() if is_theme[key]}
    facets = {key: value for key, value in statuses.items() if not is_theme[key]}
    return themes, facets


def passage_table(analysis: Analysis) -> dict[str, list]:
    """The passages table column by column (:data:`PASSAGE_COLUMNS`; ``None`` where a
    value is missing)."""
    by_doc = {record.doc_id: record for record in analysis.documents if record.doc_id}
    table: dict[str, list] = {name: [] for name in PASSAGE_COLUMNS}
    for part in document_parts(analysis):
        columns, tags = part.columns, part.tags
        assert tags is not None
        for name, values in passage_values(by_doc[columns.doc_id], columns, tags).items():
            table[name].extend(values)
    return table


def passage_values(
    record: DocumentRecord, columns: PassageColumns, tags: DocumentTags
) -> dict[str, Sequence]:
    """One document's rows of the passages table, column by column."""
    size, meta = columns.size, record.meta
    return {
        "doc_id": [columns.doc_id] * size,
        "file": [record.source.relpath] * size,
        "actor": [meta.actor] * size,
        "actor_type": [meta.actor_type] * size,
        "lan": [meta.lan] * size,
        "year": [meta.year] * size,
        "page": columns.pages,
        "section": columns.sections,
        "index": range(size),
        "kind": columns.kinds,
        "text": columns.texts,
        "context": columns.contexts,
        "word_count": columns.word_counts,
        "themes": tags.themes,
        "facets": tags.facets,
        "evidence": tags.evidence,
    }


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection in the block. Collecting a run's results and
    writing the outputs makes hundreds of thousands of small acyclic objects (tuples,
    strings), and the collector, set off by every few hundred of them, would walk
    them all over and over: a second or more of a large run for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def file_sha256(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def first_pages_text(blocks: tuple[Block, ...]) -> str:
    """The text metadata is looked for in: the first pages, or the first blocks."""
    chosen = [
        block.text
        for number, block in enumerate(blocks)
        if (block.page is not None and block.page <= _FIRST_PAGES)
        or (block.page is None and number < _FIRST_BLOCKS)
    ]
    return "\n".join(chosen)


def read_document(source: SourceFile) -> ReadResult:
    """Read one file with the reader for its format.

    Raises :class:`UnreadableDocumentError` for anything that goes wrong, including
    errors no reader anticipated, so one bad file cannot stop a run.
    """
    reader = READERS[source.suffix]
    try:
        return reader(source.path)
    except UnreadableDocumentError:
        raise
    except MemoryError:
        raise UnreadableDocumentError(
            source.path, "too large to read in memory", transient=True
        ) from None
    except RecursionError:
        raise UnreadableDocumentError(
            source.path, "the file's structure is too deeply nested (damaged?)"
        ) from None
    except Exception as error:  # any failure is recorded, never fatal
        detail = without_path(str(error).strip(), source.path) or type(error).__name__
        raise UnreadableDocumentError(
            source.path, f"could not be read ({type(error).__name__}: {detail})"
        ) from None


def without_path(message: str, path: Path) -> str:
    """``message`` (a library's) with the file's own path put as "the file": a
    message is kept with the file's content in the cache and in finished runs, so it
    must not tell where one copy of the content happened to be."""
    written = {str(path), str(path.absolute())}
    with contextlib.suppress(OSError, RuntimeError):  # a link loop cannot be resolved
        written.add(str(path.resolve()))
    for form in sorted(written, key=len, reverse=True):
        message = message.replace(form, "the file")
    return message


def _read_entry(source: SourceFile) -> tuple[ReadEntry, bool]:
    """Read one file into what the cache keeps of it (see :data:`ReadEntry`), and
    whether it may be kept: not a failure whose cause may not recur."""
    try:
        result = read_document(source)
    except UnreadableDocumentError as error:
        return ReadEntry(None, "", None, (), (error.status, error.reason)), not error.transient
    passages = split_passages("", result.blocks)
    columns = PassageColumns.of("", passages)
    warnings = result.warnings
    missing = listed_headings_missing(result.blocks)
    if missing:
        warnings += (f"the contents page lists headings that were not found: {', '.join(missing)}",)
    entry = ReadEntry(
        columns[1:],
        first_pages_text(result.blocks),
        result.pages,
        warnings,
        None,
        account_entry(result.account, result.blocks, columns),
    )
    return entry, True


class ReadEntry(NamedTuple):
    """What the cache keeps of a read: the passages' columns without the doc_id (it
    follows from the content), the text metadata is looked for in, the page count,
    the reader's warnings, for a file that could not be read, (status, why), and the
    text accounting as :func:`account_entry` gives it (None: the reader gives none).
    All plain tuples, strings and numbers."""

    columns: tuple | None
    first_text: str
    pages: int | None
    warnings: tuple[str, ...]
    failure: tuple[str, str] | None = None
    account: tuple | None = None


# --- text accounting ----------------------------------------------------------------

#: A page whose blocks hold at least this many words (a table of contents not
#: counted) must yield a passage, or the document gets a warning.
PAGE_WORDS_EXPECTED = 30
#: A document whose passages hold less than this share of its body words (the text
#: layer less what was left out for a reason) gets a warning.
KEPT_SHARE_EXPECTED = 0.97
#: Pages named in a message, at most: the pages with the most loss, or the first
#: pages that yield nothing.
_LOSS_PAGES_NAMED = 3
_SILENT_PAGES_NAMED = 12


def account_entry(
    account: TextAccount | None, blocks: Sequence[Block], columns: PassageColumns
) -> tuple | None:
    """The reader's ``account`` completed with the words the passage splitter left
    out as a table of contents, as plain tuples for the cache: (layer words,
    ((reason, words) for every reason of :data:`~nvreport.models.LEFT_OUT_REASONS`),
    words per page, contents words per page). None when the reader gives no account.

    The splitter leaves out only contents blocks (and cuts a long block without
    losing words), so the contents words are the blocks' words less the passages';
    per page, by the page each block and passage starts on."""
    if account is None:
        return None
    block_words: dict[int | None, int] = {}
    for block in blocks:
        block_words[block.page] = block_words.get(block.page, 0) + count_words(block.text)
    kept: dict[int | None, int] = {}
    for page, words in zip(columns.pages, columns.word_counts, strict=True):
        kept[page] = kept.get(page, 0) + words
    contents = max(0, sum(block_words.values()) - sum(kept.values()))
    by_page = {page: max(0, words - kept.get(page, 0)) for page, words in block_words.items()}
    # a reader may leave a table of contents out itself (Word's TOC styles): both count
    left_out = tuple(
        (reason, account.left_out_words(reason) + (contents if reason == "contents" else 0))
        for reason in LEFT_OUT_REASONS
    )
    # a reason outside LEFT_OUT_REASONS explains nothing: its words count as lost
    page_contents = tuple(by_page.get(page, 0) for page in range(1, len(account.page_words) + 1))
    page_words = tuple(int(words) for words in account.page_words)
    return (int(account.layer_words), left_out, page_words, page_contents)


def body_words(account: TextAccount) -> int:
    """The words of the text layer less every word left out for a reason."""
    return account.layer_words - sum(account.left_out_words(reason) for reason in LEFT_OUT_REASONS)


def kept_share(kept: int, body: int) -> float:
    """The share of the body words kept, as ``documents.csv`` shows it (four
    decimals); what the warning below :data:`KEPT_SHARE_EXPECTED` is decided on."""
    return round(kept / body, 4)


def text_figures(record: DocumentRecord) -> dict[str, int | float | None]:
    """A document's text accounting, :data:`TEXT_COLUMNS` -> value; None (an empty
    cell) throughout when its reader gives no account, and for ``kept_share`` when
    there are no body words."""
    account = record.account
    if account is None:
        return dict.fromkeys(TEXT_COLUMNS)
    body = body_words(account)
    return {
        "text_layer_words": account.layer_words,
        "kept_words": record.words,
        **{f"left_out_{reason}": account.left_out_words(reason) for reason in LEFT_OUT_REASONS},
        "body_words": body,
        "kept_share": kept_share(record.words, body) if body > 0 else None,
    }


def text_totals(documents: Sequence[DocumentRecord]) -> dict[str, int | float | None]:
    """The text accounting summed over the documents whose reader gives one
    (``documents`` counts them); ``kept_share`` is of the summed words."""
    accounted = [text_figures(record) for record in documents if record.account is not None]
    totals: dict[str, int | float | None] = {"documents": len(accounted)}
    for column in TEXT_COLUMNS[:-1]:
        totals[column] = sum(figures[column] or 0 for figures in accounted)
    kept, body = totals["kept_words"] or 0, totals["body_words"] or 0
    totals["kept_share"] = kept_share(kept, body) if body > 0 else None
    return totals


def _pages_named(pages: Sequence[int], limit: int) -> str:
    """Pages as a message names them: "4", "4 and 5", "4, 5 and 9"; beyond ``limit``
    pages, "1, 2, 3 and 12 more"."""
    shown = [str(page) for page in pages[:limit]]
    if len(pages) > limit:
        return f"{', '.join(shown)} and {len(pages) - limit} more"
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def account_messages(
    account: TextAccount,
    page_contents: Sequence[int],
    pages: Sequence[int | None],
    word_counts: Sequence[int],
) -> list[str]:
    """Warnings about words that reach no passage, for a document with this account,
    contents words per page and passages (their pages and word counts).

    A page yields no passage when its blocks hold :data:`PAGE_WORDS_EXPECTED` words
    or more (its table of contents not counted), no passage starts on it, and the
    passages of earlier pages do not run onto it: the words of the passages started
    so far exceed the words of the pages so far by less than half the page's words.
    A page's loss is its words less the words of the passages starting on it (less
    what earlier passages ran onto it); the pages with the most loss are named when
    the passages hold less than :data:`KEPT_SHARE_EXPECTED` of the body words."""
    expected = [
        max(0, words - contents)
        for words, contents in zip(account.page_words, page_contents, strict=False)
    ]
    expected += account.page_words[len(expected) :]
    got = [0] * len(expected)
    started = [False] * len(expected)
    for page, words in zip(pages, word_counts, strict=True):
        if page is not None and 1 <= page <= len(expected):
            got[page - 1] += words
            started[page - 1] = True
    silent: list[int] = []
    losses: list[tuple[int, int]] = []  # (words lost, page)
    carried = 0  # words of earlier passages not yet matched by their pages' words
    for number, (want, have) in enumerate(zip(expected, got, strict=True), start=1):
        if not started[number - 1] and want >= PAGE_WORDS_EXPECTED and carried < want / 2:
            silent.append(number)
        balance = want - have - carried
        carried = max(0, -balance)
        if balance > 0:
            losses.append((balance, number))
    messages: list[str] = []
    if len(silent) == 1:
        messages.append(
            f"page {silent[0]} yields no passage although it holds "
            f"{PAGE_WORDS_EXPECTED} or more words"
        )
    elif silent:
        messages.append(
            f"pages {_pages_named(silent, _SILENT_PAGES_NAMED)} yield no passages although "
            f"they hold {PAGE_WORDS_EXPECTED} or more words"
        )
    body, kept = body_words(account), sum(word_counts)
    if body > 0 and kept_share(kept, body) < KEPT_SHARE_EXPECTED:
        message = (
            f"only {kept * 100 // body}% of the body words ({kept:,} of {body:,}) reach a passage"
        )
        worst = sorted(page for _, page in sorted(losses, reverse=True)[:_LOSS_PAGES_NAMED])
        if worst:
            message += f"; pages with the most loss: {', '.join(map(str, worst))}"
        messages.append(message)
    return messages


def analyse_document(
    source: SourceFile,
    root: Path,
    gazetteer: Gazetteer,
    manifest: dict,
    seen: dict[str, str],
    cache: Cache | None = None,
    digest: tuple[str, int] | None = None,
    cached_only: bool = False,
) -> tuple[DocumentRecord, PassageColumns | None] | None:
    """Read, describe and split one document. ``seen`` maps content hashes to files
    already analysed in this run, to flag duplicates; ``cache`` keeps what was read;
    ``digest`` is the file's (SHA-256, size) when already known. With
    ``cached_only``, return None instead of reading a file the cache does not hold."""
    record = DocumentRecord(source=source, status=DocumentStatus.OK)
    messages: list[str] = []
    try:
        record.sha256, record.size = digest or file_sha256(source.path)
    except OSError as error:
        if cached_only:
            return None
        record.status = DocumentStatus.ERROR
        record.message = f"cannot open the file: {error.strerror or error}"
        record.meta, _ = infer_metadata(source, root, "", gazetteer, manifest.get(source.relpath))
        return record, None
    record.doc_id = record.sha256[:12]

    if record.sha256 in seen:
        record.status = DocumentStatus.WARNING
        record.message = f"same content as {seen[record.sha256]}; counted once, under that file"
        record.meta, _ = infer_metadata(source, root, "", gazetteer, manifest.get(source.relpath))
        record.doc_id = ""
        return record, None

    entry = cache.get_read(record.sha256, source.suffix) if cache else None
    if not (isinstance(entry, tuple) and len(entry) == len(ReadEntry._fields)):
        entry = None  # not an entry of this format: read again
    if entry is None:
        if cached_only:
            return None
        entry, lasting = _read_entry(source)
        if not lasting:
            record.retry = True  # memory ran out, or the file could not be opened
        elif cache is not None:
            cache.put_read(record.sha256, source.suffix, tuple(entry))
    else:
        entry = ReadEntry(*entry)
    seen[record.sha256] = source.relpath

    if entry.failure is not None:
        record.status = DocumentStatus(entry.failure[0])
        messages.append(entry.failure[1])
    record.meta, meta_warnings = infer_metadata(
        source, root, entry.first_text, gazetteer, manifest.get(source.relpath)
    )
    columns: PassageColumns | None = None
    if entry.columns is not None:
        columns = PassageColumns(record.doc_id, *entry.columns)
        record.pages = entry.pages
        messages.extend(entry.warnings)
        lost: list[str] = []
        if entry.account is not None:
            layer, left_out, page_words, page_contents = entry.account
            record.account = TextAccount(layer, left_out, page_words)
            lost = account_messages(
                record.account, page_contents, columns.pages, columns.word_counts
            )
            messages.extend(lost)
            record.partly_read = bool(lost)
        if not columns.size:
            record.status = DocumentStatus.NO_TEXT
            messages.append("the document contains no text")
            columns = None
        elif entry.warnings or lost:
            record.status = DocumentStatus.WARNING
    messages.extend(meta_warnings)
    if meta_warnings and record.status is DocumentStatus.OK:
        record.status = DocumentStatus.WARNING
    record.passages = columns.size if columns else 0
    record.words = sum(columns.word_counts) if columns else 0
    record.message = "; ".join(messages)
    return record, columns


def tag_passages(passages: list[Passage], tagger: Tagger, year: int | None) -> list[list[Match]]:
    """Tag a document's passages. Headings are not tagged: a heading names what the
    report must cover ("2.2 Patientkontrakt"), not work done."""
    rows = _tag_columns(
        [passage.kind.value for passage in passages],
        [passage.text for passage in passages],
        [passage.context for passage in passages],
        tagger,
        year,
    )
    grouped = rows_by_passage(rows, len(passages))
    return [[Match(*row[1:]) for row in found] for found in grouped]


_HEADING = BlockKind.HEADING.value


def _tag_columns(
    kinds: Sequence[str],
    texts: Sequence[str],
    contexts: Sequence[str],
    tagger: Tagger,
    year: int | None,
    tokens: Callable[[list[str]], list[Tokens]] | None = None,
) -> tuple[MatchRow, ...]:
    """Tag a document's passages but its headings; every match as a row. ``tokens``
    gives the tokens of the passages tagged (by default, the tagger tokenises)."""
    taggable = [n for n, kind in enumerate(kinds) if kind != _HEADING]
    taggable_texts = [texts[n] for n in taggable]
    tagged = tagger.tag_rows(
        taggable_texts,
        [year] * len(taggable),
        [contexts[n] for n in taggable],
        tokens(taggable_texts) if tokens is not None else None,
    )
    return tuple(
        (number, *row) for number, found in zip(taggable, tagged, strict=True) for row in found
    )


Result = tuple[DocumentRecord, DocumentPart | None]

#: Seconds one document may take in a worker process before it is stopped.
DEFAULT_TIME_LIMIT = 300.0
#: Address space a worker process may use (bytes): well above what a report needs.
DEFAULT_MEMORY_LIMIT = 4 * 2**30


def _tagged(
    record: DocumentRecord,
    columns: PassageColumns,
    tagger: Tagger,
    cache: Cache | None,
    cached_only: bool = False,
) -> tuple[tuple[MatchRow, ...], DocumentTags] | None:
    """The document's match rows and tags, from the cache when this taxonomy tagged it
    before (None when ``cached_only`` and not cached)."""
    taxonomy = tagger.taxonomy.sha256
    use_cache = cache is not None and bool(record.sha256) and bool(taxonomy)
    if use_cache:
        cached = cache.get_tags(record.sha256, taxonomy, record.meta.year)  # type: ignore[union-attr]
        if isinstance(cached, tuple) and len(cached) == 3 and cached[0] == columns.size:
            return cached[1], DocumentTags.load(cached[2])
    if cached_only:
        return None

    def tokens(texts: list[str]) -> list[Tokens]:
        """The texts' tokens, from the cache when they were tokenised before."""
        if cache is None or not record.sha256:
            return tagger.tokenize(texts)
        version, suffix = tagger.tokenizer_version, record.source.suffix
        found = _unpack_tokens(cache.get_tokens(record.sha256, suffix, version), texts)
        if found is None:
            found = tagger.tokenize(texts)
            cache.put_tokens(record.sha256, suffix, version, _pack_tokens(found))
        return found

    rows = _tag_columns(
        columns.kinds, columns.texts, columns.contexts, tagger, record.meta.year, tokens
    )
    tags = document_tags(rows_by_passage(rows, columns.size), entry_kinds(tagger.taxonomy))
    if use_cache:
        value = (columns.size, rows, tags.dump())
        cache.put_tags(record.sha256, taxonomy, record.meta.year, value)  # type: ignore[union-attr]
    return rows, tags


def _pack_tokens(tokens: list[Tokens]) -> tuple[int, bytes, bytes, bytes]:
    """Tokens as the cache keeps them: the passage count, then every token's start,
    every token's length and every passage's token count, as arrays of integers."""
    starts, lengths = array("i"), array("i")
    for token_starts, token_lengths in tokens:
        starts.extend(token_starts)
        lengths.extend(token_lengths)
    counts = array("i", (len(token_starts) for token_starts, _ in tokens))
    return len(tokens), starts.tobytes(), lengths.tobytes(), counts.tobytes()


def _unpack_tokens(value: Any, texts: list[str]) -> list[Tokens] | None:
    """The tokens of ``texts`` from what :func:`_pack_tokens` made, or None when the
    value is not that (another format, another document)."""
    if not (isinstance(value, tuple) and len(value) == 4 and value[0] == len(texts)):
        return None
    starts, lengths, counts = (array("i", part) for part in value[1:])
    if len(starts) != len(lengths) or sum(counts) != len(starts):
        return None
    found: list[Tokens] = []
    position = 0
    for text, count in zip(texts, counts, strict=True):
        end = position + count
        token_starts, token_lengths = starts[position:end].tolist(), lengths[position:end].tolist()
        if token_starts and token_starts[-1] + token_lengths[-1] > len(text):
            return None
        found.append((token_starts, token_lengths))
        position = end
    return found


def _analyse_one(
    source: SourceFile,
    root: Path,
    gazetteer: Gazetteer,
    tagger: Tagger | None,
    manifest: dict,
    seen: dict[str, str],
    cache: Cache | None,
    digest: tuple[str, int] | None = None,
    cached_only: bool = False,
) -> Result | None:
    """Read, split and tag one document (None: ``cached_only`` and not all cached)."""
    done = analyse_document(source, root, gazetteer, manifest, seen, cache, digest, cached_only)
    if done is None:
        return None
    record, columns = done
    if columns is None:
        return record, None
    if tagger is None:
        return record, DocumentPart(columns, None)
    tagged = _tagged(record, columns, tagger, cache, cached_only)
    if tagged is None:
        seen.pop(record.sha256, None)
        return None
    return record, DocumentPart(columns, *tagged)


def resolve_jobs(jobs: int, documents: int) -> int:
    """Worker processes to use: ``jobs`` if given, else one per core, but no more
    than there are documents. Workers are forked from a process that has loaded
    everything, so even two documents gain from a second one (three large PDFs on
    two cores: 7.0 s with one worker, 5.2 s with two)."""
    if jobs > 0:
        return jobs
    return max(1, min(os.cpu_count() or 1, documents))


def _analyse_in_order(
    inputs: RunInputs,
    gazetteer: Gazetteer,
    tagger: Tagger | None,
    cache_dir: Path | None,
) -> Iterator[Result]:
    cache = Cache(cache_dir) if cache_dir is not None else None
    root, manifest = inputs.root, inputs.manifest
    try:
        seen: dict[str, str] = {}
        for source, digest in zip(inputs.discovery.reports, inputs.digests, strict=True):
            done = _analyse_one(source, root, gazetteer, tagger, manifest, seen, cache, digest)
            assert done is not None
            yield done
    finally:
        if cache is not None:
            cache.close()


@dataclass
class _WorkerState:
    """What a worker process holds: the gazetteer, the tagger and its own cache."""

    gazetteer: Gazetteer | None = None
    tagger: Tagger | None = None
    cache: Cache | None = None


_worker = _WorkerState()  # filled in each worker process by _start_worker, never in the parent


def _start_worker(
    gazetteer: Gazetteer, tagger: Tagger | None, cache_dir: Path | None, memory_limit: int
) -> None:
    """Worker processes are forked: the parent's gazetteer and tagger come as they are."""
    if memory_limit > 0:
        _limit_memory(memory_limit)
    gc.freeze()  # what the parent built stays put: not walked by the collector, not copied
    _worker.gazetteer = gazetteer
    _worker.tagger = tagger
    _worker.cache = Cache(cache_dir) if cache_dir is not None else None


def _limit_memory(limit: int) -> None:
    """Cap this process's address space, so a document that would take all memory
    fails with MemoryError in its own worker instead of sinking the machine."""
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the time limit and the pool still protect the run


_Task = tuple[SourceFile, Path, dict, "tuple[str, int] | None"]


def _work(task: _Task) -> Result:
    source, root, manifest, digest = task
    assert _worker.gazetteer is not None
    done = _analyse_one(
        source, root, _worker.gazetteer, _worker.tagger, manifest, {}, _worker.cache, digest
    )
    assert done is not None
    return done


#: Results a run may hold back, per worker, while it waits for an earlier document:
#: results are passed on in the order of the reports, and this bounds the memory
#: that waiting takes.
_AHEAD_PER_WORKER = 4
#: Documents a worker process handles before it is replaced by a fresh one: the
#: tagger's word caches grow with the vocabulary it meets, and this keeps a worker's
#: memory the same however large the corpus (a new worker costs about a second).
_TASKS_PER_WORKER = 100


def _start_pool(
    workers: int,
    sources: Sequence[SourceFile],
    gazetteer: Gazetteer,
    tagger: Tagger | None,
    cache_dir: Path | None,
    memory_limit: int,
) -> ProcessPool:
    """Start the worker processes. On Linux, where processes are forked, the parent first
    loads what every worker needs (the readers of the formats present, the spaCy
    pipeline, the lemma dictionary: nearly two seconds of a worker's start; the
    cache keys' code fingerprint), so each worker, and each that replaces one, starts
    with them instead of loading them again."""
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("fork")
        if cache_dir is not None:
            code_fingerprint()
        import_readers({source.suffix for source in sources})
        if tagger is not None:
            tagger.load()
    else:  # macOS and Windows spawn workers (fork is unsafe or absent there)
        context = multiprocessing.get_context("spawn")
    return ProcessPool(
        workers,
        max_tasks=_TASKS_PER_WORKER,
        initializer=_start_worker,
        initargs=(gazetteer, tagger, cache_dir, memory_limit),
        context=context,
    )


def _analyse_in_processes(
    inputs: RunInputs,
    gazetteer: Gazetteer,
    tagger: Tagger | None,
    workers: int,
    cache_dir: Path | None,
    time_limit: float = 0,
    memory_limit: int = 0,
) -> Iterator[Result]:
    """Read and tag documents in worker processes, yielding results in the order of
    ``sources``, as one process would, and as they come: nothing is held longer than
    the order requires, so memory does not grow with the corpus.

    Duplicates are settled here, in that order, so which copy counts does not depend
    on which worker is faster. Until the first document the cache cannot give in
    full, documents are taken from the cache here, and no worker is started; from
    then on the rest go to the workers (which use the cache themselves), with the
    parent's cache connection closed first, so no connection crosses into a child.
    """
    seen: dict[str, str] = {}
    root, manifest = inputs.root, inputs.manifest
    cache = Cache(cache_dir) if cache_dir is not None else None
    pool: ProcessPool | None = None
    waiting: deque[Result | tuple[_Task, Any]] = deque()
    ahead = _AHEAD_PER_WORKER * workers

    def ready(item: Result | tuple[_Task, Any]) -> bool:
        return not isinstance(item[1], Future) or item[1].done()

    def outcome(item: Result | tuple[_Task, Any]) -> Result:
        if isinstance(item[1], Future):
            return _outcome(item[0], item[1], gazetteer, time_limit)  # type: ignore[arg-type]
        return item  # type: ignore[return-value]

    try:
        for source, digest in zip(inputs.discovery.reports, inputs.digests, strict=True):
            sha256 = digest[0] if digest else ""  # no digest: the worker records why
            item: Result | tuple[_Task, Any] | None = None
            if sha256 and sha256 in seen:
                duplicate = analyse_document(
                    source, root, gazetteer, manifest, {sha256: seen[sha256]}, digest=digest
                )
                assert duplicate is not None
                item = (duplicate[0], None)
            else:
                if sha256:
                    seen[sha256] = source.relpath
                if pool is None and cache is not None and digest is not None:
                    item = _analyse_one(
                        source, root, gazetteer, tagger, manifest, {}, cache, digest, True
                    )
                if item is None:
                    if pool is None:
                        if cache is not None:
                            cache.close()  # before forking
                            cache = None
                        pool = _start_pool(
                            workers,
                            inputs.discovery.reports,
                            gazetteer,
                            tagger,
                            cache_dir,
                            memory_limit,
                        )
                    row = manifest.get(source.relpath)
                    task: _Task = (source, root, {source.relpath: row} if row else {}, digest)
                    future = pool.schedule(_work, args=(task,), timeout=time_limit or None)
                    item = (task, future)
            waiting.append(item)
            while waiting and (ready(waiting[0]) or len(waiting) > ahead):
                yield outcome(waiting.popleft())
        while waiting:
            yield outcome(waiting.popleft())
    except BaseException:
        # Ctrl-C, or the caller stopped early: stop the workers now. (Leaving a ``with``
        # block would close() and join(), which waits for every scheduled document.)
        if pool is not None:
            pool.stop()
            pool.join()
        raise
    finally:
        if cache is not None:
            cache.close()
    if pool is not None:
        pool.close()
        pool.join()


def _outcome(task: _Task, future: Any, gazetteer: Gazetteer, time_limit: float) -> Result:
    """A worker's result, or a record of why there is none: the document took longer
    than the time limit (its worker was stopped), or its worker died (out of memory,
    or a crash in a library), so one pathological file cannot sink the run."""
    try:
        return future.result()
    except FuturesTimeout:
        reason = f"reading and tagging it took longer than {time_limit:g} s; stopped and skipped"
    except ProcessExpired as error:
        reason = f"the process reading it stopped ({error}); out of memory or a crash?"
    except Exception as error:  # any failure is recorded, never fatal
        detail = without_path(str(error), task[0].path)
        reason = f"could not be analysed ({type(error).__name__}: {detail})"
    source, root, manifest, _digest = task
    record = DocumentRecord(source=source, status=DocumentStatus.ERROR, message=reason, retry=True)
    with contextlib.suppress(OSError):
        record.sha256, record.size = file_sha256(source.path)
    record.meta, _ = infer_metadata(source, root, "", gazetteer, manifest.get(source.relpath))
    return record, None


@dataclass(frozen=True)
class RunInputs:
    """What a run is given: the folder, its manifest, the files found in it, and
    each report's (SHA-256, size), None where the file cannot be opened."""

    root: Path
    manifest: dict
    discovery: Discovery
    digests: tuple[tuple[str, int] | None, ...]


def gather_inputs(root: Path, exclude: tuple[Path, ...] = ()) -> RunInputs:
    """Read the manifest, find the reports under ``root`` and hash each of them.
    Raises :class:`~nvreport.errors.UsageError` for a missing folder or a malformed
    manifest."""
    manifest = read_manifest(root)
    discovery = discover_reports(root, exclude)
    digests: list[tuple[str, int] | None] = []
    for source in discovery.reports:
        try:
            digests.append(file_sha256(source.path))
        except OSError:
            digests.append(None)  # analyse_document records why it cannot be opened
    return RunInputs(root, manifest, discovery, tuple(digests))


def analyse_folder(
    root: Path,
    gazetteer: Gazetteer,
    tagger: Tagger | None = None,
    *,
    exclude: tuple[Path, ...] = (),
    on_start: Callable[[int], None] | None = None,
    on_document: Callable[[DocumentRecord], None] | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
    inputs: RunInputs | None = None,
    on_part: Callable[[DocumentRecord, DocumentPart], None] | None = None,
    keep_parts: bool = True,
    isolate: bool = False,
) -> Analysis:
    """Analyse every report under ``root``.

    ``on_start`` is told how many reports there are; ``on_document`` gets each record
    as it is done (the CLI's progress bar). ``jobs`` worker processes read and tag
    documents (0: as many as the machine has cores for a corpus large enough to
    gain, else one; 1: this process reads them itself); the result is the same
    whatever their number. ``cache_dir`` holds a
    :class:`~nvreport.store.cache.Cache` of what was read and tagged (None: no cache).
    With worker processes, a document that takes longer than ``time_limit`` seconds
    (0: no limit) is stopped and recorded as an error, a worker may use at most
    ``memory_limit`` bytes of address space (0: no limit), and a worker that dies
    takes only its document with it. ``inputs`` is what :func:`gather_inputs` found
    in ``root``, when the caller has it already. ``on_part`` gets each document with
    passages, in order, as it is done, with its tags worked out (to write the outputs
    while the workers go on); with ``keep_parts`` false, that is the only place the
    passages go, and the analysis's ``passages`` and ``matches`` stay empty. With
    ``isolate``, even one job reads in a worker process, so that the time and
    memory limits apply (the command line does this for ``--jobs 1``).
    Raises only for usage errors (no such folder, malformed manifest).
    """
    started = datetime.now(timezone.utc)
    if inputs is None:
        inputs = gather_inputs(root, exclude)
    manifest, discovery = inputs.manifest, inputs.discovery
    if on_start:
        on_start(len(discovery.reports))
    documents: list[DocumentRecord] = []
    parts = PartStore()
    workers = resolve_jobs(jobs, len(discovery.reports))
    results = (
        _analyse_in_processes(
            inputs, gazetteer, tagger, workers, cache_dir, time_limit, memory_limit
        )
        # jobs=1 reads in this process unless isolated; chosen for a small corpus
        # (jobs=0), one worker process still keeps the time limit and memory guard
        if workers > 1 or ((jobs == 0 or isolate) and (time_limit > 0 or memory_limit > 0))
        else _analyse_in_order(inputs, gazetteer, tagger, cache_dir)
    )
    is_theme = entry_kinds(tagger.taxonomy if tagger else None)
    with gc_paused():
        for record, part in results:
            documents.append(record)
            if part is not None:
                if on_part is not None:
                    on_part(record, with_tags(part, tagger is not None, is_theme))
                if keep_parts:
                    parts.append(part)
            if on_document:
                on_document(record)
    # a folder that cannot be listed may hide reports: an error, not merely ignored
    for status, found in (
        (DocumentStatus.IGNORED, discovery.ignored),
        (DocumentStatus.ERROR, discovery.unlistable),
    ):
        documents.extend(
            DocumentRecord(source=source, status=status, message=reason, meta=DocumentMeta())
            for source, reason in found
        )
    documents.sort(key=lambda record: record.source.relpath)
    found_files = {source.relpath for source in discovery.reports}
    notes = [
        f"manifest.csv names {name}, which is not among the reports found"
        for name in sorted(manifest)
        if name not in found_files
    ]
    if cache_dir is not None and (problem := cache_problem(cache_dir)):
        notes.append(problem)
    return Analysis(
        root=root,
        documents=documents,
        passages=PassageList(parts),
        started=started,
        finished=datetime.now(timezone.utc),
        manifest_files=tuple(sorted(manifest)),
        notes=notes,
        matches=MatchList(parts) if tagger is not None else [],
        taxonomy=tagger.taxonomy if tagger else None,
    )
