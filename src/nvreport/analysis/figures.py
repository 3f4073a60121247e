"""Every figure nvreport states about actors, defined once.

``compare`` (terminal, ``comparison.json``, ``comparison.xlsx``, ``transitions.csv``),
``narrative`` (sentences, charts and tables) and ``analyse`` (``coverage.csv``) all
take their counts from here; they only format them. The definitions, as the README
gives them:

* **An actor's reading in a year** (:func:`actor_readings`): ``read`` (at least one
  report read in full), ``partly_read`` (read, but pages or words of a report did not
  reach a passage: :attr:`~nvreport.models.DocumentRecord.partly_read`),
  ``unreadable`` (reports, none of which could be read: status ``error`` or
  ``no_text``), or no report at all.
* **A year's own count** (:func:`coverage_counts`, :func:`coverage_frame`): over
  every actor with a report that could be read that year, fully or partly. A partly
  read actor counts with the status its readable part shows; when that part does not
  mention the theme it is counted as ``partly_read``, never as ``not_mentioned``.
  Unreadable actors are counted apart (``unreadable``).
* **Change between two years** (:func:`transitions_frame`, :func:`changes_frame`):
  only over the actors with a report read in full in *both* years ("actors in both
  years"). An actor with a report in only one of them is ``new_actor`` or
  ``missing_actor``; one whose report could not be read, or was read only in part, in
  either year is ``unreadable`` or ``partly_read``: none of them is a transition.
* **New, revised and repeated text** (:func:`novelty_frame`): only for an actor with
  a readable report the year before; blank otherwise.
* **The order of movements** (:func:`rank_key`): the size of the net change in
  actors with work in place among the actors in both years, then how many of them
  changed status, then actor type (regions, joint municipal reports, municipalities)
  and theme order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

import pandas as pd

from nvreport.analysis.phrasing import change_phrase, share_phrase
from nvreport.tagging.novelty import NEW, REPEATED, REVISED
from nvreport.tagging.status import STATUS_RANK
from nvreport.tagging.tagger import ACTIVE, NEGATED, NONE, PLANNED

# --- readings and statuses ---------------------------------------------------------------

#: An actor's reading in a year.
READ = "read"
PARTLY_READ = "partly_read"
UNREADABLE = "unreadable"
#: The status of an actor in a year without any report.
NO_REPORT = "no_report"

READ_STATUSES = ("ok", "warning")
UNREADABLE_STATUSES = ("error", "no_text")

#: Actor types in the order figures are listed and ties are broken.
ACTOR_TYPE_ORDER = ("region", "rss", "kommun", "")

#: ``coverage.csv`` columns (``partly_read`` appended after the older ones).
COVERAGE_COLUMNS = (
    "year",
    "actor_type",
    "theme",
    "actors",
    "active",
    "planned",
    "negated",
    "not_mentioned",
    "unreadable",
    "partly_read",
)

#: ``transitions.csv`` columns.
TRANSITION_COLUMNS = (
    "actor",
    "actor_type",
    "lan",
    "theme",
    "from_year",
    "to_year",
    "from_status",
    "to_status",
    "change",
)

#: The transitions between two statuses of an actor read in full both years.
TRANSITIONS = ("new", "planned_to_active", "still_planned", "newly_planned",
               "active_to_planned", "dropped", "unchanged")  # fmt: skip
#: Actors that make no transition, and why.
NOT_COMPARED = ("new_actor", "missing_actor", UNREADABLE, PARTLY_READ)

#: What ``change`` says, from one year's status to the next year's.
CHANGES = {
    "new": "not mentioned or absent, then active",
    "planned_to_active": "planned, then active",
    "still_planned": "planned both years",
    "newly_planned": "not mentioned or absent, then planned",
    "active_to_planned": "active, then only planned",
    "dropped": "active or planned, then not mentioned or absent",
    "unchanged": "the same status both years (active, negated or not mentioned)",
    "new_actor": "a report only in the later year: not compared",
    "missing_actor": "a report only in the earlier year: not compared",
    UNREADABLE: "a report that could not be read in one of the years: not compared",
    PARTLY_READ: "a report read only in part in one of the years: not compared",
}

#: The transitions that are a change of status.
_MOVES = ("new", "planned_to_active", "newly_planned", "active_to_planned", "dropped")

CHANGE_COLUMNS = (
    "theme",
    "actor_type",
    "from_year",
    "to_year",
    "actors_both",
    "active_from",
    "active_to",
    "active_difference",
    "active_change",
    "planned_from",
    "planned_to",
    "mentioned_from",
    "mentioned_to",
    *TRANSITIONS,
    "changed",
    "stopped_active",
    *NOT_COMPARED,
    "year_actors_from",
    "year_actors_to",
    "year_active_from",
    "year_active_to",
    "year_planned_from",
    "year_planned_to",
)

#: Columns of the per-pair summary of who can be compared (``pairs``).
PAIR_COLUMNS = ("from_year", "to_year", "actor_type", "actors_both", *NOT_COMPARED)

NOVELTY_COLUMNS = (
    "year",
    "actor",
    "actor_type",
    "lan",
    "previous_year",
    "passages",
    "new",
    "revised",
    "repeated",
    "new_share",
)

ACTOR_COLUMNS = ["year", "actor_key", "actor", "actor_type", "lan", "words", "readable",
                 "reading", "reason"]  # fmt: skip


def flag(value: Any) -> bool:
    """A ``documents.csv`` boolean cell (``True``/``False``, or empty in an output
    written before the column existed) as a bool."""
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return False
    return str(value).strip().lower() in ("true", "1", "yes")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def actor_readings(documents: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per actor of the year (``documents`` with ``actor_key``): its name,
    type, län, words read, and its reading (:data:`READ`, :data:`PARTLY_READ` or
    :data:`UNREADABLE`) with the reason (the reports' messages) when not read in full.
    ``readable``: read fully or partly."""
    docs = documents[documents["status"] != "ignored"].copy()
    docs["counted"] = docs["status"].isin(READ_STATUSES) & (docs["doc_id"].fillna("") != "")
    partly = docs["partly_read"] if "partly_read" in docs else pd.Series(False, index=docs.index)
    docs["partly"] = [flag(value) for value in partly]
    docs["words"] = docs["words"].fillna(0).astype(int)
    rows = []
    for key, group in docs.groupby("actor_key", sort=True):
        counted = group[group["counted"]]
        if counted.empty and not group["status"].isin(UNREADABLE_STATUSES).any():
            continue  # only duplicates of files counted elsewhere
        first = (counted if len(counted) else group).iloc[0]
        if counted.empty:
            reading = UNREADABLE
            why = group[group["status"].isin(UNREADABLE_STATUSES)]
        elif counted["partly"].any():
            reading = PARTLY_READ
            why = counted[counted["partly"]]
        else:
            reading, why = READ, counted.head(0)
        rows.append(
            {
                "year": year,
                "actor_key": key,
                "actor": _text(first["actor"]),
                "actor_type": _text(first["actor_type"]),
                "lan": _text(first["lan"]),
                "words": int(counted["words"].sum()),
                "readable": reading != UNREADABLE,
                "reading": reading,
                "reason": "; ".join(
                    f"{file}: {_text(message)}"
                    for file, message in zip(why["file"], why["message"], strict=True)
                ),
            }
        )
    return pd.DataFrame(rows, columns=ACTOR_COLUMNS)


