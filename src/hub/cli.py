"""The `kiosk-hub` command: serve, migrate, create an admin, issue an enrolment code, purge."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from contract.privacy import policy_digest, policy_text
from hub.container import Hub, build_hub
from hub.db.database import PoolSize, open_database
from hub.errors import HubError, InvalidInputError
from hub.mail.config import MailConfig
from hub.settings import HubConfigurationError, HubSettings
from hub.views import PortalUser

#: How long uvicorn's supervisor waits for a worker's answer before it kills and replaces it.
WORKER_HEALTHCHECK_SECONDS = 30


def _serve(args: argparse.Namespace, settings: HubSettings) -> int:
    """Serve with uvicorn: in this process, or `--workers N` processes under uvicorn's
    supervisor (it restarts a worker that dies, and all of them, one by one, on SIGHUP).
    Every worker builds its settings from the environment, so what the command line decides
    is put there first."""
    import uvicorn

    if args.workers < 1:
        print(f"kiosk-hub serve: --workers must be at least 1, not {args.workers}",
              file=sys.stderr)
        return 2
    if args.dev:
        # one throw-away key for every worker: a form one worker served is posted to another
        os.environ.update(HUB_DEV="true", HUB_COOKIE_SECURE="false")
        if not os.environ.get("HUB_SECRET_KEY"):
            os.environ["HUB_SECRET_KEY"] = secrets.token_urlsafe(32)
        settings = HubSettings()
        print(
            "kiosk-hub: development mode: a throw-away secret key and cookies over plain http; "
            "never use it for real candidates",
            file=sys.stderr,
        )
    try:
        settings.signing_key()
        MailConfig.from_settings(settings)  # a mail server without a sender: say so now
    except HubConfigurationError as error:
        print(f"kiosk-hub serve: {error}", file=sys.stderr)
        return 2
    # migrate once, before any worker, on one connection
    open_database(
        settings.resolved_database_url,
        blob_dir=settings.resolved_blob_dir,
        pool=PoolSize(size=1, overflow=0),
    ).close()
    uvicorn.run(
        "hub.app:create_app",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        # a new worker imports the hub before it can answer the supervisor's ping; on a busy
        # machine that took longer than uvicorn's 5 s, and the supervisor killed and respawned
        # it forever
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )
    return 0


def _with_hub(action: Callable[[argparse.Namespace, Hub], int]) -> Callable[..., int]:
    def run(args: argparse.Namespace, settings: HubSettings) -> int:
        hub = build_hub(settings)
        try:
            return action(args, hub)
        finally:
            hub.close()

    return run


@_with_hub
def _create_admin(args: argparse.Namespace, hub: Hub) -> int:
    password = os.environ.get("HUB_ADMIN_PASSWORD") or getpass.getpass("password: ")
    org_id = hub.accounts.ensure_organisation(args.organisation)
    user = hub.accounts.create_user(org_id, args.email, password, args.role)
    print(f"created {user.role} {user.email} in {user.org_name}")
    return 0


@_with_hub
def _unlock(args: argparse.Namespace, hub: Hub) -> int:
    hub.accounts.throttle.unlock(args.email)
    print(f"sign-in delays of {args.email.strip().lower()} lifted")
    return 0


@_with_hub
def _reset_two_factor(args: argparse.Namespace, hub: Hub) -> int:
    """For an organisation's only admin who lost their authenticator (no other admin can)."""
    org_id = hub.accounts.ensure_organisation(args.organisation)
    user = next((u for u in hub.accounts.users(org_id) if u.email == args.email.lower()), None)
    if user is None:
        print(f"kiosk-hub: no user {args.email} in {args.organisation}", file=sys.stderr)
        return 2
    operator = PortalUser("kiosk-hub", "kiosk-hub cli", "admin", org_id, args.organisation)
    hub.accounts.reset_two_factor(operator, user.user_id)
    print(f"second factor of {user.email} reset: they set up a new one at their next sign-in")
    return 0


@_with_hub
def _enrolment_code(args: argparse.Namespace, hub: Hub) -> int:
    org_id = hub.accounts.find_organisation(args.organisation, create=args.create_organisation)
    issued = hub.enrolment.issue_code(org_id, "kiosk-hub cli")
    print(issued.code)
    print(f"valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC, once", file=sys.stderr)
    return 0


@_with_hub
def _branding(args: argparse.Namespace, hub: Hub) -> int:
    org_id = hub.accounts.ensure_organisation(args.organisation)
    logo = None
    if args.logo is not None:
        try:
            logo = args.logo.read_bytes()
        except OSError as error:
            raise InvalidInputError(f"cannot read the logo {args.logo}: {error.strerror}") from None
    hub.accounts.set_branding(
        org_id, display_name=args.display_name, logo=logo, actor="kiosk-hub cli"
    )
    shown = args.display_name or args.organisation
    print(f"kiosks show {shown!r} " + ("with the logo" if logo else "without a logo"))
    return 0


@_with_hub
def _purge(args: argparse.Namespace, hub: Hub) -> int:
    result = hub.records.purge_expired()
    print(f"purged {result.sessions_purged} session(s), deleted {result.blobs_deleted} file(s)")
    return 0


