"""Generate the bundled sample corpus in samples/ (invented reports, known truth).

The corpus imitates the yearly reports that Swedish regions and municipalities send
to Socialstyrelsen about the agreement on God och nära vård: eight actors in 2021,
the same eight plus one more in 2022, as PDF (reportlab) and DOCX (python-docx).

What each report says about each theme is decided by ``PLAN`` below, a grid that
can be read column by column (how many regions report mobile teams in 2021?). The
paragraphs are written to match it, ``check_story`` verifies that the words of a
theme appear exactly where the plan says the theme is mentioned, and the same grid
is written to ``samples/story.csv`` as the truth that later features are tested on.

Run from the repository root::

    python scripts/make_samples.py

The output is byte-identical from run to run: reportlab runs in invariant mode and
the DOCX archives get fixed dates, fixed core properties and a sorted member order.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config

rl_config.invariant = 1  # fixed creation date and document id: reproducible PDFs

from docx import Document  # noqa: E402
from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm, Pt  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    BaseDocTemplate,
    Frame,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
METADATA = ROOT / "tests" / "fixtures" / "samples_metadata.csv"
YEARS = (2021, 2022)
FIXED_ZIP_DATE = (2023, 1, 1, 0, 0, 0)
FIXED_DOCX_DATE = dt.datetime(2023, 1, 1, 0, 0, 0)
DOCX_AUTHOR = "nvreport samples"

# ---------------------------------------------------------------------------------
# The story: which report says what about which theme
# ---------------------------------------------------------------------------------

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
# report with TOO_EARLY says that it is too early to judge the effects.
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
EDIT_TAILS = (
    "Jämfört med föregående år omfattar arbetet nu fler enheter.",
    "Arbetet har fortsatt enligt plan under året.",
    "Under året har arbetssättet dessutom utvärderats, och resultaten har återförts till "
    "verksamheterna.",
)

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


def _actor(key, name, actor_type, lan, places, **numbers) -> tuple[str, Actor]:
    return key, Actor(key, name, actor_type, lan, places, numbers)


ACTORS = dict(
    [
        _actor(
            "skane",
            "Region Skåne",
            "region",
            "Skåne län",
            ("Hässleholm", "Ystad", "Landskrona"),
            pk=1450,
            visits=3800,
            hs=6200,
            far=2900,
        ),
        _actor(
            "vgr",
            "Västra Götalandsregionen",
            "region",
            "Västra Götalands län",
            ("Skaraborg", "Fyrbodal", "Södra Älvsborg"),
            pk=2100,
            visits=5400,
            hs=7400,
            far=4100,
        ),
        _actor(
            "jonkoping",
            "Region Jönköpings län",
            "region",
            "Jönköpings län",
            ("Värnamo", "Tranås", "Eksjö"),
            pk=860,
            visits=1900,
            hs=4300,
            far=1700,
        ),
        _actor(
            "kronoberg",
            "Region Kronoberg",
            "region",
            "Kronobergs län",
            ("Ljungby", "Älmhult", "Markaryd"),
            pk=240,
            visits=900,
            hs=1200,
            far=600,
        ),
        _actor(
            "varmland",
            "Region Värmland",
            "region",
            "Värmlands län",
            ("Torsby", "Arvika", "Kristinehamn"),
            pk=310,
            visits=2300,
            hs=2600,
            far=1300,
        ),
        _actor(
            "norrbotten",
            "Region Norrbotten",
            "region",
            "Norrbottens län",
            ("Pajala", "Jokkmokk", "Arjeplog"),
            pk=150,
            visits=2700,
            hs=2100,
            far=1900,
        ),
        _actor(
            "kronoberg_kn",
            "Kommunerna i Kronobergs län",
            "rss",
            "Kronobergs län",
            ("Alvesta", "Tingsryd", "Uppvidinge"),
            visits=1100,
            robots=640,
        ),
        _actor(
            "flen",
            "Flens kommun",
            "kommun",
            "Södermanlands län",
            ("Malmköping", "Sparreholm", "Hälleforsnäs"),
            visits=180,
            robots=95,
        ),
        _actor(
            "ostergotland_kn",
            "Kommunerna i Östergötlands län",
            "rss",
            "Östergötlands län",
            ("Motala", "Finspång", "Kinda"),
            visits=2400,
            robots=1350,
        ),
    ]
)


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


_HEL = "Helårsredovisning av överenskommelsen om God och nära vård"
_TO_SOS = "Redovisning till Socialstyrelsen"
SPECS = (
    Spec(2021, "skane", "Region Skåne helårsredovisning 2021.pdf", f"{_HEL} 2021", _TO_SOS,
         "2022-02-24", "RS 2021/1187", 121_400),
    Spec(2021, "vgr", "VGR_slutrapport_nara_vard_2021.pdf", "Slutrapport God och nära vård 2021",
         "Redovisning av statsbidrag enligt överenskommelsen mellan staten och SKR",
         "2022-03-10", "RS 2021-04812", 152_300, ("two_columns",)),
    Spec(2021, "jonkoping", "rapport_jkpg.docx", f"{_HEL} 2021", _TO_SOS,
         "2022-02-28", "RJL 2021/2214", 32_600),
    Spec(2021, "kronoberg", "Helårsredovisning GNV 2021 slutlig.pdf",
         "Redovisning av medel för God och nära vård 2021", _TO_SOS,
         "2022-03-01", "Dnr 21RK1563", 18_200),
    Spec(2021, "varmland", "redovisning-god-och-nara-vard.docx", f"{_HEL} 2021",
         "Region Värmlands redovisning till Socialstyrelsen", "2022-02-25", "RS/2021/0977",
         25_700),
    Spec(2021, "norrbotten", "Norrbotten-2021-slutredovisning.pdf",
         "Slutredovisning God och nära vård 2021", _TO_SOS, "2022-03-03", "Dnr 03291-2021",
         23_100, ("hyphenation",)),
    Spec(2021, "kronoberg_kn", "Kronoberg kommunerna 2021.pdf",
         "Kommunernas gemensamma redovisning av God och nära vård 2021",
         "Kommunerna i Kronobergs län genom regional samverkans- och stödstruktur",
         "2022-02-18", "RSS 2022/03", 14_800),
    Spec(2021, "flen", "Flen delrapport 2021.docx",
         "Redovisning av insatser för en god och nära vård 2021", _TO_SOS,
         "2022-02-22", "KS 2022/41", 1_650),
    Spec(2022, "skane", "Region Skåne helårsredovisning 2022.pdf", f"{_HEL} 2022", _TO_SOS,
         "2023-02-23", "RS 2022/1302", 138_900),
    Spec(2022, "vgr", "VGR_slutrapport_nara_vard_2022.pdf", "Slutrapport God och nära vård 2022",
         "Redovisning av statsbidrag enligt överenskommelsen mellan staten och SKR",
         "2023-03-09", "RS 2022-05120", 171_800, ("two_columns",)),
    Spec(2022, "jonkoping", "rapport_jkpg.docx", f"{_HEL} 2022", _TO_SOS,
         "2023-02-27", "RJL 2022/2390", 36_900),
    Spec(2022, "kronoberg", "Redovisning nära vård 2022 (beslutad).pdf",
         "Redovisning av medel för God och nära vård 2022", _TO_SOS,
         "2023-02-28", "Dnr 22RK1702", 20_500),
    Spec(2022, "varmland", "Värmland_helårsrapport_2022.pdf", f"{_HEL} 2022",
         "Region Värmlands redovisning till Socialstyrelsen", "2023-02-24", "RS/2022/1046",
         28_900, ("hyphenation",)),
    Spec(2022, "norrbotten", "Norrbotten-2022-slutredovisning.pdf",
         "Slutredovisning God och nära vård 2022", _TO_SOS, "2023-03-02", "Dnr 02977-2022",
         26_000, ("hyphenation",)),
    Spec(2022, "kronoberg_kn", "Kronoberg kommunerna 2022.pdf",
         "Kommunernas gemensamma redovisning av God och nära vård 2022",
         "Kommunerna i Kronobergs län genom regional samverkans- och stödstruktur",
         "2023-02-17", "RSS 2023/02", 16_700),
    Spec(2022, "flen", "slutredovisning_2022_v2.docx",
         "Redovisning av insatser för en god och nära vård 2022", _TO_SOS,
         "2023-02-21", "KS 2023/38", 1_890),
    Spec(2022, "ostergotland_kn", "RSS Östergötland - God och nära vård 2022.docx",
         "Gemensam redovisning av God och nära vård 2022",
         "Östergötlands kommuner genom RSS Östergötland", "2023-02-28", "RSS-Ö 2023:4",
         31_200),
)  # fmt: skip

# Running header titles, shorter than the report titles.
SHORT_TITLES = {
    "skane": "Helårsredovisning God och nära vård {y}",
    "vgr": "Slutrapport God och nära vård {y}",
    "jonkoping": "Helårsredovisning {y}",
    "kronoberg": "Redovisning God och nära vård {y}",
    "varmland": "Helårsredovisning God och nära vård {y}",
    "norrbotten": "Slutredovisning {y}",
    "kronoberg_kn": "Kommunernas redovisning {y}",
    "flen": "Redovisning God och nära vård {y}",
    "ostergotland_kn": "RSS Östergötland – redovisning {y}",
}

# PDF look per actor: body size, heading sizes, alignment, footer and TOC style.
PDF_LOOKS = {
    "skane": dict(body=10.5, h1=16, h2=13, align="justify", footer="of", toc="table"),
    "vgr": dict(body=10, h1=16, h2=12.5, align="left", footer="number", toc="dots"),
    "kronoberg": dict(body=10.5, h1=15, h2=13, align="justify", footer="of", toc="dots"),
    "varmland": dict(body=10.5, h1=16, h2=13, align="left", footer="of", toc="table"),
    "norrbotten": dict(body=10.5, h1=16, h2=13, align="left", footer="number", toc="table"),
    "kronoberg_kn": dict(body=11, h1=16, h2=13, align="justify", footer="of", toc="dots"),
}

# ---------------------------------------------------------------------------------
# The Swedish text
# ---------------------------------------------------------------------------------
# Blocks are "[key]" lines followed by paragraphs; a blank line ends a paragraph, and
# the lines of a paragraph are joined with spaces. Several paragraphs under one key
# are alternative wordings (variants). Slots: {S}/{s} the actor as subject
# ("Regionen"/"regionen", "Kommunerna", "Kommunen"), {Gen}/{gen} its genitive, {M}
# "Flera av kommunerna" for a joint report, {y} the year, {ny} the next year,
# {p1} {p2} {p3} places in the county, {n_*} numbers of the actor.
# "¬" marks where a compound is split over a line (patient¬kontraktet) and "¦" a real
# hyphen that ends a line (hälso-¦ och); they only show in reports with hyphenation.

TEXT = """
[personcentrering active R]
{S} har under {y} fortsatt att utveckla ett personcentrerat förhållningssätt i
primärvården. Utgångspunkten är att vården ska planeras tillsammans med patienten och
utifrån det som är viktigast för just den personen. Vid vårdcentralerna i {p1} och {p2}
har medarbetarna fått handledning i hur en hälsoplan upprättas i dialog med patienten,
och arbetssättet sprids nu successivt till fler enheter.

Personcentrerad vård är en bärande princip i {gen} utvecklingsarbete. Fokus har legat
på att samtal och planering ska utgå från patientens egna mål, resurser och
livssituation. Ett gemensamt utbildningsmaterial om personcentrerat arbetssätt har tagits
fram och används vid arbetsplatsträffar. Flera verksamheter har även sett över hur
information och kallelser formuleras, så att de blir begripliga för patienterna.

