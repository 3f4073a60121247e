"""The explorer of a comparison: each year's matrix, with what changed since the year before.

:func:`write_compare_explorer` writes ``explorer.html`` into a compare output folder:
a year chooser, statuses from ``transitions.csv`` (so ``--new-only`` applies), arrows on
cells that changed, and every passage labelled new, revised or repeated.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from nvreport.analysis.figures import NO_REPORT
from nvreport.outputs.explorer import ActorRow, Explorer, cell_state, link_base, plain
from nvreport.tagging.status import NONE
from nvreport.tagging.taxonomy import Taxonomy

# --- compare -------------------------------------------------------------------------------


def reports_folder(folder: Path) -> Path | None:
    """Where the reports of a year folder are: the folder itself, or, for an
    ``analyse`` output, the folder its ``run.json`` names (never opened here: only
    its path is used, for links). A relative name is taken as it was meant, relative
    to the output folder recorded beside it; None when that cannot be told."""
    record_path = folder / "run.json"
    if not (record_path.is_file() and (folder / "documents.csv").is_file()):
        return folder
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        given, written = Path(record["input"]), Path(record["output"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if given.is_absolute():
        return given
    if written.is_absolute():
        return None
    return Path(os.path.normpath(folder / os.path.relpath(given, written)))


def write_compare_explorer(
    comparison: Any, years: Sequence[Any], taxonomy: Taxonomy, output: Path, target: Path
) -> None:
    """Write the explorer of a comparison to ``target`` (``output`` is the folder it
    will be moved to): every year's matrix, the statuses and changes as
    ``transitions.csv`` gives them, and every year's passages, marked new, revised or
    repeated against the actor's report the year before."""
    years = sorted(years, key=lambda data: data.year)
    bases = [link_base(reports_folder(data.folder), output) for data in years]
    states, changes = _transition_states(comparison)
    theme_ids = taxonomy.theme_ids
    actors = comparison.actors
    readable_before: dict[int, set[str]] = {}
    for number, data in enumerate(years[1:], start=1):
        before = actors[(actors["year"] == years[number - 1].year) & actors["readable"]]
        readable_before[data.year] = set(before["actor_key"])
    with Explorer(taxonomy, bases) as explorer:
        for base, data in enumerate(years):
            _add_year(explorer, data, base, comparison, readable_before.get(data.year, set()))
        rows: dict[Any, ActorRow] = {}
        for row in actors.itertuples(index=False):
            key = (int(row.year), row.actor_key)
            found = states.get(key)
            if found is None or any(state is None for state in found):
                found = [
                    cell_state(row.reading, explorer.statuses.get((key, theme), NONE))
                    for theme in theme_ids
                ]
            rows[key] = ActorRow(
                year=int(row.year),
                name=plain(row.actor) or plain(row.actor_key),
                actor_type=plain(row.actor_type),
                lan=plain(row.lan),
                reading=row.reading,
                reason=row.reason,
                states=list(found),
                changes=changes.get(key) if key[0] != years[0].year else None,
                compared_text=row.actor_key in readable_before.get(key[0], set()),
            )
        span = [data.year for data in years]
        title = f"Utforskaren {span[0]}–{span[-1]}" if len(span) > 1 else f"Utforskaren {span[0]}"
        explorer.write(target, rows, span, title, new_only=bool(comparison.new_only))


