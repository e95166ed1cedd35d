"""Reading a regulation for its deadlines: the sentences of `hdnd rules draft`.

A Council's working rules and coordination regulations state their deadlines in a few formulaic
ways: "chậm nhất 20 ngày kể từ sau kỳ họp", "trước khi khai mạc kỳ họp ít nhất 01 (một) ngày",
"trong vòng 30 ngày", "Định kỳ hằng năm (chậm nhất ngày 30/11)", "trước ngày 25 của tháng cuối
quý", "ít nhất 02 cuộc làm việc" each year. `drafts(text, words)` finds each one and says what the
words say (the period, its unit and direction, the schedule, the count) and what it only proposes
from them (the event counted from, the bodies), for a person to confirm.

The text is matched folded (no case, no diacritics), one character for one, so offices' texts with
or without diacritics read the same and every match maps back to the original words. The vocabulary
(numbers, units, bodies, events) is data: `data/drafting.toml`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..model import UserError


@dataclass
class Draft:
    """One deadline the text states; `guessed` lists what was proposed rather than read."""
    quote: str
    basis: str
    line: int
    deadline: dict[str, str] | None = None  # {"after": "30d"}
    schedule: dict[str, Any] | None = None  # {"every": "year", "month": 11, "day": 30, "roll": "forward"}
    requires: dict[str, Any] | None = None  # {"count": 2, "event": "working-meeting"}
    trigger: dict[str, Any] | None = None  # {"event": "session", "date": "ends", "where": {...}}
    obligor: str = "?"
    recipient: str | None = None
    guessed: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # the same deadline stated again elsewhere

    @property
    def what(self) -> tuple[str, ...]:
        """What the deadline is, to tell a repeated statement from a new one."""
        return (repr(self.deadline), repr(self.schedule), repr(self.requires), repr(self.trigger), self.obligor)


def fold_each(text: str) -> str:
    """Lower case without diacritics, one character for one: 'Ủy ban' -> 'uy ban'."""
    return "".join(_fold_char(c) for c in text)


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[0].lower()
    return base if len(base) == 1 else c


# --- the text's structure: headings, sentences -----------------------------------------------------

ARTICLE = re.compile(r"(?:dieu)\s+(\d+)\b")
ROMAN = re.compile(r"([ivxl]+)\.\s")
NUMBERED = re.compile(r"(\d{1,2}(?:\.\d{1,2})*)[.)]\s")
POINT = re.compile(r"([a-z])\)\s")
BULLET = re.compile(r"[-–•+*]\s")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ\"“(])|(?<=\.)\s*$")


@dataclass
class _Place:
    article: str = ""
    clause: str = ""
    point: str = ""
    roman: str = ""
    numbered: str = ""

    def basis(self) -> str:
        if self.article:
            return " ".join(x for x in (f"Điều {self.article}", self.clause and f"khoản {self.clause}",
                                        self.point and f"điểm {self.point}") if x)
        parts = [p for p in (self.roman, self.numbered) if p]
        return f"Mục {'.'.join(parts)}" if parts else ""


@dataclass
class _Segment:
    text: str
    basis: str
    starts: list[tuple[int, int]]  # (offset in text, line number) of each joined line

    def line_at(self, offset: int) -> int:
        import bisect

        return self.starts[bisect.bisect_right(self.starts, (offset, float("inf"))) - 1][1]


def _segments(text: str) -> list[_Segment]:
    """Each paragraph-like run of the text, with the heading it sits under: a heading, a numbered
    item, a bullet or a blank line after a sentence's end starts a new one; a line broken
    mid-sentence (as PDFs and OCR give them) is joined to the one before."""
    place = _Place()
    segments: list[_Segment] = []
    current: list[str] = []
    starts: list[tuple[int, int]] = []
    basis = ""
    titled = False  # the segment so far is an article's heading line ("Điều 8. Trả lời kiến nghị")

    length = 0  # of the segment so far, joined: kept as it grows (summing it each line was quadratic)

    def close() -> None:
        nonlocal length
        if current:
            segments.append(_Segment(" ".join(current), basis, list(starts)))
            current.clear()
            starts.clear()
            length = 0

    for number, raw in enumerate(text.splitlines(), 1):
        line = " ".join(raw.split())
        if not line:
            if current and current[-1].endswith((".", ":", ";")):
                close()
            continue
        folded = fold_each(line) + " "
        heading = True
        if match := ARTICLE.match(folded):
            place = _Place(article=match.group(1))
        elif (match := ROMAN.match(folded)) and place.article == "":
            place.roman, place.numbered = match.group(1).upper(), ""
        elif match := NUMBERED.match(folded):
            if place.article:
                place.clause, place.point = match.group(1), ""
            else:
                place.numbered = match.group(1)
        elif match := POINT.match(folded):
            place.point = match.group(1)
        elif BULLET.match(folded):
            pass
        else:
            heading = False
        if heading or not current or (titled and line[:1].isupper()):  # the article's words begin under its title
            close()
            basis = place.basis()
        titled = bool(ARTICLE.match(folded)) and not line.endswith((".", ":", ";"))
        starts.append((length, number))
        current.append(line)
        length += len(line) + 1
    close()
    return segments


SENTENCE_LIMIT = 1200  # characters: a deadline is stated in far fewer; a longer run (a text without full
# stops, a table of numbers) is read in pieces of this size, so the work grows with the text, not its square


def _sentences(segment: str) -> list[tuple[int, str]]:
    """(offset, sentence) for each sentence of a segment, a very long one in pieces cut at a space."""
    found, begin = [], 0
    for match in SENTENCE_END.finditer(segment):
        found += _pieces(begin, segment[begin:match.start()])
        begin = match.end()
    if segment[begin:].strip():
        found += _pieces(begin, segment[begin:])
    return found


def _pieces(offset: int, sentence: str) -> list[tuple[int, str]]:
    pieces = []
    while len(sentence) > SENTENCE_LIMIT:
        cut = sentence.rfind(" ", 0, SENTENCE_LIMIT) + 1 or SENTENCE_LIMIT
        pieces.append((offset, sentence[:cut]))
        offset, sentence = offset + cut, sentence[cut:]
    return [*pieces, (offset, sentence)]


DOCUMENT_KINDS = ("quy che", "quy dinh", "quyet dinh", "nghi quyet", "ke hoach", "huong dan", "chuong trinh")


def document_title(text: str) -> str | None:
    """A regulation's title as its first page gives it under the letterhead: the kind of document on a
    line of its own ("QUY CHẾ") and the line after it ("Phối hợp công tác giữa ...") -> "Quy chế phối
    hợp công tác giữa ..."; None when the text has no such line."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    for kind, subject in zip(lines, lines[1:]):
        if kind.isupper() and fold_each(kind).rstrip(":") in DOCUMENT_KINDS:
            return f"{kind.capitalize()} {subject[:1].lower()}{subject[1:]}"
    return None


