"""Sending mail through an office's server: the one place hdnd talks SMTP.

`render/mail.py` builds the messages (pure); the application's `notify` decides what is sent and
keeps the log of what went.
"""
from __future__ import annotations

from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any

TIMEOUT = 10  # seconds a silent server may take per step before the run gives up on it ([notify] timeout)


class NotDelivered(Exception):
    """A message the server did not take: why (any password taken out), and whether the server could
    not be reached or hung up (then it is not tried again in this run)."""

    def __init__(self, reason: str, unreachable: bool):
        super().__init__(reason)
        self.reason, self.unreachable = reason, unreachable


def send(settings: Mapping[str, Any], password: str | None, message: EmailMessage) -> None:
    """Deliver one message through the office's server, or raise NotDelivered."""
    import smtplib

    try:
        _send(settings, password, message)
    except (OSError, smtplib.SMTPException) as error:
        # A refusal of this message (a 550 for its recipient) fails it alone; a server that cannot be
        # reached, hangs up or stops answering is not tried again in this run. (SMTPException is an
        # OSError: the order of these tests matters.)
        gone = isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)) or not isinstance(
            error, smtplib.SMTPException)
        raise NotDelivered(scrub(str(error), settings, password)[:300], gone) from None


def _send(settings: Mapping[str, Any], password: str | None, message: EmailMessage) -> None:
    """Through the office's server (STARTTLS, SSL or, when told, plain); raises OSError or
    SMTPException. The certificate is checked against the system's trusted authorities, and
    no password crosses an unencrypted connection unless `plain_login = true` says it may."""
    import smtplib
    import ssl

    host, security = settings.get("host", "localhost"), settings.get("security", "starttls")
    if security not in ("starttls", "ssl", "none"):  # `check` refuses it first; never fall back to plain
        raise smtplib.SMTPException(f"security = {security!r}")
    port = settings.get("port") or {"ssl": 465, "starttls": 587}.get(security, 25)
    timeout = settings.get("timeout", TIMEOUT)
    client: smtplib.SMTP
    if security == "ssl":
        client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
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
