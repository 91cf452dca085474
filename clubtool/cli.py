"""The `clubtool` command: parse options, call one library function, render, pick the exit code.

No business logic here. Keep imports of heavy modules (pandas, openpyxl) inside the
commands so that `clubtool --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__

app = typer.Typer(
    name="clubtool",
    help=(
        "Quản lý báo cáo câu lạc bộ liên thế hệ tự giúp nhau: làm mẫu, kiểm tra, tổng hợp, "
        "tính chỉ tiêu và lập báo cáo năm."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class State:
    debug = False
    lang: str | None = None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"clubtool {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="In phiên bản rồi thoát."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="In chi tiết lỗi (traceback) khi có sự cố.")] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Ngôn ngữ thông báo: vi (mặc định) hoặc en.")
    ] = None,
) -> None:
    """Quản lý báo cáo câu lạc bộ liên thế hệ tự giúp nhau."""
    State.debug = debug
    if lang is not None:
        if lang not in ("vi", "en"):
            raise typer.BadParameter("chỉ nhận vi hoặc en", param_hint="--lang")
        State.lang = lang


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print a clear message on stderr and return the Exit to raise."""
    typer.echo(message, err=True)
    return typer.Exit(code)


def _lang(option: str | None) -> str:
    from .issues import default_lang

    return option or State.lang or default_lang()


def _check_paths(paths: list[Path]) -> None:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise fail(f"Không tìm thấy: {', '.join(missing)}")


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Tệp hoặc thư mục chứa các tệp báo cáo (tìm cả thư mục con). Mặc định: thư mục hiện tại.",
        show_default=False)] = None,
    commune: Annotated[Path | None, typer.Option(
        "--commune", help="Tệp mẫu của xã (nếu không ghi, tự tìm trong các tệp đã cho).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Chỉ kiểm tra báo cáo của năm này.")] = None,
    output_format: Annotated[str, typer.Option(
        "--format", help="Cách in kết quả: table (bảng) hoặc json.")] = "table",
    strict: Annotated[bool, typer.Option("--strict", help="Coi cảnh báo như lỗi.")] = False,
    limit_errors: Annotated[int, typer.Option(
        "--limit-errors", help="Số lỗi tối đa liệt kê cho mỗi tệp.")] = 1000,
    annotate: Annotated[Path | None, typer.Option(
        "--annotate", help="Ghi vào thư mục này bản sao của mỗi tệp có lỗi, đánh dấu ô lỗi.")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", help="Số tiến trình đọc song song.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Ngôn ngữ thông báo: vi hoặc en.")] = None,
) -> None:
    """Kiểm tra các tệp báo cáo: tìm mọi lỗi, chỉ rõ ô, trang và cách sửa.

    Ví dụ: [bold]clubtool validate du_lieu/ --annotate tra_lai/[/bold]

    Mã thoát: 0 không có lỗi; 1 có lỗi; 2 sai cách dùng.
    """
    import json

    from . import console as ui
    from .validation import validate as run_validation

    lang_ = _lang(lang)
    if output_format not in ("table", "json"):
        raise fail("--format chỉ nhận table hoặc json")
    targets = paths or [Path.cwd()]
    _check_paths(targets + ([commune] if commune else []))
    out = ui.console()
    with ui.progress(len(targets) if len(targets) > 1 else 1000, ui.WORDS[lang_]["checking"], out) as cb:
        report = run_validation(targets, commune=commune, year=year, limit_errors=limit_errors,
                                strict=strict, jobs=jobs, on_progress=cb)
    if output_format == "json":
        typer.echo(json.dumps(report.to_dict(lang_), ensure_ascii=False, indent=2))
    else:
        ui.render_validation(report, out, lang_)
    if annotate is not None:
        from .validation.annotated import annotate_report

        for written in annotate_report(report, annotate, lang=lang_):
            if output_format != "json":
                out.print(ui.WORDS[lang_]["annotated"].format(path=written))
    raise typer.Exit(EXIT_PROBLEMS if report.has_errors else EXIT_OK)


# --- clubtool template club | commune -------------------------------------------------

template_app = typer.Typer(
    help="Làm mẫu (tệp Excel trống, có danh sách chọn và hướng dẫn) cho câu lạc bộ hoặc cho xã.",
    no_args_is_help=True,
)
app.add_typer(template_app, name="template")

_TEMPLATE_FORCE_HELP = "Ghi đè nếu tệp đã có."


