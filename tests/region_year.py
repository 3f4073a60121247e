"""A year of God och nära vård reports from all 21 regions, as PDFs, for the narrative.

The text of the reports lives in ``tests/fixtures/region_year/<year>.yaml`` (2021 and
2022): for each region a title and a list of pages, each page a list of blocks
(``heading``, ``paragraph`` or ``list``). :func:`build_region_year` writes one PDF per
region with reportlab in invariant mode, so the same data gives the same bytes:
one PDF page per data page, headings in bold and larger type, list items as bullets,
and a running footer with the region's name and the page number.

All Swedish text in the data was written for these tests. The reports differ on
purpose: in length, in style (concrete or summarising, with or without lists and
numbers), in which themes they report and whether the work is in place, planned or
absent, and from one year to the next (some paragraphs copied word for word, some
rewritten, some themes new).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from reportlab import rl_config

rl_config.invariant = 1

from reportlab.lib.enums import TA_LEFT  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

FIXTURES = Path(__file__).parent / "fixtures" / "region_year"
YEARS = (2021, 2022)


@cache
def _load(year: int) -> dict:
    with open(FIXTURES / f"{year}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def region_year(year: int) -> list[dict]:
    """The reports of ``year``: dicts with ``region``, ``title`` and ``pages``."""
    return _load(year)["reports"]


def file_name(region: str, year: int) -> str:
    """ "Region Uppsala - God och nära vård 2022.pdf"."""
    return f"{region} - God och nära vård {year}.pdf"


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle(
        "RyBody",
        parent=base["Normal"],
        fontName="Helvetica",
        fontSize=10,
        leading=13.5,
        spaceAfter=6,
        alignment=TA_LEFT,
    )
    return {
        "title": ParagraphStyle(
            "RyTitle",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=18,
            leading=22,
            spaceAfter=14,
        ),
        "heading": ParagraphStyle(
            "RyHeading",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=13,
            leading=16,
            spaceBefore=8,
            spaceAfter=6,
        ),
        "body": body,
        "item": ParagraphStyle("RyItem", parent=body, spaceAfter=2),
    }


def _footer(text: str):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2.2 * cm, 1.3 * cm, text)
        canvas.drawRightString(A4[0] - 2.2 * cm, 1.3 * cm, str(doc.page))
        canvas.restoreState()

    return draw


def _flowables(report: dict, styles: dict[str, ParagraphStyle]) -> list:
    story: list = [Paragraph(escape(report["title"]), styles["title"])]
    for number, page in enumerate(report["pages"]):
        if number:
            story.append(PageBreak())
        for block in page:
            if "heading" in block:
                story.append(Paragraph(escape(block["heading"]), styles["heading"]))
            elif "paragraph" in block:
                story.append(Paragraph(escape(block["paragraph"]), styles["body"]))
            elif "list" in block:
                items = [
                    ListItem(Paragraph(escape(item), styles["item"]), leftIndent=14)
                    for item in block["list"]
                ]
                story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=14))
                story.append(Spacer(1, 6))
            else:
                raise ValueError(f"unknown block in {report['region']}: {block!r}")
    return story


def build_report(report: dict, year: int, folder: Path) -> Path:
    """Write one region's report of ``year`` into ``folder`` and return its path."""
    path = folder / file_name(report["region"], year)
    footer = _footer(f"{report['region']} – God och nära vård {year}")
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2.0 * cm,
        bottomMargin=2.2 * cm,
        title=report["title"],
        author=report["region"],
    )
    doc.build(_flowables(report, _styles()), onFirstPage=footer, onLaterPages=footer)
    return path


def build_region_year(folder: Path, year: int) -> list[Path]:
    """Write the 21 regions' reports of ``year`` (2021 or 2022) as PDFs into ``folder``
    (created if missing) and return their paths, in the data's order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [build_report(report, year, folder) for report in region_year(year)]
