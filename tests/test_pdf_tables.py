"""Ruled tables found from pdfium's ruling lines: the same rows as pdfplumber's
table finder, merged cells, lone frames, and pages too busy to search."""

from __future__ import annotations

import itertools
from pathlib import Path

import pdfplumber
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, Table, TableStyle

from builders import BODY, H1, build_pdf
from nvreport.ingest.readers.pdf import _table_row, read_pdf
from nvreport.ingest.readers.pdf_tables import (
    Char,
    Edge,
    cell_texts,
    cells,
    intersections,
    merge_edges,
    table_rows,
    tables,
)
from nvreport.models import BlockKind


def grid(xs: list[float], tops: list[float]) -> list[Edge]:
    """The ruling lines of a full grid, each drawn as one segment per cell side."""
    edges = []
    for top in tops:
        edges.extend(Edge(True, a, top, b, top) for a, b in itertools.pairwise(xs))
    for x in xs:
        edges.extend(Edge(False, x, a, x, b) for a, b in itertools.pairwise(tops))
    return edges


def test_a_grid_gives_its_cells_row_by_row() -> None:
    edges = grid([10, 60, 110, 160], [100, 120, 140])
    found = tables(cells(intersections(merge_edges(edges))))
    assert len(found) == 1
    rows = table_rows(found[0])
    assert [[cell[0] for cell in row] for row in rows] == [[10, 60, 110], [10, 60, 110]]
    assert rows[1][2] == (110, 120, 160, 140)


def test_nearly_collinear_pieces_are_snapped_and_joined() -> None:
    # a producer that draws each border in pieces, a little off the line
    edges = [
        Edge(True, 10, 100.0, 80, 100.0),
        Edge(True, 81, 101.2, 160, 101.2),
        Edge(True, 10, 140.0, 160, 140.0),
        Edge(False, 10, 100, 10, 140),
        Edge(False, 85.5, 100, 85.5, 140),
        Edge(False, 160, 100, 160, 140),
    ]
    merged = merge_edges(edges)
    assert len([edge for edge in merged if edge.horizontal]) == 2
    found = tables(cells(intersections(merged)))
    assert [len(table) for table in found] == [2]


def test_a_cell_spanning_two_columns_leaves_a_gap_in_its_row() -> None:
    edges = grid([10, 60, 110], [120, 140])  # the lower row: two cells
    edges += [Edge(True, 10, 100, 110, 100), Edge(False, 10, 100, 10, 120)]
    edges += [Edge(False, 110, 100, 110, 120)]  # the upper row: one wide cell
    rows = table_rows(tables(cells(intersections(merge_edges(edges))))[0])
    assert rows[0][0] == (10, 100, 110, 120) and rows[0][1] is None
    assert len(rows[1]) == 2


def test_a_lone_frame_is_no_table() -> None:
    frame = grid([10, 160], [100, 140])
    assert tables(cells(intersections(merge_edges(frame)))) == []


def test_cell_text_keeps_words_apart_and_reads_the_page_order() -> None:
    table = [(10, 100, 60, 140), (60, 100, 110, 140)]
    chars = [
        Char(0, "F", 12, 110, 11, 13),
        Char(1, "a", 14, 110, 13, 15),
        Char(2, "R", 16, 110, 15, 17),
        Char(4, "1", 70, 110, 69, 71),  # the next cell
        Char(6, "l", 12, 125, 11, 13),  # a new line in the first cell
        Char(7, "ä", 14, 125, 13, 15),
        Char(8, "-", 16, 125, 15, 17, line_end=True),
        Char(9, "k", 12, 130, 11, 13),
        Char(10, "x", 12, 150, 11, 13),  # below the table
    ]
    assert cell_texts(table, chars) == {table[0]: "FaR lä- k", table[1]: "1"}


def test_letters_that_touch_on_a_line_stay_one_word() -> None:
    # pdfium broke the line after every letter; the letters still touch
    table = [(10, 100, 60, 140), (60, 100, 110, 140)]
    chars = [
        Char(0, "V", 12, 110, 11, 13),
        Char(3, "å", 14, 110, 13, 15),
        Char(6, "r", 16, 110, 15, 17),
        Char(9, "d", 21, 110, 20, 22),  # a word space away
    ]
    assert cell_texts(table, chars)[table[0]] == "Vår d"


def test_a_character_on_a_border_belongs_to_the_cell_right_of_or_below_it() -> None:
    table = [(10, 100, 60, 140), (60, 100, 110, 140), (10, 140, 110, 160)]
    chars = [
        Char(0, "a", 60, 110, 59, 61),
        Char(2, "b", 30, 140, 29, 31),
        Char(4, "c", 110, 110, 109, 111),
    ]
    assert cell_texts(table, chars) == {table[0]: "", table[1]: "a", table[2]: "b"}


def pdfplumber_rows(path: Path) -> list[tuple[int, tuple[str, ...]]]:
    """What pdfplumber's own table finder gives, page by page: the reference."""
    found = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for table in page.find_tables():
                rows = tuple(row for row in map(_table_row, table.extract()) if row)
                if rows:
                    found.append((number, rows))
    return found


