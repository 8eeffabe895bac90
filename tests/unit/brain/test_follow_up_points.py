"""Follow-ups carry expected points for what the probe asks, and bank points are phrased the way
a candidate says them (MiniLM compares them with spoken answers)."""

from __future__ import annotations

import re

import pytest

from kiosk.brain.bank import load_bank
from kiosk.brain.context import PlannedSlot, Turn
from kiosk.brain.questions import EXAMPLE_POINTS, EXAMPLE_PROBE, follow_up, question_id
from kiosk.domain.model import Answer, Question, QuestionKind

from .conftest import flat_score

#: How descriptions of an answer start ("Describes the situation"); points must not.
_DESCRIPTION = re.compile(
    r"^(Describes|Explains|Mentions|Reflects|Shows|Summarises|Highlights|Gives|Connects|Adds|"
    r"Asks|Sets out|Owns|Is|Analyses)\b")


def _parent(bank_id: str, kind: QuestionKind = QuestionKind.TECHNICAL,
            points: tuple[str, ...] = ("a point",)) -> Turn:
    qid = question_id(0, PlannedSlot(0, kind, "python", "", bank_id))
    question = Question(qid, 0, kind, "parent question", "python", "", points)
    return Turn(question, Answer("a1", qid, "thin"), flat_score("a1", 2.0))


def test_bank_probe_points_replace_the_parents() -> None:
    bank = load_bank()
    entry = bank.by_id("si-05")
    question = follow_up(bank, _parent("si-05", entry.kind, entry.points), 1, "offline")
    assert question.text.endswith(entry.probe)
    assert question.expected_points == entry.probe_points
    assert not set(question.expected_points) & set(entry.points)


def test_probe_without_points_is_scored_against_the_probe() -> None:
    bank = load_bank()
    entry = bank.by_id("be-01")
    assert not entry.probe_points
    question = follow_up(bank, _parent("be-01", entry.kind, entry.points), 1, "offline")
    assert question.expected_points == (entry.probe,)
    assert question.follow_up_of is not None and question.kind == QuestionKind.FOLLOW_UP


@pytest.mark.parametrize("bank_id", ["resume", "gen"])
def test_generic_probe_asks_for_a_concrete_example(bank_id: str) -> None:
    question = follow_up(load_bank(), _parent(bank_id), 1, "offline")
    assert question.text == EXAMPLE_PROBE
    assert question.expected_points == EXAMPLE_POINTS


def test_bank_points_are_said_not_described() -> None:
    for entry in load_bank().questions:
        for point in (*entry.points, *entry.probe_points):
            assert not _DESCRIPTION.match(point), (entry.bank_id, point)
        if entry.probe_points:
            assert entry.probe and 2 <= len(entry.probe_points) <= 3, entry.bank_id
