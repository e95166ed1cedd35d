"""Date arithmetic as Vietnamese law counts time (Civil Code 2015, arts. 147-148), on the real calendar."""
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CALENDAR
from hdnd_cli.dates.counting import count_working_days, due_after_trigger, parse_amount, parse_date, roll, shift
from hdnd_cli.model import Amount, Deadline


def due(trigger: str, amount: str, direction: str = "after", roll_: str | None = None) -> date:
    default = "forward" if direction == "after" else "none"
    deadline = Deadline(direction, parse_amount(amount), roll_ or default)
    return due_after_trigger(CALENDAR, date.fromisoformat(trigger), deadline).date


@pytest.mark.parametrize("trigger, amount, expected, why", [
    # Art. 147: "within 30 days of 5 January" ends on 4 February (the trigger day is not counted).
    ("2024-01-05", "30d", "2024-02-05", "30 days after 05/01 is 04/02 (Sun) -> Mon 05/02 (art. 148 §5)"),
    ("2025-01-05", "30d", "2025-02-04", "30 days after 05/01/2025 is Tue 04/02: a working day"),
    # Tết Giáp Thìn 2024: 08-14/02 off (TB 5015/TB-LĐTBXH).
    ("2024-01-10", "30d", "2024-02-15", "09/02 Tết -> 10, 11 weekend -> 12-14 Tết -> Thu 15/02"),
    # Tết Bính Ngọ 2026: 16-20/02 off (TB 9441/TB-BNV), weekends 14-15 and 21-22.
    ("2026-01-15", "30d", "2026-02-23", "14/02 (Sat) .. 22/02 (Sun) -> Mon 23/02"),
    # 30/4 - 1/5/2024 with the swapped Monday 29/4.
    ("2024-03-30", "30d", "2024-05-02", "29/4 swapped day off, 30/4, 1/5 holidays -> Thu 02/5"),
    # National Day 2024: 02-03/09 off.
    ("2024-08-02", "30d", "2024-09-04", "SPEC §5: Sun 01/9, 02-03/9 National Day -> Wed 04/9"),
    # National Day 2026 with the swap: 31/8 (swapped), 01-02/9 off.
    ("2026-07-31", "30d", "2026-09-03", "30/8 Sun, 31/8 swapped, 01-02/9 National Day -> Thu 03/9"),
    # Make-up Saturdays are working days: 04/05/2024, 26/04/2025, 10/01/2026, 22/08/2026.
    ("2024-04-04", "30d", "2024-05-04", "Sat 04/5/2024 is a make-up working day: no roll"),
    ("2025-04-06", "20d", "2025-04-26", "Sat 26/4/2025 is a make-up working day"),
    ("2025-12-11", "30d", "2026-01-10", "Sat 10/1/2026 is a make-up working day (VPCP 12729/VPCP-KGVX)"),
    ("2026-07-23", "30d", "2026-08-22", "Sat 22/8/2026 is a make-up working day (TB 9441/TB-BNV)"),
    # The 2026 New Year swap the holidays package lacks: Fri 02/01/2026 off.
    ("2025-12-03", "30d", "2026-01-05", "01/01 holiday, 02/01 swapped, 03-04 weekend -> Mon 05/01"),
    # Art. 148 §3: months end on the corresponding day, or the month's last day.
    ("2024-01-31", "1m", "2024-02-29", "31/01 + 1 month: no 31/02, so 29/02/2024 (leap year), a Thursday"),
    ("2023-01-31", "1m", "2023-02-28", "31/01/2023 + 1 month = Tue 28/02/2023"),
    ("2025-08-31", "1m", "2025-09-30", "31/08 + 1 month = Tue 30/09/2025"),
    ("2024-03-31", "1m", "2024-05-02", "31/03 + 1 month = 30/04/2024, a holiday -> 02/05 after 1/5"),
    ("2024-11-30", "1m", "2024-12-30", "Mon 30/12/2024"),
])
def test_days_and_months_after_a_trigger(trigger, amount, expected, why):
    assert due(trigger, amount) == date.fromisoformat(expected), why


