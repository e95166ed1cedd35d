"""Reaching people: one e-mail per responsible body with its own items, and an iCalendar feed.

Building messages and calendars is pure: `net/smtp.py` sends them.
"""
from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid

from ..messages import moment_text, phrase, status, vn_date
from ..model import Obligation, Workspace
from .text import days_text

SELECTIONS = {"overdue": ("overdue",), "due": ("today", "soon"), None: ("overdue", "today", "soon")}


@dataclass(frozen=True)
class Mail:
    body: str  # the body id, or "" for the office's summary
    message: EmailMessage
    items: tuple[Obligation, ...]

    @property
    def digest(self) -> str:
        """What was said, so the same list is not sent twice in a day."""
        return hashlib.sha256("\n".join(f"{o.id}|{o.status}|{o.due}" for o in self.items).encode()).hexdigest()


def mails(obligations: list[Obligation], workspace: Workspace, as_of: date, only: str | None,
          sender: str, now: datetime, lang: str = "vi") -> tuple[list[Mail], list[str]]:
    """One message per body with items to report (and a summary to the office); bodies without address."""
    wanted = SELECTIONS[only]
    chosen = [o for o in obligations if o.status in wanted]
    by_body: dict[str, list[Obligation]] = {}
    for o in chosen:
        by_body.setdefault(o.obligor, []).append(o)
    found, missing = [], []
    for body_id, items in sorted(by_body.items()):
        body = workspace.bodies.get(body_id)
        if body is None or not body.email:
            missing.append(body_id)
            continue
        found.append(Mail(body_id, _message(workspace, items, as_of, sender, body.email,
                                            workspace.body_name(body_id, lang), now, lang), tuple(items)))
    office_email = workspace.settings.office.get("email")
    if office_email and chosen:
        found.append(Mail("", _message(workspace, chosen, as_of, sender, office_email, workspace.settings.office.get("name", ""),
                                       now, lang), tuple(chosen)))
    return found, missing


def _message(workspace: Workspace, items: list[Obligation], as_of: date, sender: str, to: str,
             name: str, now: datetime, lang: str) -> EmailMessage:
    counts = {s: sum(o.status == s for o in items) for s in ("overdue", "today", "soon")}
    # Long header lines (allowed up to 998 octets) keep the encoded Vietnamese subject in one piece:
    # Python's default folding drops the space between two encoded words.
    message = EmailMessage(policy=policy.SMTP.clone(max_line_length=998))
    message["Subject"] = phrase("mail.subject", lang, name=name, date=as_of, **counts)
    office = workspace.settings.office.get("name", "hdnd")
    domain = sender.rpartition("@")[2] or "localhost"
    message["From"] = Address(display_name=office, addr_spec=sender)  # the name RFC 2047-encoded by the policy
    message["To"] = to
    message["Date"] = now
    message["Message-ID"] = make_msgid("hdnd", domain=domain)
    message["List-Id"] = f"{office} <{office_uid(workspace)}.hdnd.{domain}>"  # one list per office, renames aside
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, filters can sort it
    greeting, intro = phrase("mail.greeting", lang, name=name), phrase("mail.intro", lang, date=as_of)
    lines = [greeting, "", intro, ""]
    rows = []
    for o in items:
        title = (o.title_en or o.title) if lang == "en" else o.title
        source = ", ".join(x for x in (o.rule.pack.title if o.rule else o.source, o.basis) if x)
        said, days = status(o.status, lang), days_text(o, lang)
        lines.append(phrase("mail.item", lang, title=title, due=o.due, status=said, days=days, id=o.id))
        if source:
            lines.append(phrase("mail.item-source", lang, source=source))
        rows.append(f"<tr><td>{html.escape(said)}</td><td>{vn_date(o.due)}</td><td>{html.escape(days)}</td>"
                    f"<td>{html.escape(title)}<br><small>{html.escape(o.id)}</small></td><td>{html.escape(source)}</td></tr>")
    signature = phrase("mail.signature", lang)
    lines += ["", f"-- {office}", signature]
    message.set_content("\n".join(lines))
    headers = "".join(f"<th>{phrase(f'mail.col-{key}', lang)}</th>" for key in ("status", "due", "days", "title", "source"))
    message.add_alternative(
        f"<html><body><p>{html.escape(greeting)}</p><p>{html.escape(intro)}</p><table border=\"1\" cellpadding=\"4\" "
        f"cellspacing=\"0\"><tr>{headers}</tr>{''.join(rows)}</table>"
        f"<p>-- {html.escape(office)}<br><small>{html.escape(signature)}</small></p></body></html>", subtype="html")
    return message


def office_uid(workspace: Workspace) -> str:
    """The office's permanent id (`[office] uid`, set by `hdnd init`), so a renamed office keeps its
    calendar events and its mail list; a workspace made before it had one uses its name's hash."""
    return str(workspace.settings.office.get("uid") or hashlib.sha1(workspace.settings.office.get("name", "hdnd").encode()).hexdigest()[:12])


# --- iCalendar ----------------------------------------------------------------------------------------

def calendar(obligations: list[Obligation], workspace: Workspace, horizon: int, now: datetime,
             lang: str = "vi", known_on: datetime | None = None, left_out: int = 0) -> bytes:
    """RFC 5545: one all-day event per open obligation on its due date, a stable UID, an alarm."""
    from icalendar import Alarm, Calendar, Event

    office = workspace.settings.office.get("name", "hdnd")
    slug = office_uid(workspace)
    feed = Calendar()
    feed.add("prodid", "-//hdnd//hdnd deadlines//VI")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", phrase("feed.name", lang, office=office))
    about = phrase("feed.about", lang, office=office, now=now.strftime("%H:%M %d/%m/%Y"), law=workspace.law.version)
    if known_on is not None:
        about += phrase("report.known-on", lang, known_on=moment_text(known_on, lang), left_out=left_out)
    feed.add("x-wr-caldesc", about)
    feed.add("x-hdnd-workspace", str(workspace.settings.config_file.resolve()))
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for o in obligations:
        if not o.is_open or o.due is None:  # a suspended case has no day to put in a calendar
            continue
        event = Event()
        event.add("uid", f"{o.id}@{slug}.hdnd")
        event.add("dtstamp", stamp)
        event.add("dtstart", o.due)
        event.add("dtend", o.due + timedelta(days=1))
        title, body = (o.title_en or o.title) if lang == "en" else o.title, workspace.body_name(o.obligor, lang)
        event.add("summary", f"{title} ({body})")
        words = [phrase("feed.id", lang, id=o.id), phrase("feed.body", lang, body=body)]
        if o.rule:
            words.append(phrase("feed.source", lang, source=o.rule.pack.title + (f", {o.rule.basis}" if o.rule.basis else "")))
            if o.rule.quote:
                words.append(f"«{o.rule.quote}»")
        elif o.basis or o.source:
            words.append(phrase("feed.source", lang, source=", ".join(str(x) for x in (o.source, o.basis) if x)))
        event.add("description", "\n".join(words))
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
        alarm.add("trigger", timedelta(days=-(o.rule.warn if o.rule and o.rule.warn is not None else horizon)))
        event.add_component(alarm)
        feed.add_component(event)
    ical: bytes = feed.to_ical()  # icalendar is untyped
    return ical
