"""The engine on every rule form, with inline rules and ledgers and hand-computed due dates."""
from datetime import UTC, date, datetime, timedelta, timezone
from difflib import get_close_matches

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CALENDAR, SOURCE, errors, evaluate, pack
from hdnd_cli.engine.compute import EngineSettings, close_matches, compute, in_view, known, nearest
from hdnd_cli.model import Completion, Obligation
from hdnd_cli.parse.ledger import parse_ledger
from hdnd_cli.parse.rules import parse_pack

VOTER_ANSWER = """
[[rules]]
id = "voter-answer-after"
title = "Trả lời ý kiến, kiến nghị cử tri (đợt TXCT sau kỳ họp)"
obligor = "ubnd"
recipient = "tt-hdnd"
basis = "Mục I.1.2"
trigger = { event = "voter-contact", where = { phase = "after" }, date = "forwarded" }
deadline = { after = "30d" }
warn = "7d"
"""

ROUND = """
- id: txct-2024-07-sau
  kind: voter-contact
  date: 2024-07-25
  phase: after
  forwarded: 2024-08-02
- id: txct-2024-05-truoc
  kind: voter-contact
  date: 2024-05-20
  phase: before
  forwarded: 2024-05-25
"""

ANSWERED = ROUND + """
- kind: done
  obligation: voter-answer-after/txct-2024-07-sau
  date: 2024-09-06
  ref: 45/BC-UBND
"""


def test_trigger_rule_counts_from_the_named_field_and_filters_with_where():
    """SPEC §5 example: 02/8/2024 + 30 days = Sun 01/9; 02-03/9 National Day -> Wed 04/9 (art. 148 §5)."""
    result = evaluate(VOTER_ANSWER, ROUND, as_of="2024-08-30")
    assert list(result) == ["voter-answer-after/txct-2024-07-sau"]  # the 'before' round does not match
    o = result["voter-answer-after/txct-2024-07-sau"]
    assert (o.due, o.original_due, o.status, o.days_left) == (date(2024, 9, 4), date(2024, 9, 4), "soon", 5)


def test_done_on_time_late_and_as_of_ignores_later_completions():
    ledger = ANSWERED
    late = evaluate(VOTER_ANSWER, ledger, as_of="2024-09-10")["voter-answer-after/txct-2024-07-sau"]
    assert (late.status, late.days_late, late.done.ref, late.days_left) == ("late", 2, "45/BC-UBND", None)
    before = evaluate(VOTER_ANSWER, ledger, as_of="2024-09-05")["voter-answer-after/txct-2024-07-sau"]
    assert (before.status, before.days_left, before.done) == ("overdue", -1, None)
    on_day = evaluate(VOTER_ANSWER, ledger.replace("2024-09-06", "2024-09-04"), as_of="2024-09-10")
    assert on_day["voter-answer-after/txct-2024-07-sau"].status == "done"
    assert on_day["voter-answer-after/txct-2024-07-sau"].days_late == 0


def test_obligations_and_completions_are_whole_records():
    """The engine builds them as plain tuples (engine/compute.py, `_record`): each holds every field of
    its type, as the type's own constructor makes it."""
    ledger = ANSWERED
    obligation = evaluate(VOTER_ANSWER, ledger, as_of="2024-09-10")["voter-answer-after/txct-2024-07-sau"]
    assert type(obligation) is Obligation and obligation == Obligation(*obligation)
    assert len(obligation) == len(Obligation._fields) and obligation.case is not None
    assert type(obligation.done) is Completion and obligation.done == Completion(*obligation.done)
    assert len(obligation.done) == len(Completion._fields) and obligation.done.ref == "45/BC-UBND"


def test_statuses_on_the_evaluation_day():
    rule = VOTER_ANSWER
    due = "voter-answer-after/txct-2024-07-sau"  # due Wed 04/09/2024, warn 7 days
    assert evaluate(rule, ROUND, as_of="2024-09-04")[due].status == "today"
    assert evaluate(rule, ROUND, as_of="2024-09-05")[due].status == "overdue"
    assert evaluate(rule, ROUND, as_of="2024-08-28")[due].status == "soon"      # 7 days left
    assert evaluate(rule, ROUND, as_of="2024-08-27")[due].status == "open"      # 8 days left
    no_warn = rule.replace('warn = "7d"', "")
    assert evaluate(no_warn, ROUND, as_of="2024-08-22", horizon=14)[due].status == "soon"  # horizon


