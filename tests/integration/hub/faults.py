"""A fault-injecting httpx transport: drops, delays, duplicates, reorders and fails requests.

It sits between the kiosk's real `HubClient` and a real hub, so the client's own retry logic is
what gets tested. Every decision comes from a seeded RNG, and every fault is counted.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from random import Random

import httpx

FAULTS = {
    "drop_before_send": 0.03,
    "drop_answer": 0.03,  # the hub did the work, the kiosk never hears of it
    "delay": 0.05,
    "duplicate": 0.04,
    "reorder": 0.02,  # held back now, delivered later after newer requests
    "fail_500": 0.02,
    "fail_500_after_work": 0.02,
    "nonsense_html": 0.01,
}


def _copy(request: httpx.Request) -> httpx.Request:
    return httpx.Request(
        request.method, request.url, headers=request.headers, content=request.content
    )


class FaultyTransport(httpx.BaseTransport):
    def __init__(self, seed: int, counts: Counter[str], lock: threading.Lock) -> None:
        self._inner = httpx.HTTPTransport()
        self._rng = Random(seed)
        self._held: list[httpx.Request] = []
        self.counts = counts
        self._lock = lock
        self.uploads_in_flight = 0

    def _count(self, kind: str) -> None:
        with self._lock:
            self.counts[kind] += 1

    def _forward(self, request: httpx.Request) -> httpx.Response:
        uploading = request.method == "PUT"
        if uploading:
            self.uploads_in_flight += 1
        try:
            response = self._inner.handle_request(request)
            response.read()
            return response
        finally:
            if uploading:
                self.uploads_in_flight -= 1

    def _release_held(self) -> None:
        while self._held:
            stale = self._held.pop(0)
            try:
                self._forward(stale)  # its answer goes nowhere: the kiosk gave up on it long ago
                self._count("reordered_delivered")
            except httpx.HTTPError:
                self._count("reordered_lost")

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self._count("requests")
        roll = self._rng.random()
        fault = "none"
        for kind, share in FAULTS.items():
            if roll < share:
                fault = kind
                break
            roll -= share
        if fault != "reorder":
            self._release_held()
        if fault != "none":
            self._count(fault)
        if fault == "drop_before_send":
            raise httpx.ConnectError("fault: connection dropped", request=request)
        if fault == "reorder":
            self._held.append(_copy(request))
            raise httpx.ReadTimeout("fault: held back for later", request=request)
        if fault == "fail_500":
            return httpx.Response(500, text="fault", request=request)
        if fault == "nonsense_html":
            return httpx.Response(
                200,
                headers={"content-type": "text/html"},
                text="<html><body>Welcome to the hotel Wi-Fi</body></html>",
                request=request,
            )
        if fault == "delay":
            time.sleep(self._rng.uniform(0.0, 0.2))
        if fault == "duplicate":
            self._forward(_copy(request))
        response = self._forward(request)
        if fault == "drop_answer":
            raise httpx.ReadError("fault: answer lost", request=request)
        if fault == "fail_500_after_work":
            return httpx.Response(500, text="fault", request=request)
        return response

    def close(self) -> None:
        self._inner.close()
