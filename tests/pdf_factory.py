"""Small PDFs from several producers, and the comparison of read text with a reference.

One module holds both, so that the differential tests (``tests/test_pdf_differential.py``)
and the development-set benchmark (``benchmarks/pdf_dev.py``) judge reading by the same
rules: the benchmark puts this folder on ``sys.path`` and imports the comparison from
here. Nothing in ``src/`` imports it.

Comparison (:func:`words`, :func:`reference_pages`, :func:`body_words`,
:func:`page_recall`, :func:`pair_agreement`): the words of a text are its
whitespace-separated tokens after NFKC, joining of line-end hyphens ("ab-\\ncd" ->
"abcd", but "hälso-\\noch" stays two words), casefolding and stripping punctuation and
symbols from both ends. A page's *body* words leave out running headers and footers,
lone page numbers and contents pages, which the reader is meant to leave out too.

Producers, each function writing one PDF of one case and returning its path:

* hand-written bytes (:class:`RawPdf`): exact control of operators, boxes and fonts
  (standard Type 1 Helvetica with WinAnsiEncoding, so å ä ö work);
* reportlab: a canvas (``setFont``, and a text object under a scaled transform) and a
  Platypus document (numbered headings, a contents page with dot leaders);
* Chromium's print to PDF (Skia), from HTML; needs ``chromium``;
* pdfium (pypdfium2): text objects of size 1 placed by a matrix;
* LibreOffice, from a DOCX made with python-docx; needs ``soffice``.

Every generator is deterministic: the same text at the same places on every run
(reportlab in invariant mode, pdfium's creation date fixed; Chromium's own metadata
aside). All Swedish text here was written for these tests.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

# --------------------------------------------------------------------------------------
# Comparison with a reference extractor
# --------------------------------------------------------------------------------------

#: A line-end hyphen that is a real hyphen: "hälso- och sjukvård" keeps both words.
_KEEP_HYPHEN_BEFORE = ("och", "eller", "samt", "respektive", "resp", "and", "or", "und")
_LINE_END_HYPHEN = re.compile(r"(\w)[-\u00ad\u2010]\s*\n\s*(\w+)")
_DIGITS = re.compile(r"\d+")
#: Characters of scripts written without spaces: each is a word of its own.
_UNSPACED = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af])")
_PAGE_NUMBER = re.compile(
    r"^\W*(?:sida|page|seite|s\.|p\.)?\s*\d{1,4}(?:\s*(?:av|of|von|/)\s*\d{1,4})?\W*$",
    re.IGNORECASE,
)
_LEADER = re.compile(r"(?:\.\s?){4,}|…{2,}|_{4,}")
_ENDS_IN_NUMBER = re.compile(r"[\s.…·](\d{1,4})$")


def _split_connector(word: str) -> tuple[str, str] | None:
    """ "hälsooch" -> ("hälso", "och"): pdftotext joins "hälso-" at a line end with
    the "och" of the next line; the word may be two words of the reader's text."""
    for connector in ("och", "eller"):
        if word.endswith(connector) and len(word) > len(connector) + 2:
            return word[: -len(connector)], connector
    return None


def split_connectors(sequence: Iterable[str]) -> list[str]:
    """``sequence`` with pdftotext's "hälsooch" as "hälso", "och" (see
    :func:`_split_connector`)."""
    found: list[str] = []
    for word in sequence:
        found.extend(_split_connector(word) or (word,))
    return found


def _join_hyphen(match: re.Match) -> str:
    if match.group(2).casefold() in _KEEP_HYPHEN_BEFORE:
        return f"{match.group(1)}- {match.group(2)}"
    return match.group(1) + match.group(2)


def _strip_ends(token: str) -> str:
    start, end = 0, len(token)
    while start < end and unicodedata.category(token[start])[0] in "PSZC":
        start += 1
    while end > start and unicodedata.category(token[end - 1])[0] in "PSZC":
        end -= 1
    return token[start:end]


def words(text: str) -> list[str]:
    """The words of ``text`` as compared: NFKC, line-end hyphens joined, casefolded,
    punctuation and symbols stripped from both ends, empty tokens dropped; each
    Chinese, Japanese or Korean character a word of its own."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = _LINE_END_HYPHEN.sub(_join_hyphen, text)
    text = _UNSPACED.sub(r" \1 ", text)
    found = []
    for token in text.casefold().split():
        token = _strip_ends(token)
        if token:
            found.append(token)
    return found


def pairs(sequence: Sequence[str]) -> list[tuple[str, str]]:
    return list(pairwise(sequence))


def _fold(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


def _edge_lines(lines: list[str], count: int = 2) -> list[int]:
    """Indices of the first and last ``count`` non-empty lines."""
    filled = [number for number, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:count] + filled[-count:]))


def is_contents_page(lines: Iterable[str], page_count: int) -> bool:
    """Most lines with letters are contents entries (they end in a page number, or
    carry a dot leader whose number an extractor put on a line of its own), and the
    page numbers rise."""
    texts = [line.strip() for line in lines if re.search(r"[^\W\d_]", line)]
    numbers = []
    entries = 0
    for line in texts:
        match = _ENDS_IN_NUMBER.search(line[-12:].rstrip())
        if match and int(match.group(1)) <= max(page_count, 1) * 2 + 10:
            numbers.append(int(match.group(1)))
            entries += 1
        elif _LEADER.search(line):
            entries += 1
    if entries < 4 or entries < 0.5 * len(texts):
        return False
    rising = sum(later >= earlier for earlier, later in pairs(numbers))
    return len(numbers) < 2 or rising >= 0.8 * (len(numbers) - 1)


@dataclass
class ReferencePage:
    """One page of a reference extractor's text."""

    text: str
    #: the text without running headers/footers and lone page numbers ("" on a
    #: contents page)
    body: str
    contents: bool = False

    @property
    def words(self) -> list[str]:
        return words(self.text)

    @property
    def body_words(self) -> list[str]:
        return words(self.body)


