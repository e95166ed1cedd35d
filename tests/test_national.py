"""The national packs (SPEC §2 "National packs"), each rule against due dates computed by hand with
the article cited, and the rule forms they need: a body named by the case's event, a period chosen by
facts of the case (also facts learnt later), `unless` and `has` filters, backward working days."""
import json
import textwrap
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CALENDAR, NOW, errors, run
from hdnd_cli.engine.compute import EngineSettings, compute
from hdnd_cli.model import ChainedRule, Party, Span
from hdnd_cli.parse.ledger import parse_ledger
from hdnd_cli.parse.rules import check_rule_set, parse_pack
from hdnd_cli.storage.bundled import rules_folder

BUNDLED_RULES = rules_folder()

HANDLER = Party("handler", "chu-tich-ubnd")
SPEC_TABLE = {  # pack -> rule -> (obligors, recipient, trigger kind or parent rule)
    "luat-khieu-nai-2011": {
        "complaint-first-accept": ((HANDLER,), "cong-dan", "complaint"),
        "complaint-first-settle": ((HANDLER,), "cong-dan", "complaint-first-accept"),
        "complaint-second-accept": ((HANDLER,), "cong-dan", "complaint"),
        "complaint-second-settle": ((HANDLER,), "cong-dan", "complaint-second-accept")},
    "luat-to-cao-2018": {
        "denunciation-intake": ((HANDLER,), "cong-dan", "denunciation"),
        "denunciation-transfer": ((HANDLER,), "cong-dan", "denunciation"),
        "denunciation-forwarded-result": ((HANDLER,), Party("forwarded_by"), "denunciation"),
        "denunciation-settle": ((HANDLER,), "cong-dan", "denunciation-intake")},
    "luat-tccqdp-2025": {
        "first-session-new-term": (("hdnd",), None, "election"),
        "province-regular-sessions": (("hdnd",), None, None), "commune-regular-sessions": (("hdnd",), None, None),
        "chair-election-result-sent": (("tt-hdnd",), Party("approver", "co-quan-phe-chuan"), "chair-election"),
        "chair-election-result-approved": ((Party("approver", "co-quan-phe-chuan"),), "tt-hdnd",
                                           "chair-election-result-sent"),
        "commune-dialogue-yearly": (("ubnd",), None, None), "commune-dialogue-notice": (("ubnd",), None, "dialogue"),
        "commune-dialogue-result": (("ubnd",), None, "dialogue")},
    "nqlt-72-2025": {
        "voter-contact-outside-decision": (("tt-hdnd",), Party("delegate"), "voter-contact-request"),
        "voter-contact-outside-notice": (("tt-hdnd",), "tt-hdnd-noi-tiep-xuc", "voter-contact")},
    "luat-hdgs-2015": {"interpellation-written-answer": ((Party("answerer", "ubnd"),), Party("delegate", "tt-hdnd"),
                                                          "interpellation")},
    "luat-tiep-cong-dan-2013": {"commune-chair-citizen-reception-weekly": (("chu-tich-ubnd",), "cong-dan", None),
                                "commune-chair-citizen-reception": (("chu-tich-ubnd",), "cong-dan", None),
                                "province-chair-citizen-reception": (("chu-tich-ubnd",), "cong-dan", None),
                                "forwarded-petition-result": ((HANDLER,), "dai-bieu-hdnd", "forwarded-petition"),
                                "forwarded-petition-citizen-notice": (("dai-bieu-hdnd",), "cong-dan",
                                                                      "forwarded-petition-result")},
}
LEVELS = {"luat-khieu-nai-2011": "any", "luat-to-cao-2018": "any", "luat-tccqdp-2025": "any",
          "nqlt-72-2025": "any", "luat-hdgs-2015": "any", "luat-tiep-cong-dan-2013": "any"}


def national_rules() -> list:
    rules = []
    for name in SPEC_TABLE:
        pack, pack_rules, problems = parse_pack((BUNDLED_RULES / f"{name}.toml").read_text(encoding="utf-8"), name)
        assert problems == [] and pack.id == name and pack.scope == "national" and pack.level == LEVELS[name]
        rules += pack_rules
    assert check_rule_set(rules) == []
    return rules


RULES = national_rules()


def obligations(ledger: str, as_of: str, level: str = "commune", since: date | None = None, rules=RULES) -> dict:
    entries, problems = parse_ledger(textwrap.dedent(ledger), "data/test.yaml")
    assert problems == []
    result, problems = compute(rules, entries, CALENDAR, date.fromisoformat(as_of), EngineSettings(level=level, since=since))
    assert errors(problems) == [], problems
    return {o.id: o for o in result}


def due(ledger: str, as_of: str = "2027-06-30", **kwargs) -> dict:
    return {key: o.due for key, o in obligations(ledger, as_of, **kwargs).items()}


def test_the_packs_hold_exactly_the_spec_rules_each_with_its_words_source_and_status():
    for rule in RULES:
        obligors, recipient, trigger = SPEC_TABLE[rule.pack.id][rule.id]
        assert (rule.obligors, rule.recipient) == (obligors, recipient), rule.id
        if trigger is not None:
            assert trigger == (rule.follows if isinstance(rule, ChainedRule) else rule.match.event), rule.id
        assert rule.title and rule.title_en and rule.basis and rule.quote and rule.url and rule.examples, rule.id
        assert rule.status in ("verified", "partial"), rule.id
        assert rule.enabled == (rule.status == "verified"), rule.id  # PARTIAL ships only as a template
    assert {r.id for r in RULES} == {rule for pack in SPEC_TABLE.values() for rule in pack}
    for rule in RULES:  # what changed on 01/07/2026 is said, and what was not read is said too
        if rule.pack.id == "luat-khieu-nai-2011":
            assert "155/2026" in rule.pack.note and ("155/2026" in rule.note or "không đổi" in rule.note), rule.id
        if rule.pack.id == "luat-to-cao-2018":
            assert "136/2025" in rule.pack.note and "136/2025" in rule.note, rule.id


def test_historic_versions_end_on_their_day():
    by_id = {r.id: r for r in RULES}
    assert by_id["interpellation-written-answer"].in_force.end == date(2026, 2, 28)
    assert by_id["commune-chair-citizen-reception-weekly"].in_force.end == date(2026, 6, 30)
    assert by_id["commune-chair-citizen-reception"].in_force.start == date(2026, 7, 1)


