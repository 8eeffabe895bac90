"""The on-device judge: a small instruction model decides, point by point, whether an answer
states each expected point, states its opposite, or neither (`kiosk.brain.scoring` uses it)."""

from kiosk.brain.judge.judge import ANSWER_BUDGET_S, JudgedPoint, PointJudge
from kiosk.brain.judge.model import (
    MODEL_NAME,
    JudgeModel,
    JudgeUnavailable,
    get_judge_model,
    lower_thread_priority,
)
from kiosk.brain.judge.verdicts import Reply, Verdict, parse_reply

__all__ = ["ANSWER_BUDGET_S", "MODEL_NAME", "JudgeModel", "JudgeUnavailable", "JudgedPoint",
           "PointJudge", "Reply", "Verdict", "get_judge_model", "lower_thread_priority",
           "parse_reply"]
