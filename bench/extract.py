"""Extractor throughput against plain spaCy, and memory across a stream of documents.

Usage: ``.venv/bin/python bench/extract.py [--words 50000] [--seed 1] [--memory-docs 400]``

The corpus is built from real sentences: the passages of ``../shared/eval/news_dev.jsonl``, the seed
article and ``tests/gold/*.jsonl``, split into sentences, shuffled (fixed seed) and regrouped into
French and English documents of about 150 words until ``--words`` words are reached (the sentences
repeat: the source holds only a few thousand words). The same documents go through

1. ``nlp.pipe`` of the plain spaCy model the extractor uses (``polkg.extractor.pipeline.MODELS``), and
2. ``Extractor().extract_stream`` (what ``polkg extract`` runs),

both in this process after a warm-up, best of ``--rounds`` interleaved rounds; the script prints words
per CPU second of this process (robust to other jobs on a shared machine) and per wall-clock second,
and their ratios (target >= 0.8). For reference it also times the command itself, ``polkg extract
--no-link`` on the same documents in a new process (model loading included, so slower on 50,000 words). Then it streams 4 x ``--memory-docs`` new documents through the extractor and
prints the resident memory after N, 2N and 4N documents: it must not grow with their number.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import spacy

from polkg.extractor import Extractor
from polkg.extractor.pipeline import MODELS
from polkg.model import Document

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DOC_WORDS = 150


def source_sentences() -> dict[str, list[str]]:
    """Sentences per language from the dev set, the seed and the project's gold files."""
    texts: list[tuple[str, str]] = []
    for path in [SHARED / "eval" / "news_dev.jsonl", *sorted((REPO / "tests" / "gold").glob("*.jsonl"))]:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    record = json.loads(line)
                    texts.append((record.get("lang", "en"), record["text"]))
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        texts.append(("fr", seed.read_text(encoding="utf-8")))
    out: dict[str, list[str]] = {"fr": [], "en": []}
    for lang, text in texts:
        for paragraph in text.splitlines():
            out[lang].extend(s for s in re.split(r"(?<=[.!?»\"”])\s+(?=[«\"“A-ZÀ-Ý])", paragraph) if s.strip())
    return out


def build_corpus(words: int, seed: int, min_docs: int = 0) -> list[Document]:
    """Documents of about DOC_WORDS words, alternating languages: ``words`` words and ``min_docs`` documents at least."""
    rng = random.Random(seed)
    pools = source_sentences()
    docs: list[Document] = []
    total = 0
    while total < words or len(docs) < min_docs:
        lang = ("fr", "en")[len(docs) % 2]
        body: list[str] = []
        while sum(len(s.split()) for s in body) < DOC_WORDS:
            body.append(rng.choice(pools[lang]))
        text = " ".join(body)
        docs.append(Document(id=f"bench-{len(docs)}", text=text, lang=lang, published=None))
        total += len(text.split())
    return docs


def word_count(docs: Iterable[Document]) -> int:
    return sum(len(d.text.split()) for d in docs)


def best_rates(runs: list[Callable[[], None]], words: int, rounds: int) -> list[tuple[float, float]]:
    """(words per CPU second, words per wall-clock second) of each run, best of ``rounds`` interleaved rounds.

    CPU time of this process is the fairer measure on a machine shared with other jobs; wall time is shown too.
    """
    cpu = [float("inf")] * len(runs)
    wall = [float("inf")] * len(runs)
    for _ in range(rounds):
        for i, run in enumerate(runs):
            gc.collect()
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            run()
            cpu[i] = min(cpu[i], time.process_time() - start_cpu)
            wall[i] = min(wall[i], time.perf_counter() - start_wall)
    return [(words / c, words / w) for c, w in zip(cpu, wall)]


def run_cli(docs: list[Document]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of ``polkg extract --no-link`` over the documents written as JSONL."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps({"id": d.id, "lang": d.lang, "text": d.text}) + "\n" for d in docs),
                          encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "polkg.cli", "extract", str(corpus), "--no-link"], check=True,
                       stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


def rss_mb() -> float:
    """Current resident set size of this process, in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-docs", type=int, default=400)
    args = parser.parse_args()

    docs = build_corpus(args.words, args.seed)
    by_lang = {lang: [d for d in docs if d.lang == lang] for lang in MODELS}
    words = word_count(docs)
    print(f"corpus: {len(docs)} documents, {words} words "
          f"({', '.join(f'{lang} {word_count(ds)}' for lang, ds in by_lang.items())}), seed {args.seed}")

    models = {lang: spacy.load(name) for lang, name in MODELS.items()}
    extractor = Extractor()
    for lang, ds in by_lang.items():  # warm-up: load everything, first-call costs
        list(models[lang].pipe(d.text for d in ds[:3]))
    list(extractor.extract_stream(docs[:6]))

    def raw() -> None:
        for lang, ds in by_lang.items():
            for _ in models[lang].pipe(d.text for d in ds):
                pass

    events = 0
    failures = 0

    def extract() -> None:
        nonlocal events, failures
        events = failures = 0
        for _, result in extractor.extract_stream(docs):
            if isinstance(result, Exception):
                failures += 1
            else:
                events += len(result)

    raw_rate, ext_rate = best_rates([raw, extract], words, args.rounds)
    print(f"plain spaCy nlp.pipe : {raw_rate[0]:7.0f} words/CPU-s {raw_rate[1]:7.0f} words/s wall "
          f"({', '.join(MODELS.values())})")
    print(f"Extractor stream     : {ext_rate[0]:7.0f} words/CPU-s {ext_rate[1]:7.0f} words/s wall "
          f"({events} events, {failures} failed documents)")
    print(f"ratio extractor/spaCy: {ext_rate[0] / raw_rate[0]:.2f} on CPU time, {ext_rate[1] / raw_rate[1]:.2f} on wall time "
          "(target >= 0.80)")
    cli_cpu, cli_wall = run_cli(docs)
    print(f"polkg extract --no-link (a new process, model loading included): {words / cli_cpu:7.0f} words/CPU-s "
          f"{words / cli_wall:7.0f} words/s wall")

    n = args.memory_docs
    checkpoints = {n, 2 * n, 4 * n}
    stream = build_corpus(0, args.seed + 1, min_docs=4 * n)  # documents not in the timed corpus
    gc.collect()
    rss = {0: rss_mb()}
    for count, _ in enumerate(extractor.extract_stream(stream), start=1):
        if count in checkpoints:
            gc.collect()
            rss[count] = rss_mb()
    print("RSS over a stream: " + ", ".join(f"{mb:.0f} MB after {count} docs" for count, mb in sorted(rss.items())))
    per_doc = (rss[4 * n] - rss[2 * n]) / (2 * n) * 1024
    print(f"RSS growth from {2 * n} to {4 * n} documents: {rss[4 * n] - rss[2 * n]:+.1f} MB ({per_doc:+.2f} KB/document)")

if __name__ == "__main__":
    main()
