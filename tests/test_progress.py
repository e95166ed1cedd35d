"""Long work shows progress on stderr, only on a terminal and only once it has taken a while."""
from test_cli import run_in_terminal

LEDGER = "".join(f"- {{id: p{n}, kind: petition, date: 2026-03-02}}\n" for n in range(200))


def test_a_long_read_shows_progress_on_a_terminal_and_nothing_through_a_pipe(ws):
    ws.ledger(LEDGER)
    shown = run_in_terminal("due", "--all", cwd=ws.root, env={"HDND_PROGRESS_AFTER": "0", "HDND_NO_CACHE": "1"})
    assert "Đang đọc sổ" in shown
    quick = run_in_terminal("due", "--all", cwd=ws.root, env={"HDND_NO_CACHE": "1"})  # under two seconds
    assert "Đang đọc sổ" not in quick
    piped = ws.run("due", "--all", env={"HDND_PROGRESS_AFTER": "0", "HDND_NO_CACHE": "1"})
    assert piped.returncode in (0, 2) and "Đang đọc sổ" not in piped.stderr + piped.stdout
    bad = ws.run("due", env={"HDND_PROGRESS_AFTER": "soon"})
    assert bad.returncode == 2 and "HDND_PROGRESS_AFTER" in bad.stderr


def test_the_computation_after_a_long_read_shows_its_own_progress(ws):
    ws.rules("""
        [[rules]]
        id = "answer"
        title = "Trả lời kiến nghị"
        obligor = "ubnd"
        trigger = { event = "petition" }
        deadline = { after = "10d" }
        """)
    ws.ledger(LEDGER)
    shown = run_in_terminal("due", "--all", cwd=ws.root, env={"HDND_PROGRESS_AFTER": "0", "HDND_NO_CACHE": "1"})
    assert "Đang tính các nghĩa vụ" in shown
    kept = run_in_terminal("due", cwd=ws.root, env={"HDND_PROGRESS_AFTER": "0"})  # a full run, kept
    assert "Đang tính các nghĩa vụ" in kept
    piped = ws.run("check", env={"HDND_PROGRESS_AFTER": "0", "HDND_NO_CACHE": "1"})
    assert "Đang tính" not in piped.stderr + piped.stdout
