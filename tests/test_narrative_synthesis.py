"""The synthesis of each chapter, on the 21-region year: every number it states is
counted again here from the analysis's own tables (passages, mentions, facets, the
comparison) and traced to the passages the appendix names; and the template sentences
read right over edge counts (0, 1, 2, all but one, all)."""

from __future__ import annotations

import re
from collections import Counter
from types import SimpleNamespace

import pytest

from nvreport.analysis.phrasing import actor_noun, share_phrase, theme_in_sentence
from nvreport.story.model import FacetCount, Leaders, Source, Variation
from nvreport.story.render import environment
from nvreport.tagging.status import STATUS_RANK
from nvreport.tagging.tagger import ACTIVE, NEGATED, NONE, PLANNED, Tagger
from nvreport.tagging.taxonomy import SUBTHEME
from region_story import story_for


@pytest.fixture(scope="module")
def material(tmp_path_factory):
    return story_for(tmp_path_factory)


def sections(material):
    for chapter in material["story"].chapters:
        for section in chapter.sections:
            yield chapter, section


def actor_of(current) -> dict[str, str]:
    docs = current.documents
    return dict(zip(docs["doc_id"], docs["actor"], strict=True))


def statuses(current) -> dict[tuple[str, str], str]:
    """(actor, theme) -> combined status, from the mentions alone."""
    names = actor_of(current)
    found: dict[tuple[str, str], str] = {}
    for doc, theme, status in zip(
        current.mentions["doc_id"],
        current.mentions["theme"],
        current.mentions["status"],
        strict=True,
    ):
        key = (names[doc], theme)
        if STATUS_RANK[status] > STATUS_RANK[found.get(key, NONE)]:
            found[key] = status
    return found


def test_the_statuses_behind_the_synthesis_are_the_coverage(material) -> None:
    """Leaders, planners and regions named are counted from the same statuses as the
    coverage table, so the names agree with the shares."""
    coverage = material["comparison"].coverage
    found = statuses(material["current"])
    for _, section in sections(material):
        row = coverage[(coverage["year"] == 2022) & (coverage["theme"] == section.id)].iloc[0]
        active = sorted(
            actor for (actor, theme), s in found.items() if theme == section.id and s == ACTIVE
        )
        assert len(active) == row["active"]
        (where,) = section.variation
        assert sorted(where.active) == active
        assert len(where.active) + len(where.inactive) == row["actors"] == 21


def test_kinds_of_work_are_counted_by_actor_where_the_theme_is_in_place(material) -> None:
    current, taxonomy = material["current"], material["taxonomy"]
    tagger = Tagger(taxonomy, subthemes=True)
    names = actor_of(current)
    passages = current.passages.set_index(["doc_id", "index"])
    seen = 0
    for _, section in sections(material):
        subthemes = taxonomy.entries[section.id].subthemes
        if not subthemes:
            assert section.activities == ()
            continue
        active = current.mentions[
            (current.mentions["theme"] == section.id) & (current.mentions["status"] == ACTIVE)
        ]
        actors: dict[str, set[str]] = {}
        for doc, index in zip(active["doc_id"], active["index"], strict=True):
            for match in tagger.tag(passages.loc[(doc, index), "text"], 2022):
                if match.theme in subthemes and match.status != NEGATED:
                    actors.setdefault(match.theme, set()).add(names[doc])
        want = sorted(
            ((len(a), s) for s, a in actors.items()), key=lambda x: (-x[0], subthemes.index(x[1]))
        )
        got = [(count.actors, count.id) for count in section.activities]
        assert got == want[: len(got)] and len(got) == min(3, len(want)), section.id
        for count in section.activities:
            assert sorted(count.names) == sorted(actors[count.id])
            assert taxonomy.entries[count.id].kind == SUBTHEME
            seen += 1
    assert seen >= 15  # most themes with kinds of work have some in the corpus


def facet_actors(current, theme: str, facet: str, allowed: set[str]) -> dict[str, set[str]]:
    names = actor_of(current)
    mentions = current.mentions[
        (current.mentions["theme"] == theme) & current.mentions["status"].isin([ACTIVE, PLANNED])
    ]
    places = set(zip(mentions["doc_id"], mentions["index"], strict=True))
    facets = current.facets[
        (current.facets["facet"] == facet) & current.facets["status"].isin(allowed)
    ]
    found: dict[str, set[str]] = {}
    for doc, index, value in zip(facets["doc_id"], facets["index"], facets["value"], strict=True):
        if (doc, index) in places:
            found.setdefault(value, set()).add(names[doc])
    return found


