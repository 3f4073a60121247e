"""Tagging throughput on one core, in words per second, on a corpus this script makes.

    python benchmarks/tagging.py [--taxonomy FILE] [--words 300000]

The corpus is built from sentence parts in the style of the reports, combined at
random (fixed seed) so that the vocabulary is varied, like a year's reports: many
distinct word forms, compounds and inflections. Prints the corpus size, the
distinct words, and words per second for a cold tagger (empty caches) and a warm
one (the same tagger again). Target: at least 150,000 words per second.
"""

from __future__ import annotations

import argparse
import random
import time

from nvreport.tagging.tagger import Tagger
from nvreport.tagging.taxonomy import load_taxonomy

SUBJECTS = [
    "Regionen", "Kommunen", "Vårdcentralen i {ort}", "Länets kommuner", "Förvaltningen",
    "Närsjukvårdsteamet i {ort}", "Hälsocentralen", "Primärvården", "Socialtjänsten",
]  # fmt: skip
VERBS = [
    "har infört", "planerar att införa", "erbjuder", "har ännu inte påbörjat", "avser att utveckla",
    "har under {år} genomfört", "kommer att pröva", "arbetar vidare med", "har utvärderat",
]  # fmt: skip
OBJECTS = [
    "fast vårdkontakt för patienter med kroniska sjukdomar",
    "patientkontrakt för personer med stora vårdbehov",
    "mobila team som besöker sköra äldre i hemmet",
    "riktade hälsosamtal för invånare som fyller 40 år",
    "fysisk aktivitet på recept inom rehabiliteringen",
    "digitala vårdmöten och chatt via 1177",
    "en gemensam plan för primärvårdens utveckling",
    "ledarskapsutbildning för första linjens chefer",
    "samordnad individuell plan för barn och unga",
    "trygghetslarm och digital tillsyn nattetid",
    "en lärande uppföljning med gemensamma indikatorer",
    "brukarråd och patientråd i utvecklingsarbetet",
    "vardagsrehabilitering efter sjukhusvistelse",
    "personcentrerat arbetssätt i hälso- och sjukvården",
    "kompetensförsörjning av specialistsjuksköterskor",
    "lokaler och fastighetsunderhåll i {ort}",
]  # fmt: skip
TAILS = [
    "", " i samverkan med kommunerna", " under hösten", " vid {n} enheter",
    " enligt den regionala handlingsplanen", " med stöd av stimulansmedel",
]  # fmt: skip
PLACES = ["Växjö", "Ljungby", "Alvesta", "Tingsryd", "Kiruna", "Luleå", "Ystad", "Borås", "Flen"]


def make_corpus(words: int, seed: int = 2022) -> list[str]:
    rng = random.Random(seed)
    passages: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(1, 4)):
            sentence = (
                " ".join([rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)])
                + rng.choice(TAILS)
                + "."
            )
            sentence = sentence.format(
                ort=rng.choice(PLACES), år=rng.choice(["2021", "2022"]), n=rng.randint(2, 40)
            )
            # vary the vocabulary as real text does: numbers and invented compounds
            project = f"{rng.choice(PLACES).lower()}projektet{rng.randint(1, 500)}"
            sentence += f" Insats nr {rng.randint(1, 9999)} omfattar {project}."
            sentences.append(sentence)
        passage = " ".join(sentences)
        passages.append(passage)
        count += len(passage.split())
    return passages


def measure(tagger: Tagger, passages: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    matches = sum(len(found) for found in tagger.tag_many(passages, [2022] * len(passages)))
    return time.perf_counter() - start, matches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taxonomy", default=None, help="taxonomy file (default: bundled)")
    parser.add_argument("--words", type=int, default=300_000)
    options = parser.parse_args()
    taxonomy = load_taxonomy(options.taxonomy)
    passages = make_corpus(options.words)
    words = sum(len(passage.split()) for passage in passages)
    distinct = len({word for passage in passages for word in passage.split()})
    print(f"corpus: {len(passages)} passages, {words} words, {distinct} distinct words")
    print(f"taxonomy: {taxonomy.version}, {len(taxonomy.entries)} themes and facet values")
    start = time.perf_counter()
    tagger = Tagger(taxonomy)
    tagger.warm_up()
    seconds = time.perf_counter() - start
    print(f"start-up (taxonomy compiled, lemma dictionary loaded): {seconds:.2f} s")
    for label in ("cold", "warm"):
        seconds, matches = measure(tagger, passages)
        print(f"{label}: {seconds:.2f} s, {words / seconds:,.0f} words/s, {matches} matches")


if __name__ == "__main__":
    main()
