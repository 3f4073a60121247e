"""`nvreport narrative` as an analyst runs it: inputs, formats, errors, templates."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from nvreport.cli.commands import app

runner = CliRunner()
SAMPLES = Path(__file__).parents[1] / "samples"


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def write_report(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def small_years(tmp_path: Path) -> tuple[Path, Path]:
    """Three regions, two years, as text reports."""
    before, after = tmp_path / "2021", tmp_path / "2022"
    for region in ("Halland", "Kronoberg", "Dalarna"):
        write_report(
            before,
            f"Region {region} 2021.txt",
            f"Region {region}\n\nRegionen planerar att införa hälsosamtal under nästa år.\n",
        )
        write_report(
            after,
            f"Region {region} 2022.txt",
            f"Region {region}\n\nRegionen har under året infört riktade hälsosamtal för "
            "invånare som fyller 40 och 50 år, och samtalen erbjuds nu vid alla "
            f"vårdcentraler i {region}.\n",
        )
    return before, after


def test_markdown_and_html_drafts_are_written_and_reproducible(tmp_path: Path) -> None:
    for fmt in ("md", "html"):
        outputs = []
        for jobs in ("1", "2"):
            target = tmp_path / jobs / f"arsberattelse-2022.{fmt}"
            result = run(
                "narrative", SAMPLES / "2022", "--previous", SAMPLES / "2021",
                "-o", target, "--date", "2026-11-23", "--jobs", jobs, "-q",
            )  # fmt: skip
            assert result.exit_code == 0, result.output
            outputs.append(target)
        assert outputs[0].read_bytes() == outputs[1].read_bytes()
        if fmt == "md":
            figures = sorted((tmp_path / "1" / "arsberattelse-2022-figurer").iterdir())
            assert [f.name for f in figures] == [f"figur-{n}.svg" for n in range(1, 7)]
            for figure in figures:
                twin = tmp_path / "2" / "arsberattelse-2022-figurer" / figure.name
                assert figure.read_bytes() == twin.read_bytes()
                assert figure.read_text(encoding="utf-8").startswith("<svg ")


def test_a_compare_output_is_not_enough_for_a_story(tmp_path: Path) -> None:
    """A compare output holds the figures, not the passages the story quotes, and the
    year folders it names are not opened: it may come from someone else."""
    assert (
        run("compare", SAMPLES / "2021", SAMPLES / "2022", "-o", tmp_path / "c", "-q").exit_code
        == 0
    )
    result = run("narrative", tmp_path / "c", "-o", tmp_path / "x.md", "-q")
    assert result.exit_code == 2
    assert "is a compare output" in result.stderr and "--previous" in result.stderr
    assert str(SAMPLES) not in result.stderr
    assert not (tmp_path / "x.md").exists()


def test_a_year_without_a_readable_report_gives_a_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / "2022"
    folder.mkdir()
    (folder / "Region Halland 2022.pdf").write_bytes(b"%PDF-1.4 trasig")
    result = run("narrative", folder, "-o", tmp_path / "a.html")
    assert result.exit_code == 2
    assert "no report could be read" in result.stderr
    assert "Region Halland 2022.pdf" in result.stderr
    assert not (tmp_path / "a.html").exists()


def test_a_previous_year_without_a_shared_actor_gives_a_clear_message(tmp_path: Path) -> None:
    write_report(
        tmp_path / "2021",
        "Region Skåne 2021.txt",
        "Region Skåne\n\nRegionen erbjuder hälsosamtal.\n",
    )
    write_report(
        tmp_path / "2022",
        "Region Halland 2022.txt",
        "Region Halland\n\nRegionen erbjuder hälsosamtal.\n",
    )
    result = run("narrative", tmp_path / "2022", "-p", tmp_path / "2021", "-o", tmp_path / "a.md")
    assert result.exit_code == 2
    assert "share no actor" in result.stderr
    assert not (tmp_path / "a.md").exists()


def test_chapters_can_be_picked_by_number_or_id(small_years, tmp_path: Path) -> None:
    before, after = small_years
    target = tmp_path / "a.md"
    result = run("narrative", after, "-p", before, "-o", target, "--chapters", "1,samordning")
    assert result.exit_code == 0, result.output
    chapters = re.findall(r"^## (\d)\. ", target.read_text(encoding="utf-8"), flags=re.M)
    assert chapters == ["1", "3"]
    result = run("narrative", after, "-o", target, "--chapters", "7")
    assert result.exit_code == 2
    assert 'no chapter "7"' in result.stderr


def test_the_old_misspelt_area_id_still_picks_its_chapter(small_years, tmp_path: Path) -> None:
    """Taxonomy 2026.2 renamed the area halsofromjande (a typo) to halsoframjande: a
    script written before still works, and is told to change."""
    before, after = small_years
    target = tmp_path / "a.md"
    for chapter in ("halsoframjande", "halsofromjande"):
        result = run("narrative", after, "-p", before, "-o", target, "--chapters", chapter)
        assert result.exit_code == 0, result.output
        text = target.read_text(encoding="utf-8")
        assert re.findall(r"^## (\d)\. ", text, flags=re.M) == ["4"]
        assert "## 4. Hälsofrämjande och förebyggande" in text
    assert (
        "--chapters halsofromjande: the area is called halsoframjande in taxonomy 2026.2"
        in result.stderr
    )
    assert "deprecated" in result.stderr
    # a copy of the taxonomy made before the rename keeps the old id, and takes the new
    old_copy = tmp_path / "gammal.yaml"
    bundled = (Path(__file__).parents[1] / "taxonomies" / "nara-vard.yaml").read_text("utf-8")
    old_copy.write_text(
        bundled.replace("id: halsoframjande", "id: halsofromjande"), encoding="utf-8"
    )
    result = run(
        "narrative", after, "-p", before, "-o", target, "--chapters", "halsoframjande",
        "--taxonomy", old_copy,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert re.findall(r"^## (\d)\. ", target.read_text("utf-8"), flags=re.M) == ["4"]
    assert "deprecated" not in result.stderr


def test_a_small_change_is_told_and_a_tiny_group_with_caution(small_years, tmp_path) -> None:
    before, after = small_years
    target = tmp_path / "a.md"
    assert (
        run("narrative", after, "-p", before, "-o", target, "--date", "2026-11-23").exit_code == 0
    )
    text = target.read_text(encoding="utf-8")
    assert (
        "- **Fler regioner redovisar arbete med hälsosamtal.** Bland de tre regioner som "
        "redovisade både 2021 och 2022 har antalet med pågående arbete ökat från noll till tre. "
        "Tre av dem har gått från planering till genomförande." in text
    )
    assert (
        "**Regioner.** Samtliga tre regioner redovisar att arbete med hälsosamtal pågår "
        "eller är infört 2022." in text
    )
    assert "Den målgrupp som oftast nämns i samma stycke som hälsosamtal" not in text
    # with only two regions, the same movement is no trend
    for folder in (before, after):
        next(folder.glob("Region Dalarna*")).unlink()
    assert (
        run("narrative", after, "-p", before, "-o", target, "--date", "2026-11-23").exit_code == 0
    )
    text = target.read_text(encoding="utf-8")
    assert "Fler regioner" not in text
    assert "Inga förändringar är tillräckligt stora" in text
    assert "Med två regioner i underlaget går det inte att säga något om en utveckling" in text


def test_without_a_previous_year_the_story_tells_presence_only(small_years, tmp_path) -> None:
    _, after = small_years
    target = tmp_path / "a.md"
    assert run("narrative", after, "-o", target).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "- **Samtliga tre regioner redovisar arbete med hälsosamtal.**" in text
    assert "Bland de" not in text and "2021" not in text


def test_report_text_is_escaped_in_both_formats(tmp_path: Path) -> None:
    folder = tmp_path / "2022"
    write_report(
        folder,
        "Region Halland *2022*.txt",
        "Region Halland\n\nRegionen har infört hälsosamtal <script>alert('x')</script> för "
        "*alla* invånare som fyller 40 år, enligt _beslut_ i [nämnden](http://example.org) "
        "& med stöd av | folkhälsoenheten.\n",
    )
    html_file, md_file = tmp_path / "a.html", tmp_path / "a.md"
    assert run("narrative", folder, "-o", html_file).exit_code == 0
    assert run("narrative", folder, "-o", md_file).exit_code == 0
    html = html_file.read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "Region Halland *2022*.txt" in html
    rendered = MarkdownIt("commonmark").enable("table").render(md_file.read_text(encoding="utf-8"))
    assert "<script" not in rendered
    assert "<em>alla" not in rendered and "<em>beslut" not in rendered and "<a " not in rendered
    assert "&lt;script&gt;alert('x')&lt;/script&gt; för *alla* invånare" in rendered
    assert "Region Halland *2022*.txt" in rendered


def test_unreadable_files_are_listed_in_swedish_and_the_exit_code_says_so(
    small_years, tmp_path
) -> None:
    before, after = small_years
    (after / "Region Skåne 2022.pdf").write_bytes(b"%PDF-1.4 trasig")
    target = tmp_path / "a.md"
    result = run("narrative", after, "-p", before, "-o", target, "-q")
    assert result.exit_code == 1
    assert "Region Skåne 2022.pdf" in result.stderr
    text = target.read_text(encoding="utf-8")
    assert "En fil kunde inte läsas och ingår inte i siffrorna; den listas i bilagan." in text
    assert (
        "| 2022 | Region Skåne 2022.pdf | kunde inte läsas | filen är skadad eller ofullständig |"
        in text
    )
    # files that could not be read are "oläsbara" (unreadable), not "olästa" (unread)
    assert "| Läsbara | Oläsbara |" in text
    assert "Olästa" not in text


def test_own_templates_override_the_bundled_ones_file_by_file(small_years, tmp_path) -> None:
    before, after = small_years
    mine = tmp_path / "mallar"
    mine.mkdir()
    bundled = Path(__file__).parents[1] / "templates" / "sentences.j2"
    sentences = bundled.read_text(encoding="utf-8").replace(
        "Omställningen till nära vård {{ story.year }}", "Nära vård i länet {{ story.year }}"
    )
    (mine / "sentences.j2").write_text(sentences, encoding="utf-8")
    target = tmp_path / "a.md"
    result = run("narrative", after, "-p", before, "-o", target, "--templates", mine)
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Nära vård i länet 2022\n")
    assert "## Trender i korthet" in text  # the bundled layout is kept
    (mine / "story.md.j2").write_text("{{ story.year }}: {% if %}\n", encoding="utf-8")
    result = run("narrative", after, "-o", target, "--templates", mine)
    assert result.exit_code == 2
    assert "story.md.j2:1: template error" in result.stderr
    shutil.rmtree(mine)
    result = run("narrative", after, "-o", target, "--templates", mine)
    assert result.exit_code == 2
    assert "no such templates folder" in result.stderr


def test_a_bad_date_is_a_usage_error(small_years, tmp_path: Path) -> None:
    _, after = small_years
    result = run("narrative", after, "-o", tmp_path / "a.md", "--date", "23/11")
    assert result.exit_code == 2
    assert "not a date of the form YYYY-MM-DD" in result.stderr


def test_analyse_outputs_tell_the_same_story_as_the_reports(small_years, tmp_path) -> None:
    before, after = small_years
    for folder in (before, after):
        assert run("analyse", folder, "-o", tmp_path / f"ut-{folder.name}", "-q").exit_code == 0
    from_reports, from_outputs = tmp_path / "a" / "utkast.md", tmp_path / "b" / "utkast.md"
    assert (
        run("narrative", after, "-p", before, "-o", from_reports, "--date", "2026-11-23").exit_code
        == 0
    )
    result = run(
        "narrative", tmp_path / "ut-2022", "-p", tmp_path / "ut-2021",
        "-o", from_outputs, "--date", "2026-11-23",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert from_outputs.read_bytes() == from_reports.read_bytes()
    assert not re.search(r", s\. \d", from_outputs.read_text(encoding="utf-8"))  # no pages
