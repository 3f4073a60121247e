"""Joining a word that a line break split at a hyphen.

Text readers (plain text and PDF) see lines, and a Swedish report breaks long
compounds at the end of a line: ``patient-`` / ``kontraktet``. The hyphen is a
typesetting artefact there and must go, but not every line-final hyphen is one:

* ``hälso-`` / ``och sjukvård`` is a shortened compound ("hälso- och sjukvård"), so
  the hyphen stays and is followed by a space;
* ``ST-`` / ``läkare``, ``FaR-`` / ``recept``, ``e-`` / ``hälsa`` and ``covid-19-`` /
  ``vaccin`` are written with a hyphen anyway, so it stays, without a space.

>>> join_hyphenated("Regionen erbjuder patient-", "kontrakt till alla.")
'Regionen erbjuder patientkontrakt till alla.'
>>> join_hyphenated("inom hälso-", "och sjukvården")
'inom hälso- och sjukvården'
>>> join_hyphenated("fler ST-", "läkare i allmänmedicin")
'fler ST-läkare i allmänmedicin'
>>> join_hyphenated("FaR-", "recept")
'FaR-recept'
>>> join_hyphenated("satsningen på e-", "hälsa")
'satsningen på e-hälsa'
>>> join_hyphenated("samarbetet Stockholm-", "Gotland")
'samarbetet Stockholm-Gotland'
"""

from __future__ import annotations

# Hyphen characters a line can end with: ASCII hyphen-minus, U+2010 HYPHEN and the
# soft hyphen U+00AD (which normalize_text would delete, so it becomes "-" when kept).
HYPHENS = "-\u2010\u00ad"

# Words that show the hyphen belongs to a shortened compound: "hälso- och sjukvård",
# "kommun- eller regionnivå", "läkar- respektive sjuksköterskebesök".
COORDINATING_WORDS = frozenset(
    {"och", "eller", "samt", "respektive", "resp.", "resp", "till", "som", "men", "liksom", "än"}
)

# Punctuation that may close the word after the hyphen: "och," still coordinates.
_TRAILING_PUNCTUATION = ",;:)»”\"'"


def join_hyphenated(left: str, right: str) -> str:
    """Join ``left``, which ends with a line-break hyphen, and the next line ``right``.

    ``stem`` is the last word of ``left`` without its hyphen and ``nxt`` the first
    word of ``right``. The result keeps the hyphen and a space when ``nxt`` is a
    coordinating word (och, eller, samt, respektive, resp., till, som, men, liksom,
    än); keeps the hyphen without a space when ``stem`` is a single letter, contains
    a digit or has an upper-case letter after its first character (ST, FaR, SIP), or
    when ``nxt`` starts with an upper-case letter or a digit; and otherwise drops the
    hyphen and joins the two parts directly.

    A ``left`` that does not end with a hyphen, or whose hyphen stands alone (a dash:
    ``"vården -"``), is joined to ``right`` with a space. A ``right`` that does not
    start with a letter or digit (a bracket, a quote) keeps the hyphen: nothing is
    lost when unsure.

    >>> join_hyphenated("stöd till egen-", "vård")
    'stöd till egenvård'
    >>> join_hyphenated("kommun-", "eller regionnivå")
    'kommun- eller regionnivå'
    >>> join_hyphenated("en SIP-", "mall")
    'en SIP-mall'
    """
    right = right.lstrip()
    if not left or left[-1] not in HYPHENS:
        return f"{left} {right}".strip() if right else left
    body = left[:-1]
    hyphen = "-" if left[-1] == "\u00ad" else left[-1]
    if not right:
        return body + hyphen
    stem = _last_word(body)
    if not stem:  # a dash standing alone, not a hyphenated word
        return f"{left} {right}"
    nxt = right.split(maxsplit=1)[0]
    if nxt.lower().rstrip(_TRAILING_PUNCTUATION) in COORDINATING_WORDS:
        return f"{body}{hyphen} {right}"
    if _keeps_hyphen(stem, nxt):
        return f"{body}{hyphen}{right}"
    return body + right


def _last_word(text: str) -> str:
    """The last whitespace-separated word of ``text``, without leading punctuation."""
    if not text or text[-1].isspace():
        return ""
    word = text.rsplit(maxsplit=1)[-1]
    start = next((i for i, char in enumerate(word) if char.isalnum()), len(word))
    return word[start:]


def _keeps_hyphen(stem: str, nxt: str) -> bool:
    """Whether the hyphen is part of the spelling rather than a line-break artefact."""
    if not stem:
        return True
    if len(stem) == 1 or any(char.isdigit() for char in stem):
        return True
    if any(char.isupper() for char in stem[1:]):
        return True
    first = nxt[0]
    return not first.isalpha() or first.isupper()