def test_a_back_filled_done_counts_by_its_own_date_and_known_on_by_its_stamp():
    """Answered 30/08/2024, five days before the due date 04/09 (SPEC §5 example), but written into the
    register on 12/09: valid time says it was done; transaction time says the office did not know."""
    ledger = ROUND + """
- kind: done
  obligation: voter-answer-after/txct-2024-07-sau
  date: 2024-08-30
  recorded: {by: thu-ky, at: 2024-09-12T08:00:00+07:00}
"""
    o = "voter-answer-after/txct-2024-07-sau"
    assert evaluate(VOTER_ANSWER, ledger, as_of="2024-09-11")[o].status == "done"
    assert evaluate(VOTER_ANSWER, ledger, as_of="2024-08-29")[o].status == "soon"  # not yet answered
    entries, _ = parse_ledger(ledger, "data/test.yaml")
    vietnam = timezone(timedelta(hours=7))
    kept, later = known(entries, datetime(2024, 9, 11, 23, 59, 59, tzinfo=vietnam))
    assert [e.kind for e in later] == ["done"] and len(kept) == 2
    kept, later = known(entries, datetime(2024, 9, 12, 8, 0, tzinfo=vietnam))  # that very minute: known
    assert later == [] and len(kept) == 3
    kept, later = known(entries, datetime(2024, 9, 12, 0, 59, tzinfo=UTC))  # 07:59 in Hà Nội
    assert [e.kind for e in later] == ["done"]


def test_known_on_reads_a_stamp_without_zone_in_the_office_zone_and_keeps_unstamped_entries():
    entries, problems = parse_ledger("""
- {kind: done, obligation: a/1, date: 2024-09-01}
- {kind: done, obligation: a/2, date: 2024-09-01, recorded: {by: lan, at: "2024-09-12T08:00:00"}}
- {kind: done, obligation: a/3, date: 2024-09-01, recorded: {by: lan, at: 2024-09-11}}
""", "data/test.yaml")
    assert problems == []
    vietnam = timezone(timedelta(hours=7))
    kept, later = known(entries, datetime(2024, 9, 12, 7, 59, tzinfo=vietnam))
    assert [e.get("obligation") for e in kept] == ["a/1", "a/3"] and [e.get("obligation") for e in later] == ["a/2"]


def test_before_deadline_from_a_planned_session():
    """A session convened for next month makes its 'before' obligation now (SPEC §5, --as-of)."""
    rules = """
[[rules]]
id = "plan"
title = "Kế hoạch TXCT"
obligor = "tt-hdnd"
trigger = { event = "session", where = { type = "regular" } }
deadline = { before = "30d" }

[[rules]]
id = "report"
title = "Báo cáo giải trình"
obligor = "ubnd"
trigger = { event = "session", where = { type = "regular" } }
deadline = { before = "1d", roll = "backward" }
"""
    ledger = """
- id: kh-2026-12
  kind: session
  date: 2026-12-07
  ends: 2026-12-09
  type: regular
"""
    result = evaluate(rules, ledger, as_of="2026-11-01")
    assert result["plan/kh-2026-12"].due == date(2026, 11, 7)  # Sat: no roll for 'before' by default
    assert result["plan/kh-2026-12"].status == "soon"
    # 1 day before Mon 07/12 is Sun 06/12; rolled backward to Fri 04/12.
    assert result["report/kh-2026-12"].due == date(2026, 12, 4)


def test_working_day_and_month_units():
    rules = """
[[rules]]
id = "wd"
title = "5 ngày làm việc"
obligor = "tt-hdnd"
trigger = { event = "request" }
deadline = { after = "5wd" }

[[rules]]
id = "month"
title = "1 tháng"
obligor = "ubnd"
trigger = { event = "request" }
deadline = { after = "1m" }
"""
    ledger = """
- id: r1
  kind: request
  date: 2024-01-31
- id: r2
  kind: request
  date: 2026-02-11
"""
    result = evaluate(rules, ledger, as_of="2026-03-01")
    # 31/01/2024 + 1 month: no 31/02 -> Thu 29/02/2024 (art. 148 §3).
    assert result["month/r1"].due == date(2024, 2, 29)
    # 5 working days after Wed 11/02/2026: 12, 13, then Tết 16-20/02 -> 23, 24, 25/02.
    assert result["wd/r2"].due == date(2026, 2, 25)
    # 11/02 + 1 month = Wed 11/03/2026.
    assert result["month/r2"].due == date(2026, 3, 11)


