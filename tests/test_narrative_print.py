"""The HTML draft of a realistic year as a reader meets it: on a phone 360 CSS px wide,
on wider screens, and printed on A4, measured in headless Chromium (Debian's
``chromium``).

The year is 21 regional reports of 2022 with those of 2021 (``tests/region_year.py``),
and one municipality whose only report cannot be read: the kind of actor with no
readable report, whose rows would be all zeros ("0 av 0").

On screen, the page is loaded into an ``<iframe>`` of the wanted width (headless
Chromium's own window is at least 500 px wide) through ``srcdoc``, unchanged: the
draft's Content-Security-Policy forbids scripts in it, so the measuring script runs in
the surrounding page and reads the draft's layout from there. Print goes through
``chromium --print-to-pdf``, and the PDF is read back with pypdfium2.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from nvreport.cli.commands import app
from region_year import build_region_year
from test_narrative_browser import chromium

UNREADABLE = "Ydre kommun - God och nära vård 2022.pdf"
#: A4 in PostScript points, and the style sheet's page margins (18 mm left and right).
A4 = (595.28, 841.89)
SIDE_MARGIN = 18 / 25.4 * 72

#: Runs in the page around the draft's iframe once everything is laid out, and writes
#: what it measured into <pre id="result"> for --dump-dom.
MEASURE = r"""
addEventListener('load', () => {
  const frame = document.querySelector('iframe');
  const doc = frame.contentDocument, win = frame.contentWindow;
  const chartText = [];
  for (const figure of doc.querySelectorAll('figure.chart')) {
    const walker = doc.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.data.trim()) continue;
      const range = doc.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      if (!box.width || !box.height) continue;  // not shown
      const element = node.parentElement;
      const size = parseFloat(win.getComputedStyle(element).fontSize);
      let scale = 1;  // how much larger than its layout the element is drawn
      if (element instanceof win.SVGElement) {
        const m = element.getScreenCTM();
        scale = Math.hypot(m.a, m.b);
      } else if (element.offsetWidth) {
        scale = element.getBoundingClientRect().width / element.offsetWidth;
      }
      chartText.push({text: node.data.trim(), px: size * scale});
    }
  }
  const outside = [];
  for (const element of doc.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width && (box.left < -0.5 || box.right > win.innerWidth + 0.5)) {
      outside.push(`${element.tagName.toLowerCase()}.${element.className}`);
    }
  }
  const scrolling = [...doc.querySelectorAll('.table-wrap')]
    .filter(wrap => wrap.scrollWidth > wrap.clientWidth + 0.5).length;
  const cells = [...doc.querySelectorAll('.table-wrap td')];
  const unlabelled = cells.filter(cell => {
    const before = win.getComputedStyle(cell, '::before').content;
    return !before.includes(cell.dataset.label);
  }).length;
  const result = {
    viewport: win.innerWidth,
    pageWidth: doc.documentElement.scrollWidth,
    chartText, outside, scrolling, cells: cells.length, unlabelled,
    headsShown: [...doc.querySelectorAll('.table-wrap thead')]
      .filter(head => head.getBoundingClientRect().height > 2).length,
    text: doc.body.innerText,
  };
  const pre = document.createElement('pre');
  pre.id = 'result';
  pre.textContent = JSON.stringify(result);
  document.body.append(pre);
});
"""


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> dict[str, Path]:
    """The year's draft as HTML and Markdown."""
    root = tmp_path_factory.mktemp("ar")
    for year in (2021, 2022):
        build_region_year(root / str(year), year)
    (root / "2022" / UNREADABLE).write_bytes(b"Detta \xc3\xa4r ingen PDF.\n")
    written = {}
    for fmt in ("html", "md"):
        target = root / "utkast" / f"arsberattelse-2022.{fmt}"
        result = CliRunner().invoke(
            app,
            [
                "narrative", str(root / "2022"), "--previous", str(root / "2021"),
                "-o", str(target), "--date", "2026-11-23", "-q",
            ],
        )  # fmt: skip
        assert result.exit_code == 1, result.output  # 1: a report could not be read
        written[fmt] = target
    return written


