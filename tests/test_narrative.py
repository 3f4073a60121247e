"""The yearly story drafted from the bundled samples: every number in the text is
checked against the comparison, every quote against the passages, and the Swedish
against the rules of the årsberättelse."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from nvreport.analysis.compare import compare_years, load_year
from nvreport.analysis.phrasing import share_phrase, theme_in_sentence, work_on
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.outputs.comparison import write_comparison
from nvreport.story.narrative import MIN_ACTORS, TARGET_GROUPS, build_story
from nvreport.story.render import render_story
from nvreport.tagging.tagger import ACTIVE, NEGATED, PLANNED, Tagger
from nvreport.tagging.taxonomy import load_taxonomy

SAMPLES = Path(__file__).parents[1] / "samples"
DATE = dt.date(2026, 11, 23)
WORDS = {
    "ingen": 0, "inget": 0, "noll": 0, "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4,
    "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12,
}  # fmt: skip
TYPES = {"Regioner": "region", "Län (kommunerna gemensamt)": "rss", "Kommuner": "kommun"}
NOUNS = {"region": ("region", "regioner"), "rss": ("län", "län"), "kommun": ("kommun", "kommuner")}


def number(word: str) -> int:
    word = word.lower()
    return WORDS[word] if word in WORDS else int(word.replace(" ", ""))


@pytest.fixture(scope="module")
def material():
    taxonomy = load_taxonomy()
    tagger = Tagger(taxonomy)
    gazetteer = Gazetteer.load()
    before = load_year(SAMPLES / "2021", gazetteer, tagger)
    current = load_year(SAMPLES / "2022", gazetteer, tagger)
    comparison = compare_years([before, current], taxonomy)
    story = build_story(current, before, comparison, taxonomy, date=DATE)
    markdown = render_story(story, "md", stem="arsberattelse-2022")
    html = render_story(story, "html", stem="arsberattelse-2022")
    return {
        "taxonomy": taxonomy,
        "current": current,
        "before": before,
        "comparison": comparison,
        "story": story,
        "md": markdown,
        "html": html,
    }


def theme_sections(text: str) -> dict[str, str]:
    """Markdown text of each theme section, by its label."""
    sections = {}
    for block in re.split(r"\n(?=### )", text)[1:]:
        heading, _, body = block.partition("\n")
        label = re.sub(r"^### \d+\.\d+ ", "", heading).replace("\\", "")
        sections[label] = body.split("\n## ")[0].split("\n![")[0]
    return sections


def expected(material, theme: str, actor_type: str) -> dict[str, int]:
    """The figures of one theme and actor type, straight from the comparison."""
    comparison = material["comparison"]
    coverage = comparison.coverage
    now = coverage[
        (coverage["year"] == 2022)
        & (coverage["actor_type"] == actor_type)
        & (coverage["theme"] == theme)
    ].iloc[0]
    moves = comparison.transitions[
        (comparison.transitions["to_year"] == 2022)
        & (comparison.transitions["actor_type"] == actor_type)
        & (comparison.transitions["theme"] == theme)
        & (comparison.transitions["change"] != "no_report")
    ]
    return {
        "actors": int(now["actors"]),
        "active": int(now["active"]),
        "planned": int(now["planned"]),
        "negated": int(now["negated"]),
        "shared": len(moves),
        "before": int((moves["from_status"] == ACTIVE).sum()),
        "after": int((moves["to_status"] == ACTIVE).sum()),
        "planned_to_active": int((moves["change"] == "planned_to_active").sum()),
        "stopped": int(((moves["from_status"] == ACTIVE) & (moves["to_status"] != ACTIVE)).sum()),
    }


def test_the_draft_has_the_shape_of_the_arsberattelse(material) -> None:
    text = material["md"].text
    headings = re.findall(r"^(#{1,3}) (.+)$", text, flags=re.M)
    top = [title for level, title in headings if level == "##"]
    assert headings[0] == ("#", "Omställningen till nära vård 2022")
    assert top[:2] == ["Inledning", "Trender i korthet"]
    assert top[2:8] == [
        "1. Personcentrering",
        "2. Samskapande",
        "3. Samordning",
        "4. Hälsofrämjande och förebyggande",
        "5. Tillgänglighet på nya sätt",
        "6. Styra och leda",
    ]
    assert top[8:] == [
        "Bilaga A. Täckning per tema",
        "Bilaga B. Lästa redovisningar",
        "Bilaga C. Filer som inte kunde läsas eller bara lästes delvis",
        "Bilaga D. Underlag för inslag, målgrupper, effekter och hinder",
    ]
    assert "23 november 2026" in text
    assert "nio redovisningar till Socialstyrelsen" in text
    assert "version 2026.2" in text
    # a fact box per chapter, a chart with alt text and a caption per chapter
    assert text.count("> **Detta är ") == 6
    assert (
        len(
            re.findall(
                r"^!\[Stapeldiagram över [^\]]+\]\(arsberattelse-2022-figurer/figur-\d\.svg\)$",
                text,
                flags=re.M,
            )
        )
        == 6
    )
    assert sorted(material["md"].charts) == [
        f"arsberattelse-2022-figurer/figur-{n}.svg" for n in range(1, 7)
    ]
    assert text.count("*Figur ") == 6


def test_every_figure_of_every_theme_section_matches_the_comparison(material) -> None:
    taxonomy = material["taxonomy"]
    sections = theme_sections(material["md"].text)
    assert set(sections) == {theme.label for theme in taxonomy.themes}
    checked = Counter()
    for theme in taxonomy.themes:
        body = sections[theme.label]
        for title, paragraph in re.findall(r"^\*\*(.+?)\.\*\* (.+)$", body, flags=re.M):
            actor_type = TYPES[title]
            want = expected(material, theme.id, actor_type)
            singular, plural = NOUNS[actor_type]
            words = r"(\w+)"
            # presence: the exact share, with the approximate one in front of it
            exact = share_phrase(want["active"], want["actors"], actor_type)
            assert paragraph.startswith((exact.exact, exact.text)), (theme.id, paragraph)
            if exact.approximate and 0 < want["active"] < want["actors"]:
                assert paragraph.startswith(f"{exact.approximate} ({exact.exact.lower()})")
            also = "(?:Ytterligare|Därtill planerar|Hos ytterligare)"
            found = re.search(rf"{also} {words} (?:{singular}|{plural})", paragraph)
            alone = re.match(rf"^.*?\. {words} (?:{singular}|{plural}) {PLANNED_VERBS}", paragraph)
            if want["planned"]:
                assert (found or alone) and number((found or alone).group(1)) == want["planned"]
            else:
                assert not found and not alone, paragraph
            negated = re.search(rf"{words} (?:{singular}|{plural}) {NEGATED_VERBS}", paragraph)
            assert (number(negated.group(1)) if negated else 0) == want["negated"], paragraph
            # change, only among the actors in both years, and only when not cautious
            change = re.search(
                rf"{CHANGE_LEADS} de {words} {plural} som (?:redovisade|har redovisat) både 2021 "
                r"och 2022 (.+?)(?:$|(?= Med | För få | Alltför få | Temat | Så få | En "
                r"utveckling | Underlaget räcker | Pågående | Undantagen | Det gäller | Det är "
                r"| Arbetet pågår | Sedan ))",
                paragraph,
            )
            cautious = (
                want["actors"] < MIN_ACTORS
                or want["shared"] < MIN_ACTORS
                or (max(want["active"] + want["planned"], want["before"]) < 2)
            )
            if cautious:
                assert change is None, paragraph
                assert re.search(r"(går det inte att säga|för få)", paragraph), paragraph
                continue
            assert change is not None, paragraph
            assert number(change.group(1)) == want["shared"]
            rest = change.group(2)
            if want["before"] == want["after"] and re.search(UNCHANGED, rest):
                checked["unchanged"] += 1
                continue
            assert (number_of_change(rest)) == (want["before"], want["after"]), rest
            to_active = re.search(rf"{words} av dem {TO_ACTIVE}", rest)
            assert (number(to_active.group(1)) if to_active else 0) == want["planned_to_active"]
            stopped = re.search(rf"{words} (?:{singular}|{plural}) {STOPPED}", rest)
            assert (number(stopped.group(1)) if stopped else 0) == want["stopped"]
            checked["changed"] += 1
    assert checked["changed"] >= 5  # the samples move, and the test saw it


def test_trends_are_the_largest_net_movements_and_say_only_what_moved(material) -> None:
    text = material["md"].text
    trends = re.findall(r"^- \*\*(Fler|Färre) (\w+) redovisar (.+?)\.\*\* (.+)$", text, flags=re.M)
    assert 1 <= len(trends) <= 6
    works = {work_on(theme.label): theme.id for theme in material["taxonomy"].themes}
    nets = []
    for direction, noun, work, support in trends:
        actor_type = {"regioner": "region", "län": "rss", "kommuner": "kommun"}[noun]
        want = expected(material, works[work], actor_type)
        before, after = number_of_change(support)
        assert (before, after) == (want["before"], want["after"])
        assert (after > before) == (direction == "Fler") and after != before
        assert re.search(rf"{CHANGE_LEADS} de {number_word_of(want['shared'])} ", support)
        nets.append(abs(after - before))
    assert nets == sorted(nets, reverse=True)  # ranked by the size of the net change


#: The wordings the templates vary between (templates/sentences.j2).
CHANGE_LEADS = "(?:Bland|Av|Räknat på|För)"
PLANNED_VERBS = "(?:beskriver|har beslutat)"
NEGATED_VERBS = (
    "(?:anger uttryckligen|skriver uttryckligen|uppger att något|konstaterar att arbetet)"
)
UNCHANGED = "läget detsamma|läget oförändrat|läget inte förändrats|ser läget ut som"
TO_ACTIVE = (
    "(?:har gått från planering|planerade arbetet året innan|har gått från att planera"
    "|har förverkligat)"
)
STOPPED = (
    "(?:som redovisade pågående arbete 2021 gör det inte 2022|med pågående arbete 2021 "
    "redovisar inte det 2022|som hade arbetet i gång 2021 redovisar det inte längre 2022"
    "|som 2021 redovisade pågående arbete nämner det inte som pågående 2022)"
)


def number_of_change(text: str) -> tuple[int, int]:
    """The counts before and after in "har antalet med pågående arbete ökat från sju
    till 15" or "är antalet med pågående arbete detsamma som året innan (fem)"."""
    moved = re.search(
        r"antalet med pågående arbete (?:ökat|minskat) från (\w+) till (\d[\d ]*\d|\w+)", text
    )
    if moved:
        return number(moved.group(1)), number(moved.group(2))
    same = re.search(r"antalet med pågående arbete detsamma som året innan \((\w+)\)", text)
    assert same, text
    return number(same.group(1)), number(same.group(1))


