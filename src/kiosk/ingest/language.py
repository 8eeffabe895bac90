"""Guess a text's language from its stop words: enough to notice a job description that is
not in English (the question bank and the scorer are English-only) and say so."""

from __future__ import annotations

import re
from dataclasses import dataclass

_STOP_TEXT = {
    "en": ("the and of to in a is for with you we our are on as be will this that "
                   "your have or an at by from experience team work"),
    "de": ("der die das und ist nicht mit für wir sie ein eine zu von den im auf "
                   "sind ihre unser bei als auch oder erfahrung"),
    "fr": ("le la les et des est une un pour dans vous nous avec sur en du au "
                   "sont votre notre qui expérience être"),
    "es": ("el la los las y de que en un una para con es por nuestro del se "
                   "experiencia somos tu su como"),
    "it": ("il lo la gli le di che e un una per con è sono nel della siamo "
                   "esperienza del nostro anche"),
    "pt": ("o a os as de que e um uma para com em do da é são nosso você "
                   "experiência na no"),
    "nl": ("de het een en van is dat op te met voor zijn wij je ons niet "
                   "ervaring bij naar"),
}
_STOP_WORDS = {code: frozenset(words.split()) for code, words in _STOP_TEXT.items()}
LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish",
                  "it": "Italian", "pt": "Portuguese", "nl": "Dutch"}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    code: str  # ISO 639-1, or "unknown"
    confidence: float  # share of the text's words that are this language's stop words

    @property
    def name(self) -> str:
        return LANGUAGE_NAMES.get(self.code, "an unknown language")


def detect_language(text: str) -> LanguageGuess:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 5:
        return LanguageGuess("unknown", 0.0)
    shares = {
        code: sum(1 for w in words if w in stops) / len(words)
        for code, stops in _STOP_WORDS.items()
    }
    code, share = max(shares.items(), key=lambda item: item[1])
    if share < 0.05:
        return LanguageGuess("unknown", round(share, 3))
    return LanguageGuess(code, round(share, 3))


__all__ = ["LANGUAGE_NAMES", "LanguageGuess", "detect_language"]
