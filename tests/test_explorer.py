"""``explorer.html``: the actor × theme matrix and the passages behind each cell, in one
self-contained page.

The page is checked as an analyst uses it, in Debian's headless Chromium (which
``.ci/run`` installs where it is missing) driven through the DevTools protocol
(``tests/cdp.py``): it loads without a request or an error, a click on a matrix cell
lists that actor's passages for the theme with the evidence highlighted and a link
to the report's page, the filters and the search narrow it down. The figures it
shows are held against the CSV and Parquet files of the same run, and report text
that looks like markup stays text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pandas as pd
import pytest
from typer.testing import CliRunner

from cdp import Chromium, find_browser
from explorer_corpus import synthetic_analysis
from nvreport.analysis.tables import document_parts
from nvreport.cli.commands import app
from nvreport.outputs import explorer as explorer_module
from nvreport.outputs.explorer import (
    ExplorerWriter,
    evidence_ranges,
    link_base,
    relocate,
    script_json,
)
from nvreport.tagging.taxonomy import load_taxonomy

SAMPLES = Path(__file__).parents[1] / "samples"
runner = CliRunner()


def cli(*arguments: object) -> None:
    result = runner.invoke(app, [str(argument) for argument in arguments])
    assert result.exit_code == 0, result.output


def browser() -> str:
    found = find_browser()
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("no Chromium on this machine; .ci/run installs Debian's chromium")
    pytest.skip("no Chromium on this machine (apt-get install chromium)")


def page_data(page: Path) -> tuple[dict, list, list]:
    """The data the page carries: the matrix, the passages and the links' bases."""
    html = page.read_text(encoding="utf-8")

    def element(name: str):
        found = re.search(
            rf'<script type="application/json" id="{name}">(.*?)</script>', html, re.S
        )
        assert found, name
        return json.loads(found.group(1))

    return element("nv-data"), element("nv-passages"), element("nv-bases")


def read_csv(path: Path) -> pd.DataFrame:
    """An output CSV as any reader takes it: the separator is the header's."""
    header = path.read_bytes().split(b"\n", 1)[0]
    separator = ";" if b";" in header else ","
    return pd.read_csv(path, sep=separator, encoding="utf-8-sig", keep_default_na=False)


def tagged(output: Path) -> pd.DataFrame:
    """The passages of an analyse output that carry a theme, with their theme ids."""
    table = pd.read_parquet(output / "passages.parquet")
    table["theme_ids"] = [[theme["id"] for theme in themes] for themes in table["themes"]]
    return table[[len(ids) > 0 for ids in table["theme_ids"]]].reset_index(drop=True)


# --- the page's data, without a browser --------------------------------------------------


def test_data_cannot_end_its_script_element() -> None:
    text = script_json({"text": '</script><script>alert(1)</script><!-- "><img onerror=x>'})
    assert "<" not in text
    assert json.loads(text)["text"].startswith("</script>")


def test_evidence_offsets_count_as_the_browser_counts() -> None:
    """JavaScript counts a character outside the BMP (an emoji) as two."""
    text = "Vi 🙂 har infört mobila team. Det fungerar."
    start = text.index("mobila team")
    sentences, words = evidence_ranges(text, [(start, start + 11, "Vi 🙂 har infört mobila team.")])
    assert words == [start + 1, start + 12]
    assert sentences == [0, len("Vi 🙂 har infört mobila team.") + 1]


def test_links_lead_from_the_output_folder_to_the_reports(tmp_path: Path) -> None:
    base = link_base(tmp_path / "Rapporter 2022", tmp_path / "ut" / "2022")
    assert base is not None
    assert base.href == "../../Rapporter%202022/"
    assert base.text == "../../Rapporter 2022/"
    # a name with a colon or a hash is no scheme and no fragment
    assert (
        explorer_module._file_href("javascript:alert(1)#x.pdf")
        == "javascript%3Aalert%281%29%23x.pdf"
    )
    inside = link_base(tmp_path / "rapporter", tmp_path / "rapporter" / "ut")
    assert inside is not None and inside.href == "../"


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("utforskare") / "ut" / "2022"
    cli("analyse", SAMPLES / "2022", "-o", output, "--no-cache", "-q")
    return output


