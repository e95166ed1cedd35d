"""History and audit for a ledger whose figures are known by hand, through the installed command."""
import json

import pytest

from conftest import SOURCE

V1 = SOURCE.replace('id = "test-pack"', 'id = "qcph-2021"') + "in_force = { until = 2024-06-30 }\n"
V2 = SOURCE.replace('id = "test-pack"', 'id = "qcph-2024"') + "in_force = { from = 2024-07-01 }\n"
ANSWER = """
[[rules]]
id = "voter-answer-after"
title = "Trả lời ý kiến, kiến nghị cử tri"
obligor = "ubnd"
trigger = { event = "voter-contact", where = { phase = "after" }, date = "forwarded" }
deadline = { after = "DAYS" }
"""
SETTLE = """
[[rules]]
id = "to-giac-settle"
title = "Giải quyết tố cáo"
obligor = "ubnd"
trigger = { event = "to-giac", date = "accepted" }
deadline = { after = "30d" }
extensions = { max = 2, each = "30d" }
"""
LEDGER = """\
- {id: r1, kind: voter-contact, date: 2024-02-25, phase: after, forwarded: 2024-03-01}
- {id: r2, kind: voter-contact, date: 2024-04-25, phase: after, forwarded: 2024-05-02}
- {id: r3, kind: voter-contact, date: 2024-07-25, phase: after, forwarded: 2024-08-01}
- {id: r4, kind: voter-contact, date: 2024-09-25, phase: after, forwarded: 2024-10-01}
- {id: r5, kind: voter-contact, date: 2024-10-25, phase: after, forwarded: 2024-11-01}
- {id: tc-1, kind: to-giac, date: 2024-09-05, accepted: 2024-09-10}
- {kind: done, obligation: voter-answer-after/r1, date: 2024-03-28, ref: 10/BC-UBND}
- {kind: done, obligation: voter-answer-after/r2, date: 2024-06-06, ref: 22/BC-UBND}
- {kind: done, obligation: voter-answer-after/r3, date: 2024-08-30, ref: 31/BC-UBND}
- {kind: waive, obligation: voter-answer-after/r5, date: 2024-11-05, reason: "Cử tri rút kiến nghị"}
- {kind: extend, obligation: to-giac-settle/tc-1, date: 2024-10-08, until: 2024-11-08, reason: "Phức tạp"}
- {kind: done, obligation: to-giac-settle/tc-1, date: 2024-11-05, ref: 99/KL-UBND}
"""
PERIOD = ["--from", "2024-01-01", "--to", "2024-12-31", "--as-of", "2025-01-15"]


@pytest.fixture
def audited(ws):
    # Schedules from 2025 on: the law's periodic duties (the province chair's monthly reception, two
    # sessions a year), which every workspace also reads, stay out of these hand-counted 2024 figures.
    config = ws.root / "hdnd.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('level = "province"\n',
                                                                  'level = "province"\nsince = 2025-01-01\n'),
                      encoding="utf-8")
    ws.rules(ANSWER.replace("DAYS", "30d"), "v1.toml", source=V1)
    ws.rules(ANSWER.replace("DAYS", "20d") + SETTLE, "v2.toml", source=V2)
    return ws.ledger(LEDGER)


