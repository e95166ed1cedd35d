"""The register as offices keep it: nothing typed is silently lost, Windows-safe writes and output,
and one colleague's typo does not blank everyone's morning."""
import json
import os
import subprocess
import textwrap

import pytest

from conftest import CACHE_DIR, Workspace, hdnd_command, run

NOW = {"HDND_NOW": "2026-11-25T08:00"}
DEPARTMENT = """
[[bodies]]
id = "so-gd"
name = "Sở Giáo dục và Đào tạo"
email = "sgd@tinh.example.vn"
"""


@pytest.fixture
def office(tmp_path) -> Workspace:
    assert run("init", "tinh", "--level", "province", cwd=tmp_path, env=NOW).returncode == 0
    ws = Workspace(tmp_path / "tinh", fresh=False, now=NOW["HDND_NOW"])
    with (ws.root / "hdnd.toml").open("a", encoding="utf-8") as config:
        config.write(DEPARTMENT)
    return ws


def ledger(ws: Workspace, text: str, name: str = "ledger.yaml") -> None:
    (ws.root / "data" / name).write_text(textwrap.dedent(text), encoding="utf-8")


def test_two_entries_merged_by_a_missing_dash_are_found(office):
    """Before, the last value won, one entry vanished, and check said 'Hợp lệ'."""
    ledger(office, """\
        - id: kn-1
          kind: complaint
          date: 2026-11-02
          id: kn-2
          kind: complaint
          date: 2026-11-03
        """)
    result = office.run("check")
    assert result.returncode == 2
    assert "data/ledger.yaml:4: trường 'id' có hai lần trong một mục (lần đầu ở data/ledger.yaml:1)" in result.stderr
    assert "data/ledger.yaml:6: trường 'date' có hai lần" in result.stderr
    (office.root / "data" / "ledger.yaml").write_text(
        '[{"id": "kn-1", "kind": "complaint", "date": "2026-11-02", "id": "kn-2"}]', encoding="utf-8")
    (office.root / "data" / "ledger.yaml").rename(office.root / "data" / "ledger.json")
    assert "data/ledger.json:1: trường 'id' có hai lần" in office.run("check").stderr


BY_NAME = """\
    - {id: gs-1, kind: obligation, date: 2026-10-01, due: 2026-11-20, title: "Báo cáo giáo viên", obligor: "Sở Giáo dục và Đào tạo"}
    - {id: gs-2, kind: obligation, date: 2026-10-01, due: 2026-11-21, title: "Báo cáo sách", obligor: so-gd}
    - {id: gs-3, kind: obligation, date: 2026-10-01, due: 2026-11-22, title: "Báo cáo thiết bị", obligor: "so giao duc va dao tao"}
    """


def test_a_body_written_by_its_name_is_that_body_in_audit_notify_and_ics(office):
    ledger(office, BY_NAME)
    check = office.run("check", "--strict")
    assert check.returncode == 0, check.stderr
    audit = json.loads(office.run("audit", "--by", "obligor", "--from", "2026-11-19", "--to", "2026-11-22", "-f", "json",
                                  "--as-of", "2026-11-25").stdout)
    assert [(g["key"], g["total"]) for g in audit["groups"]] == [("so-gd", 3)]  # one row, not two or three
    mail = office.run("notify", "--dry-run", env=NOW)
    assert mail.returncode == 5 and mail.stdout.count("To: sgd@tinh.example.vn") == 1
    assert "'so-gd' không có địa chỉ" not in mail.stderr and "Sở Giáo dục và Đào tạo' không" not in mail.stderr
    feed = office.run("ics", "--as-of", "2026-11-01").stdout
    assert feed.count("Sở Giáo dục và Đào tạo") >= 3 or feed.count("so-gd") >= 3


def test_a_body_that_names_no_body_is_a_warning_with_a_hint(office):
    ledger(office, '- {id: gs-1, kind: obligation, date: 2026-10-01, due: 2026-11-20, title: "X", obligor: so-dg}\n')
    result = office.run("check")
    assert result.returncode == 0 and "cảnh báo: 'so-dg' không phải cơ quan nào" in result.stderr
    assert "có phải: so-gd" in result.stderr
    assert office.run("check", "--strict").returncode == 2


