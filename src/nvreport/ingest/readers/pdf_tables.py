"""Ruled tables from their ruling lines: the lattice method, on pdfium's geometry.

What pdfplumber's ``find_tables()`` does with its default settings (both strategies
"lines"), in plain functions over the ruling segments and character boxes pdfium
has already given: snap nearly collinear edges together and join their pieces,
find where horizontal and vertical edges cross, make the smallest cells those
crossings close, group cells that share a corner into tables (a table has at least
two cells), and read each row's cells left to right. A character belongs to the
cell its middle lies in.

pdfplumber parses the whole page again with pdfminer to do this: a quarter of a
second for each page with a table, which made a report full of tables read 20
times slower than ``pdftotext``. Here a table page costs about a millisecond.

Coordinates are in points from the top-left corner of the page.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import NamedTuple

#: Edges this close (points) are snapped onto one line (pdfplumber's ``snap_tolerance``).
SNAP = 3.0
#: Pieces of one line with gaps up to this are joined (``join_tolerance``).
JOIN = 3.0
#: Shorter edges are dropped after joining (``edge_min_length``).
MIN_EDGE = 3.0
#: How far an edge may fall short of another and still cross it (``intersection_tolerance``).
CROSS = 3.0
#: A page with more ruling segments, or more crossings, than this is not searched
#: for tables (a hatched drawing, a grid of a thousand lines): finding cells takes
#: time that grows faster than the crossings. A large real table has a thousand.
MAX_SEGMENTS = 2000
MAX_CROSSINGS = 10_000

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
Point = tuple[float, float]  # x, top


@dataclass(frozen=True)
class Edge:
    """A horizontal edge (at ``top`` from ``x0`` to ``x1``) or a vertical one (at
    ``x0`` from ``top`` to ``bottom``)."""

    horizontal: bool
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def position(self) -> float:
        return self.top if self.horizontal else self.x0

    @property
    def start(self) -> float:
        return self.x0 if self.horizontal else self.top

    @property
    def end(self) -> float:
        return self.x1 if self.horizontal else self.bottom

    def moved_to(self, position: float) -> Edge:
        if self.horizontal:
            return Edge(True, self.x0, position, self.x1, position)
        return Edge(False, position, self.top, position, self.bottom)

    def extended_to(self, end: float) -> Edge:
        if self.horizontal:
            return Edge(True, self.x0, self.top, end, self.bottom)
        return Edge(False, self.x0, self.top, self.x1, end)


class Char(NamedTuple):
    """A printed character of the page (no spaces or line breaks): its index in the
    page's text, the middle of its box, and the box's left and right edges."""

    index: int
    text: str
    x: float
    y: float
    left: float
    right: float
    line_end: bool = False  # a hyphen that ends a line: the line breaks after it


#: Letters closer than this (points), on one line, belong to one word, whatever
#: stands between them in pdfium's text (it sometimes breaks a line between every
#: letter of a line that a browser printed glyph by glyph).
TOUCHING = 1.0


def _clusters(values: list[float], tolerance: float) -> list[list[int]]:
    """Indices of ``values`` in clusters of values each within ``tolerance`` of the
    previous one, in ascending order."""
    order = sorted(range(len(values)), key=lambda number: values[number])
    clusters: list[list[int]] = []
    last = None
    for number in order:
        if last is None or values[number] > last + tolerance:
            clusters.append([])
        clusters[-1].append(number)
        last = values[number]
    return clusters


def _snapped(edges: list[Edge]) -> list[Edge]:
    """Edges of one orientation, each moved to the mean position of its cluster."""
    snapped: list[Edge] = []
    for cluster in _clusters([edge.position for edge in edges], SNAP):
        mean = sum(edges[number].position for number in cluster) / len(cluster)
        snapped.extend(edges[number].moved_to(mean) for number in cluster)
    return snapped


def _joined(edges: Iterable[Edge]) -> list[Edge]:
    """Edges on one line, overlapping or nearly touching pieces joined."""
    joined: list[Edge] = []
    for edge in sorted(edges, key=lambda edge: edge.start):
        if joined and edge.start <= joined[-1].end + JOIN:
            if edge.end > joined[-1].end:
                joined[-1] = joined[-1].extended_to(edge.end)
        else:
            joined.append(edge)
    return joined


def merge_edges(edges: Iterable[Edge]) -> list[Edge]:
    """Snap, join and filter edges as pdfplumber's table finder does."""
    edges = [edge for edge in edges if edge.end - edge.start >= 1]
    horizontal = _snapped([edge for edge in edges if edge.horizontal])
    vertical = _snapped([edge for edge in edges if not edge.horizontal])
    merged: list[Edge] = []
    for orientation in (vertical, horizontal):
        ordered = sorted(orientation, key=lambda edge: edge.position)
        for _, line in groupby(ordered, key=lambda edge: edge.position):
            merged.extend(_joined(line))
    return [edge for edge in merged if edge.end - edge.start >= MIN_EDGE]