def combined(statuses: Iterable[str]) -> str:
    """Active over planned over negated; ``none`` when there is nothing."""
    return max(statuses, key=STATUS_RANK.__getitem__, default=NONE)


def coverage_counts(read: Iterable[str], partly: Iterable[str]) -> dict[str, int]:
    """A year's own count for one theme and actor type: ``read`` are the statuses of
    the actors read in full, ``partly`` of those read in part (``none`` when the theme
    was not found). A partly read actor that does not mention the theme is
    ``partly_read``, never ``not_mentioned``."""
    full, part = Counter(read), Counter(partly)
    return {
        "actors": sum(full.values()) + sum(part.values()),
        ACTIVE: full[ACTIVE] + part[ACTIVE],
        PLANNED: full[PLANNED] + part[PLANNED],
        NEGATED: full[NEGATED] + part[NEGATED],
        "not_mentioned": full[NONE],
        PARTLY_READ: part[NONE],
    }


def type_order(actor_type: str) -> int:
    return ACTOR_TYPE_ORDER.index(actor_type) if actor_type in ACTOR_TYPE_ORDER else 9


# --- a year's own count ------------------------------------------------------------------


def coverage_frame(
    years: Sequence[int],
    actors: pd.DataFrame,
    statuses_by_year: dict[int, dict[tuple[str, str], str]],
    theme_ids: Sequence[str],
) -> pd.DataFrame:
    """Per year, actor type and theme: each year's own count (see the module)."""
    rows = []
    for year in years:
        here = actors[actors["year"] == year]
        for actor_type in sorted(set(here["actor_type"])):
            group = here[here["actor_type"] == actor_type]
            full = group[group["reading"] == READ]["actor_key"].tolist()
            partly = group[group["reading"] == PARTLY_READ]["actor_key"].tolist()
            unreadable = int((group["reading"] == UNREADABLE).sum())
            statuses = statuses_by_year[year]
            for theme in theme_ids:
                counts = coverage_counts(
                    (statuses.get((key, theme), NONE) for key in full),
                    (statuses.get((key, theme), NONE) for key in partly),
                )
                rows.append(
                    {
                        "year": year,
                        "actor_type": actor_type,
                        "theme": theme,
                        **counts,
                        "unreadable": unreadable,
                    }
                )
    frame = pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))
    shares = [
        share_phrase(active, total, actor_type) if total else None
        for active, total, actor_type in zip(
            frame["active"], frame["actors"], frame["actor_type"], strict=True
        )
    ]
    frame["share_active"] = [share.text if share else "" for share in shares]
    frame["share_active_exact"] = [share.exact if share else "" for share in shares]
    return frame


