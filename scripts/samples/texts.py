"""The Swedish text of the reports, loaded from ``texts/*.yaml``.

The text is data: paragraphs with {slots} (see the head of ``texts/themes.yaml``),
headings and short phrases. This module reads it and knows its two marks: "¬" where
a compound is split over a line and "¦" after a real hyphen that ends a line; they
only show in reports with hyphenation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

TEXTS = Path(__file__).resolve().parent / "texts"

# Line-break hyphenation: a compound split by "¬" or a hyphen followed by "¦".
HYPHEN_MARK = re.compile(r"(\S+?)(¬|-¦)( ?)(\S+)")


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a key twice in one mapping (YAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ValueError(f"duplicate key {key!r} at {key_node.start_mark}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _StrictLoader.construct_mapping
)


def load(name: str) -> Any:
    """The content of ``texts/<name>.yaml``."""
    with (TEXTS / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_StrictLoader)


def _merge(*parts: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for part in parts:
        for key, variants in part.items():
            if key in merged:
                raise ValueError(f"duplicate key [{key}]")
            merged[key] = variants
    return merged


# "<theme> <status> <kind>" and "<key> <kind>" -> variants of a paragraph.
LIBRARY = _merge(load("themes"), load("sections"))
# "<actor> <section> <year|all>" -> paragraphs written for one actor.
EXTRA_TEXT: dict[str, list[str]] = load("extras")
# "<actor> <year> <theme>" -> the paragraph that replaces the variant.
OVERRIDE_TEXT: dict[str, str] = load("overrides")
PHRASES: dict[str, Any] = load("phrases")
HEADINGS: dict[str, Any] = load("headings")


def plain(text: str) -> str:
    """The text without the hyphenation marks."""
    return text.replace("¬", "").replace("¦", "")


def nbsp(text: str) -> str:
    """Digit groups ("1 900") get a non-breaking space, so a line never splits them."""
    return re.sub(r"(?<=\d) (?=\d{3}\b)", "\u00a0", text)


def fill(template: str, values: dict[str, str]) -> str:
    """Fill the {slots} of a template."""
    return nbsp(template.format_map(values))


def join_list(words: list[str]) -> str:
    """The words as a Swedish list: "a", "a och b", "a, b och c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]
