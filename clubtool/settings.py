"""Settings: defaults here, then `clubtool.toml`, then `CLUBTOOL_…` variables, then options.

Precedence (highest first): command-line option > environment variable > clubtool.toml >
default. Unknown keys and bad values are errors with a clear Vietnamese message.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .i18n import LANGS, Joined, Msg, message, msg

CONFIG_NAME = "clubtool.toml"
ARCHIVE_NAME = "clubtool.sqlite"
ENV_PREFIX = "CLUBTOOL_"
AS_OF_POLICIES = ("auto", "year-end")


class SettingsError(ValueError):
    """A settings file or variable that cannot be used; the message is for the officer."""


@dataclass(frozen=True)
class Settings:
    commune: str = ""  # Tên xã
    province: str = ""  # Tỉnh
    data_dir: Path = Path("du_lieu")  # thư mục các tệp câu lạc bộ gửi về
    out_dir: Path = Path("bao_cao")  # thư mục kết quả
    commune_file: Path | None = None  # tệp mẫu của xã (nếu không, tự tìm trong data_dir)
    formats: tuple[str, ...] = ("docx", "html")
    plan: Path | None = None  # tệp kế hoạch TOML khác với kế hoạch Mai Hoa
    lang: str = "vi"
    as_of: str = "auto"  # "auto" (31/12, hoặc hôm nay nếu đang trong năm), "year-end", hoặc ngày
    year: int | None = None
    jobs: int | None = None
    # Bounds for reading one file (each file is read in a worker process): memory a worker
    # may use above its own at start, and seconds; past them the file is `file-too-large`.
    max_file_mb: int = 200
    max_file_seconds: float = 3.0
    # The archive of every year (SQLite), also the cache of files already read; relative to
    # clubtool.toml. Without clubtool.toml the cache is in the user's cache folder.
    archive: Path | None = None  # set to <folder of clubtool.toml>/clubtool.sqlite when read
    cache: bool = True  # False (or CLUBTOOL_CACHE=0, --no-cache): every file read afresh
    source: Path | None = field(default=None, compare=False)  # the clubtool.toml read, if any

    def as_of_date(self, year: int, today: dt.date | None = None) -> dt.date | None:
        """The as-of date the policy gives for `year` (None: let the indicators decide)."""
        if self.as_of == "auto":
            return None
        if self.as_of == "year-end":
            return dt.date(year, 12, 31)
        return parse_date_option(self.as_of)


_KEYS = {f.name for f in fields(Settings)} - {"source"}


def parse_date_option(text: str) -> dt.date:
    """A date given on the command line or in settings: yyyy-mm-dd or dd/mm/yyyy."""
    from .values import BadValue, parse_date

    try:
        return parse_date(text.strip())
    except BadValue:
        raise SettingsError(msg("settings.not_a_date", text=text)) from None


# long: one branch per kind of setting, each a few lines
def _coerce(name: str, value: Any, base: Path) -> Any:
    """A raw value from TOML or the environment as the type of setting `name`."""
    where = f"'{name}'"
    if name in ("data_dir", "out_dir", "commune_file", "plan", "archive"):
        if value in ("", None):
            return None if name in ("commune_file", "plan", "archive") else Path(".")
        if not isinstance(value, str):
            raise SettingsError(msg("settings.path", where=where))
        p = Path(value).expanduser()
        return p if p.is_absolute() else base / p
    if name == "formats":
        from .outputs import parse_formats

        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
            raise SettingsError(msg("settings.list", where=where))
        try:
            return parse_formats(items)
        except ValueError as exc:
            raise SettingsError(msg("settings.in_setting", where=where, error=message(exc))) from None
    if name in ("year", "jobs"):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise SettingsError(msg("settings.integer", where=where, value=value)) from None
        if name == "year" and not 2000 <= number <= 2100:
            raise SettingsError(msg("settings.bad_year", where=where, year=number))
        if name == "jobs" and number < 1:
            raise SettingsError(msg("settings.at_least_one", where=where))
        return number
    if name == "max_file_mb":
        try:
            if isinstance(value, bool | float):  # TOML true or 1.5: never a silent int()
                raise ValueError
            number = int(value)
        except (TypeError, ValueError):
            raise SettingsError(msg("settings.megabytes", where=where, value=value)) from None
        if number < 1:
            raise SettingsError(msg("settings.at_least_one", where=where))
        return number
    if name == "max_file_seconds":
        try:
            seconds = float(value.replace(",", ".") if isinstance(value, str) else value)
        except (TypeError, ValueError):
            seconds = float("nan")
        if isinstance(value, bool) or not seconds > 0 or seconds == float("inf"):
            raise SettingsError(msg("settings.seconds", where=where, value=value))
        return seconds
    if name == "cache":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on", "có"):
            return True
        if text in ("0", "false", "no", "off", "không"):
            return False
        raise SettingsError(msg("settings.boolean", where=where, value=value))
    if name == "lang":
        if value not in LANGS:  # any language with a catalogue file (clubtool/locales/)
            quoted = [f"'{x}'" for x in LANGS]
            raise SettingsError(msg("settings.lang", where=where, value=value, choices=msg(
                "settings.choices", first=", ".join(quoted[:-1]), last=quoted[-1])))
        return value
    if name == "as_of":
        if isinstance(value, dt.date):
            return value.isoformat()
        if not isinstance(value, str):
            raise SettingsError(msg("settings.as_of", where=where))
        if value not in AS_OF_POLICIES:
            parse_date_option(value)
        return value
    if not isinstance(value, str):
        raise SettingsError(msg("settings.text", where=where))
    return value


def find_config(start: Path | None = None) -> Path | None:
    """`clubtool.toml` in the working folder, if there is one."""
    candidate = (start or Path.cwd()) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_settings(config: Path | None = None, *, env: Mapping[str, str] | None = None,
                  options: Mapping[str, Any] | None = None, cwd: Path | None = None) -> Settings:
    """Settings from defaults < clubtool.toml < CLUBTOOL_… variables < options (not None)."""
    env = os.environ if env is None else env
    cwd = cwd or Path.cwd()
    values: dict[str, Any] = {}
    path = config if config is not None else find_config(cwd)
    base = cwd
    if config is not None and not config.is_file():
        raise SettingsError(msg("settings.no_config", config=config))
    if path is not None:
        base = path.parent
        try:
            # utf-8-sig: Notepad on older Windows starts the file with a byte-order mark
            text = path.read_text(encoding="utf-8-sig")
        except OSError:
            raise SettingsError(msg("settings.unreadable", path=path)) from None
        except UnicodeDecodeError:
            raise SettingsError(msg("settings.not_utf8", name=path.name)) from None
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(toml_error_message(path.name, text, exc)) from None
        _refuse_escaped_paths(path.name, text, raw)
        unknown = sorted(set(raw) - _KEYS)
        if unknown:
            raise SettingsError(msg("settings.unknown_keys", name=path.name,
                                    unknown=", ".join(unknown), keys=", ".join(sorted(_KEYS))))
        values.update({k: _coerce(k, v, base) for k, v in raw.items()})
    for name in _KEYS:
        var = ENV_PREFIX + name.upper()
        if env.get(var, "").strip():
            try:
                values[name] = _coerce(name, env[var].strip(), cwd)
            except SettingsError as exc:
                raise SettingsError(msg("settings.env", var=var, error=message(exc))) from None
    for name, value in (options or {}).items():
        if value is None:
            continue
        if name not in _KEYS:
            raise KeyError(name)  # a programming error, not the officer's
        values[name] = value if isinstance(value, Path) else _coerce(name, value, cwd)
    if path is not None:  # defaults of folders are beside clubtool.toml too, as its values
        if values.get("archive") is None:
            values["archive"] = base / ARCHIVE_NAME
        for name in ("data_dir", "out_dir"):
            values.setdefault(name, base / getattr(Settings(), name))
    settings = replace(Settings(), **values)
    return replace(settings, source=path)



# --- mistakes in clubtool.toml, explained --------------------------------------------------

_PATH_KEYS = ("data_dir", "out_dir", "commune_file", "plan", "archive")
_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
_KEY_VALUE = re.compile(r"""^\s*([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*$""")
_DOUBLE_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"?')

#: tomllib's messages (how they start) and what they mean for the officer (catalogue keys).
_TOML_PROBLEMS = (
    ("Unescaped '\\'", "settings.toml_backslash"),
    ("Invalid hex value", "settings.toml_backslash"),
    ("Escaped character", "settings.toml_backslash"),
    ("Illegal character '\\n'", "settings.toml_unclosed_quote"),
    ("Unterminated string", "settings.toml_unclosed_quote"),
    ("Illegal character", "settings.toml_control"),
    ("Found invalid character", "settings.toml_invalid_char"),
    ("Unclosed array", "settings.toml_unclosed_array"),
    ("Unclosed inline table", "settings.toml_unclosed_table"),
    ("Invalid value", "settings.toml_invalid_value"),
    ("Invalid date", "settings.toml_invalid_date"),
    ("Invalid statement", "settings.toml_invalid_statement"),
    ("Invalid initial character for a key", "settings.toml_invalid_key"),
    ("Expected '=' after a key", "settings.toml_expected_equals"),
    ("Expected newline or end of document", "settings.toml_trailing"),
    ("Expected ']", "settings.toml_expected_bracket"),
    ("Cannot overwrite a value", "settings.toml_twice"),
    ("Cannot declare", "settings.toml_twice"),
    ("Duplicate", "settings.toml_duplicate"),
)
_TOML_PROBLEM_ELSE = "settings.toml_other"


def _lines(*parts: str | None) -> str:
    """The lines that follow a message's first line ("\n" before each), as one message
    part (a `Joined`: each line said again in the officer's language); "" without any."""
    shown = [p for p in parts if p]
    return Joined("\n", ["", *shown]) if shown else ""


def toml_error_message(file_name: str, text: str, exc: Exception) -> Msg:
    """A TOML syntax error of clubtool.toml told in the officer's words: where (line and
    column), what is wrong, and for a Windows path written with a backslash inside "…" the
    two ways that work. tomllib's own text is never shown."""
    raw = str(exc)
    line_no: int | None = None
    where: str = ""
    if (m := _TOML_AT.search(raw)) is not None:
        line_no = int(m.group(1))
        where = msg("settings.toml_at", line=line_no, column=m.group(2))
        raw = raw[:m.start()]
    elif (m := _TOML_AT_END.search(raw)) is not None:
        where = msg("settings.toml_at_end")
        raw = raw[:m.start()]
    key = next((k for en, k in _TOML_PROBLEMS if raw.startswith(en)), _TOML_PROBLEM_ELSE)
    problem = msg(key, open="{", close="}") if key == "settings.toml_unclosed_table" \
        else msg(key)
    lines = text.replace("\r\n", "\n").split("\n")
    line = lines[line_no - 1] if line_no is not None and 0 < line_no <= len(lines) else None
    if line is not None and "=" in line and not line.lstrip().startswith(("#", "[")):
        name = line.split("=", 1)[0].strip()
        if name and not re.fullmatch(r"[A-Za-z0-9_-]+", name):  # `năm = 2027`, `thu muc = …`
            problem = msg("settings.toml_bad_name", name=name)
    shown = msg("settings.toml_line", line=line_no, text=line.strip()) \
        if line is not None and line.strip() else None
    fix = _windows_path_fix(line) if line is not None else None
    return msg("settings.toml_syntax", name=file_name, where=where, problem=problem,
               details=_lines(shown, fix))


def _windows_path_fix(line: str) -> str | None:
    """For `key = "C:\\a\\b"` (or the path left without quotes): the two safe ways to write
    that very value; None when the line holds no such path."""
    m = _KEY_VALUE.match(line)
    if m is None or "\\" not in m.group(2):
        return None
    key, value = m.group(1), m.group(2)
    quoted = _DOUBLE_QUOTED.match(value)
    if quoted is not None:
        path = quoted.group(1)
        why = msg("settings.path_in_quotes")
    elif value[:1] not in ("'", "["):
        path = value.split("#", 1)[0].strip()  # written without quotes
        why = msg("settings.path_unquoted")
    else:
        return None
    path = path.replace("\\\\", "\\")  # someone doubled some of them already
    return _safe_forms(key, path, why)


def _safe_forms(key: str, path: str, why: str) -> str:
    lines = [msg("settings.safe_forms", why=why),
             msg("settings.safe_slash", key=key, path=path.replace(chr(92), "/"))]
    if "'" not in path:
        lines.append(msg("settings.safe_single", key=key, path=path))
    return Joined("\n", lines)


def _refuse_escaped_paths(file_name: str, text: str, raw: Mapping[str, Any]) -> None:
    """A path in "…" whose backslashes TOML read as escapes that exist (`"D:\\bao_cao"` holds
    a backspace, `"C:\\nam"` a line break) parses, but names a folder that is not there."""
    for key in _PATH_KEYS:
        value = raw.get(key)
        if not isinstance(value, str) or not any(ch in value for ch in "\b\t\n\f\r"):
            continue
        for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
            m = _KEY_VALUE.match(line)
            if m is not None and m.group(1) == key:
                raise SettingsError(msg(
                    "settings.escaped_path", name=file_name, line=n, key=key, details=_lines(
                        msg("settings.toml_line", line=n, text=line.strip()),
                        _windows_path_fix(line))))
        raise SettingsError(msg("settings.control_path", name=file_name, key=key))


CONFIG_TEMPLATE = """\
# Cấu hình clubtool cho xã {commune}.
# Mỗi dòng là một thiết lập: tên = giá trị. Dòng bắt đầu bằng # là ghi chú.
# Mỗi thiết lập cũng có thể đặt bằng biến môi trường CLUBTOOL_<TÊN> (ví dụ CLUBTOOL_LANG=en)
# hoặc bằng tùy chọn của lệnh; tùy chọn của lệnh được ưu tiên nhất.

# Tên xã và tỉnh (dùng cho báo cáo)
commune = "{commune}"
province = "{province}"

# Năm báo cáo. Sang tháng 1 mà chưa làm xong báo cáo năm cũ thì cứ để năm cũ; làm xong thì
# sửa thành năm mới. Bỏ dòng này (hoặc thêm # ở đầu dòng) thì công cụ dùng năm mới nhất có
# tệp câu lạc bộ trong thư mục dữ liệu, và ghi rõ đã chọn năm nào.
year = {year}

# Đường dẫn trên Windows: viết bằng dấu / như data_dir = "C:/clubtool/du_lieu", hoặc trong
# ngoặc đơn như data_dir = 'C:\\clubtool\\du_lieu'. Không viết "C:\\clubtool\\du_lieu" trong
# ngoặc kép: trong ngoặc kép dấu \\ có nghĩa riêng nên đường dẫn bị đọc sai.

# Thư mục chứa các tệp báo cáo các câu lạc bộ gửi về (tìm cả thư mục con)
data_dir = "du_lieu"

# Thư mục ghi kết quả (bảng tổng hợp, chỉ tiêu, báo cáo, kết quả kiểm tra)
out_dir = "bao_cao"

# Tệp mẫu của xã (danh sách thôn, câu lạc bộ, cán bộ, phần ký báo cáo); điền xong các trang
# của tệp này trước khi làm mẫu cho các câu lạc bộ
commune_file = "{commune_file}"

# Định dạng báo cáo: docx, html, xlsx, md, json
formats = ["docx", "html"]

# Tệp kế hoạch khác (để trống: dùng kế hoạch của xã Mai Hoa đi kèm công cụ)
# plan = "ke_hoach.toml"

# Ngôn ngữ thông báo: "vi" hoặc "en"
lang = "vi"

# Ngày chốt số liệu: "auto" (31/12; nếu đang trong năm thì hôm nay), "year-end" (luôn 31/12)
# hoặc một ngày cụ thể như "2027-11-30"
as_of = "auto"

# Giới hạn khi đọc một tệp (mỗi tệp được đọc trong một tiến trình riêng): bộ nhớ (MB) và thời
# gian (giây). Tệp cần nhiều hơn bị báo "Tệp quá lớn" và không làm dừng lần chạy; một tệp báo
# cáo câu lạc bộ cần dưới 100 MB và dưới 2 giây.
# max_file_mb = 200
# max_file_seconds = 3

# Kho lưu trữ mọi năm (tệp SQLite, mở được bằng DB Browser for SQLite): các lệnh cũng dùng nó
# để không đọc lại tệp đã đọc. cache = false: lần nào cũng đọc lại mọi tệp.
# archive = "clubtool.sqlite"
# cache = true
"""
