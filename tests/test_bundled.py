"""The bundled packs hold exactly SPEC §2's rules, each checked against due dates computed by hand."""
import tomllib
from datetime import date

import pytest

from conftest import CALENDAR, errors
from hdnd_cli.engine.compute import EngineSettings, compute
from hdnd_cli.engine.examples import run_examples
from hdnd_cli.parse.ledger import parse_ledger
from hdnd_cli.parse.rules import check_rule_set, parse_pack
from hdnd_cli.storage.bundled import rules_folder
from hdnd_cli.storage.workspace import bundled_packs

BUNDLED_RULES = rules_folder()

BANS = ("ban-phap-che", "ban-kinh-te-ngan-sach", "ban-van-hoa-xa-hoi", "ban-dan-toc")
SPEC_TABLE = {
    "qcph-huyen-2021": {"voter-answer-after": ("ubnd",), "voter-answer-before": ("ubnd",),
                        "delegate-petition-report": ("ubnd",), "voter-contact-plan": ("tt-hdnd",),
                        "voter-contact-plan-after": ("tt-hdnd",)},
    "hdnd-tinh-1011-2023": {"resolution-annual-report": ("ubnd",), "resolution-quarterly-report": BANS,
                            "resolution-working-meetings": ("tt-hdnd",)},
}


def load(name: str):
    pack, rules, problems = parse_pack((BUNDLED_RULES / f"{name}.toml").read_text(encoding="utf-8"), name)
    assert problems == []
    return pack, rules


@pytest.mark.parametrize("name", sorted(SPEC_TABLE))
def test_packs_hold_exactly_the_spec_rules(name):
    pack, rules = load(name)
    assert pack.id == name
    assert {r.id: r.obligors for r in rules} == SPEC_TABLE[name]
    for rule in rules:
        assert rule.title and rule.title_en and rule.basis and rule.quote and rule.examples, rule.id


def test_pack_metadata():
    district, _ = load("qcph-huyen-2021")
    province, _ = load("hdnd-tinh-1011-2023")
    assert (district.level, district.in_force.start, district.in_force.end) == (
        "district", date(2021, 8, 23), date(2025, 6, 30))
    assert (province.level, province.in_force.start, province.in_force.end) == ("province", date(2023, 10, 6), None)


def test_every_bundled_pack_loads_clean_and_its_examples_hold():
    rules = []
    for path in bundled_packs():
        _, pack_rules, problems = parse_pack(path.read_text(encoding="utf-8"), path.name)
        assert problems == [], path
        rules += pack_rules
    assert check_rule_set(rules) == []
    count, problems = run_examples(rules, CALENDAR)
    assert problems == [] and count >= 15


def obligations(pack: str, ledger: str, as_of: str, level: str, since: date | None = None) -> dict:
    _, rules = load(pack)
    entries, problems = parse_ledger(ledger, "data/test.yaml")
    assert problems == []
    result, problems = compute(rules, entries, CALENDAR, date.fromisoformat(as_of), EngineSettings(level=level, since=since))
    assert errors(problems) == []
    return {o.id: o.due for o in result}


DISTRICT_2024 = """
- {id: kh-2024-07, kind: session, date: 2024-07-10, ends: 2024-07-12, type: regular}
- {id: kh-2024-12, kind: session, date: 2024-12-09, ends: 2024-12-13, type: regular}
- {id: kh-2024-09-cd, kind: session, date: 2024-09-20, ends: 2024-09-20, type: thematic}
- {id: txct-2024-07-sau, kind: voter-contact, date: 2024-07-25, phase: after, forwarded: 2024-08-02}
- {id: txct-2024-06-truoc, kind: voter-contact, date: 2024-06-10, phase: before, forwarded: 2024-06-14}
- {id: txct-2024-11-truoc, kind: voter-contact, date: 2024-11-15, phase: before, forwarded: 2024-11-20}
- {id: txct-2025-01-sau, kind: voter-contact, date: 2024-12-28, phase: after, forwarded: 2025-01-03}
- {id: txct-2025-07-sau, kind: voter-contact, date: 2025-06-25, phase: after, forwarded: 2025-07-02}
"""