def test_schedule_rules_every_kind_of_period():
    rules = """
[[rules]]
id = "annual"
title = "Hằng năm"
obligor = "ubnd"
schedule = { every = "year", month = 11, day = 30 }

[[rules]]
id = "quarterly"
title = "Hằng quý"
obligor = "ubnd"
schedule = { every = "quarter", month = 3, day = 24, roll = "none" }

[[rules]]
id = "monthly"
title = "Hằng tháng"
obligor = "ubnd"
schedule = { every = "month", day = -1 }

[[rules]]
id = "weekly"
title = "Hằng tuần"
obligor = "ubnd"
schedule = { every = "week", weekday = "fri" }
"""
    result = evaluate(rules, as_of="2024-02-15", since=date(2024, 1, 1))
    assert result["annual/2024"].due == date(2024, 12, 2)      # Sat 30/11/2024 -> Mon 02/12
    assert result["quarterly/2024-Q1"].due == date(2024, 3, 24)  # Sunday stands: roll none
    assert result["monthly/2024-01"].due == date(2024, 1, 31)
    assert result["monthly/2024-02"].due == date(2024, 2, 29)   # last day of a leap February
    # Week 6 of 2024: Fri 09/02 is in Tết (08-14/02) -> Thu 15/02.
    assert result["weekly/2024-W06"].due == date(2024, 2, 15)
    assert "quarterly/2024-Q2" not in result  # a period that has not begun is not shown
    assert "monthly/2024-03" not in result


def test_count_rule_met_on_the_event_that_reaches_the_count():
    rules = """
[[rules]]
id = "meetings"
title = "Ít nhất 2 cuộc làm việc"
obligor = "tt-hdnd"
schedule = { every = "year", month = 12, day = 31 }
requires = { count = 2, event = "working-meeting" }
"""
    ledger = """
- id: lv-1
  kind: working-meeting
  date: 2024-06-14
- id: lv-2
  kind: working-meeting
  date: 2024-11-20
  ref: 12/TB-HĐND
- id: lv-3
  kind: working-meeting
  date: 2025-03-10
"""
    result = evaluate(rules, ledger, as_of="2025-04-01", since=date(2024, 1, 1))
    o = result["meetings/2024"]
    assert (o.status, o.done.date, o.done.ref) == ("done", date(2024, 11, 20), "12/TB-HĐND")
    assert result["meetings/2025"].status == "open"  # one of two so far
    # As of 2024-11-19 the second meeting has not happened: still open.
    assert evaluate(rules, ledger, as_of="2024-11-19", since=date(2024, 1, 1))["meetings/2024"].status == "open"
    # 31/12/2024 (Tue) passes with one meeting: overdue.
    only_one = ledger.replace("2024-11-20", "2025-01-20")
    assert evaluate(rules, only_one, as_of="2025-01-05", since=date(2024, 1, 1))["meetings/2024"].status == "overdue"


def test_chained_rule_counts_from_the_completion_of_the_one_it_follows():
    """Complaint: accepted within 10 days of receipt (Luật Khiếu nại art. 27), settled within 30 days of
    acceptance (art. 28)."""
    rules = """
[[rules]]
id = "complaint-accept"
title = "Thụ lý khiếu nại"
obligor = "ubnd"
trigger = { event = "complaint" }
deadline = { after = "10d" }

[[rules]]
id = "complaint-settle"
title = "Giải quyết khiếu nại"
obligor = "ubnd"
trigger = { done = "complaint-accept" }
deadline = { after = "30d" }
"""
    ledger = """
- id: kn-2024-001
  kind: complaint
  date: 2024-08-20
- kind: done
  obligation: complaint-accept/kn-2024-001
  date: 2024-08-26
  ref: 05/TB-UBND
"""
    result = evaluate(rules, ledger, as_of="2024-09-30")
    assert result["complaint-accept/kn-2024-001"].due == date(2024, 8, 30)
    settle = result["complaint-settle/kn-2024-001"]
    # 26/08 + 30 days = Wed 25/09/2024.
    assert (settle.due, settle.status, settle.start) == (date(2024, 9, 25), "overdue", date(2024, 8, 26))
    # Before the acceptance is recorded there is nothing to settle yet.
    assert "complaint-settle/kn-2024-001" not in evaluate(rules, ledger, as_of="2024-08-25")


