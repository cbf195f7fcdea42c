"""The report as PDF: a print HTML template laid out by WeasyPrint.

The PDF is what gets published or sent when nobody needs to edit the text, so
it follows the same Nghị định 30/2020/NĐ-CP layout as the DOCX.  HTML + CSS
paged media gives us page margins, a page number at the top centre from page
2 (`@page :first`), repeated table headers and non-splitting blocks without
drawing anything by hand.  The template is rendered with Django's engine and
autoescaping, so report text can never inject markup; WeasyPrint may fetch
only `data:` URLs (the chart images), never files or the network.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.template.loader import render_to_string

from ..charts import render_png
from ..document import Report
from . import common

__all__ = ["render_pdf", "render_html", "render_document", "STYLESHEET"]

TEMPLATE = "reports/print.html"
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "reports" / "print.css"


@dataclass
class _PrintItem:
    """A body block plus what the template cannot compute (prefixes, widths, images)."""

    kind: str
    block: object
    level: int = 0
    prefix: str = ""
    header: list | None = None
    rows: list | None = None
    widths: list[str] | None = None
    image: str = ""


def _print_items(report: Report) -> list[_PrintItem]:
    result = []
    for item in common.items(report):
        extra = _PrintItem(item.kind, item.block, item.level)
        if item.kind == "paragraph":
            extra.prefix = common.paragraph_prefix(item.block)
        elif item.kind == "table":
            extra.header = common.table_header(item.block)
            extra.rows = common.body_rows(item.block)
            widths = common.column_widths_cm(item.block, common.TEXT_WIDTH_CM, 12, padding_cm=0.3)
            # As strings with a dot: the template must not localise 12.5 into "12,5".
            extra.widths = [f"{100 * w / common.TEXT_WIDTH_CM:.3f}" for w in widths]
        elif item.kind == "chart":
            png = render_png(item.block, width_cm=16, dpi=200, show_title=False)
            extra.image = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        result.append(extra)
    return result


def render_html(report: Report, today: date | None = None) -> str:
    """The print HTML (useful to debug the layout in a browser's print preview)."""
    context = {
        "report": report,
        "parent": report.issuing_parent.upper(),
        "issuing_body": report.issuing_body.upper(),
        "issuer_size": str(common.issuer_size_pt(report)),
        "nation": common.NATION,
        "motto": common.MOTTO,
        "draft": common.DRAFT,
        "place_date": common.place_date(report, today),
        "items": _print_items(report),
        "recipients_label": common.RECIPIENTS_LABEL,
        "signer_position": report.signer.position.upper(),
        "signer_title": report.signer.title.upper(),
    }
    return render_to_string(TEMPLATE, context)


def render_document(report: Report):
    """The laid-out WeasyPrint document: tests read its pages and boxes."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    html = HTML(string=render_html(report), base_url=str(STYLESHEET.parent), url_fetcher=fetcher)
    return html.render(stylesheets=[CSS(filename=str(STYLESHEET), url_fetcher=fetcher)])


def render_pdf(report: Report) -> bytes:
    """Build the PDF for `report` and return its bytes."""
    return render_document(report).write_pdf()
