"""`hdnd report`: one self-contained HTML page, in Vietnamese (or English with --lang en), for a Standing Committee's review.

Summary figures, the on-time rate per body as an inline SVG chart (no network), the late and overdue
items with their document numbers, and the rule versions that applied. Prints cleanly to A4.
"""
from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any

from ..engine.audit import audit, figures
from ..model import Workspace
from ..messages import moment_text, phrase, status, vn_date
from ..model import Obligation

STYLE = """
@page { size: A4; margin: 15mm; }
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #111; max-width: 180mm; margin: auto; }
h1 { font-size: 15pt; margin-bottom: 2mm; } h2 { font-size: 12pt; margin-top: 7mm; border-bottom: 1px solid #999; }
.meta { color: #444; }
.figures { display: flex; flex-wrap: wrap; gap: 3mm; }
.figure { border: 1px solid #bbb; border-radius: 2mm; padding: 2mm 4mm; min-width: 22mm; text-align: center; }
.figure b { display: block; font-size: 15pt; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; } tr { page-break-inside: avoid; } .late { color: #a0005a; } .overdue { color: #c00; font-weight: bold; }
svg text { font-family: inherit; font-size: 9pt; }
"""


def report_html(obligations: list[Obligation], workspace: Workspace, start: date, end: date, as_of: date,
                known_on: datetime | None = None, left_out: int = 0, lang: str = "vi",
                offices: list[tuple[str, Workspace, list[Obligation]]] | None = None) -> str:
    total = figures(obligations)
    per_body = audit(obligations, "obligor")
    office = escape(workspace.office.get("name", "hdnd"))
    rate = "—" if total["on_time_rate"] is None else f"{total['on_time_rate']:.1%}"
    rate = rate.replace(".", ",") if lang == "vi" else rate
    cards = [("total", "total"), ("done", "done"), ("late-count", "late"), ("overdue", "overdue"),
             ("waived", "waived"), ("open", "open")]
    figures_html = "".join(f'<div class="figure"><b id="fig-{key}">{total[key]}</b>{phrase(f"report.{label}", lang)}</div>'
                           for label, key in cards)
    figures_html += f'<div class="figure"><b id="fig-rate">{rate}</b>{phrase("report.rate", lang)}</div>'
    known = "" if known_on is None else phrase(
        "report.known-on", lang, known_on=f'<span id="known-on">{moment_text(known_on, lang)}</span>',
        left_out=f'<span id="left-out">{left_out}</span>')
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{phrase("report.title", lang, office=office)}</title>
<style>{STYLE}</style></head><body>
<h1>{phrase("report.heading", lang)}</h1>
<p class="meta">{office}<br>{phrase("report.period", lang, start=start, end=end, as_of=as_of)}{known}.</p>
<h2>{phrase("report.figures", lang)}</h2><div class="figures">{figures_html}</div>
<p>{phrase("report.rate-note", lang)}</p>
<h2>{phrase("report.by-body", lang)}</h2>{_chart(per_body, workspace, lang)}
<h2>{phrase("report.late", lang)}</h2>{_late_table(obligations, workspace, lang)}
<h2>{phrase("report.sources", lang)}</h2>{_sources(obligations, lang)}{_offices(offices, lang) if offices else ""}
<p class="meta">{phrase("report.footer", lang)}</p>
</body></html>
"""


def _chart(groups: list[dict[str, Any]], workspace: Workspace, lang: str) -> str:
    rated = [g for g in groups if g["on_time_rate"] is not None]
    if not rated:
        return f"<p>{phrase('report.nothing-due', lang)}</p>"
    row, label, width = 22, 230, 420
    bars = []
    for index, g in enumerate(rated):
        y, length = index * row + 4, round(g["on_time_rate"] * width)
        name = escape(workspace.body_name(g["key"], lang))
        bars.append(f'<text x="{label - 6}" y="{y + 14}" text-anchor="end">{name}</text>'
                    f'<rect x="{label}" y="{y}" width="{width}" height="16" fill="#eee"/>'
                    f'<rect class="bar" data-body="{escape(g["key"])}" data-rate="{g["on_time_rate"]}" x="{label}" '
                    f'y="{y}" width="{length}" height="16" fill="#2a6fb0"/>'
                    f'<text x="{label + width + 6}" y="{y + 14}">{g["on_time_rate"]:.0%} '
                    f'({g["done"]}/{g["done"] + g["late"] + g["overdue"]})</text>')
    height = len(rated) * row + 8
    return (f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {label + width + 90} '
            f'{height}" role="img" aria-label="{phrase("report.by-body", lang)}">{"".join(bars)}</svg>')


def _late_table(obligations: list[Obligation], workspace: Workspace, lang: str) -> str:
    rows = [o for o in obligations if o.status in ("late", "overdue")]
    if not rows:
        return f"<p>{phrase('report.none-late', lang)}</p>"
    body = []
    for o in sorted(rows, key=lambda o: (o.due, o.id)):
        late = o.days_late if o.status == "late" else -o.days_left
        done = f"{vn_date(o.done.date)} {escape(o.done.ref or '')}" if o.done else phrase("report.not-yet", lang)
        title = (o.title_en or o.title) if lang == "en" else o.title
        extended = "" if o.due == o.original_due else phrase("report.extended", lang)
        body.append(f'<tr class="{o.status}" data-id="{escape(o.id)}"><td>{escape(title)}<br><small>{escape(o.id)}'
                    f'</small></td><td>{escape(workspace.body_name(o.obligor, lang))}</td><td>{vn_date(o.due)}'
                    f'{extended}</td><td>{status(o.status, lang)}</td><td>{done}</td><td>{late}</td></tr>')
    headers = "".join(f"<th>{phrase(f'report.col-{key}', lang)}</th>"
                      for key in ("obligation", "body", "due", "status", "done", "late"))
    return f'<table id="late"><tr>{headers}</tr>{"".join(body)}</table>'


def _sources(obligations: list[Obligation], lang: str) -> str:
    packs: dict[str, list] = {}
    for o in obligations:
        if o.rule:
            packs.setdefault(o.rule.pack.id, [o.rule.pack, set(), 0])
            packs[o.rule.pack.id][1].add(o.rule.id)
            packs[o.rule.pack.id][2] += 1
    manual = sum(1 for o in obligations if o.rule is None)
    items = []
    for pack, rules, count in packs.values():
        span = pack.in_force
        period = f"{vn_date(span.start) if span.start else '…'} - {vn_date(span.end) if span.end else phrase('report.now', lang)}"
        text = phrase("report.pack", lang, title=escape(pack.title), id=escape(pack.id), period=period, count=count,
                      rules=escape(", ".join(sorted(rules))))
        items.append(f'<li data-pack="{escape(pack.id)}">{text}</li>')
    if manual:
        items.append(f"<li>{phrase('report.manual', lang, count=manual)}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _offices(offices: list[tuple[str, Workspace, list[Obligation]]], lang: str) -> str:
    """Section 5 of a province's report: each office's own figures."""
    rows = []
    for office, workspace, obligations in offices:
        total = figures(obligations)
        rate = "—" if total["on_time_rate"] is None else f"{total['on_time_rate']:.1%}"
        rows.append(f'<tr data-office="{escape(office)}"><td>{escape(workspace.office.get("name", office))}<br><small>'
                    f'{escape(office)}</small></td>' + "".join(f'<td class="{key}">{total[key]}</td>'
                                                           for key in ("total", "done", "late", "overdue"))
                    + f'<td class="rate">{rate.replace(".", ",") if lang == "vi" else rate}</td></tr>')
    headers = "".join(f"<th>{phrase(key, lang)}</th>" for key in ("report.col-office", "report.total", "report.done",
                                                                    "report.late-count", "report.overdue", "report.rate"))
    return (f'<h2>{phrase("report.offices", lang)}</h2><table id="offices"><tr>{headers}</tr>{"".join(rows)}</table>')
