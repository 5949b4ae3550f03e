"""Build throughput by file format: the same reports as .docx, as a typeset .pdf and as .txt
(issue 13's target: a PDF or Word build within 1.2x of the same text as .txt).

    python bench/formats.py [--reports ../shared/data/reports] [--count 3] [--repeat 3]

The .txt holds the text read from the .docx, and the PDF is that text typeset over many pages
(bench/typeset.py), so every format gives the same sentences to embed. Each full build starts from
an empty index (nothing reused), the model loaded once before timing, the formats interleaved;
the median of the repeats is reported. Also timed: reading alone (what the format costs) and a
rebuild with nothing changed (files are not read again). Needs reportlab.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from typeset import report_blocks, typeset  # bench/ is on the path when run as a script

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("txt", "docx", "pdf")


def make_corpora(reports: list[Path], work: Path) -> dict[str, Path]:
    from qa.corpus import read_document

    corpora = {fmt: work / fmt for fmt in FORMATS}
    for folder in corpora.values():
        folder.mkdir(parents=True)
    for path in reports:
        doc, _ = read_document(path.name, path.read_bytes())
        shutil.copy(path, corpora["docx"] / path.name)
        (corpora["txt"] / f"{path.stem}.txt").write_text(doc.text, encoding="utf-8")
        typeset(corpora["pdf"] / f"{path.stem}.pdf", report_blocks(doc), header=doc.title,
                font_size=12)
    return corpora


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, default=ROOT.parent / "shared" / "data" / "reports")
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from qa.config import Config
    from qa.corpus import read_corpus
    from qa.embedding import make_embedder
    from qa.build import build_index

    reports = sorted(args.reports.glob("*.docx"))[: args.count]
    work = Path(tempfile.mkdtemp(prefix="bench-formats-"))
    corpora = make_corpora(reports, work)
    config = Config.from_env()
    embedder = make_embedder(config, log=lambda m: print(m, file=sys.stderr))
    embedder.embed_documents(["预热"])
    quiet = lambda m: None  # noqa: E731

    sizes, sentences, reads, builds, unchanged = {}, {}, {}, {}, {}
    for fmt, corpus in corpora.items():
        sizes[fmt] = sum(p.stat().st_size for p in corpus.iterdir()) / 1e6
        reads[fmt], builds[fmt], unchanged[fmt] = [], [], []
    for repeat in range(args.repeat):
        order = FORMATS[repeat % 3:] + FORMATS[: repeat % 3]
        for fmt in order:
            started = time.perf_counter()
            read_corpus(corpora[fmt], warn=quiet)
            reads[fmt].append(time.perf_counter() - started)

            index_dir = work / f"index-{fmt}"
            shutil.rmtree(index_dir, ignore_errors=True)
            cfg = config.replace(corpus_dir=corpora[fmt], index_dir=index_dir)
            started = time.perf_counter()
            summary = build_index(cfg, embedder, log=quiet)
            builds[fmt].append(time.perf_counter() - started)
            sentences[fmt] = summary.embedded + summary.reused
            started = time.perf_counter()
            build_index(cfg, embedder, log=quiet)
            unchanged[fmt].append(time.perf_counter() - started)

    load = os.getloadavg()[0]
    base = statistics.median(builds["txt"])
    print(f"{len(reports)} reports ({', '.join(p.stem for p in reports)}), {args.repeat} repeats, "
          f"model {embedder.model_id}, load {load:.1f}\n")
    print("| format | MB | sentences | read only | full build (median) | build / txt | "
          "rebuild, nothing changed |")
    print("|---|---|---|---|---|---|---|")
    for fmt in FORMATS:
        build = statistics.median(builds[fmt])
        print(f"| {fmt} | {sizes[fmt]:.2f} | {sentences[fmt]} | {min(reads[fmt]):.2f} s | "
              f"{build:.2f} s | {build / base:.2f} | {statistics.median(unchanged[fmt]):.2f} s |")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
