"""One declaration of every file a user writes: hdnd.toml, a rule pack, a ledger entry.

The readers (`config`, `rules`, `ledger`) take their keys, kinds and closed choices from here, and
the editors' JSON Schema files (`schemas/`) and the reference tables (`docs/files.md`) are made from
it by `python -m hdnd_cli.parse.schema` (a test fails when they are stale). What a key means beyond
its shape (a rule that follows itself, an extension longer than the law allows) is checked by the
readers, each problem at its `file:line`.
"""
from __future__ import annotations

from typing import Any, NamedTuple


class Key(NamedTuple):
    """One key of a file. `type` is one of TYPES; `keys` are those of a table (or of each table of a
    list of tables); `about` is what it means, Vietnamese then English."""

    name: str
    type: str
    about: str
    required: bool = False
    choices: tuple[str, ...] = ()
    keys: tuple[Key, ...] = ()
    free: bool = False  # a table that takes any key (an event's facts)


TYPES = ("text", "date", "datetime", "integer", "boolean", "amount", "choice", "email", "emails", "paths", "table",
         "tables", "texts", "party", "parties", "day", "days", "any")

LEVELS = ("province", "commune", "district")
ROLLS = ("forward", "backward", "none")
EVERY = ("year", "quarter", "month", "week")
# verified/partial: a national rule's words read verbatim, or a paraphrase of them; draft/confirmed:
# a rule `hdnd rules draft` read from an office's own text, before and after a person checked it.
RULE_STATUSES = ("verified", "partial", "draft", "confirmed")
SECURITY = ("starttls", "ssl", "none")
LANGS = ("vi", "en")

# --- hdnd.toml ------------------------------------------------------------------------------------

CONFIG = (
    Key("office", "table", "Văn phòng / the office", keys=(
        Key("name", "text", "Tên văn phòng / the office's name"),
        Key("level", "choice", "Cấp: các bộ quy tắc cấp khác không áp dụng / level: packs of other levels do not apply",
            choices=LEVELS),
        Key("lang", "choice", "Ngôn ngữ / language", choices=LANGS),
        Key("timezone", "text", "Múi giờ, mặc định Asia/Ho_Chi_Minh / time zone"),
        Key("since", "date", "Theo dõi nghĩa vụ định kỳ từ ngày này / periodic obligations are tracked from this day"),
        Key("email", "email", "Email của văn phòng / the office's e-mail"),
        Key("uid", "text", "Mã cố định do hdnd init đặt, không đổi khi đổi tên (UID lịch, List-Id) / a permanent id set "
            "by init, kept through renames (calendar UIDs, List-Id)"),
        Key("parent", "text", "Cơ quan chủ quản, dòng trên của tên cơ quan ban hành (Nghị định 30/2020) / the body above, "
            "printed over the issuing body's name"),
        Key("issuer", "text", "Tên cơ quan ban hành in trên văn bản, mặc định name / the issuing body as printed"),
        Key("abbreviation", "text", "Chữ viết tắt tên cơ quan trong số, ký hiệu (BC-HĐND) / the body's abbreviation"),
        Key("place", "text", "Địa danh ghi trước ngày tháng / the place written before the date"),
        Key("signer", "text", "Người ký / who signs"),
        Key("signer_title", "text", "Quyền hạn, chức vụ người ký (TM. THƯỜNG TRỰC HĐND\\nCHỦ TỊCH) / the signer's title"),
        Key("recipients", "texts", "Nơi nhận / where the document is sent"),
    )),
    Key("paths", "table", "Đường dẫn, tính từ hdnd.toml / paths, relative to hdnd.toml", keys=(
        Key("rules", "paths", "Bộ quy tắc: tệp hoặc thư mục, mặc định rules / rule packs: files or folders"),
        Key("ledger", "paths", "Sổ: tệp hoặc thư mục, mặc định data / the ledger: files or folders"),
        Key("write_to", "text", "Tệp ghi mục mới, mặc định data/{year}.yaml / where new entries go"),
    )),
    Key("store", "table", "Sổ trên PostgreSQL (thay cho tệp) / the ledger in PostgreSQL (instead of files)", keys=(
        Key("url", "text", "postgresql://vai-tro@máy-chủ/csdl, không mật khẩu / no password here", required=True),
        Key("office", "text", "Mã văn phòng trong CSDL / this office's id in the database", required=True),
    )),
    Key("due", "table", "Danh sách buổi sáng / the morning list", keys=(
        Key("horizon", "amount", "Sắp đến hạn trong, mặc định \"14d\" / due soon within", choices=("d",)),
    )),
    Key("bodies", "tables", "Các cơ quan mà quy tắc nêu / the bodies the rules name", keys=(
        Key("id", "text", "Mã cơ quan / the body's id", required=True),
        Key("name", "text", "Tên / name", required=True),
        Key("name_en", "text", "Tên tiếng Anh / English name"),
        Key("email", "emails", "Email nhận thông báo, một hoặc nhiều: \"a@x.vn\" hay [\"a@x.vn\", \"b@x.vn\"] / where "
            "its notices go, one address or several"),
    )),
    Key("calendar", "table", "Ngày nghỉ, ngày làm bù của văn phòng / the office's own days off and make-up days",
        keys=(
            Key("days_off", "days", "Ngày nghỉ thêm / extra days off"),
            Key("work_days", "days", "Ngày làm bù / make-up working days"),
        )),
    Key("kinds", "table", "Loại sự kiện của văn phòng / the office's own kinds of event", keys=(
        Key("planned", "texts", "Loại được lên lịch trước (như kỳ họp): tính trước ngày của nó / kinds planned ahead, "
            "which count before their day, as a session does"),
    )),
    Key("law", "table", "Luật đang dùng / the law in use", keys=(
        Key("trusted_keys", "texts", "Khóa công khai (Ed25519, base64) được tin khi cài bộ luật, ví dụ của tỉnh / public "
            "keys whose law bundles are trusted, a province's say"),
    )),
    Key("notify", "table", "Gửi thư / mail", keys=(
        Key("host", "text", "Máy chủ SMTP / SMTP host"),
        Key("port", "integer", "Cổng / port (1-65535)"),
        Key("sender", "email", "Địa chỉ gửi / From address"),
        Key("security", "choice", "Mã hóa / encryption", choices=SECURITY),
        Key("user", "text", "Tài khoản; mật khẩu ở HDND_SMTP_PASSWORD / login; the password is in HDND_SMTP_PASSWORD"),
        Key("subject_prefix", "text", "Đầu tiêu đề thư / subject prefix"),
        Key("plain_login", "boolean", "Cho phép đăng nhập không mã hóa / allow a login in clear"),
        Key("timeout", "integer", "Số giây chờ máy chủ ở mỗi bước, mặc định 10 (1-300) / seconds to wait for the "
            "server at each step, default 10 (1-300)"),
        Key("deadline", "integer", "Số giây tối đa cho cả lần gửi, mặc định 300 (1-3600) / seconds a whole run may "
            "spend sending, default 300 (1-3600)"),
    )),
)