# --- change between years ----------------------------------------------------------------


def transition(before: str, after: str) -> str:
    """The change between two statuses of an actor: a transition when both are
    statuses of a report read in full; ``new_actor`` or ``missing_actor`` when one is
    :data:`NO_REPORT`; ``unreadable`` or ``partly_read`` when one is that state."""
    if before == NO_REPORT:
        return "new_actor"
    if after == NO_REPORT:
        return "missing_actor"
    if UNREADABLE in (before, after):
        return UNREADABLE
    if PARTLY_READ in (before, after):
        return PARTLY_READ
    if before == after:
        return "still_planned" if before == PLANNED else "unchanged"
    if after == ACTIVE:
        return "planned_to_active" if before == PLANNED else "new"
    if after == PLANNED:
        return "active_to_planned" if before == ACTIVE else "newly_planned"
    if before in (ACTIVE, PLANNED):
        return "dropped"
    return "unchanged"  # not mentioned <-> negated: absent both years


def _state(reading: str | None, status: str) -> str:
    if reading is None:
        return NO_REPORT
    if reading == UNREADABLE:
        return UNREADABLE
    if reading == PARTLY_READ and status == NONE:
        return PARTLY_READ
    return status


def _change(before: str | None, after: str | None, states: tuple[str, str]) -> str:
    if before is None:
        return "new_actor"
    if after is None:
        return "missing_actor"
    if UNREADABLE in (before, after):
        return UNREADABLE
    if PARTLY_READ in (before, after):
        return PARTLY_READ
    return transition(*states)


