// Dashboard: /api/v1/stats, /metrics and /health every 2 s, drawn as uPlot charts over the last five minutes.

import { getJson, getText, el, format } from './api.js';
import { parse, value } from './metrics.js';
import { lineChart, fit } from './charts.js';

const REFRESH_MS = 2000;
const KEEP = 150;  // samples: five minutes at one every 2 s
const LOADERS = ['videos', 'users', 'templates', 'search', 'analytics'];

// each chart: its title, unit, series labels and how one sample's figures become its values
const CHARTS = [
  { id: 'memory', title: 'Memory (MB, log scale)', series: ['used', 'limit', 'high', 'critical'], log: true,
    colours: ['#2f6fed', '#6b7280', '#e0a31f', '#d03f5f'], dashes: [null, [2, 4], [6, 4], [6, 4]],
    values: s => [s.stats.memory.used_mb, s.stats.memory.limit_mb, s.stats.memory.high_mb, s.stats.memory.critical_mb] },
  { id: 'hit-rate', title: 'Cache hit rate (last minute)', series: LOADERS, range: [0, 1],
    values: s => LOADERS.map(l => hitRate(s, l)) },
  { id: 'cache-weight', title: 'Cache weight (KB)', series: LOADERS,
    values: s => LOADERS.map(l => loader(s, l)?.cache_stats?.weight_bytes / 1024) },
  { id: 'throughput', title: 'Throughput (items/s, last 10 s)', series: LOADERS,
    values: s => LOADERS.map(l => loader(s, l)?.throughput_items_per_second) },
  { id: 'batch-time', title: 'Average batch time (ms)', series: LOADERS,
    values: s => LOADERS.map(l => loader(s, l)?.average_batch_time_ms) },
  { id: 'streams', title: 'Active streams and database latency', series: ['active streams', 'db latency ms'],
    colours: ['#1f9d6b', '#a03fd0'],
    values: s => [value(s.metrics, 'sluice_streams_active') ?? 0, database(s.health)?.data?.latency_ms ?? null] },
];

let root;
let timer = null;
const data = {};
const charts = {};

export function start(page) {
  root = page;
  const grid = part('charts');
  for (const spec of CHARTS) {
    const box = el('div', { class: 'chart-card', 'data-testid': `chart-${spec.id}` }, el('h3', {}, spec.title));
    grid.append(box);
    data[spec.id] = [[], ...spec.series.map(() => [])];
    const plot = el('div', { class: 'plot' });
    box.append(plot);
    charts[spec.id] = lineChart(plot, {
      data: data[spec.id], range: spec.range, log: spec.log,
      series: spec.series.map((label, i) => ({ label, colour: spec.colours?.[i], dash: spec.dashes?.[i] })),
    });
    fit(charts[spec.id], plot);
    window.sluice.charts[spec.id] = charts[spec.id];
  }
}

// polled from the first visit on, shown or not, so that coming back shows the last minutes (a stream run meanwhile)
export function show() {
  if (!timer) {
    timer = true;
    loop();
  }
}

// the next refresh is planned once this one is done, so a slow reply never overlaps the next request
async function loop() {
  await refresh();
  timer = setTimeout(loop, REFRESH_MS);
}

function part(testid) {
  return root.querySelector(`[data-testid="${testid}"]`);
}

async function refresh() {
  let sample;
  try {
    const [stats, health, metrics] = await Promise.all([
      getJson('/api/v1/stats', { quiet: true }),
      getJson('/health', { quiet: true, accept503: true }),
      getText('/metrics').then(parse),
    ]);
    sample = { at: Date.now() / 1000, stats, health, metrics };
  } catch (error) {
    part('dashboard-updated').textContent = `refresh failed: ${error.message}`;
    return;
  }
  let values;
  try {
    // every chart's figures first: a document without them adds no sample, so every series keeps the same length
    values = CHARTS.map(spec => spec.values(sample));
  } catch (error) {
    part('dashboard-updated').textContent = `refresh failed: ${error.message}`;
    return;
  }
  CHARTS.forEach((spec, c) => {
    const series = data[spec.id];
    series[0].push(sample.at);
    values[c].forEach((v, i) => series[i + 1].push(Number.isFinite(v) ? v : null));
    if (series[0].length > KEEP) {
      series.forEach(s => s.shift());
    }
    charts[spec.id].setData(series);
  });
  showHealth(sample);
  part('dashboard-updated').textContent = `updated ${new Date().toLocaleTimeString('en-GB')}`;
}

function loader(sample, name) {
  return sample.stats.loaders?.[name];
}

/**
 * The hit rate of the loader's health check: hits over lookups in the last minute, the figure the health judgement
 * reads; a gap while the minute had no lookup.
 */
function hitRate(sample, name) {
  const check = sample.health.checks?.find(c => c.id === `loader.${name}`);
  return check?.data?.hit_rate ?? null;
}

function database(health) {
  return health.checks?.find(check => check.id === 'database');
}

function badge(text, level, testid, extra = {}) {
  return el('span', { class: `badge level-${level}`, 'data-testid': testid, ...extra }, text);
}

function showHealth({ health, stats }) {
  const status = part('health-status');
  status.textContent = health.status;
  status.className = `badge level-${health.status === 'UP' ? 'healthy' : 'critical'}`;
  status.dataset.status = health.status;
  const latency = database(health)?.data?.latency_ms;
  part('db-latency').textContent = latency === undefined ? '—' : `${latency.toFixed(1)} ms`;
  const memory = part('memory-level');
  memory.textContent = `${stats.memory.level} · ${format.number(stats.memory.used_mb)} / ${format.number(stats.memory.limit_mb)} MB`;
  memory.className = `badge level-${{ normal: 'healthy', high: 'warning' }[stats.memory.level] ?? 'critical'}`;
  const checks = (health.checks ?? []).filter(check => check.id.startsWith('loader.'))
    .sort((a, b) => LOADERS.indexOf(a.id.slice(7)) - LOADERS.indexOf(b.id.slice(7)));
  part('breakers').replaceChildren(...checks.map(check => {
    const family = check.id.slice('loader.'.length);
    const breaker = check.data?.breaker ?? 'unknown';
    const level = check.data?.level ?? 'unknown';
    return el('div', { class: 'breaker', 'data-testid': `breaker-${family}`, 'data-state': breaker, 'data-level': level },
      el('b', {}, family),
      badge(`breaker ${breaker.replace('_', '-')}`, { closed: 'healthy', half_open: 'warning' }[breaker] ?? 'critical',
        `breaker-state-${family}`),
      badge(level, level, `breaker-level-${family}`));
  }));
}
