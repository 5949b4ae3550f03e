"""A seeded generator of synthetic corpora: N varied copies of the report, for scale benchmarks.

    python bench/synth_corpus.py OUT_DIR --factor 100 [--seed 0] [--source corpus]

Each copy keeps the report's sections and style but varies its numbers (same number of digits),
its place and person names, and the order of sentences inside each paragraph, so no two copies
chunk into the same text. The same seed always gives the same files.
"""
from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CITIES = ("郑州", "洛阳", "开封", "新乡", "许昌", "南阳", "武汉", "长沙", "合肥", "西安", "济南",
          "太原", "成都", "昆明", "南昌", "福州", "杭州", "苏州", "无锡", "宁波", "青岛", "大连")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国红志新宏文海斌波"
PEOPLE = ("张红军",)  # the report's named people
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")


def _vary_number(rng: random.Random, match: re.Match) -> str:
    whole, _, decimals = match.group().partition(".")
    first = str(rng.randint(1, 9)) if len(whole) > 1 else str(rng.randint(0, 9))
    out = first + "".join(str(rng.randint(0, 9)) for _ in whole[1:])
    return out + ("." + "".join(str(rng.randint(0, 9)) for _ in decimals) if decimals else "")


def _vary(rng: random.Random, text: str, city: str, people: dict[str, str]) -> str:
    text = text.replace("郑州", city)
    for old, new in people.items():
        text = text.replace(old, new)
    return _NUMBER.sub(lambda m: _vary_number(rng, m), text)


def synth_document(source, rng: random.Random) -> str:
    """One varied copy of a loaded `qa.corpus.Document`, as corpus text (### headings)."""
    city = rng.choice(CITIES)
    people = {p: rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)) for p in PEOPLE}
    parts = []
    for section in source.sections:
        lines = [line for line in source.text[section.start:section.end].split("\n") if line.strip()]
        titles = section.title.split(" · ")
        if len(titles) == 2:
            parts += [_vary(rng, titles[0], city, people), "### " + _vary(rng, titles[1], city, people)]
        else:
            parts.append("### " + _vary(rng, titles[0], city, people))
        for paragraph in lines[len(titles):]:
            sentences = _SENTENCE.findall(paragraph)
            rng.shuffle(sentences)
            parts.append(_vary(rng, "".join(sentences), city, people))
    return "\n\n".join(parts) + "\n"


def generate(factor: int, seed: int = 0, source_dir: Path = ROOT / "corpus") -> dict[str, str]:
    """{file name: text} for `factor` copies of every document in `source_dir`."""
    from qa.corpus import load_corpus

    sources = load_corpus(Path(source_dir), warn=lambda m: None)
    rng = random.Random(seed)
    width = len(str(factor))
    return {f"synth-{i:0{width}d}-{j}.txt": synth_document(doc, rng)
            for i in range(factor) for j, doc in enumerate(sources)}


def write_corpus(out_dir: Path, factor: int, seed: int = 0,
                 source_dir: Path = ROOT / "corpus") -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in generate(factor, seed, source_dir).items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--factor", type=int, default=10, help="copies of the report (10, 100, 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", type=Path, default=ROOT / "corpus")
    args = parser.parse_args()
    paths = write_corpus(args.out_dir, args.factor, args.seed, args.source)
    print(f"{len(paths)} files, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB in {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
