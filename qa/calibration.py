"""How sure an answer is: general evidence about a candidate, turned into a probability.

The evidence is what any report gives: how probable the reader found the span and how much it
thought its window answers nothing, how far the span leads the next one, how many of the
question's words (the rarer the more) the sentence says, whether a word the corpus has is
missing from it, how close the sentence is in meaning, and whether the span is of the kind asked.
A logistic model over them is fitted by eval/calibrate.py on question sets over several
documents (this report, other reports, reading-comprehension data) and stored in
qa/calibration.json, with the data it was fitted on.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Evidence:
    reader: float       # the reader's probability of the answer: start x end within a window,
                        # summed over the spans that give the same answer
    no_answer: float    # the reader's probability that the span's window answers nothing
    lead: float         # the span's probability minus the next other answer's that no check
                        # rules out
    coverage: float     # share of the question's words (by rarity) its sentence or section says
    missing: float      # the rarest question word the corpus has that the sentence lacks (0..1)
    closeness: float    # how near the sentence is to the closest in meaning (0..1)
    kind: float         # 1 when the question asks a kind (number, date…) and the span is one
    length: float       # the span's length in characters / 40, at most 1 (answers are short)

    def vector(self) -> list[float]:
        return [self.reader, self.no_answer, self.lead, self.coverage, self.missing,
                self.closeness, self.kind, self.length]

    def to_json(self) -> dict:
        return {k: round(v, 4) for k, v in asdict(self).items()}


FEATURES = list(Evidence.__dataclass_fields__)


@dataclass(frozen=True)
class Calibration:
    weights: tuple[float, ...]
    bias: float

    def confidence(self, evidence: Evidence) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, evidence.vector()))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# Before any fit: the reader's own belief, tempered by whether the sentence says the question.
PRIOR = Calibration((4.0, -3.0, 1.0, 2.0, -1.5, 1.0, 0.5, -1.0), -3.0)


@lru_cache(maxsize=4)
def load(path: Path = WEIGHTS_FILE) -> Calibration:
    """The fitted calibration, or the prior when none has been fitted yet."""
    if not Path(path).is_file():
        return PRIOR
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("features") != FEATURES:
        return PRIOR  # fitted on other features: refit with eval/calibrate.py
    return Calibration(tuple(data["weights"]), float(data["bias"]))
