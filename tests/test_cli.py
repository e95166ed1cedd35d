"""The installed `hdnd` command end to end: real files, real processes, exact output and exit codes."""
import csv
import io
import json
import re
import subprocess
from datetime import date

import pytest

from conftest import NOW, hdnd_command, run
from hdnd_cli.messages import vn_date

SPEC_LEDGER = """\
- id: kh-2024-07
  kind: session
  date: 2024-07-10          # opening
  ends: 2024-07-12
  type: regular             # regular | thematic | extraordinary
- id: txct-2024-07-sau
  kind: voter-contact
  date: 2024-07-25
  phase: after
  forwarded: 2024-08-02     # the petition summary reached UBND
  petitions: 144
- kind: done                # an obligation met
  obligation: voter-answer-after/txct-2024-07-sau
  date: 2024-08-30
  ref: 45/BC-UBND           # the document's number
  file: docs/45-BC-UBND.pdf # optional evidence
- kind: waive               # not applicable, with a reason
  obligation: delegate-petition-report/kh-2024-07
  date: 2024-07-01
  reason: "Không có kiến nghị của đại biểu"
- id: gs-2024-03-kn2        # an obligation set by a document, not by a rule
  kind: obligation
  date: 2024-03-15          # when it was set
  due: 2024-06-30
  title: "Báo cáo kết quả thực hiện kiến nghị giám sát số 2"
  obligor: so-tai-nguyen
"""

SPEC_ITEM = {
    "id": "voter-answer-after/txct-2024-07-sau",
    "rule": "voter-answer-after",
    "title": "Trả lời ý kiến, kiến nghị cử tri (đợt TXCT sau kỳ họp)",
    "obligor": "ubnd",
    "recipient": "tt-hdnd",
    "key": "txct-2024-07-sau",
    "due": "2024-09-04",
    "original_due": "2024-09-04",
    "status": "done",
    "days_left": None,
    "days_late": -5,
    "done": {"date": "2024-08-30", "ref": "45/BC-UBND"},
    "basis": "Mục I.1.2",
    "source": "qcph-huyen-2021",
}


@pytest.fixture
def district(ws):
    ws.config('[paths]\nrules = ["rules"]\nledger = ["data"]\n').bundled("qcph-huyen-2021.toml")
    text = (ws.root / "hdnd.toml").read_text().replace('level = "province"', 'level = "district"')
    (ws.root / "hdnd.toml").write_text(text)
    return ws.ledger(SPEC_LEDGER, "2024.yaml")


def test_json_is_exactly_as_the_spec_shows_it(district):
    result = district.run("due", "--all", "--format", "json", "--as-of", "2024-08-30")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["as_of", "law", "items"] and document["as_of"] == "2024-08-30"
    assert document["law"] == "2026.12.03"  # the law that made it (SPEC §2a)
    item = next(i for i in document["items"] if i["id"] == SPEC_ITEM["id"])
    assert item == SPEC_ITEM and list(item) == list(SPEC_ITEM)
    by_id = {i["id"]: i for i in document["items"]}
    assert by_id["delegate-petition-report/kh-2024-07"]["status"] == "waived"
    assert by_id["gs-2024-03-kn2"] | {} == {
        "id": "gs-2024-03-kn2", "rule": None, "title": "Báo cáo kết quả thực hiện kiến nghị giám sát số 2",
        "obligor": "so-tai-nguyen", "recipient": None, "key": "gs-2024-03-kn2", "due": "2024-06-30",
        "original_due": "2024-06-30", "status": "overdue", "days_left": -61, "days_late": None, "done": None,
        "basis": None, "source": None}
    dues = [(i["due"], i["id"]) for i in document["items"]]
    assert dues == sorted(dues)


def test_options_go_before_or_after_the_command_and_dates_in_both_spellings(district):
    a = district.run("due", "--all", "--format", "json", "--as-of", "2024-08-30").stdout
    b = district.run("--as-of", "30/08/2024", "due", "--all", "-f", "json").stdout
    assert a == b and a