def test_satisfied_by_the_first_matching_event():
    """The first session of a new Council within 45 days of the election (Luật 72/2025/QH15 art. 34 §1):
    15/03/2026 + 45 days = Wed 29/04/2026."""
    rules = """
[[rules]]
id = "first-session"
title = "Kỳ họp thứ nhất"
obligor = "tt-hdnd"
trigger = { event = "election" }
deadline = { after = "45d" }
satisfied_by = { event = "session", where = { first_of_term = true } }
"""
    ledger = """
- id: bau-cu-2026
  kind: election
  date: 2026-03-15
- id: kh-old
  kind: session
  date: 2026-01-20
  ends: 2026-01-20
  type: thematic
  first_of_term: true
- id: kh-2026-04
  kind: session
  date: 2026-04-22
  ends: 2026-04-24
  type: regular
  first_of_term: true
"""
    o = evaluate(rules, ledger, as_of="2026-05-01")["first-session/bau-cu-2026"]
    assert (o.due, o.status, o.done.date) == (date(2026, 4, 29), "done", date(2026, 4, 22))
    planned = evaluate(rules, ledger, as_of="2026-04-21")["first-session/bau-cu-2026"]
    assert (planned.status, planned.done) == ("soon", None)  # the planned session has not met it yet


def test_multiple_obligors_make_one_obligation_each():
    rules = """
[[rules]]
id = "quarterly"
title = "Báo cáo quý"
obligors = ["ban-phap-che", "ban-dan-toc"]
schedule = { every = "quarter", month = 3, day = 24, roll = "none" }
"""
    ledger = """
- kind: done
  obligation: quarterly/2024-Q1/ban-phap-che
  date: 2024-03-20
"""
    result = evaluate(rules, ledger, as_of="2024-03-30", since=date(2024, 1, 1))
    assert result["quarterly/2024-Q1/ban-phap-che"].status == "done"
    assert result["quarterly/2024-Q1/ban-dan-toc"].status == "overdue"
    assert result["quarterly/2024-Q1/ban-dan-toc"].key == "2024-Q1"


def test_extensions_move_due_and_keep_the_original():
    """Denunciation: 30 days from acceptance, extendable twice by up to 30 days (Luật Tố cáo 2018 art. 30)."""
    rules = """
[[rules]]
id = "denunciation-settle"
title = "Giải quyết tố cáo"
obligor = "ubnd"
trigger = { event = "denunciation", date = "accepted" }
deadline = { after = "30d" }
extensions = { max = 2, each = "30d" }
"""
    ledger = """
- id: tc-2024-017
  kind: denunciation
  date: 2024-08-01
  accepted: 2024-08-06
- kind: extend
  obligation: denunciation-settle/tc-2024-017
  date: 2024-09-03
  until: 2024-10-04
  reason: "Vụ việc phức tạp"
  ref: 112/QĐ-UBND
"""
    o = evaluate(rules, ledger, as_of="2024-09-20")["denunciation-settle/tc-2024-017"]
    # 06/08 + 30 days = Thu 05/09/2024.
    assert (o.original_due, o.due, o.status, o.days_left) == (date(2024, 9, 5), date(2024, 10, 4), "soon", 14)


def _problems(rules_toml: str, ledger_yaml: str, as_of: str = "2024-12-31"):
    _, rules, problems = parse_pack(pack(rules_toml), "rules/test.toml")
    assert problems == []
    entries, problems = parse_ledger(ledger_yaml, "data/test.yaml")
    assert problems == []
    return errors(compute(rules, entries, CALENDAR, date.fromisoformat(as_of), EngineSettings())[1])


