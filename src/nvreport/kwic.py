"""Key word in context: every occurrence of a theme or a term, with actor and page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nvreport.errors import UsageError
from nvreport.gazetteer import Gazetteer
from nvreport.pipeline import analyse_folder
from nvreport.tag import Tagger
from nvreport.taxonomy import THEME, Taxonomy, Theme, term_problem

ADHOC_ID = "term"


@dataclass(frozen=True)
class Occurrence:
    actor: str
    year: int | None
    file: str
    page: int | None
    theme: str
    status: str
    left: str
    match: str
    right: str


def adhoc_taxonomy(term: str) -> Taxonomy:
    """A one-entry taxonomy for a term written in the term language ("fast* kontakt")."""
    entry = Theme(
        id=ADHOC_ID,
        label=term,
        description="",
        kind=THEME,
        group="",
        framework_area="",
        terms=(term,),
        exclude=(),
        near=(),
        examples_match=(),
        examples_no_match=(),
    )
    return Taxonomy("adhoc", term, (), (), {ADHOC_ID: entry}, "", "")


def passages_for_kwic(folder: Path, gazetteer: Gazetteer) -> pd.DataFrame:
    """Passages from an ``analyse`` output folder, or read afresh from a report folder."""
    parquet = folder / "passages.parquet"
    if parquet.is_file():
        columns = ["actor", "year", "file", "page", "text"]
        return pd.read_parquet(parquet, columns=columns)
    analysis = analyse_folder(folder, gazetteer)
    frame = analysis.passages_frame()
    return frame[["actor", "year", "file", "page", "text"]]


def find_occurrences(
    passages: pd.DataFrame, tagger: Tagger, entry: str, width: int = 50
) -> list[Occurrence]:
    """Every match of ``entry`` (a theme or facet value id) in the passages."""
    found: list[Occurrence] = []
    rows = passages.itertuples(index=False)
    years = [None if pd.isna(year) else int(year) for year in passages["year"]]
    for row, matches in zip(rows, tagger.tag_many(passages["text"].tolist(), years), strict=True):
        for match in matches:
            if match.theme != entry:
                continue
            text = row.text
            found.append(
                Occurrence(
                    actor=row.actor or "",
                    year=None if pd.isna(row.year) else int(row.year),
                    file=row.file,
                    page=None if pd.isna(row.page) else int(row.page),
                    theme=entry,
                    status=match.status,
                    left=text[max(0, match.start - width) : match.start],
                    match=match.text,
                    right=text[match.end : match.end + width],
                )
            )
    return found


def resolve_entry(taxonomy: Taxonomy, term: str) -> tuple[Taxonomy, str]:
    """A theme or facet value id names itself; anything else is an ad-hoc term
    (:class:`~nvreport.errors.UsageError` when it cannot be one)."""
    if term in taxonomy.entries:
        return taxonomy, term
    if problem := term_problem(term):
        raise UsageError(f"cannot look for {term!r}: {problem}")
    return adhoc_taxonomy(term), ADHOC_ID


__all__ = ["Occurrence", "adhoc_taxonomy", "find_occurrences", "resolve_entry"]
