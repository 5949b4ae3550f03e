"""Showing evaluation runs: a terminal table, a Markdown report and PNG charts.

Charts use matplotlib's Agg backend, imported only when a report is written. Their labels are
Chinese only if a CJK font is installed (`fc-list :lang=zh`); otherwise they are ASCII, so no
glyph is drawn as an empty box.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Sequence

from . import __version__
from .evaluation import EvalRun, Metrics, hit_at_k

# (field, Chinese header) in table order.
COLUMNS = (("n", "题数"), ("answer_accuracy", "答案准确率"), ("answerable_accuracy", "可答准确率"),
           ("wrong_rate", "答错率"), ("quote_at_1", "引文@1"),
           ("hit_at_1", "hit@1"), ("hit_at_3", "hit@3"), ("hit_at_5", "hit@5"), ("mrr", "MRR"),
           ("em", "EM"), ("f1", "F1"), ("abstain_precision", "拒答P"), ("abstain_recall", "拒答R"),
           ("latency_ms_p50", "p50毫秒"), ("latency_ms_p95", "p95毫秒"))
RETRIEVER_NAMES = {"hybrid": "混合", "dense": "向量", "lexical": "词法"}


def _cell(name: str, value) -> str:
    if value is None:
        return "–"
    if name == "n":
        return str(value)
    if name.startswith("latency"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def _rows(metrics: Metrics) -> list[tuple[str, Metrics]]:
    return [("总体", metrics)] + sorted(metrics.by_type.items())


# -- terminal ----------------------------------------------------------------------------------

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, left: bool = False) -> str:
    space = " " * (width - _width(text))
    return text + space if left else space + text


def format_table(metrics: Metrics) -> str:
    """Overall and per-type metrics as an aligned plain-text table (CJK counted double width)."""
    header = ["类型"] + [title for _, title in COLUMNS]
    body = [[label] + [_cell(name, getattr(m, name)) for name, _ in COLUMNS]
            for label, m in _rows(metrics)]
    widths = [max(_width(row[i]) for row in [header] + body) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w, left=(i == 0)) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in [header] + body]
    lines.insert(1, "-" * max(_width(line) for line in lines))
    return "\n".join(lines)


def format_runs(runs: Sequence[EvalRun]) -> str:
    parts = []
    for run in runs:
        parts.append(f"检索方式：{run.mode}（{RETRIEVER_NAMES.get(run.mode, run.mode)}），"
                     f"{run.metrics.n} 题，用时 {run.seconds:.1f} 秒")
        parts.append(format_table(run.metrics))
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


# -- Markdown report ---------------------------------------------------------------------------

def _md(text) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return (["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            + ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows])


def manifest_sha256(index_dir: Path) -> str:
    path = Path(index_dir) / "manifest.json"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "（无）"


def write_report(directory: Path, runs: Sequence[EvalRun], *, model_id: str, index_dir: Path,
                 questions_path: Path, problems: Sequence[str] = (),
                 wall_seconds: float | None = None) -> list[Path]:
    """report.md plus charts in `directory`; returns the files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    charts = write_charts(directory, runs)
    lines = ["# 报告问答评测", "", "## 配置", ""]
    lines += _md_table(["项目", "值"], [
        ["嵌入模型", model_id], ["索引 manifest.json 的 sha256", manifest_sha256(index_dir)],
        ["qa 版本", __version__], ["日期", datetime.now().astimezone().isoformat(timespec="seconds")],
        ["问题集", f"{questions_path}（{runs[0].metrics.n} 题）"],
        ["检索方式", "、".join(r.mode for r in runs)],
        ["hit@k 的来源", "、".join(f"{r.mode}: {r.retrieval_source}" for r in runs)],
        ["评测用时", f"{wall_seconds:.1f} 秒" if wall_seconds is not None
         else "、".join(f"{r.mode}: {r.seconds:.1f} 秒" for r in runs)]])
    if problems:
        lines += ["", f"问题集中有 {len(problems)} 行被跳过：", ""] + [f"- {_md(p)}" for p in problems]

    lines += ["", "## 总体", ""]
    lines += _md_table(["指标"] + [r.mode for r in runs],
                       [[title] + [_cell(name, getattr(r.metrics, name)) for r in runs]
                        for name, title in COLUMNS])
    for run in runs:
        lines += ["", f"## 按类型：{run.mode}", ""]
        lines += _md_table(["类型"] + [t for _, t in COLUMNS],
                           [[label] + [_cell(name, getattr(m, name)) for name, _ in COLUMNS]
                            for label, m in _rows(run.metrics)])
    lines += ["", "## 图表", ""] + [f"![{p.stem}]({p.name})" for p in charts]
    for run in runs:
        lines += _misses(run)
    path = directory / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [path, *charts]


