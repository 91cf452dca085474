"""Settings: defaults here, then `clubtool.toml`, then `CLUBTOOL_…` variables, then options.

Precedence (highest first): command-line option > environment variable > clubtool.toml >
default. Unknown keys and bad values are errors with a clear Vietnamese message.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

CONFIG_NAME = "clubtool.toml"
ENV_PREFIX = "CLUBTOOL_"
FORMATS = ("docx", "html", "xlsx", "md", "json")
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
        raise SettingsError(f"'{text}' không phải một ngày (ghi 2027-12-31 hoặc 31/12/2027)") from None


def _coerce(name: str, value: Any, base: Path) -> Any:
    """A raw value from TOML or the environment as the type of setting `name`."""
    where = f"'{name}'"
    if name in ("data_dir", "out_dir", "commune_file", "plan"):
        if value in ("", None):
            return None if name in ("commune_file", "plan") else Path(".")
        if not isinstance(value, str):
            raise SettingsError(f"{where} phải là một đường dẫn (chữ trong ngoặc kép)")
        p = Path(value).expanduser()
        return p if p.is_absolute() else base / p
    if name == "formats":
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
            raise SettingsError(f"{where} phải là danh sách, ví dụ [\"docx\", \"html\"]")
        out = tuple(i.strip().lower() for i in items if i.strip())
        bad = [i for i in out if i not in FORMATS]
        if bad or not out:
            raise SettingsError(f"{where}: định dạng không hợp lệ {bad or '(trống)'}; chỉ nhận "
                                + ", ".join(FORMATS))
        return out
    if name in ("year", "jobs"):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise SettingsError(f"{where} phải là một số nguyên, đang ghi '{value}'") from None
        if name == "year" and not 2000 <= number <= 2100:
            raise SettingsError(f"{where}: năm {number} không hợp lệ")
        if name == "jobs" and number < 1:
            raise SettingsError(f"{where} phải từ 1 trở lên")
        return number
    if name == "lang":
        if value not in ("vi", "en"):
            raise SettingsError(f"{where} chỉ nhận 'vi' hoặc 'en', đang ghi '{value}'")
        return value
    if name == "as_of":
        if isinstance(value, dt.date):
            return value.isoformat()
        if not isinstance(value, str):
            raise SettingsError(f"{where} phải là 'auto', 'year-end' hoặc một ngày")
        if value not in AS_OF_POLICIES:
            parse_date_option(value)
        return value
    if not isinstance(value, str):
        raise SettingsError(f"{where} phải là chữ trong ngoặc kép")
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
        raise SettingsError(f"Không tìm thấy tệp cấu hình {config}")
    if path is not None:
        base = path.parent
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"Tệp {path.name} viết sai cú pháp: {exc}") from None
        unknown = sorted(set(raw) - _KEYS)
        if unknown:
            raise SettingsError(f"Tệp {path.name} có khóa không biết: {', '.join(unknown)}. "
                                f"Các khóa hợp lệ: {', '.join(sorted(_KEYS))}")
        values.update({k: _coerce(k, v, base) for k, v in raw.items()})
    for name in _KEYS:
        var = ENV_PREFIX + name.upper()
        if env.get(var, "").strip():
            try:
                values[name] = _coerce(name, env[var].strip(), cwd)
            except SettingsError as exc:
                raise SettingsError(f"Biến môi trường {var}: {exc}") from None
    for name, value in (options or {}).items():
        if value is None:
            continue
        if name not in _KEYS:
            raise KeyError(name)  # a programming error, not the officer's
        values[name] = value if isinstance(value, Path) else _coerce(name, value, cwd)
    settings = replace(Settings(), **values)
    return replace(settings, source=path)


CONFIG_TEMPLATE = """\
# Cấu hình clubtool cho xã {commune}.
# Mỗi dòng là một thiết lập: tên = giá trị. Dòng bắt đầu bằng # là ghi chú.
# Mỗi thiết lập cũng có thể đặt bằng biến môi trường CLUBTOOL_<TÊN> (ví dụ CLUBTOOL_LANG=en)
# hoặc bằng tùy chọn của lệnh; tùy chọn của lệnh được ưu tiên nhất.

# Tên xã và tỉnh (dùng cho báo cáo)
commune = "{commune}"
province = "{province}"

# Thư mục chứa các tệp báo cáo các câu lạc bộ gửi về (tìm cả thư mục con)
data_dir = "du_lieu"

# Thư mục ghi kết quả (bảng tổng hợp, chỉ tiêu, báo cáo, kết quả kiểm tra)
out_dir = "bao_cao"

# Tệp mẫu của xã (danh sách thôn, câu lạc bộ, cán bộ, phần ký báo cáo)
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
"""
