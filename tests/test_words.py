"""Words people read: rules in plain Vietnamese, a count rule's progress, a line for every file written."""
import json
import re
from pathlib import Path

from conftest import Workspace, run

NOW = "2026-12-03T08:00"

AS_OF = ("--as-of", "2026-11-23")


def test_rules_say_their_deadlines_in_plain_vietnamese():
    table = run("rules", "--example", *AS_OF)
    assert table.returncode == 0, table.stderr
    assert "7 ngày làm việc sau ngày nhận khiếu nại (trừ round = 2)" in table.stdout
    assert "10 ngày sau ngày nhận khiếu nại (trừ round = 2); ngày nghỉ thì chuyển sang ngày làm việc sau" in run(
        "rules", "--example", "--as-of", "2026-06-30").stdout  # the version in force before 01/07/2026
    assert "7 ngày làm việc sau ngày nhận tố cáo" in table.stdout and "45 ngày sau ngày bầu cử" in table.stdout
    assert "roll" not in table.stdout and "30d" not in table.stdout  # no English, no units in code
    quarterly = run("rules", "show", "resolution-quarterly-report", "--example").stdout
    assert "Thời hạn: hằng quý, ngày 24 tháng cuối quý; không chuyển" in quarterly  # not "tháng 3"
    yearly = run("rules", "show", "resolution-working-meetings", "--example").stdout
    assert "hằng năm, ngày 31 tháng 12, ít nhất 2 cuộc làm việc" in yearly
    english = run("rules", "show", "voter-answer-after", "--example", "--lang", "en").stdout
    assert ("Deadline: 30 days after the day the voters' petitions were forwarded (phase = after); a day off moves it "
            "to the next working day") in english


def test_explain_shows_how_far_a_count_rule_has_come():
    shown = run("explain", "resolution-working-meetings/2026", "--example", *AS_OF)
    assert shown.returncode == 0, shown.stderr
    assert "Tiến độ: 1/2 cuộc làm việc: 18/06/2026 (" in shown.stdout
    later = run("explain", "resolution-working-meetings/2026", "--example", "--as-of", "2026-12-20").stdout
    assert "Tiến độ: 2/2 cuộc làm việc: 18/06/2026 (" in later and ", 15/12/2026 (" in later
    english = run("explain", "resolution-working-meetings/2026", "--example", *AS_OF, "--lang", "en").stdout
    assert "Progress: 1/2 working meeting: 18/06/2026 (" in english


