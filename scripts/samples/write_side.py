"""The side files: samples/story.csv, the metadata fixture and samples/README.md."""

from __future__ import annotations

import csv
from pathlib import Path

from .content import Block, Para
from .plan import ACTORS, PLAN, SPECS, TAXONOMY_IDS, Spec
from .texts import HYPHEN_MARK

FEATURE_NOTES = {
    "two_columns": "two-column page (section on target groups and effects)",
    "hyphenation": "line-break hyphenation",
}
# Words that look like a theme but are not, and where they stand (README only).
TRAPS = (
    ("personalen, personalförsörjningen (not personcentrering)", "Kronoberg kommunerna 2021, Flen"),
    ("multiprofessionella team, mobil självincheckning (not mobila team)", "Jönköping"),
    ("personnummer (not personcentrering)", "Jönköping"),
    (
        "ökad fysisk aktivitet without a prescription (not FaR)",
        "Region Kronoberg, Kronoberg kommunerna",
    ),
    ("avtal med leverantörer (not patientkontrakt)", "Norrbotten, Flen 2022"),
    ("a digital course for staff, a digital dialogue kit for managers", "Värmland, Skåne"),
    ("far och mor (not FaR)", "Flen 2022"),
    ("patients' follow-up by a physiotherapist (not uppföljning)", "Värmland 2022"),
)


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_story(path: Path) -> None:
    """For every report and theme, the status the plan gives it (the samples' truth)."""
    write_csv(
        path,
        ["year", "actor", "theme", "status"],
        [
            [year, ACTORS[key].name, TAXONOMY_IDS.get(theme, theme), status]
            for (year, key), themes in PLAN.items()
            for theme, status in themes.items()
        ],
    )


def write_metadata(path: Path) -> None:
    """File, actor, actor type, län and year of every report, sorted by file."""
    write_csv(
        path,
        ["file", "actor", "actor_type", "lan", "year"],
        [
            [
                s.relpath,
                ACTORS[s.actor].name,
                ACTORS[s.actor].actor_type,
                ACTORS[s.actor].lan,
                s.year,
            ]
            for s in sorted(SPECS, key=lambda s: s.relpath)
        ],
    )


def hyphenated_words(blocks: list[Block]) -> list[str]:
    """The line-break splits marked in a report, as "patient- / kontraktet"."""
    return [
        f"{m.group(1)}- / {m.group(4).rstrip(',.;:')}"
        for block in blocks
        if isinstance(block, Para)
        for m in HYPHEN_MARK.finditer(block.text)
    ]


def write_readme(path: Path, built: list[tuple[Spec, int, list[Block]]]) -> None:
    lines = [
        "# Sample reports",
        "",
        "Invented yearly reports on the Swedish agreement *God och nära vård*, written to",
        "look like the ones regions and municipalities send to Socialstyrelsen. All actors",
        "are real names, but every sentence, number, date and diarienummer is made up.",
        "",
        "Regenerate them (byte for byte the same) from the repository root with",
        "",
        "    python scripts/make_samples.py",
        "",
        "The script needs reportlab and python-docx. It also writes",
        "`tests/fixtures/samples_metadata.csv` (file, actor, actor type, län, year) and",
        "`story.csv` here: for every report and theme whether the report describes the",
        "work as in place (`active`), `planned`, explicitly absent (`negated`) or does not",
        "mention it (`none`). The plan behind it is the grid `PLAN_GRID` in the script.",
        "",
        "Some 2022 reports repeat paragraphs of the same actor's 2021 report, word for",
        "word or slightly edited, as real reports do. Kommunerna i Östergötlands län only",
        "report in 2022. Region Värmland switches from DOCX (2021) to PDF (2022). Some file",
        "names do not name the actor or the year; the title page always states both.",
        "",
        "| File | Actor | Format | Pages | Features |",
        "|---|---|---|---|---|",
    ]
    for spec, pages, blocks in built:
        notes = [FEATURE_NOTES[f] for f in spec.features]
        if "hyphenation" in spec.features:
            notes[-1] += " (" + ", ".join(hyphenated_words(blocks)) + ")"
        features = ", ".join(notes) or "–"
        count = str(pages) if spec.fmt == "pdf" else f"about {pages}"
        lines.append(
            f"| `{spec.relpath}` | {ACTORS[spec.actor].name} | {spec.fmt.upper()} | {count} "
            f"| {features} |"
        )
    lines += [
        "",
        "In the hyphenated PDFs, patient- / kontraktet, hälsosamtals- / verksamheten and",
        "vård- / kontakterna must be joined without the hyphen; hälso- / och sjukvården,",
        "ST- / läkare, FaR- / recept and e- / hälsa keep it. Page counts of DOCX files are",
        "estimates; Word decides the real ones.",
        "",
        "Traps for the tagger (words that look like a theme but are not):",
        "",
        *(f"- {words}: {where}" for words, where in TRAPS),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
