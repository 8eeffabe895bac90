"""The authorisation matrix: every route of the portal and the API x every kind of caller.

Routes come from the app's own route table: `test_every_route_is_in_the_matrix` fails when a
route is added without a line in ROUTES (or a line outlives its route), so none is forgotten.
Callers are the three roles of organisation A on A's objects, the same roles of organisation B on
A's objects, an anonymous browser, A's kiosk, B's kiosk on A's objects, and a revoked kiosk of A.
Each cell is one test that makes the real request and asserts the one outcome allowed for it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.routing import Mount
from tests.integration.hub.attack_support import (
    API,
    Arena,
    arena,
    event,
    media,
    report,
)
from tests.integration.hub.portal_support import PASSWORD, SESSION_FORM, Browser

from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.services.jobs import JobForm, Jobs
from hub.services.records import NewSession
from hub.views import PortalUser

ROLES = ("admin", "hr", "invigilator")
EVERYONE = ROLES
READERS = ("admin", "hr")
ACTORS = (
    *(f"{role}" for role in ROLES),
    *(f"{role} of B" for role in ROLES),
    "anonymous",
    "kiosk",
    "kiosk of B",
    "revoked kiosk",
    "ats token",
    "ats token of B",
)
LOGIN_PAGES = {"/login", "/login/code", "/account/two-factor"}
MARKER = "Matrix-A"  # in A's data: never in an answer to B
JOB = JobForm(f"Role {MARKER}", "Build things", ("python",), 2, 60)
JOB_FIELDS = {"title": f"Role {MARKER}", "question_count": "2", "seconds_per_question": "60"}


@dataclass
class World:
    """Organisation A's objects every cell points at, and one client per caller."""

    two: Arena
    session_id: str
    kiosk_session: str
    session_key: str
    snapshot: str
    clients: dict[str, Any]
    #: A's job, with two sessions booked for it
    job_id: str = ""
    job_sessions: tuple[str, ...] = ()

    def fresh_session(self) -> str:
        _, hub_id = self.two.walk_in(self.two.a, f"Ada {MARKER} {uuid.uuid4().hex[:6]}")
        return hub_id

    def fresh_job(self) -> str:
        hr = PortalUser("m", "hr@a.test", "hr", self.two.a.org_id, "A")
        return Jobs(self.two.hub.database).create(hr, JOB).job_id

    def fresh_user(self) -> str:
        email = f"target-{uuid.uuid4().hex[:8]}@a.test"
        return self.two.hub.accounts.create_user(self.two.a.org_id, email, PASSWORD, "hr").user_id

    def fresh_api_token(self) -> str:
        admin = PortalUser("t", "admin@a.test", "admin", self.two.a.org_id, "A")
        self.two.hub.api_tokens.create(admin, f"ATS {uuid.uuid4().hex[:6]}", None)
        return self.two.hub.api_tokens.in_org(admin)[-1].token_id

    def fresh_centre(self) -> str:
        admin = PortalUser("t", "admin@a.test", "admin", self.two.a.org_id, "A")
        return self.two.hub.centres.create(admin, f"Centre {uuid.uuid4().hex[:8]}", "UTC").centre_id

    def fresh_kiosk(self) -> str:
        code = self.two.hub.enrolment.issue_code(self.two.a.org_id, "t").code
        return self.two.hub.enrolment.enrol(code, "target kiosk").kiosk_id


@dataclass(frozen=True)
class Route:
    """kind: portal (roles may), public (anyone), login form (a wrong password is 401 for
    anyone), pending (only between password and code), logout, kiosk (the sync API's bearer
    token), ats (the ATS read API's bearer token), static. `scoped`: the path names an object of
    organisation A; `other` is what B's allowed callers get for it."""

    kind: str
    call: Callable[[World], tuple[str, dict[str, Any]]]
    roles: tuple[str, ...] = ()
    scoped: bool = False
    other: int = 404
    #: 503 is this route's own answer when the hub lacks a service (re-scoring without Gemini)
    unavailable: bool = False


def _get(path: str | Callable[[World], str]) -> Callable[[World], tuple[str, dict[str, Any]]]:
    return lambda w: (path(w) if callable(path) else path, {})


