"""Writing the ledger through the installed command: appends in the file's own format, all or
nothing, refusals that change no byte, concurrent writers, a writer killed mid-write, imports."""
import json
import signal
import subprocess
import time

import pytest

from conftest import NOW, hdnd_command

RULES = """
[[rules]]
id = "voter-answer-after"
title = "Trả lời ý kiến, kiến nghị cử tri (đợt TXCT sau kỳ họp)"
obligor = "ubnd"
recipient = "tt-hdnd"
trigger = { event = "voter-contact", where = { phase = "after" }, date = "forwarded" }
deadline = { after = "30d" }

[[rules]]
id = "to-giac-settle"
title = "Giải quyết tố cáo"
obligor = "ubnd"
trigger = { event = "to-giac", date = "accepted" }
deadline = { after = "30d" }
extensions = { max = 2, each = "30d" }
"""

LEDGER = """\
# Sổ theo dõi 2026 - ghi chú của văn phòng, phải giữ nguyên
- id: bau-cu-2026
  kind: election
  date: 2026-03-15   # ngày bầu cử
"""


@pytest.fixture
def office(ws):
    ws.config('[paths]\nwrite_to = "data/{year}.yaml"\n').rules(RULES).ledger(LEDGER, "2026.yaml")
    ws.now = NOW
    return ws


def items(ws):
    result = ws.run("due", "--all", "-f", "json")
    assert result.returncode == 0, result.stderr
    return {i["id"]: i for i in json.loads(result.stdout)["items"]}


def test_record_a_session_a_round_and_its_answer(office):
    before = (office.root / "data" / "2026.yaml").read_bytes()
    steps = [
        ["add", "session", "--date", "2026-07-08", "--id", "kh-2026-07", "--set", "ends=10/07/2026",
         "--set", "type=regular"],
        ["add", "voter-contact", "--date", "25/07/2026", "--id", "txct-2026-07-sau", "--set", "phase=after",
         "--set", "forwarded=2026-08-03", "--set", "petitions=144"],
        ["done", "voter-answer-after/txct-2026-07-sau", "--date", "2026-08-28", "--ref", "45/BC-UBND"],
    ]
    for step in steps:
        result = office.run(*step, env={"HDND_USER": "lan"})
        assert result.returncode == 0, result.stderr
    after = (office.root / "data" / "2026.yaml").read_bytes()
    assert after.startswith(before)  # nothing that was there changed, comments included
    assert b"  recorded:\n    by: lan\n    at: 2026-11-25T08:00:00+07:00\n" in after  # stamped with the clock it ran on
    answer = items(office)["voter-answer-after/txct-2026-07-sau"]
    # 03/08/2026 + 30 days = Wed 02/09/2026, National Day -> Thu 03/09 (Civil Code art. 148 §5).
    assert (answer["status"], answer["due"], answer["done"]) == (
        "done", "2026-09-03", {"date": "2026-08-28", "ref": "45/BC-UBND"})
    assert office.run("check").returncode == 0


def test_generated_ids_are_shown_and_unique(office):
    first = office.run("add", "working-meeting", "--date", "2026-06-18")
    second = office.run("add", "working-meeting", "--date", "2026-06-18")
    assert "working-meeting-2026-06-18" in first.stdout and "working-meeting-2026-06-18-2" in second.stdout


def test_dry_run_prints_what_would_be_written_and_writes_nothing(office):
    before = office.files()
    result = office.run("add", "voter-contact", "--date", "2026-07-25", "--id", "txct-x", "--set", "phase=after",
                        "--dry-run", env={"HDND_USER": "lan"})
    assert result.returncode == 0 and office.files() == before
    printed = result.stdout.split("\n", 1)[1]
    assert "- id: txct-x\n  kind: voter-contact\n  date: 2026-07-25\n  phase: after\n" in printed
    office.run("add", "voter-contact", "--date", "2026-07-25", "--id", "txct-x", "--set", "phase=after",
               env={"HDND_USER": "lan"})
    ledger = office.root / "data" / "2026.yaml"
    added = ledger.read_bytes()[len(before[str(ledger)]):].decode()
    strip = lambda text: [line for line in text.splitlines() if not line.startswith("    at: ")]  # noqa: E731
    assert strip(added) == strip(printed)  # only the timestamp differs


def test_extensions_keep_the_original_due(office):
    office.run("add", "to-giac", "--date", "2026-08-01", "--id", "tc-1", "--set", "accepted=06/08/2026")
    result = office.run("extend", "to-giac-settle/tc-1", "--until", "2026-10-05", "--reason", "Vụ việc phức tạp",
                        "--ref", "112/QĐ-UBND")
    assert result.returncode == 0, result.stderr
    item = items(office)["to-giac-settle/tc-1"]
    # 06/08/2026 + 30 days = Sat 05/09 -> Mon 07/09/2026; extended to 05/10.
    assert (item["original_due"], item["due"]) == ("2026-09-07", "2026-10-05")


