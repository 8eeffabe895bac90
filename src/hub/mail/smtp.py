"""Hand one message to the SMTP server, and say whether a failure is worth trying again.

A refusal with a 5xx reply to the recipient (or to the message itself) is permanent: the same
message to the same address will be refused again, so it is marked failed and shown to HR.
Everything else (no answer, a 4xx reply, a TLS or sign-in problem that the operator can fix)
is temporary: the message stays queued and is tried again later.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from hub.mail.config import MailConfig


class MailDeliveryError(Exception):
    """The server did not take the message; `permanent` when trying again cannot help, and
    `server_down` when no conversation with it was possible at all."""

    def __init__(self, reason: str, *, permanent: bool = False, server_down: bool = False):
        super().__init__(reason)
        self.permanent = permanent
        self.server_down = server_down


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}"[:300]


def _tls_context(config: MailConfig) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(config.ca_file) if config.ca_file else None)


def _connect(config: MailConfig) -> smtplib.SMTP:
    host, port = config.host, config.resolved_port
    if config.tls == "tls":
        return smtplib.SMTP_SSL(host, port, timeout=config.timeout_s, context=_tls_context(config))
    smtp = smtplib.SMTP(host, port, timeout=config.timeout_s)
    if config.tls == "starttls":
        try:
            smtp.starttls(context=_tls_context(config))
        except BaseException:
            smtp.close()
            raise
    return smtp


def deliver(config: MailConfig, message: EmailMessage) -> None:
    """Send `message`, or raise `MailDeliveryError` saying why, in words for HR."""
    where = f"{config.host} port {config.resolved_port}"
    try:
        with _connect(config) as smtp:
            if config.user:
                password = config.password.get_secret_value() if config.password else ""
                smtp.login(config.user, password)
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        replies = [_reply(code, text) for code, text in error.recipients.values()]
        permanent = all(code >= 500 for code, _ in error.recipients.values())
        raise MailDeliveryError(
            f"the mail server refused the address ({'; '.join(replies)})", permanent=permanent
        ) from error
    except smtplib.SMTPDataError as error:
        raise MailDeliveryError(
            f"the mail server refused the message ({_reply(error.smtp_code, error.smtp_error)})",
            permanent=error.smtp_code >= 500,
        ) from error
    except smtplib.SMTPNotSupportedError as error:
        raise MailDeliveryError(
            f"the mail server at {where} does not offer STARTTLS: check the TLS setting"
        ) from error
    except smtplib.SMTPAuthenticationError as error:
        raise MailDeliveryError(
            f"the mail server did not accept the hub's user name and password "
            f"({_reply(error.smtp_code, error.smtp_error)})"
        ) from error
    except smtplib.SMTPResponseException as error:
        raise MailDeliveryError(
            f"the mail server answered {_reply(error.smtp_code, error.smtp_error)}"
        ) from error
    except ssl.SSLError as error:
        raise MailDeliveryError(
            f"no secure connection to the mail server at {where} ({error.reason or error})"
        ) from error
    except (smtplib.SMTPException, OSError) as error:
        raise MailDeliveryError(
            f"the mail server at {where} could not be reached ({error or type(error).__name__})",
            server_down=True,
        ) from error
