"""A logged-in browser for portal tests: Starlette's TestClient over HTTPS, with CSRF handling."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    def __init__(self, app: FastAPI) -> None:
        self.http = TestClient(app, base_url="https://testserver", follow_redirects=False)

    def csrf(self, path: str = "/login") -> str:
        page = self.http.get(path)
        found = _CSRF.search(page.text)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def login(self, email: str, password: str) -> httpx.Response:
        token = self.csrf("/login")
        return self.http.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def post(
        self, path: str, data: dict[str, Any], page: str = "/", **kwargs: Any
    ) -> httpx.Response:
        return self.http.post(path, data={**data, "csrf_token": self.csrf(page)}, **kwargs)