def transitions_frame(
    years: Sequence[int],
    actors: pd.DataFrame,
    statuses_by_year: dict[int, dict[tuple[str, str], str]],
    theme_ids: Sequence[str],
) -> pd.DataFrame:
    """Per actor, theme and pair of consecutive years: the two statuses and the change
    (a transition only for actors read in full both years)."""
    rows = []
    for before, after in pairwise(years):
        pair = actors[actors["year"].isin([before, after])]
        for key, group in pair.groupby("actor_key", sort=True):
            latest = group.sort_values("year").iloc[-1]
            reading = {int(row.year): row.reading for row in group.itertuples()}
            for theme in theme_ids:
                states = tuple(
                    _state(reading.get(year), statuses_by_year[year].get((key, theme), NONE))
                    for year in (before, after)
                )
                rows.append(
                    {
                        "actor": latest["actor"] or key,
                        "actor_type": latest["actor_type"],
                        "lan": latest["lan"],
                        "theme": theme,
                        "from_year": before,
                        "to_year": after,
                        "from_status": states[0],
                        "to_status": states[1],
                        "change": _change(reading.get(before), reading.get(after), states),
                    }
                )
    frame = pd.DataFrame(rows, columns=list(TRANSITION_COLUMNS))
    order = {theme: number for number, theme in enumerate(theme_ids)}
    return frame.sort_values(
        ["from_year", "actor_type", "actor", "theme"],
        key=lambda column: column.map(order) if column.name == "theme" else column,
        kind="stable",
    ).reset_index(drop=True)


def changes_frame(
    years: Sequence[int],
    coverage: pd.DataFrame,
    transitions: pd.DataFrame,
    theme_ids: Sequence[str],
) -> pd.DataFrame:
    """Per theme, actor type and pair of consecutive years: the change among the
    actors in both years, the actors not compared and why, and each year's own count
    beside it."""
    own = {
        (int(row.year), row.actor_type, row.theme): row for row in coverage.itertuples(index=False)
    }
    groups: dict[tuple, pd.DataFrame] = {
        key: group
        for key, group in transitions.groupby(["from_year", "actor_type", "theme"], sort=False)
    }
    rows = []
    for before, after in pairwise(years):
        types = sorted(
            set(coverage[coverage["year"].isin([before, after])]["actor_type"])
            | set(transitions[transitions["from_year"] == before]["actor_type"]),
            key=lambda actor_type: (type_order(actor_type), actor_type),
        )
        for actor_type in types:
            for theme in theme_ids:
                moves = groups.get((before, actor_type, theme))
                if moves is None:
                    moves = transitions.head(0)
                changes = Counter(moves["change"])
                shared = moves[moves["change"].isin(TRANSITIONS)]
                was, now = shared["from_status"], shared["to_status"]
                active_from, active_to = int((was == ACTIVE).sum()), int((now == ACTIVE).sum())
                planned_from, planned_to = int((was == PLANNED).sum()), int((now == PLANNED).sum())
                first = own.get((before, actor_type, theme))
                last = own.get((after, actor_type, theme))
                rows.append(
                    {
                        "theme": theme,
                        "actor_type": actor_type,
                        "from_year": before,
                        "to_year": after,
                        "actors_both": len(shared),
                        "active_from": active_from,
                        "active_to": active_to,
                        "active_difference": active_to - active_from,
                        "active_change": change_phrase(active_from, active_to),
                        "planned_from": planned_from,
                        "planned_to": planned_to,
                        "mentioned_from": active_from + planned_from,
                        "mentioned_to": active_to + planned_to,
                        **{name: changes[name] for name in TRANSITIONS},
                        "changed": sum(changes[name] for name in _MOVES),
                        "stopped_active": int(((was == ACTIVE) & (now != ACTIVE)).sum()),
                        **{name: changes[name] for name in NOT_COMPARED},
                        "year_actors_from": int(first.actors) if first else 0,
                        "year_actors_to": int(last.actors) if last else 0,
                        "year_active_from": int(first.active) if first else 0,
                        "year_active_to": int(last.active) if last else 0,
                        "year_planned_from": int(first.planned) if first else 0,
                        "year_planned_to": int(last.planned) if last else 0,
                    }
                )
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))


