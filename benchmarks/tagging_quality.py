"""Tagging quality on a hand-labelled gold set: precision, recall and F1 per theme,
micro-F1, and how often the status is right.

    python benchmarks/tagging_quality.py [--gold tests/fixtures/tagging/gold.jsonl]
                                         [--taxonomy FILE] [--errors]

The gold set was written without reading the taxonomy (tests/fixtures/tagging/
README.md). Each line: {"text": ..., "themes": {"theme_id": "active|planned|negated"}}.
A theme counts as found when the tagger tags the passage with it; the status is
scored on the themes both agree on. ``--errors`` lists every miss.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nvreport.tagging.evaluate import read_gold, score
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import load_taxonomy

GOLD = Path(__file__).parents[1] / "tests" / "fixtures" / "tagging" / "gold.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--taxonomy", default=None)
    parser.add_argument("--errors", action="store_true", help="list every miss")
    options = parser.parse_args()
    gold = read_gold(options.gold)
    tagger = Tagger(load_taxonomy(options.taxonomy))
    scores = score(tagger, gold)
    print(f"gold: {len(gold)} passages; taxonomy {tagger.taxonomy.version}")
    print(f"{'theme':28} {'P':>6} {'R':>6} {'F1':>6}  tp fp fn")
    for theme in tagger.taxonomy.theme_ids:
        p, r, f = scores.f1(theme)
        tp, fp, fn = (
            scores.true_positive[theme],
            scores.false_positive[theme],
            scores.false_negative[theme],
        )
        print(f"{theme:28} {p:6.3f} {r:6.3f} {f:6.3f}  {tp:2} {fp:2} {fn:2}")
    p, r, f = scores.f1()
    print(f"{'micro':28} {p:6.3f} {r:6.3f} {f:6.3f}")
    for status in ("active", "planned", "negated"):
        total = scores.status_total[status]
        right = scores.status_right[status]
        share = right / total if total else 1.0
        print(f"status {status:8}: {right}/{total} right ({share:.1%})")
    if options.errors:
        print("\n".join(sorted(scores.errors)))


if __name__ == "__main__":
    main()
