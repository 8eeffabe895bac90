"""The e-mail outbox: what is queued, when, to whom, and how it is sent.

`MailQueue` puts messages into the outbox inside the caller's unit of work, so a message exists
exactly when what caused it was committed (a session created with "E-mail the key", a kiosk's
interview arriving). `MailSender` sends what is due, outside any request: a server that is down
or refuses for now leaves the message queued with the reason and a later time to try again
(doubling up to an hour); a server that refuses the address for good marks it failed, and the
session page says so. When no mail server is set up the queue is off: nothing is queued, and
the portal says the key must be printed.

HR notices go to the user who created the session (from the audit log's "session.created"
entry) while that user can still read sessions; otherwise (a walk-in, a disabled creator) to
every HR user of the session's organisation, and to its admins when it has no HR user.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import InterviewSession, MailMessage, User
from hub.errors import ConflictError, NotFoundError, UnavailableError
from hub.mail.compose import Letter, email_message, letter
from hub.mail.config import MailConfig, mail_address
from hub.mail.smtp import MailDeliveryError, deliver
from hub.repositories.mail import FAILED, QUEUED, SENT
from hub.uow import UnitOfWork
from hub.views import PortalUser

_log = logging.getLogger(__name__)
#: How long a sending process holds a message before another may take it (longer than any
#: conversation with the server lasts: the SMTP timeout bounds each step).
LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
READERS = ("hr", "admin")
KIND_WORDS = {
    "invitation": "Invitation with the session key",
    "reminder": "Reminder that the key expires soon",
    "completed": "Notice to HR: interview completed",
    "flags": "Notice to HR: flags to review",
}
STATUS_WORDS = {QUEUED: "waiting to be sent", SENT: "sent", FAILED: "could not be delivered"}


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: 1, 2, 4 … minutes, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


@dataclass(frozen=True, slots=True)
class MailView:
    """One e-mail about a session, as the session page lists it."""

    kind: str  # for templates to pick by, never shown
    what: str
    to: str
    status: str
    failed: bool
    at: datetime
    detail: str  # why it is still waiting or failed, and when it is tried again


@dataclass(frozen=True, slots=True)
class SessionMail:
    enabled: bool
    messages: list[MailView]
    invited: bool  # an invitation was queued before (the button says "Resend")
    can_resend: bool
    why_not: str  # why the invitation cannot be (re)sent now


@dataclass
class SendReport:
    sent: int = 0
    waiting: int = 0  # tried, kept queued for a later try
    failed: int = 0  # refused for good
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _when(moment: datetime, timezone: str) -> str:
    local = moment.astimezone(ZoneInfo(timezone))
    zone = "UTC" if timezone == "UTC" else f"{timezone.replace('_', ' ')} time"
    return f"{_day(local)} at {local:%H:%M} ({zone})"


def _day(day: date) -> str:
    """"Monday 30 November 2026" (no leading zero, on every platform)."""
    return f"{day:%A} {day.day} {day:%B %Y}"


class MailQueue:
    def __init__(self, database: HubDatabase, config: MailConfig, clock: Clock = utc_now) -> None:
        self._database = database
        self.config = config
        self._now = clock

    @property
    def enabled(self) -> bool:
        return self.config.enabled

    # -- candidates -------------------------------------------------------------------------------
    def _candidate_letter(self, uow: UnitOfWork, row: InterviewSession, kind: str) -> Letter:
        org = uow.organisations.get(row.org_id)
        organisation = (org.display_name or org.name) if org is not None else ""
        centre = uow.centres.get(row.centre_id) if row.centre_id else None
        timezone = centre.timezone if centre is not None else "UTC"
        subject = (
            f"Your interview with {organisation} for {row.job_title}"
            if kind == "invitation"
            else f"Reminder: your interview key for {row.job_title} expires soon"
        )
        return letter(
            kind,
            subject,
            candidate_name=row.candidate_name,
            organisation=organisation,
            job_title=row.job_title,
            session_key=row.session_key,
            centre=centre.name if centre is not None else "",
            centre_address=(centre.address or "") if centre is not None else "",
            centre_instructions=(centre.instructions or "") if centre is not None else "",
            interview_day=_day(row.interview_on) if row.interview_on else "",
            expires=_when(row.expires_at, timezone),
        )

    def invite(self, uow: UnitOfWork, row: InterviewSession, actor: str) -> None:
        """Queue the invitation with the key, in the caller's unit of work (audited)."""
        if not self.enabled:
            raise UnavailableError(
                "e-mail is not set up on this hub: print the slip and give it to the candidate"
            )
        if mail_address(row.candidate_email) is None:
            raise ConflictError(
                "this session has no candidate e-mail address to send the key to"
            )
        now = self._now()
        self._add(uow, row, "invitation", row.candidate_email, row.candidate_name,
                  self._candidate_letter(uow, row, "invitation"), now)
        uow.audit.record(
            row.org_id, actor, "mail.invitation_queued", row.session_key,
            "invitation with the key e-mailed to the candidate", now,
        )

    def resend(self, user: PortalUser, session_id: str) -> None:
        """HR's "resend invitation": only for a session of their organisation that has not
        started, whose key is still valid."""
        with UnitOfWork(self._database) as uow:
            row = uow.sessions.get(session_id)
            if row is None or row.org_id != user.org_id:
                raise NotFoundError("no such session in your organisation")
            problem = self._why_not_invite(row)
            if problem:
                raise ConflictError(problem)
            self.invite(uow, row, user.email)
            uow.commit()

    def _why_not_invite(self, row: InterviewSession) -> str:
        if not self.enabled:
            return "E-mail is not set up on this hub: print the slip and give it to the candidate."
        if row.purged_at is not None:
            return "This session's personal data was erased."
        if mail_address(row.candidate_email) is None:
            return "This session has no candidate e-mail address."
        if row.attempt_of is not None or row.state != "created":
            return "The interview has begun or is over: the candidate no longer needs the key."
        if row.expires_at <= self._now():
            return "The key has expired: a new key is needed first."
        return ""

    def queue_reminders(self) -> int:
        """One reminder to each candidate whose e-mailed key expires within the reminder
        window and who has not started; never a second one (a unique key per session)."""
        hours = self.config.reminder_hours
        if not self.enabled or hours == 0:
            return 0
        now = self._now()
        with UnitOfWork(self._database) as uow:
            due = [r.id for r in uow.mail.reminder_due(now, now + timedelta(hours=hours))]
        queued = 0
        for session_id in due:
            try:
                with UnitOfWork(self._database) as uow:
                    row = uow.sessions.get(session_id)
                    if row is None or uow.mail.has_once_key(f"reminder:{row.id}"):
                        continue
                    self._add(uow, row, "reminder", row.candidate_email, row.candidate_name,
                              self._candidate_letter(uow, row, "reminder"), now,
                              once_key=f"reminder:{row.id}")
                    uow.commit()
                    queued += 1
            except IntegrityError:
                continue  # another hub process queued it at the same moment: it goes once
        return queued

    # -- HR ---------------------------------------------------------------------------------------
    def notify_arrival(self, uow: UnitOfWork, row: InterviewSession, now: datetime) -> None:
        """A kiosk's interview arrived complete (inside the push's unit of work): tell HR,
        saying how many flags wait for review."""
        if not self.enabled:
            return
        flags = sum(1 for e in uow.sessions.events(row.id) if e.review == "open")
        kind = "flags" if flags else "completed"
        centre = uow.centres.get(row.centre_id) if row.centre_id else None
        recipients, because = _hr_recipients(uow, row)
        link = (
            f"{self.config.public_url}/sessions/{row.id}" if self.config.public_url else ""
        )
        subject = (
            f"{row.candidate_name}: interview completed, {flags} flag"
            f"{'' if flags == 1 else 's'} to review"
            if flags
            else f"{row.candidate_name}: interview completed"
        )
        text = letter(
            "completed",
            subject,
            candidate_name=row.candidate_name,
            job_title=row.job_title,
            session_key=row.session_key,
            centre=centre.name if centre is not None else "",
            flags=flags,
            link=link,
            because=because,
        )
        for user in recipients:
            self._add(uow, row, kind, user.email, "", text, now)

    # -- the session page -------------------------------------------------------------------------
    def session_mail(self, user: PortalUser, session_id: str) -> SessionMail:
        """The e-mails about a session (of the user's organisation) and whether HR can send
        the invitation (again) now."""
        with UnitOfWork(self._database) as uow:
            row = uow.sessions.get(session_id)
            if row is None or row.org_id != user.org_id:
                raise NotFoundError("no such session in your organisation")
            rows = uow.mail.of_session(row.id)
            invited = any(m.kind == "invitation" for m in rows)
            why_not = self._why_not_invite(row)
            views = [_view(m) for m in rows]
        return SessionMail(self.enabled, views, invited, not why_not, why_not)

    def counts(self, org_id: str) -> dict[str, int]:
        with UnitOfWork(self._database) as uow:
            return uow.mail.counts(org_id)

    def _add(
        self,
        uow: UnitOfWork,
        row: InterviewSession,
        kind: str,
        to_address: str,
        to_name: str,
        words: Letter,
        now: datetime,
        once_key: str | None = None,
    ) -> None:
        uow.mail.add(
            MailMessage(
                org_id=row.org_id,
                session_id=row.id,
                kind=kind,
                once_key=once_key,
                to_address=to_address,
                to_name=to_name,
                subject=words.subject,
                text_body=words.text,
                html_body=words.html,
                status=QUEUED,
                created_at=now,
                due_at=now,
                attempts=0,
                last_error="",
            )
        )


