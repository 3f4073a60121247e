"""``explorer.html``: one self-contained page to explore a run in a browser.

The page shows the actor × theme matrix with status colours; choosing a cell lists
that actor's passages for the theme, each with its status, the evidence sentence
highlighted (the matched words in bold), its section and a link that opens the
report at its page (``../reports/file.pdf#page=4``, relative to the output folder).
Filters by year, theme, status, actor type and län, and a search over the passages.
It needs no server and loads nothing: the style sheet and the script are inlined
from ``templates/`` (``explorer.html.j2``, ``explorer.css``, ``explorer.js``), and a
Content-Security-Policy allows only them.

The data travel as JSON in ``<script type="application/json">`` elements, with every
``<`` written as ``\\u003c`` so that no report text can end the element; the script
shows report text through ``textContent`` only, never as markup. The passages (only
those that carry a theme) are written as the documents come, to a temporary file,
so memory does not grow with the corpus; the matrix is written when the run is done.

The statuses in the matrix are an actor's statuses as ``coverage.csv`` counts them
(``analyse``: its reports' passages combined, active over planned over negated) or as
``transitions.csv`` gives them (``compare``), with an actor read only in part shown as
such where its readable part does not name the theme, and an unreadable report as
unreadable, never as "not mentioned".
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from nvreport import __version__
from nvreport.analysis.tables import Analysis, DocumentPart
from nvreport.bundled import bundled_folder
from nvreport.models import DocumentRecord
from nvreport.tagging.status import ACTIVE, NEGATED, NONE, PLANNED, STATUS_RANK
from nvreport.tagging.taxonomy import Taxonomy

EXPLORER_NAME = "explorer.html"
TEMPLATE = "explorer.html.j2"

# An actor's readings and states, as nvreport.analysis.figures names them (not
# imported from there: it loads pandas, which a run reused from the cache never needs).
READ, PARTLY_READ, UNREADABLE, NO_REPORT = "read", "partly_read", "unreadable", "no_report"
#: Actor types in the order the matrix lists them (figures.ACTOR_TYPE_ORDER).
ACTOR_TYPE_ORDER = ("region", "rss", "kommun", "")

#: A cell's state as the page codes it: a status, or why there is none.
STATES = (NONE, NEGATED, PLANNED, ACTIVE, PARTLY_READ, UNREADABLE, NO_REPORT)
_STATE_CODE = {state: code for code, state in enumerate(STATES)}
assert all(_STATE_CODE[status] == rank for status, rank in STATUS_RANK.items())
#: An actor's reading as the page codes it.
READINGS = (READ, PARTLY_READ, UNREADABLE)
#: A change between two years as the page codes it (0: none shown).
CHANGE_CODES = (
    "",
    "new",
    "planned_to_active",
    "still_planned",
    "newly_planned",
    "active_to_planned",
    "dropped",
    "unchanged",
    "new_actor",
    "missing_actor",
    UNREADABLE,
    PARTLY_READ,
)
#: A passage's text against the actor's report the year before (0: not compared).
NOVELTY_CODES = ("", "new", "revised", "repeated")

#: Stands for the passages while the page is rendered (no rendered text holds a NUL:
#: JSON escapes it, and names lose control characters).
_PASSAGES_SLOT = "\x00passages\x00"
_BASES_OPEN = '<script type="application/json" id="nv-bases">'


def _templates_dir() -> Path:
    """The templates shipped with nvreport."""
    return bundled_folder("templates", TEMPLATE)


def script_json(data: Any) -> str:
    """``data`` as compact JSON that can stand inside a ``<script>`` element: no
    ``<`` (so no ``</script>`` nor ``<!--``) and no line or paragraph separator."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def plain(text: str | None) -> str:
    """A name as one line of text without control or format characters."""
    if not text:
        return ""
    return "".join(
        " " if char in "\t\n\r" else char
        for char in text
        if char in "\t\n\r" or unicodedata.category(char) not in ("Cc", "Cf", "Cs")
    ).strip()


