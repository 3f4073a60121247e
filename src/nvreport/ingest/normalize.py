"""Text clean-up shared by every reader, so that the same words always compare equal.

Readers call :func:`normalize_text` on every block they emit. It applies NFC, expands
typographic ligatures, removes soft hyphens and zero-width characters, maps the
private-use bullet that Word's Symbol font leaves behind to a real bullet, and
collapses runs of whitespace to one space.
"""

from __future__ import annotations

import re
import unicodedata

# Ligatures that PDF producers emit as one glyph; NFKC would expand them too, but it
# also rewrites characters we want to keep (superscripts, ½, ™), so map just these.
_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}

# Characters that carry no text: soft hyphen, zero-width space/joiners, BOM, and
# pdfium's marker for a line-break hyphen once the line break is handled.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe"), None)

# Bullets as they come out of Word (Symbol/Wingdings private-use code points) and
# other producers. All map to U+2022 so list detection needs to know one glyph.
BULLET = "\u2022"
_BULLETS = dict.fromkeys(
    map(
        ord, "\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\u25cf\u25aa\u25a0\u2023\u2043\u25e6\u2219\u00b7"
    ),
    BULLET,
)

_TRANSLATE = {ord(k): v for k, v in _LIGATURES.items()} | _INVISIBLE | _BULLETS

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Any character _TRANSLATE changes: most text has none, and a search is far cheaper
# than str.translate with a dict.
_SPECIAL = re.compile("[" + re.escape("".join(map(chr, _TRANSLATE))) + "]")


def normalize_text(text: str) -> str:
    """Return ``text`` in the canonical form every stage after the readers expects.

    >>> normalize_text("ﬁnansiering \\u00a0av  häl\\u00adso\\u00adsamtal")
    'finansiering av hälsosamtal'
    """
    if _SPECIAL.search(text):
        text = text.translate(_TRANSLATE)
    text = unicodedata.normalize("NFC", text)
    # every character _SPACES matches is one str.split() splits at (str.isspace), so
    # this is _SPACES.sub(" ", text).strip(), in a fraction of the time
    return " ".join(text.split())


_WORD = re.compile(r"\w+(?:[-–:'’]\w+)*", re.UNICODE)


def count_words(text: str) -> int:
    """Count words the way analysts do: "hälso- och sjukvård" is three words."""
    return len(_WORD.findall(text))


def number_depth(number: str) -> int:
    """The depth of a section number: 1 for "2", "2.", "2)" or "A.", 2 for "2.3",
    3 for "2.3.1"; 0 for none. One definition for every reader and the passages.

    >>> [number_depth(number) for number in ("2.", "2.3", "2.3.1", "A.", "")]
    [1, 2, 3, 1, 0]
    """
    number = number.strip().rstrip(".)")
    if not number:
        return 0
    return number.count(".") + 1 if number[:1].isdigit() else 1
