"""``nvreport analyse`` end to end: outputs, statuses, messages and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from builders import BODY, H1, TITLE, Paragraph, build_pdf
from nvreport import __version__
from nvreport.analysis.tables import DOCUMENT_COLUMNS, PASSAGE_COLUMNS
from nvreport.cli.commands import app
from output_csv import read_rows

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(arg) for arg in args])


def region_report(path: Path, region: str, year: int) -> Path:
    story = [
        Paragraph(region, TITLE),
        Paragraph(f"Helårsredovisning {year}", H1),
        Paragraph(
            f"{region} har under {year} fortsatt arbetet med fast vårdkontakt och "
            "riktade hälsosamtal. Arbetet följs upp av regionens ledningsgrupp.",
            BODY,
        ),
    ]
    return build_pdf(path, story, header="")


@pytest.fixture
def year_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "2022"
    folder.mkdir()
    region_report(folder / "Region Halland 2022.pdf", "Region Halland", 2022)
    region_report(folder / "rapport.pdf", "Region Dalarna", 2022)
    (folder / "Flens kommun.txt").write_text(
        "Flens kommun\n\nRedovisning 2022\n\nKommunen har infört trygghetsbesök för äldre.\n",
        encoding="utf-8",
    )
    return folder


def read_csv(path: Path) -> list[dict[str, str]]:
    return read_rows(path)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"nvreport {__version__}"


@pytest.mark.parametrize("command", [[], ["analyse"], ["tag"], ["kwic"]])
def test_every_command_has_help(command) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_analyse_writes_every_output(year_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    result = run("analyse", year_folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "analysis.xlsx",
        "coverage.csv",
        "documents.csv",
        "explorer.html",
        "passages.csv",
        "passages.parquet",
        "run.json",
        "themes_by_actor.csv",
    ]
    assert (out / "passages.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel

    documents = read_csv(out / "documents.csv")
    assert list(documents[0]) == list(DOCUMENT_COLUMNS)
    by_file = {row["file"]: row for row in documents}
    assert by_file["rapport.pdf"]["actor"] == "Region Dalarna"
    assert by_file["rapport.pdf"]["actor_source"] == "text"
    assert by_file["Region Halland 2022.pdf"]["actor_source"] == "filename"
    assert by_file["Flens kommun.txt"]["actor_type"] == "kommun"
    assert by_file["Flens kommun.txt"]["lan"] == "Södermanlands län"
    assert {row["status"] for row in documents} == {"ok"}
    assert {row["year"] for row in documents} == {"2022"}

    passages = read_csv(out / "passages.csv")
    assert list(passages[0]) == list(PASSAGE_COLUMNS)
    halland = [row for row in passages if row["file"] == "Region Halland 2022.pdf"]
    assert [row["text"] for row in halland][:2] == ["Region Halland", "Helårsredovisning 2022"]
    assert {row["page"] for row in halland} == {"1"}
    flen = [row for row in passages if row["file"] == "Flens kommun.txt"]
    assert {row["page"] for row in flen} == {""}

    parquet = pd.read_parquet(out / "passages.parquet")
    assert list(parquet.columns) == list(PASSAGE_COLUMNS)
    assert len(parquet) == len(passages)
    assert parquet["text"].tolist() == [row["text"] for row in passages]

    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["nvreport_version"] == __version__
    assert {f["file"] for f in record["files"]} == set(by_file)
    assert all(len(f["sha256"]) == 64 for f in record["files"])
    assert record["counts"]["passages"] == len(passages)


def test_bad_files_are_recorded_and_the_run_goes_on(year_folder: Path, tmp_path: Path) -> None:
    good = year_folder / "Region Halland 2022.pdf"
    (year_folder / "trasig.pdf").write_bytes(good.read_bytes()[:1500])
    (year_folder / "tom.pdf").write_bytes(b"")
    (year_folder / "egentligen text.pdf").write_text("Bara text.", encoding="utf-8")
    locked = canvas.Canvas(
        str(year_folder / "låst.pdf"), encrypt=pdfencrypt.StandardEncryption("lösen", "ägare")
    )
    locked.drawString(72, 700, "Region Kronoberg")
    locked.save()
    scan = canvas.Canvas(str(year_folder / "Region Blekinge skannad.pdf"))
    scan.rect(72, 300, 400, 300, fill=1)
    scan.save()
    (year_folder / "budget.xlsx").write_bytes(b"PK")
    shutil.copy(good, year_folder / "kopia av Halland.pdf")

    out = tmp_path / "ut"
    result = run("analyse", year_folder, "-o", out)
    assert result.exit_code == 1
    statuses = {
        row["file"]: (row["status"], row["message"]) for row in read_csv(out / "documents.csv")
    }
    assert statuses["Region Halland 2022.pdf"] == ("ok", "")
    assert statuses["trasig.pdf"][0] == "error"
    assert "damaged or truncated" in statuses["trasig.pdf"][1]
    assert statuses["tom.pdf"][0] == "error"
    assert "egentligen text.pdf" in statuses and "not a PDF" in statuses["egentligen text.pdf"][1]
    assert statuses["låst.pdf"][0] == "error"
    assert "encrypted" in statuses["låst.pdf"][1]
    assert statuses["Region Blekinge skannad.pdf"][0] == "no_text"
    assert "OCR" in statuses["Region Blekinge skannad.pdf"][1]
    assert statuses["budget.xlsx"] == ("ignored", "not a report format (.xlsx)")
    assert statuses["kopia av Halland.pdf"][0] == "warning"
    assert "same content as Region Halland 2022.pdf" in statuses["kopia av Halland.pdf"][1]

    # each problem is told on stderr with the file's name
    for name in ["trasig.pdf", "låst.pdf", "Region Blekinge skannad.pdf", "kopia av Halland.pdf"]:
        assert name in result.stderr
    # the readable reports are unaffected, and the duplicate is counted once
    passages = read_csv(out / "passages.csv")
    assert {row["file"] for row in passages} == {
        "Region Halland 2022.pdf",
        "rapport.pdf",
        "Flens kommun.txt",
    }


def test_strict_turns_warnings_into_exit_code_1(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "anteckning.txt").write_text("En text utan avsändare eller år.", encoding="utf-8")
    assert run("analyse", folder, "-o", tmp_path / "a").exit_code == 0
    strict = run("analyse", folder, "-o", tmp_path / "b", "--strict")
    assert strict.exit_code == 1
    assert "could not tell the actor" in strict.stderr


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("analyse", tmp_path / "saknas", "-o", tmp_path / "ut")
    assert result.exit_code == 2
    assert "nvreport: error:" in result.stderr
    assert "no such folder" in result.stderr


def test_malformed_manifest_stops_the_run_before_any_work(
    year_folder: Path, tmp_path: Path
) -> None:
    (year_folder / "manifest.csv").write_text("fil,aktör\n", encoding="utf-8")
    result = run("analyse", year_folder, "-o", tmp_path / "ut")
    assert result.exit_code == 2
    assert (
        "manifest.csv: the columns must be exactly file,actor,actor_type,lan,year" in result.stderr
    )
    assert not (tmp_path / "ut").exists()


def test_outputs_are_byte_identical_across_runs(year_folder: Path, tmp_path: Path) -> None:
    run("analyse", year_folder, "-o", tmp_path / "a")
    run("analyse", year_folder, "-o", tmp_path / "b")
    for name in [
        "passages.csv",
        "passages.parquet",
        "documents.csv",
        "themes_by_actor.csv",
        "coverage.csv",
    ]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_output_inside_input_folder_is_not_read_back(year_folder: Path) -> None:
    run("analyse", year_folder, "-o", year_folder / "ut")
    again = run("analyse", year_folder, "-o", year_folder / "ut")
    assert again.exit_code == 0
    files = {row["file"] for row in read_csv(year_folder / "ut" / "documents.csv")}
    assert not any(name.startswith("ut/") for name in files)


SMALL = Path(__file__).parent / "fixtures" / "taxonomies" / "small.yaml"


def test_analyse_tags_passages_and_counts_actors(year_folder: Path, tmp_path: Path) -> None:
    (year_folder / "Region Kronoberg 2022.txt").write_text(
        "Region Kronoberg\n\nRegionen planerar att införa hälsosamtal under 2023.\n\n"
        "Regionen har ännu inte påbörjat arbetet med fast läkarkontakt.\n",
        encoding="utf-8",
    )
    (year_folder / "trasig.pdf").write_bytes(b"%PDF-1.4 trasig")
    out = tmp_path / "ut"
    result = run("analyse", year_folder, "-o", out, "--taxonomy", SMALL)
    assert result.exit_code == 1  # trasig.pdf

    passages = read_csv(out / "passages.csv")
    planned = next(row for row in passages if row["text"].startswith("Regionen planerar"))
    assert planned["themes"] == "halsosamtal:planned"
    assert planned["evidence"] == "halsosamtal=hälsosamtal"
    parquet = pd.read_parquet(out / "passages.parquet")
    themes = parquet.loc[parquet["text"] == planned["text"], "themes"].iloc[0]
    assert themes[0]["id"] == "halsosamtal" and themes[0]["status"] == "planned"
    assert themes[0]["evidence"][0]["text"] == "hälsosamtal"

    matrix = read_csv(out / "themes_by_actor.csv")
    cell = {(row["actor"], row["theme"]): row for row in matrix}
    assert cell[("Region Halland", "halsosamtal")]["status"] == "active"
    assert cell[("Region Halland", "halsosamtal")]["pages"] == "1"
    assert cell[("Region Halland", "halsosamtal")]["evidence"].startswith(
        "Region Halland har under"
    )
    assert cell[("Region Kronoberg", "halsosamtal")]["status"] == "planned"
    assert cell[("Region Kronoberg", "fasta_kontakter")]["status"] == "negated"
    assert cell[("Region Kronoberg", "patientkontrakt")]["status"] == "none"

    coverage = {(r["actor_type"], r["theme"]): r for r in read_csv(out / "coverage.csv")}
    regions = coverage[("region", "halsosamtal")]
    assert (regions["actors"], regions["active"], regions["planned"]) == ("3", "2", "1")
    assert coverage[("region", "fasta_kontakter")]["negated"] == "1"
    assert coverage[("region", "fasta_kontakter")]["active"] == "2"
    assert coverage[("kommun", "halsosamtal")]["not_mentioned"] == "1"
    # the broken file's actor is unknown (no type), so it is counted under no type
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["taxonomy"]["version"] == "test-1"


def test_tag_prints_one_json_object_per_input_line(tmp_path: Path) -> None:
    lines = [
        "Regionen erbjuder FaR-recept och planerar hälsosamtal under 2023.",
        json.dumps({"text": "Hans far arbetade i hemtjänsten."}, ensure_ascii=False),
        "",
        "Mobila team besöker äldre.",
    ]
    result = runner.invoke(
        app, ["tag", "-", "--taxonomy", str(SMALL), "--year", "2022"], input="\n".join(lines)
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 4
    first = records[0]
    assert [(t["id"], t["status"]) for t in first["themes"]] == [
        ("far", "active"),
        ("halsosamtal", "planned"),
    ]
    evidence = first["themes"][0]["evidence"][0]
    assert first["text"][evidence["start"] : evidence["end"]] == evidence["text"] == "FaR-recept"
    assert records[1] == {"text": "Hans far arbetade i hemtjänsten.", "themes": [], "facets": []}
    assert records[2]["themes"] == []
    assert records[3]["themes"][0]["id"] == "mobila_team"


def test_tag_rejects_a_json_line_without_text(tmp_path: Path) -> None:
    result = runner.invoke(app, ["tag", "-", "--taxonomy", str(SMALL)], input='{"texten": "x"}\n')
    assert result.exit_code == 2
    assert 'line 1: a JSON line needs a "text" string' in result.stderr


def test_invalid_taxonomy_stops_before_any_work(year_folder: Path, tmp_path: Path) -> None:
    bad = tmp_path / "fel.yaml"
    bad.write_text("version: 1\nareas:\n  - id: x\n    label: X\n    teman: []\n", encoding="utf-8")
    result = run("analyse", year_folder, "-o", tmp_path / "ut", "--taxonomy", bad)
    assert result.exit_code == 2
    assert "fel.yaml: the taxonomy is not valid" in result.stderr
    assert "line 5, column 5: area 'x': unknown key 'teman'" in result.stderr
    assert not (tmp_path / "ut").exists()


def test_kwic_shows_theme_and_term_in_context(year_folder: Path, tmp_path: Path) -> None:
    result = run("kwic", "halsosamtal", year_folder, "--taxonomy", SMALL)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == "2 occurrences of halsosamtal"
    assert any(
        line.startswith("Region Dalarna 2022 s. 1 [active]") and "[hälsosamtal]" in line
        for line in lines
    )
    # a term written in the term language works too, also on an analyse output folder
    run("analyse", year_folder, "-o", tmp_path / "ut", "--taxonomy", SMALL)
    result = run("kwic", "fast* vårdkontakt", tmp_path / "ut")
    assert result.stdout.splitlines()[-1] == "2 occurrences of fast* vårdkontakt"


def test_folder_without_reports_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "tom"
    folder.mkdir()
    (folder / "budget.xlsx").write_bytes(b"PK")
    result = run("analyse", folder, "-o", tmp_path / "ut")
    assert result.exit_code == 1
    assert "no reports found in" in result.stderr
    assert read_csv(tmp_path / "ut" / "documents.csv")[0]["status"] == "ignored"


def test_outputs_are_the_same_whatever_the_number_of_worker_processes(
    year_folder: Path, tmp_path: Path
) -> None:
    shutil.copy(year_folder / "rapport.pdf", year_folder / "kopia.pdf")  # a duplicate
    (year_folder / "trasig.pdf").write_bytes(b"%PDF-1.4 trasig")
    for number in range(4):
        (year_folder / f"Region Halland bilaga {number}.txt").write_text(
            f"Region Halland\n\nBilaga {number}: regionen erbjuder hälsosamtal.\n", encoding="utf-8"
        )
    for jobs in ("1", "3"):
        result = run("analyse", year_folder, "-o", tmp_path / jobs, "--jobs", jobs, "-q")
        assert result.exit_code == 1  # trasig.pdf
    for name in [
        "passages.csv",
        "passages.parquet",
        "documents.csv",
        "themes_by_actor.csv",
        "coverage.csv",
    ]:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "3" / name).read_bytes(), name
    statuses = {row["file"]: row["status"] for row in read_csv(tmp_path / "3" / "documents.csv")}
    assert statuses["rapport.pdf"] == "warning"  # the later copy, in file order
    assert statuses["trasig.pdf"] == "error"


@pytest.fixture
def hanging_report(year_folder: Path, monkeypatch) -> Path:
    """A report in the year folder that the text reader hangs on for a minute."""
    import time

    from nvreport.ingest import readers

    read_text = readers.READERS[".txt"]

    def hanging(path: Path):
        if "hänger" in path.name:
            time.sleep(60)
        return read_text(path)

    monkeypatch.setitem(readers.READERS, ".txt", hanging)
    path = year_folder / "hänger sig.txt"
    path.write_text("Region Gotland\n\nText.\n", encoding="utf-8")
    return path


def test_a_document_that_hangs_is_stopped_and_the_run_goes_on(
    year_folder: Path, hanging_report: Path
) -> None:
    """Worker processes are forked, so they inherit this slow reader."""
    from nvreport.analysis.run import analyse_folder
    from nvreport.ingest.gazetteer import Gazetteer

    analysis = analyse_folder(year_folder, Gazetteer.load(), jobs=2, time_limit=2)
    statuses = {r.source.relpath: (r.status.value, r.message) for r in analysis.documents}
    assert statuses["hänger sig.txt"][0] == "error"
    assert "took longer than 2 s" in statuses["hänger sig.txt"][1]
    assert statuses["Flens kommun.txt"][0] == "ok"
    assert statuses["rapport.pdf"][0] == "ok"


def test_a_small_run_that_chooses_its_processes_keeps_the_time_limit(
    year_folder: Path, hanging_report: Path, tmp_path: Path
) -> None:
    """Four reports: the run reads them with one worker process (not in its own
    process), so the time limit still stops the one that hangs."""
    result = run("analyse", year_folder, "-o", tmp_path / "out", "--no-cache", "--time-limit", "2")
    assert result.exit_code == 1
    assert "hänger sig.txt: reading and tagging it took longer than 2 s" in result.stderr
    rows = {row["file"]: row["status"] for row in read_csv(tmp_path / "out" / "documents.csv")}
    assert rows == {
        "Flens kommun.txt": "ok",
        "Region Halland 2022.pdf": "ok",
        "hänger sig.txt": "error",
        "rapport.pdf": "ok",
    }


def test_a_document_that_takes_all_memory_fails_alone(
    year_folder: Path, tmp_path: Path, monkeypatch
) -> None:
    from nvreport.analysis.run import analyse_folder
    from nvreport.ingest import readers
    from nvreport.ingest.gazetteer import Gazetteer

    read_text = readers.READERS[".txt"]

    def greedy(path: Path):
        if "glupsk" in path.name:
            bytearray(3 * 2**30)  # far more than the limit below
        return read_text(path)

    monkeypatch.setitem(readers.READERS, ".txt", greedy)
    (year_folder / "glupsk.txt").write_text("Region Gotland\n\nText.\n", encoding="utf-8")
    analysis = analyse_folder(year_folder, Gazetteer.load(), jobs=2, memory_limit=2 * 2**30)
    statuses = {r.source.relpath: (r.status.value, r.message) for r in analysis.documents}
    assert statuses["glupsk.txt"][0] == "error"
    assert statuses["glupsk.txt"][1].startswith("too large to read in memory")
    assert statuses["Flens kommun.txt"][0] == "ok"


def test_outputs_get_the_permissions_of_any_new_file(year_folder: Path, tmp_path: Path) -> None:
    """Shared with colleagues: not owner-only, as the temporary files they start as."""
    before = os.umask(0o022)
    try:
        assert run("analyse", year_folder, "-o", tmp_path / "ut", "-q").exit_code == 0
    finally:
        os.umask(before)
    for path in (tmp_path / "ut").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name


@pytest.mark.parametrize("command", [["analyse"], ["taxonomy", "check"], ["narrative"]])
def test_an_unknown_option_is_a_usage_error(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--bogus"])
    assert result.exit_code == 2
    assert "No such option: --bogus" in result.output + result.stderr
    assert "internal error" not in result.output + result.stderr


@pytest.mark.parametrize(
    ("term", "problem"),
    [
        ("", "'' has no word to match"),
        ("   ", "'   ' has no word to match"),
        ("re:(", "bad regular expression: missing ), unterminated subpattern"),
        ("re:a*", "the regular expression 'a*' matches empty text"),
    ],
)
def test_kwic_refuses_a_term_that_cannot_be_looked_for(year_folder: Path, term, problem) -> None:
    result = run("kwic", term, year_folder, "--taxonomy", SMALL)
    assert result.exit_code == 2
    assert f"cannot look for {term!r}: {problem}" in result.stderr


@pytest.mark.parametrize("command", [["--help"], ["tag", "{many}"]])
def test_output_piped_into_head_ends_quietly(tmp_path: Path, command: list[str]) -> None:
    """`nvreport … | head` stops when head has what it wants: exit 0, no message
    about a broken pipe, as Unix tools behave."""
    import subprocess
    import sys

    many = tmp_path / "många.txt"
    many.write_text("Regionen erbjuder hälsosamtal till alla som fyller 40 år.\n" * 5000)
    arguments = [part.replace("{many}", str(many)) for part in command]
    script = (
        f"{sys.executable!s} -c 'from nvreport.cli import main; main()' "
        + " ".join(f"'{argument}'" for argument in arguments)
        + " | head -c 1 > /dev/null; echo ${PIPESTATUS[0]}"
    )
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "0", done.stderr
    assert "broken pipe" not in done.stderr.lower()
    assert "error" not in done.stderr.lower()


def test_user_text_is_printed_literally_not_as_emoji_or_markup(tmp_path: Path) -> None:
    """A file name (or a term) holding ':100:' or '[bold]' is printed as written,
    not as an emoji or as style."""
    reports = tmp_path / "2022"
    reports.mkdir()
    name = "Region :100: [bold]Skåne 2022.pdf"
    (reports / name).write_bytes(b"%PDF-1.4 trasig")
    result = runner.invoke(app, ["analyse", str(reports), "-o", str(tmp_path / "ut"), "--no-cache"])
    assert f"{name}: the PDF is damaged" in result.output
    assert "💯" not in result.output
