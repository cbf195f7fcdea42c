"""The report as a Word document in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I).

Leaders edit the report in Word before signing, so this is the format that
must look like a document typed at the ministry: A4, margins 2/2/3/1.5 cm,
Times New Roman 14 pt, the two-column header (issuer | national name and
motto), page numbers at the top centre from page 2, and the closing block
(recipients | signer).  python-docx covers most of it; the few things it has
no API for (paragraph borders, the PAGE field, repeated table headers, fonts
for Vietnamese in every script slot) are small XML helpers below.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..charts import render_png
from ..document import Chart, Paragraph, Report, Run, Section, Table
from . import common

__all__ = ["render_docx", "FONT_NAME"]

FONT_NAME = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
FIRST_LINE_INDENT = Cm(1.27)
CHART_WIDTH = Cm(16)

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
          "center": WD_ALIGN_PARAGRAPH.CENTER}
_STYLE = {"body": "Report Body", "bullet": "Report Bullet", "note": "Report Note"}


def render_docx(report: Report) -> bytes:
    """Build the .docx file for `report` and return its bytes."""
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _page_numbers(doc, report)
    _header_block(doc, report)
    _title_block(doc, report)
    for item in common.items(report):
        _ADD[item.kind](doc, item)
    _closing_block(doc, report)

    props = doc.core_properties
    props.title = report.title
    props.subject = report.doc_type
    props.author = "solieu"
    props.last_modified_by = "solieu"
    props.language = "vi-VN"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------
# Page and styles
# ---------------------------------------------------------------------------


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.header_distance, section.footer_distance = Cm(1), Cm(1)


def _rpr_of(element):
    """The w:rPr of a style, run or w:rPrDefault (the last is a plain lxml element)."""
    if hasattr(element, "get_or_add_rPr"):
        return element.get_or_add_rPr()
    rpr = element.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        element.insert(0, rpr)
    return rpr


def _set_fonts(rpr_parent, name: str = FONT_NAME) -> None:
    """Name the font for every script slot and drop theme fonts.

    Word picks the East Asian or complex-script slot for some characters, and
    the default template points those slots at theme fonts (Calibri...), which
    win over an explicit name; Vietnamese then shows in two faces.
    """
    rpr = _rpr_of(rpr_parent)
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _set_size_cs(rpr_parent, points: float) -> None:
    """Complex-script size too, so that every slot prints at the same size."""
    rpr = _rpr_of(rpr_parent)
    szcs = rpr.find(qn("w:szCs"))
    if szcs is None:
        szcs = OxmlElement("w:szCs")
        rpr.append(szcs)
    szcs.set(qn("w:val"), str(int(points * 2)))


def _set_language(rpr_parent, lang: str = "vi-VN") -> None:
    rpr = _rpr_of(rpr_parent)
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    el.set(qn("w:val"), lang)


def _styles(doc) -> None:
    styles = doc.styles
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            _set_fonts(rpr_default)

    normal = styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element)
    _set_size_cs(normal.element, BODY_PT)
    _set_language(normal.element)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0

    body = _paragraph_style(doc, "Report Body", "Normal")
    fmt = body.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = FIRST_LINE_INDENT
    fmt.space_before = fmt.space_after = Pt(6)
    fmt.line_spacing = 1.15
    fmt.widow_control = True
    _paragraph_style(doc, "Report Bullet", "Report Body")
    note = _paragraph_style(doc, "Report Note", "Report Body")
    note.font.italic = True
    note.font.size = Pt(12)
    _set_size_cs(note.element, 12)

    cell = _paragraph_style(doc, "Report Table Text", "Normal")
    cell.font.size = Pt(TABLE_PT)
    _set_size_cs(cell.element, TABLE_PT)
    cell.paragraph_format.space_before = cell.paragraph_format.space_after = Pt(2)

    caption = _paragraph_style(doc, "Report Caption", "Normal")
    caption.font.size = Pt(13)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_before = caption.paragraph_format.space_after = Pt(6)

    # Built-in heading styles keep Word's navigation pane and outline working;
    # restyle them from the template's blue Calibri to the ministry's look.
    for level, italic, before in ((1, False, 12), (2, False, 6), (3, True, 6)):
        style = styles[f"Heading {level}"]
        style.base_style = body
        style.font.name = FONT_NAME
        style.font.size = Pt(BODY_PT)
        style.font.bold = True
        style.font.italic = italic
        style.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(style.element)
        _set_size_cs(style.element, BODY_PT)
        fmt = style.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = FIRST_LINE_INDENT
        fmt.left_indent = Cm(0)
        fmt.space_before, fmt.space_after = Pt(before), Pt(6)
        fmt.line_spacing = 1.15
        fmt.keep_with_next = True


def _paragraph_style(doc, name: str, base: str):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    style.quick_style = True
    return style


# ---------------------------------------------------------------------------
# Small formatting helpers
# ---------------------------------------------------------------------------


def _para(container, text: str = "", *, size: float | None = None, bold=False, italic=False,
          align=WD_ALIGN_PARAGRAPH.CENTER, before: float = 0, after: float = 0, style=None):
    """A paragraph with one run, for the fixed lines of the header and closing blocks."""
    paragraph = container.add_paragraph(style=style)
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.first_line_indent = Cm(0)
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _run(paragraph, text: str, *, size: float | None = None, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size is not None:
        run.font.size = Pt(size)
        _set_size_cs(run._r, size)
    return run


def _first_para(cell):
    """A new cell already holds one empty paragraph: use it rather than leave a blank line."""
    return cell.paragraphs[0]


def _rule(container, width_cm: float, box_width_cm: float) -> None:
    """A short horizontal line centred under the previous line (ND30's "đường kẻ ngang, nét liền").

    Drawn as the top border of an almost empty paragraph whose indents leave
    exactly `width_cm` of border; shapes would be more exact but are not
    editable as text and render differently across Word versions.
    """
    width_cm = min(width_cm, box_width_cm)
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = Cm(max((box_width_cm - width_cm) / 2, 0))
    fmt.left_indent = fmt.right_indent = side
    fmt.first_line_indent = Cm(0)
    fmt.space_before, fmt.space_after = Pt(3), Pt(0)   # keeps the line clear of descenders and dots below
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    _border(paragraph, ("top",))
    mark = paragraph._p.get_or_add_pPr()
    rpr = OxmlElement("w:rPr")   # the paragraph mark's size sets the empty line's height
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "2")
    rpr.append(sz)
    mark.append(rpr)


def _border(paragraph, sides, size_eighths: int = 6, space: int = 1) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        if side in sides:
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), str(size_eighths))
            el.set(qn("w:space"), str(space))
            el.set(qn("w:color"), "000000")
            borders.append(el)
    # pBdr must come before spacing/ind/jc in pPr (CT_PPr sequence).
    anchor = next((c for c in ppr if c.tag in {qn("w:shd"), qn("w:tabs"), qn("w:suppressAutoHyphens"),
                                                qn("w:spacing"), qn("w:ind"), qn("w:jc")}), None)
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        ppr.append(borders)


def _layout_table(doc, rows: int, widths_cm: list[float]):
    """A borderless table used only to place the two-column header and closing blocks."""
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_borders(table, "nil")
    _cell_margins(table, left=Cm(0.05), right=Cm(0.05))
    _widths(table, widths_cm)
    return table


def _widths(table, widths_cm: list[float]) -> None:
    """Set the grid and every cell: Word reads the cells' tcW, LibreOffice the tblGrid."""
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(round(sum(widths_cm) / 2.54 * 1440)))


