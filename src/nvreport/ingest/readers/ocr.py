"""OCR of scanned PDF pages (``nvreport analyse --ocr``), with tesseract and its
Swedish language data through pytesseract.

:func:`read_pdf_with_ocr` reads a PDF as the PDF reader does, then reads by OCR the
pages that have no text layer but a picture covering much of the page (a scan):
every page of a scanned report, or the scanned appendix of a report typed in Word.
Pages are rendered by pdfium (pypdfium2) at :data:`DPI` dots per inch in grey, and
tesseract (language ``swe``, page segmentation "automatic") gives words with their
boxes and confidence, grouped into blocks, paragraphs and lines:

* a paragraph is one block; its lines are joined, a word hyphenated across a line
  break joined as the PDF reader joins it (:func:`join_hyphenated`);
* a paragraph of at most two lines whose letters stand at least
  :data:`HEADING_RATIO` times as tall as the page's body text is a heading (level 1
  from :data:`TITLE_RATIO`);
* a paragraph that starts with a bullet is a list item.

The OCR'd pages are listed in the result (``ocr_pages``), and their words are
counted in its account as the page's text layer. A page whose words tesseract is
unsure of (mean confidence under :data:`UNSURE_CONFIDENCE`) gets a warning naming it.

pytesseract is an optional dependency (``pip install "nvreport[ocr]"``), imported
only here, only when OCR is asked for; :func:`ocr_problem` says what is missing and
how to get it.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nvreport.errors import NoTextError, UnreadableDocumentError
from nvreport.ingest.normalize import BULLET, count_words, normalize_text
from nvreport.ingest.readers.hyphenation import HYPHENS, join_hyphenated
from nvreport.models import Block, BlockKind, ReadResult, TextAccount

LANGUAGE = "swe"
DPI = 300
#: A page is read by OCR when its text layer has fewer words than this ...
MAX_LAYER_WORDS = 5
#: ... and pictures cover at least this share of it.
MIN_PICTURE_SHARE = 0.3
HEADING_RATIO = 1.25
TITLE_RATIO = 1.6
UNSURE_CONFIDENCE = 70.0
HOW_TO_GET_OCR = (
    "install tesseract with its Swedish language data (Debian/Ubuntu: apt install "
    "tesseract-ocr tesseract-ocr-swe; macOS: brew install tesseract tesseract-lang; "
    "Windows: the UB Mannheim installer, with Swedish) and pytesseract "
    '(pip install "nvreport[ocr]")'
)
#: The PDF reader's warning about pages without text, which OCR answers.
_SCANNED_WARNING_END = "pages have no text (scanned pages?)"


def ocr_problem() -> str | None:
    """What keeps OCR from working here, with how to get it; None when it works."""
    try:
        import pytesseract
    except ImportError:
        return f"the Python package pytesseract is not installed; {HOW_TO_GET_OCR}"
    try:
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError):
        return f"tesseract is not installed (or not on the PATH); {HOW_TO_GET_OCR}"
    except Exception as exc:  # tesseract ran but failed: say so rather than crash
        return f"tesseract does not run ({exc}); {HOW_TO_GET_OCR}"
    if LANGUAGE not in languages:
        return f"tesseract has no Swedish language data ({LANGUAGE}); {HOW_TO_GET_OCR}"
    return None


def read_pdf_with_ocr(path: Path) -> ReadResult:
    """Read a PDF, its scanned pages by OCR. Raises what the PDF reader raises, and
    :class:`NoTextError` for a PDF with neither a text layer nor a scanned page."""
    from nvreport.ingest.readers.pdf import read_pdf

    no_text: NoTextError | None = None
    try:
        result: ReadResult | None = read_pdf(path)
    except NoTextError as error:
        result, no_text = None, error
    pages = scanned_pages(path)
    if not pages:
        if no_text is not None:
            raise no_text
        assert result is not None
        return result
    if problem := ocr_problem():
        raise UnreadableDocumentError(path, f"has scanned pages, but {problem}", transient=True)
    read = {number: ocr_page(path, number) for number in pages}
    return _merged(path, result, read, _page_count(path))


@dataclass(frozen=True)
class OcrPage:
    """What OCR read on one page: its blocks and its words' mean confidence (None:
    no word)."""

    blocks: tuple[Block, ...]
    confidence: float | None


def scanned_pages(path: Path) -> list[int]:
    """The pages (1-based) of the PDF that have (almost) no text layer and pictures
    covering at least :data:`MIN_PICTURE_SHARE` of the page."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(path)
    try:
        found = []
        for index in range(len(document)):
            page = document[index]
            try:
                text = page.get_textpage()
                try:
                    words = count_words(text.get_text_range())
                finally:
                    text.close()
                if words >= MAX_LAYER_WORDS:
                    continue
                width, height = page.get_size()
                area = max(width * height, 1.0)
                covered = 0.0
                for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
                    left, bottom, right, top = item.get_bounds()
                    covered += _clipped(left, right, width) * _clipped(bottom, top, height)
                if covered / area >= MIN_PICTURE_SHARE:
                    found.append(index + 1)
            finally:
                page.close()
        return found
    finally:
        document.close()


def _clipped(low: float, high: float, size: float) -> float:
    return max(0.0, min(high, size) - max(low, 0.0))


