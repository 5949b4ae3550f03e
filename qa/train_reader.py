"""Train the reader: `python -m qa.train_reader` (also `qa train-reader`).

    python -m qa.train_reader \\
        --train ../shared/data/mrc/cmrc2018_train.json ../shared/data/mrc/DRCD_test.json \\
                ../shared/data/mrc/xquad.zh.json \\
        --validate ../shared/data/mrc/DRCD_dev.json ../shared/data/mrc/cmrc2018_trial.json \\
        --output runs/reader --install

The default embedding model gets a span head; the word embeddings and the lowest layers stay as
they are (the shipped file then holds only the rest, see reader_weights.py). No-answer examples
are made from the answerable ones (mrc_data.py). Training is transformers' Trainer: a progress
bar, a fixed seed, a checkpoint every `--save-steps` steps in `--output`, and a run started
again with the same `--output` resumes from its last checkpoint. At the end the trained weights
are exported, read back in the shipped format and scored (EM/F1 as CMRC 2018 defines them) on
the validation sets; `--install` copies them with a model card into qa/models/reader/.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from .mrc_data import MrcExample, load_squad, with_negatives

LICENCES = {
    "cmrc2018": "CC BY-SA 4.0 (CMRC 2018, ymcui/cmrc2018)",
    "DRCD": "CC BY-SA 3.0 (DRCD v1.3, DRCKnowledgeTeam/DRCD)",
    "xquad": "CC BY-SA 4.0 (XQuAD, deepmind/xquad)",
    "report": "questions written for this project (eval/reports/train/) over 2025 provincial "
              "government work reports (collected in alexzhu0/Jina_Embeddings_v4_RAG, MIT)",
}


@dataclass(frozen=True)
class Options:
    train: tuple[Path, ...]
    validate: tuple[Path, ...]
    output: Path
    epochs: float
    batch_size: int
    learning_rate: float
    max_length: int
    stride: int
    train_layers_from: int       # layers below this one (and all embeddings) stay frozen
    negative_share: float        # questions that also get another paragraph as a no-answer case
    window_negative_share: float  # answerless windows of long paragraphs that are kept
    seed: int
    save_steps: int
    max_steps: int               # > 0: stop after this many steps (smoke runs)
    limit: int                   # > 0: use only this many training questions (smoke runs)
    validate_limit: int
    init: Path | None            # continue from a trained reader file instead of a fresh head
    install: bool
    cache_dir: Path | None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    options = parse(argv)
    started = time.time()
    record = {"command": "python -m qa.train_reader " + " ".join(argv), **train(options)}
    record["hours"] = round((time.time() - started) / 3600, 2)
    (options.output / "run.json").write_text(json.dumps(record, ensure_ascii=False, indent=2),
                                             encoding="utf-8")
    print(json.dumps(record["validation"], ensure_ascii=False, indent=2))
    if options.install:
        install(options.output, record)
    return 0


def parse(argv) -> Options:
    p = argparse.ArgumentParser(prog="qa train-reader", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", type=Path, nargs="+", required=True,
                   help="SQuAD 格式的训练集；FILE:N 表示从中随机取 N 题")
    p.add_argument("--validate", type=Path, nargs="*", default=[], help="SQuAD 格式的验证集")
    p.add_argument("--output", type=Path, required=True, help="检查点与结果目录（同一目录可续训）")
    p.add_argument("--epochs", type=float, default=2.0)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--learning-rate", type=float, default=1e-4)
    p.add_argument("--max-length", type=int, default=192)
    p.add_argument("--stride", type=int, default=64)
    p.add_argument("--train-layers-from", type=int, default=3)
    p.add_argument("--negative-share", type=float, default=0.25)
    p.add_argument("--window-negative-share", type=float, default=0.2)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--save-steps", type=int, default=200)
    p.add_argument("--max-steps", type=int, default=0)
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--validate-limit", type=int, default=1000)
    p.add_argument("--init", type=Path, help="从已训练的 reader.safetensors 继续训练")
    p.add_argument("--install", action="store_true", help="训练后装入 qa/models/reader/")
    p.add_argument("--cache-dir", type=Path, help="默认模型的缓存目录")
    a = p.parse_args(argv)
    return Options(tuple(a.train), tuple(a.validate), a.output, a.epochs, a.batch_size,
                   a.learning_rate, a.max_length, a.stride, a.train_layers_from,
                   a.negative_share, a.window_negative_share, a.seed, a.save_steps, a.max_steps,
                   a.limit, a.validate_limit, a.init, a.install, a.cache_dir)


# ---------------------------------------------------------------- data → features


def training_examples(options: Options) -> list[MrcExample]:
    examples = [e for path in options.train for e in _sampled(path, options.seed)]
    if options.limit:
        examples = random.Random(options.seed).sample(examples, min(options.limit, len(examples)))
    return with_negatives(examples, options.negative_share, options.seed)


def _sampled(spec: Path, seed: int) -> list[MrcExample]:
    """The questions of FILE, or a seeded sample of N of them for FILE:N (a second training
    stage mixes all of one set with part of another)."""
    name, _, count = str(spec).rpartition(":")
    if not name or not count.isdigit():
        return load_squad(spec)
    examples = load_squad(Path(name))
    return random.Random(seed).sample(examples, min(int(count), len(examples)))


def features(tokenizer, examples: Sequence[MrcExample], options: Options) -> list[dict]:
    """Windows with their answer's token positions; a window without the answer points at
    the first token (no answer). Only `window_negative_share` of the answerless windows of
    answerable questions are kept, and one window of each no-answer question."""
    from .reader import QUESTION_MAX_CHARS, encode_windows

    rng = random.Random(options.seed)
    out = []
    step = 512
    for first in range(0, len(examples), step):
        part = examples[first:first + step]
        encoded = encode_windows(tokenizer, [e.question[:QUESTION_MAX_CHARS] for e in part],
                                 [e.context for e in part], options.max_length, options.stride)
        kept_negatives: dict[int, int] = {}
        for w, i in enumerate(encoded["overflow_to_sample_mapping"]):
            example = part[i]
            position = _answer_tokens(example, encoded["offset_mapping"][w],
                                      encoded.sequence_ids(w))
            if position is None:
                if example.answerable and rng.random() >= options.window_negative_share:
                    continue
                if not example.answerable:
                    if kept_negatives.get(i, 0) >= 1:
                        continue
                    kept_negatives[i] = kept_negatives.get(i, 0) + 1
                position = (0, 0)
            out.append({"input_ids": encoded["input_ids"][w],
                        "attention_mask": encoded["attention_mask"][w],
                        "start_positions": position[0], "end_positions": position[1]})
    return out


def _answer_tokens(example: MrcExample, offsets, sequence_ids) -> tuple[int, int] | None:
    if not example.answerable:
        return None
    context = [k for k, s in enumerate(sequence_ids) if s == 1]
    answer = example.answers[0]
    first, last = answer.start, answer.start + len(answer.text)
    if not context or offsets[context[0]][0] > first or offsets[context[-1]][1] < last:
        return None
    start = max(k for k in context if offsets[k][0] <= first)
    end = min(k for k in context if offsets[k][1] >= last)
    return (start, end) if end >= start else None


# ---------------------------------------------------------------- training


def is_trained(name: str, layers_from: int) -> bool:
    """Whether training changes this tensor: the head, and every layer from `layers_from` up."""
    if name.startswith("qa_outputs."):
        return True
    if ".encoder.layer." in name:
        return int(name.split(".encoder.layer.")[1].split(".")[0]) >= layers_from
    return False


def train(options: Options) -> dict:
    """Train, export the weights in the shipped format, validate them; the run's record."""
    from transformers import AutoTokenizer, set_seed

    from .config import Config
    from .e5_convert import DEFAULT_MODEL_ID, ensure_default_model
    from .reader_weights import base_state, export_trained

    set_seed(options.seed)
    cache_dir = options.cache_dir or Config().cache_dir
    base_dir = ensure_default_model(cache_dir)
    tokenizer = AutoTokenizer.from_pretrained(str(base_dir))
    base = base_state(base_dir)
    model = starting_model(options, base_dir, base)
    examples = training_examples(options)
    rows = features(tokenizer, examples, options)
    negatives = sum(1 for r in rows if r["start_positions"] == 0)
    print(f"训练样本：{len(examples)} 个问题（{sum(not e.answerable for e in examples)} 个无答案），"
          f"{len(rows)} 个窗口（{negatives} 个指向“无答案”）", file=sys.stderr, flush=True)
    result = run_trainer(options, model, tokenizer, rows)

    settings = {"max_length": options.max_length, "stride": options.stride,
                "train_layers_from": options.train_layers_from}
    weights = export_trained(model, base, lambda n: is_trained(n, options.train_layers_from),
                             options.output / "reader.safetensors",
                             {"base": DEFAULT_MODEL_ID, "settings": json.dumps(settings)})
    return {
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data": [_describe(p) for p in options.train],
        "questions": len(examples), "no_answer_questions": sum(not e.answerable for e in examples),
        "windows": len(rows), "no_answer_windows": negatives,
        "steps": result.global_step, "final_loss": round(result.training_loss, 4),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(options).items()
                    if k not in ("train", "validate")} | {"train": [str(p) for p in options.train]},
        "settings": settings, "validation": validate(weights, options, cache_dir),
        "weights_mb": round(weights.stat().st_size / 1e6, 2),
    }