def _post(
    path: str | Callable[[World], str], form: dict[str, str] | None = None
) -> Callable[[World], tuple[str, dict[str, Any]]]:
    return lambda w: (path(w) if callable(path) else path, {"data": dict(form or {})})


def _blob() -> tuple[str, bytes]:
    data = uuid.uuid4().bytes * 4
    return hashlib.sha256(data).hexdigest(), data


def _state(w: World) -> dict[str, Any]:
    entry = {
        "outbox_id": 10_000 + uuid.uuid4().int % 1_000_000,
        "created_at": "2026-11-24T09:00:00+00:00",
        "topic": "session.state",
        "payload": {"session_id": w.kiosk_session, "from": "created", "to": "created"},
    }
    return {"json": {"entries": [entry]}}


ROUTES: dict[tuple[str, str], Route] = {
    ("POST", f"{API}/enrol"): Route(
        "public",
        lambda w: (
            f"{API}/enrol",
            {
                "json": {
                    "code": w.two.hub.enrolment.issue_code(w.two.a.org_id, "t").code,
                    "kiosk_name": "matrix",
                }
            },
        ),
    ),
    ("GET", f"{API}/whoami"): Route("kiosk", _get(f"{API}/whoami")),
    ("GET", f"{API}/packs"): Route("kiosk", _get(f"{API}/packs")),
    ("GET", f"{API}/packs/{{session_key}}"): Route(
        "kiosk", _get(lambda w: f"{API}/packs/{w.session_key}"), scoped=True
    ),
    ("HEAD", f"{API}/blobs/{{sha256}}"): Route(
        "kiosk", lambda w: (f"{API}/blobs/{w.snapshot}", {}), scoped=True
    ),
    ("PUT", f"{API}/blobs/{{sha256}}"): Route(
        "kiosk", lambda w: (lambda sha, data: (f"{API}/blobs/{sha}", {"content": data}))(*_blob())
    ),
    ("POST", f"{API}/batches"): Route(
        "kiosk", lambda w: (f"{API}/batches", _state(w)), scoped=True, other=403
    ),
    ("GET", f"{API}/erasures"): Route("kiosk", _get(f"{API}/erasures")),
    # a kiosk reports only its own orders: (its id, the session id) is the lookup, so another
    # organisation's kiosk naming A's session closes nothing (recorded: false)
    ("POST", f"{API}/erasures/done"): Route(
        "kiosk",
        lambda w: (
            f"{API}/erasures/done",
            {
                "json": {
                    "session_id": w.kiosk_session,
                    "erased_at": "2026-11-24T09:00:00+00:00",
                    "files_removed": 0,
                }
            },
        ),
    ),
    ("GET", f"{API}/ats/sessions"): Route("ats", _get(f"{API}/ats/sessions")),
    ("GET", f"{API}/ats/sessions/{{session_id}}"): Route(
        "ats", _get(lambda w: f"{API}/ats/sessions/{w.session_id}"), scoped=True
    ),
    ("GET", f"{API}/ats/sessions/{{session_id}}/report.pdf"): Route(
        "ats", _get(lambda w: f"{API}/ats/sessions/{w.session_id}/report.pdf"), scoped=True
    ),
    ("POST", "/admin/api-tokens"): Route(
        "portal", _post("/admin/api-tokens", {"name": "Matrix ATS"}), ("admin",)
    ),
    ("POST", "/admin/api-tokens/{token_id}/revoke"): Route(
        "portal",
        _post(lambda w: f"/admin/api-tokens/{w.fresh_api_token()}/revoke"),
        ("admin",),
        scoped=True,
    ),
    ("GET", "/static"): Route("static", _get("/static/hub.css")),
    ("GET", "/login"): Route("public", _get("/login")),
    ("POST", "/login"): Route(
        "login form",
        lambda w: (
            "/login",
            {"data": {"email": f"{uuid.uuid4().hex[:8]}@y.test", "password": "not it at all"}},
        ),
    ),
    ("GET", "/login/code"): Route("pending", _get("/login/code")),
    ("POST", "/login/code"): Route("pending", _post("/login/code", {"code": "123456"})),
    ("POST", "/logout"): Route("logout", _post("/logout")),
    ("GET", "/account"): Route("portal", _get("/account"), EVERYONE),
    ("POST", "/account/password"): Route(
        "portal",
        _post("/account/password", {"current": "not it", "new": "x", "repeat": "x"}),
        EVERYONE,
    ),
    ("GET", "/account/two-factor"): Route("portal", _get("/account/two-factor"), EVERYONE),
    ("GET", "/account/two-factor/qr.svg"): Route(
        "portal", _get("/account/two-factor/qr.svg"), EVERYONE
    ),
    ("POST", "/account/two-factor"): Route(
        "portal", _post("/account/two-factor", {"code": "000000"}), EVERYONE
    ),
    ("GET", "/"): Route("portal", _get("/"), EVERYONE),
    ("GET", "/sessions/new"): Route("portal", _get("/sessions/new"), READERS),
    ("POST", "/sessions/new"): Route("portal", _post("/sessions/new", SESSION_FORM), READERS),
    ("GET", "/sessions/{session_id}/slip"): Route(
        "portal", _get(lambda w: f"/sessions/{w.session_id}/slip"), EVERYONE, scoped=True
    ),
    ("GET", "/sessions/{session_id}"): Route(
        "portal", _get(lambda w: f"/sessions/{w.session_id}"), READERS, scoped=True
    ),
    ("GET", "/sessions/{session_id}/report.pdf"): Route(
        "portal", _get(lambda w: f"/sessions/{w.session_id}/report.pdf"), READERS, scoped=True
    ),
    ("GET", "/sessions/{session_id}/media/{sha256}"): Route(
        "portal",
        _get(lambda w: f"/sessions/{w.session_id}/media/{w.snapshot}"),
        READERS,
        scoped=True,
    ),
    ("POST", "/sessions/{session_id}/events/{event_id}/review"): Route(
        "portal",
        _post(
            lambda w: f"/sessions/{w.session_id}/events/flag-1/review",
            {"decision": "confirmed", "comment": "seen"},
        ),
        READERS,
        scoped=True,
    ),
    ("POST", "/sessions/{session_id}/rescore"): Route(
        "portal",
        _post(lambda w: f"/sessions/{w.session_id}/rescore"),
        READERS,
        scoped=True,
        unavailable=True,
    ),
    ("POST", "/sessions/{session_id}/replay"): Route(
        "portal",
        _post(lambda w: f"/sessions/{w.session_id}/replay", {"policy": "standard"}),
        READERS,
        scoped=True,
    ),
    ("POST", "/sessions/{session_id}/replay/decision"): Route(
        "portal",
        _post(
            lambda w: f"/sessions/{w.session_id}/replay/decision",
            {"policy_text": "", "decision": "original_stands", "comment": "seen"},
        ),
        READERS,
        scoped=True,
    ),
    ("POST", "/sessions/{session_id}/delete"): Route(
        "portal",
        _post(lambda w: f"/sessions/{w.fresh_session()}/delete", {"reason": "asked"}),
        READERS,
        scoped=True,
    ),
    # a session's lifecycle before its interview: each cell changes a fresh session
    ("POST", "/sessions/{session_id}/extend"): Route(
        "portal",
        _post(lambda w: f"/sessions/{w.fresh_session()}/extend", {"days": "1"}),
        READERS,
        scoped=True,
    ),
    ("POST", "/sessions/{session_id}/reissue"): Route(
        "portal", _post(lambda w: f"/sessions/{w.fresh_session()}/reissue"), READERS, scoped=True
    ),
    ("POST", "/sessions/{session_id}/cancel"): Route(
        "portal",
        _post(lambda w: f"/sessions/{w.fresh_session()}/cancel", {"reason": "withdrew"}),
        READERS,
        scoped=True,
    ),
    ("POST", "/sessions/{session_id}/edit"): Route(
        "portal",
        _post(lambda w: f"/sessions/{w.fresh_session()}/edit", {"full_name": "Someone Else"}),
        READERS,
        scoped=True,
    ),
    # the arena's hub has no mail server: HR's resend is refused in words (409), B's is 404
    ("POST", "/sessions/{session_id}/invitation"): Route(
        "portal", _post(lambda w: f"/sessions/{w.session_id}/invitation"), READERS, scoped=True
    ),
    ("POST", "/sessions/{session_id}/decisions"): Route(
        "portal",
        _post(lambda w: f"/sessions/{w.session_id}/decisions", {"outcome": "hold"}),
        READERS,
        scoped=True,
    ),
    ("POST", "/sessions/{session_id}/decisions/{decision_id}/confirm"): Route(
        "portal",
        _post(lambda w: f"/sessions/{w.session_id}/decisions/1/confirm"),
        READERS,
        scoped=True,
    ),
    ("GET", "/sessions/{session_id}/decisions.pdf"): Route(
        "portal", _get(lambda w: f"/sessions/{w.session_id}/decisions.pdf"), READERS, scoped=True
    ),
    ("POST", "/admin/decisions"): Route(
        "portal", _post("/admin/decisions", {"second_reviewer": ""}), ("admin",)
    ),
    ("GET", "/admin"): Route("portal", _get("/admin"), ("admin",)),
    ("GET", "/admin/audit"): Route("portal", _get("/admin/audit?action=session"), ("admin",)),
    ("GET", "/admin/audit.csv"): Route("portal", _get("/admin/audit.csv"), ("admin",)),
    ("POST", "/admin/users"): Route(
        "portal",
        lambda w: (
            "/admin/users",
            {
                "data": {
                    "email": f"new-{uuid.uuid4().hex[:8]}@new.test",
                    "password": "violet tractor sings at dawn",
                    "role": "hr",
                }
            },
        ),
        ("admin",),
    ),
    ("POST", "/admin/users/{user_id}/disable"): Route(
        "portal",
        _post(lambda w: f"/admin/users/{w.fresh_user()}/disable"),
        ("admin",),
        scoped=True,
    ),
    # enabling a user who is not disabled is refused in words (409), past the role check
    ("POST", "/admin/users/{user_id}/enable"): Route(
        "portal",
        _post(lambda w: f"/admin/users/{w.fresh_user()}/enable"),
        ("admin",),
        scoped=True,
    ),
    ("POST", "/admin/users/{user_id}/role"): Route(
        "portal",
        _post(lambda w: f"/admin/users/{w.fresh_user()}/role", {"role": "invigilator"}),
        ("admin",),
        scoped=True,
    ),
    ("POST", "/admin/users/{user_id}/unlock"): Route(
        "portal", _post(lambda w: f"/admin/users/{w.fresh_user()}/unlock"), ("admin",), scoped=True
    ),
    ("POST", "/admin/users/{user_id}/reset-password"): Route(
        "portal",
        _post(lambda w: f"/admin/users/{w.fresh_user()}/reset-password"),
        ("admin",),
        scoped=True,
    ),
    # only a user whose password was reset chooses one here; anyone else is sent on (or told 409)
    ("GET", "/account/new-password"): Route("portal", _get("/account/new-password"), EVERYONE),
    ("POST", "/account/new-password"): Route(
        "portal",
        _post("/account/new-password", {"new": "violet hums on", "repeat": "violet hums on"}),
        EVERYONE,
    ),
    ("POST", "/admin/users/{user_id}/reset-two-factor"): Route(
        "portal",
        _post(lambda w: f"/admin/users/{w.fresh_user()}/reset-two-factor"),
        ("admin",),
        scoped=True,
    ),
    ("POST", "/admin/enrolment-codes"): Route(
        "portal", _post("/admin/enrolment-codes"), ("admin",)
    ),
    ("POST", "/admin/kiosks/{kiosk_id}/revoke"): Route(
        "portal",
        _post(lambda w: f"/admin/kiosks/{w.fresh_kiosk()}/revoke"),
        ("admin",),
        scoped=True,
    ),
    ("POST", "/admin/retention"): Route(
        "portal", _post("/admin/retention", {"days": ""}), ("admin",)
    ),
    ("POST", "/admin/purge"): Route("portal", _post("/admin/purge"), ("admin",)),
    ("POST", "/admin/data-policy"): Route(
        "portal", _post("/admin/data-policy", {"kiosk_days": "7"}), ("admin",)
    ),
    ("POST", "/admin/centres"): Route(
        "portal",
        lambda w: (
            "/admin/centres",
            {"data": {"name": f"Centre {uuid.uuid4().hex[:8]}", "timezone": "UTC"}},
        ),
        ("admin",),
    ),
    ("POST", "/admin/centres/{centre_id}"): Route(
        "portal",
        _post(lambda w: f"/admin/centres/{w.fresh_centre()}", {"address": "1 High St"}),
        ("admin",),
        scoped=True,
    ),
    ("POST", "/admin/users/{user_id}/centres"): Route(
        "portal",
        _post(lambda w: f"/admin/users/{w.fresh_user()}/centres"),
        ("admin",),
        scoped=True,
    ),
    ("GET", "/jobs"): Route("portal", _get("/jobs"), READERS),
    ("GET", "/jobs/new"): Route("portal", _get("/jobs/new"), READERS),
    ("POST", "/jobs/new"): Route("portal", _post("/jobs/new", JOB_FIELDS), READERS),
    ("GET", "/jobs/{job_id}"): Route(
        "portal", _get(lambda w: f"/jobs/{w.job_id}"), READERS, scoped=True
    ),
    ("GET", "/jobs/{job_id}/edit"): Route(
        "portal", _get(lambda w: f"/jobs/{w.job_id}/edit"), READERS, scoped=True
    ),
    ("POST", "/jobs/{job_id}/edit"): Route(
        "portal", _post(lambda w: f"/jobs/{w.job_id}/edit", JOB_FIELDS), READERS, scoped=True
    ),
    ("POST", "/jobs/{job_id}/close"): Route(
        "portal", _post(lambda w: f"/jobs/{w.fresh_job()}/close"), READERS, scoped=True
    ),
    ("POST", "/jobs/{job_id}/shortlist"): Route(
        "portal",
        lambda w: (
            f"/jobs/{w.job_id}/shortlist",
            {"data": {"session_id": w.job_sessions[0], "add": "yes"}},
        ),
        READERS,
        scoped=True,
    ),
    ("GET", "/jobs/{job_id}/compare"): Route(
        "portal",
        lambda w: (f"/jobs/{w.job_id}/compare", {"params": [("s", s) for s in w.job_sessions]}),
        READERS,
        scoped=True,
    ),
    ("GET", "/jobs/{job_id}/candidates.csv"): Route(
        "portal", _get(lambda w: f"/jobs/{w.job_id}/candidates.csv"), READERS, scoped=True
    ),
    ("GET", "/jobs/{job_id}/reports.zip"): Route(
        "portal", _get(lambda w: f"/jobs/{w.job_id}/reports.zip"), READERS, scoped=True
    ),
}
CELLS = [(method, path, actor) for (method, path) in ROUTES for actor in ACTORS]


