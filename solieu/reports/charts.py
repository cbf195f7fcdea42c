"""Charts of a report as PNG images, for the DOCX and PDF renderers.

The screen draws the same `Chart` objects with ECharts; printed documents need
a picture instead.  We use matplotlib's object API (`Figure` plus the Agg
canvas) and never `pyplot`, so rendering from a web request or a job worker
leaves no global figure registry or backend switch behind.

Printed reports follow the ministry's typography: a serif face that carries
Vietnamese diacritics (Liberation Serif, metric-compatible with Times New
Roman) and Vietnamese number formatting ("4.400", "5,48") on the value axis.
"""

from __future__ import annotations

import io
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager, ft2font
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..vi.numbers import format_number
from .document import Chart

__all__ = ["render_png", "font_files", "KINDS"]

KINDS = ("bar", "line", "barh")

# Liberation Serif is metric-compatible with Times New Roman, the face of the
# printed report.  Only version 2 (Debian: fonts-liberation2) has the
# precomposed Vietnamese letters ("ạ", "ỷ", "ố"); version 1.07 (fonts-liberation)
# does not, and a chart with holes in its words is worse than one in another
# serif face, so we then fall back to the DejaVu Serif that matplotlib ships.
_FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"))
_LIBERATION = {(False, False): "LiberationSerif-Regular.ttf", (True, False): "LiberationSerif-Bold.ttf",
               (False, True): "LiberationSerif-Italic.ttf", (True, True): "LiberationSerif-BoldItalic.ttf"}
_DEJAVU = {(False, False): "DejaVuSerif.ttf", (True, False): "DejaVuSerif-Bold.ttf",
           (False, True): "DejaVuSerif-Italic.ttf", (True, True): "DejaVuSerif-BoldItalic.ttf"}
_VIETNAMESE_PROBE = (0x1EA1, 0x1EF7, 0x1ED1, 0x0111)   # ạ ỷ ố đ

# Sober colours that stay distinguishable when a report is printed in grey.
_COLOURS = ("#1f4e79", "#c0504d", "#7f7f7f", "#9bbb59", "#f79646", "#4bacc6", "#8064a2")

_CM = 1 / 2.54


def _covers_vietnamese(path: Path) -> bool:
    try:
        charmap = ft2font.FT2Font(str(path)).get_charmap()
    except (OSError, RuntimeError):
        return False
    return all(code in charmap for code in _VIETNAMESE_PROBE)


@lru_cache(maxsize=1)
def font_files() -> dict[tuple[bool, bool], Path]:
    """The serif files used for (bold, italic): Liberation Serif 2 if installed, else DejaVu Serif."""
    for folder in _FONT_DIRS:
        files = {key: folder / name for key, name in _LIBERATION.items()}
        if all(p.exists() for p in files.values()) and _covers_vietnamese(files[(False, False)]):
            return files
    bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {key: bundled / name for key, name in _DEJAVU.items()}


def _font(size: float, bold: bool = False, italic: bool = False) -> font_manager.FontProperties:
    # By file, not by family name: with both Liberation versions installed a
    # family lookup may pick version 1 and lose the Vietnamese letters.
    return font_manager.FontProperties(fname=font_files()[(bold, italic)], size=size)


def _tick_text(x: float, _pos=None) -> str:
    """A tick value from matplotlib (a float) in Vietnamese notation.

    `format_number` refuses floats on purpose (money must stay Decimal); tick
    positions are drawing coordinates, so rounding them to 6 decimals through
    a string is exact enough and drops binary noise like 0.30000000000000004.
    """
    return format_number(Decimal(f"{x:.6f}"))


def _label_text(value: Decimal) -> str:
    """A data label: at most two decimals, trailing zeros dropped ("5,48", "27.477")."""
    return format_number(value.quantize(Decimal("0.01")))


def _as_float(value) -> float:
    return float("nan") if value is None else float(value)


def _height_cm(chart: Chart, width_cm: float) -> float:
    if chart.kind == "barh":
        # One line per province: grow with the number of categories.
        bars = max(len(chart.categories), 1) * max(len(chart.series), 1)
        return max(width_cm * 0.45, 2.5 + 0.45 * bars)
    return width_cm * 0.56