@pytest.mark.parametrize("trigger, amount, expected, why", [
    # Working days skip weekends, holidays, swapped days; make-up Saturdays count.
    ("2024-02-07", "1wd", "2024-02-15", "08-14/02/2024 Tết and the weekend: the first working day is 15/02"),
    ("2024-04-26", "3wd", "2024-05-04", "29/4, 30/4, 1/5 off; Thu 2/5, Fri 3/5, Sat 4/5 (make-up) -> 3rd is 04/5"),
    ("2024-04-26", "4wd", "2024-05-06", "the 4th working day is Mon 06/5"),
    ("2026-01-08", "2wd", "2026-01-10", "Fri 09/01, then Sat 10/01/2026 (make-up)"),
    ("2026-08-28", "1wd", "2026-09-03", "29-30/8 weekend, 31/8 swapped, 1-2/9 National Day -> Thu 03/9"),
    ("2026-02-13", "5wd", "2026-02-27", "16-20/02 Tết Bính Ngọ: 23, 24, 25, 26, 27/02"),
])
def test_working_days_after_a_trigger(trigger, amount, expected, why):
    assert due(trigger, amount) == date.fromisoformat(expected), why


@pytest.mark.parametrize("opening, amount, roll_, expected, why", [
    # "No later than N days before the opening": opening minus N days, not rolled by default.
    ("2024-07-10", "1d", None, "2024-07-09", "the day before a Wednesday opening"),
    ("2024-12-09", "1d", None, "2024-12-08", "Sunday stands: the text sets no roll"),
    ("2024-12-09", "1d", "backward", "2024-12-06", "pulled back to the previous working day (Fri 06/12)"),
    ("2024-02-19", "5d", "backward", "2024-02-07", "14/02 is in Tết: back over 08-14/02 and the weekend to Wed 07/02"),
    ("2024-07-10", "30d", None, "2024-06-10", "Mon 10/06/2024"),
    ("2026-12-08", "30d", None, "2026-11-08", "Sun 08/11/2026 stands with roll none"),
    ("2026-12-08", "30d", "backward", "2026-11-06", "or Fri 06/11 when the rule rolls backward"),
    ("2026-09-07", "3wd", None, "2026-08-28",
     "3 working days before Mon 07/9/2026: Fri 4/9, Thu 3/9, then 2/9, 1/9, 31/8 off and the weekend: Fri 28/8"),
])
def test_before_deadlines(opening, amount, roll_, expected, why):
    assert due(opening, amount, "before", roll_) == date.fromisoformat(expected), why


def test_parse_dates_in_both_spellings():
    assert parse_date("2024-11-30") == parse_date("30/11/2024") == date(2024, 11, 30)
    assert parse_date("1/9/2024") == date(2024, 9, 1)
    assert parse_date("30.11.2024") == date(2024, 11, 30)  # as some Excel registers write dates
    for bad in ("30/02/2024", "2024-13-01", "tomorrow", "2024/11/30", "", "30/11.2024"):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_parse_amounts():
    assert parse_amount("30d") == Amount(30, "d")
    assert parse_amount("5wd") == Amount(5, "wd")
    assert parse_amount("1m") == Amount(1, "m")
    for bad in ("30", "d", "3w", "-1d", "1.5d", "99999wd", "121m"):
        with pytest.raises(ValueError):
            parse_amount(bad)


# --- invariants ------------------------------------------------------------------------------------

days = st.dates(min_value=date(2021, 1, 1), max_value=date(2028, 12, 31))
amounts = st.builds(Amount, st.integers(1, 90), st.sampled_from(["d", "wd", "m"]))


@settings(max_examples=300, deadline=None)
@given(days, st.integers(1, 60))
def test_a_working_day_count_ends_on_a_working_day(start, count):
    end, _ = count_working_days(CALENDAR, start, count, 1)
    assert CALENDAR.is_working_day(end)
    between = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(CALENDAR.is_working_day(d) for d in between) == count


@settings(max_examples=300, deadline=None)
@given(days)
def test_a_forward_roll_never_moves_earlier_and_lands_on_a_working_day(day):
    rolled, _ = roll(CALENDAR, day, "forward")
    assert rolled >= day and CALENDAR.is_working_day(rolled)
    assert all(not CALENDAR.is_working_day(day + timedelta(days=i)) for i in range((rolled - day).days))
    back, _ = roll(CALENDAR, day, "backward")
    assert back <= day and CALENDAR.is_working_day(back)


@settings(max_examples=300, deadline=None)
@given(days, amounts)
def test_the_trigger_day_is_never_counted(start, amount):
    end, _ = shift(CALENDAR, start, amount, 1)
    assert end > start
    before, _ = shift(CALENDAR, start, amount, -1)
    assert before < start
    if amount.unit == "d":
        assert (end - start).days == amount.number  # day 1 is the day after the trigger


@settings(max_examples=200, deadline=None)
@given(days, amounts)
def test_an_after_deadline_is_a_working_day_and_not_before_the_plain_count(start, amount):
    result = due_after_trigger(CALENDAR, start, Deadline("after", amount, "forward")).date
    plain, _ = shift(CALENDAR, start, amount, 1)
    assert CALENDAR.is_working_day(result) and result >= plain
