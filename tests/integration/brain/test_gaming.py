"""The labelled gaming set: gamed answers earn nothing for content, by either scoring path.

Content gaming (parroting the question, keyword lists, empty STAR templates) is stopped before
any model runs (`kiosk.brain.statements`), so the embeddings path is held to the targets here;
fluent wrong and negated answers need the judge (test_judge.py). Length fairness: a concise
correct answer scores at least 6 and above a long answer padded around a thin one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.brain import OfflineScorer
from kiosk.brain.bank import load_bank
from kiosk.domain.model import Question

DATA = json.loads((Path(__file__).resolve().parents[2] / "data" / "brain" / "gaming.json")
                  .read_text())
CASES = DATA["cases"]
FAIRNESS = DATA["length_fairness"]
STRUCTURAL = [c for c in CASES if c["kind"] in ("parrot", "keywords", "star_template")]
INJECTIONS = [c for c in CASES if c["kind"] == "injection"]
#: A gamed answer must stay at least this far below the honest correct answer.
MARGIN = 3.0


def bank_question(bank_id: str) -> Question:
    entry = load_bank().by_id(bank_id)
    return Question(entry.bank_id, 0, entry.kind, entry.text,
                    entry.skills[0] if entry.skills else "", "", entry.points)


def test_gaming_set_is_labelled_and_large() -> None:
    assert len(CASES) >= 60
    assert {c["kind"] for c in CASES} == {"parrot", "keywords", "star_template", "fluent_wrong",
                                          "negation", "injection"}
    attempts = json.loads((Path(__file__).resolve().parents[2] / "data" / "brain"
                           / "manipulation.json").read_text())["attempts"]
    assert len(INJECTIONS) >= len(attempts)  # the whole injection corpus is in the set
    for case in CASES:
        assert case["gamed"] and case["baseline"] and case["honest"]
        assert case["gamed"] != case["honest"]


@pytest.mark.parametrize("case", STRUCTURAL, ids=[c["id"] for c in STRUCTURAL])
def test_content_gaming_adds_nothing(scorer: OfflineScorer, case: dict) -> None:
    question = bank_question(case["q"])
    gamed = scorer.assess(question, "a", case["gamed"])
    baseline = scorer.score(question, "a", case["baseline"]).overall
    honest = scorer.score(question, "a", case["honest"]).overall
    assert gamed.score.overall <= baseline + 0.05, (gamed.score.overall, baseline)
    assert honest - gamed.score.overall >= MARGIN
    assert gamed.dropped, "the gaming text was not recognised as stating nothing"


@pytest.mark.parametrize("case", INJECTIONS, ids=[c["id"] for c in INJECTIONS])
def test_injection_never_above_its_baseline(scorer: OfflineScorer, case: dict) -> None:
    question = bank_question(case["q"])
    gamed = scorer.score(question, "a", case["gamed"]).overall
    assert gamed <= scorer.score(question, "a", case["baseline"]).overall
    assert scorer.score(question, "a", case["honest"]).overall - gamed >= MARGIN


@pytest.mark.parametrize("pair", FAIRNESS, ids=[p["q"] for p in FAIRNESS])
def test_concise_correct_beats_long_padded(scorer: OfflineScorer, pair: dict) -> None:
    question = bank_question(pair["q"])
    concise = scorer.score(question, "a", pair["concise"]).overall
    padded = scorer.score(question, "a", pair["padded"]).overall
    assert len(pair["padded"].split()) > 3 * len(pair["concise"].split())
    assert concise >= 6.0
    assert concise > padded + 2.0
