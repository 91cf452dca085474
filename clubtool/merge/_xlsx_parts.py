"""The fixed parts of the merged .xlsx file (`_xlsx.Book`): package, workbook, styles,
document properties, and the XML around each sheet's rows. SpreadsheetML as XlsxWriter
writes it, so that Excel, LibreOffice and WPS open it as they open XlsxWriter's files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ._xlsx import escape, quoteattr

_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-"

#: cellXfs, in the order of `_xlsx.CELL`, `_xlsx.TOTAL`, `_xlsx.HEADER`, `_xlsx.TITLE`:
#: 0 default, 1 header, 2 date, 3 share, 4 flag, 5 money, 6–10 totals (text/int, share,
#: flag, money, date), 11 title lines.
STYLES = (
    _DECL + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="0.0%"/><numFmt numFmtId="166" formatCode="#,##0"/>'
    '</numFmts><fonts count="2">'
    '<font><sz val="11"/><color rgb="FF000000"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><color rgb="FF000000"/><name val="Calibri"/><family val="2"/></font>'
    '</fonts><fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid">'
    '<fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="3"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/>'
    '</border><border><left/><right/><top style="thin"><color auto="1"/></top><bottom/>'
    '<diagonal/></border></borders><cellStyleXfs count="1">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="12">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" '
    'applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment horizontal="center"/></xf>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="2" xfId="0" applyFont="1" applyBorder="1"/>'
    '<xf numFmtId="165" fontId="1" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" '
    'applyFont="1" applyBorder="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="2" xfId="0" applyFont="1" applyBorder="1" '
    'applyAlignment="1"><alignment horizontal="center"/></xf>'
    '<xf numFmtId="166" fontId="1" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" '
    'applyFont="1" applyBorder="1"/>'
    '<xf numFmtId="164" fontId="1" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" '
    'applyFont="1" applyBorder="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    '</cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
    'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
)


def width(chars: float) -> str:
    """A column width as Excel stores it (XlsxWriter's conversion: 10 → "10.7109375")."""
    pixels = int(chars * 7 + 0.5) + 5 if chars >= 1 else int(chars * 12 + 0.5)
    return f"{pixels * 256 // 7 / 256.0:.16g}"


def sheet_head(*, selected: bool, freeze: tuple[int, int], widths: Sequence[float]) -> str:
    """Everything of a sheet before its first row: the panes frozen below row `freeze[0]`
    and right of column `freeze[1]`, the column widths; <sheetData> opened."""
    from ._xlsx import col_name

    rows, cols = freeze
    tab = ' tabSelected="1"' if selected else ""
    if cols:
        corner = f"{col_name(cols)}{rows + 1}"
        pane = (f'<pane xSplit="{cols}" ySplit="{rows}" topLeftCell="{corner}" '
                'activePane="bottomRight" state="frozen"/>'
                f'<selection pane="topRight" activeCell="{col_name(cols)}1" '
                f'sqref="{col_name(cols)}1"/><selection pane="bottomLeft" '
                f'activeCell="A{rows + 1}" sqref="A{rows + 1}"/><selection pane="bottomRight"/>')
    else:
        pane = (f'<pane ySplit="{rows}" topLeftCell="A{rows + 1}" activePane="bottomLeft" '
                'state="frozen"/><selection pane="bottomLeft"/>')
    cols_xml = "".join(f'<col min="{c}" max="{c}" width="{width(w)}" customWidth="1"/>'
                       for c, w in enumerate(widths, start=1))
    return (f'{_DECL}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f'<sheetViews><sheetView{tab} workbookViewId="0">{pane}</sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols_xml}</cols><sheetData>')


def sheet_tail(filter_ref: str) -> str:
    """Everything after the rows: the filter, margins, A4 landscape."""
    return (f'</sheetData><autoFilter ref="{filter_ref}"/><pageMargins left="0.7" right="0.7" '
            'top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape"/></worksheet>')


def package(names: Sequence[str], defined: Sequence[tuple[str, str]], *, title: str,
            created: dt.datetime) -> list[tuple[str, str]]:
    """The parts written after the sheets: (path in the zip, XML)."""
    n = len(names)
    sheet_ct = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}'
                       'officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
    types = (f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             f'<Default Extension="rels" ContentType="{_CT}package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/docProps/app.xml" ContentType="{_CT}officedocument.'
             'extended-properties+xml"/><Override PartName="/docProps/core.xml" '
             f'ContentType="{_CT}package.core-properties+xml"/><Override PartName='
             f'"/xl/styles.xml" ContentType="{_CT}officedocument.spreadsheetml.styles+xml"/>'
             f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}officedocument.'
             f'spreadsheetml.sheet.main+xml"/>{sheet_ct}</Types>')
    root_rels = (f'{_DECL}<Relationships xmlns="{_PKG_REL}">'
                 f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                 '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
                 'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                 f'<Relationship Id="rId3" Type="{_REL}/extended-properties" '
                 'Target="docProps/app.xml"/></Relationships>')
    book_rels = (f'{_DECL}<Relationships xmlns="{_PKG_REL}">'
                 + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                           f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
                 + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                 '</Relationships>')
    return [("[Content_Types].xml", types), ("_rels/.rels", root_rels),
            ("xl/_rels/workbook.xml.rels", book_rels),
            ("xl/workbook.xml", _workbook(names, defined)), ("xl/styles.xml", STYLES),
            ("docProps/core.xml", _core(title, created)), ("docProps/app.xml", _APP)]


def _workbook(names: Sequence[str], defined: Sequence[tuple[str, str]]) -> str:
    sheets = "".join(f"<sheet name={quoteattr(name)} sheetId=\"{i}\" r:id=\"rId{i}\"/>"
                     for i, name in enumerate(names, start=1))
    filters = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" '
                      f'hidden="1">{escape(f)}</definedName>' for i, (f, _) in enumerate(defined))
    titles = "".join(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                     f"{escape(p)}</definedName>" for i, (_, p) in enumerate(defined))
    return (f'{_DECL}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/><bookViews>'
            '<workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/>'
            f"</bookViews><sheets>{sheets}</sheets><definedNames>{filters}{titles}"
            '</definedNames><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')


def _core(title: str, created: dt.datetime) -> str:
    when = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f'{_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/'
            'dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>clubtool</dc:creator>"
            "<cp:lastModifiedBy>clubtool</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>")


_APP = (f'{_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>'
        "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "<AppVersion>12.0000</AppVersion></Properties>")