def _table_borders(table, value: str) -> None:
    tblpr = table._tbl.tblPr
    old = tblpr.find(qn("w:tblBorders"))
    if old is not None:
        tblpr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), value)
        if value != "nil":
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    _insert_tblpr(tblpr, borders, after=("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual",
                                         "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW",
                                         "w:jc", "w:tblCellSpacing", "w:tblInd"))


def _cell_margins(table, left, right) -> None:
    tblpr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("left", left), ("right", right)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(value.cm / 2.54 * 1440)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    _insert_tblpr(tblpr, margins, after=("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual",
                                         "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW",
                                         "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                                         "w:shd", "w:tblLayout"))


def _insert_tblpr(tblpr, element, after) -> None:
    """Insert `element` at its schema position: after the last child named in `after`."""
    names = {qn(n) for n in after}
    position = 0
    for index, child in enumerate(tblpr):
        if child.tag in names:
            position = index + 1
    tblpr.insert(position, element)


def _row_flags(row, *, header=False) -> None:
    """Rows never split across pages; header rows repeat at the top of each page."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


# ---------------------------------------------------------------------------
# Header, title, page numbers
# ---------------------------------------------------------------------------


def _header_block(doc, report: Report) -> None:
    """Issuer | national name and motto; then number | place and date on one row, as in ND30."""
    left_w, right_w = common.LEFT_BLOCK_CM, common.RIGHT_BLOCK_CM
    table = _layout_table(doc, 2, [left_w, right_w])
    issuer, nation = table.rows[0].cells
    number, when = table.rows[1].cells
    for cell in (issuer, nation, number, when):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP

    first = _first_para(issuer)
    body = report.issuing_body.upper()
    size = common.issuer_size_pt(report)
    if report.issuing_parent:
        _run(first, report.issuing_parent.upper(), size=size)
        _para(issuer, body, size=size, bold=True)
    else:
        _run(first, body, size=size, bold=True)
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # ND30: 1/3 to 1/2 of the name's length.
    _rule(issuer, common.text_width_cm(body, size, bold=True) * 0.4, left_w - 0.1)

    first = _first_para(nation)
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(first, common.NATION, size=12, bold=True)
    _para(nation, common.MOTTO, size=14, bold=True)
    _rule(nation, common.text_width_cm(common.MOTTO, 14, bold=True), right_w - 0.1)

    first = _first_para(number)
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first.paragraph_format.space_before = Pt(6)
    _run(first, report.number_symbol, size=13)

    first = _first_para(when)
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first.paragraph_format.space_before = Pt(6)
    _run(first, common.place_date(report), size=14, italic=True)


def _title_block(doc, report: Report) -> None:
    _para(doc, report.doc_type, size=14, bold=True, before=24)
    title = _para(doc, report.title, size=14, bold=True)
    title.paragraph_format.keep_with_next = True
    line = min(common.text_width_cm(report.title, 14, bold=True), common.TEXT_WIDTH_CM)
    _rule(doc, line / 3, common.TEXT_WIDTH_CM)
    _para(doc, "", after=6)


def _page_numbers(doc, report: Report) -> None:
    """Page number at the top centre from page 2 (ND30); page 1 carries only the draft stamp."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True

    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(paragraph)

    first = section.first_page_header
    first.is_linked_to_previous = False
    paragraph = first.paragraphs[0]
    if report.draft:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        stamp = 3.2
        fmt.left_indent = Cm(common.TEXT_WIDTH_CM - stamp)
        _run(paragraph, common.DRAFT, size=13, bold=True)
        _border(paragraph, ("top", "left", "bottom", "right"), size_eighths=8, space=2)


def _page_field(paragraph) -> None:
    """A PAGE field: Word and LibreOffice compute the number on each page."""
    def fld_char(kind):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
        return run

    fld_char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run._r.append(instr)
    fld_char("separate")
    paragraph.add_run("2")   # cached result, replaced when the document is opened
    fld_char("end")
    for run in paragraph.runs:
        run.font.size = Pt(13)


# ---------------------------------------------------------------------------
# Body blocks
# ---------------------------------------------------------------------------


def _add_runs(paragraph, runs: list[Run], *, size: float | None = None) -> None:
    for run in runs:
        _run(paragraph, run.text, size=size, bold=run.bold, italic=run.italic)


def _add_heading(doc, item: common.Item) -> None:
    section: Section = item.block
    paragraph = doc.add_paragraph(style=f"Heading {item.level}")
    paragraph.add_run(section.heading)


def _add_paragraph(doc, item: common.Item) -> None:
    block: Paragraph = item.block
    paragraph = doc.add_paragraph(style=_STYLE.get(block.style, "Report Body"))
    prefix = common.paragraph_prefix(block)
    if prefix:
        paragraph.add_run(prefix)
    _add_runs(paragraph, block.runs)


def _add_table(doc, item: common.Item) -> None:
    table: Table = item.block
    if table.caption:
        caption = doc.add_paragraph(table.caption, style="Report Caption")
        caption.runs[0].bold = True
        caption.paragraph_format.keep_with_next = True

    header = common.table_header(table)
    n = len(table.columns)
    widths = common.column_widths_cm(table, common.TEXT_WIDTH_CM, TABLE_PT, padding_cm=0.3)
    grid = doc.add_table(rows=len(header) + len(table.rows), cols=n)
    grid.style = doc.styles["Table Grid"]
    grid.autofit = False
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_borders(grid, "single")
    _cell_margins(grid, left=Cm(0.1), right=Cm(0.1))
    _widths(grid, widths)

    for r, row in enumerate(header):
        _row_flags(grid.rows[r], header=True)
        for spec in row:
            cell = grid.cell(r, spec.column)
            if spec.colspan > 1 or spec.rowspan > 1:
                cell = cell.merge(grid.cell(r + spec.rowspan - 1, spec.column + spec.colspan - 1))
            _fill(cell, [Run(spec.text, bold=True)], "center")

    for r, row in enumerate(common.body_rows(table), start=len(header)):
        _row_flags(grid.rows[r])
        for c, source in enumerate(row):
            _fill(grid.cell(r, c), source.runs, source.align)
    # Word glues consecutive tables together without a paragraph between; keep it 6 pt high.
    spacer = _para(doc, "")
    spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacer.paragraph_format.line_spacing = Pt(6)


def _fill(cell, runs: list[Run], align: str) -> None:
    for extra in cell.paragraphs[1:]:   # merged cells keep one paragraph per source cell
        extra._p.getparent().remove(extra._p)
    paragraph = cell.paragraphs[0]
    paragraph.style = "Report Table Text"
    paragraph.alignment = _ALIGN.get(align, WD_ALIGN_PARAGRAPH.LEFT)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _add_runs(paragraph, runs)


def _add_chart(doc, item: common.Item) -> None:
    chart: Chart = item.block
    picture = doc.add_paragraph(style="Report Caption")
    picture.paragraph_format.keep_with_next = True
    picture.add_run().add_picture(io.BytesIO(render_png(chart, width_cm=16, dpi=200, show_title=False)),
                                  width=CHART_WIDTH)
    caption = doc.add_paragraph(style="Report Caption")
    caption.paragraph_format.space_before = Pt(0)
    _run(caption, chart.title, italic=True)


_ADD = {"heading": _add_heading, "paragraph": _add_paragraph, "table": _add_table, "chart": _add_chart}


# ---------------------------------------------------------------------------
# Closing block
# ---------------------------------------------------------------------------


def _closing_block(doc, report: Report) -> None:
    """Recipients on the left, the signer on the right, never split across pages."""
    _para(doc, "", after=6)
    left_w, right_w = common.LEFT_BLOCK_CM, common.RIGHT_BLOCK_CM
    table = _layout_table(doc, 1, [left_w, right_w])
    _row_flags(table.rows[0])
    recipients, signer = table.rows[0].cells
    recipients.vertical_alignment = signer.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP

    first = _first_para(recipients)
    first.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _run(first, common.RECIPIENTS_LABEL, size=12, bold=True, italic=True)
    for name in report.recipients:
        _para(recipients, f"- {name}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)

    first = _first_para(signer)
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(first, report.signer.position.upper(), size=14, bold=True)
    if report.signer.title:
        _para(signer, report.signer.title.upper(), size=14, bold=True)
    # Room for the signature and the seal.
    _para(signer, report.signer.name, size=14, bold=True, before=84)
