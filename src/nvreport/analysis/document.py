"""One document through the pipeline: read, infer who wrote it, split, tag.

:func:`analyse_document` reads a file with the reader of its format, infers its
metadata and splits it into passages, through the cache; :func:`tag_passages` tags them.
A bad file never raises: it becomes a :class:`~nvreport.models.DocumentRecord` with a
status and a message.
"""

from __future__ import annotations

import contextlib
import hashlib
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from nvreport.analysis.accounting import account_entry, account_messages
from nvreport.analysis.tables import (
    DocumentPart,
    DocumentTags,
    MatchRow,
    PassageColumns,
    document_tags,
    entry_kinds,
    rows_by_passage,
)
from nvreport.errors import UnreadableDocumentError
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.ingest.metadata import infer_metadata
from nvreport.ingest.passages import listed_headings_missing, split_passages
from nvreport.ingest.readers import reader_for
from nvreport.models import (
    Block,
    BlockKind,
    DocumentRecord,
    DocumentStatus,
    Passage,
    ReadResult,
    SourceFile,
    TextAccount,
)
from nvreport.store.cache import Cache
from nvreport.tagging.sentences import Tokens
from nvreport.tagging.tagger import Match, Tagger

_FIRST_PAGES = 2  # metadata is looked for in the first pages' text
_FIRST_BLOCKS = 40  # ... or the first blocks of formats without pages


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


def read_document(source: SourceFile, pages: Sequence[Any] | None = None) -> ReadResult:
    """Read one file with the reader for its format. ``pages``: a PDF's pages as
    other processes read them (:func:`~nvreport.ingest.readers.pdf.read_page_range`).

    Raises :class:`UnreadableDocumentError` for anything that goes wrong, including
    errors no reader anticipated, so one bad file cannot stop a run.
    """
    reader = reader_for(source.suffix, source.ocr)
    try:
        if pages is not None and source.suffix == ".pdf" and not source.ocr:
            from nvreport.ingest.readers.pdf import read_pdf

            return read_pdf(source.path, pages)
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


def _read_entry(source: SourceFile, pages: Sequence[Any] | None = None) -> tuple[ReadEntry, bool]:
    """Read one file into what the cache keeps of it (see :data:`ReadEntry`), and
    whether it may be kept: not a failure whose cause may not recur."""
    try:
        result = read_document(source, pages)
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
        account_entry(result.account, result.blocks, columns.pages, columns.word_counts),
        result.ocr_pages,
    )
    return entry, True


class ReadEntry(NamedTuple):
    """What the cache keeps of a read: the passages' columns without the doc_id (it
    follows from the content), the text metadata is looked for in, the page count,
    the reader's warnings, for a file that could not be read, (status, why), the
    text accounting as :func:`account_entry` gives it (None: the reader gives none)
    and the pages read by OCR. All plain tuples, strings and numbers."""

    columns: tuple | None
    first_text: str
    pages: int | None
    warnings: tuple[str, ...]
    failure: tuple[str, str] | None = None
    account: tuple | None = None
    ocr_pages: tuple[int, ...] = ()