def test_complaints_across_tet_and_a_sunday():
    """Luật Khiếu nại Đ.27: received Fri 13/02/2026, the last working day before Tết (14-22/02): day
    10 is Mon 23/02, calendar days. Đ.28: accepted Fri 21/08/2026, day 30 is Sun 20/09 -> Mon 21/09
    (BLDS Đ.148 k.5). Đ.36: received Mon 20/04/2026, day 10 is Thu 30/04, then 01/05 and the weekend:
    Mon 04/05. Đ.37: accepted Mon 05/01/2026, day 45 is Thu 19/02 in the Tết break: Mon 23/02."""
    found = due("""
        - {id: kn-1, kind: complaint, date: 2026-02-13}
        - {id: kn-2, kind: complaint, date: 2026-08-12}
        - {kind: done, obligation: complaint-first-accept/kn-2, date: 2026-08-21}
        - {id: kn-3, kind: complaint, date: 2026-04-20, round: 2}
        - {id: kn-4, kind: complaint, date: 2025-12-29, round: 2}
        - {kind: done, obligation: complaint-second-accept/kn-4, date: 2026-01-05}
        """, level="province")  # a second complaint is settled at province level
    assert found["complaint-first-accept/kn-1"] == date(2026, 2, 23)
    assert found["complaint-first-settle/kn-2"] == date(2026, 9, 21)
    assert found["complaint-second-accept/kn-3"] == date(2026, 5, 4)
    assert "complaint-first-accept/kn-3" not in found  # a second complaint is not a first one
    assert found["complaint-second-settle/kn-4"] == date(2026, 2, 23)


@pytest.mark.parametrize("facts, first, second", [
    ("", date(2026, 9, 21), date(2026, 2, 23)),
    # Đ.28: complex, not more than 45 days: 21/08 + 45 = Mon 05/10/2026. Đ.37: 60 days from 05/01/2026
    # is Fri 06/03/2026.
    (", complex: true", date(2026, 10, 5), date(2026, 3, 6)),
    # Remote areas (vùng sâu, vùng xa): 45 and 60 days, as for a complex case.
    (", remote: true", date(2026, 10, 5), date(2026, 3, 6)),
    # Both: 60 days, 21/08 + 60 = Tue 20/10/2026; 70 days, 05/01 + 70 = Mon 16/03/2026.
    (", complex: true, remote: true", date(2026, 10, 20), date(2026, 3, 16)),
])
def test_the_settlement_period_is_chosen_by_the_facts_of_the_case(facts, first, second):
    found = due(f"""
        - {{id: kn-2, kind: complaint, date: 2026-08-12{facts}}}
        - {{kind: done, obligation: complaint-first-accept/kn-2, date: 2026-08-21}}
        - {{id: kn-4, kind: complaint, date: 2025-12-29, round: 2{facts}}}
        - {{kind: done, obligation: complaint-second-accept/kn-4, date: 2026-01-05}}
        """, level="province")
    assert (found["complaint-first-settle/kn-2"], found["complaint-second-settle/kn-4"]) == (first, second)


def test_a_fact_recorded_later_moves_the_date_from_its_own_day():
    """Accepted Mon 10/08/2026: 30 days is Wed 09/09; found complex on 20/08: 45 days, Thu 24/09/2026."""
    ledger = """
        - {id: kn-1, kind: complaint, date: 2026-08-03}
        - {kind: done, obligation: complaint-first-accept/kn-1, date: 2026-08-10}
        - {id: kn-1-phuc-tap, kind: fact, of: kn-1, date: 2026-08-20, complex: true}
        """
    before = obligations(ledger, "2026-08-19")["complaint-first-settle/kn-1"]
    after = obligations(ledger, "2026-08-21")["complaint-first-settle/kn-1"]
    assert (before.due, after.due) == (date(2026, 9, 9), date(2026, 9, 24))
    case = next(s for s in after.computation.steps if s.what == "case")
    assert [(e.kind, e.line) for e in case.params["said"]] == [("fact", 4)]
    withdrawn = ledger.rstrip() + "\n        - {kind: fact, of: kn-1, date: 2026-08-25, complex: false}\n"
    assert obligations(withdrawn, "2026-08-26")["complaint-first-settle/kn-1"].due == date(2026, 9, 9)


def test_denunciations_across_the_national_day_break():
    """Luật Tố cáo Đ.24 k.1: received Thu 27/08/2026, 7 working days: Fri 28/08 (1); 31/08-02/09 off;
    Thu 03/09 (2) ... Thu 10/09 (7). Đ.24 k.2, not competent: 5 working days, Tue 08/09 and no intake.
    Đ.26 k.2, forwarded by the Standing Committee: 20 days, Wed 16/09, owed to that body.
    Đ.30: accepted Fri 27/11/2026, 30 days is Sun 27/12 -> Mon 28/12/2026."""
    found = obligations("""
        - {id: tc-1, kind: denunciation, date: 2026-08-27, forwarded_by: tt-hdnd}
        - {id: tc-2, kind: denunciation, date: 2026-08-27, competent: false, handler: chu-tich-ubnd-phuong}
        - {id: tc-3, kind: denunciation, date: 2026-11-20}
        - {kind: done, obligation: denunciation-intake/tc-3, date: 2026-11-27}
        """, "2026-12-01")
    assert found["denunciation-intake/tc-1"].due == date(2026, 9, 10)
    assert (found["denunciation-transfer/tc-2"].due, found["denunciation-transfer/tc-2"].obligor) == (
        date(2026, 9, 8), "chu-tich-ubnd-phuong")
    assert "denunciation-intake/tc-2" not in found and "denunciation-transfer/tc-1" not in found
    result = found["denunciation-forwarded-result/tc-1"]
    assert (result.due, result.recipient, result.obligor) == (date(2026, 9, 16), "tt-hdnd", "chu-tich-ubnd")
    assert "denunciation-forwarded-result/tc-2" not in found
    assert found["denunciation-settle/tc-3"].due == date(2026, 12, 28)


def test_voter_contact_outside_the_constituency():
    """NQLT 72/2025 Đ.32: a request received Fri 20/11/2026 is decided within 5 working days: Mon 23
    (1), Tue 24/11 off (NQ 28/2026/QH16 Đ.2), Wed 25 (2), Thu 26 (3), Fri 27 (4), Mon 30/11 (5); a
    meeting on Mon 07/09/2026 is announced 3 working days before it: Fri 04/09 (1), Thu 03/09 (2),
    02/09-31/08 off, Fri 28/08 (3); one on Fri 27/11/2026: Thu 26 (1), Wed 25 (2), Mon 23/11 (3),
    not the holiday between."""
    found = obligations("""
        - {id: dn-1, kind: voter-contact-request, date: 2026-11-20, delegate: "Nguyễn Văn A"}
        - {id: txct-1, kind: voter-contact, date: 2026-09-07, phase: after, outside_constituency: true}
        - {id: txct-2, kind: voter-contact, date: 2026-12-07, phase: before, outside_constituency: true}
        - {id: txct-3, kind: voter-contact, date: 2026-12-07, phase: before}
        - {id: txct-4, kind: voter-contact, date: 2026-11-27, phase: before, outside_constituency: true}
        """, "2026-11-20")  # the request received that day; the meetings, planned, count ahead
    decision = found["voter-contact-outside-decision/dn-1"]
    assert (decision.due, decision.recipient) == (date(2026, 11, 30), "Nguyễn Văn A")
    assert found["voter-contact-outside-notice/txct-4"].due == date(2026, 11, 23)
    assert found["voter-contact-outside-notice/txct-1"].due == date(2026, 8, 28)
    assert found["voter-contact-outside-notice/txct-2"].due == date(2026, 12, 2)
    assert "voter-contact-outside-notice/txct-3" not in found