# --- a rule pack ----------------------------------------------------------------------------------

SPAN = (Key("from", "date", "Từ ngày / from"), Key("until", "date", "Đến hết ngày / until"))
MATCH = (
    Key("event", "text", "Loại sự kiện / the event's kind", required=True),
    Key("where", "table", "Sự kiện có các giá trị này / the event has these values", free=True),
    Key("unless", "table", "Trừ khi sự kiện có các giá trị này / unless it has these values", free=True),
    Key("has", "texts", "Sự kiện có các trường này / the event has these fields"),
)
PACK = (
    Key("source", "table", "Văn bản nguồn / the source document", required=True, keys=(
        Key("id", "text", "Mã bộ quy tắc / the pack's id", required=True),
        Key("title", "text", "Tên văn bản / the document's title", required=True),
        Key("title_en", "text", "Tên tiếng Anh / English title"),
        Key("scope", "choice", "Phạm vi / scope", choices=("national", "local")),
        Key("level", "choice", "Cấp áp dụng / the level it applies to", choices=(*LEVELS, "any")),
        Key("in_force", "table", "Hiệu lực / in force", keys=SPAN),
        Key("url", "text", "Địa chỉ văn bản / where to read it"),
        Key("note", "text", "Ghi chú / note"),
    )),
    Key("rules", "tables", "Các quy tắc / the rules", keys=(
        Key("id", "text", "Mã quy tắc: chữ, số, - _ . / the rule's id", required=True),
        Key("title", "text", "Nội dung nghĩa vụ / what is owed", required=True),
        Key("title_en", "text", "Tiếng Anh / in English"),
        Key("obligor", "parties", "Cơ quan có nghĩa vụ / who owes it"),
        Key("obligors", "parties", "Nhiều cơ quan, mỗi cơ quan một nghĩa vụ / several, one obligation each"),
        Key("recipient", "party", "Cơ quan nhận / who receives it"),
        Key("basis", "text", "Điều, khoản / article and clause"),
        Key("quote", "text", "Nguyên văn / the words of the text"),
        Key("trigger", "table", "Sự kiện làm phát sinh / the event it counts from", keys=(
            *MATCH[1:], Key("event", "text", "Loại sự kiện / the event's kind"),
            Key("date", "text", "Trường ngày của sự kiện, mặc định date / the event's date field"),
            Key("done", "text", "Sau khi nghĩa vụ của quy tắc này hoàn thành / after this rule's obligation is met"),
        )),
        Key("schedule", "table", "Định kỳ / a periodic obligation", keys=(
            Key("every", "choice", "Mỗi / every", required=True, choices=EVERY),
            Key("month", "integer", "Tháng của năm hoặc của quý / month of the year or quarter"),
            Key("day", "integer", "Ngày; -1 là ngày cuối / day; -1 is the last"),
            Key("weekday", "integer", "Thứ: 1 thứ Hai ... 7 Chủ nhật / weekday, 1 Monday"),
            Key("roll", "choice", "Ngày nghỉ thì chuyển / a day off rolls", choices=ROLLS),
        )),
        Key("deadline", "table", "Thời hạn / the period", keys=(
            Key("after", "amount", "Sau sự kiện: 30d, 5wd, 1m / after the event", choices=("d", "wd", "m")),
            Key("before", "amount", "Trước sự kiện / before the event", choices=("d", "wd", "m")),
            Key("roll", "choice", "Ngày cuối là ngày nghỉ thì chuyển / a last day off rolls", choices=ROLLS),
            Key("pause", "text", "Trường có/không của vụ việc dừng (có) và tính tiếp (không) thời hạn / a yes/no fact "
                "that stops (yes) and restarts (no) the clock"),
            Key("cases", "tables", "Thời hạn khác theo sự kiện / other periods by the facts", keys=(
                Key("where", "table", "Khi vụ việc có / when the case has", required=True, free=True),
                Key("after", "amount", "Sau / after", choices=("d", "wd", "m")),
                Key("before", "amount", "Trước / before", choices=("d", "wd", "m")),
            )),
        )),
        Key("requires", "table", "Số lần trong kỳ / how many in each period",
            keys=(*MATCH, Key("count", "integer", "Số lần / how many"))),
        Key("satisfied_by", "table", "Sự kiện hoàn thành nghĩa vụ / the event that meets it", keys=MATCH),
        Key("extensions", "table", "Gia hạn / extensions", keys=(
            Key("max", "integer", "Số lần tối đa / at most this many"),
            Key("each", "amount", "Mỗi lần tối đa / each at most", choices=("d", "wd", "m")),
            Key("requires", "tables", "Tình tiết lần gia hạn thứ n cần: [{}, { very_complex = true }] / the facts the n-th "
                "extension needs", free=True),
        )),
        Key("warn", "amount", "Báo trước / warn this early", choices=("d",)),
        Key("in_force", "table", "Hiệu lực / in force", keys=SPAN),
        Key("level", "choice", "Chỉ áp dụng cho cấp này, trong cấp của bộ / only offices of this level, within the pack's",
            choices=(*LEVELS, "any")),
        Key("examples", "tables", "Ví dụ tính tay / examples computed by hand", keys=(
            Key("trigger", "date", "Ngày sự kiện / the event's day"),
            Key("period", "text", "Kỳ: 2026, 2026-Q1, 2026-03, 2026-W10 / the period"),
            Key("due", "date", "Hạn / the due date", required=True),
        )),
        Key("note", "text", "Ghi chú / note"),
        Key("status", "choice", "Độ tin cậy / how sure", choices=RULE_STATUSES),
        Key("guessed", "texts", "Những gì hdnd rules draft đoán từ văn bản / what the draft guessed"),
        Key("url", "text", "Địa chỉ văn bản / where to read it"),
        Key("enabled", "boolean", "Đang dùng / in use"),
    )),
)