def analyse_document(
    source: SourceFile,
    root: Path,
    gazetteer: Gazetteer,
    manifest: dict,
    seen: dict[str, str],
    cache: Cache | None = None,
    digest: tuple[str, int] | None = None,
    cached_only: bool = False,
    pages: Sequence[Any] | None = None,
) -> tuple[DocumentRecord, PassageColumns | None] | None:
    """Read, describe and split one document. ``seen`` maps content hashes to files
    already analysed in this run, to flag duplicates; ``cache`` keeps what was read;
    ``digest`` is the file's (SHA-256, size) when already known; ``pages``, a PDF's
    pages when other processes read them. With
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

    entry = cache.get_read(record.sha256, source.read_as) if cache else None
    if not (isinstance(entry, tuple) and len(entry) == len(ReadEntry._fields)):
        entry = None  # not an entry of this format: read again
    if entry is None:
        if cached_only:
            return None
        entry, lasting = _read_entry(source, pages)
        if not lasting:
            record.retry = True  # memory ran out, or the file could not be opened
        elif cache is not None:
            cache.put_read(record.sha256, source.read_as, tuple(entry))
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
        record.ocr_pages = entry.ocr_pages
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
    taggable = _taggable(kinds)
    taggable_texts = [texts[n] for n in taggable]
    return _numbered_rows(
        tagger,
        taggable,
        taggable_texts,
        [contexts[n] for n in taggable],
        year,
        tokens(taggable_texts) if tokens is not None else None,
    )


def _taggable(kinds: Sequence[str]) -> list[int]:
    """The passages that are tagged: all but headings (see :func:`tag_passages`)."""
    return [n for n, kind in enumerate(kinds) if kind != _HEADING]


def _numbered_rows(
    tagger: Tagger,
    numbers: Sequence[int],
    texts: Sequence[str],
    contexts: Sequence[str],
    year: int | None,
    tokens: list[Tokens] | None,
) -> tuple[MatchRow, ...]:
    """The match rows of passages ``numbers`` (their ``texts`` and ``contexts``)."""
    tagged = tagger.tag_rows(texts, [year] * len(texts), contexts, tokens)
    return tuple(
        (number, *row) for number, found in zip(numbers, tagged, strict=True) for row in found
    )


Result = tuple[DocumentRecord, DocumentPart | None]


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
        version, suffix = tagger.tokenizer_version, record.source.read_as
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


def analyse_one(
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


#: One worker's share of the tagging of a document read by several
#: (:func:`tag_share`): the match rows of its passages, numbered in the document, and
#: their tokens (as :func:`_pack_tokens` packs them).
ShareResult = tuple[tuple[MatchRow, ...], tuple[int, bytes, bytes, bytes]]


def share_of(columns: PassageColumns, part: int, parts: int) -> list[int]:
    """The passages (their numbers) the ``part``-th of ``parts`` workers tags, in
    order, so that the shares' rows one after another are the rows of the whole:
    headings are not tagged (see :func:`tag_passages`)."""
    taggable = _taggable(columns.kinds)
    return taggable[part * len(taggable) // parts : (part + 1) * len(taggable) // parts]


def tag_share(
    tagger: Tagger,
    numbers: Sequence[int],
    texts: Sequence[str],
    contexts: Sequence[str],
    year: int | None,
) -> ShareResult:
    """Tag the passages ``numbers`` of a document (their ``texts`` and ``contexts``),
    one worker's share of a document several read (see :func:`share_of`); the
    document was put together once, from the pages they read, by
    :func:`analyse_document`. :func:`merge_shares` makes the document's result."""
    tokens = tagger.tokenize(texts)
    return _numbered_rows(tagger, numbers, texts, contexts, year, tokens), _pack_tokens(tokens)


def merge_shares(
    record: DocumentRecord,
    columns: PassageColumns,
    shares: Sequence[ShareResult],
    tagger: Tagger,
    cache: Cache | None,
) -> Result:
    """One document's result from its passages and the shares :func:`tag_share`
    gave, as :func:`analyse_one` would have given it, and its tags and tokens kept
    in ``cache`` as :func:`analyse_one` keeps them."""
    rows = tuple(row for share in shares for row in share[0])
    tags = document_tags(rows_by_passage(rows, columns.size), entry_kinds(tagger.taxonomy))
    taxonomy = tagger.taxonomy.sha256
    if cache is not None and record.sha256 and taxonomy:
        packed = [share[1] for share in shares]  # one after another, as one packing
        tokens = (
            sum(found[0] for found in packed),
            *(b"".join(found[part] for found in packed) for part in (1, 2, 3)),
        )
        cache.put_tokens(record.sha256, record.source.read_as, tagger.tokenizer_version, tokens)
        cache.put_tags(record.sha256, taxonomy, record.meta.year, (columns.size, rows, tags.dump()))
    return record, DocumentPart(columns, rows, tags)
