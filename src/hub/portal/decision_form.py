"""The decision form, read by hand so every problem is reported at its field with what was typed.

Field names: `outcome`, `notes`, and per rubric criterion `score_<criterion>` (0-10, empty: not
scored) and `comment_<criterion>`. The page shows them again under the `decision_` prefix so they
never collide with the session page's other forms.
"""

from __future__ import annotations

from starlette.datastructures import FormData

from hub.portal.errors import FieldErrors
from hub.services.decision_state import OUTCOMES, REJECT
from hub.services.decisions import CRITERION_WORDS, MAX_COMMENT, MAX_NOTES, NewDecision, ScoreEntry

PREFIX = "decision_"


def field_names() -> tuple[str, ...]:
    criteria = tuple(str(c) for c in CRITERION_WORDS)
    return (
        "outcome",
        "notes",
        *(f"score_{c}" for c in criteria),
        *(f"comment_{c}" for c in criteria),
    )


def typed(form: FormData) -> dict[str, str]:
    """What the user typed, by the page's (prefixed) names, to show it again."""
    values = {name: form.get(name, "") for name in field_names()}
    return {PREFIX + name: v for name, v in values.items() if isinstance(v, str)}


def _score(text: str, words: str) -> tuple[int | None, str]:
    """The score typed for one criterion (None: left empty) and the problem with it, if any."""
    text = text.strip()
    if not text:
        return None, ""
    if not text.isdigit() or int(text) > 10:
        return None, f"“{text}” is not a score for {words}: enter a whole number from 0 to 10"
    return int(text), ""


def read_decision_form(form: FormData) -> NewDecision:
    """The form as a `NewDecision`; `FieldErrors` (by prefixed field name) lists every problem."""
    values = {k.removeprefix(PREFIX): v for k, v in typed(form).items()}
    problems: dict[str, str] = {}
    outcome = values.get("outcome", "")
    notes = values.get("notes", "").strip()
    if outcome not in OUTCOMES:
        problems["outcome"] = "Choose Advance to next round, On hold or Rejected."
    if outcome == REJECT and not notes:
        problems["notes"] = "Say why in the notes: a rejection needs a reason."
    if len(notes) > MAX_NOTES:
        problems["notes"] = f"The notes are limited to {MAX_NOTES} characters."
    scorecard = []
    for criterion, words in CRITERION_WORDS.items():
        score, problem = _score(values.get(f"score_{criterion}", ""), words)
        comment = values.get(f"comment_{criterion}", "").strip()
        if problem:
            problems[f"score_{criterion}"] = problem
        elif score is None and comment:
            problems[f"score_{criterion}"] = (
                f"Give {words} a score from 0 to 10 for your comment, or clear the comment."
            )
        if len(comment) > MAX_COMMENT:
            problems[f"comment_{criterion}"] = f"A comment is limited to {MAX_COMMENT} characters."
        if score is not None:
            scorecard.append(ScoreEntry(str(criterion), score, comment))
    if problems:
        raise FieldErrors({PREFIX + name: message for name, message in problems.items()})
    return NewDecision(outcome, notes, tuple(scorecard))
