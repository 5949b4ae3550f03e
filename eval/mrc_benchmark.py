"""A reading-comprehension set as an open corpus: every passage indexed together, every question
asked of the whole corpus through the engine (retrieval + reader), scored with the set's own
EM/F1 definitions (CMRC 2018's script; qa/mrc_metrics.py). An abstention scores 0.

    python eval/mrc_benchmark.py ../shared/data/mrc/DRCD_dev.json --out runs/drcd_dev \\
        [--questions 500] [--seed 0] [--apart-from OTHER/questions.jsonl]
    qa build --corpus runs/drcd_dev/corpus --index runs/drcd_dev/index
    qa eval runs/drcd_dev/questions.jsonl --corpus runs/drcd_dev/corpus \\
        --index runs/drcd_dev/index --json        # "em" and "f1" are the scores

The corpus holds one Markdown file per article (its title as the heading, its paragraphs
below), so every passage of the set is there, whether or not a question is sampled from it.
Each question's `evidence` is the sentence of its paragraph that holds the answer (for hit@k).
--apart-from leaves out every article that a question of another sample comes from: a second
sample over the same corpus that shares no article with the first (eval/calibrate.py fits on
one, the benchmark is the other).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.chunking import sentence_spans  # noqa: E402
from qa.mrc_data import load_squad  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("squad", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--questions", type=int, default=0, help="sample this many (0: all)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--apart-from", type=Path,
                   help="questions.jsonl of another sample: leave out the articles it asks about")
    args = p.parse_args(argv)

    data = json.loads(args.squad.read_text(encoding="utf-8"))["data"]
    corpus = args.out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for n, article in enumerate(data):
        title = (article.get("title") or f"article-{n}").strip()
        body = "\n\n".join(p["context"].strip() for p in article["paragraphs"])
        (corpus / f"{n:04d}-{_safe(title)}.md").write_text(f"# {title}\n\n{body}\n",
                                                           encoding="utf-8")
    examples = [e for e in load_squad(args.squad) if e.answerable]
    if args.apart_from:
        taken = {json.loads(line)["id"] for line in args.apart_from.read_text(
            encoding="utf-8").splitlines() if line.strip()}
        titles = {e.title for e in examples if e.id in taken}
        examples = [e for e in examples if e.title not in titles]
    if args.questions:
        examples = random.Random(args.seed).sample(examples, min(args.questions, len(examples)))
    with open(args.out / "questions.jsonl", "w", encoding="utf-8") as f:
        for e in examples:
            first = e.answers[0]
            sentence = next((e.context[s.start:s.end] for s in sentence_spans(e.context)
                             if s.start <= first.start < s.end
                             and first.start + len(first.text) <= s.end), first.text)
            f.write(json.dumps({"id": e.id, "question": e.question,
                                "answers": list(dict.fromkeys(a.text for a in e.answers)),
                                "evidence": sentence, "type": args.squad.stem},
                               ensure_ascii=False) + "\n")
    print(f"{len(data)} articles → {corpus}; {len(examples)} questions → "
          f"{args.out / 'questions.jsonl'}", file=sys.stderr)
    return 0


def _safe(title: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", title)[:40]


if __name__ == "__main__":
    sys.exit(main())
