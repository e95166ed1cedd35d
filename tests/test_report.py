"""The HTML report rendered by a real headless Chromium: its numbers match the audit JSON."""
import json
import re
import shutil
import subprocess

import pytest

from test_audit import PERIOD, audited  # noqa: F401 - the same known-answer ledger

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed and could not be "
                                    "installed from the system packages (.ci/run tries apt-get install chromium)")


def chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120)


@needs_chromium
def test_the_report_renders_with_the_audit_numbers(audited, tmp_path):  # noqa: F811
    result = audited.run("report", *PERIOD, "-o", "bao-cao.html")
    assert result.returncode == 0, result.stderr
    page = audited.root / "bao-cao.html"
    assert "http://" not in page.read_text().replace("http://www.w3.org/2000/svg", "")  # self-contained
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    figures = json.loads(audited.run("audit", "--by", "obligor", *PERIOD, "-f", "json").stdout)["groups"][0]
    for key in ("total", "done", "late", "overdue", "waived", "open"):
        assert re.search(rf'id="fig-{key}">{figures[key]}<', dom), key
    assert 'id="fig-rate">40,0%<' in dom
    bars = dict(re.findall(r'class="bar" data-body="([^"]+)" data-rate="([^"]+)"', dom))
    assert bars == {"ubnd": str(figures["on_time_rate"])}
    late_rows = re.findall(r'<tr class="(late|overdue)" data-id="([^"]+)"', dom)
    assert sorted(late_rows) == [("late", "voter-answer-after/r2"), ("late", "voter-answer-after/r3"),
                                 ("overdue", "voter-answer-after/r4")]
    assert "22/BC-UBND" in dom and 'data-pack="qcph-2021"' in dom and 'data-pack="qcph-2024"' in dom
    # The page says what it is in itself: the workspace, the day, the law, what --known-on left out.
    metas = dict(re.findall(r'<meta name="([^"]+)" content="([^"]*)">', page.read_text(encoding="utf-8")))
    assert metas["hdnd-workspace"].endswith("hdnd.toml") and metas["hdnd-law"] and metas["hdnd-as-of"]
    known = audited.run("report", *PERIOD, "-o", "cu.html", "--known-on", "2024-12-01")
    assert known.returncode == 0, known.stderr
    assert re.search(r'<meta name="hdnd-known-on" content="2024-12-01T23:59:59\+07:00"><meta name="hdnd-left-out" '
                     r'content="\d+">', (audited.root / "cu.html").read_text(encoding="utf-8"))


@needs_chromium
def test_a_screenshot_shows_the_chart_and_it_prints_to_a4(audited, tmp_path):  # noqa: F811
    audited.run("report", *PERIOD, "-o", "bao-cao.html")
    page = (audited.root / "bao-cao.html").as_uri()
    shot, pdf = tmp_path / "report.png", tmp_path / "report.pdf"
    chromium(tmp_path, "--window-size=900,1300", f"--screenshot={shot}", page)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    sizes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data))
    assert sizes and all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in sizes)  # A4


def test_the_report_speaks_the_chosen_language(audited):  # noqa: F811
    assert audited.run("report", *PERIOD, "-o", "report.html", "--lang", "en").returncode == 0
    english = (audited.root / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and "2. On-time rate by body" in english and 'id="fig-rate">40.0%<' in english
    assert "Tỷ lệ đúng hạn" not in english and "Kỳ báo cáo" not in english
    assert audited.run("report", *PERIOD, "-o", "bao-cao.html").returncode == 0
    vietnamese = (audited.root / "bao-cao.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in vietnamese and "Kỳ báo cáo: từ" in vietnamese and "On-time rate" not in vietnamese