def test_analyse_writes_the_explorer_with_every_tagged_passage(analysed: Path) -> None:
    data, passages, bases = page_data(analysed / "explorer.html")
    expected = tagged(analysed)
    assert data["passages"] == len(passages) == len(expected)
    assert [item[3] for item in passages] == expected["text"].tolist()
    # each passage's themes and statuses as passages.parquet has them
    theme_ids = [theme[0] for theme in data["themes"]]
    shown = [{theme_ids[tag[0]]: tag[1] for tag in item[5]} for item in passages]
    codes = {"negated": 1, "planned": 2, "active": 3}
    assert shown == [
        {theme["id"]: codes[theme["status"]] for theme in themes} for themes in expected["themes"]
    ]
    # the links lead to the reports, from the output folder
    (base,) = bases
    for path, href, suffix, _, _ in data["files"]:
        target = Path(os.path.normpath(analysed / unquote(base["href"] + href)))
        assert target == (SAMPLES / "2022" / path).resolve() or target.samefile(
            SAMPLES / "2022" / path
        )
        assert suffix == Path(path).suffix.lstrip(".").lower()


def test_the_matrix_counts_what_coverage_csv_counts(analysed: Path) -> None:
    data, _, _ = page_data(analysed / "explorer.html")
    coverage = read_csv(analysed / "coverage.csv")
    themes = [theme[0] for theme in data["themes"]]
    for row in coverage.itertuples(index=False):
        kind = data["types"].index(row.actor_type)
        states = [item[6][themes.index(row.theme)] for item in data["rows"] if item[1] == kind]
        assert states.count(3) == row.active, (row.actor_type, row.theme)
        assert states.count(2) == row.planned, (row.actor_type, row.theme)
        assert states.count(1) == row.negated, (row.actor_type, row.theme)
        assert states.count(0) == row.not_mentioned, (row.actor_type, row.theme)


def test_the_same_run_writes_the_same_bytes(analysed: Path, tmp_path: Path) -> None:
    again = tmp_path / "ut" / "2022"  # as deep as the first: the same links
    cli("analyse", SAMPLES / "2022", "-o", again, "--no-cache", "-q", "--jobs", "2")
    assert (again / "explorer.html").read_bytes() == (analysed / "explorer.html").read_bytes()


def test_a_reused_run_links_to_the_reports_from_its_own_folder(tmp_path: Path) -> None:
    reports = tmp_path / "rapporter" / "2022"
    shutil.copytree(SAMPLES / "2022", reports)
    cache = tmp_path / "cache"
    cli("analyse", reports, "-o", tmp_path / "a", "--cache", cache, "-q")
    # the same inputs again, for an output folder elsewhere: copied from the cache
    deeper = tmp_path / "djupare" / "ut" / "b"
    result = runner.invoke(app, ["analyse", str(reports), "-o", str(deeper), "--cache", str(cache)])
    assert result.exit_code == 0, result.output
    assert "copied from the cache" in result.stdout
    _, _, bases = page_data(deeper / "explorer.html")
    assert bases == [{"href": "../../../rapporter/2022/", "text": "../../../rapporter/2022/"}]
    fresh = tmp_path / "ny" / "ut" / "b"
    cli("analyse", reports, "-o", fresh, "--no-cache", "-q")
    assert (deeper / "explorer.html").read_bytes() == (fresh / "explorer.html").read_bytes()


