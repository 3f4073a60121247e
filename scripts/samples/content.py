"""The content of a report: headings, paragraphs, lists and tables, as blocks.

``build_report`` turns a ``Spec`` into the blocks that follow the title page and the
table of contents. The words come from ``texts`` and are chosen by ``plan``; the
writers (``write_pdf``, ``write_docx``) lay the blocks out.
"""

from __future__ import annotations

from dataclasses import dataclass

from .plan import ACTORS, CARRY, EFFECTS, INTRO_TEXT, PLAN, TARGETS, THEMES, TOO_EARLY, Actor, Spec
from .texts import EXTRA_TEXT, HEADINGS, LIBRARY, OVERRIDE_TEXT, PHRASES, fill, join_list, nbsp

# Section ids in order, with their H1 headings for regions (R) and municipalities (K).
SECTIONS = tuple((section, r, k) for section, (r, k) in HEADINGS["sections"].items())
# A heading must not name a theme the report does not mention: (section, theme) ->
# the region heading to use when the theme is "none".
PLAIN_TITLES = {
    (section, theme): title
    for section, titles in HEADINGS["plain_titles"].items()
    for theme, title in titles.items()
}
# Themes written under an H2 of their own, per section, with H2 titles (R, K).
SUBSECTIONS = {
    section: tuple((theme, r, k) for theme, (r, k) in themes.items())
    for section, themes in HEADINGS["subsections"].items()
}
# Rows of the money table, for active themes in this order of preference.
MONEY_ROWS = tuple((theme, r, k) for theme, (r, k) in HEADINGS["money_rows"].items())


@dataclass(frozen=True)
class Heading:
    level: int
    number: str
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Columns:
    """Start a new page laid out in ``count`` columns (PDF only)."""

    count: int


@dataclass(frozen=True)
class NewPage:
    """A page break (DOCX authors put the money table on a page of its own)."""


Block = Heading | Para | Bullets | Table | Columns | NewPage


def slots(actor: Actor, year: int) -> dict[str, str]:
    """The values for the {slots} of the text library."""
    subject = {"region": "Regionen", "rss": "Kommunerna", "kommun": "Kommunen"}[actor.actor_type]
    many = "Flera av kommunerna" if actor.actor_type == "rss" else subject
    genitive = subject.lower() + "s"
    values = {
        "S": subject,
        "s": subject.lower(),
        "Gen": genitive.capitalize(),
        "gen": genitive,
        "M": many,
        "y": str(year),
        "ny": str(year + 1),
        "p1": actor.places[0],
        "p2": actor.places[1],
        "p3": actor.places[2],
    }
    for name, number in actor.numbers.items():
        grown = round(number * (1.0 if year == 2021 else 1.25), -1)
        values[f"n_{name}"] = f"{int(grown):,}".replace(",", " ")
    return values


def pick(key_base: str, kind: str, seed: int) -> str:
    """One variant of ``[key_base kind]`` (or ``[key_base A]``), chosen by ``seed``."""
    variants = LIBRARY.get(f"{key_base} {kind}") or LIBRARY[f"{key_base} A"]
    return variants[seed % len(variants)]


def theme_text(actor: Actor, year: int, theme: str) -> str:
    """The paragraph about ``theme`` in the report of ``actor`` for ``year``."""
    status = PLAN[(year, actor.key)][theme]
    carry = CARRY.get(actor.key, {})
    if year == 2022 and (2021, actor.key) in PLAN:
        if theme in carry.get("verbatim", ()):
            return theme_text(actor, 2021, theme)
        if theme in carry.get("edited", ()):
            earlier = theme_text(actor, 2021, theme)
            edited = earlier.replace("2022", "2023").replace("2021", "2022")
            tails = PHRASES["edit_tails"]
            return f"{edited} {tails[actor.index % len(tails)]}"
    override = OVERRIDE_TEXT.get(f"{actor.key} {year} {theme}")
    template = (
        override
        if override
        else pick(f"{theme} {status}", actor.kind, actor.index * 2 + THEMES.index(theme) + year)
    )
    return fill(template, slots(actor, year))


def extras(actor: Actor, year: int, section: str) -> list[Para]:
    found = EXTRA_TEXT.get(f"{actor.key} {section} all", []) + EXTRA_TEXT.get(
        f"{actor.key} {section} {year}", []
    )
    return [Para(fill(text, slots(actor, year))) for text in found]


def lead(actor: Actor, year: int, section: str) -> Para:
    return Para(fill(pick(f"lead {section}", actor.kind, actor.index + year), slots(actor, year)))