def reference_pages(texts: Sequence[str]) -> list[ReferencePage]:
    """Split each page's reference text into everything and body.

    Running lines: the first/last two non-empty lines of a page whose digit-folded
    text is among the first/last two lines of at least half the pages (and of at least
    two). Lone page numbers: an edge line that is only a number ("Sida 3", "- 4 -",
    "5 av 12"). A contents page (:func:`is_contents_page`) has no body.
    """
    split = [text.split("\n") for text in texts]
    seen: Counter[str] = Counter()
    for lines in split:
        seen.update({_fold(lines[number]) for number in _edge_lines(lines)})
    least = max(2, (len(split) + 1) // 2)
    running = {folded for folded, count in seen.items() if count >= least and folded}
    pages = []
    for text, lines in zip(texts, split, strict=True):
        edges = set(_edge_lines(lines))
        kept = [
            line
            for number, line in enumerate(lines)
            if not (
                number in edges and (_fold(line) in running or _PAGE_NUMBER.match(line.strip()))
            )
        ]
        contents = is_contents_page(kept, len(split))
        pages.append(ReferencePage(text, "" if contents else "\n".join(kept), contents))
    return pages


def page_boxes(path: Path) -> list[tuple[float, float]]:
    """Width and height of each page's crop box as shown (turned pages swapped)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        sizes = []
        for number in range(len(document)):
            page = document[number]
            left, bottom, right, top = page.get_cropbox()
            width, height = abs(right - left), abs(top - bottom)
            if page.get_rotation() % 180:
                width, height = height, width
            sizes.append((width, height))
            page.close()
        return sizes
    finally:
        document.close()


def pdftotext_pages(path: Path, executable: str = "pdftotext") -> list[str]:
    """Poppler's plain text of each page, clipped to the page's crop box.

    ``pdftotext`` alone keeps text outside the page (below it, on the facing page
    of a spread, the rest of a content stream shared by several page windows), even
    with ``-cropbox``; its crop area (``-x -y -W -H``) from the crop box's size leaves
    that out. One run per stretch of pages of the same size, split at form feeds.
    """
    sizes = page_boxes(path)
    pages: list[str] = []
    first = 0
    while first < len(sizes):
        last = first
        while last + 1 < len(sizes) and sizes[last + 1] == sizes[first]:
            last += 1
        width, height = sizes[first]
        area = ["-x", "0", "-y", "0", "-W", str(int(width + 1)), "-H", str(int(height + 1))]
        span = ["-f", str(first + 1), "-l", str(last + 1)]
        done = subprocess.run(
            [executable, "-enc", "UTF-8", "-cropbox", *span, *area, str(path), "-"],
            capture_output=True,
            check=True,
            timeout=300,
        )
        texts = done.stdout.decode("utf-8", "replace").split("\f")
        pages.extend((texts + [""] * (last - first + 1))[: last - first + 1])
        first = last + 1
    return pages


def pdfminer_pages(path: Path, page_count: int) -> list[str]:
    """pdfminer.six's text of each page."""
    from pdfminer.high_level import extract_text

    return [extract_text(str(path), page_numbers=[number]) for number in range(page_count)]


@dataclass
class PageScore:
    """How the passages of one page compare with the reference page."""

    page: int  # 1-based
    body_words: int
    found: int
    excess: int
    pairs: int = 0
    pairs_found: int = 0
    contents: bool = False

    @property
    def recall(self) -> float:
        return self.found / self.body_words if self.body_words else 1.0

    @property
    def order(self) -> float:
        return self.pairs_found / self.pairs if self.pairs else 1.0


def passage_words_by_page(passages: Iterable, pages: int) -> list[Counter[str]]:
    """Counter of passage words per page (index 0 = page 1); passages without a
    page or beyond the last page are counted on the last page."""
    found: list[Counter[str]] = [Counter() for _ in range(max(pages, 1))]
    for passage in passages:
        page = passage.page if passage.page is not None else pages
        found[min(max(page, 1), len(found)) - 1].update(words(passage.text))
    return found


def page_recall(reference: Sequence[ReferencePage], passages: Iterable) -> list[PageScore]:
    """Per page: body words of the reference found among the words of the passages
    of that page (a multiset: each word counted at most as often as the passages have
    it), and passage words not in the page's reference text (excess).

    A paragraph that runs on to the next page is the passage of the page it starts
    on: words of a page that its own passages lack are also looked for among the
    previous page's passage words left over after that page.
    """
    by_page = passage_words_by_page(passages, len(reference))
    scores: list[PageScore] = []
    carried: Counter[str] = Counter()
    for number, (page, have) in enumerate(zip(reference, by_page, strict=True), start=1):
        want = Counter(page.body_words)
        own = have & want
        from_previous = carried & (want - own)
        if scores:  # found here: not excess on the page before
            scores[-1].excess -= sum(from_previous.values())
        everything = Counter(page.words)
        missing = want - own - from_previous
        spare = have - own
        joined = 0
        for word, count in sorted(missing.items()):
            split = _split_connector(word)
            while split and count and spare[split[0]] > 0 and spare[split[1]] > 0:
                spare[split[0]] -= 1
                spare[split[1]] -= 1
                everything.update(split)
                joined += 1
                count -= 1
        carried = have - everything
        scores.append(
            PageScore(
                page=number,
                body_words=sum(want.values()),
                found=sum(own.values()) + sum(from_previous.values()) + joined,
                excess=sum(carried.values()),
                contents=page.contents,
            )
        )
    return scores


def passage_pairs(passage) -> list[tuple[str, str]]:
    """Adjacent word pairs within a passage; a table row's pairs stay within a cell
    (the order of cells is not one a reference text defines)."""
    text = passage.text
    kind = getattr(passage.kind, "value", passage.kind)
    parts = text.split(" | ") if kind == "table_row" else [text]
    found = []
    for part in parts:
        found.extend(pairs(words(part)))
    return found


def reference_pair_set(reference: Sequence[ReferencePage], page: int) -> set[tuple[str, str]]:
    """Adjacent word pairs of the reference text of ``page`` (1-based) and of the
    page after it, and the pair across their boundary (a paragraph that runs on)."""
    sequence = list(reference[page - 1].words)
    if page < len(reference):
        sequence += reference[page].words
    found = set(pairs(sequence))
    split: list[str] = []
    for word in sequence:
        split.extend(_split_connector(word) or (word,))
    return found | set(pairs(split))


def pair_agreement(
    reference: Sequence[ReferencePage], passages: Iterable, min_words: int = 0
) -> tuple[list[tuple[int, int]], list[tuple[object, float]]]:
    """Per page, (pairs, pairs found in the reference) over the passages of the page,
    and per passage of at least ``min_words`` words, the share of its pairs *not*
    found (its scramble)."""
    counts = [(0, 0)] * len(reference)
    scrambles = []
    sets: dict[int, set[tuple[str, str]]] = {}
    for passage in passages:
        page = min(max(passage.page or len(reference), 1), len(reference))
        if page not in sets:
            sets[page] = reference_pair_set(reference, page)
        mine = passage_pairs(passage)
        hit = sum(pair in sets[page] for pair in mine)
        total, good = counts[page - 1]
        counts[page - 1] = (total + len(mine), good + hit)
        if mine and len(words(passage.text)) >= min_words:
            scrambles.append((passage, 1 - hit / len(mine)))
    return counts, scrambles


def fragmented(passages: Sequence) -> float:
    """Share of paragraphs that start in lower case right after a paragraph that
    does not end a sentence: a paragraph cut at line ends."""
    paragraphs = [p for p in passages if getattr(p.kind, "value", p.kind) == "paragraph"]
    cuts = 0
    for before, after in pairs(paragraphs):
        head = after.text.lstrip()[:1]
        if head.islower() and not before.text.rstrip().endswith((".", "!", "?", ":", ";")):
            cuts += 1
    return cuts / max(len(paragraphs) - 1, 1)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


# --------------------------------------------------------------------------------------
# Swedish text written for these tests
# --------------------------------------------------------------------------------------

SENTENCES = [
    "Regionen har under verksamhetsåret fortsatt arbetet med att ge varje patient med "
    "stora behov en fast vårdkontakt vid den vårdcentral där patienten är listad.",
    "Den fasta vårdkontakten ska samordna patientens insatser och vara en väg in till "
    "hälso- och sjukvården när behoven förändras.",
    "Mobila team från primärvården och kommunens hemsjukvård besöker sköra äldre i "
    "hemmet enligt en gemensam rutin som antogs av samverkansnämnden i mars.",
    "Uppföljningen visar att antalet oplanerade återinskrivningar inom trettio dagar "
    "har minskat bland de patienter som har fått besök av ett mobilt team.",
    "Hälsosamtal erbjuds samtliga invånare som under året fyller fyrtio, femtio och "
    "sextio år, och deltagandet har ökat i länets samtliga kommuner.",
    "Vid hälsosamtalet går sjuksköterskan igenom levnadsvanor, blodtryck och blodfetter "
    "och erbjuder vid behov fortsatt stöd vid en hälsocentral.",
    "Omställningen förutsätter att kompetensförsörjningen säkras genom gemensamma "
    "utbildningsinsatser för medarbetare i region och kommun.",
    "Under året har en överenskommelse om digitala vårdmöten träffats mellan regionen "
    "och de tio kommunerna i länet.",
    "Patientens delaktighet stärks genom att en samordnad individuell plan upprättas "
    "tillsammans med patienten och dennes närstående.",
    "Arbetet följs upp kvartalsvis av den regionala styrgruppen, som rapporterar till "
    "hälso- och sjukvårdsnämnden och till kommunernas socialnämnder.",
]


def sentences(start: int, count: int) -> str:
    """``count`` sentences from :data:`SENTENCES`, starting at ``start``, cyclically."""
    return " ".join(SENTENCES[(start + number) % len(SENTENCES)] for number in range(count))


# --------------------------------------------------------------------------------------
# Hand-written PDFs
# --------------------------------------------------------------------------------------

A4 = (595.0, 842.0)


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (cp1252)."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _s(text: str) -> str:
    """:func:`pdf_string` as content text."""
    return pdf_string(text).decode("latin-1")


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def ops(*parts: object) -> str:
    """Operands and an operator as PDF content: numbers short, strings as given."""
    return " ".join(_number(part) if isinstance(part, float | int) else str(part) for part in parts)


def text_width(text: str, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, "Helvetica-Bold" if bold else "Helvetica", size)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy line breaking of ``text`` at spaces for a column ``width`` wide; a word
    with a soft hyphen (U+00AD) that does not fit is broken there, with a hyphen."""
    lines: list[str] = []
    line: list[str] = []
    words = text.split()
    while words:
        word = words.pop(0)
        if line and text_width(" ".join([*line, word]), size, bold) > width:
            head, soft, tail = word.partition("\u00ad")
            if soft and text_width(" ".join([*line, head + "-"]), size, bold) <= width:
                line.append(head + "-")
                words.insert(0, tail)
                word = ""
            lines.append(" ".join(line).replace("\u00ad", ""))
            line = []
        if word:
            line.append(word)
    if line:
        lines.append(" ".join(line).replace("\u00ad", ""))
    return lines


@dataclass
class RawPage:
    """One page: its content (or the key of a content stream shared with other
    pages), its MediaBox and an optional CropBox."""

    content: str = ""
    media: tuple[float, float, float, float] = (0, 0, *A4)
    crop: tuple[float, float, float, float] | None = None
    shared: str | None = None


@dataclass
class RawPdf:
    """A PDF written byte by byte: a catalog, a page tree, standard Type 1 fonts
    (``/F1`` Helvetica, ``/F2`` Helvetica-Bold, WinAnsiEncoding) and pages."""

    pages: list[RawPage] = field(default_factory=list)
    shared: dict[str, str] = field(default_factory=dict)
    compress: bool = False

    def write(self, path: Path) -> Path:
        objects: list[bytes] = []

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        def stream(content: str) -> int:
            data = content.encode("latin-1")
            extra = b""
            if self.compress:
                data, extra = zlib.compress(data, 9), b" /Filter /FlateDecode"
            head = b"<< /Length %d%s >>\nstream\n" % (len(data), extra)
            return add(head + data + b"\nendstream")

        catalog = add(b"")  # filled in below
        tree = add(b"")
        regular = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                      b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
        bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
                   b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
        resources = f"<< /Font << /F1 {regular} 0 R /F2 {bold} 0 R >> >>".encode()
        streams = {key: stream(content) for key, content in sorted(self.shared.items())}
        kids = []
        for page in self.pages:
            contents = streams[page.shared] if page.shared else stream(page.content)
            box = " ".join(map(_number, page.media))
            crop = f" /CropBox [{' '.join(map(_number, page.crop))}]" if page.crop else ""
            kids.append(
                add(
                    f"<< /Type /Page /Parent {tree} 0 R /MediaBox [{box}]{crop} "
                    f"/Contents {contents} 0 R /Resources ".encode()
                    + resources
                    + b" >>"
                )
            )
        objects[catalog - 1] = f"<< /Type /Catalog /Pages {tree} 0 R >>".encode()
        kid_list = " ".join(f"{kid} 0 R" for kid in kids)
        objects[tree - 1] = f"<< /Type /Pages /Kids [{kid_list}] /Count {len(kids)} >>".encode()
        info = add(b"<< /Producer (nvreport test factory) /Title (Testrapport) >>")

        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for offset in offsets:
            out += b"%010d 00000 n \n" % offset
        out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1,
            catalog,
            info,
            xref,
        )
        path.write_bytes(bytes(out))
        return path


def tm_line(x: float, y: float, size: float, text: str, bold: bool = False) -> str:
    """One line as the size-1 producers write it: ``/F1 1 Tf`` and the size in the
    text matrix."""
    font = "/F2" if bold else "/F1"
    return f"BT {font} 1 Tf {ops(size, 0, 0, size, x, y)} Tm {_s(text)} Tj ET\n"


def tf_line(x: float, y: float, size: float, text: str, bold: bool = False) -> str:
    """One line the plain way: the size in ``Tf``, the place in ``Td``."""
    font = "/F2" if bold else "/F1"
    return f"BT {font} {_number(size)} Tf {ops(x, y)} Td {_s(text)} Tj ET\n"


def justified_tm_lines(
    x: float, y: float, width: float, size: float, leading: float, text: str
) -> tuple[str, float]:
    """A justified paragraph at ``Tf 1`` scaled by the text matrix: each line but the
    last stretched to ``width`` by word spacing (``Tw``, in unscaled units), one ``Tm``
    per line. Returns the content and the y below the paragraph."""
    lines = wrap(text, width, size)
    content = []
    for number, line in enumerate(lines):
        spaces = line.count(" ")
        spacing = 0.0
        if number < len(lines) - 1 and spaces:
            spacing = (width - text_width(line, size)) / spaces / size
        content.append(
            f"BT /F1 1 Tf {_number(spacing)} Tw {ops(size, 0, 0, size, x, y)} Tm "
            f"{pdf_string(line).decode('latin-1')} Tj ET\n"
        )
        y -= leading
    return "".join(content), y


SCALED_TM_HEADINGS = [
    "Fast vårdkontakt i primärvården",
    "Mobila team för sköra äldre",
    "Hälsosamtal för fyrtio-, femtio- och sextioåringar",
    "Uppföljning och samverkan",
]


def raw_scaled_tm(path: Path) -> Path:
    """Problem A: every line at ``/F1 1 Tf`` with the size in the text matrix:
    headings at 16 (bold), body at 10, justified with wide word gaps, two pages."""
    pages = []
    heading_texts = list(zip(SCALED_TM_HEADINGS[::2], SCALED_TM_HEADINGS[1::2], strict=True))
    for number, (first, second) in enumerate(heading_texts):
        y = 770.0
        content = tm_line(72, y, 16, first, bold=True)
        y -= 30
        for paragraph in range(2):
            part, y = justified_tm_lines(72, y, 451, 10, 13, sentences(number * 4 + paragraph, 3))
            content += part
            y -= 10
        content += tm_line(72, y - 8, 16, second, bold=True)
        y -= 38
        for paragraph in range(2):
            part, y = justified_tm_lines(
                72, y, 451, 10, 13, sentences(number * 4 + paragraph + 2, 3)
            )
            content += part
            y -= 10
        pages.append(RawPage(content))
    return RawPdf(pages).write(path)


COLUMNS_HEADING = "Verksamhet i tre spalter"
#: A word of the first column broken at a line end: its two halves.
HYPHENATED = ("rehabiliterings", "insatser")


def column_texts(soft: bool = False, width: float = 143.0) -> list[str]:
    """The text of three columns. The first column's long compound stands where it
    is broken at a line end of a column ``width`` wide at 10 pt; with ``soft`` it
    carries the soft hyphen there."""
    compound = "\u00ad".join(HYPHENATED)
    leads = ["Även", "Också", "Dessutom ges", "Därtill erbjuds", "Teamen ger", "Kommunen ger"]
    options = (
        f"{sentences(0, before)} {lead} {compound} i hemmet. {sentences(before, 2 - before)}"
        for before in (1, 2, 0)
        for lead in leads
    )
    for first in options:
        first = first.strip()
        if any(line.endswith(HYPHENATED[0] + "-") for line in wrap(first, width, 10)):
            break
    else:
        raise AssertionError("no place breaks the compound at a line end")
    if not soft:
        first = first.replace("\u00ad", "")
    return [
        f"Kolumn ett. {first} Arbetet med intro- och uppföljningssamtal har utvecklats.",
        "Kolumn två. " + sentences(3, 3),
        "Kolumn tre. " + sentences(6, 3),
    ]


def raw_three_columns(path: Path) -> Path:
    """Three columns of 10-point text, each line its own ``Tm`` (written row by row
    across the page, as some producers do), with a line-end hyphen in the first
    column ("intro-" / "duktionen")."""
    width, gap, left = 143.0, 18.0, 72.0
    columns = [wrap(text, width, 10) for text in column_texts(soft=True, width=width)]
    content = tm_line(left, 780, 16, COLUMNS_HEADING, bold=True)
    rows = max(len(lines) for lines in columns)
    for row in range(rows):  # row by row across the page
        for number, lines in enumerate(columns):
            if row < len(lines):
                content += tm_line(left + number * (width + gap), 740 - row * 12.5, 10, lines[row])
    return RawPdf([RawPage(content)]).write(path)


def raw_crop_box(path: Path) -> Path:
    """Problem C: a CropBox smaller than the MediaBox; one sentence below the crop
    box (invisible), one to the right of it (the facing page of a spread)."""
    content = tf_line(72, 760, 16, "Synlig rubrik om hälsosamtal", bold=True)
    y = 730.0
    for line in wrap(sentences(4, 4), 451, 10):
        content += tf_line(72, y, 10, line)
        y -= 13
    content += tf_line(72, 40, 10, HIDDEN_BELOW)
    content += tf_line(700, 500, 10, HIDDEN_BESIDE)
    page = RawPage(content, media=(0, 0, 900, 842), crop=(0, 100, 595, 842))
    return RawPdf([page]).write(path)


HIDDEN_BELOW = "Osynligtexthamnadeunderbeskarningsrutan stannar utanför sidan."
HIDDEN_BESIDE = "Motstaendesidansrubrikzebra hör till uppslagets andra sida."


WINDOW_TEXTS = [
    "Fönsterett beskriver arbetet med fast vårdkontakt i länets norra del.",
    "Fönstertvå beskriver mobila team och hemsjukvård i länets södra del.",
    "Fönstertre beskriver hälsosamtal och levnadsvanor i hela länet.",
]


def raw_shared_windows(path: Path) -> Path:
    """Problem C: three pages whose MediaBoxes are windows onto one shared content
    stream, each window holding one block of text."""
    content = ""
    windows = []
    for number, lead in enumerate(WINDOW_TEXTS):
        bottom = 2000 - (number + 1) * 600
        y = bottom + 500
        content += tf_line(72, y, 14, f"Avsnitt {number + 1}", bold=True)
        y -= 24
        for line in wrap(lead + " " + sentences(number * 3, 2), 451, 10):
            content += tf_line(72, y, 10, line)
            y -= 13
        windows.append(RawPage(media=(0, bottom, 595, bottom + 560), shared="all"))
    return RawPdf(windows, shared={"all": content}).write(path)


FAKE_BOLD_HEADING = "Samverkan kring utskrivning från slutenvården"


def raw_fake_bold(path: Path) -> Path:
    """Problem D: text drawn twice, the second time 0.2 pt to the right (a fake
    bold), three ways: the heading as one string twice in a row; the first
    paragraph's lines all once and then all again (the copies far apart in the
    content stream); the first line of the second paragraph glyph by glyph, each
    glyph twice."""
    heading = FAKE_BOLD_HEADING
    content = tf_line(72, 770, 16, heading) + tf_line(72.2, 770, 16, heading)
    lines = wrap(sentences(2, 3), 451, 10)
    for shift in (0.0, 0.2):
        for row, line in enumerate(lines):
            content += tf_line(72 + shift, 740 - row * 13, 10, line)
    y = 740 - len(lines) * 13 - 10.0
    rest = wrap(sentences(5, 3), 451, 10)
    content += "BT /F1 10 Tf\n"
    x = 72.0
    for char in rest[0]:
        for shift in (0.0, 0.2):
            content += f"1 0 0 1 {ops(x + shift, y)} Tm {_s(char)} Tj\n"
        x += text_width(char, 10)
    content += "ET\n"
    for line in rest[1:]:
        y -= 13
        content += tf_line(72, y, 10, line)
    return RawPdf([RawPage(content)]).write(path)


def _tj_gapped(sentence: str, size: float, share: float = 0.45) -> str:
    """A sentence as a ``TJ`` array with no space characters: each word its own
    string, separated by a kerning gap of ``share`` of a space's width (0.45 × 0.278
    em: a tight word gap, as in a squeezed justified line; pdftotext breaks words at
    0.4 of a space, pdfium only at 0.5)."""
    space = share * text_width(" ", size) / size * 1000
    items = " ".join(pdf_string(word).decode("latin-1") for word in sentence.split())
    return items.replace(") (", f") {_number(-space)} (")


MISSING_SPACES_SWEDISH = "Besöken registrerades men uppgifterna fördes inte vidare till journalen."


def raw_missing_spaces(path: Path) -> Path:
    """Words separated only by pen moves: a ``TJ`` kerning gap, or a new ``Td``;
    no space character between them."""
    size = 11.0
    first = "The patients were seen but the team did not record the visit."
    second = MISSING_SPACES_SWEDISH
    content = f"BT /F1 {_number(size)} Tf 72 760 Td [{_tj_gapped(first, size)}] TJ ET\n"
    content += f"BT /F1 {_number(size)} Tf 72 740 Td\n"
    previous = 0.0
    for word in second.split():
        content += f"{_number(previous)} 0 Td {pdf_string(word).decode('latin-1')} Tj\n"
        previous = text_width(word, size) + 0.45 * text_width(" ", size)
    content += "ET\n"
    y = 710.0
    for line in wrap(sentences(0, 3), 451, 10):
        content += tf_line(72, y, 10, line)
        y -= 13
    return RawPdf([RawPage(content)]).write(path)


TABLE_ROWS = [
    ("Vårdcentral", "Fast vårdkontakt", "Hälsosamtal"),
    ("Norrby", "412", "388"),
    ("Söderås", "297", "305"),
    ("Västerlund", "158", "171"),
    ("Östervik", "233", "249"),
]


def raw_ruled_table(path: Path) -> Path:
    """Problem E: a ruled table (outer frame, column rules, a rule under the header)
    whose data rows have no rule between them."""
    content = tf_line(72, 770, 14, "Tabell 1. Insatser per vårdcentral", bold=True)
    content += tf_line(72, 745, 10, sentences(1, 1)[:80])
    left, top, widths, pitch = 72.0, 720.0, (170.0, 140.0, 140.0), 16.0
    bottom = top - pitch * len(TABLE_ROWS)
    right = left + sum(widths)
    content += f"0.6 w {ops(left, bottom, right - left, top - bottom)} re S\n"
    x = left
    for width in widths[:-1]:
        x += width
        content += f"{ops(x, bottom)} m {ops(x, top)} l S\n"
    content += f"{ops(left, top - pitch)} m {ops(right, top - pitch)} l S\n"
    for row, cells in enumerate(TABLE_ROWS):
        x = left
        for width, cell in zip(widths, cells, strict=True):
            content += tf_line(x + 4, top - pitch * (row + 1) + 4.5, 10, cell, bold=row == 0)
            x += width
    y = bottom - 30
    for line in wrap(sentences(7, 2), 451, 10):
        content += tf_line(72, y, 10, line)
        y -= 13
    return RawPdf([RawPage(content)]).write(path)


def raw_plain(path: Path) -> Path:
    """A control: headings by ``Tf`` size, paragraphs, two pages, compressed streams,
    a running header and a page number."""
    pages = []
    for number in range(2):
        content = tf_line(72, 810, 8, "Region Testberga – Redovisning 2023")
        content += tf_line(72, 770, 16, f"{number + 1}. Omställningen del {number + 1}", bold=True)
        y = 740.0
        for paragraph in range(3):
            for line in wrap(sentences(number * 3 + paragraph, 2), 451, 10):
                content += tf_line(72, y, 10, line)
                y -= 13
            y -= 8
        content += tf_line(290, 40, 9, str(number + 1))
        pages.append(RawPage(content))
    return RawPdf(pages, compress=True).write(path)


def raw_tj_justified(path: Path) -> Path:
    """Problem A as Word and PDFMaker write it: ``/F1 1 Tf``, the size in ``Tm``, and
    justified lines as ``TJ`` arrays whose spaces are widened by kerning."""
    size, width, y = 10.0, 451.0, 740.0
    content = tm_line(72, 775, 16, "Samordnad individuell plan", bold=True)
    for paragraph in range(3):
        lines = wrap(sentences(paragraph * 3 + 1, 3), width, size)
        for number, line in enumerate(lines):
            spread = line.split(" ")
            items = [pdf_string(word + " ").decode("latin-1") for word in spread[:-1]]
            items.append(pdf_string(spread[-1]).decode("latin-1"))
            extra = 0.0
            if number < len(lines) - 1 and len(spread) > 1:
                extra = (width - text_width(line, size)) / (len(spread) - 1) / size * 1000
            joined = f" {_number(-extra)} ".join(items) if extra else " ".join(items)
            content += f"BT /F1 1 Tf {ops(size, 0, 0, size, 72, y)} Tm [{joined}] TJ ET\n"
            y -= 13
        y -= 10
    return RawPdf([RawPage(content)], compress=True).write(path)


def raw_contents_scaled(path: Path) -> Path:
    """Problems A and B together: a contents page ("Innehåll", dot leaders, page
    numbers) and numbered headings, all at ``Tf 1`` with the size in the matrix;
    four pages."""
    pages = []
    content = tm_line(72, 770, 20, "Redovisning av God och nära vård 2023", bold=True)
    content += tm_line(72, 720, 16, "Innehåll", bold=True)
    for row, (text, page) in enumerate(CONTENTS):
        dots = "." * int((400 - text_width(text, 11)) / text_width(".", 11))
        content += tm_line(72, 690 - row * 18, 11, f"{text} {dots} {page}")
    pages.append(RawPage(content))
    texts = iter(range(30))
    by_page: dict[int, list[str]] = {}
    for text, page in CONTENTS:
        by_page.setdefault(page, []).append(text)
    for page in sorted(by_page):
        y = 770.0
        content = ""
        for text in by_page[page]:
            level = 2 if text[1] == "." and text[2] != " " else 1
            content += tm_line(72, y, 13 if level == 2 else 16, text, bold=True)
            y -= 26
            for _ in range(2):
                part, y = justified_tm_lines(72, y, 451, 10, 13, sentences(next(texts), 2))
                content += part
                y -= 10
        pages.append(RawPage(content))
    last = ""
    y = 770.0
    for line in wrap(sentences(5, 4), 451, 10):
        last += tm_line(72, y, 10, line)
        y -= 13
    pages.append(RawPage(last))
    return RawPdf(pages).write(path)


# --------------------------------------------------------------------------------------
# reportlab
# --------------------------------------------------------------------------------------


def _reportlab_invariant() -> None:
    from reportlab import rl_config

    rl_config.invariant = 1


def reportlab_canvas(path: Path) -> Path:
    """reportlab's canvas: ``setFont`` headings and paragraphs, a running footer."""
    _reportlab_invariant()
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(path), pagesize=A4)
    for page in range(2):
        drawing.setFont("Helvetica-Bold", 16)
        drawing.drawString(72, 770, f"Mobila team i kommun {page + 1}")
        drawing.setFont("Helvetica", 10.5)
        y = 740.0
        for paragraph in range(3):
            for line in wrap(sentences(page * 2 + paragraph, 3), 451, 10.5):
                drawing.drawString(72, y, line)
                y -= 14
            y -= 8
        drawing.setFont("Helvetica", 8)
        drawing.drawString(72, 30, f"Redovisning av God och nära vård – sida {page + 1}")
        drawing.showPage()
    drawing.save()
    return path