def test_waive(office):
    office.run("add", "to-giac", "--date", "2026-08-01", "--id", "tc-2", "--set", "accepted=2026-08-06")
    assert office.run("waive", "to-giac-settle/tc-2", "--reason", "Rút đơn tố cáo").returncode == 0
    assert items(office)["to-giac-settle/tc-2"]["status"] == "waived"


REFUSALS = [
    (["done", "voter-answer-after/txct-1x"], "voter-answer-after/txct-1"),                 # unknown: suggests
    (["done", "voter-answer-after/txct-2", "--date", "2026-08-01"], "03/08/2026"),         # before it existed
    (["done", "voter-answer-after/txct-2", "--date", "2099-01-01"], "2099"),               # in the future
    (["done", "voter-answer-after/txct-1", "--date", "2026-09-01"], "30/08/2026"),         # a second completion
    (["extend", "voter-answer-after/txct-2", "--until", "2026-10-30", "--reason", "x"], "không cho phép gia hạn"),
    # > each: 06/08 + 30 days = Sat 05/09 (due Mon 07/09); 30 more from the unrolled end: Mon 05/10/2026
    (["extend", "to-giac-settle/tc-1", "--until", "2026-12-30", "--reason", "x"], "05/10/2026"),
    (["extend", "to-giac-settle/tc-1", "--until", "2026-09-01", "--reason", "x"], "07/09/2026"),  # not later
    (["waive", "to-giac-settle/nothing", "--reason", "x"], "to-giac-settle/nothing"),
    (["add", "session", "--date", "30/02/2026"], "30/02/2026"),                              # impossible date
    (["add", "session", "--date", "2026-12-08", "--set", "type=regular"], "ends"),            # missing field
    (["add", "session", "--date", "2026-12-08", "--set", "ends=2026-12-01", "--set", "type=regular"], "01/12/2026"),
    (["add", "voter-contact", "--date", "2026-11-10", "--set", "phase=during"], "during"),
    (["add", "election", "--date", "2026-03-15", "--id", "bau-cu-2026"], "bau-cu-2026"),     # duplicate id
    (["add", "done", "--date", "2026-03-15"], "hdnd done"),                                  # reserved kind
    (["add", "obligation", "--date", "2026-03-15", "--id", "o1", "--set", "due=2026-04-01", "--set", "title=T",
      "--set", "obligor=ubnd", "--set", "deadline=soon"], "deadline"),                       # unknown field
    (["add", "session", "--date", "2026-12-08", "--set", "broken"], "broken"),
    (["--example", "done", "voter-answer-after/txct-1"], "hdnd init"),                        # read-only example
]


