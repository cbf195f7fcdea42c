/* The dashboard's charts (web/dashboard.html), drawn with ECharts from the JSON the page emits
 * with json_script (<script id="dashboard-charts" type="application/json">):
 *   {key: {title, subtitle, kind: "bar"|"line"|"barh", categories, series: [{name, values}],
 *          unit, decimals, links: [[url per point] per series]}}
 * into every <div class="dash-chart" data-chart="key">. A drawn container gets
 * data-rendered="1". Clicking a bar or point opens the figure's breakdown. The drawing itself
 * is web/charts.js (window.solieuCharts, loaded before this file); here is the dashboard's
 * look, the province ranking's height and the links.
 *
 * No inline code or style attributes anywhere: the CSP allows scripts and styles from our
 * files only (setting element.style from a script file is allowed; style="" in markup is not).
 * The choices form submits itself when a choice changes; its button stays for no-JS use.
 */
(function () {
  "use strict";

  var C = window.solieuCharts;
  if (!C) return;

  var PALETTE = ["#9aa9bd", "#1f4e79", "#2e7d32", "#e67e22", "#6a3d9a"];  // last year grey, this year blue
  var RANK_COLOR = "#1f4e79";
  var FONT = '"Liberation Sans", Arial, sans-serif';

  function look(spec) {
    var horizontal = spec.kind === "barh";
    var decimals = spec.decimals === undefined ? 2 : spec.decimals;
    return {
      font: FONT,
      color: horizontal ? [RANK_COLOR] : PALETTE,
      grid: horizontal ? { left: 8, right: 56, top: 28, bottom: 8 } : { left: 8, right: 16, top: 16, bottom: 36 },
      legend: horizontal ? { show: false } : null,
      valueAxis: horizontal ? { axisLabel: { color: "#5b6575" }, position: "top" } : { axisLabel: { color: "#5b6575" } },
      categoryAxis: { axisLabel: { color: "#1d2430" } },  // the ranking: first (best) province on top
      decimals: decimals,
      keepZeros: true,
      missing: "chưa có số liệu",
      series: {
        symbolSize: 7,
        barMaxWidth: horizontal ? 16 : 32,
        cursor: spec.links ? "pointer" : "default",
        label: horizontal ? {
          show: true, position: "right", fontFamily: FONT, fontSize: 11, color: "#1d2430",
          formatter: function (p) { return C.formatVi(p.value, decimals, true); }
        } : { show: false }
      }
    };
  }

  function draw(el, spec) {
    if (el.getAttribute("data-rendered")) return;
    var rows = parseInt(el.getAttribute("data-rows") || "0", 10);
    if (rows) el.style.height = Math.max(240, rows * 22 + 40) + "px";  // CSSOM, allowed by the CSP
    var chart = C.draw(el, spec, look(spec));
    if (!chart) return;
    chart.on("click", function (p) {
      var links = spec.links && spec.links[p.seriesIndex];
      var url = links && links[p.dataIndex];
      if (url) window.location.assign(url);
    });
  }

  function autoSubmit() {
    var form = document.getElementById("dash-form");
    if (!form) return;
    form.addEventListener("change", function () { form.submit(); });
  }

  function start() {
    autoSubmit();
    var specs = C.specs("dashboard-charts");
    if (!specs) return;
    Array.prototype.forEach.call(document.querySelectorAll(".dash-chart[data-chart]"), function (el) {
      var spec = specs[el.getAttribute("data-chart")];
      if (spec) draw(el, spec);
    });
    C.bindResize();
  }

  window.solieuDashboard = { formatVi: C.formatVi };  // for the browser tests and the console

  C.ready(start);
})();