# --- the vocabulary --------------------------------------------------------------------------------

class Words:
    """data/drafting.toml, compiled: each phrase a word-bounded pattern over folded text."""

    def __init__(self, data: dict[str, Any]):
        self.numbers: dict[str, int] = data["numbers"]
        number_word = "|".join(sorted(self.numbers, key=len, reverse=True))
        units = sorted(data["units"], key=len, reverse=True)
        self.units: dict[str, str] = data["units"]
        self.period = re.compile(
            rf"\b(?P<digits>\d{{1,3}})?(?:\s*\((?P<spelled>[^)]*)\))?\s*"
            rf"(?P<words>(?:(?:{number_word})\s+)*)(?P<unit>{'|'.join(units)})\b")
        self.number_words = re.compile(rf"\b(?:{number_word})\b")
        self.bodies = _phrases(data["bodies"])
        self.recipient_markers = set(data["recipient_markers"])
        self.events = [(_pattern(words), event) for event in data["events"] for words in event["words"]]
        self.events.sort(key=lambda item: -len(item[0].pattern))
        self.event_order = [(_pattern(words), event) for event in data["events"] for words in event["words"]]
        self.facts = [(_pattern(words), fact) for fact in data["facts"] for words in fact["words"]]
        self.counted = _phrases(data["counted"])
        self.conditional = [_pattern(words) for words in data["conditional"]]