@pytest.mark.parametrize("args, words", REFUSALS)
def test_refusals_change_no_byte(office, args, words):
    setup = [office.run("add", "voter-contact", "--date", "2026-07-25", "--id", "txct-1", "--set", "phase=after",
                        "--set", "forwarded=2026-08-03"),
             office.run("done", "voter-answer-after/txct-1", "--date", "2026-08-30"),
             office.run("add", "voter-contact", "--date", "2026-07-26", "--id", "txct-2", "--set", "phase=after",
                        "--set", "forwarded=2026-08-03"),
             office.run("add", "to-giac", "--date", "2026-08-01", "--id", "tc-1", "--set", "accepted=2026-08-06")]
    assert [step.returncode for step in setup] == [0, 0, 0, 0], [step.stderr for step in setup]
    before = office.files()
    result = office.run(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
    assert "Không ghi gì" in result.stderr
    assert office.files() == before


def test_a_ledger_that_already_fails_check_is_not_written(office):
    office.ledger("- kind: session\n  date: 2026-01-01\n", "broken.yaml")
    before = office.files()
    result = office.run("add", "election", "--date", "2026-03-16")
    assert result.returncode == 2 and "data/broken.yaml:1:" in result.stderr and office.files() == before


@pytest.mark.parametrize("name, text", [
    ("2026.json", '[\n  {"id": "bau-cu-2026", "kind": "election", "date": "2026-03-15"}\n]\n'),
    ("2026.json", "[]"),
    ("2026.jsonl", '{"id": "bau-cu-2026", "kind": "election", "date": "2026-03-15"}\n'),
])
def test_appends_in_the_ledgers_own_format(ws, name, text):
    ws.now = NOW
    ws.config(f'[paths]\nwrite_to = "data/{{year}}.{name.split(".")[1]}"\n').rules(RULES).ledger(text, name)
    result = ws.run("add", "voter-contact", "--date", "2026-07-25", "--id", "txct-1", "--set", "phase=after")
    assert result.returncode == 0, result.stderr
    new = (ws.root / "data" / name).read_text()
    kept = text[:text.rfind("]")].rstrip() if name.endswith(".json") else text
    assert new.startswith(kept)
    if name.endswith(".json"):
        assert [e["kind"] for e in json.loads(new)][-1] == "voter-contact"
    assert ws.run("check").returncode == 0 and "voter-contact" in new


def test_concurrent_writers_lose_nothing(office):
    writers = [subprocess.Popen([*hdnd_command(), "add", "working-meeting", "--date", f"2026-06-{day:02d}",
                                 "--id", f"lv-{day}"], cwd=office.root, env=office.environment(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for day in range(1, 13)]
    codes = [w.wait(timeout=120) for w in writers]
    assert codes == [0] * 12
    assert office.run("check").returncode == 0
    text = (office.root / "data" / "2026.yaml").read_text()
    assert all(f"id: lv-{day}\n" in text for day in range(1, 13))


def test_a_writer_killed_mid_write_leaves_a_valid_ledger(office, tmp_path):
    rows = ["Mã,Ngày nhận,Người gửi,Nội dung"] + [
        f"kn-{n},{(n % 28) + 1:02d}/10/2026,Nguyễn Văn {n},Khiếu nại về đất đai số {n}" for n in range(3000)]
    big = tmp_path / "big.csv"
    big.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ledger = office.root / "data" / "2026.yaml"
    original = ledger.read_text()
    for delay in (0.05, 0.2, 0.4, 0.6, 0.8, 1.0):
        writer = subprocess.Popen([*hdnd_command(), "import", str(big), "--kind", "complaint", "--map", "Mã=id",
                                   "--map", "Ngày nhận=date"], cwd=office.root, env=office.environment(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        assert office.run("check").returncode == 0
        text = ledger.read_text()
        assert text == original or (text.startswith(original) and text.count("kind: complaint") == 3000)
        if text != original:  # it finished before the kill: start again from the original
            ledger.write_text(original)


def test_import_csv_with_vietnamese_text_and_dates(office, tmp_path):
    sheet = tmp_path / "kien-nghi.csv"
    sheet.write_text("Mã,Ngày nhận,Nội dung,Số cử tri\n"
                     "kn-001,05/10/2026,Cử tri phản ánh đường xuống cấp,12\n"
                     "kn-002,06/10/2026,\"Kiến nghị về đất đai, nhà ở\",7\n", encoding="utf-8-sig")
    result = office.run("import", str(sheet), "--kind", "complaint", "--map", "Mã=id", "--map", "ngay nhan=date")
    assert result.returncode == 0, result.stderr
    text = (office.root / "data" / "2026.yaml").read_text()
    assert "- id: kn-002\n  kind: complaint\n  date: 2026-10-06\n  noi_dung: Kiến nghị về đất đai, nhà ở\n  so_cu_tri: 7\n" in text


def test_import_xlsx(office, tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Ngày", "Đợt", "Giai đoạn", "Chuyển UBND", "Số kiến nghị"])
    sheet.append([datetime(2026, 7, 25), "Đợt sau kỳ họp giữa năm", "after", "03/08/2026", 144])
    sheet.append(["10/11/2026", "Đợt trước kỳ họp cuối năm", "before", datetime(2026, 11, 13), 152])
    path = tmp_path / "txct.xlsx"
    book.save(path)
    result = office.run("import", str(path), "--kind", "voter-contact", "--map", "ngày=date",
                        "--map", "giai doan=phase", "--map", "chuyen ubnd=forwarded")
    assert result.returncode == 0, result.stderr
    assert items(office)["voter-answer-after/voter-contact-2026-07-25"]["due"] == "2026-09-03"


def test_import_is_all_or_nothing_with_row_numbers(office, tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("Mã,Ngày\nkn-1,05/10/2026\nkn-2,30/02/2026\nkn-3,\nbau-cu-2026,01/10/2026\n", encoding="utf-8")
    fixed = tmp_path / "dup.csv"
    fixed.write_text("Mã,Ngày\nbau-cu-2026,01/10/2026\n", encoding="utf-8")
    before = office.files()
    result = office.run("import", str(sheet), "--kind", "complaint", "--map", "mã=id", "--map", "ngày=date")
    assert result.returncode == 2 and office.files() == before
    assert "bad.csv:3:" in result.stderr and "30/02/2026" in result.stderr
    assert "bad.csv:4:" in result.stderr  # no date
    duplicate = office.run("import", str(fixed), "--kind", "complaint", "--map", "mã=id", "--map", "ngày=date")
    assert duplicate.returncode == 2 and "bau-cu-2026" in duplicate.stderr and office.files() == before
