"""`hdnd notify` against a real SMTP server on localhost, and `hdnd ics` read back by a parser."""
import contextlib
import re
import socket
import subprocess
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from conftest import CACHE_DIR, hdnd_command

RULES = """
[[rules]]
id = "annual"
title = "Báo cáo đánh giá việc thực hiện nghị quyết"
obligor = "ubnd"
basis = "Mục 1"
quote = "chậm nhất ngày 30/11"
schedule = { every = "year", month = 11, day = 30 }
warn = "14d"

[[rules]]
id = "quarterly"
title = "Báo cáo quý"
obligors = ["tt-hdnd", "ban-dan-toc"]
schedule = { every = "quarter", month = 3, day = 24, roll = "none" }
"""

BODIES = """
[[bodies]]
id = "ban-dan-toc"
name = "Ban Dân tộc HĐND tỉnh"

[notify]
host = "127.0.0.1"
port = {port}
security = "none"
sender = "hdnd@hdnd.example.vn"
"""


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


UNADDRESSED = 5  # sent all it could; the Ban, which has items, has no address (cron must know)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def morning(monkeypatch):
    """The cron job's morning: mail goes out only about today (SPEC §5), so the clock is stopped."""
    monkeypatch.setenv("HDND_NOW", "2026-11-23T07:00")


