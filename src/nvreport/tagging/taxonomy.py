"""The theme taxonomy: a versioned YAML file, validated once on load.

:func:`load_taxonomy` reads the YAML, checks it against the JSON Schema shipped in
the package (``data/taxonomy.schema.json``) and against rules a schema cannot say
(unique ids, valid regular expressions, a ``near`` term that is not also a plain
term), and returns a frozen :class:`Taxonomy`. Every problem is reported with the
file, line and column it stands on, and all problems are reported at once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nvreport.bundled import bundled_folder
from nvreport.errors import NvreportError
from nvreport.tagging.taxonomy_messages import describe, taxonomy_schema
from nvreport.tagging.term_checks import term_problem

BUNDLED_TAXONOMY = "nara-vard.yaml"
THEME, FACET = "theme", "facet"
#: A sub-theme: one kind of a theme's work. It is an entry of its own (its ``group`` is
#: the theme's id), tagged only by a tagger made with ``subthemes=True``, so the
#: themes, facets and outputs of ``analyse`` are the same with or without sub-themes.
SUBTHEME = "subtheme"

#: Limits a taxonomy file must keep (issue 17: a hostile file must not hang, crash
#: or take all memory). The bundled taxonomy is 87 KB, 2,300 values, 7 levels deep.
MAX_TAXONOMY_BYTES = 5 * 2**20
#: Values (mappings, lists, texts) in the file, counting each value an alias repeats
#: as often as it is repeated: a small file of nested aliases can stand for billions.
MAX_TAXONOMY_VALUES = 200_000
#: Levels of nesting (a theme's terms stand 5 deep).
MAX_TAXONOMY_DEPTH = 50

#: An id: lower-case ASCII letters, digits and ``_``, checked with ``fullmatch`` (the
#: schema's ``pattern`` is searched, where ``$`` also matches before a final newline).
ID_PATTERN = re.compile(r"[a-z0-9_]+")


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
    #: a theme's sub-themes, by id, in file order (entries of kind :data:`SUBTHEME`)
    subthemes: tuple[str, ...] = ()


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

    @property
    def subthemes(self) -> list[Theme]:
        """Every theme's sub-themes, in file order."""
        return [entry for entry in self.entries.values() if entry.kind == SUBTHEME]


#: Ids the bundled taxonomy has renamed, old -> new, so that a selection written
#: for one version still finds its area in the other (see :func:`current_id`).
#: 2026.2: the area ``halsofromjande`` (a typo) became ``halsoframjande``.
RENAMED_IDS: dict[str, str] = {"halsofromjande": "halsoframjande"}


def current_id(taxonomy: Taxonomy, wanted: str) -> str:
    """The id in ``taxonomy`` that ``wanted`` names: ``wanted`` itself when the
    taxonomy has it, else the id it was renamed to (or from, for a copy made before
    the rename) when the taxonomy has that one, else ``wanted`` unchanged."""
    known = {group.id for group in (*taxonomy.areas, *taxonomy.facets)} | set(taxonomy.entries)
    if wanted in known:
        return wanted
    for old, new in RENAMED_IDS.items():
        if wanted == old and new in known:
            return new
        if wanted == new and old in known:
            return old
    return wanted


def bundled_taxonomy_path() -> Path:
    """The taxonomy shipped with nvreport: inside the installed package, or at the
    top of a source checkout."""
    return bundled_folder("taxonomies", BUNDLED_TAXONOMY) / BUNDLED_TAXONOMY


_STR_TAG = "tag:yaml.org,2002:str"


class _Refused(yaml.MarkedYAMLError):
    """A YAML file that is valid but goes past a limit, or that a taxonomy cannot be:
    the message names the line."""

    def __init__(self, problem: str, mark: yaml.Mark) -> None:
        super().__init__(problem=problem, problem_mark=mark)