def _add_year(
    explorer: Explorer, data: Any, base: int, comparison: Any, compared: set[str]
) -> None:
    documents = data.documents
    files: dict[str, int] = {}
    for doc_id, file, actor, suffix in zip(
        documents["doc_id"].tolist(),
        documents["file"].tolist(),
        documents["actor_key"].tolist(),
        documents["format"].tolist(),
        strict=True,
    ):
        if doc_id and doc_id not in files:
            files[doc_id] = explorer.add_file(
                file, file, str(suffix or Path(file).suffix), (data.year, actor), base
            )
    keys = dict(zip(documents["doc_id"].tolist(), documents["actor_key"].tolist(), strict=True))
    passages = data.passages
    where = {
        (doc_id, int(index)): number
        for number, (doc_id, index) in enumerate(
            zip(passages["doc_id"].tolist(), passages["index"].tolist(), strict=True)
        )
    }
    texts, pages = _strings(passages["text"]), passages["page"].tolist()
    sections = passages["section"].tolist()
    mentions = data.mentions
    # how many themes each passage carries, and the passages to show, in order
    expected = Counter(
        (doc_id, int(index))
        for doc_id, index in zip(
            mentions["doc_id"].tolist(), mentions["index"].tolist(), strict=True
        )
    )
    order = {doc_id: number for number, doc_id in enumerate(files)}
    shown = sorted(
        (key for key in expected if key[0] in files and key in where),
        key=lambda key: (order[key[0]], key[1]),
    )
    labels = comparison.novelty_labels.get(data.year, {})

    def add(doc_id: str, index: int, found: list) -> None:
        number = where[(doc_id, index)]
        page = pages[number]
        novelty = labels.get((doc_id, index), "") if keys.get(doc_id) in compared else ""
        text = texts[number]
        explorer.add_passage(
            files[doc_id],
            None if page is None or page != page else int(page),
            sections[number] or "",
            text if isinstance(text, str) else text.as_py(),
            found,
            novelty,
        )

    # The evidence, read again from an output folder when the year was loaded
    # without it, comes passage by passage: each passage is added as soon as its
    # themes are all there and those before it are added, so only the passages
    # that come early are held (none when the evidence comes in the order shown).
    tags: dict[tuple[str, int], list] = {}
    next_shown = 0
    for doc_id, index, theme, status, evidence in data.mention_evidence():
        key = (doc_id, int(index))
        found = tags.setdefault(key, [])
        found.append((theme, status, evidence))
        if len(found) < expected[key]:
            continue
        while next_shown < len(shown):
            waiting = shown[next_shown]
            if len(tags.get(waiting, ())) < expected[waiting]:
                break
            add(*waiting, tags.pop(waiting))
            next_shown += 1
        if key in tags and (key[0] not in files or key not in where):
            del tags[key]  # not shown
    for key in shown[next_shown:]:
        add(*key, tags.pop(key, []))


def _strings(column: Any) -> Sequence[Any]:
    """A column of texts to take one at a time: its Arrow array when it has one (no
    copy; an item's ``as_py()`` is the text), else its strings."""
    arrow = getattr(column.array, "__arrow_array__", None)
    return arrow() if arrow is not None else column.tolist()


def _transition_states(
    comparison: Any,
) -> tuple[dict[tuple[int, str], list], dict[tuple[int, str], list[str]]]:
    """Each actor's state per theme in each year, and the change since the year
    before, as ``transitions.csv`` gives them, by (year, actor key). The transitions
    name an actor as the later year of the pair does; a name that stands for two
    actors is left out (their states are then worked out from the passages)."""
    actors, theme_index = comparison.actors, {t: n for n, t in enumerate(comparison.theme_ids)}
    size = len(theme_index)
    states: dict[tuple[int, str], list] = {}
    changes: dict[tuple[int, str], list[str]] = {}
    years = comparison.years
    for before, after in pairwise(years):
        pair = actors[actors["year"].isin([before, after])]
        named: dict[tuple, str | None] = {}
        for key, group in pair.groupby("actor_key", sort=True):
            latest = group.sort_values("year").iloc[-1]
            name = (latest["actor"] or key, latest["actor_type"], latest["lan"])
            named[name] = None if name in named else key
        moves = comparison.transitions
        moves = moves[moves["from_year"] == before]
        for row in moves.itertuples(index=False):
            key = named.get((row.actor, row.actor_type, row.lan))
            theme = theme_index.get(row.theme)
            if key is None or theme is None:
                continue
            for year, state in ((before, row.from_status), (after, row.to_status)):
                if state != NO_REPORT:
                    states.setdefault((year, key), [None] * size)[theme] = state
            changes.setdefault((after, key), [""] * size)[theme] = row.change
    return states, changes
