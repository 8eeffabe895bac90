"""Gemini behind the help chatbot; `HelpDesk` checks what comes back before showing it."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.brain.gemini import prompts
from kiosk.brain.gemini.schemas import HelpOut
from kiosk.brain.gemini.transport import GeminiTransport
from kiosk.domain.model import Question


def gemini_help(transport: GeminiTransport) -> Callable[[str, Question, int | None],
                                                         tuple[str, str]]:
    def ask(message: str, question: Question, seconds_left: int | None) -> tuple[str, str]:
        result = transport.generate(prompts.help_prompt(message, question.text, seconds_left),
                                    HelpOut, prompts.SYSTEM_ASSESSOR)
        return result.value.intent, result.value.reply

    return ask


__all__ = ["gemini_help"]