def _save_template(build: Any, output: Path | None, default_name: str, force: bool) -> None:
    """Build the workbook, write it atomically, print the path; user errors exit 2."""
    from .fsutil import OutputExists
    from .workbook import template as tpl

    try:
        path = tpl.output_path(output, default_name)
        written = tpl.save_workbook(build(), path, force=force)
    except tpl.TemplateError as exc:
        raise fail(str(exc)) from None
    except OutputExists:
        raise fail(f"Tệp {path} đã có nên không ghi đè. Thêm --force để ghi đè, "
                   "hoặc chọn tên khác bằng -o.") from None
    typer.echo(str(written))


def _template_year(year: int | None) -> int:
    import datetime as dt

    from .workbook import template as tpl

    try:
        return tpl.check_year(year if year is not None else dt.date.today().year)
    except tpl.TemplateError as exc:
        raise fail(str(exc)) from None


@template_app.command("club")
def template_club(
    year: Annotated[int | None, typer.Option(
        "--year", help="Năm báo cáo. Mặc định: năm nay.", show_default=False)] = None,
    club_id: Annotated[str | None, typer.Option(
        "--club-id", help="Mã câu lạc bộ do xã cấp, ví dụ MH-01.")] = None,
    club_name: Annotated[str | None, typer.Option("--club-name", help="Tên câu lạc bộ.")] = None,
    village: Annotated[str | None, typer.Option(
        "--village", help="Thôn nơi câu lạc bộ hoạt động.")] = None,
    villages_from: Annotated[Path | None, typer.Option(
        "--villages-from", help="Tệp mẫu của xã: danh sách thôn trong đó thành danh sách chọn thôn.")
    ] = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Tệp sẽ ghi (hoặc thư mục). Mặc định: mau_clb_<mã CLB>_<năm>.xlsx.",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help=_TEMPLATE_FORCE_HELP)] = False,
) -> None:
    """Làm mẫu báo cáo năm cho một câu lạc bộ.

    Tệp có đủ các trang, tiêu đề cột, danh sách chọn và trang Hướng dẫn; năm, mã, tên và thôn được điền sẵn nếu có.

    Ví dụ: [bold]clubtool template club --year 2027 --club-id MH-01 --club-name "CLB thôn Đông" --village "Thôn Đông" --villages-from mau_xa_2027.xlsx[/bold]

    Mã thoát: 0 đã ghi; 2 sai cách dùng hoặc tệp đã có (thêm --force để ghi đè).
    """
    from .workbook import template as tpl

    year_ = _template_year(year)
    try:
        code = tpl.normalise_club_id(club_id) if club_id else None
        villages = tpl.villages_from(villages_from) if villages_from else []
    except tpl.TemplateError as exc:
        raise fail(str(exc)) from None
    _save_template(
        lambda: tpl.club_workbook(year=year_, club_id=code, club_name=club_name, village=village,
                                  villages=villages),
        output, tpl.club_filename(code, year_), force)


@template_app.command("commune")
def template_commune(
    year: Annotated[int | None, typer.Option(
        "--year", help="Năm báo cáo. Mặc định: năm nay.", show_default=False)] = None,
    commune: Annotated[str | None, typer.Option("--commune", help="Tên xã, ví dụ Mai Hoa.")] = None,
    province: Annotated[str | None, typer.Option("--province", help="Tên tỉnh, ví dụ Hà Tĩnh.")] = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Tệp sẽ ghi (hoặc thư mục). Mặc định: mau_xa_<năm>.xlsx.",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help=_TEMPLATE_FORCE_HELP)] = False,
) -> None:
    """Làm mẫu thông tin xã cho năm báo cáo.

    Tệp có thông tin xã, danh sách thôn, câu lạc bộ, cán bộ, khen thưởng và trang Hướng dẫn; năm, tên xã và tỉnh được điền sẵn nếu có.

    Ví dụ: [bold]clubtool template commune --year 2027 --commune "Mai Hoa" --province "Hà Tĩnh"[/bold]

    Mã thoát: 0 đã ghi; 2 sai cách dùng hoặc tệp đã có (thêm --force để ghi đè).
    """
    from .workbook import template as tpl

    year_ = _template_year(year)
    _save_template(
        lambda: tpl.commune_workbook(year=year_, commune=commune, province=province),
        output, tpl.commune_filename(year_), force)


def main() -> None:
    """Entry point: tracebacks only with --debug."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo("Đã dừng.", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the officer
        if State.debug or "--debug" in sys.argv:
            raise
        typer.echo(f"Lỗi: {exc}. Chạy lại với --debug để xem chi tiết.", err=True)
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":  # pragma: no cover
    main()