def test_extensions_beyond_the_rule_are_problems_with_their_line():
    rules = """
[[rules]]
id = "settle"
title = "Giải quyết"
obligor = "ubnd"
trigger = { event = "denunciation" }
deadline = { after = "30d" }
extensions = { max = 1, each = "30d" }
"""
    ledger = """\
- id: tc-1
  kind: denunciation
  date: 2024-08-06
- kind: extend
  obligation: settle/tc-1
  date: 2024-09-03
  until: 2024-12-01
  reason: "quá dài"
"""
    (problem,) = _problems(rules, ledger)
    # 06/08/2024 + 30 days = Thu 05/09; + 30 more = Sat 05/10, rolled to Mon 07/10/2024 (BLDS Đ.148 k.5).
    assert (problem.line, problem.key, problem.params["limit"]) == (4, "extension-too-long", date(2024, 10, 7))
    no_extensions = rules.replace('extensions = { max = 1, each = "30d" }', "")
    assert [p.key for p in _problems(no_extensions, ledger)] == ["extension-not-allowed"]


def test_acts_on_unknown_obligations_and_second_completions_are_problems():
    ledger = """\
- id: txct-1
  kind: voter-contact
  date: 2024-07-25
  phase: after
  forwarded: 2024-08-02
- kind: done
  obligation: voter-answer-after/txct-l
  date: 2024-08-30
- kind: done
  obligation: voter-answer-after/txct-1
  date: 2024-08-30
- kind: done
  obligation: voter-answer-after/txct-1
  date: 2024-08-31
"""
    problems = sorted(_problems(VOTER_ANSWER, ledger), key=lambda p: p.line)
    assert [(p.line, p.key) for p in problems] == [(6, "unknown-obligation"), (12, "done-twice")]
    assert problems[0].params["near"] == ["voter-answer-after/txct-1"]


def test_event_matched_by_a_rule_needs_an_id():
    ledger = "- kind: voter-contact\n  date: 2024-07-25\n  phase: after\n  forwarded: 2024-08-02\n"
    assert [(p.line, p.key) for p in _problems(VOTER_ANSWER, ledger)] == [(1, "event-needs-id")]


def test_rule_versions_follow_the_rules_in_force_at_the_trigger():
    old = SOURCE.replace('id = "test-pack"', 'id = "old"') + 'in_force = { until = 2025-06-30 }\n'
    new = SOURCE.replace('id = "test-pack"', 'id = "new"') + 'in_force = { from = 2025-07-01 }\n'
    _, old_rules, p1 = parse_pack(pack(VOTER_ANSWER, old), "rules/old.toml")
    _, new_rules, p2 = parse_pack(pack(VOTER_ANSWER.replace('"30d"', '"20d"'), new), "rules/new.toml")
    entries, p3 = parse_ledger(ROUND + """
- id: txct-2025-08
  kind: voter-contact
  date: 2025-07-28
  phase: after
  forwarded: 2025-08-01
""", "data/test.yaml")
    assert p1 == p2 == p3 == []
    result, problems = compute(old_rules + new_rules, entries, CALENDAR, date(2025, 9, 1), EngineSettings())
    by_id = {o.id: o for o in result}
    assert problems == []
    assert by_id["voter-answer-after/txct-2024-07-sau"].source == "old"
    assert by_id["voter-answer-after/txct-2024-07-sau"].due == date(2024, 9, 4)
    # 01/08/2025 + 20 days = Thu 21/08/2025 under the new version.
    assert (by_id["voter-answer-after/txct-2025-08"].source, by_id["voter-answer-after/txct-2025-08"].due) == (
        "new", date(2025, 8, 21))


def test_pack_level_must_match_the_office():
    district = SOURCE.replace('level = "any"', 'level = "district"')
    assert set(evaluate(VOTER_ANSWER, ROUND, as_of="2024-08-30", source=district, level="district")) == {
        "voter-answer-after/txct-2024-07-sau"}
    assert evaluate(VOTER_ANSWER, ROUND, as_of="2024-08-30", source=district, level="province") == {}


