"""What became of every word of a report's text layer, and the warnings it gives.

:func:`account_entry` turns a reader's :class:`~nvreport.models.TextAccount` and the
passages made from it into the figures of ``documents.csv`` (:func:`text_figures`) and
the messages of a document that was only partly read (:func:`account_messages`).
"""

from __future__ import annotations

from collections.abc import Sequence

from nvreport.ingest.normalize import count_words
from nvreport.models import (
    LEFT_OUT_REASONS,
    Block,
    DocumentRecord,
    TextAccount,
)

#: The text accounting of a document, in order: the words of its text layer, the
#: words kept in passages, the words left out for each reason of
#: :data:`~nvreport.models.LEFT_OUT_REASONS`, the body words (the text layer less
#: what was left out) and the share of them kept. The last columns of
#: ``documents.csv``, and keys of each file's entry in ``run.json``.
TEXT_COLUMNS = (
    "text_layer_words",
    "kept_words",
    *(f"left_out_{reason}" for reason in LEFT_OUT_REASONS),
    "body_words",
    "kept_share",
)

# --- text accounting ----------------------------------------------------------------

#: A page whose blocks hold at least this many words (a table of contents not
#: counted) must yield a passage, or the document gets a warning.
PAGE_WORDS_EXPECTED = 30
#: A document whose passages hold less than this share of its body words (the text
#: layer less what was left out for a reason) gets a warning.
KEPT_SHARE_EXPECTED = 0.97
#: Pages named in a message, at most: the pages with the most loss, or the first
#: pages that yield nothing.
_LOSS_PAGES_NAMED = 3
_SILENT_PAGES_NAMED = 12


def account_entry(
    account: TextAccount | None,
    blocks: Sequence[Block],
    pages: Sequence[int | None],
    word_counts: Sequence[int],
) -> tuple | None:
    """The reader's ``account`` completed with the words the passage splitter left
    out as a table of contents (from the passages' ``pages`` and ``word_counts``),
    as plain tuples for the cache: (layer words,
    ((reason, words) for every reason of :data:`~nvreport.models.LEFT_OUT_REASONS`),
    words per page, contents words per page). None when the reader gives no account.

    The splitter leaves out only contents blocks (and cuts a long block without
    losing words), so the contents words are the blocks' words less the passages';
    per page, by the page each block and passage starts on."""
    if account is None:
        return None
    block_words: dict[int | None, int] = {}
    for block in blocks:
        block_words[block.page] = block_words.get(block.page, 0) + count_words(block.text)
    kept: dict[int | None, int] = {}
    for page, words in zip(pages, word_counts, strict=True):
        kept[page] = kept.get(page, 0) + words
    contents = max(0, sum(block_words.values()) - sum(kept.values()))
    by_page = {page: max(0, words - kept.get(page, 0)) for page, words in block_words.items()}
    # a reader may leave a table of contents out itself (Word's TOC styles): both count
    left_out = tuple(
        (reason, account.left_out_words(reason) + (contents if reason == "contents" else 0))
        for reason in LEFT_OUT_REASONS
    )
    # a reason outside LEFT_OUT_REASONS explains nothing: its words count as lost
    page_contents = tuple(by_page.get(page, 0) for page in range(1, len(account.page_words) + 1))
    page_words = tuple(int(words) for words in account.page_words)
    return (int(account.layer_words), left_out, page_words, page_contents)


def body_words(account: TextAccount) -> int:
    """The words of the text layer less every word left out for a reason."""
    return account.layer_words - sum(account.left_out_words(reason) for reason in LEFT_OUT_REASONS)


def kept_share(kept: int, body: int) -> float:
    """The share of the body words kept, as ``documents.csv`` shows it (four
    decimals); what the warning below :data:`KEPT_SHARE_EXPECTED` is decided on."""
    return round(kept / body, 4)


