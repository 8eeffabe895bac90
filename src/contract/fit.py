"""How the resume fits the job, and which of the job's skills the interview asked about.

The kiosk reads the resume against the job description (and HR's typed skills) and plans its
questions to cover the required skills; before this, that fit was printed only in the terminal
of `kiosk interview`. It is now computed once when the interview starts, stored with the
session, synced (`fit` outbox topic) and printed from the stored copy in the PDF (kiosk and hub
alike) and on the hub's session page, in the words below, so HR reads the same sentence
everywhere and never a field name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SkillEvidence:
    """A sentence of the resume that shows a skill, and the organisation where it was used."""

    skill: str
    sentence: str
    organisation: str = ""  # "" when the sentence is not under a job (a skills list, a summary)


@dataclass(frozen=True, slots=True)
class RequirementFitLine:
    """One requirement of the job: whether the resume shows it, and whether it was asked."""

    requirement: str  # as written: "Go or Java"
    required: bool
    from_hr: bool  # typed by HR on the hub rather than read from the job description
    met_by: tuple[str, ...] = ()  # the options the resume shows
    evidence: tuple[SkillEvidence, ...] = ()
    #: The main question (1-based, follow-ups not counted) the plan gave it; None when the plan
    #: gave it none (or it is not required).
    planned_main_question: int | None = None
    #: Why no question asks about a required skill ("" when one does, or not required).
    not_asked: str = ""
    choice: bool = False  # met by any one of several options ("Go or Java")

    @property
    def met(self) -> bool:
        return bool(self.met_by)

    @property
    def on_resume(self) -> str:
        """In words: whether the resume shows it, through which option, and where."""
        if not self.met:
            return "Not found on the resume"
        shown = f"Shown through {', '.join(self.met_by)}" if self.choice else "Shown"
        places = [e.organisation for e in self.evidence if e.organisation]
        return shown + (f" (used at {', '.join(dict.fromkeys(places))})" if places else "")

    def in_interview(self, main_questions: Sequence[int]) -> str:
        """In words: the question that asked about it, or why none did. `main_questions` are
        the numbers the report gives the main questions asked, in order (a follow-up has a
        number too, so the plan's third main question may be the report's question 4)."""
        planned = self.planned_main_question
        if planned is not None:
            if planned <= len(main_questions):
                return f"Asked in question {main_questions[planned - 1]}"
            return "Planned, but the interview ended before that question"
        if not self.required:
            return "Not required: questions go to the required skills first"
        reason = self.not_asked.removeprefix("not asked: ").strip()
        return "Not asked" + (f": {reason}" if reason else "")


@dataclass(frozen=True, slots=True)
class JobFit:
    """The resume against the job, with the interview plan's coverage of the required skills."""

    score: float  # 0-100: 80 % the share of required skills shown, 20 % the nice-to-haves
    requirements: tuple[RequirementFitLine, ...] = ()
    extra_skills: tuple[str, ...] = ()  # on the resume, not asked for by the job
    years_experience: float | None = None

    @property
    def required(self) -> tuple[RequirementFitLine, ...]:
        return tuple(r for r in self.requirements if r.required)

    @property
    def nice_to_have(self) -> tuple[RequirementFitLine, ...]:
        return tuple(r for r in self.requirements if not r.required)

    @property
    def headline(self) -> str:
        """The fit in one sentence, for the report and the hub."""
        required = self.required
        if not self.requirements:
            return ("The job description names no skill the kiosk recognises, so the resume "
                    "could not be compared with it.")
        parts = [f"Resume fit with the job: {self.score:.0f} out of 100."]
        if required:
            shown = sum(r.met for r in required)
            planned = sum(r.planned_main_question is not None for r in required)
            parts.append(f"The resume shows {shown} of the {len(required)} required skills; "
                         f"the interview plan asks about {planned} of them.")
        nice = self.nice_to_have
        if nice:
            parts.append(f"It shows {sum(r.met for r in nice)} of the {len(nice)} "
                         "nice-to-have skills.")
        if self.years_experience is not None:
            parts.append(f"About {self.years_experience:g} years of experience.")
        return " ".join(parts)

    @property
    def caution(self) -> str:
        return ("The fit is read from the words of the resume: a skill the candidate has but "
                "did not write down counts as missing. The interview's answers are the "
                "evidence; the fit only says where to look.")


__all__ = ["JobFit", "RequirementFitLine", "SkillEvidence"]
