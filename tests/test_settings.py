"""Settings: option > CLUBTOOL_* variable > clubtool.toml > default, for every setting;
unknown keys and bad values are SettingsError with a clear Vietnamese message."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from clubtool.settings import (
    CONFIG_NAME,
    CONFIG_TEMPLATE,
    Settings,
    SettingsError,
    find_config,
    load_settings,
)

# setting: (in clubtool.toml, in the environment, as an option)
CASES: dict[str, tuple[str, str, Any]] = {
    "commune": ('"Mai Hoa"', "Kỳ Thượng", "Cẩm Xuyên"),
    "province": ('"Hà Tĩnh"', "Nghệ An", "Quảng Bình"),
    "data_dir": ('"du_lieu_toml"', "du_lieu_env", Path("/srv/du_lieu_option")),
    "out_dir": ('"ra_toml"', "ra_env", Path("/srv/ra_option")),
    "commune_file": ('"xa_toml.xlsx"', "xa_env.xlsx", Path("/srv/xa_option.xlsx")),
    "formats": ('["md"]', "json,xlsx", "docx"),
    "plan": ('"kh_toml.toml"', "kh_env.toml", Path("/srv/kh_option.toml")),
    "lang": ('"en"', "vi", "en"),
    "as_of": ('"year-end"', "2027-11-30", "30/10/2027"),
    "year": ("2027", "2028", 2029),
    "jobs": ("2", "3", 4),
    "max_file_mb": ("150", "300", 400),
    "max_file_seconds": ("2.5", "4", 1.5),
    "archive": ('"luu_tru.sqlite"', "luu_env.sqlite", Path("/srv/luu_option.sqlite")),
    "cache": ("false", "1", False),
}


def expected(name: str, raw: Any, base: Path) -> Any:
    """What a raw value becomes (paths relative to `base`)."""
    if name in ("data_dir", "out_dir", "commune_file", "plan", "archive"):
        p = Path(raw)
        return p if p.is_absolute() else base / p
    if name == "formats":
        return tuple(raw.split(",") if isinstance(raw, str) else raw)
    if name in ("year", "jobs", "max_file_mb"):
        return int(raw)
    if name == "max_file_seconds":
        return float(raw)
    if name == "cache":
        return raw if isinstance(raw, bool) else raw.strip().lower() in ("1", "true")
    return raw


def test_every_setting_is_covered() -> None:
    assert set(CASES) == {f.name for f in fields(Settings)} - {"source"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_precedence_option_over_env_over_toml_over_default(tmp_path: Path, name: str) -> None:
    toml_value, env_value, option_value = CASES[name]
    folder = tmp_path / "cau_hinh"
    folder.mkdir()
    cwd = tmp_path / "lam_viec"
    cwd.mkdir()
    config = folder / CONFIG_NAME
    env = {"CLUBTOOL_" + name.upper(): env_value}

    default = load_settings(env={}, cwd=cwd)
    assert getattr(default, name) == getattr(Settings(), name) and default.source is None

    config.write_text(f"{name} = {toml_value}\n", encoding="utf-8")
    from_toml = load_settings(config, env={}, cwd=cwd)
    assert getattr(from_toml, name) == expected(name, tomllib.loads(f"v = {toml_value}")["v"],
                                                folder)
    assert from_toml.source == config

    from_env = load_settings(config, env=env, cwd=cwd)
    assert getattr(from_env, name) == expected(name, env_value, cwd)

    from_option = load_settings(config, env=env, options={name: option_value}, cwd=cwd)
    assert getattr(from_option, name) == expected(name, option_value, cwd)

    # An option given as None (not on the command line) leaves the lower levels alone.
    assert getattr(load_settings(config, env=env, options={name: None}, cwd=cwd), name) == \
        getattr(from_env, name)
    # An empty variable counts as not set.
    assert getattr(load_settings(config, env={"CLUBTOOL_" + name.upper(): " "}, cwd=cwd),
                   name) == getattr(from_toml, name)


def test_the_archive_lives_beside_clubtool_toml_and_nowhere_without_it(tmp_path: Path) -> None:
    (tmp_path / CONFIG_NAME).write_text('commune = "Mai Hoa"\n', encoding="utf-8")
    assert load_settings(env={}, cwd=tmp_path).archive == tmp_path / "clubtool.sqlite"
    elsewhere = tmp_path / "khac"
    elsewhere.mkdir()
    assert load_settings(env={}, cwd=elsewhere).archive is None  # the user's cache folder


def test_cache_takes_yes_and_no_words(tmp_path: Path) -> None:
    assert load_settings(env={"CLUBTOOL_CACHE": "0"}, cwd=tmp_path).cache is False
    assert load_settings(env={"CLUBTOOL_CACHE": "không"}, cwd=tmp_path).cache is False
    with pytest.raises(SettingsError, match="true hoặc false"):
        load_settings(env={"CLUBTOOL_CACHE": "đôi khi"}, cwd=tmp_path)


def test_clubtool_toml_is_found_in_the_working_folder(tmp_path: Path) -> None:
    (tmp_path / CONFIG_NAME).write_text('commune = "Mai Hoa"\n', encoding="utf-8")
    assert find_config(tmp_path) == tmp_path / CONFIG_NAME
    assert load_settings(env={}, cwd=tmp_path).commune == "Mai Hoa"
    assert find_config(tmp_path / "khac") is None


def test_relative_paths_in_the_file_are_relative_to_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "Xã Mai Hoa"
    folder.mkdir()
    config = folder / CONFIG_NAME
    config.write_text('data_dir = "du_lieu"\nout_dir = "../chung/bao_cao"\n'
                      'commune_file = "mau/xa.xlsx"\nplan = "/etc/kh.toml"\n', encoding="utf-8")
    s = load_settings(config, env={}, cwd=tmp_path / "elsewhere")
    assert s.data_dir == folder / "du_lieu"
    assert s.out_dir == folder / "../chung/bao_cao"
    assert s.commune_file == folder / "mau" / "xa.xlsx"
    assert s.plan == Path("/etc/kh.toml")
    # Variables and options are relative to the working folder, as a shell user expects.
    s = load_settings(config, env={"CLUBTOOL_DATA_DIR": "dl"}, options={"out_dir": "ra"},
                      cwd=tmp_path / "elsewhere")
    assert s.data_dir == tmp_path / "elsewhere" / "dl"
    assert s.out_dir == tmp_path / "elsewhere" / "ra"


def test_home_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    s = load_settings(env={"CLUBTOOL_DATA_DIR": "~/du_lieu"}, cwd=tmp_path)
    assert s.data_dir == tmp_path / "du_lieu"


def test_formats_are_trimmed_lowercased_and_checked(tmp_path: Path) -> None:
    s = load_settings(env={"CLUBTOOL_FORMATS": " DOCX , html ,"}, cwd=tmp_path)
    assert s.formats == ("docx", "html")


@pytest.mark.parametrize(("toml", "words"), [
    ('thu_muc_du_lieu = "x"\n', "khóa không biết: thu_muc_du_lieu"),
    ('formats = ["docx", "pdf"]\n', "Định dạng 'pdf' không hợp lệ"),
    ("formats = []\n", "Chưa chọn định dạng báo cáo nào"),
    ("formats = 3\n", "phải là danh sách"),
    ('year = "năm nay"\n', "'year' phải là một số nguyên"),
    ("year = 1990\n", "năm 1990 không hợp lệ"),
    ("jobs = 0\n", "'jobs' phải từ 1 trở lên"),
    ('lang = "fr"\n', "chỉ nhận 'vi' hoặc 'en'"),
    ('as_of = "32/13/2027"\n', "không phải một ngày"),
    ("as_of = 5\n", "'auto', 'year-end' hoặc một ngày"),
    ("data_dir = 5\n", "'data_dir' phải là một đường dẫn"),
    ("commune = 5\n", "'commune' phải là chữ"),
    ('commune = "Mai Hoa\n', "viết sai cú pháp"),
])
def test_bad_files_are_refused_with_a_clear_message(tmp_path: Path, toml: str, words: str) -> None:
    config = tmp_path / CONFIG_NAME
    config.write_text(toml, encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        load_settings(config, env={}, cwd=tmp_path)
    assert words in str(err.value)


def test_unknown_key_message_lists_the_valid_keys(tmp_path: Path) -> None:
    (tmp_path / CONFIG_NAME).write_text('ouput_dir = "x"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        load_settings(env={}, cwd=tmp_path)
    assert CONFIG_NAME in str(err.value)
    assert "out_dir" in str(err.value) and "data_dir" in str(err.value)


@pytest.mark.parametrize(("var", "value", "words"), [
    ("CLUBTOOL_FORMATS", "docx,pdf", "Định dạng 'pdf' không hợp lệ"),
    ("CLUBTOOL_YEAR", "abc", "'year' phải là một số nguyên, đang ghi 'abc'"),
    ("CLUBTOOL_JOBS", "-1", "'jobs' phải từ 1 trở lên"),
    ("CLUBTOOL_LANG", "fr", "chỉ nhận 'vi' hoặc 'en'"),
    ("CLUBTOOL_AS_OF", "hôm qua", "không phải một ngày"),
])
def test_bad_variables_name_the_variable(tmp_path: Path, var: str, value: str, words: str) -> None:
    with pytest.raises(SettingsError) as err:
        load_settings(env={var: value}, cwd=tmp_path)
    assert str(err.value).startswith(f"Biến môi trường {var}: ")
    assert words in str(err.value)


def test_bad_options_are_refused_too(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="không hợp lệ"):
        load_settings(env={}, options={"formats": "pdf"}, cwd=tmp_path)
    with pytest.raises(SettingsError, match="không phải một ngày"):
        load_settings(env={}, options={"as_of": "31/02/2027"}, cwd=tmp_path)


def test_an_unknown_option_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        load_settings(env={}, options={"no_such_setting": 1}, cwd=tmp_path)


def test_a_missing_config_file_given_explicitly_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="Không tìm thấy tệp cấu hình"):
        load_settings(tmp_path / "khong_co.toml", env={}, cwd=tmp_path)


def test_a_settings_error_is_a_value_error_with_no_traceback_worth() -> None:
    assert issubclass(SettingsError, ValueError)


@pytest.mark.parametrize(("policy", "expected_date"), [
    ("auto", None),
    ("year-end", dt.date(2027, 12, 31)),
    ("2027-11-30", dt.date(2027, 11, 30)),
    ("30/11/2027", dt.date(2027, 11, 30)),
])
def test_as_of_policies(tmp_path: Path, policy: str, expected_date: dt.date | None) -> None:
    s = load_settings(env={"CLUBTOOL_AS_OF": policy}, cwd=tmp_path)
    assert s.as_of_date(2027) == expected_date


def test_a_toml_date_is_accepted_for_as_of(tmp_path: Path) -> None:
    (tmp_path / CONFIG_NAME).write_text("as_of = 2027-11-30\n", encoding="utf-8")
    s = load_settings(env={}, cwd=tmp_path)
    assert s.as_of == "2027-11-30" and s.as_of_date(2027) == dt.date(2027, 11, 30)


def test_the_template_written_by_init_loads_and_documents_every_setting(tmp_path: Path) -> None:
    text = CONFIG_TEMPLATE.format(commune="Mai Hoa", province="Hà Tĩnh", year=2027,
                                  commune_file="du_lieu/xa_mai_hoa_2027.xlsx")
    (tmp_path / CONFIG_NAME).write_text(text, encoding="utf-8")
    s = load_settings(env={}, cwd=tmp_path)
    assert (s.commune, s.province, s.year) == ("Mai Hoa", "Hà Tĩnh", 2027)
    assert s.data_dir == tmp_path / "du_lieu" and s.out_dir == tmp_path / "bao_cao"
    assert s.commune_file == tmp_path / "du_lieu" / "xa_mai_hoa_2027.xlsx"
    assert s.formats == ("docx", "html") and s.lang == "vi" and s.as_of == "auto"
    for name in CASES:
        if name != "jobs":  # it has a sensible default and an option
            assert name in text


# --- Windows paths and other mistakes in clubtool.toml, told in Vietnamese ----------------


def test_the_template_shows_the_safe_ways_to_write_a_windows_path() -> None:
    text = CONFIG_TEMPLATE.format(commune="Mai Hoa", province="Hà Tĩnh", year=2027,
                                  commune_file="du_lieu/xa.xlsx")
    assert '"C:/clubtool/du_lieu"' in text
    assert "'C:\\clubtool\\du_lieu'" in text
    # and both forms, uncommented, are read as the same Windows path
    for form in ('"C:/clubtool/du_lieu"', "'C:\\clubtool\\du_lieu'"):
        value = tomllib.loads(f"data_dir = {form}")["data_dir"]
        assert value.replace("\\", "/") == "C:/clubtool/du_lieu"


def _error(tmp_path: Path, toml: str) -> str:
    (tmp_path / CONFIG_NAME).write_text(toml, encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        load_settings(env={}, cwd=tmp_path)
    return str(err.value)


def _no_english(message: str) -> None:
    for english in ("at line", "column", "Unescaped", "Invalid", "Expected", "string",
                    "Illegal", "character", "value", "document"):
        assert english not in message, message


@pytest.mark.parametrize(("line", "value", "column"), [
    ('data_dir = "C:\\clubtool\\du_lieu"', "C:\\clubtool\\du_lieu", 17),
    ('out_dir = "D:\\Users\\Lan\\bao_cao"  # thư mục kết quả', "D:\\Users\\Lan\\bao_cao", 16),
    ('commune_file = "C:\\\\clubtool\\xa.xlsx"', "C:\\clubtool\\xa.xlsx", 31),
])
def test_a_windows_path_in_double_quotes_is_explained_with_its_two_safe_forms(
        tmp_path: Path, line: str, value: str, column: int) -> None:
    key = line.split(" ", 1)[0]
    message = _error(tmp_path, f'commune = "Mai Hoa"\n\n{line}\n')
    assert message.startswith(f"Tệp {CONFIG_NAME} viết sai cú pháp ở dòng 3, cột {column}: ")
    assert "dấu \\ trong ngoặc kép" in message
    assert f"Dòng 3:  {line}" in message
    forward = value.replace("\\", "/")
    assert f'{key} = "{forward}"' in message
    assert f"{key} = '{value}'" in message
    _no_english(message)
    # the forms offered are read as the intended path, one backslash (or slash) apiece
    assert tomllib.loads(f'v = "{forward}"')["v"] == forward
    assert tomllib.loads(f"v = '{value}'")["v"] == value


def test_a_backslash_that_toml_reads_as_an_escape_is_refused_not_used(tmp_path: Path) -> None:
    # "\b" and "\n" are escapes TOML knows: it reads a backspace and a line break silently
    message = _error(tmp_path, 'out_dir = "D:\\bao_cao\\nam_2027"\n')
    assert "dòng 1" in message and "'out_dir'" in message
    assert 'out_dir = "D:/bao_cao/nam_2027"' in message
    assert "out_dir = 'D:\\bao_cao\\nam_2027'" in message
    _no_english(message)


@pytest.mark.parametrize(("toml", "where", "words"), [
    ('commune = "Mai Hoa\n', "ở dòng 1, cột 19", "thiếu dấu ngoặc kép"),
    ("year = 2027\ndata_dir = \n", "ở dòng 2, cột 12", "giá trị trống hoặc viết sai"),
    ("year = 2027\nyear = 2028\n", "ở dòng 2", "đã được ghi ở một dòng trước"),
    ('formats = ["docx"\n', "ở cuối tệp", "thiếu dấu ] đóng"),
    ('data_dir "du_lieu"\n', "ở dòng 1, cột 10", "thiếu dấu ="),
    ('commune = "A" "B"\n', "ở dòng 1, cột 15", "còn chữ thừa"),
    ("năm = 2027\n", "ở dòng 1, cột 2", "tên thiết lập 'năm' viết sai"),
    ("# ghi chú\n!\n", "ở dòng 2, cột 1", "không có dạng tên = giá trị"),
])
def test_other_syntax_errors_say_where_and_what_in_vietnamese(
        tmp_path: Path, toml: str, where: str, words: str) -> None:
    message = _error(tmp_path, toml)
    assert message.startswith(f"Tệp {CONFIG_NAME} viết sai cú pháp {where}")
    assert words in message
    _no_english(message)


def test_a_byte_order_mark_and_a_non_utf8_file(tmp_path: Path) -> None:
    (tmp_path / CONFIG_NAME).write_bytes("\ufeffcommune = \"Mai Hoa\"\n".encode())
    assert load_settings(env={}, cwd=tmp_path).commune == "Mai Hoa"  # Notepad's UTF-8
    (tmp_path / CONFIG_NAME).write_bytes('province = "Hà Tây"\n'.encode("cp1258"))  # ANSI
    with pytest.raises(SettingsError) as err:
        load_settings(env={}, cwd=tmp_path)
    message = str(err.value)
    assert "UTF-8" in message and "codec" not in message