def test_evidence_from_a_subfolder_is_stored_from_the_workspace(office, tmp_path):
    ledger(office, "- {id: kn-1, kind: complaint, date: 2026-11-02}\n")
    sub = office.root / "van-ban" / "11"
    sub.mkdir(parents=True)
    (sub / "bc.pdf").write_bytes(b"%PDF thong bao thu ly")
    done = run("done", "complaint-first-accept/kn-1", "--date", "2026-11-05", "--file", "bc.pdf", cwd=sub, env=NOW)
    assert done.returncode == 0, done.stderr
    assert "file: van-ban/11/bc.pdf\n" in (office.root / "data" / "2026.yaml").read_text(encoding="utf-8")
    outside = tmp_path / "ngoai.pdf"
    outside.write_bytes(b"x")
    refused = office.run("done", "complaint-first-accept/kn-1", "--file", str(outside), env=NOW)
    assert refused.returncode == 2 and "nằm ngoài không gian làm việc" in refused.stderr


def test_twelve_writers_without_fcntl_lose_nothing(office, tmp_path):
    """Windows has no fcntl: the lock must still serialise writers (here with fcntl hidden)."""
    hide = tmp_path / "no-fcntl"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text("import sys\nsys.modules['fcntl'] = None\n")
    env = {**os.environ, "PYTHONPATH": str(hide), "HDND_CACHE_DIR": CACHE_DIR, **NOW}
    probe = subprocess.run([os.path.join(os.path.dirname(hdnd_command()[0]), "python"), "-c",
                            "import filelock, sys; print(filelock.FileLock.__name__); import fcntl"],
                           env=env, capture_output=True, text=True)
    assert "SoftFileLock" in probe.stdout and "import of fcntl halted" in probe.stderr  # fcntl really is hidden
    writers = [subprocess.Popen([*hdnd_command(), "add", "working-meeting", "--date", f"2026-06-{day:02d}",
                                 "--id", f"lv-{day}"], cwd=office.root, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE) for day in range(1, 13)]
    codes = [w.wait(timeout=180) for w in writers]
    assert codes == [0] * 12
    text = (office.root / "data" / "2026.yaml").read_text(encoding="utf-8")
    assert all(f"id: lv-{day}\n" in text for day in range(1, 13))
    assert office.run("check").returncode == 0


@pytest.mark.parametrize("code_page", ["cp1258", "cp1252", "ascii"])
def test_redirected_output_is_utf8_whatever_the_code_page(office, code_page):
    ledger(office, BY_NAME)
    result = subprocess.run([*hdnd_command(), "due", "--as-of", "2026-11-19"], cwd=office.root, capture_output=True,
                            env={**os.environ, "PYTHONIOENCODING": code_page, "HDND_CACHE_DIR": CACHE_DIR})
    assert result.returncode == 0, result.stderr
    assert "Sở Giáo dục và Đào tạo" in result.stdout.decode("utf-8")
    errors = subprocess.run([*hdnd_command(), "due", "--as-of", "bogus"], cwd=office.root, capture_output=True,
                            env={**os.environ, "PYTHONIOENCODING": code_page})
    assert errors.returncode == 2 and "không phải là ngày hợp lệ" in errors.stderr.decode("utf-8")


def test_two_notify_runs_at_once_send_each_message_once(office):
    from aiosmtpd.controller import Controller

    from test_notify import Inbox, free_port

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with (office.root / "hdnd.toml").open("a", encoding="utf-8") as config:
            config.write(f'\n[notify]\nhost = "127.0.0.1"\nport = {controller.port}\nsecurity = "none"\n')
        ledger(office, BY_NAME)
        env = {**os.environ, "HDND_NOW": "2026-11-21T07:00", "HDND_CACHE_DIR": CACHE_DIR}
        runs = [subprocess.Popen([*hdnd_command(), "notify"], cwd=office.root, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE) for _ in range(2)]
        assert [r.wait(timeout=120) for r in runs] == [5, 5]  # both sent what they could; a body without an address makes it 5
        recipients = [to for tos, _ in inbox.messages for to in tos]
        assert recipients.count("sgd@tinh.example.vn") == 1
    finally:
        controller.stop()


