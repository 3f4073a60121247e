"""The story: which report says what about which theme, and who wrote which report.

``PLAN_GRID`` decides, for every report and theme, whether the report describes the
work as in place, planned, explicitly absent or does not mention it; the same grid is
written to ``samples/story.csv``. The actors and the report files are data in
``texts/actors.yaml`` and ``texts/reports.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .texts import load

THEMES = (
    "personcentrering",
    "fasta_kontakter",
    "patientkontrakt",
    "mobila_team",
    "halsosamtal",
    "far",
    "digitalisering",
    "samskapande",
    "samordning",
    "samverkan",
    "malbild_handlingsplan",
    "gemensam_plan_primarvard",
    "ledarskap_kompetens",
    "uppfoljning",
)
# The taxonomy's id where the plan uses a shorter one.
TAXONOMY_IDS = {"samordning": "samordning_sip"}
STATUS_CODES = {"A": "active", "P": "planned", "N": "negated", "-": "none"}

# One row per report, one column per theme, in the order of THEMES:
#   A = work in place, P = planned, N = explicitly absent, - = not mentioned.
# pc personcentrering, fk fasta_kontakter, pk patientkontrakt, mt mobila_team,
# hs halsosamtal, fr far, dg digitalisering, sk samskapande, so samordning (SIP),
# sv samverkan, mh malbild_handlingsplan, gp gemensam_plan_primarvard,
# lk ledarskap_kompetens, uf uppfoljning.
PLAN_GRID = {
    2021: """
        #               pc fk pk mt hs fr dg sk so sv mh gp lk uf
        skane           A  P  -  P  P  -  A  A  -  A  A  P  A  P
        vgr             A  P  P  A  -  -  A  P  A  A  A  P  A  A
        jonkoping       A  A  A  -  A  A  A  A  -  A  A  -  A  A
        kronoberg       A  P  N  N  -  -  A  -  -  A  A  -  -  -
        varmland        A  P  -  A  A  P  A  -  -  A  A  -  A  -
        norrbotten      A  -  -  A  P  A  A  -  A  A  P  -  -  -
        kronoberg_kn    A  P  -  A  -  -  A  -  A  A  A  -  A  P
        flen            A  -  -  -  -  -  A  P  A  A  -  -  A  N
    """,
    2022: """
        #               pc fk pk mt hs fr dg sk so sv mh gp lk uf
        skane           A  A  A  A  A  P  A  A  -  A  A  A  A  A
        vgr             A  A  A  A  N  -  A  A  A  A  A  A  A  A
        jonkoping       A  A  A  -  A  A  A  A  -  A  A  A  A  A
        kronoberg       A  A  A  A  P  -  A  -  A  A  A  P  P  P
        varmland        A  A  P  A  A  A  A  A  -  A  A  P  A  -
        norrbotten      A  P  N  A  A  A  A  P  A  A  A  -  A  A
        kronoberg_kn    A  A  -  A  -  -  A  A  A  A  A  A  A  A
        flen            A  P  -  P  -  -  A  A  A  A  A  -  A  P
        ostergotland_kn A  A  -  A  -  -  A  A  A  A  A  P  A  A
    """,
}


def parse_plan(grids: dict[int, str]) -> dict[tuple[int, str], dict[str, str]]:
    """Turn the grids into ``{(year, actor_key): {theme: status}}``."""
    plan: dict[tuple[int, str], dict[str, str]] = {}
    for year, grid in grids.items():
        for line in grid.strip().splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, *codes = line.split()
            if len(codes) != len(THEMES):
                raise ValueError(f"{year} {key}: {len(codes)} codes for {len(THEMES)} themes")
            plan[(year, key)] = {
                theme: STATUS_CODES[code] for theme, code in zip(THEMES, codes, strict=True)
            }
    return plan


PLAN = parse_plan(PLAN_GRID)

# Target groups each report names as prioritised in its section on target groups,
# and the effects it reports there ("cautious" ones are hedged in the text). A
# report with TOO_EARLY says that it is too early to judge the effects. The words
# for them are in texts/phrases.yaml.
TARGETS = {
    (2021, "skane"): ("aldre", "multisjuka", "psykisk_ohalsa"),
    (2022, "skane"): ("skora_aldre", "multisjuka", "barn_unga"),
    (2021, "vgr"): ("skora_aldre", "barn_unga"),
    (2022, "vgr"): ("skora_aldre", "barn_unga", "psykisk_ohalsa"),
    (2021, "jonkoping"): ("multisjuka", "aldre"),
    (2022, "jonkoping"): ("multisjuka", "aldre", "psykisk_ohalsa"),
    (2021, "kronoberg"): ("aldre",),
    (2022, "kronoberg"): ("skora_aldre", "multisjuka"),
    (2021, "varmland"): ("skora_aldre", "psykisk_ohalsa"),
    (2022, "varmland"): ("skora_aldre", "barn_unga"),
    (2021, "norrbotten"): ("aldre", "multisjuka"),
    (2022, "norrbotten"): ("skora_aldre", "multisjuka", "funktionsnedsattning"),
    (2021, "kronoberg_kn"): ("aldre", "funktionsnedsattning"),
    (2022, "kronoberg_kn"): ("skora_aldre", "funktionsnedsattning", "psykisk_ohalsa"),
    (2021, "flen"): ("aldre",),
    (2022, "flen"): ("aldre", "funktionsnedsattning"),
    (2022, "ostergotland_kn"): ("skora_aldre", "barn_unga", "psykisk_ohalsa"),
}
EFFECTS = {
    (2021, "skane"): {"okad_tillganglighet": "reported"},
    (2022, "skane"): {"undvikna_inlaggningar": "reported", "okad_trygghet": "reported"},
    (2021, "vgr"): {"farre_resor": "reported", "okad_trygghet": "reported"},
    (2022, "vgr"): {
        "undvikna_inlaggningar": "reported",
        "farre_resor": "reported",
        "battre_samarbete": "reported",
    },
    (2021, "jonkoping"): {"battre_samarbete": "reported", "farre_vardkontakter": "reported"},
    (2022, "jonkoping"): {
        "farre_vardkontakter": "reported",
        "okad_trygghet": "reported",
        "undvikna_inlaggningar": "cautious",
    },
    (2021, "kronoberg"): {},
    (2022, "kronoberg"): {"okad_tillganglighet": "cautious"},
    (2021, "varmland"): {"okad_trygghet": "reported", "farre_resor": "reported"},
    (2022, "varmland"): {
        "farre_resor": "reported",
        "okad_tillganglighet": "reported",
        "undvikna_inlaggningar": "cautious",
    },
    (2021, "norrbotten"): {"farre_resor": "reported"},
    (2022, "norrbotten"): {"farre_resor": "reported", "okad_trygghet": "reported"},
    (2021, "kronoberg_kn"): {"battre_samarbete": "reported"},
    (2022, "kronoberg_kn"): {"battre_samarbete": "reported", "okad_trygghet": "reported"},
    (2021, "flen"): {},
    (2022, "flen"): {"okad_trygghet": "cautious"},
    (2022, "ostergotland_kn"): {
        "battre_samarbete": "reported",
        "undvikna_inlaggningar": "cautious",
    },
}
TOO_EARLY = {
    (2021, "skane"),
    (2021, "kronoberg"),
    (2022, "kronoberg"),
    (2021, "flen"),
    (2022, "ostergotland_kn"),
}

# Paragraphs a 2022 report takes over from the same actor's 2021 report: word for
# word ("verbatim"), or with the years moved on and a sentence added ("edited").
# The background paragraph of the introduction is always taken over word for word.
CARRY = {
    "skane": {"verbatim": ("samverkan",), "edited": ("digitalisering",)},
    "vgr": {"verbatim": ("samordning",), "edited": ("personcentrering",)},
    "jonkoping": {"verbatim": ("far",), "edited": ("patientkontrakt",)},
    "kronoberg": {"verbatim": ("digitalisering",), "edited": ("personcentrering",)},
    "varmland": {"verbatim": ("personcentrering",), "edited": ("samverkan",)},
    "norrbotten": {"verbatim": ("samordning",), "edited": ("samverkan",)},
    "kronoberg_kn": {"verbatim": ("samordning",), "edited": ("personcentrering",)},
    "flen": {"verbatim": ("samordning",), "edited": ("digitalisering",)},
}

# ---------------------------------------------------------------------------------
# Actors and reports
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    key: str
    name: str
    actor_type: str  # region | kommun | rss
    lan: str
    places: tuple[str, str, str]
    numbers: dict[str, int]

    @property
    def kind(self) -> str:
        """R for a region, K for a municipality or the municipalities of a county."""
        return "R" if self.actor_type == "region" else "K"

    @property
    def index(self) -> int:
        return list(ACTORS).index(self.key)


@dataclass(frozen=True)
class Spec:
    """One report file: who wrote it, in which year, and how it looks."""

    year: int
    actor: str
    file: str
    title: str
    subtitle: str
    date: str
    dnr: str
    budget: int  # tkr received under the agreement
    features: tuple[str, ...] = ()  # "two_columns", "hyphenation"

    @property
    def fmt(self) -> str:
        return Path(self.file).suffix.lstrip(".")

    @property
    def relpath(self) -> str:
        return f"{self.year}/{self.file}"


_ACTOR_DATA = load("actors")
ACTORS = {
    key: Actor(
        key,
        data["name"],
        data["type"],
        data["lan"],
        tuple(data["places"]),
        dict(data["numbers"]),
    )
    for key, data in _ACTOR_DATA.items()
}
# Running header titles ({y} the year), shorter than the report titles.
SHORT_TITLES = {key: data["short_title"] for key, data in _ACTOR_DATA.items()}
# Who the actor is, one paragraph per actor, first in the introduction.
INTRO_TEXT = {key: data["intro"] for key, data in _ACTOR_DATA.items()}

SPECS = tuple(
    Spec(**{**report, "features": tuple(report.get("features", ()))}) for report in load("reports")
)