def number_word_of(n: int) -> str:
    return {v: k for k, v in WORDS.items() if k not in ("ingen", "inget", "noll", "ett")}.get(
        n, str(n)
    )


def test_target_groups_and_effects_are_counted_by_actor(material) -> None:
    current = material["current"]
    taxonomy = material["taxonomy"]
    keys = dict(zip(current.documents["doc_id"], current.documents["actor_key"], strict=True))
    labels = {theme_in_sentence(entry.label): entry.id for entry in taxonomy.facet_values}
    seen = 0
    for theme in taxonomy.themes:
        body = theme_sections(material["md"].text)[theme.label]
        found = re.search(
            r"(?:De målgrupper|Den målgrupp) som (?:oftast nämns|arbetet oftast riktar sig till"
            r"|främst nämns|oftast lyfts fram) är (.+?)\.",
            body,
        )
        if not found:
            continue
        mentions = current.mentions[
            (current.mentions["theme"] == theme.id)
            & current.mentions["status"].isin([ACTIVE, PLANNED])
        ]
        places = set(zip(mentions["doc_id"], mentions["index"], strict=True))
        for label, count in re.findall(
            r"([^,()]+?) \((\w+) (?:aktörer?|regioner?|kommuner?|län)\)", found.group(1)
        ):
            value = labels[label.strip().removeprefix("och ").strip()]
            facets = current.facets[
                (current.facets["value"] == value) & (current.facets["status"] != NEGATED)
            ]
            actors = {
                keys[doc]
                for doc, index in zip(facets["doc_id"], facets["index"], strict=True)
                if (doc, index) in places
            }
            assert number(count) == len(actors), (theme.id, label)
            assert taxonomy.entries[value].group == TARGET_GROUPS
            seen += 1
    assert seen >= 5