Omställningen bygger på att vården organiseras kring personen och inte kring
organisationen. {S} har därför prioriterat ett personcentrerat bemötande i såväl
primärvård som specialiserad vård. I {p1} har en arbetsgrupp med flera yrkesgrupper
prövat strukturerade samtal där patienten själv formulerar vad som är viktigast.
Erfarenheterna visar att samtalen ger ett bättre underlag för gemensamma beslut om vård
och behandling.

{S} arbetar enligt en fastställd modell för personcentrerat arbetssätt, som omfattar
partnerskap med patienten, patientens berättelse och en dokumenterad gemensam
vårdplanering. Modellen har införts vid ytterligare vårdcentraler, bland annat i {p2}.
Införandet stöds av lokala utvecklingsledare som handleder enheterna i det dagliga
arbetet.

[personcentrering active K]
{S} har under {y} arbetat vidare med ett personcentrerat förhållningssätt inom
hemtjänst, särskilt boende och hemsjukvård. Genomförandeplanerna ska utgå från brukarens
egna önskemål och vanor, och flera enheter har reviderat sina mallar för att detta ska
framgå tydligare. I {p1} har baspersonal och sjuksköterskor deltagit i gemensamma
reflektionsträffar om bemötande.

Ett personcentrerat arbetssätt är utgångspunkten för {gen} arbete med nära vård. Det
innebär att insatser planeras tillsammans med den enskilde och att hans eller hennes
förmågor tas till vara. Särskild uppmärksamhet har ägnats åt hur brukare med kognitiv
svikt kan göras delaktiga i planeringen. Arbetet har bedrivits i samråd med
biståndshandläggare och legitimerad personal.

{M} har infört personcentrerade samtal vid inflyttning på särskilt boende. Samtalet
handlar om den enskildes levnadsberättelse, vanor och önskemål, dokumenteras i
genomförandeplanen och följs upp efter tre månader. Personalen i {p1} och {p2} har fått
utbildning i samtalsmetodiken.

[fasta_kontakter active R]
Samtliga vårdcentraler erbjuder numera patienter med stora vårdbehov en fast
vårdkontakt. Den fasta vårdkontakten är oftast en distriktssköterska som samordnar
patientens kontakter med andra delar av vården. För patienter med flera kroniska
sjukdomar erbjuds även en fast läkarkontakt, och andelen listade patienter med en
namngiven läkare följs månadsvis.

{S} har under året infört fast läkarkontakt för patienter som har omfattande och
återkommande vårdbehov. Patienten får ett kontaktkort med namn och telefonnummer till sin
läkare och sjuksköterska. I {p1} har införandet kombinerats med nya rutiner för hur
telefonrådgivningen lotsar patienten till rätt person.

Fast vårdkontakt erbjuds nu vid alla hälsocentraler och fast läkarkontakt vid flertalet
av dem. Tidigare var kontinuiteten i delar av länet beroende av inhyrda läkare, men
genom riktade rekryteringar har fler patienter fått en stadigvarande kontakt med samma
läkare över tid.

[fasta_kontakter active K]
Brukare med hemtjänst har en fast omsorgskontakt, som är den medarbetare i arbetsgruppen
som har huvudansvaret för att insatserna fungerar. Inom den kommunala hälso- och
sjukvården har dessutom en fast omvårdnadskontakt utsetts för patienter som är inskrivna
i hemsjukvården.

{M} har under året infört fast omsorgskontakt i hemtjänsten. Den fasta omsorgskontakten
presenterar sig för brukaren vid första besöket och ansvarar för att genomförandeplanen
hålls aktuell. Införandet har krävt att arbetsgrupperna har setts över så att brukaren
möter ett mindre antal medarbetare.

[fasta_kontakter planned R]
{S} planerar att erbjuda fast läkarkontakt till patienter med stora och sammansatta
vårdbehov. En kartläggning av hur många patienter som berörs och vilken läkarkapacitet
som krävs har genomförts under {y}. Införandet ska ske stegvis med start under {ny}.

Arbetet med fasta vårdkontakter befinner sig i ett förberedande skede. En regional
arbetsgrupp har tagit fram en definition av fast vårdkontakt och ett förslag till hur
uppdraget ska beskrivas i vårdvalets förfrågningsunderlag. Avsikten är att kravet ska
gälla från och med {ny}.

{S} avser att införa fast vårdkontakt vid samtliga vårdcentraler, men bristen på
distriktssköterskor och specialister i allmänmedicin gör tidplanen osäker. Under {ny}
kommer två vårdcentraler i {p1} att pröva en modell där varje patient knyts till en
mindre grupp medarbetare.

[fasta_kontakter planned K]
{S} ska införa fast omsorgskontakt i hemtjänsten. Förberedelserna har omfattat en
genomgång av hur arbetsgrupperna är organiserade och hur scheman kan läggas så att
brukaren möter samma personer. Målet är att alla brukare ska ha en utsedd fast
omsorgskontakt under {ny}.

{S} avser att utse en fast omsorgskontakt för varje person med hemtjänst. En
arbetsgrupp med enhetschefer och undersköterskor tar under {ny} fram rutiner för hur
uppdraget ska fördelas och beskrivas för brukaren.

[patientkontrakt active R]
Patientkontraktet har under {y} börjat användas vid vårdcentraler i {p1} och {p2}.
Kontraktet är en överenskommelse mellan patienten och vården som samlar patientens
planering, tider och kontaktuppgifter på ett ställe. Patienter med flera kroniska
sjukdomar har prioriterats, och kontraktet upprättas i samband med ett längre
planeringsbesök.

{S} har infört patientkontrakt för patienter med omfattande behov av vård från flera
vårdgivare. Patientkontraktet omfattar en sammanhållen plan och en överenskommelse om
hur och när patienten får kontakt med vården. Arbetet följs i ett regionalt
lärandenätverk där enheterna delar erfarenheter med varandra.

Arbetet med patientkontrakt har gått från försök till ordinarie verksamhet. Omkring
{n_pk} patienter har i dag ett patientkontrakt, de flesta med diabetes, hjärtsvikt eller
KOL. Patienterna beskriver att de vet vem de ska vända sig till och när nästa kontakt
med vården sker.

[patientkontrakt planned R]
{S} kommer att införa patientkontrakt under {ny}. En projektplan har tagits fram, och
två vårdcentraler i {p1} har utsetts att pröva arbetssättet innan det sprids vidare.

Ett införande av patientkontrakt är planerat. Primärvården har fått i uppdrag att ta fram
en modell för hur kontraktet ska dokumenteras i journalsystemet, och arbetet väntas vara
klart under {ny}.

[patientkontrakt negated R]
{S} har ännu inte påbörjat arbetet med patientkontrakt. Frågan har diskuterats i
ledningsgruppen för nära vård, men under {y} har prioriteringen varit att stärka
bemanningen på vårdcentralerna.

[mobila_team active R]
Mobila närsjukvårdsteam finns nu i {p1}, {p2} och {p3}. Teamen består av läkare och
sjuksköterskor som gör hembesök hos patienter när deras tillstånd försämras. Insatserna
planeras tillsammans med den kommunala hemsjukvården, och målet är att patienten ska
kunna få vård i hemmet i stället för att behöva söka sig till akutmottagningen.

{S} har under {y} utökat verksamheten med mobila hemsjukvårdsläkare, som nu täcker hela
länet dagtid på vardagar. Läkarna stöttar kommunernas sjuksköterskor vid bedömningar i
hemmet och på särskilda boenden. I glesbygden har videobesök blivit ett vanligt
komplement för att korta restiderna.

Mobil nära vård är ett av de områden där omställningen har kommit längst. Det mobila
teamet i {p1} gjorde under året drygt {n_visits} hembesök, och ett motsvarande team har
startat i {p2}. Teamen arbetar nära kommunernas hemsjukvård och tar emot uppdrag direkt
från kommunens sjuksköterskor.

[mobila_team active K]
Tillsammans med regionen bedriver {s} mobil hemsjukvård för patienter som har svårt att
ta sig till vårdcentralen. Det mobila teamet består av sjuksköterskor och
rehabiliteringspersonal från kommunen samt en läkare från regionen och gör gemensamma
hembesök efter behov.

{S} deltar i länets mobila team genom att de kommunala sjuksköterskorna planerar
besöken tillsammans med teamets läkare. Under {y} har rutinerna för överlämning mellan
teamet och hemsjukvården förtydligats, och teamet gjorde omkring {n_visits} besök.

[mobila_team planned R]
{S} planerar att starta ett mobilt närsjukvårdsteam i {p1} under {ny}. Teamet ska
bemannas av läkare och sjuksköterskor från primärvården och vända sig till patienter som
i dag ofta vårdas på sjukhus under kortare perioder.

Under {ny} påbörjas uppbyggnaden av mobila team i de delar av länet som har längst
avstånd till sjukhus. Beslut om finansiering fattades av regionstyrelsen under hösten.

[mobila_team planned K]
{S} avser att tillsammans med regionen etablera ett mobilt team som kan göra läkarbesök
i hemmet. En förstudie har genomförts under {y}, och en gemensam ansökan om
utvecklingsmedel har lämnats in.

[mobila_team negated R]
Mobila team saknas i länet. {S} har bedömt att bemanningsläget inte medger en sådan
satsning under {y}, och resurserna har i stället lagts på att stabilisera
vårdcentralerna.

[halsosamtal active R]
Riktade hälsosamtal erbjuds till invånare som fyller 40, 50, 60 och 70 år. Samtalet
genomförs av en särskilt utbildad distriktssköterska och föregås av en enkät om
levnadsvanor och enklare provtagning. Under {y} genomfördes omkring {n_hs} hälsosamtal.

{S} har under året breddat hälsosamtalsverksamheten till fler vårdcentraler.
Hälsosamtalen riktas särskilt till områden med låg förväntad livslängd, bland annat i
{p1}. Inbjudan skickas både digitalt och per brev, och tolk erbjuds vid behov.

Hälsosamtal erbjuds i dag vid samtliga hälsocentraler. Samtalet behandlar tobak,
alkohol, matvanor och fysisk aktivitet och avslutas med att deltagaren själv väljer vad
hen vill förändra. Deltagare med förhöjda riskvärden erbjuds ett uppföljande besök.

[halsosamtal planned R]
{S} planerar att erbjuda hälsosamtal till 40-, 50- och 60-åringar. En modell har tagits
fram tillsammans med folkhälsoenheten, och finansieringen ska hanteras i budgeten för
{ny}.

{S} avser att införa riktade hälsosamtal efter förebild från andra regioner. Arbetet har
fördröjts av pandemin, men en projektledare är rekryterad och planeringen har
återupptagits.

[halsosamtal negated R]
Riktade hälsosamtal ingår inte i {gen} utbud. Det sjukdomsförebyggande arbetet bedrivs i
stället genom rådgivning om levnadsvanor i samband med ordinarie besök.

[far active R]
Fysisk aktivitet på recept, FaR, förskrivs av läkare, fysioterapeuter och sjuksköterskor
vid länets vårdcentraler. Under {y} utfärdades drygt {n_far} recept. Patienten följs upp
av en FaR-samordnare som hjälper till att hitta en lämplig aktivitet.

{S} har fortsatt att utveckla arbetet med FaR. Recepten kan nu förskrivas direkt i
journalsystemet, och patienten kan rapportera sin aktivitet via 1177. Andelen patienter
som fortfarande är aktiva efter sex månader har ökat.

FaR används i ökande utsträckning för patienter med psykisk ohälsa och för äldre med
fallrisk. I {p1} har ett samarbete med lokala föreningar gjort det lättare för
patienterna att komma igång och fortsätta med sin aktivitet.

[far planned R]
{S} ska införa fysisk aktivitet på recept i primärvården under {ny}. Förskrivarna
kommer att erbjudas utbildning, och en överenskommelse om aktiviteter med
idrottsrörelsen håller på att tas fram.

