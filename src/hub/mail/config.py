"""The SMTP settings as one value, checked at start-up; `enabled` is False without a host."""

from __future__ import annotations

from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from pathlib import Path

from pydantic import SecretStr

from hub.settings import HubConfigurationError, HubSettings

#: The usual port of each TLS mode, used when HUB_SMTP_PORT is 0.
DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}
TLS_WORDS = {
    "none": "without encryption",
    "starttls": "encrypted with STARTTLS",
    "tls": "encrypted with TLS from the start",
}


def mail_address(text: str) -> Address | None:
    """`text` as one plain e-mail address, or None: nothing a header could be built from (no
    display name, no line breaks, no second address)."""
    text = text.strip()
    if not text or any(c.isspace() or ord(c) < 32 for c in text) or text.count("@") != 1:
        return None
    try:
        address = Address(addr_spec=text)
    except (HeaderParseError, ValueError, IndexError):
        return None
    return address if address.username and address.domain else None


@dataclass(frozen=True, slots=True)
class MailConfig:
    host: str = ""
    port: int = 0
    tls: str = "starttls"
    user: str = ""
    password: SecretStr | None = None
    ca_file: Path | None = None
    timeout_s: float = 20.0
    sender: str = ""
    sender_name: str = ""
    public_url: str = ""
    reminder_hours: int = 24
    poll_seconds: float = 30.0

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    @property
    def resolved_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.tls]

    @classmethod
    def from_settings(cls, settings: HubSettings) -> MailConfig:
        """The settings, or `HubConfigurationError` saying what is missing: a host without a
        sender address would queue mail no server accepts."""
        config = cls(
            host=settings.smtp_host.strip(),
            port=settings.smtp_port,
            tls=settings.smtp_tls,
            user=settings.smtp_user,
            password=settings.smtp_password,
            ca_file=settings.smtp_ca_file,
            timeout_s=settings.smtp_timeout_seconds,
            sender=settings.mail_from.strip(),
            sender_name=settings.mail_from_name.strip(),
            public_url=settings.public_url.strip().rstrip("/"),
            reminder_hours=settings.mail_reminder_hours,
            poll_seconds=settings.mail_poll_seconds,
        )
        if config.enabled and mail_address(config.sender) is None:
            raise HubConfigurationError(
                "HUB_SMTP_HOST is set, so the hub sends e-mail, but HUB_MAIL_FROM "
                f"({config.sender!r}) is not an address to send from: set it to one such as "
                "hr@example.org (or unset HUB_SMTP_HOST to turn e-mail off)"
            )
        if config.ca_file is not None and not config.ca_file.is_file():
            raise HubConfigurationError(
                f"HUB_SMTP_CA_FILE names {config.ca_file}, which is not a file"
            )
        return config

    def describe(self) -> str:
        """One sentence for the admin page."""
        if not self.enabled:
            return (
                "E-mail is off: no mail server is set up for this hub, so no invitations, "
                "reminders or notices are sent; candidates get their key on the printed slip."
            )
        login = f", signing in as {self.user}" if self.user else ""
        return (
            f"E-mail goes through {self.host} port {self.resolved_port}, "
            f"{TLS_WORDS[self.tls]}{login}, from {self.sender_name or self.sender} "
            f"<{self.sender}>."
        )
