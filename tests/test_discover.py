"""Finding the reports in a folder: formats taken, files skipped, files listed as ignored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nvreport.errors import UsageError
from nvreport.ingest.discover import discover_reports


def touch(root: Path, relpath: str) -> None:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")


def test_walks_recursively_and_sorts(tmp_path: Path) -> None:
    for name in ["b.pdf", "a/rapport.docx", "a/c.TXT", "z.md", "d/e/sida.html", "d/f.htm"]:
        touch(tmp_path, name)
    found = discover_reports(tmp_path)
    assert [s.relpath for s in found.reports] == [
        "a/c.TXT",
        "a/rapport.docx",
        "b.pdf",
        "d/e/sida.html",
        "d/f.htm",
        "z.md",
    ]
    assert found.ignored == ()


def test_lock_files_and_clutter_are_skipped_silently_hidden_files_listed(tmp_path: Path) -> None:
    for name in [
        ".dold.pdf",
        ".git/x.pdf",
        "~$rapport.docx",
        "._rapport.pdf",
        ".DS_Store",
        "Thumbs.db",
        "__MACOSX/rapport.pdf",
        "budget.xlsx",
        "bild",
        "manifest.csv",
    ]:
        touch(tmp_path, name)
    found = discover_reports(tmp_path)
    assert found.reports == ()
    assert [(s.relpath, reason) for s, reason in found.ignored] == [
        (".dold.pdf", "hidden (its name starts with a dot): not read"),
        (".git", "hidden (its name starts with a dot): not read"),
        ("bild", "not a report format (without an extension)"),
        ("budget.xlsx", "not a report format (.xlsx)"),
    ]


def test_output_folder_inside_input_is_left_out(tmp_path: Path) -> None:
    touch(tmp_path, "rapport.pdf")
    touch(tmp_path, "ut/passages.csv")
    found = discover_reports(tmp_path, exclude=(tmp_path / "ut",))
    assert [s.relpath for s in found.reports] == ["rapport.pdf"]
    assert found.ignored == ()


def test_symlink_loop_does_not_trap_the_walk(tmp_path: Path) -> None:
    touch(tmp_path, "a/rapport.pdf")
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    found = discover_reports(tmp_path)
    assert [s.relpath for s in found.reports] == ["a/rapport.pdf"]


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such folder"):
        discover_reports(tmp_path / "finns-inte")
    touch(tmp_path, "fil.pdf")
    with pytest.raises(UsageError, match="not a folder"):
        discover_reports(tmp_path / "fil.pdf")


def test_a_link_to_a_file_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    """A report folder unpacked from someone's zip may carry links to any file of
    the machine: a link that leaves the folder is listed as ignored, not read."""
    secret = tmp_path / "hemligt" / "lösenord.txt"
    secret.parent.mkdir()
    secret.write_text("hemligt\n", encoding="utf-8")
    reports = tmp_path / "rapporter"
    touch(reports, "Region Halland 2022.pdf")
    os.symlink(secret, reports / "Region Skåne 2022.txt")
    os.symlink(reports / "Region Halland 2022.pdf", reports / "kopia.pdf")  # inside: read
    found = discover_reports(reports)
    assert [s.relpath for s in found.reports] == ["Region Halland 2022.pdf", "kopia.pdf"]
    assert [(s.relpath, why) for s, why in found.ignored] == [
        (
            "Region Skåne 2022.txt",
            "a symbolic link to a file outside the input folder: not read",
        )
    ]


def test_links_to_folders_are_listed_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "annat"
    touch(outside, "Region Gotland 2022.pdf")
    reports = tmp_path / "rapporter"
    touch(reports, "a/Region Halland 2022.pdf")
    os.symlink(outside, reports / "ut")
    os.symlink(reports / "a", reports / "b")
    found = discover_reports(reports)
    assert [s.relpath for s in found.reports] == ["a/Region Halland 2022.pdf"]
    reasons = dict((s.relpath, why) for s, why in found.ignored)
    assert reasons["ut"] == "a symbolic link to a folder outside the input folder: not followed"
    assert reasons["b"].startswith("a symbolic link to a folder inside the input folder")


def test_readme_notes_and_an_earlier_runs_outputs_are_not_reports(tmp_path: Path) -> None:
    """A README or notes file beside the reports, or the outputs of an earlier run
    inside the folder, would count as one more actor's report: ignored, with why."""
    touch(tmp_path, "Region Halland 2022.pdf")
    touch(tmp_path, "README.md")
    touch(tmp_path, "Results.md")
    touch(tmp_path, "anteckningar.txt")
    touch(tmp_path, "ut/run.json")
    touch(tmp_path, "ut/documents.csv")
    touch(tmp_path, "ut/passages.csv")
    touch(tmp_path, "Region Halland resultat 2022.docx")  # a report that names results
    found = discover_reports(tmp_path)
    assert [s.relpath for s in found.reports] == [
        "Region Halland 2022.pdf",
        "Region Halland resultat 2022.docx",
    ]
    reasons = {s.relpath: why for s, why in found.ignored}
    assert reasons == {
        "README.md": "not a report: a README, licence or notes file, by its name",
        "Results.md": "not a report: a README, licence or notes file, by its name",
        "anteckningar.txt": "not a report: a README, licence or notes file, by its name",
        "ut": "the outputs of an earlier nvreport run (run.json): not reports",
    }
