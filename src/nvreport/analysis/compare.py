"""Year-on-year comparison: what moved since last year, actor by actor.

:func:`load_year` turns a folder into a :class:`YearData` — a folder of reports is
analysed on the fly; an ``analyse`` output folder is reused when its inputs and the
taxonomy are unchanged, and analysed again from its recorded input otherwise.
:func:`compare_years` then computes, with actors matched across years by their
gazetteer identity, the figures that :mod:`nvreport.analysis.figures` defines (every count
the terminal, ``comparison.json``, the workbook and the narrative state comes from
there):

* ``coverage`` — per year, actor type and theme: each year's own count;
* ``changes`` — per theme and actor type between consecutive years, among the
  actors read in full both years: actors with the theme before and after, the
  difference, the change in words, how many made each transition; beside it the
  actors not compared (new, missing, unreadable, partly read) and each year's own
  count;
* ``pairs`` — per pair of years and actor type: actors in both years, and those
  not compared, by reason;
* ``transitions`` — per actor, theme and pair of consecutive years;
* ``novelty`` — per actor and year, how many passages are new, revised or repeated
  from the actor's previous report;
* ``intensity`` — passages and mentions per 10,000 words, per actor, theme and year.

With ``new_only``, statuses are computed from new and revised passages only, so a
paragraph copied from last year's report does not count as work done again.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nvreport.analysis.figures import (
    CHANGE_COLUMNS,
    CHANGES,
    COVERAGE_COLUMNS,
    NO_REPORT,
    NOVELTY_COLUMNS,
    PAIR_COLUMNS,
    READ_STATUSES,
    TRANSITION_COLUMNS,
    UNREADABLE_STATUSES,
    actor_readings,
    changes_frame,
    coverage_frame,
    novelty_frame,
    pairs_frame,
    transition,
    transitions_frame,
)
from nvreport.analysis.figures import biggest_movers as _ranked_movers
from nvreport.analysis.run import analyse_folder
from nvreport.analysis.tables import Analysis, DocumentPart, document_parts
from nvreport.errors import UsageError
from nvreport.ingest.discover import ReadChoices
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.ingest.metadata import clean_text
from nvreport.store.cells import plain_text
from nvreport.store.csv_dialect import folder_dialect, read_csv_frame
from nvreport.tagging.novelty import NEW, REPEATED, PreviousText
from nvreport.tagging.status import STATUS_RANK
from nvreport.tagging.tagger import NONE, Tagger
from nvreport.tagging.taxonomy import THEME, Taxonomy

INTENSITY_COLUMNS = (
    "year",
    "actor",
    "actor_type",
    "lan",
    "theme",
    "words",
    "passages",
    "mentions",
    "passages_per_10k_words",
    "mentions_per_10k_words",
)

#: Columns of :attr:`YearData.facets`.
FACET_COLUMNS = ["doc_id", "index", "facet", "value", "status"]
#: Columns of :attr:`YearData.mentions`.
MENTION_COLUMNS = ["doc_id", "index", "theme", "status", "matches", "evidence"]

_READ_STATUSES = READ_STATUSES
_UNREADABLE_STATUSES = UNREADABLE_STATUSES


@dataclass
class YearData:
    """One year's analysed reports, in the form the comparison needs.

    ``documents``: one row per input file (the columns of ``documents.csv``) plus
    ``actor_key``. ``mentions``: one row per passage and theme it carries, with
    ``doc_id, index, theme, status, matches, evidence`` (the matches as ``(start,
    end, sentence)`` tuples). ``facets``: one row per passage and
    facet value it carries, with ``doc_id, index, facet, value, status``.
    ``passages``: ``doc_id, index, text, words, page, section, kind`` of every passage
    (``page`` is ``None`` for formats without pages).
    """

    year: int
    folder: Path
    documents: pd.DataFrame
    passages: pd.DataFrame
    mentions: pd.DataFrame
    facets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FACET_COLUMNS))
    reused: bool = False
    notes: list[str] = field(default_factory=list)
    #: the ``passages.parquet`` to read the evidence from when ``mentions`` was
    #: loaded without it (:meth:`mention_evidence`)
    evidence_from: Path | None = None

    def mention_evidence(self) -> Iterator[tuple[str, int, str, str, tuple]]:
        """Every mention as (doc_id, index, theme, status, evidence), in the order of
        ``mentions``. A year loaded from an output folder without its evidence reads
        it again from the folder's ``passages.parquet``, a batch at a time, so that
        it is held only while it is used."""
        if self.evidence_from is None:
            mentions = self.mentions
            yield from zip(
                mentions["doc_id"].tolist(),
                mentions["index"].tolist(),
                mentions["theme"].tolist(),
                mentions["status"].tolist(),
                mentions["evidence"].tolist() if "evidence" in mentions else [()] * len(mentions),
                strict=True,
            )
            return
        yield from _evidence_rows(self.evidence_from)

    def documents_only(self) -> YearData:
        """The year without its passages and tags (its documents, year and folder
        only), so that they can be let go once the comparison is made."""
        return dataclasses.replace(
            self,
            passages=pd.DataFrame(columns=self.passages.columns),
            mentions=pd.DataFrame(columns=self.mentions.columns),
            facets=pd.DataFrame(columns=self.facets.columns),
        )


def actor_key(gazetteer: Gazetteer, actor: str, actor_type: str, file: str) -> str:
    """The identity an actor keeps across years: its gazetteer key when known. It is
    shown where the actor has no name, so it holds no control or bidi character."""
    if actor:
        found = gazetteer.identify(actor, actor_type)
        if found is not None and (not actor_type or found.actor_type == actor_type):
            return found.key
        return f"name:{clean_text(actor)}"
    return f"file:{clean_text(file)}"


def _year_of(documents: pd.DataFrame, folder: Path) -> int:
    if not (documents["status"] != "ignored").any():
        raise UsageError(f"{folder}: no reports found")
    read = documents[documents["status"].isin(_READ_STATUSES)]
    if read.empty:
        raise UsageError(
            f"{folder}: no report could be read, so there is nothing to compare or tell "
            f"({_failures(documents)})"
        )
    years = Counter(int(year) for year in read["year"].dropna())
    if not years:
        raise UsageError(
            f"{folder}: cannot tell which year these reports cover; name the folder by "
            "year (2022/) or add a manifest.csv with a year column"
        )
    return years.most_common(1)[0][0]


def _failures(documents: pd.DataFrame) -> str:
    failed = documents[documents["status"].isin(_UNREADABLE_STATUSES)]
    shown = [f"{row.file}: {row.message}" for row in failed.head(3).itertuples()]
    more = len(failed) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


class _YearFrames:
    """Gathers a year's passages, theme mentions and facet values document by
    document, from the documents' compact parts (one object per passage or match
    would cost more than all the rest), as they come or from an analysis."""

    def __init__(self, taxonomy: Taxonomy | None) -> None:
        self.entries = taxonomy.entries if taxonomy else {}
        self.columns: dict[str, list] = {
            name: [] for name in ("doc_id", "index", "text", "words", "page", "section", "kind")
        }
        self.rows: list[tuple] = []
        self.facet_rows: list[tuple] = []

    def add(self, _record: object, part: DocumentPart) -> None:
        """One document's part, with its tags worked out (``on_part`` of
        :func:`~nvreport.analysis.run.analyse_folder`)."""
        passages, doc_id, columns = part.columns, part.columns.doc_id, self.columns
        columns["doc_id"].extend([doc_id] * passages.size)
        columns["index"].extend(range(passages.size))
        columns["text"].extend(passages.texts)
        columns["words"].extend(passages.word_counts)
        columns["page"].extend(passages.pages)
        columns["section"].extend(passages.sections)
        columns["kind"].extend(passages.kinds)
        if part.tags is None:
            return
        for flat in (part.tags.theme_tags, part.tags.facet_tags):
            tag = found = 0
            for index, count in enumerate(flat.counts):
                for number in range(tag, tag + count):
                    entry = self.entries.get(flat.ids[number])
                    matches = flat.evidence_counts[number]
                    found += matches
                    if entry is None:
                        continue
                    theme, status = flat.ids[number], flat.statuses[number]
                    if entry.kind == THEME:
                        evidence = tuple(
                            zip(
                                flat.starts[found - matches : found],
                                flat.ends[found - matches : found],
                                flat.sentences[found - matches : found],
                                strict=True,
                            )
                        )
                        self.rows.append((doc_id, index, theme, status, matches, evidence))
                    else:
                        self.facet_rows.append((doc_id, index, entry.group, theme, status))
                tag += count

    def year(self, analysis: Analysis, folder: Path, gazetteer: Gazetteer) -> YearData:
        mentions = pd.DataFrame(self.rows, columns=MENTION_COLUMNS)
        facets = pd.DataFrame(self.facet_rows, columns=FACET_COLUMNS)
        passages = pd.DataFrame(self.columns)
        documents = analysis.documents_frame()
        return _finish(documents, passages, mentions, folder, gazetteer, facets=facets)


def year_from_analysis(analysis: Analysis, folder: Path, gazetteer: Gazetteer) -> YearData:
    frames = _YearFrames(analysis.taxonomy)
    for part in document_parts(analysis):
        frames.add(None, part)
    return frames.year(analysis, folder, gazetteer)


def _analysed_year(
    folder: Path,
    gazetteer: Gazetteer,
    tagger: Tagger,
    on_document: Callable | None,
    jobs: int,
    cache_dir: Path | None,
    choices: ReadChoices | None = None,
) -> YearData:
    """Analyse a year's reports straight into its frames: the passages are never
    kept as a whole."""
    frames = _YearFrames(tagger.taxonomy)
    analysis = analyse_folder(
        folder,
        gazetteer,
        tagger,
        on_document=on_document,
        jobs=jobs,
        cache_dir=cache_dir,
        on_part=frames.add,
        keep_parts=False,
        choices=choices,
    )
    return frames.year(analysis, folder, gazetteer)


def _finish(
    documents: pd.DataFrame,
    passages: pd.DataFrame,
    mentions: pd.DataFrame,
    folder: Path,
    gazetteer: Gazetteer,
    reused: bool = False,
    notes: list[str] | None = None,
    facets: pd.DataFrame | None = None,
) -> YearData:
    documents = documents.copy()
    documents["actor_key"] = [
        actor_key(gazetteer, actor or "", actor_type or "", file)
        for actor, actor_type, file in zip(
            documents["actor"].fillna(""),
            documents["actor_type"].fillna(""),
            documents["file"],
            strict=True,
        )
    ]
    return YearData(
        year=_year_of(documents, folder),
        folder=folder,
        documents=documents,
        passages=passages,
        mentions=mentions,
        facets=facets if facets is not None else pd.DataFrame(columns=FACET_COLUMNS),
        reused=reused,
        notes=notes or [],
    )


def _is_output_folder(folder: Path) -> bool:
    return all(
        (folder / name).is_file() for name in ("run.json", "passages.parquet", "documents.csv")
    )


def _same_taxonomy(record: dict, taxonomy: Taxonomy) -> bool:
    """Was the ``analyse`` output of this ``run.json`` tagged with ``taxonomy``?"""
    recorded = record.get("taxonomy") if isinstance(record, dict) else None
    return isinstance(recorded, dict) and recorded.get("sha256") == taxonomy.sha256


def _run_record(folder: Path) -> dict:
    try:
        record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        record = None
    if not isinstance(record, dict):
        raise UsageError(
            f"{folder}/run.json: not the record nvreport analyse writes (damaged or "
            "edited); analyse the reports again"
        )
    return record


#: Columns of ``documents.csv`` that name an actor: a received file may hold anything.
_NAME_COLUMNS = ("actor", "actor_type", "lan")


def _from_output(
    folder: Path, gazetteer: Gazetteer, taxonomy: Taxonomy, evidence: bool = True
) -> YearData:
    # written for Excel set to Swedish (";", decimal comma) or as RFC 4180: the header says
    documents = read_csv_frame(
        folder / "documents.csv", folder_dialect(folder), dtype={"doc_id": str}
    )
    for name in documents.columns:
        column = documents[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            # texts guarded for Excel come back as they were read (pandas 3 reads
            # them as its string type, not as objects)
            documents[name] = pd.Series(
                [plain_text(value) for value in column.tolist()],
                index=documents.index,
                dtype=object,
            )
    for name in _NAME_COLUMNS:
        if name in documents:
            documents[name] = [
                clean_text(value) if isinstance(value, str) else value
                for value in documents[name].tolist()
            ]
    documents["doc_id"] = documents["doc_id"].fillna("")
    import pyarrow.parquet as pq

    path = folder / "passages.parquet"
    # the frame pd.read_parquet gives, read a column at a time (not in threads, each
    # with its own buffers): 30-50 MiB less at the peak for 70,000 passages
    table = (
        pq.ParquetFile(path)
        .read(
            columns=["doc_id", "index", "text", "word_count", "page", "section", "kind"],
            use_threads=False,
        )
        .to_pandas()
    )
    passages = table[["doc_id", "index", "text"]].copy()
    passages["words"] = table["word_count"]
    passages["page"] = [None if pd.isna(page) else int(page) for page in table["page"]]
    passages["section"] = table["section"].fillna("")
    passages["kind"] = table["kind"]
    del table
    # the themes and facets (lists of records) a batch of rows at a time: as Python
    # objects all at once they took several times the memory of the rest
    rows = []
    facet_rows = []
    with_facets = "facets" in _parquet_columns(path)
    if evidence:
        rows = [
            (doc_id, index, theme, status, len(found), found)
            for doc_id, index, theme, status, found in _evidence_rows(path)
        ]
    for doc_id, index, themes, values in _nested_rows(
        path, with_facets, evidence=False, themes=not evidence
    ):
        for theme in themes:
            found = theme["evidence"]
            rows.append((doc_id, int(index), theme["id"], theme["status"], len(found), ()))
        for value in values:
            entry = taxonomy.entries.get(value["id"])
            group = entry.group if entry is not None else ""
            facet_rows.append((doc_id, int(index), group, value["id"], value["status"]))
    mentions = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    facets = pd.DataFrame(facet_rows, columns=FACET_COLUMNS)
    year = _finish(documents, passages, mentions, folder, gazetteer, reused=True, facets=facets)
    if not evidence:
        year.evidence_from = path
    return year


def _evidence_rows(path: Path) -> Iterator[tuple[str, int, str, str, tuple]]:
    """(doc_id, index, theme, status, evidence) of every theme of every passage of a
    ``passages.parquet``, the evidence as (start, end, sentence) tuples."""
    sentences: dict[str, str] = {}  # one string for a sentence that backs several themes
    for doc_id, index, themes, _ in _nested_rows(path, False):
        if len(sentences) > 10_000:
            sentences.clear()
        for theme in themes:
            evidence = tuple(
                (
                    item["start"],
                    item["end"],
                    sentences.setdefault(item["sentence"], item["sentence"]),
                )
                for item in theme["evidence"]
            )
            yield doc_id, int(index), theme["id"], theme["status"], evidence


def _nested_rows(
    path: Path, with_facets: bool, evidence: bool = True, themes: bool = True
) -> Iterator[tuple[str, int, list, list]]:
    """(doc_id, index, themes, facets) of every passage, read a batch at a time.
    Without ``evidence``, a theme's evidence holds only where each match starts
    (enough to count them), and a facet value only its id and status: the
    sentences, most of the file, are not read. Without ``themes``, the themes are
    empty (not read)."""
    import pyarrow.parquet as pq

    columns = ["doc_id", "index"] + (["themes"] if themes else [])
    columns += ["facets"] if with_facets else []
    names = ["doc_id", "index"]
    if themes:
        names += (
            [
                "themes.list.element.id",
                "themes.list.element.status",
                "themes.list.element.evidence.list.element.start",
            ]
            if not evidence
            else ["themes"]
        )
    if with_facets:
        names += (
            ["facets.list.element.id", "facets.list.element.status"] if not evidence else ["facets"]
        )
    for batch in pq.ParquetFile(path).iter_batches(batch_size=2048, columns=names):
        found = {name: batch.column(name).to_pylist() for name in columns}
        empty = [()] * batch.num_rows
        yield from zip(
            found["doc_id"],
            found["index"],
            found.get("themes", empty),
            found.get("facets", empty),
            strict=True,
        )


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def load_year(
    folder: Path,
    gazetteer: Gazetteer,
    tagger: Tagger,
    on_document: Callable | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
    choices: ReadChoices | None = None,
    *,
    evidence: bool = True,
) -> YearData:
    """One year's data from a folder of reports (of the formats ``choices`` names;
    default all) or from an ``analyse`` output folder.

    Without ``evidence``, a year read from an output folder leaves its evidence
    sentences (most of the folder) there: the mentions' ``evidence`` are empty
    (``matches`` still counts them) and :meth:`YearData.mention_evidence` reads them
    again when they are needed. A folder of reports analysed here keeps them, as
    they could not be read again.

    An output folder is read as it is, from its own files only: the folder of reports
    its ``run.json`` names is never opened (the output may come from someone else's
    computer, and name anything). When those files are not enough (they were tagged
    with another taxonomy), that is a :class:`UsageError` that says so."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    if _is_output_folder(folder):
        if not _same_taxonomy(_run_record(folder), tagger.taxonomy):
            raise UsageError(
                f"{folder} was analysed with another taxonomy than {tagger.taxonomy.source}, "
                "and an analyse output holds only the themes it was tagged with: give the "
                "folder of reports instead, or analyse them again with this taxonomy"
            )
        return _from_output(folder, gazetteer, tagger.taxonomy, evidence)
    return _analysed_year(folder, gazetteer, tagger, on_document, jobs, cache_dir, choices)


