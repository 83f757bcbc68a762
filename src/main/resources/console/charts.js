// uPlot line charts over time, made the same way on every page.

import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';

const COLOURS = ['#2f6fed', '#e07a1f', '#1f9d6b', '#a03fd0', '#d03f5f', '#6b7280'];
const clock = t => new Date(t * 1000).toLocaleTimeString('en-GB');

/**
 * A chart of `series` ([{label, colour?, dash?}]) against time (seconds), drawn into `target`; `data` is uPlot's
 * columns ([times, values…]) and is kept by reference, so a caller pushes to it and calls setData(data); `log` draws
 * the values on a log scale (memory used is a sliver of the limit on a linear one).
 */
export function lineChart(target, { series, data, height = 170, range, log = false }) {
  return new uPlot({
    width: width(target), height,
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { ...(range ? { range } : {}), ...(log ? { distr: 3 } : {}) } },
    series: [{}, ...series.map((s, i) => ({
      label: s.label, stroke: s.colour ?? COLOURS[i % COLOURS.length], width: 2, dash: s.dash ?? undefined,
      spanGaps: true, points: { show: false },
    }))],
    axes: [
      { values: (u, splits) => splits.map(clock), space: 70, incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600],
        grid: { stroke: '#eef0f4' } },
      { size: 56, grid: { stroke: '#eef0f4' } },
    ],
  }, data, target);
}

/** Keeps a chart as wide as its box. */
export function fit(chart, box, height = 170) {
  new ResizeObserver(() => {
    if (box.clientWidth > 0) {
      chart.setSize({ width: width(box), height });
    }
  }).observe(box);
}

function width(box) {
  const style = getComputedStyle(box);
  const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  return Math.max(240, (box.clientWidth || 600) - padding);
}