def starting_model(options: Options, base_dir: Path, base: dict):
    """The default model with a fresh span head (or the `--init` reader), only the trained
    layers left trainable."""
    from transformers import BertConfig, BertForQuestionAnswering

    from .e5_convert import DEFAULT_MODEL_ID
    from .reader_weights import apply_trained

    model = BertForQuestionAnswering(BertConfig.from_pretrained(str(base_dir)))
    if options.init:
        apply_trained(model, base, options.init, DEFAULT_MODEL_ID)
    else:
        missing, _ = model.load_state_dict(base, strict=False)
        assert all(m.startswith("qa_outputs.") or m.endswith("position_ids") for m in missing)
    for name, parameter in model.named_parameters():
        parameter.requires_grad = is_trained(name, options.train_layers_from)
    return model


def run_trainer(options: Options, model, tokenizer, rows: list[dict]):
    """transformers' Trainer over the windows: batches of similar length, linear decay after a
    6% warm-up, checkpoints in --output; a run with checkpoints there resumes from the last."""
    from transformers import DataCollatorWithPadding, Trainer, TrainingArguments

    options.output.mkdir(parents=True, exist_ok=True)
    args = TrainingArguments(
        output_dir=str(options.output), per_device_train_batch_size=options.batch_size,
        learning_rate=options.learning_rate, num_train_epochs=options.epochs,
        max_steps=options.max_steps or -1, warmup_steps=0.06, weight_decay=0.01,
        lr_scheduler_type="linear", logging_steps=25, logging_first_step=True,
        save_strategy="steps", save_steps=options.save_steps, save_total_limit=2,
        seed=options.seed, data_seed=options.seed, report_to="none", use_cpu=True,
        dataloader_num_workers=0, train_sampling_strategy="group_by_length",
        disable_tqdm=False)
    trainer = Trainer(model=model, args=args, train_dataset=rows,
                      data_collator=DataCollatorWithPadding(tokenizer))
    resume = any(options.output.glob("checkpoint-*"))
    if resume:
        print(f"从 {options.output} 的最近检查点继续训练", file=sys.stderr, flush=True)
    return trainer.train(resume_from_checkpoint=True if resume else None)