def test_csv_has_the_json_fields_one_row_per_item(district):
    result = district.run("due", "--all", "--format", "csv", "--as-of", "2024-08-30")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    row = next(r for r in rows if r["id"] == SPEC_ITEM["id"])
    assert list(row) == ["id", "rule", "title", "obligor", "recipient", "key", "due", "original_due", "status",
                         "days_left", "days_late", "done_date", "done_ref", "basis", "source"]
    assert (row["due"], row["status"], row["days_late"], row["done_ref"], row["days_left"]) == (
        "2024-09-04", "done", "-5", "45/BC-UBND", "")


def test_the_morning_table(district):
    result = district.run("due", "--as-of", "2024-08-30")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert "3 quá hạn" in lines[0]  # the plan due 10/06, the plan due 01/08 and gs-2024-03-kn2
    assert "gs-2024-03-kn2" in result.stdout and "30/06/2024" in result.stdout and "trễ 61 ngày" in result.stdout
    assert "voter-answer-after" not in result.stdout  # done: not in the morning view
    english = district.run("due", "--as-of", "2024-08-30", "--lang", "en").stdout
    assert "3 overdue" in english and "61 days late" in english


def test_piped_tables_are_plain_aligned_rows_one_item_a_line(district):
    """Not a terminal (a pipe, a file, cron): no colour, no wrapping, each obligation on one line
    with its id, so `grep` finds it; the columns line up under the header."""
    lines = district.run("due", "--as-of", "2024-08-30").stdout.splitlines()
    header, rows = lines[1], lines[2:]
    assert header.split()[:3] == ["Trạng", "thái", "Hạn"] and len(rows) == 3
    row = next(line for line in rows if "gs-2024-03-kn2" in line)
    assert row.startswith("quá hạn") and "30/06/2024" in row and "trễ 61 ngày" in row
    assert "Báo cáo kết quả thực hiện kiến nghị giám sát số 2  gs-2024-03-kn2" in row
    assert len({line.find("/20") for line in rows}) == 1  # the due dates line up
    assert "\x1b[" not in "\n".join(lines)


