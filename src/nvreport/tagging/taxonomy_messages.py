"""A taxonomy's schema errors said in words: which theme, which field, what is expected.

:func:`describe` turns a jsonschema error into a sentence such as "theme 'far', near
rule 1, window: should be a whole number from 1 to 100, not 'sex'".
"""

from __future__ import annotations

import difflib
import json
import re
from importlib import resources
from typing import Any


def _show(value: Any) -> str:
    """A value from the file as a message shows it: text quoted, anything else by its
    kind (never a Python representation)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 80 else repr(value[:77] + "...")
    if isinstance(value, int | float):
        return str(value)
    if value is None:
        return "an empty value"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "a value of another kind (a date or binary data)"


#: What a list holds, in words, by the key it stands under: (one, many).
_ITEM_NOUNS = {
    "areas": ("area", "areas"),
    "themes": ("theme", "themes"),
    "subthemes": ("sub-theme", "sub-themes"),
    "facets": ("facet", "facets"),
    "values": ("value", "values"),
    "terms": ("term", "terms"),
    "exclude": ("phrase", "phrases"),
    "near": ("phrase", "phrases"),
    "match": ("sentence", "sentences"),
    "no_match": ("sentence", "sentences"),
}

#: What a key is for, said after what it should be ("label is missing: it should be
#: non-empty text, the name shown in outputs").
_PURPOSES = {
    "version": "recorded in every output",
    "id": "how outputs and commands name it",
    "label": "the name shown in outputs",
    "description": "one or two sentences shown in the narrative",
    "framework_area": "the area of SKR's follow-up framework",
    "terms": "the words that tag it",
    "examples": "a match and a no_match list of sentences that the check runs",
    "match": "each of which must be tagged with it",
    "no_match": "none of which may be tagged with it",
    "areas": "the shifts of the årsberättelse, in chapter order",
    "themes": "what the tagger looks for within the area",
    "values": "what the tagger looks for within the facet",
    "term": "the term the rule applies to",
    "near": "phrases one of which must stand near the term",
}

_SINGULAR = {"areas": "area", "facets": "facet", "themes": "theme", "values": "facet value"}


def _resolve(schema: Any) -> dict:
    """A sub-schema with its ``$ref`` (``#/$defs/name``) followed."""
    while isinstance(schema, dict) and "$ref" in schema:
        schema = taxonomy_schema()["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema if isinstance(schema, dict) else {}


def _in_words(items: list[str], joiner: str = "or") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {joiner} {items[-1]}"


def _expected(schema: Any, key: str | int | None = None) -> str:
    """What a value of ``schema`` should be, in words: "a whole number from 1 to
    100", "a list of at least 5 sentences", "one of A, B or C"."""
    schema = _resolve(schema)
    if "enum" in schema:
        return "one of " + _in_words([str(value) for value in schema["enum"]])
    kinds = schema.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    words = []
    for kind in kinds:
        if kind == "string":
            text = "non-empty text" if schema.get("minLength") else "text"
            if "pattern" in schema:
                text = "an id of only a-z, 0-9 and _ (no capitals, spaces or other characters)"
            words.append(text)
        elif kind == "integer":
            words.append("a whole number")
        elif kind == "number":
            words.append("a number")
        elif kind == "array":
            one, many = (
                _ITEM_NOUNS.get(key, ("item", "items"))
                if isinstance(key, str)
                else (
                    "item",
                    "items",
                )
            )
            least = schema.get("minItems")
            if least:
                words.append(f"a list of at least {least} {one if least == 1 else many}")
            else:
                words.append(f"a list of {many}")
        elif kind == "object":
            needed = schema.get("required", [])
            words.append("a mapping" + (f" with {_in_words(needed, 'and')}" if needed else ""))
        else:
            words.append(kind)
    text = _in_words(words) if words else "something else"
    if "minimum" in schema and "maximum" in schema:
        text += f" from {schema['minimum']} to {schema['maximum']}"
    elif "minimum" in schema:
        text += f" of at least {schema['minimum']}"
    return text


def _named(kind: str, item: Any, index: int, within: str | None) -> str:
    """ "theme 'far'", or "theme 2 of area 'x'" when the item has no usable id."""
    if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
        return f"{kind} {item['id']!r}"
    return f"{kind} {index + 1}" + (f" of {within}" if within else "")


def _subject(data: Any, location: tuple) -> tuple[str, str, tuple]:
    """Which area, theme, sub-theme, facet or facet value ``location`` lies in: its
    name in words ("theme 'far'"), its kind ("theme"), and the rest of the location
    (the field within it)."""

    def item(path: tuple) -> Any:
        value = data
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    if len(location) < 2 or location[0] not in _SINGULAR or not isinstance(location[1], int):
        return "the taxonomy", "file", location
    kind = _SINGULAR[location[0]]
    name = _named(kind, item(location[:2]), location[1], None)
    members = "themes" if location[0] == "areas" else "values"
    taken = 2
    for key in (members, "subthemes"):
        rest = location[taken:]
        if len(rest) < 2 or rest[0] != key or not isinstance(rest[1], int):
            break
        kind = "sub-theme" if key == "subthemes" else _SINGULAR[key]
        name = _named(kind, item(location[: taken + 2]), rest[1], name)
        taken += 2
    return name, kind, location[taken:]


def _field(rest: tuple) -> str:
    """A path within a theme in words: ``examples.match``, ``terms item 3``,
    ``near rule 1: window``."""
    words = ""
    for position, part in enumerate(rest):
        if isinstance(part, int):
            is_rule = position and rest[position - 1] == "near" and position + 1 < len(rest)
            words += f" {'rule' if is_rule else 'item'} {part + 1}"
        elif position and isinstance(rest[position - 1], int):
            words += f", {part}"
        else:
            words += f".{part}" if words else part
    return words


def taxonomy_schema() -> dict[str, Any]:
    """The JSON schema a taxonomy file is checked against (shipped in the package)."""
    text = (resources.files("nvreport") / "data" / "taxonomy.schema.json").read_text("utf-8")
    return json.loads(text)


def describe(error: Any, data: Any) -> str:
    """A schema error in words: which part of the taxonomy (by id), which key, what
    it should be, and what it is."""
    subject, kind, rest = _subject(data, tuple(error.absolute_path))
    key = next((part for part in reversed(rest) if isinstance(part, str)), None)
    field = _field(rest)
    head = f"{subject}, {field}" if field else subject
    shown = _show(error.instance)
    if error.validator == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(known))
        close = difflib.get_close_matches(extra[0], known, n=1) if extra else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        if field:
            owner = field
        elif kind == "file":
            owner = "the file"
        else:
            owner = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
        return (
            f"{head}: unknown key {', '.join(map(_show, extra))}{hint}; "
            f"the keys of {owner} are {_in_words(known, 'and')}"
        )
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        name = missing[0] if missing else "?"
        found = re.match(r"^'(.*)' is a required property$", error.message)
        if found and found.group(1) in error.validator_value:
            name = found.group(1)
        purpose = _PURPOSES.get(name)
        expected = _expected(error.schema.get("properties", {}).get(name, {}), name)
        return f"{head}: {name} is missing; it should be {expected}" + (
            f", {purpose}" if purpose else ""
        )
    expected = _expected(error.schema, key)
    if error.validator in ("minItems", "maxItems") and isinstance(error.instance, list):
        count = len(error.instance)
        has = "it is empty" if not count else f"it has {count}"
        if error.validator == "maxItems":
            one, many = _ITEM_NOUNS.get(key, ("item", "items")) if key else ("item", "items")
            limit = error.validator_value
            return f"{head}: should have at most {limit} {one if limit == 1 else many}; {has}"
        return f"{head}: should be {expected}; {has}"
    if error.validator == "minLength":
        return f"{head}: should be {expected}; it is empty"
    return f"{head}: should be {expected}, not {shown}"
