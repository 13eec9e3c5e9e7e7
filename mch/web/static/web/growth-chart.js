/* Growth charts of the person page: WHO 2006 reference lines (−3, −2, median, +2, +3 SD)
   with the child's measurements. The data comes from the <script type="application/json"
   id="growth-data"> block written by the server (Django's json_script), so the page needs
   no inline script and works under a strict Content-Security-Policy.
   Each <canvas data-growth-chart="wfa|lhfa"> gets one chart. Uses Chart.js (MIT),
   served locally from web/vendor/chart.umd.min.js. */
(function () {
  "use strict";

  var LINE_STYLE = {
    "-3": { color: "#1c2733", dash: [] },
    "-2": { color: "#c62828", dash: [6, 4] },
    "0": { color: "#2e7d32", dash: [] },
    "2": { color: "#c62828", dash: [6, 4] },
    "3": { color: "#1c2733", dash: [] }
  };
  var CHILD_COLOR = "#0b57d0";

  function zip(xs, ys) {
    var points = [];
    for (var i = 0; i < xs.length; i++) {
      points.push({ x: xs[i], y: ys[i] });
    }
    return points;
  }

  function referenceSets(chart, labels) {
    return ["3", "2", "0", "-2", "-3"].map(function (k) {
      return {
        label: labels[k],
        data: zip(chart.x, chart.lines[k]),
        borderColor: LINE_STYLE[k].color,
        borderDash: LINE_STYLE[k].dash,
        borderWidth: k === "0" ? 2 : 1.25,
        pointRadius: 0,
        pointHitRadius: 0,
        fill: false,
        tension: 0
      };
    });
  }

  function draw(canvas, chart, data) {
    var number = new Intl.NumberFormat(data.locale, { maximumFractionDigits: 2 });
    var child = {
      label: data.child_label,
      data: chart.points,
      borderColor: CHILD_COLOR,
      backgroundColor: CHILD_COLOR,
      borderWidth: 2,
      pointRadius: 4,
      pointHoverRadius: 6,
      showLine: true,
      fill: false
    };
    return new window.Chart(canvas, {
      type: "line",
      data: { datasets: referenceSets(chart, data.line_labels).concat([child]) },
      options: {
        locale: data.locale,
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        aspectRatio: window.innerWidth < 600 ? 1.1 : 1.6,
        interaction: { mode: "nearest", intersect: true },
        scales: {
          x: {
            type: "linear",
            min: 0,
            max: Math.ceil(chart.x[chart.x.length - 1]),
            title: { display: true, text: data.x_label },
            ticks: { stepSize: chart.x[chart.x.length - 1] > 30 ? 6 : 2 }
          },
          y: { type: "linear", title: { display: true, text: chart.y_label } }
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 18 } },
          tooltip: {
            filter: function (item) {
              return item.datasetIndex === 5;
            },
            callbacks: {
              label: function (item) {
                var point = item.raw;
                return point.date + ": " + number.format(point.y);
              }
            }
          }
        }
      }
    });
  }

  function start() {
    var source = document.getElementById("growth-data");
    if (!source || !window.Chart) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var byId = {};
    data.charts.forEach(function (chart) {
      byId[chart.id] = chart;
    });
    document.querySelectorAll("canvas[data-growth-chart]").forEach(function (canvas) {
      var chart = byId[canvas.getAttribute("data-growth-chart")];
      if (chart) {
        draw(canvas, chart, data);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
