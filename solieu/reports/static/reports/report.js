/* Report charts on screen: draws every <div class="chart" data-chart="C1"> of a report page
 * with ECharts, from the JSON that reports/_report_body.html emits with json_script
 * (<script id="report-charts" type="application/json">, {key: {title, kind, categories,
 * series: [{name, values}], unit}}). The same charts are drawn by matplotlib for DOCX/PDF.
 *
 * A chart is created only when its element becomes visible: ECharts measures its container
 * at init, and a chart inside a hidden tab or far down a long report would be drawn at zero
 * size or for nothing. No inline code anywhere: the CSP allows scripts from our files only.
 */
(function () {
  "use strict";

  var PALETTE = ["#1f4e79", "#c0392b", "#2e7d32", "#e67e22", "#6a3d9a", "#00838f", "#7f6000"];
  var FONT = '"Times New Roman", "Liberation Serif", Times, serif';
  var charts = [];

  /* 1234567.891 -> "1.234.567,89": Vietnamese separators (thousands ".", decimal ","),
   * at most `decimals` decimals (default 2), trailing zeros dropped. */
  function formatVi(value, decimals) {
    if (value === null || value === undefined || !isFinite(value)) return "";
    var places = decimals === undefined ? 2 : decimals;
    var fixed = Math.abs(value).toFixed(places);
    var parts = fixed.split(".");
    var fraction = (parts[1] || "").replace(/0+$/, "");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var negative = value < 0 && /[1-9]/.test(fixed);
    return (negative ? "-" : "") + whole + (fraction ? "," + fraction : "");
  }

  function valueAxis(spec, horizontal) {
    return {
      type: "value",
      scale: spec.kind === "line",   // a line shows the change; bars keep their zero baseline
      name: spec.unit || "",
      // under a horizontal axis: at its end the unit would run off the right edge
      nameLocation: horizontal ? "middle" : "end",
      nameGap: horizontal ? 26 : 15,
      nameTextStyle: { fontFamily: FONT },
      axisLabel: { formatter: function (v) { return formatVi(v); }, fontFamily: FONT },
      splitLine: { lineStyle: { color: "#e5e7eb" } }
    };
  }

  function categoryAxis(spec, horizontal) {
    return {
      type: "category",
      data: spec.categories,
      inverse: horizontal,           // first category on top, as in the table
      axisLabel: { fontFamily: FONT, interval: 0, hideOverlap: true },
      axisTick: { alignWithLabel: true }
    };
  }

  function option(spec) {
    var horizontal = spec.kind === "barh";
    var type = spec.kind === "line" ? "line" : "bar";
    var unit = spec.unit ? " " + spec.unit : "";
    return {
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: FONT },
      grid: { left: 12, right: 24, top: 36, bottom: horizontal ? 56 : 40, containLabel: true },
      legend: { bottom: 0, textStyle: { fontFamily: FONT } },
      tooltip: {
        trigger: "axis",
        // Drawn on the canvas: the HTML tooltip writes style="" attributes, refused by the CSP.
        renderMode: "richText",
        textStyle: { fontFamily: FONT },
        axisPointer: { type: type === "line" ? "line" : "shadow" },
        valueFormatter: function (v) { return v === null || v === undefined ? "-" : formatVi(v, 4) + unit; }
      },
      xAxis: horizontal ? valueAxis(spec, true) : categoryAxis(spec, false),
      yAxis: horizontal ? categoryAxis(spec, true) : valueAxis(spec, false),
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: type,
          data: s.values,
          connectNulls: false,
          symbolSize: 6,
          barMaxWidth: 36,
          emphasis: { focus: "series" }
        };
      })
    };
  }

  function draw(el, specs) {
    var spec = specs[el.getAttribute("data-chart")];
    if (!spec || el.getAttribute("data-drawn")) return;
    el.setAttribute("data-drawn", "1");
    if (!window.echarts) {
      el.classList.add("chart-error");
      el.textContent = "Không tải được thư viện vẽ biểu đồ.";
      return;
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    charts.push(chart);
  }

  function visible(el) {
    return el.offsetWidth > 0 && el.offsetHeight > 0;
  }

  function watch(elements, specs) {
    if (!("IntersectionObserver" in window)) {
      elements.forEach(function (el) { if (visible(el)) draw(el, specs); });
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        // A hidden (display: none) element never intersects; it is drawn when shown.
        if (entry.isIntersecting && visible(entry.target)) {
          observer.unobserve(entry.target);
          draw(entry.target, specs);
        }
      });
    }, { rootMargin: "200px 0px" });
    elements.forEach(function (el) { observer.observe(el); });
  }

  function resizeAll() {
    charts.forEach(function (chart) {
      if (!chart.isDisposed()) chart.resize();
    });
  }

  function start() {
    var blob = document.getElementById("report-charts");
    if (!blob) return;
    var specs;
    try {
      specs = JSON.parse(blob.textContent);
    } catch (e) {
      return;
    }
    watch(Array.prototype.slice.call(document.querySelectorAll(".report .chart[data-chart]")), specs);
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(function () { pending = null; resizeAll(); });
    });
    window.addEventListener("beforeprint", resizeAll);
  }

  window.solieuReport = { formatVi: formatVi };  // for the browser tests and the console

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
