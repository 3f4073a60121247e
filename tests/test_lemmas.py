"""The lemma table gives simplemma's lemmas, and is made once in the cache folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import simplemma

from nvreport.tagging import lemmas
from nvreport.tagging.lemmas import LemmaTable, build_table, open_table, table_name

ROOT = Path(__file__).resolve().parent.parent


def corpus_words() -> list[str]:
    words: set[str] = set()
    for path in sorted((ROOT / "tests" / "fixtures" / "tagging").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            words.update(re.findall(r"\w+", json.loads(line)["text"].casefold()))
    for path in sorted((ROOT / "scripts" / "samples" / "texts").glob("*.yaml")):
        words.update(re.findall(r"\w+", path.read_text(encoding="utf-8").casefold()))
    return sorted(words)


def test_a_small_table_reads_back() -> None:
    entries = {f"ord{number}".encode(): f"lemma{number % 7}".encode() for number in range(500)}
    entries["vårdcentralerna".encode()] = "vårdcentral".encode()
    table = LemmaTable(build_table(entries))
    assert len(table) == 501
    assert table.get("vårdcentralerna") == "vårdcentral"
    assert table["ord42"] == "lemma0"
    assert table.get("saknas") is None
    assert "saknas" not in table
    with pytest.raises(KeyError):
        table["saknas"]
    assert sorted(table) == sorted(key.decode() for key in entries)


def test_a_damaged_table_is_refused() -> None:
    data = build_table({b"a": b"b"})
    with pytest.raises(ValueError):
        LemmaTable(data[:-1])
    with pytest.raises(ValueError):
        LemmaTable(b"NOTATABLE" + data[9:])


def test_the_lemmas_are_simplemmas(tmp_path: Path) -> None:
    table = open_table(tmp_path)
    assert table is not None
    factory = lemmas._TableFactory(table)
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    ours = Lemmatizer(
        lemmatization_strategy=DefaultStrategy(greedy=True, dictionary_factory=factory)
    )
    words = corpus_words()
    # and dictionary forms spread over the whole table, with inflections it lacks
    words += [word for number, word in enumerate(table) if number % 997 == 0]
    words += [word + suffix for word in words[:2000:7] for suffix in ("erna", "ens", "-")]
    assert len(words) > 4000
    different = [
        word
        for word in words
        if ours.lemmatize(word, "sv") != simplemma.lemmatize(word, lang="sv", greedy=True)
    ]
    assert different == []
    assert len(table) > 500_000


def test_the_table_is_made_once(tmp_path: Path, monkeypatch) -> None:
    assert open_table(tmp_path) is not None
    assert (tmp_path / "tables" / table_name()).is_file()
    assert "simplemma" in table_name()

    def no_dictionary():
        raise AssertionError("the dictionary was loaded although the table was kept")

    monkeypatch.setattr(lemmas, "_simplemma_entries", no_dictionary)
    table = open_table(tmp_path)
    assert table is not None
    assert table.get("vårdcentralerna") is not None


def test_a_damaged_table_is_made_again(tmp_path: Path) -> None:
    kept = tmp_path / "tables" / table_name()
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"NVLEMMA\x01" + b"\0" * 40)
    table = open_table(tmp_path)
    assert table is not None
    assert table.get("hemsjukvården") == "hemsjukvård"
    assert LemmaTable(kept.read_bytes()).get("hemsjukvården") == "hemsjukvård"


def test_a_cache_folder_that_cannot_be_written(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    table = open_table(blocked)
    assert table is not None
    assert table.get("hemsjukvården") == "hemsjukvård"


def test_the_table_of_another_version_is_removed(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    older = folder / "lemmas-sv-simplemma-0.9.0-v1.bin"
    older.write_bytes(b"an older table")
    other = folder / "tokenizer-sv-spacy-3.0.0-x-v1.json"
    other.write_text("{}")
    assert open_table(tmp_path) is not None
    assert sorted(path.name for path in folder.iterdir()) == sorted([table_name(), other.name])
