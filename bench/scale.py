"""Index-only scale benchmark with synthetic vectors: FAISS flat vs HNSW (qa.build.make_dense_index)
at growing sizes: build time, query latency, recall@10 against flat, process memory (RSS).

    python bench/scale.py [--max-size 1000000] [--queries 200] [--seed 0]

Vectors are 384-d, L2-normalised, drawn around random centres (real sentence embeddings cluster;
uniform random vectors would be an unrealistically hard case for HNSW). Queries are noisy copies of
indexed vectors. Each search asks for 200 neighbours, as qa/retriever.py does (4 x its fusion
depth of 50), and recall@10 compares the top 10 with flat's exact top 10.
"""
from __future__ import annotations

import argparse
import gc
import statistics
import time

import numpy as np

DIMENSION = 384
SEARCH_DEPTH = 200
SIZES = (1_000, 10_000, 30_000, 100_000, 300_000, 1_000_000)


def rss_gib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 2**20
    return float("nan")


def synthetic_vectors(n: int, rng: np.random.Generator, block: int = 100_000) -> np.ndarray:
    """n unit vectors around n/100 random centres, made a block at a time (float32 throughout)."""
    centres = rng.standard_normal((max(1, n // 100), DIMENSION), dtype=np.float32)
    out = np.empty((n, DIMENSION), dtype=np.float32)
    for start in range(0, n, block):
        stop = min(n, start + block)
        x = centres[rng.integers(0, len(centres), stop - start)]
        x += 0.6 * rng.standard_normal(x.shape, dtype=np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        out[start:stop] = x
    return out


def timed_search(index, queries: np.ndarray) -> tuple[list[float], np.ndarray]:
    """One query at a time, as a question is answered; (latencies in ms, ids of the top 10)."""
    latencies, top = [], []
    for q in queries:
        t = time.perf_counter()
        _, ids = index.search(q[None, :], SEARCH_DEPTH)
        latencies.append((time.perf_counter() - t) * 1000)
        top.append(ids[0, :10])
    return latencies, np.stack(top)


def recall_at_10(found: np.ndarray, exact: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(e)) / 10 for f, e in zip(found, exact)]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import faiss

    from qa.build import make_dense_index
    from qa.index import HNSW_EF_SEARCH, HNSW_NEIGHBOURS

    rng = np.random.default_rng(args.seed)
    print(f"faiss {faiss.__version__}, {faiss.omp_get_max_threads()} threads; HNSW M="
          f"{HNSW_NEIGHBOURS}, efSearch={HNSW_EF_SEARCH}; search depth {SEARCH_DEPTH}; "
          f"start RSS {rss_gib():.2f} GiB")
    print("| vectors | index | build s | query p50 ms | query p95 ms | recall@10 | RSS GiB |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for n in [s for s in SIZES if s <= args.max_size]:
        vectors = synthetic_vectors(n, rng)
        picks = rng.integers(0, n, args.queries)
        queries = vectors[picks] + 0.3 * rng.standard_normal((args.queries, DIMENSION),
                                                             dtype=np.float32) / np.sqrt(DIMENSION)
        queries /= np.linalg.norm(queries, axis=1, keepdims=True)
        exact = None
        for kind in ("flat", "hnsw"):
            t = time.perf_counter()
            index = make_dense_index(vectors, kind)
            build = time.perf_counter() - t
            latencies, top = timed_search(index, queries)
            exact = top if kind == "flat" else exact
            print(f"| {n:,} | {kind} | {build:.2f} | {statistics.median(latencies):.2f} | "
                  f"{np.percentile(latencies, 95):.2f} | {recall_at_10(top, exact):.3f} | "
                  f"{rss_gib():.2f} |", flush=True)
            del index
            gc.collect()
        del vectors
        gc.collect()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