def test_the_first_session_of_a_new_term_and_a_communes_regular_sessions():
    """Luật 72/2025 Đ.34 k.1: election Sun 15/03/2026, 45 days: Wed 29/04/2026, met by the session
    marked first_of_term. NQ 104/2025: at least 2 regular sessions a year, by Thu 31/12/2026."""
    ledger = """
        - {id: bau-cu-2026, kind: election, date: 2026-03-15}
        - {id: kh-2026-04, kind: session, date: 2026-04-24, ends: 2026-04-24, type: regular, first_of_term: true}
        - {id: kh-2026-07, kind: session, date: 2026-07-15, ends: 2026-07-16, type: thematic}
        """
    found = obligations(ledger, "2027-01-04", since=date(2026, 1, 1))
    first = found["first-session-new-term/bau-cu-2026"]
    assert (first.due, first.status, first.done.date) == (date(2026, 4, 29), "done", date(2026, 4, 24))
    sessions = found["commune-regular-sessions/2026"]
    assert (sessions.due, sessions.status) == (date(2026, 12, 31), "overdue")  # one regular session only
    second = ledger.rstrip() + "\n        - {id: kh-2026-12, kind: session, date: 2026-12-18, ends: 2026-12-19, type: regular}\n"
    met = obligations(second, "2027-01-04", since=date(2026, 1, 1))["commune-regular-sessions/2026"]
    assert (met.status, met.done.date) == ("done", date(2026, 12, 18))
    assert "commune-regular-sessions/2026" not in obligations(ledger, "2027-01-04", level="province")


def test_written_interpellation_answers_until_the_law_changed():
    """Luật HĐGS 2015 Đ.60: 20 days from the question, Wed 10/12/2025 -> Tue 30/12/2025; replaced
    on 01/03/2026 by Luật 121/2025, whose period was not read: no obligation after that."""
    found = obligations("""
        - {id: cv-1, kind: interpellation, date: 2025-12-10, written: true, answerer: so-tai-chinh}
        - {id: cv-2, kind: interpellation, date: 2025-12-10}
        - {id: cv-3, kind: interpellation, date: 2026-07-09, written: true}
        """, "2026-08-01", level="province")
    answer = found["interpellation-written-answer/cv-1"]
    assert (answer.due, answer.obligor, answer.recipient) == (date(2025, 12, 30), "so-tai-chinh", "tt-hdnd")
    assert [k for k in found if k.startswith("interpellation")] == ["interpellation-written-answer/cv-1"]


def test_the_weekly_reception_ends_and_the_monthly_template_stays_off_until_switched_on():
    ledger = """
        - {id: tcd-1, kind: citizen-reception, date: 2026-06-17, host: chu-tich-ubnd}
        - {id: tcd-2, kind: citizen-reception, date: 2026-07-08, host: chu-tich-ubnd}
        """
    found = obligations(ledger, "2026-08-10", since=date(2026, 6, 15))
    weekly = sorted(k for k in found if k.startswith("commune-chair-citizen-reception-weekly/"))
    assert weekly == ["commune-chair-citizen-reception-weekly/2026-W25", "commune-chair-citizen-reception-weekly/2026-W26"]
    assert found["commune-chair-citizen-reception-weekly/2026-W25"].status == "done"  # Wed 17/06
    assert found["commune-chair-citizen-reception-weekly/2026-W26"].status == "overdue"  # ends Sun 28/06
    assert not any(k.startswith("commune-chair-citizen-reception/") for k in found)
    switched_on = [replace(r, enabled=True) for r in RULES]
    monthly = obligations(ledger, "2026-08-10", since=date(2026, 6, 15), rules=switched_on)
    july = monthly["commune-chair-citizen-reception/2026-07"]
    assert (july.due, july.status) == (date(2026, 7, 31), "overdue")  # one day of the two


def test_provisional_when_a_computation_crosses_days_off_not_announced():
    """2027's Tết is announced (10065/VPCP-KGVX): a denunciation received Fri 29/01/2027 is counted
    over it, Mon 01/02 (1) ... Wed 03/02 (3), 04-10/02 off, Thu 11 (4) ... Tue 16/02/2027 (7), and is
    settled; one received Mon 12/04/2027 crosses Giỗ Tổ (16/04, computed) and is provisional, as is
    one of 28/12/2026, whose 7 working days cross New Year's Day 2027 (the law's, not announced)."""
    found = obligations("""
        - {id: tc-1, kind: denunciation, date: 2027-01-29}
        - {id: tc-2, kind: denunciation, date: 2026-11-02}
        - {id: tc-3, kind: denunciation, date: 2026-12-28}
        - {id: tc-4, kind: denunciation, date: 2027-04-12}
        """, "2027-04-12")
    intake = found["denunciation-intake/tc-1"]
    assert intake.due == date(2027, 2, 16) and not intake.provisional
    assert not found["denunciation-intake/tc-2"].provisional
    assert found["denunciation-intake/tc-3"].provisional and found["denunciation-intake/tc-4"].provisional


@pytest.fixture
def commune(tmp_path):
    """A commune office set up with `hdnd init`, as a secretary does on the day it is installed."""
    result = run("init", "xa", "--level", "commune", cwd=tmp_path, env={"HDND_NOW": "2026-11-25T08:00"})
    assert result.returncode == 0, result.stderr
    return tmp_path / "xa"


