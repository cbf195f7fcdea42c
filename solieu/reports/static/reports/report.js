/* Report charts on screen: draws every <div class="chart" data-chart="C1"> of a report page
 * with ECharts, from the JSON that reports/_report_body.html emits with json_script
 * (<script id="report-charts" type="application/json">, {key: {title, kind, categories,
 * series: [{name, values}], unit}}). The same charts are drawn by matplotlib for DOCX/PDF.
 * The drawing itself is web/charts.js (window.solieuCharts, loaded before this file); here
 * is the report's look, serif like the printed report, and when a chart is drawn.
 *
 * A chart is created only when its element becomes visible: ECharts measures its container
 * at init, and a chart inside a hidden tab or far down a long report would be drawn at zero
 * size or for nothing. No inline code anywhere: the CSP allows scripts from our files only.
 */
(function () {
  "use strict";

  var C = window.solieuCharts;
  if (!C) return;

  var PALETTE = ["#1f4e79", "#c0392b", "#2e7d32", "#e67e22", "#6a3d9a", "#00838f", "#7f6000"];
  var FONT = '"Times New Roman", "Liberation Serif", Times, serif';

  function look(spec) {
    var horizontal = spec.kind === "barh";
    return {
      font: FONT,
      color: PALETTE,
      grid: { left: 12, right: 24, top: 36, bottom: horizontal ? 56 : 40 },
      valueAxis: {
        name: spec.unit || "",
        // under a horizontal axis: at its end the unit would run off the right edge
        nameLocation: horizontal ? "middle" : "end",
        nameGap: horizontal ? 26 : 15,
        nameTextStyle: { fontFamily: FONT }
      },
      categoryAxis: { axisLabel: { hideOverlap: true } },
      decimals: 4,
      unit: spec.unit ? " " + spec.unit : "",
      series: { symbolSize: 6, barMaxWidth: 36 }
    };
  }

  function draw(el, specs) {
    var spec = specs[el.getAttribute("data-chart")];
    if (spec) C.draw(el, spec, look(spec));
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

  function start() {
    var specs = C.specs("report-charts");
    if (!specs) return;
    watch(Array.prototype.slice.call(document.querySelectorAll(".report .chart[data-chart]")), specs);
    C.bindResize();
  }

  window.solieuReport = { formatVi: C.formatVi };  // for the browser tests and the console

  C.ready(start);
})();