def pairs_frame(years: Sequence[int], actors: pd.DataFrame) -> pd.DataFrame:
    """Per pair of consecutive years and actor type: how many actors are in both years
    (read in full both years), and how many are not compared, by reason."""
    rows = []
    for before, after in pairwise(years):
        pair = actors[actors["year"].isin([before, after])]
        counts: dict[str, Counter] = {}
        for _, group in pair.groupby("actor_key", sort=True):
            latest = group.sort_values("year").iloc[-1]
            reading = {int(row.year): row.reading for row in group.itertuples()}
            change = _change(reading.get(before), reading.get(after), (NONE, NONE))
            kind = change if change in NOT_COMPARED else "actors_both"
            counts.setdefault(latest["actor_type"], Counter())[kind] += 1
        for actor_type in sorted(counts, key=lambda name: (type_order(name), name)):
            rows.append(
                {
                    "from_year": before,
                    "to_year": after,
                    "actor_type": actor_type,
                    **{name: counts[actor_type][name] for name in PAIR_COLUMNS[3:]},
                }
            )
    return pd.DataFrame(rows, columns=list(PAIR_COLUMNS))


# --- new and repeated text ---------------------------------------------------------------


def novelty_frame(
    years: Sequence[int],
    documents_by_year: dict[int, pd.DataFrame],
    actors: pd.DataFrame,
    labels_by_year: dict[int, dict[tuple[str, int], str]],
) -> pd.DataFrame:
    """Per actor with a readable report and year: its passages, and how many are new,
    revised or repeated against its report of the year before — blank (``None``) when
    it has no readable report that year."""
    rows = []
    for number, year in enumerate(years):
        documents = documents_by_year[year]
        keys = dict(zip(documents["doc_id"], documents["actor_key"], strict=True))
        counts: dict[str, Counter] = {}
        for (doc_id, _), label in labels_by_year[year].items():
            counts.setdefault(keys.get(doc_id, ""), Counter())[label] += 1
        previous_year = years[number - 1] if number else None
        before = set()
        if previous_year is not None:
            earlier = actors[(actors["year"] == previous_year) & actors["readable"]]
            before = set(earlier["actor_key"])
        here = actors[(actors["year"] == year) & actors["readable"]]
        for row in here.itertuples():
            found = counts.get(row.actor_key, Counter())
            total = sum(found.values())
            compared = row.actor_key in before
            rows.append(
                {
                    "year": year,
                    "actor": row.actor or row.actor_key,
                    "actor_type": row.actor_type,
                    "lan": row.lan,
                    "previous_year": previous_year if compared else None,
                    "passages": total,
                    "new": found[NEW] if compared else None,
                    "revised": found[REVISED] if compared else None,
                    "repeated": found[REPEATED] if compared else None,
                    "new_share": round(found[NEW] / total, 3) if compared and total else None,
                }
            )
    frame = pd.DataFrame(rows, columns=list(NOVELTY_COLUMNS))
    for column in ("previous_year", "new", "revised", "repeated"):
        frame[column] = frame[column].astype("Int64")
    frame["new_share"] = frame["new_share"].astype("Float64")
    return frame


# --- the order of movements --------------------------------------------------------------


def rank_key(net: int, changed: int, actor_type: str, theme_position: int) -> tuple:
    """Where a movement stands among the others: the larger net change in actors with
    work in place (among the actors in both years) first, then the more actors that
    changed status, then actor type and theme order."""
    return (-abs(net), -changed, type_order(actor_type), theme_position)


def biggest_movers(
    changes: pd.DataFrame, years: Sequence[int], theme_ids: Sequence[str], limit: int = 6
) -> pd.DataFrame:
    """The largest movements between the last two years, in :func:`rank_key` order."""
    if len(years) < 2:
        return changes.head(0)
    last = changes[changes["to_year"] == years[-1]]
    position = {theme: number for number, theme in enumerate(theme_ids)}
    keyed = sorted(
        (
            rank_key(row.active_difference, row.changed, row.actor_type, position[row.theme]),
            number,
        )
        for number, row in enumerate(last.itertuples(index=False))
        if row.active_difference != 0
    )
    return last.iloc[[number for _, number in keyed[:limit]]].reset_index(drop=True)