_SWEDISH = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})


def swedish_key(text: str) -> str:
    """Sorts names as a Swedish reader expects: å, ä and ö after z, accents folded."""
    folded = text.casefold().translate(_SWEDISH)
    return "".join(
        char for char in unicodedata.normalize("NFD", folded) if not unicodedata.combining(char)
    )


# --- links to the reports --------------------------------------------------------------


@dataclass(frozen=True)
class LinkBase:
    """Where the reports of a year are, seen from the output folder: ``href`` for a
    link (percent-encoded, ending in ``/``), ``text`` to show. None: unknown."""

    href: str
    text: str

    def data(self) -> dict[str, str]:
        return {"href": self.href, "text": self.text}


def link_base(reports: Path | None, output: Path) -> LinkBase | None:
    """The link from ``output`` to the folder ``reports`` (relative when it can be)."""
    if reports is None:
        return None
    target = os.path.abspath(reports)
    try:
        relative = os.path.relpath(target, os.path.abspath(output))
    except ValueError:  # another drive
        relative = None
    if relative is None:
        path = Path(target)
        href = path.as_uri().rstrip("/") + "/"
        return LinkBase(href, str(path).rstrip(os.sep) + os.sep)
    posix = relative.replace(os.sep, "/")
    posix = "." if posix in ("", ".") else posix
    href = quote(os.fsencode(posix)) + "/"
    if not href.startswith(("./", "../")):
        href = "./" + href
    return LinkBase(href, _readable(posix) + "/")


def _readable(name: str) -> str:
    from nvreport.store.files import readable_name

    return readable_name(name)


def _file_href(relpath: str) -> str:
    """A file's path below its reports folder as part of a link (``:`` and ``#``
    encoded, so no part of a name becomes a scheme or a fragment)."""
    return quote(os.fsencode(relpath))


# --- building the page -------------------------------------------------------------------


@dataclass
class ActorRow:
    """One actor in one year: a row of the matrix. ``states``: per theme, a status or
    why there is none (:data:`STATES`); ``changes``: per theme, the change since the
    year before (:data:`CHANGE_CODES`), or None in a single year."""

    year: int | None
    name: str
    actor_type: str
    lan: str
    reading: str
    reason: str
    states: list[str]
    changes: list[str] | None = None
    compared_text: bool = False  # its passages are marked new/revised/repeated