def write(folder, text: str) -> None:
    (folder / "data" / "ledger.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


def test_a_commune_sees_its_national_deadlines_on_the_day_it_installs_hdnd(commune):
    write(commune, """\
        - {id: bau-cu-2026, kind: election, date: 2026-03-15}
        - {id: kh-2026-04, kind: session, date: 2026-04-24, ends: 2026-04-24, type: regular, first_of_term: true}
        - {id: kh-2026-12, kind: session, date: 2026-12-18, ends: 2026-12-19, type: regular}
        - {id: kn-2026-011, kind: complaint, date: 2026-11-16}
        - {id: tc-2026-004, kind: denunciation, date: 2026-11-19, forwarded_by: tt-hdnd}
        """)
    assert run("check", "--strict", cwd=commune, env={"HDND_NOW": NOW}).returncode == 0  # the day it installs
    document = json.loads(run("due", "--all", "-f", "json", "--as-of", "2026-11-25", cwd=commune).stdout)
    found = {i["id"]: (i["due"], i["status"], i["obligor"], i["recipient"]) for i in document["items"]}
    assert found == {
        # NĐ 124/2020 Đ.16 k.1 as amended by NĐ 155/2026 Đ.10, 7 working days: Tue 17/11 (1) ... Mon 23
        # (5), Tue 24 off (NQ 28/2026/QH16 Đ.2), Wed 25 (6), Thu 26/11/2026 (7).
        "complaint-first-accept/kn-2026-011": ("2026-11-26", "soon", "chu-tich-ubnd", "cong-dan"),
        # Luật Tố cáo Đ.24 k.1: Fri 20/11 (1), Mon 23 (2), Tue 24 off, Wed 25 (3) ... Mon 30 (6), Tue 01/12 (7).
        "denunciation-intake/tc-2026-004": ("2026-12-01", "open", "chu-tich-ubnd", "cong-dan"),  # warn 5d
        # Đ.26 k.2: 19/11 + 20 days = Wed 09/12/2026.
        "denunciation-forwarded-result/tc-2026-004": ("2026-12-09", "open", "chu-tich-ubnd", "tt-hdnd"),
        "first-session-new-term/bau-cu-2026": ("2026-04-29", "done", "hdnd", None),
        # since = the day of installation: 2026's sessions are judged; the planned one counts when held.
        "commune-regular-sessions/2026": ("2026-12-31", "open", "hdnd", None),
        # Luật 72/2025 Đ.43 k.1: at least one dialogue with the people a year (warn: 60 days before).
        "commune-dialogue-yearly/2026": ("2026-12-31", "soon", "ubnd", None),
    }
    rules = run("rules", "--as-of", "2026-11-25", cwd=commune).stdout
    assert "denunciation-intake" in rules and "đã đối chiếu" in rules and "một phần (mẫu, đang tắt)" in rules
    assert "commune-chair-citizen-reception-weekly" not in rules  # ended on 30/06/2026
    morning = run("due", "--as-of", "2026-11-25", cwd=commune).stdout
    assert morning.startswith("Văn phòng HĐND xã - ngày 25/11/2026: 0 quá hạn, 0 đến hạn hôm nay, 2 sắp đến hạn, "
                              "2 chưa đến hạn.")  # the intake in 6 days, the forwarded result in 14 (the horizon)


def test_two_extensions_of_a_denunciation_and_the_refusal_of_a_third(commune):
    """Đ.30 k.3: an especially complex case may be extended twice, each time by at most 30 days,
    counted on the unrolled period. Accepted Fri 04/09/2026: day 30 is Sun 04/10, due Mon 05/10/2026;
    the first extension at most to 04/10 + 30 = Tue 03/11, the second to 03/11 + 30 = Thu 03/12/2026."""
    write(commune, "- {id: tc-1, kind: denunciation, date: 2026-08-27}\n")
    now = {"HDND_NOW": "2026-11-20T08:00"}
    steps = [("done", "denunciation-intake/tc-1", "--date", "2026-09-04"),
             ("extend", "denunciation-settle/tc-1", "--until", "2026-11-03", "--reason", "Phức tạp", "--date", "2026-10-01"),
             ("add", "fact", "--date", "2026-10-30", "--set", "of=tc-1", "--set", "very_complex=true"),
             ("extend", "denunciation-settle/tc-1", "--until", "2026-12-03", "--reason", "Đặc biệt phức tạp",
              "--date", "2026-11-02")]
    too_long = run("extend", "denunciation-settle/tc-1", "--until", "2026-11-05", "--reason", "x", cwd=commune, env=now)
    for step in steps:
        result = run(*step, cwd=commune, env=now)
        assert result.returncode == 0, result.stderr
    assert too_long.returncode == 2  # before the intake is done there is no settlement to extend
    items = json.loads(run("due", "--all", "-f", "json", "--as-of", "2026-11-20", cwd=commune).stdout)["items"]
    settle = next(i for i in items if i["id"] == "denunciation-settle/tc-1")
    assert (settle["original_due"], settle["due"]) == ("2026-10-05", "2026-12-03")
    before = {p: p.read_bytes() for p in (commune / "data").iterdir()}
    third = run("extend", "denunciation-settle/tc-1", "--until", "2026-12-20", "--reason", "x", cwd=commune, env=now)
    assert third.returncode == 2 and "tối đa 2 lần" in third.stderr
    assert {p: p.read_bytes() for p in (commune / "data").iterdir()} == before


def test_one_extension_is_at_most_30_days_from_the_due_date(commune):
    write(commune, "- {id: tc-1, kind: denunciation, date: 2026-08-27}\n"
                   "- {kind: done, obligation: denunciation-intake/tc-1, date: 2026-09-04}\n")
    # Accepted Fri 04/09: day 30 is Sun 04/10 (due Mon 05/10/2026); 30 more days from the unrolled end, not
    # from the Monday: Tue 03/11/2026 (Đ.30 k.2).
    result = run("extend", "denunciation-settle/tc-1", "--until", "2026-11-04", "--reason", "Phức tạp",
                 cwd=commune, env={"HDND_NOW": "2026-10-01T08:00"})
    assert result.returncode == 2 and "không quá 03/11/2026" in result.stderr


def test_explain_names_the_fact_that_chose_the_period(commune):
    write(commune, """\
        - {id: kn-1, kind: complaint, date: 2026-08-03, remote: true}
        - {kind: done, obligation: complaint-first-accept/kn-1, date: 2026-08-10}
        """)
    added = run("add", "fact", "--date", "2026-08-20", "--set", "of=kn-1", "--set", "complex=true", cwd=commune,
                env={"HDND_NOW": "2026-11-20T08:00"})
    assert added.returncode == 0, added.stderr
    text = run("explain", "complaint-first-settle/kn-1", "--as-of", "2026-09-01", cwd=commune).stdout
    # 10/08 + 60 days (complex and remote, Đ.28) = Fri 09/10/2026.
    assert "Tình tiết của vụ việc: complex = true, remote = true (data/2026.yaml:" in text
    assert "data/ledger.yaml:1), nên thời hạn là 60 ngày" in text and "Hạn: Thứ Sáu 09/10/2026" in text
    plain = run("explain", "complaint-first-settle/kn-1", "--as-of", "2026-08-15", "--lang", "en", cwd=commune).stdout
    assert "Facts of the case: remote = true (data/ledger.yaml:1), so the period is 45 days" in plain


def test_provisional_dates_are_marked_in_due_explain_json_and_the_calendar(commune):
    write(commune, "- {id: tc-1, kind: denunciation, date: 2027-04-12}\n- {id: tc-2, kind: denunciation, date: 2026-11-20}\n")
    items = {i["id"]: i for i in json.loads(run("due", "--all", "-f", "json", cwd=commune,
                                                env={"HDND_NOW": "2027-04-13T08:00"}).stdout)["items"]}
    assert items["denunciation-intake/tc-1"]["provisional"] is True
    assert "provisional" not in items["denunciation-intake/tc-2"]
    table = run("due", "--all", "--as-of", "2027-04-13", cwd=commune).stdout
    assert "denunciation-intake/tc-1 (hạn tạm tính)" in table and "tc-2 (hạn tạm tính)" not in table
    assert "Hạn tạm tính" in run("explain", "denunciation-intake/tc-1", "--as-of", "2027-04-13", cwd=commune).stdout
    calendar = json.loads(run("calendar", "2027", "-f", "json", cwd=commune).stdout)
    assert calendar["announced"] is False and "computed" in {d["kind"] for d in calendar["days"]}
    assert "statutory" not in {d["kind"] for d in calendar["days"]}
    assert json.loads(run("calendar", "2026", "-f", "json", cwd=commune).stdout)["announced"] is True
    assert "Năm 2027 chưa có thông báo chính thức" in run("calendar", "2027", cwd=commune).stdout


def test_the_readme_recipes_work_in_a_fresh_province_workspace(tmp_path):
    """"Recording what happened" in the README: every line, in order, on the day after `hdnd init`."""
    import shlex
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Recording what happened", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    now = {"HDND_NOW": "2026-11-25T08:00"}
    assert run("init", "tinh", "--level", "province", cwd=tmp_path, env=now).returncode == 0
    office = tmp_path / "tinh"
    (office / "van-ban").mkdir()
    (office / "van-ban" / "15-TB-UBND.pdf").write_bytes(b"%PDF-1.4 thong bao")
    (office / "so-khieu-nai.csv").write_text("Mã,Ngày nhận,Người khiếu nại\nkn-2026-001,03/11/2026,Trần Văn B\n"
                                            "kn-2026-002,10/11/2026,Lê Thị C\n", encoding="utf-8")
    lines = [line for line in block.splitlines() if line.strip()]
    assert len(lines) == 7
    for line in lines:
        args = shlex.split(line)
        assert args[0] == "hdnd"
        result = run(*args[1:], cwd=office, env=now)
        assert result.returncode == 0, (line, result.stderr)
    items = {i["id"]: i for i in json.loads(run("due", "--all", "-f", "json", cwd=office, env=now).stdout)["items"]}
    # Đ.30: accepted 09/11/2026 + 30 days = Wed 09/12/2026, extended to 08/01/2027.
    assert (items["denunciation-settle/tc-2026-017"]["original_due"], items["denunciation-settle/tc-2026-017"]["due"]) == (
        "2026-12-09", "2027-01-08")
    assert items["complaint-first-accept/kn-2026-002"]["status"] == "waived"
    # NĐ 124/2020 Đ.16 k.1 as amended by NĐ 155/2026 Đ.10: 7 working days from Tue 03/11, Thu 12/11/2026.
    assert items["complaint-first-accept/kn-2026-001"]["due"] == "2026-11-12"


# --- the law as it stands since 01/07/2026 (legal-sources.md, "Current status (03/12/2026)") ------------

def test_periods_across_the_culture_day_of_2026():
    """24/11/2026 is a day off (NQ 28/2026/QH16 Đ.2). Luật Tố cáo Đ.24 k.1, 7 working days from Thu
    19/11: Fri 20 (1), Mon 23 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5), Mon 30 (6), Tue 01/12 (7). Đ.26 k.2,
    20 days from Wed 04/11: Tue 24/11, a day off, so Wed 25/11 (BLDS Đ.148 k.5)."""
    found = due("""
        - {id: tc-1, kind: denunciation, date: 2026-11-19}
        - {id: tc-2, kind: denunciation, date: 2026-11-04, forwarded_by: tt-hdnd}
        """)
    assert found["denunciation-intake/tc-1"] == date(2026, 12, 1)
    assert found["denunciation-forwarded-result/tc-2"] == date(2026, 11, 25)


def test_a_complaint_is_judged_by_the_law_of_the_day_it_was_received():
    """Received Fri 26/06/2026: Luật Khiếu nại Đ.27, 10 days, Mon 06/07/2026. Received Thu 27/08/2026:
    NĐ 124/2020 Đ.16 k.1 as amended by NĐ 155/2026 Đ.10, 7 working days: Fri 28/08 (1), 31/08-02/09 off,
    Thu 03/09 (2) ... Thu 10/09/2026 (7); the old law gave Mon 07/09. A second complaint received Wed
    16/12/2026 at a province: Thu 17 (1) ... Fri 25/12/2026 (7)."""
    found = obligations("""
        - {id: kn-1, kind: complaint, date: 2026-06-26}
        - {id: kn-2, kind: complaint, date: 2026-08-27}
        - {id: kn-3, kind: complaint, date: 2026-12-16, round: 2}
        """, "2026-12-17", level="province")
    old, new = found["complaint-first-accept/kn-1"], found["complaint-first-accept/kn-2"]
    assert (old.due, old.basis) == (date(2026, 7, 6), "Điều 27")
    assert new.due == date(2026, 9, 10) and "155/2026" in new.basis
    assert found["complaint-second-accept/kn-3"].due == date(2026, 12, 25)


def test_a_second_complaint_at_a_commune_makes_nothing_and_says_why():
    entries, _ = parse_ledger("- {id: kn-3, kind: complaint, date: 2026-12-16, round: 2}\n", "data/test.yaml")
    found, problems = compute(RULES, entries, CALENDAR, date(2026, 12, 17), EngineSettings(level="commune"))
    assert not any("kn-3" in o.id for o in found)
    (warning,) = [p for p in problems if p.key != "unknown-body"]  # the test has no hdnd.toml bodies
    assert (warning.key, warning.line, warning.params["rule"]) == ("event-for-another-level", 1, "complaint-second-accept")
    assert warning.warning


COMPLEX_LATE = """
    - {id: kn-1, kind: complaint, date: 2026-08-03}
    - {kind: done, obligation: complaint-first-accept/kn-1, date: 2026-08-10}
    - {id: kn-1-phuc-tap, kind: fact, of: kn-1, date: DAY, complex: true}
    """


def test_a_complexity_found_after_the_period_ran_out_does_not_revive_it():
    """Accepted Mon 10/08/2026: 30 days, Wed 09/09/2026 (Luật Khiếu nại Đ.28). Found complex on that
    day: 45 days, Thu 24/09. Found complex on Thu 10/09, after the period ran out: it stays 09/09 and
    the case is late (NĐ 155/2026 Đ.3a k.2: complexity is a written determination in the file)."""
    in_time = obligations(COMPLEX_LATE.replace("DAY", "2026-09-09"), "2026-09-20")["complaint-first-settle/kn-1"]
    assert (in_time.due, in_time.status) == (date(2026, 9, 24), "soon")
    ledger = textwrap.dedent(COMPLEX_LATE.replace("DAY", "2026-09-10"))
    entries, _ = parse_ledger(ledger, "data/test.yaml")
    found, problems = compute(RULES, entries, CALENDAR, date(2026, 9, 20), EngineSettings(level="commune"))
    late = next(o for o in found if o.id == "complaint-first-settle/kn-1")
    assert (late.due, late.status) == (date(2026, 9, 9), "overdue")
    (warning,) = [p for p in problems if p.key == "fact-too-late"]
    assert (warning.line, warning.params["end"], warning.warning) == (4, date(2026, 9, 9), True)


def test_check_due_and_explain_name_the_fact_that_came_too_late(commune):
    write(commune, COMPLEX_LATE.replace("DAY", "2026-09-10"))
    checked = run("check", cwd=commune, env={"HDND_NOW": "2026-09-20T08:00"})
    assert checked.returncode == 0 and "data/ledger.yaml:4: cảnh báo: tình tiết complex ghi sau khi thời hạn" in checked.stderr
    morning = run("due", "--as-of", "2026-09-20", cwd=commune).stdout
    assert "complaint-first-settle/kn-1 (tình tiết ghi sau hạn: data/ledger.yaml:4)" in morning
    text = run("explain", "complaint-first-settle/kn-1", "--as-of", "2026-09-20", cwd=commune).stdout
    assert "không kéo dài thời hạn" in text and "complex = true 10/09/2026 (data/ledger.yaml:4)" in text
    assert "Hạn: Thứ Tư 09/09/2026" in text


EXTENDED = """
    - {id: tc-1, kind: denunciation, date: 2026-11-20}
    - {kind: done, obligation: denunciation-intake/tc-1, date: 2026-11-26}
    - {kind: extend, obligation: denunciation-settle/tc-1, date: 2026-12-20, until: FIRST, reason: Phức tạp}
    """


@pytest.mark.parametrize("first, problem", [("2027-01-25", None), ("2027-01-26", "extension-too-long")])
def test_one_extension_of_a_denunciation_reaches_60_days_from_acceptance_at_most(first, problem):
    """Accepted Thu 26/11/2026: day 30 is Sat 26/12, due Mon 28/12/2026 (Luật Tố cáo Đ.30 k.1). One
    extension of at most 30 days (Đ.30 k.2) counted on the unrolled period: 26/12 + 30 = Mon 25/01/2027,
    60 days from acceptance, not 28/12 + 30 = Wed 27/01."""
    entries, _ = parse_ledger(textwrap.dedent(EXTENDED.replace("FIRST", first)), "data/test.yaml")
    found, problems = compute(RULES, entries, CALENDAR, date(2026, 12, 21), EngineSettings(level="commune"))
    settle = next(o for o in found if o.id == "denunciation-settle/tc-1")
    assert (settle.original_due, settle.due) == (date(2026, 12, 28), date.fromisoformat(first))
    assert [(p.key, p.params.get("limit")) for p in errors(problems)] == (
        [] if problem is None else [(problem, date(2027, 1, 25))])


@pytest.mark.parametrize("fact, allowed", [("", False), ("- {kind: fact, of: tc-1, date: 2027-01-20, very_complex: true}", True),
                                           ("- {kind: fact, of: tc-1, date: 2027-01-22, very_complex: true}", False)])
def test_a_second_extension_needs_the_case_found_especially_complex_before_it(fact, allowed):
    """Đ.30 k.3: only an especially complex case (đặc biệt phức tạp) is extended twice. The second
    extension, decided 21/01/2027, at most 25/01 + 30 = Wed 24/02/2027."""
    ledger = EXTENDED.replace("FIRST", "2027-01-25") + f"""
    - {{kind: extend, obligation: denunciation-settle/tc-1, date: 2027-01-21, until: 2027-02-24, reason: Đặc biệt phức tạp}}
    {fact}
    """
    entries, _ = parse_ledger(textwrap.dedent(ledger), "data/test.yaml")
    found, problems = compute(RULES, entries, CALENDAR, date(2027, 1, 25), EngineSettings(level="commune"))
    assert next(o for o in found if o.id == "denunciation-settle/tc-1").due == date(2027, 2, 24)
    assert [p.key for p in errors(problems)] == ([] if allowed else ["extension-needs-facts"])


def test_the_second_extension_is_refused_by_the_command_without_the_fact(commune):
    write(commune, EXTENDED.replace("FIRST", "2027-01-25"))
    before = (commune / "data" / "ledger.yaml").read_bytes()
    refused = run("extend", "denunciation-settle/tc-1", "--until", "2027-02-24", "--reason", "x", "--date", "2027-01-21",
                  cwd=commune, env={"HDND_NOW": "2027-01-21T08:00"})
    assert refused.returncode == 2 and "lần gia hạn thứ 2 cần vụ việc có very_complex = true" in refused.stderr
    assert (commune / "data" / "ledger.yaml").read_bytes() == before


SUSPENDED = """\
- {id: kn-1, kind: complaint, date: 2026-10-07, complex: true}
- {kind: done, obligation: complaint-first-accept/kn-1, date: 2026-10-14}
- {kind: fact, of: kn-1, date: 2026-11-03, suspended: true}
"""


def test_a_suspension_stops_the_clock_and_the_continuation_restarts_it():
    """A complex case accepted Wed 14/10/2026: 45 days (Luật Khiếu nại Đ.28), Sat 28/11. Suspended on
    Tue 03/11 (days 15/10-03/11 used: 20) and continued on Mon 09/11: the 25 days left run from Tue
    10/11, so Fri 04/12/2026 (NĐ 155/2026 Điều 28b k.2; BLDS Đ.147 k.3). Suspended again Fri 20/11 (14
    days left) and continued Mon 23/11: Mon 07/12/2026. Pauses add up."""
    once = SUSPENDED + "- {kind: fact, of: kn-1, date: 2026-11-09, suspended: false}\n"
    settle = obligations(once, "2026-11-20")["complaint-first-settle/kn-1"]
    assert (settle.due, settle.status) == (date(2026, 12, 4), "open")
    pause = next(s for s in settle.computation.steps if s.what == "pause")
    assert (pause.params["used"], pause.params["left"]) == (20, 25)
    twice = once + ("- {kind: fact, of: kn-1, date: 2026-11-20, suspended: có}\n"
                    "- {kind: fact, of: kn-1, date: 2026-11-23, suspended: không}\n")
    assert obligations(twice, "2026-11-25")["complaint-first-settle/kn-1"].due == date(2026, 12, 7)


def test_a_case_suspended_and_not_yet_continued_has_no_due_date_and_its_days_left():
    settle = obligations(SUSPENDED, "2026-12-15")["complaint-first-settle/kn-1"]
    assert (settle.due, settle.status, settle.days_left) == (None, "suspended", 25)
    before = obligations(SUSPENDED, "2026-11-02")["complaint-first-settle/kn-1"]  # the suspension not yet decided
    assert (before.due, before.status) == (date(2026, 11, 30), "open")  # Sat 28/11 -> Mon 30/11


def test_a_suspension_after_the_period_ran_out_stops_nothing():
    """30 days from Wed 14/10/2026: Fri 13/11. Suspended on Mon 16/11: too late, the case is overdue."""
    ledger = SUSPENDED.replace(", complex: true", "").replace("2026-11-03", "2026-11-16")
    entries, _ = parse_ledger(textwrap.dedent(ledger), "data/test.yaml")
    found, problems = compute(RULES, entries, CALENDAR, date(2026, 11, 20), EngineSettings(level="commune"))
    settle = next(o for o in found if o.id == "complaint-first-settle/kn-1")
    assert (settle.due, settle.status) == (date(2026, 11, 13), "overdue")
    assert [(p.key, p.line) for p in problems if p.key == "fact-too-late"] == [("fact-too-late", 3)]


def test_the_suspended_case_in_due_json_explain_overdue_and_the_calendar_feed(commune):
    write(commune, SUSPENDED)
    day = ("--as-of", "2026-11-20")
    morning = run("due", *day, cwd=commune).stdout
    assert "1 tạm đình chỉ" in morning.splitlines()[0]
    assert "tạm đình chỉ  —" in morning and "còn 25 ngày khi tiếp tục" in morning
    items = {i["id"]: i for i in json.loads(run("due", "--all", "-f", "json", *day, cwd=commune).stdout)["items"]}
    settle = items["complaint-first-settle/kn-1"]
    assert (settle["status"], settle["due"], settle["original_due"], settle["days_left"]) == ("suspended", None, None, 25)
    assert list(items)[-1] == "complaint-first-settle/kn-1"  # no due date: after every dated item
    text = run("explain", "complaint-first-settle/kn-1", *day, cwd=commune).stdout
    assert "Tạm đình chỉ từ 03/11/2026 (data/ledger.yaml:3), chưa có quyết định tiếp tục" in text
    assert "đã dùng 20 ngày, còn 25 ngày" in text and "Hạn: chưa có, vụ việc đang tạm đình chỉ" in text
    late = run("overdue", "--as-of", "2027-03-01", cwd=commune).stdout  # suspended is never overdue
    assert "commune-regular-sessions/2026" in late and "complaint-first-settle" not in late
    feed = run("ics", *day, cwd=commune).stdout
    assert "complaint-first-settle/kn-1" not in feed and "complaint-first-accept" not in feed
    refused = run("extend", "complaint-first-settle/kn-1", "--until", "2027-01-30", "--reason", "x", cwd=commune,
                  env={"HDND_NOW": "2026-11-20T08:00"})
    assert refused.returncode == 2 and "đang tạm đình chỉ" in refused.stderr


@pytest.mark.parametrize("value, ok", [("có", True), ("KHÔNG", True), ("yes", True), ("1", True), ("'0'", True),
                                       ("maybe", False), ("'tạm dừng'", False)])
def test_a_yes_no_field_takes_the_words_offices_write_and_nothing_else(value, ok):
    """SPEC §2: true/false, có/không, yes/no, 1/0, any case; any other value is a problem at its line."""
    entries, _ = parse_ledger(textwrap.dedent(SUSPENDED.replace("suspended: true", f"suspended: {value}")), "t.yaml")
    _, problems = compute(RULES, entries, CALENDAR, date(2026, 11, 20), EngineSettings(level="commune"))
    wrong = [(p.key, p.line) for p in problems if p.key == "not-yes-no"]
    assert wrong == ([] if ok else [("not-yes-no", 3)])


def test_regular_sessions_a_year_at_province_and_commune_level():
    """Luật 72/2025 Đ.34 k.2: «Hội đồng nhân dân họp mỗi năm ít nhất 02 kỳ», by Thu 31/12/2026."""
    one = "- {id: kh-2026-07, kind: session, date: 2026-07-10, ends: 2026-07-11, type: regular}\n"
    two = one + "- {id: kh-2026-12, kind: session, date: 2026-12-09, ends: 2026-12-10, type: regular}\n"
    for level in ("province", "commune"):
        rule = f"{level}-regular-sessions/2026"
        late = obligations(one, "2027-01-04", level=level, since=date(2026, 1, 1))[rule]
        met = obligations(two, "2027-01-04", level=level, since=date(2026, 1, 1))[rule]
        assert (late.due, late.status, met.status, met.done.date) == (date(2026, 12, 31), "overdue", "done",
                                                                      date(2026, 12, 9))
    assert "province-regular-sessions/2026" not in obligations(two, "2027-01-04", since=date(2026, 1, 1))


def test_an_elected_chairs_result_is_sent_then_approved():
    """Luật 72/2025 Đ.36 k.7. Elected Thu 19/11/2026: sent within 5 working days, Fri 20 (1), Mon 23
    (2), 24/11 off, Wed 25 (3), Thu 26 (4), Fri 27/11 (5). Received by the approving body Mon 23/11:
    approved within 10 working days, Wed 25 (1) ... Tue 08/12/2026 (10)."""
    found = obligations("""
        - {id: bct-1, kind: chair-election, date: 2026-11-19, approver: chu-tich-ubnd-tinh}
        - {kind: done, obligation: chair-election-result-sent/bct-1, date: 2026-11-23, ref: 12/TTr-HĐND}
        """, "2026-11-25")
    sent, approved = found["chair-election-result-sent/bct-1"], found["chair-election-result-approved/bct-1"]
    assert (sent.due, sent.status, sent.obligor, sent.recipient) == (date(2026, 11, 27), "done", "tt-hdnd",
                                                                    "chu-tich-ubnd-tinh")
    assert (approved.due, approved.obligor, approved.recipient) == (date(2026, 12, 8), "chu-tich-ubnd-tinh", "tt-hdnd")


def test_the_communes_dialogue_with_the_people():
    """Luật 72/2025 Đ.43, a dialogue on Thu 15/10/2026: the notice at the latest 7 days before, Thu
    08/10 (k.2); the results made public within 10 days, Sun 25/10, so Mon 26/10/2026 (k.3; BLDS Đ.148
    k.5); at least one a year, met on 15/10 (k.1)."""
    found = obligations("- {id: dt-1, kind: dialogue, date: 2026-10-15}\n", "2026-10-20", since=date(2026, 1, 1))
    assert found["commune-dialogue-notice/dt-1"].due == date(2026, 10, 8)
    assert found["commune-dialogue-result/dt-1"].due == date(2026, 10, 26)
    yearly = found["commune-dialogue-yearly/2026"]
    assert (yearly.due, yearly.status, yearly.done.date) == (date(2026, 12, 31), "done", date(2026, 10, 15))
    assert not any(k.startswith("commune-dialogue") for k in obligations(
        "- {id: dt-1, kind: dialogue, date: 2026-10-15}\n", "2026-10-20", level="province"))


def test_the_province_chairs_monthly_reception_until_the_law_changed():
    """Luật Tiếp công dân Đ.12 k.5: at least one day a month, the month's last day (Sun 31/05/2026, no
    roll); after 30/06/2026 the rule is a template, switched off."""
    found = obligations("- {id: tcd-1, kind: citizen-reception, date: 2026-05-20, host: chu-tich-ubnd}\n",
                        "2026-08-10", level="province", since=date(2026, 5, 1))
    assert (found["province-chair-citizen-reception/2026-05"].status,
            found["province-chair-citizen-reception/2026-06"].status) == ("done", "overdue")
    assert found["province-chair-citizen-reception/2026-05"].due == date(2026, 5, 31)
    assert "province-chair-citizen-reception/2026-07" not in found


def test_a_petition_a_delegate_forwarded_until_the_law_changed():
    """Luật Tiếp công dân Đ.27 k.2: resolved Thu 11/06/2026, the result to the delegate within 7 working
    days, Mon 22/06; Đ.28 k.2: the delegate, told on 22/06, tells the citizen within 5 working days,
    Mon 29/06/2026. Resolved after 30/06/2026: templates, switched off, make nothing."""
    found = obligations("""
        - {id: don-1, kind: forwarded-petition, date: 2026-05-04, delegate: "Nguyễn Văn A", resolved: 2026-06-11}
        - {kind: done, obligation: forwarded-petition-result/don-1, date: 2026-06-22}
        - {id: don-2, kind: forwarded-petition, date: 2026-06-01, delegate: "Nguyễn Văn A", resolved: 2026-07-09}
        - {id: don-3, kind: forwarded-petition, date: 2026-06-15, delegate: "Trần Thị B"}
        """, "2026-07-10")
    result, notice = found["forwarded-petition-result/don-1"], found["forwarded-petition-citizen-notice/don-1"]
    assert (result.due, result.status, result.recipient) == (date(2026, 6, 22), "done", "dai-bieu-hdnd")
    assert (notice.due, notice.obligor, notice.recipient) == (date(2026, 6, 29), "dai-bieu-hdnd", "cong-dan")
    assert not any("don-2" in k or "don-3" in k for k in found)  # after the change; not yet resolved


def test_a_rerun_election_replaces_the_one_before_as_the_start_of_the_first_session():
    """Luật 72/2025 Đ.34 k.1: «… thời hạn tổ chức kỳ họp thứ nhất được tính từ ngày bầu cử lại, bầu cử
    thêm hoặc ngày bầu cử mới». Re-run on Sun 05/04/2026: 45 days, Wed 20/05/2026; the election of
    15/03 makes no second, late obligation."""
    ledger = """
        - {id: bau-cu-2026, kind: election, date: 2026-03-15}
        - {id: bau-cu-lai, kind: election, date: 2026-04-05, supersedes: bau-cu-2026}
        """
    found = obligations(ledger, "2026-05-01")
    assert found["first-session-new-term/bau-cu-lai"].due == date(2026, 5, 20)
    assert "first-session-new-term/bau-cu-2026" not in found
    before = obligations(ledger, "2026-04-01")  # before the re-run, the first election still counts
    assert before["first-session-new-term/bau-cu-2026"].due == date(2026, 4, 29)


def test_a_written_answer_to_an_interpellation_goes_to_the_delegate_who_asked():
    """Luật HĐGS 2015 Đ.60 k.4: to the delegate who asked and the Standing Committee, within 20 days."""
    found = obligations("- {id: cv-1, kind: interpellation, date: 2025-12-10, written: true, delegate: dai-bieu-a}\n",
                        "2026-01-05", level="province")
    answer = found["interpellation-written-answer/cv-1"]
    assert (answer.due, answer.recipient) == (date(2025, 12, 30), "dai-bieu-a")


CASE_FACTS = ("complex: true", "remote: true", "suspended: true", "suspended: false")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.dates(date(2025, 1, 1), date(2027, 3, 31)),
                          st.sampled_from(("", "complex: true", "complex: null", "remote: false")),
                          st.lists(st.tuples(st.integers(0, 60), st.sampled_from(CASE_FACTS)), max_size=3),
                          st.integers(5, 20)), min_size=1, max_size=12),
       st.dates(date(2025, 6, 1), date(2027, 6, 30)))
