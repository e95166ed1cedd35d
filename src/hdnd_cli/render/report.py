"""`hdnd report`: one self-contained HTML page, in Vietnamese, for a Standing Committee's review.

Summary figures, the on-time rate per body as an inline SVG chart (no network), the late and overdue
items with their document numbers, and the rule versions that applied. Prints cleanly to A4.
"""
from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any

from ..engine.audit import audit, figures
from ..model import Workspace
from ..messages import STATUS, moment_text, vn_date
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
                known_on: datetime | None = None, left_out: int = 0) -> str:
    total = figures(obligations)
    per_body = audit(obligations, "obligor")
    office = escape(workspace.office.get("name", "hdnd"))
    rate = "—" if total["on_time_rate"] is None else f"{total['on_time_rate']:.1%}".replace(".", ",")
    cards = [("Tổng số nghĩa vụ", "total"), ("Đúng hạn", "done"), ("Trễ hạn", "late"), ("Quá hạn", "overdue"),
             ("Được miễn", "waived"), ("Chưa đến hạn", "open")]
    figures_html = "".join(f'<div class="figure"><b id="fig-{key}">{total[key]}</b>{label}</div>' for label, key in cards)
    figures_html += f'<div class="figure"><b id="fig-rate">{rate}</b>Tỷ lệ đúng hạn</div>'
    known = "" if known_on is None else (f', theo sổ ghi đến <span id="known-on">{moment_text(known_on, "vi")}</span> '
                                         f'(<span id="left-out">{left_out}</span> mục ghi vào sổ sau thời điểm đó '
                                         f'không được tính)')
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Báo cáo thực hiện nghĩa vụ - {office}</title>
<style>{STYLE}</style></head><body>
<h1>Báo cáo tình hình thực hiện các nghĩa vụ báo cáo, trả lời theo quy định</h1>
<p class="meta">{office}<br>Kỳ báo cáo: từ {vn_date(start)} đến {vn_date(end)} (các nghĩa vụ có hạn trong kỳ);
số liệu tính đến ngày {vn_date(as_of)}{known}.</p>
<h2>1. Số liệu tổng hợp</h2><div class="figures">{figures_html}</div>
<p>Tỷ lệ đúng hạn = số đúng hạn / (đúng hạn + trễ hạn + quá hạn). Nghĩa vụ được gia hạn hợp lệ được tính theo hạn đã gia hạn.</p>
<h2>2. Tỷ lệ đúng hạn theo cơ quan</h2>{_chart(per_body, workspace)}
<h2>3. Các nghĩa vụ trễ hạn và quá hạn</h2>{_late_table(obligations, workspace)}
<h2>4. Quy định áp dụng</h2>{_sources(obligations)}
<p class="meta">Lập bằng hdnd. Hạn được tính theo Bộ luật Dân sự 2015, Điều 147-148 và lịch nghỉ lễ, Tết được công bố.</p>
</body></html>
"""


def _chart(groups: list[dict[str, Any]], workspace: Workspace) -> str:
    rated = [g for g in groups if g["on_time_rate"] is not None]
    if not rated:
        return "<p>Chưa có nghĩa vụ nào đến hạn trong kỳ.</p>"
    row, label, width = 22, 230, 420
    bars = []
    for index, g in enumerate(rated):
        y, length = index * row + 4, round(g["on_time_rate"] * width)
        name = escape(workspace.body_name(g["key"]))
        bars.append(f'<text x="{label - 6}" y="{y + 14}" text-anchor="end">{name}</text>'
                    f'<rect x="{label}" y="{y}" width="{width}" height="16" fill="#eee"/>'
                    f'<rect class="bar" data-body="{escape(g["key"])}" data-rate="{g["on_time_rate"]}" x="{label}" '
                    f'y="{y}" width="{length}" height="16" fill="#2a6fb0"/>'
                    f'<text x="{label + width + 6}" y="{y + 14}">{g["on_time_rate"]:.0%} '
                    f'({g["done"]}/{g["done"] + g["late"] + g["overdue"]})</text>')
    height = len(rated) * row + 8
    return (f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {label + width + 90} '
            f'{height}" role="img" aria-label="Tỷ lệ đúng hạn theo cơ quan">{"".join(bars)}</svg>')


def _late_table(obligations: list[Obligation], workspace: Workspace) -> str:
    rows = [o for o in obligations if o.status in ("late", "overdue")]
    if not rows:
        return "<p>Không có nghĩa vụ trễ hạn hay quá hạn.</p>"
    body = []
    for o in sorted(rows, key=lambda o: (o.due, o.id)):
        late = o.days_late if o.status == "late" else -o.days_left
        done = f"{vn_date(o.done.date)} {escape(o.done.ref or '')}" if o.done else "chưa có"
        body.append(f'<tr class="{o.status}" data-id="{escape(o.id)}"><td>{escape(o.title)}<br><small>{escape(o.id)}'
                    f'</small></td><td>{escape(workspace.body_name(o.obligor))}</td><td>{vn_date(o.due)}'
                    f'{"" if o.due == o.original_due else " (gia hạn)"}</td><td>{STATUS[o.status][0]}</td>'
                    f'<td>{done}</td><td>{late}</td></tr>')
    return ('<table id="late"><tr><th>Nghĩa vụ</th><th>Cơ quan</th><th>Hạn</th><th>Tình trạng</th>'
            f'<th>Văn bản (ngày, số)</th><th>Số ngày trễ</th></tr>{"".join(body)}</table>')


def _sources(obligations: list[Obligation]) -> str:
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
        period = f"{vn_date(span.start) if span.start else '…'} - {vn_date(span.end) if span.end else 'nay'}"
        items.append(f'<li data-pack="{escape(pack.id)}">{escape(pack.title)} [{escape(pack.id)}], hiệu lực '
                     f'{period}: {count} nghĩa vụ ({escape(", ".join(sorted(rules)))})</li>')
    if manual:
        items.append(f"<li>Nghĩa vụ do văn bản ấn định (kết luận giám sát, trả lời chất vấn...): {manual}</li>")
    return f"<ul>{''.join(items)}</ul>"
