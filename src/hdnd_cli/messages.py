"""Every sentence a user reads, in Vietnamese and English. Vietnamese is the default.

`say(key, lang, **params)` fills a template; dates are written dd/mm/yyyy as Vietnamese offices do.
"""
from __future__ import annotations

import re
import reprlib
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from pathlib import PurePath
from typing import Any, Protocol

CATALOG: dict[str, tuple[str, str]] = {
    # --- problems in files -----------------------------------------------------------------------
    "toml-syntax": ("lỗi cú pháp TOML: {error}", "TOML syntax error: {error}"),
    "syntax": ("lỗi cú pháp: {error}", "syntax error: {error}"),
    "yaml-tab": ("dòng này thụt lề bằng phím Tab: YAML chỉ thụt lề bằng dấu cách; thay Tab bằng hai dấu cách",
                 "this line is indented with a Tab: YAML indents with spaces only; replace the Tab with two spaces"),
    "yaml-colon": ("giá trị của '{name}' có dấu hai chấm và dấu cách (': '): đặt cả giá trị trong ngoặc kép, "
                   "như {name}: \"{value}\"", "the value of '{name}' has a colon and a space (': '): put the whole "
                   "value in double quotes, as {name}: \"{value}\""),
    "yaml-indent": ("dòng này lệch lề: mỗi mục bắt đầu bằng '- ' ở đầu dòng, các trường của mục thụt vào thẳng hàng "
                    "với trường đầu tiên (hai dấu cách)", "this line is out of line: each entry starts with '- ' at "
                    "the start of a line, and its fields are indented level with the first one (two spaces)"),
    "yaml-end": ("tệp hết khi một dấu ngoặc kép hay ngoặc còn mở: tìm ở phía trên dấu \" hay [ chưa đóng",
                 "the file ends with a quote or a bracket still open: look above for a \" or [ not closed"),
    "yaml-value": ("thiếu một giá trị ở đây: một dấu [ hay {{ chưa đóng, hay một dấu ] hay }} thừa?",
                   "a value is missing here: a [ or {{ not closed, or a ] or }} too many?"),
    "unclosed": ("thiếu dấu '{mark}' đóng, hoặc dấu phẩy giữa hai giá trị", "a closing '{mark}', or a comma "
                 "between two values, is missing"),
    "json-quotes": ("JSON: tên trường phải nằm trong ngoặc kép (\"id\"), và không có dấu phẩy thừa trước '}}' "
                    "hay ']'", "JSON: a field's name goes in double quotes (\"id\"), and no comma comes before "
                    "'}}' or ']'"),
    "json-comma": ("JSON: thiếu dấu phẩy giữa hai giá trị, hoặc một dấu ngoặc kép chưa đóng",
                   "JSON: a comma between two values, or a closing double quote, is missing"),
    "json-value": ("JSON: thiếu một giá trị ở đây (một dấu phẩy thừa, hay chữ không có ngoặc kép?)",
                   "JSON: a value is missing here (a comma too many, or text without double quotes?)"),
    "json-extra": ("JSON: còn chữ sau chỗ kết thúc (sau ']' cuối, hay sau một mục của tệp .jsonl)",
                   "JSON: there is more after the end (after the last ']', or after an entry of a .jsonl file)"),
    "ledger-csv": ("tệp này là một bảng CSV (Excel 'Save As CSV'?), không phải sổ YAML: nhập bảng bằng "
                   "'hdnd import TỆP.csv --kind LOẠI' rồi bỏ tệp này khỏi thư mục sổ",
                   "this file is a CSV table (Excel's 'Save As CSV'?), not a YAML ledger: import the table with "
                   "'hdnd import FILE.csv --kind KIND' and take this file out of the ledger folder"),
    "unknown-key": ("khóa không hợp lệ '{name}' (các khóa được dùng: {allowed})",
                    "unknown key '{name}' (allowed: {allowed})"),
    "not-a-table": ("'{name}' phải là một bảng TOML", "'{name}' must be a table"),
    "missing-key": ("thiếu '{name}'", "missing '{name}'"),
    "not-text": ("'{name}' phải là chuỗi không rỗng", "'{name}' must be non-empty text"),
    "bad-choice": ("'{name}' = '{value}' không hợp lệ; chọn một trong: {choices}",
                   "'{name}' = '{value}' is not valid; choose one of: {choices}"),
    "bad-integer": ("'{name}' = {value} không hợp lệ; phải là số nguyên từ {low} đến {high}",
                    "'{name}' = {value} is not valid; it must be a whole number from {low} to {high}"),
    "bad-amount": ("'{name}' = '{value}' không hợp lệ; viết như \"30d\" (ngày), \"5wd\" (ngày làm việc) "
                   "hoặc \"1m\" (tháng), tối đa 10 năm; đơn vị được dùng ở đây: {units}",
                   "'{name}' = '{value}' is not valid; write \"30d\" (days), \"5wd\" (working days) or "
                   "\"1m\" (months), at most ten years; units allowed here: {units}"),
    "not-a-date": ("'{name}' = '{value}' không phải là ngày (viết 2024-11-30)",
                   "'{name}' = '{value}' is not a date (write 2024-11-30)"),
    "span-backwards": ("thời gian hiệu lực kết thúc ({end}) trước khi bắt đầu ({start})",
                       "in force until {end}, before it starts ({start})"),
    "bad-rule-id": ("mã quy tắc '{id}' chỉ được gồm chữ, số, '-', '_' và '.'",
                    "rule id '{id}' may only hold letters, digits, '-', '_' and '.'"),
    "missing-obligor": ("quy tắc cần 'obligor' (hoặc 'obligors') là mã cơ quan",
                        "a rule needs 'obligor' (or 'obligors'): body ids"),
    "trigger-or-schedule": ("quy tắc '{id}' cần đúng một trong 'trigger' hoặc 'schedule'",
                            "rule '{id}' needs exactly one of 'trigger' or 'schedule'"),
    "done-with-event": ("'trigger' có 'done' thì không dùng 'event', 'where', 'date'",
                        "a 'trigger' with 'done' takes no 'event', 'where' or 'date'"),
    "after-or-before": ("'deadline' cần đúng một trong 'after' hoặc 'before', ví dụ {{ after = \"30d\" }}",
                        "'deadline' needs exactly one of 'after' or 'before', e.g. {{ after = \"30d\" }}"),
    "requires-needs-schedule": ("'requires' chỉ dùng với quy tắc 'schedule'",
                                "'requires' is only for 'schedule' rules"),
    "schedule-no-deadline": ("quy tắc 'schedule' lấy hạn từ lịch, không dùng 'deadline' hay 'satisfied_by'",
                             "a 'schedule' rule takes its due date from the schedule: no 'deadline' or 'satisfied_by'"),
    "schedule-fields": ("lịch '{every}' không dùng khóa này ('month' cho year/quarter, 'weekday' cho week)",
                        "a '{every}' schedule does not take this key ('month' is for year/quarter, "
                        "'weekday' for week)"),
    "bad-example": ("ví dụ cần 'due' là ngày, và 'trigger' (ngày) hoặc 'period'",
                    "an example needs 'due' as a date, and 'trigger' (a date) or 'period'"),
    "draft-rule": ("quy tắc '{id}' là bản nháp (status = \"draft\"): đọc lại câu trích (quote) và những gì được đoán "
                   "(guessed), sửa cho đúng, rồi đặt status = \"confirmed\"",
                   "rule '{id}' is a draft (status = \"draft\"): read its quote and what was guessed (guessed), "
                   "correct them, then set status = \"confirmed\""),
    "blank-source": ("[source] '{name}' còn để trống (\"?\"): điền giá trị", "[source] '{name}' is still blank (\"?\"): fill it in"),
    "blank-left": ("quy tắc '{id}': '{name}' còn để trống (\"?\"): điền giá trị", "rule '{id}': '{name}' is still blank "
                   "(\"?\"): fill it in"),
    "duplicate-rule": ("mã quy tắc '{id}' đã có ở {other} với thời gian hiệu lực chồng lấn",
                       "rule id '{id}' is already defined at {other} with an overlapping in-force period"),
    "unknown-parent": ("quy tắc '{id}' nối tiếp quy tắc '{parent}' không tồn tại",
                       "rule '{id}' follows rule '{parent}', which does not exist"),
    "chain-cycle": ("quy tắc '{id}' nối tiếp chính nó (vòng lặp)", "rule '{id}' follows itself (a cycle)"),
    "bad-has": ("'has' phải là danh sách tên trường, ví dụ [\"forwarded_by\"]",
                "'has' must be a list of field names, e.g. [\"forwarded_by\"]"),
    "bad-party": ("cần mã cơ quan, hoặc {{ field = \"handler\", default = \"chu-tich-ubnd\" }} (cơ quan do sự kiện ghi)",
                  "a body id, or {{ field = \"handler\", default = \"chu-tich-ubnd\" }} (the body the event names)"),
    "bad-case": ("mỗi trường hợp cần 'where' (các sự kiện của vụ việc) và '{direction}', ví dụ "
                 "{{ where = {{ complex = true }}, {direction} = \"45d\" }}",
                 "each case needs 'where' (facts of the case) and '{direction}', e.g. "
                 "{{ where = {{ complex = true }}, {direction} = \"45d\" }}"),
    "event-for-another-level": ("mục này khớp quy tắc '{rule}' ({title}), nhưng quy tắc đó chỉ áp dụng cho văn phòng "
                                "cấp '{level}', văn phòng là cấp '{office}': không tạo nghĩa vụ ở đây",
                                "this entry matches rule '{rule}' ({title}), which applies to '{level}' offices only; "
                                "this office is '{office}': it makes no obligation here"),
    "rule-level-outside-pack": ("quy tắc cấp '{level}' trong bộ quy tắc cấp '{pack}': không bao giờ áp dụng",
                                "a rule of level '{level}' in a pack of level '{pack}' never applies"),
    "pack-level-mismatch": ("bộ quy tắc '{pack}' dành cho cấp '{level}', văn phòng là cấp '{office}': không áp dụng",
                            "pack '{pack}' is for level '{level}' and this office is '{office}': it does not apply"),
    "unknown-body": ("quy tắc '{rule}' nêu cơ quan '{body}' không có trong [[bodies]] của hdnd.toml: không tạo "
                     "nghĩa vụ cho cơ quan này (thêm cơ quan, hoặc bỏ khỏi quy tắc)",
                     "rule '{rule}' names body '{body}', which is not in hdnd.toml [[bodies]]: no obligation is "
                     "made for it (add the body, or remove it from the rule)"),
    "unused-kind": ("{count} mục loại '{kind}' nhưng không quy tắc nào đang áp dụng dùng loại này: chúng không "
                    "tạo nghĩa vụ{hint}",
                    "{count} entr(y/ies) of kind '{kind}', which no rule that applies uses: they make no "
                    "obligation{hint}"),
    "missing-trigger-field": ("sự kiện khớp quy tắc '{rule}' nhưng thiếu trường '{name}' mà quy tắc tính hạn từ "
                              "đó: không tạo nghĩa vụ{hint}",
                              "the event matches rule '{rule}' but has no '{name}', which the rule counts from: no "
                              "obligation is made{hint}"),
    "unknown-event": ("'of' = '{id}': không có sự kiện mang mã này{hint}", "'of' = '{id}': no event has this id{hint}"),
    "ledger-not-list": ("tệp sổ phải là một danh sách các mục (- kind: ...)",
                        "a ledger file must be a list of entries (- kind: ...)"),
    "lone-surrogate": ("mục có một nửa ký tự (\\ud800-\\udfff không thành cặp trong JSON): sửa mã thoát đó",
                       "the entry holds half a character (an unpaired \\ud800-\\udfff in the JSON): correct that escape"),
    "entry-empty": ("mục trống (một dấu '-' không có gì sau): viết các trường của mục, hoặc xóa dòng này",
                    "an empty entry (a '-' with nothing after it): write the entry's fields, or remove the line"),
    "entry-not-mapping": ("mục '{value}' phải là một bảng có 'kind' và 'date'",
                          "entry '{value}' must be a mapping with 'kind' and 'date'"),
    "kind-typo": ("loại '{kind}' không có; có phải '{suggestion}'?", "there is no kind '{kind}'; did you mean '{suggestion}'?"),
    "missing-kind": ("mục thiếu 'kind'", "entry has no 'kind'"),
    "missing-field": ("mục '{kind}' thiếu trường '{name}'", "'{kind}' entry has no '{name}'"),
    "bad-date": ("'{name}' = '{value}' không phải là ngày hợp lệ từ năm 1900 đến 2200 (viết 2024-11-30 "
                 "hoặc 30/11/2024)",
                 "'{name}' = '{value}' is not a valid date between 1900 and 2200 (write 2024-11-30 or 30/11/2024)"),
    "unknown-field": ("trường '{name}' không dùng cho mục '{kind}'{hint} (được dùng: {allowed})",
                      "field '{name}' is not used in '{kind}' entries{hint} (allowed: {allowed})"),
    "ends-before-date": ("kỳ họp bế mạc ({ends}) trước ngày khai mạc ({date})",
                         "the session ends ({ends}) before it opens ({date})"),
    "bad-id": ("mã '{value}' không hợp lệ (không rỗng, không chứa '/')",
               "id '{value}' is not valid (not empty, no '/')"),
    "bad-recorded": ("'recorded' phải là {{by: ..., at: 2024-08-30T09:15:00+07:00}}",
                     "'recorded' must be {{by: ..., at: 2024-08-30T09:15:00+07:00}}"),
    "duplicate-id": ("mã '{id}' đã dùng ở {other}", "id '{id}' is already used at {other}"),
    "event-needs-id": ("sự kiện này tạo nghĩa vụ theo quy tắc '{rule}' nên cần 'id'",
                       "this event makes an obligation under rule '{rule}', so it needs an 'id'"),
    "unknown-obligation": ("không có nghĩa vụ '{id}'{hint}", "no obligation '{id}'{hint}"),
    "done-twice": ("nghĩa vụ '{id}' đã được ghi hoàn thành ở {other}",
                   "obligation '{id}' is already recorded as done at {other}"),
    "extension-not-allowed": ("quy tắc '{rule}' không cho phép gia hạn", "rule '{rule}' allows no extension"),
    "extension-too-many": ("quy tắc '{rule}' cho phép gia hạn tối đa {max} lần",
                           "rule '{rule}' allows at most {max} extension(s)"),
    "extension-needs-facts": ("quy tắc '{rule}': lần gia hạn thứ {number} cần vụ việc có {facts} (ghi trước hoặc "
                              "cùng ngày gia hạn)", "rule '{rule}': extension number {number} needs the case to have "
                              "{facts} (recorded on or before the extension)"),
    "not-yes-no": ("'{name}' = '{value}': quy tắc đọc trường này là có/không; viết true/false, có/không, yes/no "
                   "hoặc 1/0", "'{name}' = '{value}': the rules read this field as yes or no; write true/false, "
                   "có/không, yes/no or 1/0"),
    "fact-too-late": ("tình tiết {facts} ghi sau khi thời hạn của '{id}' đã hết ({end}): không kéo dài thời hạn",
                      "{facts} was recorded after the period of '{id}' had run out ({end}): it does not lengthen it"),
    "extension-too-long": ("mỗi lần gia hạn tối đa {each}: không quá {limit}",
                           "each extension is at most {each}: no later than {limit}"),
    "missing-path": ("không tìm thấy '{path}'", "'{path}' does not exist"),
    "unreadable": ("không đọc được tệp: {error}", "cannot read the file: {error}"),
    "file-not-utf8": ("dòng này có chữ không theo mã UTF-8 (tệp được lưu bằng mã khác, như Windows-1258 hay TCVN3): "
                 "mở tệp và lưu lại với mã UTF-8 (Notepad: Save As, Encoding: UTF-8)",
                 "this line has text not in UTF-8 (the file was saved in another encoding, such as Windows-1258 or "
                 "TCVN3): open it and save it again as UTF-8 (Notepad: Save As, Encoding: UTF-8)"),
    "file-utf16": ("tệp được lưu bằng mã UTF-16 (Excel: 'Unicode Text'; Notepad: 'Unicode'): mở tệp và lưu lại với "
                   "mã UTF-8", "the file is saved as UTF-16 (Excel: 'Unicode Text'; Notepad: 'Unicode'): open it and "
                   "save it again as UTF-8"),
    "file-binary": ("đây không phải tệp văn bản (một tệp Excel hay Word đặt nhầm chỗ?): sổ là tệp .yaml, .json hoặc "
                    ".jsonl; sổ Excel thì nhập bằng 'hdnd import TỆP'",
                    "this is not a text file (an Excel or Word file in the wrong place?): a ledger is a .yaml, .json "
                    "or .jsonl file; import an Excel register with 'hdnd import FILE'"),
    "file-too-big": ("tệp lớn hơn 2 GiB: sổ lớn như vậy là nhầm lẫn; chia sổ theo năm",
                     "the file is larger than 2 GiB: a ledger that big is a mistake; split it by year"),
    "file-link": ("đây là một liên kết, không phải tệp hdnd ghi: xóa liên kết", "this is a link, not the file hdnd "
                  "writes: remove the link"),
    "file-not-regular": ("đây không phải một tệp thường: xóa nó", "this is not a regular file: remove it"),
    "bad-config-date": ("'{value}' không phải là ngày", "'{value}' is not a date"),
    "bad-email": ("địa chỉ email '{value}' không hợp lệ", "e-mail address '{value}' is not valid"),
    "not-utf8-text": ("'{value}' có byte không phải UTF-8 (hiển thị '?'): gõ lại bằng bảng mã Unicode",
                      "'{value}' holds bytes that are not UTF-8 (shown as '?'): type it again in Unicode"),
    "system-refused": ("{where}hệ thống từ chối: {error}. Không ghi gì dở dang; sửa quyền, chỗ trống trên đĩa... "
                       "rồi chạy lại", "{where}the system refused: {error}. Nothing was half written; fix the "
                       "permissions, the free space... and run again"),
    "already-in-ledger": ("dòng này đã có trong sổ ({where}); nhập lại cả bảng? dùng --allow-duplicates nếu đúng là "
                          "mục mới", "this row is already in the ledger ({where}); the same sheet again? use "
                          "--allow-duplicates if it really is new"),
    "map-no-column": ("--map nêu cột '{column}' nhưng tệp không có cột này; các cột của tệp: {columns}",
                      "--map names a column '{column}' the file does not have; its columns: {columns}"),
    "no-column": ("không có cột cho trường '{name}'; các cột của tệp: {columns}. Dùng --map \"{example}\"",
                  "no column gives the field '{name}'; the file's columns are: {columns}. Use --map \"{example}\""),
    "read-as": ("'{path}' không phải UTF-8: đọc bằng bảng mã {encoding} (Excel trên Windows tiếng Việt); "
                "dùng --encoding nếu sai", "'{path}' is not UTF-8: read as {encoding} (Excel on Vietnamese "
                "Windows); use --encoding if that is wrong"),
    "void-again": ("'of' = '{id}': việc này đã được hủy hoặc sửa rồi; không còn mục nào viết trước dòng này để hủy",
                   "'of' = '{id}': that act was voided already; no entry written before this line is left to void"),
    "unknown-entry": ("'of' = '{id}': không có mục nào mang mã này hay ở vị trí này (TỆP:DÒNG){hint}",
                      "'of' = '{id}': no entry has this id or stands at this place (FILE:LINE){hint}"),
    "file-outside": ("'{path}' nằm ngoài không gian làm việc {root}: chép tệp vào đó (ví dụ van-ban/) rồi ghi lại",
                     "'{path}' is outside the workspace {root}: copy it in (e.g. into van-ban/) and record it again"),
    "document-kind": ("'{path}': chỉ đọc được tệp {kinds}", "'{path}': only {kinds} files can be read"),
    "document-unreadable": ("không đọc được '{path}' ({error}): lưu lại tệp (hoặc lưu thành .txt) rồi thử lại",
                            "cannot read '{path}' ({error}): save the file again (or as .txt) and retry"),
    "document-no-text": ("'{path}' không có chữ đọc được (có thể là ảnh quét): nhận dạng chữ (OCR) hoặc lưu thành .txt",
                         "'{path}' has no text to read (a scanned image?): run OCR or save it as .txt"),
    "bad-words": ("'{path}' không phải tệp từ vựng như data/drafting.toml ({error})",
                  "'{path}' is not a vocabulary file like data/drafting.toml ({error})"),
    "file-exists": ("đã có tệp '{path}': chọn tên khác, hoặc xóa tệp cũ nếu không cần",
                    "'{path}' already exists: choose another name, or remove the old file if it is not needed"),
    "drafted": ("Đã tìm thấy {count} câu có thời hạn trong '{source}'{where}. Đọc lại từng quy tắc, rồi đặt "
                "status = \"confirmed\".",
                "Found {count} sentence(s) with a deadline in '{source}'{where}. Read each rule, then set "
                "status = \"confirmed\"."),
    "drafted-to": (": đã ghi {path}", ": written to {path}"),
    "diff-replaces": ("So với thư mục {folder}: các bộ quy tắc {packs} lấy theo bản trong thư mục; các bộ khác giữ như "
                      "hiện nay", "Against the folder {folder}: the packs {packs} as the folder has them; the others "
                      "as they are now"),
    "template-bans": ("mã các Ban trong [[bodies]] của hdnd.toml, ví dụ [{ids}]",
                      "the ids of the Committees in hdnd.toml's [[bodies]], as [{ids}]"),
    "template-no-bans": ("mã các Ban; hdnd.toml chưa có Ban nào trong [[bodies]]: thêm trước, ví dụ id = "
                         "\"ban-phap-che\", name = \"Ban Pháp chế HĐND xã\"", "the ids of the Committees; hdnd.toml "
                         "lists none in [[bodies]]: add them first, as id = \"ban-phap-che\", name = \"Ban Pháp chế\""),
    "template-written": ("Đã ghi {path}: điền [source], sửa từng quy tắc theo quy chế, rồi chạy 'hdnd check'.",
                         "Wrote {path}: fill in [source], correct each rule from your text, then run 'hdnd check'."),
    "not-a-revision": ("'{rev}' không phải thư mục bộ quy tắc, cũng không phải phiên bản git của không gian làm việc "
                       "({error})", "'{rev}' is neither a folder of packs nor a git revision of the workspace ({error})"),
    "diff.added": ("thêm", "added"), "diff.removed": ("bỏ", "removed"), "diff.changed": ("đổi hạn", "moved"),
    "diff.change": ("Thay đổi", "Change"), "diff.before": ("Hạn cũ", "Due before"), "diff.after": ("Hạn mới", "Due after"),
    "diff.none": ("Không nghĩa vụ nào thay đổi so với {rev} (tính đến {as_of}).",
                  "No obligation changes since {rev} (as of {as_of})."),
    "password-in-config": ("không ghi mật khẩu trong hdnd.toml: bỏ mật khẩu khỏi url; mật khẩu đặt ở PGPASSWORD, "
                           "~/.pgpass hoặc tệp dịch vụ của PostgreSQL",
                           "no password in hdnd.toml: remove it from the url; put it in PGPASSWORD, ~/.pgpass or a "
                           "PostgreSQL service file"),
    "bad-store-url": ("'url' = '{value}' không phải địa chỉ PostgreSQL (postgresql://vai-tro@máy-chủ/csdl)",
                      "'url' = '{value}' is not a PostgreSQL address (postgresql://role@host/database)"),
    "postgres-extra": ("không gian làm việc này ghi sổ trên PostgreSQL ([store] trong hdnd.toml) nhưng chưa cài trình "
                       "điều khiển: trong thư mục mã nguồn hdnd, chạy pip install -e '.[postgres]' (hoặc pip install "
                       "'psycopg[binary]') bằng đúng môi trường Python chạy hdnd",
                       "this workspace keeps its ledger in PostgreSQL ([store] in hdnd.toml) but the driver is not "
                       "installed: in hdnd's source folder run pip install -e '.[postgres]' (or pip install "
                       "'psycopg[binary]') with the Python environment that runs hdnd"),
    "db-unreachable": ("không kết nối được cơ sở dữ liệu {where}: {error}. Không có gì được ghi; thử lại khi máy chủ "
                       "hoạt động", "cannot reach the database {where}: {error}. Nothing was written; try again "
                       "when the server is up"),
    "db-login": ("cơ sở dữ liệu {where} từ chối đăng nhập: {error}. Kiểm tra vai trò trong url và mật khẩu (PGPASSWORD, "
                 "~/.pgpass hoặc tệp dịch vụ)", "the database {where} refused the login: {error}. Check the role in the "
                 "url and the password (PGPASSWORD, ~/.pgpass or a service file)"),
    "db-commit-unknown": ("mất kết nối với cơ sở dữ liệu {where} đúng lúc ghi ({error}): mục có thể đã được ghi hoặc "
                          "chưa. Chạy 'hdnd history' (hoặc 'hdnd explain MÃ') để xem trước khi ghi lại, để khỏi ghi "
                          "hai lần", "the connection to the database {where} was lost while the write was being "
                          "committed ({error}): it may or may not have been written. Run 'hdnd history' (or "
                          "'hdnd explain ID') to see before writing again, so as not to write it twice"),
    "own-file-refused": ("'{path}' là tệp hdnd tự ghi nhưng nay là một liên kết hay không phải tệp thường ({error}): "
                         "không đọc, không ghi qua nó; xóa nó rồi chạy lại", "'{path}' is a file hdnd keeps for itself "
                         "but is now a link or not a regular file ({error}): not read, not written through; remove "
                         "it and run again"),
    "db-unstorable": ("{where}: mục có ký tự PostgreSQL không lưu được (ký tự NUL, hay nửa cặp ký tự thay thế của "
                      "UTF-16): sửa mục rồi đẩy lại; chưa ghi gì", "{where}: the entry holds a character PostgreSQL "
                      "cannot store (a NUL, or half of a UTF-16 surrogate pair): correct it and push again; nothing "
                      "was written"),
    "db-bad-row": ("dòng này trong cơ sở dữ liệu không phải một mục sổ ({error}): sửa hoặc xóa nó (hỏi người quản trị "
                   "cơ sở dữ liệu); các mục khác vẫn được tính", "this row of the database is not a ledger entry "
                   "({error}): correct or remove it (ask the database's administrator); the other entries are computed"),
    "draft-too-many": ("văn bản có hơn {count} câu có thời hạn: không phải một quy chế; chỉ đưa phần quy chế vào",
                       "the text states more than {count} deadlines: not a regulation; give its regulation alone"),
    "document-not-file": ("'{path}' không phải một tệp thường (thư mục, FIFO, thiết bị): đưa tệp văn bản",
                          "'{path}' is not a regular file (a folder, a FIFO, a device): give the document's file"),
    "document-too-big": ("'{path}' lớn hơn {limit}: không phải một văn bản quy chế; chỉ đưa phần quy chế vào",
                         "'{path}' is larger than {limit}: not a regulation; give its regulation alone"),
    "document-too-long": ("'{path}' dài hơn {limit}: không phải một văn bản quy chế; chỉ đưa phần quy chế vào",
                          "'{path}' is longer than {limit}: not a regulation; give its regulation alone"),
    "cache-untrusted": ("bộ nhớ đệm {folder} không được dùng: thư mục hay tệp key của nó không phải của riêng người dùng "
                        "này (người khác ghi hoặc đọc được), hoặc key hỏng. Lệnh vẫn đúng nhưng chậm hơn; sửa quyền "
                        "(chmod 700 thư mục, chmod 600 key) hoặc xóa tệp key", "the cache {folder} is not used: its "
                        "folder or key file is not this user's alone (others may write or read it), or the key is "
                        "damaged. Commands stay right but run slower; fix the permissions (chmod 700 the folder, "
                        "chmod 600 the key) or remove the key file"),
    "db-failed": ("cơ sở dữ liệu báo lỗi: {error}; không ghi gì", "the database reported an error: {error}; nothing "
                  "was written"),
    "db-no-role": ("không có vai trò PostgreSQL '{role}': tạo trước bằng 'createuser {role}' (hoặc CREATE ROLE "
                   "\"{role}\" LOGIN), rồi cấp lại", "there is no PostgreSQL role '{role}': create it first with "
                   "'createuser {role}' (or CREATE ROLE \"{role}\" LOGIN), then grant again"),
    "db-refused": ("cơ sở dữ liệu từ chối: {error}", "the database refused: {error}"),
    "db-schema": ("cơ sở dữ liệu có lược đồ phiên bản {found}, hdnd cần {wanted}: chạy 'hdnd db init'",
                  "the database's schema is version {found} and hdnd needs {wanted}: run 'hdnd db init'"),
    "db-not-yours": ("vai trò '{role}' không được cấp quyền cho văn phòng '{office}': kiểm tra [store] office trong "
                     "hdnd.toml, hoặc nhờ quản trị chạy 'hdnd db grant {role} --office {office}'",
                     "role '{role}' has no grant for office '{office}': check [store] office in hdnd.toml, or ask "
                     "the administrator to run 'hdnd db grant {role} --office {office}'"),
    "by-office-needs-offices": ("--by office cần --offices (all hoặc a,b)", "--by office needs --offices (all or a,b)"),
    "db-no-store": ("lệnh này cần [store] trong hdnd.toml (hoặc HDND_DATABASE_URL)",
                    "this command needs [store] in hdnd.toml (or HDND_DATABASE_URL)"),
    "db-init-done": ("Lược đồ hdnd: phiên bản {before} → {after}.", "hdnd schema: version {before} → {after}."),
    "db-granted": ("Đã cấp quyền cho '{role}': {what}.", "Granted '{role}': {what}."),
    "db-grant-office": ("đọc và ghi văn phòng {office}", "read and write office {office}"),
    "db-grant-all": ("đọc mọi văn phòng", "read every office"),
    "db-grant-which": ("chọn một: --office ID hoặc --read-all", "choose one: --office ID or --read-all"),
    "db-pushed": ("Đã đưa lên {office}: {entries} mục, hdnd.toml và {packs} bộ quy tắc (phiên bản {version}).",
                  "Pushed to {office}: {entries} entries, hdnd.toml and {packs} rule packs (version {version})."),
    "db-push-taken": ("cơ sở dữ liệu đã có {count} mã của sổ này cho văn phòng {office} ({ids}): không đưa lên gì "
                      "(sổ này đã được đưa lên?)", "the database already holds {count} of this ledger's ids for office "
                      "{office} ({ids}): nothing pushed (was it pushed already?)"),
    "db-dumped": ("Đã ghi {entries} mục của {office} vào {files} tệp trong {folder}.",
                  "Wrote {office}'s {entries} entries to {files} file(s) in {folder}."),
    "db-dump-not-empty": ("thư mục '{path}' đã có tệp sổ: chọn thư mục trống", "'{path}' already holds ledger files: "
                          "choose an empty folder"),
    "db-office-unknown": ("không có văn phòng '{office}' (hoặc chưa được đưa lên) trong cơ sở dữ liệu",
                          "there is no office '{office}' (or nothing pushed for it) in the database"),
    "no-such-folder": ("không có thư mục '{path}': tạo thư mục trước, hoặc chọn chỗ khác",
                       "there is no folder '{path}': create it first, or choose another place"),
    "no-such-file": ("không có tệp '{path}'", "there is no file '{path}'"),
    "unknown-body-entry": ("'{body}' không phải cơ quan nào trong [[bodies]] của hdnd.toml{hint}: thư và báo cáo "
                           "theo cơ quan sẽ không tới được (thêm cơ quan, hoặc viết đúng mã hay tên)",
                           "'{body}' is no body in hdnd.toml [[bodies]]{hint}: mail and per-body figures will not "
                           "reach it (add the body, or write its id or name)"),
    "duplicate-key": ("trường '{name}' có hai lần trong một mục (lần đầu ở {other}): thiếu '- ' giữa hai mục?",
                      "field '{name}' appears twice in one entry (first at {other}): a '- ' missing between two entries?"),
    "bad-field-name": ("tên trường '{value}' phải là chữ (không phải số hay ngày)",
                       "field name '{value}' must be text (not a number or a date)"),
    "ambiguous-obligation": ("'{id}' có thể là: {names}; viết đúng mã (có dấu)",
                             "'{id}' could be: {names}; write the exact id (with its diacritics)"),
    "duplicate-column": ("'{path}' có cột trùng tên: {names}; đổi tên một cột rồi nhập lại",
                         "'{path}' has columns named twice: {names}; rename one and import again"),
    "bad-write-to": ("write_to = '{value}' chỉ được dùng {{year}} (năm của mục), ví dụ \"data/{{year}}.yaml\"",
                     "write_to = '{value}' may only use {{year}} (the entry's year), e.g. \"data/{{year}}.yaml\""),
    "lock-not-file": ("không dùng được tệp khóa {path} (không phải tệp thường): xóa nó rồi chạy lại",
                      "cannot use the lock file {path} (not a regular file): remove it and run again"),
    "lock-unusable": ("không dùng được tệp khóa {path} ({error}): xóa nó rồi chạy lại",
                      "cannot use the lock file {path} ({error}): remove it and run again"),
    "lock-busy": ("một lần ghi khác đang giữ {path} đã {seconds} giây: chạy lại sau (nếu không ai đang ghi, "
                  "xóa tệp này)", "another write has held {path} for {seconds} seconds: run again later (if no one "
                  "is writing, remove that file)"),
    "journal-unreadable": ("không đọc được nhật ký ghi {path} ({error}): kiểm tra các tệp trong data/ rồi xóa nó",
                           "cannot read the write journal {path} ({error}): check the files in data/, then remove it"),
    "field-near-miss": ("trường '{name}' - có phải '{meant}'? Các quy tắc đọc '{meant}': viết sai thì nghĩa vụ không "
                        "được tính (hoặc tính khác)", "field '{name}' - did you mean '{meant}'? The rules read "
                        "'{meant}': misspelt, an obligation is not made (or is made otherwise)"),
    "map-twice": ("hai cột cùng vào trường '{name}' ({columns}): chỉ giữ một (--map CỘT= để bỏ cột kia)",
                  "two columns go into the field '{name}' ({columns}): keep one (--map COLUMN= ignores the other)"),
    "footer-skipped": ("{path}: bỏ qua phần cuối sổ (dòng {rows}: không có ngày, như người lập sổ, tổng cộng, chữ ký)",
                       "{path}: the register's footer was skipped (rows {rows}: no date, as who kept it, a "
                       "total, a signature)"),
    "act-dated-ahead": ("ngày {date} chưa đến: việc đã làm (hoàn thành, gia hạn, miễn) không ghi ngày sau hôm nay; "
                        "nó chỉ được tính từ ngày đó, và đến ngày đó mới biết nghĩa vụ nó nêu có hay không",
                        "{date} has not come yet: what was done (met, extended, waived) is not dated after today; it "
                        "counts only from that day, and only then is it known whether its obligation exists"),
    "act-in-future": ("ngày {date} chưa đến: chỉ ghi việc đã làm", "{date} has not come yet: only what was done is recorded"),
    "event-in-future": ("'{kind}' ngày {date} chưa xảy ra: chỉ ghi trước các loại được lên lịch ({planned}, và [kinds] "
                        "planned trong hdnd.toml); ghi khi nó xảy ra", "'{kind}' on {date} has not happened yet: only kinds "
                        "planned ahead ({planned}, and hdnd.toml [kinds] planned) are recorded before their day"),
    "known-on-settings": ("Thiết lập và bộ quy tắc như lúc {moment}: bản git {commit}",
                          "Settings and rule packs as they were at {moment}: git commit {commit}"),
    "known-on-settings-today": ("Thiết lập và bộ quy tắc là của hôm nay (không có bản git nào đến {moment}): ngày đó có "
                                "thể khác", "Settings and rule packs are today's (no git commit by {moment}): that day's "
                                "may have differed"),
    "law-office-older": ("văn phòng {office} đẩy dữ liệu lên khi dùng luật {theirs}, cũ hơn luật ở đây ({ours}): số liệu "
                         "của văn phòng được tính theo luật {ours}", "office {office} pushed under the law {theirs}, "
                         "older than the one here ({ours}): its figures are computed under {ours}"),
    "law-copy": ("{path} là bản sao của một bộ quy tắc trong luật đang dùng ({version}): không đọc nữa, hdnd dùng bản "
                 "trong luật; có thể xóa tệp này", "{path} is a copy of a pack of the law in use ({version}): it is no "
                 "longer read, hdnd uses the law's; the file can be deleted"),
    "law-version": ("Luật đang dùng: {version} (ngày {date}, cách đây {age} ngày), {origin}: {path}",
                    "Law in use: {version} (of {date}, {age} days ago), {origin}: {path}"),
    "law-origin-bundled": ("kèm chương trình hdnd", "the one that came with hdnd"),
    "law-origin-installed": ("đã cài từ bộ luật", "installed from a bundle"),
    "law-template": ("mẫu, đang tắt", "template, switched off"),
    "law-calendar": ("Lịch làm việc: đã công bố {announced}; công bố một phần {partly}; các năm khác tính theo luật",
                     "Working calendar: announced {announced}; announced in part {partly}; other years computed from "
                     "the law"),
    "law-history": ("  {at}: {action} → {version}", "  {at}: {action} → {version}"),
    "law-state-unreadable": ("không đọc được {path} ({error}): xem lại hoặc xóa tệp này để dùng luật kèm chương trình",
                             "cannot read {path} ({error}): check it, or delete it to use the law that came with hdnd"),
    "law-bundle-unreadable": ("không đọc được bộ luật {path} ({error})", "cannot read the law bundle {path} ({error})"),
    "law-bundle-bad": ("bộ luật {path} hỏng hoặc không đúng dạng ({why}): không cài gì",
                       "the law bundle {path} is damaged or not a law bundle ({why}): nothing installed"),
    "law-bundle-unsigned": ("bộ luật {path} không có chữ ký: không cài gì", "the law bundle {path} is not signed: nothing installed"),
    "law-bundle-untrusted": ("chữ ký của bộ luật {path} không khớp khóa nào được tin (của dự án, hoặc [law] trusted_keys): "
                             "không cài gì", "the signature of the law bundle {path} matches no trusted key (the project's, "
                             "or [law] trusted_keys): nothing installed"),
    "law-not-newer": ("bộ luật {version} không mới hơn luật đang dùng ({current}): không cài gì",
                      "the law bundle {version} is not newer than the law in use ({current}): nothing installed"),
    "law-not-confirmed": ("chưa cài luật {version} (chưa xác nhận; trong tập lệnh dùng --yes)",
                          "the law {version} was not installed (not confirmed; in a script, use --yes)"),
    "law-ask": ("Cài luật {version}? [c/K] ", "Install the law {version}? [y/N] "),
    "law-installed": ("Đã cài luật {version} (luật trước: {previous}; quay lại: hdnd law install --rollback)",
                      "Installed the law {version} (the previous one: {previous}; to return: hdnd law install --rollback)"),
    "law-rolled-back": ("Đã quay lại: luật đang dùng là {version} (đã cài: {installed})",
                        "Rolled back: the law in use is {version} (installed: {installed})"),
    "law-no-rollback": ("chưa cài luật nào: đang dùng luật kèm chương trình", "no law was installed: the one that came "
                        "with hdnd is in use"),
    "law-install-what": ("cần tên tệp bộ luật, hoặc --rollback", "name the law bundle, or --rollback"),
    "bad-law-key": ("[law] trusted_keys: mỗi khóa là khóa công khai Ed25519 dạng base64 (44 ký tự)",
                    "[law] trusted_keys: each key is an Ed25519 public key in base64 (44 characters)"),
    "law-old": ("luật đang dùng ({version}) đã {age} ngày: có thể đã có luật mới (hdnd law; cài bằng hdnd law install)",
                "the law in use ({version}) is {age} days old: a newer one may exist (hdnd law; install it with hdnd "
                "law install)"),
    "law-no-tet": ("luật đang dùng ({version}) chưa có lịch nghỉ Tết năm {year} đã công bố: các hạn tính qua đó là hạn "
                   "tạm tính; cài luật mới khi có", "the law in use ({version}) does not hold {year}'s announced Tết "
                   "break: dates counted over it are provisional; install a newer law when there is one"),
    "journal-refused": ("nhật ký ghi {path} không phải do hdnd viết (ở {reason}): không đổi tên tệp nào; "
                        "xem nó và các tệp trong data/, rồi xóa nó",
                        "the write journal {path} is not one hdnd writes (at {reason}): no file was renamed; "
                        "look at it and the files in data/, then remove it"),
    "not-a-regular-file": ("'{path}' không phải là tệp thường (thư mục, thiết bị...): không ghi. Bỏ -o để in ra màn hình",
                           "'{path}' is not a regular file (a folder, a device...): not written. Leave out -o to print"),
    "read-only-file": ("'{path}' chỉ đọc: không ghi đè", "'{path}' is read-only: not overwritten"),
    "log-unwritable": ("không ghi được nhật ký thư đã gửi {path}: {error}. Thư ở trên đã đi; chạy lại sẽ gửi "
                       "lại chúng", "cannot write the sent-mail log {path}: {error}. The mail above went out; a "
                       "second run would send it again"),
    "plain-login": ("security = \"none\" với 'user': mật khẩu sẽ đi qua mạng không mã hóa. Dùng \"starttls\" hoặc "
                    "\"ssl\"; nếu máy chủ thư ở ngay máy này và văn phòng chấp nhận, ghi rõ plain_login = true",
                    "security = \"none\" with a 'user': the password would cross the network unencrypted. Use "
                    "\"starttls\" or \"ssl\"; if the server is on this machine and the office accepts it, say "
                    "plain_login = true"),
    "control-characters": ("'{name}' chứa ký tự xuống dòng hoặc ký tự điều khiển",
                           "'{name}' holds a line break or a control character"),
    "duplicate-body": ("mã cơ quan '{id}' bị trùng", "body id '{id}' is used twice"),
    "example-wrong": ("ví dụ sai: tính được hạn {got}, ví dụ ghi {want}",
                      "example fails: computed due date {got}, the example says {want}"),
    # --- errors that stop a command --------------------------------------------------------------
    "no-workspace": ("không tìm thấy hdnd.toml ở thư mục này hay thư mục cha. Tạo bằng 'hdnd init', "
                     "chỉ định bằng --config, hoặc xem ví dụ: 'hdnd due --example'",
                     "no hdnd.toml in this folder or its parents. Create one with 'hdnd init', point to "
                     "one with --config, or try the example: 'hdnd due --example'"),
    "config-missing": ("không có tệp cấu hình '{path}'", "the configuration file '{path}' does not exist"),
    "bad-option-date": ("'{value}' không phải là ngày hợp lệ từ năm 1900 đến 2200; viết 2024-11-30 hoặc 30/11/2024",
                        "'{value}' is not a valid date between 1900 and 2200; write 2024-11-30 or 30/11/2024"),
    "bad-paths": ("'{name}' phải là đường dẫn hoặc danh sách đường dẫn", "'{name}' must be a path or a list of paths"),
    "period-backwards": ("--to {end} ở trước --from {start}: kỳ đi từ --from đến --to (đổi chỗ hai ngày?)",
                         "--to {end} comes before --from {start}: a period runs from --from to --to (swap them?)"),
    "bad-option": ("{option} = '{value}' không hợp lệ; chọn một trong: {choices}",
                   "{option} = '{value}' is not valid; choose one of: {choices}"),
    "no-obligation-of-rule": ("không có nghĩa vụ '{id}': văn phòng không có nghĩa vụ nào theo quy tắc '{rule}' (quy tắc "
                              "không có, chưa hoặc hết hiệu lực, hay thuộc cấp khác: xem 'hdnd rules')",
                              "there is no obligation '{id}': the office has no obligation under rule '{rule}' (no "
                              "such rule, not or no longer in force, or of another level: see 'hdnd rules')"),
    "no-such-obligation": ("không có nghĩa vụ '{id}'{hint}", "no obligation '{id}'{hint}"),
    "no-such-rule": ("không có quy tắc '{id}'{hint}", "no rule '{id}'{hint}"),
    "did-you-mean": (" - có phải: {names}?", " - did you mean: {names}?"),
    "init-exists": ("'{path}' đã có hdnd.toml; không ghi đè", "'{path}' already has an hdnd.toml; not overwritten"),
    "bad-timezone": ("múi giờ '{value}' không hợp lệ", "time zone '{value}' is not known"),
    "strict-warnings": ("{count} cảnh báo, không có lỗi; --strict coi cảnh báo là lỗi: sửa các chỗ trên, hoặc chạy "
                        "'hdnd check' không có --strict", "{count} warning(s), no errors; --strict counts warnings as "
                        "errors: fix what is above, or run 'hdnd check' without --strict"),
    "problems-found": ("{count} lỗi; không tính toán trên dữ liệu chưa hợp lệ.",
                       "{count} problem(s); nothing is computed from files that do not validate."),
    "nothing-written": ("Không ghi gì: không tệp nào bị thay đổi.", "Nothing was written: no file was changed."),
    "example-read-only": ("không gian làm việc ví dụ chỉ để đọc; tạo không gian của văn phòng bằng 'hdnd init'",
                          "the example workspace is read-only; create the office's own with 'hdnd init'"),
    "add-reserved": ("dùng 'hdnd {kind}' để ghi mục '{kind}'", "use 'hdnd {kind}' to record a '{kind}' entry"),
    "bad-set": ("'{value}' không hợp lệ; viết trường=giá trị, tên trường gồm chữ, số, '_' và '-' (không dùng "
                "kind, date, id, recorded)", "'{value}' is not valid; write field=value, a field name of letters, "
                "digits, '_' and '-' (not kind, date, id or recorded)"),
    "bad-map": ("'{value}' không hợp lệ; viết cột=trường, tên trường gồm chữ, số, '_' và '-'",
                "'{value}' is not valid; write column=field, a field name of letters, digits, '_' and '-'"),
    "id-taken": ("mã '{id}' đã được dùng trong sổ", "id '{id}' is already used in the ledger"),
    "already-done": ("nghĩa vụ '{id}' đã hoàn thành ngày {date} {ref}", "obligation '{id}' was already met on {date} {ref}"),
    "already-waived": ("nghĩa vụ '{id}' đã được miễn", "obligation '{id}' is already waived"),
    "date-in-future": ("ngày {date} chưa đến", "{date} is in the future"),
    "done-before-start": ("nghĩa vụ '{id}' phát sinh từ ngày {start}, không thể hoàn thành ngày {date}",
                          "obligation '{id}' arises on {start}; it cannot have been met on {date}"),
    "extend-not-later": ("hạn mới phải sau hạn hiện tại của '{id}' ({due})",
                         "the new due date must be after the current one of '{id}' ({due})"),
    "write-to-outside": ("[paths] write_to = '{path}' nằm ngoài [paths] ledger: mục ghi vào sẽ không được đọc",
                         "[paths] write_to = '{path}' is outside [paths] ledger: entries written there would not be read"),
    "not-utf8": ("'{path}' không phải UTF-8: {error}", "'{path}' is not UTF-8: {error}"),
    "bad-spreadsheet": ("không đọc được bảng tính '{path}': {error}", "cannot read the spreadsheet '{path}': {error}"),
    "done-before-trigger": ("hoàn thành ngày {date}, trước khi nghĩa vụ '{id}' phát sinh ({start})",
                            "met on {date}, before obligation '{id}' arose ({start})"),
    "bad-env": ("{name} = '{value}' không hợp lệ; viết 2026-09-01 hoặc 2026-09-01T08:00",
                "{name} = '{value}' is not valid; write 2026-09-01 or 2026-09-01T08:00"),
    "bad-env-number": ("{name} = '{value}' không hợp lệ; viết một số, ví dụ {example}",
                       "{name} = '{value}' is not valid; write a number, such as {example}"),
    "option-not-here": ("lệnh này không dùng {option}", "this command does not take {option}"),
    "bad-option-moment": ("'{value}' không phải là thời điểm hợp lệ; viết 2026-09-01, 01/09/2026 hoặc 2026-09-01T08:00",
                          "'{value}' is not a valid time; write 2026-09-01, 01/09/2026 or 2026-09-01T08:00"),
    "notify-past": ("không gửi thư về một ngày đã qua ({day}): thư chỉ nói về hôm nay. Dùng --dry-run để xem, "
                    "hoặc --force nếu thật sự muốn gửi",
                    "no mail about a past day ({day}): mail is only about today. Use --dry-run to see it, or "
                    "--force to send it all the same"),
    "output-only-xlsx": ("-o của lệnh này chỉ ghi bảng tính .xlsx; {format} in ra màn hình (chuyển vào tệp bằng > tệp)",
                         "this command's -o writes only .xlsx spreadsheets; {format} goes to the screen (> file to "
                         "keep it)"),
    "xlsx-needs-output": ("định dạng xlsx cần -o TỆP.xlsx", "the xlsx format needs -o FILE.xlsx"),
    # --- output ------------------------------------------------------------------------------------
    "warnings": (" {count} cảnh báo ở trên (--strict coi cảnh báo là lỗi).",
                 " {count} warning(s) above (--strict fails on them)."),
    "check-ok": ("Hợp lệ: {rules} quy tắc, {entries} mục trong sổ, {obligations} nghĩa vụ.",
                 "Valid: {rules} rules, {entries} ledger entries, {obligations} obligations."),
    "nothing-due": ("Không có việc quá hạn hay đến hạn trong {horizon} ngày tới (tính đến {as_of}).",
                    "Nothing overdue or due within {horizon} days (as of {as_of})."),
    "nothing": ("Không có nghĩa vụ nào (tính đến {as_of}).", "No obligations (as of {as_of})."),
    "due-summary": ("{office} - ngày {as_of}: {counts}.", "{office} - {as_of}: {counts}."),
    "left-out": ("Theo sổ ghi đến {known_on}: {count} mục ghi vào sổ sau thời điểm đó không được tính.",
                 "As recorded by {known_on}: {count} entries recorded after that are left out."),
    "list-incomplete": ("CÓ THỂ THIẾU: {count} lỗi ở trên; danh sách dưới đây tính từ mọi mục hợp lệ, không có "
                        "các mục lỗi. Sửa rồi chạy 'hdnd check'.",
                        "MAY BE INCOMPLETE: {count} problem(s) above; the list below is computed from every valid "
                        "entry, without those in error. Fix them, then run 'hdnd check'."),
    "not-yet-known": ("Nghĩa vụ '{id}' chưa có trong sổ ghi đến {known_on}. Bỏ --known-on để xem cách tính hạn.",
                      "Obligation '{id}' was not in the ledger as recorded by {known_on}. Leave out --known-on "
                      "to see how it is due."),
    "recorded-later": ("Nghĩa vụ '{id}' chưa có trong sổ ghi đến {known_on}: mục '{kind}' làm phát sinh nghĩa vụ "
                       "({where}) được ghi vào sổ lúc {at}. Bỏ --known-on để xem cách tính hạn.",
                       "Obligation '{id}' was not in the ledger as recorded by {known_on}: the '{kind}' entry that "
                       "makes it ({where}) was recorded at {at}. Leave out --known-on to see how it is due."),
    "init-done": ("Đã tạo không gian làm việc ở {path}: hdnd.toml, rules/ ({packs} bộ quy tắc), data/ledger.yaml.\n"
                  "Tiếp theo: sửa hdnd.toml (tên văn phòng, cơ quan, email), rồi chạy 'hdnd due'.",
                  "Created a workspace in {path}: hdnd.toml, rules/ ({packs} packs), data/ledger.yaml.\n"
                  "Next: edit hdnd.toml (office name, bodies, e-mail), then run 'hdnd due'."),
    "no-rule-reads": ("Lưu ý: không quy tắc nào áp dụng cho văn phòng (cấp {level}) ngày {date} tính hạn từ một mục "
                      "'{kind}': mục được ghi nhưng không sinh nghĩa vụ nào. Nếu quy chế của văn phòng đặt hạn cho "
                      "việc này, viết quy tắc bằng 'hdnd rules new' (xem 'hdnd rules' để biết các quy tắc đang có)",
                      "Note: no rule that applies to the office (level {level}) on {date} counts a deadline from a "
                      "'{kind}' entry: it is recorded but makes no obligation. If the office's regulation sets a "
                      "deadline for it, write a rule with 'hdnd rules new' (see 'hdnd rules' for those in force)"),
    "written": ("Đã ghi {count} mục vào {path}: {ids}", "Wrote {count} entr(y/ies) to {path}: {ids}"),
    "would-write": ("Sẽ ghi {count} mục vào {path} (--dry-run: chưa ghi gì): {ids}",
                    "Would write {count} entr(y/ies) to {path} (--dry-run: nothing written): {ids}"),
    "calendar-computed": ("Năm {year} chưa có thông báo chính thức về ngày nghỉ lễ, Tết và ngày làm bù: các ngày dưới "
                          "đây được tính theo Bộ luật Lao động (Tết theo âm lịch), chưa phải lịch được công bố. Hạn "
                          "tính qua năm này là hạn tạm tính; văn phòng thêm ngày đã công bố vào [calendar] trong hdnd.toml.",
                          "{year}'s days off, Tết and make-up days are not yet announced: the days below are computed "
                          "from the Labour Code (Tết by the lunar calendar), not the announced schedule. Due dates that "
                          "cross this year are provisional; add announced days to hdnd.toml [calendar]."),
    "examples-ok": ("{count} ví dụ đúng.", "{count} example(s) pass."),
    "usage": ("dùng lệnh chưa đúng: {error} Xem '{command} --help'.", "bad usage: {error} See '{command} --help'."),
    "usage-no-command": ("không có lệnh '{name}'{like}", "there is no command '{name}'{like}"),
    "usage-no-option": ("lệnh này không có tùy chọn {name}{like}", "this command has no option {name}{like}"),
    "usage-like": (" (có phải {names}?)", " (did you mean {names}?)"),
    "usage-missing": ("thiếu {name}", "{name} is missing"),
    "usage-needs-value": ("tùy chọn {name} cần một giá trị", "option {name} needs a value"),
    "usage-takes-no-value": ("tùy chọn {name} không nhận giá trị", "option {name} takes no value"),
    "usage-bad-choice": ("{name} = '{value}' không hợp lệ; chọn một trong: {choices}",
                         "{name} = '{value}' is not valid; choose one of: {choices}"),
    "usage-bad-value": ("{name} = '{value}' không hợp lệ", "{name} = '{value}' is not valid"),
    "usage-extra": ("thừa '{words}': lệnh này không nhận thêm từ nào", "'{words}' is more than this command takes"),
    "usage-missing-command": ("thiếu lệnh", "a command is missing"),
    "internal-error": ("lỗi nội bộ: {error}. Chạy lại với HDND_DEBUG=1 để xem chi tiết",
                       "internal error: {error}. Run again with HDND_DEBUG=1 for details"),
    "output-mismatch": ("tệp '{path}' không hợp với định dạng {format}: đặt đuôi tệp theo định dạng (-o bao-cao.{format}) "
                        "hoặc bỏ -f để định dạng theo đuôi tệp",
                        "'{path}' does not suit the {format} format: name the file for it (-o report.{format}) or "
                        "leave out -f to take the format from the file's suffix"),
    # --- explain: how a due date was computed ------------------------------------------------------
    "explain.computed": ("Cách tính hạn:", "How the due date was computed:"),
    "explain.originally": ("hạn ban đầu {date}", "originally {date}"),
    "explain.provisional": ("Hạn tạm tính: tính qua năm chưa có thông báo chính thức về ngày nghỉ (Tết, nghỉ bù), nên "
                            "dùng ngày lễ theo luật; tính lại khi có thông báo (hdnd calendar).",
                            "Provisional: the computation crosses a year whose days off (Tết, swaps) are not yet "
                            "announced, so it uses the statutory holidays; it changes when they are (hdnd calendar)."),
    "explain.done-on": ("hoàn thành {date}", "done on {date}"),
    "explain.corrections": ("Đính chính:", "Corrections:"),
    "explain.acts": ("Những gì đã ghi về nghĩa vụ này, theo thứ tự:", "What was recorded about it, in order:"),
    "explain.withdrawn": ("hủy", "withdrawn"),
    "explain.fix-later": (" - chưa tính: sau ngày tính", " - not counted: after the evaluation date"),
    "explain.not-counted": ("Các mục không được tính:", "Entries not counted:"),
    "explain.after-known-on": ("ghi vào sổ lúc {at}, sau --known-on {known_on}",
                               "recorded at {at}, after --known-on {known_on}"),
    "explain.after-as-of": ("ngày {date}, sau ngày tính {as_of}", "dated {date}, after the evaluation date {as_of}"),
    "step.after-done": ("Nghĩa vụ trước hoàn thành ngày {day} ({where})",
                        "The previous obligation was met on {day} ({where})"),
    "step.event": ("Sự kiện {kind} '{id}' ({where}), '{field}' = {day}", "Event {kind} '{id}' ({where}), '{field}' = {day}"),
    "step.count-after": ("Không tính ngày bắt đầu (BLDS 2015, Điều 147); {amount} sau đó là {day}",
                         "The trigger day is not counted (Civil Code 2015, art. 147); {amount} after it is {day}"),
    "step.count-before": ("Không tính ngày bắt đầu (BLDS 2015, Điều 147); {amount} trước đó là {day}",
                          "The trigger day is not counted (Civil Code 2015, art. 147); {amount} before it is {day}"),
    "step.clamped": (" (tháng đó không có ngày tương ứng: ngày cuối tháng, Điều 148 khoản 3)",
                     " (no such day in that month: its last day, art. 148 §3)"),
    "step.skipped": ("; không tính: {days}", "; not counted: {days}"),
    "step.roll-forward": ("Ngày cuối không phải ngày làm việc, chuyển sang ngày làm việc tiếp theo (BLDS 2015, Điều 148 "
                          "khoản 5): bỏ qua {days} → {day}",
                          "The last day is not a working day, so it moves to the next working day (Civil Code 2015, "
                          "art. 148 §5): skipping {days} → {day}"),
    "step.roll-backward": ("Ngày cuối không phải ngày làm việc, chuyển sang ngày làm việc liền trước (theo quy tắc: "
                           "roll = \"backward\"): bỏ qua {days} → {day}",
                           "The last day is not a working day, so it moves to the previous working day (the rule says "
                           "roll = \"backward\"): skipping {days} → {day}"),
    "step.no-roll": ("{date} là ngày nghỉ ({reason}) nhưng quy tắc không dời hạn (roll = \"none\")",
                     "{date} is a day off ({reason}) but the rule does not move the date (roll = \"none\")"),
    "step.scheduled": ("Kỳ {period}: hạn theo lịch {day}", "Period {period}: scheduled for {day}"),
    "step.case": ("Tình tiết của vụ việc: {facts} ({where}), nên thời hạn là {amount}",
                  "Facts of the case: {facts} ({where}), so the period is {amount}"),
    "step.no-case": ("Vụ việc không có tình tiết ({names}) làm thay đổi thời hạn: thời hạn thường",
                     "No fact of the case ({names}) changes the period: the ordinary one"),
    "step.late-facts": ("Tình tiết ghi sau khi thời hạn đã hết không kéo dài thời hạn (việc xác định vụ việc phức tạp phải "
                        "bằng văn bản, Nghị định 155/2026/NĐ-CP Điều 3a khoản 2): {facts}",
                        "Facts recorded after the period had run out do not lengthen it (a complex case is a written "
                        "determination, Decree 155/2026 art. 3a(2)): {facts}"),
    "step.set-by": ("Hạn do văn bản ấn định ({where}): {day}", "Due date set by a document ({where}): {day}"),
    "step.pause": ("Tạm đình chỉ từ {start} đến {end} (Nghị định 155/2026/NĐ-CP Điều 28b khoản 2): đã dùng {used} "
                   "(đến hết ngày {start}), còn {left}, tính tiếp từ ngày sau {end}: {day}",
                   "Suspended from {start} to {end} (Decree 155/2026 art. 28b(2)): {used} used (up to {start}), {left} "
                   "left, counted again from the day after {end}: {day}"),
    "step.suspended": ("Tạm đình chỉ từ {start} ({where}), chưa có quyết định tiếp tục: thời hạn dừng; đã dùng {used}, "
                       "còn {left}", "Suspended from {start} ({where}), not yet continued: the clock is stopped; {used} "
                       "used, {left} left"),
    "explain.no-due": ("Hạn: chưa có, vụ việc đang tạm đình chỉ (còn {left} khi tiếp tục)",
                       "Due: none while the case is suspended ({left} left when it is continued)"),
    "extend-suspended": ("'{id}' đang tạm đình chỉ: ghi quyết định tiếp tục (suspended: false) trước khi gia hạn",
                         "'{id}' is suspended: record the continuation (suspended: false) before extending it"),
    "step.extended": ("Gia hạn đến {day}: {reason} ({where})", "Extended to {day}: {reason} ({where})"),
    "unit.d": ("{n} ngày", "{n} days"), "unit.wd": ("{n} ngày làm việc", "{n} working days"),
    "unit.m": ("{n} tháng", "{n} months"),
    "extensions-text": ("tối đa {max} lần, mỗi lần không quá {each}", "at most {max} times, each at most {each}"),

    # --- rules: what a rule says -------------------------------------------------------------------
    "every.year": ("hằng năm", "every year"), "every.quarter": ("hằng quý", "every quarter"),
    "every.month": ("hằng tháng", "every month"), "every.week": ("hằng tuần", "every week"),
    "schedule.month": ("tháng {n}", "month {n}"), "schedule.day": ("ngày {n}", "day {n}"),
    "schedule.last-day": ("ngày cuối tháng", "last day"),
    "schedule.at-least": ("ít nhất {count} {event}", "at least {count} {event}"),
    "deadline.when-done": ("khi '{rule}' hoàn thành", "when '{rule}' is done"),
    "deadline.unless": ("trừ {filter}", "unless {filter}"), "deadline.with": ("có {name}", "with {name}"),
    "deadline.after": ("{amount} sau {base}{cases}; {roll}", "{amount} after {base}{cases}; {roll}"),
    "deadline.before": ("{amount} trước {base}{cases}; {roll}", "{amount} before {base}{cases}; {roll}"),
    "deadline.case": ("; {amount} nếu {where}", "; {amount} if {where}"),
    "roll.forward": ("ngày nghỉ thì chuyển sang ngày làm việc sau", "a day off moves it to the next working day"),
    "roll.backward": ("ngày nghỉ thì chuyển về ngày làm việc trước", "a day off moves it to the working day before"),
    "roll.none": ("không chuyển", "not moved"),
    "schedule.quarter-month.1": ("tháng đầu quý", "the first month of the quarter"),
    "schedule.quarter-month.2": ("tháng giữa quý", "the second month of the quarter"),
    "schedule.quarter-month.3": ("tháng cuối quý", "the last month of the quarter"),
    "schedule.day-of": ("ngày {day} {month}", "day {day} of {month}"), "schedule.last": ("cuối", "last"),
    "schedule.month-name": ("tháng {n}", "month {n}"),
    "event.session": ("kỳ họp", "session"), "event.voter-contact": ("đợt tiếp xúc cử tri", "voter-contact round"),
    "event.complaint": ("khiếu nại", "complaint"), "event.denunciation": ("tố cáo", "denunciation"),
    "event.election": ("cuộc bầu cử", "election"), "event.interpellation": ("chất vấn", "interpellation"),
    "event.supervision": ("cuộc giám sát", "supervision"), "event.working-meeting": ("cuộc làm việc", "working meeting"),
    "event.voter-contact-request": ("đề nghị tiếp xúc cử tri", "request for a voter meeting"),
    "event.citizen-reception": ("buổi tiếp công dân", "citizen reception"),
    "when.session.date": ("ngày khai mạc kỳ họp", "the opening of the session"),
    "when.session.ends": ("ngày bế mạc kỳ họp", "the closing of the session"),
    "when.voter-contact.forwarded": ("ngày nhận báo cáo tổng hợp ý kiến, kiến nghị cử tri",
                                     "the day the voters' petitions were forwarded"),
    "when.complaint.date": ("ngày nhận khiếu nại", "the day the complaint was received"),
    "when.denunciation.date": ("ngày nhận tố cáo", "the day the denunciation was received"),
    "when.denunciation.accepted": ("ngày thụ lý tố cáo", "the day the denunciation was accepted"),
    "when.election.date": ("ngày bầu cử", "election day"),
    "when.any": ("ngày '{field}' của {event}", "'{field}' of the {event}"),
    "when.day": ("ngày {event}", "the day of the {event}"),
    "explain.progress": ("Tiến độ: {count}/{needed} {what}{found}", "Progress: {count}/{needed} {what}{found}"),
    "party.default": ("mặc định {body}", "default {body}"),
    "sure.local": ("văn bản địa phương", "local text"), "sure.verified": ("đã đối chiếu", "verified"),
    "sure.partial": ("một phần", "partial"),
    "sure.draft": ("bản nháp, chưa xác nhận", "draft, not confirmed"), "sure.confirmed": ("văn phòng đã xác nhận", "confirmed by the office"),
    "word.guessed": ("Đoán từ văn bản", "Guessed from the text"), "sure.off": (" (mẫu, đang tắt)", " (template, off)"),
    "note": ("Ghi chú [{pack}]: {note}", "Note [{pack}]: {note}"),

    # --- audit table ---------------------------------------------------------------------------------
    "audit.group": ("Nhóm", "Group"), "audit.total": ("Tổng", "All"), "audit.done": ("Đúng", "Done"),
    "audit.late": ("Trễ", "Late"), "audit.overdue": ("Quá", "Over"), "audit.waived": ("Miễn", "Waiv"),
    "audit.open": ("Mở", "Open"), "audit.rate": ("Tỷ lệ đúng hạn", "On-time rate"),
    "audit.days-late": ("Số ngày trễ (trung vị/nhiều nhất)", "Days late (median/most)"),

    # --- report ------------------------------------------------------------------------------------
    "report.title": ("Báo cáo thực hiện nghĩa vụ - {office}", "Report on obligations - {office}"),
    "report.heading": ("Báo cáo tình hình thực hiện các nghĩa vụ báo cáo, trả lời theo quy định",
                       "Report on the reports and answers owed under the rules"),
    "report.period": ("Kỳ báo cáo: từ {start} đến {end} (các nghĩa vụ có hạn trong kỳ); số liệu tính đến ngày {as_of}, "
                      "theo luật {law}", "Period: from {start} to {end} (obligations due in the period); figures as of "
                      "{as_of}, under the law {law}"),
    "explain.law": ("Tính theo luật {law} (hdnd law)", "Computed under the law {law} (hdnd law)"),
    "report.known-on": (", theo sổ ghi đến {known_on} ({left_out} mục ghi vào sổ sau thời điểm đó không được tính)",
                        ", from the ledger as recorded by {known_on} ({left_out} entries recorded later are not "
                        "counted)"),
    "report.figures": ("1. Số liệu tổng hợp", "1. Figures"),
    "report.rate-note": ("Tỷ lệ đúng hạn = số đúng hạn / (đúng hạn + trễ hạn + quá hạn). Nghĩa vụ được gia hạn hợp lệ "
                         "được tính theo hạn đã gia hạn.",
                         "On-time rate = on time / (on time + late + overdue). An obligation validly extended is "
                         "judged by its extended due date."),
    "report.by-body": ("2. Tỷ lệ đúng hạn theo cơ quan", "2. On-time rate by body"),
    "report.late": ("3. Các nghĩa vụ trễ hạn và quá hạn", "3. Late and overdue obligations"),
    "report.sources": ("4. Quy định áp dụng", "4. The rules that applied"),
    "report.footer": ("Lập bằng hdnd. Hạn được tính theo Bộ luật Dân sự 2015, Điều 147-148 và lịch nghỉ lễ, Tết được "
                      "công bố.",
                      "Made with hdnd. Due dates are counted under the Civil Code 2015, articles 147-148, and the "
                      "announced holidays."),
    "report.total": ("Tổng số nghĩa vụ", "Obligations"), "report.done": ("Đúng hạn", "On time"),
    "report.late-count": ("Trễ hạn", "Late"), "report.overdue": ("Quá hạn", "Overdue"),
    "report.waived": ("Được miễn", "Waived"), "report.open": ("Chưa đến hạn", "Not yet due"),
    "report.rate": ("Tỷ lệ đúng hạn", "On-time rate"),
    "report.nothing-due": ("Chưa có nghĩa vụ nào đến hạn trong kỳ.", "Nothing fell due in the period."),
    "report.none-late": ("Không có nghĩa vụ trễ hạn hay quá hạn.", "No obligation is late or overdue."),
    "report.not-yet": ("chưa có", "not yet"), "report.extended": (" (gia hạn)", " (extended)"),
    "report.col-obligation": ("Nghĩa vụ", "Obligation"), "report.col-body": ("Cơ quan", "Body"),
    "report.col-due": ("Hạn", "Due"), "report.col-status": ("Tình trạng", "Status"),
    "report.col-done": ("Văn bản (ngày, số)", "Document (date, number)"),
    "report.col-late": ("Số ngày trễ", "Days late"),
    "report.pack": ("{title}, hiệu lực {period}: {count} nghĩa vụ ({rules})",
                    "{title}, in force {period}: {count} obligations ({rules})"),
    "doc.nation": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
    "doc.motto": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "doc.number": ("Số: {number}", "No.: {number}"),
    "doc.place-date": ("{place}, ngày {day} tháng {month} năm {year}", "{place}, {day}/{month}/{year}"),
    "doc.title": ("BÁO CÁO", "REPORT"),
    "doc.subject": ("Tình hình thực hiện các nghĩa vụ báo cáo, trả lời theo quy định từ ngày {start} đến ngày {end}",
                    "On the reports and answers owed under the rules, from {start} to {end}"),
    "doc.recipients": ("Nơi nhận:", "To:"), "doc.as-above": ("- Như trên;", "- As above;"),
    "doc.archive": ("- Lưu: VT.", "- Archive."), "doc.signer-title": ("CHỨC VỤ NGƯỜI KÝ", "SIGNER'S TITLE"),
    "report.now": ("nay", "now"),
    "report.offices": ("5. Theo văn phòng", "5. By office"), "report.col-office": ("Văn phòng", "Office"),
    "report.manual": ("Nghĩa vụ do văn bản ấn định (kết luận giám sát, trả lời chất vấn...): {count}",
                      "Obligations set by a document (oversight conclusions, answers to questions...): {count}"),

    # --- spreadsheets ----------------------------------------------------------------------------------
    "sheet.named-history": ("Nghĩa vụ", "Obligations"), "sheet.named-due": ("Việc cần theo dõi", "Due"),
    "sheet.named-audit": ("Số liệu", "Figures"),
    "sheet.history-title": ("Các nghĩa vụ có hạn {period} - {office}, tính đến ngày {as_of}",
                            "Obligations due {period} - {office}, as of {as_of}"),
    "sheet.due-title": ("Việc quá hạn, đến hạn và sắp đến hạn - {office}, ngày {as_of}",
                        "Overdue, due today and due soon - {office}, {as_of}"),
    "sheet.audit-title": ("Số liệu thực hiện đúng hạn theo {by}, các nghĩa vụ có hạn {period} - {office}, tính đến "
                          "ngày {as_of}", "On-time figures by {by}, obligations due {period} - {office}, as of {as_of}"),
    "sheet.from-to": ("từ {start} đến {end}", "from {start} to {end}"), "sheet.from": ("từ {day}", "from {day}"),
    "sheet.to": ("đến {day}", "until {day}"), "sheet.all-time": ("trong mọi kỳ", "at any time"),
    "sheet.by-obligor": ("cơ quan", "body"), "sheet.by-rule": ("quy tắc", "rule"), "sheet.by-year": ("năm", "year"),
    "sheet.by-quarter": ("quý", "quarter"), "sheet.by-month": ("tháng", "month"), "sheet.by-office": ("văn phòng", "office"),
    "sheet.id": ("Mã nghĩa vụ", "Obligation id"), "sheet.rule": ("Quy tắc", "Rule"), "sheet.title": ("Nội dung", "Obligation"),
    "sheet.obligor_name": ("Cơ quan", "Body"), "sheet.obligor": ("Mã cơ quan", "Body id"),
    "sheet.recipient": ("Cơ quan nhận", "Recipient"), "sheet.due": ("Hạn", "Due"),
    "sheet.original_due": ("Hạn ban đầu", "Original due"), "sheet.extensions": ("Số lần gia hạn", "Extensions"),
    "sheet.status": ("Trạng thái", "Status"), "sheet.done_date": ("Ngày hoàn thành", "Done on"),
    "sheet.done_ref": ("Số, ký hiệu văn bản", "Document number"),
    "sheet.named-about": ("Thông tin", "About"), "about.office": ("Văn phòng", "Office"),
    "about.workspace": ("Không gian làm việc", "Workspace"), "about.as-of": ("Tính đến ngày", "Evaluated as of"),
    "about.known-on": ("Chỉ các mục ghi vào sổ đến", "Only entries recorded by"),
    "about.left-out": ("Mục ghi sau thời điểm đó, không tính", "Entries recorded after it, not counted"),
    "about.law": ("Phiên bản luật", "Law version"), "about.made-by": ("Lập bằng", "Made with"),
    "sheet.done_recorded_at": ("Ghi vào sổ lúc", "Recorded at"), "sheet.done_recorded_by": ("Người ghi", "Recorded by"),
    "sheet.done_file": ("Tệp minh chứng", "Evidence file"), "sheet.done_sha256": ("SHA-256 của tệp", "File SHA-256"), "sheet.days_late": ("Số ngày trễ", "Days late"),
    "sheet.days_left": ("Còn (ngày)", "Days left"), "sheet.basis": ("Căn cứ", "Basis"), "sheet.source": ("Nguồn", "Source"),
    "sheet.key": ("Nhóm", "Group"), "sheet.name": ("Tên", "Name"), "sheet.total": ("Tổng số", "Total"),
    "sheet.done": ("Đúng hạn", "On time"), "sheet.late": ("Trễ hạn", "Late"), "sheet.overdue": ("Quá hạn", "Overdue"),
    "sheet.waived": ("Được miễn", "Waived"), "sheet.open": ("Chưa đến hạn", "Not yet due"),
    "sheet.on_time_rate": ("Tỷ lệ đúng hạn", "On-time rate"),
    "sheet.median_days_late": ("Số ngày trễ (trung vị)", "Days late (median)"),
    "sheet.max_days_late": ("Số ngày trễ (nhiều nhất)", "Days late (most)"),
    "report-kind": ("'{path}': báo cáo ghi ra tệp .docx (văn bản để sửa và ký) hoặc .html",
                    "'{path}': the report is written as .docx (a document to edit and sign) or .html"),
    "progress-reading": ("Đang đọc sổ", "Reading the ledger"),
    "progress-computing": ("Đang tính các nghĩa vụ", "Computing the obligations"),
    "progress-offices": ("Đang tính từng văn phòng", "Evaluating each office"),
    "file-written": ("Đã ghi {path}.", "Wrote {path}."),

    # --- mail and calendar feed --------------------------------------------------------------------
    "mail.subject": ("[hdnd] {name}: {overdue} việc quá hạn, {today} đến hạn hôm nay, {soon} sắp đến hạn ({date})",
                     "[hdnd] {name}: {overdue} overdue, {today} due today, {soon} due soon ({date})"),
    "mail.greeting": ("Kính gửi {name},", "To {name},"),
    "mail.intro": ("Danh sách việc cần theo dõi tính đến ngày {date}:", "What to follow up as of {date}:"),
    "mail.item": ("- {title}\n  Hạn: {due} ({status}, {days})\n  Mã: {id}", "- {title}\n  Due: {due} ({status}, {days})\n  Id: {id}"),
    "mail.item-source": ("  Căn cứ: {source}", "  Source: {source}"),
    "mail.signature": ("Thư gửi tự động từ sổ theo dõi hạn của văn phòng (hdnd); trả lời thư này sẽ không ai đọc.",
                       "Sent automatically from the office's deadline register (hdnd); replies to it are not read."),
    "mail.col-status": ("Trạng thái", "Status"), "mail.col-due": ("Hạn", "Due"), "mail.col-days": ("Số ngày", "Days"),
    "mail.col-title": ("Nội dung", "Obligation"), "mail.col-source": ("Căn cứ", "Source"),
    "feed.about": ("Việc chưa hoàn thành của {office}, tính lúc {now} theo luật {law} (hdnd)",
                   "Open obligations of {office}, computed at {now} under law {law} (hdnd)"),
    "feed.name": ("Hạn - {office}", "Deadlines - {office}"),
    "feed.id": ("Mã: {id}", "Id: {id}"), "feed.body": ("Cơ quan: {body}", "Body: {body}"),
    "feed.source": ("Căn cứ: {source}", "Source: {source}"),
    "no-address": ("{body} không có địa chỉ e-mail trong hdnd.toml: không gửi được (thêm email = \"...\" vào "
                   "[[bodies]] của cơ quan)", "{body} has no e-mail address in hdnd.toml: not notified (add email = "
                   "\"...\" to the body's [[bodies]])"),
    "mail-unsure": ("có thể đã gửi: {to} (máy chủ không trả lời sau khi đã nhận hết thư). Không tự gửi lại; xem hộp "
                    "thư người nhận, hoặc 'hdnd notify --force' để gửi lại", "may have been sent: {to} (the server did "
                    "not answer once it had the whole message). Not sent again unasked; check with the recipient, or "
                    "'hdnd notify --force' to send again"),
    "mail-sent": ("Đã gửi: {to}", "Sent: {to}"),
    "mail-skipped": ("Đã gửi hôm nay, bỏ qua: {to}", "Already sent today, skipped: {to}"),
    "mail-failed": ("không gửi được:", "could not send:"),
    "mail-counts": ("Đã gửi: {sent}; chưa gửi: {failed}", "Sent: {sent}; not sent: {failed}"),
}