# --- a ledger entry -------------------------------------------------------------------------------

COMMON = (
    Key("kind", "text", "Loại mục / the entry's kind", required=True),
    Key("date", "day", "Ngày / the day", required=True),
    Key("recorded", "table", "Ai ghi, lúc nào (do hdnd ghi) / who wrote it, when (written by hdnd)", keys=(
        Key("by", "text", "Người ghi / who"), Key("at", "datetime", "Lúc / when"))),
    Key("note", "text", "Ghi chú / note"),
)
_ID = Key("id", "text", "Mã, không có '/' / the id, no '/'")
_OBLIGATION = Key("obligation", "text", "Mã nghĩa vụ / the obligation's id", required=True)
_REF = Key("ref", "text", "Số, ký hiệu văn bản / the document's number")
_BY = Key("by", "text", "Cơ quan thực hiện / the body that acted")
_REASON = Key("reason", "text", "Lý do / why", required=True)
_OF = Key("of", "text", "Mã mục được sửa / the entry it is about", required=True)

KINDS = {  # the reserved kinds take exactly these keys
    "done": (_OBLIGATION, _REF, _BY, Key("file", "text", "Tệp văn bản / the document's file"),
             Key("sha256", "text", "Mã băm của tệp / the file's SHA-256")),
    "extend": (_OBLIGATION, Key("until", "day", "Hạn mới / the new due date", required=True), _REASON, _REF, _BY),
    "waive": (_OBLIGATION, _REASON, _REF, _BY),
    "obligation": (Key("id", "text", "Mã / the id", required=True), Key("due", "day", "Hạn / due", required=True),
                   Key("title", "text", "Nội dung / what is owed", required=True),
                   Key("title_en", "text", "Tiếng Anh / in English"),
                   Key("obligor", "text", "Cơ quan có nghĩa vụ / who owes it", required=True),
                   Key("recipient", "text", "Cơ quan nhận / who receives it"), Key("basis", "text", "Căn cứ / basis"),
                   Key("source", "text", "Nguồn / source"), Key("quote", "text", "Nguyên văn / the words"), _REF,
                   Key("warn", "amount", "Báo trước / warn this early", choices=("d",))),
    "void": (_OF, _REASON, _REF, _BY),
}
EVENTS = {  # event kinds the bundled rules use; an event may hold any other fact too
    "session": (_ID, Key("ends", "day", "Ngày bế mạc / the closing day", required=True),
                Key("type", "choice", "Loại kỳ họp / the session's type", required=True,
                    choices=("regular", "thematic", "extraordinary"))),
    "voter-contact": (_ID, Key("phase", "choice", "Trước hay sau kỳ họp / before or after the session",
                               required=True, choices=("before", "after")),
                      Key("forwarded", "day", "Ngày chuyển kiến nghị / the day the petitions were sent on")),
    "working-meeting": (_ID,), "supervision": (_ID,), "interpellation": (_ID,), "complaint": (_ID,),
    "denunciation": (_ID,), "resolution": (_ID,),
    "election": (_ID, Key("supersedes", "text", "Mã cuộc bầu cử được thay (bầu cử lại, thêm, mới) / the election it replaces")),
    "chair-election": (_ID, Key("approver", "text", "Cơ quan phê chuẩn / the body that approves the result")),
    "dialogue": (_ID,),
    "forwarded-petition": (_ID, Key("delegate", "text", "Đại biểu đã chuyển đơn / the delegate who forwarded it"),
                           Key("resolved", "day", "Ngày vụ việc được giải quyết / the day the case was resolved")),
    "fact": (_OF,),  # facts of a case learnt later (a complaint found complex), for the event `of`
    "set": (_OF, _REASON, _REF, _BY),  # these fields of the entry `of` take these values from `date`
}