@contextlib.contextmanager
def serving(handler: Inbox):
    """A local SMTP server run by `handler`, for the time of the block."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def smtp():
    inbox = Inbox()
    with serving(inbox) as controller:
        yield controller, inbox


def office(ws, port):
    """The test workspace with addresses for UBND and the office, none for the Ban, and a local server."""
    config = (ws.root / "hdnd.toml").read_text()
    config = config.replace('level = "province"\n', 'level = "province"\nsince = 2026-01-01\n'
                                                     'email = "vanphong@hdnd.example.vn"\n')
    config = config.replace('name = "Ủy ban nhân dân tỉnh"\n', 'name = "Ủy ban nhân dân tỉnh"\n'
                                                             'email = "vanthu@ubnd.example.vn"\n')
    (ws.root / "hdnd.toml").write_text(config + BODIES.format(port=port))
    ws.rules(RULES)
    ws.ledger("- {kind: done, obligation: quarterly/2026-Q3/tt-hdnd, date: 2026-09-20}\n")
    return ws


def test_each_body_gets_only_its_own_items(ws, smtp):
    controller, inbox = smtp
    office(ws, controller.port)
    result = ws.run("notify", "--as-of", "2026-11-23")
    assert result.returncode == UNADDRESSED, result.stderr
    by_rcpt = {tuple(rcpt): message for rcpt, message in inbox.messages}
    assert set(by_rcpt) == {("vanthu@ubnd.example.vn",), ("vanphong@hdnd.example.vn",)}
    ubnd = by_rcpt[("vanthu@ubnd.example.vn",)]
    assert ubnd["Subject"] == ("[hdnd] Ủy ban nhân dân tỉnh: 0 việc quá hạn, 0 đến hạn hôm nay, 1 sắp đến hạn "
                               "(23/11/2026)")
    raw = ubnd.as_bytes()
    assert b"=?utf-8?" in raw  # the Vietnamese subject is encoded (RFC 2047)
    text = ubnd.get_body(("plain",)).get_content()
    html = ubnd.get_body(("html",)).get_content()
    assert "annual/2026" in text and "30/11/2026" in text and "còn 7 ngày" in text and "Mục 1" in text
    assert "annual/2026" in html and "<table" in html
    assert "quarterly" not in text  # not its item
    # The Ban has an overdue item (Q3, 24/09) but no address: reported, not skipped silently.
    assert "ban-dan-toc" in result.stderr
    summary = by_rcpt[("vanphong@hdnd.example.vn",)].get_body(("plain",)).get_content()
    assert "annual/2026" in summary and "quarterly/2026-Q3/ban-dan-toc" in summary


def test_a_body_with_several_addresses_reaches_each_and_the_message_says_only_what_it_has(ws, smtp):
    controller, inbox = smtp
    office(ws, controller.port)
    config = (ws.root / "hdnd.toml").read_text()
    (ws.root / "hdnd.toml").write_text(config.replace('email = "vanthu@ubnd.example.vn"',
                                                      'email = ["vanthu@ubnd.example.vn", "chanhvp@ubnd.example.vn"]'))
    (ws.root / "data" / "giao.yaml").write_text(  # a duty a document assigned, with no source to cite
        "- {kind: obligation, id: bc-1, date: 2026-11-01, due: 2026-11-25, title: Báo cáo giao, obligor: ubnd}\n",
        encoding="utf-8")
    result = ws.run("notify", "--as-of", "2026-11-23")
    assert result.returncode == UNADDRESSED, result.stderr
    ubnd = next(message for rcpt, message in inbox.messages if "vanthu@ubnd.example.vn" in rcpt)
    assert ubnd["To"] == "vanthu@ubnd.example.vn, chanhvp@ubnd.example.vn"
    assert sorted(next(rcpt for rcpt, _ in inbox.messages if "vanthu@ubnd.example.vn" in rcpt)) == [
        "chanhvp@ubnd.example.vn", "vanthu@ubnd.example.vn"]
    text = ubnd.get_body(("plain",)).get_content()
    assert "(hdnd)\n" not in text and "Thư gửi tự động" in text
    assert "Báo cáo giao" in text and all(line.strip() != "Căn cứ:" for line in text.splitlines())
    # the Ban without an address is named as people name it, with its id
    assert "Ban Dân tộc HĐND tỉnh (ban-dan-toc) không có địa chỉ e-mail" in result.stderr
    (ws.root / "hdnd.toml").write_text(config.replace('email = "vanthu@ubnd.example.vn"',
                                                      'email = ["vanthu@ubnd.example.vn", "khong-phai-thu"]'))
    refused = ws.run("check")
    assert refused.returncode == 2 and "khong-phai-thu" in refused.stderr


class Refusing(Inbox):
    """A server that refuses one mailbox (550) and takes the rest."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == "vanthu@ubnd.example.vn":
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_refused_recipient_fails_its_message_alone(ws):
    inbox = Refusing()
    with serving(inbox) as controller:
        office(ws, controller.port)
        result = ws.run("notify", "--as-of", "2026-11-23")
    assert result.returncode == 3, result.stderr
    assert [rcpt for rcpt, _ in inbox.messages] == [["vanphong@hdnd.example.vn"]]  # the one after it still went
    failed = [line for line in result.stderr.splitlines() if "<" in line and ">:" in line]
    assert len(failed) == 1 and "vanthu@ubnd.example.vn" in failed[0] and "550" in failed[0], result.stderr


def test_the_sent_log_planted_as_a_link_is_neither_read_nor_written_through(ws, smtp, tmp_path):
    controller, inbox = smtp
    office(ws, controller.port)
    elsewhere = tmp_path / "only-cron-writes-here"
    elsewhere.write_text("giữ nguyên", encoding="utf-8")
    (ws.root / ".hdnd-notified.json").symlink_to(elsewhere)
    result = ws.run("notify", "--as-of", "2026-11-23")
    assert result.returncode == 2 and ".hdnd-notified.json" in result.stderr and "liên kết" in result.stderr
    assert elsewhere.read_text(encoding="utf-8") == "giữ nguyên" and inbox.messages == []


class Slow(Inbox):
    """A server that takes three seconds to answer the end of a message, then takes it."""

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(3)
        return await super().handle_DATA(server, session, envelope)