def reportlab_scaled_text(path: Path) -> Path:
    """reportlab's text object under a scaled transform: the font set at size 1 and
    the canvas scaled, so the size is in the matrix (problem A again, another
    producer)."""
    _reportlab_invariant()
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(path), pagesize=A4)

    def block(x: float, y: float, size: float, lines: list[str], bold: bool = False) -> None:
        drawing.saveState()
        drawing.translate(x, y)
        drawing.scale(size, size)
        text = drawing.beginText(0, 0)
        text.setFont("Helvetica-Bold" if bold else "Helvetica", 1, leading=1.3)
        for line in lines:
            text.textLine(line)
        drawing.drawText(text)
        drawing.restoreState()

    y = 770.0
    block(72, y, 16, ["Hälsosamtal i primärvården"], bold=True)
    y -= 32
    for paragraph in range(3):
        lines = wrap(sentences(4 + paragraph, 3), 451, 10)
        block(72, y, 10, lines)
        y -= 13 * len(lines) + 12
    block(72, y, 16, ["Fast vårdkontakt"], bold=True)
    y -= 32
    lines = wrap(sentences(0, 3), 451, 10)
    block(72, y, 10, lines)
    drawing.showPage()
    drawing.save()
    return path


CONTENTS = [
    ("1. Inledning", 2),
    ("2. Omställningens delar", 2),
    ("2.1 Fast vårdkontakt", 2),
    ("2.2 Hälsosamtal", 3),
    ("2.3 Mobila team", 3),
    ("3. Uppföljning", 3),
]