@_with_hub
def _data_policy(args: argparse.Namespace, hub: Hub) -> int:
    """Show an organisation's data policy in the candidate's words; change it when told to."""
    org_id = hub.accounts.ensure_organisation(args.organisation)
    if args.send_answer_audio is None and args.kiosk_days is None:
        policy = hub.data_policies.get(org_id)
    else:
        audio = None if args.send_answer_audio is None else args.send_answer_audio == "yes"
        policy = hub.data_policies.set(
            org_id, "kiosk-hub cli", send_answer_audio=audio, kiosk_days_after_sync=args.kiosk_days
        )
    print(policy_text(policy))
    print(f"(sha256 {policy_digest(policy)})", file=sys.stderr)
    return 0


@_with_hub
def _mail_send(args: argparse.Namespace, hub: Hub) -> int:
    """Queue due expiry reminders and send what is due: for cron, or after an outage. Exits 1
    when the server refused a message or could not be reached (they stay queued and are tried
    again later, except an address refused for good)."""
    if not hub.mail.enabled:
        print(
            "kiosk-hub mail send: e-mail is off: set HUB_SMTP_HOST and HUB_MAIL_FROM (see the "
            "hub's settings in docs/hub.md)",
            file=sys.stderr,
        )
        return 2
    reminders = hub.mail.queue_reminders()
    report = hub.mail_sender.send_due()
    print(
        f"{report.sent} sent, {report.waiting} kept for a later try, "
        f"{report.failed} refused for good ({reminders} expiry reminder(s) queued)"
    )
    for problem in report.problems:
        print(f"kiosk-hub mail send: {problem}", file=sys.stderr)
    return 0 if report.ok else 1


def _migrate(args: argparse.Namespace, settings: HubSettings) -> int:
    database = open_database(settings.resolved_database_url, blob_dir=settings.resolved_blob_dir)
    print(f"hub database ({database.backend}) is at the newest schema")
    database.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk-hub", description="Interview Kiosk hub")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="run the HR portal and the sync API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (uvicorn's supervisor restarts one that dies); about one per "
        "core. Each has its own database pool (HUB_DB_POOL_SIZE + HUB_DB_MAX_OVERFLOW)",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="addresses of the reverse proxies whose X-Forwarded-For/-Proto headers are "
        "believed (comma-separated, '*' for any: only behind a proxy that sets them)",
    )
    serve.add_argument(
        "--dev",
        action="store_true",
        help="development only: a throw-away secret key, cookies over plain http",
    )
    serve.set_defaults(handler=_serve)
    sub.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        handler=_migrate
    )
    admin = sub.add_parser("create-admin", help="create a portal user (HUB_ADMIN_PASSWORD or ask)")
    admin.add_argument("email")
    admin.add_argument("--organisation", default="Default")
    admin.add_argument("--role", default="admin", choices=("admin", "hr", "invigilator"))
    admin.set_defaults(handler=_create_admin)
    unlock = sub.add_parser("unlock", help="lift the sign-in delays failed sign-ins put on a user")
    unlock.add_argument("email")
    unlock.set_defaults(handler=_unlock)
    reset = sub.add_parser(
        "reset-two-factor", help="clear a user's second factor (a lost authenticator)"
    )
    reset.add_argument("email")
    reset.add_argument("--organisation", default="Default")
    reset.set_defaults(handler=_reset_two_factor)
    code = sub.add_parser("enrolment-code", help="print a one-time code that enrols one kiosk")
    code.add_argument("--organisation", default="Default", help="matched in any case")
    code.add_argument(
        "--create-organisation",
        action="store_true",
        help="create the organisation when no organisation has that name",
    )
    code.set_defaults(handler=_enrolment_code)
    branding = sub.add_parser(
        "branding", help="the name and logo kiosks show candidates in their header"
    )
    branding.add_argument("--organisation", default="Default")
    branding.add_argument(
        "--display-name", default=None, help="the name shown (default: the organisation's)"
    )
    branding.add_argument(
        "--logo", type=Path, default=None, help="a PNG or JPEG of at most 128 KiB (omit: none)"
    )
    branding.set_defaults(handler=_branding)
    sub.add_parser("purge", help="apply every organisation's data retention now").set_defaults(
        handler=_purge
    )
    policy = sub.add_parser(
        "data-policy",
        help="show (or change) an organisation's data policy, in the words candidates read",
    )
    policy.add_argument("--organisation", default="Default")
    policy.add_argument(
        "--send-answer-audio",
        choices=("yes", "no"),
        help="kiosks send answer recordings to the hub (FLAC); default no",
    )
    policy.add_argument(
        "--kiosk-days",
        type=int,
        metavar="N",
        help="days a kiosk keeps a session's personal data after the hub has all of it",
    )
    policy.set_defaults(handler=_data_policy)
    mail = sub.add_parser("mail", help="the e-mail outbox").add_subparsers(
        dest="mail_command", required=True, metavar="ACTION"
    )
    mail.add_parser(
        "send", help="queue due expiry reminders and send what is due; 1 when not all went"
    ).set_defaults(handler=_mail_send)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("HUB_LOG_LEVEL", "WARNING").upper())
    args = build_parser().parse_args(argv)
    try:
        settings = HubSettings()
    except ValidationError as error:
        for problem in error.errors():
            name = "HUB_" + "_".join(str(part) for part in problem["loc"]).upper()
            print(f"kiosk-hub: {name}={problem.get('input')!r}: {problem['msg']}",
                  file=sys.stderr)
        return 2
    try:
        return int(args.handler(args, settings))
    except (HubError, HubConfigurationError) as error:
        print(f"kiosk-hub {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