def test_a_long_list_arrives_whole_and_a_reader_that_stops_early_ends_it_quietly(ws):
    """The command ends its process without freeing what it built, once the output is flushed
    (cli/main.py): read to the end, every line of a list far longer than a pipe holds arrives, and so
    does `check`'s one line, which nothing flushed before; read one line and closed (`| head -1`), the
    run ends saying nothing more."""
    ws.ledger("\n".join(f"- {{id: gs-{n}, kind: obligation, date: 2026-01-01, due: 2026-11-{n % 28 + 1:02d}, "
                        f"title: Báo cáo kết quả giám sát số {n}, obligor: ubnd}}" for n in range(3000)))
    command = [*hdnd_command(), "due", "--all", "--as-of", "2026-11-23"]
    environment = {k: v for k, v in ws.environment().items() if k != "PYTHONUNBUFFERED"}  # buffered, as users run it
    whole = subprocess.run(command, cwd=ws.root, env=environment, capture_output=True, text=True, timeout=60)
    assert whole.returncode == 0 and len(whole.stdout.encode()) > 4 * 65536, whole.stderr
    assert sorted(line.split()[-1] for line in whole.stdout.splitlines() if "gs-" in line) == sorted(
        f"gs-{n}" for n in range(3000))
    short = subprocess.run([*hdnd_command(), "check"], cwd=ws.root, env=environment, capture_output=True, text=True,
                           timeout=60)
    assert short.stdout.startswith("Hợp lệ:") and "3000 mục trong sổ" in short.stdout, short  # a line, still buffered
    reader = subprocess.Popen(command, cwd=ws.root, env=environment, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.readline()
    reader.stdout.close()
    # Wherever the write finds the pipe closed (in the command line library, or in hdnd's own flush),
    # the run ends with 0 and says nothing more.
    assert reader.wait(timeout=60) == 0 and reader.stderr.read() == b""


def test_plain_rows_line_up_when_names_are_typed_decomposed(ws):
    """A body name typed with combining marks (NFD, as some keyboards write it) takes its visible
    width, so the next column still lines up."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh")
    ws.config(f'[[bodies]]\nid = "ubnd-nfd"\nname = "{decomposed}"\n')
    ws.ledger("""
        - {id: a, kind: obligation, date: 2026-11-01, due: 2026-11-30, title: Một, obligor: ubnd-nfd}
        - {id: b, kind: obligation, date: 2026-11-01, due: 2026-11-30, title: Hai, obligor: tt-hdnd}
        """)
    rows = ws.run("due", "--as-of", "2026-11-23").stdout.splitlines()[2:]
    shown = [unicodedata.normalize("NFC", row) for row in rows]  # one code point per visible letter
    shown = [row for row in shown if "Một" in row or "Hai" in row]  # the law's own rows aside
    assert len(shown) == 2 and shown[0].index("Một") == shown[1].index("Hai")


def test_a_terminal_gets_the_rich_table(district):
    """On a terminal the table is drawn by rich: the id goes on the line under the title."""
    output = run_in_terminal("due", "--as-of", "2024-08-30", cwd=district.root)
    lines = output.splitlines()
    title = next(i for i, line in enumerate(lines) if "giám sát số 2" in line)
    assert "gs-2024-03-kn2" not in lines[title] and "gs-2024-03-kn2" in lines[title + 1]
    assert "quá hạn" in lines[title] and "30/06/2024" in lines[title]


def test_a_long_table_is_plain_rows_even_on_a_terminal(ws):
    """Above 500 rows rich would take seconds; the rows come plain, one a line, at once."""
    ws.rules("""
        [[rules]]
        id = "answer"
        title = "Trả lời"
        obligor = "ubnd"
        trigger = { event = "request" }
        deadline = { after = "10d" }
        """)
    ws.ledger("".join(f"- id: r{n}\n  kind: request\n  date: 2026-11-20\n" for n in range(600)))
    output = run_in_terminal("due", "--as-of", "2026-11-23", cwd=ws.root)
    rows = [line for line in output.splitlines() if line.startswith("sắp đến hạn")]
    assert len(rows) == 600 and all(" answer/r" in row for row in rows)


@pytest.mark.parametrize("args, columns", [(["due"], 100), (["due", "--all"], 120)])
def test_ids_are_not_broken_where_the_terminal_has_room(district, args, columns):
    """An id is kept whole while every column fits the terminal's width; past that it folds, never cut off."""
    shown = json.loads(district.run(*args, "--as-of", "2024-08-30", "-f", "json").stdout)["items"]
    output = run_in_terminal(*args, "--as-of", "2024-08-30", cwd=district.root, columns=columns)
    words = {word for line in output.splitlines() for word in re.sub(r"\x1b\[[0-9;]*m", "", line).split()}
    assert shown and all(item["id"] in words for item in shown), output
    assert all(vn_date(date.fromisoformat(item["done"]["date"])) in words for item in shown if item["done"])
    narrow = re.sub(r"\x1b\[[0-9;]*m|\s", "", run_in_terminal(*args, "--as-of", "2024-08-30", cwd=district.root,
                                                                columns=60))
    assert all(item["id"] in narrow for item in shown)  # folded, but all there


def run_in_terminal(*args: str, cwd, env: dict | None = None, columns: int = 200) -> str:
    """The installed command with a pseudo-terminal as its output, as a person runs it."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import termios

    from conftest import CACHE_DIR, hdnd_command

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": str(columns), "HDND_CACHE_DIR": CACHE_DIR, "TERM": "xterm",
           **(env or {})}
    process = subprocess.Popen([*hdnd_command(), *args], cwd=cwd, env=env, stdin=follower, stdout=follower,
                               stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_overdue_for_cron(district):
    quiet = district.run("overdue", "--as-of", "2024-06-10")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    found = district.run("overdue", "--as-of", "2024-07-01")
    assert found.returncode == 1 and "gs-2024-03-kn2" in found.stdout
    as_json = json.loads(district.run("overdue", "--as-of", "2024-07-01", "--format", "json").stdout)
    assert [i["id"] for i in as_json["items"]] == ["voter-contact-plan/kh-2024-07", "gs-2024-03-kn2"]


def test_filters_ignore_case_and_diacritics(district):
    def ids(*args):
        result = district.run("due", "--all", "-f", "json", "--as-of", "2024-08-30", *args)
        assert result.returncode == 0, result.stderr
        return {i["id"] for i in json.loads(result.stdout)["items"]}

    everything = ids()
    assert ids("--obligor", "uy ban") == {SPEC_ITEM["id"], "delegate-petition-report/kh-2024-07"}
    assert ids("--obligor", "so-tai") == {"gs-2024-03-kn2"} and len(everything) == 5
    assert ids("--obligor", "THUONG TRUC") == {"voter-contact-plan/kh-2024-07", "voter-contact-plan-after/kh-2024-07"}
    assert ids("--status", "qua han") == {"gs-2024-03-kn2", "voter-contact-plan/kh-2024-07",
                                          "voter-contact-plan-after/kh-2024-07"}
    assert ids("--status", "done,waived") == {SPEC_ITEM["id"], "delegate-petition-report/kh-2024-07"}
    assert ids("--rule", "tra loi kien nghi") == {SPEC_ITEM["id"]}
    bad = district.run("due", "--status", "finished")
    assert bad.returncode == 2 and "--status" in bad.stderr


def test_explain_shows_every_step_with_its_source(district):
    result = district.run("explain", "voter-answer-after/txct-2024-07-sau", "--as-of", "2024-08-30")
    assert result.returncode == 0
    out = result.stdout
    assert "data/2024.yaml:6" in out                       # the trigger event's file:line
    assert "Điều 147" in out and "Điều 148 khoản 5" in out
    assert "01/09/2024 (Chủ nhật)" in out and "02/09/2024 (Quốc khánh)" in out and "03/09/2024 (Quốc khánh)" in out
    assert "Thứ Tư 04/09/2024" in out and "Mục I.1.2" in out and "trong vòng 30 ngày" in out
    assert "45/BC-UBND" in out and "data/2024.yaml:12" in out
    english = district.run("explain", "voter-answer-after/txct-2024-07-sau", "--lang", "en").stdout
    assert "art. 148 §5" in english and "National Day" in english


def test_unknown_ids_suggest_the_nearest(district):
    result = district.run("explain", "voter-answer-after/txct-2024-07", "--as-of", "2024-08-30")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "voter-answer-after/txct-2024-07-sau" in result.stderr


def test_check_passes_on_a_valid_workspace(district):
    result = district.run("check")
    assert result.returncode == 0 and result.stdout.startswith("Hợp lệ: ")
    assert district.files()  # the district's own pack and the law's (`hdnd law`)
    assert "voter-answer-after" in district.run("rules", "--as-of", "2024-01-01").stdout


@pytest.mark.parametrize("name, text, where, words", [
    ("bad.yaml", "- kind: session\n  date: 2024-07-10\n  type: [\n", "data/bad.yaml:4", "thiếu một giá trị"),
    ("bad.yaml", "- kind: session\n  date: 2024-07-10\n  ends: 2024-07-12\n  type: regular\n  rooms: 3\n"
                 "- kind: done\n  date: 2024-07-10\n  obligation: x/y\n  refs: 1\n", "data/bad.yaml:9", "refs"),
    ("bad.yaml", "- id: e1\n  kind: election\n  date: 30/02/2026\n", "data/bad.yaml:3", "30/02/2026"),
    ("bad.yaml", "- kind: done\n  date: 2024-08-01\n  obligation: voter-answer-after/nothing\n",
     "data/bad.yaml:1", "voter-answer-after/nothing"),
    ("bad.yaml", "- {id: kh-1, kind: election, date: 2024-01-01}\n- {id: kh-1, kind: election, date: 2024-01-02}\n",
     "data/bad.yaml:2", "kh-1"),
    ("bad.json", '[{"kind": "election", "date": "2024-01-01"},\n {"kind": "election" "date": 1}]',
     "data/bad.json:2", "thiếu dấu phẩy"),
])
def test_bad_ledgers_are_reported_with_file_and_line_and_nothing_is_computed(district, name, text, where, words):
    """Nothing is computed from a ledger that does not validate, but the morning list (issue: one
    colleague's typo must not blank everyone's morning), which says it may be incomplete; exit 2."""
    district.ledger(text, name)
    for command in (["check"], ["due"], ["overdue"], ["due", "--format", "json"], ["history"], ["audit", "--by", "year"]):
        result = district.run(*command, "--as-of", "2024-08-30")
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        out = result.stdout + result.stderr
        assert "Traceback" not in out and where in out and words in out, out
        if command[0] in ("due", "overdue"):
            assert "CÓ THỂ THIẾU" in result.stderr and where in result.stderr.split("CÓ THỂ THIẾU")[0]
        elif command != ["check"]:
            assert result.stdout == ""


def test_bad_rules_are_reported_with_file_and_line(district):
    district.rules('\n[[rules]]\nid = "x"\ntitle = "X"\nobligor = "ubnd"\ntrigger = { event = "s" }\n'
                   'deadline = { after = "30 days" }\n', name="own.toml")
    result = district.run("check")
    assert result.returncode == 2 and "rules/own.toml:12:" in result.stderr and "30 days" in result.stderr
    assert "Traceback" not in result.stderr + result.stderr


def test_a_wrong_rule_example_fails_check(district):
    district.rules('\n[[rules]]\nid = "x"\ntitle = "X"\nobligor = "ubnd"\ntrigger = { event = "s" }\n'
                   'deadline = { after = "30d" }\nexamples = [{ trigger = 2024-08-02, due = 2024-09-01 }]\n',
                   name="own.toml")
    result = district.run("check")
    assert result.returncode == 2 and "04/09/2024" in result.stderr


def test_configuration_with_wrong_types_is_reported(ws):
    ws.config('[paths]\nrules = 5\n')
    result = ws.run("check")
    assert result.returncode == 2 and "hdnd.toml:13:" in result.stderr and "rules" in result.stderr


def test_bad_configuration_is_reported(ws):
    ws.config('[due]\nhorizon = "two weeks"\n\n[calender]\ndays_off = []\n')
    result = ws.run("check")
    assert result.returncode == 2
    assert "hdnd.toml:13:" in result.stderr and "hdnd.toml:15:" in result.stderr and "calender" in result.stderr


@pytest.mark.parametrize("args, words", [
    (["due", "--as-of", "30/02/2024"], "30/02/2024"),
    (["due", "--as-of", "yesterday"], "yesterday"),
    (["due", "--as-of", "9999-12-31"], "9999-12-31"),
    (["due", "--format", "xml"], "xml"),
    (["due", "--lang", "fr"], "fr"),
    (["due", "--bogus"], "--bogus"),
    (["explain"], "ID"),
])
def test_bad_usage_exits_2_without_a_traceback(district, args, words):
    result = district.run(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr and words in result.stderr


CLICK_ENGLISH = ("No such", "Invalid value", "Missing argument", "Missing option", "Possible options",
                 "Did you mean", "Got unexpected", "requires an argument", "does not take", "is not one of")
USAGE = [  # a mistake, what the message names, and the command whose --help it points to
    (["deu"], ["'deu'", "'due'"], "hdnd --help"),
    (["rules", "shw"], ["'shw'", "'show'"], "hdnd rules --help"),
    (["due", "--al"], ["--al", "'--all'"], "hdnd due --help"),
    (["due", "--to", "2025-12-31"], ["--to"], "hdnd due --help"),
    (["explain"], ["ID"], "hdnd explain --help"),
    (["due", "--format", "xml"], ["'xml'", "table, json, csv, xlsx"], "hdnd due --help"),
    (["due", "-fxml"], ["'xml'"], "hdnd due --help"),
    (["--lang", "fr", "due"], ["'fr'", "vi, en"], "hdnd due --help"),
    (["due", "--as-of"], ["--as-of"], "hdnd due --help"),
    (["due", "--all=3"], ["--all"], "hdnd due --help"),
    (["due", "thua", "tu"], ["'thua tu'"], "hdnd due --help"),
]


@pytest.mark.parametrize("args, words, help_", USAGE, ids=[" ".join(u[0]) for u in USAGE])
def test_usage_errors_are_in_the_chosen_language_and_name_the_right_help(district, args, words, help_):
    for lang, said in (("vi", "dùng lệnh chưa đúng"), ("en", "bad usage")):
        result = district.run(*args, env={"HDND_LANG": lang})
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert said in result.stderr and f"'{help_}'" in result.stderr, result.stderr
        assert all(word in result.stderr for word in words), result.stderr
        assert not any(english in result.stderr for english in CLICK_ENGLISH), result.stderr


@pytest.mark.parametrize("before", [["--format", "json"], ["-f", "json"], ["-fjson"], ["--format=json"]])
def test_the_format_goes_before_or_after_the_command(district, before):
    after = district.run("overdue", "--as-of", "2024-12-20", "-f", "json")
    moved = district.run(*before, "overdue", "--as-of", "2024-12-20")
    assert after.returncode == moved.returncode == 1 and json.loads(moved.stdout) == json.loads(after.stdout)
    assert district.run(*before, "explain", "--as-of", "2024-12-20", "--", "-f").returncode == 2  # after --: an id


def test_hdnds_own_options_after_a_command_that_does_not_take_them_are_read_as_given_before_it(district):
    example = district.run("done", "complaint-first-accept/kn-1", "--example", env={"HDND_NOW": "2026-12-03T08:00"})
    assert example.returncode == 2 and "chỉ để đọc" in example.stderr and "không có tùy chọn" not in example.stderr
    calendar = district.run("calendar", "2026", "--as-of", "2026-01-01")
    assert calendar.returncode == 2 and "không dùng --as-of" in calendar.stderr
    english = district.run("calendar", "2026", "--lang", "en")
    assert english.returncode == 0 and "New Year" in english.stdout, english.stderr


def test_no_workspace_says_what_to_do(tmp_path):
    result = run("due", cwd=tmp_path)
    assert result.returncode == 2 and "hdnd init" in result.stderr and "--example" in result.stderr
    missing = run("due", "--config", str(tmp_path / "nowhere.toml"), cwd=tmp_path)
    assert missing.returncode == 2 and "nowhere.toml" in missing.stderr


def test_the_workspace_is_found_from_a_subfolder_or_by_config(district, tmp_path):
    sub = district.root / "data"
    assert run("check", cwd=sub).returncode == 0
    elsewhere = tmp_path.parent
    assert run("check", "--config", str(district.root), cwd=elsewhere).returncode == 0
    assert run("check", cwd=elsewhere, env={"HDND_CONFIG": str(district.root / "hdnd.toml")}).returncode == 0




@pytest.mark.parametrize("level, packs", [("province", {"hdnd-tinh-1011-2023"}), ("district", {"qcph-huyen-2021"}),
                                          ("commune", set())])  # the law is read from hdnd, never copied
def test_init_makes_a_workspace_that_passes_check(tmp_path, level, packs):
    target = tmp_path / "office"
    result = run("init", str(target), "--level", level, cwd=tmp_path, env={"HDND_NOW": NOW})
    assert result.returncode == 0, result.stderr
    assert {p.stem for p in (target / "rules").glob("*.toml")} == packs
    strict = run("check", "--strict", cwd=target, env={"HDND_NOW": NOW})  # on the day it was made
    assert strict.returncode == 0 and "cảnh báo" not in strict.stderr, strict.stderr
    assert "\nsince = 2026-11-25\n" in (target / "hdnd.toml").read_text()
    config = (target / "hdnd.toml").read_text()
    assert {"province": "Ủy ban nhân dân tỉnh", "district": "Ủy ban nhân dân huyện",
            "commune": "Ủy ban nhân dân xã"}[level] in config
    before = (target / "hdnd.toml").read_bytes()
    again = run("init", str(target), cwd=tmp_path, env={"HDND_NOW": NOW})
    assert again.returncode == 2 and (target / "hdnd.toml").read_bytes() == before


def test_the_example_passes_check_and_shows_a_morning(tmp_path):
    assert run("check", "--example", cwd=tmp_path).returncode == 0
    assert run("rules", "test", "--example", cwd=tmp_path).returncode == 0
    morning = run("due", "--example", "--as-of", "2026-11-23", cwd=tmp_path)
    assert morning.returncode == 0
    assert "3 quá hạn, 1 đến hạn hôm nay, 2 sắp đến hạn" in morning.stdout
    for expected in ("resolution-quarterly-report/2026-Q3/ban-dan-toc", "gs-2026-03-kn3", "gs-2026-09-kn1",
                     "resolution-annual-report/2026", "Ban Dân tộc HĐND tỉnh"):
        assert expected in morning.stdout
    assert run("overdue", "--example", "--as-of", "2026-11-23", cwd=tmp_path).returncode == 1


def test_calendar_shows_holidays_days_off_and_make_up_days(tmp_path):
    result = run("calendar", "2026", "--format", "json", cwd=tmp_path)
    days = {d["date"]: d for d in json.loads(result.stdout)["days"]}
    assert days["2026-01-10"]["kind"] == "make-up" and "12729/VPCP-KGVX" in days["2026-01-10"]["document"]
    assert days["2026-01-02"]["kind"] == "announced"
    assert days["2026-02-17"]["kind"] == "announced" and "9441/TB-BNV" in days["2026-02-17"]["document"]
    assert days["2026-11-24"]["kind"] == "announced" and "28/2026/QH16" in days["2026-11-24"]["document"]
    table = run("calendar", "2026", cwd=tmp_path).stdout
    assert "10/01/2026" in table and "làm bù" in table
    # 2027: Tết 04-10/02 and National Day 02-03/09 as announced (Công văn 10065/VPCP-KGVX), the rest computed.
    later = {d["date"]: d for d in json.loads(run("calendar", "2027", "-f", "json", cwd=tmp_path).stdout)["days"]}
    announced = ["2027-02-04", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10",
                 "2027-09-02", "2027-09-03"]
    assert [day for day, d in later.items() if d["kind"] == "announced"] == announced
    assert all("10065/VPCP-KGVX" in later[day]["document"] for day in announced)
    assert later["2027-04-16"]["kind"] == later["2027-11-24"]["kind"] == "computed"


def test_rules_lists_the_rules_in_force(district):
    listed = district.run("rules", "--as-of", "2024-01-01")
    assert listed.returncode == 0 and "voter-answer-after" in listed.stdout
    assert "voter-answer-after" not in district.run("rules", "--as-of", "2025-07-01").stdout
    shown = district.run("rules", "show", "voter-answer-before")
    assert shown.returncode == 0 and "trong vòng 20 ngày" in shown.stdout
    assert district.run("rules", "show", "nope").returncode == 2


def test_every_command_and_option_is_in_help_and_in_the_readme():
    """Each command the app registers, each subcommand and each long option is listed by its --help and
    named in the README."""
    from pathlib import Path

    import typer

    from hdnd_cli.cli.main import app

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    missing, seen = [], 0

    def walk(command, path):
        nonlocal seen
        shown = run(*path, "--help").stdout
        for option in (p for p in command.params if type(p).__name__.endswith("Option")):
            seen += 1
            names = [name for name in option.opts if name.startswith("--")]
            missing.extend(f"{' '.join(path)} {name}: {where}" for name in names[:1]
                           for where, text in (("--help", shown), ("README", readme)) if name not in text)
        for name, sub in getattr(command, "commands", {}).items():
            missing.extend(f"{' '.join([*path, name])}: {where}" for where, text in
                           (("--help", shown), ("README", readme)) if name not in text)
            if f"hdnd {' '.join([*path, name])}" not in readme and not path:
                missing.append(f"hdnd {name}: README")
            walk(sub, [*path, name])

    walk(typer.main.get_group(app), [])
    assert seen > 60, seen
    assert missing == [], "\n".join(missing)


def test_version_and_help():
    from hdnd_cli import __version__

    result = run("--version")
    assert (result.returncode, result.stdout) == (0, f"hdnd {__version__}\n")
    # The same answer where the fast path does not apply: after other options.
    assert run("--lang", "en", "--version").stdout == f"hdnd {__version__}\n"
    help_text = run("--help").stdout
    for command in ("due", "overdue", "explain", "check", "calendar", "init", "rules"):
        assert command in help_text
