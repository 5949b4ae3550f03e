"""Reading-comprehension examples from question sets over reports, for training the reader.

    python eval/make_report_mrc.py --out runs/report_mrc.json \\
        REPORT QUESTIONS.jsonl [REPORT QUESTIONS.jsonl …]

Each report (.txt, .md, .pdf or .docx) is read and cleaned as `qa build` reads it, and cut into
sentences as the index cuts them. An answerable question becomes the window the engine would
read around its answer (the answer's sentence and the one before it); it also gets, as no-answer
cases, the two windows of the report that share most words with it but do not hold its answer.
An unanswerable question gets its two closest windows, as no-answer cases. Yes/no questions are
left out (the reader finds spans; 是 is not one). Output: SQuAD JSON (`is_impossible` marks
no-answer cases).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.chunking import document_sentences  # noqa: E402
from qa.corpus import read_document  # noqa: E402
from qa.mrc_data import _SimilarParagraphs  # noqa: E402
from qa.passages import WINDOW_MAX_CHARS  # noqa: E402

NEGATIVES = 2


def windows_of(text: str, sentences) -> list[tuple[int, int]]:
    """(start, end) of each sentence's window: with the sentence before, if both fit."""
    out = []
    for i, s in enumerate(sentences):
        start = s.start
        if i and sentences[i - 1].doc_id == s.doc_id and s.end - sentences[i - 1].start <= WINDOW_MAX_CHARS:
            start = sentences[i - 1].start
        out.append((start, s.end))
    return out


def report_examples(report: Path, questions: Path) -> dict:
    doc, _ = read_document(report.name, report.read_bytes())
    text = doc.text
    sentences = document_sentences(doc)
    spans = windows_of(text, sentences)
    finder = _SimilarParagraphs([text[a:b] for a, b in spans])
    qas, contexts = [], {}

    def add(qid: str, question: str, window: tuple[int, int], answer: tuple[str, int] | None):
        context = text[window[0]:window[1]]
        entry = {"id": qid, "question": question, "is_impossible": answer is None,
                 "answers": [] if answer is None else
                 [{"text": answer[0], "answer_start": answer[1] - window[0]}]}
        contexts.setdefault(context, []).append(entry)

    kept = dropped = 0
    for line in questions.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        answers = [a for a in row.get("answers", []) if a != "是"]
        if row.get("answers") == ["是"] or row.get("type") == "yesno":
            continue
        if answers:
            at = _locate(text, row.get("evidence", ""), answers)
            if at is None:
                dropped += 1
                continue
            answer_text, start = at
            window = next(((a, b) for a, b in spans if a <= start and start + len(answer_text) <= b),
                          None)
            if window is None:
                dropped += 1
                continue
            add(row["id"], row["question"], window, (answer_text, start))
            kept += 1
            closest = finder.similar(row["question"], exclude=text[window[0]:window[1]], k=6)
            closest = [c for c in closest if answer_text not in c][:NEGATIVES]
        else:
            closest = finder.similar(row["question"], exclude="", k=NEGATIVES)
        for n, context in enumerate(closest):
            a = text.find(context)
            add(f"{row['id']}:neg{n}", row["question"], (a, a + len(context)), None)
    print(f"{report.name}: {kept} answerable kept, {dropped} not found in the clean text",
          file=sys.stderr)
    return {"title": report.stem,
            "paragraphs": [{"context": c, "qas": q} for c, q in contexts.items()]}


def _locate(text: str, evidence: str, answers: list[str]) -> tuple[str, int] | None:
    """The answer inside its evidence in the clean text (the first answer form found)."""
    at = text.find(evidence) if evidence else -1
    for answer in answers:
        if at >= 0:
            inner = evidence.find(answer)
            if inner >= 0:
                return answer, at + inner
        if text.count(answer) == 1:
            return answer, text.find(answer)
    return None


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("pairs", nargs="+", type=Path, help="REPORT QUESTIONS [REPORT QUESTIONS …]")
    args = p.parse_args(argv)
    if len(args.pairs) % 2:
        p.error("give pairs: a report file, then its question set")
    data = [report_examples(r, q) for r, q in zip(args.pairs[::2], args.pairs[1::2])]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"version": "report-mrc", "data": data}, ensure_ascii=False),
                        encoding="utf-8")
    n = sum(len(p["qas"]) for a in data for p in a["paragraphs"])
    print(f"{args.out}: {n} examples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
