"""A `Rescorer` that asks Gemini (through google-genai) for a final score of one answer, with
exactly the prompt, schema and guard the kiosk scores with (`contract.scoring`).

Every failure gives None for that answer, so its provisional score stays, plus one readable
sentence in `problems` for the audit log and the session page: a reply that is not the JSON asked
for, a timeout, 429 or 5xx after the client's bounded retries (google-genai's own
`HttpRetryOptions`: exponential backoff with jitter, 408/429/5xx and connection errors only), or
a refused key. After a refused key the rest of the run stops asking: a wrong key does not get
better. The key is handed to the client and never logged or put in a message.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from google import genai
from google.genai import errors, types
from pydantic import SecretStr, ValidationError

from contract.gemini import KEY_REFUSED_STATUS, transport_errors
from contract.rubric import Criterion
from contract.scoring import (
    SYSTEM_ASSESSOR,
    AnswerScoreOut,
    judged_score,
    needs_cap,
    score_prompt,
)
from hub.rescoring import FinalScore, ProvisionalAnswer

_log = logging.getLogger(__name__)


_TIMEOUTS, _TRANSPORT_ERRORS = transport_errors()
KEY_REFUSED = "Gemini refused the hub's API key"


class GeminiRescorer:
    """One re-scoring run: a configured client, and the reasons each kept score stayed."""

    def __init__(
        self,
        api_key: SecretStr,
        model: str,
        *,
        base_url: str = "",
        timeout_s: float = 20.0,
        attempts: int = 3,
    ) -> None:
        options: dict[str, Any] = {
            "timeout": int(timeout_s * 1000),
            "retry_options": types.HttpRetryOptions(attempts=max(1, attempts)),
        }
        if base_url:
            options["base_url"] = base_url
        self._client = genai.Client(
            api_key=api_key.get_secret_value(), http_options=types.HttpOptions(**options)
        )
        self._model = model
        self._timeout_s = timeout_s
        self._attempts = max(1, attempts)
        self._key_refused = False
        self.engine = f"gemini:{model}"
        self.problems: list[str] = []

    def rescore(self, item: ProvisionalAnswer) -> FinalScore | None:
        if self._key_refused:
            return self._keep(f"{KEY_REFUSED}, so it was not asked again")
        config = types.GenerateContentConfig(
            system_instruction=SYSTEM_ASSESSOR,
            response_mime_type="application/json",
            response_schema=AnswerScoreOut,
            temperature=0.2,
        )
        prompt = score_prompt(item.question, item.skill, item.expected_points, item.answer)
        try:
            response = self._client.models.generate_content(
                model=self._model, contents=prompt, config=config
            )
            reply = AnswerScoreOut.model_validate_json(response.text or "")
        except ValidationError:
            return self._keep("Gemini's reply was not the JSON score asked for")
        except errors.APIError as error:
            return self._keep(self._describe(error.code))
        except _TIMEOUTS:
            return self._keep(f"Gemini did not reply within {self._timeout_s:g} s")
        except _TRANSPORT_ERRORS as error:
            return self._keep(f"the hub could not reach Gemini ({type(error).__name__})")
        # an answer addressed to the grader never scores above its offline score
        caps = {Criterion(c): s for c, s in item.provisional} if needs_cap(item.answer) else None
        judged = judged_score(reply, item.answer, caps)
        return FinalScore(
            tuple((c.value, value, why) for c, value, why in judged.criteria),
            judged.feedback,
            self.engine,
            judged.evidence,
            judged.confidence,
        )

    def _describe(self, code: int) -> str:
        if code in KEY_REFUSED_STATUS:
            self._key_refused = True
            return f"{KEY_REFUSED} (HTTP {code}): check HUB_GEMINI_API_KEY"
        tries = f"after {self._attempts} attempt(s)"
        if code == 429:
            return f"Gemini's rate limit was reached (HTTP 429) {tries}"
        if code >= 500 or code == 408:
            return f"Gemini failed (HTTP {code}) {tries}"
        return f"Gemini rejected the request (HTTP {code})"

    def _keep(self, problem: str) -> None:
        _log.info("re-scoring an answer with Gemini failed: %s", problem)
        self.problems.append(problem)
        return None

    def summary(self) -> str:
        """The problems of this run, each once with how many answers it kept provisional."""
        counts = Counter(self.problems)
        return "; ".join(f"{problem} ({n} answer(s))" for problem, n in counts.items())

    def close(self) -> None:
        self._client.close()
