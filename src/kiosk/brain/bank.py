"""The offline question bank (`resources/question_bank/**.json`) and choosing from it.

Selection is deterministic for a given job and resume: skills the job requires and the resume
shows come first (they can be probed deepest), then required skills the resume lacks (the
interview should find out), then the job's role families. Ties are broken by a stable hash of
the question id and the job text, so two candidates for one job get the same questions and
two jobs do not all start with the same one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kiosk.domain.model import QuestionKind
from kiosk.resources import question_bank_dir


@dataclass(frozen=True, slots=True)
class BankQuestion:
    bank_id: str
    family: str
    kind: QuestionKind
    skills: tuple[str, ...]
    difficulty: int
    text: str
    points: tuple[str, ...]
    probe: str
    #: What a good answer to the probe says, phrased as the candidate would say it; empty when
    #: the bank has none (the follow-up is then scored against the probe itself).
    probe_points: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionBank:
    questions: tuple[BankQuestion, ...]

    def by_id(self, bank_id: str) -> BankQuestion:
        for question in self.questions:
            if question.bank_id == bank_id:
                return question
        raise KeyError(bank_id)

    def of_kind(self, kind: QuestionKind) -> tuple[BankQuestion, ...]:
        return tuple(q for q in self.questions if q.kind == kind)

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(q.family for q in self.questions))

    def pick(
        self,
        kind: QuestionKind,
        skills: Iterable[str] = (),
        families: Iterable[str] = (),
        exclude: Iterable[str] = (),
        seed: str = "",
    ) -> BankQuestion | None:
        """The best question of `kind` for the skills (in priority order) and families."""
        wanted = list(dict.fromkeys(skills))
        fams = list(dict.fromkeys(families))
        banned = set(exclude)
        pool = [q for q in self.of_kind(kind) if q.bank_id not in banned]
        if not pool:
            return None

        def rank(q: BankQuestion) -> tuple[int, int, str]:
            skill_rank = min((wanted.index(s) for s in q.skills if s in wanted), default=999)
            family_rank = fams.index(q.family) if q.family in fams else 99
            tiebreak = hashlib.sha256(f"{seed}|{q.bank_id}".encode()).hexdigest()
            return skill_rank, family_rank, tiebreak

        return min(pool, key=rank)


def _load_file(path: Path) -> list[BankQuestion]:
    data = json.loads(path.read_text(encoding="utf-8"))
    family = data["family"]
    default_kind = "technical" if path.parent.name == "roles" else family
    return [
        BankQuestion(
            bank_id=item["id"],
            family=family,
            kind=QuestionKind(item.get("kind", default_kind)),
            skills=tuple(item.get("skills", ())),
            difficulty=int(item.get("difficulty", 2)),
            text=item["text"],
            points=tuple(item["points"]),
            probe=item.get("probe", ""),
            probe_points=tuple(item.get("probe_points", ())),
        )
        for item in data["questions"]
    ]


@lru_cache(maxsize=2)
def load_bank(folder: Path | None = None) -> QuestionBank:
    """Every bank file under the folder, parsed once per process."""
    folder = folder or question_bank_dir()
    questions: list[BankQuestion] = []
    for path in sorted(folder.rglob("*.json")):
        questions.extend(_load_file(path))
    return QuestionBank(tuple(questions))


__all__ = ["BankQuestion", "QuestionBank", "load_bank"]