def test_a_server_slow_to_answer_a_messages_end_gets_it_once(ws):
    inbox = Slow()
    with serving(inbox) as controller:
        office(ws, controller.port)
        with (ws.root / "hdnd.toml").open("a", encoding="utf-8") as config:
            config.write("timeout = 1\n")  # a step's wait: the end of a message is waited for longer
        first = ws.run("notify", "--as-of", "2026-11-23")
        again = ws.run("notify", "--as-of", "2026-11-23")
    assert first.returncode == again.returncode == UNADDRESSED, first.stderr
    assert sorted(rcpt[0] for rcpt, _ in inbox.messages) == ["vanphong@hdnd.example.vn", "vanthu@ubnd.example.vn"]


def dripping_server() -> tuple[socket.socket, list]:
    """A server that answers a byte at a time, forever: no step ever times out."""
    import threading
    import time

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    clients = []

    def serve():
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            clients.append(client)
            try:
                while True:
                    client.sendall(b"220-")
                    time.sleep(0.3)
            except OSError:
                continue

    threading.Thread(target=serve, daemon=True).start()
    return server, clients


def test_a_run_has_a_deadline_and_holds_no_writer_waiting_meanwhile(ws):
    server, _ = dripping_server()
    office(ws, server.getsockname()[1])
    with (ws.root / "hdnd.toml").open("a", encoding="utf-8") as config:
        config.write("timeout = 1\ndeadline = 4\n")
    sending = subprocess.Popen([*hdnd_command(), "notify", "--as-of", "2026-11-23"], cwd=ws.root, text=True,
                               env={**ws.environment(), "HDND_NOW": "2026-11-23T07:00", "HDND_CACHE_DIR": CACHE_DIR},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)  # notify is talking to the server now
    written = ws.run("add", "complaint", "--date", "2026-11-20", env={"HDND_NOW": "2026-11-23T07:00"})
    assert written.returncode == 0 and sending.poll() is None, written.stderr  # the writer did not wait for mail
    _, stderr = sending.communicate(timeout=60)  # without the deadline it never ends
    server.close()
    assert sending.returncode == 3 and stderr.count("[notify] deadline") == 2, stderr  # both messages, and why


def test_a_sent_log_of_another_shape_is_started_afresh(ws, smtp):
    controller, inbox = smtp
    office(ws, controller.port)
    (ws.root / ".hdnd-notified.json").write_text('{"2026-11-23": [1, 2], "x": 3}', encoding="utf-8")
    result = ws.run("notify", "--as-of", "2026-11-23")
    assert result.returncode == UNADDRESSED and len(inbox.messages) == 2, result.stderr


def test_no_repeat_on_the_same_day_unless_forced(ws, smtp):
    controller, inbox = smtp
    office(ws, controller.port)
    assert ws.run("notify", "--as-of", "2026-11-23").returncode == UNADDRESSED
    count = len(inbox.messages)
    again = ws.run("notify", "--as-of", "2026-11-23")
    assert again.returncode == UNADDRESSED and len(inbox.messages) == count
    assert ws.run("notify", "--as-of", "2026-11-23", "--force").returncode == UNADDRESSED
    assert len(inbox.messages) == 2 * count


def test_dry_run_sends_nothing_and_only_selects(ws, smtp):
    controller, inbox = smtp
    office(ws, controller.port)
    dry = ws.run("notify", "--as-of", "2026-11-23", "--dry-run")
    assert dry.returncode == UNADDRESSED and inbox.messages == [] and "Subject: [hdnd] Ủy ban nhân dân tỉnh" in dry.stdout
    assert ws.run("notify", "--as-of", "2026-11-23", "--only", "overdue").returncode == UNADDRESSED
    assert [rcpt for rcpt, _ in inbox.messages] == [["vanphong@hdnd.example.vn"]]  # UBND has nothing overdue


def test_nothing_due_sends_nothing(ws, smtp, monkeypatch):
    controller, inbox = smtp
    office(ws, controller.port)
    monkeypatch.setenv("HDND_NOW", "2026-01-02T07:00")
    assert ws.run("notify").returncode == 0 and inbox.messages == []


def test_a_server_that_is_down_is_a_clear_error(ws):
    office(ws, free_port())
    result = ws.run("notify", "--as-of", "2026-11-23")
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert "vanthu@ubnd.example.vn" in result.stderr and "chưa gửi: 2" in result.stderr