def test_cases_without_facts_share_one_deadline_and_it_is_each_ones_own(cases, as_of):
    """The deadline of a case with no fact (the common complaint) is counted once a day for all such
    cases (`plain` in engine/compute.py); the same ledgers computed case by case give the same
    obligations, due dates, steps and problems. A fact written empty (`complex: null`) or false is a
    case of its own to the engine, which must come to the same answer."""
    from hdnd_cli.engine import compute as engine

    lines = []
    for n, (day, field, facts, accepted) in enumerate(cases):
        lines.append(f"- {{id: kn-{n}, kind: complaint, date: {day}{', ' + field if field else ''}}}")
        lines.append(f"- {{kind: done, obligation: complaint-first-accept/kn-{n}, date: {day + timedelta(accepted)}}}")
        lines += [f"- {{kind: fact, of: kn-{n}, date: {day + timedelta(after)}, {fact}}}" for after, fact in facts]
    entries, problems = parse_ledger("\n".join(lines), "data/test.yaml")
    assert problems == []

    def run() -> tuple:
        found, problems = compute(RULES, entries, CALENDAR, as_of, EngineSettings(level="commune"))
        return found, sorted(map(repr, problems))  # every field: due dates, the steps of their computation

    shared = run()
    per_case = engine._due
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "_due", lambda *args: per_case(*args[:8], None))  # no `plain`: every case counted alone
        assert run() == shared


