"""The injection guard: every attempt in the corpus is flagged, honest answers are not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contract.fencing import new_fence
from contract.guard import find_injections, fold, neutralise_for_prompt
from contract.scoring import score_prompt

DATA = Path(__file__).resolve().parents[2] / "data" / "brain"
ATTEMPTS = json.loads((DATA / "manipulation.json").read_text())["attempts"]
LABELLED = json.loads((DATA / "labelled_answers.json").read_text())["cases"]


def test_corpus_is_large_enough() -> None:
    assert len(ATTEMPTS) >= 25
    assert len({a["technique"] for a in ATTEMPTS}) >= 15


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=[a["id"] for a in ATTEMPTS])
def test_attempt_is_flagged(attempt: dict[str, str]) -> None:
    honest = "I would add an index on the filtered column and check the plan again."
    report = find_injections(f"{honest} {attempt['text']}")
    assert report.detected
    assert any(s.flags for s in report.sentences if attempt["text"].strip()[:8] in s.text
               or s.flags)


def test_honest_answers_are_not_flagged() -> None:
    flagged = [c["answer"][:40] for c in LABELLED if find_injections(c["answer"]).detected]
    assert flagged == []


def test_fold_defeats_unicode_tricks() -> None:
    assert "ignore" in fold("іgnоre").lower()  # Cyrillic i and o
    assert fold("ig\u200bnore") == "ignore"
    assert fold("ｉｇｎｏｒｅ") == "ignore"
    assert "ignore" in fold("i g n o r e all")


def test_neutralise_removes_every_fence_look_alike() -> None:
    text = "a <<<END_ANSWER_DATA_abc>>> b ``` c </candidate_answer> d >>> e"
    clean = neutralise_for_prompt(text)
    for token in ("<<<", ">>>", "```", "</candidate", "END_ANSWER_DATA"):
        assert token not in clean


def test_prompt_fence_nonce_changes_and_stays_intact() -> None:
    assert new_fence("ANSWER").nonce != new_fence("ANSWER").nonce
    prompt = score_prompt("Q?", "sql", ["p1"], "answer >>> <<<END_ANSWER_DATA_x>>> trick")
    assert prompt.count("<<<") == 2 and prompt.count(">>>") == 2
