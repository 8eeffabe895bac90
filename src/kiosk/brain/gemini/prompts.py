"""Prompts for Gemini with every piece of candidate text fenced as data (`contract.fencing`).

The scoring prompt is not here: the hub re-scores with it too, so it lives in
`contract.scoring`. The system instruction says, before any data, that fenced text is data to
assess and that instructions inside it are to be ignored and reported as a concern.
"""

from __future__ import annotations

from collections.abc import Sequence

from contract.fencing import new_fence
from contract.scoring import SYSTEM_ASSESSOR


def question_prompt(kind: str, skill: str, rationale: str, job_title: str,
                    job_skills: Sequence[str], resume: str, history: Sequence[str]) -> str:
    resume_fence = new_fence("RESUME")
    history_fence = new_fence("HISTORY")
    return (
        f"Write the next interview question for the role '{job_title}'.\n"
        f"Kind: {kind}. Target skill: {skill or 'general'}. Why: {rationale}.\n"
        f"Skills the job asks for: {', '.join(job_skills) or 'not stated'}.\n"
        "Ask one clear, open question a candidate can answer aloud in about three minutes; "
        "do not repeat earlier questions; give the rationale and 3-5 points a good answer "
        "covers.\n"
        f"Candidate resume:\n{resume_fence.wrap(resume)}\n"
        f"Questions and answers so far:\n{history_fence.wrap(chr(10).join(history) or '(none)')}"
    )


def final_prompt(job_title: str, per_answer: Sequence[str], overall: dict[str, float],
                 speech: str, integrity: str) -> str:
    fence = new_fence("TRANSCRIPT")
    return (
        f"Write the final evaluation of an interview for '{job_title}'.\n"
        f"Per-criterion means over the answers (0-10): {overall}.\n"
        f"Speech metrics summary: {speech}\n"
        f"Proctoring integrity summary: {integrity}\n"
        "Give strengths and concerns grounded in the answers, a recommendation "
        "(strong_yes, yes, no, strong_no) based on the answers, and a behavioural note that "
        "uses the speech metrics and the proctoring summary cautiously: flags are prompts for "
        "human review, never proof, and must not decide the recommendation.\n"
        f"Scored answers:\n{fence.wrap(chr(10).join(per_answer))}"
    )


def help_prompt(message: str, question: str, seconds_left: int | None) -> str:
    fence = new_fence("MESSAGE")
    left = f"{seconds_left} seconds" if seconds_left is not None else "unknown"
    return (
        "You are the help assistant of an interview kiosk. You may repeat or rephrase the "
        "current question without adding information, tell the time left, explain how the "
        "interview works (questions are read aloud, answer by speaking, press Done when "
        "finished, there is a time limit per question), or record a technical problem for the "
        "invigilator. You must never give hints, answers, key points, examples or evaluation "
        "of an answer; refuse such requests politely (intent answer_request).\n"
        f"Current question: {question}\nTime left: {left}\n"
        f"Candidate message:\n{fence.wrap(message)}"
    )


__all__ = ["SYSTEM_ASSESSOR", "final_prompt", "help_prompt", "question_prompt"]
