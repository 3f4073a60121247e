"""Scoring the tagger against hand-labelled passages.

A gold file has one JSON object per line: ``{"text": ..., "themes": {"theme_id":
"active|planned|negated"}}``. :func:`score` counts, per theme, passages tagged right,
tagged wrongly and missed, and how often the status agrees where both find the theme.
Used by ``benchmarks/tagging_quality.py`` and by the tests that guard quality.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nvreport.tagging.tagger import Tagger, passage_themes


def read_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@dataclass
class Scores:
    true_positive: Counter = field(default_factory=Counter)
    false_positive: Counter = field(default_factory=Counter)
    false_negative: Counter = field(default_factory=Counter)
    status_right: Counter = field(default_factory=Counter)  # by gold status
    status_total: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def status_share(self, *statuses: str) -> float:
        """Share of the themes found with these gold statuses whose status is right."""
        total = sum(self.status_total[status] for status in statuses)
        right = sum(self.status_right[status] for status in statuses)
        return right / total if total else 1.0

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
