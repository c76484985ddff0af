// The monitor's charts: Chart.js draws the series the page embeds as JSON (no inline script).
// A suppressed value arrives as null and is left out, never drawn as zero.
(function () {
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart) return;
    var chart = JSON.parse(source.textContent);
    var datasets = [{ label: "Deze periode", data: chart.current, backgroundColor: "#154273" }];
    if (chart.previous) {
      datasets.push({ label: "Vorige periode", data: chart.previous, backgroundColor: "#8fa8c8" });
    }
    canvas.chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: datasets },
      options: {
        indexAxis: "y",
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { beginAtZero: true, title: { display: true, text: chart.unit } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
    canvas.dataset.drawn = "true";
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
