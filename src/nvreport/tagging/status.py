"""The status of a match from the cue words of its sentence: in place, planned or absent.

:func:`sentence_cues` finds negations, plans, decisions and requirements in a sentence's
words once; :func:`match_status` tells the status of a match at a position from them;
:func:`combine` the status of several matches (the strongest by :data:`STATUS_RANK`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from nvreport.tagging.sentences import Sentence

ACTIVE, PLANNED, NEGATED, NONE = "active", "planned", "negated", "none"
#: A match as a plain tuple: theme, status, text, start, end, sentence, term.
MatchTuple = tuple[str, str, str, int, int, str, str]
#: Statuses in the order they win when matches are combined: active over planned over negated.
STATUS_RANK = {ACTIVE: 3, PLANNED: 2, NEGATED: 1, NONE: 0}


# --- status ----------------------------------------------------------------------------

_NEGATION_WORDS = frozenset(
    {
        "inte", "ej", "icke", "aldrig", "saknas", "saknar", "saknades", "saknat",
        # work stopped or put on hold is, for now, absent
        "pausats", "pausades", "pausat", "avbrutits", "avbröts", "avvecklats", "avvecklades",
        "upphört", "upphörde", "lagts", "lades", "pausade", "pausad", "vilande",
    }
)  # fmt: skip
# "inte bara/minst/enbart …" does not negate; "inte helt" is partial presence.
_NOT_NEGATIONS = frozenset(
    {"bara", "minst", "enbart", "endast", "blott", "sällan", "alltid", "helt"}
)
# "inte … i någon större omfattning / i tillräcklig utsträckning": present, but little.
_EXTENT_WORDS = frozenset({"omfattning", "utsträckning", "takt"})
_NEGATION_DETERMINERS = frozenset({"ingen", "inget", "inga", "varken"})
# Words that, just before a plan, deny it: "inga beslut om", "något beslut … har inte".
_DENIERS = frozenset({"inte", "ej", "ingen", "inget", "inga", "något", "någon", "några"})
_PLANNED_WORDS = frozenset(
    {
        "planerar", "planeras", "planerad", "planerat",
        "ska", "skall", "avser", "avses", "avsikten", "påbörjas", "förbereder", "förbereds",
        "förberedelser", "förberedelserna", "förberedelse", "förberedande", "framöver",
        "ambitionen", "målsättningen", "tänkt", "utreds", "utredas", "utredning", "utreda",
        "förstudie", "förstudien", "införas", "starta", "kommande", "beräknas",
        "skjutits", "senarelagts", "senarelagt",
    }
)  # fmt: skip
_PLANNED_PHRASES = (
    ("kommer", "att"), ("beslut", "om"), ("nästa", "år"), ("på", "sikt"), ("är", "planerad"),
)  # fmt: skip
# A decision already taken ("har beslutat", "beslut har fattats", "det är beslutat") is in
# force: it plans only what it introduces or dates to a later year ("har beslutat att
# införa X", "beslut har fattats om att X ska erbjudas från 2023"); "beslutat att X ska
# finnas" reports a requirement in place. The fatta-forms count next to "beslut".
_DECISION_WORDS = frozenset(
    {"beslutat", "beslutats", "beslutade", "beslutades", "fattats", "fattat", "fattade", "fattades"}
)
_FATTA = frozenset({"fattats", "fattat", "fattade", "fattades"})
# What a decision introduces: it is not there yet.
_INTRODUCING_WORDS = frozenset(
    {
        "införa", "införas", "införande", "införandet", "starta", "startas", "start", "starten",
        "uppstart", "uppstarten", "inrätta", "inrättas", "inrättande", "inrättandet", "etablera",
        "etableras", "bilda", "bildas", "öppna", "öppnas", "upphandla", "upphandlas",
        "upphandling", "bygga", "byggas", "anställa", "anställas", "rekrytera", "rekryteras",
        "påbörja", "påbörjas", "implementera", "implementeras", "implementering", "pröva",
        "prövas", "testa", "testas", "utreda", "utredas", "fram",
    }
)  # fmt: skip
# Words whose "att"-clause states a rule or decision in force: its "ska" describes the
# rule, not a plan ("har infört krav på att X ska beaktas", "beslut har fattats om att X
# ska erbjudas", "uppdraget innebär att X ska erbjudas").
_REQUIRING_WORDS = _DECISION_WORDS | frozenset(
    {
        "beslut", "beslutet", "besluten", "krav", "kravet", "kraven", "riktlinjen",
        "riktlinjerna", "rutinen", "regeln", "reglerna", "uppdrag", "uppdraget",
    }
)  # fmt: skip
# A plan stated through a noun phrase: "planerade insatser", "planerade åtgärder:".
# ("planerade hembesök" and "planerade operationer" are scheduled, not planned work.)
_EFFORT_HEADS = (
    "insats", "aktivitet", "åtgärd", "satsning", "steg", "projekt", "utvecklingsområde",
    "förändring", "förbättring", "utvecklingsarbete",
)  # fmt: skip
# Verbs that say what a list holds: after a planned frame ("Bland planerade aktiviteter
# finns X", "I handlingsplanen för nästa år ingår X", "Kommande insatser omfattar X") they
# give what follows the frame's status, not their own.
_CONTAINING_WORDS = frozenset(
    {
        "finns", "ingår", "hör", "omfattar", "innefattar", "inkluderar", "innehåller",
        "återfinns", "märks",
    }
)  # fmt: skip
#: A cue that marks what follows it as planned, and nothing before it.
PLANNED_AFTER = "planned_after"
_PLANNED_PHRASE_STARTS = frozenset(phrase[0] for phrase in _PLANNED_PHRASES)
_ACTIVE_PHRASES = (("håller", "på"), ("är", "igång"), ("i", "gång"))  # fmt: skip
_ACTIVE_PHRASE_STARTS = frozenset(phrase[0] for phrase in _ACTIVE_PHRASES)
_ACTIVE_WORDS = frozenset(
    {
        "infört", "införts", "införde", "infördes", "erbjuder", "erbjuds", "erbjöd", "erbjudits",
        "pågår", "pågick", "pågått", "genomfört", "genomförts", "genomförde", "genomfördes",
        "används", "använder", "användes", "finns", "fanns", "startade", "startat", "startades",
        "påbörjat", "påbörjats", "påbörjade", "påbörjades", "etablerat", "etablerats",
        "etablerades", "arbetar", "arbetat", "bedrivs", "bedrivits", "implementerat",
        "implementerats", "implementerades", "har", "sedan", "slutfördes", "utökats", "utökades",
        "fortsatt", "fortsätter", "utvecklats", "tecknats", "tecknade", "tecknat", "fått",
        "erhållit", "deltagit", "deltar", "besöker", "ingår", "utförs", "utfördes", "följs",
    }
)  # fmt: skip
# Planned work on something that already exists is work in place: "planerar att utöka",
# "ska utvärderas", "utbilda fler".
_EXTENSION_WORDS = frozenset(
    {
        "utöka", "utökas", "utvidga", "utvidgas", "vidareutveckla", "vidareutvecklas", "fortsätta",
        "fortsätter", "sprida", "spridas", "skala", "breddas", "bredda", "förstärka", "förstärkas",
        "permanenta", "permanentas", "utvärdera",
        "utvärderas", "utvärdering", "utvärderingen", "revidera", "revideras", "revideringen",
        "fler", "ytterligare",
    }
)  # fmt: skip
# A supine after "har"/"hade" reports work done: "har förankrats", "har tagit fram".
_SUPINE_ENDINGS = ("ats", "its", "ts", "at", "it", "tt")
_PERFECT_AUXILIARIES = frozenset({"har", "hade"})
# "ska" right after these opens a description, not a plan: "hur vården ska vara".
_SUBORDINATORS = frozenset({"hur", "vad", "som", "där", "vilka", "vilken", "vilket", "när"})
_CLAUSE_BREAKS = frozenset({";", "men", "medan"})
_CONJUNCTIONS = frozenset({"och", "samt", "eller"})  # after a comma, a new main clause
_YEAR = re.compile(r"^(20[1-4]\d)$")
_CUE_WORDS = (
    _NEGATION_WORDS
    | _NEGATION_DETERMINERS
    | _PLANNED_WORDS
    | _DECISION_WORDS
    | _CONTAINING_WORDS
    | {"planerade"}
    | _PLANNED_PHRASE_STARTS
    | _EXTENSION_WORDS
    | _ACTIVE_WORDS
    | _ACTIVE_PHRASE_STARTS
)


class Cue(NamedTuple):
    position: int  # token index within the sentence
    kind: str  # ACTIVE, PLANNED, NEGATED, PLANNED_AFTER, "determiner", "extension", "period"
    clause: int  # clause number within the sentence
    weak: bool = False  # "har" and "sedan": active only when nothing else speaks


class SentenceCues(NamedTuple):
    cues: tuple[Cue, ...]
    clauses: tuple[int, ...]  # clause number of every token
    framed: bool = False  # a PLANNED_AFTER cue among them


def _clauses(words: list[str]) -> list[int]:
    """The clause number of every word: a clause break starts a new clause."""
    breaks = [
        position
        for position, word in enumerate(words)
        if word in _CLAUSE_BREAKS
        or (word in _CONJUNCTIONS and position and words[position - 1] == ",")
    ]
    numbers: list[int] = []
    before = 0
    for clause, position in enumerate(breaks):
        numbers.extend([clause] * (position - before))
        before = position
    numbers.extend([len(breaks)] * (len(words) - before))
    return numbers


def sentence_cues(tokens: list[str], year: int | None) -> SentenceCues:
    """Find the words in a sentence that tell done, planned or absent."""
    words = [token.casefold() for token in tokens]
    clauses = _clauses(words)
    cues: list[Cue] = []
    # most words say nothing about status
    for position in [
        position
        for position, word in enumerate(words)
        if word in _CUE_WORDS or word.endswith(_SUPINE_ENDINGS) or word[:1].isdigit()
    ]:
        word = words[position]
        following = words[position + 1] if position + 1 < len(words) else ""
        previous = words[position - 1] if position else ""
        here = clauses[position]
        if word in _NEGATION_WORDS:
            window = words[position + 1 : position + 6]
            if word in ("inte", "ej") and following in _NOT_NEGATIONS:
                continue
            if any(extent in window for extent in _EXTENT_WORDS):
                continue
            if word in ("lagts", "lades") and following != "ned":
                continue
            if previous == "som":
                continue  # "för alla som inte har hemtjänst": about someone else
            cues.append(Cue(position, NEGATED, here))
        elif word in _NEGATION_DETERMINERS:
            cues.append(Cue(position, "determiner", here))
        elif word in _DECISION_WORDS:
            if word in _FATTA and not any(
                w.startswith("beslut") for w in words[max(0, position - 3) : position + 3]
            ):
                continue  # "fattat" without "beslut": not a decision
            if any(w in _DENIERS for w in words[max(0, position - 3) : position]):
                continue  # "något beslut har inte fattats": the negation speaks
            cues.append(Cue(position, _decided(words, clauses, position, year), here))
        elif (
            word in _PLANNED_WORDS
            or (
                word in _PLANNED_PHRASE_STARTS
                and _starts_phrase(words, position, _PLANNED_PHRASES)
                and not (word == "beslut" and _decision_taken(words, position))
            )
            or (word == "planerade" and following.startswith(_EFFORT_HEADS))
        ):
            before = words[max(0, position - 3) : position]
            if any(w in _DENIERS for w in before) or "obestämd" in words[position : position + 5]:
                continue  # "inga beslut om", "inte kunnat införas", "uppskjutet på obestämd tid"
            if word == "nästa" and previous == "för":
                cues.append(Cue(position, "period", here))  # "handlingsplanen för nästa år"
                continue
            weak = (
                # "som planerat": measured against a plan, not a plan; "som kommer att
                # användas" describes; but "de insatser som planeras" are planned
                (previous == "som" and word not in ("planeras", "planerats"))
                or (
                    word in ("ska", "skall")
                    and (
                        _subordinate(words, clauses, position)
                        or _required(words, clauses, position)
                    )
                )
                or any(c.kind == PLANNED and c.weak and position - c.position <= 2 for c in cues)
            )
            cues.append(Cue(position, PLANNED, here, weak=weak))
        elif word in _CONTAINING_WORDS and _in_planned_frame(cues, words, position, here):
            cues.append(Cue(position, PLANNED_AFTER, here))
        elif word == "obestämd" and following == "tid":
            cues.append(Cue(position, NEGATED, here))  # "skjutits upp på obestämd tid"
        elif word in _EXTENSION_WORDS:
            cues.append(Cue(position, "extension", here))
        elif (
            word in _ACTIVE_WORDS
            or (word in _ACTIVE_PHRASE_STARTS and _starts_phrase(words, position, _ACTIVE_PHRASES))
            or _is_perfect(words, position)
        ):
            if word in ("pågår", "pågick") and any(
                cue.kind == PLANNED and position - cue.position <= 2 for cue in cues
            ):
                continue  # "förberedelser pågår": the preparation, not the thing, is ongoing
            cues.append(Cue(position, ACTIVE, here, weak=word in ("har", "sedan")))
        elif year is not None and (match := _YEAR.match(word)):
            later = int(match.group(1)) > year
            if later and previous == "för":
                cues.append(Cue(position, "period", here))  # "verksamhetsplanen för 2024"
            elif later and previous not in ("år", "–", "-"):
                cues.append(Cue(position, PLANNED, here))
            elif not later and previous in ("sedan", "under", "i", "från"):
                cues.append(Cue(position, ACTIVE, here, weak=True))
    framed = any(cue.kind == PLANNED_AFTER for cue in cues)
    return SentenceCues(tuple(cues), tuple(clauses), framed)


def _decision_taken(words: list[str], position: int) -> bool:
    """Is "beslut" at ``position`` one already taken ("beslut har fattats om", "fattade
    beslut om")? The taken form is the cue then."""
    return any(w in _FATTA for w in words[max(0, position - 3) : position + 4])


def _decided(words: list[str], clauses: list[int], position: int, year: int | None) -> str:
    """The status a decision taken at ``position`` gives: ``planned`` when what it decides,
    in its clause, introduces something or names a later year, else ``active`` (a
    requirement in force)."""
    clause = clauses[position]
    for later in range(position + 1, len(words)):
        if clauses[later] != clause:
            break
        word = words[later]
        introduces = word in _INTRODUCING_WORDS and (
            word != "fram" or words[later - 1] in ("ta", "tas", "tagits")  # "ta fram"
        )
        dated_later = (
            year is not None
            and (match := _YEAR.match(word)) is not None
            and int(match.group(1)) > year
        ) or (word == "nästa" and words[later + 1 : later + 2] == ["år"])
        if introduces or dated_later:
            return PLANNED
    return ACTIVE


def _required(words: list[str], clauses: list[int], position: int) -> bool:
    """Does "ska" at ``position`` stand in the "att"-clause of a decision or requirement
    ("krav på att X ska beaktas", "beslutat att X ska finnas")? It describes the rule."""
    clause = clauses[position]
    for start in range(position - 1, max(-1, position - 10), -1):
        if clauses[start] != clause:
            return False
        if words[start] == "att" and any(
            w in _REQUIRING_WORDS for w in words[max(0, start - 4) : start]
        ):
            return True
    return False


#: Words after a "finns"/"ingår" that say the thing is there already.
_PRESENT_WORDS = frozenset({"redan", "nu", "idag", "sedan"})


def _in_planned_frame(cues: list[Cue], words: list[str], position: int, clause: int) -> bool:
    """Does the verb at ``position`` ("finns", "ingår", "omfattar") follow a planned frame in
    its clause: a plan ("Bland planerade aktiviteter finns", "Kommande insatser
    omfattar") or a later period ("I handlingsplanen för nästa år ingår")? Not when it
    says the thing is there: "finns redan", "finns i dag"."""
    following = words[position + 1 : position + 3]
    if following and (following[0] in _PRESENT_WORDS or following == ["i", "dag"]):
        return False
    return any(
        cue.clause == clause and not cue.weak and cue.kind in (PLANNED, "period") for cue in cues
    )


def _subordinate(words: list[str], clauses: list[int], position: int) -> bool:
    """Does "ska" at ``position`` stand in a clause that describes rather than plans?

    "hur vården ska vara", "vilka som ska", "för att fler läkare ska vilja", "i
    avvaktan på att programmet ska fastställas".
    """
    clause = clauses[position]
    for start in range(max(0, position - 8), position):
        if clauses[start] != clause:
            continue
        word = words[start]
        if word in ("avvaktan", "väntan"):
            return True
        if word == "för" and start + 1 < position and words[start + 1] == "att":
            return True
        if word in _SUBORDINATORS and position - start <= 4:
            return True
    return False


def _is_perfect(words: list[str], position: int) -> bool:
    """A supine after "har"/"hade", perhaps with one word between: "har också införts"."""
    word = words[position]
    if len(word) <= 4 or not word.endswith(_SUPINE_ENDINGS):
        return False
    before = words[max(0, position - 2) : position]
    return any(auxiliary in _PERFECT_AUXILIARIES for auxiliary in before)


def _starts_phrase(words: list[str], position: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
    return any(tuple(words[position : position + len(phrase)]) == phrase for phrase in phrases)


def match_status(found: SentenceCues, position: int, fallback: str = ACTIVE) -> str:
    """The status of a match at token ``position``, from its sentence's cues.

    * A negation in the match's clause ("inte", "saknas", "har pausats"), or
      "ingen/inga/inget" before it in its clause ("det finns ingen rutin för SIP"), makes
      it ``negated`` — unless the sentence also plans it ("har ännu inte införts men
      planeras till 2023" is ``planned``).
    * Otherwise the strongest cue nearest to the match, in its clause first, decides:
      a plan is ``planned``, unless what is planned is to extend, continue or spread
      (then the thing exists: ``active``).
    * Without cues, ``fallback``: a mention reports work in place (``active``), or, for
      a list item, what its lead-in says ("Under 2023 avser regionen att:").

    A "finns"/"ingår" after a planned frame plans what follows it only ("I
    handlingsplanen för nästa år ingår X": X is planned, the plan itself is not).
    """
    cues = found.cues
    if not cues:
        return fallback
    if found.framed:
        cues = tuple(
            cue._replace(kind=PLANNED) if cue.kind == PLANNED_AFTER else cue
            for cue in cues
            if cue.kind != PLANNED_AFTER or cue.position < position
        )
        found = found._replace(cues=cues, framed=False)
    clause = found.clauses[min(position, len(found.clauses) - 1)]
    in_clause = [cue for cue in cues if cue.clause == clause]
    negated = any(cue.kind == NEGATED for cue in in_clause) or any(
        _determiner_negates(found, cue, position) for cue in in_clause if cue.kind == "determiner"
    )
    planned = [cue for cue in cues if cue.kind == PLANNED and not cue.weak]
    extension = _extends(cues, planned, position)
    if negated:
        denial = min(
            (cue.position for cue in cues if cue.kind in (NEGATED, "determiner")), default=0
        )
        if any(cue.position > denial for cue in planned) and not extension:
            return PLANNED  # "har ännu inte införts men planeras till 2023"
        return NEGATED
    strong = [cue for cue in in_clause if cue.kind in (ACTIVE, PLANNED) and not cue.weak]
    if not strong:
        strong = [cue for cue in cues if cue.kind in (ACTIVE, PLANNED) and not cue.weak]
    if not strong:
        return fallback
    nearest = min(strong, key=lambda cue: (abs(cue.position - position), cue.position > position))
    if nearest.kind == PLANNED and not extension:
        return PLANNED
    return ACTIVE


def _extends(cues: tuple[Cue, ...], planned: list[Cue], position: int) -> bool:
    """Is the plan to extend, evaluate or revise the matched thing, so that it exists?

    The extension word must be governed by the plan ("planerar att utöka", "kommer att
    utvärderas") or stand right before the match ("en utvärdering av de mobila
    teamen"); an extension word that is the match itself extends nothing.
    """
    for cue in cues:
        if cue.kind != "extension" or cue.position == position:
            continue
        if 0 < position - cue.position <= 3:
            return True
        if any(0 < cue.position - plan.position <= 3 for plan in planned):
            return True
    return False


def planned_next(
    matches: list[MatchTuple], following: Sentence, year: int | None
) -> list[MatchTuple]:
    """A denial followed by a plan, in a sentence that names nothing else, is a plan:
    "Fast omsorgskontakt har ännu inte införts. Införandet planeras till hösten 2023."
    """
    if not any(match[1] == NEGATED for match in matches):
        return matches
    cues = sentence_cues(following.words, year).cues
    plans = any(cue.kind == PLANNED and not cue.weak for cue in cues)
    if not plans or any(cue.kind in (NEGATED, "determiner") for cue in cues):
        return matches
    return [(match[0], PLANNED, *match[2:]) if match[1] == NEGATED else match for match in matches]


def _determiner_negates(found: SentenceCues, cue: Cue, position: int) -> bool:
    """Does "ingen/inga/inget" at ``cue`` deny the match at ``position``?

    After a verb it does, up to eight words on: "det finns ingen rutin för SIP". As the
    subject it denies only what its verb says: "Ingen av kommunerna har infört X"
    denies X, but "Ingen patient i det mobila teamets målgrupp har behövt läggas in"
    does not deny the mobile team.
    """
    if not 0 < position - cue.position <= 8:
        return False
    if position - cue.position <= 2:
        return True  # "ingen SIP", "inga riktade hälsosamtal"
    starts_clause = cue.position == 0 or found.clauses[cue.position - 1] != cue.clause
    if not starts_clause:
        return True
    return any(
        other.kind == ACTIVE and cue.position < other.position < position for other in found.cues
    )


def combine(statuses: Iterable[str]) -> str:
    """Active over planned over negated; ``none`` when there is nothing."""
    return max(statuses, key=STATUS_RANK.__getitem__, default=NONE)