@pytest.mark.parametrize(
    ("part", "facet", "allowed"),
    [
        ("target_groups", "target_groups", {ACTIVE, PLANNED}),
        ("effects", "effects", {ACTIVE}),
        ("obstacles", "obstacles", {ACTIVE, PLANNED, NEGATED}),
    ],
)
def test_target_groups_effects_and_obstacles_are_counted_by_actor(material, part, facet, allowed):
    seen = 0
    for _, section in sections(material):
        want = facet_actors(material["current"], section.id, facet, allowed)
        counts = getattr(section, part)
        assert len(counts) == min(3, len(want))
        top = sorted((len(actors) for actors in want.values()), reverse=True)
        assert [count.actors for count in counts] == top[: len(counts)]
        for count in counts:
            assert set(count.names) == want[count.id], (section.id, count.id)
            seen += 1
    assert seen >= 10


def test_every_count_is_traced_to_a_passage_of_each_actor_counted(material) -> None:
    """Appendix D lists, for every count, one passage per actor: in that actor's report,
    on that page, naming the theme (and the item counted)."""
    current = material["current"]
    docs = current.documents[["doc_id", "file", "actor"]]
    passages = current.passages.merge(docs, on="doc_id")
    mentions = current.mentions.merge(passages, on=["doc_id", "index"])
    rows = 0
    for _, section in sections(material):
        on_theme = mentions[mentions["theme"] == section.id]
        for row in section.basis:
            assert row.sources, row
            assert len({source.actor for source in row.sources}) == len(row.sources)
            for source in row.sources:
                here = on_theme[
                    (on_theme["file"] == source.file)
                    & (on_theme["actor"] == source.actor)
                    & (on_theme["page"] == source.page)
                ]
                assert len(here), (section.id, row.part, row.item, source)
            rows += 1
    assert rows >= 60
    md = material["md"]
    appendix = md.split("## Bilaga D.")[1]
    table = [line for line in appendix.splitlines() if line.startswith("| ") and "---" not in line][
        1:
    ]
    assert len(table) == rows + len(material["story"].obstacles)
    for line in table:
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        count, actors = int(cells[3]), cells[4].split("; ")
        assert count == len(actors) > 0, line  # no empty row
        assert all(re.search(r"\(s\. \d+\)$", actor) for actor in actors), line


def test_who_has_come_furthest_has_the_most_related_work_in_place(material) -> None:
    found = statuses(material["current"])
    taxonomy = material["taxonomy"]
    named = 0
    for chapter, section in sections(material):
        leaders = section.leaders
        area = next(a for a in taxonomy.areas if a.id == chapter.id)
        active = [a for (a, t), s in found.items() if t == section.id and s == ACTIVE]
        planners = sorted(a for (a, t), s in found.items() if t == section.id and s == PLANNED)
        assert leaders.planners_count == len(planners)
        assert list(leaders.planners) == (planners if len(planners) <= 4 else [])
        if not leaders.actors:
            continue
        named += 1
        assert 2 * len(leaders.actors) <= len(active)
        labels = {taxonomy.entries[t].label: t for t in area.members}
        for actor in leaders.actors:
            assert found[(actor, section.id)] == ACTIVE
            for label in leaders.related:
                assert found.get((actor, labels[label])) == ACTIVE
        # nobody else has more of the area's themes in place
        most = max(len(leaders.related), 0)
        for actor in set(active) - set(leaders.actors):
            others = sum(found.get((actor, t)) == ACTIVE for t in area.members if t != section.id)
            assert others <= most + len(taxonomy.entries[section.id].subthemes)
    assert named >= 8


def test_who_started_and_stopped_are_the_comparisons_transitions(material) -> None:
    moves = material["comparison"].transitions
    moves = moves[moves["to_year"] == 2022]
    for _, section in sections(material):
        (where,) = section.variation
        here = moves[moves["theme"] == section.id]
        started = sorted(here[here["change"].isin(["new", "planned_to_active"])]["actor"])
        stopped = sorted(
            here[(here["from_status"] == ACTIVE) & (here["to_status"] != ACTIVE)]["actor"]
        )
        assert list(where.started) == started
        assert list(where.stopped) == stopped


def test_every_chapter_has_the_synthesis_parts(material) -> None:
    md = material["md"]
    chapters = re.split(r"\n(?=## \d\. )", md.split("## Bilaga A.")[0])[1:]
    assert len(chapters) == 6
    for chapter, text in zip(material["story"].chapters, chapters, strict=True):
        parts = Counter()
        for section in chapter.sections:
            parts["activities"] += bool(section.activities)
            parts["leaders"] += bool(section.leaders.actors or section.leaders.planners)
            parts["facets"] += bool(section.target_groups or section.effects)
            parts["obstacles"] += bool(section.obstacles)
            parts["variation"] += bool(
                section.variation[0].started
                or section.variation[0].stopped
                or 0 < len(section.variation[0].inactive) <= 4
                or 0 < len(section.variation[0].active) <= 4
            )
            for count in (*section.activities, *section.obstacles, *section.effects):
                shown = f"{theme_in_sentence(count.label)} ({REGION.count(count.actors)})"
                assert shown in text.replace("\\", ""), (chapter.id, shown)
        if not parts["obstacles"]:  # said so, once, rather than left out
            parts["obstacles"] = text.count("Inga hinder nämns i samma stycke") == 1
        needed = ("activities", "leaders", "facets", "obstacles", "variation")
        assert all(parts[name] for name in needed), (chapter.id, parts)
    assert "De hinder som redovisningarna oftast tar upp gäller bemanning och kompetens" in md


