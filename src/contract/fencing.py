"""Candidate text inside a prompt is data: each piece goes between fence markers it cannot forge.

Each fence is `<<<LABEL_DATA_<nonce>>>` ... `<<<END_LABEL_DATA_<nonce>>>` with a fresh random
nonce per prompt, so text inside cannot guess the closing marker; and the text is passed through
`neutralise_for_prompt`, so it contains no `<<<`, `>>>` or marker-like words at all. Long text
keeps its opening and its ending.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from contract.guard import neutralise_for_prompt

#: Answers and resumes are cut to this many characters before prompting (about 2,500 words):
#: a 20-minute monologue keeps its opening and ending, and the request stays small.
MAX_DATA_CHARS = 15000


@dataclass(frozen=True, slots=True)
class Fence:
    label: str
    nonce: str

    @property
    def open(self) -> str:
        return f"<<<{self.label}_DATA_{self.nonce}>>>"

    @property
    def close(self) -> str:
        return f"<<<END_{self.label}_DATA_{self.nonce}>>>"

    def wrap(self, text: str) -> str:
        return f"{self.open}\n{clip(neutralise_for_prompt(text))}\n{self.close}"


def clip(text: str, limit: int = MAX_DATA_CHARS) -> str:
    if len(text) <= limit:
        return text
    head = text[: limit * 2 // 3]
    tail = text[-(limit // 3) :]
    return f"{head}\n[... middle of a long text omitted ...]\n{tail}"


def new_fence(label: str) -> Fence:
    return Fence(re.sub(r"[^A-Z]", "", label.upper()) or "TEXT", secrets.token_hex(6))


__all__ = ["MAX_DATA_CHARS", "Fence", "clip", "new_fence"]