[digitalisering active R]
Digitala vårdmöten via video och chatt är i dag en del av det ordinarie utbudet vid
samtliga vårdcentraler. {S} har dessutom infört egenmonitorering för patienter med
hjärtsvikt och högt blodtryck, där patienten själv mäter och rapporterar värden som
vårdpersonalen följer.

{S} har fortsatt att bygga ut den digifysiska vården. Invånarna kan via 1177 boka tider,
förnya recept och kontakta sin vårdcentral i chatten. En digital första linje tar emot en
växande andel av kontakterna och hänvisar vidare till fysiska besök när det behövs.

Satsningen på e-hälsa har under året omfattat digitala hembesök, läkemedelsautomater och
en gemensam plattform för distansmonitorering. I {p1} och {p2} har distansmonitorering
prövats för patienter med KOL, och erfarenheterna är goda.

[digitalisering active K]
{M} har infört digitala lås i hemtjänsten och bytt ut trygghetslarmen mot digitala larm.
Fjärrtillsyn med kamera erbjuds som alternativ till nattlig tillsyn för brukare som
önskar det, vilket har minskat antalet störande besök nattetid.

Läkemedelsrobotar används nu av drygt {n_robots} brukare, vilket har frigjort tid för
hemtjänstpersonalen och minskat risken för fel i läkemedelshanteringen. {S} har även
börjat använda digitala vårdmöten för kontakter mellan sjuksköterskor och läkare på
vårdcentralen.

Inom e-hälsoarbetet har nattkameror införts på särskilda boenden, och videosamtal mellan
brukare och anhöriga har prövats. Erfarenheterna har sammanställts och ska ligga till
grund för en gemensam inriktning för välfärdsteknik.

[samskapande active R]
Patienter och närstående medverkar i utvecklingsarbetet genom patientråd vid flera
vårdcentraler. Patientråden har bland annat granskat hur kallelser och skriftlig
information är utformade, och deras synpunkter har lett till att flera mallar har
skrivits om.

{S} har använt tjänstedesign för att utveckla nya arbetssätt tillsammans med invånarna.
I {p1} har patienter med erfarenhet av långvarig sjukdom deltagit som medskapare när en
ny mottagning utformades, från väntrummets inredning till hur tider bokas.

Brukar- och patientmedverkan har stärkts genom att patientföreträdare ingår i den
regionala styrgruppen för nära vård. Ett levande bibliotek har också arrangerats, där
medarbetare fick lyssna till patienters egna berättelser om mötet med vården.

[samskapande active K]
{S} har involverat brukare och anhöriga i utvecklingsarbetet genom dialogmöten och
brukarråd. Synpunkterna har bland annat lett till ändrade rutiner för hur hemtjänstens
besökstider meddelas.

Brukarmedverkan sker genom pensionärsråd och råd för funktionshinderfrågor, som har fått
löpande information om omställningen och lämnat synpunkter på prioriteringarna. I {p1}
har brukare även medverkat när nya informationsfilmer om hemtjänsten har tagits fram.

[samskapande planned R]
{S} planerar att inrätta ett patientråd för nära vård under {ny}. Rådet ska ha
representanter från patient- och brukarorganisationer och knytas till den regionala
styrgruppen.

{S} avser att utveckla formerna för patient- och brukarmedverkan. En kartläggning av
befintliga råd och referensgrupper kommer att genomföras under {ny}.

[samskapande planned K]
{S} kommer att bjuda in brukare och anhöriga att medverka i utvecklingsarbetet. Formerna
för ett brukarråd ska tas fram under {ny} i dialog med pensionärsorganisationerna.

[samordning active R]
Samordnad individuell plan, SIP, används för patienter som behöver insatser från både
region och kommun. {S} har tillsammans med kommunerna genomfört gemensamma informationsträffar om
SIP för medarbetare i primärvården, psykiatrin och socialtjänsten.

Antalet upprättade SIP har ökat, framför allt för barn och unga. En länsgemensam
SIP-koordinator stöttar verksamheterna och sammanställer hur många planer som upprättas
och hur de följs upp.

[samordning active K]
SIP är ett centralt verktyg i samordningen kring den enskilde. {S} har arbetat för att en
samordnad individuell plan ska erbjudas tidigt och att den enskilde ska kunna delta på
sina egna villkor, exempelvis via video.

Samordnade individuella planer upprättas i ökande omfattning, och den gemensamma
rutinen för SIP har reviderats tillsammans med regionen. Särskilt fokus har legat på
personer med samsjuklighet och på barn och unga.

[samverkan active R]
Samverkan med länets kommuner sker i en gemensam ledningsstruktur med en politisk och en
tjänstepersonsnivå. Ett nytt hälso- och sjukvårdsavtal mellan regionen och kommunerna har
trätt i kraft, och delregionala samverkansgrupper har bildats.

{S} och kommunerna möts regelbundet i länsgemensamma forum där frågor om utskrivning,
hemsjukvård och läkarmedverkan hanteras. Under året har avtalet om läkarinsatser i den
kommunala hälso- och sjukvården reviderats.

Det lokala samverkansarbetet bedrivs i närvårdsgrupper i {p1}, {p2} och {p3} med
deltagare från vårdcentraler, kommunal omsorg och psykiatri. Grupperna har prioriterat
gemensamma rutiner vid in- och utskrivning.

[samverkan active K]
Samverkan med regionen sker genom en länsgemensam ledningsgrupp för nära vård och genom
lokala närvårdsråd. Parterna har enats om principer för hur ansvaret för hemsjukvården
ska fördelas och hur oenighet ska hanteras.

{S} deltar i länets regionala samverkans- och stödstruktur (RSS), som samordnar
kommunernas gemensamma utvecklingsarbete och företräder dem i dialogen med regionen.
Under året har arbetet gällt läkarmedverkan i hemsjukvården och gemensamma
utbildningsdagar.

[malbild_handlingsplan active A]
En gemensam målbild för nära vård har beslutats av regionen och länets kommuner.
Målbilden konkretiseras i en handlingsplan med aktiviteter, ansvariga och tidplan, som
revideras årligen.

{S} arbetar utifrån en länsgemensam färdplan för omställningen. Färdplanen har
kompletterats med en handlingsplan för de kommande två åren, med tydligare ansvar för
respektive huvudman.

Den politiskt beslutade målbilden för nära vård har brutits ned i verksamhetsplaner, så
att varje enhet kan se hur det egna arbetet bidrar till omställningen.

[malbild_handlingsplan planned A]
Regionen och kommunerna avser att ta fram en gemensam målbild. Ett förslag ska
behandlas i den politiska samverkansberedningen under {ny}, och därefter kommer en
handlingsplan att tas fram.

[gemensam_plan_primarvard active R]
{S} har tillsammans med kommunerna tagit fram en gemensam plan för primärvårdens
utveckling. Planen beskriver hur ansvaret fördelas mellan huvudmännen och vilka insatser
som ska prioriteras de närmaste åren.

Den gemensamma planen för primärvårdens utveckling beslutades under hösten. Den omfattar
både regionens och kommunernas primärvård och innehåller mål för tillgänglighet,
kontinuitet och samverkan.

[gemensam_plan_primarvard active K]
{S} har tillsammans med regionen tagit fram en gemensam plan för primärvårdens
utveckling i länet, där den kommunala primärvården ingår som en självklar del.

[gemensam_plan_primarvard planned R]
En gemensam plan för primärvården ska tas fram tillsammans med kommunerna. Arbetet kommer
att påbörjas under {ny} och samordnas med revideringen av hälso- och sjukvårdsavtalet.

{S} avser att under {ny} ta fram en gemensam plan för primärvården tillsammans med länets
kommuner. Ett första utkast har diskuterats i den politiska samverkansberedningen.

[gemensam_plan_primarvard planned K]
{S} avser att under {ny} ta fram en gemensam plan för primärvården tillsammans med
regionen, så att den kommunala hälso- och sjukvården blir en tydlig del av planen.

[ledarskap_kompetens active R]
Chefer på olika nivåer har deltagit i ett ledarskapsprogram om att leda i omställning,
och under året har ytterligare två omgångar genomförts. Programmet tar bland annat upp
hur chefer kan skapa utrymme för nya arbetssätt i vardagen.

Kompetensförsörjningen är avgörande för omställningen. {S} har därför infört betalda
utbildningstjänster för specialistsjuksköterskor och utökat antalet ST-läkare i
allmänmedicin.

[ledarskap_kompetens active K]
{S} har genomfört en satsning på kompetensutveckling där undersköterskor har kunnat
validera sina kunskaper och läsa vidare till specialistundersköterska inom äldreomsorg.
Första linjens chefer har erbjudits ledarskapsutbildning med inriktning på nära vård.

Kompetensförsörjningen inom den kommunala hälso- och sjukvården har stärkts genom
introduktionsprogram för nyanställda sjuksköterskor och genom gemensamma
utbildningsdagar med regionen om bedömning av akut försämring.

[ledarskap_kompetens planned A]
{S} planerar ett ledarskapsprogram för chefer i primärvården med start under {ny}.
Behovet har framkommit i en kartläggning av chefernas förutsättningar att leda
förändringsarbete.

[uppfoljning active A]
Omställningen följs med en länsgemensam uppsättning indikatorer som omfattar bland annat
undvikbar slutenvård, återinskrivningar och patienternas upplevelse av kontinuitet.
Resultaten redovisas halvårsvis för den politiska ledningen.

{S} har infört lärande uppföljning, där kvantitativa mått kombineras med berättelser från
patienter och medarbetare. Resultaten diskuteras vid gemensamma lärandeträffar.

[uppfoljning planned A]
En modell för uppföljning av omställningen är under utveckling och kommer att tas i bruk
under {ny}. Till dess följs arbetet främst genom verksamheternas egna rapporter.

{S} ska under {ny} ta fram gemensamma indikatorer för nära vård tillsammans med
regionen, så att utvecklingen kan följas över tid.

[uppfoljning negated A]
Någon systematisk uppföljning av omställningen har ännu inte kommit till stånd. {S}
saknar i dag gemensamma mått, och det är därför svårt att bedöma vilken betydelse
insatserna har haft.

[background R]
Överenskommelsen om God och nära vård mellan staten och Sveriges Kommuner och Regioner
ger regioner och kommuner ekonomiska förutsättningar att ställa om hälso- och
sjukvården. Avsikten är att primärvården ska bli navet i vården och att insatserna ska
utgå från den enskildes behov. Omställningen är långsiktig och kräver att region och
kommuner driver utvecklingen gemensamt.

Omställningen till en god och nära vård innebär en förflyttning från en vård som är
organiserad kring sjukhusen till en vård där primärvården har en central roll. Staten och
SKR tecknar varje år en överenskommelse som stöder arbetet med särskilda medel, och
mottagarna redovisar hur medlen har använts till Socialstyrelsen.

Nära vård handlar om att stärka den vård som ges i primärvården, i hemmet och digitalt,
och om att region och kommuner tillsammans tar ansvar för helheten kring patienten.
Överenskommelsen mellan staten och SKR anger vilka utvecklingsområden medlen ska
användas till och hur användningen ska redovisas.

[background K]
Kommunerna har en central roll i omställningen till en god och nära vård, eftersom en
stor del av vården av äldre och personer med funktionsnedsättning ges inom den kommunala
hälso- och sjukvården och omsorgen. Överenskommelsen mellan staten och SKR innehåller
därför särskilda medel till kommunerna.

Statsbidraget för God och nära vård ska stärka kommunernas förmåga att ge en trygg och
sammanhållen vård och omsorg nära invånarna. Medlen fördelas efter befolkningsunderlag,
och användningen redovisas varje år till Socialstyrelsen.

