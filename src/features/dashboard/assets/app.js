// The dashboard's only script (served from the bot, no inline code): draws the
// charts from the data-chart attribute of each canvas. The numbers are already
// on the page as text; without this script (or Chart.js) nothing else is lost.
"use strict";

(function () {
  // Wide screens: the filter box starts open (on a phone it stays folded above the results).
  if (window.matchMedia && window.matchMedia("(min-width: 720px)").matches) {
    for (const d of document.querySelectorAll("details[data-open-wide]")) d.open = true;
  }
  if (typeof Chart === "undefined") return;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif';
  Chart.defaults.font.size = 13;
  Chart.defaults.color = "#344054";
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  const pct = (v) => v + "%";
  // Long names (plans) broken into lines of about `width` characters, so narrow screens show them whole.
  const wrap = (label, width) => {
    const lines = [];
    let line = "";
    for (const word of String(label).split(" ")) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else line = line ? line + " " + word : word;
    }
    if (line) lines.push(line);
    return lines;
  };
  const narrow = () => window.innerWidth < 720;
  const num = (v) => Number(v).toLocaleString("vi-VN");

  const builders = {
    // One stacked bar: a plan's tasks by latest status.
    status(d) {
      return {
        type: "bar",
        data: {
          labels: [d.title],
          datasets: d.buckets.map((b) => ({ label: b.label, data: [b.value], backgroundColor: b.color, borderWidth: 0 })),
        },
        options: {
          indexAxis: "y",
          scales: { x: { stacked: true, max: d.total, display: false }, y: { stacked: true, display: false } },
          plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + num(c.raw) } } },
        },
      };
    },
    // Share complete per plan.
    plans(d) {
      return {
        type: "bar",
        data: { labels: d.labels.map((l) => wrap(l, narrow() ? 16 : 30)), datasets: [{ label: "Hoàn thành", data: d.done, backgroundColor: "#1e7d3a" }] },
        options: {
          indexAxis: "y",
          scales: { x: { min: 0, max: 100, ticks: { callback: pct } }, y: { ticks: { autoSkip: false } } },
          plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => "Hoàn thành: " + c.raw + "%" } } },
        },
      };
    },
    // Overdue and not reported in 30 days, per plan.
    risks(d) {
      return {
        type: "bar",
        data: {
          labels: d.labels.map((l) => wrap(l, narrow() ? 16 : 30)),
          datasets: [
            { label: "Quá hạn", data: d.overdue, backgroundColor: "#c0262d" },
            { label: "30 ngày chưa báo cáo", data: d.stale, backgroundColor: "#d06a00" },
          ],
        },
        options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { ticks: { autoSkip: false } } } },
      };
    },
    // Updates per week (bars) and share complete at each week's end (line).
    trend(d) {
      return {
        type: "bar",
        data: {
          labels: d.labels,
          datasets: [
            { type: "bar", label: "Số báo cáo trong tuần", data: d.updates, backgroundColor: "#2563c9", yAxisID: "y" },
            { type: "line", label: "% hoàn thành", data: d.pct, borderColor: "#1e7d3a", backgroundColor: "#1e7d3a", yAxisID: "y1", tension: 0.2, pointRadius: 2 },
          ],
        },
        options: {
          scales: {
            y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Báo cáo" } },
            y1: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false }, ticks: { callback: pct } },
          },
        },
      };
    },
  };

  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    try {
      const spec = JSON.parse(canvas.getAttribute("data-chart"));
      const build = builders[spec.kind];
      if (build) new Chart(canvas, build(spec));
    } catch (err) {
      console.warn("chart not drawn", err);
    }
  }
})();