def test_every_example_is_a_verbatim_passage_cited_with_its_file_and_page(material) -> None:
    current = material["current"]
    documents = current.documents.set_index("file")
    passages = current.passages.merge(current.documents[["doc_id", "file"]], on="doc_id")
    quotes = re.findall(r"^> ”(.+)”\n> — (.+)$", material["md"].text, flags=re.M)
    assert len(quotes) >= 30
    for quote, citation in quotes:
        quote = quote.replace("\\", "")
        actor, file, *where = citation.replace("\\", "").split(", ")
        assert documents.loc[file, "actor"] == actor
        rows = passages[
            (passages["file"] == file)
            & (passages["kind"] == "paragraph")
            & passages["text"].str.split().str.join(" ").str.contains(quote, regex=False)
        ]
        assert len(rows), (file, quote)
        if where and where[0].startswith("s. "):
            page = int(where[0].split()[1])
            assert page in set(rows["page"]), (file, quote, page)
        else:
            assert file.endswith(".docx") and rows["page"].isna().all()


def test_examples_prefer_new_text_from_different_actors(material) -> None:
    story = material["story"]
    labels = material["comparison"].novelty_labels[2022]
    current = material["current"]
    keys = dict(zip(current.documents["doc_id"], current.documents["actor"], strict=True))
    repeated_chosen = 0
    for chapter in story.chapters:
        in_chapter = {q.actor for section in chapter.sections for q in section.examples}
        for section in chapter.sections:
            actors = [quote.actor for quote in section.examples]
            assert len(actors) == len(set(actors))
            if "repeated" in [q.novelty for q in section.examples]:
                repeated_chosen += 1
                active = current.mentions[
                    (current.mentions["theme"] == section.id)
                    & (current.mentions["status"] == ACTIVE)
                ]
                active = active.merge(current.passages, on=["doc_id", "index"])
                with_new = {
                    keys[doc]
                    for doc, index, kind, words in zip(
                        active["doc_id"],
                        active["index"],
                        active["kind"],
                        active["words"],
                        strict=True,
                    )
                    if labels.get((doc, int(index))) == "new" and kind == "paragraph" and words >= 8
                }
                # repeated text only once every actor with new text is quoted in the chapter
                assert with_new <= in_chapter, section.id
    assert repeated_chosen >= 1  # the samples repeat text, so the rule was exercised