def test_a_typo_does_not_blank_the_morning(office):
    """A shared ledger: a colleague's entry with an impossible date; everyone else's items still show."""
    ledger(office, BY_NAME)
    ledger(office, "- {id: kn-9, kind: complaint, date: 2026-02-30}\n", "dong-nghiep.yaml")
    result = office.run("due", "--as-of", "2026-11-19")
    assert result.returncode == 2  # cron still knows
    assert result.stderr.startswith("data/dong-nghiep.yaml:1: 'date' = '2026-02-30'")
    assert "CÓ THỂ THIẾU: 1 lỗi ở trên" in result.stderr
    assert "gs-1" in result.stdout and "gs-2" in result.stdout
    document = json.loads(office.run("overdue", "-f", "json", "--as-of", "2026-11-23").stdout)
    assert {i["id"] for i in document["items"]} == {"gs-1", "gs-2", "gs-3"}
    assert office.run("check").returncode == 2  # check stays strict
    before = office.files()
    write = office.run("add", "supervision", "--date", "2026-11-10", env=NOW)
    assert write.returncode == 2 and office.files() == before  # and writes stay refused


# --- corrections are entries too -------------------------------------------------------------------

ROUND = """\
    - {id: kh-2026-12, kind: session, date: 2026-12-08, ends: 2026-12-10, type: regular}
    - {id: kn-1, kind: complaint, date: 2026-11-02}
    - {id: kn-2, kind: complaint, date: 2026-11-03}
    - {kind: done, obligation: complaint-first-accept/kn-1, date: 2026-11-06, ref: 12/TB-UBND}
    """


def item(ws: Workspace, obligation_id: str, *args: str) -> dict:
    result = ws.run("due", "--all", "-f", "json", *args)
    return next(i for i in json.loads(result.stdout)["items"] if i["id"] == obligation_id)


def test_set_moves_a_date_from_its_own_day_and_is_shown_by_explain(office):
    """The complaint kn-2 was in fact received on 30/10, not 03/11: the office's own rule, 10 days from
    `received`, gives Mon 09/11/2026."""
    ledger(office, ROUND)
    before = item(office, "complaint-first-accept/kn-2", "--as-of", "2026-11-20")
    assert before["due"] == "2026-11-12"  # NĐ 155/2026 Đ.10: 7 working days from Tue 03/11/2026
    result = office.run("set", "kn-2", "received=2026-10-30", "--reason", "Sổ ghi nhầm ngày", "--date", "2026-11-20",
                        env={"HDND_NOW": "2026-11-20T09:00"})
    assert result.returncode == 0, result.stderr
    # a field the rule does not read changes nothing; now correct the date the rule counts from
    (office.root / "rules" / "own.toml").write_text("""
[source]
id = "own"
title = "Quy chế của tỉnh"

[[rules]]
id = "reply"
title = "Trả lời"
obligor = "ubnd"
trigger = { event = "complaint", date = "received" }
deadline = { after = "10d" }
""", encoding="utf-8")
    assert item(office, "reply/kn-2", "--as-of", "2026-11-25")["due"] == "2026-11-09"
    assert not any(i["id"] == "reply/kn-2" for i in json.loads(office.run(
        "due", "--all", "-f", "json", "--as-of", "2026-11-19").stdout)["items"])  # no `received` before the set
    known = office.run("due", "--all", "-f", "json", "--as-of", "2026-11-25", "--known-on", "2026-11-20T08:59")
    assert not any(i["id"] == "reply/kn-2" for i in json.loads(known.stdout)["items"])
    text = office.run("explain", "reply/kn-2", "--as-of", "2026-11-25").stdout
    assert "Đính chính:" in text and "20/11/2026: received = 2026-10-30 (kn-2): Sổ ghi nhầm ngày (data/2026.yaml:" in text


