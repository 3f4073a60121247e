"""Who wrote a report and for which year: manifest, file name, folder, text."""

from __future__ import annotations

from pathlib import Path

import pytest

from nvreport.errors import UsageError
from nvreport.ingest.metadata import infer_metadata, read_manifest, year_from_name, year_from_text
from nvreport.models import SourceFile


@pytest.mark.parametrize(
    ("name", "actor", "actor_type", "lan"),
    [
        ("Region Skåne helårsredovisning 2022", "Region Skåne", "region", "Skåne län"),
        ("region_skane_2022", "Region Skåne", "region", "Skåne län"),
        (
            "VGR_slutrapport_nara_vard_2022",
            "Västra Götalandsregionen",
            "region",
            "Västra Götalands län",
        ),
        ("Västra Götalandsregionen", "Västra Götalandsregionen", "region", "Västra Götalands län"),
        ("Region Jönköpings län 2021", "Region Jönköpings län", "region", "Jönköpings län"),
        ("Jönköping", "Region Jönköpings län", "region", "Jönköpings län"),
        ("Norrbotten-2022-slutredovisning", "Region Norrbotten", "region", "Norrbottens län"),
        ("Kronoberg kommunerna 2021", "Kommunerna i Kronobergs län", "rss", "Kronobergs län"),
        ("RSS Östergötland 2022", "Kommunerna i Östergötlands län", "rss", "Östergötlands län"),
        ("Flen delrapport 2021", "Flens kommun", "kommun", "Södermanlands län"),
        ("flens_kommun", "Flens kommun", "kommun", "Södermanlands län"),
        ("Jönköpings kommun 2022", "Jönköpings kommun", "kommun", "Jönköpings län"),
        ("Uppsala kommun", "Uppsala kommun", "kommun", "Uppsala län"),
        ("Region Gotland 2022", "Region Gotland", "region", "Gotlands län"),
        ("goteborgs_stad_2022", "Göteborgs stad", "kommun", "Västra Götalands län"),
    ],
)
def test_actor_from_file_name(gazetteer, name, actor, actor_type, lan) -> None:
    found = gazetteer.from_filename(name)
    assert found is not None, name
    assert (found.name, found.actor_type, found.lan) == (actor, actor_type, lan)


@pytest.mark.parametrize("name", ["redovisning-god-och-nara-vard", "rapport 2022", "våra insatser"])
def test_file_name_without_actor_gives_nothing(gazetteer, name) -> None:
    assert gazetteer.from_filename(name) is None


@pytest.mark.parametrize(
    ("text", "actor", "actor_type"),
    [
        (
            "Region Kronoberg\nHelårsredovisning av överenskommelsen om God och nära vård 2022\n"
            "Arbetet sker tillsammans med kommunerna i Kronobergs län.",
            "Region Kronoberg",
            "region",
        ),
        (
            "Kommunerna i Kronobergs län\nRedovisning 2022\nI samverkan med Region Kronoberg.",
            "Kommunerna i Kronobergs län",
            "rss",
        ),
        ("Flens kommun\nDelredovisning 2021 till Socialstyrelsen", "Flens kommun", "kommun"),
        ("VÄSTRA GÖTALANDSREGIONEN\nSlutrapport 2022", "Västra Götalandsregionen", "region"),
        ("Rapport från VGR om nära vård", "Västra Götalandsregionen", "region"),
        (
            "Jönköpings läns kommuner\nGemensam redovisning 2022",
            "Kommunerna i Jönköpings län",
            "rss",
        ),
    ],
)
def test_actor_from_text_is_the_one_named_first(gazetteer, text, actor, actor_type) -> None:
    found = gazetteer.from_text(text)
    assert found is not None
    assert (found.name, found.actor_type) == (actor, actor_type)


def test_same_actor_under_two_names_has_one_key(gazetteer) -> None:
    assert gazetteer.identify("Region Jönköpings län").key == gazetteer.identify("Jönköping").key


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("Skåne_2022_slutrapport", 2022),
        ("rapport 2021-2022", 2022),
        ("rapport", None),
        ("id12022", None),
    ],
)
def test_year_from_name(name, year) -> None:
    assert year_from_name(name) == year


def test_year_from_text_prefers_the_reported_year_over_the_date() -> None:
    text = "Region Testberga\nHelårsredovisning 2022\nDatum: 2023-03-15\nDiarienummer RS 2023/114"
    assert year_from_text(text) == 2022
    assert year_from_text("Under 2021 och 2021 års arbete; planer för 2022.") == 2021
    assert year_from_text("Ingen årsangivelse här.") is None


