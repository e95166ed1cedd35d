"""Two times for auditors, end to end with the installed `hdnd` (SPEC §5, "Global options").

An office that adopts hdnd in November 2026 back-fills its 2024 register. `--as-of D` says what had
in fact happened by D (the entries' own dates); `--known-on D` says what the office had recorded by
then (`recorded.at`). The district pack's due dates are computed by hand in test_bundled.py; here:
voter-answer-after/txct-2024-07-sau is due Wed 04/09/2024 (02/08 + 30 days = Sun 01/09; 02-03/09
National Day days off; Civil Code art. 148 §5), gs-2024-03-kn2 on 30/06/2024 as its document set it.
"""
import json

import pytest

from test_cli import SPEC_LEDGER

BACK_FILLED_AT = "2026-11-20T09:00"  # the morning the secretary typed in the 2024 register
EVENTS = SPEC_LEDGER.split("- kind: done")[0] + SPEC_LEDGER[SPEC_LEDGER.index("- id: gs-2024-03-kn2"):]
ANSWER, SET_BY_DOCUMENT, REPORT = ("voter-answer-after/txct-2024-07-sau", "gs-2024-03-kn2",
                                   "delegate-petition-report/kh-2024-07")
BACK_FILL = [
    ("done", ANSWER, "--date", "2024-08-30", "--ref", "45/BC-UBND"),
    ("extend", SET_BY_DOCUMENT, "--until", "2024-07-31", "--reason", "Chờ số liệu quyết toán", "--date", "2024-06-25"),
    ("done", SET_BY_DOCUMENT, "--date", "2024-07-29", "--ref", "77/BC-STNMT"),
    ("waive", REPORT, "--reason", "Không có kiến nghị của đại biểu", "--date", "2024-07-01"),
]


def district(ws):
    ws.config('[paths]\nrules = ["rules"]\nledger = ["data"]\n').bundled("qcph-huyen-2021.toml")
    text = (ws.root / "hdnd.toml").read_text().replace('level = "province"', 'level = "district"')
    (ws.root / "hdnd.toml").write_text(text)
    return ws


@pytest.fixture
def office(ws):
    """The events typed by hand (no stamp), then the 2024 register back-filled with the write commands."""
    district(ws).ledger(EVENTS, "2024.yaml")
    ws.now = BACK_FILLED_AT
    for args in BACK_FILL:
        result = ws.run(*args, env={"HDND_NOW": BACK_FILLED_AT})
        assert result.returncode == 0, result.stderr
    return ws


