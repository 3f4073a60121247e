"""Two years of short reports, written for the term-drift and suggest tests.

Six regions report on the same work both years. In 2021 they all call their teams for
care in the home "mobila team"; in 2022 four of them call them "hembesöksteam", a
word the bundled taxonomy does not know, and say "mobila team" less. Each report
also has sections on other themes (digital care, health dialogues, follow-up) and
text no theme covers, so that the new word has ordinary company. All Swedish text
was written for these tests.
"""

from __future__ import annotations

from pathlib import Path

REGIONS = (
    "Region Uppsala",
    "Region Sörmland",
    "Region Örebro län",
    "Region Västmanland",
    "Region Gävleborg",
    "Region Dalarna",
)
#: The regions that use the new word in 2022.
NEW_WORD_REGIONS = REGIONS[:4]
NEW_WORD = "hembesöksteam"

_INTRODUCTION = (
    "{region} redovisar här arbetet med omställningen till en god och nära vård under "
    "{year}. Redovisningen följer den struktur som Socialstyrelsen har angett och "
    "beskriver de insatser som har finansierats med de statliga medlen."
)
_ECONOMY = (
    "Medlen har fördelats mellan förvaltningarna efter en samlad bedömning av behoven. "
    "Den största delen har använts till bemanning och till lokaler som har anpassats "
    "för nya arbetssätt."
)
_DIGITAL = (
    "Vårdcentralerna erbjuder videobesök och chatt via 1177, och antalet digitala "
    "kontakter har ökat jämfört med föregående år."
)
_DIALOGUE = (
    "Regionen erbjuder riktade hälsosamtal till invånare som fyller 40 och 50 år, och "
    "deltagandet har varit högre i städerna än på landsbygden."
)
_FOLLOW_UP = (
    "Arbetet följs upp med indikatorer för kontinuitet och undvikbar slutenvård som "
    "redovisas till regionstyrelsen varje kvartal."
)
_OLD_TEAM = (
    "Regionens mobila team gör hembesök hos sköra äldre med omfattande vårdbehov. "
    "Teamen består av läkare och sjuksköterskor och samarbetar med den kommunala "
    "hemsjukvården."
)
_OLD_TEAM_MORE = (
    "Under året har de mobila teamen utökat sina tider till kvällar och helger, och "
    "fler patienter har kunnat vårdas i hemmet i stället för på sjukhus."
)
_NEW_TEAM = (
    "Regionens {word} gör planerade och akuta hembesök hos sköra äldre med omfattande "
    "vårdbehov. Varje {word_one} består av läkare och sjuksköterskor som arbetar "
    "tillsammans med den kommunala hemsjukvården."
)
_NEW_TEAM_MORE = (
    "Under året har {word_plural} utökat sina tider till kvällar och helger. Enligt "
    "kommunerna har {word_plural} minskat behovet av besök på akutmottagningen."
)
_CHALLENGES = (
    "Den största utmaningen är fortsatt att rekrytera sjuksköterskor och läkare till "
    "glesbygden, där avstånden är långa och vakanserna många."
)


def _report(region: str, year: int) -> str:
    new = year == 2022 and region in NEW_WORD_REGIONS
    team = (
        [
            _NEW_TEAM.format(word=f"{NEW_WORD}en", word_one=NEW_WORD),
            _NEW_TEAM_MORE.format(word_plural=f"{NEW_WORD}en"),
        ]
        if new
        else [_OLD_TEAM, _OLD_TEAM_MORE]
    )
    sections = [
        ("Inledning", [_INTRODUCTION.format(region=region, year=year)]),
        ("Medlens användning", [_ECONOMY]),
        ("Vård i hemmet", team),
        ("Digitala vårdformer", [_DIGITAL]),
        ("Hälsosamtal", [_DIALOGUE]),
        ("Uppföljning", [_FOLLOW_UP]),
        ("Utmaningar", [_CHALLENGES]),
    ]
    lines = [f"# {region} – Redovisning God och nära vård {year}", ""]
    for heading, paragraphs in sections:
        lines += [f"## {heading}", ""]
        for paragraph in paragraphs:
            lines += [paragraph, ""]
    return "\n".join(lines)


def build_drift_year(folder: Path, year: int) -> list[Path]:
    """Write the six regions' reports of ``year`` (2021 or 2022) as Markdown files
    into ``folder`` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for region in REGIONS:
        path = folder / f"{region} {year}.md"
        path.write_text(_report(region, year), encoding="utf-8")
        paths.append(path)
    return paths