def text_figures(record: DocumentRecord) -> dict[str, int | float | None]:
    """A document's text accounting, :data:`TEXT_COLUMNS` -> value; None (an empty
    cell) throughout when its reader gives no account, and for ``kept_share`` when
    there are no body words."""
    account = record.account
    if account is None:
        return dict.fromkeys(TEXT_COLUMNS)
    body = body_words(account)
    return {
        "text_layer_words": account.layer_words,
        "kept_words": record.words,
        **{f"left_out_{reason}": account.left_out_words(reason) for reason in LEFT_OUT_REASONS},
        "body_words": body,
        "kept_share": kept_share(record.words, body) if body > 0 else None,
    }


def text_totals(documents: Sequence[DocumentRecord]) -> dict[str, int | float | None]:
    """The text accounting summed over the documents whose reader gives one
    (``documents`` counts them); ``kept_share`` is of the summed words."""
    accounted = [text_figures(record) for record in documents if record.account is not None]
    totals: dict[str, int | float | None] = {"documents": len(accounted)}
    for column in TEXT_COLUMNS[:-1]:
        totals[column] = sum(figures[column] or 0 for figures in accounted)
    kept, body = totals["kept_words"] or 0, totals["body_words"] or 0
    totals["kept_share"] = kept_share(kept, body) if body > 0 else None
    return totals


def _pages_named(pages: Sequence[int], limit: int) -> str:
    """Pages as a message names them: "4", "4 and 5", "4, 5 and 9"; beyond ``limit``
    pages, "1, 2, 3 and 12 more"."""
    shown = [str(page) for page in pages[:limit]]
    if len(pages) > limit:
        return f"{', '.join(shown)} and {len(pages) - limit} more"
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def account_messages(
    account: TextAccount,
    page_contents: Sequence[int],
    pages: Sequence[int | None],
    word_counts: Sequence[int],
) -> list[str]:
    """Warnings about words that reach no passage, for a document with this account,
    contents words per page and passages (their pages and word counts).

    A page yields no passage when its blocks hold :data:`PAGE_WORDS_EXPECTED` words
    or more (its table of contents not counted), no passage starts on it, and the
    passages of earlier pages do not run onto it: the words of the passages started
    so far exceed the words of the pages so far by less than half the page's words.
    A page's loss is its words less the words of the passages starting on it (less
    what earlier passages ran onto it); the pages with the most loss are named when
    the passages hold less than :data:`KEPT_SHARE_EXPECTED` of the body words."""
    expected = [
        max(0, words - contents)
        for words, contents in zip(account.page_words, page_contents, strict=False)
    ]
    expected += account.page_words[len(expected) :]
    got = [0] * len(expected)
    started = [False] * len(expected)
    for page, words in zip(pages, word_counts, strict=True):
        if page is not None and 1 <= page <= len(expected):
            got[page - 1] += words
            started[page - 1] = True
    silent: list[int] = []
    losses: list[tuple[int, int]] = []  # (words lost, page)
    carried = 0  # words of earlier passages not yet matched by their pages' words
    for number, (want, have) in enumerate(zip(expected, got, strict=True), start=1):
        if not started[number - 1] and want >= PAGE_WORDS_EXPECTED and carried < want / 2:
            silent.append(number)
        balance = want - have - carried
        carried = max(0, -balance)
        if balance > 0:
            losses.append((balance, number))
    messages: list[str] = []
    if len(silent) == 1:
        messages.append(
            f"page {silent[0]} yields no passage although it holds "
            f"{PAGE_WORDS_EXPECTED} or more words"
        )
    elif silent:
        messages.append(
            f"pages {_pages_named(silent, _SILENT_PAGES_NAMED)} yield no passages although "
            f"they hold {PAGE_WORDS_EXPECTED} or more words"
        )
    body, kept = body_words(account), sum(word_counts)
    if body > 0 and kept_share(kept, body) < KEPT_SHARE_EXPECTED:
        message = (
            f"only {kept * 100 // body}% of the body words ({kept:,} of {body:,}) reach a passage"
        )
        worst = sorted(page for _, page in sorted(losses, reverse=True)[:_LOSS_PAGES_NAMED])
        if worst:
            message += f"; pages with the most loss: {', '.join(map(str, worst))}"
        messages.append(message)
    return messages
