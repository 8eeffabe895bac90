"""A local fake of the Gemini REST API's generateContent, for the real google-genai client.

Listens on 127.0.0.1 on an ephemeral port in a thread. Answers POST
`/{v1,v1beta}/models/<model>:generateContent`, checks the key in `x-goog-api-key`, records
every request (path, headers minus the key, JSON body) and replies from a script: a queue of
`Reply` objects consumed one per request, then `default` (a function of the request body).
Replies can be good JSON, any text (prose), an HTTP error status, or a delay (for timeouts).
`go_away()` closes the listening socket (connections are refused, as with no network) and
`come_back()` listens again on the same port.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_PATH = re.compile(r"^/(v1|v1beta)/models/(?P<model>[^/:]+):generateContent$")


@dataclass(frozen=True)
class Reply:
    status: int = 200
    text: str | None = None  # the model's text part (JSON or prose)
    delay: float = 0.0
    error_message: str = ""

    @classmethod
    def json(cls, payload: dict[str, Any], delay: float = 0.0) -> Reply:
        return cls(200, json.dumps(payload), delay)

    @classmethod
    def prose(cls, text: str = "Sure! The candidate did really well, I'd say 8/10.") -> Reply:
        return cls(200, text)

    @classmethod
    def error(cls, status: int, message: str = "") -> Reply:
        return cls(status, None, 0.0, message or {401: "API key not valid",
                                                   403: "Permission denied",
                                                   429: "Resource exhausted"}.get(status,
                                                                                  "Internal"))

    @classmethod
    def slow(cls, seconds: float, payload: dict[str, Any] | None = None) -> Reply:
        return cls(200, json.dumps(payload or {}), seconds)


@dataclass(frozen=True)
class Recorded:
    path: str
    model: str
    api_version: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def prompt_texts(self) -> list[str]:
        """Every text part of the request: contents first, then the system instruction."""
        texts = [p.get("text", "") for c in self.body.get("contents", [])
                 for p in c.get("parts", [])]
        system = self.body.get("systemInstruction") or self.body.get("system_instruction")
        if system:
            texts += [p.get("text", "") for p in system.get("parts", [])]
        return texts

    @property
    def user_prompt(self) -> str:
        return self.body["contents"][0]["parts"][0]["text"]

    @property
    def schema_properties(self) -> set[str]:
        config = self.body.get("generationConfig", {})
        schema = config.get("responseSchema") or config.get("responseJsonSchema") or {}
        return set(schema.get("properties", {}))


class FakeGemini:
    def __init__(self, api_key: str = "test-key") -> None:
        self.api_key = api_key
        self.script: deque[Reply] = deque()
        self.default: Callable[[Recorded], Reply] = lambda _request: Reply.prose("no script")
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._listen(0)
        self._port = int(self._server.server_address[1])

    def _listen(self, port: int) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def __enter__(self) -> FakeGemini:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.go_away()

    def go_away(self) -> None:
        """Stop listening: every connection is refused until `come_back`."""
        if not self._thread.is_alive():
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def come_back(self) -> None:
        """Listen again, on the same port (the clients' base URL stays valid)."""
        self._listen(self._port)
        self._thread.start()

    def reset(self, *replies: Reply) -> None:
        with self._lock:
            self.script.clear()
            self.script.extend(replies)
            self.requests.clear()

    def _next(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self.script:
                return self.script.popleft()
        return self.default(request)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and went away

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                match = _PATH.match(self.path.split("?")[0])
                if match is None:
                    self._send(404, {"error": {"code": 404, "message": "not found",
                                               "status": "NOT_FOUND"}})
                    return
                headers = {k.lower(): v for k, v in self.headers.items()
                           if k.lower() != "x-goog-api-key"}
                request = Recorded(self.path, match.group("model"), match.group(1), headers,
                                   json.loads(raw or b"{}"))
                if self.headers.get("x-goog-api-key") != fake.api_key:
                    with fake._lock:
                        fake.requests.append(request)
                    self._send(401, {"error": {"code": 401, "message": "API key not valid",
                                               "status": "UNAUTHENTICATED"}})
                    return
                reply = fake._next(request)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    self._send(reply.status, {"error": {"code": reply.status,
                                                        "message": reply.error_message,
                                                        "status": "ERROR"}})
                    return
                self._send(200, {
                    "candidates": [{"content": {"role": "model",
                                                "parts": [{"text": reply.text or ""}]},
                                    "finishReason": "STOP", "index": 0}],
                    "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 10,
                                      "totalTokenCount": 20},
                    "modelVersion": match.group("model"),
                })

        return Handler


GOOD_SCORE = {
    "relevance": {"score": 7, "rationale": "on topic"},
    "depth": {"score": 6, "rationale": "some detail"},
    "structure": {"score": 7, "rationale": "clear"},
    "communication": {"score": 8, "rationale": "fluent"},
    "feedback": "A solid answer.",
    "evidence": [],
    "confidence": 0.8,
}
GOOD_QUESTION = {
    "text": "How would you design an idempotent payments API?",
    "rationale": "probes REST API design depth",
    "expected_points": ["Use idempotency keys", "Store request results", "Return the same "
                        "response on retry"],
}
GOOD_FINAL = {
    "strengths": ["clear API design"],
    "concerns": ["little on testing"],
    "recommendation": "yes",
    "behavioural_note": "Spoke at a steady pace. Proctoring flags are not proof.",
}
GOOD_HELP = {"intent": "repeat", "reply": "Sure, here it is again."}


def schema_aware(request: Recorded) -> Reply:
    """A well-behaved model: valid JSON for whichever schema the request asks for."""
    props = request.schema_properties
    if "relevance" in props:
        return Reply.json(GOOD_SCORE)
    if "expected_points" in props:
        return Reply.json(GOOD_QUESTION)
    if "recommendation" in props:
        return Reply.json(GOOD_FINAL)
    if "intent" in props:
        return Reply.json(GOOD_HELP)
    return Reply.prose("unknown schema")


__all__ = ["GOOD_FINAL", "GOOD_HELP", "GOOD_QUESTION", "GOOD_SCORE", "FakeGemini", "Recorded",
           "Reply", "schema_aware"]