def contents_body_paragraphs(name: str) -> list[str]:
    """The paragraphs after the contents page of a contents fixture, in order."""
    if name == "raw_contents_scaled":
        return [sentences(number, 2) for number in range(len(CONTENTS) * 2)] + [sentences(5, 4)]
    return [sentences(number, 3) for number in range(len(CONTENTS) * 2)]


def reportlab_platypus_contents(path: Path) -> Path:
    """A Platypus report: title page with a contents list (dot leaders, page
    numbers) under "Innehåll", then numbered headings "1. Inledning", "2.3 Mobila
    team" with paragraphs on the pages after it."""
    _reportlab_invariant()
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=8)
    h1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=16, leading=20, spaceAfter=8)
    h2 = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=13, leading=17, spaceAfter=6)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=22, leading=28)
    entry = ParagraphStyle("entry", fontName="Helvetica", fontSize=10.5, leading=16)

    def leader(text: str, page: int) -> Table:
        dots = "." * max(4, 90 - len(text) * 2)
        table = Table(
            [[Paragraph(f"{text} {dots}", entry), Paragraph(str(page), entry)]],
            colWidths=[400, 40],
        )
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return table

    story = [
        Paragraph("Region Testberga – Redovisning av God och nära vård 2023", title),
        Paragraph("Innehåll", h1),
        *(leader(text, page) for text, page in CONTENTS),
        PageBreak(),
    ]
    texts = iter(range(20))
    for text, _ in CONTENTS:
        story.append(Paragraph(text, h2 if "." in text.split()[0][:-1] else h1))
        for _ in range(2):
            story.append(Paragraph(sentences(next(texts), 3), body))
        if text.startswith("2.2"):
            story.append(PageBreak())
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def reportlab_two_columns(path: Path) -> Path:
    """A Platypus page of two frames (columns), each with paragraphs."""
    _reportlab_invariant()
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=8)
    h1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=15, leading=19, spaceAfter=8)
    width, height = A4
    inner = width - 144
    frames = [
        Frame(72, 72, inner / 2 - 9, height - 144, id="left"),
        Frame(72 + inner / 2 + 9, 72, inner / 2 - 9, height - 144, id="right"),
    ]
    story = [Paragraph("Kompetensförsörjning i två spalter", h1)]
    story += [Paragraph(sentences(number, 4), body) for number in range(8)]
    BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[PageTemplate("two", frames)]).build(
        story
    )
    return path