def _route_table(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, through FastAPI's included routers."""

    def walk(routes: list[Any]) -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "effective_candidates"):
                yield from walk(route.effective_candidates())
            elif isinstance(route, Mount):
                yield "GET", route.path
            else:
                original = getattr(route, "original_route", route)
                for method in getattr(original, "methods", None) or ():
                    yield method, route.path

    return set(walk(list(app.routes)))


def test_every_route_is_in_the_matrix(tmp_path: Path) -> None:
    with arena(tmp_path / "hub", "") as two:
        served = _route_table(two.app())
    assert served == set(ROUTES), (
        f"routes missing from the matrix: {sorted(served - set(ROUTES))}; "
        f"lines for routes that are gone: {sorted(set(ROUTES) - served)}"
    )
    assert len(CELLS) == len(ROUTES) * len(ACTORS)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with arena(tmp_path_factory.mktemp("matrix") / "hub", "") as two:
        kiosk_session, session_id = two.walk_in(two.a, f"Ada {MARKER}")
        snap = two.put_blob(two.a, b"\xff\xd8\xff\xe0" + uuid.uuid4().bytes)
        pdf = two.put_blob(two.a, b"%PDF-1.4 " + uuid.uuid4().bytes)
        pushed = two.push(
            two.a,
            media(snap),
            event(kiosk_session, "flag-1", snap),
            media(pdf),
            report(kiosk_session, pdf),
        )
        assert pushed.status_code == 200, pushed.text
        hr = PortalUser("m", "hr@a.test", "hr", two.a.org_id, "A")
        new = NewSession(
            CandidateWire(full_name=f"Bo {MARKER}"), JobWire(title="Eng"), SettingsWire()
        )
        key = two.hub.records.create(hr, new).session_key
        job_id = Jobs(two.hub.database).create(hr, JOB).job_id
        booked = tuple(
            two.hub.records.create(
                hr,
                NewSession(
                    CandidateWire(full_name=f"{name} {MARKER}"),
                    JobWire(title=JOB.title),
                    SettingsWire(),
                    job_id=job_id,
                ),
            ).session_id
            for name in ("Cy", "Di")
        )
        revoked_code = two.hub.enrolment.issue_code(two.a.org_id, "t").code
        revoked = two.hub.enrolment.enrol(revoked_code, "old desk")
        two.hub.enrolment.revoke(two.a.org_id, revoked.kiosk_id, "test")
        clients: dict[str, Any] = {}
        for role in ROLES:
            clients[role] = two.browser(two.a.users[role])
            clients[f"{role} of B"] = two.browser(two.b.users[role])
        clients["anonymous"] = Browser(two.app())
        ats_a = two.hub.api_tokens.create(
            PortalUser("t", "x@a.test", "admin", two.a.org_id, "A"), "A's ATS", None
        ).token
        ats_b = two.hub.api_tokens.create(
            PortalUser("t", "x@b.test", "admin", two.b.org_id, "B"), "B's ATS", None
        ).token
        for name, header in (
            ("kiosk", two.a.kiosk),
            ("kiosk of B", two.b.kiosk),
            ("revoked kiosk", {"Authorization": f"Bearer {revoked.token}"}),
            ("ats token", {"Authorization": f"Bearer {ats_a}"}),
            ("ats token of B", {"Authorization": f"Bearer {ats_b}"}),
        ):
            client = Browser(two.app())
            client.http.headers.update(header)
            clients[name] = client
        yield World(
            two, session_id, kiosk_session, key, str(snap["sha256"]), clients, job_id, booked
        )


