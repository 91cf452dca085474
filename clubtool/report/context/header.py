"""The document's frame (Nghị định 30/2020/NĐ-CP): head, signing date, opening sentence,
signature, recipients ("Nơi nhận") and the annexes' note."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ...i18n import msg
from ...vnformat import short_date
from .. import vn
from .model import Header, Signature
from .source import Source

DEFAULT_RECIPIENTS = ["Sở Y tế", "Hội Người cao tuổi tỉnh", "Chủ tịch, các PCT UBND xã",
                      "Hội Người cao tuổi xã", "Lưu: VT, VHXH"]
SUBJECT_LINES = ("Kết quả thực hiện Kế hoạch nhân rộng câu lạc bộ",
                 "liên thế hệ tự giúp nhau năm {year}")
SUBJECT = " ".join(SUBJECT_LINES)


@dataclass(frozen=True, slots=True)
class Frame:
    """The parts of the report around its sections."""

    header: Header
    issuer_name: str  # "Ủy ban nhân dân xã Mai Hoa" (in running text)
    intro: str
    signature: Signature
    recipients: list[str]
    annex_note: str


def signing_date(year: int, date: dt.date | None, as_of: dt.date,
                 today: dt.date) -> tuple[dt.date, list[str]]:
    """The date of the place-and-date line ("Mai Hoa, ngày … tháng … năm …") and what to
    warn about: the date given; else today, or the as-of date when today is before the
    report's year (a report is never dated before its own year by default)."""
    first = dt.date(year, 1, 1)
    if date is not None:
        if date < first:
            return date, [msg("msg.date_before_year", date=short_date(date), year=year,
                              long_date=vn.long_date(date))]
        return date, []
    if today >= first:
        return today, []
    return as_of, [msg("msg.date_is_as_of", today=short_date(today), year=year,
                       as_of=short_date(as_of))]


def frame(src: Source, date: dt.date) -> Frame:
    """Head, opening sentence, signature, recipients and annex note, signed on `date`."""
    info, year = src.info, src.year
    header = Header(
        issuer_lines=vn.issuer_lines(info.issuer if info else None, src.commune_name),
        number=vn.doc_number(info.doc_number if info else None),
        national=vn.NATIONAL_NAME,
        motto=vn.MOTTO,
        place_date=vn.place_date(src.commune_name, date),
        kind="BÁO CÁO",
        subject=SUBJECT.format(year=year),
        subject_lines=[line.format(year=year) for line in SUBJECT_LINES],
    )
    issuer_text = " ".join(header.issuer_lines).lower()
    issuer_name = _title_place(issuer_text[:1].upper() + issuer_text[1:], src.commune_name)
    number_part = header.number.removeprefix("Số:").strip()
    return Frame(
        header=header, issuer_name=issuer_name,
        intro=(f"Căn cứ {src.plan.title}; {issuer_name} báo cáo kết quả thực hiện "
               f"năm {year} như sau:"),
        signature=_signature(src, header),
        recipients=vn.recipient_lines(info.recipients if info else None, DEFAULT_RECIPIENTS),
        annex_note=(f"(Kèm theo Báo cáo số {number_part} {vn.long_date(date)} "
                    f"của {issuer_name})"),
    )


def _signature(src: Source, header: Header) -> Signature:
    """"TM. ỦY BAN NHÂN DÂN", the signing authority ("KT. CHỦ TỊCH"), the signer's title."""
    info = src.info
    body = header.issuer_lines[0] if header.issuer_lines else vn.PEOPLES_COMMITTEE
    lines = [f"TM. {body}"]
    authority = (info.signing_authority or "").strip() if info else ""
    title = (info.signer_title or "").strip() if info else ""
    if authority:
        lines.append(vn.upper(authority))
    lines.append(vn.upper(title) if title else
                 ("PHÓ CHỦ TỊCH" if authority.upper().startswith("KT") else "CHỦ TỊCH"))
    return Signature(lines, (info.signer or "").strip() if info else "")


def _title_place(text: str, place: str) -> str:
    """Restore the capitals of the place name in "Ủy ban nhân dân xã mai hoa"."""
    return re.sub(re.escape(place), place, text, flags=re.IGNORECASE)
