"""The tables a run is made of: passages as columns, matches as rows, and the run.

A document's passages travel as :class:`PassageColumns` (one list per column) and its
matches as :data:`MatchRow` tuples, packed into a :class:`DocumentPart`; an
:class:`Analysis` holds a run's documents and parts, and gives the passages and
documents as pandas frames with the columns :data:`PASSAGE_COLUMNS` and
:data:`DOCUMENT_COLUMNS`.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from nvreport.models import (
    BlockKind,
    DocumentRecord,
    DocumentStatus,
    Passage,
)
from nvreport.tagging.status import STATUS_RANK
from nvreport.tagging.tagger import NONE, Match
from nvreport.tagging.taxonomy import THEME, Taxonomy

if TYPE_CHECKING:
    import pandas as pd
from nvreport.analysis.accounting import TEXT_COLUMNS, text_figures
from nvreport.store.parts import PartStore

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
    "ocr",
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
    "ocr_pages",
)


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
    #: untagged body passages per report, in all and by section
    #: (:meth:`nvreport.analysis.gaps.GapTally.record`); None when nothing was tagged
    gaps: dict | None = None

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
                "ocr_pages": page_ranges(record.ocr_pages),
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


def page_ranges(pages: Sequence[int]) -> str:
    """Pages as ``documents.csv`` lists them: ``(1, 2, 3, 7)`` as "1–3, 7"."""
    ranges: list[list[int]] = []
    for page in sorted(set(pages)):
        if ranges and page == ranges[-1][1] + 1:
            ranges[-1][1] = page
        else:
            ranges.append([page, page])
    return ", ".join(f"{first}–{last}" if last > first else str(first) for first, last in ranges)


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
        # read by OCR: a word may be misread, so a quote is checked against the page
        "ocr": [page in ocr for page in columns.pages]
        if (ocr := set(record.ocr_pages))
        else [False] * size,
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