def prose(text: str) -> list[str]:
    """The story's own sentences: no tables, headings, quotes, fact boxes, images."""
    lines = []
    for line in text.splitlines():
        if not line or line.startswith(("|", "#", ">", "![")):
            continue
        lines.append(line)
    return lines


def test_swedish_counts_agree_and_small_numbers_are_words(material) -> None:
    text = "\n".join(prose(material["md"].text))
    words = "|".join(w for w in WORDS if w not in ("en", "ett", "ingen", "inget"))
    assert not re.search(r"\ben (regioner|kommuner|aktörer|redovisningar)\b", text)
    assert not re.search(r"\bett (region|kommun|aktör)\b", text)
    assert not re.search(r"\ben län\b", text)
    assert not re.search(rf"\b({words}) (region|kommun|aktör|redovisning)\b", text)
    assert not re.search(r"\bingen (län)\b|\binget (region|kommun)\b", text)
    # counts up to twelve as words: digits only in years, pages, figure numbers, versions
    stripped = re.sub(r"\b(19|20)\d\d\b|s\. \d+|Figur \d+|\d+\.\d+(\.\d+)?", "", text)
    assert not re.search(r"(?<![\w.,])([0-9]|1[0-2])(?![\w.,])", stripped), re.search(
        r"(?<![\w.,])([0-9]|1[0-2])(?![\w.,])", stripped
    )