def _misses(run: EvalRun) -> list[str]:
    wrong = [r for r in run.results if not r.correct]
    lines = ["", f"## 答错的问题：{run.mode}（{len(wrong)} 题）", ""]
    if wrong:
        lines += _md_table(
            ["编号", "类型", "问题", "期望答案", "返回答案", "置信度", "首条引文", "证据排名"],
            [[r.id, r.type, r.question, " / ".join(r.expected) or "（应拒答）",
              "（拒答）" if r.abstained else (r.answer or ""), f"{r.confidence:.2f}",
              _top_quote(r), r.hit_rank or "–"] for r in wrong])
    missed = [r for r in run.results if r.answerable and r.hit_rank is None]
    lines += ["", f"## 前 5 段未检索到证据：{run.mode}（{len(missed)} 题）", ""]
    if missed:
        lines += _md_table(["编号", "问题", "证据", "第 1 段"],
                           [[r.id, r.question, r.evidence, _clip(r.chunks[0], 120) if r.chunks else ""]
                            for r in missed])
    return lines


def _top_quote(result) -> str:
    if not result.quotes:
        return ""
    # When abstaining the engine shows the closest passages, which are not offered as an answer.
    return ("（最接近的段落）" if result.abstained else "") + _clip(result.quotes[0], 80)


# -- charts ------------------------------------------------------------------------------------

def cjk_font_family() -> str | None:
    """A font family with Chinese glyphs that matplotlib can use, or None."""
    if not shutil.which("fc-list"):
        return None
    try:
        listing = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                                 text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    from matplotlib import font_manager

    for line in listing.splitlines():
        family = line.split(",")[0].strip()
        if not family:
            continue
        try:
            font_manager.findfont(family, fallback_to_default=False)
            return family
        except ValueError:
            continue
    return None


def write_charts(directory: Path, runs: Sequence[EvalRun]) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = cjk_font_family()
    zh = family is not None
    style = {"font.sans-serif": [family] + plt.rcParams["font.sans-serif"]} if zh else {}
    paths = []
    with plt.rc_context(style):
        fig, ax = plt.subplots(figsize=(6, 4), dpi=120)
        ks = range(1, 6)
        for run in runs:
            ranks = [r.hit_rank for r in run.results if r.answerable]
            ax.plot(list(ks), [hit_at_k(ranks, k) or 0.0 for k in ks], marker="o", label=run.mode)
        ax.set_xticks(list(ks))
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("k")
        ax.set_ylabel("hit@k")
        ax.set_title("证据在前 k 段中的比例" if zh else "Evidence in top-k chunks")
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right")
        paths.append(_save(fig, directory / "hit_at_k.png"))

        types = sorted({t for run in runs for t in run.metrics.by_type})
        fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(types) + 2), 4), dpi=120)
        width = 0.8 / len(runs)
        for i, run in enumerate(runs):
            values = [(run.metrics.by_type.get(t) and run.metrics.by_type[t].answer_accuracy) or 0.0
                      for t in types]
            ax.bar([x + i * width - 0.4 + width / 2 for x in range(len(types))], values,
                   width=width, label=run.mode)
        ax.set_xticks(range(len(types)), types)
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("答案准确率" if zh else "answer accuracy")
        ax.set_title("按问题类型的答案准确率" if zh else "Answer accuracy by question type")
        ax.grid(axis="y", alpha=0.3)
        # Below the axes, so the legend never hides a bar.
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=len(runs), frameon=False)
        paths.append(_save(fig, directory / "accuracy_by_type.png"))
    return paths


def _save(fig, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