def _pattern(words: str) -> re.Pattern[str]:
    return re.compile(r"\b" + r"\s+".join(map(re.escape, words.split())) + r"\b")


def _phrases(table: dict[str, str]) -> list[tuple[re.Pattern[str], str, str]]:
    return [(_pattern(words), value, words) for words, value in sorted(table.items(), key=lambda kv: -len(kv[0]))]


# --- deadlines -------------------------------------------------------------------------------------

AFTER_CUES = re.compile(r"\s*(?:ke tu sau|ke tu|tinh tu|sau khi|sau)\b")
BEFORE_CUE = re.compile(r"\s*truoc\b")
WITHIN = re.compile(r"\b(?:trong vong|trong thoi han|cham nhat)\s*$")
BEFORE_WORD = re.compile(r"\btruoc\b(?:\s+khi)?")
CLAUSE_CUT = re.compile(r"[,;(:]|\bva\b|\bhoac\b")
EVERY = {"nam": "year", "quy": "quarter", "thang": "month", "tuan": "week"}
PERIODIC = re.compile(r"\b(?:hang|moi)\s+(nam|quy|thang|tuan)\b|\bdinh ky\s+(nam|quy|thang|tuan)\b")
LATEST_DAY = re.compile(r"\bcham nhat\s+(?:la\s+)?(?:vao\s+)?ngay\s+(\d{1,2})(?:\s*[/.-]\s*(\d{1,2})|\s+thang\s+(\d{1,2}))?"
                        r"(?!\s*[/.-]\s*\d)(?!\s+nam\s+\d)")
BEFORE_DAY = re.compile(r"\btruoc\s+ngay\s+(\d{1,2})(?:\s*[/.-]\s*(\d{1,2})|\s+thang\s+(\d{1,2}))?"
                        r"(?!\s*[/.-]\s*\d)(?!\s+nam\s+\d)")
ON_DAY = re.compile(r"\bvao\s+ngay\s+(\d{1,2})(?:\s*[/.-]\s*(\d{1,2})|\s+thang\s+(\d{1,2}))?"
                    r"(?!\s*[/.-]\s*\d)(?!\s+nam\s+\d)")
LAST_DAY = re.compile(r"\bcham nhat\s+(?:la\s+)?(?:vao\s+)?ngay\s+cuoi(?:\s+cung)?(?:\s+cua)?\s+(thang|quy|nam)\b")
QUARTER_MONTH = re.compile(r"\bthang\s+(cuoi|dau|giua|thu hai cua)\s+(?:moi\s+)?quy\b")
AT_LEAST = re.compile(r"\bit nhat\s+(\d{1,3})(?:\s*\([^)]*\))?\s+")


MAX_DRAFTS = 2000  # deadlines in one text: a regulation states tens; past this it is not one


def drafts(text: str, words: Words) -> list[Draft]:
    """Every deadline the text states, in its order; a deadline stated twice is one draft."""
    found: list[Draft] = []
    for segment in _segments(unicodedata.normalize("NFC", text)):
        subject = None  # the item's: "1. Ủy ban nhân dân tỉnh chỉ đạo ... Định kỳ hằng năm ... báo cáo"
        for offset, sentence in _sentences(segment.text):
            folded = fold_each(sentence)
            own = _subject(folded, words)
            subject = subject or own
            if any(p.search(folded) for p in words.conditional):
                continue
            for at, draft in _read(sentence, folded, words):
                if len(found) >= MAX_DRAFTS:
                    raise UserError("draft-too-many", count=MAX_DRAFTS)
                draft.basis, draft.line = segment.basis, segment.line_at(offset + at)
                clause = folded[:at].rfind(":") + 1  # "... trước kỳ họp: UBND huyện tiếp nhận ..."
                obligor = (clause and _subject(folded[clause:], words)) or own or subject
                draft.obligor = obligor[0] if obligor else "?"
                if obligor:
                    draft.guessed.append(f"obligor: «{obligor[1]}» → {obligor[0]}")
                recipient = _recipient(folded[clause:], words)
                if recipient:
                    draft.recipient = recipient[0]
                    draft.guessed.append(f"recipient: «{recipient[1]}» → {recipient[0]}")
                found.append(draft)
    return _merge(found)


