"""The words of each e-mail (Jinja templates, text and HTML) and the message put on the wire.

Everything that reaches a header (a candidate's name in a subject or a display name) passes
`one_line` first: a name typed with a line break could otherwise add headers of its own (a Bcc
to someone else). Addresses are parsed by the standard library (`mail_address`), never pasted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from hub.mail.config import MailConfig, mail_address

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "mail"
_BREAKS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029\s]+")
HEADER_TEXT_LIMIT = 150

_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def one_line(text: str, limit: int = HEADER_TEXT_LIMIT) -> str:
    """`text` as a single line (every line break and control character becomes a space),
    shortened to `limit` characters: safe to put into a header."""
    flat = _BREAKS.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Letter:
    subject: str
    text: str
    html: str


def letter(kind: str, subject: str, **context: Any) -> Letter:
    """The message of `kind` (templates `<kind>.txt` and `<kind>.html`) with `context`."""
    return Letter(
        one_line(subject, 200),
        _env.get_template(f"{kind}.txt").render(**context),
        _env.get_template(f"{kind}.html").render(**context),
    )


def email_message(
    config: MailConfig,
    *,
    message_id: int,
    to_address: str,
    to_name: str,
    subject: str,
    text: str,
    html: str,
    created_at: datetime,
) -> EmailMessage:
    """A multipart/alternative message (text first, HTML preferred by clients that show it).
    Its Message-ID is the outbox row's, so a retry after a lost answer is recognisably the same
    message. `ValueError` for an address no header can be built from."""
    recipient = mail_address(to_address)
    sender = mail_address(config.sender)
    if recipient is None or sender is None:
        raise ValueError(f"{to_address!r} is not an e-mail address")
    message = EmailMessage()
    message["From"] = Address(one_line(config.sender_name), sender.username, sender.domain)
    message["To"] = Address(one_line(to_name), recipient.username, recipient.domain)
    message["Subject"] = one_line(subject, 200)
    message["Date"] = format_datetime(created_at)
    stamp = int(created_at.timestamp())
    message["Message-ID"] = f"<kiosk-hub.{message_id}.{stamp}@{sender.domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to a notice
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
