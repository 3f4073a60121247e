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

import atexit
import dataclasses
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from nvreport.analysis.aggregate import coverage, themes_by_document
from nvreport.analysis.document import tag_passages
from nvreport.analysis.tables import Analysis
from nvreport.errors import UsageError
from nvreport.tagging.tagger import Match, Tagger, make_nlp, passage_themes
from nvreport.tagging.taxonomy import (
    MAX_TAXONOMY_BYTES,
    Taxonomy,
    TaxonomyError,
    Theme,
    load_taxonomy,
    load_taxonomy_text,
    parse_problem,
)

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
        return Tagger(_single(theme, terms), nlp, subthemes=True)

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
    # one tagger holds every plain term of the theme, each as an entry of its own (so
    # that no term's match hides another's): a term's words are tagged once, and any
    # match by another term covers it. Building a tagger per term made the check
    # quadratic in a theme's terms (1,000 terms: 36 s).
    plain = [term for term in dict.fromkeys(theme.terms) if not term.startswith("re:")]
    number = {term: position for position, term in enumerate(plain)}
    covering_tagger = (
        Tagger(_each_its_own(theme, plain), nlp, subthemes=True) if len(plain) > 1 else None
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
        if term.startswith("re:") or "*" in term or covering_tagger is None:
            continue  # a wildcard term matches more than its own words
        own = _entry_id(number[term])
        covering = [m for m in covering_tagger.tag(_words_of(term)) if m.theme != own]
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


def _entry_id(number: int) -> str:
    return f"term_{number:07d}"  # sorts in the order of the terms


def _each_its_own(theme: Theme, terms: list[str]) -> Taxonomy:
    """A taxonomy with one entry per term of ``theme``, each with only that term."""
    entries = {
        _entry_id(number): dataclasses.replace(
            theme, id=_entry_id(number), terms=(term,), exclude=(), near=(), lines={}
        )
        for number, term in enumerate(terms)
    }
    return Taxonomy("check", "", (), (), entries, "", "")


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
    explain = _Explainer(nlp)
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
                    why = explain.why_missed(theme, sentence)
                    message = f"{theme.id}: must match but was not tagged: {sentence!r} ({why})"
                else:
                    message = (
                        f"{theme.id}: must not match but was tagged: {sentence!r} "
                        f"(matched {_explain(matches, theme)})"
                    )
                findings.append(Finding(file, line, 1, message, "example"))
    return findings, count


class _Explainer:
    """Why a must-match sentence was not tagged: no term, or an exclude, or a near
    rule. Its taggers are built once per theme, however many examples fail."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.taggers: dict[tuple[str, str], Tagger] = {}

    def _tagger(self, theme: Theme, name: str, terms: tuple[str, ...]) -> Tagger:
        key = (theme.id, name)
        if key not in self.taggers:
            self.taggers[key] = Tagger(_single(theme, terms), self.nlp, subthemes=True)
        return self.taggers[key]

    def why_missed(self, theme: Theme, sentence: str) -> str:
        bare = self._tagger(theme, "terms", theme.terms).tag(sentence) if theme.terms else []
        if bare:
            return f"{bare[0].text!r} matched term {bare[0].term!r} but an exclude covers it"
        near_terms = tuple(rule.term for rule in theme.near)
        if near_terms and self._tagger(theme, "near", near_terms).tag(sentence):
            needed = "; ".join(
                f"{rule.term!r} needs {', '.join(map(repr, rule.near))}" for rule in theme.near
            )
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
    findings, count = run_examples(taxonomy, Tagger(taxonomy, nlp, subthemes=True), str(path), nlp)
    report.findings.extend(findings)
    report.examples_run = count
    return report


def _workflow_data(text: str) -> str:
    """Text as the message of a GitHub workflow command: ``%``, CR and LF escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _workflow_property(text: str) -> str:
    """Text as a property value of a workflow command, where ``,`` and ``:`` end it."""
    return _workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(reports: list[CheckReport]) -> list[str]:
    """GitHub Actions workflow commands, one per finding."""
    return [
        f"::error file={_workflow_property(f.file)},line={max(f.line, 1)},"
        f"col={max(f.column, 1)}::{_workflow_data(f.message)}"
        for report in reports
        for f in report.findings
    ]


# --- diff ------------------------------------------------------------------------------


#: How long ``git`` may take to hand over one file.
GIT_TIMEOUT = 60


def read_git_taxonomy(spec: str, workdir: Path) -> bytes:
    """The bytes of ``REV:PATH`` in the git repository at ``workdir``.

    The revision is checked before git sees it: it must not begin with ``-`` (git
    would take it for an option: ``--output=FILE`` writes a file), and it is given
    after ``--end-of-options``, so git never reads it as one. Only a file (a blob) is
    read, of at most :data:`~nvreport.tagging.taxonomy.MAX_TAXONOMY_BYTES`.
    """
    revision, _, name = spec.partition(":")
    if not revision or revision.startswith("-") or not name or "\n" in spec or "\0" in spec:
        raise UsageError(f"{spec!r}: not a git revision:path (main:taxonomies/nara-vard.yaml)")
    git = ["git", "-c", "core.fsmonitor=false"]

    def run(*arguments: str) -> bytes:
        try:
            done = subprocess.run(
                [*git, *arguments, "--end-of-options", spec],
                capture_output=True,
                check=True,
                cwd=workdir,
                timeout=GIT_TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        except FileNotFoundError:
            raise UsageError(f"{spec}: cannot read it from git: git is not installed") from None
        except subprocess.TimeoutExpired:
            raise UsageError(
                f"{spec}: cannot read it from git: no answer in {GIT_TIMEOUT} s"
            ) from None
        except (OSError, subprocess.CalledProcessError) as error:
            detail = (getattr(error, "stderr", None) or b"").decode("utf-8", "replace").strip()
            detail = detail.splitlines()[0] if detail else "git failed"
            raise UsageError(f"{spec}: cannot read it from git ({detail})") from None
        return done.stdout

    kind = run("cat-file", "-t").decode("ascii", "replace").strip()
    if kind != "blob":
        raise UsageError(f"{spec}: not a file in git (it is a {kind or 'missing object'})")
    size = int(run("cat-file", "-s").strip() or 0)
    if size > MAX_TAXONOMY_BYTES:
        raise UsageError(
            f"{spec}: the file is {size / 2**20:.1f} MiB: a taxonomy may be at most "
            f"{MAX_TAXONOMY_BYTES // 2**20} MiB"
        )
    return run("cat-file", "blob")


def _is_git_spec(spec: str) -> bool:
    return ":" in spec and not Path(spec.split(":", 1)[0]).exists()


def load_taxonomy_source(spec: str, workdir: Path) -> Taxonomy:
    """A taxonomy from a path, or from a git revision and path
    ("main:taxonomies/nara-vard.yaml"), read in memory: no file is left behind."""
    path = Path(spec)
    if path.is_file():
        return load_taxonomy(path)
    if _is_git_spec(spec):
        return load_taxonomy_text(read_git_taxonomy(spec, workdir), spec)
    raise UsageError(f"{spec}: no such file, and not a git revision:path")


_TEMPORARIES: list[Path] = []


def _remove_temporaries() -> None:
    while _TEMPORARIES:
        _TEMPORARIES.pop().unlink(missing_ok=True)


atexit.register(_remove_temporaries)


def resolve_taxonomy_source(spec: str, workdir: Path) -> Path:
    """A path, or a git revision and path ("main:taxonomies/nara-vard.yaml") copied to
    a temporary file, removed when the program ends (:func:`load_taxonomy_source`
    needs no file at all)."""
    path = Path(spec)
    if path.is_file():
        return path
    if _is_git_spec(spec):
        content = read_git_taxonomy(spec, workdir)
        with tempfile.NamedTemporaryFile(
            prefix="nvreport-", suffix=".yaml", delete=False
        ) as handle:
            _TEMPORARIES.append(Path(handle.name))
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
        noun = name[:-1] if name == "terms" else name
        changes += [f"{noun} added: {markdown_code(t)}" for t in sorted(after - before)]
        changes += [f"{noun} removed: {markdown_code(t)}" for t in sorted(before - after)]
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


#: ASCII punctuation that Markdown (CommonMark, GitHub's tables and strikethrough)
#: may read as syntax inside a line; each can be escaped with a backslash.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]<>|#~&!])")


def markdown_text(text: object) -> str:
    """Text from a taxonomy or a report as literal Markdown: ``*vård*`` stays
    asterisks, ``[x](y)`` no link, ``<b>`` no HTML; line breaks become spaces."""
    return _MARKDOWN_SYNTAX.sub(r"\\\1", " ".join(str(text).split()))


def markdown_code(text: str) -> str:
    """``text`` as a Markdown code span, fenced with more backticks than it holds."""
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def diff_markdown(diff: TaxonomyDiff, examples: int = 3) -> str:
    """The diff as Markdown for a pull-request comment. Every text from the
    taxonomies or the corpus is escaped, terms stand in code spans."""
    old, new = diff.old, diff.new
    versions = f"{markdown_text(old.version)} → {markdown_text(new.version)}"
    lines = [f"## Taxonomy change: {versions}", ""]
    if not (diff.added or diff.removed or diff.changed):
        lines.append("No themes or terms changed.")
    for tid in diff.added:
        lines.append(f"- **Added** `{tid}` ({markdown_text(new.entries[tid].label)})")
    for tid in diff.removed:
        lines.append(f"- **Removed** `{tid}` ({markdown_text(old.entries[tid].label)})")
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
                    f"| `{row.theme}` | {markdown_text(row.actor_type)} | {row.active_before} | "
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
                    lines.append(
                        f"  - {markdown_text(row.actor)} ({markdown_text(row.file)}{page}): "
                        f"“{markdown_text(text)}”"
                    )
    return "\n".join(lines) + "\n"
