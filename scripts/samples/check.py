"""``check_story``: the words of each theme against the plan.

A report must use the words of a theme wherever ``PLAN`` says the theme is mentioned
(active, planned or negated) and must not use them where it says "none"; a 2022
report must not carry over a paragraph whose theme changed status, or copy word for
word a paragraph that names 2021.
"""

from __future__ import annotations

import re

from .content import Block, Bullets, Heading, Para, Table, theme_text
from .plan import ACTORS, CARRY, PLAN, Spec
from .texts import plain

# Words that show that a report mentions a theme. check_story requires them wherever
# the plan says a theme is mentioned and forbids them where it says "none".
# personcentrering, digitalisering and samverkan are in every report.
THEME_WORDS = {
    "fasta_kontakter": re.compile(r"\bfasta? (?:vård|läkar|omsorgs|omvårdnads)?kontakt", re.I),
    "patientkontrakt": re.compile(r"patientkontrakt", re.I),
    "mobila_team": re.compile(
        r"\bmobil(?:a|t)? (?:team|närsjukvårdsteam|hemsjukvård|nära vård)"
        r"|mobila hemsjukvårdsläkare|\bdet mobila",
        re.I,
    ),
    "halsosamtal": re.compile(r"hälsosamtal", re.I),
    "far": re.compile(r"\bFaR\b|(?i:fysisk aktivitet på recept)"),
    "samskapande": re.compile(
        r"patientråd|brukarråd|medskapar|samskap|brukarmedverkan|patientmedverkan"
        r"|brukar- och (?:patient|anhörig)medverkan|tjänstedesign|levande bibliotek",
        re.I,
    ),
    "samordning": re.compile(r"\bSIP\b|samordnade? individuella? plan", re.I),
    "malbild_handlingsplan": re.compile(r"målbild|handlingsplan|färdplan", re.I),
    "gemensam_plan_primarvard": re.compile(r"gemensam(?:ma)? plan(?:en)? för primärvård", re.I),
    "ledarskap_kompetens": re.compile(
        r"ledarskap|kompetensförsörjning|kompetensutveckling|ST-läkare", re.I
    ),
    "uppfoljning": re.compile(r"uppföljning av omställningen|indikator|lärande uppföljning", re.I),
}


def report_text(blocks: list[Block]) -> str:
    parts = []
    for block in blocks:
        if isinstance(block, Heading | Para):
            parts.append(block.text)
        elif isinstance(block, Bullets):
            parts += block.items
        elif isinstance(block, Table):
            parts += [block.caption, *(" ".join(row) for row in block.rows)]
    return plain("\n".join(parts))


def check_story(spec: Spec, blocks: list[Block]) -> list[str]:
    """Problems where the words of a theme disagree with the plan."""
    text = report_text(blocks)
    problems = []
    if spec.year == 2022:
        for theme in (t for ts in CARRY.get(spec.actor, {}).values() for t in ts):
            if PLAN[(2021, spec.actor)][theme] != PLAN[(2022, spec.actor)][theme]:
                problems.append(f"{spec.relpath}: carries {theme}, whose status changed")
        for theme in CARRY.get(spec.actor, {}).get("verbatim", ()):
            if "2021" in theme_text(ACTORS[spec.actor], 2021, theme):
                problems.append(f"{spec.relpath}: copies {theme}, which names 2021")
    for theme, status in PLAN[(spec.year, spec.actor)].items():
        words = THEME_WORDS.get(theme)
        if words is None:
            continue
        found = words.search(text)
        if status == "none" and found:
            problems.append(f"{spec.relpath}: {theme} is 'none' but {found.group(0)!r} appears")
        if status != "none" and not found:
            problems.append(f"{spec.relpath}: {theme} is '{status}' but never mentioned")
    return problems
