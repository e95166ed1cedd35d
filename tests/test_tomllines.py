"""Where each key of a TOML file was written: the table the line mapper must get right."""
import pytest

from hdnd_cli.parse.tomllines import key_lines, line_of

PACK = '''\
[source]
id = "x"
in_force.from = 2025-07-01

[[rules]]
id = "a"
deadline.after = "30d"
deadline.roll = "forward"
obligors = [
  "ubnd",
  "chu-tich = not a key",
]
trigger = { event = "session" }

[[rules]]
id = "b"
examples = [
  { trigger = 2026-01-05, due = 2026-02-04 },
  { trigger = 2026-03-02,
    due = 2026-04-01 },
]
note = """
deadline = "not a key either"
"""
quote = "một = hai"

[rules.deadline]
after = "15d"
cases = [{ where = { complex = true }, after = "45d" }, { where = { far = true },
  after = "60d" }]
'''


@pytest.mark.parametrize("path, line", [
    (("source",), 1),
    (("source", "in_force"), 3),
    (("source", "in_force", "from"), 3),
    (("rules", 0), 5),
    (("rules", 0, "deadline"), 7),           # a dotted key places its table
    (("rules", 0, "deadline", "after"), 7),
    (("rules", 0, "deadline", "roll"), 8),
    (("rules", 0, "obligors"), 9),
    (("rules", 0, "obligors", 0), 10),      # the items of a multi-line array
    (("rules", 0, "obligors", 1), 11),
    (("rules", 0, "chu-tich"), None),        # text inside an array is not a key
    (("rules", 0, "trigger"), 13),
    (("rules", 1), 15),
    (("rules", 1, "examples", 0), 18),
    (("rules", 1, "examples", 1), 19),
    (("rules", 1, "note"), 22),          # the key that opens a multi-line string
    (("rules", 1, "deadline"), 27),          # `[rules.deadline]`: the table of the latest rule
    (("rules", 1, "deadline", "after"), 28),
    (("rules", 1, "deadline", "cases", 0), 29),
    (("rules", 1, "deadline", "cases", 1), 29),
    (("rules", 1, "quote"), 25),
])
def test_each_key_is_placed_on_its_line(path, line):
    assert key_lines(PACK).get(path) == line


def test_a_key_inside_a_multi_line_string_is_not_a_key():
    lines = key_lines(PACK)
    assert ("rules", 1, "deadline") in lines and lines[("rules", 1, "deadline")] == 27  # not line 23


def test_an_unknown_path_falls_back_to_its_nearest_known_table():
    lines = key_lines(PACK)
    assert line_of(lines, "rules", 0, "obligors", 7) == 9
    assert line_of(lines, "rules", 1, "deadline", "cases", 1, "after") == 29
    assert line_of(lines, "nothing") == 1