def reportlab_boxed_table(path: Path) -> Path:
    """Problem E from Platypus: a table with a frame, column rules and a rule under
    the header, but none between the data rows."""
    _reportlab_invariant()
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14)
    h1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=15, leading=19, spaceAfter=8)
    table = Table([list(row) for row in TABLE_ROWS], colWidths=[170, 140, 140])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                ("LINEAFTER", (0, 0), (-2, -1), 0.6, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
            ]
        )
    )
    story = [
        Paragraph("Insatser per vårdcentral", h1),
        Paragraph(sentences(2, 2), body),
        Spacer(1, 12),
        table,
        Spacer(1, 12),
        Paragraph(sentences(6, 2), body),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


CJK_CHINESE = [
    "本地区在本年度继续为每一位有较大护理需求的患者指定固定的医疗联系人。",
    "流动医疗团队与市政府的居家护理人员一起定期到家中探访体弱的老年人。",
    "健康谈话面向本年度年满四十岁、五十岁和六十岁的全体居民，参与人数有所增加。",
    "区域指导小组每季度对工作进行跟踪，并向卫生和医疗委员会报告。",
]
CJK_JAPANESE = [
    "地域は本年度も、医療の必要性が高い患者に固定の医療連絡先を指定する取り組みを続けた。",
    "移動医療チームは自治体の訪問看護と協力して、虚弱な高齢者の自宅を定期的に訪問している。",
    "健康相談は本年度に四十歳、五十歳、六十歳になるすべての住民に提供されている。",
]


def reportlab_cjk(path: Path) -> Path:
    """Chinese (page 1) and Japanese (page 2) text only, in reportlab's CID fonts
    (STSong-Light, HeiseiMin-W3; not embedded, mapped by a standard CMap): a correct
    text layer with no vowels at all."""
    _reportlab_invariant()
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(path), pagesize=A4)
    for font, lines in (("STSong-Light", CJK_CHINESE), ("HeiseiMin-W3", CJK_JAPANESE)):
        pdfmetrics.registerFont(UnicodeCIDFont(font))
        y = 770.0
        for _ in range(3):
            for line in lines:
                drawing.setFont(font, 11)
                for start in range(0, len(line), 38):
                    drawing.drawString(72, y, line[start : start + 38])
                    y -= 16
            y -= 10
        drawing.showPage()
    drawing.save()
    return path


