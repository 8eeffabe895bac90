"""Resume and job-description ingestion: files to text, text to structure, and the fit.

Qt-free and model-free (OCR loads only for scanned PDFs), so the hub or a script can use it.
"""

from kiosk.ingest.documents import (
    MAX_BYTES,
    MAX_TEXT_CHARS,
    ExtractedText,
    read_document,
    read_document_bytes,
)
from kiosk.ingest.errors import ResumeError, ResumeProblem
from kiosk.ingest.jd import JobProfile, parse_job
from kiosk.ingest.language import LanguageGuess, detect_language
from kiosk.ingest.match import Evidence, MatchResult, RequirementFit, match_resume
from kiosk.ingest.requirements import Requirement
from kiosk.ingest.resume import (
    EducationEntry,
    ResumeProfile,
    RoleEntry,
    SecondPass,
    SkillEvidence,
    parse_resume,
)
from kiosk.ingest.skills import SkillVocabulary, load_vocabulary

__all__ = [
    "MAX_BYTES",
    "MAX_TEXT_CHARS",
    "EducationEntry",
    "Evidence",
    "ExtractedText",
    "JobProfile",
    "LanguageGuess",
    "MatchResult",
    "Requirement",
    "RequirementFit",
    "ResumeError",
    "ResumeProblem",
    "ResumeProfile",
    "RoleEntry",
    "SecondPass",
    "SkillEvidence",
    "SkillVocabulary",
    "detect_language",
    "load_vocabulary",
    "match_resume",
    "parse_job",
    "parse_resume",
    "read_document",
    "read_document_bytes",
]
