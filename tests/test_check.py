"""`hdnd check` reports every problem at once, as beancount does: each stage runs on everything that
is valid, so fixing one problem never reveals another that was there all along."""
import re
import textwrap

from conftest import NOW, Workspace

FIVE_PROBLEMS = """\
- id: kh-2024-07
  kind: session
  date: 2024-07-12
  ends: 2024-07-10
  type: regular
- id: kh-2024-07
  kind: session
  date: 2024-07-15
  ends: 2024-07-16
  type: regular
- date: 2024-07-20
  note: an entry without a kind
- kind: done
  obligation: voter-answer-after/txct-khong-co
  date: 2024-08-30
- id: txct-2024-07-sau
  kind: voter-contact
  date: 2024-02-30
  phase: after
"""

BAD_RULE = """
[[rules]]
id = "broken"
title = "Quy tắc viết sai"
obligor = "ubnd"
trigger = { event = "complaint" }
deadline = { after = "30x" }

[[rules]]
id = "answer"
title = "Trả lời"
obligor = "ubnd"
trigger = { event = "complaint" }
deadline = { after = "10d" }
"""


def district(ws: Workspace) -> Workspace:
    ws.config('[[bodies]]\nid = "btt-mttq"\nname = "Ban Thường trực UBMTTQ huyện"\n').bundled("qcph-huyen-2021.toml")
    text = (ws.root / "hdnd.toml").read_text().replace('level = "province"', 'level = "district"')
    (ws.root / "hdnd.toml").write_text(text)
    ws.now = NOW  # what check says depends on the day (the law's age, the years announced): one day
    return ws


def problem_lines(result, warnings: bool = False) -> list[tuple[str, int, str]]:
    """(file, line, message) of each `file:line: message` line (warnings only when asked)."""
    found = [re.match(r"^(\S+):(\d+): (.*)$", line) for line in result.stderr.splitlines()]
    return [(m[1], int(m[2]), m[3]) for m in found if m and (warnings or not m[3].startswith("cảnh báo: "))]


def test_five_problems_of_three_stages_in_one_run(ws):
    """An invalid session, a duplicate of its id, an entry without kind, a `done` for an obligation
    that does not exist, and an impossible date: five lines, not three now and two after a fix."""
    result = district(ws).ledger(FIVE_PROBLEMS).run("check")
    assert result.returncode == 2
    assert problem_lines(result) == [
        ("data/ledger.yaml", 1, "kỳ họp bế mạc (10/07/2024) trước ngày khai mạc (12/07/2024)"),
        ("data/ledger.yaml", 6, "mã 'kh-2024-07' đã dùng ở data/ledger.yaml:1"),
        ("data/ledger.yaml", 11, "mục thiếu 'kind'"),
        ("data/ledger.yaml", 13, "không có nghĩa vụ 'voter-answer-after/txct-khong-co' - có phải: "
                                 "voter-contact-plan-after/kh-2024-07?"),
        ("data/ledger.yaml", 18, "'date' = '2024-02-30' không phải là ngày hợp lệ từ năm 1900 đến 2200 "
                                 "(viết 2024-11-30 hoặc 30/11/2024)"),
    ]
    assert result.stderr.endswith("5 lỗi; không tính toán trên dữ liệu chưa hợp lệ.\n")
    due = ws.run("due")  # the same five first (warnings are check's), then the list without them
    assert due.returncode == 2 and [line[:19] for line in due.stderr.splitlines()] == [
        "data/ledger.yaml:1:", "data/ledger.yaml:6:", "data/ledger.yaml:11", "data/ledger.yaml:13",
        "data/ledger.yaml:18", "CÓ THỂ THIẾU: 5 lỗi"]
    assert ws.run("explain", "x").stderr.endswith("5 lỗi; không tính toán trên dữ liệu chưa hợp lệ.\n")


def test_an_id_is_taken_whether_or_not_the_entry_that_took_it_is_valid(ws):
    """Parse + duplicate, in both orders: the later of the two is the duplicate."""
    valid_first = "- {id: kn-1, kind: complaint, date: 2024-03-01}\n- {id: kn-1, kind: complaint, date: 2024-02-31}\n"
    lines = problem_lines(ws.ledger(valid_first).run("check"))
    assert [(line, text.split(" ")[0]) for _, line, text in lines] == [(2, "'date'"), (2, "mã")]
    assert lines[1][2] == "mã 'kn-1' đã dùng ở data/ledger.yaml:1"
    broken_first = "- {id: kn-1, kind: complaint}\n- {id: kn-1, kind: complaint, date: 2024-03-01}\n"
    lines = problem_lines(ws.ledger(broken_first).run("check"))
    assert [(line, text) for _, line, text in lines] == [
        (1, "mục 'complaint' thiếu trường 'date'"), (2, "mã 'kn-1' đã dùng ở data/ledger.yaml:1")]


