"""Warm `ask` (retrieval + reading + checks + abstention) against a bare reader forward pass
the way Haystack's ExtractiveReader reads: the same base model with a QA head, over the top-3
retrieved passages, batched, 384 tokens. One engine, the two sides interleaved per question.

    python bench/reader.py [--corpus corpus] [--index index] [--limit 100]

Prints p50/p95 of each and the ratio ask p50 / bare p50 (issue 11's target: <= 0.5). `ask` reads
on the configured runtime (QA_READER_RUNTIME, onnx by default); the bare pass is always torch.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=None)
    p.add_argument("--index", type=Path, default=None)
    p.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl")
    p.add_argument("--limit", type=int, default=100)
    args = p.parse_args()

    import torch

    from qa.config import Config
    from qa.engine import Engine

    config = Config.from_env(corpus_dir=args.corpus, index_dir=args.index)
    engine = Engine.open(config, log=lambda m: print(m, file=sys.stderr), build_if_needed=True)
    lines = args.questions.read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()][:args.limit]
    engine.ask("预热问题：报告的标题是什么？")
    # The same weights as a torch model (built once on the side when ask runs on ONNX Runtime).
    model, tokenizer = engine.reader.torch_model(), engine.reader.tokenizer
    ask_times, bare_times = [], []
    for question in questions:
        passages = [h.chunk.text for h in engine.search(question, k=3)]
        t0 = time.perf_counter()
        with torch.inference_mode():
            batch = tokenizer([question] * len(passages), passages, truncation="only_second",
                              max_length=384, padding="max_length", return_tensors="pt")
            model(**batch)
        t1 = time.perf_counter()
        engine.ask(question)
        t2 = time.perf_counter()
        bare_times.append(t1 - t0)
        ask_times.append(t2 - t1)
    ask_p50, bare_p50 = statistics.median(ask_times), statistics.median(bare_times)
    print(f"questions: {len(questions)}, documents: {len(engine.index.documents)}, "
          f"torch threads: {torch.get_num_threads()}, reader runtime: {engine.reader.runtime}")
    print(f"ask   p50 {ask_p50 * 1000:.0f} ms  p95 {statistics.quantiles(ask_times, n=20)[18] * 1000:.0f} ms")
    print(f"bare  p50 {bare_p50 * 1000:.0f} ms  p95 {statistics.quantiles(bare_times, n=20)[18] * 1000:.0f} ms"
          "  (3 passages x 384 tokens, one batch)")
    print(f"ask / bare = {ask_p50 / bare_p50:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
