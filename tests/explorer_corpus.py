"""A large synthetic run for the explorer: hundreds of reports and a hundred thousand
tagged passages, made in memory as an :class:`~nvreport.analysis.tables.Analysis`
(no PDF is read), with every match at its real offsets in its passage's text.

Used by ``tests/test_explorer.py`` and ``benchmarks/explorer.py``.
"""

from __future__ import annotations

import random
from datetime import datetime, timezone
from pathlib import Path

from nvreport.analysis.tables import Analysis
from nvreport.ingest.gazetteer import Gazetteer
from nvreport.models import (
    BlockKind,
    DocumentMeta,
    DocumentRecord,
    DocumentStatus,
    Passage,
    SourceFile,
)
from nvreport.tagging.tagger import Match
from nvreport.tagging.taxonomy import Taxonomy

# (phrase before the term, status) -- written for these tests
_OPENINGS = (
    ("Under året har verksamheten infört", "active"),
    ("Sedan våren erbjuds", "active"),
    ("Arbetet med", "active"),
    ("Nästa år planerar förvaltningen att starta", "planned"),
    ("I handlingsplanen för kommande år ingår", "planned"),
    ("Det finns ännu inte någon", "negated"),
)
_CLOSINGS = (
    "i samarbete med primärvården och den kommunala hemsjukvården.",
    "för invånare med omfattande behov av vård och omsorg.",
    "inom ramen för den gemensamma överenskommelsen i länet.",
    "och följs upp två gånger per år av ledningsgruppen.",
)
_FILLERS = (
    "Uppdraget har förankrats i den politiska ledningen och hos verksamhetscheferna.",
    "Medarbetarna har deltagit i utbildningsdagar om arbetssättet.",
    "Resultaten redovisas i bilaga 2 till denna rapport.",
    "Samverkan sker i de lokala vårdsamverkansgrupperna.",
    "Erfarenheterna från pilotverksamheten har varit goda.",
    "Invånarnas synpunkter har samlats in genom enkäter och dialogmöten.",
)
_SECTIONS = (
    "1 Inledning",
    "2 Personcentrering > 2.1 Fasta kontakter",
    "3 Samordning > 3.2 Samordnad individuell plan",
    "4 Hälsofrämjande arbete",
    "5 Tillgänglighet > 5.3 Mobila team",
    "6 Styrning och ledning",
)


def actors(gazetteer: Gazetteer, count: int) -> list[tuple[str, str, str]]:
    """(name, actor type, län) of ``count`` actors: the regions first, then the
    municipalities."""
    found = [(gazetteer.region(lan).name, "region", lan.name) for lan in gazetteer.lans]
    for municipality in gazetteer.municipalities:
        actor = gazetteer.kommun(municipality)
        found.append((actor.name, "kommun", actor.lan))
    return found[:count]


def synthetic_analysis(
    taxonomy: Taxonomy,
    gazetteer: Gazetteer,
    *,
    reports: int = 300,
    passages: int = 100_000,
    year: int = 2022,
    root: Path = Path("rapporter"),
    seed: int = 20,
) -> Analysis:
    """An analysis of ``reports`` PDF reports with ``passages`` tagged passages in
    all, one to three themes each, with statuses from their wording. Each report
    writes about six to twelve of the themes, and about some of them only as
    planned or as missing, so the actors differ."""
    rng = random.Random(seed)
    themes = taxonomy.themes
    documents: list[DocumentRecord] = []
    all_passages: list[Passage] = []
    all_matches: list[list[Match]] = []
    people = actors(gazetteer, reports)
    for number, (name, actor_type, lan) in enumerate(people):
        doc_id = f"{number:012x}"
        size = passages // reports + (1 if number < passages % reports else 0)
        relpath = f"{actor_type}/{name} {year}.pdf"
        documents.append(
            DocumentRecord(
                source=SourceFile(root / relpath, relpath),
                status=DocumentStatus.OK,
                doc_id=doc_id,
                pages=max(1, size // 8),
                passages=size,
                words=size * 40,
                meta=DocumentMeta(actor=name, actor_type=actor_type, lan=lan, year=year),
            )
        )
        profile = {
            theme.id: rng.choices(("active", "planned", "negated"), (6, 3, 1))[0]
            for theme in rng.sample(themes, rng.randint(6, 12))
        }
        chosen = [theme for theme in themes if theme.id in profile]
        for index in range(size):
            text, matches = _passage(rng, chosen, profile)
            all_passages.append(
                Passage(
                    doc_id,
                    index,
                    BlockKind.PARAGRAPH,
                    text,
                    1 + index // 8,
                    _SECTIONS[(index * len(_SECTIONS)) // size],
                    "",
                    len(text.split()),
                )
            )
            all_matches.append(matches)
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return Analysis(
        root=root,
        documents=documents,
        passages=all_passages,
        started=now,
        finished=now,
        matches=all_matches,
        taxonomy=taxonomy,
    )


_RANK = {"negated": 1, "planned": 2, "active": 3}


def _passage(rng: random.Random, themes: list, profile: dict) -> tuple[str, list[Match]]:
    parts: list[str] = []
    matches: list[Match] = []
    at = 0
    for _ in range(rng.randint(0, 2)):
        filler = rng.choice(_FILLERS)
        parts.append(filler)
        at += len(filler) + 1
    for theme in rng.sample(themes, rng.randint(1, 3)):
        opening, status = rng.choice(
            [found for found in _OPENINGS if _RANK[found[1]] <= _RANK[profile[theme.id]]]
        )
        term = theme.label[0].lower() + theme.label[1:]
        sentence = f"{opening} {term} {rng.choice(_CLOSINGS)}"
        start = at + len(opening) + 1
        matches.append(Match(theme.id, status, term, start, start + len(term), sentence, term))
        parts.append(sentence)
        at += len(sentence) + 1
    if rng.random() < 0.5:
        parts.append(rng.choice(_FILLERS))
    return " ".join(parts), matches