def keys_of(keys: tuple[Key, ...], *path: str) -> tuple[Key, ...]:
    """The keys inside the table at `path`: `keys_of(PACK, "rules", "deadline")`."""
    for name in path:
        keys = next(k for k in keys if k.name == name).keys
    return keys


def names(keys: tuple[Key, ...]) -> set[str]:
    return {k.name for k in keys}


def key(keys: tuple[Key, ...], *path: str) -> Key:
    found = next(k for k in keys_of(keys, *path[:-1]) if k.name == path[-1])
    return found


# --- made from the declaration: JSON Schema for editors, reference tables for people ----------------

_DAY = "^(\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}/\\d{4}|\\d{1,2}\\.\\d{1,2}\\.\\d{4})$"
_EMAIL = {"type": "string", "pattern": "^[^@\\s<>,;]+@[^@\\s<>,;]+\\.[^@\\s<>,;]+$"}
_PARTY = {"oneOf": [{"type": "string", "minLength": 1},
                    {"type": "object", "required": ["field"], "additionalProperties": False,
                     "properties": {"field": {"type": "string"}, "default": {"type": "string"}}}]}


def _json(k: Key) -> dict[str, Any]:
    shape: dict[str, Any]
    if k.type in ("table", "tables"):
        table: dict[str, Any] = {"type": "object"}
        if k.keys:
            table["properties"] = {sub.name: _json(sub) for sub in k.keys}
            table["required"] = [sub.name for sub in k.keys if sub.required]
        if not k.free:
            table["additionalProperties"] = False
        if not table.get("required"):
            table.pop("required", None)
        shape = {"type": "array", "items": table} if k.type == "tables" else table
    else:
        shapes: dict[str, dict[str, Any]] = {
            "text": {"type": "string", "minLength": 1},
            "email": _EMAIL,
            "emails": {"oneOf": [_EMAIL, {"type": "array", "minItems": 1, "items": _EMAIL}]},
            "date": {"type": "string", "format": "date"},
            "datetime": {"type": "string"},
            "day": {"type": "string", "pattern": _DAY},
            "integer": {"type": "integer"},
            "boolean": {"type": "boolean"},
            "amount": {"type": "string", "pattern": f"^[0-9]+({'|'.join(k.choices)})$"},
            "choice": {"enum": list(k.choices)},
            "paths": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "texts": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "party": _PARTY,
            "parties": {"oneOf": [_PARTY, {"type": "array", "items": _PARTY}]},
            "days": {"type": "array", "items": {"oneOf": [
                {"type": "string", "format": "date"},
                {"type": "object", "required": ["date"], "properties": {
                    "date": {"type": "string", "format": "date"}, "name": {"type": "string"}}}]}},
            "any": {},
        }
        shape = shapes[k.type]
    return {"description": k.about, **shape}