# --- the comparison --------------------------------------------------------------------


@dataclass
class Comparison:
    years: list[int]
    coverage: pd.DataFrame
    changes: pd.DataFrame
    transitions: pd.DataFrame
    novelty: pd.DataFrame
    intensity: pd.DataFrame
    actors: pd.DataFrame  # figures.ACTOR_COLUMNS: one row per actor and year
    new_only: bool
    notes: list[str]
    #: per pair of years and actor type: actors in both years, and those not compared
    pairs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PAIR_COLUMNS))
    theme_ids: list[str] = field(default_factory=list)
    #: year -> (doc_id, passage index) -> ``new``, ``revised`` or ``repeated``
    novelty_labels: dict[int, dict[tuple[str, int], str]] = field(default_factory=dict)


def _actors_of(data: YearData) -> pd.DataFrame:
    """One row per actor of the year, with its reading (see :mod:`nvreport.analysis.figures`)."""
    return actor_readings(data.documents, data.year)


def _label_novelty(current: YearData, previous: YearData | None) -> dict[tuple[str, int], str]:
    """new/revised/repeated for every passage of ``current`` against the same actor's
    passages of ``previous`` (all new when there is no previous year).

    Actor by actor: only one actor's texts of either year are taken out of the
    passage tables at a time, and its index of last year's text is made, used for
    all its passages and let go before the next actor's, so memory does not grow
    with the number of actors."""
    keys = dict(zip(current.documents["doc_id"], current.documents["actor_key"], strict=True))
    earlier: dict[str, list[int]] = {}  # actor key -> its rows of last year's passages
    if previous is not None:
        previous_keys = dict(
            zip(previous.documents["doc_id"], previous.documents["actor_key"], strict=True)
        )
        for row, doc_id in enumerate(previous.passages["doc_id"].tolist()):
            earlier.setdefault(previous_keys.get(doc_id, ""), []).append(row)
    same = {doc_id: doc_id for doc_id in keys}  # one string per document in the keys
    places: list[tuple[str, int]] = []  # every passage, in order
    by_actor: dict[str, list[int]] = {}
    for row, (doc_id, index) in enumerate(
        zip(current.passages["doc_id"].tolist(), current.passages["index"].tolist(), strict=True)
    ):
        places.append((same.get(doc_id, doc_id), int(index)))
        by_actor.setdefault(keys.get(doc_id, ""), []).append(row)
    texts = current.passages["text"]
    found: dict[tuple[str, int], str] = {}
    for key in list(by_actor):
        rows = by_actor.pop(key)
        last_year = earlier.pop(key, None)
        if last_year is None or previous is None:
            found.update((places[row], NEW) for row in rows)
            continue
        index = PreviousText(previous.passages["text"].iloc[last_year].tolist())
        found.update(
            (places[row], index.classify(text)[0])
            for row, text in zip(rows, texts.iloc[rows].tolist(), strict=True)
        )
        del index, last_year, rows
    return {place: found[place] for place in places}


