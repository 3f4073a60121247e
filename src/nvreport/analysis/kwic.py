"""Key word in context: every occurrence of a theme or a term, with actor and page.

The passages are tagged exactly as ``analyse`` tags them
(:func:`~nvreport.analysis.run.tag_passages`): a document at a time, with the year of
the report, a list item with its lead-in, and headings not at all. Each occurrence
carries its passage's status for the theme, which is the status ``analyse`` records
for that passage (its matches combined, active over planned over negated).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nvreport.analysis.document import tag_passages
from nvreport.analysis.run import analyse_folder
from nvreport.errors import UsageError
from nvreport.ingest.discover import ReadChoices
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.models import BlockKind, Passage
from nvreport.tagging.status import combine
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import THEME, Taxonomy, Theme
from nvreport.tagging.term_checks import term_problem

ADHOC_ID = "term"


@dataclass(frozen=True)
class Occurrence:
    actor: str
    year: int | None
    file: str
    page: int | None
    index: int  # the passage's position in its document, as in passages.csv
    kind: str
    theme: str
    status: str  # the passage's status for the theme, as analyse records it
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


#: The passage columns kwic needs: enough to tag a passage as analyse does.
KWIC_COLUMNS = ["doc_id", "index", "actor", "year", "file", "page", "section", "kind", "text",
                "context"]  # fmt: skip


def passages_for_kwic(
    folder: Path, gazetteer: Gazetteer, choices: ReadChoices | None = None
) -> pd.DataFrame:
    """Passages from an ``analyse`` output folder, or read afresh from a report folder
    (its files of the formats ``choices`` names; default all)."""
    parquet = folder / "passages.parquet"
    if parquet.is_file():
        return pd.read_parquet(parquet, columns=KWIC_COLUMNS)
    analysis = analyse_folder(folder, gazetteer, choices=choices)
    return analysis.passages_frame()[KWIC_COLUMNS]


def _document_passages(rows: pd.DataFrame) -> list[Passage]:
    return [
        Passage(
            doc_id=str(doc_id),
            index=int(index),
            kind=BlockKind(kind),
            text=str(text),
            page=None if pd.isna(page) else int(page),
            section="" if pd.isna(section) else str(section),
            context="" if pd.isna(context) else str(context),
            word_count=0,
        )
        for doc_id, index, kind, text, page, section, context in zip(
            *(rows[name].tolist() for name in ("doc_id", "index", "kind", "text", "page")),
            *(rows[name].tolist() for name in ("section", "context")),
            strict=True,
        )
    ]


def find_occurrences(
    passages: pd.DataFrame, tagger: Tagger, entry: str, width: int = 50
) -> list[Occurrence]:
    """Every match of ``entry`` (a theme or facet value id) in the passages, tagged as
    ``analyse`` tags them (see the module's docstring), in document order."""
    found: list[Occurrence] = []
    if passages.empty:
        return found
    passages = passages.reset_index(drop=True)
    for _, rows in passages.groupby("doc_id", sort=False):
        rows = rows.sort_values("index", kind="stable")
        first = rows.iloc[0]
        year = None if pd.isna(first["year"]) else int(first["year"])
        document = _document_passages(rows)
        for passage, matches, actor in zip(
            document, tag_passages(document, tagger, year), rows["actor"].tolist(), strict=True
        ):
            own = [match for match in matches if match.theme == entry]
            if not own:
                continue
            status = combine(match.status for match in own)
            text = passage.text
            for match in own:
                found.append(
                    Occurrence(
                        actor="" if pd.isna(actor) else str(actor),
                        year=year,
                        file=str(first["file"]),
                        page=passage.page,
                        index=passage.index,
                        kind=passage.kind.value,
                        theme=entry,
                        status=status,
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
    if "_" in term and term.strip() == term and " " not in term:
        # written like an id ("mobila_teamm"), not like words of a report: a typo
        # of a theme would otherwise find nothing and look like an answer
        nearest = difflib.get_close_matches(term, sorted(taxonomy.entries), n=1, cutoff=0.6)
        hint = f"; did you mean '{nearest[0]}'?" if nearest else ""
        raise UsageError(f"no theme or facet value '{term}' in the taxonomy{hint}")
    if problem := term_problem(term):
        raise UsageError(f"cannot look for '{term}': {problem}")
    return adhoc_taxonomy(term), ADHOC_ID


__all__ = ["Occurrence", "adhoc_taxonomy", "find_occurrences", "resolve_entry"]