def _expected(route: Route, actor: str) -> str:
    """What `actor` must get from `route`: ok, login (sent to sign in), 401, 403, 404, 4xx."""
    own_role = actor if actor in ROLES else None
    other_role = actor.removesuffix(" of B") if actor.endswith(" of B") else None
    role = own_role or (other_role if other_role in ROLES else None)
    if route.kind in ("public", "static"):
        return "ok"
    if route.kind == "login form":
        return "401"
    if route.kind in ("pending", "logout"):
        return "login"
    if route.kind == "kiosk":
        if actor == "kiosk":
            return "ok"
        if actor == "kiosk of B":
            return str(route.other) if route.scoped else "ok"
        return "401"
    if route.kind == "ats":  # only an ATS token; no cookie, no kiosk's token
        if actor == "ats token":
            return "ok"
        if actor == "ats token of B":
            return str(route.other) if route.scoped else "ok"
        return "401"
    # the portal: a bearer token signs nobody in
    if role is None:
        return "login"
    if role not in route.roles:
        return "403"
    if other_role is not None and route.scoped:
        return str(route.other)
    return "ok"


def _outcome(route: Route, response: httpx.Response) -> str:
    location = response.headers.get("location", "")
    if route.unavailable and response.status_code == 503:
        return "ok"
    if response.status_code in (302, 303) and location.split("?")[0] in LOGIN_PAGES:
        return "login"
    if response.status_code in (401, 403, 404):
        return str(response.status_code)
    assert response.status_code < 500, response.text
    return "ok"


@pytest.mark.parametrize(
    ("method", "path", "actor"), CELLS, ids=[f"{m} {p} as {a}" for m, p, a in CELLS]
)
def test_cell(world: World, method: str, path: str, actor: str) -> None:
    route = ROUTES[(method, path)]
    client: Browser = world.clients[actor]
    if route.kind == "logout" and actor.split(" of ")[0] in ROLES:
        org = world.two.b if actor.endswith(" of B") else world.two.a
        client = world.two.browser(org.users[actor.split(" of ")[0]])  # its own, to end
    url, kwargs = route.call(world)
    if method == "POST" and "data" in kwargs:
        kwargs["data"]["csrf_token"] = client.csrf("/login")
    response = client.http.request(method, url, **kwargs)
    expected = _expected(route, actor)
    got = _outcome(route, response)
    if path == "/account/two-factor/qr.svg" and actor.startswith("admin"):
        expected = "404"  # an admin's second factor is set up: no QR code is pending
    assert got == expected, f"{method} {path} as {actor}: expected {expected}, got {got}"
    if actor.endswith(" of B"):
        assert MARKER not in response.text and "@a.test" not in response.text
