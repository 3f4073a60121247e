"""The ground the taxonomy does not reach: body passages that carry no theme.

A **body passage** is a paragraph, list item or table row (headings are not tagged);
it is **untagged** when it carries no theme (facet values do not count). Per report
and in all: how many body passages and words there are, how many of them are
untagged, and the share; and the sections with the most untagged words, by their
title (the last heading of the section's path, its number left out), over all
reports. :class:`GapTally` counts a run document by document, as ``analyse`` writes
it (the ``gaps`` block of ``run.json``); :func:`gaps_of` counts a passages table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nvreport.models import BlockKind

#: Sections listed, most untagged words first.
SECTIONS_LISTED = 10
_HEADING = BlockKind.HEADING.value
_NUMBER = re.compile(r"^\s*(?:[0-9]+(?:\.[0-9]+)*|[A-Z])\.?\s+")


def section_title(section: str) -> str:
    """The last heading of a section path, without its number: "2 Insatser > 2.3
    Mobila team" -> "Mobila team"; "" for text before the first heading."""
    last = section.rsplit(" > ", 1)[-1].strip()
    return _NUMBER.sub("", last, count=1).strip()


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class _Counts:
    passages: int = 0
    untagged_passages: int = 0
    words: int = 0
    untagged_words: int = 0

    def add(self, words: int, tagged: bool) -> None:
        self.passages += 1
        self.words += words
        if not tagged:
            self.untagged_passages += 1
            self.untagged_words += words

    def record(self) -> dict[str, Any]:
        return {
            "body_passages": self.passages,
            "untagged_passages": self.untagged_passages,
            "untagged_share": _share(self.untagged_passages, self.passages),
            "body_words": self.words,
            "untagged_words": self.untagged_words,
            "untagged_word_share": _share(self.untagged_words, self.words),
        }


@dataclass
class GapTally:
    """Untagged body passages, counted one document at a time."""

    reports: dict[str, tuple[str, _Counts]] = field(default_factory=dict)  # file -> (actor, …)
    sections: dict[str, tuple[set[str], _Counts]] = field(default_factory=dict)

    def add(
        self,
        file: str,
        actor: str,
        kinds: Sequence[str],
        sections: Sequence[str],
        words: Sequence[int],
        tagged: Iterable[bool],
    ) -> None:
        """One document's passages: their kinds, sections, words and whether each
        carries a theme."""
        counts = self.reports.setdefault(file, (actor, _Counts()))[1]
        for kind, section, count, has_theme in zip(kinds, sections, words, tagged, strict=True):
            if kind == _HEADING:
                continue
            counts.add(int(count or 0), bool(has_theme))
            title = section_title(section or "")
            files, by_title = self.sections.setdefault(title, (set(), _Counts()))
            files.add(file)
            by_title.add(int(count or 0), bool(has_theme))

    def record(self, listed: int = SECTIONS_LISTED) -> dict[str, Any]:
        """What ``run.json`` and ``nvreport taxonomy gaps --format json`` hold."""
        total = _Counts()
        reports = []
        for file in sorted(self.reports):
            actor, counts = self.reports[file]
            for name in ("passages", "untagged_passages", "words", "untagged_words"):
                setattr(total, name, getattr(total, name) + getattr(counts, name))
            reports.append({"file": file, "actor": actor, **counts.record()})
        ranked = sorted(
            self.sections.items(),
            key=lambda item: (-item[1][1].untagged_words, item[0]),
        )
        sections = [
            {"section": title, "reports": len(files), **counts.record()}
            for title, (files, counts) in ranked[:listed]
            if counts.untagged_words
        ]
        return {**total.record(), "reports": reports, "sections": sections}


def gaps_of(passages: Any, listed: int = SECTIONS_LISTED) -> dict[str, Any]:
    """The gaps of a passages table (``passages.csv``'s columns; ``themes`` as the
    Parquet list or the CSV's ``id:status;…`` text), document by document."""
    tally = GapTally()
    if len(passages):
        for _, rows in passages.groupby("doc_id", sort=False):
            first = rows.iloc[0]
            actor = first["actor"] if isinstance(first["actor"], str) else ""
            tally.add(
                str(first["file"]),
                actor,
                [str(kind) for kind in rows["kind"]],
                ["" if not isinstance(s, str) else s for s in rows["section"]],
                [0 if value != value else int(value) for value in rows["word_count"]],
                [_has_theme(value) for value in rows["themes"]],
            )
    return tally.record(listed)


def _has_theme(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if value is None:
        return False
    try:
        return len(value) > 0
    except TypeError:  # a missing value (NaN)
        return False


__all__ = ["GapTally", "gaps_of", "section_title"]