class Explorer:
    """Builds ``explorer.html``: files and passages are added as they come (the
    passages go to a temporary file), the actors' rows at the end (:meth:`write`)."""

    def __init__(self, taxonomy: Taxonomy | None, bases: Sequence[LinkBase | None]) -> None:
        self.taxonomy = taxonomy
        self.theme_ids = taxonomy.theme_ids if taxonomy is not None else []
        self._theme_index = {theme: number for number, theme in enumerate(self.theme_ids)}
        self.bases = list(bases)
        self.files: list[list[Any]] = []  # [path, href, format, row key, base]
        self._sections: dict[str, int] = {}
        self.passages = 0
        # (a lone surrogate from a damaged text layer is written as "?": one unit as well)
        self._store: IO[str] | None = tempfile.TemporaryFile(  # noqa: SIM115
            "w+", encoding="utf-8", errors="replace"
        )
        self._store.write("[")
        #: (row key, theme) -> the highest status of the row's passages
        self.statuses: dict[tuple[Any, str], str] = {}

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Explorer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def add_file(self, path: str, relpath: str, suffix: str, row: Any, base: int = 0) -> int:
        """A report of the row ``row`` (any key, resolved in :meth:`write`): ``path``
        to show, ``relpath`` below its reports folder; return its number."""
        href = _file_href(relpath) if self.bases[base] is not None else ""
        self.files.append([_readable(path), href, suffix.lstrip(".").lower(), row, base])
        return len(self.files) - 1

    def add_passage(
        self,
        file: int,
        page: int | None,
        section: str,
        text: str,
        tags: Iterable[tuple[str, str, Sequence[tuple[int, int, str]]]],
        novelty: str = "",
    ) -> None:
        """A passage of report ``file`` with its themes: (theme, status, evidence as
        (start, end, sentence)) each. A passage without a theme is left out."""
        row = self.files[file][3]
        encoded = []
        wide: bool | None = None  # asked once, of the first theme shown
        for theme, status, evidence in tags:
            number = self._theme_index.get(theme)
            if number is None:
                continue
            if wide is None:
                wide = _wide(text)
            sentences, words = evidence_ranges(text, evidence, wide)
            encoded.append([number, STATUS_RANK[status], sentences, words])
            key = (row, theme)
            if STATUS_RANK[status] > STATUS_RANK[self.statuses.get(key, NONE)]:
                self.statuses[key] = status
        if not encoded:
            return
        section_number = self._sections.setdefault(section or "", len(self._sections))
        item = [file, page or 0, section_number, text, NOVELTY_CODES.index(novelty), encoded]
        assert self._store is not None
        if self.passages:
            self._store.write(",")
        self._store.write(script_json(item))
        self.passages += 1

    def write(
        self,
        target: Path,
        rows: dict[Any, ActorRow],
        years: Sequence[int],
        title: str,
        new_only: bool = False,
    ) -> None:
        """Write the page to ``target``: ``rows`` by the keys the files were added with
        (a file whose key has no row is left out, with its passages). ``new_only``:
        the statuses count new and revised text only (``compare --new-only``), and
        so do the cells' numbers of passages."""
        import jinja2
        from markupsafe import Markup

        order = sorted(
            rows,
            key=lambda key: (
                rows[key].year is None,
                rows[key].year or 0,
                _type_rank(rows[key].actor_type),
                swedish_key(rows[key].name),
                rows[key].name,
                str(key),
            ),
        )
        row_number = {key: number for number, key in enumerate(order)}
        types = sorted(
            {rows[key].actor_type for key in order}, key=lambda kind: (_type_rank(kind), kind)
        )
        lans = sorted({rows[key].lan for key in order if rows[key].lan}, key=swedish_key)
        year_list = list(years)
        taxonomy = self.taxonomy
        data = {
            "title": title,
            "generator": f"nvreport {__version__}",
            "taxonomy": {
                "name": taxonomy.name if taxonomy else "",
                "version": taxonomy.version if taxonomy else "",
            },
            "areas": [[area.id, area.label] for area in taxonomy.areas] if taxonomy else [],
            "themes": [
                [theme.id, theme.label, _area_number(taxonomy, theme.group)]
                for theme in (taxonomy.themes if taxonomy else [])
            ],
            "years": year_list,
            "types": types,
            "lans": lans,
            "rows": [
                [
                    rows[key].name,
                    types.index(rows[key].actor_type),
                    lans.index(rows[key].lan) + 1 if rows[key].lan else 0,
                    year_list.index(rows[key].year) if rows[key].year in year_list else -1,
                    READINGS.index(rows[key].reading),
                    rows[key].reason,
                    [_STATE_CODE[state] for state in rows[key].states],
                    (
                        [CHANGE_CODES.index(change or "") for change in rows[key].changes]
                        if rows[key].changes is not None
                        else None
                    ),
                    int(rows[key].compared_text),
                ]
                for key in order
            ],
            "files": [
                [path, href, suffix, row_number.get(row, -1), base]
                for path, href, suffix, row, base in self.files
            ],
            "sections": list(self._sections),
            "passages": self.passages,
            "new_only": new_only,
        }
        folder = _templates_dir()
        css = (folder / "explorer.css").read_text(encoding="utf-8")
        script = (folder / "explorer.js").read_text(encoding="utf-8")
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder),
            autoescape=True,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        page = environment.get_template(TEMPLATE).render(
            title=plain(title),
            css=Markup(css),
            script=Markup(script),
            csp=Markup(
                f"default-src 'none'; script-src '{_digest(script)}'; "
                f"style-src '{_digest(css)}'; img-src data:"
            ),
            generator=f"nvreport {__version__}",
            bases=Markup(bases_json(self.bases)),
            data=Markup(script_json(data)),
            passages=_PASSAGES_SLOT,
        )
        if page.count(_PASSAGES_SLOT) != 1:
            raise ValueError(f"{TEMPLATE} must hold the passages exactly once")
        head, tail = page.split(_PASSAGES_SLOT)
        assert self._store is not None
        self._store.write("]")
        self._store.flush()
        self._store.seek(0)
        with target.open("w", encoding="utf-8", errors="replace", newline="\n") as handle:
            handle.write(head)
            shutil.copyfileobj(self._store, handle, 1 << 20)
            handle.write(tail)


