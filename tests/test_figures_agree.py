"""Every count right, and the same number everywhere (issue 16).

A two-year corpus with an actor only in each year, an unreadable report and a report
read only in part goes through analyse, compare and narrative as a user runs them.
Every number the narrative states (its sentences and its tables) is parsed out of
the Markdown and matched to its figure in comparison.json, in the workbook (read
back with openpyxl) and in compare's terminal output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from nvreport.analysis.phrasing import actor_noun, number_word
from nvreport.cli.commands import app
from nvreport.ingest import readers
from nvreport.models import Block, BlockKind, ReadResult, TextAccount
from output_csv import read_rows, separators

runner = CliRunner()

HALSO_ACTIVE = "Regionen erbjuder riktade hälsosamtal till alla invånare som fyller 40 år."
TEAMS = "Regionen har mobila team som besöker sköra äldre i hemmet."

REPORTS = {
    "2021": {
        "Region Halland 2021.txt": f"Region Halland\n\n{HALSO_ACTIVE}\n",
        "Region Skåne 2021.txt": "Region Skåne\n\nRegionen planerar att införa hälsosamtal "
        f"under nästa år.\n\n{TEAMS}\n",
        "Region Dalarna 2021.txt": "Region Dalarna\n\nRegionen har ännu inte påbörjat "
        "arbetet med hälsosamtal.\n",
        "Region Värmland 2021.txt": f"Region Värmland\n\n{HALSO_ACTIVE}\n",
        "Region Kronoberg 2021.txt": f"Region Kronoberg\n\n{HALSO_ACTIVE}\n",
        "Region Gävleborg 2021.txt": f"Region Gävleborg\n\n{HALSO_ACTIVE}\n\n{TEAMS}\n",
        "Flens kommun 2021.txt": "Flens kommun\n\nKommunen har startat ett mobilt team.\n",
    },
    "2022": {
        "Region Halland 2022.txt": f"Region Halland\n\n{HALSO_ACTIVE}\n\nUnder året har "
        "regionen även utbildat personalen vid samtliga vårdcentraler i samtalsmetodiken.\n",
        "Region Skåne 2022.txt": "Region Skåne\n\nRegionen har under året infört "
        f"hälsosamtal vid samtliga vårdcentraler.\n\n{TEAMS}\n",
        "Region Dalarna 2022.txt": "Region Dalarna\n\nRegionen erbjuder sedan våren "
        "hälsosamtal till invånare som fyller 50 år.\n",
        "Region Uppsala 2022.txt": f"Region Uppsala\n\n{HALSO_ACTIVE}\n\n{TEAMS}\n",
        # the report cannot be read: a Word file that is no zip archive
        "Region Kronoberg 2022.docx": "inte ett Word-dokument",
        # read only in part (the fake reader below): a page yields no passage
        "Region Gävleborg 2022.pdf": "%PDF-1.4 läses av testets egen läsare",
        "Flens kommun 2022.txt": "Flens kommun\n\nKommunen har startat ett mobilt team.\n",
    },
}


def partly_read_pdf(path: Path) -> ReadResult:
    """Gävleborg's 2022 report: page 1 is read, page 2's 40 words reach no passage."""
    text = "Regionen har under året utökat de mobila teamen till samtliga kommuner i länet."
    blocks = (
        Block(BlockKind.HEADING, "Region Gävleborg 2022", page=1, level=1),
        Block(BlockKind.PARAGRAPH, text, page=1),
    )
    page_words = (len(text.split()) + 3, 40)
    return ReadResult(blocks=blocks, pages=2, account=TextAccount(sum(page_words), (), page_words))


@pytest.fixture
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setitem(readers.READERS, ".pdf", partly_read_pdf)
    outputs = {}
    for year, files in REPORTS.items():
        folder = tmp_path / "rapporter" / year
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        outputs[year] = tmp_path / "ut" / year
        result = invoke("analyse", folder, "-o", outputs[year])
        assert result.exit_code == (1 if year == "2022" else 0), result.output  # Kronoberg 2022
    comparison = tmp_path / "jämförelse"
    compared = invoke("compare", outputs["2021"], outputs["2022"], "-o", comparison)
    assert compared.exit_code == 1, compared.output
    story = tmp_path / "berättelse.md"
    told = invoke(
        "narrative",
        outputs["2022"],
        "-p",
        outputs["2021"],
        "-o",
        story,
        "--date",
        "2026-11-23",
        "-q",
    )
    assert told.exit_code == 1, told.output
    return {
        "analysed": outputs,
        "json": json.loads((comparison / "comparison.json").read_text(encoding="utf-8")),
        "xlsx": workbook(comparison / "comparison.xlsx"),
        "terminal": compared.stdout,
        "story": story.read_text(encoding="utf-8"),
        "comparison": comparison,
    }


def invoke(*args: object):
    return runner.invoke(
        app, [str(arg) for arg in (*args, "--jobs", "1", "--no-cache")], env={"COLUMNS": "250"}
    )


def workbook(path: Path) -> dict[str, list[dict]]:
    book = openpyxl.load_workbook(path, read_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        sheets[sheet.title] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    return sheets


def one(rows: list[dict], **where) -> dict:
    found = [row for row in rows if all(row[key] == value for key, value in where.items())]
    assert len(found) == 1, (where, found)
    return found[0]


# --- Swedish numbers back to integers ----------------------------------------------------

NUMBERS = {
    number_word(n, gender=gender): n for n in range(0, 200) for gender in ("neuter", "common")
}
NUMBERS.update({"ingen": 0, "inget": 0})
TYPES = {"Regioner": "region", "Kommuner": "kommun", "Län (kommunerna gemensamt)": "rss"}


def number(word: str) -> int:
    return NUMBERS[word.lower()]


def share(words: str, actor_type: str) -> tuple[int, int]:
    """(count, total) of a share phrase: "Tre av fem regioner", "Samtliga fyra
    regioner", "Båda regionerna", "Den enda kommunen", "Ingen av fem regioner"."""
    noun = actor_noun(actor_type)
    if found := re.fullmatch(rf"(\w+) av (\w+) {noun.plural}", words):
        return number(found[1]), number(found[2])
    if found := re.fullmatch(rf"Samtliga (\w+) {noun.plural}", words):
        return number(found[1]), number(found[1])
    if words == f"Båda {noun.definite_plural}":
        return 2, 2
    if re.fullmatch(rf"(Den|Det) enda {noun.definite_singular}", words):
        return 1, 1
    if re.fullmatch(rf"(Ingen|Inget) {noun.singular}", words):
        return 0, 1
    raise AssertionError(f"not a share phrase: {words!r}")


