"""The benchmark's generated workspaces stay valid, so the figures in docs/performance.md measure real work."""
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run

spec = importlib.util.spec_from_file_location("generate", Path(__file__).parent.parent / "bench" / "generate.py")
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_a_generated_workspace_passes_check_and_has_a_morning(tmp_path, fmt):
    folder = generate.write(tmp_path / fmt, 600, fmt)
    check = run("check", "--as-of", "2026-11-23", cwd=folder)
    assert check.returncode == 0, check.stderr + check.stderr
    assert "600 mục" in check.stdout
    due = run("due", "--as-of", "2026-11-23", "-f", "json", cwd=folder)
    items = json.loads(due.stdout)["items"]
    assert due.returncode == 0 and items  # a morning: open items within the horizon (14 days), overdue first
    assert all(i["status"] in ("overdue", "today", "soon", "open") and i["days_left"] <= 14 for i in items)
    assert [i["due"] for i in items] == sorted(i["due"] for i in items)


def test_the_comparison_data_has_as_many_tasks_and_reminders(tmp_path):
    generate.write_taskwarrior(tmp_path / "task", 400)
    generate.write_remind(tmp_path / "remind", 400)
    tasks = (tmp_path / "task" / "pending.data").read_text(encoding="utf-8").splitlines()
    reminders = (tmp_path / "remind" / "reminders.rem").read_text(encoding="utf-8").splitlines()
    assert len(tasks) == len(reminders) == 400
    assert all(line.startswith("[description:") and 'status:"' in line for line in tasks)
    assert all(line.startswith("REM ") and " MSG " in line for line in reminders)


def test_the_floor_of_a_loop_over_columns_agrees_with_the_engine(tmp_path):
    """`bench/floor.py` computes one rule as a loop over columns and stops if any due date or status
    differs from the engine's; its memory figures count the same ledger both ways."""
    folder = generate.write(tmp_path / "json", 3000, "json")
    done = subprocess.run([sys.executable, str(Path(__file__).parent.parent / "bench" / "floor.py"), str(folder)],
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert "the same due dates and statuses: True" in done.stdout
    records, table, shown_only = (float(n) for n in re.findall(r"([\d.]+) MiB", done.stdout))
    assert records > table > shown_only > 0
