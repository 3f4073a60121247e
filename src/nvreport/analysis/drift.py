"""Term drift: which words carry a theme this year that did not last year.

A theme's count can fall because the reports use other words for the same work. For
every theme and pair of consecutive years, :func:`term_drift` follows two kinds of
terms through the years' passages **near the theme** (as
:mod:`nvreport.analysis.candidates` defines it: tagged with the theme, beside such a
passage in its section, or in a section whose heading names the theme):

* ``taxonomy``: the words the theme's terms matched, lemmatised ("mobila team" and
  "mobilt team" are one), with the taxonomy term that matched them;
* ``candidate``: words the taxonomy does not cover that are key near the theme (of
  its :data:`POOL` best candidates over all the years together, the
  :data:`CANDIDATES` whose use near the theme changed most from one year to the
  next), counted where the taxonomy does not match them.

For each: how many actors and passages use it each year, its share of the passages
near the theme that year, the change in that share, and a word for the change:
``new`` (not used the year before), ``gone`` (not used this year), ``more``,
``less`` or ``same`` share.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

import pandas as pd

from nvreport.analysis.candidate_words import Candidate, Keyness, log_likelihood, word_key
from nvreport.analysis.candidates import STUDY_COLUMNS, TermStudy
from nvreport.tagging.tagger import Tagger

if TYPE_CHECKING:
    from nvreport.analysis.compare import YearData

#: Columns of ``term_drift.csv``, in order.
TERM_DRIFT_COLUMNS = (
    "theme",
    "term",
    "source",
    "taxonomy_term",
    "from_year",
    "to_year",
    "actors_from",
    "actors_to",
    "passages_from",
    "passages_to",
    "share_from",
    "share_to",
    "change",
    "drift",
)
#: Candidates per theme followed through the years: those whose use changed most,
#: of the theme's best :data:`POOL`.
CANDIDATES = 10
POOL = 200


def drift_passages(years: Sequence[YearData]) -> pd.DataFrame:
    """The passages of every year in one table with the columns of
    :data:`~nvreport.analysis.candidates.STUDY_COLUMNS` (``doc_id`` prefixed with
    the year, as the same file may be in two years' folders)."""
    frames = []
    for data in years:
        passages = data.passages
        documents = data.documents[data.documents["doc_id"].astype(str) != ""]
        actor = {
            str(row.doc_id): (row.actor if isinstance(row.actor, str) and row.actor else "")
            or str(row.actor_key)
            for row in documents.itertuples()
        }
        files = {str(row.doc_id): str(row.file) for row in documents.itertuples()}
        doc_ids = [str(value) for value in passages["doc_id"]]
        frames.append(
            pd.DataFrame(
                {
                    "doc_id": [f"{data.year}:{doc_id}" for doc_id in doc_ids],
                    "index": passages["index"].tolist(),
                    "file": [files.get(doc_id, "") for doc_id in doc_ids],
                    "actor": [actor.get(doc_id, "") for doc_id in doc_ids],
                    "year": [data.year] * len(doc_ids),
                    "page": passages["page"].tolist(),
                    # the year's own columns, not copied: the texts are most of the
                    # memory of hundreds of reports
                    "section": passages["section"].array,
                    "kind": passages["kind"].array,
                    "text": passages["text"].array,
                    "context": [""] * len(doc_ids),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=list(STUDY_COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(STUDY_COLUMNS)]


def _words_key(text: str) -> str:
    """The matched words, lemmatised as candidates are: "mobilt team" -> "mobil team"."""
    words = [word.strip(".,;:!?()\"'”»«") for word in text.split()]
    return " ".join(word_key(word) for word in words if word)


def _drift(passages_from: int, passages_to: int, share_from: float, share_to: float) -> str:
    if not passages_from and passages_to:
        return "new"
    if passages_from and not passages_to:
        return "gone"
    if share_to > share_from:
        return "more"
    if share_to < share_from:
        return "less"
    return "same"


def _changed_most(
    study: TermStudy,
    theme: str,
    numbers: list[int],
    size: Counter,
    ranked: list[tuple[Candidate, Keyness, Keyness]],
) -> list[Candidate]:
    """The theme's candidates (its :data:`POOL` best) whose use near the theme changed
    most between two consecutive years: Dunning's G² of the passages using it near the
    theme in one year against the other, the best :data:`CANDIDATES` of them."""
    scored = []
    for rank, (candidate, _, _) in enumerate(ranked[:POOL]):
        counts = Counter(
            study.years[number] for number in candidate.passages if theme in study.near[number]
        )
        change = max(
            log_likelihood(counts[after], counts[before], size[after], size[before])
            for before, after in pairwise(numbers)
        )
        scored.append((-change, rank, candidate))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [candidate for change, _, candidate in scored[:CANDIDATES] if change < 0]


def term_drift(
    years: Sequence[YearData], tagger: Tagger, study: TermStudy | None = None
) -> pd.DataFrame:
    """The term drift of every theme between consecutive years (see the module), in
    theme order, the largest change of share first."""
    numbers = sorted(data.year for data in years)
    if len(numbers) < 2:
        return pd.DataFrame(columns=list(TERM_DRIFT_COLUMNS))
    if study is None:
        study = TermStudy(drift_passages(years), tagger)
    body = study.body_rows()
    rankings = study.rankings(limit=POOL)  # every theme's best candidates, best first
    rows = []
    for theme in study.theme_ids:
        near = [number for number in body if theme in study.near[number]]
        size = Counter(study.years[number] for number in near)
        # term -> year -> (passages, actors); and the taxonomy term that matched it
        used: dict[tuple[str, str], dict[int, tuple[set[int], set[str]]]] = {}
        matched: dict[str, Counter] = {}
        for number in near:
            for entry, term, text in study.evidence(number):
                if entry != theme:
                    continue
                key = _words_key(text)
                matched.setdefault(key, Counter())[term] += 1
                passages, actors = used.setdefault(("taxonomy", key), {}).setdefault(
                    study.years[number], (set(), set())
                )
                passages.add(number)
                actors.add(study.actors[number] or study.files[number])
        for candidate in _changed_most(study, theme, numbers, size, rankings[theme]):
            key = ("candidate", candidate.key)
            for number in candidate.passages:
                if theme not in study.near[number]:
                    continue
                passages, actors = used.setdefault(key, {}).setdefault(
                    study.years[number], (set(), set())
                )
                passages.add(number)
                actors.add(study.actors[number] or study.files[number])
        for (source, term), by_year in used.items():
            for before, after in pairwise(numbers):
                passages_from, actors_from = by_year.get(before, (set(), set()))
                passages_to, actors_to = by_year.get(after, (set(), set()))
                if not passages_from and not passages_to:
                    continue
                share_from = len(passages_from) / size[before] if size[before] else 0.0
                share_to = len(passages_to) / size[after] if size[after] else 0.0
                rows.append(
                    {
                        "theme": theme,
                        "term": term,
                        "source": source,
                        "taxonomy_term": (
                            matched[term].most_common(1)[0][0] if source == "taxonomy" else ""
                        ),
                        "from_year": before,
                        "to_year": after,
                        "actors_from": len(actors_from),
                        "actors_to": len(actors_to),
                        "passages_from": len(passages_from),
                        "passages_to": len(passages_to),
                        "share_from": round(share_from, 4),
                        "share_to": round(share_to, 4),
                        "change": round(share_to - share_from, 4),
                        "drift": _drift(len(passages_from), len(passages_to), share_from, share_to),
                    }
                )
    frame = pd.DataFrame(rows, columns=list(TERM_DRIFT_COLUMNS))
    if frame.empty:
        return frame
    order = {theme: number for number, theme in enumerate(study.theme_ids)}
    frame = frame.assign(
        _theme=frame["theme"].map(order), _size=-frame["change"].abs()
    ).sort_values(["to_year", "_theme", "_size", "term", "source"], kind="stable")
    return frame.drop(columns=["_theme", "_size"]).reset_index(drop=True)


__all__ = ["CANDIDATES", "TERM_DRIFT_COLUMNS", "drift_passages", "term_drift"]