def test_ics_parses_with_stable_uids_and_alarms(ws):
    from icalendar import Calendar

    office(ws, free_port())
    first = ws.run("ics", "--as-of", "2026-11-23")
    second = ws.run("ics", "-o", "lich.ics", "--as-of", "2026-11-23")
    assert first.returncode == second.returncode == 0
    events = {e["uid"]: e for e in Calendar.from_ical(first.stdout).walk("VEVENT")}
    again = {e["uid"] for e in Calendar.from_ical((ws.root / "lich.ics").read_bytes()).walk("VEVENT")}
    assert set(events) == again  # stable UIDs across runs
    annual = next(e for uid, e in events.items() if uid.startswith("annual/2026@"))
    assert str(annual.decoded("dtstart")) == "2026-11-30" and str(annual.decoded("dtend")) == "2026-12-01"
    assert "chậm nhất ngày 30/11" in str(annual["description"])
    assert annual.walk("VALARM")[0].decoded("trigger").days == -14
    assert not any(uid.startswith("quarterly/2026-Q3/tt-hdnd@") for uid in events)  # closed: dropped
    assert any(uid.startswith("quarterly/2026-Q3/ban-dan-toc@") for uid in events)


@pytest.mark.parametrize("field, line", [('name = "Ban\\nBcc: x@evil.example"', 15),
                                         ('email = "a@b.vn\\r\\nBcc: x@evil.example"', 16)])
def test_header_injection_is_refused_by_check(ws, field, line):
    """A line break in a name or an address (which would add a `Bcc:` header) is refused at its line,
    and the message shows it as `\\n`, on one line."""
    name = field if field.startswith("name") else 'name = "X"'
    ws.config(f'\n[[bodies]]\nid = "x"\n{name}\n' + ("" if field.startswith("name") else field + "\n"))
    result = ws.run("check")
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and all(p.startswith(f"hdnd.toml:{line}: ") for p in lines[:-1]), result.stderr
    assert any("chứa ký tự xuống dòng hoặc ký tự điều khiển" in p for p in lines[:-1])


def test_a_real_calendar_client_imports_the_feed_without_duplicates(tmp_path):
    """khal (Debian's package, installed by .ci/run where it can be) imports the feed twice."""
    import shutil
    import subprocess

    from icalendar import Calendar

    from conftest import run

    if shutil.which("khal") is None:
        pytest.skip("khal is not installed and could not be installed from the system packages")
    (tmp_path / "cal").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(f"[calendars]\n[[hdnd]]\npath = {tmp_path / 'cal'}/\ntype = calendar\n[locale]\n"
                      "timeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
                      "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n")
    assert run("ics", "--example", "--as-of", "2026-11-23", "-o", str(tmp_path / "feed.ics"), cwd=tmp_path).returncode == 0
    events = len(Calendar.from_ical((tmp_path / "feed.ics").read_bytes()).walk("VEVENT"))
    khal = ["khal", "-c", str(config)]
    for _ in range(2):
        subprocess.run([*khal, "import", "--batch", "-a", "hdnd", str(tmp_path / "feed.ics")], check=True, timeout=60)
    assert len(list((tmp_path / "cal").glob("*.ics"))) == events  # the second import updated, not duplicated
    listed = subprocess.run([*khal, "list", "2026-11-30", "2026-11-30"], capture_output=True, text=True, timeout=60)
    assert "Báo cáo đánh giá việc tổ chức thực hiện các nghị quyết" in listed.stdout


