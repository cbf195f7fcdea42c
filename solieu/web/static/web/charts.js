/* ECharts drawing shared by the report on screen (reports/report.js) and the dashboard
 * (web/dashboard.js): the Vietnamese number format, the option built from a chart's JSON spec
 * ({title, kind: "bar"|"line"|"barh", categories, series: [{name, values}], unit, ...}),
 * drawing into a container and resizing every drawn chart with the window.
 *
 * Each page passes its own look to option()/draw() as `extras` (font, palette, grid, legend,
 * tooltip number format, additions to the axes and series); the parts both pages need are
 * here. Loaded (deferred) after echarts and before the page's script; exposes
 * window.solieuCharts. No inline code or style attributes: the CSP allows scripts from our
 * files only, and the tooltip is drawn on the canvas (an HTML tooltip writes style="").
 */
(function () {
  "use strict";

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

  /* The unit after a number, as in the tables: "80%", "1.200 tỷ đồng". */
  function unitText(unit) {
    if (!unit) return "";
    return unit === "%" ? "%" : " " + unit;
  }

  function isPlain(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }

  /* Copies `extra` into `target` (nested plain objects merged, a fresh copy each time). */
  function merge(target, extra) {
    if (!extra) return target;
    Object.keys(extra).forEach(function (key) {
      var v = extra[key];
      target[key] = isPlain(v) ? merge(isPlain(target[key]) ? target[key] : {}, v) : v;
    });
    return target;
  }

  function valueAxis(spec, font) {
    return {
      type: "value",
      scale: spec.kind === "line",   // a line shows the change; bars keep their zero baseline
      axisLabel: { formatter: function (v) { return formatVi(v); }, fontFamily: font },
      splitLine: { lineStyle: { color: "#e5e7eb" } }
    };
  }

  function categoryAxis(spec, font, horizontal) {
    return {
      type: "category",
      data: spec.categories,
      inverse: horizontal,           // first category on top, as in the table
      axisLabel: { fontFamily: font, interval: 0 },
      axisTick: { alignWithLabel: true }
    };
  }

  /* The ECharts option for `spec`. extras: {font, color, grid, legend (merged; hidden with
   * {show: false}), valueAxis, categoryAxis, series (merged into each), and the tooltip's
   * numbers: decimals (default 2), keepZeros, unit (text after the number, default
   * unitText(spec.unit)), missing (text for no value, default "-")}. */
  function option(spec, extras) {
    var x = extras || {};
    var horizontal = spec.kind === "barh";
    var type = spec.kind === "line" ? "line" : "bar";
    var font = x.font;
    var decimals = x.decimals === undefined ? 2 : x.decimals;
    var unit = x.unit === undefined ? unitText(spec.unit) : x.unit;
    var missing = x.missing === undefined ? "-" : x.missing;
    var values = merge(valueAxis(spec, font), x.valueAxis);
    var categories = merge(categoryAxis(spec, font, horizontal), x.categoryAxis);
    return {
      animation: false,
      color: x.color,
      textStyle: { fontFamily: font },
      grid: merge({ containLabel: true }, x.grid),
      legend: merge({ bottom: 0, textStyle: { fontFamily: font } }, x.legend),
      tooltip: {
        trigger: "axis",
        // Drawn on the canvas: the HTML tooltip writes style="" attributes, refused by the CSP.
        renderMode: "richText",
        textStyle: { fontFamily: font },
        axisPointer: { type: type === "line" ? "line" : "shadow" },
        valueFormatter: function (v) {
          return v === null || v === undefined ? missing : formatVi(v, decimals, x.keepZeros) + unit;
        }
      },
      xAxis: horizontal ? values : categories,
      yAxis: horizontal ? categories : values,
      series: spec.series.map(function (s) {
        return merge({
          name: s.name,
          type: type,
          data: s.values,
          connectNulls: false,
          emphasis: { focus: "series" }
        }, x.series);
      })
    };
  }

  /* Draws `spec` into `el` once and marks it data-rendered="1"; returns the chart, or null
   * (already drawn, or ECharts did not load: the container then says so). */
  function draw(el, spec, extras) {
    if (el.getAttribute("data-rendered")) return null;
    if (!window.echarts) {
      el.classList.add("chart-error");
      el.textContent = "Không tải được thư viện vẽ biểu đồ.";
      return null;
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(spec, extras));
    charts.push(chart);
    el.setAttribute("data-rendered", "1");
    return chart;
  }

  function resizeAll() {
    charts.forEach(function (chart) {
      if (!chart.isDisposed()) chart.resize();
    });
  }

  /* Every drawn chart follows the window (once per frame) and the printed page. */
  var bound = false;
  function bindResize() {
    if (bound) return;
    bound = true;
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(function () { pending = null; resizeAll(); });
    });
    window.addEventListener("beforeprint", resizeAll);
  }

  /* The chart specs a page emits with json_script, or null. */
  function specs(id) {
    var blob = document.getElementById(id);
    if (!blob) return null;
    try {
      return JSON.parse(blob.textContent);
    } catch (e) {
      return null;
    }
  }

  /* Runs `fn` once the document is parsed. */
  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  window.solieuCharts = {
    formatVi: formatVi, unitText: unitText, option: option, draw: draw,
    resizeAll: resizeAll, bindResize: bindResize, specs: specs, ready: ready
  };
})();