# --- what the narrative states -----------------------------------------------------------


def group_paragraphs(story: str) -> list[tuple[str, str, str]]:
    """(theme label, actor type, paragraph) of every "**Regioner.** …" paragraph."""
    found, theme = [], None
    for block in story.split("\n\n"):
        block = block.strip()
        if heading := re.match(r"### \d+\.\d+ (.+)", block):
            theme = heading[1].replace("\\", "")
        elif (
            theme and (bold := re.match(r"\*\*(.+?)\.\*\* (.*)", block, re.S)) and bold[1] in TYPES
        ):
            found.append((theme, TYPES[bold[1]], bold[2]))
    return found


MOVEMENT = re.compile(  # the wordings templates/sentences.j2 varies between
    r"(?:Bland|Av|Räknat på|För) de (\w+) (?:\w+) som (?:redovisade|har redovisat) både "
    r"(\d{4}) och (\d{4}) "
    r"(?:har antalet med pågående arbete (?:ökat|minskat) från (\w+) till (\w+)"
    r"|är antalet med pågående arbete detsamma som året innan \((\w+)\)"
    r"|är läget detsamma som året innan|är läget oförändrat|har läget inte förändrats"
    r"|ser läget ut som året innan)"
)
PRESENCE = re.compile(
    r"^(?:[^()]*\((.+?)\)|(.+?)) (?:redovisar att .+? pågår eller är infört \d{4}"
    r"|beskriver .+? som i gång eller infört under \d{4}"
    r"|har enligt redovisningarna för \d{4} .+? på plats eller under genomförande"
    r"|uppger att .+? är i gång \d{4})\."
)


