"""Recall@20 of ``nvreport taxonomy suggest`` on left-out terms (issue 22's acceptance).

    python benchmarks/suggest_recall.py [--draws 5] [--share 0.34] [--limit 20]
        [--corpus regions|samples|both|regions-2021|samples-2021|all] [--verbose]

For each theme of the bundled taxonomy and each of ``--draws`` random draws (seeded, so
the same every run), a third of the theme's terms is left out of a copy of the
taxonomy, and ``suggest`` ranks candidates for the theme on the corpus tagged with
that copy. A left-out term counts only if leaving it out untags passages: it
matches in two passages or more that the whole taxonomy tags with the theme and
the copy does not (a term another term of the theme stands in for does not
count); it is found when it, as a term of its
own, matches a candidate among the first ``--limit`` (its term, key or a form it was
found as), as ``tests/test_taxonomy_suggest.py`` counts.

Measured two ways: ``terms`` leaves out only the terms; ``+examples`` also drops the
theme's ``match`` examples that a left-out term tags (the owner's held-out copy may
not keep examples that give the terms away).

Corpora: the 21 regions' reports of 2022 (``tests/region_year.py``, written as PDFs
into a temporary folder) and ``samples/2022``; with ``-2021`` (or ``--corpus all``) those
of 2021, other text and other draws, to check that what was tuned on 2022 holds.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from nvreport.analysis.candidates import STUDY_COLUMNS, TermStudy  # noqa: E402
from nvreport.analysis.kwic import adhoc_taxonomy  # noqa: E402
from nvreport.analysis.run import analyse_folder  # noqa: E402
from nvreport.exchange.suggest import term_for  # noqa: E402
from nvreport.ingest.gazetteer import Gazetteer  # noqa: E402
from nvreport.tagging.tagger import Tagger  # noqa: E402
from nvreport.tagging.taxonomy import THEME, Taxonomy, load_taxonomy  # noqa: E402

#: A left-out term counts when it alone (with other left-out terms) tags this many
#: passages with the theme.
UNTAGGED_PASSAGES = 2


def passages_of(folder: Path) -> pd.DataFrame:
    analysis = analyse_folder(folder, Gazetteer.load(), None)
    return analysis.passages_frame()[list(STUDY_COLUMNS)]


def corpus(name: str, scratch: Path) -> pd.DataFrame:
    """``regions`` or ``samples``, of 2022, or of 2021 with ``-2021`` (a check on what
    was tuned on the 2022 corpora)."""
    kind, _, year = name.partition("-")
    year = year or "2022"
    if kind == "samples":
        return passages_of(ROOT / "samples" / year)
    from region_year import build_region_year

    build_region_year(scratch / name, int(year))
    return passages_of(scratch / name)


def without(taxonomy: Taxonomy, theme: str, terms: set[str], examples: bool) -> Taxonomy:
    """The taxonomy with ``terms`` left out of ``theme`` (and, with ``examples``, the
    ``match`` examples they tag)."""
    entry = taxonomy.entries[theme]
    changes: dict = {"terms": tuple(term for term in entry.terms if term not in terms)}
    if examples:
        taggers = [Tagger(adhoc_taxonomy(term)) for term in sorted(terms)]
        changes["examples_match"] = tuple(
            sentence
            for sentence in entry.examples_match
            if not any(tagger.tag(sentence) for tagger in taggers)
        )
    entries = dict(taxonomy.entries)
    entries[theme] = dataclasses.replace(entry, **changes)
    return dataclasses.replace(taxonomy, entries=entries)


def candidates_for(full: TermStudy, theme: str, left_out: set[str]) -> list[str]:
    """The left-out terms that may count: each the theme's match, alone or with other
    left-out terms, in :data:`UNTAGGED_PASSAGES` passages or more of the corpus tagged
    with the whole taxonomy (:func:`counting` checks that leaving them out untags)."""
    found: Counter = Counter()
    for evidence in full.evidence:
        terms = {term for each, term, _ in evidence if each == theme}
        if terms and terms <= left_out:
            found.update(terms)
    return sorted(term for term in left_out if found[term] >= UNTAGGED_PASSAGES)


def counting(full: TermStudy, study: TermStudy, theme: str, terms: list[str]) -> list[str]:
    """Of ``terms``, those that match in :data:`UNTAGGED_PASSAGES` passages or more
    that the taxonomy without them no longer tags with the theme (a term whose
    passages another term of the theme still tags, as "*färdplan" does "färdplan*"'s,
    does not count)."""
    untagged = [
        number
        for number in range(len(full.texts))
        if theme in full.themes[number] and theme not in study.themes[number]
    ]
    found = []
    for term in terms:
        tagger = Tagger(adhoc_taxonomy(term), study.tagger.nlp)
        hits = sum(1 for number in untagged if tagger.tag(full.texts[number]))
        if hits >= UNTAGGED_PASSAGES:
            found.append(term)
    return found


def ranks(study: TermStudy, theme: str, terms: list[str], limit: int) -> dict[str, int | None]:
    """Each term's rank (from 1): that of the first candidate it matches, None when
    no candidate does. Within ``limit`` the candidate's term as ``suggest`` writes it
    counts too."""
    taggers = {term: Tagger(adhoc_taxonomy(term), study.tagger.nlp) for term in terms}
    found: dict[str, int | None] = dict.fromkeys(terms)
    for rank, (candidate, _, _) in enumerate(study.ranked(theme), start=1):
        texts = [candidate.key, *candidate.forms]
        if rank <= limit:
            texts.append(term_for(study, candidate))
        for term, tagger in taggers.items():
            if found[term] is None and any(tagger.tag(text) for text in texts):
                found[term] = rank
        if all(value is not None for value in found.values()) or rank > 5 * limit:
            break
    return found


def measure(name: str, passages: pd.DataFrame, options: argparse.Namespace) -> dict:
    taxonomy = load_taxonomy()
    full = TermStudy(passages, Tagger(taxonomy))
    results: dict[tuple[str, str], list[int]] = {}
    misses: dict[tuple[str, str], list[str]] = {}
    themes = [entry for entry in taxonomy.entries.values() if entry.kind == THEME]
    for entry in themes:
        terms = sorted(entry.terms)
        size = max(1, round(len(terms) * options.share))
        draws = random.Random(f"{name}:{entry.id}")
        for _ in range(options.draws):
            left_out = set(draws.sample(terms, size))
            possible = candidates_for(full, entry.id, left_out)
            if not possible:
                continue
            placed: dict[str, int | None] = {}
            before = None
            counted: list[str] = []
            for mode in ("terms", "+examples"):
                copy = without(taxonomy, entry.id, left_out, mode == "+examples")
                if copy.entries[entry.id] != before:  # else the same ranking as before
                    before = copy.entries[entry.id]
                    study = TermStudy(passages, Tagger(copy, full.tagger.nlp))
                    counted = counting(full, study, entry.id, possible)
                    placed = ranks(study, entry.id, counted, options.limit)
                found = [term for term, rank in placed.items() if rank and rank <= options.limit]
                tally = results.setdefault((entry.id, mode), [0, 0])
                tally[0] += len(found)
                tally[1] += len(counted)
                misses.setdefault((entry.id, mode), []).extend(
                    f"{term} (rank {placed[term] or '>' + str(5 * options.limit)})"
                    for term in counted
                    if term not in found
                )
    return {"results": results, "misses": misses, "labels": {e.id: e.label for e in themes}}


def report(name: str, measured: dict, verbose: bool) -> None:
    results, labels = measured["results"], measured["labels"]
    print(f"\n{name}: recall@limit of left-out terms")
    print(f"{'theme':34} {'terms':>9} {'+examples':>11}")
    totals = {"terms": [0, 0], "+examples": [0, 0]}
    for theme in labels:
        cells = []
        for mode in ("terms", "+examples"):
            found, counted = results.get((theme, mode), (0, 0))
            totals[mode][0] += found
            totals[mode][1] += counted
            cells.append(f"{found}/{counted}" if counted else "-")
        if cells != ["-", "-"]:
            print(f"{labels[theme][:34]:34} {cells[0]:>9} {cells[1]:>11}")
            if verbose:
                for mode in ("terms", "+examples"):
                    missed = measured["misses"].get((theme, mode))
                    if missed:
                        print(f"    missed ({mode}): {', '.join(missed)}")
    row = []
    for mode in ("terms", "+examples"):
        found, counted = totals[mode]
        row.append(f"{found}/{counted}={found / counted:.2f}" if counted else "-")
    print(f"{'overall':34} {row[0]:>9} {row[1]:>11}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=5)
    parser.add_argument("--share", type=float, default=1 / 3)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument(
        "--corpus",
        choices=("regions", "samples", "both", "regions-2021", "samples-2021", "all"),
        default="both",
        help="both: the two of 2022; all: those of 2021 too",
    )
    parser.add_argument("--verbose", action="store_true", help="list the missed terms")
    options = parser.parse_args()
    names = {
        "both": ["regions", "samples"],
        "all": ["regions", "samples", "regions-2021", "samples-2021"],
    }.get(options.corpus, [options.corpus])
    with tempfile.TemporaryDirectory() as scratch:
        for name in names:
            started = time.monotonic()
            passages = corpus(name, Path(scratch))
            measured = measure(name, passages, options)
            report(name, measured, options.verbose)
            print(f"({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