def test_every_command_that_writes_a_file_says_so(tmp_path):
    for args, name in ((("ics", "-o"), "lich.ics"), (("due", "-o"), "sang.xlsx"),
                       (("history", "-o"), "lich-su.xlsx"), (("audit", "--by", "year", "-o"), "so-lieu.xlsx"),
                       (("report", "--from", "2026-01-01", "--to", "2026-12-31", "-o"), "bao-cao.docx"),
                       (("report", "--from", "2026-01-01", "--to", "2026-12-31", "-o"), "bao-cao.html")):
        result = run(*args, name, "--example", *AS_OF, cwd=tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stdout.strip().splitlines()[-1] == f"Đã ghi {name}." and (tmp_path / name).stat().st_size


# --- what a secretary types, and what hdnd says back (issue: every word in their language) ---------

def commune(tmp_path: Path) -> Workspace:
    made = run("init", "xa", "--level", "commune", cwd=tmp_path, env={"HDND_NOW": NOW})
    assert made.returncode == 0 and "PosixPath" not in made.stdout and "'xa'" not in made.stdout, made.stdout
    assert " xa:" in made.stdout or " xa " in made.stdout, made.stdout
    return Workspace(tmp_path / "xa", fresh=False, now=NOW)


def test_a_closed_choice_is_typed_in_vietnamese_in_add_and_set_as_in_import(tmp_path):
    xa = commune(tmp_path)
    added = xa.run("add", "voter-contact", "--date", "2026-11-20", "--id", "tx-1", "--set", "phase=trước")
    assert added.returncode == 0, added.stderr
    corrected = xa.run("set", "tx-1", "phase=Sau", "--reason", "ghi nhầm")
    voided = xa.run("void", "tx-1", "--reason", "ghi trùng")
    assert corrected.returncode == voided.returncode == 0, corrected.stderr + voided.stderr
    assert corrected.stdout.strip().endswith(": tx-1") and voided.stdout.strip().endswith(": tx-1")
    assert "None" not in corrected.stdout + voided.stdout
    text = (xa.root / "data" / "2026.yaml").read_text(encoding="utf-8")
    assert "phase: before" in text and "phase: after" in text and "trước" not in text


def test_an_event_no_rule_reads_here_is_recorded_with_a_word_saying_so(tmp_path):
    xa = commune(tmp_path)
    inside = xa.run("add", "voter-contact", "--date", "2026-11-20", "--set", "phase=after")
    assert inside.returncode == 0 and "không sinh nghĩa vụ nào" in inside.stderr and "cấp xã" in inside.stderr
    assert "hdnd rules new" in inside.stderr
    outside = xa.run("add", "voter-contact", "--date", "2026-11-30", "--set", "phase=before", "--set", "outside_constituency=true")
    complaint = xa.run("add", "complaint", "--date", "2026-11-20", "--lang", "en")
    assert outside.returncode == complaint.returncode == 0 and outside.stderr == complaint.stderr == ""


def test_an_empty_entry_is_named_for_what_it_is(tmp_path):
    xa = commune(tmp_path)
    (xa.root / "data" / "ledger.yaml").write_text("- kind: complaint\n  date: 2026-11-02\n-\n", encoding="utf-8")
    result = xa.run("check")
    assert result.returncode == 2 and "data/ledger.yaml:3: mục trống" in result.stderr and "None" not in result.stderr


def test_bodies_are_known_by_the_names_offices_shorten_them_to(tmp_path):
    xa = commune(tmp_path)
    (xa.root / "data" / "ledger.yaml").write_text(
        "- {kind: complaint, id: kn-1, date: 2026-11-02}\n"
        "- {kind: obligation, id: bc-1, date: 2026-11-02, due: 2026-12-10, title: Báo cáo, obligor: UBND Xã}\n"
        "- {kind: obligation, id: bc-2, date: 2026-11-02, due: 2026-12-11, title: Báo cáo, obligor: TT. HĐND xã}\n",
        encoding="utf-8")

    def obligors(*args: str) -> list[tuple[str, str]]:
        result = xa.run("due", "--all", "-f", "json", *args)
        assert result.returncode == 0, result.stderr
        return sorted((o["id"], o["obligor"]) for o in json.loads(result.stdout)["items"])

    everything = obligors()
    assert ("bc-1", "ubnd") in everything and ("bc-2", "tt-hdnd") in everything  # the ledger's words, read
    assert {o for _, o in obligors("--obligor", "UBND xã")} == {"ubnd"}  # not the Chair's too
    assert {o for _, o in obligors("--obligor", "tt hdnd")} == {"tt-hdnd"}
    assert {o for _, o in obligors("--obligor", "chủ tịch")} == {"chu-tich-ubnd"}  # words: as before
    assert {o for _, o in obligors("--obligor", "uy ban")} == {"ubnd", "chu-tich-ubnd"}


def test_dates_are_read_as_offices_write_them(tmp_path):
    xa = commune(tmp_path)
    for written in ("20-11-2026", "20/11/2026", "20.11.2026", "2026-11-20", "20/11/26"):
        result = xa.run("due", "--as-of", written)
        assert result.returncode == 0 and "ngày 20/11/2026" in result.stdout, (written, result.stderr)
    backwards = xa.run("history", "--from", "31/12/2026", "--to", "1/1/26")
    assert backwards.returncode == 2 and "--to 01/01/2026 ở trước --from 31/12/2026" in backwards.stderr


def test_periods_are_said_in_words_and_rules_by_their_titles():
    extensions = run("rules", "show", "denunciation-settle", "--example").stdout
    assert "Gia hạn: tối đa 2 lần, mỗi lần không quá 30 ngày" in extensions and "30d" not in extensions
    english = run("rules", "show", "denunciation-settle", "--example", "--lang", "en").stdout
    assert "Extensions: at most 2 times, each at most 30 days" in english
    from hdnd_cli.messages import say
    from hdnd_cli.model import Amount

    refused = say("extension-too-long", "vi", each=Amount(3, "wd"), limit="10/12/2026")
    assert refused == "mỗi lần gia hạn tối đa 3 ngày làm việc: không quá 10/12/2026"
    audit = run("audit", "--example", "--by", "rule", "--as-of", "2026-11-23")
    assert audit.returncode == 0 and audit.stdout.startswith("trong mọi kỳ (quy tắc)")
    assert "Báo cáo giải trình ý kiến, kiến nghị của đại biểu HĐND trước kỳ họp" in audit.stdout
    assert "delegate-petition-report" not in audit.stdout and "…" not in audit.stdout


def test_an_obligation_of_a_rule_the_office_has_none_under_is_not_matched_to_another_rules(tmp_path):
    xa = commune(tmp_path)
    (xa.root / "data" / "ledger.yaml").write_text("- {kind: complaint, id: kn-1, date: 2026-11-20}\n"
                                                  "- {kind: complaint, id: kn-2, date: 2026-11-23}\n", encoding="utf-8")
    other = xa.run("waive", "delegate-petition-report/kn-1", "--reason", "không áp dụng")
    assert other.returncode == 2 and "không có nghĩa vụ nào theo quy tắc 'delegate-petition-report'" in other.stderr
    assert "có phải" not in other.stderr
    near = xa.run("waive", "complaint-first-accept/kn-3", "--reason", "không áp dụng")
    assert near.returncode == 2 and "có phải: complaint-first-accept/kn-2, complaint-first-accept/kn-1?" in near.stderr


def test_a_new_pack_suggests_the_offices_own_committees(tmp_path):
    import tomllib

    xa = commune(tmp_path)
    assert xa.run("rules", "new").returncode == 0
    line = next(line for line in (xa.root / "rules" / "quy-che.toml").read_text(encoding="utf-8").splitlines()
                if line.startswith('obligors = ["?"]'))
    suggested = set(line.rpartition("[")[2].partition("]")[0].replace('"', "").split(", "))
    bodies = {b["id"] for b in tomllib.loads((xa.root / "hdnd.toml").read_text(encoding="utf-8"))["bodies"]}
    assert suggested and suggested <= bodies, (line, bodies)
    alone = run("rules", "new", "-o", str(tmp_path / "qc.toml"), cwd=tmp_path)
    assert alone.returncode == 0 and "chưa có Ban nào" in (tmp_path / "qc.toml").read_text(encoding="utf-8")


def test_history_says_how_each_completion_was_recorded_and_a_workbook_says_what_it_is(tmp_path):
    import hashlib

    from openpyxl import load_workbook

    xa = commune(tmp_path)
    assert xa.run("add", "complaint", "--date", "2026-11-02", "--id", "kn-1",
                  env={"HDND_NOW": "2026-11-03T09:00"}).returncode == 0
    (xa.root / "bien-ban.pdf").write_bytes(b"%PDF-1.4 bien ban")
    done = xa.run("done", "complaint-first-accept/kn-1", "--date", "2026-11-05", "--file", "bien-ban.pdf",
                  env={"HDND_NOW": "2026-12-01T10:00", "HDND_USER": "lan"})  # back-filled a month later
    assert done.returncode == 0, done.stderr
    item = next(i for i in json.loads(xa.run("history", "-f", "json").stdout)["items"]
                if i["id"] == "complaint-first-accept/kn-1")
    assert item["done"] == {"date": "2026-11-05", "ref": None, "recorded_at": "2026-12-01T10:00:00+07:00",
                            "recorded_by": "lan", "file": "bien-ban.pdf",
                            "sha256": hashlib.sha256(b"%PDF-1.4 bien ban").hexdigest()}
    csv_text = xa.run("history", "-f", "csv").stdout
    assert "done_recorded_at,done_recorded_by,done_file,done_sha256" in csv_text.splitlines()[0]
    assert ",2026-12-01T10:00:00+07:00,lan,bien-ban.pdf," in csv_text
    assert "done_file" not in xa.run("due", "--all", "-f", "csv").stdout  # the morning list keeps its columns
    book = tmp_path / "lich-su.xlsx"
    written = xa.run("history", "-o", str(book), "--known-on", "2026-11-10")
    assert written.returncode == 0, written.stderr
    about = dict(load_workbook(book)["Thông tin"].iter_rows(values_only=True))
    assert about["Chỉ các mục ghi vào sổ đến"] == "hết ngày 10/11/2026"
    assert about["Mục ghi sau thời điểm đó, không tính"] == "1"  # the completion back-filled on 01/12
    assert about["Văn phòng"] == "Văn phòng HĐND xã" and about["Tính đến ngày"] == "03/12/2026"
    assert about["Phiên bản luật"] and about["Không gian làm việc"].endswith("hdnd.toml")


SWEEP = [  # commands a secretary, an auditor and cron run, right and wrong, in a commune fresh from init
    ["due"], ["due", "--all"], ["overdue"], ["check"], ["check", "--strict"], ["rules"], ["rules", "show", "kn"],
    ["rules", "show", "complaint-first-accept"], ["explain", "complaint-first-accept/kn-1"], ["explain", "khong-co"],
    ["calendar", "2026"], ["history"], ["audit", "--by", "rule"], ["audit", "--by", "obligor", "-f", "csv"],
    ["report", "-o", "bao-cao.html"], ["ics"], ["notify", "--dry-run"], ["law"], ["deu"], ["due", "--al"],
    ["due", "--as-of", "31/02/2026"], ["history", "--from", "2026-12-01", "--to", "2026-01-01"],
    ["add", "complaint", "--date", "2026-11-30", "--id", "kn-2"], ["add", "complaint", "--date", "2027-01-05"],
    ["done", "complaint-first-accept/kn-9", "--date", "2026-11-20"], ["set", "kn-2", "title=Đơn", "--reason", "bổ sung"],
    ["void", "kn-2", "--reason", "nhầm"], ["void", "kn-3", "--reason", "nhầm"], ["waive", "x/y", "--reason", "z"],
    ["import", "khong-co.csv", "--kind", "complaint"], ["rules", "diff", "khong-co"], ["db", "push"],
]


def test_nothing_a_person_reads_is_a_python_value_or_an_english_usage_sentence(tmp_path):
    from test_cli import CLICK_ENGLISH

    xa = commune(tmp_path)
    (xa.root / "data" / "ledger.yaml").write_text("- {kind: complaint, id: kn-1, date: 2026-11-20}\n", encoding="utf-8")
    said = []
    for args in SWEEP:
        result = xa.run(*args)
        assert result.returncode in (0, 1, 2, 5), (args, result.returncode, result.stderr)
        said.append((args, result.stdout + result.stderr))
    faults = [(args, word) for args, text in said for word in ("PosixPath", "Traceback", *CLICK_ENGLISH)
              if word in text]
    faults += [(args, "None") for args, text in said if re.search(r"\bNone\b", text)]
    assert faults == []


# --- the words a long list repeats, remembered: what saying them afresh gives ------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from hdnd_cli.messages import vn_date  # noqa: E402
from hdnd_cli.render import text as text_module  # noqa: E402

DAYS = st.none() | st.integers(-400, 400)


@given(st.lists(st.tuples(DAYS, DAYS, st.sampled_from(["vi", "en"])), max_size=30),
       st.lists(st.dates() | st.datetimes() | st.none(), max_size=30))
def test_remembered_day_counts_and_dates_are_what_saying_them_afresh_gives(counts, days):
    for left, late, lang in counts:
        assert text_module._days(left, late, lang) == text_module._days.__wrapped__(left, late, lang)
    for day in days:  # dates and times of day mixed: each written as its own day
        assert vn_date(day) == vn_date.__wrapped__(day) == ("—" if day is None else day.strftime("%d/%m/%Y"))
