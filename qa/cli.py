"""Command line: `qa build | search | ask | eval | serve` (also `python -m qa`).

Heavy libraries are imported inside the commands, so `qa --help` answers at once.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .errors import QAError


def _common(parser: argparse.ArgumentParser, corpus: bool = True) -> None:
    if corpus:
        parser.add_argument("--corpus", type=Path, help="语料目录（默认 corpus/，或 QA_CORPUS_DIR）")
    parser.add_argument("--index", type=Path, help="索引目录（默认 index/，或 QA_INDEX_DIR）")
    parser.add_argument("--model", help="嵌入模型：sentence-transformers 名称或本地路径"
                                        "（默认离线的 multilingual-e5-small，或 QA_MODEL）")
    parser.add_argument("--reader", help="阅读模型：本地 transformers 问答模型目录"
                                         "（默认随包的 qa/models/reader，或 QA_READER）")


def _config(args):
    from .config import Config

    return Config.from_env(corpus_dir=getattr(args, "corpus", None), index_dir=args.index,
                           model=args.model, reader=getattr(args, "reader", None))


def cmd_build(args) -> int:
    """从 corpus/ 中的报告文件（.txt/.md/.pdf/.docx）构建索引；只重新读取和嵌入有变化的文件，
    无法读取的文件（扫描件、加密、损坏、过大）逐个说明原因并跳过。
    例：qa build --corpus corpus --index index"""
    from .engine import Engine, tqdm_files, tqdm_progress

    engine = Engine(_config(args))
    summary = engine.rebuild(progress=tqdm_progress(), on_file=tqdm_files())
    print(summary.line())
    for line in summary.skipped:
        print(f"  跳过 {line}")
    return 0


def _where(doc_id: str, section: str, page: int | None, start: int, end: int) -> str:
    """文档 · 章节 · 第3页 · 字符 a–b (the page for paged files only)."""
    page_part = f" · 第{page}页" if page else ""
    return f"{doc_id} · {section}{page_part} · 字符 {start}–{end}"


def cmd_search(args) -> int:
    """检索最相关的段落。例：qa search "2020年专利申请量是多少" -k 3"""
    from .engine import Engine
    from .question import clean_question

    config = _config(args)
    question = clean_question(args.question, config.max_question_chars)
    engine = Engine.open(config)
    hits = engine.search(question, k=args.k, mode=args.retriever)
    pages = [engine.index.page_at(h.chunk.doc_id, h.chunk.start) for h in hits]
    if args.json:
        print(json.dumps([{**h.to_json(), "page": page} for h, page in zip(hits, pages)],
                         ensure_ascii=False, indent=2))
        return 0
    for rank, (hit, page) in enumerate(zip(hits, pages), start=1):
        c = hit.chunk
        print(f"[{rank}] {_where(c.doc_id, c.section, page, c.start, c.end)}  "
              f"融合 {hit.score:.4f}  向量 #{hit.dense_rank or '-'} ({hit.dense_score:.3f})  "
              f"词法 #{hit.lexical_rank or '-'} ({hit.lexical_score:.2f})")
        print("    " + c.text.replace("\n", " "))
    return 0


def cmd_ask(args) -> int:
    """用中文提问，得到简短答案、报告原文引文和出处。例：qa ask "2020年高新区专利申请量达到多少件？"
    追问时用 --previous 给出上一个问题：qa ask "那广东呢？" --previous "河南去年粮食产量是多少？"
    """
    from .engine import Engine
    from .question import clean_question

    config = _config(args)
    question = clean_question(args.question, config.max_question_chars)  # before any loading
    previous = clean_question(args.previous, config.max_question_chars) if args.previous else None
    engine = Engine.open(config)
    answer = engine.ask(question, previous=previous, mode=args.retriever)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return 0
    if answer.understood_as and answer.understood_as != answer.question:
        print(f"问题理解为：{answer.understood_as}")
    if answer.abstained:
        print(answer.message)
        print(f"（置信度 {answer.confidence:.2f}）以下是最接近的段落，并非答案：")
    else:
        print(f"答案：{answer.text}    （置信度 {answer.confidence:.2f}）")
    for quote in answer.quotes:
        before, marked, after = quote.parts()
        text = f"{before}【{marked}】{after}" if marked else before + after
        print("  「" + text.replace("\n", " ") + "」")
        print(f"    —— {_where(quote.doc_id, quote.section, quote.page, quote.start, quote.end)}")
    return 0


def cmd_eval(args) -> int:
    """用问题集评测检索与回答（命中率、答案准确率、拒答、延迟）。
    例：qa eval eval/questions.jsonl --retriever all --report eval/results"""
    from tqdm import tqdm

    from .engine import Engine
    from .eval_report import format_runs, write_report
    from .evaluation import evaluate
    from .question_set import load_questions
    from .retriever import MODES

    question_set = load_questions(args.questions)
    for problem in question_set.problems:
        print(f"注意：{problem}", file=sys.stderr)
    questions = question_set.questions
    engine = Engine.open(_config(args))
    started = time.perf_counter()
    runs = []
    for mode in (MODES if args.retriever == "all" else (args.retriever,)):
        with tqdm(total=len(questions), desc=f"评测 {mode}", unit="题", file=sys.stderr,
                  leave=False) as bar:
            runs.append(evaluate(engine, questions, mode, progress=bar.update))
    wall_seconds = time.perf_counter() - started

    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with args.output.open("w", encoding="utf-8") as fh:
            for run in runs:
                for result in run.results:
                    fh.write(json.dumps(result.to_json(run.mode), ensure_ascii=False) + "\n")
        print(f"逐题结果已写入 {args.output}", file=sys.stderr)
    if args.report:
        written = write_report(args.report, runs, model_id=engine.model_id,
                               index_dir=engine.config.index_dir, questions_path=args.questions,
                               problems=question_set.problems, wall_seconds=wall_seconds)
        print(f"评测报告已写入 {written[0]}", file=sys.stderr)
    if args.json:
        metrics = {run.mode: run.metrics.to_json() for run in runs}
        out = metrics if args.retriever == "all" else metrics[args.retriever]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(format_runs(runs), end="")
    return 0


def cmd_serve(args) -> int:
    """启动网页问答（Gradio）；索引缺失或过期时先构建。管理令牌用环境变量 QA_ADMIN_TOKEN 设置。
    例：qa serve --port 7860   然后打开 http://127.0.0.1:7860/ 提问“2020年专利申请量是多少？”"""
    from .webapp import serve

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"注意：服务监听 {args.host}，网络上的其他机器也能访问", file=sys.stderr)
    serve(_config(args), host=args.host, port=args.port, examples_path=args.examples)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa", description="报告问答：用中文提问，从报告原文中找到答案和出处。",
        epilog="例：qa build && qa ask \"2020年高新区专利申请量达到多少件？\"")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("build", help="构建/更新索引", description=cmd_build.__doc__)
    _common(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("search", help="检索相关段落", description=cmd_search.__doc__)
    p.add_argument("question", help="问题")
    p.add_argument("-k", type=int, default=5, help="返回段落数（默认 5）")
    p.add_argument("--retriever", choices=("hybrid", "dense", "lexical"), default="hybrid")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    _common(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="提问并得到带引文的答案", description=cmd_ask.__doc__)
    p.add_argument("question", help="问题")
    p.add_argument("--previous", help="上一个问题（追问时用，如对“那广东呢？”给出“河南去年粮食产量是多少？”）")
    p.add_argument("--retriever", choices=("hybrid", "dense", "lexical"), default="hybrid")
    p.add_argument("--json", action="store_true", help="输出 JSON（与网页 /ask 接口相同）")
    _common(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="用问题集评测", description=cmd_eval.__doc__)
    p.add_argument("questions", type=Path, help="问题集（JSON Lines，如 eval/questions.jsonl）")
    p.add_argument("--retriever", choices=("hybrid", "dense", "lexical", "all"), default="hybrid",
                   help="检索方式；all 依次评测三种并对比（默认 hybrid）")
    p.add_argument("--json", action="store_true", help="只输出指标 JSON")
    p.add_argument("--output", type=Path, help="逐题结果写入此 JSON Lines 文件")
    p.add_argument("--report", type=Path, help="把 report.md 和图表写入此目录")
    _common(p)
    p.set_defaults(func=cmd_eval)
    # Listed for `qa --help`; main() hands its arguments to qa/train_reader.py.
    sub.add_parser("train-reader", help="训练阅读模型（qa train-reader --help 查看参数）")
    p = sub.add_parser("serve", help="启动网页问答", description=cmd_serve.__doc__)
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认只在本机 127.0.0.1）")
    p.add_argument("--port", type=int, default=7860, help="端口（默认 7860）")
    p.add_argument("--examples", type=Path, default=Path("eval") / "questions.jsonl",
                   help="示例问题取自此问题集（默认 eval/questions.jsonl）")
    _common(p)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["train-reader"]:  # its own options, --help included (qa/train_reader.py)
        from .train_reader import main as train

        return train(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except QAError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
