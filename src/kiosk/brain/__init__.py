"""The interview brain: plan, ask, adapt, score and evaluate, offline or with Gemini.

Qt-free. The kiosk drives one `InterviewEngine` (usually a `FallbackEngine` of Gemini over the
offline engine); `TextInterview` is the same loop for a terminal or a test.
"""

from kiosk.brain.context import EvaluationInputs, InterviewContext, InterviewPlan, PlannedSlot, Turn
from kiosk.brain.engine import EngineError, InterviewEngine
from kiosk.brain.fallback import EngineEvent, FallbackEngine
from kiosk.brain.helpdesk import HelpDesk, HelpReply, Intent
from kiosk.brain.offline import OfflineEngine
from kiosk.brain.scoring import OfflineScorer
from kiosk.brain.text_interview import InterviewResult, TextInterview

__all__ = [
    "EngineError",
    "EngineEvent",
    "EvaluationInputs",
    "FallbackEngine",
    "HelpDesk",
    "HelpReply",
    "Intent",
    "InterviewContext",
    "InterviewEngine",
    "InterviewPlan",
    "InterviewResult",
    "OfflineEngine",
    "OfflineScorer",
    "PlannedSlot",
    "TextInterview",
    "Turn",
]
