/* Export buttons under every Chart.js chart of a page: PNG (the canvas as drawn) and SVG
   (a vector redraw from the chart's own pixel positions: axes with their tick labels,
   each dataset's line, filled bands and dashed target lines, the legend). Local only. */
(function () {
  "use strict";

  function esc(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function colour(value, fallback) {
    return typeof value === "string" ? value : fallback;
  }

  function svgOf(chart) {
    var w = chart.width, h = chart.height, out = [];
    out.push('<svg xmlns="http://www.w3.org/2000/svg" width="' + w + '" height="' + h +
      '" viewBox="0 0 ' + w + " " + h + '" font-family="sans-serif" font-size="11">');
    out.push('<rect width="100%" height="100%" fill="#fff"/>');
    var area = chart.chartArea;
    Object.keys(chart.scales).forEach(function (id) {
      var scale = chart.scales[id];
      (scale.ticks || []).forEach(function (tick, i) {
        var text = (chart.options.scales[id] && scale.options.ticks.callback) ?
          scale.options.ticks.callback.call(scale, tick.value, i, scale.ticks) : tick.label;
        if (Array.isArray(text)) { text = text.join(" "); }
        var p = scale.getPixelForTick(i);
        if (scale.isHorizontal()) {
          out.push('<text x="' + p + '" y="' + (area.bottom + 14) + '" text-anchor="middle">' + esc(text) + "</text>");
        } else {
          out.push('<line x1="' + area.left + '" x2="' + area.right + '" y1="' + p + '" y2="' + p + '" stroke="#e5e7eb"/>');
          out.push('<text x="' + (area.left - 4) + '" y="' + (p + 4) + '" text-anchor="end">' + esc(text) + "</text>");
        }
      });
    });
    out.push('<rect x="' + area.left + '" y="' + area.top + '" width="' + (area.right - area.left) +
      '" height="' + (area.bottom - area.top) + '" fill="none" stroke="#9ca3af"/>');
    chart.data.datasets.forEach(function (ds, index) {
      var meta = chart.getDatasetMeta(index);
      if (meta.hidden) { return; }
      var pts = meta.data.filter(function (el) { return !el.skip && isFinite(el.y); })
        .map(function (el) { return el.x.toFixed(1) + "," + el.y.toFixed(1); });
      if (!pts.length) { return; }
      if (ds.fill === "-1" && index > 0) {
        var prev = chart.getDatasetMeta(index - 1).data.filter(function (el) { return !el.skip && isFinite(el.y); })
          .map(function (el) { return el.x.toFixed(1) + "," + el.y.toFixed(1); }).reverse();
        out.push('<polygon points="' + pts.concat(prev).join(" ") + '" fill="' + colour(ds.backgroundColor, "rgba(11,87,208,0.15)") + '"/>');
        return;
      }
      if (!ds.borderWidth && ds.borderWidth !== undefined) { return; }
      var dash = ds.borderDash ? ' stroke-dasharray="' + ds.borderDash.join(" ") + '"' : "";
      out.push('<polyline points="' + pts.join(" ") + '" fill="none" stroke="' + colour(ds.borderColor, "#0b57d0") +
        '" stroke-width="' + (ds.borderWidth || 2) + '"' + dash + "/>");
      if (!ds.borderDash) {
        pts.forEach(function (p) {
          var xy = p.split(",");
          out.push('<circle cx="' + xy[0] + '" cy="' + xy[1] + '" r="3" fill="' + colour(ds.borderColor, "#0b57d0") + '"/>');
        });
      }
    });
    var y = 12, x = area.left;
    chart.data.datasets.forEach(function (ds, index) {
      if (!ds.borderWidth || chart.getDatasetMeta(index).hidden) { return; }
      out.push('<rect x="' + x + '" y="' + (y - 8) + '" width="10" height="10" fill="' + colour(ds.borderColor, "#0b57d0") + '"/>');
      out.push('<text x="' + (x + 14) + '" y="' + (y + 1) + '">' + esc(ds.label || "") + "</text>");
      x += 24 + 6 * String(ds.label || "").length;
      if (x > w - 80) { x = area.left; y += 14; }
    });
    out.push("</svg>");
    return out.join("");
  }

  function download(name, href) {
    var a = document.createElement("a");
    a.href = href; a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
  }

  function buttons(canvas, index) {
    var chart = window.Chart && window.Chart.getChart(canvas);
    if (!chart || canvas.dataset.exportReady) { return; }
    canvas.dataset.exportReady = "1";
    var base = (document.body.dataset.exportName || document.title || "bieu-do")
      .replace(/[^\w\u00C0-\u1EF9-]+/g, "-").slice(0, 60) + "-" + (canvas.dataset.indicatorChart || canvas.dataset.equityChart || index);
    var bar = document.createElement("p");
    bar.className = "chart-export no-print";
    [["PNG", function () { download(base + ".png", chart.toBase64Image("image/png", 1)); }],
     ["SVG", function () {
       var blob = new Blob([svgOf(chart)], { type: "image/svg+xml" });
       download(base + ".svg", URL.createObjectURL(blob));
     }]].forEach(function (item) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "button small"; b.textContent = "Tải " + item[0];
      b.dataset.export = item[0].toLowerCase();
      b.addEventListener("click", item[1]);
      bar.appendChild(b);
    });
    canvas.insertAdjacentElement("afterend", bar);
  }

  window.mchChartSvg = svgOf;
  function start() {
    document.querySelectorAll("canvas").forEach(buttons);
  }
  window.addEventListener("load", function () { setTimeout(start, 50); });
})();