def test_mail_about_a_past_day_is_refused_unless_dry_run_or_forced(ws, smtp):
    """`notify --as-of 2026-11-20` once sent 8 messages announcing as overdue reports that had arrived."""
    controller, inbox = smtp
    office(ws, controller.port)
    for past in (["--as-of", "2026-11-20"], ["--known-on", "2026-11-22T17:00"]):
        refused = ws.run("notify", *past)
        assert refused.returncode == 2 and inbox.messages == []
        assert "không gửi thư về một ngày đã qua" in refused.stderr and "--dry-run" in refused.stderr
        dry = ws.run("notify", *past, "--dry-run")
        assert dry.returncode == UNADDRESSED and "To: vanthu@ubnd.example.vn" in dry.stdout and inbox.messages == []
    assert ws.run("notify", "--known-on", "2026-11-23T06:00").returncode == UNADDRESSED  # earlier today is today
    sent = len(inbox.messages)
    assert sent and ws.run("notify", "--as-of", "2026-11-20", "--force").returncode == UNADDRESSED
    assert len(inbox.messages) > sent


# --- mail security: TLS for real, and never a password in clear ------------------------------------

TLS_BODIES = BODIES.replace('security = "none"', 'security = "{security}"') + 'user = "vanphong"\n'


@pytest.fixture
def authority(tmp_path):
    """A certificate authority made for the test, and a certificate for 127.0.0.1 it signed."""
    import trustme

    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    return ca, ca.issue_cert("127.0.0.1"), tmp_path / "ca.pem"


def tls_server(inbox, certificate, implicit: bool, logins: list):
    import ssl

    from aiosmtpd.smtp import AuthResult

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)

    def authenticate(server, session, envelope, mechanism, data):
        logins.append((implicit or server._tls_protocol is not None, data.login, data.password))
        return AuthResult(success=data.password == b"mat-khau")

    # aiosmtpd's auth_require_tls knows only STARTTLS; a connection made in TLS is encrypted from the start.
    options = {"ssl_context": context, "auth_require_tls": False} if implicit else {
        "tls_context": context, "require_starttls": True, "auth_require_tls": True}
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticate, **options)
    controller.start()
    return controller


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_delivers_with_a_trusted_certificate_and_refuses_an_untrusted_one(ws, authority, security):
    ca, certificate, ca_file = authority
    inbox, logins = Inbox(), []
    controller = tls_server(inbox, certificate, security == "ssl", logins)
    try:
        office(ws, 0)
        config = (ws.root / "hdnd.toml").read_text()
        config = config[:config.index("[[bodies]]\nid = \"ban-dan-toc\"")] + TLS_BODIES.format(
            port=controller.port, security=security)
        (ws.root / "hdnd.toml").write_text(config)
        untrusted = ws.run("notify", env={"HDND_SMTP_PASSWORD": "mat-khau"})
        assert untrusted.returncode == 3 and "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
        assert inbox.messages == [] and logins == []
        trusted = ws.run("notify", env={"HDND_SMTP_PASSWORD": "mat-khau", "SSL_CERT_FILE": str(ca_file)})
        assert trusted.returncode == UNADDRESSED, trusted.stderr
        assert len(inbox.messages) == 2 and logins and all(tls for tls, _, _ in logins)
        assert logins[0][1:] == (b"vanphong", b"mat-khau")
    finally:
        controller.stop()


class Capture:
    """A plain SMTP server that offers no STARTTLS and records every byte a client sends it."""

    def __init__(self):
        import threading

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.port, self.seen = self.socket.getsockname()[1], b""
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.socket.settimeout(20)
        try:
            while True:
                connection, _ = self.socket.accept()
                with connection:
                    connection.sendall(b"220 capture ESMTP\r\n")
                    for line in connection.makefile("rb"):
                        self.seen += line
                        word = line[:4].upper()
                        reply = {b"EHLO": b"250-capture\r\n250 AUTH PLAIN LOGIN\r\n", b"QUIT": b"221 bye\r\n",
                                 b"DATA": b"354 go\r\n"}.get(word, b"250 ok\r\n")
                        connection.sendall(reply)
                        if word == b"QUIT":
                            break
        except OSError:
            return


@pytest.mark.parametrize("security, typo", [("none", None), ("starttls", None), ("none", "STARTTLS"),
                                            ("none", "tls"), ("none", "starttls ")])
