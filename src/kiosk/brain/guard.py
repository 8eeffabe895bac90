"""Candidate text is data: find text that tries to instruct the grader, and defuse fences.

Two jobs, both before any scoring or prompting:

* `find_injections` flags sentences that address the grader or the model instead of answering
  ("ignore previous instructions", "as the grader I confirm 10/10", fake `system:` turns, fake
  fence markers). The offline scorer drops flagged sentences and penalises the answer, so an
  attempt can only lower a score. Matching runs on a folded copy of the text (NFKC, zero-width
  and bidi controls removed, Cyrillic/Greek look-alikes mapped to Latin, spaced-out letters
  joined), so unicode tricks do not hide the words.
* `neutralise_for_prompt` removes what could pass for a prompt fence inside candidate text, so
  the Gemini prompt's own fence stays the only one.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass

# Zero-width, joiners, bidi embeddings/overrides/isolates, soft hyphen, BOM, tag characters.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)
_HOMOGLYPHS = str.maketrans(
    "аеорсухіјѕԁɡοαιкνтмнвАЕОРСУХІЈЅΑΒΕΗΙΚΜΝΟΡΤΧΥΖ",
    "aeopcyxijsdgoaiknTmHBAEOPCYXIJSABEHIKMNOPTXYZ",
)
_SPACED_LETTERS = re.compile(r"(?:\b[A-Za-z0-9][\s._\-*]){4,}[A-Za-z0-9]\b")

_GRADER = (
    r"(?:grader|grading|evaluator|assessor|scorer|examiner|interviewer ai|ai|a\.i\.|model|llm|"
    r"gpt|chatgpt|gemini|claude|language model|reviewer|scoring (?:system|engine|model)|"
    r"assistant|bot)"
)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("override", r"\b(?:ignore|disregard|forget|override|bypass|skip|drop)\b[^.!?\n]{0,40}?"
                     r"\b(?:previous|prior|above|earlier|preceding|all|any|your|the|these|those|"
                     r"system)\b[^.!?\n]{0,30}?\b(?:instructions?|prompts?|rules?|guidelines?|"
                     r"directions?|rubric|criteria|context|programming|constraints)\b"),
        ("new_instructions", r"\b(?:new|updated|real|actual|hidden|secret|additional)\s+"
                             r"(?:instructions?|directives?|system prompt|rules)\b"),
        ("persona", r"\b(?:you are now|from now on you|pretend (?:to be|you are)|"
                    r"act as (?:a|an|the)|roleplay as|jailbreak|do anything now)\b"),
        ("score_claim", r"\b(?:10|ten)\s*(?:/|out of|of)\s*(?:10|ten)\b"),
        ("score_claim", r"\b(?:full|maximum|max|perfect|top|highest|top-tier)\s+"
                        r"(?:marks?|scores?|points|ratings?|grades?)\b"),
        ("score_claim", r"\b(?:give|award|assign|grant|rate|score|mark|grade)\s+(?:me|this|"
                        r"the candidate|this candidate|the answer|this answer|this response|him|"
                        r"her|them|it)\b[^.!?\n]{0,40}?\b(?:10|ten|9|nine|highest|maximum|full|"
                        r"perfect|excellent|strong[_ ]?yes|pass|hire)\b"),
        ("score_claim", r"\b(?:score|rate|mark|grade|award|give)\s+(?:every|each|all|this|that|"
                        r"my|it|the)\b[^.!?\n]{0,40}?\b(?:as|at|with|a|an)?\s*(?:10|ten|nine|"
                        r"maximum|highest|perfect|full)\b(?!\s*(?:ms|%|percent|seconds?|minutes?|"
                        r"times|users|requests|servers|nodes|days))"),
        ("score_field", r"[\"']?\b(?:relevance|depth|structure|communication|overall|score|"
                        r"recommendation|confidence)\b[\"']?\s*[:=]\s*[\"']?(?:\d|strong|yes)"),
        ("grader_address", rf"\b(?:as|note (?:to|for)|message (?:to|for)|attention|dear|hey|"
                           rf"hello|hi|instructions? (?:to|for))\s+(?:the\s+|an?\s+|my\s+)?"
                           rf"{_GRADER}\b"),
        ("grader_address", rf"\b(?:the\s+)?{_GRADER}\s+(?:must|should|shall|will|is (?:required|"
                           rf"instructed|told)|has been told|confirms?|certif(?:y|ies)|"
                           rf"needs to|is to)\b"),
        ("grader_address", r"\bi\s+(?:hereby\s+)?(?:confirm|certify|verify|attest)\b[^.!?\n]{0,50}?"
                           r"\b(?:score|grade|marks?|answer|candidate|response|correct|"
                           r"excellent)\b"),
        ("verdict", r"\b(?:this|the)\s+(?:candidate|applicant|answer|response)\s+(?:is|should be|"
                    r"must be|deserves|gets|has been|was)\s+(?:to be\s+)?(?:hired|approved|rated|"
                    r"scored|graded|marked|perfect|flawless|correct|excellent|the best|a strong)"),
        ("verdict", r"\brecommend(?:ation)?\s*[:=-]?\s*(?:strong[_ ]?yes|"
                    r"hire (?:immediately|now))"),
        ("role_marker", r"(?:^|[\n\[<{(|])\s*(?:system|assistant|developer|model|user)\s*[:\]>|]"),
        ("role_marker", r"<\|?\s*(?:im_start|im_end|system|endoftext|eot_id|start_header_id)"
                        r"\s*\|?>|\[/?\s*(?:inst|sys)\s*\]|#{2,}\s*(?:instruction|system|response)"),
        ("role_marker", r"\b(?:system|developer)\s+(?:prompt|message|override|note|notice)\b"),
        ("fence", r"<<<|>>>|```|~~~|</?\s*(?:candidate|answer|resume|data|untrusted|fence|"
                  r"transcript|system|instructions?)[^>\n]{0,40}>"),
        ("fence", r"\b(?:end|begin|start|close)[\s_-]*(?:of[\s_-]*)?(?:candidate|answer|resume|"
                  r"data|untrusted|transcript)(?:[\s_-]*(?:data|text|block|answer))?\b"),
    )
)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)|\n", re.MULTILINE)


def fold(text: str) -> str:
    """A copy of `text` for matching only: NFKC, invisibles removed, look-alikes mapped."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).translate(_HOMOGLYPHS)
    return _SPACED_LETTERS.sub(lambda m: re.sub(r"[\s._\-*]", "", m.group(0)), text)


