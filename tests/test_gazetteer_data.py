"""Consistency checks for the Swedish administrative gazetteer CSV files."""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

GAZETTEER = Path(__file__).parents[1] / "src/nvreport/data/gazetteer"

EXPECTED_PER_LAN = {
    "01": 26,
    "03": 8,
    "04": 9,
    "05": 13,
    "06": 13,
    "07": 8,
    "08": 12,
    "09": 1,
    "10": 5,
    "12": 33,
    "13": 6,
    "14": 49,
    "17": 16,
    "18": 12,
    "19": 10,
    "20": 15,
    "21": 10,
    "22": 7,
    "23": 8,
    "24": 15,
    "25": 14,
}


def _read(name: str) -> list[dict[str, str]]:
    with open(GAZETTEER / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def lan() -> list[dict[str, str]]:
    return _read("lan.csv")


@pytest.fixture(scope="module")
def kommuner() -> list[dict[str, str]]:
    return _read("kommuner.csv")


def test_lan_header() -> None:
    with open(GAZETTEER / "lan.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == ["lan_code", "letter", "lan", "region", "region_aliases"]


def test_kommuner_header() -> None:
    with open(GAZETTEER / "kommuner.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == ["code", "name", "short", "lan_code"]


def test_lan_count_and_uniqueness(lan: list[dict[str, str]]) -> None:
    assert len(lan) == 21
    for column in ("lan_code", "letter", "lan", "region"):
        values = [row[column] for row in lan]
        assert len(set(values)) == 21, column
        assert all(values), column
    assert [row["lan_code"] for row in lan] == sorted(EXPECTED_PER_LAN)


def test_lan_letters_and_regions(lan: list[dict[str, str]]) -> None:
    by_code = {row["lan_code"]: row for row in lan}
    assert by_code["01"]["letter"] == "AB"
    assert by_code["01"]["region"] == "Region Stockholm"
    assert by_code["09"]["letter"] == "I"
    assert by_code["09"]["region"] == "Region Gotland"
    assert by_code["14"]["letter"] == "O"
    assert by_code["14"]["lan"] == "Västra Götalands län"
    assert by_code["14"]["region"] == "Västra Götalandsregionen"
    assert "VGR" in by_code["14"]["region_aliases"].split("|")
    assert by_code["24"]["letter"] == "AC"
    assert by_code["25"]["letter"] == "BD"
    assert by_code["23"]["region"] == "Region Jämtland Härjedalen"


def test_region_aliases_are_unambiguous(lan: list[dict[str, str]]) -> None:
    names: list[str] = []
    for row in lan:
        aliases = [a for a in row["region_aliases"].split("|") if a]
        assert aliases, row["region"]
        assert all(a == a.strip() for a in aliases)
        assert row["region"] not in aliases
        names.append(row["region"])
        names.extend(aliases)
    duplicates = [name for name, n in Counter(names).items() if n > 1]
    assert duplicates == []


def test_kommuner_count(kommuner: list[dict[str, str]]) -> None:
    assert len(kommuner) == 290


def test_kommuner_unique(kommuner: list[dict[str, str]]) -> None:
    codes = [row["code"] for row in kommuner]
    names = [row["name"] for row in kommuner]
    shorts = [row["short"] for row in kommuner]
    assert len(set(codes)) == 290
    assert len(set(names)) == 290
    assert len(set(shorts)) == 290
    assert codes == sorted(codes)


def test_kommun_codes_match_lan(kommuner: list[dict[str, str]], lan: list[dict[str, str]]) -> None:
    lan_codes = {row["lan_code"] for row in lan}
    for row in kommuner:
        assert re.fullmatch(r"\d{4}", row["code"]), row
        assert row["code"][:2] == row["lan_code"], row
        assert row["lan_code"] in lan_codes, row
        assert row["name"].strip() == row["name"] and row["name"], row
        assert row["short"].strip() == row["short"] and row["short"], row


def test_counts_per_lan(kommuner: list[dict[str, str]]) -> None:
    counts = Counter(row["lan_code"] for row in kommuner)
    assert dict(counts) == EXPECTED_PER_LAN
    assert sum(EXPECTED_PER_LAN.values()) == 290


@pytest.mark.parametrize(
    ("code", "name", "short", "lan_code"),
    [
        ("0114", "Upplands Väsby kommun", "Upplands Väsby", "01"),
        ("0180", "Stockholms stad", "Stockholm", "01"),
        ("0380", "Uppsala kommun", "Uppsala", "03"),
        ("0482", "Flens kommun", "Flen", "04"),
        ("0580", "Linköpings kommun", "Linköping", "05"),
        ("0680", "Jönköpings kommun", "Jönköping", "06"),
        ("0980", "Region Gotland", "Gotland", "09"),
        ("1280", "Malmö stad", "Malmö", "12"),
        ("1480", "Göteborgs stad", "Göteborg", "14"),
        ("1980", "Västerås stad", "Västerås", "19"),
        ("2080", "Falu kommun", "Falun", "20"),
        ("2584", "Kiruna kommun", "Kiruna", "25"),
    ],
)
def test_spot_checks(
    kommuner: list[dict[str, str]], code: str, name: str, short: str, lan_code: str
) -> None:
    by_code = {row["code"]: row for row in kommuner}
    assert by_code[code] == {"code": code, "name": name, "short": short, "lan_code": lan_code}