def test_no_password_ever_crosses_a_plain_connection(ws, security, typo):
    """A typo in `security` once meant plain SMTP with AUTH PLAIN; now `check` refuses the typo, and a
    server without STARTTLS gets no login at all."""
    capture = Capture()
    office(ws, 0)
    config = (ws.root / "hdnd.toml").read_text()
    config = config[:config.index("[[bodies]]\nid = \"ban-dan-toc\"")] + TLS_BODIES.format(
        port=capture.port, security=typo or security)
    (ws.root / "hdnd.toml").write_text(config)
    result = ws.run("notify", env={"HDND_SMTP_PASSWORD": "mat-khau"})
    assert result.returncode in (2, 3), result.stderr
    assert b"AUTH" not in capture.seen and b"mat-khau" not in capture.seen and "mat-khau" not in result.stderr
    if typo or security == "none":
        assert result.returncode == 2 and capture.seen == b""  # refused by check, before any connection
        assert ws.run("check").returncode == 2
    else:
        assert result.returncode == 3 and b"ehlo" in capture.seen.lower() and "STARTTLS" in result.stderr


def test_plain_login_only_when_the_office_says_so(ws):
    capture = Capture()
    office(ws, 0)
    config = (ws.root / "hdnd.toml").read_text()
    config = config[:config.index("[[bodies]]\nid = \"ban-dan-toc\"")] + TLS_BODIES.format(
        port=capture.port, security="none") + "plain_login = true\n"
    (ws.root / "hdnd.toml").write_text(config)
    assert ws.run("check").returncode == 0
    ws.run("notify", env={"HDND_SMTP_PASSWORD": "mat-khau"})
    assert b"AUTH" in capture.seen
    # The other half: the same server and user without `plain_login = true`: no password in clear.
    refused, quiet = Capture(), ws.root / "hdnd.toml"
    quiet.write_text(config.replace(f"port = {capture.port}", f"port = {refused.port}").replace("plain_login = true\n", ""))
    result = ws.run("notify", env={"HDND_SMTP_PASSWORD": "mat-khau"})
    assert result.returncode != 0 and b"AUTH" not in refused.seen and b"mat-khau" not in refused.seen


