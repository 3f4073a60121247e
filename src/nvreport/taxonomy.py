"""The theme taxonomy: a versioned YAML file, validated once on load.

:func:`load_taxonomy` reads the YAML, checks it against the JSON Schema shipped in
the package (``data/taxonomy.schema.json``) and against rules a schema cannot say
(unique ids, valid regular expressions, a ``near`` term that is not also a plain
term), and returns a frozen :class:`Taxonomy`. Every problem is reported with the
file, line and column it stands on, and all problems are reported at once.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from nvreport.errors import NvreportError

BUNDLED_TAXONOMY = "nara-vard.yaml"
THEME, FACET = "theme", "facet"


_PROBLEM = re.compile(r"^line (\d+), column (\d+): (.*)$", re.S)


def parse_problem(problem: str) -> tuple[int, int, str]:
    """Split "line 12, column 5: message" into (12, 5, "message"); (0, 0, text) else."""
    match = _PROBLEM.match(problem)
    if match is None:
        return 0, 0, problem
    return int(match.group(1)), int(match.group(2)), match.group(3)


class TaxonomyError(NvreportError):
    """A taxonomy file that cannot be used, with every problem found in it."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = problems
        listing = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"{path}: the taxonomy is not valid:\n{listing}")


@dataclass(frozen=True)
class NearRule:
    """``term`` counts only when one of ``near`` occurs within ``window`` words."""

    term: str
    near: tuple[str, ...]
    window: int = 10


@dataclass(frozen=True)
class Theme:
    """A theme, or a facet value: what the tagger looks for, and how to tell it."""

    id: str
    label: str
    description: str
    kind: str  # THEME or FACET
    group: str  # the area id of a theme, the facet id of a facet value
    framework_area: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...]
    near: tuple[NearRule, ...]
    examples_match: tuple[str, ...]
    examples_no_match: tuple[str, ...]
    line: int = 0
    # where each part stands in the file: "terms.2", "exclude.0", "match.4", "no_match.1"
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Group:
    """An area (a shift of the årsberättelse) or a facet, with its members in order."""

    id: str
    label: str
    description: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    version: str
    name: str
    areas: tuple[Group, ...]
    facets: tuple[Group, ...]
    entries: dict[str, Theme]  # themes and facet values by id, in file order
    source: str  # the file it was read from
    sha256: str

    @property
    def themes(self) -> list[Theme]:
        return [entry for entry in self.entries.values() if entry.kind == THEME]

    @property
    def facet_values(self) -> list[Theme]:
        return [entry for entry in self.entries.values() if entry.kind == FACET]

    @property
    def theme_ids(self) -> list[str]:
        return [entry.id for entry in self.themes]


def bundled_taxonomy_path() -> Path:
    """The taxonomy shipped with nvreport: inside the installed package, or at the
    top of a source checkout."""
    installed = Path(str(resources.files("nvreport"))) / "taxonomies" / BUNDLED_TAXONOMY
    if installed.is_file():
        return installed
    return Path(__file__).resolve().parents[2] / "taxonomies" / BUNDLED_TAXONOMY


def _schema() -> dict[str, Any]:
    text = (resources.files("nvreport") / "data" / "taxonomy.schema.json").read_text("utf-8")
    return json.loads(text)


class _MarkedLoader(yaml.SafeLoader):
    """A YAML loader that remembers where each mapping and sequence item starts."""


def _load_with_marks(text: str) -> tuple[Any, dict[tuple, tuple[int, int]], dict]:
    loader = _MarkedLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    marks: dict[tuple, tuple[int, int]] = {}  # where each value starts
    key_marks: dict[tuple, tuple[int, int]] = {}  # where each mapping key stands

    def walk(current: yaml.Node, path: tuple) -> Any:
        marks[path] = (current.start_mark.line + 1, current.start_mark.column + 1)
        if isinstance(current, yaml.MappingNode):
            result = {}
            for key_node, value_node in current.value:
                key = loader.construct_object(key_node)
                key_marks[(*path, key)] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
                result[key] = walk(value_node, (*path, key))
            return result
        if isinstance(current, yaml.SequenceNode):
            return [walk(item, (*path, index)) for index, item in enumerate(current.value)]
        return loader.construct_object(current, deep=True)

    return (walk(node, ()) if node is not None else None), marks, key_marks