def intersections(edges: Sequence[Edge]) -> dict[Point, tuple[set[int], set[int]]]:
    """Where vertical and horizontal edges cross: each point with the (numbers of
    the) vertical and horizontal edges through it; none at all when there are more
    than :data:`MAX_CROSSINGS` (see there)."""
    vertical = sorted(
        (number for number, edge in enumerate(edges) if not edge.horizontal),
        key=lambda number: (edges[number].x0, edges[number].top),
    )
    horizontal = sorted(
        (number for number, edge in enumerate(edges) if edge.horizontal),
        key=lambda number: (edges[number].top, edges[number].x0),
    )
    found: dict[Point, tuple[set[int], set[int]]] = {}
    for v in vertical:
        up = edges[v]
        for h in horizontal:
            across = edges[h]
            if (
                up.top <= across.top + CROSS
                and up.bottom >= across.top - CROSS
                and across.x0 - CROSS <= up.x0 <= across.x1 + CROSS
            ):
                point = (up.x0, across.top)
                verticals, horizontals = found.setdefault(point, (set(), set()))
                verticals.add(v)
                horizontals.add(h)
        if len(found) > MAX_CROSSINGS:
            return {}
    return found


def cells(crossings: dict[Point, tuple[set[int], set[int]]]) -> list[Box]:
    """The smallest cell at each crossing: to the nearest crossing below and to the
    right that edges connect, with the fourth corner connected too."""

    def connects(a: Point, b: Point) -> bool:
        if a[0] == b[0] and crossings[a][0] & crossings[b][0]:
            return True
        return a[1] == b[1] and bool(crossings[a][1] & crossings[b][1])

    points = sorted(crossings)
    below: dict[float, list[Point]] = {}
    right: dict[float, list[Point]] = {}
    for point in points:  # sorted by x, then top
        below.setdefault(point[0], []).append(point)
    for point in sorted(points, key=lambda point: (point[1], point[0])):
        right.setdefault(point[1], []).append(point)
    found: list[Box] = []
    for point in points:
        lower = [p for p in below[point[0]] if p[1] > point[1]]
        further = [p for p in right[point[1]] if p[0] > point[0]]
        cell = _smallest_cell(point, lower, further, crossings, connects)
        if cell is not None:
            found.append(cell)
    return found


def _smallest_cell(point, lower, further, crossings, connects) -> Box | None:
    for below_point in lower:
        if not connects(point, below_point):
            continue
        for right_point in further:
            if not connects(point, right_point):
                continue
            corner = (right_point[0], below_point[1])
            if (
                corner in crossings
                and connects(corner, right_point)
                and connects(corner, below_point)
            ):
                return (point[0], point[1], corner[0], corner[1])
    return None


def tables(found: list[Box]) -> list[list[Box]]:
    """Cells that share corners, table by table, top to bottom; a lone cell is no
    table. (pdfplumber grows a table from the first cell left by sweeping the rest
    until nothing joins: the same groups, in time that grows with the square of the
    cells; here each cell's neighbours are looked up by corner.)"""

    def corners(cell: Box) -> tuple[Point, ...]:
        x0, top, x1, bottom = cell
        return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))

    at_corner: dict[Point, list[int]] = {}
    for number, cell in enumerate(found):
        for corner in corners(cell):
            at_corner.setdefault(corner, []).append(number)
    grouped: list[list[Box]] = []
    placed = [False] * len(found)
    for first in range(len(found)):
        if placed[first]:
            continue
        placed[first] = True
        members, waiting = [first], [first]
        while waiting:
            for corner in corners(found[waiting.pop()]):
                for other in at_corner[corner]:
                    if not placed[other]:
                        placed[other] = True
                        members.append(other)
                        waiting.append(other)
        grouped.append([found[number] for number in sorted(members)])
    grouped.sort(key=lambda table: min((cell[1], cell[0]) for cell in table))
    return [table for table in grouped if len(table) > 1]


