"""The same questions answered from the .txt and from a typeset multi-page PDF of the same report
(issue 13's target: answer accuracy within 2 points, quote@1 within 3, every PDF quote on the
right page).

    python bench/pdf_quality.py [--corpus corpus] [--questions eval/questions.jsonl ...]
                                [--font-size 11] [--work /tmp/pdf-quality]

It typesets corpus/'s report as a PDF (bench/typeset.py: justified lines, page breaks mid-sentence,
a running header, page numbers), builds one index from the .txt and one from the PDF with
`qa build`, runs `qa eval --json --output` on each question set against both, and checks the
page of every quote from the PDF against the page PDFium puts the quote's first character on.
Needs reportlab (`pip install -e ".[test]"`).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from typeset import report_blocks, typeset  # bench/ is on the path when run as a script


def qa(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "qa", *args], cwd=ROOT, capture_output=True,
                          text=True)
    if done.returncode != 0:
        sys.exit(f"qa {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def body_pages(pdf: Path, drop: set[str]) -> list[int]:
    """The page of each non-space body character, in reading order, as PDFium reads the file
    (the running header and the — n — page numbers left out)."""
    import pypdfium2 as pdfium

    pages = []
    for number, page in enumerate(pdfium.PdfDocument(str(pdf)), start=1):
        for line in page.get_textpage().get_text_range().splitlines():
            line = line.strip()
            if line and line not in drop and not line.startswith("—"):
                pages.extend(number for ch in line if not ch.isspace())
    return pages


def check_pages(output: Path, index_dir: Path, pages: list[int]) -> tuple[int, list[str]]:
    """How many PDF quotes were checked, and the ones on a wrong page."""
    docs = {}
    for line in (index_dir / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        docs[row["id"]] = row["text"]
    checked, wrong = 0, []
    for line in output.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for source in row.get("quote_sources", []):
            text = docs[source["doc_id"]]
            expected = pages[len("".join(text[:source["start"]].split()))]
            checked += 1
            if source["page"] != expected:
                wrong.append(f"{row['id']}: 第{source['page']}页, PDF 里在第{expected}页: "
                             f"{text[source['start']:source['end']][:40]}")
    return checked, wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--questions", type=Path, nargs="+",
                        default=[ROOT / "eval" / "questions.jsonl"])
    parser.add_argument("--font-size", type=float, default=11)
    parser.add_argument("--work", type=Path, default=Path("/tmp/pdf-quality"))
    args = parser.parse_args()

    from qa.corpus import load_corpus

    [report] = load_corpus(args.corpus, warn=lambda m: None)
    source = next(p for p in args.corpus.iterdir() if p.name == report.id)
    txt_corpus, pdf_corpus = args.work / "txt", args.work / "pdf"
    for folder in (txt_corpus, pdf_corpus):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
    (txt_corpus / source.name).write_bytes(source.read_bytes())
    pdf = pdf_corpus / f"{source.stem}.pdf"
    header = report.title
    drawn = typeset(pdf, report_blocks(report), header=header, font_size=args.font_size)
    print(f"PDF: {pdf} ({max(max(p) for p in drawn)} pages, font {args.font_size} pt)")

    for name, corpus in (("txt", txt_corpus), ("pdf", pdf_corpus)):
        print(qa("build", "--corpus", str(corpus), "--index", str(args.work / f"index-{name}"))
              .strip())
    pages = body_pages(pdf, {header})
    print(f"\n| question set | n | accuracy txt | accuracy pdf | Δ | quote@1 txt | quote@1 pdf | Δ "
          f"| PDF quotes on the right page |")
    print("|---|---|---|---|---|---|---|---|---|")
    failures = []
    for questions in args.questions:
        metrics = {}
        for name, corpus in (("txt", txt_corpus), ("pdf", pdf_corpus)):
            output = args.work / f"{questions.stem}-{name}.jsonl"
            metrics[name] = json.loads(qa("eval", str(questions), "--json", "--output", str(output),
                                          "--corpus", str(corpus),
                                          "--index", str(args.work / f"index-{name}")))
        checked, wrong = check_pages(args.work / f"{questions.stem}-pdf.jsonl",
                                     args.work / "index-pdf", pages)
        failures += wrong
        t, p = metrics["txt"], metrics["pdf"]
        print(f"| {questions.name} | {t['n']} | {t['answer_accuracy']:.3f} | "
              f"{p['answer_accuracy']:.3f} | {100 * (p['answer_accuracy'] - t['answer_accuracy']):+.1f} | "
              f"{t['quote_at_1']:.3f} | {p['quote_at_1']:.3f} | "
              f"{100 * (p['quote_at_1'] - t['quote_at_1']):+.1f} | {checked - len(wrong)}/{checked} |")
    for line in failures:
        print("wrong page:", line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
