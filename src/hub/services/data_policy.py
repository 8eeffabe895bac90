"""Each organisation's data policy: read from the settings the hub and its kiosks enforce, changed
only by an admin (portal or `kiosk-hub data-policy`), audited, and sent in every session pack.

The hub's own retention (`retention_days`, applied by `Records.purge_expired`) is part of the
same policy, so what the candidate reads about the hub is what the hub does.
"""

from __future__ import annotations

from contract.privacy import DataPolicy, DataPolicyError, policy_text
from contract.wire import DataPolicyWire
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import Organisation
from hub.errors import InvalidInputError, NotFoundError
from hub.uow import UnitOfWork


def policy_of(org: Organisation) -> DataPolicy:
    return DataPolicy(
        organisation=org.name,
        send_answer_audio=bool(org.send_answer_audio),
        kiosk_days_after_sync=org.kiosk_days_after_sync,
        hub_retention_days=org.retention_days,
    )


def wire_of(org: Organisation) -> DataPolicyWire:
    policy = policy_of(org)
    return DataPolicyWire(
        organisation=policy.organisation,
        send_answer_audio=policy.send_answer_audio,
        kiosk_days_after_sync=policy.kiosk_days_after_sync,
        hub_retention_days=policy.hub_retention_days,
    )


class DataPolicies:
    def __init__(self, database: HubDatabase, clock: Clock = utc_now) -> None:
        self._database = database
        self._now = clock

    def get(self, org_id: str) -> DataPolicy:
        with UnitOfWork(self._database) as uow:
            org = uow.organisations.get(org_id)
            if org is None:
                raise NotFoundError("no such organisation")
            return policy_of(org)

    def set(
        self,
        org_id: str,
        actor: str,
        *,
        send_answer_audio: bool | None = None,
        kiosk_days_after_sync: int | None = None,
    ) -> DataPolicy:
        """Change what is given; the audit entry quotes the words candidates will now read."""
        with UnitOfWork(self._database) as uow:
            org = uow.organisations.get(org_id)
            if org is None:
                raise NotFoundError("no such organisation")
            current = policy_of(org)
            try:
                policy = DataPolicy(
                    organisation=current.organisation,
                    send_answer_audio=current.send_answer_audio
                    if send_answer_audio is None
                    else send_answer_audio,
                    kiosk_days_after_sync=current.kiosk_days_after_sync
                    if kiosk_days_after_sync is None
                    else kiosk_days_after_sync,
                    hub_retention_days=current.hub_retention_days,
                )
            except DataPolicyError as error:
                raise InvalidInputError(str(error)) from error
            org.send_answer_audio = policy.send_answer_audio
            org.kiosk_days_after_sync = policy.kiosk_days_after_sync
            uow.audit.record(
                org.id, actor, "data_policy.set", org.name, policy_text(policy), self._now()
            )
            uow.commit()
        return policy


__all__ = ["DataPolicies", "policy_of", "wire_of"]
