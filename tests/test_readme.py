"""The README as a newcomer follows it: every fenced block is checked against the installed hdnd, so
what it shows is what hdnd does (as sqlite-utils tests its documentation).

Each block is claimed by one check below, by its language and its first line; a block no check claims
fails `test_every_block_is_checked`, so a new block cannot go unchecked.
"""
from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest

from conftest import run
from hdnd_cli.parse.config import parse_config
from hdnd_cli.parse.ledger import parse_ledger

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```", README, re.S | re.M)
MORNING = {"HDND_NOW": "2026-11-23T08:00"}  # the day the README's example views were taken


def blocks(language: str, starts: str = "") -> list[str]:
    return [text for lang, text in BLOCKS if lang == language and text.startswith(starts)]


# Where each block is checked: here, or by the test named (which runs it line by line).
CHECKED = {
    ("sh", "python3 -m venv"): "test_the_first_commands_are_what_ci_runs",
    ("sh", "hdnd add session"): "test_national.test_the_readme_recipes_work_in_a_fresh_province_workspace",
    ("sh", "hdnd set "): "test_the_corrections_run_in_order",
    ("", "Văn phòng Đoàn ĐBQH"): "test_the_morning_view_is_what_hdnd_shows",
    ("", "$ hdnd "): "test_a_shown_command_prints_what_is_shown",
    ("", "hdnd.toml "): "test_the_workspace_layout_is_what_init_makes",
    ("toml", ""): "test_settings_blocks_are_read_without_a_problem",
    ("yaml", ""): "test_the_ledger_block_is_read_without_a_problem",
    ("json", ""): "test_the_json_blocks_are_json",
    ("cron", ""): "test_scheduled_jobs_name_real_commands",
    ("ini", ""): "test_scheduled_jobs_name_real_commands",
    ("python", ""): "test_api.test_the_readme_section_runs_as_written_and_agrees_with_the_command_line",
}


def test_every_block_is_checked():
    unclaimed = [f"```{lang} {text.splitlines()[0] if text else ''}" for lang, text in BLOCKS
                 if not any(lang == language and text.startswith(starts) for language, starts in CHECKED)]
    assert len(BLOCKS) > 15 and unclaimed == []


def test_the_first_commands_are_what_ci_runs():
    install, tests = blocks("sh", "python3 -m venv")[0].splitlines()
    assert "pip install -e '.[test]'" in install and install.endswith("hdnd due --example")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install" in ci and "-e" in ci and tests.removeprefix(".venv/bin/") in ci


def test_the_corrections_run_in_order(tmp_path):
    """"Records are corrected by new entries": the block's three lines, in the example office, with a
    completion to void and a complaint entered twice added to its ledger."""
    import shutil

    from hdnd_cli.storage.bundled import example_config

    office = tmp_path / "vi-du"
    shutil.copytree(example_config().parent, office)
    config = office / "hdnd.toml"  # the seed pack it names from hdnd's own folder, found from the copy
    seed = (example_config().parent / "../../rules").resolve().as_posix()
    config.write_text(config.read_text(encoding="utf-8").replace('"../../rules/', f'"{seed}/'), encoding="utf-8")
    (office / "data" / "sua.yaml").write_text(
        "- {kind: done, obligation: voter-answer-before/txct-2026-11-truoc, date: 2026-11-20}\n"
        "- {id: kn-2026-004, kind: complaint, date: 2026-11-16}\n", encoding="utf-8")
    for line in blocks("sh", "hdnd set ")[0].splitlines():
        args = shlex.split(line)
        result = run(*args[1:], cwd=office, env=MORNING)
        assert args[0] == "hdnd" and result.returncode == 0, (line, result.stderr)
    assert run("check", cwd=office, env=MORNING).returncode == 0


def test_the_morning_view_is_what_hdnd_shows():
    """Each obligation the README's morning shows: its status, due date, days and id, as hdnd prints them."""
    shown = blocks("", "Văn phòng Đoàn ĐBQH")[0].splitlines()
    result = run("due", "--example", env=MORNING)
    assert result.returncode == 0 and result.stdout.splitlines()[0] == shown[0]
    rows = [line for line in shown[2:] if line[:1].strip() and line != "…"]  # a row's first line: its status
    printed = {line.split()[-1]: line for line in result.stdout.splitlines()[2:]}  # plain rows: the id last
    ids = [line.strip() for line in shown[2:] if line.strip() in printed]
    assert len(rows) == len(ids) > 5, (rows, ids)
    for row, id_ in zip(rows, ids):
        status, due, days = re.match(r"(\S+(?: \S+)*?)\s{2,}(\d\d/\d\d/\d{4})\s+(\S+(?: \S+)*?)\s{2,}", row).groups()
        assert re.match(rf"{re.escape(status)}\s+{re.escape(due)}\s+{re.escape(days)}\s", printed[id_]), (row, printed[id_])


def test_a_shown_command_prints_what_is_shown():
    """A `$ hdnd ...` block: the command's output, line by line; `…` stands for what the README leaves out."""
    for block in blocks("", "$ hdnd "):
        command, *expected = block.splitlines()
        result = run(*shlex.split(command)[2:], env=MORNING)
        assert result.returncode == 0, result.stderr
        printed = result.stdout.splitlines()
        assert len(printed) == len(expected), (printed, expected)
        for want, got in zip(expected, printed):
            pattern = ".*".join(re.escape(part) for part in want.split("…"))
            assert re.fullmatch(pattern, got), (want, got)


def test_the_workspace_layout_is_what_init_makes(tmp_path):
    layout = blocks("", "hdnd.toml ")[0]
    assert run("init", "xa", "--level", "commune", cwd=tmp_path, env=MORNING).returncode == 0
    made = tmp_path / "xa"
    assert (made / "hdnd.toml").is_file() and (made / "rules").is_dir() and (made / "data").is_dir()
    assert all(name in layout for name in ("hdnd.toml", "rules/*.toml", "data/"))


@pytest.mark.parametrize("text", blocks("toml"), ids=[t.splitlines()[0][:40] for t in blocks("toml")])
def test_settings_blocks_are_read_without_a_problem(text):
    """Every TOML block is a rule pack or hdnd.toml (one table or several), read as hdnd reads it."""
    from hdnd_cli.parse.rules import parse_pack

    tomllib.loads(text)
    if "[source]" in text:
        _, rules, problems = parse_pack(text, "README.toml")
        assert rules and problems == [], problems
    else:
        assert parse_config(text, Path("hdnd.toml"), "README")[1] == []


def test_the_ledger_block_is_read_without_a_problem():
    for text in blocks("yaml"):
        entries, problems = parse_ledger(text, "README.yaml")
        assert entries and problems == []


def test_the_json_blocks_are_json():
    for text in blocks("json"):
        json.loads(text)


def test_scheduled_jobs_name_real_commands():
    named = {word for text in blocks("cron") + blocks("ini")
             for word in re.findall(r"hdnd (\w+)", text)}
    assert named >= {"overdue", "notify", "ics"}
    for command in named:
        assert run(command, "--help").returncode == 0, command