[process R]
Redovisningen följer den struktur som Socialstyrelsen har angett och omfattar de
insatser som helt eller delvis har finansierats med medel från {y} års överenskommelse.
Underlaget har hämtats in från verksamheterna under december och januari.

Rapporten beskriver de aktiviteter som har genomförts under {y}, vilka målgrupper som
har prioriterats och hur medlen har använts. Där det är möjligt redovisas också vilka
resultat arbetet har gett.

[process K]
Underlaget till redovisningen har samlats in från verksamheterna inom vård och omsorg
och har kompletterats med samtal med enhetschefer och medicinskt ansvariga
sjuksköterskor. Rapporten avser perioden januari till december {y}.

Rapporten beskriver vilka insatser som har genomförts under {y}, vilka grupper som har
prioriterats och hur statsbidraget har använts. Den har stämts av med ansvariga chefer
innan den lämnades till Socialstyrelsen.

[summary A]
Sammantaget har {y} präglats av att arbetssätt som tidigare prövats i mindre skala har
börjat spridas till fler enheter. Samtidigt har bemanningsläget begränsat takten i delar
av arbetet.

Året har inneburit att flera utvecklingsinsatser har gått från planering till
genomförande. Mycket arbete återstår, men riktningen är tydlig och förankrad hos både
politiker och verksamheter.

Arbetet under {y} har kännetecknats av en stark vilja att utveckla verksamheten, men
också av hög arbetsbelastning och svårigheter att rekrytera. {S} har därför valt att
koncentrera insatserna till ett mindre antal områden.

[lead person R]
Omställningen förutsätter att vården formas kring den enskilda personens behov, resurser
och mål. Avsnittet beskriver hur {s} har arbetat med detta under {y}.

Ett av de mest grundläggande utvecklingsområdena gäller relationen mellan patienten och
vården. Här redovisas de insatser som {s} har genomfört inom området under året.

[lead person K]
I den kommunala vården och omsorgen handlar omställningen i hög grad om att stärka den
enskildes inflytande över de insatser som ges i hemmet och på boendet. Avsnittet
redovisar hur arbetet har utvecklats under {y}.

Den enskildes önskemål och förmågor ska vara utgångspunkten när insatser planeras och
genomförs. Nedan beskrivs {gen} arbete inom området under året.

[lead samord R]
En sammanhållen vård förutsätter att region och kommuner tar gemensamt ansvar för
patienter som behöver insatser från båda huvudmännen. Under {y} har arbetet med
gemensamma strukturer fortsatt.

Många patienter med omfattande behov får insatser från flera verksamheter samtidigt. Det
ställer krav på tydliga ansvarsgränser och en väl fungerande informationsöverföring
mellan huvudmännen.

[lead samord K]
Den kommunala hälso- och sjukvården är beroende av ett nära samarbete med regionen,
särskilt när det gäller läkarmedverkan och utskrivning från sluten vård.

Samarbetet mellan kommun och region har stor betydelse för att den enskilde ska få en
sammanhållen vård och omsorg. Under {y} har flera gemensamma frågor drivits vidare.

[lead halsa R]
Det hälsofrämjande och sjukdomsförebyggande arbetet syftar till att tidigt fånga risker
för ohälsa och att stödja invånarna när de vill förändra sina levnadsvanor.

Ett mer proaktivt arbetssätt innebär att vården i större utsträckning uppmärksammar
levnadsvanor och risker innan sjukdom uppstår. Arbetet bedrivs främst inom
primärvården.

[lead halsa K]
Det förebyggande arbetet inom äldreomsorgen är främst inriktat på att äldre ska kunna bo
kvar hemma med god livskvalitet, bland annat genom fallprevention och
vardagsrehabilitering.

Förebyggande hembesök, vardagsrehabilitering och stöd till anhöriga är exempel på
insatser som minskar behovet av mer omfattande vård och omsorg längre fram.

[lead tillg R]
Tillgängligheten ska förbättras genom nya kontaktvägar och genom att vård i större
utsträckning ges där patienten befinner sig.

Digitala kontaktvägar och vård i hemmet kompletterar de traditionella
mottagningsbesöken och gör det lättare för invånarna att komma i kontakt med vården.

[lead tillg K]
Digitala lösningar och välfärdsteknik ger möjlighet att stärka den enskildes
självständighet och trygghet och att använda personalens tid bättre.

Teknikstödet i hemtjänsten och på boendena har utvecklats snabbt de senaste åren, och
omställningen har gett ytterligare skjuts åt arbetet.

[lead styr A]
Omställningen kräver en tydlig styrning och en ledning som skapar förutsättningar för nya
arbetssätt. Avsnittet beskriver hur arbetet har letts under {y}.

Förändringsarbetet behöver förankras på alla nivåer i organisationen, från politisk
ledning till de enskilda verksamheterna.

[lead medel R]
Medlen från överenskommelsen har i huvudsak använts till utvecklingsinsatser och till att
förstärka bemanningen inom prioriterade områden. Tabell 1 visar fördelningen.

{S} tilldelades under {y} medel enligt överenskommelsen utifrån befolkningsandel.
Fördelningen på insatsområden framgår av tabell 1.

[lead medel K]
{Gen} andel av statsbidraget har framför allt använts till utbildningsinsatser och till
införande av välfärdsteknik. Fördelningen redovisas i tabell 1.

Tabell 1 visar hur medlen har fördelats mellan olika insatsområden. Huvuddelen av medlen
har använts under året.

[closing A]
Omställningen till nära vård sträcker sig över många år. {S} bedömer att viktiga
förutsättningar nu finns på plats, men att det krävs uthållighet för att de nya
arbetssätten ska bli en del av den ordinarie verksamheten.

Erfarenheterna från året visar att förändringen går fortast där medarbetare från olika
verksamheter får tid att utveckla arbetet tillsammans. Det är en lärdom som {s} tar med
sig in i nästa år.
"""

# Paragraphs written for one actor: "[extra <actor> <section> <year|all>]". They carry
# the traps of the domain brief (personalen, multiprofessionella team, mobil
# självincheckning, ökad fysisk aktivitet, avtal med leverantörer, a digital course
# for staff, "far och mor") and the examples that make a report its own.
EXTRAS = """
[extra skane styr all]
Som stöd för cheferna har ett digitalt samtalsunderlag tagits fram. Det används vid
arbetsplatsträffar för att diskutera vad omställningen innebär för den egna enheten och
vilka förändringar medarbetarna själva vill pröva.

[extra vgr samord all]
Västra Götaland har 49 kommuner, vilket ställer höga krav på en tydlig struktur för
samverkan. Arbetet är organiserat i fyra delregionala samverkansområden: Fyrbodal,
Göteborgsregionen, Skaraborg och Södra Älvsborg.

[extra vgr effekt 2021]
Ett exempel från Skaraborg visar hur arbetssätten kan samverka. En äldre man med
hjärtsvikt och diabetes hade under föregående år vårdats på sjukhus vid fyra tillfällen.
Sedan han fick stöd av det mobila teamet och kommunens sjuksköterskor har han kunnat
stanna hemma, och han beskriver själv att han känner sig tryggare.

Från Fyrbodal rapporteras att resor till mottagningar har kunnat ersättas med videobesök
för patienter som bor långt från närmaste vårdcentral. Det har varit särskilt värdefullt
under vintern, då många äldre undviker att resa.

Inom barn- och ungdomsområdet har flera vårdcentraler i Göteborgsregionen börjat erbjuda
samtalsstöd till unga utan remiss. Verksamheterna bedömer att fler unga har sökt stöd
tidigt och att väntetiderna har kortats, men några samlade uppgifter finns ännu inte.

Ett annat exempel gäller läkemedelsgenomgångar för äldre i ordinärt boende. I Södra
Älvsborg har apotekare från primärvården deltagit i hembesök tillsammans med kommunens
sjuksköterskor. Enligt verksamheterna har det lett till färre läkemedelsrelaterade problem
och en större trygghet för patienterna.

Verksamheterna påpekar samtidigt att underlaget är begränsat. Uppgifterna bygger i
huvudsak på lokala sammanställningar, och några jämförelser med kontrollgrupper har inte
gjorts. Resultaten bör därför tolkas med försiktighet.

Regionen har också noterat att arbetet ställer nya krav på medarbetarna. Hembesök tar
längre tid än mottagningsbesök, och bedömningar i hemmet kräver en annan sorts erfarenhet
än arbete på en mottagning. Flera enheter har därför infört kollegiala genomgångar där
svåra fall diskuteras gemensamt.

[extra vgr effekt 2022]
I Skaraborg har det mobila teamets patienter följts under ett år. Antalet akuta
inläggningar i gruppen var ungefär en femtedel lägre än året innan, och antalet besök på
akutmottagningen minskade i samma omfattning. Regionen betonar att jämförelsen saknar
kontrollgrupp.

Från Södra Älvsborg rapporteras att samarbetet mellan vårdcentralerna och den kommunala
hemsjukvården har förbättrats markant. Gemensamma genomgångar varje vecka gör att
försämringar upptäcks tidigare och att färre patienter behöver skickas till sjukhus under
kvällar och helger.

Patienterna själva lyfter fram att de slipper långa resor och väntetider. I en enkät till
patienter i mobil hemsjukvård svarade nio av tio att de kände sig trygga med vården i
hemmet, och många nämnde att de nu vet vem de ska ringa.

Samtalsstödet till unga utan remiss finns nu vid samtliga vårdcentraler i
Göteborgsregionen. Antalet unga som har fått stöd har ökat kraftigt, och väntetiden till
ett första samtal har i de flesta fall varit kortare än två veckor.

Ett annat exempel gäller läkemedelsgenomgångar för äldre i ordinärt boende. I Södra
Älvsborg deltar apotekare från primärvården numera regelbundet i hembesök tillsammans med
kommunens sjuksköterskor, och under året har arbetssättet spridits till Fyrbodal.

Regionens samlade bedömning är att arbetssätten bidrar till en mer sammanhållen vård.
Underlaget räcker dock ännu inte för att dra slutsatser om kostnader eller om effekter på
längre sikt, och uppföljningen behöver därför fördjupas under de kommande åren.

[extra jonkoping person all]
På flera vårdcentraler arbetar multiprofessionella team med läkare, sjuksköterskor,
arbetsterapeuter och kuratorer kring patienter med komplexa behov. Teamen träffas varje
vecka för att gå igenom patienternas planering och fördela arbetet.

[extra jonkoping tillg 2021]
Vid ett flertal vårdcentraler har mobil självincheckning införts. Patienten anmäler sin
ankomst med mobiltelefonen i stället för i receptionen och identifierar sig med
personnummer och e-legitimation.

[extra jonkoping tillg 2022]
Mobil självincheckning finns nu vid nästan alla vårdcentraler. Patienten anmäler sin
ankomst med mobiltelefonen och identifierar sig med personnummer och e-legitimation,
vilket har minskat köerna i receptionerna.

[extra kronoberg halsa all]
Vårdcentralerna har uppmärksammat levnadsvanor vid ordinarie besök. Patienter som behöver
stöd för ökad fysisk aktivitet hänvisas i första hand till kommunernas och föreningslivets
utbud, till exempel promenadgrupper och seniorgympa.

[extra kronoberg intro 2021]
Kronoberg är en av landets mindre regioner, och flera av utvecklingsområdena drivs därför
i nära samarbete med grannregionerna i sydöstra sjukvårdsregionen.

[extra varmland styr 2021]
Samtliga medarbetare i primärvården har erbjudits en digital utbildning om nära vård. Den
tar ungefär två timmar och kan genomföras på arbetstid, och hittills har drygt hälften av
medarbetarna slutfört den.

[extra varmland styr 2022]
Den digitala utbildningen om nära vård för medarbetare har under året slutförts av nästan
alla anställda i primärvården. Utbildningen har även öppnats för medarbetare i kommunernas
hemsjukvård.