def test_obligation_entries_waivers_and_the_due_view():
    ledger = """
- id: gs-2024-03-kn2
  kind: obligation
  date: 2024-03-15
  due: 2024-06-30
  title: "Báo cáo kết quả thực hiện kiến nghị giám sát số 2"
  obligor: so-tai-nguyen
- id: gs-2024-03-kn3
  kind: obligation
  date: 2024-03-15
  due: 2024-06-30
  title: "Kiến nghị số 3"
  obligor: so-tai-nguyen
- kind: waive
  obligation: gs-2024-03-kn3
  date: 2024-05-01
  reason: "Không còn phù hợp"
"""
    result = evaluate("", ledger, as_of="2024-07-02")
    o = result["gs-2024-03-kn2"]
    assert (o.due, o.status, o.days_left, o.rule, o.key) == (date(2024, 6, 30), "overdue", -2, None, "gs-2024-03-kn2")
    assert result["gs-2024-03-kn3"].status == "waived"
    assert in_view(o, 14) and not in_view(result["gs-2024-03-kn3"], 14)


def test_output_is_sorted_by_due_date_then_id():
    ledger = """
- {id: b, kind: obligation, date: 2024-01-01, due: 2024-02-01, title: B, obligor: x}
- {id: a, kind: obligation, date: 2024-01-01, due: 2024-02-01, title: A, obligor: x}
- {id: c, kind: obligation, date: 2024-01-01, due: 2024-01-15, title: C, obligor: x}
"""
    assert list(evaluate("", ledger, as_of="2024-01-02")) == ["c", "a", "b"]


def test_a_completion_before_the_obligation_arose_is_a_problem():
    ledger = ROUND + """
- kind: done
  obligation: voter-answer-after/txct-2024-07-sau
  date: 2024-08-01
"""
    _, rules, _ = parse_pack(pack(VOTER_ANSWER), "rules/test.toml")
    entries, _ = parse_ledger(ledger, "data/test.yaml")
    problems = errors(compute(rules, entries, CALENDAR, date(2024, 9, 1), EngineSettings())[1])
    assert [(p.key, p.params["start"]) for p in problems] == [("done-before-trigger", date(2024, 8, 2))]


def test_a_before_deadline_is_met_ahead_of_its_event():
    rules = """
[[rules]]
id = "plan"
title = "Kế hoạch TXCT"
obligor = "tt-hdnd"
trigger = { event = "session", where = { type = "regular" } }
deadline = { before = "30d" }
"""
    ledger = """
- {id: kh-2024-12, kind: session, date: 2024-12-09, ends: 2024-12-13, type: regular}
- {kind: done, obligation: plan/kh-2024-12, date: 2024-11-05}
"""
    o = evaluate(rules, ledger, as_of="2024-11-20")["plan/kh-2024-12"]
    assert (o.due, o.status, o.days_late, o.arises) == (date(2024, 11, 9), "done", -4, None)


def test_did_you_mean_among_many_ids_looks_within_the_nearest_rule():
    """A typo in the rule or the key still finds its id among 60,000, where a full scan took seconds."""
    known = [f"complaint-accept/kn-{n}" for n in range(20_000)]
    known += [f"complaint-settle/kn-{n}" for n in range(20_000)]
    known += [f"gs-{n}" for n in range(20_000)]
    assert nearest("complaint-acept/kn-19999", known)[0] == "complaint-accept/kn-19999"
    assert nearest("complaint-settle/kn-1999x", known)[0] == "complaint-settle/kn-1999"
    assert nearest("gs-19999x", known)[0] == "gs-19999"
    assert nearest("something-else", ["something-els", "other"]) == ["something-els"]
    # A typo at the start of the key sorts far from its id; read backwards, the two sort together.
    assert nearest("complaint-settle/kx-9", known)[0] == "complaint-settle/kn-9"
    assert nearest("complaint-acept/nk-1234", known)[0] == "complaint-accept/kn-1234"
    assert nearest("xs-17", known)[0] == "gs-17"


ALIKE = st.text(alphabet="kn-/0129x", max_size=9)  # few letters: many ids alike, many equal scores


@settings(max_examples=500, deadline=None)
@given(word=ALIKE, possibilities=st.lists(ALIKE, max_size=40), n=st.integers(1, 4),
       cutoff=st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.75, 0.8, 1.0]))
def test_close_matches_are_difflibs(word, possibilities, n, cutoff):
    """The hints' search stops early; it must still give difflib's own list, ties and repeats included."""
    assert close_matches(word, possibilities, n, cutoff) == get_close_matches(word, possibilities, n, cutoff)
