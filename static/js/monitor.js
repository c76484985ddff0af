// The monitor's charts: Chart.js draws the series the page embeds as JSON (no inline script).
// A suppressed value arrives as null and is left out, never drawn as zero.
(function () {
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart) return;
    var chart = JSON.parse(source.textContent);
    // Long labels wrap instead of being cut off; a value that is not published says so in its
    // label, so an empty bar never reads as 0.
    var labels = chart.labels.map(function (label, i) {
      var lines = wrap(label, 30);
      var hidden = chart.current[i] === null || (chart.previous && chart.previous[i] === null);
      if (hidden) lines.push("(deels niet gepubliceerd)");
      return lines;
    });
    var datasets = [{ label: "Deze periode", data: chart.current, backgroundColor: "#154273" }];
    if (chart.previous) {
      datasets.push({ label: "Vorige periode", data: chart.previous, backgroundColor: "#8fa8c8" });
    }
    canvas.chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: "y",
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { beginAtZero: true, title: { display: true, text: chart.unit } } },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                var value = item.raw === null ? "niet gepubliceerd" : item.formattedValue;
                return item.dataset.label + ": " + value;
              },
            },
          },
        },
      },
    });
    canvas.dataset.drawn = "true";
  }
  function wrap(text, width) {
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    return lines;
  }
  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
