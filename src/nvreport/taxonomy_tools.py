"""Taxonomy changes checked like code: ``taxonomy check`` and ``taxonomy diff``.

:func:`check_taxonomy` validates a file and lints it (an exclude that can never
apply, a term another term of the theme already covers), then runs every example:
a must-match sentence must be tagged with its theme, a must-not-match sentence must
not. Every finding has the file, the line and a message that says what matched and
why.

:func:`diff_taxonomies` tells a reviewer what a change does: themes and terms added,
removed or changed, and, on a corpus, which passages gain or lose each theme and
how coverage per theme and actor type moves.
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from nvreport.aggregate import coverage, themes_by_document
from nvreport.errors import UsageError
from nvreport.pipeline import Analysis, tag_passages
from nvreport.tag import Match, Tagger, make_nlp, passage_themes
from nvreport.taxonomy import Taxonomy, TaxonomyError, Theme, load_taxonomy, parse_problem

if TYPE_CHECKING:  # spaCy is imported only when text is tokenised: start-up stays short
    from spacy.language import Language


@dataclass(frozen=True)
class Finding:
    """One problem in a taxonomy file."""

    file: str
    line: int
    column: int
    message: str
    kind: str  # "schema", "lint" or "example"


@dataclass
class CheckReport:
    file: str
    version: str = ""
    findings: list[Finding] = field(default_factory=list)
    examples_run: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings


def _single(theme: Theme, terms: tuple[str, ...]) -> Taxonomy:
    """A taxonomy holding one theme with only ``terms`` (no excludes, no near rules)."""
    entry = dataclasses.replace(theme, terms=terms, exclude=(), near=(), lines={})
    return Taxonomy("check", "", (), (), {theme.id: entry}, "", "")


def _words_of(term: str) -> str:
    """The plain words a term stands for, to test it against other terms."""
    return " ".join(word.strip("*") for word in term.split())


def lint_theme(theme: Theme, file: str, nlp: Language) -> list[Finding]:
    """Excludes that can never apply, and terms another term already covers.

    An exclude can apply only where a term (or a near rule's term) of its theme
    matches inside it. A term without wildcards is unreachable when another term of
    the theme matches its words: every passage it would tag is tagged already.
    """
    findings: list[Finding] = []

    def tagger(terms: tuple[str, ...]) -> Tagger:
        return Tagger(_single(theme, terms), nlp)

    def at(key: str) -> int:
        return theme.lines.get(key, theme.line)

    if theme.exclude:
        # an exclude applies where it overlaps a term's match: it can, only if some
        # word of it is a word of a term (or of a near rule's term)
        terms = (*theme.terms, *(rule.term for rule in theme.near))
        words = tuple(dict.fromkeys(w for t in terms if not t.startswith("re:") for w in t.split()))
        exclude_tagger = tagger(words) if words else None
        for index, exclude in enumerate(theme.exclude):
            if exclude.startswith("re:") or exclude_tagger is None:
                continue
            if not exclude_tagger.tag(_words_of(exclude)):
                findings.append(
                    Finding(
                        file,
                        at(f"exclude.{index}"),
                        1,
                        f"{theme.id}: the exclude {exclude!r} can never apply: none of its "
                        "words is a word of the theme's terms",
                        "lint",
                    )
                )
    seen: set[str] = set()
    for index, term in enumerate(theme.terms):
        if term in seen:
            findings.append(
                Finding(
                    file,
                    at(f"terms.{index}"),
                    1,
                    f"{theme.id}: the term {term!r} is listed twice",
                    "lint",
                )
            )
            continue
        seen.add(term)
        if term.startswith("re:") or "*" in term:
            continue  # a wildcard term matches more than its own words
        others = tuple(o for o in theme.terms if o != term and not o.startswith("re:"))
        if not others:
            continue
        covering = tagger(others).tag(_words_of(term))
        if covering:
            findings.append(
                Finding(
                    file,
                    at(f"terms.{index}"),
                    1,
                    f"{theme.id}: the term {term!r} is unreachable: {covering[0].term!r} "
                    "already matches wherever it does",
                    "lint",
                )
            )
    return findings


def _explain(matches: list[Match], theme: Theme) -> str:
    found = [m for m in matches if m.theme == theme.id]
    if found:
        return "; ".join(f"{m.text!r} by term {m.term!r}" for m in found)
    return "no term matched"


def run_examples(
    taxonomy: Taxonomy, tagger: Tagger, file: str, nlp: Language
) -> tuple[list[Finding], int]:
    """Run every example; a failure shows the sentence, what matched and why."""
    findings: list[Finding] = []
    count = 0
    for theme in taxonomy.entries.values():
        for key, sentences, must in (
            ("match", theme.examples_match, True),
            ("no_match", theme.examples_no_match, False),
        ):
            for index, sentence in enumerate(sentences):
                count += 1
                matches = tagger.tag(sentence)
                tagged = theme.id in passage_themes(matches)
                if tagged == must:
                    continue
                line = theme.lines.get(f"{key}.{index}", theme.line)
                if must:
                    why = _why_missed(theme, sentence, nlp)
                    message = f"{theme.id}: must match but was not tagged: {sentence!r} ({why})"
                else:
                    message = (
                        f"{theme.id}: must not match but was tagged: {sentence!r} "
                        f"(matched {_explain(matches, theme)})"
                    )
                findings.append(Finding(file, line, 1, message, "example"))
    return findings, count


def _why_missed(theme: Theme, sentence: str, nlp: Language) -> str:
    """Why a must-match sentence was not tagged: no term, or an exclude, or a near rule."""
    bare = Tagger(_single(theme, theme.terms), nlp).tag(sentence) if theme.terms else []
    if bare:
        return f"{bare[0].text!r} matched term {bare[0].term!r} but an exclude covers it"
    near_terms = tuple(rule.term for rule in theme.near)
    if near_terms and Tagger(_single(theme, near_terms), nlp).tag(sentence):
        needed = "; ".join(f"{rule.term!r} needs {list(rule.near)}" for rule in theme.near)
        return f"a near rule's term matched but nothing it needs was close: {needed}"
    return "no term matched"


def check_taxonomy(path: Path) -> CheckReport:
    """Validate, lint and run the examples of one taxonomy file."""
    report = CheckReport(str(path))
    try:
        taxonomy = load_taxonomy(path)
    except TaxonomyError as error:
        for problem in error.problems:
            line, column, message = parse_problem(problem)
            report.findings.append(Finding(str(path), line, column, message, "schema"))
        return report
    report.version = taxonomy.version
    nlp = make_nlp()
    for theme in taxonomy.entries.values():
        report.findings.extend(lint_theme(theme, str(path), nlp))
    findings, count = run_examples(taxonomy, Tagger(taxonomy, nlp), str(path), nlp)
    report.findings.extend(findings)
    report.examples_run = count
    return report


def github_annotations(reports: list[CheckReport]) -> list[str]:
    """GitHub Actions workflow commands, one per finding."""
    lines = []
    for report in reports:
        for f in report.findings:
            message = f.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            lines.append(
                f"::error file={f.file},line={max(f.line, 1)},col={max(f.column, 1)}::{message}"
            )
    return lines


# --- diff ------------------------------------------------------------------------------


def resolve_taxonomy_source(spec: str, workdir: Path) -> Path:
    """A path, or a git revision and path ("main:taxonomies/nara-vard.yaml")."""
    path = Path(spec)
    if path.is_file():
        return path
    if ":" in spec and not Path(spec.split(":", 1)[0]).exists():
        try:
            content = subprocess.run(
                ["git", "show", spec], capture_output=True, check=True, cwd=workdir
            ).stdout
        except (OSError, subprocess.CalledProcessError) as error:
            detail = getattr(error, "stderr", b"").decode("utf-8", "replace").strip()
            raise UsageError(f"{spec}: cannot read it from git ({detail or error})") from None
        with tempfile.NamedTemporaryFile(
            prefix="nvreport-", suffix=".yaml", delete=False
        ) as handle:
            handle.write(content)
        return Path(handle.name)
    raise UsageError(f"{spec}: no such file, and not a git revision:path")


@dataclass
class TaxonomyDiff:
    old: Taxonomy
    new: Taxonomy
    added: list[str]
    removed: list[str]
    changed: dict[str, list[str]]  # theme -> what changed, in words
    gained: pd.DataFrame  # theme, actor, file, page, text: passages that gain the theme
    lost: pd.DataFrame
    coverage: pd.DataFrame  # theme, actor_type, year, before/after active, planned, mentioned


def _term_changes(old: Theme, new: Theme) -> list[str]:
    changes = []
    for name in ("terms", "exclude"):
        before, after = set(getattr(old, name)), set(getattr(new, name))
        changes += [
            f"{name[:-1] if name == 'terms' else name} added: {t}" for t in sorted(after - before)
        ]
        changes += [
            f"{name[:-1] if name == 'terms' else name} removed: {t}" for t in sorted(before - after)
        ]
    if old.near != new.near:
        changes.append("near rules changed")
    for name in ("label", "description", "framework_area", "group"):
        if getattr(old, name) != getattr(new, name):
            changes.append(f"{name} changed")
    return changes


def diff_taxonomies(old: Taxonomy, new: Taxonomy, corpus: Analysis | None) -> TaxonomyDiff:
    """What changes between two taxonomies, and what that does to a corpus."""
    added = [tid for tid in new.entries if tid not in old.entries]
    removed = [tid for tid in old.entries if tid not in new.entries]
    changed = {
        tid: found
        for tid in new.entries
        if tid in old.entries and (found := _term_changes(old.entries[tid], new.entries[tid]))
    }
    gained_rows, lost_rows, coverage_rows = [], [], []
    if corpus is not None:
        nlp = make_nlp()
        tagged = {}
        for name, taxonomy in (("before", old), ("after", new)):
            tagger = Tagger(taxonomy, nlp)
            matches: list[list[Match]] = []
            by_doc: dict[str, list] = {}
            for passage in corpus.passages:
                by_doc.setdefault(passage.doc_id, []).append(passage)
            years = {r.doc_id: r.meta.year for r in corpus.documents if r.doc_id}
            for doc_id, passages in by_doc.items():
                matches.extend(tag_passages(passages, tagger, years.get(doc_id)))
            tagged[name] = dataclasses.replace(corpus, matches=matches, taxonomy=taxonomy)
        records = {r.doc_id: r for r in corpus.documents if r.doc_id}
        for number, passage in enumerate(corpus.passages):
            before = set(passage_themes(tagged["before"].matches[number]))
            after = set(passage_themes(tagged["after"].matches[number]))
            record = records[passage.doc_id]
            for theme in sorted(after - before):
                gained_rows.append(_passage_row(theme, record, passage))
            for theme in sorted(before - after):
                lost_rows.append(_passage_row(theme, record, passage))
        covered = {
            name: coverage(analysis, themes_by_document(analysis))
            for name, analysis in tagged.items()
        }
        themes = list(dict.fromkeys([*old.theme_ids, *new.theme_ids]))
        for theme in themes:
            for actor_type in sorted(
                set(covered["after"]["actor_type"]) | set(covered["before"]["actor_type"])
            ):
                row = {"theme": theme, "actor_type": actor_type}
                for name, frame in covered.items():
                    found = frame[(frame["theme"] == theme) & (frame["actor_type"] == actor_type)]
                    for column in ("actors", "active", "planned"):
                        row[f"{column}_{name}"] = int(found[column].sum()) if len(found) else 0
                coverage_rows.append(row)
    columns = ["theme", "actor", "file", "page", "text"]
    return TaxonomyDiff(
        old=old,
        new=new,
        added=added,
        removed=removed,
        changed=changed,
        gained=pd.DataFrame(gained_rows, columns=columns),
        lost=pd.DataFrame(lost_rows, columns=columns),
        coverage=pd.DataFrame(coverage_rows),
    )


def _passage_row(theme: str, record, passage) -> dict:
    return {
        "theme": theme,
        "actor": record.meta.actor or record.source.relpath,
        "file": record.source.relpath,
        "page": passage.page,
        "text": passage.text,
    }


def diff_markdown(diff: TaxonomyDiff, examples: int = 3) -> str:
    """The diff as Markdown for a pull-request comment."""
    old, new = diff.old, diff.new
    lines = [f"## Taxonomy change: {old.version} → {new.version}", ""]
    if not (diff.added or diff.removed or diff.changed):
        lines.append("No themes or terms changed.")
    for tid in diff.added:
        lines.append(f"- **Added** `{tid}` ({new.entries[tid].label})")
    for tid in diff.removed:
        lines.append(f"- **Removed** `{tid}` ({old.entries[tid].label})")
    for tid, changes in diff.changed.items():
        lines.append(f"- **Changed** `{tid}`: " + "; ".join(changes))
    if not diff.coverage.empty:
        moved = diff.coverage[
            (diff.coverage["active_before"] != diff.coverage["active_after"])
            | (diff.coverage["planned_before"] != diff.coverage["planned_after"])
        ]
        lines += ["", "### Effect on coverage", ""]
        if moved.empty:
            lines.append("Coverage is unchanged for every theme and actor type.")
        else:
            lines += [
                "| theme | actor type | active before | active after "
                "| planned before | planned after |",
                "|---|---|---:|---:|---:|---:|",
            ]
            for row in moved.itertuples():
                lines.append(
                    f"| `{row.theme}` | {row.actor_type} | {row.active_before} | "
                    f"{row.active_after} | {row.planned_before} | {row.planned_after} |"
                )
        for title, frame in (("gain", diff.gained), ("lose", diff.lost)):
            if frame.empty:
                continue
            lines += ["", f"### Passages that {title} a theme ({len(frame)})", ""]
            for theme, group in frame.groupby("theme", sort=True):
                lines.append(f"- `{theme}`: {len(group)} passages, for example:")
                for row in group.head(examples).itertuples():
                    page = "" if pd.isna(row.page) else f", s. {int(row.page)}"
                    text = row.text if len(row.text) <= 200 else row.text[:197] + "…"
                    lines.append(f"  - {row.actor} ({row.file}{page}): “{text}”")
    return "\n".join(lines) + "\n"