# --- the template sentences over edge counts -------------------------------------------


@pytest.fixture(scope="module")
def sentences():
    return environment("md").get_template("sentences.j2").module


REGION = actor_noun("region")


def group(active: int, actors: int = 21, planned: int = 0, negated: int = 0):
    return SimpleNamespace(
        actor_type="region", noun=REGION, actors=actors, active=active, planned=planned,
        negated=negated, partly_read=0, unreadable=0, movement=None, cautious=False,
        share=share_phrase(active, actors, "region"),
    )  # fmt: skip


def section(**parts):
    base = dict(
        id="digitalisering", label="Digitalisering", in_sentence="digitalisering",
        work="arbete med digitalisering", noun=REGION, activities=(), target_groups=(),
        effects=(), obstacles=(), kinds=3, leaders=None, variation=(), obstacle_examples=(),
    )  # fmt: skip
    base.update(parts)
    return SimpleNamespace(**base)


STORY = SimpleNamespace(year=2022, previous_year=2021)
EDGES = (0, 1, 2, 20, 21)  # none, one, two, all but one, all (of 21)


def clean(text: str) -> str:
    text = str(text)
    assert "  " not in text and " ." not in text and " ," not in text, text
    assert not re.search(r"\b(noll|ingen|inget) (regioner|region|aktörer)\b", text), text
    assert not re.search(r"\ben regioner\b|\b1 regioner\b|\bett region\b", text), text
    return text


@pytest.mark.parametrize("variant", range(4))
@pytest.mark.parametrize("active", EDGES)
def test_presence_reads_right_for_every_count(sentences, active, variant) -> None:
    for planned in {0, 1, 2, 21 - active} & set(range(22 - active)):
        g = group(active, planned=planned)
        text = clean(sentences.presence(STORY, section(), g, variant))
        assert text.endswith(".") and text[0].isupper(), text
        if planned == 1:
            assert re.search(r"(?i)\ben region\b", text), text
        if planned == 2:
            assert "två regioner" in text.lower(), text
        if not planned:
            assert "planer" not in text, text


def count(label: str, n: int, id_: str = "x") -> FacetCount:
    return FacetCount(id_, label, n, tuple(Source(f"Region {i}", "f.pdf", 1, "") for i in range(n)))


@pytest.mark.parametrize("variant", range(4))
def test_kinds_and_facets_read_right_for_one_two_and_three_items(sentences, variant) -> None:
    items = (count("videobesök", 21), count("digitala vårdcentraler", 2), count("chatt", 1))
    for size in (1, 2, 3):
        text = clean(sentences.activities(STORY, section(activities=items[:size]), variant))
        assert "videobesök (21 regioner)" in text
        if size >= 2:
            assert "digitala vårdcentraler (två regioner)" in text
        if size == 3:
            assert "chatt (en region)" in text and text.count(" och ") == 1
        text = clean(sentences.facets(STORY, section(effects=items[:size]), variant))
        assert text.startswith("Den effekt" if size == 1 else "De vanligaste effekterna")
        text = clean(sentences.obstacles(STORY, section(obstacles=items[:size]), variant))
        assert text.endswith(".")
    for part in ("activities", "facets", "obstacles"):
        assert str(getattr(sentences, part)(STORY, section(), variant)) == ""


def leaders(actors=(), related=(), kinds=(), planners=()) -> Leaders:
    return Leaders(tuple(actors), tuple(related), tuple(kinds), tuple(planners), len(planners), 21)


@pytest.mark.parametrize("variant", range(4))
def test_who_has_come_furthest_reads_right_for_one_few_and_many(sentences, variant) -> None:
    one = clean(
        sentences.leaders(STORY, section(leaders=leaders(["Region A"], ["mobila team"])), variant)
    )
    assert one == (
        "Längst har Region A kommit: utöver digitalisering redovisar regionen pågående "
        "arbete med mobila team."
    )
    two = clean(
        sentences.leaders(
            STORY,
            section(
                leaders=leaders(["Region A", "Region B"], ["mobila team"], ["a", "b"], ["Region C"])
            ),
            variant,
        )
    )
    assert "Region A och Region B kommit" in two and "de beskriver två av de tre inslag" in two
    assert two.count("Region C") == 1
    every = clean(
        sentences.leaders(
            STORY, section(kinds=2, leaders=leaders(["Region A"], [], ["a", "b"])), variant
        )
    )
    assert "båda inslagen" in every
    many = clean(
        sentences.leaders(
            STORY,
            section(leaders=leaders([f"Region {c}" for c in "ABCDEF"], ["X och Y", "Z"])),
            variant,
        )
    )
    assert many.startswith("Sex regioner har kommit längst") and "Region A" not in many
    assert "x och y samt z" in many.lower()
    assert str(sentences.leaders(STORY, section(leaders=leaders()), variant)) == ""