def table_rows(table: list[Box]) -> list[list[Box | None]]:
    """The table's rows, top to bottom, each with a place per column (None where a
    cell spans from another column)."""
    columns = sorted({cell[0] for cell in table})
    rows: list[list[Box | None]] = []
    ordered = sorted(table, key=lambda cell: (cell[1], cell[0]))
    for _, row in groupby(ordered, key=lambda cell: cell[1]):
        by_column = {cell[0]: cell for cell in row}
        rows.append([by_column.get(x) for x in columns])
    return rows


def _grid(
    table: list[Box],
) -> tuple[list[float], list[float], dict[tuple[int, int], list[Box]]]:
    """The table's column and row edges, and the cells covering each slot of the
    grid they make: a character is placed by bisection, not tried on every cell."""
    xs = sorted({cell[0] for cell in table} | {cell[2] for cell in table})
    ys = sorted({cell[1] for cell in table} | {cell[3] for cell in table})
    slots: dict[tuple[int, int], list[Box]] = {}
    for cell in table:
        for column in range(bisect_left(xs, cell[0]), bisect_left(xs, cell[2])):
            for row in range(bisect_left(ys, cell[1]), bisect_left(ys, cell[3])):
                slots.setdefault((column, row), []).append(cell)
    return xs, ys, slots


def cell_texts(table: list[Box], chars: Iterable[Char]) -> dict[Box, str]:
    """The text of each of the table's cells: the characters whose middle lies in
    it, in the page's order, with a space wherever something else stood between two
    of them (a space, a line break, another cell's text) unless they touch on one
    line, and after a hyphen that ends a line. Each character is placed by
    bisection on the table's grid, not tried against every cell."""
    xs, ys, slots = _grid(table)
    parts: dict[Box, list[str]] = {cell: [] for cell in table}
    previous: dict[Box, Char] = {}
    for char in chars:
        column, row = bisect_right(xs, char.x) - 1, bisect_right(ys, char.y) - 1
        for cell in slots.get((column, row), ()):
            before = previous.get(cell)
            if before is not None and (
                before.line_end or (char.index != before.index + 1 and not _touch(before, char))
            ):
                parts[cell].append(" ")
            parts[cell].append(char.text)
            previous[cell] = char
    return {cell: "".join(found) for cell, found in parts.items()}


#: Characters of one cell whose middles are this close (points) in height stand on
#: one printed line.
SAME_LINE = 3.0


def cell_lines(table: list[Box], chars: Iterable[Char]) -> dict[Box, list[tuple[float, str]]]:
    """The printed lines of each of the table's cells, top to bottom, as (height of
    the line's middle, its text), the text put together as :func:`cell_texts` does."""
    xs, ys, slots = _grid(table)
    grouped: dict[Box, list[list[Char]]] = {cell: [] for cell in table}
    for char in chars:
        column, row = bisect_right(xs, char.x) - 1, bisect_right(ys, char.y) - 1
        for cell in slots.get((column, row), ()):
            lines = grouped[cell]
            line = next((line for line in lines if abs(line[0].y - char.y) < SAME_LINE), None)
            if line is None:
                lines.append([char])
            else:
                line.append(char)
    result: dict[Box, list[tuple[float, str]]] = {}
    for cell, lines in grouped.items():
        found = []
        for line in sorted(lines, key=lambda line: line[0].y):
            parts: list[str] = []
            before: Char | None = None
            for char in line:
                if before is not None and (
                    before.line_end or (char.index != before.index + 1 and not _touch(before, char))
                ):
                    parts.append(" ")
                parts.append(char.text)
                before = char
            found.append((line[0].y, "".join(parts)))
        result[cell] = found
    return result


def _touch(before: Char, after: Char) -> bool:
    return abs(after.y - before.y) < TOUCHING and abs(after.left - before.right) < TOUCHING


def bounding_box(table: list[Box]) -> Box:
    return (
        min(cell[0] for cell in table),
        min(cell[1] for cell in table),
        max(cell[2] for cell in table),
        max(cell[3] for cell in table),
    )