def source(tmp_path: Path, relpath: str) -> SourceFile:
    path = tmp_path / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return SourceFile(path, relpath)


def test_year_order_filename_then_folder_then_text(tmp_path, gazetteer) -> None:
    text = "Region Skåne\nHelårsredovisning 2020"
    meta, _ = infer_metadata(source(tmp_path, "2022/Skåne 2021.pdf"), tmp_path, text, gazetteer)
    assert (meta.year, meta.year_source) == (2021, "filename")
    meta, _ = infer_metadata(source(tmp_path, "2022/Skåne.pdf"), tmp_path, text, gazetteer)
    assert (meta.year, meta.year_source) == (2022, "folder")
    meta, _ = infer_metadata(source(tmp_path, "inkommet/Skåne.pdf"), tmp_path, text, gazetteer)
    assert (meta.year, meta.year_source) == (2020, "text")


def test_actor_from_text_when_file_name_says_nothing(tmp_path, gazetteer) -> None:
    meta, warnings = infer_metadata(
        source(tmp_path, "redovisning.docx"),
        tmp_path,
        "Region Värmland\nRedovisning 2022",
        gazetteer,
    )
    assert (meta.actor, meta.actor_type, meta.lan) == ("Region Värmland", "region", "Värmlands län")
    assert (meta.actor_source, meta.lan_source, meta.year_source) == ("text", "text", "text")
    assert warnings == []


def test_unknown_fields_are_recorded_with_warnings(tmp_path, gazetteer) -> None:
    meta, warnings = infer_metadata(
        source(tmp_path, "dokument.pdf"), tmp_path, "Ett dokument utan avsändare.", gazetteer
    )
    assert (meta.actor, meta.actor_type, meta.lan, meta.year) == ("", "", "", None)
    assert meta.actor_source == meta.year_source == "unknown"
    assert "could not tell the actor; recorded as unknown" in warnings
    assert "could not tell the year; recorded as unknown" in warnings


def write_manifest(folder: Path, text: str, encoding: str = "utf-8") -> None:
    (folder / "manifest.csv").write_text(text, encoding=encoding)


def test_manifest_overrides_everything_for_the_files_it_names(tmp_path, gazetteer) -> None:
    write_manifest(
        tmp_path,
        "file,actor,actor_type,lan,year\n"
        "2022/Skåne 2021.pdf,Region Skåne,region,Skåne,2022\n"
        "2022/other.pdf,,,,\n",
    )
    manifest = read_manifest(tmp_path)
    meta, _ = infer_metadata(
        source(tmp_path, "2022/Skåne 2021.pdf"),
        tmp_path,
        "Region Halland 2019",
        gazetteer,
        manifest["2022/Skåne 2021.pdf"],
    )
    assert (meta.actor, meta.actor_type, meta.lan, meta.year) == (
        "Region Skåne",
        "region",
        "Skåne län",
        2022,
    )
    assert {meta.actor_source, meta.actor_type_source, meta.lan_source, meta.year_source} == {
        "manifest"
    }
    # empty cells are inferred as usual
    meta, _ = infer_metadata(
        source(tmp_path, "2022/other.pdf"),
        tmp_path,
        "Region Halland",
        gazetteer,
        manifest["2022/other.pdf"],
    )
    assert (meta.actor, meta.actor_source, meta.year, meta.year_source) == (
        "Region Halland",
        "text",
        2022,
        "folder",
    )


def test_manifest_as_excel_writes_it(tmp_path) -> None:
    write_manifest(
        tmp_path,
        "file;actor;actor_type;lan;year\r\nrapport.pdf;Växjö kommun;kommun;Kronobergs län;2022\r\n",
        encoding="cp1252",
    )
    assert read_manifest(tmp_path)["rapport.pdf"].actor == "Växjö kommun"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("file,actor,year\nx.pdf,Region Skåne,2022\n", "the columns must be exactly"),
        (
            "file,actor,actor_type,lan,year\nx.pdf,Region Skåne,landsting,,2022\n",
            "line 2: actor_type",
        ),
        ("file,actor,actor_type,lan,year\nx.pdf,Region Skåne,region,,tjugo\n", "line 2: year"),
        ("file,actor,actor_type,lan,year\nx.pdf,A,,,\nx.pdf,B,,,\n", "x.pdf is listed twice"),
    ],
)
def test_malformed_manifest_is_a_usage_error_naming_the_problem(tmp_path, text, message) -> None:
    write_manifest(tmp_path, text)
    with pytest.raises(UsageError, match=message) as raised:
        read_manifest(tmp_path)
    assert "manifest.csv" in str(raised.value)