[extra norrbotten tillg 2021]
Regionen har förnyat avtal med leverantörer av läkemedelsautomater och utrustning för
mätning i hemmet. Upphandlingen har genomförts gemensamt med två andra regioner för att få
bättre villkor.

[extra norrbotten tillg 2022]
De avtal med leverantörer av läkemedelsautomater som regionen förnyade förra året har nu
börjat gälla. Fler patienter kan därför få automater i hemmet, och leveranstiderna har
blivit kortare.

[extra kronoberg_kn intro all]
Kronobergs län består av åtta kommuner: Alvesta, Lessebo, Ljungby, Markaryd, Tingsryd,
Uppvidinge, Växjö och Älmhult. Kommunerna skiljer sig mycket åt i storlek, och de mindre
kommunerna har ofta svårare att avsätta egna resurser för utvecklingsarbete.

[extra kronoberg_kn halsa 2021]
Fallprevention är kommunernas mest omfattande förebyggande insats. Genom balansträning i
grupp och hembesök av fysioterapeut uppmuntras äldre till ökad fysisk aktivitet, och
antalet fallolyckor följs upp i varje kommun.

[extra kronoberg_kn halsa 2022]
Det fallförebyggande arbetet har fortsatt, och balansträning i grupp erbjuds nu i alla
åtta kommuner. Äldre som inte kan delta i grupp får besök av en fysioterapeut som ger råd
om ökad fysisk aktivitet i vardagen.

[extra kronoberg_kn styr 2021]
Personalförsörjningen är en gemensam utmaning, särskilt när det gäller sjuksköterskor i
den kommunala hälso- och sjukvården. Flera kommuner har svårt att bemanna natt och helg.

[extra flen halsa 2022]
Anhörigstödet har nått fler personer under året. Många anhörigvårdare är vuxna barn som
hjälper far och mor i vardagen, och för dem har kommunen anordnat samtalsgrupper på
kvällstid.

[extra flen medel 2022]
Medlen för välfärdsteknik har använts till installation av digitala lås enligt de avtal
med leverantörer som kommunen har tecknat genom en gemensam upphandling med
grannkommunerna.

[extra flen styr all]
Personalförsörjningen är kommunens största utmaning. Personalen inom hemtjänsten har hög
medelålder, och rekryteringen av sjuksköterskor till hemsjukvården tar lång tid.

[extra ostergotland_kn intro all]
Östergötlands län har 13 kommuner, från Ydre med knappt 4 000 invånare till Linköping med
drygt 160 000. Storleksskillnaderna gör att kommunerna har olika förutsättningar, och den
gemensamma strukturen är därför särskilt viktig för de mindre kommunerna.

[extra ostergotland_kn samord all]
I tre av länets närvårdsområden har kommunerna och regionen inrättat gemensamma
vårdplaneringsteam som träffas varje vecka för att planera för personer som skrivs ut från
sjukhus.
"""

# Who the actor is, one paragraph per actor, first in the introduction.
ACTOR_INTROS = """
[skane]
Region Skåne ansvarar för hälso- och sjukvården för drygt 1,4 miljoner invånare i länets
33 kommuner. Primärvården bedrivs vid drygt 150 vårdcentraler, av vilka ungefär hälften
drivs i privat regi inom vårdvalet. Redovisningen har sammanställts av koncernkontoret
med underlag från förvaltningarna.

[vgr]
Västra Götalandsregionen ansvarar för hälso- och sjukvården för cirka 1,7 miljoner
invånare i 49 kommuner. Omställningen leds av en regional styrgrupp för nära vård och
genomförs i nära samarbete med de fyra kommunalförbunden.

[jonkoping]
Region Jönköpings län har omkring 365 000 invånare och 13 kommuner. Primärvården bedrivs
vid vårdcentraler i egen och privat regi, och arbetet med nära vård är organiserat i tre
länsdelar där region och kommuner har gemensamma ledningsgrupper.

[kronoberg]
Region Kronoberg har cirka 200 000 invånare och åtta kommuner. Redovisningen har tagits
fram av regionens verksamhetsområde för primärvård och har stämts av med länets
kommuner.

[varmland]
Region Värmland har drygt 280 000 invånare fördelade på 16 kommuner, med stora skillnader
i avstånd och befolkningstäthet mellan länets olika delar. Ansvaret för att kunna bedriva
hälso-¦ och sjukvård i glesbygd präglar stora delar av utvecklingsarbetet, inte minst när
det gäller tillgången till vård nära hemmet.

[norrbotten]
Norrbotten är landets till ytan största län, med omkring 250 000 invånare i 14 kommuner
och mycket långa avstånd mellan orterna. Det ställer särskilda krav på hur regionen
organiserar hälso-¦ och sjukvården och på att digitala lösningar används där det är
möjligt. Redovisningen har sammanställts av regionens staber.

[kronoberg_kn]
Kommunerna i Kronobergs län lämnar en gemensam redovisning genom länets regionala
samverkans- och stödstruktur (RSS), som har sammanställt rapporten utifrån underlag från
respektive kommun.

[flen]
Flens kommun har omkring 16 000 invånare och ligger i Södermanlands län. Kommunen
redovisar sina insatser i en egen rapport men deltar i länets gemensamma arbete genom den
regionala samverkans- och stödstrukturen.

[ostergotland_kn]
Denna rapport är en gemensam redovisning för samtliga kommuner i Östergötlands län. Den
har sammanställts av den regionala samverkans- och stödstrukturen, RSS Östergötland,
utifrån en enkät till kommunerna och samtal med kontaktpersoner.
"""

# Paragraphs that replace the variant for one theme in one report: the wordings the
# story needs word for word, and the line-break hyphenation of the PDF samples.
OVERRIDES = """
[kronoberg 2022 halsosamtal]
{S} har beslutat om införande av riktade hälsosamtal i hela länet. Under {ny} ska
distriktssköterskor utbildas i metoden, och de första inbjudningarna skickas till invånare
som fyller 50 år.

[skane 2022 far]
Under {ny} påbörjas ett strukturerat arbete med FaR vid vårdcentralerna i {p1} och {p2},
där metoden först ska prövas innan den sprids till hela länet.

[norrbotten 2021 far]
Fysisk aktivitet på recept har länge använts i Norrbotten. Under 2021 utfärdades drygt 1
700 recept, och de flesta patienter följdes upp av en fysioterapeut inom tre månader.
Patienter i glesbygd som har mycket långt till närmaste hälsocentral kan sedan i våras få
sitt FaR-¦recept uppföljt via video, vilket sparar både tid och resor.

[norrbotten 2021 halsosamtal]
Regionen planerar att erbjuda riktade hälsosamtal från 2022. Arbetet med
hälsosamtals¬verksamheten ska inledas i de inre delarna av länet, där behoven bedöms vara
störst, och i en första etapp kommer invånare som fyller 40 och 50 år att bjudas in.

[norrbotten 2021 digitalisering]
Regionens arbete med digitala vårdmöten och distansmonitorering har fortsatt under året.
För invånare i de glesast befolkade kommunerna är detta särskilt viktigt, och satsningen
på e-¦hälsa omfattar nu även digitala besök på hälsocentralerna i Pajala, Jokkmokk och
Arjeplog, där patienten kan träffa läkare via video med stöd av en sjuksköterska på plats.

[norrbotten 2022 far]
Fysisk aktivitet på recept används vid samtliga hälsocentraler. Under 2022 utfärdades
omkring 1 900 recept, och en växande andel förskrevs av sjuksköterskor. Patienter i
glesbygd får sitt FaR-¦recept uppföljt via video, vilket har minskat behovet av resor till
hälsocentralen.

[norrbotten 2022 halsosamtal]
Riktade hälsosamtal erbjuds sedan i våras till invånare som fyller 40, 50 och 60 år. Med
stöd av folkhälsoenheten har regionen under året stegvis byggt upp den nya
hälsosamtals¬verksamheten i de inre delarna av länet, och drygt 2 100 samtal har
genomförts. Deltagandet har varit högre än förväntat.

[norrbotten 2022 patientkontrakt]
Regionen har inte påbörjat något arbete med patientkontrakt. De förutsättningar som krävs
för att regionen på ett likvärdigt sätt i hela länet ska kunna erbjuda berörda patienter
patient¬kontraktet, bland annat gemensam dokumentation mellan hälsocentralerna, finns ej
på plats i dag.

[norrbotten 2022 ledarskap_kompetens]
Kompetensförsörjningen är regionens största utmaning. För att fler läkare ska vilja arbeta
i Norrbotten har regionen under året inrättat ytterligare tolv betalda utbildningstjänster
för ST-¦läkare i allmänmedicin, med möjlighet till delar av tjänstgöringen i glesbygd.

[norrbotten 2022 digitalisering]
Regionens arbete med digitala vårdmöten och distansmonitorering har fortsatt under året.
För invånare i de glesast befolkade kommunerna är detta särskilt viktigt, och satsningen
på e-¦hälsa omfattar nu även digitala besök på fler hälsocentraler, där patienten kan
träffa läkare via video med stöd av en sjuksköterska på plats. Digitala vårdmöten står nu
för nästan en femtedel av alla läkarbesök i primärvården.

[varmland 2022 patientkontrakt]
Regionen avser att införa patientkontrakt vid två vårdcentraler under 2023. En arbetsgrupp
med representanter för primärvården och kommunerna har under hösten förberett hur
patient¬kontraktet ska dokumenteras och följas upp, och patienter med hjärtsvikt och KOL
kommer att prioriteras i den första etappen.

[varmland 2022 halsosamtal]
Riktade hälsosamtal erbjuds nu vid samtliga vårdcentraler. Regionen har utvecklat
hälsosamtals¬verksamheten så att inbjudan även når personer som inte har besökt vården på
länge, och närmare 2 600 samtal har genomförts.

[varmland 2022 far]
Fysisk aktivitet på recept har införts vid vårdcentralerna under året. Förskrivare vid
samtliga vårdcentraler har utbildats under våren, och fram till årets slut hade sammanlagt
drygt 1 300 FaR-¦recept utfärdats. Uppföljningen sker hos en fysioterapeut efter tre och
sex månader.

[varmland 2022 digitalisering]
Regionen har fortsatt att utveckla digitala kontaktvägar. Den omfattande satsningen på
e-¦hälsa har under året omfattat chatt och video via 1177, egenmonitorering för patienter
med hjärtsvikt och digitala hembesök i Torsby och Arvika.

