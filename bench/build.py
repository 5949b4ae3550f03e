"""Build benchmark: build time, chunks per second, and the ratio of a full build to a bare
`encode_document` over the same chunk texts (goal <= 1.15: everything but embedding < 15%).

    python bench/build.py [--corpus corpus] [--repeat 3]

Both are timed in the same run, alternately, with the model already loaded; best of N.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from qa.chunking import chunk_document
    from qa.config import Config
    from qa.corpus import load_corpus
    from qa.embedding import SentenceTransformerEmbedder
    from qa.index import build_index, indexed_text

    config = Config.from_env(corpus_dir=args.corpus)
    embedder = SentenceTransformerEmbedder(config, log=lambda m: print(m, file=sys.stderr))
    docs = load_corpus(config.corpus_dir, warn=lambda m: None)
    texts = [indexed_text(c) for d in docs for c in chunk_document(d)]
    model = embedder._model
    model.encode_document(texts[:4])  # warm-up

    builds, bares = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            summary = build_index(config.replace(index_dir=Path(tmp) / "index"), embedder,
                                  log=lambda m: None)
            builds.append(time.perf_counter() - t)
        t = time.perf_counter()
        model.encode_document(texts, batch_size=config.embed_batch_size, normalize_embeddings=True)
        bares.append(time.perf_counter() - t)

    build, bare = min(builds), min(bares)
    print(f"documents {summary.documents}, chunks {summary.chunks}")
    print(f"build (best of {args.repeat}): {build:.3f} s, {summary.chunks / build:.1f} chunks/s")
    print(f"bare encode_document:       {bare:.3f} s")
    print(f"ratio build / bare encode:  {build / bare:.3f}  (goal <= 1.15)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