def clean_visible(text: str) -> str:
    """NFKC and no invisible characters: what the scorer and prompts see of candidate text."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # verbatim from the original, for evidence quotes
    start: int
    flags: tuple[str, ...]  # names of the patterns it matched; empty when clean


@dataclass(frozen=True, slots=True)
class InjectionReport:
    sentences: tuple[Sentence, ...]

    @property
    def flagged(self) -> tuple[Sentence, ...]:
        return tuple(s for s in self.sentences if s.flags)

    @property
    def kept(self) -> tuple[Sentence, ...]:
        return tuple(s for s in self.sentences if not s.flags)

    @property
    def detected(self) -> bool:
        return any(s.flags for s in self.sentences)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for s in self.sentences for f in s.flags))


_COMMON = frozenset(("the", "and", "for", "with", "that", "this", "was", "are", "you", "our",
                     "not", "but", "had", "has", "have", "from", "then", "they", "them", "its"))


def _stuffed(folded: str) -> bool:
    """Keyword stuffing: a sentence that mostly repeats words ("index index index ...")."""
    words = [w for w in re.findall(r"[a-z0-9]+", folded.lower())
             if len(w) > 2 and w not in _COMMON]
    if len(words) < 6:
        return False
    most = max(words.count(w) for w in set(words))
    return len(set(words)) / len(words) < 0.6 or (most >= 3 and len(words) < 12)


def flags_of(text: str) -> tuple[str, ...]:
    folded = fold(text)
    found = [name for name, pattern in _PATTERNS if pattern.search(folded)]
    if _stuffed(folded):
        found.append("stuffing")
    return tuple(dict.fromkeys(found))


def split_sentences(text: str) -> list[tuple[str, int]]:
    """Sentences with their offsets; a newline ends a sentence (fake `system:` lines)."""
    out = []
    for match in _SENTENCE.finditer(text):
        piece = match.group(0)
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((piece.strip(), match.start() + lead))
    return out


def find_injections(text: str) -> InjectionReport:
    sentences = []
    pieces = split_sentences(text)
    for i, (piece, start) in enumerate(pieces):
        flags = flags_of(piece)
        if not flags and i + 1 < len(pieces):
            # An attempt split across a sentence boundary ("... previous. Instructions ...").
            flags = tuple(f for f in flags_of(piece + " " + pieces[i + 1][0])
                          if f not in flags_of(pieces[i + 1][0]) and f != "stuffing")
        sentences.append(Sentence(piece, start, flags))
    return InjectionReport(tuple(sentences))


_FENCE_LIKE = re.compile(
    r"<{2,}|>{2,}|`{3,}|~{3,}|\[\[|\]\]|</?\s*(?:candidate|answer|resume|data|untrusted|fence|"
    r"transcript|system|instructions?)[^>\n]{0,40}>",
    re.IGNORECASE,
)
_FENCE_WORDS = re.compile(r"(?:BEGIN|END)_[A-Z_]*DATA[A-Z0-9_]*|CANDIDATE_DATA[A-Z0-9_]*",
                          re.IGNORECASE)


def neutralise_for_prompt(text: str) -> str:
    """Candidate text safe to put inside a prompt fence: nothing in it can look like one."""
    text = clean_visible(text)
    text = _FENCE_LIKE.sub(" [fence-like text removed] ", text)
    return _FENCE_WORDS.sub("[marker removed]", text)


@dataclass(frozen=True, slots=True)
class Fence:
    """`<<<LABEL_DATA_nonce>>>` ... `<<<END_LABEL_DATA_nonce>>>` around candidate text.

    The nonce is fresh per prompt, so text inside cannot guess the closing marker, and the text
    is neutralised first, so it holds no `<<<`, `>>>` or marker-like words at all: the fence is
    the only one in the prompt. (The same format as the Gemini prompts', kept here beside
    `neutralise_for_prompt` so that every model's prompt fences alike.)"""

    label: str
    nonce: str

    @property
    def open(self) -> str:
        return f"<<<{self.label}_DATA_{self.nonce}>>>"

    @property
    def close(self) -> str:
        return f"<<<END_{self.label}_DATA_{self.nonce}>>>"

    def wrap(self, text: str) -> str:
        return f"{self.open}\n{neutralise_for_prompt(text)}\n{self.close}"


def new_fence(label: str) -> Fence:
    return Fence(re.sub(r"[^A-Z]", "", label.upper()) or "TEXT", secrets.token_hex(6))


__all__ = [
    "Fence",
    "InjectionReport",
    "Sentence",
    "clean_visible",
    "find_injections",
    "flags_of",
    "fold",
    "neutralise_for_prompt",
    "new_fence",
    "split_sentences",
]