def items(ws, *args) -> dict:
    result = ws.run("due", "--all", "-f", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def by_id(document: dict) -> dict:
    return {item["id"]: item for item in document["items"]}


def test_back_filled_acts_count_for_as_of_by_their_own_dates(office):
    """The issue's case: before, the answer showed overdue by 88 days on 01/12/2024."""
    document = items(office, "--as-of", "2024-12-01")
    assert list(document) == ["as_of", "law", "items"]  # no --known-on, no extra keys
    found = by_id(document)
    assert (found[ANSWER]["status"], found[ANSWER]["days_late"]) == ("done", -5)
    assert (found[SET_BY_DOCUMENT]["due"], found[SET_BY_DOCUMENT]["original_due"]) == ("2024-07-31", "2024-06-30")
    assert (found[SET_BY_DOCUMENT]["status"], found[SET_BY_DOCUMENT]["days_late"]) == ("done", -2)
    assert found[REPORT]["status"] == "waived"
    before = by_id(items(office, "--as-of", "2024-08-29"))  # the day before the answer was sent
    assert (before[ANSWER]["status"], before[ANSWER]["days_left"]) == ("soon", 6)
    assert before[SET_BY_DOCUMENT]["due"] == "2024-07-31"  # extended on 25/06, before the evaluation day


def test_known_on_leaves_out_by_the_stamp_and_says_how_many(office):
    document = items(office, "--as-of", "2024-12-01", "--known-on", "2024-12-01")
    assert list(document) == ["as_of", "law", "known_on", "left_out", "items"]
    assert (document["known_on"], document["left_out"]) == ("2024-12-01T23:59:59+07:00", 4)
    found = by_id(document)
    assert (found[ANSWER]["status"], found[ANSWER]["days_left"]) == ("overdue", -88)
    assert (found[SET_BY_DOCUMENT]["due"], found[SET_BY_DOCUMENT]["status"]) == ("2024-06-30", "overdue")
    assert found[REPORT]["status"] == "overdue"
    minute_before = items(office, "--as-of", "2026-11-20", "--known-on", "2026-11-20T08:59")
    assert minute_before["left_out"] == 4 and by_id(minute_before)[ANSWER]["status"] == "overdue"
    that_minute = items(office, "--as-of", "2026-11-20", "--known-on", BACK_FILLED_AT)
    assert that_minute["left_out"] == 0 and by_id(that_minute)[ANSWER]["status"] == "done"
    same_in_utc = items(office, "--as-of", "2026-11-20", "--known-on", "2026-11-20T02:00+00:00")
    assert same_in_utc["left_out"] == 0 and same_in_utc["items"] == that_minute["items"]


def test_a_stamp_written_by_hand_is_honoured_and_unstamped_entries_always_count(ws):
    district(ws).ledger(EVENTS + """\
- kind: done
  obligation: voter-answer-after/txct-2024-07-sau
  date: 2024-08-30
  recorded: {by: lan, at: 2024-09-10T10:00:00+07:00}
""", "2024.yaml")
    before = items(ws, "--as-of", "2024-09-10", "--known-on", "10/09/2024 09:59")
    assert before["left_out"] == 1 and by_id(before)[ANSWER]["status"] == "overdue"
    after = items(ws, "--as-of", "2024-09-10", "--known-on", "2024-09-10T10:00")
    assert after["left_out"] == 0 and by_id(after)[ANSWER]["status"] == "done"
    long_before = items(ws, "--as-of", "2024-12-01", "--known-on", "2020-01-01")
    assert long_before["left_out"] == 1  # the events were typed without a stamp: they are known
    assert set(by_id(long_before)) == set(by_id(after))


def test_an_audit_of_a_back_filled_year_matches_one_recorded_on_time(office, tmp_path):
    """The same acts, once back-filled in 2026 and once stamped on the day they happened."""
    from conftest import Workspace

    (tmp_path / "on-time").mkdir()
    on_time = district(Workspace(tmp_path / "on-time")).ledger(EVENTS, "2024.yaml")
    for args in BACK_FILL:
        day = args[args.index("--date") + 1]
        assert on_time.run(*args, env={"HDND_NOW": f"{day}T16:00"}).returncode == 0
    audit = ("audit", "--from", "2024-01-01", "--to", "2024-12-31", "--as-of", "2025-01-15", "--by", "rule",
             "-f", "json")
    figures = json.loads(office.run(*audit).stdout)
    assert figures == json.loads(on_time.run(*audit).stdout)
    groups = {g["key"]: g for g in figures["groups"]}
    assert groups["voter-answer-after"]["on_time_rate"] == 1.0
    assert groups["(obligation)"]["done"] == 1 and groups["delegate-petition-report"]["waived"] == 1
    known = json.loads(office.run(*audit, "--known-on", "2025-01-15").stdout)
    assert (known["known_on"], known["left_out"]) == ("2025-01-15T23:59:59+07:00", 4)
    groups = {g["key"]: g for g in known["groups"]}
    assert (groups["voter-answer-after"]["overdue"], groups["voter-answer-after"]["on_time_rate"]) == (1, 0.0)
    assert groups["delegate-petition-report"]["waived"] == 0
    recorded_on_time = json.loads(on_time.run(*audit, "--known-on", "2025-01-15").stdout)
    assert recorded_on_time["left_out"] == 0 and recorded_on_time["groups"] == figures["groups"]


def test_the_report_header_says_both_times(office):
    args = ("report", "--from", "2024-01-01", "--to", "2024-12-31", "--as-of", "2025-01-15", "-o", "bc.html")
    assert office.run(*args).returncode == 0
    page = (office.root / "bc.html").read_text(encoding="utf-8")
    assert "số liệu tính đến ngày 15/01/2025, theo luật 2026.12.03." in page and "theo sổ ghi đến" not in page
    assert office.run(*args, "--known-on", "2025-01-15T08:00").returncode == 0
    page = (office.root / "bc.html").read_text(encoding="utf-8")
    assert ("số liệu tính đến ngày 15/01/2025, theo luật 2026.12.03, theo sổ ghi đến <span id=\"known-on\">08:00 "
            "15/01/2025</span> "
            "(<span id=\"left-out\">4</span> mục ghi vào sổ sau thời điểm đó không được tính).") in page


def test_explain_says_which_time_left_an_entry_out(office):
    early = office.run("explain", ANSWER, "--as-of", "2024-08-29")
    assert early.returncode == 0, early.stderr
    assert "Các mục không được tính:" in early.stdout
    assert "'done' 30/08/2024 45/BC-UBND (data/2024.yaml:" in early.stdout
    assert "ngày 30/08/2024, sau ngày tính 29/08/2024" in early.stdout
    unknown = office.run("explain", ANSWER, "--as-of", "2024-12-01", "--known-on", "2024-12-01", "--lang", "en")
    assert unknown.returncode == 0, unknown.stderr
    assert "Status: overdue" in unknown.stdout
    assert "recorded at 09:00 20/11/2026, after --known-on the end of 01/12/2024" in unknown.stdout
    plain = office.run("explain", ANSWER, "--as-of", "2024-12-01")
    assert "không được tính" not in plain.stdout and "Trạng thái: đúng hạn" in plain.stdout


def test_explain_of_an_obligation_whose_trigger_was_recorded_later(office):
    added = office.run("add", "voter-contact", "--date", "2024-11-20", "--id", "txct-2024-11-sau",
                       "--set", "phase=after", "--set", "forwarded=2024-11-25", env={"HDND_NOW": BACK_FILLED_AT})
    assert added.returncode == 0, added.stderr
    result = office.run("explain", "voter-answer-after/txct-2024-11-sau", "--as-of", "2025-01-15",
                        "--known-on", "2025-01-15")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Nghĩa vụ 'voter-answer-after/txct-2024-11-sau' chưa có trong sổ ghi đến "
                                    "hết ngày 15/01/2025: mục 'voter-contact' làm phát sinh nghĩa vụ "
                                    "(data/2024.yaml:")
    assert "được ghi vào sổ lúc 09:00 20/11/2026" in result.stdout
    typo = office.run("explain", "voter-answer-after/txct-2024-11-sua", "--known-on", "2025-01-15")
    assert typo.returncode == 2 and "không có nghĩa vụ" in typo.stderr and "txct-2024-11-sau" in typo.stderr