class _GuardedLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses what would crash or exhaust the program: values
    nested deeper than :data:`MAX_TAXONOMY_DEPTH`, more than
    :data:`MAX_TAXONOMY_VALUES` values counting what aliases repeat (an "alias
    bomb"), an alias inside the value it names (a value that contains itself), and a
    mapping key that is not text (a list, a mapping, a number, a merge ``<<``).

    It counts while composing, before anything is built, so a refused file costs no
    more than its size."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._open_anchors: set[str] = set()
        self._sizes: dict[int, int] = {}  # id(node) -> values it stands for, expanded

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open_anchors:
                raise _Refused(
                    f"the alias *{event.anchor} stands inside the value &{event.anchor} "
                    "names: a value cannot contain itself",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        if self._depth >= MAX_TAXONOMY_DEPTH:
            raise _Refused(
                f"values are nested more than {MAX_TAXONOMY_DEPTH} levels deep", event.start_mark
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._open_anchors.add(anchor)
        self._depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
            self._open_anchors.discard(anchor)  # type: ignore[arg-type]
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(self._sizes[id(item)] for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag != _STR_TAG:
                    raise _Refused(
                        "a key must be text (write it in quotes if it is a number, "
                        "true/false or empty)",
                        key.start_mark,
                    )
                size += self._sizes[id(key)] + self._sizes[id(value)]
        self._sizes[id(node)] = size
        if size > MAX_TAXONOMY_VALUES:
            raise _Refused(
                f"this value stands for more than {MAX_TAXONOMY_VALUES:,} values, counting "
                "each value an alias (*name) repeats: too many to read",
                node.start_mark,
            )
        return node


def _load_with_marks(text: str) -> tuple[Any, dict[tuple, tuple[int, int]], dict]:
    loader = _GuardedLoader(text)
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
    """Read and validate a taxonomy file (the bundled one when ``path`` is None).
    A file read and found valid before is taken as it was then, from the cache
    folder (parsing it takes a third of a second)."""
    from nvreport.store.cache import kept_value

    path = Path(path) if path is not None else bundled_taxonomy_path()
    raw = _read_capped(path)
    key = f"{path}\0{hashlib.sha256(raw).hexdigest()}"
    return kept_value("taxonomy", key, lambda: _parse_taxonomy(raw, path))


def load_taxonomy_text(raw: bytes, source: str) -> Taxonomy:
    """Validate a taxonomy held in memory (read from git, say); ``source`` names it in
    messages and in :attr:`Taxonomy.source`."""
    if len(raw) > MAX_TAXONOMY_BYTES:
        raise TaxonomyError(source, [_too_large(len(raw))])
    return _parse_taxonomy(raw, Path(source))


def _too_large(size: int) -> str:
    return (
        f"the file is {size / 2**20:.1f} MiB: a taxonomy may be at most "
        f"{MAX_TAXONOMY_BYTES // 2**20} MiB"
    )


def _read_capped(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_TAXONOMY_BYTES + 1)
    except OSError as error:
        raise TaxonomyError(path, [f"cannot read the file: {error.strerror}"]) from None
    if len(raw) > MAX_TAXONOMY_BYTES:
        try:
            size = path.stat().st_size
        except OSError:
            size = len(raw)
        raise TaxonomyError(path, [_too_large(max(size, len(raw)))])
    return raw


def _parse_taxonomy(raw: bytes, path: Path) -> Taxonomy:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TaxonomyError(path, [f"not UTF-8 text (byte {error.start})"]) from None
    try:
        data, marks, key_marks = _load_with_marks(text)
    except _Refused as error:
        mark = error.problem_mark
        raise TaxonomyError(
            path, [f"line {mark.line + 1}, column {mark.column + 1}: {error.problem}"]
        ) from None
    except RecursionError:  # cannot happen within the depth limit; kept as a last guard
        raise TaxonomyError(path, ["values are nested too deeply to read"]) from None
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

    # here, not at the top: a taxonomy kept from an earlier run needs no validator
    # (importing it is a fifth of a second of every run's start)
    from jsonschema import Draft202012Validator

    problems = [
        f"{where(error)}: {describe(error, data)}"
        for error in sorted(
            Draft202012Validator(taxonomy_schema()).iter_errors(data),
            key=lambda error: [str(part) for part in error.absolute_path],
        )
    ]
    if problems:
        raise TaxonomyError(path, problems)
    taxonomy, problems = _build(data, marks, path, hashlib.sha256(raw).hexdigest(), at)
    if problems:
        raise TaxonomyError(path, problems)
    return taxonomy


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


def _build(data: dict, marks: dict, path: Path, sha256: str, at) -> tuple[Taxonomy, list[str]]:
    problems: list[str] = []
    entries: dict[str, Theme] = {}

    def bad_id(value: str, location: tuple) -> bool:
        if ID_PATTERN.fullmatch(value):
            return False
        problems.append(
            f"{at(location)}: the id {value!r} may hold only a-z, 0-9 and _ "
            "(no spaces, line breaks or other characters)"
        )
        return True

    def entry(item: dict, kind: str, group: str, location: tuple) -> None:
        if bad_id(item["id"], (*location, "id")):
            return
        subthemes = item.get("subthemes", [])
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
                if problem := term_problem(term, theme=item["id"]):
                    problems.append(f"{at((*location, key, index))}: {problem}")
        for index, rule in enumerate(item.get("near", [])):
            if problem := term_problem(rule["term"], theme=item["id"]):
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
            subthemes=tuple(sub["id"] for sub in subthemes),
        )
        for number, sub in enumerate(subthemes):  # after the theme: entries keep file order
            entry(sub, SUBTHEME, item["id"], (*location, "subthemes", number))

    seen_groups: set[str] = set()

    def groups(key: str, members: str, kind: str) -> tuple[Group, ...]:
        """The areas (with their themes) or the facets (with their values)."""
        found: list[Group] = []
        for index, group in enumerate(data.get(key, [])):
            bad_id(group["id"], (key, index, "id"))
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