def chart_rows(story: str) -> list[list[str]]:
    rows = []
    for line in story.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 10 and cells[1] in TYPES and cells[2].isdigit():
            rows.append(cells)
    return rows


def appendix_rows(story: str) -> list[list[str]]:
    part = story.split("## Bilaga A.")[1].split("## Bilaga B.")[0]
    rows = []
    for line in part.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| 20"):
            rows.append(cells)
    return rows


def terminal_change(terminal: str, label: str, actor_type: str) -> tuple[int, int, int] | None:
    """(active before, active after, actors in both years) of a theme in compare's
    table for ``actor_type``."""
    table = terminal.split(f"{actor_type}: active (planned)")[1].split(": active (planned)")[0]
    for line in table.splitlines():
        if re.search(rf"[│|] {re.escape(label)}\s+[│|]", line):
            found = re.search(r"(\d+) → (\d+) / (\d+)", line)
            return tuple(int(x) for x in found.groups()) if found else None
    raise AssertionError(f"{label} not in the {actor_type} table")


def terminal_own(terminal: str, label: str, actor_type: str) -> list[tuple[int, int, int]]:
    table = terminal.split(f"{actor_type}: active (planned)")[1].split(": active (planned)")[0]
    for line in table.splitlines():
        if re.search(rf"[│|] {re.escape(label)}\s+[│|]", line):
            return [tuple(map(int, cell)) for cell in re.findall(r"(\d+) \((\d+)\) / (\d+)", line)]
    raise AssertionError(f"{label} not in the {actor_type} table")


# --- the test ----------------------------------------------------------------------------


