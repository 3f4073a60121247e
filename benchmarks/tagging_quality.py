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
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nvreport.tag import Tagger, passage_themes
from nvreport.taxonomy import load_taxonomy

GOLD = Path(__file__).parents[1] / "tests" / "fixtures" / "tagging" / "gold.jsonl"


@dataclass
class Scores:
    true_positive: Counter = field(default_factory=Counter)
    false_positive: Counter = field(default_factory=Counter)
    false_negative: Counter = field(default_factory=Counter)
    status_right: Counter = field(default_factory=Counter)  # by gold status
    status_total: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def f1(self, theme: str | None = None) -> tuple[float, float, float]:
        if theme is None:
            tp = sum(self.true_positive.values())
            fp = sum(self.false_positive.values())
            fn = sum(self.false_negative.values())
        else:
            tp, fp, fn = (
                self.true_positive[theme],
                self.false_positive[theme],
                self.false_negative[theme],
            )
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def score(tagger: Tagger, gold: list[dict], year: int = 2022) -> Scores:
    themes = set(tagger.taxonomy.theme_ids)
    scores = Scores()
    texts = [item["text"] for item in gold]
    for item, matches in zip(gold, tagger.tag_many(texts, [year] * len(texts)), strict=True):
        found = {k: v for k, v in passage_themes(matches).items() if k in themes}
        truth = item["themes"]
        for theme in themes:
            if theme in truth and theme in found:
                scores.true_positive[theme] += 1
                scores.status_total[truth[theme]] += 1
                if found[theme] == truth[theme]:
                    scores.status_right[truth[theme]] += 1
                else:
                    scores.errors.append(
                        f"STATUS {theme}: {found[theme]} != {truth[theme]} | {item['text']}"
                    )
            elif theme in found:
                scores.false_positive[theme] += 1
                words = [m.text for m in matches if m.theme == theme]
                scores.errors.append(f"FP {theme} {words} | {item['text']}")
            elif theme in truth:
                scores.false_negative[theme] += 1
                scores.errors.append(f"FN {theme} | {item['text']}")
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--taxonomy", default=None)
    parser.add_argument("--errors", action="store_true", help="list every miss")
    options = parser.parse_args()
    gold = [json.loads(line) for line in options.gold.read_text("utf-8").splitlines() if line]
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
