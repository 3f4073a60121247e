"""``nvreport taxonomy suggest``: terms the reports use that the taxonomy does not cover.

:func:`suggest_terms` ranks the candidates of a :class:`~nvreport.analysis.candidates.TermStudy`
for a theme (or for whichever theme each belongs to most), and gives each the term to
write in the taxonomy (checked to match the words it was found as), how many actors
and passages use it near the theme, a few keyword-in-context lines with file and page,
and real sentences of the reports it would match. :func:`patch_yaml` writes the chosen
ones as a patch of terms with their ``match`` examples, for review in a pull request.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from nvreport.analysis.candidate_words import Candidate, Keyness
from nvreport.analysis.candidates import STUDY_COLUMNS, TermStudy
from nvreport.analysis.kwic import adhoc_taxonomy
from nvreport.analysis.run import analyse_folder
from nvreport.errors import UsageError
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.tagging.sentences import sentences_of
from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import Taxonomy
from nvreport.tagging.term_checks import term_problem

#: Keyword-in-context lines and example sentences given per candidate.
KWIC_LINES = 3
EXAMPLES = 3
#: Characters of context on each side of a keyword-in-context line.
KWIC_WIDTH = 45

#: Columns of ``--format csv``, in order.
SUGGEST_COLUMNS = (
    "rank",
    "term",
    "kind",
    "theme",
    "likely_theme",
    "score",
    "log_likelihood",
    "log_ratio",
    "general_ratio",
    "kinship",
    "like",
    "actors",
    "passages",
    "occurrences",
    "covered",
    "all_actors",
    "forms",
    "kwic_1",
    "kwic_2",
    "kwic_3",
)


@dataclass(frozen=True)
class KwicLine:
    actor: str
    file: str
    page: int | None
    left: str
    match: str
    right: str
    sentence: str

    def plain(self) -> str:
        page = f" s. {self.page}" if self.page is not None else ""
        return f"{self.actor or self.file}{page}: …{self.left}[{self.match}]{self.right}…"


@dataclass(frozen=True)
class Suggestion:
    rank: int
    term: str  # as it would be written in the taxonomy; matches the forms found
    key: str  # the lemmas it was counted by
    kind: str  # word, compound_head or phrase
    theme: str  # the theme it is ranked for
    likely_theme: str  # the theme it is most key for
    keyness: Keyness
    occurrences: int  # not covered by the taxonomy, in the whole corpus
    covered: int  # covered by a theme's terms
    all_actors: int  # actors using it anywhere
    forms: tuple[str, ...]  # as written, most frequent first
    kwic: tuple[KwicLine, ...]
    examples: tuple[str, ...]  # sentences the term, added to the theme, tags with it

    def record(self) -> dict[str, Any]:
        """The suggestion as ``--format json`` gives it."""
        return {
            "rank": self.rank,
            "term": self.term,
            "key": self.key,
            "kind": self.kind,
            "theme": self.theme,
            "likely_theme": self.likely_theme,
            "score": round(self.keyness.score, 3),
            "log_likelihood": round(self.keyness.log_likelihood, 3),
            "log_ratio": round(self.keyness.log_ratio, 3),
            "general_ratio": round(self.keyness.general_ratio, 3),
            "kinship": round(self.keyness.kinship, 3),
            "like": self.keyness.like,
            "actors": self.keyness.actors,
            "passages": self.keyness.passages,
            "occurrences": self.occurrences,
            "covered": self.covered,
            "all_actors": self.all_actors,
            "forms": list(self.forms),
            "kwic": [dataclasses.asdict(line) for line in self.kwic],
            "examples": list(self.examples),
        }

    def row(self) -> dict[str, Any]:
        """The suggestion as a row of ``--format csv`` (:data:`SUGGEST_COLUMNS`)."""
        record = self.record()
        lines = [line.plain() for line in self.kwic] + [""] * KWIC_LINES
        return {
            **{name: record[name] for name in SUGGEST_COLUMNS[: SUGGEST_COLUMNS.index("forms")]},
            "forms": "; ".join(self.forms),
            **{f"kwic_{number + 1}": lines[number] for number in range(KWIC_LINES)},
        }


def study_passages(
    folder: Path,
    gazetteer: Gazetteer,
    *,
    jobs: int = 1,
    cache_dir: Path | None = None,
    on_document: Callable | None = None,
) -> pd.DataFrame:
    """The passages of an ``analyse`` output folder (its ``passages.parquet``), or of
    the reports in ``folder``, read afresh (through the cache), with the columns of
    :data:`~nvreport.analysis.candidates.STUDY_COLUMNS`."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    parquet = folder / "passages.parquet"
    if parquet.is_file():
        try:
            return pd.read_parquet(parquet, columns=list(STUDY_COLUMNS))
        except Exception as error:  # damaged, or not nvreport's
            raise UsageError(
                f"{parquet}: not the passages nvreport analyse writes ({error}); "
                "analyse the reports again"
            ) from None
    if (folder / "comparison.json").is_file():
        raise UsageError(
            f"{folder} is a compare output and holds no passages: give a folder of reports "
            "or an analyse output"
        )
    analysis = analyse_folder(
        folder, gazetteer, None, jobs=jobs, cache_dir=cache_dir, on_document=on_document
    )
    if not any(record.doc_id for record in analysis.documents):
        raise UsageError(f"{folder}: no report could be read, so there are no words to study")
    return analysis.passages_frame()[list(STUDY_COLUMNS)]


