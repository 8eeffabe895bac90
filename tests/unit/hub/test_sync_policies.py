"""Backoff with full jitter, device credentials, and which refusals make the
kiosk quarantine an outbox entry (and how it finds the entry)."""

from __future__ import annotations

import math
import random

import httpx
import pytest

from contract.wire import GoneReason
from hub.security.tokens import (
    digest,
    new_device_token,
    new_enrolment_code,
    normalise_enrolment_code,
)
from kiosk.storage.media import MediaError
from kiosk.sync.backoff import Backoff
from kiosk.sync.client import HubClient
from kiosk.sync.errors import (
    HubAuthError,
    HubGoneError,
    HubNotFoundError,
    HubProtocolError,
    HubRateLimitedError,
    HubRejectedError,
    HubUnavailableError,
    MissingBlobsError,
)
from kiosk.sync.fetch import PackPullError, PullProblem
from kiosk.sync.narrowing import RefusalSearch
from kiosk.sync.refusals import entry_hint, is_permanent


def test_backoff_grows_exponentially_to_its_cap_with_full_jitter() -> None:
    backoff = Backoff(base_seconds=1, cap_seconds=60, rng=random.Random(7))
    assert [backoff.ceiling(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert backoff.ceiling(10_000) == 60
    delays = [backoff.delay(5) for _ in range(2000)]
    assert all(0 <= x < 16 for x in delays)
    assert min(delays) < 1 and max(delays) > 15  # spread over the whole range, not doubled


def test_tokens_and_codes_are_random_and_stored_only_as_digests() -> None:
    tokens = {new_device_token() for _ in range(100)}
    assert len(tokens) == 100 and all(t.startswith("hk_") and len(t) > 40 for t in tokens)
    code = new_enrolment_code()
    assert normalise_enrolment_code(code.lower().replace("-", " ")) == code
    assert len(digest(code)) == 64 and digest(code) != code


# -- which refusals quarantine an entry, and how the refused entry is found ----------------------


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (HubRejectedError("another organisation's session", 403), True),
        (HubRejectedError("an entry the hub cannot validate", 422), True),
        (HubRejectedError("key already used on another kiosk", 409), True),
        (HubRejectedError("body too large", 413), True),
        (MediaError("media abc... is missing from /data/media"), True),
        (MissingBlobsError("2 blob(s) must be uploaded", ["a" * 64]), False),
        (HubRateLimitedError("slow down", 30.0), False),
        (HubNotFoundError("Not Found", 404), False),  # a wrong address, not a bad entry
        (HubAuthError("token revoked"), False),
        (HubUnavailableError("cannot reach the hub"), False),
        (HubProtocolError("HTML instead of JSON"), False),
    ],
)
def test_only_refusals_of_the_entries_themselves_are_permanent(
    error: Exception, permanent: bool
) -> None:
    assert is_permanent(error) is permanent


def test_the_hub_naming_an_entry_is_a_hint_inside_the_batch_only() -> None:
    detail = HubRejectedError(
        "the hub refused the request (HTTP 422): invalid request: "
        "body.entries.3.payload.text: String should have at most 200000 characters",
        422,
    )
    assert entry_hint(detail, 10) == 3
    assert entry_hint(detail, 3) is None  # names an entry the batch does not have
    assert entry_hint(HubRejectedError("that session belongs to another org", 403), 10) is None


def _search(size: int, culprit: int, hint: int | None = None) -> tuple[int, list[int], int]:
    """Drive a search over a queue 0..size-1 where only `culprit` is refused, as the pusher
    does (the hub names `hint` when it refuses); returns the entry refused alone, the entries
    accepted in order, and how many pushes were refused."""
    queue = list(range(size))
    accepted: list[int] = []
    refusals = 0
    search = RefusalSearch(size)
    for _ in range(100):
        batch = queue[: search.next_size()]
        if culprit in batch:
            refusals += 1
            named = None if hint is None else hint - (size - len(queue))
            if search.refused(len(batch), named):
                return batch[0], accepted, refusals
            continue
        accepted += batch
        queue = queue[len(batch) :]
        search.accepted(len(batch))
    raise AssertionError("the search did not end")


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 100])
def test_bisection_finds_the_refused_entry_wherever_it_is_and_accepts_all_before_it(
    size: int,
) -> None:
    for culprit in range(size):
        found, accepted, refusals = _search(size, culprit)
        assert (found, accepted) == (culprit, list(range(culprit)))
        assert refusals <= 1 + math.ceil(math.log2(size))


def test_a_hint_from_the_hub_is_tried_first_and_a_wrong_one_misleads_nothing() -> None:
    found, accepted, refusals = _search(100, 42, hint=42)
    assert (found, accepted, refusals) == (42, list(range(42)), 2)
    found, accepted, _ = _search(100, 42, hint=7)
    assert (found, accepted) == (42, list(range(42)))


def _client(status: int, body: bytes, content_type: str) -> HubClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"content-type": content_type})

    return HubClient("http://hub.test", "hk_token", transport=httpx.MockTransport(answer))


def test_a_refusal_without_the_hubs_error_body_is_not_held_against_the_entries() -> None:
    page = b"<html><body>Access denied by the proxy</body></html>"
    with _client(403, page, "text/html") as client, pytest.raises(HubProtocolError) as caught:
        client.whoami()
    assert "HTTP 403 with text/html" in str(caught.value)
    assert not is_permanent(caught.value)
    body = b'{"detail": "that session belongs to another organisation"}'
    with (
        _client(403, body, "application/json") as client,
        pytest.raises(HubRejectedError) as refused,
    ):
        client.whoami()
    assert refused.value.status == 403 and is_permanent(refused.value)
    assert "another organisation" in str(refused.value)


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        (GoneReason.STARTED, PullProblem.STARTED),
        (GoneReason.EXPIRED, PullProblem.EXPIRED),
        (GoneReason.OVER, PullProblem.OVER),
        ("", PullProblem.OVER),  # an older hub without codes: never offered a restart
    ],
)
def test_a_410_is_told_apart_by_its_code_not_its_wording(code: str, problem: PullProblem) -> None:
    gone = HubGoneError("Sitzung ABCD wurde bereits gestartet", 410, code=code)
    assert PackPullError.because("ABCD", gone).problem is problem
