"""How much an untagged passage reads like the passages a theme is tagged in.

A passage whose only word for a theme is one the taxonomy lacks carries no tag, yet
the rest of its words (the principals it names, the work it describes) are those of
the theme's tagged passages. :func:`theme_affinities` gives each body passage, for
each theme, the probability that a passage reading as it does is tagged with the
theme:

* **Evidence words**: a word counts for a theme by how much more often the theme's
  tagged passages use it than the other passages do (the log of the ratio of the
  two shares of passages, smoothed; Bernoulli naive Bayes), and only when that is
  positive, so that a word the tagged passages lack (such as the very term the
  taxonomy misses) does not pull a passage away from the theme.
* **Score**: a passage's score is the sum of its distinct words' evidence. A tagged
  passage is scored with the evidence counted without it (leave one out), and
  without the words the theme matched in it, so that it is scored as an untagged one
  is: by the words around the theme's terms, learnt from other passages.
* **Calibration**: the share of tagged passages among the passages of each score,
  by isotonic regression (pool adjacent violators: the higher the score, the higher
  the share), is the affinity.

Deterministic, and a sort and a few passes over the words per theme: numpy arrays, no
model to train.
"""

from __future__ import annotations

from array import array
from collections.abc import Collection, Sequence

import numpy as np

#: Additive smoothing of the shares of passages using a word.
SMOOTHING = 0.5
#: Words used in fewer tagged passages than this are no evidence for the theme
#: (counted without the passage scored).
MIN_TAGGED = 2


def _isotonic(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The non-decreasing sequence closest to ``values`` in weighted least squares
    (pool adjacent violators)."""
    means: list[float] = []
    sizes: list[float] = []
    counts: list[int] = []
    for value, weight in zip(values.tolist(), weights.tolist(), strict=True):
        means.append(value)
        sizes.append(weight)
        counts.append(1)
        while len(means) > 1 and means[-2] > means[-1]:
            size = sizes[-2] + sizes[-1]
            mean = (means[-2] * sizes[-2] + means[-1] * sizes[-1]) / size
            count = counts[-2] + counts[-1]
            del means[-1], sizes[-1], counts[-1]
            means[-1], sizes[-1], counts[-1] = mean, size, count
    return np.repeat(np.array(means), np.array(counts))


def calibrated(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The share of ``mask`` among passages scored as each is, non-decreasing in the
    score (isotonic regression; passages of equal score share one value)."""
    levels, inverse = np.unique(scores, return_inverse=True)
    sizes = np.bincount(inverse, minlength=levels.size).astype(float)
    shares = np.bincount(inverse, weights=mask.astype(float), minlength=levels.size) / sizes
    return _isotonic(shares, sizes)[inverse]


def theme_affinities(
    size: int,
    rows: np.ndarray,
    words: np.ndarray,
    tagged: dict[str, np.ndarray],
    hidden: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """For each theme of ``tagged`` (a boolean per passage: tagged with it), the
    affinity of each of ``size`` passages (see the module). ``rows`` and ``words``
    say which passage uses which word (by number, each pair once); ``hidden`` gives,
    per theme, the numbers of the pairs where the word is one of the theme's own
    matches (left out: the words around a match are the evidence, not the match).

    Hundreds of reports make millions of pairs: each theme's arrays over the pairs
    are worked on in place, a few at a time."""
    if not size or not words.size:
        return {theme: np.zeros(size) for theme in tagged}
    vocabulary = int(words.max()) + 1
    found: dict[str, np.ndarray] = {}
    for theme, mask in tagged.items():
        count = int(mask.sum())
        if count <= MIN_TAGGED or count >= size:
            found[theme] = np.zeros(size)
            continue
        theme_rows, theme_words = rows, words
        if theme in hidden:
            shown = np.ones(words.size, dtype=bool)
            shown[hidden[theme]] = False
            theme_rows, theme_words = rows[shown], words[shown]
            del shown
        inside = mask[theme_rows]
        used = np.bincount(theme_words, minlength=vocabulary).astype(float)
        used_tagged = np.bincount(theme_words[inside], minlength=vocabulary).astype(float)
        # per pair: the counts without the passage itself when it is tagged (whole
        # numbers: exact in any order)
        own = inside.astype(float)
        del inside
        tagged_uses = used_tagged[theme_words]
        tagged_uses -= own
        other_uses = used[theme_words]
        other_uses -= tagged_uses
        other_uses -= own
        weak = tagged_uses < MIN_TAGGED
        # log(((tagged_uses + s) / (count - own + 2s)) / ((other_uses + s) / (size - count
        # + 2s))), each step as that expression takes it
        evidence = tagged_uses
        evidence += SMOOTHING
        np.subtract(count, own, out=own)
        own += 2 * SMOOTHING
        evidence /= own
        del own
        other_uses += SMOOTHING
        other_uses /= size - count + 2 * SMOOTHING
        evidence /= other_uses
        del other_uses
        np.log(evidence, out=evidence)
        weak |= evidence < 0
        evidence[weak] = 0.0
        del weak
        scores = np.bincount(theme_rows, weights=evidence, minlength=size)
        found[theme] = calibrated(scores, mask)
    return found


def passage_affinities(
    units: Sequence[Sequence[tuple[str, str, int, int, str]]],
    spans: Sequence[Sequence[tuple[str, int, int]]],
    themes: Sequence[Collection[str]],
    theme_ids: Sequence[str],
) -> dict[str, np.ndarray]:
    """:func:`theme_affinities` of passages given as their candidate units (only the
    words count, see :func:`~nvreport.analysis.candidate_words.text_units`), the spans
    of their theme matches and the themes they are tagged with. A word every use of
    which in a passage is one of a theme's matches is left out for that theme."""
    vocabulary: dict[str, int] = {}
    rows, words = array("i"), array("i")  # a pair's passage and word, by number
    hidden: dict[str, array] = {}  # theme -> the pairs its matches cover
    for position, (found, matched) in enumerate(zip(units, spans, strict=True)):
        covering: dict[str, set[str]] = {}  # word -> the themes covering every use
        for key, kind, start, end, _ in found:
            if kind != "word":
                continue
            by = {theme for theme, a, b in matched if a < end and start < b}
            covering[key] = covering[key] & by if key in covering else by
        for key in sorted(covering):
            for theme in covering[key]:
                hidden.setdefault(theme, array("i")).append(len(rows))
            rows.append(position)
            words.append(vocabulary.setdefault(key, len(vocabulary)))
    tagged = {
        theme: np.fromiter((theme in each for each in themes), dtype=bool, count=len(themes))
        for theme in theme_ids
    }
    return theme_affinities(
        len(units),
        np.frombuffer(rows, dtype=np.intc),
        np.frombuffer(words, dtype=np.intc),
        tagged,
        {theme: np.frombuffer(pairs, dtype=np.intc) for theme, pairs in hidden.items()},
    )