def test_district_pack_against_dates_computed_by_hand():
    """Quy chế phối hợp 01/QCPH (seed 001 §I.1); counting by Civil Code 2015 arts. 147-148."""
    due = obligations("qcph-huyen-2021", DISTRICT_2024, "2025-08-01", "district")
    expected = {
        # §I.1.2, 30 days after the summary reached UBND: Sun 01/9/2024 -> 02-03/9 National Day -> Wed 04/9.
        "voter-answer-after/txct-2024-07-sau": date(2024, 9, 4),
        # 03/01/2025 + 30 = Sun 02/02/2025 -> Mon 03/02 (Tết Ất Tỵ ended Fri 31/01).
        "voter-answer-after/txct-2025-01-sau": date(2025, 2, 3),
        # §I.1.2, 20 days: 14/06/2024 + 20 = Thu 04/07/2024.
        "voter-answer-before/txct-2024-06-truoc": date(2024, 7, 4),
        # 20/11/2024 + 20 = Tue 10/12/2024.
        "voter-answer-before/txct-2024-11-truoc": date(2024, 12, 10),
        # §I.1.2, at least 1 day before the opening; 'before' is not rolled: Sun 08/12/2024 stands.
        "delegate-petition-report/kh-2024-07": date(2024, 7, 9),
        "delegate-petition-report/kh-2024-12": date(2024, 12, 8),
        # §I.1.1, at least 30 days before a regular session: Mon 10/06/2024; Sat 09/11/2024 stands.
        "voter-contact-plan/kh-2024-07": date(2024, 6, 10),
        "voter-contact-plan/kh-2024-12": date(2024, 11, 9),
        # §I.1.1, no later than 20 days after the session: 12/07 + 20 = Thu 01/08/2024;
        # 13/12/2024 + 20 = Thu 02/01/2025.
        "voter-contact-plan-after/kh-2024-07": date(2024, 8, 1),
        "voter-contact-plan-after/kh-2024-12": date(2025, 1, 2),
    }
    assert due == expected  # the thematic session and the round after 30/06/2025 make nothing


def test_district_pack_applies_to_district_offices_only():
    assert obligations("qcph-huyen-2021", DISTRICT_2024, "2025-08-01", "province") == {}


def test_province_pack_against_dates_computed_by_hand():
    """Letter 1011/HĐND-VP of 06/10/2023 (seed 002, items 1-3)."""
    ledger = "- {id: lv-2024-06, kind: working-meeting, date: 2024-06-20}\n"
    due = obligations("hdnd-tinh-1011-2023", ledger, "2025-01-10", "province", since=date(2021, 1, 1))
    expected = {
        # Item 1, "chậm nhất ngày 30/11": Thu 30/11/2023 itself; Sat 30/11/2024 -> Mon 02/12/2024 (art. 148 §5).
        "resolution-annual-report/2023": date(2023, 11, 30),
        "resolution-annual-report/2024": date(2024, 12, 2),
        "resolution-annual-report/2025": date(2025, 12, 1),  # Sun 30/11/2025; the 2025 period has begun
        # Item 3, at least 2 meetings a year, by 31 December: Sun 31/12/2023 + New Year -> Tue 02/01/2024.
        "resolution-working-meetings/2023": date(2024, 1, 2),
        "resolution-working-meetings/2024": date(2024, 12, 31),
        "resolution-working-meetings/2025": date(2025, 12, 31),
    }
    # Item 2, "trước ngày 25" of the quarter's last month: the 24th, not rolled (Sun 24/03/2024 stands).
    quarters = {"2023-Q4": date(2023, 12, 24), "2024-Q1": date(2024, 3, 24), "2024-Q2": date(2024, 6, 24),
                "2024-Q3": date(2024, 9, 24), "2024-Q4": date(2024, 12, 24), "2025-Q1": date(2025, 3, 24)}
    for key, day in quarters.items():
        for ban in BANS:
            expected[f"resolution-quarterly-report/{key}/{ban}"] = day
    assert due == expected  # the letter is in force from 06/10/2023: nothing for earlier periods


def test_bundled_bodies_cover_every_obligor():
    bodies = {b["id"] for b in tomllib.loads((BUNDLED_RULES.parent / "data" / "bodies.toml").read_text())["bodies"]}
    named = {o for table in SPEC_TABLE.values() for obligors in table.values() for o in obligors}
    assert named <= bodies


def test_every_shipped_rule_cites_its_article_and_a_text_to_read_it_in():
    """A rule's basis names where in its document the words are (an article, a section), and its link
    leads to the document's text, not to a dataset or a search page."""
    import re

    from hdnd_cli.storage.bundled import example_config

    faults = []
    for path in [*sorted(rules_folder().glob("*.toml")), *sorted((example_config().parent / "rules").glob("*.toml"))]:
        for rule in tomllib.loads(path.read_text(encoding="utf-8")).get("rules", []):
            if not re.search(r"Điều|Mục|khoản|điểm|Phần", rule.get("basis", "")):
                faults.append(f"{path.name}:{rule['id']}: basis {rule.get('basis')!r}")
            if re.search(r"huggingface|/viewer|/datasets?/|google\.[a-z.]+/search", rule.get("url", "")):
                faults.append(f"{path.name}:{rule['id']}: url {rule['url']}")
    assert faults == []
