"""The review's frame (Nghị định 30/2020/NĐ-CP): the annual report's head, signature and
recipients (`report.context.header.frame`), with the review's own title and sentences.

The head and signature come from the latest commune workbook given (issuing body, signer,
recipients). Its `Số văn bản` is the number of that year's annual report, so the review's
number is left blank, to be written by hand ("Số:      /BC-UBND").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from ..context.header import frame, signing_date
from ..context.model import Header, Signature
from ..context.source import read_source
from .source import KIND_WORDS, PhaseSource

SUBJECT_LINES = ("{kind} {n} năm thực hiện Kế hoạch nhân rộng câu lạc bộ",
                 "liên thế hệ tự giúp nhau {span}")


@dataclass(frozen=True, slots=True)
class PhaseFrame:
    header: Header
    issuer_name: str
    intro: str
    closing: str
    signature: Signature
    recipients: list[str]
    commune_name: str
    province: str
    date: dt.date
    warnings: list[str]


def span(src: PhaseSource) -> str:
    """"giai đoạn 2026–2030"."""
    return f"giai đoạn {src.phase.first_year}–{src.phase.last_year}"


def phase_frame(src: PhaseSource, date: dt.date | None) -> PhaseFrame:
    """Head, opening and closing sentences, signature and recipients, signed on `date`
    (default: today; the last year's as-of date when today is before that year)."""
    last = src.data[src.last].result
    date, warnings = signing_date(src.last, date, last.as_of, src.today)
    commune = src.last_commune
    if commune is not None:  # the annual report's number is not the review's
        commune = dataclasses.replace(
            commune, info=dataclasses.replace(commune.info, doc_number=None))
    annual = read_source(last, commune, None, None, src.limit, src.today)
    fr = frame(annual, date)
    kind = KIND_WORDS[src.kind]
    n = src.phase.last_year - src.phase.first_year + 1
    lines = [line.format(kind=kind, n=n, span=span(src)) for line in SUBJECT_LINES]
    header = dataclasses.replace(fr.header, subject=" ".join(lines), subject_lines=lines)
    what = f"{kind.lower()} {n} năm thực hiện Kế hoạch {span(src)}"
    return PhaseFrame(
        header=header, issuer_name=fr.issuer_name,
        intro=f"Căn cứ {src.plan.title}; {fr.issuer_name} báo cáo {what} như sau:",
        closing=(f"Trên đây là báo cáo {kind.lower()} {n} năm thực hiện Kế hoạch nhân rộng câu "
                 f"lạc bộ liên thế hệ tự giúp nhau {span(src)} của {fr.issuer_name}./."),
        signature=fr.signature, recipients=fr.recipients, commune_name=annual.commune_name,
        province=annual.province, date=date, warnings=warnings)