def _merge(found: list[Draft]) -> list[Draft]:
    """One draft per deadline: a repetition (a preamble quoting the item below) joins the first
    statement that sits under a heading."""
    kept: dict[tuple[str, ...], Draft] = {}
    for draft in found:
        first = kept.get(draft.what)
        if first is None:
            kept[draft.what] = draft
        elif not first.basis and draft.basis:
            draft.also.append(first.quote)
            kept[draft.what] = draft
        else:
            first.also.append(draft.quote)
    return sorted(kept.values(), key=lambda d: d.line)


def _read(sentence: str, folded: str, words: Words) -> list[tuple[int, Draft]]:
    """(offset, draft) for each deadline the sentence states."""
    out = []
    for match in words.period.finditer(folded):
        count = _count(match, words)
        if count is None or re.search(r"\bngay\s*$", folded[:match.start()]):
            continue  # "trước ngày 15 tháng 12" names a day, not a period
        direction, anchor = _direction(folded, match)
        if direction is None:
            continue
        unit = words.units[match.group("unit")]
        amount = f"{count * 7}d" if unit == "w" else f"{count}{unit}"
        draft = Draft(_quote(sentence), "", 0, deadline={direction: amount})
        draft.trigger = _trigger(folded, anchor, match, words)
        out.append((match.start(), draft))
    periodic = _periodic(folded)
    for fixed in (_latest_day(folded, periodic), _before_day(folded, periodic)):
        if fixed:
            out.append((fixed.pop("at"), Draft(_quote(sentence), "", 0, schedule=fixed)))
    if periodic:
        for match in AT_LEAST.finditer(folded):
            rest = folded[match.end():]
            counted = next(((value, phrase) for pattern, value, phrase in words.counted
                            if pattern.match(rest)), None)
            if counted is None:
                continue
            schedule = {"every": periodic, **({"month": 12, "day": 31} if periodic == "year" else
                                               {"month": 3, "day": -1} if periodic == "quarter" else {"day": -1})}
            requires = {"count": int(match.group(1)), "event": counted[0]}
            draft = Draft(_quote(sentence), "", 0, schedule=schedule, requires=requires)
            if counted[0] != "?":
                draft.guessed.append(f"requires.event: «{counted[1]}» → {counted[0]}")
            out.append((match.start(), draft))
    return out


def _count(match: re.Match[str], words: Words) -> int | None:
    if match.group("digits"):
        return int(match.group("digits"))
    spoken = (match.group("words") or "").split()
    if not spoken:
        return None
    total = 0
    for word in spoken:
        value = words.numbers[word]
        total = (total or 1) * 10 if value == 10 else total + value
    return total or None


def _direction(folded: str, match: re.Match[str]) -> tuple[str | None, str]:
    """'after' or 'before', and the words naming what it counts from (the anchor)."""
    after = folded[match.end():match.end() + 80]
    if AFTER_CUES.match(after):
        return "after", _clause(after)
    if cue := BEFORE_CUE.match(after):
        return "before", _clause(after[cue.end():])
    before = CLAUSE_CUT.split(folded[max(0, match.start() - 120):match.start()])[-1]
    if cues := list(BEFORE_WORD.finditer(before)):
        return "before", before[cues[-1].start():]
    if WITHIN.search(before):  # "trong vòng 30 ngày": after an event the sentence names elsewhere
        return "after", ""
    return None, ""  # "ít nhất 30 ngày" alone, "trong 30 ngày qua", "không quá 02 ngày": no deadline


def _clause(text: str) -> str:
    return CLAUSE_CUT.split(text, maxsplit=1)[0] if text else ""


def _trigger(folded: str, anchor: str, match: re.Match[str], words: Words) -> dict[str, Any] | None:
    """The event the period counts from: named right after the cue, else the first the sentence names."""
    event = next((e for pattern, e in words.events if anchor and pattern.search(anchor)), None)
    if event is None:
        event = next((e for pattern, e in words.event_order if pattern.search(folded)), None)
    if event is None:
        return {"event": "?"}
    trigger: dict[str, Any] = {"event": event["kind"]}
    if event["field"] != "date":
        trigger["date"] = event["field"]
    around = anchor + " " + folded[match.end():match.end() + 60]
    where: dict[str, Any] = {}
    for pattern, fact in words.facts:
        if fact.get("kind") == event["kind"] and pattern.search(around):
            for key, value in fact["where"].items():
                where.setdefault(key, value)
    if where:
        trigger["where"] = where
    return trigger


