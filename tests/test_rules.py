"""Rule packs: every form parses, and every mistake is a problem at the line of the key."""
from datetime import date

import pytest

from conftest import SOURCE, pack
from hdnd_cli.model import Amount, Deadline, EventRule, ScheduleRule
from hdnd_cli.parse.rules import check_rule_set, parse_pack


def parse(rules_toml: str, source: str = SOURCE):
    return parse_pack(pack(rules_toml, source), "rules/x.toml")


def test_a_trigger_rule_with_every_field():
    _, (rule,), problems = parse("""
[[rules]]
id = "voter-answer-after"
title = "Trả lời kiến nghị"
title_en = "Answer petitions"
obligor = "ubnd"
recipient = "tt-hdnd"
basis = "Mục I.1.2"
quote = "trong vòng 30 ngày"
trigger = { event = "voter-contact", where = { phase = "after" }, date = "forwarded" }
deadline = { after = "30d" }
warn = "7d"
in_force = { from = 2022-01-01 }
examples = [{ trigger = 2024-08-02, due = 2024-09-04 }]
""")
    assert problems == []
    assert rule.deadline == Deadline("after", Amount(30, "d"), "forward")
    assert isinstance(rule, EventRule)
    assert rule.date_field == "forwarded" and dict(rule.match.where) == {"phase": "after"}
    assert (rule.warn, rule.in_force.start, rule.line, rule.pack.id) == (7, date(2022, 1, 1), 7, "test-pack")
    assert rule.examples[0].due == date(2024, 9, 4)


def test_defaults_for_roll():
    _, rules, problems = parse("""
[[rules]]
id = "a"
title = "A"
obligor = "x"
trigger = { event = "session" }
deadline = { before = "1d" }

[[rules]]
id = "b"
title = "B"
obligor = "x"
schedule = { every = "year", month = 11, day = 30 }
""")
    assert problems == []
    assert [type(r) for r in rules] == [EventRule, ScheduleRule]
    assert rules[0].deadline.roll == "none" and rules[1].schedule.roll == "forward"


@pytest.mark.parametrize("rule_toml, line, key", [
    ('id = "a"\ntitle = "A"\nobligor = "x"\ntrigger = { event = "s" }\ndeadline = { after = "30x" }', 12, "bad-amount"),
    ('id = "a"\ntitle = "A"\nobligor = "x"\ntrigger = { event = "s" }\ndeadline = { after = "3d", roll = "up" }', 12, "bad-choice"),
    ('id = "a"\ntitle = "A"\nobligor = "x"\ntrigger = { event = "s" }', 7, "after-or-before"),
    ('id = "a"\ntitle = "A"\ntrigger = { event = "s" }\ndeadline = { after = "3d" }', 7, "missing-obligor"),
    ('id = "a"\ntitle = "A"\nobligor = "x"', 7, "trigger-or-schedule"),
    ('id = "a/b"\ntitle = "A"\nobligor = "x"\ntrigger = { event = "s" }\ndeadline = { after = "3d" }', 8, "bad-rule-id"),
    ('id = "a"\ntitle = "A"\nobligor = "x"\nschedule = { every = "fortnight" }', 11, "bad-choice"),
    ('id = "a"\ntitle = "A"\nobligor = "x"\nschedule = { every = "quarter", month = 4 }', 11, "bad-integer"),
    ('id = "a"\ntitle = "A"\nobligor = "x"\nschedule = { every = "year" }\nrequires = { count = 0, event = "m" }', 12, "bad-integer"),
    ('id = "a"\ntitle = "A"\nobligor = "x"\ntrigger = { event = "s" }\ndeadline = { after = "3d" }\nextensions = { max = 2, each = "soon" }', 13, "bad-amount"),
    ('id = "a"\ntitle = "A"\nobligor = "x"\ntrigger = { event = "s" }\ndeadline = { after = "3d" }\ndeadlines = 1', 13, "unknown-key"),
    ('id = "a"\nobligor = "x"\ntrigger = { event = "s" }\ndeadline = { after = "3d" }', 7, "missing-key"),
])
def test_mistakes_are_problems_at_their_line(rule_toml, line, key):
    _, rules, problems = parse("\n[[rules]]\n" + rule_toml + "\n")
    assert rules == []
    assert [(p.line, p.key) for p in problems][:1] == [(line, key)]


def test_toml_syntax_errors_give_their_line():
    _, rules, (problem,) = parse_pack('[source]\nid = "x"\ntitle = \n', "rules/bad.toml")
    assert (problem.file, problem.line, problem.key) == ("rules/bad.toml", 3, "toml-syntax")


def test_a_pack_needs_its_source():
    _, _, problems = parse_pack('[[rules]]\nid = "a"\n', "rules/x.toml")
    assert [p.key for p in problems] == ["missing-key"]


def test_overlapping_versions_of_one_id_are_an_error_but_successive_ones_are_not():
    rule = '\n[[rules]]\nid = "a"\ntitle = "A"\nobligor = "x"\ntrigger = { event = "s" }\ndeadline = { after = "3d" }\n'
    _, first, _ = parse(rule, SOURCE + "in_force = { until = 2025-06-30 }\n")
    _, second, _ = parse(rule, SOURCE.replace("test-pack", "p2") + "in_force = { from = 2025-07-01 }\n")
    _, third, _ = parse(rule, SOURCE.replace("test-pack", "p3") + "in_force = { from = 2025-01-01 }\n")
    assert check_rule_set(first + second) == []
    problems = check_rule_set(first + second + third)  # the third overlaps both
    assert [(p.key, p.params["id"]) for p in problems] == [("duplicate-rule", "a")] * 2


def test_chains_must_follow_a_known_rule_without_cycles():
    _, rules, _ = parse("""
[[rules]]
id = "a"
title = "A"
obligor = "x"
trigger = { done = "b" }
deadline = { after = "3d" }

[[rules]]
id = "b"
title = "B"
obligor = "x"
trigger = { done = "a" }
deadline = { after = "3d" }

[[rules]]
id = "c"
title = "C"
obligor = "x"
trigger = { done = "nowhere" }
deadline = { after = "3d" }
""")
    assert sorted(p.key for p in check_rule_set(rules)) == ["chain-cycle", "chain-cycle", "unknown-parent"]