[varmland 2022 ledarskap_kompetens]
Kompetensförsörjningen har stärkts genom att antalet utbildningstjänster har ökat. För att
trygga läkarförsörjningen på längre sikt har regionen under året anställt sammanlagt elva
nya ST-¦läkare i allmänmedicin och erbjuder betald specialistutbildning till
distriktssköterskor.
"""

# Extra sentences with line-break hyphenation in the effects section.
HYPHEN_EFFECTS = {
    "norrbotten": (
        "Digitala besök och telefonuppföljning har under året ersatt en del av de fysiska "
        "vård¬kontakterna, vilket har minskat restiden för många patienter. Det gäller "
        "särskilt återbesök som inte kräver någon undersökning."
    ),
    "varmland": (
        "För patienter med långa resvägar har en betydande del av de tidigare fysiska "
        "vård¬kontakterna ersatts av digitala besök, vilket har kortat restiden för dem som "
        "bor i de norra delarna av länet."
    ),
}


def parse_blocks(text: str) -> dict[str, list[str]]:
    """Read ``[key]`` blocks of paragraphs (see the comment above ``TEXT``)."""
    blocks: dict[str, list[str]] = {}
    key = None
    lines: list[str] = []

    def flush() -> None:
        if lines:
            if key is None:
                raise ValueError(f"text before the first key: {lines[0]!r}")
            blocks.setdefault(key, []).append(" ".join(lines))
            lines.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            flush()
            key = line[1:-1]
            if key in blocks:
                raise ValueError(f"duplicate key [{key}]")
        elif line:
            lines.append(line)
        else:
            flush()
    flush()
    return blocks


LIBRARY = parse_blocks(TEXT)
EXTRA_TEXT = parse_blocks(EXTRAS)
INTRO_TEXT = parse_blocks(ACTOR_INTROS)
OVERRIDE_TEXT = parse_blocks(OVERRIDES)

# Short phrases for the bullet list of the year's work (active themes) and for the
# list of next year's work (planned themes; a (theme, "K") key words it for
# municipalities).
DONE_ITEMS = {
    ("personcentrering", "R"): "utbildning i personcentrerat arbetssätt för medarbetare",
    ("personcentrering", "K"): "reflektionsträffar om personcentrerat bemötande i hemtjänsten",
    ("fasta_kontakter", "R"): "fast läkarkontakt för patienter med stora vårdbehov",
    ("fasta_kontakter", "K"): "fast omsorgskontakt för brukare med hemtjänst",
    ("patientkontrakt", "R"): "patientkontrakt för patienter med kroniska sjukdomar",
    ("mobila_team", "R"): "utökade tider för de mobila närsjukvårdsteamen",
    ("mobila_team", "K"): "gemensamma hembesök med regionens mobila team",
    ("halsosamtal", "R"): "inbjudan till riktade hälsosamtal för fler åldersgrupper",
    ("far", "R"): "utbildning av nya förskrivare av FaR",
    ("digitalisering", "R"): "utbyggnad av chatt och videobesök via 1177",
    ("digitalisering", "K"): "digitala lås och läkemedelsrobotar i hemtjänsten",
    ("samskapande", "R"): "möten med patientråd om informationsmaterial",
    ("samskapande", "K"): "dialogmöten med brukare och anhöriga",
    ("samordning", "R"): "gemensam utbildning om SIP för region och kommuner",
    ("samordning", "K"): "reviderad rutin för SIP tillsammans med regionen",
    ("samverkan", "R"): "revidering av samverkansavtal med kommunerna",
    ("samverkan", "K"): "gemensamma arbetsmöten med regionen om ansvaret för hemsjukvården",
    ("malbild_handlingsplan", "R"): "årlig revidering av den gemensamma handlingsplanen",
    ("malbild_handlingsplan", "K"): "förankring av den länsgemensamma handlingsplanen",
    ("gemensam_plan_primarvard", "R"): "beslut om en gemensam plan för primärvårdens utveckling",
    ("gemensam_plan_primarvard", "K"): "medverkan i en gemensam plan för primärvården",
    ("ledarskap_kompetens", "R"): "ledarskapsprogram för första linjens chefer",
    ("ledarskap_kompetens", "K"): "kompetensutveckling för undersköterskor",
    ("uppfoljning", "R"): "nya indikatorer för uppföljning av omställningen",
    ("uppfoljning", "K"): "gemensamma indikatorer för uppföljning av omställningen",
}
PLANNED_ITEMS = {
    "fasta_kontakter": "införa fast läkarkontakt för fler patienter med stora behov",
    "patientkontrakt": "påbörja arbetet med patientkontrakt vid de första enheterna",
    "mobila_team": "starta mobila team i de delar av länet som ännu inte har något",
    ("fasta_kontakter", "K"): "utse en fast omsorgskontakt för alla brukare med hemtjänst",
    ("mobila_team", "K"): "starta ett mobilt team tillsammans med regionen",
    ("samskapande", "K"): "inrätta ett brukarråd tillsammans med pensionärsorganisationerna",
    "halsosamtal": "erbjuda riktade hälsosamtal till de första åldersgrupperna",
    "far": "införa fysisk aktivitet på recept i primärvården",
    "samskapande": "inrätta ett råd för patient- och brukarmedverkan",
    "malbild_handlingsplan": "besluta om en gemensam målbild och handlingsplan",
    "gemensam_plan_primarvard": "ta fram en gemensam plan för primärvården",
    "ledarskap_kompetens": "starta ett ledarskapsprogram för chefer",
    "uppfoljning": "införa gemensamma indikatorer för uppföljning av omställningen",
}
GENERIC_NEXT_ITEMS = (
    "sprida beprövade arbetssätt till fler enheter",
    "fördjupa samverkan med länets huvudmän i vardagsnära frågor",
    "beskriva resultaten av arbetet tydligare för invånarna",
)
TARGET_NAMES = {
    "aldre": "äldre",
    "skora_aldre": "sköra äldre",
    "barn_unga": "barn och unga",
    "psykisk_ohalsa": "personer med psykisk ohälsa",
    "multisjuka": "multisjuka",
    "funktionsnedsattning": "personer med funktionsnedsättning",
}
TARGET_SENTENCES = {
    "aldre": "Äldre med behov av både omsorg och hälso- och sjukvård är den grupp som berörs "
    "mest av omställningen.",
    "skora_aldre": "För sköra äldre har arbetet inriktats på att tidigt upptäcka försämring och "
    "undvika onödiga flyttar mellan vårdformer.",
    "barn_unga": "Arbetet med barn och unga har gällt tidiga och samordnade insatser i samarbete "
    "med elevhälsan.",
    "psykisk_ohalsa": "Personer med psykisk ohälsa ska i större utsträckning få stöd tidigt och "
    "nära, utan långa väntetider.",
    "multisjuka": "Multisjuka patienter med flera samtidiga diagnoser har prioriterats eftersom "
    "de har störst nytta av sammanhållna insatser.",
    "funktionsnedsattning": "För personer med funktionsnedsättning har arbetet gällt tillgången "
    "till hälso- och sjukvård i bostad med särskild service.",
}
EFFECT_NAMES = {
    "undvikna_inlaggningar": "undvikna inläggningar på sjukhus",
    "okad_trygghet": "ökad trygghet för patienter och närstående",
    "farre_resor": "färre resor för patienterna",
    "okad_tillganglighet": "ökad tillgänglighet",
    "farre_vardkontakter": "färre vårdkontakter för patienter med stora behov",
    "battre_samarbete": "bättre samarbete mellan huvudmännen",
}
TOO_EARLY_SENTENCES = (
    "Det är för tidigt att bedöma effekterna av omställningen, eftersom många insatser har "
    "pågått under kort tid.",
    "Effekterna har inte mätts systematiskt, och det är ännu för tidigt att dra några säkra "
    "slutsatser.",
)

# Section ids in order, with their H1 headings for regions (R) and municipalities (K).
SECTIONS = (
    ("intro", "Inledning", "Inledning"),
    ("person", "Personcentrerad vård", "Personcentrerat arbetssätt i vård och omsorg"),
    ("samskap", "Samskapande och delaktighet", "Brukar- och anhörigmedverkan"),
    ("samord", "Samordning och samverkan", "Samverkan och samordning kring individen"),
    ("halsa", "Hälsofrämjande och förebyggande arbete", "Förebyggande insatser"),
    ("tillg", "Tillgänglighet på nya sätt", "Välfärdsteknik och digitala tjänster"),
    ("styr", "Styrning, ledning och uppföljning", "Styrning, ledning och kompetens"),
    ("effekt", "Målgrupper och effekter", "Prioriterade målgrupper och resultat"),
    ("medel", "Användning av medel", "Ekonomisk redovisning"),
    ("fortsatt", "Fortsatt arbete", "Fortsatt arbete"),
)
# A heading must not name a theme the report does not mention: (section, theme) ->
# the region heading to use when the theme is "none".
PLAIN_TITLES = {
    ("samord", "samordning"): "Samverkan",
    ("styr", "uppfoljning"): "Styrning och ledning",
}
# Themes written under an H2 of their own, per section, with H2 titles (R, K).
SUBSECTIONS = {
    "person": (
        ("fasta_kontakter", "Fasta vårdkontakter", "Fast omsorgskontakt"),
        ("patientkontrakt", "Patientkontrakt", "Patientkontrakt"),
    ),
    "samord": (
        ("samverkan", "Samverkan med kommunerna", "Samverkan med regionen"),
        ("samordning", "Samordnad individuell plan (SIP)", "Samordnad individuell plan (SIP)"),
    ),
    "halsa": (
        ("halsosamtal", "Riktade hälsosamtal", "Hälsosamtal"),
        ("far", "Fysisk aktivitet på recept (FaR)", "Fysisk aktivitet på recept (FaR)"),
    ),
    "tillg": (
        ("digitalisering", "Digitala vårdtjänster", "Välfärdsteknik i hemtjänst och boende"),
        ("mobila_team", "Mobila team", "Mobila team"),
    ),
    "styr": (
        ("malbild_handlingsplan", "Målbild och handlingsplan", "Målbild och handlingsplan"),
        (
            "gemensam_plan_primarvard",
            "Gemensam plan för primärvården",
            "Gemensam plan för primärvården",
        ),
        ("ledarskap_kompetens", "Ledarskap och kompetensförsörjning", "Ledarskap och kompetens"),
        ("uppfoljning", "Uppföljning av omställningen", "Uppföljning av omställningen"),
    ),
}
# Rows of the money table, for active themes in this order of preference.
MONEY_ROWS = (
    ("mobila_team", "Mobila team och vård i hemmet", "Mobila team"),
    ("digitalisering", "Digitala vårdtjänster", "Välfärdsteknik"),
    ("fasta_kontakter", "Fasta kontakter och kontinuitet", "Fast omsorgskontakt"),
    ("patientkontrakt", "Patientkontrakt", "Patientkontrakt"),
    ("halsosamtal", "Riktade hälsosamtal", "Hälsosamtal"),
    ("ledarskap_kompetens", "Kompetensförsörjning och ledarskap", "Kompetensutveckling"),
    ("samverkan", "Gemensamma samverkansstrukturer", "Samverkan med regionen"),
    ("personcentrering", "Personcentrerat arbetssätt", "Personcentrerat arbetssätt"),
)

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

# ---------------------------------------------------------------------------------
# Building the content of a report
# ---------------------------------------------------------------------------------


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


def nbsp(text: str) -> str:
    """Digit groups ("1 900") get a non-breaking space, so a line never splits them."""
    return re.sub(r"(?<=\d) (?=\d{3}\b)", "\u00a0", text)


def fill(template: str, values: dict[str, str]) -> str:
    """Fill the {slots} of a template."""
    return nbsp(template.format_map(values))


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
            tail = EDIT_TAILS[actor.index % len(EDIT_TAILS)]
            return f"{edited} {tail}"
    override = OVERRIDE_TEXT.get(f"{actor.key} {year} {theme}")
    template = (
        override[0]
        if override
        else pick(f"{theme} {status}", actor.kind, actor.index * 2 + THEMES.index(theme) + year)
    )
    return fill(template, slots(actor, year))


def extras(actor: Actor, year: int, section: str) -> list[Para]:
    found = EXTRA_TEXT.get(f"extra {actor.key} {section} all", []) + EXTRA_TEXT.get(
        f"extra {actor.key} {section} {year}", []
    )
    return [Para(fill(text, slots(actor, year))) for text in found]


def lead(actor: Actor, year: int, section: str) -> Para:
    return Para(fill(pick(f"lead {section}", actor.kind, actor.index + year), slots(actor, year)))


def join_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]


def section_blocks(spec: Spec, actor: Actor, section: str) -> list[Block]:
    """The blocks of one section, without its H1 (empty: the section is left out)."""
    year, kind = spec.year, actor.kind
    status = PLAN[(year, actor.key)]
    values = slots(actor, year)
    out: list[Block] = []

    def themed(theme: str) -> list[Block]:
        return [] if status[theme] == "none" else [Para(theme_text(actor, year, theme))]

    if section == "intro":
        out.append(Para(fill(INTRO_TEXT[actor.key][0], values)))
        out += extras(actor, year, "intro")
        background = LIBRARY[f"background {kind}"]
        out.append(Para(fill(background[actor.index % len(background)], values)))
        out.append(Para(fill(pick("process", kind, actor.index + year), values)))
        out.append(Para(fill(pick("summary", kind, actor.index + year), values)))
        done = [
            DONE_ITEMS[(theme, kind)]
            for theme in THEMES
            if status[theme] == "active" and (theme, kind) in DONE_ITEMS
        ]
        shift = actor.index % len(done)
        done = (done[shift:] + done[:shift])[:6]
        lead_in = (
            "Under året har {s} bland annat genomfört följande insatser:",
            "Bland årets viktigaste insatser märks följande:",
            "Under {y} har arbetet bland annat omfattat följande:",
        )[actor.index % 3]
        out.append(Para(fill(lead_in, values)))
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
        planned = [
            PLANNED_ITEMS.get((t, kind), PLANNED_ITEMS.get(t))
            for t in THEMES
            if status[t] == "planned"
        ]
        items = planned + list(GENERIC_NEXT_ITEMS[: max(0, 3 - len(planned))])
        out.append(Para(f"Under {year + 1} avser {values['s']} att:"))
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
    targets = [TARGET_NAMES[t] for t in TARGETS[key]]
    out: list[Block] = [
        Para(
            f"Insatserna under {spec.year} har i första hand riktats till {join_list(targets)}. "
            + " ".join(TARGET_SENTENCES[t] for t in TARGETS[key])
        )
    ]
    reported = [EFFECT_NAMES[e] for e, how in EFFECTS[key].items() if how == "reported"]
    cautious = [EFFECT_NAMES[e] for e, how in EFFECTS[key].items() if how == "cautious"]
    sentences = []
    if reported:
        sentences.append(
            (
                "De effekter som verksamheterna oftast lyfter fram är {}.",
                "Verksamheterna rapporterar framför allt {}.",
                "{S} ser redan nu resultat i form av {}.",
            )[actor.index % 3]
            .replace("{S}", values["S"])
            .format(join_list(reported))
        )
    if cautious:
        sentences.append(
            f"Det finns också tecken på {join_list(cautious)}, men underlaget är ännu för "
            "begränsat för att dra säkra slutsatser."
        )
    if key in TOO_EARLY:
        sentences.append(TOO_EARLY_SENTENCES[actor.index % 2])
    if sentences:
        out.append(Para(" ".join(sentences)))
    if "hyphenation" in spec.features and actor.key in HYPHEN_EFFECTS:
        out.append(Para(nbsp(HYPHEN_EFFECTS[actor.key])))
    out += extras(actor, spec.year, "effekt")
    if "two_columns" in spec.features:
        return [Columns(2), *out]
    return out


def money_blocks(spec: Spec, actor: Actor) -> list[Block]:
    status = PLAN[(spec.year, actor.key)]
    rows = [r for r in MONEY_ROWS if status[r[0]] == "active"][:5]
    labels = [r[1] if actor.kind == "R" else r[2] for r in rows] + ["Övrigt utvecklingsarbete"]
    weights = [30, 22, 17, 13, 10, 8][: len(labels)]
    budget = [round(spec.budget * w / sum(weights), -1) for w in weights]
    budget[-1] = spec.budget - sum(budget[:-1])
    used = [round(b * (0.86 + 0.03 * ((i + actor.index) % 5)), -1) for i, b in enumerate(budget)]

    def tkr(amount: float) -> str:
        return f"{int(amount):,}".replace(",", " ")

    body = [(label, tkr(b), tkr(u)) for label, b, u in zip(labels, budget, used, strict=True)]
    body.append(("Summa", tkr(sum(budget)), tkr(sum(used))))
    header = (
        ("Insatsområde", "Tilldelat", "Använt")
        if actor.index % 2
        else ("Område", "Budget", "Utfall")
    )
    left = spec.budget - sum(used)
    values = slots(actor, spec.year)
    return [
        lead(actor, spec.year, "medel"),
        Table(f"Tabell 1. Användning av medel {spec.year}, tkr", header, tuple(body)),
        Para(
            nbsp(
                f"Av tilldelade medel har {tkr(sum(used))} tkr använts under {spec.year}. "
                f"Resterande {tkr(left)} tkr avser insatser som har försenats, och {values['s']} "
                "avser att använda dem under det kommande året i enlighet med överenskommelsens "
                "villkor."
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


def plain(text: str) -> str:
    """The text without the hyphenation marks."""
    return text.replace("¬", "").replace("¦", "")


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


# ---------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 68, 78, 64
FRAME_W = PAGE_W - 2 * MARGIN_X
COLUMN_GAP = 20
NO_PADDING = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


class _PdfDoc(BaseDocTemplate):
    """Records the page of every numbered heading for the table of contents."""

    def __init__(self, buffer, **kwargs):
        super().__init__(buffer, **kwargs)
        self.heading_pages: list[int] = []

    def afterFlowable(self, flowable):
        if getattr(flowable, "nv_heading", False):
            self.heading_pages.append(self.page)


def _pdf_styles(look: dict) -> dict[str, ParagraphStyle]:
    body = look["body"]
    align = TA_JUSTIFY if look["align"] == "justify" else TA_LEFT
    base = ParagraphStyle(
        "body",
        fontName="Helvetica",
        fontSize=body,
        leading=body * 1.35,
        spaceAfter=7,
        alignment=align,
    )
    return {
        "body": base,
        "h1": ParagraphStyle(
            "h1",
            fontName="Helvetica-Bold",
            fontSize=look["h1"],
            leading=look["h1"] * 1.25,
            spaceBefore=14,
            spaceAfter=8,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            fontName="Helvetica-Bold",
            fontSize=look["h2"],
            leading=look["h2"] * 1.25,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "item": ParagraphStyle("item", parent=base, spaceAfter=2, alignment=TA_LEFT),
        "cell": ParagraphStyle(
            "cell",
            parent=base,
            fontSize=body - 1,
            leading=body * 1.2,
            spaceAfter=0,
            alignment=TA_LEFT,
        ),
        "cellbold": ParagraphStyle(
            "cellbold", fontName="Helvetica-Bold", fontSize=body - 1, leading=body * 1.2
        ),
        "caption": ParagraphStyle(
            "caption",
            parent=base,
            fontName="Helvetica-Oblique",
            fontSize=body - 1,
            spaceBefore=4,
            spaceAfter=4,
        ),
        "toc": ParagraphStyle("toc", parent=base, spaceAfter=3, alignment=TA_LEFT),
        "title_actor": ParagraphStyle(
            "title_actor", fontName="Helvetica-Bold", fontSize=20, leading=26
        ),
        "title": ParagraphStyle(
            "title", fontName="Helvetica-Bold", fontSize=24, leading=30, spaceAfter=14
        ),
        "subtitle": ParagraphStyle(
            "subtitle", fontName="Helvetica", fontSize=13, leading=17, spaceAfter=40
        ),
        "meta": ParagraphStyle("meta", fontName="Helvetica", fontSize=11, leading=16),
    }


MAX_HYPHEN_INDENT = 40  # points; a ragged right edge hides this much

# Line-break hyphenation: a compound split by "¬" or a hyphen followed by "¦".
_HYPHEN_MARK = re.compile(r"(\S+?)(¬|-¦)( ?)(\S+)")


def _natural_right_indent(text: str, style: ParagraphStyle, width: float) -> float:
    """A right indent that makes the marked hyphen fall where a typesetter would break.

    Natural is a line that holds the first part of the word with its hyphen but not
    the whole word (for "hälso- och", not the next word too). The texts are written
    so that a small indent gives such a line; the break itself is forced with <br/>
    either way.
    """
    match = _HYPHEN_MARK.search(text)
    if match is None:
        return 0
    stem, mark, space, rest = match.groups()
    head = stem + "-"
    whole = stem + rest if mark == "¬" else head + space + rest
    before = escape(plain(text[: match.start()]).strip())
    font, size = style.fontName, style.fontSize
    for indent in range(0, MAX_HYPHEN_INDENT):
        avail = width - indent
        last = ""
        if before:
            measure = Paragraph(before, style)
            measure.wrap(avail, PAGE_H)
            last = " ".join(measure.blPara.lines[-1][1]) + " "
        if stringWidth(last + head, font, size) <= avail < stringWidth(last + whole, font, size):
            return indent
    print(f"warning: {head!r} does not fall at a natural line end", file=sys.stderr)
    return 0


def _pdf_markup(text: str, hyphenate: bool) -> str:
    text = escape(text)
    if not hyphenate:
        return plain(text)
    return re.sub(r"-¦ ?", "-<br/>", text).replace("¬", "-<br/>")


def _pdf_paragraph(text: str, styles, hyphenate: bool, width: float) -> Paragraph:
    style = styles["body"]
    if hyphenate and ("¬" in text or "¦" in text):
        indent = _natural_right_indent(text, style, width)
        style = ParagraphStyle(f"body_r{indent}", parent=style, rightIndent=indent)
    return Paragraph(_pdf_markup(text, hyphenate), style)


def _pdf_table(table: Table, styles) -> list:
    header = [Paragraph(escape(h), styles["cellbold"]) for h in table.header]
    rows = [header]
    for i, row in enumerate(table.rows):
        style = styles["cellbold"] if i == len(table.rows) - 1 else styles["cell"]
        rows.append([Paragraph(escape(row[0]), style), *row[1:]])
    widths = [FRAME_W * 0.56, FRAME_W * 0.22, FRAME_W * 0.22]
    rl_table = RLTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    rl_table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E2EC")),
                ("FONTNAME", (1, 1), (-1, -1), "Helvetica"),
                ("FONTNAME", (1, -1), (-1, -1), "Helvetica-Bold"),
                ("FONTSIZE", (1, 1), (-1, -1), styles["cell"].fontSize),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return [Paragraph(escape(table.caption), styles["caption"]), rl_table, Spacer(1, 8)]


def _toc_flowables(headings: list[Heading], pages: list[int], look, styles) -> list:
    out = [Paragraph("Innehåll", styles["h1"])]
    rows = []
    for heading, page in zip(headings, pages, strict=True):
        indent = 0 if heading.level == 1 else 16
        style = ParagraphStyle(f"toc{indent}", parent=styles["toc"], leftIndent=indent)
        label = f"{heading.number} {heading.text}"
        if look["toc"] == "dots":
            room = FRAME_W - 40 - indent - stringWidth(label, style.fontName, style.fontSize)
            dots = " ." * max(3, int(room / stringWidth(" .", style.fontName, style.fontSize)) - 2)
            label += dots
        rows.append([Paragraph(escape(label), style), str(page)])
    toc = RLTable(rows, colWidths=[FRAME_W - 40, 40], hAlign="LEFT")
    toc.setStyle(
        TableStyle(
            [
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("FONTNAME", (1, 0), (1, -1), "Helvetica"),
                ("FONTSIZE", (1, 0), (1, -1), styles["toc"].fontSize),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return [*out, toc, NextPageTemplate("body"), PageBreak()]


def _pdf_story(spec: Spec, blocks: list[Block], pages: list[int], styles, look) -> list:
    actor = ACTORS[spec.actor]
    hyphenate = "hyphenation" in spec.features
    story: list = [
        Spacer(1, 90),
        Paragraph(escape(actor.name), styles["title_actor"]),
        Spacer(1, 110),
        Paragraph(escape(spec.title), styles["title"]),
        Paragraph(escape(spec.subtitle), styles["subtitle"]),
        Paragraph(f"Datum: {spec.date}", styles["meta"]),
        Paragraph(f"Diarienummer: {escape(spec.dnr)}", styles["meta"]),
        NextPageTemplate("body"),
        PageBreak(),
    ]
    headings = [b for b in blocks if isinstance(b, Heading)]
    story += _toc_flowables(headings, pages or [0] * len(headings), look, styles)
    column_width = FRAME_W
    for block in blocks:
        if isinstance(block, Heading):
            flowable = Paragraph(escape(f"{block.number} {block.text}"), styles[f"h{block.level}"])
            flowable.nv_heading = True
            story.append(flowable)
        elif isinstance(block, Para):
            story.append(_pdf_paragraph(block.text, styles, hyphenate, column_width))
        elif isinstance(block, Bullets):
            items = [ListItem(Paragraph(escape(i), styles["item"])) for i in block.items]
            story.append(
                ListFlowable(
                    items,
                    bulletType="bullet",
                    start="•",
                    leftIndent=16,
                    bulletFontName="Helvetica",
                    bulletFontSize=look["body"],
                    spaceAfter=8,
                )
            )
        elif isinstance(block, Table):
            story += _pdf_table(block, styles)
        elif isinstance(block, NewPage):
            story.append(PageBreak())
        elif isinstance(block, Columns):
            two = block.count == 2
            column_width = (FRAME_W - COLUMN_GAP) / 2 if two else FRAME_W
            story += [NextPageTemplate("twocol" if two else "body"), PageBreak()]
    return story


def render_pdf(spec: Spec, blocks: list[Block]) -> tuple[bytes, int]:
    """The PDF bytes and the number of pages.

    Built until the page numbers of the table of contents and the page total in the
    footers agree with the layout (normally twice).
    """
    actor = ACTORS[spec.actor]
    look = PDF_LOOKS[spec.actor]
    styles = _pdf_styles(look)
    short = SHORT_TITLES[spec.actor].format(y=spec.year)
    pages: list[int] = []
    total = 0
    for _ in range(4):
        buffer = io.BytesIO()
        state = {"total": total}

        def decorate(canvas, doc, state=state):
            canvas.saveState()
            canvas.setFont("Helvetica", 8.5)
            canvas.setFillColor(colors.HexColor("#444444"))
            canvas.drawString(MARGIN_X, PAGE_H - 42, actor.name)
            canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 42, short)
            canvas.setLineWidth(0.4)
            canvas.line(MARGIN_X, PAGE_H - 47, PAGE_W - MARGIN_X, PAGE_H - 47)
            footer = (
                f"Sida {doc.page} av {state['total']}" if look["footer"] == "of" else str(doc.page)
            )
            canvas.drawRightString(PAGE_W - MARGIN_X, 34, footer)
            canvas.restoreState()

        doc = _PdfDoc(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=spec.title,
            author="",
            subject=spec.subtitle,
            creator="nvreport samples (reportlab)",
        )
        height = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
        half = (FRAME_W - COLUMN_GAP) / 2
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_W, height, id="main", **NO_PADDING)
        doc.addPageTemplates(
            [
                PageTemplate("title", [frame]),
                PageTemplate("body", [frame], onPage=decorate),
                PageTemplate(
                    "twocol",
                    [
                        Frame(MARGIN_X, MARGIN_BOTTOM, half, height, id="left", **NO_PADDING),
                        Frame(
                            MARGIN_X + half + COLUMN_GAP,
                            MARGIN_BOTTOM,
                            half,
                            height,
                            id="right",
                            **NO_PADDING,
                        ),
                    ],
                    onPage=decorate,
                ),
            ]
        )
        doc.build(_pdf_story(spec, blocks, pages, styles, look))
        if doc.heading_pages == pages and doc.page == total:
            return buffer.getvalue(), total
        pages, total = doc.heading_pages, doc.page
    raise RuntimeError(f"{spec.relpath}: page numbers did not settle")


# ---------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------

WORDS_PER_PAGE = 420  # Calibri 11 pt on A4 with 2.5 cm margins, headings and tables


def _add_field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _estimate_pages(blocks: list[Block]) -> tuple[list[int], int]:
    """Estimated page of each heading and page total (title page and TOC first)."""
    words, pages = 0.0, []
    for block in blocks:
        if isinstance(block, Heading):
            words += 25 if block.level == 1 else 15
            pages.append(3 + int(words // WORDS_PER_PAGE))
        elif isinstance(block, Para):
            words += len(block.text.split()) + 6
        elif isinstance(block, Bullets):
            words += sum(len(i.split()) + 8 for i in block.items)
        elif isinstance(block, Table):
            words += 30 + 22 * len(block.rows)
        elif isinstance(block, NewPage):
            words += -words % WORDS_PER_PAGE
    return pages, 3 + int(words // WORDS_PER_PAGE)


def render_docx(spec: Spec, blocks: list[Block]) -> tuple[bytes, int]:
    """The DOCX bytes, normalised for reproducibility, and the estimated page count."""
    actor = ACTORS[spec.actor]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = f"{actor.name} – {SHORT_TITLES[spec.actor].format(y=spec.year)}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Sida ")
    _add_field(footer, "PAGE")
    footer.add_run(" av ")
    _add_field(footer, "NUMPAGES")

    def big(text: str, size: float, bold: bool = True, space_before: float = 0) -> None:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(space_before)
        run = paragraph.add_run(text)
        run.bold, run.font.size = bold, Pt(size)

    big(actor.name, 20, space_before=60)
    big(spec.title, 24, space_before=120)
    big(spec.subtitle, 13, bold=False, space_before=6)
    big(f"Datum: {spec.date}", 11, bold=False, space_before=60)
    big(f"Diarienummer: {spec.dnr}", 11, bold=False)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    pages, total = _estimate_pages(blocks)
    big("Innehåll", 16)
    headings = [b for b in blocks if isinstance(b, Heading)]
    for heading, page in zip(headings, pages, strict=True):
        paragraph = doc.add_paragraph(f"{heading.number} {heading.text}\t{page}")
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        paragraph.paragraph_format.space_after = Pt(2)
        if heading.level == 2:
            paragraph.paragraph_format.left_indent = Cm(0.6)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for block in blocks:
        if isinstance(block, Heading):
            doc.add_heading(f"{block.number} {block.text}", level=block.level)
        elif isinstance(block, Para):
            doc.add_paragraph(plain(block.text))
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            caption = doc.add_paragraph()
            caption.add_run(block.caption).italic = True
            table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.LEFT
            for r, row in enumerate((block.header, *block.rows)):
                for c, value in enumerate(row):
                    cell = table.cell(r, c).paragraphs[0]
                    run = cell.add_run(value)
                    run.bold = r == 0 or r == len(block.rows)
                    if c > 0:
                        cell.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            doc.add_paragraph()
        elif isinstance(block, NewPage):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    props = doc.core_properties
    props.author = props.last_modified_by = DOCX_AUTHOR
    props.created = props.modified = props.last_printed = FIXED_DOCX_DATE
    props.title, props.subject = spec.title, spec.subtitle
    props.comments, props.keywords, props.category = "", "", ""
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue()), total


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member dates and sorted member order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


# ---------------------------------------------------------------------------------
# Side files and main
# ---------------------------------------------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


FEATURE_NOTES = {
    "two_columns": "two-column page (section on target groups and effects)",
    "hyphenation": "line-break hyphenation",
}
# Words that look like a theme but are not, and where they stand (README only).
TRAPS = (
    ("personalen, personalförsörjningen (not personcentrering)", "Kronoberg kommunerna 2021, Flen"),
    ("multiprofessionella team, mobil självincheckning (not mobila team)", "Jönköping"),
    ("personnummer (not personcentrering)", "Jönköping"),
    (
        "ökad fysisk aktivitet without a prescription (not FaR)",
        "Region Kronoberg, Kronoberg kommunerna",
    ),
    ("avtal med leverantörer (not patientkontrakt)", "Norrbotten, Flen 2022"),
    ("a digital course for staff, a digital dialogue kit for managers", "Värmland, Skåne"),
    ("far och mor (not FaR)", "Flen 2022"),
    ("patients' follow-up by a physiotherapist (not uppföljning)", "Värmland 2022"),
)


def hyphenated_words(blocks: list[Block]) -> list[str]:
    """The line-break splits marked in a report, as "patient- / kontraktet"."""
    return [
        f"{m.group(1)}- / {m.group(4).rstrip(',.;:')}"
        for block in blocks
        if isinstance(block, Para)
        for m in _HYPHEN_MARK.finditer(block.text)
    ]


def write_readme(built: list[tuple[Spec, int, list[Block]]]) -> None:
    lines = [
        "# Sample reports",
        "",
        "Invented yearly reports on the Swedish agreement *God och nära vård*, written to",
        "look like the ones regions and municipalities send to Socialstyrelsen. All actors",
        "are real names, but every sentence, number, date and diarienummer is made up.",
        "",
        "Regenerate them (byte for byte the same) from the repository root with",
        "",
        "    python scripts/make_samples.py",
        "",
        "The script needs reportlab and python-docx. It also writes",
        "`tests/fixtures/samples_metadata.csv` (file, actor, actor type, län, year) and",
        "`story.csv` here: for every report and theme whether the report describes the",
        "work as in place (`active`), `planned`, explicitly absent (`negated`) or does not",
        "mention it (`none`). The plan behind it is the grid `PLAN_GRID` in the script.",
        "",
        "Some 2022 reports repeat paragraphs of the same actor's 2021 report, word for",
        "word or slightly edited, as real reports do. Kommunerna i Östergötlands län only",
        "report in 2022. Region Värmland switches from DOCX (2021) to PDF (2022). Some file",
        "names do not name the actor or the year; the title page always states both.",
        "",
        "| File | Actor | Format | Pages | Features |",
        "|---|---|---|---|---|",
    ]
    for spec, pages, blocks in built:
        notes = [FEATURE_NOTES[f] for f in spec.features]
        if "hyphenation" in spec.features:
            notes[-1] += " (" + ", ".join(hyphenated_words(blocks)) + ")"
        features = ", ".join(notes) or "–"
        count = str(pages) if spec.fmt == "pdf" else f"about {pages}"
        lines.append(
            f"| `{spec.relpath}` | {ACTORS[spec.actor].name} | {spec.fmt.upper()} | {count} "
            f"| {features} |"
        )
    lines += [
        "",
        "In the hyphenated PDFs, patient- / kontraktet, hälsosamtals- / verksamheten and",
        "vård- / kontakterna must be joined without the hyphen; hälso- / och sjukvården,",
        "ST- / läkare, FaR- / recept and e- / hälsa keep it. Page counts of DOCX files are",
        "estimates; Word decides the real ones.",
        "",
        "Traps for the tagger (words that look like a theme but are not):",
        "",
        *(f"- {words}: {where}" for words, where in TRAPS),
        "",
    ]
    (SAMPLES / "README.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    problems: list[str] = []
    built: list[tuple[Spec, int, list[Block]]] = []
    for spec in SPECS:
        blocks = build_report(spec)
        problems += check_story(spec, blocks)
        data, pages = (render_pdf if spec.fmt == "pdf" else render_docx)(spec, blocks)
        path = SAMPLES / spec.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        built.append((spec, pages, blocks))
        print(f"{spec.relpath}: {pages} pages")
    write_csv(
        SAMPLES / "story.csv",
        ["year", "actor", "theme", "status"],
        [
            [year, ACTORS[key].name, TAXONOMY_IDS.get(theme, theme), status]
            for (year, key), themes in PLAN.items()
            for theme, status in themes.items()
        ],
    )
    write_csv(
        METADATA,
        ["file", "actor", "actor_type", "lan", "year"],
        [
            [
                s.relpath,
                ACTORS[s.actor].name,
                ACTORS[s.actor].actor_type,
                ACTORS[s.actor].lan,
                s.year,
            ]
            for s in sorted(SPECS, key=lambda s: s.relpath)
        ],
    )
    write_readme(built)
    for problem in problems:
        print(f"story: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
