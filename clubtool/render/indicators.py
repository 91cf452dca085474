"""`clubtool indicators` output: the table of each commune (`table`), or one commune's
indicators as JSON (`json`) or CSV (`csv`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n import t, tr
from . import BOM, Options

if TYPE_CHECKING:
    from rich.console import Console

    from ..indicators import IndicatorResult
    from ..job import Computed


def json(computed: Computed | dict[str, Any], opts: Options) -> str:
    """Given the JSON object itself (`IndicatorResult.to_dict()`: what the export's report
    worker is sent), that object written."""
    from .._jsonout import dumps

    return dumps(computed if isinstance(computed, dict) else _one(computed).to_dict())


def csv(computed: Computed, opts: Options) -> str:
    """With `opts.bom`, a BOM first (Excel reads the text as UTF-8)."""
    from ..indicators.format import to_csv

    return (BOM if opts.bom else "") + to_csv(_one(computed))


def _one(computed: Computed) -> IndicatorResult:
    if len(computed.communes) != 1:  # the job refuses several communes for one document
        raise ValueError("one commune per JSON or CSV document")
    return computed.communes[0].indicators


def table(computed: Computed, opts: Options) -> str:
    from ._text import capture

    return capture(lambda out: _draw(computed, out, opts.lang), opts)


def _draw(computed: Computed, out: Console, lang: str = "vi") -> None:
    from rich.markup import escape

    from ..job import communes_found
    from ..validation import is_commune_notice

    for line in communes_found(computed.report):
        out.print(escape(line))
    several = len(computed.communes) > 1
    for commune in computed:
        result = commune.indicators
        if several:
            out.rule(escape(t("indicators.commune_rule_province", lang, commune=result.commune,
                              province=result.province) if result.province else
                            t("indicators.commune_rule", lang, commune=result.commune)))
        for warning in result.warnings:
            if not is_commune_notice(warning):  # _no_commune says it, above the table
                out.print(f"[bold yellow]{t('word.warning', lang)}:[/bold yellow] "
                          f"{escape(tr(warning, lang))}")
        draw_result(result, out, lang, _reasons(computed, lang))


_STATUS_STYLE = {"dat": "green", "chua_dat": "red", "dang_thuc_hien": "cyan",
                 "khong_co_du_lieu": "dim", "khong_co_chi_tieu": "dim"}


def _reasons(computed: Computed, lang: str) -> dict[str, str]:
    """Why each file is left out or not counted, in `lang` (the results hold Vietnamese)."""
    if lang == "vi":
        return {}
    return dict([*computed.report.excluded(lang), *computed.report.not_counted(lang)])


def draw_result(result: IndicatorResult, out: Console, lang: str = "vi",
                reasons: dict[str, str] | None = None) -> None:
    """The indicator table, the per-club table, excluded files and missing clubs."""
    if not result.has_commune:
        _no_commune(result, out, lang)
    from ._text import titled

    out.print(titled(_indicator_table(result, lang)))
    _phase_notes(result, out, lang)
    if result.clubs:
        _clubs(result, out, lang)
    _left_out(result, out, lang, reasons or {})


def indicator_name(ind_id: str, name: str, lang: str) -> str:
    """The name of an indicator for the officer: the plan's (Vietnamese) name, or in another
    language the catalogue's name of its id (the plan's name for an id it does not know)."""
    from ..i18n import has

    key = f"indicator.{ind_id}"
    return t(key, lang) if lang != "vi" and has(key, lang) else name


def _no_commune(result: IndicatorResult, out: Console, lang: str) -> None:
    """Above the table: the officer must not read the empty commune rows as zeros."""
    from rich.markup import escape

    from ..indicators.registry import BY_ID

    commune_level = "; ".join(indicator_name(v.id, BY_ID[v.id].name, lang)
                              for v in result.indicators if v.commune_level)
    why = t("indicators.no_commune_excluded" if result.excluded
            else "indicators.no_commune_absent", lang)
    out.print("[bold yellow]" + escape(t("indicators.no_commune", lang, year=result.year,
                                         why=why, names=commune_level)) + "[/bold yellow]")


def _indicator_table(result: IndicatorResult, lang: str = "vi") -> Any:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from ..indicators import format as fmt
    from ..vnformat import short_date

    table = Table(title=escape(t("indicators.title", lang, commune=result.commune,
                                 year=result.year, phase=_phase_title(result.phase, lang),
                                 as_of=short_date(result.as_of))),
                  title_justify="left", box=box.SIMPLE_HEAD, show_lines=False, show_edge=False,
                  pad_edge=False)  # fits 80 columns: the last column is never cropped
    table.add_column(t("indicators.col_indicator", lang), overflow="fold", min_width=24, ratio=1)
    table.add_column(t("indicators.col_plan", lang), overflow="fold", max_width=14)
    table.add_column(t("indicators.col_done", lang), justify="right", no_wrap=True)
    table.add_column(t("indicators.col_progress", lang), no_wrap=True)
    table.add_column(t("indicators.col_status", lang), overflow="fold", max_width=11)
    for v in result.indicators:
        style = _STATUS_STYLE[v.status]
        done = fmt.value_text(v)
        if fmt.fraction_text(v):
            done += f"\n[dim]{fmt.fraction_text(v)}[/dim]"
        target = fmt.target_text(v.target, v.unit, lang)
        if v.cumulative and v.target is not None:
            target += f"\n[dim]{t('indicators.whole_phase', lang)}[/dim]"
        table.add_row(escape(indicator_name(v.id, v.name, lang)), target, done,
                      f"[{style}]{fmt.bar(v, 8)}[/{style}]",
                      f"[{style}]{t('status.' + v.status, lang)}[/{style}]", end_section=True)
    return table


def _phase_title(phase: Any, lang: str) -> str:
    """The plan's title of a phase ("Giai đoạn 2026 - 2030"), in words of `lang`."""
    return phase.title if lang == "vi" else t("progress.phase", lang, first=phase.first_year,
                                              last=phase.last_year)


