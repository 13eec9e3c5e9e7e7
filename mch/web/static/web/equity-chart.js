/* Equity charts: the group and its comparison by year, each with its 95% band. Data from
   json_script blocks named by each canvas's data-equity-chart. Chart.js (MIT), local. */
(function () {
  "use strict";
  var LOCALE = document.documentElement.lang || "vi";

  function fmt(value) {
    if (value === null || value === undefined) { return "—"; }
    return value.toLocaleString(LOCALE, { maximumFractionDigits: 1 });
  }

  function band(points, key, color) {
    return [
      { label: "", data: points.map(function (p) { return p[key + "_low"]; }), borderWidth: 0,
        pointRadius: 0, fill: false, spanGaps: true, backgroundColor: color },
      { label: "", data: points.map(function (p) { return p[key + "_high"]; }), borderWidth: 0,
        pointRadius: 0, fill: "-1", spanGaps: true, backgroundColor: color }
    ];
  }

  function draw(canvas, points, names, unitSymbol) {
    var datasets = band(points, "group", "rgba(198,40,40,0.12)")
      .concat(band(points, "versus", "rgba(11,87,208,0.12)"));
    datasets.push({ label: names[0], data: points.map(function (p) { return p.group; }),
      borderColor: "#c62828", backgroundColor: "#c62828", borderWidth: 2, spanGaps: true });
    datasets.push({ label: names[1], data: points.map(function (p) { return p.versus; }),
      borderColor: "#0b57d0", backgroundColor: "#0b57d0", borderWidth: 2, spanGaps: true });
    new window.Chart(canvas, {
      type: "line",
      data: { labels: points.map(function (p) { return p.label; }), datasets: datasets },
      options: {
        locale: LOCALE, animation: false, responsive: true,
        scales: { y: { beginAtZero: true, title: { display: true, text: unitSymbol },
          ticks: { callback: function (v) { return fmt(v); } } } },
        plugins: {
          legend: { labels: { filter: function (item) { return item.datasetIndex > 3; } } },
          tooltip: {
            filter: function (item) { return item.datasetIndex > 3; },
            callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + fmt(ctx.parsed.y); } }
          }
        }
      }
    });
  }

  function start() {
    if (!window.Chart) { return; }
    var meta = JSON.parse(document.getElementById("equity-meta").textContent);
    document.querySelectorAll("canvas[data-equity-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.equityChart);
      if (!source) { return; }
      var names = canvas.getAttribute("aria-label").split(" / ");
      draw(canvas, JSON.parse(source.textContent), names, meta.unit_symbol);
    });
  }
  document.addEventListener("DOMContentLoaded", start);
})();