@pytest.mark.parametrize("variant", range(4))
@pytest.mark.parametrize("active", EDGES)
def test_where_reads_right_for_every_count(sentences, active, variant) -> None:
    names = [f"Region {chr(65 + i)}" for i in range(21)]
    for started, stopped in ((0, 0), (1, 0), (0, 1), (2, 2), (5, 0)):
        where = Variation(
            "region", REGION, 21, tuple(names[:active]), tuple(names[active:]),
            started=tuple(names[:started]), stopped=tuple(names[-stopped:] if stopped else ()),
            previous_year=2021,
        )  # fmt: skip
        text = clean(sentences.variation(STORY, section(), where, variant))
        if active in (0, 21) and not stopped and started in (0, 5):
            assert text == "", text  # nobody to name: nothing said, no empty sentence
        if active == 20:
            assert names[20] in text
        if active == 1:
            assert "Region A" in text
        if started == 1:
            assert "Sedan 2021 har Region A" in text
        if stopped == 1 and not started:
            assert text.endswith("som den gjorde 2021."), text


def test_municipalities_are_compared_by_lan_with_enough_of_them() -> None:
    """For municipalities the story names the län where the largest and the smallest
    share report the work, among län with at least three municipalities read."""
    import pandas as pd

    from nvreport.story.synthesis import YearView

    view = YearView.__new__(YearView)
    view.year = 2022
    lans = {
        "Norrbottens län": (4, 5),
        "Skåne län": (1, 4),
        "Gotlands län": (1, 1),
        "Hallands län": (3, 4),
    }
    view.name, view.type, view.lan, view.status = {}, {}, {}, {}
    for lan, (active, actors) in lans.items():
        for number in range(actors):
            key = f"{lan}-{number}"
            view.name[key], view.type[key], view.lan[key] = key, "kommun", lan
            view.status[(key, "far")] = ACTIVE if number < active else NONE
    moves = pd.DataFrame(columns=["to_year", "from_year", "theme", "actor_type", "actor",
                                  "change", "from_status", "to_status"])  # fmt: skip
    rates = pd.DataFrame(columns=["year", "theme", "actor_type", "actor", "passages_per_10k_words"])
    comparison = SimpleNamespace(transitions=moves, intensity=rates)
    where = view.variation("far", "kommun", comparison, None)
    assert where.most == (("Norrbottens län", 4, 5),)  # Gotland: one municipality only
    assert where.least == (("Skåne län", 1, 4),)
    assert len(where.active) == 9 and len(where.inactive) == 5
    text = str(environment("md").get_template("sentences.j2").module.variation(
        STORY, section(), where, 0
    ))  # fmt: skip
    assert text == (
        "Andelen kommuner med pågående arbete är störst i Norrbottens län (fyra av fem) "
        "och minst i Skåne län (en av fyra)."
    )


def test_the_two_that_write_most_are_those_of_the_comparisons_intensity(material) -> None:
    rates = material["comparison"].intensity
    named = 0
    for _, section in sections(material):
        (where,) = section.variation
        if not where.most_detail:
            continue
        named += 1
        here = rates[(rates["year"] == 2022) & (rates["theme"] == section.id)]
        here = here[here["actor"].isin(where.active)]
        top = here.sort_values("passages_per_10k_words", ascending=False)["actor"].tolist()
        assert set(where.most_detail) == set(top[:2]), section.id
    assert named >= 5


def test_kwic_finds_a_subthemes_occurrences(tmp_path) -> None:
    """analyse never tags sub-themes, but an analyst checking one looks it up by id."""
    from typer.testing import CliRunner

    from nvreport.cli.commands import app

    folder = tmp_path / "2022"
    folder.mkdir()
    (folder / "Region Testberga 2022.txt").write_text(
        "Region Testberga\n\nSamtliga vårdcentraler erbjuder videobesök för uppföljning av "
        "kroniska sjukdomar sedan våren 2022.\n\nInvånarna kan boka tid via 1177.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["kwic", "digitala_vardbesok", str(folder)])
    assert result.exit_code == 0, result.output
    assert "[videobesök]" in result.output and "1 occurrence" in result.output, result.output