def _phase_notes(result: IndicatorResult, out: Console, lang: str = "vi") -> None:
    """Phase-cumulative targets before the phase's last year: what they have so far."""
    from rich.markup import escape

    from ..indicators import format as fmt

    phase = result.phase
    progressing = [v for v in result.indicators if v.status == "dang_thuc_hien" and v.target]
    if not progressing:
        return
    out.print("[cyan]" + escape(t("indicators.phase_intro", lang,
                                  phase=_phase_title(phase, lang).lower(),
                                  last=phase.last_year)) + "[/cyan]")
    notes = []
    for v in progressing:
        assert v.target is not None
        words = t("indicators.clubs_word", lang, n=v.value or 0) if v.unit == "count" else ""
        note = fmt.phase_progress(v.value, v.unit, v.target.min, v.target.shown_max,
                                  phase.first_year, phase.last_year, words,
                                  phase=t("indicators.phase_name", lang, id=phase.id), lang=lang,
                                  plan_unit=t("indicators.clubs_word", lang,
                                              n=v.target.shown_max or v.target.min)
                                  if v.unit == "count" else None)
        notes.append(escape(t("indicators.phase_note", lang,
                              name=indicator_name(v.id, v.name, lang), note=note,
                              last=phase.last_year)))
    out.print(bullets(notes))


def bullets(lines: list[str], mark: str = "•", indent: str = "  ") -> Any:
    """"  • text" lines (rich markup) whose wrapped lines stay under their text, not at
    column 0."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for line in lines:
        grid.add_row(indent + mark, line)
    return grid


def _clubs(result: IndicatorResult, out: Console, lang: str = "vi") -> None:
    """Each club's figures, then the standard's criteria each club has not met."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from .. import schema as S
    from ..indicators import CRITERIA_BY_ID
    from ..indicators import format as fmt

    standard = result.plan.standard
    ct = Table(title=t("indicators.clubs_title", lang), title_justify="left",
               box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0))  # (9 columns in 80: no left pad)
    # (in Vietnamese the workbook's own headers; how many rows of the sheet Thành viên)
    for header, justify in ((t("indicators.col_club", lang,
                               header=S.CLUB_INFO.field("club_id").header), "left"),
                            (t("indicators.col_village", lang,
                               header=S.CLUB_INFO.field("village").header), "left"),
                            (t("indicators.col_members", lang, header=S.MEMBERS.name), "right"),
                            (t("indicators.col_women_older", lang), "right"),
                            (t("indicators.col_monthly", lang), "center"),
                            (t("indicators.col_eight", lang), "center"),
                            (t("indicators.col_green", lang), "center"),
                            (t("indicators.col_board", lang), "right"),
                            (t("indicators.col_standard", lang), "center")):
        # (a narrow terminal wraps a header between its words, never inside one)
        ct.add_column(header, justify=justify, overflow="fold",  # type: ignore[arg-type]
                      min_width=max(map(len, header.split()), default=1))

    def yes(flag: bool) -> str:
        return (f"[green]{t('indicators.yes', lang)}[/green]" if flag
                else f"[red]{t('indicators.no', lang)}[/red]")

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
                detail = fmt.criterion_detail(c.figures, k, lang)
                label = CRITERIA_BY_ID[k].describe(standard, lang)
                parts.append(label + (f" ({detail})" if detail else ""))
            name = f" {c.name}" if c.name else ""
            failed_lines.append(f"[bold]{escape(c.club_id)}[/bold]{escape(name)}: "
                                + escape("; ".join(parts)))
    from ._text import titled

    out.print(titled(ct))
    if failed_lines:
        out.print(f"[red]{escape(t('indicators.criteria_failed', lang))}[/red]")
        out.print(bullets(failed_lines))


def _left_out(result: IndicatorResult, out: Console, lang: str = "vi",
              reasons: dict[str, str] | None = None) -> None:
    """Files excluded for errors, copies not counted, clubs that sent nothing valid."""
    from rich.markup import escape

    said = reasons or {}
    if result.excluded:
        out.print(f"[red]{escape(t('indicators.excluded', lang, n=len(result.excluded)))}[/red]")
        for path, reason in result.excluded:
            # soft_wrap: a path is never broken across lines (it stays copyable)
            out.print(f"  • [bold]{escape(path)}[/bold]: {escape(said.get(path, reason))}",
                      soft_wrap=True)
    if result.not_counted:  # a copy of a club's workbook that another copy replaces
        out.print("[yellow]" + escape(t("indicators.not_counted", lang,
                                        n=len(result.not_counted))) + "[/yellow]")
        for path, reason in result.not_counted:
            out.print(f"  • [bold]{escape(path)}[/bold]: {escape(said.get(path, reason))}",
                      soft_wrap=True)
    if result.missing:
        names = []
        for club_id in result.missing:
            known = result.known_club(club_id)
            names.append(escape(club_id + (f" ({known.name})" if known and known.name else "")))
        out.print(f"[red]{escape(t('indicators.missing', lang, n=len(names)))}[/red] "
                  + ", ".join(names))