def _actor_statuses(
    data: YearData, labels: dict[tuple[str, int], str], new_only: bool
) -> dict[tuple[str, str], str]:
    """(actor_key, theme) -> the actor's status, its reports combined."""
    keys = dict(zip(data.documents["doc_id"], data.documents["actor_key"], strict=True))
    statuses: dict[tuple[str, str], str] = {}
    for doc_id, index, theme, status in zip(
        data.mentions["doc_id"].tolist(),
        data.mentions["index"].tolist(),
        data.mentions["theme"].tolist(),
        data.mentions["status"].tolist(),
        strict=True,
    ):
        if new_only and labels.get((doc_id, int(index))) == REPEATED:
            continue
        key = (keys[doc_id], theme)
        if STATUS_RANK[status] > STATUS_RANK[statuses.get(key, NONE)]:
            statuses[key] = status
    return statuses


def compare_years(
    years: list[YearData], taxonomy: Taxonomy, *, new_only: bool = False
) -> Comparison:
    """Compare two or more years of analysed reports (ordered here by year)."""
    years = sorted(years, key=lambda data: data.year)
    seen = Counter(data.year for data in years)
    twice = sorted(year for year, count in seen.items() if count > 1)
    if twice:
        folders = ", ".join(str(data.folder) for data in years if data.year in twice)
        raise UsageError(f"two folders hold reports for the same year ({folders})")
    theme_ids = taxonomy.theme_ids
    notes = [note for data in years for note in data.notes]

    actor_frames, labels_by_year, statuses_by_year = [], {}, {}
    for number, data in enumerate(years):
        previous = years[number - 1] if number else None
        labels = _label_novelty(data, previous)
        labels_by_year[data.year] = labels
        statuses_by_year[data.year] = _actor_statuses(data, labels, new_only)
        actor_frames.append(_actors_of(data))
    actors = pd.concat(actor_frames, ignore_index=True)

    numbers = [data.year for data in years]
    coverage = coverage_frame(numbers, actors, statuses_by_year, theme_ids)
    transitions = transitions_frame(numbers, actors, statuses_by_year, theme_ids)
    changes = changes_frame(numbers, coverage, transitions, theme_ids)
    pairs = pairs_frame(numbers, actors)
    novelty = novelty_frame(
        numbers, {data.year: data.documents for data in years}, actors, labels_by_year
    )
    intensity = _intensity(years, actors, labels_by_year, new_only, theme_ids)
    if len(years) >= 2:
        last = pairs[pairs["to_year"] == years[-1].year]
        if not int(last["actors_both"].sum()):
            notes.append(
                f"{years[-2].year} and {years[-1].year} share no actor with a report read "
                "in full both years; the transitions say nothing about change"
            )
    return Comparison(
        years=[data.year for data in years],
        coverage=coverage,
        changes=changes,
        transitions=transitions,
        novelty=novelty,
        intensity=intensity,
        actors=actors,
        new_only=new_only,
        notes=notes,
        novelty_labels=labels_by_year,
        pairs=pairs,
        theme_ids=list(theme_ids),
    )