# --------------------------------------------------------------------------------------
# pdfium
# --------------------------------------------------------------------------------------


PDFIUM_HEADINGS = ["Patientkontrakt och fast vårdkontakt", "Digitala vårdmöten"]


def pdfium_text(path: Path, justified: bool = False) -> Path:
    """pdfium as a producer: each line a text object of size 1 placed by a matrix
    (``12 0 0 12 x y``); a heading at 16, paragraphs at 10. With ``justified`` each
    word is its own object placed along a stretched line (no space characters)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument.new()
    page = document.new_page(*A4)
    regular = raw.FPDFText_LoadStandardFont(document, b"Helvetica")
    bold = raw.FPDFText_LoadStandardFont(document, b"Helvetica-Bold")
    keep = []

    def put(text: str, x: float, y: float, size: float, font) -> None:
        item = raw.FPDFPageObj_CreateTextObj(document, font, 1.0)
        data = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
        keep.append(data)
        raw.FPDFText_SetText(item, ctypes.cast(data, ctypes.POINTER(raw.FPDF_WCHAR)))
        raw.FPDFPageObj_Transform(item, size, 0, 0, size, x, y)
        raw.FPDFPage_InsertObject(page, item)

    y = 770.0
    for number, heading in enumerate(PDFIUM_HEADINGS):
        put(heading, 72, y, 16, bold)
        y -= 30
        for paragraph in range(2):
            lines = wrap(sentences(number * 2 + paragraph + 3, 3), 451, 10)
            for row, line in enumerate(lines):
                if justified and row < len(lines) - 1:
                    spread = line.split()
                    gap = (451 - sum(text_width(word, 10) for word in spread)) / (len(spread) - 1)
                    x = 72.0
                    for word in spread:
                        put(word, x, y, 10, regular)
                        x += text_width(word, 10) + gap
                else:
                    put(line, 72, y, 10, regular)
                y -= 13
            y -= 10
        y -= 10
    raw.FPDFPage_GenerateContent(page)
    document.save(str(path))
    document.close()
    data = re.sub(
        rb"\(D:\d{14}[^)]*\)",
        lambda m: b"(D:20240101000000" + b" " * (len(m.group()) - 18) + b")",
        path.read_bytes(),
    )
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------------------
# Chromium
# --------------------------------------------------------------------------------------


def chromium_executable() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def print_html(html: str, path: Path) -> Path:
    """Print ``html`` to ``path`` with headless Chromium (Skia's PDF)."""
    browser = chromium_executable()
    if browser is None:
        raise FileNotFoundError("chromium")
    page = path.with_suffix(".html")
    page.write_text(html, encoding="utf-8")
    profile = path.parent / f"{path.stem}-profile"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={path}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    shutil.rmtree(profile, ignore_errors=True)
    if not path.exists():
        raise RuntimeError(f"chromium wrote no {path.name}")
    return path


_HTML_HEAD = (
    "<!doctype html><html lang='sv'><head><meta charset='utf-8'><style>"
    "body{font-family:'DejaVu Sans',sans-serif;font-size:10.5pt;margin:0}"
    "@page{size:A4;margin:2cm} h1{font-size:18pt} h2{font-size:13pt}"
    "p{text-align:left} .cols{column-count:3;column-gap:1.2em}"
    "</style></head><body>"
)


def chromium_report(path: Path) -> Path:
    """A report printed by Chromium: a contents list, numbered headings, paragraphs."""
    parts = [_HTML_HEAD, "<h1>Region Testberga – Redovisning 2023</h1><h2>Innehåll</h2><div>"]
    for text, page in CONTENTS:
        parts.append(f"<div>{text} .......... {page}</div>")
    parts.append("</div><div style='break-after:page'></div>")
    for number, (text, _) in enumerate(CONTENTS):
        tag = "h2" if text[1] == "." and text[2] != " " else "h1"
        parts.append(f"<{tag}>{text}</{tag}>")
        for paragraph in range(2):
            parts.append(f"<p>{sentences(number * 2 + paragraph, 3)}</p>")
    parts.append("</body></html>")
    return print_html("".join(parts), path)


CHROMIUM_HYPHENATED = "samverkans\u00adöverenskommelsen"
_CHROMIUM_EXTRA = f" Den nya {CHROMIUM_HYPHENATED} gäller från och med januari."


def chromium_column_texts() -> list[str]:
    """The three columns' text as :func:`chromium_columns` prints it."""
    texts = column_texts()
    return [texts[0] + _CHROMIUM_EXTRA, *texts[1:]]


def chromium_columns(path: Path) -> Path:
    """Three CSS columns (column-count: 3) of narrow justified text with soft hyphens,
    so some words break at a line end inside a column."""
    body = "".join(f"<p style='text-align:justify'>{text}</p>" for text in chromium_column_texts())
    html = f"{_HTML_HEAD}<h1>{COLUMNS_HEADING}</h1><div class='cols'>{body}</div></body></html>"
    return print_html(html, path)


RTL_HEBREW = "שלום עולם זהו משפט בעברית"


def chromium_rtl(path: Path) -> Path:
    """A Swedish paragraph and a right-to-left Hebrew paragraph (``dir=rtl``)."""
    html = (
        f"{_HTML_HEAD}<h1>Information på flera språk</h1><p>{sentences(1, 2)}</p>"
        f"<p dir='rtl' lang='he'>{RTL_HEBREW}</p><p>{sentences(3, 2)}</p></body></html>"
    )
    return print_html(html, path)


# --------------------------------------------------------------------------------------
# LibreOffice
# --------------------------------------------------------------------------------------


def soffice_executable() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def libreoffice_report(path: Path) -> Path:
    """A Word document (python-docx) with numbered headings, converted by
    LibreOffice."""
    import docx

    office = soffice_executable()
    if office is None:
        raise FileNotFoundError("soffice")
    document = docx.Document()
    for number, (text, _) in enumerate(CONTENTS):
        document.add_heading(text, level=2 if text[1] == "." and text[2] != " " else 1)
        document.add_paragraph(sentences(number * 2, 3))
        document.add_paragraph(sentences(number * 2 + 1, 3))
    source = path.with_suffix(".docx")
    document.save(str(source))
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation={(path.parent / 'lo-profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(path.parent),
            str(source),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return path


# --------------------------------------------------------------------------------------
# The fixtures, by name
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixture:
    name: str
    producer: str
    make: Callable[[Path], Path]
    #: needs this program; the fixture is skipped without it
    needs: str | None = None


FIXTURES = [
    Fixture("raw_plain", "raw", raw_plain),
    Fixture("raw_scaled_tm", "raw", raw_scaled_tm),
    Fixture("raw_three_columns", "raw", raw_three_columns),
    Fixture("raw_crop_box", "raw", raw_crop_box),
    Fixture("raw_shared_windows", "raw", raw_shared_windows),
    Fixture("raw_fake_bold", "raw", raw_fake_bold),
    Fixture("raw_missing_spaces", "raw", raw_missing_spaces),
    Fixture("raw_ruled_table", "raw", raw_ruled_table),
    Fixture("raw_tj_justified", "raw", raw_tj_justified),
    Fixture("raw_contents_scaled", "raw", raw_contents_scaled),
    Fixture("reportlab_canvas", "reportlab", reportlab_canvas),
    Fixture("reportlab_scaled_text", "reportlab", reportlab_scaled_text),
    Fixture("reportlab_platypus_contents", "reportlab-platypus", reportlab_platypus_contents),
    Fixture("reportlab_two_columns", "reportlab-platypus", reportlab_two_columns),
    Fixture("reportlab_boxed_table", "reportlab-platypus", reportlab_boxed_table),
    Fixture("reportlab_cjk", "reportlab", reportlab_cjk),
    Fixture("pdfium_text", "pdfium", pdfium_text),
    Fixture("pdfium_justified", "pdfium", lambda path: pdfium_text(path, justified=True)),
    Fixture("chromium_report", "chromium", chromium_report, needs="chromium"),
    Fixture("chromium_columns", "chromium", chromium_columns, needs="chromium"),
    Fixture("chromium_rtl", "chromium", chromium_rtl, needs="chromium"),
    Fixture("libreoffice_report", "libreoffice", libreoffice_report, needs="soffice"),
]
