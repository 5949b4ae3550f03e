"""Fit the answer confidence (qa/calibration.py) on question sets over several documents.

    python eval/calibrate.py --corpus DIR --index DIR \\
        zhengzhou=eval/questions.jsonl,eval/heldout.jsonl henan=eval/reports/henan.jsonl … \\
        [--cache runs/calibration-rows.jsonl] [--write]
    python eval/calibrate.py --cache runs/calibration-rows.jsonl [--write]   # refit, rows kept

Each GROUP=FILES names the question sets about one document (or one kind of data). Every
question is run through the engine up to the choice (answerer.consider); each candidate span no
check rules out is a row: its evidence, and whether its text is a right answer (never, for a
question the documents do not answer). A logistic model is fitted on all rows. Printed:
- the trade-off table: for each threshold, over all questions, answerable ones right / wrong /
  withheld and unanswerable ones answered;
- leave-one-group-out: the model fitted without a group, applied to it at the configured
  threshold: what a document never fitted on gets (with two groups or more).
Reading-comprehension data is a group like any other: a sample of DRCD dev apart from the
benchmark's articles (eval/mrc_benchmark.py --apart-from) over its own corpus and index. Its
rows go to their own --cache file, which is then appended to the reports' one (cat) for the fit.
--write stores the weights in qa/calibration.json. Yes/no questions are answered by their own
rule (yesno.py) and are left out here.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

THRESHOLDS = (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9)
L2 = 1.0


@dataclass
class Row:
    group: str
    question: str
    answerable: bool
    candidates: list[tuple[list[float], bool]]   # (evidence vector, right answer?)


def collect(args) -> list[Row]:
    from qa.answerer import consider
    from qa.config import Config
    from qa.engine import Engine
    from qa.evaluation import answer_correct
    from qa.question_set import load_questions
    from qa.language import YESNO

    config = Config.from_env(corpus_dir=args.corpus, index_dir=args.index)
    engine = Engine.open(config, log=lambda m: print(m, file=sys.stderr))
    rows = []
    for spec in args.groups:
        group, _, files = spec.partition("=")
        for path in files.split(","):
            for q in load_questions(Path(path)).questions:
                seen = consider(q.question, engine.retriever(), engine.reader, config)
                if seen.question.kind == YESNO:
                    continue
                rows.append(Row(group, q.question, q.answerable, [
                    (s.evidence.vector(), q.answerable and answer_correct(s.candidate.text, False,
                                                                         q.answers))
                    for s in seen.scored if not s.findings]))
            print(f"{group}: {path} done", file=sys.stderr)
    return rows


def fit(rows: list[Row]) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (a few features, exact enough).
    Each group weighs the same in total, so that the document with the most questions does not
    set the confidence for every other one (users bring their own reports)."""
    x = np.array([v for r in rows for v, _ in r.candidates], dtype=np.float64)
    y = np.array([c for r in rows for _, c in r.candidates], dtype=np.float64)
    per_group = Counter(r.group for r in rows for _ in r.candidates)
    weight = np.array([len(x) / (len(per_group) * per_group[r.group])
                       for r in rows for _ in r.candidates])
    x1 = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x1.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(x1 @ w, -30, 30)))
        grad = x1.T @ (weight * (p - y)) + L2 * np.r_[w[:-1], 0]
        hess = (x1 * (weight * p * (1 - p))[:, None]).T @ x1 \
            + L2 * np.diag(np.r_[np.ones(len(w) - 1), 0])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def decide(rows: list[Row], weights: np.ndarray, bias: float, threshold: float) -> dict:
    """What the engine would do with these weights at this threshold."""
    out = {"right": 0, "wrong": 0, "withheld": 0, "unanswerable": 0, "unanswerable_answered": 0}
    for r in rows:
        best = max((1 / (1 + np.exp(-(np.dot(weights, v) + bias))), ok)
                   for v, ok in r.candidates) if r.candidates else (0.0, False)
        answered = best[0] >= threshold
        if not r.answerable:
            out["unanswerable"] += 1
            out["unanswerable_answered"] += answered
        elif not answered:
            out["withheld"] += 1
        else:
            out["right" if best[1] else "wrong"] += 1
    n = len(rows)
    out["accuracy"] = round((out["right"] + out["unanswerable"] - out["unanswerable_answered"])
                            / n, 3) if n else None
    return out


def main(argv=None) -> int:
    from qa.calibration import FEATURES, WEIGHTS_FILE
    from qa.config import Config

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("groups", nargs="*", help="GROUP=FILE[,FILE…] (none when --cache has the rows)")
    p.add_argument("--corpus", type=Path)
    p.add_argument("--index", type=Path)
    p.add_argument("--cache", type=Path, help="rows are read from / written to this file")
    p.add_argument("--threshold", type=float, default=Config().answer_min_confidence)
    p.add_argument("--write", action="store_true", help=f"store the fit in {WEIGHTS_FILE.name}")
    args = p.parse_args(argv)
    if args.cache and args.cache.exists():
        rows = [Row(**json.loads(line)) for line in args.cache.read_text().splitlines()]
    elif not args.groups:
        p.error("name the question sets (GROUP=FILE…) or a --cache file that holds their rows")
    else:
        rows = collect(args)
        if args.cache:
            args.cache.parent.mkdir(parents=True, exist_ok=True)
            args.cache.write_text("".join(json.dumps(r.__dict__, ensure_ascii=False) + "\n"
                                          for r in rows))
    weights, bias = fit(rows)
    print("weights:", dict(zip(FEATURES, np.round(weights, 3))), "bias:", round(bias, 3))
    print(f"\n{'threshold':>9} {'right':>6} {'wrong':>6} {'withheld':>8} {'unans.answered':>15} "
          f"{'accuracy':>8}")
    for t in THRESHOLDS:
        d = decide(rows, weights, bias, t)
        print(f"{t:>9} {d['right']:>6} {d['wrong']:>6} {d['withheld']:>8} "
              f"{d['unanswerable_answered']:>7} of {d['unanswerable']:<5} {d['accuracy']:>8}")
    groups = sorted({r.group for r in rows})
    print(f"\nleave one group out, threshold {args.threshold}:")
    for g in groups if len(groups) > 1 else ():  # one group: nothing to leave it out of
        w, b = fit([r for r in rows if r.group != g])
        d = decide([r for r in rows if r.group == g], w, b, args.threshold)
        print(f"  {g:<14} right {d['right']:>4}  wrong {d['wrong']:>3}  withheld {d['withheld']:>3}"
              f"  unanswerable answered {d['unanswerable_answered']:>3} of {d['unanswerable']:<3}"
              f"  accuracy {d['accuracy']}")
    if args.write:
        WEIGHTS_FILE.write_text(json.dumps({
            "features": FEATURES, "weights": [round(float(w), 4) for w in weights],
            "bias": round(bias, 4), "fitted_at": datetime.now(timezone.utc).isoformat(
                timespec="seconds"),
            "fitted_on": {g: sum(r.group == g for r in rows) for g in groups},
            "command": "python eval/calibrate.py " + " ".join(sys.argv[1:]),
        }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nwritten to {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
