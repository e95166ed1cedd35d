"""Sending mail through an office's server: the one place hdnd talks SMTP.

`render/mail.py` builds the messages (pure); the application's `notify` decides what is sent and
keeps the log of what went.
"""
from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from typing import Any

TIMEOUT = 10  # seconds a silent server may take per step before the run gives up on it ([notify] timeout)
OVER = "the run's time for sending is over ([notify] deadline)"
DATA_TIMEOUT = 600  # seconds for the answer to a message's end: RFC 5321 §4.5.3.2.6 asks a client for 10 minutes


class NotDelivered(Exception):
    """A message the server did not take: why (any password taken out), whether the server could not
    be reached or hung up (then it is not tried again in this run), and whether the message may have
    gone all the same (the server went quiet after the whole of it was sent)."""

    def __init__(self, reason: str, unreachable: bool, unsure: bool = False):
        super().__init__(reason)
        self.reason, self.unreachable, self.unsure = reason, unreachable, unsure


def send(settings: Mapping[str, Any], password: str | None, message: EmailMessage,
         left: Callable[[], float] | None = None) -> None:
    """Deliver one message through the office's server, or raise NotDelivered. `left`: the seconds the
    run has left; past them the connection is closed, whatever the server is doing (one that answers a
    byte at a time never times out a step)."""
    import smtplib

    left = left or (lambda: float(DATA_TIMEOUT))
    try:
        _send(settings, password, message, left)
    except _Unsure as unsure:
        raise NotDelivered(scrub(str(unsure.cause), settings, password)[:300], True, unsure=True) from None
    except (OSError, smtplib.SMTPException) as error:
        # A refusal of this message (a 550 for its recipient) fails it alone; a server that cannot be
        # reached, hangs up or stops answering is not tried again in this run. (SMTPException is an
        # OSError: the order of these tests matters.)
        gone = isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)) or not isinstance(
            error, smtplib.SMTPException)
        reason = OVER if left() <= 0 else scrub(str(error), settings, password)[:300]
        raise NotDelivered(reason, gone) from None


class _Unsure(Exception):
    """The server went quiet, or away, once the message's end was sent: it may have taken it."""

    def __init__(self, cause: Exception):
        super().__init__(str(cause))
        self.cause = cause


def _client(base: type[Any], left: Callable[[], float]) -> type[Any]:
    """smtplib's client, waiting for the answer to a message's end as long as the standard asks (and
    the run has left), and saying when that answer never came."""

    class Client(base):  # type: ignore[misc]  # smtplib's classes, chosen at run time
        def data(self, msg: Any) -> Any:
            if self.sock is not None:
                self.sock.settimeout(max(0.1, min(DATA_TIMEOUT, left())))
            try:
                return super().data(msg)
            except (TimeoutError, OSError) as error:
                import smtplib

                if isinstance(error, smtplib.SMTPResponseException):  # an answer: not taken
                    raise
                raise _Unsure(error) from None

    return Client


def _send(settings: Mapping[str, Any], password: str | None, message: EmailMessage,
          left: Callable[[], float]) -> None:
    """Through the office's server (STARTTLS, SSL or, when told, plain); raises OSError or
    SMTPException. The certificate is checked against the system's trusted authorities, and
    no password crosses an unencrypted connection unless `plain_login = true` says it may."""
    import smtplib
    import ssl

    host, security = settings.get("host", "localhost"), settings.get("security", "starttls")
    if security not in ("starttls", "ssl", "none"):  # `check` refuses it first; never fall back to plain
        raise smtplib.SMTPException(f"security = {security!r}")
    port = settings.get("port") or {"ssl": 465, "starttls": 587}.get(security, 25)
    if left() <= 0:
        raise TimeoutError(OVER)
    timeout = max(0.1, min(settings.get("timeout", TIMEOUT), left()))
    client: smtplib.SMTP
    if security == "ssl":
        client = _client(smtplib.SMTP_SSL, left)(timeout=timeout, context=ssl.create_default_context())
    else:
        client = _client(smtplib.SMTP, left)(timeout=timeout)

    def stop() -> None:  # the run's end: a read in progress returns at once, the server is let go
        if client.sock is not None:
            with contextlib.suppress(OSError):
                client.sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(max(0.0, left()), stop)
    watchdog.daemon = True
    watchdog.start()
    try:
        client._host = host  # type: ignore[attr-defined]  # noqa: SLF001 - TLS checks the name smtplib takes from its constructor host
        client.connect(host, port)
        _talk(client, settings, password, message, security)
    finally:
        watchdog.cancel()


def _talk(client: Any, settings: Mapping[str, Any], password: str | None, message: EmailMessage,
          security: str) -> None:
    import smtplib
    import ssl

    with client:
        if security == "starttls":
            client.starttls(context=ssl.create_default_context())  # raises if the server offers no TLS
        if settings.get("user"):
            if security == "none" and settings.get("plain_login") is not True:
                raise smtplib.SMTPException("no login over an unencrypted connection (plain_login is not true)")
            client.login(settings["user"], password or "")
        client.send_message(message)


def scrub(text: str, settings: Mapping[str, Any], password: str | None) -> str:
    """A server's answer as it may be printed: without the password, in clear or as AUTH sends it."""
    import base64

    if not password:
        return text
    user = str(settings.get("user", ""))
    secrets = [password, base64.b64encode(f"\0{user}\0{password}".encode()).decode(),
               base64.b64encode(password.encode()).decode()]
    for secret in secrets:
        text = text.replace(secret, "***")
    return text
