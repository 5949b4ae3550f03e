"""The answer confidence: the shipped fit is over the evidence the answerer gives."""
import json

from qa.calibration import FEATURES, PRIOR, WEIGHTS_FILE, load


def test_the_shipped_fit_is_over_todays_evidence():
    # a fit over other features would silently fall back to the prior
    shipped = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert shipped["features"] == FEATURES
    assert load() != PRIOR and len(load().weights) == len(FEATURES) == len(PRIOR.weights)