def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    """Read and validate a taxonomy file (the bundled one when ``path`` is None)."""
    path = Path(path) if path is not None else bundled_taxonomy_path()
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TaxonomyError(path, [f"cannot read the file: {error.strerror}"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TaxonomyError(path, [f"not UTF-8 text (byte {error.start})"]) from None
    try:
        data, marks, key_marks = _load_with_marks(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise TaxonomyError(path, [f"{where}not valid YAML: {problem}"]) from None

    def at(location: tuple) -> str:
        while location and location not in marks:
            location = location[:-1]
        line, column = marks.get(location, (1, 1))
        return f"line {line}, column {column}"

    def where(error: Any) -> str:
        location = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            if extra and (*location, extra[0]) in key_marks:
                line, column = key_marks[(*location, extra[0])]
                return f"line {line}, column {column}"
        return at(location)

    problems = [
        f"{where(error)}: {_describe(error)}"
        for error in sorted(
            Draft202012Validator(_schema()).iter_errors(data),
            key=lambda error: [str(part) for part in error.absolute_path],
        )
    ]
    if problems:
        raise TaxonomyError(path, problems)
    taxonomy, problems = _build(data, marks, path, hashlib.sha256(raw).hexdigest(), at)
    if problems:
        raise TaxonomyError(path, problems)
    return taxonomy


def _describe(error: Any) -> str:
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"unknown key {', '.join(map(repr, extra))}"
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "type":
        return f"{error.instance!r} should be of type {error.validator_value}"
    return error.message


def _part_lines(item: dict, location: tuple, marks: dict) -> dict[str, int]:
    """The line of every term, exclude and example of a theme: "terms.2" -> 41."""
    parts = {
        "terms": (*location, "terms"),
        "exclude": (*location, "exclude"),
        "match": (*location, "examples", "match"),
        "no_match": (*location, "examples", "no_match"),
    }
    values = {
        "terms": item.get("terms", []),
        "exclude": item.get("exclude", []),
        "match": item.get("examples", {}).get("match", []),
        "no_match": item.get("examples", {}).get("no_match", []),
    }
    return {
        f"{key}.{index}": marks[(*place, index)][0]
        for key, place in parts.items()
        for index in range(len(values[key]))
        if (*place, index) in marks
    }


def term_problem(term: str, regex: bool = True) -> str | None:
    """What is wrong with a term (None: nothing): one that has no word would match
    nothing, and a regular expression that is broken or matches empty text (which
    it would do at every position) cannot be used. ``regex``: may it be one."""
    if regex and term.startswith("re:"):
        try:
            pattern = re.compile(term[3:])
        except re.error as error:
            return f"bad regular expression: {error}"
        if pattern.search("") is not None:
            return f"the regular expression {term[3:]!r} matches empty text"
        return None
    if term.startswith("re:"):
        return "a near phrase cannot be a regular expression"
    if not term.split():
        return f"{term!r} has no word to match"
    return None


def _build(data: dict, marks: dict, path: Path, sha256: str, at) -> tuple[Taxonomy, list[str]]:
    problems: list[str] = []
    entries: dict[str, Theme] = {}

    def entry(item: dict, kind: str, group: str, location: tuple) -> None:
        if item["id"] in entries:
            problems.append(f"{at((*location, 'id'))}: duplicate id {item['id']!r}")
            return
        near = tuple(
            NearRule(rule["term"], tuple(rule["near"]), rule.get("window", 10))
            for rule in item.get("near", [])
        )
        terms = tuple(item.get("terms", []))
        for index, rule in enumerate(item.get("near", [])):
            if rule["term"] in terms:
                problems.append(
                    f"{at((*location, 'near', index, 'term'))}: {rule['term']!r} is also a plain "
                    "term, so the near rule never changes anything"
                )
        for key in ("terms", "exclude"):
            for index, term in enumerate(item.get(key, [])):
                if problem := term_problem(term):
                    problems.append(f"{at((*location, key, index))}: {problem}")
        for index, rule in enumerate(item.get("near", [])):
            if problem := term_problem(rule["term"]):
                problems.append(f"{at((*location, 'near', index, 'term'))}: {problem}")
            for number, phrase in enumerate(rule["near"]):
                if problem := term_problem(phrase, regex=False):
                    problems.append(f"{at((*location, 'near', index, 'near', number))}: {problem}")
        if not terms and not near:
            problems.append(f"{at(location)}: {item['id']!r} has no terms")
        examples = item.get("examples", {})
        entries[item["id"]] = Theme(
            id=item["id"],
            label=item["label"],
            description=item.get("description", "").strip(),
            kind=kind,
            group=group,
            framework_area=item.get("framework_area", ""),
            terms=terms,
            exclude=tuple(item.get("exclude", [])),
            near=near,
            examples_match=tuple(examples.get("match", [])),
            examples_no_match=tuple(examples.get("no_match", [])),
            line=marks.get(location, (0, 0))[0],
            lines=_part_lines(item, location, marks),
        )

    seen_groups: set[str] = set()

    def groups(key: str, members: str, kind: str) -> tuple[Group, ...]:
        """The areas (with their themes) or the facets (with their values)."""
        found: list[Group] = []
        for index, group in enumerate(data.get(key, [])):
            if group["id"] in seen_groups:
                problems.append(f"{at((key, index, 'id'))}: duplicate id {group['id']!r}")
            seen_groups.add(group["id"])
            for number, item in enumerate(group[members]):
                entry(item, kind, group["id"], (key, index, members, number))
            found.append(
                Group(
                    group["id"],
                    group["label"],
                    group.get("description", "").strip(),
                    tuple(item["id"] for item in group[members]),
                )
            )
        return tuple(found)

    areas = groups("areas", "themes", THEME)
    facets = groups("facets", "values", FACET)
    taxonomy = Taxonomy(
        version=str(data["version"]),
        name=data.get("name", ""),
        areas=areas,
        facets=facets,
        entries=entries,
        source=str(path),
        sha256=sha256,
    )
    return taxonomy, problems
