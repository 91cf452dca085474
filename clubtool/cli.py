"""The `clubtool` command: parse options, call one library function, render, pick the exit code.

No business logic here. Keep imports of heavy modules (pandas, openpyxl) inside the
commands so that `clubtool --help` stays fast.
"""

from __future__ import annotations

import sys
from typing import Annotated

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
