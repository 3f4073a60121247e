"""From tagged passages to the analysts' tables: who reports which theme, and how many.

Pure functions over an :class:`~nvreport.analysis.run.Analysis`, returning pandas frames
with the documented columns:

* :func:`themes_by_document` — ``themes_by_actor.csv``: one row per readable document
  and theme, with the status, how many passages carry it, on which pages, and the
  first sentence that shows that status;
* :func:`coverage` — ``coverage.csv``: per year, actor type and theme, how many actors
  report it as active, planned or negated, or do not mention it, and how many
  reports could not be read, or were read only in part without the theme (never
  counted as "not mentioned"); the counts are :func:`nvreport.analysis.figures.coverage_counts`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from nvreport.analysis.figures import COVERAGE_COLUMNS, coverage_counts
from nvreport.analysis.tables import (
    Analysis,
    DocumentPart,
    document_parts,
    entry_kinds,
    rows_by_passage,
    split_tags,
)
from nvreport.models import DocumentRecord, DocumentStatus
from nvreport.tagging.status import combine
from nvreport.tagging.tagger import NONE

THEMES_BY_ACTOR_COLUMNS = (
    "year",
    "actor",
    "actor_type",
    "lan",
    "file",
    "theme",
    "status",
    "passages",
    "pages",
    "evidence",
    "evidence_page",
)


_READ = (DocumentStatus.OK, DocumentStatus.WARNING)
_UNREADABLE = (DocumentStatus.ERROR, DocumentStatus.NO_TEXT)


def _is_read(record: DocumentRecord) -> bool:
    return record.status in _READ and bool(record.doc_id)


def actor_identity(record: DocumentRecord) -> str:
    """One actor per name; a report whose author is unknown stands for itself."""
    return record.meta.actor or f"file:{record.source.relpath}"


def _empty_cells(theme_ids: list[str]) -> dict[str, dict]:
    return {
        theme: {"statuses": [], "pages": set(), "passages": 0, "matches": []} for theme in theme_ids
    }


def document_summary(
    part: DocumentPart, theme_ids: list[str], is_theme: dict[str, bool]
) -> dict[str, dict]:
    """What the actor × theme matrix needs of one document, per theme: the statuses
    of its passages, their pages, how many, and the first match of each status."""
    found = _empty_cells(theme_ids)
    grouped = rows_by_passage(part.matches or (), part.columns.size)
    for number, matches in enumerate(grouped):
        if not matches:
            continue
        page = part.columns.pages[number]
        themes, _ = split_tags(matches, is_theme)
        for theme, status in themes.items():
            cell = found[theme]
            cell["statuses"].append(status)
            cell["passages"] += 1
            if page is not None:
                cell["pages"].add(page)
        for match in matches:
            if match[1] in found and not any(
                kept[0][2] == match[2] for kept in found[match[1]]["matches"]
            ):
                found[match[1]]["matches"].append((match, page))
    return found


def themes_by_document(
    analysis: Analysis, summaries: dict[str, dict[str, dict]] | None = None
) -> pd.DataFrame:
    """The actor × theme matrix, one row per readable document and theme.
    ``summaries``: :func:`document_summary` of every document by ``doc_id``, when the
    caller has gone through the documents already (as writing the outputs does)."""
    if analysis.taxonomy is None:
        return pd.DataFrame(columns=list(THEMES_BY_ACTOR_COLUMNS))
    theme_ids = analysis.taxonomy.theme_ids
    is_theme = entry_kinds(analysis.taxonomy)
    if summaries is None:
        # one document at a time, keeping only its per-theme summary: the parts are
        # read from disk and never held together
        summaries = {
            part.columns.doc_id: document_summary(part, theme_ids, is_theme)
            for part in document_parts(analysis)
        }
    rows = []
    for record in analysis.documents:
        if not _is_read(record):
            continue
        found = summaries.get(record.doc_id) or _empty_cells(theme_ids)
        for theme in theme_ids:
            cell = found[theme]
            status = combine(cell["statuses"])
            evidence, page = next(
                ((m[6], p) for m, p in cell["matches"] if m[2] == status), ("", None)
            )
            rows.append(
                {
                    "year": record.meta.year,
                    "actor": record.meta.actor,
                    "actor_type": record.meta.actor_type,
                    "lan": record.meta.lan,
                    "file": record.source.relpath,
                    "theme": theme,
                    "status": status,
                    "passages": cell["passages"],
                    "pages": ", ".join(str(page) for page in sorted(cell["pages"])),
                    "evidence": evidence,
                    "evidence_page": page,
                }
            )
    frame = pd.DataFrame(rows, columns=list(THEMES_BY_ACTOR_COLUMNS))
    for column in ("year", "passages", "evidence_page"):
        frame[column] = frame[column].astype("Int64")
    return frame


def coverage_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a :func:`coverage` frame as plain dicts (None for a missing year),
    in its order: what the command prints, kept without pandas."""
    return [
        {
            "year": None if pd.isna(row.year) else int(row.year),
            "actor_type": row.actor_type,
            "theme": row.theme,
            **{column: int(getattr(row, column)) for column in COVERAGE_COLUMNS[3:]},
        }
        for row in frame.itertuples(index=False)
    ]


def coverage(analysis: Analysis, by_document: pd.DataFrame) -> pd.DataFrame:
    """Actors per year, actor type and theme, by status. Each actor counts once: its
    reports' statuses combine, active over planned over negated."""
    if analysis.taxonomy is None:
        return pd.DataFrame(columns=list(COVERAGE_COLUMNS))
    theme_ids = analysis.taxonomy.theme_ids
    read_actors: dict[tuple, set[str]] = {}
    partly_actors: dict[tuple, set[str]] = {}
    unreadable_actors: dict[tuple, set[str]] = {}
    for record in analysis.documents:
        key = (record.meta.year, record.meta.actor_type)
        if _is_read(record):
            read_actors.setdefault(key, set()).add(actor_identity(record))
            if record.partly_read:
                partly_actors.setdefault(key, set()).add(actor_identity(record))
        elif record.status in _UNREADABLE:
            unreadable_actors.setdefault(key, set()).add(actor_identity(record))
    statuses: dict[tuple, str] = {}  # (year, type, actor, theme) -> combined status
    identity = {record.source.relpath: actor_identity(record) for record in analysis.documents}
    for row in by_document.itertuples(index=False):
        year = None if pd.isna(row.year) else int(row.year)
        key = (year, row.actor_type, identity[row.file], row.theme)
        statuses[key] = combine((statuses.get(key, NONE), row.status))
    rows = []
    groups = sorted(
        set(read_actors) | set(unreadable_actors),
        key=lambda key: (key[0] is None, key[0] or 0, key[1]),
    )
    for year, actor_type in groups:
        actors = read_actors.get((year, actor_type), set())
        partly = partly_actors.get((year, actor_type), set())
        full = sorted(actors - partly)
        unreadable = unreadable_actors.get((year, actor_type), set()) - actors
        for theme in theme_ids:
            counts = coverage_counts(
                (statuses.get((year, actor_type, actor, theme), NONE) for actor in full),
                (statuses.get((year, actor_type, actor, theme), NONE) for actor in partly),
            )
            rows.append(
                {
                    "year": year,
                    "actor_type": actor_type,
                    "theme": theme,
                    **counts,
                    "unreadable": len(unreadable),
                }
            )
    frame = pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    return frame
