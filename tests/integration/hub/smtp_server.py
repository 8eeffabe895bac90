"""A real SMTP server for the e-mail tests: aiosmtpd in a process of its own, writing what it
accepts to a Maildir the test reads, optionally offering STARTTLS with a certificate from the
test's own certificate authority. Addresses at refused.test are refused for good (550) and at
busy.test for now (451), as a real server refuses an unknown or a full mailbox."""

from __future__ import annotations

import datetime as dt
import ipaddress
import mailbox
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

from aiosmtpd.handlers import Mailbox

REPO = Path(__file__).resolve().parents[3]


class RefusingMailbox(Mailbox):
    """aiosmtpd's Maildir handler, with the two refusing domains."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.endswith("@refused.test"):
            return "550 5.1.1 No such mailbox here"
        if address.endswith("@busy.test"):
            return "451 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@dataclass(frozen=True)
class Certificates:
    ca: Path
    cert: Path
    key: Path


def make_certificates(folder: Path) -> Certificates:
    """A certificate authority and a server certificate it signed for 127.0.0.1/localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test mail CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    found = Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    found.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    found.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    found.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpProcess:
    """`python -m aiosmtpd` on a fixed loopback port; stop and start it again (an outage)."""

    def __init__(
        self,
        maildir: Path,
        tls: Certificates | None = None,
        *,
        implicit: bool = False,
        login: tuple[str, str] | None = None,
    ) -> None:
        self.maildir = maildir
        self.port = _free_port()
        self._tls = tls
        self._implicit = implicit  # TLS from the first byte (SMTPS) rather than STARTTLS
        self._login = login  # AUTH required after STARTTLS (needs `tls`): this module's main
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.maildir.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "aiosmtpd", "-n",
            "-l", f"127.0.0.1:{self.port}",
            "-c", f"{__name__}.RefusingMailbox", str(self.maildir),
        ]  # fmt: skip
        if self._login is not None and self._tls is not None:
            command = [
                sys.executable, "-m", __name__, str(self.maildir), str(self.port),
                str(self._tls.cert), str(self._tls.key), *self._login,
            ]  # fmt: skip
        elif self._tls is not None and self._implicit:
            command += ["--smtpscert", str(self._tls.cert), "--smtpskey", str(self._tls.key)]
        elif self._tls is not None:  # STARTTLS offered and required before any mail
            command += ["--tlscert", str(self._tls.cert), "--tlskey", str(self._tls.key)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src")])}
        self._process = subprocess.Popen(command, cwd=REPO, env=env, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"aiosmtpd exited: {self._process.stderr.read().decode()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if self._implicit or sock.recv(100).startswith(b"220"):
                        return  # (an SMTPS server speaks only after the TLS handshake)
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("aiosmtpd did not answer within 20 s")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            if self._process.stderr is not None:
                self._process.stderr.close()
            self._process = None

    def received(self) -> list[Any]:
        """Every message the server accepted, oldest first."""
        if not self.maildir.exists():
            return []
        box = mailbox.Maildir(self.maildir, factory=None, create=False)
        messages = [box.get_bytes(key) for key in box.iterkeys()]
        parsed = [message_from_bytes(raw, policy=default) for raw in messages]
        return sorted(parsed, key=lambda m: int(str(m["Message-ID"]).split(".")[1]))


def _serve_with_login(argv: list[str]) -> None:
    """aiosmtpd's CLI cannot ask for a password: the same server, STARTTLS and AUTH required,
    built here (MAILDIR PORT CERT KEY USER PASSWORD); runs until terminated."""
    import signal
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    maildir, port, cert, key, user, password = argv

    def check(_server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any) -> Any:
        good = isinstance(data, LoginPassword) and (data.login, data.password) == (
            user.encode(),
            password.encode(),
        )
        return AuthResult(success=good, handled=False)  # aiosmtpd answers 535 itself

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    controller = Controller(
        RefusingMailbox(Path(maildir)),
        hostname="127.0.0.1",
        port=int(port),
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=check,
    )
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


if __name__ == "__main__":
    import signal as _signal

    _signal.pthread_sigmask(_signal.SIG_BLOCK, {_signal.SIGTERM, _signal.SIGINT})
    _serve_with_login(sys.argv[1:])
