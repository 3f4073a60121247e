"""Who can write a report: the 21 regions, the 21 län and the 290 municipalities.

The data ships with the package (``data/gazetteer/*.csv``): ``lan.csv`` has one row
per län with its region and the region's other names; ``kommuner.csv`` one row per
municipality with its official code, official name, short name and län. This
module finds those actors in file names and in report text.

An actor is identified by a stable key (:attr:`Actor.key`): ``region:07``,
``rss:07`` or ``kommun:0482``, so that "Region Jönköpings län" and "Jönköping" are
the same actor in every year.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from importlib import resources

REGION, KOMMUN, RSS = "region", "kommun", "rss"
ACTOR_TYPES = (REGION, KOMMUN, RSS)


@dataclass(frozen=True)
class Lan:
    code: str
    letter: str
    name: str  # "Kronobergs län"
    region: str  # "Region Kronoberg"
    region_aliases: tuple[str, ...]

    @property
    def stem(self) -> str:
        """The län name without "län": "Kronobergs"."""
        return self.name.removesuffix(" län")


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str  # "Flens kommun"
    short: str  # "Flen"
    lan_code: str


@dataclass(frozen=True)
class Actor:
    """A reporting actor as the gazetteer knows it."""

    key: str
    name: str
    actor_type: str
    lan: str


_WORDS = re.compile(r"\w+")


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form for matching file names: "Skåne" -> "skane"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _tokens(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


# Short municipality names that are also ordinary Swedish words once diacritics are
# dropped ("vara" is also "våra", "mark" is ground): never matched alone in a file name.
_AMBIGUOUS_SHORT_NAMES = frozenset({"vara", "mark", "are", "ale", "habo", "kil", "nora", "sala"})
_RSS_WORDS = frozenset({"kommunerna", "kommuner", "rss", "lanets"})
_REGION_WORDS = frozenset({"region", "regionen", "landsting", "landstinget"})
_KOMMUN_WORDS = frozenset({"kommun", "kommunen", "stad", "staden"})


class Gazetteer:
    """Lookup of regions, län and municipalities. Load once with :meth:`load`."""

    def __init__(self, lans: list[Lan], municipalities: list[Municipality]) -> None:
        self.lans = lans
        self.municipalities = municipalities
        self._lan_by_code = {lan.code: lan for lan in lans}

    @classmethod
    def load(cls) -> Gazetteer:
        folder = resources.files("nvreport") / "data" / "gazetteer"
        with (folder / "lan.csv").open(encoding="utf-8") as handle:
            lans = [
                Lan(
                    row["lan_code"],
                    row["letter"],
                    row["lan"],
                    row["region"],
                    tuple(alias for alias in row["region_aliases"].split("|") if alias),
                )
                for row in csv.DictReader(handle)
            ]
        with (folder / "kommuner.csv").open(encoding="utf-8") as handle:
            municipalities = [
                Municipality(row["code"], row["name"], row["short"], row["lan_code"])
                for row in csv.DictReader(handle)
            ]
        return cls(lans, municipalities)

    # --- actors ------------------------------------------------------------------------

    def region(self, lan: Lan) -> Actor:
        return Actor(f"{REGION}:{lan.code}", lan.region, REGION, lan.name)

    def rss(self, lan: Lan) -> Actor:
        return Actor(f"{RSS}:{lan.code}", f"Kommunerna i {lan.name}", RSS, lan.name)

    def kommun(self, municipality: Municipality) -> Actor:
        lan = self._lan_by_code[municipality.lan_code]
        return Actor(f"{KOMMUN}:{municipality.code}", municipality.name, KOMMUN, lan.name)

    def lan_named(self, text: str) -> Lan | None:
        """The län a name refers to: "Kronobergs län", "Kronoberg", "G" or "07"."""
        key = fold(text.strip())
        for lan in self.lans:
            names = {lan.name, lan.stem, lan.code, lan.letter, lan.region, *lan.region_aliases}
            if key in {fold(name) for name in names}:
                return lan
        return None

    def identify(self, name: str, actor_type: str = "") -> Actor | None:
        """The gazetteer actor a free-text name refers to ("Jönköping", "VGR", "Flens kommun")."""
        return self.from_filename(name, actor_type) or self.from_text(name)

    # --- file names ----------------------------------------------------------------------

    @cached_property
    def _filename_index(self) -> dict[tuple[str, ...], list[tuple[str, object]]]:
        """Folded token sequences -> what they name: ("region"|"lan"|"kommun", entity)."""
        index: dict[tuple[str, ...], list[tuple[str, object]]] = {}

        def add(name: str, kind: str, entity: object) -> None:
            key = tuple(_tokens(name))
            if key and (kind, entity) not in index.setdefault(key, []):
                index[key].append((kind, entity))

        for lan in self.lans:
            add(lan.region, "region", lan)
            for alias in lan.region_aliases:
                add(alias, "region", lan)
            add(lan.name, "lan", lan)
            add(lan.stem, "lan", lan)
        for municipality in self.municipalities:
            add(municipality.name, "kommun_full", municipality)
            if fold(municipality.short) not in _AMBIGUOUS_SHORT_NAMES:
                add(municipality.short, "kommun", municipality)
        return index

    def from_filename(self, name: str, actor_type: str = "") -> Actor | None:
        """Find the actor a file name (or any short name) points to, if it is clear.

        ``actor_type``, when known, settles names that are both a region and a
        municipality ("Uppsala").
        """
        tokens = _tokens(name)
        found: list[tuple[str, object]] = []
        longest = max((len(key) for key in self._filename_index), default=1)
        position = 0
        while position < len(tokens):
            for size in range(min(longest, len(tokens) - position), 0, -1):
                hits = self._filename_index.get(tuple(tokens[position : position + size]))
                if hits:
                    found.extend(hits)
                    position += size
                    break
            else:
                position += 1
        if not found:
            return None
        words = set(tokens)
        wants = actor_type or (
            RSS
            if words & _RSS_WORDS
            else KOMMUN
            if words & _KOMMUN_WORDS
            else REGION
            if words & _REGION_WORDS
            else ""
        )
        lans = [entity for kind, entity in found if kind in ("region", "lan")]
        municipalities = [entity for kind, entity in found if kind.startswith("kommun")]
        full_names = [entity for kind, entity in found if kind == "kommun_full"]
        if wants == RSS and lans:
            return self.rss(lans[0])  # type: ignore[arg-type]
        if full_names and wants != REGION:
            return self.kommun(full_names[0])  # type: ignore[arg-type]
        if wants == KOMMUN and municipalities:
            return self.kommun(municipalities[0])  # type: ignore[arg-type]
        region_hits = [entity for kind, entity in found if kind == "region"]
        if region_hits and wants != KOMMUN:
            return self.region(region_hits[0])  # type: ignore[arg-type]
        if municipalities and not lans:
            return self.kommun(municipalities[0])  # type: ignore[arg-type]
        return None

    # --- text --------------------------------------------------------------------------

    @cached_property
    def _text_patterns(self) -> list[tuple[str | None, str, re.Pattern[str], str, object]]:
        """Patterns for the names actors use of themselves in running text, each with
        a literal it cannot match without (lower case), and the first word of that
        literal when the pattern needs it as a whole word, to skip it cheaply."""
        patterns: list[tuple[str | None, str, re.Pattern[str], str, object]] = []

        def word(name: str) -> str:
            return r"(?<!\w)" + re.escape(name).replace(r"\ ", r"\s+") + r"(?!\w)"

        def add(
            needle: str,
            pattern: str,
            flags: int,
            kind: str,
            entity: object,
            whole_word: bool = True,
        ) -> None:
            """``whole_word``: the pattern holds ``word(needle)``, so the needle's first
            word stands as a whole word in any text it matches."""
            folded = needle.casefold()
            first = _WORDS.match(folded)
            whole = first is not None and (whole_word or first.end() < len(folded))
            key = first.group(0) if first is not None and whole else None
            patterns.append((key, folded, re.compile(pattern, flags), kind, entity))

        for lan in self.lans:
            places = {lan.name, lan.stem}
            for alias in lan.region_aliases:
                if alias.isupper():  # VGR, SLL
                    add(alias, word(alias), 0, REGION, lan)
                elif fold(alias).startswith(("region", "landsting")) or "landsting" in alias:
                    add(alias, word(alias), re.IGNORECASE, REGION, lan)
                else:
                    places.add(alias)
            add(lan.region, word(lan.region), re.IGNORECASE, REGION, lan)
            for place in sorted(places):
                add(place, rf"kommunerna\s+i\s+{word(place)}", re.IGNORECASE, RSS, lan)
            # "Skåne läns kommuner": the name with a genitive s, so no word boundary
            # after the name itself
            add(
                lan.name,
                rf"{word(lan.name + 's')}\s+kommuner",
                re.IGNORECASE,
                RSS,
                lan,
                whole_word=False,  # "Skåne län" + s: its first word is whole, its last not
            )
        for municipality in self.municipalities:
            if municipality.name.startswith("Region "):
                continue  # Region Gotland reports as a region
            add(municipality.name, word(municipality.name), re.IGNORECASE, KOMMUN, municipality)
        return patterns

    def from_text(self, text: str) -> Actor | None:
        """The actor a report names first: title pages name their author before others."""
        best: tuple[int, int, Actor] | None = None
        priority = {RSS: 0, REGION: 1, KOMMUN: 1}
        folded = " ".join(text.split()).casefold()
        words = set(_WORDS.findall(folded))
        for key, needle, pattern, kind, entity in self._text_patterns:
            if (key is not None and key not in words) or needle not in folded:
                continue  # most names are not in the text: no regular expression needed
            match = pattern.search(text)
            if match is None:
                continue
            if kind == RSS:
                actor = self.rss(entity)  # type: ignore[arg-type]
            elif kind == REGION:
                actor = self.region(entity)  # type: ignore[arg-type]
            else:
                actor = self.kommun(entity)  # type: ignore[arg-type]
            candidate = (match.start(), priority[kind], actor)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
        return best[2] if best else None
