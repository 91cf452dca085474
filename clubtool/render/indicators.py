"""`clubtool indicators` output: the table of each commune (`table`), or one commune's
indicators as JSON (`json`) or CSV (`csv`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import Options

if TYPE_CHECKING:
    from rich.console import Console

    from ..indicators import IndicatorResult
    from ..job import Computed


def json(computed: Computed, opts: Options) -> str:
    from .._jsonout import dumps

    return dumps(_one(computed).to_dict())


def csv(computed: Computed, opts: Options) -> str:
    from ..indicators.format import to_csv

    return to_csv(_one(computed))


def _one(computed: Computed) -> IndicatorResult:
    if len(computed.communes) != 1:  # the job refuses several communes for one document
        raise ValueError("one commune per JSON or CSV document")
    return computed.communes[0].indicators


def table(computed: Computed, opts: Options) -> str:
    from ._text import capture

    return capture(lambda out: _draw(computed, out), opts)


def _draw(computed: Computed, out: Console) -> None:
    from rich.markup import escape

    from ..job import communes_found
    from ..validation import is_commune_notice

    for line in communes_found(computed.report):
        out.print(escape(line))
    several = len(computed.communes) > 1
    for commune in computed:
        result = commune.indicators
        if several:
            out.rule(escape(f"Xã {result.commune}"
                            + (f" ({result.province})" if result.province else "")))
        for warning in result.warnings:
            if not is_commune_notice(warning):  # _no_commune says it, above the table
                out.print(f"[bold yellow]Cảnh báo:[/bold yellow] {escape(warning)}")
        draw_result(result, out)


_STATUS_STYLE = {"dat": "green", "chua_dat": "red", "dang_thuc_hien": "cyan",
                 "khong_co_du_lieu": "dim", "khong_co_chi_tieu": "dim"}


def draw_result(result: IndicatorResult, out: Console) -> None:
    """The indicator table, the per-club table, excluded files and missing clubs."""
    if not result.has_commune:
        _no_commune(result, out)
    out.print(_indicator_table(result))
    _phase_notes(result, out)
    if result.clubs:
        _clubs(result, out)
    _left_out(result, out)


def _no_commune(result: IndicatorResult, out: Console) -> None:
    """Above the table: the officer must not read the empty commune rows as zeros."""
    from rich.markup import escape

    from ..indicators.registry import BY_ID

    commune_level = "; ".join(BY_ID[v.id].name for v in result.indicators if v.commune_level)
    why = ("không có, hoặc bị loại vì có lỗi: xem các tệp bị loại bên dưới"
           if result.excluded else "không tìm thấy trong các tệp đã cho")
    out.print(f"[bold yellow]Cảnh báo: không có tệp mẫu của xã (có trang “Thông tin xã”) hợp "
              f"lệ cho năm {result.year} ({why}), nên không tính được các chỉ tiêu cấp xã: "
              f"{escape(commune_level)}; cũng không biết câu lạc bộ nào chưa gửi báo cáo. Hãy đặt tệp "
              "mẫu của xã vào thư mục dữ liệu, hoặc ghi --commune TỆP.[/bold yellow]")


def _indicator_table(result: IndicatorResult) -> Any:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from ..indicators import format as fmt
    from ..vnformat import short_date

    t = Table(title=(f"Chỉ tiêu kế hoạch — xã {escape(result.commune)} — năm {result.year} "
                     f"({escape(result.phase.title)}), số liệu đến ngày "
                     f"{short_date(result.as_of)}"),
              title_justify="left", box=box.SIMPLE_HEAD, show_lines=False)
    t.add_column("Chỉ tiêu", overflow="fold", min_width=24, ratio=1)
    t.add_column("Kế hoạch", overflow="fold", max_width=14)
    t.add_column("Thực hiện", justify="right", no_wrap=True)
    t.add_column("Tiến độ", no_wrap=True)
    t.add_column("Đánh giá", overflow="fold", max_width=11)
    for v in result.indicators:
        style = _STATUS_STYLE[v.status]
        done = fmt.value_text(v)
        if fmt.fraction_text(v):
            done += f"\n[dim]{fmt.fraction_text(v)}[/dim]"
        target = fmt.target_text(v.target, v.unit)
        if v.cumulative and v.target is not None:
            target += "\n[dim]cả giai đoạn[/dim]"
        t.add_row(escape(v.name), target, done,
                  f"[{style}]{fmt.bar(v, 8)}[/{style}]",
                  f"[{style}]{fmt.STATUS_WORDS[v.status]}[/{style}]", end_section=True)
    return t


def _phase_notes(result: IndicatorResult, out: Console) -> None:
    """Phase-cumulative targets before the phase's last year: what they have so far."""
    from rich.markup import escape
    from rich.table import Table

    from ..indicators import format as fmt

    phase = result.phase
    progressing = [v for v in result.indicators if v.status == "dang_thuc_hien" and v.target]
    if not progressing:
        return
    out.print(f"[cyan]Chỉ tiêu tính cho cả {escape(phase.title.lower())}, đánh giá vào năm "
              f"{phase.last_year} (trước đó: đang thực hiện, không phải chưa đạt):[/cyan]")
    notes = Table.grid(padding=(0, 1))  # wrapped lines stay under their bullet
    notes.add_column(no_wrap=True)
    notes.add_column()
    for v in progressing:
        assert v.target is not None
        words = "CLB" if v.unit == "count" else ""
        note = fmt.phase_progress(v.value, v.unit, v.target.min, v.target.shown_max,
                                  phase.first_year, phase.last_year, words,
                                  phase=f"giai đoạn {phase.id}")
        notes.add_row("  •", f"{escape(v.name)}: đang thực hiện, {escape(note)}; đánh giá "
                             f"vào năm {phase.last_year}.")
    out.print(notes)