def _page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def ocr_page(path: Path, number: int) -> OcrPage:
    """Render page ``number`` (1-based) and read it with tesseract."""
    import pypdfium2 as pdfium
    import pytesseract

    document = pdfium.PdfDocument(path)
    try:
        page = document[number - 1]
        try:
            bitmap = page.render(scale=DPI / 72, grayscale=True)
            image = bitmap.to_pil()
        finally:
            page.close()
    finally:
        document.close()
    # one thread per tesseract: the worker processes already use every core
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(
        image, lang=LANGUAGE, config="--psm 3", output_type=pytesseract.Output.DICT
    )
    return _page_blocks(_words(data), number)


@dataclass(frozen=True)
class _Word:
    text: str
    block: int
    paragraph: int
    line: int
    height: int
    confidence: float


def _words(data: dict[str, list[Any]]) -> list[_Word]:
    """The words of tesseract's ``image_to_data`` output, in its reading order."""
    found = []
    for text, block, paragraph, line, height, confidence in zip(
        data["text"],
        data["block_num"],
        data["par_num"],
        data["line_num"],
        data["height"],
        data["conf"],
        strict=True,
    ):
        text = str(text).strip()
        if not text:
            continue
        found.append(
            _Word(text, int(block), int(paragraph), int(line), int(height), float(confidence))
        )
    return found


def _page_blocks(words: Sequence[_Word], number: int) -> OcrPage:
    """Blocks of one page from its words: a paragraph per block; headings by size."""
    if not words:
        return OcrPage((), None)
    body = statistics.median(word.height for word in words)
    paragraphs: dict[tuple[int, int], dict[int, list[_Word]]] = {}
    for word in words:
        paragraphs.setdefault((word.block, word.paragraph), {}).setdefault(word.line, []).append(
            word
        )
    blocks = []
    for lines in paragraphs.values():
        text = ""
        for line in lines.values():
            words_of_line = " ".join(word.text for word in line)
            text = _joined(text, words_of_line)
        text = normalize_text(text)
        if not text:
            continue
        height = statistics.median(word.height for line in lines.values() for word in line)
        ratio = height / body if body else 1.0
        if len(lines) <= 2 and ratio >= HEADING_RATIO and count_words(text) <= 15:
            level = 1 if ratio >= TITLE_RATIO else 2
            blocks.append(Block(BlockKind.HEADING, text, page=number, level=level))
        elif text.startswith(BULLET + " ") and len(text) > 2:
            blocks.append(Block(BlockKind.LIST_ITEM, text[2:], page=number, level=1))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, text, page=number))
    confident = [word.confidence for word in words if word.confidence >= 0]
    return OcrPage(tuple(blocks), statistics.fmean(confident) if confident else None)


def _joined(text: str, line: str) -> str:
    if not text:
        return line
    if text[-1] in HYPHENS:
        return join_hyphenated(text, line)
    return f"{text} {line}"


def _merged(
    path: Path, result: ReadResult | None, read: dict[int, OcrPage], page_count: int
) -> ReadResult:
    """The PDF reader's result (None: it found no text at all) with the OCR'd pages'
    blocks in their place, their words in the account, and the warning about pages
    without text answered."""
    blocks: list[Block] = []
    ocr_pages = sorted(read)
    pending = list(ocr_pages)

    def up_to(page: int | None) -> Iterable[Block]:
        while pending and (page is None or pending[0] < page):
            yield from read[pending.pop(0)].blocks

    for block in result.blocks if result else ():
        blocks.extend(up_to(block.page))
        blocks.append(block)
    blocks.extend(up_to(None))

    ocr_words = {
        number: sum(count_words(b.text) for b in page.blocks) for number, page in read.items()
    }
    if result is not None and result.account is not None:
        account = result.account
        page_words = list(account.page_words) or [0] * page_count
        for number, words in ocr_words.items():
            page_words[number - 1] += words
        account = TextAccount(
            layer_words=account.layer_words + sum(ocr_words.values()),
            left_out=account.left_out,
            page_words=tuple(page_words),
        )
    else:
        account = TextAccount(
            layer_words=sum(ocr_words.values()),
            page_words=tuple(ocr_words.get(number, 0) for number in range(1, page_count + 1)),
        )
    warnings = [
        warning
        for warning in (result.warnings if result else ())
        if not warning.endswith(_SCANNED_WARNING_END)
    ]
    unsure = [
        (number, page.confidence)
        for number, page in sorted(read.items())
        if page.confidence is not None and page.confidence < UNSURE_CONFIDENCE
    ]
    if unsure:
        one = len(unsure) == 1
        warnings.append(
            "OCR was unsure of the words on "
            + ("page " if one else "pages ")
            + ", ".join(str(number) for number, _ in unsure)
            + " (mean confidence "
            + ", ".join(f"{confidence:.0f}%" for _, confidence in unsure)
            + f"); check the passages from {'it' if one else 'them'} against the page"
        )
    if not any(page.blocks for page in read.values()) and result is None:
        raise NoTextError(path, "no text layer, and OCR found no words on its scanned pages")
    return ReadResult(
        blocks=tuple(blocks),
        pages=page_count,
        warnings=tuple(warnings),
        account=account,
        ocr_pages=tuple(number for number in ocr_pages if read[number].blocks),
    )