def _intensity(years, actors, labels_by_year, new_only, theme_ids) -> pd.DataFrame:
    rows = []
    for data in years:
        keys = dict(zip(data.documents["doc_id"], data.documents["actor_key"], strict=True))
        passages: Counter = Counter()
        mentions: Counter = Counter()
        labels = labels_by_year[data.year]
        for doc_id, index, theme, matches in zip(
            data.mentions["doc_id"].tolist(),
            data.mentions["index"].tolist(),
            data.mentions["theme"].tolist(),
            data.mentions["matches"].tolist(),
            strict=True,
        ):
            if new_only and labels.get((doc_id, int(index))) == REPEATED:
                continue
            passages[(keys[doc_id], theme)] += 1
            mentions[(keys[doc_id], theme)] += int(matches)
        here = actors[(actors["year"] == data.year) & actors["readable"]]
        for row in here.itertuples():
            for theme in theme_ids:
                count, hits = passages[(row.actor_key, theme)], mentions[(row.actor_key, theme)]
                per = 10_000 / row.words if row.words else 0.0
                rows.append(
                    {
                        "year": data.year,
                        "actor": row.actor or row.actor_key,
                        "actor_type": row.actor_type,
                        "lan": row.lan,
                        "theme": theme,
                        "words": row.words,
                        "passages": count,
                        "mentions": hits,
                        "passages_per_10k_words": round(count * per, 2),
                        "mentions_per_10k_words": round(hits * per, 2),
                    }
                )
    return pd.DataFrame(rows, columns=list(INTENSITY_COLUMNS))


def biggest_movers(comparison: Comparison, limit: int = 6) -> pd.DataFrame:
    """The largest movements between the last two years, among the actors in both
    years (:func:`nvreport.analysis.figures.rank_key`)."""
    return _ranked_movers(comparison.changes, comparison.years, comparison.theme_ids, limit)


__all__ = [
    "CHANGES",
    "CHANGE_COLUMNS",
    "COVERAGE_COLUMNS",
    "NOVELTY_COLUMNS",
    "NO_REPORT",
    "TRANSITION_COLUMNS",
    "Comparison",
    "YearData",
    "biggest_movers",
    "compare_years",
    "load_year",
    "transition",
]