def _hr_recipients(uow: UnitOfWork, row: InterviewSession) -> tuple[list[User], str]:
    """Who hears of a session's arrival, and why they do (said at the foot of the notice)."""
    first = uow.sessions.get(row.attempt_of) if row.attempt_of else row
    key = first.session_key if first is not None else row.session_key
    creator = uow.mail.creator_of(row.org_id, key)
    readers = [
        u for u in uow.users.in_org(row.org_id) if u.disabled_at is None and u.role in READERS
    ]
    own = [u for u in readers if creator is not None and u.email == creator]
    if own:
        return own, "you created this interview session"
    hr = [u for u in readers if u.role == "hr"]
    if hr:
        return hr, "you are an HR user of this organisation"
    return readers, "you administer this organisation, which has no HR user"


def _view(message: MailMessage) -> MailView:
    detail = message.last_error
    if message.status == QUEUED and message.attempts:
        detail = f"{detail}; tried {message.attempts} time(s), next try {message.due_at:%H:%M} UTC"
    return MailView(
        kind=message.kind,
        what=KIND_WORDS.get(message.kind, "E-mail"),
        to=message.to_address,
        status=STATUS_WORDS.get(message.status, message.status),
        failed=message.status == FAILED,
        at=message.sent_at or message.created_at,
        detail=detail,
    )