def test_no_english_is_left_in_the_story(material) -> None:
    for fmt in ("md", "html"):
        text = material[fmt].text
        if fmt == "html":
            text = re.sub(r"<style>.*?</style>|<svg.*?</svg>|<[^>]+>", " ", text, flags=re.S)
        text = re.sub(r"”[^”]*”", " ", text)  # quotes are the reports' own words
        text = "\n".join(line for line in text.splitlines() if ".pdf" not in line)
        text = "\n".join(line for line in text.splitlines() if ".docx" not in line)
        english = re.findall(
            r"\b(the|and|with|active|planned|negated|not_mentioned|rss|"
            r"warning|error|unknown|reports?|none|True|False|nan)\b",
            text,
        )
        assert not english, (fmt, Counter(english))


def test_markdown_renders_cleanly_with_commonmark(material) -> None:
    html = MarkdownIt("commonmark").enable("table").render(material["md"].text)
    assert html.count("<h2>") == 12
    assert html.count("<img ") == 6
    assert html.count("<table>") == 6 + 3  # under each chart, coverage, reports, basis
    assert html.count("<blockquote>") >= 30 + 6
    assert "\\" not in re.sub(r"<[^>]+>", "", html)  # no escape shows through
    assert "**" not in html and "](" not in html


def test_html_is_one_self_contained_accessible_file(material) -> None:
    html = material["html"].text
    assert material["html"].charts == {}  # the charts are inline
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="sv">' in html
    assert '<meta name="viewport"' in html
    assert "@media print" in html
    assert html.count('<div class="bars"') == 6  # the charts, drawn in HTML and CSS
    assert html.count('<span class="frame"') == html.count('<span class="figures">') > 6 * 10
    assert len(re.findall(r'role="img" aria-label="Stapeldiagram', html)) == 6
    assert html.count('<figcaption id="figur-') == 6
    assert not re.search(r'\b(src|href)="(?!#)', html)  # no file or URL is fetched
    assert "<script" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_the_same_inputs_give_the_same_draft(material) -> None:
    story = build_story(
        material["current"],
        material["before"],
        material["comparison"],
        material["taxonomy"],
        date=DATE,
    )
    assert render_story(story, "md", stem="arsberattelse-2022") == material["md"]
    assert render_story(story, "html").text == material["html"].text


def test_the_story_figures_are_those_of_comparison_json(material, tmp_path: Path) -> None:
    write_comparison(material["comparison"], tmp_path, material["taxonomy"], {})
    records = json.loads((tmp_path / "comparison.json").read_text(encoding="utf-8"))
    cells = {(r["year"], r["actor_type"], r["theme"]): r for r in records["coverage"]}
    changes = {(r["to_year"], r["actor_type"], r["theme"]): r for r in records["changes"]}
    seen = 0
    for chapter in material["story"].chapters:
        for section in chapter.sections:
            for g in section.groups:
                cell = cells[(2022, g.actor_type, section.id)]
                assert (g.actors, g.active, g.planned, g.negated) == (
                    cell["actors"],
                    cell["active"],
                    cell["planned"],
                    cell["negated"],
                )
                change = changes[(2022, g.actor_type, section.id)]
                assert g.movement.planned_to_active == change["planned_to_active"]
                assert (g.previous_active, g.previous_planned) == (
                    change["active_from"],
                    change["planned_from"],
                )
                seen += 1
    assert seen == 15 * 3


def test_with_new_only_repeated_text_is_never_cited(material) -> None:
    comparison = compare_years(
        [material["before"], material["current"]], material["taxonomy"], new_only=True
    )
    story = build_story(
        material["current"], material["before"], comparison, material["taxonomy"], date=DATE
    )
    quotes = [q for c in story.chapters for s in c.sections for q in s.examples]
    assert quotes and all(q.novelty != "repeated" for q in quotes)
    assert "Text som har upprepats från föregående års redovisning har inte räknats." in (
        render_story(story, "md").text
    )