def test_a_reference_is_checked_among_the_obligations_the_valid_entries_make(ws):
    """Parse + unknown reference: a `done` for the obligation of an entry left out for its own problem
    is not reported again; a `done` for an obligation nobody makes is."""
    ws.rules(BAD_RULE.split("[[rules]]", 2)[0] + "[[rules]]" + BAD_RULE.split("[[rules]]", 2)[2])
    result = ws.ledger("""\
- {id: kn-1, kind: complaint, date: 2024-13-01}
- {kind: done, obligation: answer/kn-1, date: 2024-03-05}
- {kind: done, obligation: answer/kn-2, date: 2024-03-05}
- {id: kn-3, kind: complaint, date: 2024-03-01}
""").run("check")
    assert [(line, text[:30]) for _, line, text in problem_lines(result)] == [
        (1, "'date' = '2024-13-01' không ph"), (3, "không có nghĩa vụ 'answer/kn-2")]


def test_rule_problems_and_ledger_problems_together(ws):
    """Rule + ledger: the broken rule's line, the ledger's parse problem, and an unknown reference
    among the valid rules; a reference to the broken rule's obligations is not reported again."""
    result = ws.rules(BAD_RULE).ledger("""\
- {id: kn-1, kind: complaint, date: 2024-03-01}
- {kind: done, obligation: broken/kn-1, date: 2024-03-05}
- {kind: done, obligation: answr/kn-1, date: 2024-03-05}
- {kind: session, date: 2024-03-01, type: regular}
""").run("check")
    assert [(file, line) for file, line, _ in problem_lines(result)] == [
        ("data/ledger.yaml", 3), ("data/ledger.yaml", 4), ("rules/test.toml", 12)]
    messages = [text for _, _, text in problem_lines(result)]
    assert messages[0] == "không có nghĩa vụ 'answr/kn-1' - có phải: answer/kn-1?"
    assert messages[1] == "mục 'session' thiếu trường 'ends'"
    assert messages[2].startswith("'deadline' = '30x' không hợp lệ")


def test_a_rule_example_and_a_ledger_problem_together(ws):
    result = ws.rules("""
[[rules]]
id = "answer"
title = "Trả lời"
obligor = "ubnd"
trigger = { event = "complaint" }
deadline = { after = "10d" }
examples = [{ trigger = 2024-03-01, due = 2024-03-12 }]
""").ledger("- {kind: done, obligation: answer/kn-9, date: 2024-03-05}\n").run("check")
    assert [(file, line, text[:20]) for file, line, text in problem_lines(result)] == [
        ("data/ledger.yaml", 1, "không có nghĩa vụ 'a"), ("rules/test.toml", 13, "ví dụ sai: tính được")]


def test_the_morning_header_counts_what_the_list_shows(ws):
    """`due --example` listed two 'chưa đến hạn' rows (within the horizon, beyond the rule's warn)
    under a header that counted only overdue, today and soon."""
    from conftest import run

    for lang, words in (("vi", ("quá hạn", "đến hạn hôm nay", "sắp đến hạn", "chưa đến hạn")),
                        ("en", ("overdue", "due today", "due soon", "not yet due"))):
        table = run("due", "--example", "--as-of", "2026-11-23", "--lang", lang).stdout.splitlines()
        import json

        shown = json.loads(run("due", "--example", "--as-of", "2026-11-23", "-f", "json").stdout)["items"]
        counts = [sum(i["status"] == s for i in shown) for s in ("overdue", "today", "soon", "open")]
        assert counts[3] > 0 and len(table) == 2 + len(shown)
        expected = ", ".join(f"{n} {w}" for n, w in zip(counts, words))
        assert table[0].endswith(f": {expected}."), table[0]
    everything = run("due", "--example", "--as-of", "2026-11-23", "--all").stdout.splitlines()[0]
    assert "hoàn thành đúng hạn" in everything and "hoàn thành trễ hạn" in everything


# --- warnings: what silently makes no obligation (exit 0, unless --strict) --------------------------

def province(ws: Workspace) -> Workspace:
    """A province set up by `hdnd init`, as an office has it."""
    from conftest import run

    assert run("init", "tinh", "--level", "province", cwd=ws.root, env={"HDND_NOW": NOW}).returncode == 0
    return Workspace(ws.root / "tinh", fresh=False, now=NOW)


def warnings_of(result) -> list[tuple[str, int, str]]:
    return [(f, n, text) for f, n, text in problem_lines(result, warnings=True) if text.startswith("cảnh báo: ")]