class MailSender:
    """Sends the outbox's due messages through the configured server."""

    def __init__(self, database: HubDatabase, config: MailConfig, clock: Clock = utc_now) -> None:
        self._database = database
        self._config = config
        self._now = clock

    def send_due(self, limit: int = 200) -> SendReport:
        """Send what is due now. When the server cannot be reached the round stops at the
        first message (it gets the error and its retry time; the rest wait untouched)."""
        report = SendReport()
        if not self._config.enabled:
            return report
        now = self._now()
        with UnitOfWork(self._database) as uow:
            due = uow.mail.due_ids(now, limit)
        for message_id in due:
            with UnitOfWork(self._database) as uow:
                message = uow.mail.claim(message_id, now, now + LEASE)
                if message is None:
                    continue  # another hub process has it
                uow.commit()
                wire = self._wire(message)
            try:
                if isinstance(wire, str):
                    raise MailDeliveryError(wire, permanent=True)
                deliver(self._config, wire)
            except MailDeliveryError as error:
                self._failed(message_id, error, report)
                if error.server_down:
                    break
                continue
            self._record(message_id, SENT, "")
            report.sent += 1
        return report

    def _wire(self, message: MailMessage) -> object:
        try:
            return email_message(
                self._config,
                message_id=message.id,
                to_address=message.to_address,
                to_name=message.to_name,
                subject=message.subject,
                text=message.text_body,
                html=message.html_body,
                created_at=message.created_at,
            )
        except ValueError:
            return f"“{message.to_address}” is not an e-mail address mail can be sent to"

    def _failed(self, message_id: int, error: MailDeliveryError, report: SendReport) -> None:
        report.problems.append(str(error))
        if error.permanent:
            self._record(message_id, FAILED, str(error))
            report.failed += 1
        else:
            self._record(message_id, QUEUED, str(error))
            report.waiting += 1

    def _record(self, message_id: int, status: str, error: str) -> None:
        now = self._now()
        with UnitOfWork(self._database) as uow:
            message = uow.mail.get(message_id)
            if message is None:
                return  # erased with its session meanwhile
            message.status = status
            message.last_error = error
            message.claimed_until = None
            if status == SENT:
                message.sent_at = now
            else:
                message.attempts += 1
                message.due_at = now + retry_delay(message.attempts)
            uow.commit()


class BackgroundMail:
    """`kiosk-hub serve`'s sender: every `poll_seconds`, queue due reminders and send what is
    due, on a daemon thread of each hub process (leases keep them from sending one twice)."""

    def __init__(self, queue: MailQueue, sender: MailSender, poll_seconds: float) -> None:
        self._queue = queue
        self._sender = sender
        self._poll = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @asynccontextmanager
    async def lifespan(self, _app: object) -> AsyncIterator[None]:
        """The app's lifespan: the sender runs while the app serves."""
        self.start()
        try:
            yield
        finally:
            self.stop()

    def start(self) -> None:
        if not self._queue.enabled or self._poll <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="hub-mail", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._queue.config.timeout_s * 3)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._queue.queue_reminders()
                report = self._sender.send_due()
                for problem in report.problems:
                    _log.warning("e-mail not sent: %s", problem)
            except Exception:  # the hub keeps serving; the next round tries again
                _log.exception("the e-mail sender's round failed")
            self._stop.wait(self._poll)