@pytest.mark.parametrize("args, where", [
    (("due",), "stdout"), (("due", "-f", "csv"), "stderr"), (("overdue",), "stdout"),
    (("overdue", "-f", "csv"), "stderr"),
    (("history", "--from", "2024-01-01"), "stdout"), (("history", "-f", "csv"), "stderr"),
    (("audit", "--by", "obligor"), "stdout"), (("audit", "--by", "year", "-f", "csv"), "stderr"),
    (("history", "-f", "xlsx", "-o", "h.xlsx"), "stderr"), (("audit", "--by", "year", "-f", "xlsx", "-o", "a.xlsx"), "stderr"),
    (("ics",), "stderr"), (("notify", "--dry-run"), "stderr"),
])
def test_every_output_under_known_on_says_how_many_entries_it_left_out(office, args, where):
    result = office.run(*args, "--as-of", "2024-12-01", "--known-on", "2024-12-01")
    assert result.returncode in (0, 1, 5), result.stderr  # 5: notify, bodies without an address
    note = "Theo sổ ghi đến hết ngày 01/12/2024: 4 mục ghi vào sổ sau thời điểm đó không được tính."
    assert note in getattr(result, where)
    if where == "stderr":
        assert note not in result.stdout


def test_known_on_is_checked_and_refused_where_it_means_nothing(office):
    bad = office.run("due", "--known-on", "2024-13-01")
    assert bad.returncode == 2 and "'2024-13-01' không phải là ngày hợp lệ" in bad.stderr
    bad_time = office.run("due", "--known-on", "2024-12-01T25:00")
    assert bad_time.returncode == 2 and "không phải là thời điểm hợp lệ" in bad_time.stderr
    for args in (("--known-on", "2024-12-01", "check"), ("--known-on", "2024-12-01", "rules"),
                 ("--as-of", "2024-12-01", "calendar"), ("--as-of", "2024-12-01", "waive", REPORT, "--reason", "x")):
        refused = office.run(*args)
        assert refused.returncode == 2 and "lệnh này không dùng --" in refused.stderr, args
    assert "Traceback" not in bad.stderr + bad_time.stderr
