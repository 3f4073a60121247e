"""The tokenizer without spaCy gives spaCy's tokens, and keeps spaCy's rules in the cache."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from nvreport.tagging import tokenizer as tokenizer_module
from nvreport.tagging.sentences import ABBREVIATIONS
from nvreport.tagging.tokenizer import Tokenizer, load_rules, rules_name, rules_of, spacy_pipeline

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def spacy_nlp():
    return spacy_pipeline()


@pytest.fixture(scope="module")
def port(spacy_nlp) -> Tokenizer:
    return Tokenizer(rules_of(spacy_nlp))


def spacy_tokens(nlp, text: str) -> tuple[list[int], list[int]]:
    doc = nlp.tokenizer(text)
    return [token.idx for token in doc], [len(token.text) for token in doc]


def report_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "fixtures" / "tagging").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["text"])
    for path in sorted((ROOT / "scripts" / "samples" / "texts").glob("*.yaml")):
        texts.extend(path.read_text(encoding="utf-8").split("\n\n"))
    texts.append((ROOT / "README.md").read_text(encoding="utf-8"))
    return texts


#: Pieces that exercise every step of spaCy's algorithm: abbreviations (special cases),
#: brackets, quotes and punctuation (prefixes and suffixes), hyphens, slashes and
#: decimals (infixes), addresses (URLs), emoticons (special cases that affixes hide,
#: applied last), and every kind of whitespace.
ATOMS = [
    *ABBREVIATIONS, "(", ")", "[", "]", '"', "'", "«", "»", "”", "“", "–", "—", "-", "/",
    ":", ";", ",", ".", "...", "…", "!", "?", "%", "§", "&", "+", "=", "*", "<", ">",
    "http://www.example.se/a?b=c", "www.1177.se", "info@region.se", "10", "3,5",
    "2021-2022", "t.ex", "bl.a", "FaR", "SIP:ar", "e-hälsa", "Region", "vård", "a.", "A.",
    "1.", "’", "`", "´", "'s", ":)", ":-)", "<3", ")-:", "^_^", "°C", "km²", "½", "\u00ad",
    " ", " ", " ", "  ", "\n", "\t", "\xa0", "\u2009", "\r\n", "\u200b", "Dr", "jan", "Nr",
    "kap", "1:a", "3:e", "mkr", "fr.o.m", "o.s.v", "8", "D", "o", "_",
]  # fmt: skip


def fuzz_texts(seed: int, count: int) -> list[str]:
    rnd = random.Random(seed)
    texts = []
    for _ in range(count):
        pieces = [rnd.choice(ATOMS) for _ in range(rnd.randint(1, 10))]
        texts.append("".join(piece + rnd.choice(["", "", " ", "\n"]) for piece in pieces))
    return texts


def test_the_tokens_of_report_texts_are_spacys(spacy_nlp, port: Tokenizer) -> None:
    texts = report_texts()
    assert len(texts) > 900
    different = [text for text in texts if port(text) != spacy_tokens(spacy_nlp, text)]
    assert different == []


def test_the_tokens_of_odd_texts_are_spacys(spacy_nlp, port: Tokenizer) -> None:
    """Random strings of abbreviations, punctuation, URLs, emoticons and whitespace."""
    texts = fuzz_texts(19, 6000)
    different = [text for text in texts if port(text) != spacy_tokens(spacy_nlp, text)]
    assert different == []


@pytest.mark.parametrize(
    "text",
    [
        "Vi har bl.a. infört mobila team, t.ex. i Ljungby.",
        "Kostnaden var ca. 3,5 mkr (2022).",
        "Se www.1177.se eller skriv till info@region.se:)",
        "Läs mer:-)",  # an emoticon that a suffix hides, split as spaCy says
        "  Inledande blanksteg\n\noch\ttabb\xa0här ",
    ],
)
def test_known_texts(spacy_nlp, port: Tokenizer, text: str) -> None:
    assert port(text) == spacy_tokens(spacy_nlp, text)


def test_abbreviations_stay_one_token(port: Tokenizer) -> None:
    text = "Insatser enl. planen, bl.a. hembesök."
    starts, lengths = port(text)
    words = [text[start : start + length] for start, length in zip(starts, lengths, strict=True)]
    assert words == ["Insatser", "enl.", "planen", ",", "bl.a.", "hembesök", "."]


def test_the_rules_are_kept_in_the_cache_folder(tmp_path: Path, monkeypatch) -> None:
    first = load_rules(tmp_path)
    kept = tmp_path / "tables" / rules_name()
    assert kept.is_file()
    assert rules_name().startswith("tokenizer-sv-spacy-")

    def no_spacy():
        raise AssertionError("spaCy was imported although the rules were kept")

    monkeypatch.setattr(tokenizer_module, "spacy_pipeline", no_spacy)
    assert load_rules(tmp_path) == first


def test_damaged_rules_are_taken_again(tmp_path: Path) -> None:
    kept = tmp_path / "tables" / rules_name()
    kept.parent.mkdir(parents=True)
    kept.write_text('{"spacy": "0.0", "prefix"')
    rules = load_rules(tmp_path)
    assert rules["specials"]["bl.a."] == ["bl.a."]
    assert json.loads(kept.read_text())["specials"]["bl.a."] == ["bl.a."]


def test_a_cache_folder_that_cannot_be_written(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    tokens = Tokenizer(load_rules(blocked))("Mobila team, t.ex. i Växjö.")
    assert len(tokens[0]) == 7