def test_void_undoes_a_done_entered_against_the_wrong_id(office):
    ledger(office, ROUND)
    assert item(office, "complaint-first-accept/kn-1", "--as-of", "2026-11-20")["status"] == "done"
    result = office.run("void", "done:complaint-first-accept/kn-1", "--reason", "Ghi nhầm: thông báo này của kn-2",
                        "--date", "2026-11-20", env={"HDND_NOW": "2026-11-20T09:00"})
    assert result.returncode == 0, result.stderr
    assert item(office, "complaint-first-accept/kn-1", "--as-of", "2026-11-20")["status"] == "overdue"
    assert item(office, "complaint-first-accept/kn-1", "--as-of", "2026-11-19")["status"] == "done"  # before the void
    redone = office.run("done", "complaint-first-accept/kn-2", "--date", "2026-11-06", "--ref", "12/TB-UBND",
                        env={"HDND_NOW": "2026-11-20T09:05"})
    assert redone.returncode == 0, redone.stderr
    text = office.run("explain", "complaint-first-accept/kn-1", "--as-of", "2026-11-25").stdout
    assert "hủy (done:complaint-first-accept/kn-1): Ghi nhầm" in text


def test_a_correction_that_would_break_the_ledger_changes_no_byte(office):
    ledger(office, ROUND)
    before = office.files()
    # withdrawing kn-1 would leave its `done` naming an obligation that no longer exists
    refused = office.run("void", "kn-1", "--reason", "nhầm", env={"HDND_NOW": "2026-11-20T09:00"})
    assert refused.returncode == 2 and "không có nghĩa vụ 'complaint-first-accept/kn-1'" in refused.stderr
    nothing = office.run("void", "kn-9", "--reason", "nhầm", env={"HDND_NOW": "2026-11-20T09:00"})
    assert nothing.returncode == 2 and "có phải" in nothing.stderr
    assert office.files() == before


def test_appends_keep_crlf(office):
    (office.root / "data" / "2026.yaml").write_bytes(
        b"# So theo doi\r\n- {id: kn-1, kind: complaint, date: 2026-11-02}\r\n")
    result = office.run("add", "supervision", "--date", "2026-11-10", "--id", "gs-1", env=NOW)
    assert result.returncode == 0, result.stderr
    data = (office.root / "data" / "2026.yaml").read_bytes()
    assert data.startswith(b"# So theo doi\r\n- {id: kn-1, kind: complaint, date: 2026-11-02}\r\n")
    assert b"\r\n" in data[60:] and b"\n" not in data.replace(b"\r\n", b"")
    assert office.run("check").returncode == 0


# --- importing the registers offices really keep ------------------------------------------------------

def test_a_register_as_excel_writes_it_imports_whole(office):
    """A title row and a blank one above the header, an STT column, an empty id column, Vietnamese
    choice values, and dates as the sheet stores them."""
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["SỔ THEO DÕI CÁC ĐỢT TIẾP XÚC CỬ TRI NĂM 2026"])
    sheet.append([])
    sheet.append(["STT", "Mã", "Ngày", "Trước/sau kỳ họp", "Ngày chuyển UBND", "Số kiến nghị"])
    sheet.append([1, None, datetime(2026, 11, 10), "Trước kỳ họp", "13.11.2026", 152])
    sheet.append([2, "txct-2", datetime(2026, 7, 25), "sau", datetime(2026, 8, 3), 144])
    book.save(office.root / "so-txct.xlsx")
    result = office.run("import", "so-txct.xlsx", "--kind", "voter-contact", "--map", "Mã=id", "--map", "Ngày=date",
                        "--map", "Trước/sau kỳ họp=phase", "--map", "Ngày chuyển UBND=forwarded", env=NOW)
    assert result.returncode == 0, result.stderr
    import yaml

    entries = yaml.safe_load((office.root / "data" / "2026.yaml").read_text(encoding="utf-8"))
    assert [(e["id"], e["phase"], str(e["forwarded"]), e["so_kien_nghi"]) for e in entries] == [
        ("voter-contact-2026-11-10", "before", "2026-11-13", 152), ("txct-2", "after", "2026-08-03", 144)]
    assert all("stt" not in e for e in entries)


def test_a_csv_saved_by_excel_on_vietnamese_windows_is_read_as_cp1258(office):
    text = "Mã;Ngày nhận;Người khiếu nại\nkn-1;03/11/2026;Trần Văn Bình\n"
    (office.root / "so.csv").write_bytes(cp1258(text))
    result = office.run("import", "so.csv", "--kind", "complaint", "--map", "Mã=id", "--map", "Ngày nhận=date", env=NOW)
    assert result.returncode == 0, result.stderr
    assert "đọc bằng bảng mã cp1258" in result.stderr
    assert "nguoi_khieu_nai: Trần Văn Bình" in (office.root / "data" / "2026.yaml").read_text(encoding="utf-8")