def section_blocks(spec: Spec, actor: Actor, section: str) -> list[Block]:
    """The blocks of one section, without its H1 (empty: the section is left out)."""
    year, kind = spec.year, actor.kind
    status = PLAN[(year, actor.key)]
    values = slots(actor, year)
    out: list[Block] = []

    def themed(theme: str) -> list[Block]:
        return [] if status[theme] == "none" else [Para(theme_text(actor, year, theme))]

    if section == "intro":
        out.append(Para(fill(INTRO_TEXT[actor.key], values)))
        out += extras(actor, year, "intro")
        background = LIBRARY[f"background {kind}"]
        out.append(Para(fill(background[actor.index % len(background)], values)))
        out.append(Para(fill(pick("process", kind, actor.index + year), values)))
        out.append(Para(fill(pick("summary", kind, actor.index + year), values)))
        done_items = PHRASES["done_items"]
        done = [
            done_items[theme][kind]
            for theme in THEMES
            if status[theme] == "active" and kind in done_items.get(theme, {})
        ]
        shift = actor.index % len(done)
        done = (done[shift:] + done[:shift])[:6]
        lead_ins = PHRASES["done_lead_ins"]
        out.append(Para(fill(lead_ins[actor.index % len(lead_ins)], values)))
        out.append(Bullets(tuple(done)))
    elif section == "person":
        out.append(lead(actor, year, section))
        out += themed("personcentrering")
        out += extras(actor, year, section)
    elif section == "samskap":
        out += themed("samskapande")
    elif section in ("samord", "halsa", "tillg"):
        out.append(lead(actor, year, section))
        out += extras(actor, year, section)
    elif section == "styr":
        if any(status[t] != "none" for t, _, _ in SUBSECTIONS["styr"]):
            out.append(lead(actor, year, section))
        out += extras(actor, year, section)
    elif section == "effekt":
        out += effect_blocks(spec, actor)
    elif section == "medel":
        out += money_blocks(spec, actor)
    elif section == "fortsatt":
        wordings = [PHRASES["planned_items"][t] for t in THEMES if status[t] == "planned"]
        planned = [wording.get(kind, wording["A"]) for wording in wordings]
        generic = PHRASES["generic_next_items"]
        items = planned + list(generic[: max(0, 3 - len(planned))])
        out.append(Para(PHRASES["next_year"].format_map(values)))
        out.append(Bullets(tuple(items)))
        out.append(Para(fill(pick("closing", "A", actor.index + year), values)))

    for theme, title_r, title_k in SUBSECTIONS.get(section, ()):
        body = themed(theme)
        if body:
            out.append(Heading(2, "", title_r if kind == "R" else title_k))
            out += body
    return out


def effect_blocks(spec: Spec, actor: Actor) -> list[Block]:
    key = (spec.year, actor.key)
    values = slots(actor, spec.year)
    target_names = PHRASES["target_names"]
    targets = [target_names[t] for t in TARGETS[key]]
    out: list[Block] = [
        Para(
            PHRASES["targets_lead"].format(y=spec.year, targets=join_list(targets))
            + " "
            + " ".join(PHRASES["target_sentences"][t] for t in TARGETS[key])
        )
    ]
    effect_names = PHRASES["effect_names"]
    reported = [effect_names[e] for e, how in EFFECTS[key].items() if how == "reported"]
    cautious = [effect_names[e] for e, how in EFFECTS[key].items() if how == "cautious"]
    sentences = []
    if reported:
        wordings = PHRASES["effects_reported"]
        sentences.append(
            wordings[actor.index % len(wordings)].format(S=values["S"], effects=join_list(reported))
        )
    if cautious:
        sentences.append(PHRASES["effects_cautious"].format(effects=join_list(cautious)))
    if key in TOO_EARLY:
        too_early = PHRASES["too_early_sentences"]
        sentences.append(too_early[actor.index % len(too_early)])
    if sentences:
        out.append(Para(" ".join(sentences)))
    hyphen_effects = PHRASES["hyphen_effects"]
    if "hyphenation" in spec.features and actor.key in hyphen_effects:
        out.append(Para(nbsp(hyphen_effects[actor.key])))
    out += extras(actor, spec.year, "effekt")
    if "two_columns" in spec.features:
        return [Columns(2), *out]
    return out


def money_blocks(spec: Spec, actor: Actor) -> list[Block]:
    status = PLAN[(spec.year, actor.key)]
    rows = [r for r in MONEY_ROWS if status[r[0]] == "active"][:5]
    labels = [r[1] if actor.kind == "R" else r[2] for r in rows] + [PHRASES["money_other"]]
    weights = [30, 22, 17, 13, 10, 8][: len(labels)]
    budget = [round(spec.budget * w / sum(weights), -1) for w in weights]
    budget[-1] = spec.budget - sum(budget[:-1])
    used = [round(b * (0.86 + 0.03 * ((i + actor.index) % 5)), -1) for i, b in enumerate(budget)]

    def tkr(amount: float) -> str:
        return f"{int(amount):,}".replace(",", " ")

    body = [(label, tkr(b), tkr(u)) for label, b, u in zip(labels, budget, used, strict=True)]
    body.append((PHRASES["money_total"], tkr(sum(budget)), tkr(sum(used))))
    headers = PHRASES["money_headers"]
    header = tuple(headers[actor.index % len(headers)])
    left = spec.budget - sum(used)
    values = slots(actor, spec.year)
    return [
        lead(actor, spec.year, "medel"),
        Table(PHRASES["money_caption"].format(y=spec.year), header, tuple(body)),
        Para(
            nbsp(
                PHRASES["money_left"].format(
                    used=tkr(sum(used)), y=spec.year, left=tkr(left), s=values["s"]
                )
            )
        ),
        *extras(actor, spec.year, "medel"),
    ]


def build_report(spec: Spec) -> list[Block]:
    """All blocks of a report after the title page and the table of contents."""
    actor = ACTORS[spec.actor]
    status = PLAN[(spec.year, spec.actor)]
    blocks: list[Block] = []
    number = 0
    for section, title_r, title_k in SECTIONS:
        body = section_blocks(spec, actor, section)
        if not body:
            continue
        number += 1
        if section == "medel" and spec.fmt == "docx":
            blocks.append(NewPage())
        columns = [b for b in body if isinstance(b, Columns)]
        body = [b for b in body if not isinstance(b, Columns)]
        blocks += columns
        title = title_r if actor.kind == "R" else title_k
        for (plain_section, theme), plain_title in PLAIN_TITLES.items():
            if section == plain_section and actor.kind == "R" and status[theme] == "none":
                title = plain_title
        blocks.append(Heading(1, str(number), title))
        sub = 0
        for block in body:
            if isinstance(block, Heading):
                sub += 1
                block = Heading(2, f"{number}.{sub}", block.text)
            blocks.append(block)
        if columns:
            blocks.append(Columns(1))
    return blocks
