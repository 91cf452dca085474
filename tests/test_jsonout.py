"""clubtool._jsonout: the JSON every command writes — loads back to the same object, and one
entry (a club, an indicator, a file) per line."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from clubtool import _jsonout as jsonout

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20)


@given(st.dictionaries(st.text(max_size=8), values, max_size=6) | values)
def test_loads_back_to_the_same_object(obj):
    text = jsonout.dumps(obj)
    assert json.loads(text) == obj
    assert text.endswith("\n")
    buf = io.StringIO()
    jsonout.write(obj, buf)
    assert buf.getvalue() == text


def test_one_entry_per_line_and_keys_as_json_writes_them():
    clubs = [{"club_id": f"B-{i:05d}", "values": {"nu": 0.5, "tên": "Hòa"}} for i in range(3000)]
    obj = {"year": 2027, "clubs": clubs, "plan": {"name": "Kế hoạch", "ages": [60, 70]},
           "empty": [], "none": {}, "figures": {1: {"a": [1]}, None: 2}}
    text = jsonout.dumps(obj)
    lines = text.splitlines()
    assert lines[0] == "{" and lines[1] == '  "year": 2027,' and lines[-1] == "}"
    assert lines[2] == '  "clubs": ['
    assert lines[3] == '    {"club_id": "B-00000", "values": {"nu": 0.5, "tên": "Hòa"}},'
    assert lines[3 + 2999] == '    {"club_id": "B-02999", "values": {"nu": 0.5, "tên": "Hòa"}}'
    assert '    "ages": [60, 70]' in lines and '  "empty": [],' in lines
    assert '    "1": {"a": [1]},' in lines and '    "null": 2' in lines
    assert json.loads(text) == json.loads(json.dumps(obj))


def test_text_is_not_escaped_and_control_characters_are():
    text = jsonout.dumps({"tên": "Nguyễn Thị Hòa\n\"=1+1\"\u2028"})
    assert "Nguyễn Thị Hòa" in text and "\\n" in text and '\\"=1+1\\"' in text
    assert json.loads(text)["tên"] == "Nguyễn Thị Hòa\n\"=1+1\"\u2028"