COUNTED = {  # a status after a number, in the morning header: "2 sắp đến hạn"
    "overdue": ("quá hạn", "overdue"), "today": ("đến hạn hôm nay", "due today"),
    "soon": ("sắp đến hạn", "due soon"), "open": ("chưa đến hạn", "not yet due"),
    "done": ("hoàn thành đúng hạn", "done on time"), "late": ("hoàn thành trễ hạn", "done late"),
    "waived": ("được miễn", "waived"), "suspended": ("tạm đình chỉ", "suspended"),
}

STATUS = {
    "overdue": ("quá hạn", "overdue"), "today": ("hôm nay", "today"), "soon": ("sắp đến hạn", "soon"),
    "open": ("chưa đến hạn", "open"), "done": ("đúng hạn", "done"), "late": ("trễ hạn", "late"),
    "waived": ("miễn", "waived"), "suspended": ("tạm đình chỉ", "suspended"),
}

WORDS = {
    "status": ("Trạng thái", "Status"), "due": ("Hạn", "Due"), "days": ("Ngày", "Days"),
    "id": ("Mã", "Id"), "title": ("Nội dung / mã", "Obligation / id"), "obligor": ("Cơ quan", "Body"),
    "done": ("Hoàn thành", "Done"), "date": ("Ngày", "Date"), "name": ("Tên", "Name"),
    "kind": ("Loại", "Kind"), "document": ("Văn bản", "Document"), "weekday": ("Thứ", "Day"),
    "source": ("Nguồn", "Source"), "deadline": ("Thời hạn", "Deadline"), "in_force": ("Hiệu lực", "In force"),
    "sureness": ("Độ tin cậy", "How sure"), "provisional": ("hạn tạm tính", "provisional"),
    "act-done": ("hoàn thành", "done"), "act-extend": ("gia hạn", "extended"), "act-waive": ("miễn", "waived"),
    "act-voided": ("đã hủy", "voided"),
    "late-fact": ("tình tiết ghi sau hạn: {where}", "fact recorded after the period: {where}"),
    "left": ("còn {n} ngày", "{n} days left"),
    "left-paused": ("còn {left} khi tiếp tục", "{left} left when continued"), "late_by": ("trễ {n} ngày", "{n} days late"),
    "early_by": ("sớm {n} ngày", "{n} days early"), "on_day": ("đúng ngày", "on the day"),
    "statutory": ("ngày lễ", "holiday"), "computed": ("ngày lễ (tạm tính)", "holiday (computed)"), "announced": ("nghỉ theo thông báo", "announced day off"),
    "office": ("văn phòng bổ sung", "added by the office"), "make-up": ("làm bù", "make-up working day"),
    "not-off": ("không nghỉ", "not a day off"), "body": ("Cơ quan", "Body"), "basis": ("Căn cứ", "Source"),
    "quote": ("Văn bản ghi", "The text says"), "owed_by": ("Nghĩa vụ của", "Owed by"), "note": ("Ghi chú", "Note"),
    "extensions": ("Gia hạn", "Extensions"), "met_by": ("Hoàn thành khi có", "Met by"), "example": ("Ví dụ", "Example"),
    "warning": ("cảnh báo: ", "warning: "), "default": ("mặc định", "default"),
    "level-province": ("tỉnh", "province"), "level-commune": ("xã", "commune"), "level-district": ("huyện", "district"),
    "level-none": ("chưa ghi cấp", "no level set"),
}