def test_unreadable_reports_and_unknown_years_are_shown_as_such(tmp_path: Path) -> None:
    reports = tmp_path / "rapporter"
    reports.mkdir()
    (reports / "Region Halland 2022.txt").write_text(
        "Region Halland\n\nRegionen planerar att införa hälsosamtal under 2023.\n",
        encoding="utf-8",
    )
    (reports / "Flens kommun.txt").write_text(
        "Flens kommun\n\nKommunen har infört mobila team.\n", encoding="utf-8"
    )
    (reports / "Region Skåne 2022.pdf").write_bytes(b"%PDF-1.4 trasig")
    result = runner.invoke(
        app, ["analyse", str(reports), "-o", str(tmp_path / "ut"), "--no-cache", "-q"]
    )
    assert result.exit_code == 1  # the damaged PDF
    data, passages, _ = page_data(tmp_path / "ut" / "explorer.html")
    themes = [theme[0] for theme in data["themes"]]
    rows = {row[0]: row for row in data["rows"]}
    assert data["years"] == [2022]
    halland, skane, flen = rows["Region Halland"], rows["Region Skåne"], rows["Flens kommun"]
    assert (halland[3], halland[4]) == (0, 0)  # 2022, read
    assert halland[6][themes.index("halsosamtal")] == 2  # planned
    assert (skane[3], skane[4]) == (0, 2)  # 2022, unreadable
    assert set(skane[6]) == {5}  # unreadable, never "not mentioned"
    assert "damaged" in skane[5]
    assert flen[3] == -1  # the year is unknown
    assert flen[6][themes.index("mobila_team")] == 3
    assert sorted(item[3] for item in passages) == [
        "Kommunen har infört mobila team.",
        "Regionen planerar att införa hälsosamtal under 2023.",
    ]


def test_relocating_needs_the_links_element(tmp_path: Path) -> None:
    page = tmp_path / "explorer.html"
    page.write_text("<html></html>", encoding="utf-8")
    with pytest.raises(ValueError, match="no links"):
        relocate(page, [None])


# --- in the browser ------------------------------------------------------------------------


@pytest.fixture
def chromium(tmp_path: Path):
    with Chromium(browser(), tmp_path / "profil", size=(1400, 1000)) as found:
        yield found


def open_explorer(chromium: Chromium, page: Path) -> dict:
    chromium.open(page.as_uri())
    return chromium.wait_until("window.nvExplorer && window.nvExplorer.ready && window.nvExplorer")


