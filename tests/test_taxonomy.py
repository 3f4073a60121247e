"""Loading and validating taxonomies: every problem with its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from nvreport.tagging.taxonomy import TaxonomyError, bundled_taxonomy_path, load_taxonomy

SMALL = Path(__file__).parent / "fixtures" / "taxonomies" / "small.yaml"


def test_small_fixture_loads_with_areas_themes_and_facets() -> None:
    taxonomy = load_taxonomy(SMALL)
    assert taxonomy.version == "test-1"
    assert [area.id for area in taxonomy.areas] == [
        "personcentrering",
        "halsoframjande",
        "tillganglighet",
    ]
    assert taxonomy.theme_ids[:2] == ["fasta_kontakter", "patientkontrakt"]
    assert [value.id for value in taxonomy.facet_values] == ["skora_aldre"]
    assert taxonomy.entries["far"].near[0].window == 6
    assert len(taxonomy.sha256) == 64


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = SMALL.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "trasig.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(
        n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line
    )


def test_unknown_key_is_reported_with_its_line(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        "        framework_area: B\n        terms: [fast",
        "        framework_area: B\n        termer: [x]\n        terms: [fast",
    )
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    message = str(raised.value)
    assert str(path) in message
    assert (
        f"line {line_of(path, 'termer')}, column 9: theme 'fasta_kontakter': unknown key "
        "'termer' (did you mean 'terms'?); the keys of a theme are id, label, description, "
        in message
    )


def test_wrong_type_and_bad_framework_area(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        "framework_area: B\n        terms: [fast",
        "framework_area: D\n        terms: [fast",
    )
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    assert raised.value.problems == [
        "line 11, column 25: theme 'fasta_kontakter', framework_area: should be one of "
        "A, B or C, not 'D'"
    ]
    path = broken(tmp_path, "window: 6", "window: sex")
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    assert (
        f"line {line_of(path, 'window: sex')}, column 21: theme 'far', near rule 1, window: "
        "should be a whole number from 1 to 100, not 'sex'" in str(raised.value)
    )


def test_duplicate_ids_and_bad_regex_are_all_reported(tmp_path: Path) -> None:
    path = broken(tmp_path, "- id: patientkontrakt", "- id: fasta_kontakter")
    text = path.read_text("utf-8").replace('"re:\\\\b1177\\\\b"', '"re:(oavslutad"')
    path.write_text(text, "utf-8")
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    problems = raised.value.problems
    assert any("duplicate id 'fasta_kontakter'" in p for p in problems)
    assert any("bad regular expression" in p for p in problems)


def test_too_few_examples(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        "examples: {match: *five, no_match: *five}",
        'examples: {match: ["a"], no_match: *five}',
    )
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    assert raised.value.problems == [
        f"line {line_of(path, 'match: [')}, column 27: theme 'patientkontrakt', "
        "examples.match: should be a list of at least 5 sentences; it has 1"
    ]


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "fel.yaml"
    path.write_text("version: 1\nareas: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"line \d+, column \d+: not valid YAML"):
        load_taxonomy(path)


def test_bundled_taxonomy_is_valid_and_has_the_required_themes() -> None:
    taxonomy = load_taxonomy(bundled_taxonomy_path())
    required = {
        "personcentrering",
        "fasta_kontakter",
        "patientkontrakt",
        "mobila_team",
        "halsosamtal",
        "far",
        "digitalisering",
    }
    assert required <= set(taxonomy.theme_ids)
    assert [area.id for area in taxonomy.areas] == [
        "personcentrering",
        "samskapande",
        "samordning",
        "halsoframjande",
        "tillganglighet",
        "styra_och_leda",
    ]
    assert {facet.id for facet in taxonomy.facets} == {"target_groups", "effects", "obstacles"}
    for theme in taxonomy.themes:
        assert theme.framework_area in {"A", "B", "C"}, theme.id
        assert len(theme.examples_match) >= 5 and len(theme.examples_no_match) >= 5, theme.id


def test_terms_that_cannot_match_or_would_match_everywhere_are_reported(tmp_path: Path) -> None:
    path = broken(tmp_path, "terms: [hälsosamtal*]", 'terms: [hälsosamtal*, "  ", "re:a*"]')
    path.write_text(
        path.read_text("utf-8").replace("near: [fysisk aktivitet]", 'near: ["re:fysisk"]'), "utf-8"
    )
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    message = str(raised.value)
    line = line_of(path, "hälsosamtal*")
    assert f"line {line}, column 31: '  ' has no word to match" in message
    assert f"line {line}, column 37: the regular expression 'a*' matches empty text" in message
    assert (
        f"line {line_of(path, 're:fysisk')}, column 20: a near phrase cannot be a regular "
        "expression" in message
    )
