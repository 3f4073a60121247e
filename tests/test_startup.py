"""What nvreport loads before it starts working: little for --version and --help, and
neither spaCy nor simplemma's dictionary for a run once their tables are kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("spacy", "pandas", "pyarrow", "simplemma", "pypdfium2", "thinc", "numpy")

_PROBE = """
import json, sys
watched = set(json.loads(sys.argv[2]))
sys.argv = ["nvreport", *json.loads(sys.argv[1])]
from nvreport.cli import main
try:
    main()
except SystemExit:
    pass
heavy = {name.split(".")[0] for name in sys.modules} & watched
if "simplemma" in sys.modules:  # imported: has it loaded a dictionary?
    from simplemma.strategies import DEFAULT_DICTIONARY_FACTORY as factory
    if factory._get_dictionary.cache_info().currsize:
        heavy.add("simplemma dictionary")
print("LOADED " + json.dumps(sorted(heavy)))
"""


def loaded_by(arguments: list[str], cache: Path, heavy=HEAVY) -> list[str]:
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(arguments), json.dumps(list(heavy))],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=300,
    )
    line = [row for row in done.stdout.splitlines() if row.startswith("LOADED ")]
    assert line, done.stdout + done.stderr
    return json.loads(line[-1][len("LOADED ") :])


def test_version_and_help_load_nothing_heavy(tmp_path: Path) -> None:
    assert loaded_by(["--version"], tmp_path) == []
    assert loaded_by(["--help"], tmp_path) == []


def test_a_run_needs_neither_spacy_nor_the_lemma_dictionary(tmp_path: Path) -> None:
    """The first run keeps the tokenizer's rules and the lemma table in the cache
    folder; the next one tokenises and lemmatises without spaCy or the dictionary."""
    reports = tmp_path / "2022"
    reports.mkdir()
    (reports / "region-kronoberg-2022.txt").write_text(
        "Region Kronoberg\n\nUnder året har vårdcentralerna infört fasta vårdkontakter, "
        "bl.a. för patienter med stora behov. Mobila team planeras till nästa år.\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    arguments = ["analyse", str(reports), "-o", str(tmp_path / "out"), "--quiet", "--no-cache"]
    loaded_by(arguments, cache)
    assert sorted((cache / "nvreport" / "tables").iterdir())
    assert loaded_by(arguments, cache, ("spacy", "thinc")) == []  # nor the dictionary
    passages = (tmp_path / "out" / "passages.csv").read_text(encoding="utf-8-sig")
    assert "fasta vårdkontakter" in passages


def test_a_taxonomy_read_before_is_not_parsed_again(tmp_path: Path, monkeypatch) -> None:
    from nvreport.tagging import taxonomy as module

    bundled = module.bundled_taxonomy_path()
    first = module.load_taxonomy(bundled)
    parsed = []
    original = module._parse_taxonomy

    def counting(raw, path):
        parsed.append(path)
        return original(raw, path)

    monkeypatch.setattr(module, "_parse_taxonomy", counting)
    assert module.load_taxonomy(bundled) == first
    assert parsed == []
    # a changed file is parsed again, and what is wrong with a file is said every time
    changed = tmp_path / "changed.yaml"
    changed.write_bytes(bundled.read_bytes().replace(b'version: "', b'version: "x-', 1))
    assert module.load_taxonomy(changed).version.startswith("x-")
    assert parsed == [changed]
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nareas: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(module.TaxonomyError):
            module.load_taxonomy(broken)
    assert parsed == [changed, broken, broken]


def test_a_rerun_with_nothing_changed_loads_no_analysis(tmp_path: Path) -> None:
    """The same analyse command again, nothing changed: neither the command-line
    library nor the analysis and output libraries are loaded."""
    reports = tmp_path / "2022"
    reports.mkdir()
    (reports / "region-kronoberg-2022.txt").write_text(
        "Region Kronoberg\n\nVårdcentralerna erbjuder hälsosamtal.\n", encoding="utf-8"
    )
    arguments = ["analyse", str(reports), "-o", str(tmp_path / "out"), "--quiet"]
    watched = (*HEAVY, "typer", "click", "pydantic", "openpyxl", "jinja2", "pebble")
    assert "pandas" in loaded_by(arguments, tmp_path / "cache", watched)  # the first run
    assert loaded_by(arguments, tmp_path / "cache", watched) == []