def test_history_rows_follow_the_rule_version_in_force_at_the_trigger(audited):
    result = audited.run("history", *PERIOD, "-f", "json")
    assert result.returncode == 0, result.stderr
    rows = {i["id"]: i for i in json.loads(result.stdout)["items"]}
    expected = {
        # v1, 30 days: 01/03 + 30 = Sun 31/03 -> Mon 01/04; 02/05 + 30 = Sat 01/06 -> Mon 03/06.
        "voter-answer-after/r1": ("2024-04-01", "done", -4, "qcph-2021"),
        "voter-answer-after/r2": ("2024-06-03", "late", 3, "qcph-2021"),
        # v2, 20 days: 01/08 + 20 = Wed 21/08; 01/10 + 20 = Mon 21/10; 01/11 + 20 = Thu 21/11.
        "voter-answer-after/r3": ("2024-08-21", "late", 9, "qcph-2024"),
        "voter-answer-after/r4": ("2024-10-21", "overdue", None, "qcph-2024"),
        "voter-answer-after/r5": ("2024-11-21", "waived", None, "qcph-2024"),
        # 10/09 + 30 = Thu 10/10, extended to 08/11: done on 05/11 is on time against the extension.
        "to-giac-settle/tc-1": ("2024-11-08", "done", -3, "qcph-2024"),
    }
    assert {k: (r["due"], r["status"], r["days_late"], r["source"]) for k, r in rows.items()} == expected
    assert rows["to-giac-settle/tc-1"]["original_due"] == "2024-10-10"


def test_audit_figures_known_by_hand(audited):
    by_obligor = json.loads(audited.run("audit", "--by", "obligor", *PERIOD, "-f", "json").stdout)
    assert by_obligor == {"from": "2024-01-01", "to": "2024-12-31", "as_of": "2025-01-15", "law": "2026.12.03", "by": "obligor",
                          "groups": [{"key": "ubnd", "total": 6, "done": 2, "late": 2, "overdue": 1, "waived": 1,
                                      "open": 0, "on_time_rate": 0.4, "median_days_late": 6,
                                      "max_days_late": 9}]}
    by_rule = {g["key"]: g for g in json.loads(audited.run("audit", "--by", "rule", *PERIOD, "-f", "json").stdout)["groups"]}
    assert (by_rule["voter-answer-after"]["on_time_rate"], by_rule["voter-answer-after"]["total"]) == (0.25, 5)
    assert by_rule["to-giac-settle"] | {} == {"key": "to-giac-settle", "total": 1, "done": 1, "late": 0,
                                                  "overdue": 0, "waived": 0, "open": 0, "on_time_rate": 1.0,
                                                  "median_days_late": None, "max_days_late": None}
    quarters = json.loads(audited.run("audit", "--by", "quarter", *PERIOD, "-f", "json").stdout)["groups"]
    assert [(g["key"], g["total"]) for g in quarters] == [("2024-Q2", 2), ("2024-Q3", 1), ("2024-Q4", 3)]


def test_as_of_reproduces_what_the_office_knew(audited):
    earlier = json.loads(audited.run("audit", "--by", "obligor", "--from", "2024-01-01", "--to", "2024-12-31",
                                     "--as-of", "2024-08-25", "-f", "json").stdout)["groups"][0]
    # On 25/08/2024: r3 (due 21/08) not yet answered, later items not yet due or not yet known as done.
    assert (earlier["done"], earlier["late"], earlier["overdue"]) == (1, 1, 1)


AUDIT_COLUMNS = {"Nhóm": "key", "Tổng số": "total", "Đúng hạn": "done", "Trễ hạn": "late", "Quá hạn": "overdue",
                 "Được miễn": "waived", "Chưa đến hạn": "open", "Tỷ lệ đúng hạn": "on_time_rate",
                 "Số ngày trễ (trung vị)": "median_days_late", "Số ngày trễ (nhiều nhất)": "max_days_late"}


def sheet_rows(sheet) -> list[dict]:
    """The rows under a sheet's title row and header row, by header."""
    header = [c.value for c in sheet[2]]
    return [dict(zip(header, [c.value for c in row])) for row in sheet.iter_rows(min_row=3)]


def test_xlsx_files_hold_the_same_numbers_as_the_json_in_vietnamese(audited):
    from datetime import datetime

    from openpyxl import load_workbook

    made = audited.run("audit", "--by", "obligor", *PERIOD, "-f", "xlsx", "-o", "audit.xlsx")
    assert made.returncode == 0 and "Đã ghi audit.xlsx." in made.stdout
    assert audited.run("history", *PERIOD, "-f", "xlsx", "-o", "history.xlsx").returncode == 0
    groups = json.loads(audited.run("audit", "--by", "obligor", *PERIOD, "-f", "json").stdout)["groups"]
    sheet = load_workbook(audited.root / "audit.xlsx").active
    assert sheet["A1"].value.startswith("Số liệu thực hiện đúng hạn theo cơ quan, các nghĩa vụ có hạn từ 01/01/2024")
    rows = sheet_rows(sheet)
    assert [{AUDIT_COLUMNS[k]: v for k, v in row.items() if k in AUDIT_COLUMNS} for row in rows] == groups
    assert [row["Tên"] for row in rows] == ["Ủy ban nhân dân tỉnh"]  # the body's name beside its id
    chart, = sheet._charts  # the on-time rate chart, its bars named by the bodies' names, its axes shown
    assert not chart.x_axis.delete and not chart.y_axis.delete
    assert chart.series[0].cat.numRef.f.startswith(f"'{sheet.title}'!$B$3")  # column B: "Tên"
    history = load_workbook(audited.root / "history.xlsx").active
    assert history.title == "Nghĩa vụ" and "tính đến ngày" in history["A1"].value
    rows = sheet_rows(history)
    assert sorted(r["Trạng thái"] for r in rows) == sorted(["miễn", "trễ hạn", "trễ hạn", "quá hạn", "đúng hạn", "đúng hạn"])
    assert {r["Cơ quan"] for r in rows} == {"Ủy ban nhân dân tỉnh"} and {r["Mã cơ quan"] for r in rows} == {"ubnd"}
    first = history.cell(row=3, column=list(rows[0]).index("Hạn") + 1)
    assert isinstance(first.value, datetime) and first.number_format == "DD/MM/YYYY"  # a date, shown dd/mm/yyyy
    for book in (sheet, history):
        assert book.freeze_panes == "A3" and book.auto_filter.ref.startswith("A2:")
        assert book.page_setup.orientation == "landscape" and int(book.page_setup.paperSize) == 9  # A4
        assert book.print_title_rows == "$2:$2" and book.sheet_properties.pageSetUpPr.fitToPage
        assert all(book.column_dimensions[c].width >= 8 for c in "ABC")
    english = audited.run("history", *PERIOD, "-f", "xlsx", "-o", "history-en.xlsx", "--lang", "en")
    assert english.returncode == 0 and "Wrote history-en.xlsx." in english.stdout
    rows = sheet_rows(load_workbook(audited.root / "history-en.xlsx").active)
    assert sorted(r["Status"] for r in rows) == ["done", "done", "late", "late", "overdue", "waived"]


def test_the_morning_list_as_a_spreadsheet(audited):
    from openpyxl import load_workbook

    made = audited.run("due", "--as-of", "2024-10-30", "-o", "sang-nay.xlsx")
    assert made.returncode == 0 and "Đã ghi sang-nay.xlsx." in made.stdout, made.stderr
    sheet = load_workbook(audited.root / "sang-nay.xlsx").active
    assert sheet["A1"].value.endswith("ngày 30/10/2024") and sheet.title == "Việc cần theo dõi"
    listed = json.loads(audited.run("due", "--as-of", "2024-10-30", "-f", "json").stdout)["items"]
    assert [r["Mã nghĩa vụ"] for r in sheet_rows(sheet)] == [i["id"] for i in listed]
    assert audited.run("due", "-f", "xlsx").returncode == 2  # a spreadsheet needs -o
    csv = audited.run("due", "-o", "sang.csv")
    assert csv.returncode == 2 and "chỉ ghi bảng tính .xlsx" in csv.stderr


def test_audit_table_and_bad_options(audited):
    table = audited.run("audit", "--by", "obligor", *PERIOD)
    assert table.returncode == 0 and "40%" in table.stdout and "█" in table.stdout
    for args in (["audit", "--by", "weekday"], ["audit", "--by", "rule", "-f", "xlsx"],
                 ["history", "--from", "2024-12-31", "--to", "2024-01-01"]):
        result = audited.run(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr
