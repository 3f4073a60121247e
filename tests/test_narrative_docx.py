"""The narrative as a Word document, read back with python-docx: Word's heading
styles, every chapter, tables with the story's figures, the charts as pictures with
alternative text, every quote with its file and page; the same bytes twice; and the
-o suffix rule of `nvreport narrative`."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from typer.testing import CliRunner

from nvreport.analysis.compare import compare_years, load_year
from nvreport.cli.commands import app
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.story.docx import render_docx
from nvreport.story.narrative import build_story
from nvreport.story.render import page_reference, without_empty_rows
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import load_taxonomy

SAMPLES = Path(__file__).parents[1] / "samples"
DATE = dt.date(2026, 11, 23)
runner = CliRunner()


@pytest.fixture(scope="module")
def drafted():
    taxonomy = load_taxonomy()
    tagger = Tagger(taxonomy)
    gazetteer = Gazetteer.load()
    before = load_year(SAMPLES / "2021", gazetteer, tagger)
    current = load_year(SAMPLES / "2022", gazetteer, tagger)
    comparison = compare_years([before, current], taxonomy)
    story = build_story(current, before, comparison, taxonomy, date=DATE)
    data = render_docx(story, stem="arsberattelse-2022")
    return story, data, Document(io.BytesIO(data))


def styled(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_headings_have_word_heading_styles_and_every_chapter_is_there(drafted) -> None:
    story, _, document = drafted
    assert styled(document, "Title") == ["Omställningen till nära vård 2022"]
    chapters = [f"{c.number}. {c.title}" for c in story.chapters]
    assert len(chapters) == 6
    heading_1 = styled(document, "Heading 1")
    assert heading_1[:2] == ["Inledning", "Trender i korthet"]
    assert [h for h in heading_1 if re.match(r"\d\. ", h)] == chapters
    assert "Bilaga A. Täckning per tema" in heading_1
    assert heading_1[-1] == "Källor till citaten"
    sections = [
        f"{c.number}.{n} {s.label}" for c in story.chapters for n, s in enumerate(c.sections, 1)
    ]
    assert styled(document, "Heading 2") == sections
    # the headings stand in the order of the story, each section after its chapter
    order = [p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert order.index("1.1 Personcentrerad vård") > order.index("1. Personcentrering")
    assert order.index("2. Samskapande") > order.index("1.3 Patientkontrakt")


def test_tables_are_word_tables_with_the_story_figures(drafted) -> None:
    story, _, document = drafted
    shown = without_empty_rows(story)
    charts = [c for c in shown.chapters if c.chart]
    # a figure table per chapter, then the appendices' tables
    assert len(document.tables) >= len(charts) + 3
    first = document.tables[0]
    header = [cell.text for cell in first.rows[0].cells]
    assert header[:2] == ["Tema", "Aktörer"]
    body = [[cell.text for cell in row.cells] for row in first.rows[1:]]
    expected = charts[0].chart
    assert len(body) == len(expected)
    for cells, row in zip(body, expected, strict=True):
        assert cells[0] == row.theme
        numbers = [int(text) for text in cells[2:]]
        own = row.own
        assert numbers == [
            row.bars[0].actors,
            *(n for bar in row.bars for n in (bar.active, bar.planned)),
            own.active,
            own.planned,
            own.actors,
        ]
    # the header row repeats on each page
    assert (
        first.rows[0]._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )
    coverage = next(t for t in document.tables if t.rows[0].cells[0].text == "År")
    assert len(coverage.rows) == len(shown.coverage) + 1


def test_the_charts_are_pictures_with_alternative_text(drafted) -> None:
    story, _, document = drafted
    charts = [c for c in without_empty_rows(story).chapters if c.chart]
    shapes = document.inline_shapes
    assert len(shapes) == len(charts) == 6
    images = [
        rel.target_part.blob
        for rel in document.part.rels.values()
        if rel.reltype.endswith("/image")
    ]
    assert len(images) == 6
    for blob in images:
        picture = Image.open(io.BytesIO(blob))
        assert picture.format == "PNG" and picture.width >= 1000
    for shape in shapes:
        description = shape._inline.docPr.get("descr")
        assert description and len(description) > 40
    captions = styled(document, "Caption")
    assert [c.split(".")[0] for c in captions] == [f"Figur {n}" for n in range(1, 7)]


def test_every_quote_is_verbatim_with_its_file_and_page(drafted) -> None:
    story, _, document = drafted
    quotes = [
        q
        for chapter in story.chapters
        for section in chapter.sections
        for q in (*section.examples, *getattr(section, "obstacle_examples", ()))
    ]
    assert len(quotes) >= 10
    quoted = styled(document, "Quote")
    assert len(quoted) == len(quotes)
    sources_at = [p.text for p in document.paragraphs].index("Källor till citaten")
    sources = [p.text for p in document.paragraphs[sources_at + 2 :] if p.text.startswith("[")]
    assert len(sources) == len(quotes)
    for number, (text, source) in enumerate(zip(quoted, sources, strict=True), start=1):
        assert text.endswith(f"[{number}]")
        assert source.startswith(f"[{number}] ")
        body = text[1 : text.index("”", 1)]
        quote = next(q for q in quotes if " ".join(q.text.split()) == body)
        assert quote.file in source and quote.actor in source
        if quote.page is not None:
            assert f"s. {quote.page}" in source
        else:
            assert page_reference(quote) in source


def test_the_same_story_gives_the_same_bytes(drafted) -> None:
    story, data, document = drafted
    assert render_docx(story, stem="arsberattelse-2022") == data
    properties = document.core_properties
    assert properties.created.date() == DATE and properties.modified.date() == DATE
    assert properties.title == "Omställningen till nära vård 2022"
    assert properties.language == "sv-SE"


@pytest.fixture
def small_years(tmp_path: Path) -> tuple[Path, Path]:
    before, after = tmp_path / "2021", tmp_path / "2022"
    for folder, year, text in (
        (before, 2021, "Regionen planerar att införa hälsosamtal under nästa år."),
        (after, 2022, "Regionen har under året infört riktade hälsosamtal för 40-åringar."),
    ):
        folder.mkdir()
        for region in ("Halland", "Kronoberg", "Dalarna"):
            (folder / f"Region {region} {year}.txt").write_text(
                f"Region {region}\n\n{text}\n", encoding="utf-8"
            )
    return before, after


def test_narrative_writes_docx_by_suffix_or_format(small_years, tmp_path: Path) -> None:
    before, after = small_years
    target = tmp_path / "berattelse.docx"
    result = runner.invoke(
        app, ["narrative", str(after), "-p", str(before), "-o", str(target), "-q"]
    )
    assert result.exit_code == 0, result.output
    document = Document(str(target))
    assert "4. Hälsofrämjande och förebyggande" in styled(document, "Heading 1")
    result = runner.invoke(
        app,
        ["narrative", str(after), "-p", str(before), "-o", str(target), "--format", "docx", "-q"],
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", ["berattelse.pdf", "berattelse.htm", "berattelse"])
def test_an_unknown_suffix_is_an_error_naming_the_suffixes(small_years, tmp_path, name) -> None:
    before, after = small_years
    target = tmp_path / name
    result = runner.invoke(app, ["narrative", str(after), "-p", str(before), "-o", str(target)])
    assert result.exit_code == 2
    assert ".md, .html, .docx" in result.stderr
    assert not target.exists()
    assert list(tmp_path.glob("berattelse*")) == []


def test_a_format_that_contradicts_the_suffix_is_an_error(small_years, tmp_path) -> None:
    before, after = small_years
    target = tmp_path / "berattelse.md"
    result = runner.invoke(
        app, ["narrative", str(after), "-p", str(before), "-o", str(target), "--format", "html"]
    )
    assert result.exit_code == 2
    assert "names a .md file but --format is html" in result.stderr
    assert not target.exists()