def test_a_pack_of_another_level_is_a_warning_and_strict_fails(ws):
    office = province(ws)
    (office.root / "rules" / "quy-che-xa.toml").write_text(textwrap.dedent("""\
        # a commune's working rules, copied into a province's workspace by mistake
        [source]
        id = "quy-che-xa"
        title = "Quy chế làm việc của HĐND xã"
        level = "commune"

        [[rules]]
        id = "xa-report"
        title = "Báo cáo"
        obligor = "ubnd"
        schedule = { every = "year", month = 12, day = 15 }
        """), encoding="utf-8")
    result = office.run("check")
    assert result.returncode == 0
    assert warnings_of(result) == [("rules/quy-che-xa.toml", 2, "cảnh báo: bộ quy tắc 'quy-che-xa' dành "
                                    "cho cấp 'commune', văn phòng là cấp 'province': không áp dụng")]
    assert "1 cảnh báo ở trên" in result.stdout
    strict = office.run("check", "--strict")
    assert strict.returncode == 2 and "1 cảnh báo, không có lỗi; --strict coi cảnh báo là lỗi" in strict.stderr
    assert "0 lỗi" not in strict.stderr and "không tính toán" not in strict.stderr


def test_a_body_removed_from_the_office_makes_no_obligation_and_is_a_warning(ws):
    """The province has no Ethnic Affairs committee: it deletes the Ban from [[bodies]]."""
    office = province(ws)
    config = (office.root / "hdnd.toml").read_text(encoding="utf-8")
    start = config.index('[[bodies]]\nid = "ban-dan-toc"')
    (office.root / "hdnd.toml").write_text(config[:start] + config[config.index("[[bodies]]", start + 1):],
                                           encoding="utf-8")
    result = office.run("check")
    assert result.returncode == 0
    (warning,) = warnings_of(result)
    assert warning[0] == "rules/hdnd-tinh-1011-2023.toml"
    assert "quy tắc 'resolution-quarterly-report' nêu cơ quan 'ban-dan-toc' không có trong [[bodies]]" in warning[2]
    items = office.run("due", "--all", "-f", "json", "--as-of", "2027-04-01").stdout
    assert "resolution-quarterly-report/2027-Q1/ban-phap-che" in items and "ban-dan-toc" not in items
    assert office.run("check", "--strict").returncode == 2


def test_an_event_no_rule_uses_and_an_event_missing_the_field_a_rule_counts_from(ws):
    office = province(ws)
    (office.root / "data" / "ledger.yaml").write_text("""\
- {id: hn-1, kind: press-conference, date: 2026-11-02}
- {id: hn-2, kind: press-conference, date: 2026-11-09}
- {id: dn-1, kind: voter-contact-request, date: 2026-11-20, delegat: "Nguyễn Văn A"}
- {id: gs-1, kind: supervision, date: 2026-11-02}
""", encoding="utf-8")
    office.rules("""
[[rules]]
id = "voter-answer"
title = "Trả lời kiến nghị cử tri"
obligor = "ubnd"
trigger = { event = "voter-contact", where = { phase = "after" }, date = "forwarded" }
deadline = { after = "30d" }
""")
    (office.root / "data" / "2026.yaml").write_text(
        "- {id: txct-1, kind: voter-contact, date: 2026-11-05, phase: after, fowarded: 2026-11-10}\n"
        "- {id: txct-2, kind: voter-contact, date: 2026-11-05, phase: before}\n", encoding="utf-8")
    result = office.run("check")
    assert result.returncode == 0, result.stderr
    assert warnings_of(result) == [
        ("data/2026.yaml", 1, "cảnh báo: sự kiện khớp quy tắc 'voter-answer' nhưng thiếu trường 'forwarded' mà quy "
                              "tắc tính hạn từ đó: không tạo nghĩa vụ - có phải: fowarded?"),
        ("data/ledger.yaml", 1, "cảnh báo: 2 mục loại 'press-conference' nhưng không quy tắc nào đang áp dụng dùng "
                                "loại này: chúng không tạo nghĩa vụ"),
        ("data/ledger.yaml", 3, "cảnh báo: sự kiện khớp quy tắc 'voter-contact-outside-decision' nhưng thiếu trường "
                                "'delegate' mà quy tắc tính hạn từ đó: không tạo nghĩa vụ - có phải: delegat?"),
        ("data/ledger.yaml", 4, "cảnh báo: 1 mục loại 'supervision' nhưng không quy tắc nào đang áp dụng dùng loại "
                                "này: chúng không tạo nghĩa vụ"),
    ]
    assert office.run("check", "--strict").returncode == 2
    assert office.run("due").returncode == 0  # warnings never stop the morning
