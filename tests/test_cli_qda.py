"""The REFI-QDA commands: taxonomy export/import and export of a corpus."""

from __future__ import annotations

import zipfile
from pathlib import Path

import xmlschema
import yaml
from typer.testing import CliRunner

from nvreport.cli.commands import app

ROOT = Path(__file__).parents[1]
SCHEMAS = ROOT / "tests" / "fixtures" / "refi-qda"
runner = CliRunner()


def test_codebook_export_validates_and_imports_back(tmp_path: Path) -> None:
    codebook = tmp_path / "nara-vard.qdc"
    result = runner.invoke(app, ["taxonomy", "export", "--format", "qdc", "-o", str(codebook)])
    assert result.exit_code == 0, result.output
    xmlschema.XMLSchema(SCHEMAS / "Codebook.xsd").validate(str(codebook))
    skeleton = tmp_path / "skelett.yaml"
    result = runner.invoke(app, ["taxonomy", "import", str(codebook), "-o", str(skeleton)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(skeleton.read_text("utf-8"))
    assert [area["id"] for area in data["areas"]] == [
        "personcentrering",
        "samskapande",
        "samordning",
        "halsoframjande",
        "tillganglighet",
        "styra_och_leda",
    ]
    assert "fasta_kontakter" in [theme["id"] for theme in data["areas"][0]["themes"]]


def test_corpus_export_is_a_valid_project_with_the_samples(tmp_path: Path) -> None:
    project = tmp_path / "korpus.qdpx"
    result = runner.invoke(
        app, ["export", "--format", "qdpx", str(ROOT / "samples" / "2022"), "-o", str(project)]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(project) as archive:
        names = archive.namelist()
        assert "project.qde" in names
        assert sum(name.endswith(".pdf") for name in names) == 6  # the six PDF reports
        qde = archive.read("project.qde")
    (tmp_path / "project.qde").write_bytes(qde)
    xmlschema.XMLSchema(SCHEMAS / "Project.xsd").validate(str(tmp_path / "project.qde"))
    assert b"Region Sk\xc3\xa5ne" in qde


def test_import_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["taxonomy", "import", str(tmp_path / "saknas.qdc")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr
