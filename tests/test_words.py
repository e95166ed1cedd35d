"""Words people read: rules in plain Vietnamese, a count rule's progress, a line for every file written."""
from conftest import run

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