def _describe(spec: Path) -> dict:
    name, _, count = str(spec).rpartition(":")
    path = Path(name) if name and count.isdigit() else Path(spec)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    licence = next((v for k, v in LICENCES.items() if k.lower() in path.name.lower()), "see source")
    return {"file": path.name, "sampled": int(count) if name and count.isdigit() else None,
            "sha256_16": digest, "licence": licence}


# ---------------------------------------------------------------- validation and install


def validate(weights: Path, options: Options, cache_dir: Path) -> dict:
    """EM/F1 of the exported weights (read back in the shipped format) on each validation set,
    given the gold paragraph; and how often a paragraph that does not answer is called so."""
    from .config import Config
    from .reader import Reader
    from .reader_loading import default_reader

    model, tokenizer = default_reader(cache_dir, weights=weights)
    reader = Reader.from_model(Config(reader_max_length=options.max_length,
                                      reader_stride=options.stride), model, tokenizer)
    out = {}
    for path in options.validate:
        examples = load_squad(path)
        if options.validate_limit:
            examples = random.Random(0).sample(examples, min(options.validate_limit, len(examples)))
        out[path.stem] = score_reader(reader, examples)
    return out


def score_reader(reader, examples: Sequence[MrcExample]) -> dict:
    """EM/F1 on the answerable examples; on no-answer cases (the set's own, else made from its
    questions with another paragraph), how often the reader says the passage does not answer."""
    from tqdm import tqdm

    from .mrc_data import other_passage_negatives
    from .mrc_metrics import exact_match, f1
    from .reader import Passage

    answerable = [e for e in examples if e.answerable]
    em = f1_sum = 0.0
    for example in tqdm(answerable, desc="验证", file=sys.stderr, leave=False):
        best = reader.read(example.question, [Passage("", 0, example.context)], top_k=1).best
        answers = [a.text for a in example.answers]
        em += exact_match(best.text if best else None, answers)
        f1_sum += f1(best.text if best else None, answers)
    negatives = [e for e in examples if not e.answerable] or \
        other_passage_negatives(answerable, 1.0, random.Random(0))
    negatives = negatives[:300]
    said_none = 0
    for example in negatives:
        reading = reader.read(example.question, [Passage("", 0, example.context)], top_k=1)
        said_none += reading.best is None or reading.no_answer > reading.best.probability
    n = max(len(answerable), 1)
    return {"questions": len(answerable), "em": round(100 * em / n, 1),
            "f1": round(100 * f1_sum / n, 1),
            "no_answer_recall": round(said_none / len(negatives), 3) if negatives else None,
            "no_answer_cases": len(negatives)}


def install(output: Path, record: dict) -> None:
    from .reader_weights import CARD_FILE, SHIPPED_DIR, WEIGHTS_FILE

    SHIPPED_DIR.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(output / "reader.safetensors", SHIPPED_DIR / WEIGHTS_FILE)
    (SHIPPED_DIR / "training.json").write_text(json.dumps(record, ensure_ascii=False, indent=2),
                                               encoding="utf-8")
    print(f"已装入 {SHIPPED_DIR / WEIGHTS_FILE}；请据 training.json 更新 {CARD_FILE}",
          file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
