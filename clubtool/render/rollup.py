"""`clubtool rollup` output: `(RollupDocument, Options) -> str | bytes`.

`table` for the terminal; `json` (the roll-up's own file, docs/rollup.md), `csv` (one row
per commune), and the province's report: `docx`, `html`, `md`, `xlsx`. Each only lays out
the document's values (`clubtool.rollup.document`); none computes a figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n import has, t, tr
from ..report.context.common import count
from ..vnformat import NO_VALUE, number, percent
from . import Options

if TYPE_CHECKING:
    from rich.console import Console

    from ..rollup.document import RollupDocument


def json(doc: RollupDocument, opts: Options) -> bytes:
    from .._jsonout import dumps
    from ..rollup import to_dict

    return dumps(to_dict(doc.result)).encode("utf-8")


def csv(doc: RollupDocument, opts: Options) -> bytes:
    """One row per commune (the nation: every commune of every province), every indicator's
    numerator, denominator, value and status; UTF-8 with a BOM (Excel opens it right)."""
    import csv as csv_
    import io

    from ..indicators.format import csv_text

    r = doc.result
    buf = io.StringIO()
    w = csv_.writer(buf, lineterminator="\n")
    head = ["province", "commune", "as_of", "status", "met", "judged"]
    for v in r.indicators:
        head += [f"{v.id}.numerator", f"{v.id}.denominator", f"{v.id}.value", f"{v.id}.status"]
    w.writerow(head)
    for c in r.communes:
        by_id = {v.id: v for v in c.indicators}
        row: list[Any] = [csv_text(c.province or ""), csv_text(c.name), c.as_of, c.status,
                          c.met, c.judged]
        for v in r.indicators:
            x = by_id.get(v.id)
            row += (["", "", "", ""] if x is None else
                    [_cell(x.numerator), _cell(x.denominator), _cell(x.value), x.status])
        w.writerow(row)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _cell(x: float | int | None) -> str:
    return "" if x is None else repr(x)


def docx(doc: RollupDocument, opts: Options) -> bytes:
    from ..rollup._docx import render

    return render(doc, templates=opts.templates)


def xlsx(doc: RollupDocument, opts: Options) -> bytes:
    from ..rollup._xlsx import render

    return render(doc)


def html(doc: RollupDocument, opts: Options) -> bytes:
    from ..report.templates import environment
    from ..rollup._chart import chart_svg

    env = environment("html", opts.templates)
    text: str = env.get_template("rollup.html.j2").render(doc=doc, chart_svg=chart_svg(doc.chart))
    return text.encode("utf-8")


def md(doc: RollupDocument, opts: Options) -> bytes:
    from ..report.templates import environment

    env = environment("md", opts.templates)
    text: str = env.get_template("rollup.md.j2").render(doc=doc)
    return text.encode("utf-8")


# --- the terminal ---------------------------------------------------------------------------


def table(doc: RollupDocument, opts: Options) -> str:
    from ._text import capture

    return capture(lambda out: _draw(doc, out, opts.lang), opts)


_STATUS_STYLE = {"dat": "green", "chua_dat": "red", "dang_thuc_hien": "cyan",
                 "khong_co_du_lieu": "dim", "khong_co_chi_tieu": "dim"}
#: At most this many communes in the terminal's table (every one is in the files).
TABLE_LIMIT = 200


def _draw(doc: RollupDocument, out: Console, lang: str = "vi") -> None:
    from rich.markup import escape

    for note in doc.notes:
        out.print(escape(tr(note, lang)), soft_wrap=True)
    out.print(_indicator_table(doc, lang))
    places = doc.communes if doc.communes_in_documents else doc.provinces
    if places:
        out.print(_place_table(doc, places[:TABLE_LIMIT], lang))
        if len(places) > TABLE_LIMIT:
            out.print("[dim]" + escape(t("rollup.more_rows", lang, n=len(places) - TABLE_LIMIT))
                      + "[/dim]")
        out.print(f"[dim]{escape(t('rollup.marks_legend', lang))}[/dim]")
    _left_out(doc, out, lang)
    for warning in doc.result.warnings:
        out.print(f"[bold yellow]{t('word.warning', lang)}:[/bold yellow] "
                  f"{escape(tr(warning, lang))}",
                  soft_wrap=True)


def _indicator_table(doc: RollupDocument, lang: str = "vi") -> Any:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from .indicators import _phase_title, indicator_name

    r = doc.result
    what = t("rollup.nation", lang) if r.level == "nation" else _place(doc, lang)
    table = Table(title=escape(t("rollup.title", lang, place=what, year=r.year,
                                 phase=_phase_title(r.phase, lang), as_of=doc.as_of)),
                  title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column(t("indicators.col_indicator", lang), overflow="fold", min_width=20, ratio=1)
    table.add_column(t("indicators.col_plan", lang), overflow="fold", max_width=12)
    table.add_column(t("indicators.col_done", lang), justify="right", overflow="fold",
                     min_width=9, max_width=18)
    table.add_column(t("rollup.col_communes", lang), justify="right", no_wrap=True)
    table.add_column(t("indicators.col_status", lang), overflow="fold", min_width=9,
                     max_width=14)
    for row, v in zip(doc.indicators, r.indicators, strict=True):
        style = _STATUS_STYLE[row.status]
        actual, detail, plan = (row.actual, row.detail, row.plan) if lang == "vi" else \
            _words(v, lang)
        done = actual + (f"\n[dim]{escape(detail)}[/dim]" if detail else "")
        status = row.status_text if lang == "vi" else t(f"status.{row.status}", lang)
        table.add_row(f"({row.no}) {escape(indicator_name(v.id, row.name, lang))}",
                      escape(plan), done, str(v.with_data),
                      f"[{style}]{escape(status)}[/{style}]", end_section=True)
    return table


def _place(doc: RollupDocument, lang: str) -> str:
    """"tỉnh Hà Tĩnh" in the officer's language."""
    province = doc.result.province
    return doc.place if lang == "vi" or not province else t("rollup.province", lang,
                                                             name=province)