def bases_json(bases: Sequence[LinkBase | None]) -> str:
    return script_json([base.data() if base is not None else None for base in bases])


def _digest(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _type_rank(actor_type: str) -> int:
    return ACTOR_TYPE_ORDER.index(actor_type) if actor_type in ACTOR_TYPE_ORDER else 9


def _area_number(taxonomy: Taxonomy, group: str) -> int:
    for number, area in enumerate(taxonomy.areas):
        if area.id == group:
            return number
    return -1


def evidence_ranges(
    text: str, evidence: Sequence[tuple[int, int, str]], wide: bool | None = None
) -> tuple[list[int], list[int]]:
    """The sentences and the matched words of ``evidence`` in ``text``, as flat lists
    of start and end offsets (in UTF-16 code units, as the browser counts), in
    order, without repeats. ``wide``: whether ``text`` has characters outside the
    BMP (:func:`_wide`), when the caller knows."""
    if wide is None:
        wide = _wide(text)
    sentences: set[tuple[int, int]] = set()
    words: set[tuple[int, int]] = set()
    for start, end, sentence in evidence:
        if not 0 <= start <= end <= len(text):
            continue
        words.add((start, end))
        found = _sentence_at(text, sentence, start, end)
        if found is not None:
            sentences.add(found)
    return _flat(text, sentences, wide), _flat(text, words, wide)


def _sentence_at(text: str, sentence: str, start: int, end: int) -> tuple[int, int] | None:
    if not sentence:
        return None
    at = text.find(sentence)
    while at != -1:
        if at <= start and end <= at + len(sentence):
            return at, at + len(sentence)
        at = text.find(sentence, at + 1)
    return None


def _wide(text: str) -> bool:
    """Has ``text`` characters outside the BMP (which count twice in JavaScript)?"""
    return not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def _flat(text: str, ranges: set[tuple[int, int]], wide: bool) -> list[int]:
    if not ranges:
        return []
    flat: list[int] = []
    for start, end in sorted(ranges):
        if wide:
            start, end = _utf16(text, start), _utf16(text, end)
        flat.extend((start, end))
    return flat


def _utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le", "surrogatepass")) // 2


def relocate(page: Path, bases: Sequence[LinkBase | None]) -> None:
    """Point the links of an ``explorer.html`` written elsewhere (a run reused from the
    cache) at ``bases``: the element that holds them stands in the page's head,
    before any text from a report."""
    content = page.read_text(encoding="utf-8")
    start = content.find(_BASES_OPEN)
    if start == -1:
        raise ValueError(f"{page}: no links to relocate")
    start += len(_BASES_OPEN)
    end = content.index("</script>", start)
    page.write_text(content[:start] + bases_json(bases) + content[end:], encoding="utf-8")


# --- analyse -------------------------------------------------------------------------------


class ExplorerWriter:
    """The explorer of an ``analyse`` run: :meth:`add` takes each document's part as
    it comes (as :class:`~nvreport.outputs.tables.PassageWriter` does), :meth:`write`
    writes the page once the run is done."""

    def __init__(self, taxonomy: Taxonomy | None, reports: Path, output: Path) -> None:
        self.explorer = Explorer(taxonomy, [link_base(reports, output)])

    def __enter__(self) -> ExplorerWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self.explorer.close()

    def after(
        self, first: Callable[[DocumentRecord, DocumentPart], None]
    ) -> Callable[[DocumentRecord, DocumentPart], None]:
        """An ``on_part`` that calls ``first`` (another writer's), then :meth:`add`."""

        def both(record: DocumentRecord, part: DocumentPart) -> None:
            first(record, part)
            self.add(record, part)

        return both

    def add(self, record: DocumentRecord, part: DocumentPart) -> None:
        """One document's passages, with their tags worked out."""
        if part.tags is None or part.matches is None:
            return
        row = (record.meta.year, _actor_key(record))
        file = self.explorer.add_file(
            record.source.relpath, record.source.relpath, record.source.suffix, row
        )
        columns, flat = part.columns, part.tags.theme_tags
        tag, found = 0, 0
        for number, count in enumerate(flat.counts):
            if not count:
                continue
            tags = []
            for entry in range(tag, tag + count):
                size = flat.evidence_counts[entry]
                evidence = [
                    (flat.starts[at], flat.ends[at], flat.sentences[at])
                    for at in range(found, found + size)
                ]
                tags.append((flat.ids[entry], flat.statuses[entry], evidence))
                found += size
            tag += count
            self.explorer.add_passage(
                file, columns.pages[number], columns.sections[number], columns.texts[number], tags
            )

    def write(self, analysis: Analysis, target: Path) -> None:
        """Write the page to ``target``, once every document was added."""
        rows = analyse_rows(analysis, self.explorer.statuses, self.explorer.theme_ids)
        years = sorted({row.year for row in rows.values() if row.year is not None})
        shown = ", ".join(str(year) for year in years)
        title = "Utforskaren" + (f" {shown}" if shown else "")
        self.explorer.write(target, rows, years, title)


def analyse_rows(
    analysis: Analysis, statuses: dict[tuple[Any, str], str], theme_ids: Sequence[str]
) -> dict[Any, ActorRow]:
    """The matrix rows of an ``analyse`` run: one per year and actor (its reports
    combined, as ``coverage.csv`` counts them), with its reading."""
    from nvreport.analysis.figures import actor_readings

    frame = analysis.documents_frame()
    if frame.empty:
        return {}
    frame["actor_key"] = [_actor_key(record) for record in analysis.documents]
    years = [record.meta.year for record in analysis.documents]  # None: unknown
    rows: dict[Any, ActorRow] = {}
    for year in [*sorted({value for value in years if value is not None}), None]:
        documents = frame[[value == year for value in years]]
        if documents.empty or not (documents["status"] != "ignored").any():
            continue
        for reading in actor_readings(documents, year or 0).itertuples(index=False):
            key = (year, reading.actor_key)
            states = [
                cell_state(reading.reading, statuses.get((key, theme), NONE)) for theme in theme_ids
            ]
            unnamed = reading.actor_key.split("\0", 1)[1].removeprefix("file:")
            rows[key] = ActorRow(
                year=year,
                name=plain(reading.actor) or plain(unnamed),
                actor_type=plain(reading.actor_type),
                lan=plain(reading.lan),
                reading=reading.reading,
                reason=reading.reason,
                states=states,
            )
    return rows


def _actor_key(record: DocumentRecord) -> str:
    """An actor as ``coverage.csv`` counts it: by its type and its name (Region
    Gotland is a region and a municipality), or its file when it has no name."""
    from nvreport.analysis.aggregate import actor_identity

    return f"{record.meta.actor_type}\0{actor_identity(record)}"


def cell_state(reading: str, status: str) -> str:
    if reading == UNREADABLE:
        return UNREADABLE
    if reading == PARTLY_READ and status == NONE:
        return PARTLY_READ
    return status