def term_for(study: TermStudy, candidate: Candidate) -> str:
    """The term to write in the taxonomy for a candidate: its lemmas when they match
    every form found, else its most frequent form when that does, else its lemmas as a
    compound's first part ("e-tjänst*"); a compound head as ``*head``."""
    if candidate.kind == "compound_head":
        return candidate.key
    forms = [form for form, _ in candidate.forms.most_common()]
    options = [candidate.key, forms[0]] if forms else [candidate.key]
    last = candidate.key.rsplit(" ", 1)[-1]
    options.append(candidate.key if last.endswith("*") else candidate.key + "*")
    for option in options:
        if term_problem(option):
            continue
        tagger = Tagger(adhoc_taxonomy(option), study.tagger.nlp)
        if all(tagger.tag(form) for form in forms[:20]):
            return option
    return candidate.key


def _kwic(study: TermStudy, candidate: Candidate, theme: str) -> list[tuple[KwicLine, int]]:
    """Keyword-in-context lines of the candidate, near the theme first, one per actor
    before a second of any, in document order; each with its passage number."""
    near = [number for number in candidate.passages if theme in study.near[number]]
    rest = [number for number in candidate.passages if theme not in study.near[number]]
    found: list[tuple[KwicLine, int]] = []
    actors_seen: set[str] = set()
    for ordered in (near, rest):
        for second_pass in (False, True):
            for number in ordered:
                if len(found) >= max(KWIC_LINES, EXAMPLES * 3):
                    return found
                actor = study.actors[number] or study.files[number]
                if (actor in actors_seen) != second_pass:
                    continue
                if any(kept == number for _, kept in found):
                    continue
                spans = study.occurrences_in(number, candidate)
                if not spans:
                    continue
                actors_seen.add(actor)
                start, end = spans[0]
                text = study.texts[number]
                found.append(
                    (
                        KwicLine(
                            actor=study.actors[number],
                            file=study.files[number],
                            page=study.pages[number],
                            left=text[max(0, start - KWIC_WIDTH) : start],
                            match=text[start:end],
                            right=text[end : end + KWIC_WIDTH],
                            sentence=_sentence(study, number, start),
                        ),
                        number,
                    )
                )
    return found


def _sentence(study: TermStudy, number: int, position: int) -> str:
    text = study.texts[number]
    ((starts, lengths),) = study.tagger.tokenize([text])
    for sentence in sentences_of(starts, lengths, text):
        if sentence.start <= position < sentence.end:
            return text[sentence.start : sentence.end]
    return text


def with_term(taxonomy: Taxonomy, theme: str, terms: list[str]) -> Taxonomy:
    """A copy of the taxonomy with ``terms`` added to ``theme``'s terms."""
    entry = taxonomy.entries[theme]
    added = tuple(term for term in terms if term not in entry.terms)
    entries = dict(taxonomy.entries)
    entries[theme] = dataclasses.replace(entry, terms=entry.terms + added)
    return dataclasses.replace(taxonomy, entries=entries)


