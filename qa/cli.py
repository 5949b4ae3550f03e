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


def _config(args):
    from .config import Config

    return Config.from_env(corpus_dir=getattr(args, "corpus", None), index_dir=args.index,
                           model=args.model)


def cmd_build(args) -> int:
    """从 corpus/ 中的 .txt/.md 文件构建索引。例：qa build --corpus corpus --index index"""
    from .engine import Engine, tqdm_progress

    engine = Engine(_config(args))
    summary = engine.rebuild(progress=tqdm_progress())
    print(summary.line())
    return 0


def cmd_search(args) -> int:
    """检索最相关的段落。例：qa search "2020年专利申请量是多少" -k 3"""
    from .engine import Engine
    from .question import clean_question

    config = _config(args)
    question = clean_question(args.question, config.max_question_chars)
    engine = Engine.open(config)
    hits = engine.search(question, k=args.k, mode=args.retriever)
    if args.json:
        print(json.dumps([_hit_json(h) for h in hits], ensure_ascii=False, indent=2))
        return 0
    for rank, hit in enumerate(hits, start=1):
        c = hit.chunk
        print(f"[{rank}] {c.doc_id} · {c.section} · 字符 {c.start}–{c.end}  "
              f"融合 {hit.score:.4f}  向量 #{hit.dense_rank or '-'} ({hit.dense_score:.3f})  "
              f"词法 #{hit.lexical_rank or '-'} ({hit.lexical_score:.2f})")
        print("    " + c.text.replace("\n", " "))
    return 0


def _hit_json(hit) -> dict:
    c = hit.chunk
    return {"chunk_id": c.id, "doc_id": c.doc_id, "section": c.section, "start": c.start,
            "end": c.end, "text": c.text, "score": hit.score, "dense_rank": hit.dense_rank,
            "lexical_rank": hit.lexical_rank, "dense_score": hit.dense_score,
            "lexical_score": hit.lexical_score}


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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except QAError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
