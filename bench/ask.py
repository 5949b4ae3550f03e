"""Ask benchmark: warm `ask` latency p50/p95 over the question set, and its ratio to a bare
`encode_query` of the same questions (goal <= 1.3), both measured in this run.

    python bench/ask.py [--index index] [--limit 100]
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl")
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()

    from qa.config import Config
    from qa.engine import Engine

    config = Config.from_env(index_dir=args.index)
    engine = Engine.open(config, log=lambda m: print(m, file=sys.stderr), build_if_needed=True)
    lines = args.questions.read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()][:args.limit]
    model = engine.embedder._model
    engine.ask(questions[0])
    model.encode_query(questions[:1])  # warm-up

    asks, bares = [], []
    for question in questions:  # interleaved, so drift on a shared machine hits both alike
        t = time.perf_counter()
        engine.ask(question)
        asks.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        model.encode_query([question], normalize_embeddings=True)
        bares.append((time.perf_counter() - t) * 1000)

    print(f"questions: {len(questions)}")
    print(f"ask          p50 {percentile(asks, .5):7.1f} ms   p95 {percentile(asks, .95):7.1f} ms")
    print(f"encode_query p50 {percentile(bares, .5):7.1f} ms   p95 {percentile(bares, .95):7.1f} ms")
    print(f"ratio ask / encode_query (p50): {statistics.median(asks) / statistics.median(bares):.2f}"
          "  (goal <= 1.3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
