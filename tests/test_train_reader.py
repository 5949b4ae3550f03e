"""Training the reader end to end on a handful of examples: a few steps, real base model."""
import json

import pytest

from qa.train_reader import main

pytestmark = pytest.mark.integration

PARAGRAPHS = [
    ("2020年高新区专利申请量达到16284件,专利授权量达到10217件。", "2020年专利申请量达到多少件？", "16284件"),
    ("郑州高新区在2020年国家高新区综合评价中位列第17名。", "郑州高新区位列第几名？", "第17名"),
    ("高新区党工委副书记、管委会主任张红军在大会上作了工作报告。", "谁作了工作报告？", "张红军"),
    ("全年生产总值6.36万亿元、增长5.1%。", "生产总值增长了多少？", "5.1%"),
]


def _squad(path):
    data = [{"title": f"t{i}", "paragraphs": [{"context": c, "qas": [
        {"id": str(i), "question": q, "answers": [{"text": a, "answer_start": c.index(a)}]}]}]}
        for i, (c, q, a) in enumerate(PARAGRAPHS)]
    path.write_text(json.dumps({"data": data}, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_few_steps_train_export_and_validate(tmp_path, real_cache_dir):
    data = _squad(tmp_path / "tiny.json")
    out = tmp_path / "run"
    assert main(["--train", str(data), "--validate", str(data), "--output", str(out),
                 "--max-steps", "2", "--batch-size", "2", "--save-steps", "1",
                 "--validate-limit", "4", "--cache-dir", str(real_cache_dir)]) == 0
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["steps"] == 2 and record["validation"]["tiny"]["questions"] == 4
    assert 0 < (out / "reader.safetensors").stat().st_size < 20e6
    assert any(out.glob("checkpoint-*"))  # a later run with the same --output resumes
