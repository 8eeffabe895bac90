"""One structured Gemini call: timeout, bounded retries with backoff and jitter, one repair.

The google-genai client's own retries are left off (no `retry_options`), so this module owns
the policy: 429 and 5xx are retried at most `max_attempts` times with exponential backoff plus
jitter (`sleep` and `rng` are injectable so tests take no time); 401 and 403 stop at once (a
wrong key does not get better); an invalid reply gets exactly one repair request that quotes
the validation error back. A connection failure or a timeout is not retried: it opens the
circuit breaker (`breaker.CircuitBreaker`), and while it is open every call fails at once with
`GeminiOffline`, so a kiosk without network answers from the offline engine in milliseconds
instead of paying the failure at every step. Whatever still fails raises a `GeminiError`, which
the fallback engine turns into "offline engine takes this step". The API key is handed to the
client and never logged or put in an error message.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from google import genai
from google.genai import errors, types
from pydantic import BaseModel, ValidationError

from contract.gemini import KEY_REFUSED_STATUS, RETRYABLE_STATUS, transport_errors
from kiosk.brain.engine import EngineError
from kiosk.brain.gemini.breaker import CircuitBreaker

_log = logging.getLogger(__name__)


_TIMEOUTS, _TRANSPORT_ERRORS = transport_errors()
T = TypeVar("T", bound=BaseModel)
DEFAULT_MODEL = "gemini-2.5-flash"


class GeminiError(EngineError):
    """Gemini could not produce a valid reply for this step."""


class GeminiAuthError(GeminiError):
    """The key was refused (401/403): no retry, and the session should stop asking Gemini."""

    fatal = True


class GeminiUnavailable(GeminiError):
    """429 or 5xx outlasted the retries, or Gemini could not be reached in time."""


class GeminiOffline(GeminiUnavailable):
    """Not asked at all: the breaker is open after a recent connection failure or timeout."""


class GeminiInvalidOutput(GeminiError):
    """The reply was not valid JSON for the schema, even after one repair attempt."""


@dataclass(frozen=True, slots=True)
class CallResult(Generic[T]):
    value: T
    attempts: int
    repaired: bool
    seconds: float


@dataclass
class RetryPolicy:
    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    sleep: Callable[[float], None] = time.sleep
    rng: Callable[[], float] = random.random
    delays: list[float] = field(default_factory=list)  # what was slept, for tests and logs

    def backoff(self, attempt: int) -> None:
        """Full-jitter exponential backoff: uniform in [0.5, 1.0] x base x 2^attempt."""
        delay = min(self.max_delay, self.base_delay * (2**attempt)) * (0.5 + 0.5 * self.rng())
        self.delays.append(delay)
        self.sleep(delay)


class GeminiTransport:
    """A configured google-genai client plus the retry, timeout and repair policy."""

    def __init__(
        self,
        api_key: str,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        timeout_s: float = 20.0,
        retry: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        if not api_key:
            raise GeminiAuthError("no Gemini API key configured")
        options = types.HttpOptions(timeout=int(timeout_s * 1000))
        if base_url:
            options = types.HttpOptions(base_url=base_url, timeout=int(timeout_s * 1000))
        self._client = genai.Client(api_key=api_key, http_options=options)
        self.model = model
        self.retry = retry or RetryPolicy()
        self.breaker = breaker or CircuitBreaker()
        self.timeout_s = timeout_s

    def _send(self, contents: list[types.Content], system: str, schema: type[T]) -> str:
        """One HTTP exchange with retries; returns the reply text."""
        config = types.GenerateContentConfig(
            system_instruction=system,
            response_mime_type="application/json",
            response_schema=schema,
            temperature=0.2,
        )
        blocked = self.breaker.blocked()
        if blocked:
            raise GeminiOffline(blocked)
        last = "no attempt made"
        for attempt in range(self.retry.max_attempts):
            if attempt:
                self.retry.backoff(attempt - 1)
            try:
                response = self._client.models.generate_content(
                    model=self.model, contents=contents, config=config
                )
            except errors.APIError as error:
                self.breaker.succeeded()  # the server answered: the network works
                if error.code in KEY_REFUSED_STATUS:
                    raise GeminiAuthError(f"Gemini refused the API key (HTTP {error.code})") \
                        from None
                if error.code not in RETRYABLE_STATUS:
                    raise GeminiError(f"Gemini rejected the request (HTTP {error.code})") \
                        from None
                last = f"HTTP {error.code}"
            except _TIMEOUTS:
                self._unreachable(f"a timeout ({self.timeout_s:g} s)")
                raise GeminiUnavailable(f"Gemini timed out after {self.timeout_s:g} s; it is "
                                        "treated as offline for a while") from None
            except _TRANSPORT_ERRORS as error:
                self._unreachable(f"a connection failure ({type(error).__name__})")
                raise GeminiUnavailable(f"Gemini connection failed ({type(error).__name__}); "
                                        "it is treated as offline for a while") from None
            else:
                self.breaker.succeeded()
                return response.text or ""
            _log.info("Gemini attempt %d/%d failed: %s", attempt + 1, self.retry.max_attempts,
                      last)
        raise GeminiUnavailable(f"Gemini unavailable after {self.retry.max_attempts} attempts: "
                                f"{last}")

    def _unreachable(self, what: str) -> None:
        self.breaker.failed(what)
        _log.warning("Gemini unreachable (%s): the offline engine answers for %.0f s", what,
                     self.breaker.state.cooldown_s)

    def generate(self, prompt: str, schema: type[T], system: str) -> CallResult[T]:
        """Structured output validated by `schema`; one repair round on invalid output."""
        started = time.perf_counter()
        contents = [types.Content(role="user", parts=[types.Part(text=prompt)])]
        text = self._send(contents, system, schema)
        try:
            value = schema.model_validate_json(text)
            return CallResult(value, 1, False, time.perf_counter() - started)
        except ValidationError as error:
            problem = _describe(error)
        contents += [
            types.Content(role="model", parts=[types.Part(text=text[:4000])]),
            types.Content(role="user", parts=[types.Part(text=(
                "Your previous reply was not valid for the required JSON schema: "
                f"{problem}. Reply again with only a JSON object that matches the schema."
            ))]),
        ]
        repaired = self._send(contents, system, schema)
        try:
            value = schema.model_validate_json(repaired)
        except ValidationError as error:
            raise GeminiInvalidOutput(
                f"Gemini returned invalid output twice ({_describe(error)})"
            ) from None
        return CallResult(value, 2, True, time.perf_counter() - started)


def _describe(error: ValidationError) -> str:
    """The validation errors without the (candidate-derived) input values."""
    return json.dumps(error.errors(include_input=False, include_url=False)[:5], default=str)


__all__ = ["DEFAULT_MODEL", "CallResult", "GeminiAuthError", "GeminiError",
           "GeminiInvalidOutput", "GeminiOffline", "GeminiTransport", "GeminiUnavailable",
           "RetryPolicy"]
