"""The region-year corpus (tests/region_year.py): 21 regions' reports for 2021 and 2022
build into PDFs, one PDF page per data page, and every paragraph, list item and heading
of the data can be read back from its own page."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from region_year import YEARS, build_region_year, file_name, region_year

REGIONS = {
    "Region Stockholm",
    "Region Uppsala",
    "Region Sörmland",
    "Region Östergötland",
    "Region Jönköpings län",
    "Region Kronoberg",
    "Region Kalmar län",
    "Region Gotland",
    "Region Blekinge",
    "Region Skåne",
    "Västra Götalandsregionen",
    "Region Halland",
    "Region Värmland",
    "Region Örebro län",
    "Region Västmanland",
    "Region Dalarna",
    "Region Gävleborg",
    "Region Västernorrland",
    "Region Jämtland Härjedalen",
    "Region Västerbotten",
    "Region Norrbotten",
}


def _flat(text: str) -> str:
    """NFC, without soft hyphens and without any whitespace, so that where a line breaks
    does not matter. pdfium marks a hyphen at a line end ("hälso-" before "och") with
    U+FFFE and drops the line break: it is a hyphen again here."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").replace("\ufffe", "-")
    return re.sub(r"\s+", "", text)


def _page_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(path)
    try:
        texts = []
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(_flat(textpage.get_text_range()))
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def _words(report: dict) -> int:
    count = 0
    for page in report["pages"]:
        for block in page:
            for value in block.values():
                items = value if isinstance(value, list) else [value]
                count += sum(len(item.split()) for item in items)
    return count


@pytest.mark.parametrize("year", YEARS)
def test_data_has_every_region_once(year):
    reports = region_year(year)
    assert len(reports) == 21
    assert {r["region"] for r in reports} == REGIONS
    for report in reports:
        assert report["region"] in report["title"]
        assert 2 <= len(report["pages"]) <= 5, report["region"]
        assert 500 <= _words(report) <= 1200, (report["region"], _words(report))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return {year: build_region_year(tmp_path_factory.mktemp(f"ry{year}"), year) for year in YEARS}


@pytest.mark.parametrize("year", YEARS)
def test_builds_21_pdfs(built, year):
    paths = built[year]
    assert len(paths) == 21
    assert len({p.name for p in paths}) == 21
    for path, report in zip(paths, region_year(year), strict=True):
        assert path.name == file_name(report["region"], year)
        assert path.name.startswith(report["region"])
        assert path.read_bytes().startswith(b"%PDF")
        assert path.stat().st_size > 2000


@pytest.mark.parametrize("year", YEARS)
def test_every_block_is_on_its_page(built, year):
    for path, report in zip(built[year], region_year(year), strict=True):
        pages = _page_texts(path)
        assert len(pages) == len(report["pages"]), path.name
        assert _flat(report["region"]) in pages[0], path.name
        for number, (page, text) in enumerate(zip(report["pages"], pages, strict=True), 1):
            for block in page:
                for value in block.values():
                    for item in value if isinstance(value, list) else [value]:
                        assert _flat(item) in text, (path.name, number, item)


def test_builds_are_reproducible(tmp_path):
    first = build_region_year(tmp_path / "a", 2022)
    second = build_region_year(tmp_path / "b", 2022)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