WEEKDAYS = (("Thứ Hai", "Mon"), ("Thứ Ba", "Tue"), ("Thứ Tư", "Wed"), ("Thứ Năm", "Thu"),
            ("Thứ Sáu", "Fri"), ("Thứ Bảy", "Sat"), ("Chủ nhật", "Sun"))

# One catalog: the status, count and table words and the weekdays are keys like every sentence.
CATALOG.update({f"status.{k}": v for k, v in STATUS.items()})
CATALOG.update({f"counted.{k}": v for k, v in COUNTED.items()})
CATALOG.update({f"word.{k}": v for k, v in WORDS.items()})
CATALOG.update({f"weekday.{number}": v for number, v in enumerate(WEEKDAYS)})
CATALOG["moment.end-of"] = ("hết ngày {date}", "the end of {date}")


def language_of(environ: Mapping[str, str]) -> str:
    """The language the locale asks for: the first of LC_ALL, LC_MESSAGES, LANG that is set, English
    when it starts with 'en', else Vietnamese."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "en" if value.startswith("en") else "vi"
    return "vi"


def status(name: str, lang: str) -> str:
    return say(f"status.{name}", lang)


def weekday(day: date, lang: str) -> str:
    return say(f"weekday.{day.weekday()}", lang)


@cache  # a long list writes a few thousand days many times over
def vn_date(day: date | None) -> str:
    """dd/mm/yyyy; a due date that does not exist yet (a suspended case) is a dash."""
    return "—" if day is None else day.strftime("%d/%m/%Y")


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics: 'Ủy ban' -> 'uy ban'."""
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def moment_text(moment: datetime, lang: str) -> str:
    """A `--known-on` time as offices write it: 'hết ngày 01/09/2026' (a bare date), '08:00 01/09/2026'."""
    if (moment.hour, moment.minute, moment.second) == (23, 59, 59):
        return say("moment.end-of", lang, date=moment.date())
    return f"{moment:%H:%M} {vn_date(moment)}"


