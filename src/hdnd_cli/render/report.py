"""`hdnd report`: one self-contained HTML page, in Vietnamese (or English with --lang en), for a Standing Committee's review.

Summary figures, the on-time rate per body as an inline SVG chart (no network), the late and overdue
items with their document numbers, and the rule versions that applied. Prints cleanly to A4.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from html import escape
from typing import Any, NamedTuple

from ..engine.audit import audit, figures
from ..messages import moment_text, phrase, status, vn_date
from ..model import Obligation, Pack, Workspace

STYLE = """
@page { size: A4; margin: 15mm; }
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #111; max-width: 180mm; margin: auto; }
h1 { font-size: 15pt; margin-bottom: 2mm; } h2 { font-size: 12pt; margin-top: 7mm; border-bottom: 1px solid #999; }
.meta { color: #444; } #number { white-space: pre; }
.letterhead, .signature { width: 100%; border: none; margin-bottom: 4mm; } .letterhead td, .signature td { border: none; text-align: center; width: 50%; }
.letterhead td:first-child { width: 42%; } .upper { text-transform: none; } .bold { font-weight: bold; } .italic { font-style: italic; }
.rule { width: 30mm; border-top: 1px solid #111; margin: 1mm auto 2mm; }
.doc-title { text-align: center; font-weight: bold; font-size: 14pt; margin-top: 5mm; } .doc-subject { text-align: center; font-weight: bold; margin-bottom: 5mm; }
.signature .recipients { text-align: left; font-size: 9.5pt; vertical-align: top; } .sign-space { height: 22mm; }
.figures { display: flex; flex-wrap: wrap; gap: 3mm; }
.figure { border: 1px solid #bbb; border-radius: 2mm; padding: 2mm 4mm; min-width: 22mm; text-align: center; }
.figure b { display: block; font-size: 15pt; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; } tr { page-break-inside: avoid; } .late { color: #a0005a; } .overdue { color: #c00; font-weight: bold; }
svg text { font-family: inherit; font-size: 9pt; }
"""


class Header(NamedTuple):
    """The parts of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I) the report carries."""

    parent: str  # the body above the issuer, or ""
    issuer: str
    number: str  # "Số: 12/BC-HĐND", or with a blank for the office to fill
    place_date: str  # "Tam Kỳ, ngày 05 tháng 02 năm 2026"
    subject: str  # the trích yếu
    recipients: list[str]
    signer_title: list[str]
    signer: str


def header(workspace: Workspace, start: date, end: date, lang: str, so: str | None, today: date) -> Header:
    """The document's header and signature from `[office]`; what is not set is left blank to fill in."""
    office = workspace.settings.office
    abbreviation = office.get("abbreviation", "")
    number = so or (f"      /BC-{abbreviation}" if abbreviation else "      /BC-")
    day = f"{today.day:02d}"
    month = f"{today.month:02d}" if today.month < 3 else str(today.month)  # the decree: 05, and months 01 and 02
    place_date = phrase("doc.place-date", lang, place=office.get("place", "…………"), day=day, month=month,
                        year=today.year)
    recipients = office.get("recipients") or [phrase("doc.as-above", lang), phrase("doc.archive", lang)]
    title = office.get("signer_title", "")
    return Header(office.get("parent", ""), office.get("issuer") or office.get("name", "hdnd"),
                  phrase("doc.number", lang, number=number), place_date,
                  phrase("doc.subject", lang, start=start, end=end), list(recipients),
                  title.splitlines() if title else [phrase("doc.signer-title", lang)], office.get("signer", ""))


def _header_html(head: Header, lang: str) -> str:
    parent = f'<div class="upper">{escape(head.parent.upper())}</div>' if head.parent else ""
    return (f'<table class="letterhead" id="letterhead"><tr><td>{parent}<div class="upper bold">'
            f'{escape(head.issuer.upper())}</div><div class="rule"></div><div id="number">{escape(head.number)}</div></td>'
            f'<td><div class="upper bold">{phrase("doc.nation", lang)}</div><div class="bold">{phrase("doc.motto", lang)}'
            f'</div><div class="rule"></div><div class="italic" id="place-date">{escape(head.place_date)}</div></td></tr>'
            f'</table><div class="doc-title">{phrase("doc.title", lang)}</div>'
            f'<div class="doc-subject">{escape(head.subject)}</div>')


def _footer_html(head: Header, lang: str) -> str:
    recipients = "".join(f"<div>{escape(r)}</div>" for r in head.recipients)
    signer = "".join(f'<div class="upper bold">{escape(line)}</div>' for line in head.signer_title)
    return (f'<table class="signature" id="signature"><tr><td class="recipients"><div class="bold italic">'
            f'{phrase("doc.recipients", lang)}</div>{recipients}</td><td>{signer}<div class="sign-space"></div>'
            f'<div class="bold">{escape(head.signer)}</div></td></tr></table>')


def report_html(obligations: list[Obligation], workspace: Workspace, start: date, end: date, as_of: date,
                known_on: datetime | None = None, left_out: int = 0, lang: str = "vi",
                offices: list[tuple[str, Workspace, list[Obligation]]] | None = None, so: str | None = None,
                today: date | None = None) -> str:
    head = header(workspace, start, end, lang, so, today or as_of)
    total = figures(obligations)
    per_body = audit(obligations, "obligor")
    office = escape(workspace.settings.office.get("name", "hdnd"))
    rate = rate_text(total["on_time_rate"], lang)
    cards = [("total", "total"), ("done", "done"), ("late-count", "late"), ("overdue", "overdue"),
             ("waived", "waived"), ("open", "open")]
    figures_html = "".join(f'<div class="figure"><b id="fig-{key}">{total[key]}</b>{phrase(f"report.{label}", lang)}</div>'
                           for label, key in cards)
    figures_html += f'<div class="figure"><b id="fig-rate">{rate}</b>{phrase("report.rate", lang)}</div>'
    known = "" if known_on is None else phrase(
        "report.known-on", lang, known_on=f'<span id="known-on">{moment_text(known_on, lang)}</span>',
        left_out=f'<span id="left-out">{left_out}</span>')
    about = {"generator": "hdnd", "hdnd-workspace": str(workspace.settings.config_file.resolve()),
             "hdnd-as-of": as_of.isoformat(), "hdnd-law": workspace.law.version,
             **({"hdnd-known-on": known_on.isoformat(), "hdnd-left-out": str(left_out)} if known_on else {})}
    metas = "".join(f'<meta name="{name}" content="{escape(value)}">' for name, value in about.items())
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">{metas}<title>{phrase("report.title", lang, office=office)}</title>
<style>{STYLE}</style></head><body>
{_header_html(head, lang)}
<p class="meta">{phrase("report.period", lang, start=start, end=end, as_of=as_of, law=workspace.law.version)}{known}.</p>
<h2>{phrase("report.figures", lang)}</h2><div class="figures">{figures_html}</div>
<p>{phrase("report.rate-note", lang)}</p>
<h2>{phrase("report.by-body", lang)}</h2>{_chart(per_body, workspace, lang)}
<h2>{phrase("report.late", lang)}</h2>{_late_table(obligations, workspace, lang)}
<h2>{phrase("report.sources", lang)}</h2>{_sources_html(obligations, lang)}{_offices(offices, lang) if offices else ""}
<p class="meta">{phrase("report.footer", lang)}</p>
{_footer_html(head, lang)}
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
        late = o.days_late if o.status == "late" else -(o.days_left or 0)  # overdue: a count, never None
        done = f"{vn_date(o.done.date)} {escape(o.done.ref or '')}" if o.done else phrase("report.not-yet", lang)
        title = (o.title_en or o.title) if lang == "en" else o.title
        extended = "" if o.due == o.original_due else phrase("report.extended", lang)
        body.append(f'<tr class="{o.status}" data-id="{escape(o.id)}"><td>{escape(title)}<br><small>{escape(o.id)}'
                    f'</small></td><td>{escape(workspace.body_name(o.obligor, lang))}</td><td>{vn_date(o.due)}'
                    f'{extended}</td><td>{status(o.status, lang)}</td><td>{done}</td><td>{late}</td></tr>')
    headers = "".join(f"<th>{phrase(f'report.col-{key}', lang)}</th>"
                      for key in ("obligation", "body", "due", "status", "done", "late"))
    return f'<table id="late"><tr>{headers}</tr>{"".join(body)}</table>'


def sources(obligations: list[Obligation], lang: str) -> list[str]:
    """Section 4: each rule pack that applied, its period, how many obligations and which rules (by
    title), then the obligations documents set."""
    return [text for _, text in _sources(obligations, lang)]


def _sources(obligations: list[Obligation], lang: str) -> list[tuple[str | None, str]]:
    packs: dict[str, Pack] = {}
    titles: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for o in obligations:
        if o.rule:
            pack = packs.setdefault(o.rule.pack.id, o.rule.pack)
            titles.setdefault(pack.id, set()).add((o.rule.title_en or o.rule.title) if lang == "en" else o.rule.title)
            counts[pack.id] += 1
    found: list[tuple[str | None, str]] = []
    for pack in packs.values():
        rules, count = titles[pack.id], counts[pack.id]
        span = pack.in_force
        period = f"{vn_date(span.start) if span.start else '…'} - {vn_date(span.end) if span.end else phrase('report.now', lang)}"
        found.append((pack.id, phrase("report.pack", lang, title=pack.title, period=period, count=count,
                                      rules="; ".join(sorted(rules)))))
    manual = sum(1 for o in obligations if o.rule is None)
    if manual:
        found.append((None, phrase("report.manual", lang, count=manual)))
    return found


def _sources_html(obligations: list[Obligation], lang: str) -> str:
    items = [f'<li data-pack="{escape(pack)}">{escape(text)}</li>' if pack else f"<li>{escape(text)}</li>"
             for pack, text in _sources(obligations, lang)]
    return f"<ul>{''.join(items)}</ul>"


def _offices(offices: list[tuple[str, Workspace, list[Obligation]]], lang: str) -> str:
    """Section 5 of a province's report: each office's own figures."""
    rows = []
    for office, workspace, obligations in offices:
        total = figures(obligations)
        rate = rate_text(total["on_time_rate"], lang)
        rows.append(f'<tr data-office="{escape(office)}"><td>{escape(workspace.settings.office.get("name", office))}<br><small>'
                    f'{escape(office)}</small></td>' + "".join(
                        f'<td class="{key if total[key] else "zero"}">{total[key]}</td>'  # a zero is not coloured as a fault
                        for key in ("total", "done", "late", "overdue"))
                    + f'<td class="rate">{rate}</td></tr>')
    headers = "".join(f"<th>{phrase(key, lang)}</th>" for key in ("report.col-office", "report.total", "report.done",
                                                                    "report.late-count", "report.overdue", "report.rate"))
    return (f'<h2>{phrase("report.offices", lang)}</h2><table id="offices"><tr>{headers}</tr>{"".join(rows)}</table>')


def rate_text(rate: float | None, lang: str) -> str:
    """An on-time rate as a reader writes it: 72,0% in Vietnamese, 72.0% in English, — when nothing was judged."""
    if rate is None:
        return "—"
    text = f"{rate:.1%}"
    return text.replace(".", ",") if lang == "vi" else text
