"""The on-screen report (reports/_report_body.html), rendered without a database.

The markup is read back with the standard HTML parser rather than searched as text, so that a
figure "inside an <a>" really means inside it. The last test draws the page in Chromium under
the production Content-Security-Policy.
"""

import functools
import http.server
import json
import mimetypes
import pathlib
import re
import threading
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import engines
from django.template.loader import render_to_string

from solieu.reports.document import Paragraph, Run, Table
from solieu.reports.sample import sample_report
from solieu.reports.templatetags.report_tags import table_header


class Page(HTMLParser):
    """Elements with their attributes and text, and the text of each figure element."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []          # (tag, attrs)
        self.figures = []           # {"tag", "attrs", "text"} for class="fig ..."
        self.scripts = []           # {"attrs", "text"}
        self.text = []
        self._open_figures = []
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if "fig" in (attrs.get("class") or "").split() and "data-figure" in attrs:
            self._open_figures.append({"tag": tag, "attrs": attrs, "text": ""})
        if tag == "script":
            self._script = {"attrs": attrs, "text": ""}

    def handle_endtag(self, tag):
        if self._open_figures and self._open_figures[-1]["tag"] == tag:
            self.figures.append(self._open_figures.pop())
        if tag == "script" and self._script is not None:
            self.scripts.append(self._script)
            self._script = None

    def handle_data(self, data):
        self.text.append(data)
        for figure in self._open_figures:
            figure["text"] += data
        if self._script is not None:
            self._script["text"] += data

    @property
    def plain(self):
        return re.sub(r"\s+", " ", "".join(self.text))

    def find(self, tag, **attrs):
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def render(report):
    return render_to_string("reports/_report_body.html", {"report": report})


@pytest.fixture
def report():
    return sample_report()


def test_every_figure_is_a_link_with_its_key(report):
    page = Page(render(report))
    links = [f for f in page.figures if f["tag"] == "a"]
    for figure in report.figures:
        mine = [f for f in links if f["attrs"]["data-figure"] == figure.key]
        assert mine, figure.key
        for link in mine:
            assert figure.text in link["text"]
            assert link["attrs"]["href"] == figure.link
            assert link["attrs"]["title"] == f"{figure.label}: {figure.derivation}"
            assert link["attrs"]["class"].split() == ["fig", "fig-estimate"]
    # the sentence keeps its spacing around the figures
    assert "ước đạt 27.477 tỷ đồng, tăng 5,48% so với cùng kỳ" in page.plain


def test_header_block_title_and_signature(report):
    page = Page(render(report))
    text = page.plain
    for expected in ["BỘ KHOA HỌC VÀ CÔNG NGHỆ", "Số: /BC-BKHCN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 30 tháng 6 năm 2023", "DỰ THẢO",
                     "BÁO CÁO", report.title, "Nơi nhận:", "Thủ tướng Chính phủ (để b/c);", "Lưu: VT, KHTC.",
                     "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Nguyễn Văn A"]:
        assert expected in text, expected
    assert text.index("CỘNG HÒA") < text.index("BÁO CÁO") < text.index("I. SỐ LIỆU") < text.index("Nơi nhận")
    assert page.find("p", **{"class": "draft-mark"})
    assert [a["class"] for t, a in page.elements if t in ("h2", "h3", "h4")] == ["sec-heading"] * 6
    assert [t for t, a in page.elements if t in ("h1", "h2", "h3", "h4")] == [
        "h1", "h2", "h2", "h3", "h4", "h4", "h2"]


def test_blank_date_parent_body_and_no_draft(report):
    report.issued_on, report.draft, report.issuing_parent = None, False, "ỦY BAN NHÂN DÂN TỈNH X"
    page = Page(render(report))
    assert re.search(r"Hà Nội, ngày\s{3,}tháng\s{3,}năm", "".join(page.text))
    assert not page.find("p", **{"class": "draft-mark"})
    assert "DỰ THẢO" not in page.plain
    assert page.plain.index("ỦY BAN NHÂN DÂN TỈNH X") < page.plain.index("BỘ KHOA HỌC")


def test_no_inline_style_or_script(report):
    html = render(report)
    page = Page(html)
    assert not [a for t, a in page.elements if "style" in a]
    assert not re.search(r"\sstyle\s*=", html) and "<style" not in html
    assert [s["attrs"] for s in page.scripts] == [{"id": "report-charts", "type": "application/json"}]
    assets = Page(render_to_string("reports/_report_assets.html"))
    sources = [s["attrs"]["src"] for s in assets.scripts]
    assert all("defer" in s["attrs"] and not s["text"].strip() for s in assets.scripts)
    assert sources == ["/static/vendor/echarts-5.6.0.min.js", "/static/web/charts.js", "/static/reports/report.js"]
    assert [a["href"] for a in assets.find("link", rel="stylesheet")] == ["/static/reports/report.css"]
    for url in [*sources, "/static/reports/report.css"]:
        assert finders.find(url.removeprefix("/static/")), url


def test_chart_placeholder_and_json(report):
    page = Page(render(report))
    assert page.find("div", **{"data-chart": "C1"})
    data = json.loads(page.scripts[0]["text"])
    chart = report.charts[0]
    assert data == {"C1": {
        "title": chart.title, "kind": "line", "categories": chart.categories, "unit": "tỷ đồng",
        "series": [{"name": s.name, "values": [float(v) for v in s.values]} for s in chart.series],
    }}


def test_chart_gaps_and_missing_key(report):
    chart = report.charts[0]
    chart.key = ""
    chart.series[0].values[1] = None
    page = Page(render(report))
    assert page.find("div", **{"data-chart": "C1"})
    assert json.loads(page.scripts[0]["text"])["C1"]["series"][0]["values"][1] is None


def test_no_charts_no_json(report):
    report.charts = []
    report.sections[1].blocks[0].blocks[0].blocks.pop()   # the chart in 1.1
    assert not Page(render(report)).scripts


def test_malicious_text_is_escaped(report):
    evil = replace(report.figures[0], key="F9", label='<script>alert("x")</script>', text="<b>1</b>",
                   derivation='" onmouseover="alert(1)', link="javascript:alert(1)")
    report.sections[2].blocks.append(Paragraph([Run("<script>alert(1)</script>"), Run(evil.text, evil)]))
    report.charts[0].title = "</script><script>alert(2)</script>"
    report.title = "<img src=x onerror=alert(3)>"
    html = render(report)
    page = Page(html)
    assert "<script>alert" not in html and "<img" not in html and "<b>1" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    link = [f for f in page.figures if f["attrs"]["data-figure"] == "F9"][0]
    assert link["attrs"]["title"] == '<script>alert("x")</script>: " onmouseover="alert(1)'
    assert "onmouseover" not in link["attrs"]
    assert link["tag"] == "span" and "href" not in link["attrs"]   # a javascript: link is dropped
    assert link["text"] == "<b>1</b>"
    assert json.loads(page.scripts[0]["text"])["C1"]["title"] == report.charts[0].title
    assert [s["attrs"].get("type") for s in page.scripts] == ["application/json"]


def test_figure_without_link_provisional_and_legend(report):
    plain = replace(report.figures[0], key="F6", link="", provisional=True, estimate=False)
    report.figures.append(plain)
    report.sections[2].blocks.append(Paragraph([Run("Có "), Run(plain.text, plain, bold=True)]))
    page = Page(render(report))
    span = [f for f in page.figures if f["attrs"]["data-figure"] == "F6"][0]
    assert span["tag"] == "span" and span["attrs"]["class"] == "fig fig-provisional"
    assert "href" not in span["attrs"]
    assert "<strong><span class=\"fig fig-provisional\"" in render(report)
    legend = Page(render(report)).find("p", **{"class": "report-legend"})
    assert legend and "chưa được phê duyệt" in page.plain and "ước tính" in page.plain

    for f in report.figures:
        f.estimate = f.provisional = False
    text = Page(render(report)).plain
    assert "chưa được phê duyệt" not in text and "số liệu ước tính" not in text


def test_notes_shown_before_the_sheet(report):
    report.notes = ["Còn 2 Sở chưa gửi báo cáo."]
    page = Page(render(report))
    assert page.plain.index("Còn 2 Sở chưa gửi báo cáo.") < page.plain.index("CỘNG HÒA")


def test_table_header_spans_alignment_and_widths(report):
    page = Page(render(report))
    ths = [(a.get("colspan"), a.get("rowspan")) for t, a in page.elements if t == "th"]
    assert ths == [(None, "2"), (None, "2"), (None, "2"), ("2", None), ("2", None),
                   (None, None), (None, None), (None, None), (None, None)]
    assert [a["class"] for t, a in page.elements if t == "td"] == ["al-center", "al-left"] + ["al-right"] * 5
    widths = [a["width"] for t, a in page.elements if t == "col"]
    assert len(widths) == 7 and widths[1] == "33.3%"


def test_table_header_rules():
    plain = Table(columns=["A", "B"], rows=[])
    assert table_header(plain) == [[{"text": "A", "colspan": 1, "rowspan": 1, "row": 0},
                                    {"text": "B", "colspan": 1, "rowspan": 1, "row": 0}]]
    two = Table(columns=["a", "b", "c"], rows=[], header_rows=[[("X", 1), ("Y", 2)], [("X", 1), ("Z", 2)]])
    rows = table_header(two)
    assert [[(c["text"], c["colspan"], c["rowspan"]) for c in r] for r in rows] == [
        [("X", 1, 3), ("Y", 2, 1)], [("Z", 2, 1)], [("b", 1, 1), ("c", 1, 1)]]
    # every header cell spans down: the columns row disappears, and the spans with it
    flat = Table(columns=["a", "b"], rows=[], header_rows=[[("P", 1), ("Q", 1)]])
    assert [[(c["text"], c["rowspan"]) for c in r] for r in table_header(flat)] == [[("P", 1), ("Q", 1)]]


# -- in the browser --------------------------------------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves one page and the apps' static files, with the production CSP header."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        if self.path.startswith("/static/"):
            found = finders.find(self.path.removeprefix("/static/"))
            if not found:
                return self.send_error(404)
            body = pathlib.Path(found).read_bytes()
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
        elif self.path == "/":
            body, kind = self.server.page.encode(), "text/html; charset=utf-8"
        else:
            return self.send_error(404)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Security-Policy", self.server.csp)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def served_report(report):
    html = engines["django"].from_string(
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Báo cáo</title>'
        '{% include "reports/_report_assets.html" %}</head>'
        '<body>{% include "reports/_report_body.html" %}</body></html>').render({"report": report})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler))
    server.page = html
    server.csp = "; ".join(f"{k} {' '.join(v)}" for k, v in
                           settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_charts_drawn_under_the_csp(page, served_report):
    page.goto(served_report)
    page.wait_for_selector(".chart[data-chart='C1'] canvas")
    page.locator(".chart[data-chart='C1']").hover()       # the tooltip, drawn on the canvas
    page.set_viewport_size({"width": 700, "height": 900})  # and a resize
    page.wait_for_timeout(100)
    assert page.evaluate("document.querySelector('.chart canvas').width") > 0
    assert page.evaluate("[1234567.891, 43.7806, -0.004, 4400].map(v => solieuReport.formatVi(v))") == [
        "1.234.567,89", "43,78", "0", "4.400"]
    assert page.csp_errors == []