def test_every_number_of_the_narrative_is_the_one_of_json_workbook_and_terminal(runs) -> None:
    story, data, book, terminal = runs["story"], runs["json"], runs["xlsx"], runs["terminal"]
    labels = {theme["id"]: theme["label"] for theme in data["themes"]}
    by_label = {label: theme for theme, label in labels.items()}
    checked = {"movement": 0, "presence": 0, "chart": 0, "appendix": 0}

    for label, actor_type, paragraph in group_paragraphs(story):
        theme = by_label[label]
        where = {"theme": theme, "actor_type": actor_type}
        own = one(data["coverage"], year=2022, **where)
        assert own == {**one(book["coverage"], year=2022, **where), **own}
        presence = PRESENCE.search(paragraph)
        assert presence, paragraph
        assert share(presence[1] or presence[2], actor_type) == (own["active"], own["actors"])
        assert (own["active"], own["planned"], own["actors"]) in terminal_own(
            terminal, label, actor_type
        )
        checked["presence"] += 1
        if moved := MOVEMENT.search(paragraph):
            change = one(data["changes"], to_year=2022, **where)
            assert change == one(book["changes"], to_year=2022, **where)
            assert number(moved[1]) == change["actors_both"]
            if moved[4]:
                assert (number(moved[4]), number(moved[5])) == (
                    change["active_from"],
                    change["active_to"],
                )
            elif moved[6]:
                assert number(moved[6]) == change["active_to"] == change["active_from"]
            assert terminal_change(terminal, label, actor_type) == (
                change["active_from"],
                change["active_to"],
                change["actors_both"],
            )
            checked["movement"] += 1

    for cells in chart_rows(story):
        theme, actor_type = by_label[cells[0].replace("\\", "")], TYPES[cells[1]]
        where = {"theme": theme, "actor_type": actor_type}
        change = one(data["changes"], to_year=2022, **where)
        assert change == one(book["changes"], to_year=2022, **where)
        shared = [int(cell) for cell in cells[2:7]]
        assert shared == [
            change["actors_both"],
            change["active_from"],
            change["planned_from"],
            change["active_to"],
            change["planned_to"],
        ]
        assert [int(cell) for cell in cells[7:]] == [
            change["year_active_to"],
            change["year_planned_to"],
            change["year_actors_to"],
        ]
        own = one(data["coverage"], year=2022, **where)
        assert [int(cell) for cell in cells[7:]] == [own["active"], own["planned"], own["actors"]]
        checked["chart"] += 1

    for cells in appendix_rows(story):
        year, actor_type, theme = int(cells[0]), TYPES[cells[1]], by_label[cells[2]]
        row = one(data["coverage"], year=year, theme=theme, actor_type=actor_type)
        assert row == {
            **one(book["coverage"], year=year, theme=theme, actor_type=actor_type),
            **row,
        }
        names = ("active", "planned", "negated", "not_mentioned", "partly_read", "actors",
                 "unreadable")  # fmt: skip
        assert [int(cell) for cell in cells[3:]] == [row[name] for name in names]
        checked["appendix"] += 1

    assert all(checked.values()), checked

    # the introduction: actors in both years, and those not compared
    pairs = [row for row in data["pairs"] if row["to_year"] == 2022]
    assert pairs == [row for row in book["pairs"] if row["to_year"] == 2022]
    both = re.search(
        r"(\w+) aktörer har en redovisning som kunde läsas i sin helhet båda åren", story
    )
    assert number(both[1]) == sum(row["actors_both"] for row in pairs) == 4
    new = re.search(r"(\w+ aktör(?:er)?) lämnade en redovisning bara för 2022", story)
    assert number(new[1].split()[0]) == sum(row["new_actor"] for row in pairs) == 1
    for row in pairs:
        assert (
            f"2021→2022 {row['actor_type']}: {row['actors_both']} in both years; not compared: "
            f"{row['new_actor']} new, {row['missing_actor']} missing, {row['unreadable']} "
            f"unreadable, {row['partly_read']} partly read"
        ) in terminal


def test_change_is_told_among_the_actors_in_both_years_everywhere(runs) -> None:
    data, book, terminal, story = runs["json"], runs["xlsx"], runs["terminal"], runs["story"]
    where = {"theme": "halsosamtal", "actor_type": "region", "to_year": 2022}
    change = one(data["changes"], **where)
    # Halland active both years, Skåne planned -> active, Dalarna absent -> active;
    # Värmland (2021 only), Uppsala (2022 only), Kronoberg (unreadable 2022) and
    # Gävleborg (partly read 2022) are not compared
    assert (change["actors_both"], change["active_from"], change["active_to"]) == (3, 1, 3)
    assert (change["new"], change["planned_to_active"], change["dropped"]) == (1, 1, 0)
    assert (change["new_actor"], change["missing_actor"]) == (1, 1)
    assert (change["unreadable"], change["partly_read"]) == (1, 1)
    # each year's own count stands beside it, labelled as such
    assert (change["year_active_from"], change["year_actors_from"]) == (4, 6)
    assert (change["year_active_to"], change["year_actors_to"]) == (4, 5)
    assert one(book["changes"], **where) == change
    mover = one(data["movers"], theme="halsosamtal", actor_type="region")
    assert (mover["active_from"], mover["active_to"]) == (1, 3)
    assert "Hälsosamtal (region): 1 → 3 active of 3" in terminal
    assert (
        "Bland de tre regioner som redovisade både 2021 och 2022 har antalet med "
        "pågående arbete ökat från en till tre" in story
    )


def test_new_and_missing_actors_are_no_transition(runs) -> None:
    rows = runs["json"]["transitions"]
    kinds = {(row["actor"], row["change"]) for row in rows if row["theme"] == "halsosamtal"}
    assert ("Region Uppsala", "new_actor") in kinds
    assert ("Region Värmland", "missing_actor") in kinds
    transitions = read_rows(runs["comparison"] / "transitions.csv")
    kinds = {(row["actor"], row["actor_type"], row["change"]) for row in transitions}
    assert ("Region Uppsala", "region", "new_actor") in kinds