def _periodic(folded: str) -> str | None:
    found = PERIODIC.search(folded)
    return EVERY[found.group(1) or found.group(2)] if found else None


def _month(folded: str, match: re.Match[str], periodic: str | None) -> tuple[str, int | None] | None:
    month = match.group(2) or match.group(3)
    if month:
        return periodic or "year", int(month)
    if (quarter := QUARTER_MONTH.search(folded)) and periodic in (None, "quarter"):
        return "quarter", {"dau": 1, "giua": 2, "thu hai cua": 2, "cuoi": 3}[quarter.group(1)]
    if periodic in ("month", "quarter", "year"):
        return periodic, None
    return None


def _latest_day(folded: str, periodic: str | None) -> dict[str, Any] | None:
    """'chậm nhất ngày 30/11' (or a duty 'vào ngày 10 hằng tháng'): that day is on time; a day off moves it
    on, as a period's end does."""
    if last := LAST_DAY.search(folded):
        every = periodic or EVERY[last.group(1)]
        return {"every": every, **({"month": 12} if every == "year" else {"month": 3} if every == "quarter" else {}),
                "day": -1, "at": last.start()}
    match = LATEST_DAY.search(folded) or (periodic and ON_DAY.search(folded))  # "vào ngày 10 hằng tháng"
    if not match or not (when := _month(folded, match, periodic)):
        return None
    every, month = when
    return {"every": every, **({"month": month} if month else {}), "day": int(match.group(1)), "at": match.start()}


def _before_day(folded: str, periodic: str | None) -> dict[str, Any] | None:
    """'trước ngày 25': the 24th is the last day on time, and it does not move."""
    match = BEFORE_DAY.search(folded)
    if not match or not (when := _month(folded, match, periodic)):
        return None
    every, month = when
    day = int(match.group(1)) - 1
    if day == 0:  # "trước ngày 01/7": the last day of the month before
        month, day = ((month - 2) % 12 + 1 if month else None), -1
    return {"every": every, **({"month": month} if month else {}), "day": day, "roll": "none", "at": match.start()}


def _subject(folded: str, words: Words) -> tuple[str, str] | None:
    """The body the sentence says acts: the one it 'advises' (tham mưu cho X ... tổ chức), else the first
    it names that is not after 'của', 'do' or a recipient's word."""
    bodies = _bodies(folded, words)
    for start, value, phrase in bodies:
        if re.search(r"\btham muu cho\s*$", folded[:start]):
            return value, phrase
    for start, value, phrase in bodies:
        if not _after(folded[:start], words.recipient_markers | {"cua", "do", "thuoc", "va"}):
            return value, phrase
    return None


def _recipient(folded: str, words: Words) -> tuple[str, str] | None:
    for start, value, phrase in _bodies(folded, words):
        if _after(folded[:start], words.recipient_markers):
            return value, phrase
    return None


def _after(before: str, markers: set[str]) -> bool:
    """Whether the text ends with one of the marker words, or with one and 'các' ("đến các đại biểu")."""
    last = before.split()[-2:]
    return bool(last) and (last[-1] in markers or (last[-1] == "cac" and len(last) == 2 and last[0] in markers))


def _bodies(folded: str, words: Words) -> list[tuple[int, str, str]]:
    """(offset, body id, phrase) for each body named, longest phrase first where two overlap."""
    taken: list[tuple[int, int]] = []
    found = []
    for pattern, value, phrase in words.bodies:
        for match in pattern.finditer(folded):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            if folded[match.start() - 1:match.start()] == "/" or folded[match.end():match.end() + 1] in ("-", "/"):
                continue  # part of a document's number: 1011/HĐND-VP
            taken.append((match.start(), match.end()))
            found.append((match.start(), value, phrase))
    return sorted(found)


def _quote(sentence: str) -> str:
    return sentence.strip().lstrip("-–•+* ").rstrip(".").strip()