def json_schemas() -> dict[str, dict[str, Any]]:
    """The three JSON Schema documents, by file name."""
    def document(title: str, body: dict[str, Any]) -> dict[str, Any]:
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **body}

    def entry(kind: str, keys: tuple[Key, ...], closed: bool) -> dict[str, Any]:
        shape = _json(Key("", "table", "", keys=(*COMMON, *keys), free=not closed))
        shape["properties"]["kind"] = {"const": kind}
        return {"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": shape}

    base = _json(Key("", "table", "", keys=COMMON, free=True))
    base.pop("description")
    ledger_entry = {**base, "allOf": [entry(kind, keys, True) for kind, keys in KINDS.items()]
                    + [entry(kind, keys, False) for kind, keys in EVENTS.items()]}
    config = _json(Key("", "table", "", keys=CONFIG))
    pack = _json(Key("", "table", "", keys=PACK))
    for shape in (config, pack):
        shape.pop("description")
    return {
        "hdnd.schema.json": document("hdnd.toml", config),
        "rules.schema.json": document("hdnd rule pack", pack),
        "ledger.schema.json": document("hdnd ledger", {"type": "array", "items": ledger_entry}),
    }


def reference() -> str:
    """docs/files.md: every key of every file, as tables."""
    out = ["# The files a user writes\n",
           "Made from `src/hdnd_cli/parse/schema.py` by `python scripts/schemas.py`; do not edit by hand.",
           "Editors validate and complete these files against `schemas/*.json` (see the README).\n"]

    def table(title: str, keys: tuple[Key, ...], prefix: str = "") -> None:
        out.extend([f"## {title}\n", "| key | type | required | meaning |", "|---|---|---|---|"])
        nested = []
        for k in keys:
            kind = f"one of {', '.join(k.choices)}" if k.type == "choice" else k.type
            if k.type == "amount":
                kind = f"amount ({', '.join(k.choices)})"
            out.append(f"| `{prefix}{k.name}` | {kind} | {'yes' if k.required else ''} | {k.about} |")
            if k.keys:
                nested.append(k)
        out.append("")
        for k in nested:
            table(f"{title}: `{prefix}{k.name}`", k.keys, f"{prefix}{k.name}.")

    table("hdnd.toml", CONFIG)
    table("A rule pack (`rules/*.toml`)", PACK)
    table("Every ledger entry", COMMON)
    for kind, keys in {**KINDS, **EVENTS}.items():
        table(f"Ledger entry `kind: {kind}`" + ("" if kind in KINDS else " (and any other fact)"), keys)
    return "\n".join(out)