def test_a_silent_server_is_waited_for_once_not_per_message(ws):
    """A server that accepts the connection and says nothing: one connection, one wait of the office's
    `timeout`, then the rest not tried."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    office(ws, silent.getsockname()[1])
    with (ws.root / "hdnd.toml").open("a", encoding="utf-8") as config:
        config.write("timeout = 1\n")
    result = ws.run("notify")
    assert result.returncode == 3 and result.stderr.count("timed out") == 2, result.stderr  # two messages
    silent.setblocking(False)
    connections = 0
    while True:  # what the run left in the queue: each connection it opened, answered or not
        try:
            silent.accept()[0].close()
        except BlockingIOError:
            break
        connections += 1
    silent.close()
    assert connections == 1


def test_mail_and_the_calendar_feed_speak_the_chosen_language(ws, smtp):
    controller, inbox = smtp
    office(ws, controller.port)
    english = ws.run("notify", "--as-of", "2026-11-23", "--dry-run", "--lang", "en")
    assert english.returncode == UNADDRESSED, english.stderr
    assert "overdue" in english.stdout and "What to follow up as of 23/11/2026:" in english.stdout
    assert "việc quá hạn" not in english.stdout and "Kính gửi" not in english.stdout
    by_locale = ws.run("notify", "--as-of", "2026-11-23", "--dry-run", env={"LANG": "en_US.UTF-8"})
    assert by_locale.stdout == english.stdout
    vietnamese = ws.run("notify", "--as-of", "2026-11-23", "--dry-run")
    assert "Kính gửi" in vietnamese.stdout and "What to follow up" not in vietnamese.stdout
    feed = ws.run("ics", "--as-of", "2026-11-23", "--lang", "en").stdout
    assert "X-WR-CALNAME:Deadlines - " in feed and "Căn cứ:" not in feed.replace("\r\n ", "")
    vietnamese = ws.run("ics", "--as-of", "2026-11-23").stdout.replace("\r\n ", "")
    assert "X-WR-CALNAME:Hạn - " in vietnamese
    assert re.search(r"X-WR-CALDESC:Việc chưa hoàn thành của .*, tính lúc \d\d:\d\d \d\d/\d\d/\d{4} theo luật \d", vietnamese)
    assert re.search(r"X-HDND-WORKSPACE:.*hdnd\.toml", vietnamese)
    known = ws.run("ics", "--as-of", "2026-11-23", "--known-on", "2026-11-01").stdout.replace("\r\n ", "")
    assert "theo sổ ghi đến hết ngày 01/11/2026 (" in known


def test_messages_carry_an_id_a_date_the_offices_name_and_list_headers(ws, smtp):
    controller, inbox = smtp
    office(ws, controller.port)
    config = (ws.root / "hdnd.toml").read_text()
    (ws.root / "hdnd.toml").write_text(config.replace('level = "province"\n', 'level = "province"\nuid = "3f9c0a1b2c3d4e5f"\n'))
    assert ws.run("notify", "--as-of", "2026-11-23").returncode == UNADDRESSED
    messages = [message for _, message in inbox.messages]
    assert len(messages) == 2
    ids = {m["Message-ID"] for m in messages}
    assert len(ids) == 2 and all(i.startswith("<") and i.endswith("@hdnd.example.vn>") for i in ids)
    for message in messages:
        assert message["Date"] == "Mon, 23 Nov 2026 07:00:00 +0700"
        assert message["From"].addresses[0].display_name == "Văn phòng thử"  # decoded from RFC 2047
        assert message["From"].addresses[0].addr_spec == "hdnd@hdnd.example.vn"
        assert message["List-Id"] == "Văn phòng thử <3f9c0a1b2c3d4e5f.hdnd.hdnd.example.vn>"
        assert message["Auto-Submitted"] == "auto-generated"
    raw = messages[0].as_bytes()
    assert b"From: =?utf-8?" in raw and "Văn phòng".encode() not in raw.split(b"\n\n")[0]


def test_calendar_uids_stay_when_the_office_is_renamed(ws):
    ws.rules(RULES)
    config = (ws.root / "hdnd.toml").read_text()
    (ws.root / "hdnd.toml").write_text(config.replace('level = "province"\n', 'level = "province"\nuid = "0a1b2c3d4e5f6a7b"\n'))
    first = ws.run("ics", "--as-of", "2026-11-23").stdout
    renamed = (ws.root / "hdnd.toml").read_text().replace('name = "Văn phòng thử"', 'name = "Văn phòng HĐND và UBND xã Thử"')
    (ws.root / "hdnd.toml").write_text(renamed)
    second = ws.run("ics", "--as-of", "2026-11-23").stdout
    uids = [line for line in first.splitlines() if line.startswith("UID:")]
    assert uids and all("@0a1b2c3d4e5f6a7b.hdnd" in u for u in uids)
    assert uids == [line for line in second.splitlines() if line.startswith("UID:")]
    assert first != second  # the feed's name did change


def test_init_sets_the_offices_permanent_id_once(tmp_path):
    import re
    import tomllib

    from conftest import NOW, run

    assert run("init", "xa", "--level", "commune", cwd=tmp_path, env={"HDND_NOW": NOW}).returncode == 0
    settings = tomllib.loads((tmp_path / "xa" / "hdnd.toml").read_text(encoding="utf-8"))
    assert re.fullmatch(r"[0-9a-f]{16}", settings["office"]["uid"])
    assert run("init", "xb", "--level", "commune", cwd=tmp_path, env={"HDND_NOW": NOW}).returncode == 0
    assert tomllib.loads((tmp_path / "xb" / "hdnd.toml").read_text(encoding="utf-8"))["office"]["uid"] != \
        settings["office"]["uid"]
