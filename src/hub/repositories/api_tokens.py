"""API tokens of applicant-tracking systems, looked up by their digest."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db.models import ApiToken


class ApiTokenRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, token: ApiToken) -> None:
        self._db.add(token)
        self._db.flush()

    def get(self, token_id: str) -> ApiToken | None:
        return self._db.get(ApiToken, token_id)

    def by_hash(self, token_hash: str) -> ApiToken | None:
        return self._db.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))

    def in_org(self, org_id: str) -> list[ApiToken]:
        query = select(ApiToken).where(ApiToken.org_id == org_id).order_by(ApiToken.created_at)
        return list(self._db.scalars(query))