def _examples(study: TermStudy, term: str, theme: str, lines: list[KwicLine]) -> list[str]:
    """Sentences of the reports that the taxonomy, with the term added to the theme,
    tags with the theme: the patch's must-match examples."""
    tagger = Tagger(with_term(study.taxonomy, theme, [term]), study.tagger.nlp)
    found: list[str] = []
    for line in lines:
        sentence = " ".join(line.sentence.split())
        if sentence in found or not 20 <= len(sentence) <= 400:
            continue
        if any(match.theme == theme for match in tagger.tag(sentence)):
            found.append(sentence)
        if len(found) >= EXAMPLES:
            break
    return found


def suggest_terms(study: TermStudy, theme: str | None = None, limit: int = 20) -> list[Suggestion]:
    """The best ``limit`` candidates for ``theme`` (None: for any theme, each under the
    theme it is most key for), best first."""
    if theme is not None and theme not in study.theme_ids:
        raise UsageError(f"no theme '{theme}' in the taxonomy")
    suggestions = []
    for rank, (candidate, keyness, best) in enumerate(study.ranked(theme)[:limit], start=1):
        chosen = keyness.theme
        term = term_for(study, candidate)
        found = _kwic(study, candidate, chosen)
        lines = [line for line, _ in found]
        suggestions.append(
            Suggestion(
                rank=rank,
                term=term,
                key=candidate.key,
                kind=candidate.kind,
                theme=chosen,
                likely_theme=best.theme,
                keyness=keyness,
                occurrences=candidate.occurrences,
                covered=candidate.covered,
                all_actors=study.near_counts(candidate)[2],
                forms=tuple(form for form, _ in candidate.forms.most_common(5)),
                kwic=tuple(lines[:KWIC_LINES]),
                examples=tuple(_examples(study, term, chosen, lines)),
            )
        )
    return suggestions


def patch_yaml(suggestions: list[Suggestion], taxonomy: Taxonomy, corpus: str) -> str:
    """The suggestions as a patch of terms, by theme, each with the sentences it must
    match, for review in a pull request: copy the terms you accept into the theme's
    ``terms`` and the sentences into its ``examples: match``, then run ``nvreport
    taxonomy check`` and ``diff``. Written through the YAML emitter: report text is
    quoted as needed."""
    themes: dict[str, dict[str, Any]] = {}
    for suggestion in suggestions:
        entry = taxonomy.entries[suggestion.theme]
        block = themes.setdefault(
            suggestion.theme,
            {
                "id": entry.id,
                "label": entry.label,
                "terms": [],
                "examples": {"match": []},
                "evidence": [],
            },
        )
        block["terms"].append(suggestion.term)
        for sentence in suggestion.examples:
            if sentence not in block["examples"]["match"]:
                block["examples"]["match"].append(sentence)
        evidence = {
            "term": suggestion.term,
            "actors": suggestion.keyness.actors,
            "passages": suggestion.keyness.passages,
            "score": round(suggestion.keyness.score, 2),
            "likely_theme": suggestion.likely_theme,
        }
        if suggestion.keyness.like:  # the theme's term it is most made of the words of
            evidence["like"] = suggestion.keyness.like
        block["evidence"].append({**evidence, "kwic": [line.plain() for line in suggestion.kwic]})
    document = {
        "suggested_by": "nvreport taxonomy suggest",
        "taxonomy": {
            "file": taxonomy.source,
            "version": taxonomy.version,
            "sha256": taxonomy.sha256,
        },
        "corpus": corpus,
        "themes": list(themes.values()),
    }
    header = (
        "# Candidate terms for review. For each theme: add the terms you accept to its\n"
        "# terms in the taxonomy and their sentences to its examples: match, then run\n"
        "# nvreport taxonomy check and nvreport taxonomy diff before you commit.\n"
        "# evidence: actors and passages using the term near the theme, and where.\n"
    )
    return header + yaml.safe_dump(
        document, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )


__all__ = [
    "SUGGEST_COLUMNS",
    "KwicLine",
    "Suggestion",
    "patch_yaml",
    "study_passages",
    "suggest_terms",
    "term_for",
    "with_term",
]