def test_tables_read_as_pdfplumber_reads_them(tmp_path: Path) -> None:
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    spanning = TableStyle(
        [("GRID", (0, 0), (-1, -1), 0.75, colors.black), ("SPAN", (0, 0), (2, 0))]
    )
    story = [Paragraph("Uppföljning i tabellform", H1)]
    for number in range(3):
        story += [
            Paragraph(f"Tabell {number + 1}. Insatser och utfall per kvartal", BODY),
            Table(
                [
                    ["Insats", "Första halvåret", "Andra halvåret"],
                    ["Hälsosamtal", f"{120 + number}", "134"],
                    ["Mobila team för sköra äldre", "12", f"{15 + number}"],
                    ["Fast vårdkontakt", "ja", "ja"],
                ],
                style=style,
            ),
            Paragraph("Texten efter tabellen fortsätter här med en hel mening.", BODY),
            Table(
                [
                    ["Sammanställning för hela länet", "", ""],
                    ["Kommun", "Trygghetsbesök", "Utfall"],
                    ["Flen", "ja", "41"],
                ],
                style=spanning,
            ),
            PageBreak(),
        ]
    path = build_pdf(tmp_path / "tabeller.pdf", story)
    ours = read_pdf(path)
    table_rows_read = [block.text for block in ours.blocks if block.kind is BlockKind.TABLE_ROW]
    reference = [row for _, rows in pdfplumber_rows(path) for row in rows]
    assert table_rows_read == reference
    assert "Sammanställning för hela länet" in table_rows_read
    assert "Mobila team för sköra äldre | 12 | 16" in table_rows_read


def test_a_page_too_busy_to_search_is_read_as_lines(tmp_path: Path) -> None:
    """A grid of 34 × 34 cells drawn side by side (2,380 segments, more than
    MAX_SEGMENTS) would be a table; it is not searched, so its text stays lines."""
    path = tmp_path / "raster.pdf"
    drawing = canvas.Canvas(str(path), pagesize=A4)
    drawing.setFont("Helvetica", 11)
    drawing.drawString(72, 780, "Regionen redovisar ett rutnät i bilaga 3.")
    drawing.setFont("Helvetica", 6)
    drawing.drawString(62, 652, "x1")  # in the top left cell
    left, top, width, height, count = 60, 664, 14, 16, 34
    for row in range(count + 1):
        for column in range(count):
            y, x = top - row * height, left + column * width  # the top and bottom sides
            drawing.line(x, y, x + width, y)
            x = left + row * width  # the cells' left and right sides
            drawing.line(x, top - column * height, x, top - (column + 1) * height)
    drawing.save()
    result = read_pdf(path)
    assert [block.text for block in result.blocks] == [
        "Regionen redovisar ett rutnät i bilaga 3.",
        "x1",
    ]
    assert not any(block.kind is BlockKind.TABLE_ROW for block in result.blocks)


def pdfplumber_grouping(found: list[tuple]) -> list[list[tuple]]:
    """pdfplumber's own way of grouping cells into tables (cells_to_tables), as the
    reference for the faster one."""

    def corners(cell):
        x0, top, x1, bottom = cell
        return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))

    remaining, current, seen, grouped = list(found), [], set(), []
    while remaining:
        before = len(current)
        for cell in list(remaining):
            if not current or any(corner in seen for corner in corners(cell)):
                seen.update(corners(cell))
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            grouped.append(current)
            current, seen = [], set()
    if current:
        grouped.append(current)
    grouped.sort(key=lambda table: min((cell[1], cell[0]) for cell in table))
    return [sorted(table) for table in grouped if len(table) > 1]


def test_cells_are_grouped_into_tables_as_pdfplumber_groups_them() -> None:
    import random

    rng = random.Random(2022)
    for _ in range(200):
        found = set()
        for _ in range(rng.randint(1, 40)):
            x, y = rng.randint(0, 8) * 10, rng.randint(0, 8) * 10
            found.add((x, y, x + 10 * rng.randint(1, 2), y + 10 * rng.randint(1, 2)))
        cells_found = sorted(found)
        rng.shuffle(cells_found)
        ours = [sorted(table) for table in tables(cells_found)]
        assert ours == pdfplumber_grouping(cells_found)


def test_a_page_with_too_many_crossings_is_read_as_lines(tmp_path: Path) -> None:
    path = tmp_path / "rutnat.pdf"
    drawing = canvas.Canvas(str(path), pagesize=A4)
    drawing.setFont("Helvetica", 11)
    drawing.drawString(72, 780, "Bilaga 4 visar ett tätt rutnät.")
    for number in range(120):  # 120 × 120 lines: 14,400 crossings
        drawing.line(72, 100 + 5 * number, 672, 100 + 5 * number)
        drawing.line(72 + 5 * number, 100, 72 + 5 * number, 700)
    drawing.save()
    result = read_pdf(path)
    assert [block.text for block in result.blocks] == ["Bilaga 4 visar ett tätt rutnät."]


def test_crossings_beyond_the_limit_are_not_searched() -> None:
    def lines(count: int) -> list[Edge]:
        span = 5.0 * count
        return [Edge(True, 0, 5.0 * n, span, 5.0 * n) for n in range(count)] + [
            Edge(False, 5.0 * n, 0, 5.0 * n, span) for n in range(count)
        ]

    assert len(intersections(merge_edges(lines(30)))) == 900
    assert intersections(merge_edges(lines(120))) == {}  # 14,400 > MAX_CROSSINGS


def test_a_failure_in_the_table_search_leaves_the_page_as_lines(
    tmp_path: Path, monkeypatch
) -> None:
    import nvreport.ingest.readers.pdf as pdf_reader

    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    story = [
        Paragraph("Tabellen nedan redovisar utfallet.", BODY),
        Table([["Insats", "Utfall"], ["Hälsosamtal", "120"]], style=style),
    ]
    path = build_pdf(tmp_path / "tabell.pdf", story, header="")

    def broken(*args):
        raise ValueError("oväntat fel")

    monkeypatch.setattr(pdf_reader, "cells", broken)
    texts = [block.text for block in read_pdf(path).blocks]
    assert texts[0] == "Tabellen nedan redovisar utfallet."
    assert any("Hälsosamtal" in text for text in texts)  # the cells' text is kept