def render_png(chart: Chart, width_cm: float = 16, dpi: int = 150, *, show_title: bool = True) -> bytes:
    """Draw `chart` and return PNG bytes sized for a printed page `width_cm` wide.

    Kinds: "bar" (grouped bars, one group per category), "line", "barh"
    (horizontal bars, first category at the top, for province rankings).
    `None` values are gaps: no bar, a break in the line.  The renderers pass
    `show_title=False` because they print the title as a caption below the
    picture, as Vietnamese reports do; on its own a chart keeps its title.
    """
    if chart.kind not in KINDS:
        raise ValueError(f"Unknown chart kind {chart.kind!r}; expected one of {KINDS}.")

    fig = Figure(figsize=(width_cm * _CM, _height_cm(chart, width_cm) * _CM), dpi=dpi,
                 layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    has_data = any(v is not None for s in chart.series for v in s.values)

    if has_data:
        _DRAW[chart.kind](ax, chart)
    else:
        ax.text(0.5, 0.5, "Không có số liệu", ha="center", va="center",
                transform=ax.transAxes, fontproperties=_font(11, italic=True))
        ax.set_xticks([])
        ax.set_yticks([])

    _style_axes(ax, chart)
    if show_title and chart.title:
        ax.set_title(chart.title, fontproperties=_font(12, bold=True), pad=8)
    if len(chart.series) > 1 and has_data:
        fig.legend(loc="outside lower center", ncols=min(len(chart.series), 4), frameon=False,
                   prop=_font(10))

    buffer = io.BytesIO()
    # No "Software" text chunk: the same chart gives the same bytes, so documents
    # built twice from the same figures are identical.
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
    return buffer.getvalue()


def _series_colours(chart: Chart):
    return [_COLOURS[i % len(_COLOURS)] for i in range(len(chart.series))]


def _draw_line(ax, chart: Chart) -> None:
    positions = list(range(len(chart.categories)))
    for series, colour in zip(chart.series, _series_colours(chart)):
        values = [_as_float(v) for v in series.values[: len(positions)]]
        ax.plot(positions[: len(values)], values, color=colour, linewidth=1.8, marker="o",
                markersize=4, label=series.name)
    ax.set_xticks(positions, labels=chart.categories)
    ax.yaxis.set_major_formatter(FuncFormatter(_tick_text))
    ax.grid(axis="y", color="#d9d9d9", linewidth=0.6)


def _bars(ax, chart: Chart, horizontal: bool) -> None:
    count = len(chart.series)
    group = 0.8
    thickness = group / max(count, 1)
    label_each = count == 1 and len(chart.categories) <= 20
    for index, (series, colour) in enumerate(zip(chart.series, _series_colours(chart))):
        offset = -group / 2 + thickness * (index + 0.5)
        points = [(i + offset, v) for i, v in enumerate(series.values[: len(chart.categories)])
                  if v is not None]
        if not points:
            ax.bar([], [], label=series.name, color=colour)   # keeps the legend entry
            continue
        where = [p for p, _ in points]
        sizes = [float(v) for _, v in points]
        if horizontal:
            bars = ax.barh(where, sizes, height=thickness * 0.92, color=colour, label=series.name)
        else:
            bars = ax.bar(where, sizes, width=thickness * 0.92, color=colour, label=series.name)
        if min(sizes) < 0:   # negative growth: draw the zero line the bars hang from
            (ax.axvline if horizontal else ax.axhline)(0, color="black", linewidth=0.8)
        if label_each:
            ax.bar_label(bars, labels=[_label_text(v) for _, v in points], padding=2,
                         fontproperties=_font(9))


def _draw_bar(ax, chart: Chart) -> None:
    _bars(ax, chart, horizontal=False)
    ax.set_xticks(range(len(chart.categories)), labels=chart.categories)
    ax.set_xlim(-0.5, len(chart.categories) - 0.5)   # a gap at either end still takes its place
    ax.yaxis.set_major_formatter(FuncFormatter(_tick_text))
    ax.grid(axis="y", color="#d9d9d9", linewidth=0.6)
    ax.set_axisbelow(True)
    if len(chart.categories) > 8:
        ax.tick_params(axis="x", labelrotation=45)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
    ax.margins(y=0.12)


def _draw_barh(ax, chart: Chart) -> None:
    _bars(ax, chart, horizontal=True)
    ax.set_yticks(range(len(chart.categories)), labels=chart.categories)
    ax.set_ylim(len(chart.categories) - 0.5, -0.5)   # first category at the top, gaps keep their place
    ax.xaxis.set_major_formatter(FuncFormatter(_tick_text))
    ax.grid(axis="x", color="#d9d9d9", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.margins(x=0.12)


_DRAW = {"line": _draw_line, "bar": _draw_bar, "barh": _draw_barh}


def _style_axes(ax, chart: Chart) -> None:
    """Serif fonts on every tick and label; the unit goes on the value axis."""
    tick_font = _font(10)
    for axis in (ax.xaxis, ax.yaxis):
        # Ticks created later (when the layout changes their number) copy
        # their font from the first tick, so setting it here is enough.
        for tick in axis.get_major_ticks():
            tick.label1.set_fontproperties(tick_font)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if chart.unit:
        if chart.kind == "barh":
            ax.set_xlabel(chart.unit, fontproperties=_font(10, italic=True))
        else:
            ax.set_ylabel(chart.unit, fontproperties=_font(10, italic=True))
