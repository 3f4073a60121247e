"""Schema errors in a taxonomy say which theme (by id), which key, and what is
expected, in words, with the line: never "[] is too short" or a JSON Schema name."""

from __future__ import annotations

from pathlib import Path

import pytest

from nvreport.tagging.taxonomy import TaxonomyError, load_taxonomy

SMALL = Path(__file__).parent / "fixtures" / "taxonomies" / "small.yaml"

# (what the analyst wrote wrong: old text, new text; the line to find; the message)
CASES = {
    "a key is missing": (
        "        label: Hälsosamtal\n",
        "",
        "      - id: halsosamtal",
        9,
        "theme 'halsosamtal': label is missing; it should be non-empty text, the name "
        "shown in outputs",
    ),
    "an area without themes": (
        "    label: Tillgänglighet\n    themes:\n",
        "    label: Tillgänglighet\n    themes: []\n    old_themes:\n",
        "themes: []",
        13,
        "area 'tillganglighet', themes: should be a list of at least 1 theme; it is empty",
        (
            "old_themes:",
            5,
            "area 'tillganglighet': unknown key 'old_themes' (did you mean 'themes'?); the "
            "keys of an area are id, label, description and themes",
        ),
    ),
    "an empty term": (
        "terms: [hälsosamtal*]",
        "terms: ['']",
        "terms: ['']",
        17,
        "theme 'halsosamtal', terms item 1: should be non-empty text; it is empty",
    ),
    "terms as one text": (
        "terms: [hälsosamtal*]",
        "terms: hälsosamtal*",
        "terms: hälsosamtal*",
        16,
        "theme 'halsosamtal', terms: should be a list of terms, not 'hälsosamtal*'",
    ),
    "an id with capitals": (
        "- id: far",
        "- id: FaR",
        "- id: FaR",
        13,
        "theme 'FaR', id: should be an id of only a-z, 0-9 and _ (no capitals, spaces or "
        "other characters), not 'FaR'",
    ),
    "a theme without an id": (
        "      - id: halsosamtal\n        label",
        "      - label",
        "      - label: Hälsosamtal",
        9,
        "theme 1 of area 'halsoframjande': id is missing; it should be an id of only a-z, "
        "0-9 and _ (no capitals, spaces or other characters), how outputs and commands "
        "name it",
    ),
    "a theme written as its id": (
        "      - id: halsosamtal\n",
        "      - halsosamtal\n      - id: halsosamtal\n",
        "      - halsosamtal",
        9,
        "theme 1 of area 'halsoframjande': should be a mapping with id, label, description, "
        "framework_area, terms and examples, not 'halsosamtal'",
    ),
    "a window of zero": (
        "window: 6",
        "window: 0",
        "window: 0",
        21,
        "theme 'far', near rule 1, window: should be a whole number from 1 to 100, not 0",
    ),
    "a near rule with nothing near": (
        "near: [fysisk aktivitet]",
        "near: []",
        "near: []",
        19,
        "theme 'far', near rule 1, near: should be a list of at least 1 phrase; it is empty",
    ),
    "a misspelt key under examples": (
        "examples: {match: *five, no_match: *five}\n  - id: tillganglighet",
        "examples: {match: *five, nomatch: *five}\n  - id: tillganglighet",
        "nomatch: *five",
        34,
        "theme 'far', examples: unknown key 'nomatch' (did you mean 'no_match'?); the keys "
        "of examples are match and no_match",
        (
            "nomatch: *five",
            19,
            "theme 'far', examples: no_match is missing; it should be a list of at least 5 "
            "sentences, none of which may be tagged with it",
        ),
    ),
    "a misspelt key of a facet value": (
        "        terms: [skör äldre",
        "        termer: [skör äldre",
        "termer: [skör äldre",
        9,
        "facet value 'skora_aldre': unknown key 'termer' (did you mean 'terms'?); the keys "
        "of a facet value are id, label, description, framework_area, terms, exclude, near "
        "and examples",
        (
            "- id: skora_aldre",
            9,
            "facet value 'skora_aldre': terms is missing; it should be a list of terms, the "
            "words that tag it",
        ),
    ),
    "a top-level key nvreport does not know": (
        'version: "test-1"\n',
        'version: "test-1"\nfärg: röd\n',
        "färg: röd",
        1,
        "the taxonomy: unknown key 'färg'; the keys of the file are version, name, "
        "description, areas and facets",
    ),
    "no version": ('version: "test-1"\n', "", "name: Testtaxonomi", 1, None),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_schema_error_says_where_what_and_what_is_expected(tmp_path: Path, case) -> None:
    old, new, needle, column, message, *more = CASES[case]
    text = SMALL.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "taxonomi.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    if message is None:  # a missing top-level key stands at the start of the file
        assert raised.value.problems == [
            "line 1, column 1: the taxonomy: version is missing; it should be text or a "
            "number, recorded in every output"
        ]
        return
    lines = path.read_text("utf-8").splitlines()

    def line(needle: str) -> int:
        return next(number for number, content in enumerate(lines, 1) if needle in content)

    problems = raised.value.problems
    expected = [f"line {line(needle)}, column {column}: {message}"]
    expected += [f"line {line(where)}, column {at}: {words}" for where, at, words in more]
    assert sorted(problems) == sorted(expected)
    assert str(path) in str(raised.value)


def test_a_file_that_is_a_list_says_so(tmp_path: Path) -> None:
    path = tmp_path / "lista.yaml"
    path.write_text("- halsosamtal\n- far\n", encoding="utf-8")
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    assert raised.value.problems == [
        "line 1, column 1: the taxonomy: should be a mapping with version and areas, not a list"
    ]


def test_no_message_uses_json_schema_words(tmp_path: Path) -> None:
    """Every schema error of a thoroughly broken file is said in words."""
    text = SMALL.read_text(encoding="utf-8")
    for old, new, *_ in CASES.values():
        if text.count(old) == 1:
            text = text.replace(old, new)
    path = tmp_path / "trasig.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    assert len(raised.value.problems) >= 8
    for problem in raised.value.problems:
        for jargon in ("too short", "is not of type", "does not match", "[]", "minItems", "^["):
            assert jargon not in problem, problem
