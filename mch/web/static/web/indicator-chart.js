/* Trend charts of the indicator page: the value by year and by month of the current year,
   its 95% interval as a band, and the plan's targets as dashed lines. Data from the
   <script type="application/json" id="indicator-data"> block (Django's json_script), so no
   inline script. Numbers in Vietnamese notation (decimal comma). Chart.js (MIT), local. */
(function () {
  "use strict";

  var LOCALE = document.documentElement.lang || "vi";
  var COLORS = ["#c62828", "#6a1b9a", "#ef6c00", "#2e7d32"];

  function fmt(value) {
    if (value === null || value === undefined) { return "—"; }
    return value.toLocaleString(LOCALE, { maximumFractionDigits: 1 });
  }

  function draw(canvas, data, points) {
    var labels = points.map(function (p) { return p.label; });
    var pick = function (key) { return points.map(function (p) { return p[key]; }); };
    var datasets = [
      {
        label: "95% (thấp)", data: pick("ci_low"), borderWidth: 0, pointRadius: 0,
        fill: false, spanGaps: true, backgroundColor: "rgba(11,87,208,0.15)"
      },
      {
        label: "95% (cao)", data: pick("ci_high"), borderWidth: 0, pointRadius: 0,
        fill: "-1", spanGaps: true, backgroundColor: "rgba(11,87,208,0.15)"
      },
      {
        label: data.label || "Giá trị", data: pick("value"), borderColor: "#0b57d0",
        backgroundColor: "#0b57d0", borderWidth: 2, spanGaps: true,
        pointRadius: points.map(function (p) { return p.small ? 3 : 4; }),
        pointStyle: points.map(function (p) { return p.small ? "rectRot" : "circle"; })
      }
    ];
    (canvas.dataset.indicatorChart === "yearly" ? data.targets : []).forEach(function (t, i) {
      datasets.push({
        label: "Chỉ tiêu " + t.label, data: labels.map(function () { return t.value; }),
        borderColor: COLORS[i % COLORS.length], borderDash: [6, 4], borderWidth: 1.5,
        pointRadius: 0, fill: false
      });
    });
    new window.Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: {
        locale: LOCALE,
        animation: false,
        responsive: true,
        scales: {
          y: {
            beginAtZero: true,
            title: { display: true, text: data.unit_symbol },
            ticks: { callback: function (v) { return fmt(v); } }
          }
        },
        plugins: {
          legend: {
            labels: { filter: function (item) { return item.datasetIndex > 1; } }
          },
          tooltip: {
            filter: function (item) { return item.datasetIndex > 1; },
            callbacks: {
              label: function (ctx) {
                if (ctx.datasetIndex !== 2) { return ctx.dataset.label + ": " + fmt(ctx.parsed.y); }
                var p = points[ctx.dataIndex];
                var text = fmt(p.value) + " " + data.unit_symbol + " (" + fmt(p.numerator) +
                  "/" + fmt(p.denominator) + ")";
                if (p.ci_low !== null) { text += "; 95%: " + fmt(p.ci_low) + "–" + fmt(p.ci_high); }
                return p.small ? text + "; ít số liệu" : text;
              }
            }
          }
        }
      }
    });
  }

  function start() {
    var source = document.getElementById("indicator-data");
    if (!source || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-indicator-chart]").forEach(function (canvas) {
      draw(canvas, data, data[canvas.dataset.indicatorChart] || []);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