def test_the_same_sheet_imported_twice_is_refused_unless_allowed(office):
    (office.root / "so.csv").write_text("Ngày nhận,Nội dung\n03/11/2026,Đất đai\n04/11/2026,Xây dựng\n", encoding="utf-8")
    args = ("import", "so.csv", "--kind", "working-meeting", "--map", "Ngày nhận=date")
    assert office.run(*args, env=NOW).returncode == 0
    before = office.files()
    again = office.run(*args, env=NOW)
    assert again.returncode == 2 and office.files() == before
    assert "so.csv:2: dòng này đã có trong sổ (data/2026.yaml:" in again.stderr and "so.csv:3:" in again.stderr
    allowed = office.run(*args, "--allow-duplicates", env=NOW)
    assert allowed.returncode == 0 and "working-meeting-2026-11-03-2" in allowed.stdout


def test_a_missing_column_names_the_files_own_columns(office):
    (office.root / "so.csv").write_text("Mã,Ngày nhận\nkn-1,03/11/2026\n", encoding="utf-8")
    result = office.run("import", "so.csv", "--kind", "complaint")
    assert result.returncode == 2
    assert "không có cột cho trường 'date'; các cột của tệp: Mã, Ngày nhận. Dùng --map \"Ngày nhận=date\"" in result.stderr
    missing = office.run("import", "khong-co.csv", "--kind", "complaint")
    assert missing.returncode == 2 and "không có tệp 'khong-co.csv'" in missing.stderr
    ignored = office.run("import", "so.csv", "--kind", "complaint", "--map", "Ngày nhận=date", "--map", "Mã=",
                         "--ignore", "Ghi chú", env=NOW)
    assert ignored.returncode == 0 and "complaint-2026-11-03" in ignored.stdout


def cp1258(text: str) -> bytes:
    """`text` as Windows' cp1258 stores Vietnamese: letters with their circumflex, breve or horn, and
    the tone mark after them as a combining character."""
    import unicodedata

    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            shape = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m in "\u0302\u0306\u031b"))
            out += shape.encode("cp1258") + "".join(m for m in parts[1:] if m not in "\u0302\u0306\u031b").encode("cp1258")
    return out


def test_a_map_naming_no_column_is_refused_not_ignored(office):
    (office.root / "so.csv").write_text("STT,Ngày nhận,Nội dung\n1,03/11/2026,Đơn A\n", encoding="utf-8")
    result = office.run("import", "so.csv", "--kind", "complaint", "--map", "Ngày nhận=date",
                        "--map", "Ngay chuyen=forwarded")
    assert result.returncode == 2 and "--map nêu cột 'Ngay chuyen' nhưng tệp không có cột này" in result.stderr
    assert "STT, Ngày nhận, Nội dung" in result.stderr


def test_a_register_of_completions_imports_as_done_entries(office):
    ledger(office, "- {kind: complaint, id: kn-1, date: 2026-11-02}\n")
    (office.root / "xong.csv").write_text("STT,Nghĩa vụ,Ngày,Số văn bản\n1,complaint-first-accept/kn-1,05/11/2026,12/TB\n"
                                          "Người lập sổ,,,\n", encoding="utf-8")
    hint = office.run("import", "xong.csv", "--kind", "done")
    assert hint.returncode == 2 and '--map "Ngày=date"' in hint.stderr
    result = office.run("import", "xong.csv", "--kind", "done", "--map", "Nghĩa vụ=obligation", "--map", "Ngày=date",
                        "--map", "Số văn bản=ref")
    assert result.returncode == 0 and "(dòng 3:" in result.stdout + result.stderr, result.stderr
    item = json.loads(office.run("history", "-f", "json").stdout)["items"]
    done = next(i for i in item if i["id"] == "complaint-first-accept/kn-1")["done"]
    assert (done["date"], done["ref"]) == ("2026-11-05", "12/TB")