def choose(chromium: Chromium, select: str, value: object) -> None:
    """Choose an option of a filter, as a user does."""
    chromium.evaluate(
        f"(() => {{ const s = document.getElementById({json.dumps(select)});"
        f" s.value = {json.dumps(str(value))};"
        " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )


def summary(chromium: Chromium) -> str:
    return chromium.evaluate("document.getElementById('list-summary').textContent")


def listed(chromium: Chromium) -> list[dict]:
    """The passages on show: text, highlighted sentences and words, chips and link."""
    return chromium.evaluate(
        """[...document.querySelectorAll('#list li.passage')].map(li => ({
            actor: li.querySelector('.actor').textContent,
            text: li.querySelector('p.text').textContent,
            evidence: [...li.querySelectorAll('mark.evidence')].map(m => m.textContent).join(''),
            terms: [...li.querySelectorAll('mark.evidence strong.term')].map(m => m.textContent),
            chips: [...li.querySelectorAll('.chip')].map(c => c.textContent),
            section: li.querySelector('.section').textContent,
            href: li.querySelector('a') ? li.querySelector('a').getAttribute('href') : null,
            path: li.querySelector('.path').textContent,
        }))"""
    )


def matrix_rows(chromium: Chromium) -> list[str]:
    return chromium.evaluate(
        "[...document.querySelectorAll('#matrix tbody tr:not(.group) th')]"
        ".map(th => th.firstChild.textContent)"
    )


def cell(chromium: Chromium, actor: str, theme_label: str) -> str:
    """The selector of the matrix cell of ``actor`` and the theme."""
    found = chromium.evaluate(
        f"""(() => {{ const b = [...document.querySelectorAll('button.cell')].find(b =>
            b.getAttribute('aria-label').startsWith({json.dumps(f"{actor} – {theme_label}:")}));
            return b ? [b.dataset.r, b.dataset.t] : null; }})()"""
    )
    assert found, (actor, theme_label)
    return f"button.cell[data-r='{found[0]}'][data-t='{found[1]}']"


def test_click_through_the_samples(analysed: Path, chromium: Chromium) -> None:
    page = analysed / "explorer.html"
    state = open_explorer(chromium, page)
    assert state["passages"] > 100
    expected = tagged(analysed)
    by_actor = read_csv(analysed / "themes_by_actor.csv")
    assert sorted(matrix_rows(chromium)) == sorted(set(by_actor["actor"]))

    # a cell: Region Skåne's passages on mobila team
    chromium.click(cell(chromium, "Region Skåne", "Mobila team"))
    chromium.wait_until("document.getElementById('list-summary').textContent.includes('Skåne')")
    wanted = expected[
        (expected["actor"] == "Region Skåne")
        & expected["theme_ids"].map(lambda ids: "mobila_team" in ids)
    ]
    count = int(
        by_actor[(by_actor["actor"] == "Region Skåne") & (by_actor["theme"] == "mobila_team")][
            "passages"
        ].iloc[0]
    )
    assert len(wanted) == count > 0
    assert summary(chromium).startswith(f"{count} stycke")
    shown = listed(chromium)
    assert [item["text"] for item in shown] == wanted["text"].tolist()
    pages = {text: int(page) for text, page in zip(wanted["text"], wanted["page"], strict=True)}
    for item in shown:
        assert item["actor"] == "Region Skåne"
        assert item["chips"][0].startswith("Mobila team: ")
        assert item["evidence"] and item["evidence"] in item["text"]
        assert item["terms"] and all(term.lower().startswith("mobil") for term in item["terms"])
        assert item["href"].endswith(f"#page={pages[item['text']]}")
        assert item["path"].endswith(
            f"Region Skåne helårsredovisning 2022.pdf#page={pages[item['text']]}"
        )
        assert item["section"].startswith("Avsnitt: ")
        # the link opens the report itself
        target = Path(unquote(urlsplit(urljoin(page.as_uri(), item["href"])).path))
        assert target.samefile(SAMPLES / "2022" / "Region Skåne helårsredovisning 2022.pdf")

    # filters: the regions with mobila team only planned or in place
    themes = [theme[0] for theme in page_data(page)[0]["themes"]]
    choose(chromium, "theme", themes.index("mobila_team"))
    coverage = read_csv(analysed / "coverage.csv")
    mobile = coverage[coverage["theme"] == "mobila_team"]
    for status, code in (("active", 3), ("planned", 2)):
        choose(chromium, "status", code)
        assert len(matrix_rows(chromium)) == int(mobile[status].sum())
    choose(chromium, "status", "")
    data = page_data(page)[0]
    choose(chromium, "type", data["types"].index("region"))
    regions = int(mobile[mobile["actor_type"] == "region"]["actors"].sum())
    assert len(matrix_rows(chromium)) == regions
    in_lists = expected[
        (expected["actor_type"] == "region")
        & expected["theme_ids"].map(lambda ids: "mobila_team" in ids)
    ]
    assert summary(chromium).startswith(f"{len(in_lists)} stycken – Mobila team")
    choose(chromium, "lan", data["lans"].index("Skåne län") + 1)
    assert matrix_rows(chromium) == ["Region Skåne"]

    # the search, over every tagged passage
    chromium.click("#reset")
    chromium.type("#query", "Hembesök")
    chromium.wait_until("document.getElementById('list-summary').textContent.includes('Hembesök')")
    hits = [text for text in expected["text"] if "hembesök" in text.lower()]
    assert hits
    assert summary(chromium).startswith(f"{len(hits)} stycke")
    marked = chromium.evaluate(
        "[...document.querySelectorAll('#list span.hit')].map(s => s.textContent.toLowerCase())"
    )
    assert marked and set(marked) == {"hembesök"}
    assert chromium.problems() == []


def test_report_text_stays_text(tmp_path: Path, chromium: Chromium) -> None:
    """A report whose text, and name, look like markup: shown as written, never run."""
    reports = tmp_path / "2022"
    reports.mkdir()
    hostile = (
        "Regionen har infört mobila team i hela länet. <script>window.injected = 1</script> "
        'Teamen besöker patienterna i hemmet. "><img src=x onerror="window.injected = 2"> '
        "</script><!-- Mobila team finns nu i alla kommuner."
    )
    (reports / 'Region Halland "><img src=x onerror=window.injected=3>.txt').write_text(
        f"Region Halland\n\n{hostile}\n", encoding="utf-8"
    )
    output = tmp_path / "ut"
    cli("analyse", reports, "-o", output, "--no-cache", "-q")
    html = (output / "explorer.html").read_text(encoding="utf-8")
    assert html.count("<script") == 4  # the links, the passages, the data and the script
    assert "<img" not in html and "<!--" not in html
    open_explorer(chromium, output / "explorer.html")
    chromium.click(cell(chromium, "Region Halland", "Mobila team"))
    chromium.wait_until("document.querySelectorAll('#list li.passage').length")
    (shown,) = listed(chromium)
    assert shown["text"] == hostile
    assert '"><img src=x onerror=window.injected=3>.txt' in shown["path"]
    assert chromium.evaluate("typeof window.injected") == "undefined"
    assert chromium.evaluate("document.querySelectorAll('img, #list script').length") == 0
    assert chromium.problems() == []


def test_compare_shows_both_years_and_the_changes(tmp_path: Path, chromium: Chromium) -> None:
    # the years as analyse outputs: the links still lead to the reports
    outputs = tmp_path / "ut"
    for year in ("2021", "2022"):
        cli("analyse", SAMPLES / year, "-o", outputs / year, "--no-cache", "-q")
    cli("compare", outputs / "2021", outputs / "2022", "-o", outputs / "jämförelse", "-q")
    page = outputs / "jämförelse" / "explorer.html"
    data, _, bases = page_data(page)
    assert data["years"] == [2021, 2022]
    for base, year in zip(bases, ("2021", "2022"), strict=True):
        assert (page.parent / unquote(base["href"])).resolve() == (SAMPLES / year).resolve()
    transitions = read_csv(outputs / "jämförelse" / "transitions.csv")

    open_explorer(chromium, page)
    assert chromium.evaluate("[...document.getElementById('year').options].map(o => o.text)") == [
        "2021",
        "2022",
    ]
    assert chromium.evaluate("document.getElementById('year').value") == "1"
    actors_2022 = set(transitions[transitions["to_status"] != "no_report"]["actor"])
    assert sorted(matrix_rows(chromium)) == sorted(actors_2022)
    ups = chromium.evaluate("document.querySelectorAll('#matrix .move.up').length")
    downs = chromium.evaluate("document.querySelectorAll('#matrix .move.down').length")
    changes = transitions["change"].tolist()
    assert ups == sum(change in ("new", "planned_to_active", "newly_planned") for change in changes)
    assert downs == sum(change in ("active_to_planned", "dropped") for change in changes)
    assert ups > 0
    # a cell that changed says how
    moved = transitions[transitions["change"] == "planned_to_active"].iloc[0]
    label = next(theme[1] for theme in data["themes"] if theme[0] == moved["theme"])
    title = chromium.evaluate(
        f"document.querySelector({json.dumps(cell(chromium, moved['actor'], label))}).title"
    )
    assert "Planerades 2021, pågår 2022" in title
    # passages repeated from last year's report say so
    chromium.click(cell(chromium, moved["actor"], label))
    chromium.wait_until("document.querySelectorAll('#list li.passage').length")
    notes = chromium.evaluate(
        "[...document.querySelectorAll('#list .novelty')].map(n => n.textContent)"
    )
    assert set(notes) <= {"Ny text", "Omarbetad text", "Upprepad från förra årets rapport"}
    # the year before: its own actors, no change marked
    choose(chromium, "year", 0)
    actors_2021 = set(transitions[transitions["from_status"] != "no_report"]["actor"])
    assert sorted(matrix_rows(chromium)) == sorted(actors_2021)
    assert chromium.evaluate("document.querySelectorAll('#matrix .move').length") == 0
    assert chromium.problems() == []


def test_compare_new_only_counts_no_repeated_text(tmp_path: Path, chromium: Chromium) -> None:
    out = tmp_path / "jämförelse"
    cli("compare", SAMPLES / "2021", SAMPLES / "2022", "-o", out, "-q", "--new-only")
    open_explorer(chromium, out / "explorer.html")
    assert "ny och omarbetad text" in chromium.evaluate(
        "document.getElementById('help').textContent"
    )
    # every 2022 cell: its number counts the passages that are not repeated text
    cells = chromium.evaluate(
        "[...document.querySelectorAll('#matrix button.cell')].map(b => [b.dataset.r, b.dataset.t,"
        " b.firstChild && b.firstChild.nodeType === 3 ? +b.firstChild.textContent : 0])"
    )
    repeated = 0
    for row, theme, number in cells[:60]:
        chromium.click(f"button.cell[data-r='{row}'][data-t='{theme}']")
        notes = chromium.evaluate(
            "[...document.querySelectorAll('#list li.passage')].map(li =>"
            " (li.querySelector('.novelty') || {textContent: ''}).textContent)"
        )
        assert len(notes) < 50  # all on show
        kept = [note for note in notes if not note.startswith("Upprepad")]
        repeated += len(notes) - len(kept)
        assert number == len(kept), (row, theme)
        chromium.click(f"button.cell[data-r='{row}'][data-t='{theme}']")  # chosen no more
    assert repeated > 0
    assert chromium.problems() == []


def test_a_large_run_loads_and_is_usable(tmp_path: Path, chromium: Chromium, gazetteer) -> None:
    """300 reports, 100,000 tagged passages (benchmarks/explorer.py times it)."""
    taxonomy = load_taxonomy()
    analysis = synthetic_analysis(taxonomy, gazetteer, reports=300, passages=100_000)
    target = tmp_path / "ut" / "explorer.html"
    target.parent.mkdir()
    records = {record.doc_id: record for record in analysis.documents}
    with ExplorerWriter(taxonomy, analysis.root, target.parent) as writer:
        for part in document_parts(analysis):
            writer.add(records[part.columns.doc_id], part)
        writer.write(analysis, target)
    started = time.monotonic()
    state = open_explorer(chromium, target)
    print(
        f"\nexplorer of 300 reports, 100,000 passages ({target.stat().st_size / 2**20:.0f} MiB): "
        f"ready {state['loadMs']:.0f} ms after navigation,"
        f" {time.monotonic() - started:.2f} s in all"
    )
    assert state["passages"] == 100_000
    assert len(matrix_rows(chromium)) == 300
    counts: dict[str, int] = {}
    for passage, matches in zip(analysis.passages, analysis.matches, strict=True):
        if any(match.theme == "halsosamtal" for match in matches):
            counts[passage.doc_id] = counts.get(passage.doc_id, 0) + 1
    names = [record.meta.actor for record in analysis.documents]
    chosen = next(
        record
        for record in analysis.documents[123:]
        if counts.get(record.doc_id) and names.count(record.meta.actor) == 1
    )
    name, expected = chosen.meta.actor, counts[chosen.doc_id]
    chromium.click(cell(chromium, name, "Hälsosamtal"))
    chromium.wait_until(
        f"document.getElementById('list-summary').textContent.includes({json.dumps(name)})"
    )
    assert summary(chromium).startswith(f"{expected} stycken")
    assert len(listed(chromium)) == min(expected, 50)
    # the actors that only plan hälsosamtal
    rank = {"negated": 1, "planned": 2, "active": 3}
    best: dict[str, int] = {}
    for passage, matches in zip(analysis.passages, analysis.matches, strict=True):
        for match in matches:
            if match.theme == "halsosamtal":
                best[passage.doc_id] = max(best.get(passage.doc_id, 0), rank[match.status])
    themes = [theme.id for theme in taxonomy.themes]
    choose(chromium, "theme", themes.index("halsosamtal"))
    choose(chromium, "status", 2)
    assert len(matrix_rows(chromium)) == list(best.values()).count(2) > 0
    chromium.click("#reset")
    chromium.type("#query", "pilotverksamheten")
    chromium.wait_until("document.getElementById('list-summary').textContent.includes('pilot')")
    hits = sum(1 for passage in analysis.passages if "pilotverksamheten" in passage.text)
    assert summary(chromium).startswith(f"{hits:,} stycken".replace(",", "\u00a0"))
    # more as the list is scrolled
    chromium.evaluate("document.getElementById('more').scrollIntoView()")
    chromium.wait_until("document.querySelectorAll('#list li.passage').length > 50")
    assert chromium.problems() == []