def measure(draft: Path, width: int, tmp_path: Path) -> dict:
    """The draft laid out ``width`` CSS px wide, as :data:`MEASURE` saw it."""
    page = tmp_path / f"at-{width}.html"
    source = html.escape(draft.read_text(encoding="utf-8"), quote=True)
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
        f'<iframe style="border:0;width:{width}px;height:1600px" srcdoc="{source}"></iframe>'
        f"<script>{MEASURE}</script></body></html>",
        encoding="utf-8",
    )
    result = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    found = re.search(r'<pre id="result">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stdout[-2000:]
    measured = json.loads(html.unescape(found.group(1)))
    assert measured["viewport"] == width
    return measured


def test_on_a_phone_chart_text_is_at_least_12_px_and_nothing_is_wider_than_the_screen(
    drafts, tmp_path
) -> None:
    source = drafts["html"].read_text(encoding="utf-8")
    seen = measure(drafts["html"], 360, tmp_path)
    # every bar's figures were measured, and every label and legend with them
    bars = source.count('<span class="figures">')
    pattern = re.compile(r"20\d\d: \d+( \+ \d+)? av \d+")
    figures = [t for t in seen["chartText"] if pattern.fullmatch(t["text"])]
    assert bars >= 2 * 6 and len(figures) == bars  # two years, six charts at least
    assert {t["text"] for t in seen["chartText"]} >= {"Regioner", "Fasta kontakter"}
    smallest = min(seen["chartText"], key=lambda t: t["px"])
    assert smallest["px"] >= 12, smallest
    # nothing sticks out sideways, nothing hides behind a scrolling table
    assert seen["pageWidth"] <= 360
    assert seen["outside"] == []
    assert seen["scrolling"] == 0
    # each table row is a card whose cells say what they are; the heads are hidden
    assert seen["cells"] > 500 and seen["unlabelled"] == 0
    assert seen["headsShown"] == 0


@pytest.mark.parametrize("width", [320, 600, 768, 1024, 1440])
def test_at_other_widths_nothing_scrolls_sideways(drafts, tmp_path, width: int) -> None:
    seen = measure(drafts["html"], width, tmp_path)
    assert seen["pageWidth"] <= width
    assert seen["outside"] == []
    assert seen["scrolling"] == 0
    assert min(t["px"] for t in seen["chartText"]) >= 12
    if width >= 1024:  # room enough: tables are tables, their heads shown
        heads = drafts["html"].read_text(encoding="utf-8").count("<thead>")
        assert seen["headsShown"] == heads > 6
        assert seen["unlabelled"] == seen["cells"]  # no card labels either


def test_no_row_says_zero_of_zero(drafts, tmp_path) -> None:
    source = drafts["html"].read_text(encoding="utf-8")
    markdown = drafts["md"].read_text(encoding="utf-8")
    # the municipality's report is in the appendix of unreadable files …
    assert UNREADABLE in source and UNREADABLE in markdown
    seen = measure(drafts["html"], 360, tmp_path)
    assert not re.search(r"\b0 av 0\b|\bingen av noll\b", seen["text"])
    # … and no row of the coverage appendix counts over no readable report
    soup = BeautifulSoup(source, "html.parser")
    coverage = soup.select("#bilaga-a tbody tr")
    assert coverage
    for row in coverage:
        assert row.select_one('td[data-label="Läsbara"]').get_text() != "0"
    assert "Kommuner" not in soup.select_one("#bilaga-a").get_text()
    for table in soup.select("table.chart-data"):
        for row in table.select("tbody tr:not(.group)"):
            assert row.select("td")[-1].get_text() != "0"
    appendix = markdown.split("## Bilaga A", 1)[1].split("## Bilaga B", 1)[0]
    rows = [line.split(" | ") for line in appendix.splitlines() if line.startswith("| 20")]
    assert len(rows) == len(coverage)
    assert all(row[8] != "0" for row in rows)
    for chart in sorted((drafts["md"].parent / "arsberattelse-2022-figurer").glob("*.svg")):
        assert not re.search(r"\b0 av 0\b", chart.read_text(encoding="utf-8"))


def test_printed_on_a4_with_each_chapter_on_a_new_page_and_every_table_row(
    drafts, tmp_path
) -> None:
    pdf = tmp_path / "arsberattelse-2022.pdf"
    result = chromium(
        tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", drafts["html"].as_uri()
    )
    assert result.returncode == 0, result.stderr[-2000:]
    document = pdfium.PdfDocument(pdf)
    pages, right = [], 0.0
    for page in document:
        width, height = page.get_size()
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1, (width, height)
        text = page.get_textpage()
        pages.append(text.get_text_range())
        for index in range(text.count_chars()):
            left, _, edge, _ = text.get_charbox(index)
            if edge > left:
                right = max(right, edge)
    assert len(pages) > 10
    # nothing runs into the right margin (a table too wide for the page would)
    assert right <= A4[0] - SIDE_MARGIN + 2
    soup = BeautifulSoup(drafts["html"].read_text(encoding="utf-8"), "html.parser")

    def first_line(text: str) -> str:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return next(line for line in lines if not re.fullmatch(r"Sida \d+ av \d+", line))

    starts = [first_line(text) for text in pages]
    titles = [section.find("h2").get_text() for section in soup.select("section.chapter")]
    assert len(titles) == 6
    for title in [*titles, "Bilagor"]:
        assert starts.count(title) == 1, (title, starts)
    assert [starts.index(t) for t in titles] == sorted(starts.index(t) for t in titles)
    # every table row is in the PDF, whole and in order (a row is its cells' text,
    # which a row split over two pages or cut off at the page's edge would break up);
    # pdfium reads a hyphen that ends a line ("lednings-|och") as U+FFFE
    printed = re.sub(r"\s+", "", "".join(pages)).replace("\ufffe", "-")
    position, rows = 0, 0
    for row in soup.select("table tbody tr"):
        cells = re.sub(r"\s+", "", "".join(cell.get_text() for cell in row.select("th, td")))
        found = printed.find(cells, position)
        assert found >= 0, (cells, printed[position : position + 200])
        position, rows = found + len(cells), rows + 1
    assert rows == len(soup.select("table tbody tr")) > 2 * 21
