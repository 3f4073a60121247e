"""PDFs from another producer: a report printed to PDF by Chromium (Skia, which
writes text glyph run by glyph run) reads like the HTML it was printed from:
the same headings, paragraphs and table rows, in the same order."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from nvreport.ingest.readers.html import read_html
from nvreport.ingest.readers.pdf import read_pdf
from nvreport.models import BlockKind
from test_narrative_browser import chromium

SENTENCES = [
    "Regionen har under året infört fast vårdkontakt vid samtliga vårdcentraler.",
    "Kommunerna i länet erbjuder trygghetsbesök till äldre som har skrivits ut från sjukhus.",
    "Arbetet med patientkontrakt har utvidgats till ytterligare två vårdcentraler.",
    "Mobila team från primärvården besöker sköra äldre i hemmet enligt en gemensam rutin.",
    "Uppföljningen visar att andelen invånare med en namngiven kontakt har ökat.",
    "Digitala vårdmöten används särskilt i glesbygd där avstånden till vården är långa.",
]
ACTIVITIES = ["Hälsosamtal", "Mobila team", "Fast vårdkontakt", "Patientkontrakt"]


def report_html(sections: int) -> str:
    """A report as a web page: headings, paragraphs that never break across pages,
    and a bordered table in every third section."""
    parts = [
        "<!doctype html><html lang='sv'><head><meta charset='utf-8'><style>"
        "body{font-family:sans-serif;font-size:11pt} p,table{break-inside:avoid}"
        "table{border-collapse:collapse} td,th{border:1px solid #000;padding:3px}"
        "</style></head><body><h1>Region Provinge – Redovisning 2022</h1>"
    ]
    for number in range(sections):
        parts.append(f"<h2>{number + 1} Omställningen till en god och nära vård</h2>")
        for paragraph in range(2):
            start = (number + paragraph) % len(SENTENCES)
            text = " ".join(SENTENCES[start:] + SENTENCES[:start])
            parts.append(f"<p>{html.escape(text)}</p>")
        if number % 3 == 0:
            rows = "".join(
                f"<tr><td>{activity} inom primärvården</td><td>{100 + number + row}</td>"
                f"<td>{90 + row}</td></tr>"
                for row, activity in enumerate(ACTIVITIES)
            )
            parts.append(
                f"<table><tr><th>Insats</th><th>Plan</th><th>Utfall</th></tr>{rows}</table>"
            )
    return "\n".join(parts) + "</body></html>"


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("chromium")
    page = folder / "rapport.html"
    page.write_text(report_html(30), encoding="utf-8")
    pdf = folder / "rapport.pdf"
    result = chromium(folder, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.is_file(), result.stderr[-2000:]
    return page, pdf


def test_a_chromium_pdf_reads_like_its_html(printed) -> None:
    page, pdf = printed
    from_pdf = read_pdf(pdf)
    from_html = read_html(page)
    assert from_pdf.pages > 5
    blocks = [(block.kind, block.text) for block in from_pdf.blocks]
    assert blocks == [(block.kind, block.text) for block in from_html.blocks]
    rows = [text for kind, text in blocks if kind is BlockKind.TABLE_ROW]
    assert rows[:2] == ["Insats | Plan | Utfall", "Hälsosamtal inom primärvården | 100 | 90"]
    assert len(rows) == 10 * 5


def test_characters_pdfium_counts_twice_or_not_at_all_leave_the_layout_whole(tmp_path) -> None:
    """An emoji and mathematical letters (outside the Basic Multilingual Plane, two
    pdfium indices each) and an emoji the font cannot name (an index with no text):
    the headings and paragraphs after them keep their own boxes and sizes."""
    page = tmp_path / "tecken.html"
    page.write_text(
        "<!doctype html><html lang='sv'><head><meta charset='utf-8'><style>"
        "body{font-family:sans-serif;font-size:11pt}</style></head><body>"
        "<h1>Region Halland – Redovisning 2022</h1>"
        "<p>Regionen erbjuder riktade hälsosamtal 😀 till alla som fyller 40 år 𝔄𝔅.</p>"
        "<h2>Mobila team</h2><p>Mobila team arbetar i hela länet sedan 2021 👍.</p>"
        "<h2>Fast vårdkontakt</h2><p>Fast vårdkontakt finns vid samtliga vårdcentraler.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    pdf = tmp_path / "tecken.pdf"
    result = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.is_file(), result.stderr[-2000:]
    blocks = [(block.kind, block.level, block.text) for block in read_pdf(pdf).blocks]
    assert [(kind, level) for kind, level, _ in blocks] == [
        (BlockKind.HEADING, 1),
        (BlockKind.PARAGRAPH, None),
        (BlockKind.HEADING, 2),
        (BlockKind.PARAGRAPH, None),
        (BlockKind.HEADING, 2),
        (BlockKind.PARAGRAPH, None),
    ]
    texts = [text for _, _, text in blocks]
    assert texts[1] == "Regionen erbjuder riktade hälsosamtal 😀 till alla som fyller 40 år 𝔄𝔅."
    # an emoji the font cannot name has no text (as in pdftotext); whether the
    # machine's fonts name it is theirs to say
    assert texts[2] == "Mobila team"
    assert texts[3].startswith("Mobila team arbetar i hela länet sedan 2021")
    assert texts[3].endswith(".")
    assert texts[4:] == ["Fast vårdkontakt", "Fast vårdkontakt finns vid samtliga vårdcentraler."]