def say(key: str, lang: str, **params: Any) -> str:
    near = params.pop("near", None)
    values = {k: amount_text(v, lang) if _is_amount(v) else shown(v) for k, v in params.items()}
    if near is not None:
        values["hint"] = say("did-you-mean", lang, names=", ".join(shown(n) for n in near)) if near else ""
    return CATALOG[key][lang == "en"].format(**values)


_CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")
_BOUNDED = reprlib.Repr()
_BOUNDED.maxlevel, _BOUNDED.maxstring, _BOUNDED.maxother = 2, 80, 80
_BOUNDED.maxlist = _BOUNDED.maxtuple = _BOUNDED.maxdict = _BOUNDED.maxset = 5


def shown(value: Any) -> Any:
    """A value as a message shows it, bounded whatever it is: a date as offices write it, long text
    cut, a huge number or a nested structure (a YAML alias bomb) summarised, never walked whole."""
    if isinstance(value, date):
        return vn_date(value)
    if value is None:
        return "—"
    if isinstance(value, bool) or isinstance(value, float):
        return value
    if isinstance(value, PurePath):
        return shown(str(value))
    if isinstance(value, int):
        return value if value.bit_length() <= 256 else f"<{int(value.bit_length() * 0.30103)} chữ số / digits>"
    if isinstance(value, (str, BaseException)):
        text = _CONTROL.sub(lambda found: repr(found.group())[1:-1], str(value))  # a message stays one line
        return text if len(text) <= 200 else text[:200] + "…"
    return _BOUNDED.repr(value)