def _words(v: Any, lang: str) -> tuple[str, str, str]:
    """(achieved, its detail, plan) of a pooled indicator in `lang` (the Vietnamese words
    are the document's): "86,4%", "19/22 officials", "100%"."""
    from ..indicators import format as fmt

    unit, plan = v.unit, fmt.target_text(v.target, v.unit, lang)
    if v.value is None:
        return NO_VALUE, "", plan
    if unit == "ratio":
        detail = f"{count(v.numerator)}/{count(v.denominator)} {_unit(v.id, v.denominator, lang)}"
        if v.id == "tuyen_truyen":  # (as the document's "theo báo cáo các thôn")
            detail = detail.strip() + ", " + t("rollup_msg.source", lang)
        return percent(v.value), detail.strip(), plan
    return f"{number(v.value)} {_unit(v.id, v.value, lang)}".strip(), "", plan


def _unit(ind_id: str, n: Any, lang: str) -> str:
    """What an indicator counts ("officials"), "" for one the catalogue does not know."""
    key = f"unit.{ind_id}"
    return t(key, lang, n=int(n or 0)) if has(key, lang) else ""


def _place_table(doc: RollupDocument, places: list[Any], lang: str = "vi") -> Any:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    nation_rows = not doc.communes_in_documents
    table = Table(title=t("rollup.provinces_title" if nation_rows else "rollup.communes_title",
                          lang),
                  title_justify="left", box=box.SIMPLE_HEAD, padding=0)  # (the divider: a space)
    table.add_column(t("rollup.col_province" if nation_rows else "rollup.col_commune", lang),
                     overflow="fold", min_width=8, ratio=1)
    for head in doc.heads:
        table.add_column(head, justify="right", no_wrap=True)
    table.add_column(t("rollup.col_met", lang), justify="right", no_wrap=True)
    for p in places:
        cells = []
        for cell, mark, status in zip(p.cells, p.marks, p.statuses, strict=True):
            style = _STATUS_STYLE.get(status, "dim")
            if mark and lang != "vi":
                mark = t(f"rollup.mark_{status}", lang)
            cells.append(cell + (f"\n[{style}]{mark}[/{style}]" if mark else ""))
        table.add_row(escape(p.name), *cells, p.met)
    return table


def _left_out(doc: RollupDocument, out: Console, lang: str = "vi") -> None:
    from rich.markup import escape

    r = doc.result
    if r.missing:
        out.print(f"[red]{escape(t('rollup.missing', lang, n=len(r.missing)))}[/red] "
                  + escape(", ".join(m.commune + (f" ({m.province})" if r.level == "nation"
                                                  and m.province else "")
                                     for m in r.missing)), soft_wrap=True)
    if r.excluded:
        out.print(f"[red]{escape(t('rollup.excluded', lang, n=len(r.excluded)))}[/red]")
        for e in r.excluded:
            out.print(f"  • [bold]{escape(e.file)}[/bold]: {escape(tr(e.reason, lang))}",
                      soft_wrap=True)
    if r.not_counted:
        out.print("[yellow]" + escape(t("rollup.not_counted", lang, n=len(r.not_counted)))
                  + "[/yellow]")
        for n in r.not_counted:
            out.print(f"  • [bold]{escape(n.file)}[/bold] "
                      + escape(t("rollup.kept", lang, kept=n.kept)), soft_wrap=True)
