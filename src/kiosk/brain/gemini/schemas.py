"""Pydantic models of what Gemini must return; each is both the response schema sent with the
request and the validator of the reply. The answer score's is `contract.scoring.AnswerScoreOut`,
shared with the hub. Kept flat and small: Gemini's schema subset has no
`$ref`-heavy constructs, and every extra field is one more way to be invalid."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore")


class QuestionOut(_Strict):
    text: str = Field(min_length=10, max_length=600)
    rationale: str = Field(max_length=400)
    expected_points: list[str] = Field(min_length=3, max_length=5)


class FinalOut(_Strict):
    strengths: list[str] = Field(max_length=6)
    concerns: list[str] = Field(max_length=6)
    recommendation: Literal["strong_yes", "yes", "no", "strong_no"]
    behavioural_note: str = Field(max_length=1500)


class HelpOut(_Strict):
    intent: Literal["repeat", "rephrase", "time_left", "how_it_works", "technical_problem",
                    "answer_request", "other"]
    reply: str = Field(max_length=600)


__all__ = ["FinalOut", "HelpOut", "QuestionOut"]