def phrase(key: str, lang: str, **params: Any) -> str:
    """Output text (a report's heading, an explanation's step): like `say`, dates written dd/mm/yyyy,
    but the values are what hdnd itself shows in full (a pack's note, a rule's quote), not bounded."""
    values = {k: vn_date(v) if isinstance(v, date) else amount_text(v, lang) if _is_amount(v) else v
              for k, v in params.items()}
    return CATALOG[key][lang == "en"].format(**values)


class Amount(Protocol):
    """A period as the law writes it (model.Amount: 30 days, 5 working days, 1 month), said in words."""

    @property
    def number(self) -> int: ...

    @property
    def unit(self) -> str: ...  # "d" | "wd" | "m"


def _is_amount(value: Any) -> bool:
    """Whether `value` is an `Amount` (model.Amount, a named tuple): asked of every value of every
    message, so not through a runtime Protocol check, which costs 30 µs a value."""
    return isinstance(value, tuple) and hasattr(value, "unit") and hasattr(value, "number")


def amount_text(amount: Amount, lang: str) -> str:
    """A period in words: "3 ngày làm việc", "30 days", never "3wd"."""
    return phrase(f"unit.{amount.unit}", lang, n=amount.number)


def word(key: str, lang: str, **params: Any) -> str:
    """A table word or a short phrase: 'Hạn', 'còn 3 ngày'."""
    text = phrase(f"word.{key}", lang, **params)
    return text.replace("1 days", "1 day") if params.get("n") == 1 else text