def _clubs(result: IndicatorResult, out: Console) -> None:
    """Each club's figures, then the standard's criteria each club has not met."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from .. import schema as S
    from ..indicators import CRITERIA_BY_ID
    from ..indicators import format as fmt

    standard = result.plan.standard
    ct = Table(title="Từng câu lạc bộ", title_justify="left", box=box.SIMPLE_HEAD)
    for header, justify in ((S.CLUB_INFO.field("club_id").header, "left"),
                            (S.CLUB_INFO.field("village").header, "left"),
                            (S.MEMBERS.name, "right"),  # how many rows of that sheet
                            ("Nữ NCT", "right"), ("Hằng tháng", "center"),
                            ("Đủ 8 ND", "center"), ("CĐS, xanh", "center"),
                            ("BCN tập huấn", "right"), ("Đạt chuẩn", "center")):
        ct.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]

    def yes(flag: bool) -> str:
        return "[green]có[/green]" if flag else "[red]không[/red]"

    def share(x: float | None) -> str:
        return fmt.NO_VALUE if x is None else fmt.percent(x)

    failed_lines = []
    for c in result.clubs:
        vals = c.values
        ct.add_row(escape(c.club_id), escape(c.village or ""), fmt.number(c.members),
                   share(vals["nu_nct"]), yes(vals["sinh_hoat_hang_thang"]),
                   yes(vals["du_8_noi_dung"]), yes(vals["cds_xanh_khoi_nghiep"]),
                   share(vals["bcn_tap_huan"]), yes(c.dat_chuan))
        if c.criteria_failed:
            parts = []
            for k in c.criteria_failed:
                detail = fmt.criterion_detail(c.figures, k)
                label = CRITERIA_BY_ID[k].describe(standard)
                parts.append(label + (f" ({detail})" if detail else ""))
            name = f" {c.name}" if c.name else ""
            failed_lines.append(f"  • [bold]{escape(c.club_id)}[/bold]{escape(name)}: "
                                + escape("; ".join(parts)))
    out.print(ct)
    if failed_lines:
        out.print("[red]Tiêu chí câu lạc bộ đạt chuẩn chưa đạt:[/red]")
        for line in failed_lines:
            out.print(line)


def _left_out(result: IndicatorResult, out: Console) -> None:
    """Files excluded for errors, copies not counted, clubs that sent nothing valid."""
    from rich.markup import escape

    if result.excluded:
        out.print(f"[red]Tệp bị loại vì có lỗi ({len(result.excluded)}), cần sửa rồi gửi lại:[/red]")
        for path, reason in result.excluded:
            # soft_wrap: a path is never broken across lines (it stays copyable)
            out.print(f"  • [bold]{escape(path)}[/bold]: {escape(reason)}", soft_wrap=True)
    if result.not_counted:  # a copy of a club's workbook that another copy replaces
        out.print(f"[yellow]Tệp không tính vì câu lạc bộ đã gửi bản khác ({len(result.not_counted)}):"
                  "[/yellow]")
        for path, reason in result.not_counted:
            out.print(f"  • [bold]{escape(path)}[/bold]: {escape(reason)}", soft_wrap=True)
    if result.missing:
        names = []
        for club_id in result.missing:
            known = result.known_club(club_id)
            names.append(escape(club_id + (f" ({known.name})" if known and known.name else "")))
        out.print(f"[red]Câu lạc bộ chưa gửi báo cáo hợp lệ ({len(names)}):[/red] " + ", ".join(names))