def test_unreadable_and_partly_read_reports_are_never_counted_as_not_mentioned(runs) -> None:
    data, story = runs["json"], runs["story"]
    rows = {(row["actor"], row["theme"]): row for row in data["transitions"]}
    kronoberg = rows[("Region Kronoberg", "halsosamtal")]
    assert (kronoberg["to_status"], kronoberg["change"]) == ("unreadable", "unreadable")
    gavleborg = rows[("Region Gävleborg", "halsosamtal")]
    assert (gavleborg["to_status"], gavleborg["change"]) == ("partly_read", "partly_read")
    # what the partly read report does say counts in its year's own figures
    teams = rows[("Region Gävleborg", "mobila_team")]
    assert (teams["to_status"], teams["change"]) == ("active", "partly_read")
    own = one(data["coverage"], year=2022, theme="halsosamtal", actor_type="region")
    assert (own["not_mentioned"], own["partly_read"], own["unreadable"]) == (0, 1, 1)
    change = one(data["changes"], to_year=2022, theme="halsosamtal", actor_type="region")
    assert change["stopped_active"] == 0 and change["dropped"] == 0
    assert "gör det inte 2022" not in story.split("### 4.1 Hälsosamtal")[1].split("###")[0]
    # shown as their own category, with the reason
    assert "Region Gävleborg 2022.pdf | läst delvis | sidor eller delar av texten" in story
    assert "Region Kronoberg 2022.docx | kunde inte läsas |" in story
    actors = {(row["actor"], row["year"]): row for row in data["actors"]}
    assert actors[("Region Gävleborg", 2022)]["reading"] == "partly_read"
    assert "page 2 yields no passage" in actors[("Region Gävleborg", 2022)]["reason"]
    assert actors[("Region Kronoberg", 2022)]["reading"] == "unreadable"
    # analyse's coverage.csv counts the same way
    coverage = read_rows(runs["analysed"]["2022"] / "coverage.csv")
    assert list(coverage[0])[-2:] == ["unreadable", "partly_read"]


def test_new_text_is_blank_for_an_actor_without_a_report_the_year_before(runs) -> None:
    rows = {(row["actor"], row["year"]): row for row in runs["json"]["new_text"]}
    uppsala = rows[("Region Uppsala", 2022)]
    assert uppsala["passages"] > 0
    assert [uppsala[name] for name in ("previous_year", "new", "revised", "repeated",
                                       "new_share")] == [None] * 5  # fmt: skip
    assert rows[("Region Halland", 2021)]["new_share"] is None  # the first year
    halland = rows[("Region Halland", 2022)]
    assert halland["previous_year"] == 2021 and halland["repeated"] >= 1
    sheet = one(runs["xlsx"]["new_text"], actor="Region Uppsala", year=2022)
    assert sheet["new_share"] is None and sheet["new"] is None


def test_an_output_folder_without_the_partly_read_column_still_compares(runs, tmp_path) -> None:
    import csv

    for year, folder in runs["analysed"].items():
        path = folder / "documents.csv"
        rows = read_rows(path)
        delimiter, _ = separators(path)
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            names = [name for name in rows[0] if name != "partly_read"]
            writer = csv.DictWriter(handle, names, delimiter=delimiter)
            writer.writeheader()
            writer.writerows({k: v for k, v in row.items() if k != "partly_read"} for row in rows)
        assert year
    result = invoke(
        "compare", runs["analysed"]["2021"], runs["analysed"]["2022"], "-o", tmp_path / "c"
    )
    assert result.exit_code == 1, result.output
    data = json.loads((tmp_path / "c" / "comparison.json").read_text(encoding="utf-8"))
    actors = {(row["actor"], row["year"]): row for row in data["actors"]}
    assert actors[("Region Gävleborg", 2022)]["reading"] == "read"  # no flag: read in full