def test_a_complaint_is_judged_by_the_acceptance_rule_in_force_on_the_day_it_arrived_at_the_boundary():
    """The two versions of complaint acceptance meet at midnight on 01/07/2026; the engine takes each
    version's complaints by bisection over their dates, so the days either side of the change are the
    ones to check. Received Tue 30/06/2026 under Luật Khiếu nại Đ.27 (10 days): day 10 is Fri 10/07.
    Received Wed 01/07/2026 under NĐ 124/2020 Đ.16 k.1 as NĐ 155/2026 Đ.10 rewrites it (7 working
    days): Thu 02 (1), Fri 03 (2), Mon 06 (3), Tue 07 (4), Wed 08 (5), Thu 09 (6), Fri 10/07 (7).
    Mon 29/06: day 10 is Thu 09/07. Each complaint makes one acceptance, by its own version."""
    entries, problems = parse_ledger("- {id: kn-a, kind: complaint, date: 2026-06-29}\n"
                                     "- {id: kn-b, kind: complaint, date: 2026-06-30}\n"
                                     "- {id: kn-c, kind: complaint, date: 2026-07-01}\n", "data/test.yaml")
    assert problems == []
    found, _ = compute(RULES, entries, CALENDAR, date(2026, 7, 2), EngineSettings(level="commune"))
    accepted = {o.key: o for o in found if o.rule and o.rule.id == "complaint-first-accept"}
    assert {key: o.due for key, o in accepted.items()} == {
        "kn-a": date(2026, 7, 9), "kn-b": date(2026, 7, 10), "kn-c": date(2026, 7, 10)}
    assert [accepted[key].rule.in_force for key in ("kn-a", "kn-b", "kn-c")] == [
        Span(date(2012, 7, 1), date(2026, 6, 30)), Span(date(2012, 7, 1), date(2026, 6, 30)), Span(date(2026, 7, 1), None)]
