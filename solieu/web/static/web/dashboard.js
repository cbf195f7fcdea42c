/* The dashboard's charts (web/dashboard.html), drawn with ECharts from the JSON the page emits
 * with json_script (<script id="dashboard-charts" type="application/json">):
 *   {key: {title, subtitle, kind: "bar"|"line"|"barh", categories, series: [{name, values}],
 *          unit, decimals, links: [[url per point] per series]}}
 * into every <div class="dash-chart" data-chart="key">. A drawn container gets
 * data-rendered="1". Clicking a bar or point opens the figure's breakdown.
 *
 * No inline code or style attributes anywhere: the CSP allows scripts and styles from our
 * files only (setting element.style from a script file is allowed; style="" in markup is not).
 * The choices form submits itself when a choice changes; its button stays for no-JS use.
 */
(function () {
  "use strict";

  var PALETTE = ["#9aa9bd", "#1f4e79", "#2e7d32", "#e67e22", "#6a3d9a"];  // last year grey, this year blue
  var RANK_COLOR = "#1f4e79";
  var FONT = '"Liberation Sans", Arial, sans-serif';
  var charts = [];

  /* 1234567.891 -> "1.234.567,89": Vietnamese separators (thousands ".", decimal ","),
   * at most `decimals` decimals (default 2), trailing zeros dropped unless `keepZeros`
   * (as in the tables: "80,00"). */
  function formatVi(value, decimals, keepZeros) {
    if (value === null || value === undefined || !isFinite(value)) return "";
    var places = decimals === undefined ? 2 : decimals;
    var fixed = Math.abs(value).toFixed(places);
    var parts = fixed.split(".");
    var fraction = keepZeros ? (parts[1] || "") : (parts[1] || "").replace(/0+$/, "");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var negative = value < 0 && /[1-9]/.test(fixed);
    return (negative ? "-" : "") + whole + (fraction ? "," + fraction : "");
  }

  function unitText(unit) {
    if (!unit) return "";
    return unit === "%" ? "%" : " " + unit;
  }

  function valueAxis(spec, horizontal) {
    return {
      type: "value",
      scale: spec.kind === "line",   // a line shows the change; bars keep their zero baseline
      axisLabel: { formatter: function (v) { return formatVi(v); }, fontFamily: FONT, color: "#5b6575" },
      splitLine: { lineStyle: { color: "#e5e7eb" } },
      position: horizontal ? "top" : undefined
    };
  }

  function categoryAxis(spec, horizontal) {
    return {
      type: "category",
      data: spec.categories,
      inverse: horizontal,           // first (best) province on top, as in the table
      axisLabel: { fontFamily: FONT, color: "#1d2430", interval: 0 },
      axisTick: { alignWithLabel: true }
    };
  }

  function option(spec) {
    var horizontal = spec.kind === "barh";
    var type = spec.kind === "line" ? "line" : "bar";
    var unit = unitText(spec.unit);
    var decimals = spec.decimals === undefined ? 2 : spec.decimals;
    return {
      animation: false,
      color: horizontal ? [RANK_COLOR] : PALETTE,
      textStyle: { fontFamily: FONT },
      grid: horizontal ? { left: 8, right: 56, top: 28, bottom: 8, containLabel: true }
                       : { left: 8, right: 16, top: 16, bottom: 36, containLabel: true },
      legend: horizontal ? { show: false } : { bottom: 0, textStyle: { fontFamily: FONT } },
      tooltip: {
        trigger: "axis",
        // Drawn on the canvas: the HTML tooltip writes style="" attributes, refused by the CSP.
        renderMode: "richText",
        textStyle: { fontFamily: FONT },
        axisPointer: { type: type === "line" ? "line" : "shadow" },
        valueFormatter: function (v) {
          return v === null || v === undefined ? "chưa có số liệu" : formatVi(v, decimals, true) + unit;
        }
      },
      xAxis: horizontal ? valueAxis(spec, true) : categoryAxis(spec, false),
      yAxis: horizontal ? categoryAxis(spec, true) : valueAxis(spec, false),
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: type,
          data: s.values,
          connectNulls: false,
          symbolSize: 7,
          barMaxWidth: horizontal ? 16 : 32,
          cursor: spec.links ? "pointer" : "default",
          label: horizontal ? {
            show: true, position: "right", fontFamily: FONT, fontSize: 11, color: "#1d2430",
            formatter: function (p) { return formatVi(p.value, decimals, true); }
          } : { show: false },
          emphasis: { focus: "series" }
        };
      })
    };
  }

  function draw(el, spec) {
    if (el.getAttribute("data-rendered")) return;
    if (!window.echarts) {
      el.classList.add("chart-error");
      el.textContent = "Không tải được thư viện vẽ biểu đồ.";
      return;
    }
    var rows = parseInt(el.getAttribute("data-rows") || "0", 10);
    if (rows) el.style.height = Math.max(240, rows * 22 + 40) + "px";  // CSSOM, allowed by the CSP
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    chart.on("click", function (p) {
      var links = spec.links && spec.links[p.seriesIndex];
      var url = links && links[p.dataIndex];
      if (url) window.location.assign(url);
    });
    charts.push(chart);
    el.setAttribute("data-rendered", "1");
  }

  function resizeAll() {
    charts.forEach(function (chart) {
      if (!chart.isDisposed()) chart.resize();
    });
  }

  function autoSubmit() {
    var form = document.getElementById("dash-form");
    if (!form) return;
    form.addEventListener("change", function () { form.submit(); });
  }

  function start() {
    autoSubmit();
    var blob = document.getElementById("dashboard-charts");
    if (!blob) return;
    var specs;
    try {
      specs = JSON.parse(blob.textContent);
    } catch (e) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll(".dash-chart[data-chart]"), function (el) {
      var spec = specs[el.getAttribute("data-chart")];
      if (spec) draw(el, spec);
    });
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(function () { pending = null; resizeAll(); });
    });
    window.addEventListener("beforeprint", resizeAll);
  }

  window.solieuDashboard = { formatVi: formatVi };  // for the browser tests and the console

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
