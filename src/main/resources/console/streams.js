// Streams: GET /api/v1/videos/stream?checkpoints=true read with fetch and a ReadableStream reader. Pausing stops
// calling reader.read(), so the socket fills and the server stops reading its cursor (backpressure); a cut stream
// resumes with after=<the last checkpoint's cursor>.

import { getText, query, el, format } from './api.js';
import { parse, value } from './metrics.js';
import { lineChart, fit } from './charts.js';

const LAST_ROWS = 6;
const POLL_MS = 1000;
const HISTORY = 120;

let root;
let chart;
const state = {
  status: 'idle',          // idle, reading, paused, ended, cancelled, cut
  rows: 0,                 // rows counted: the checkpoint's count plus rows received after it
  bytes: 0,
  checkpoint: null,        // {cursor, count}: the latest checkpoint line, count made absolute
  base: 0,                 // rows before this request (the checkpoint resumed from)
  reader: null,
  controller: null,
  pumping: false,
  last: [],
  error: null,
  server: { rows: null, inFlight: null, active: null, delta: null },
};
const history = [[], [], []];  // time, client rows/s, server rows/s
let lastSample = null;
let frame = 0;

export function start(page) {
  root = page;
  part('stream-start').addEventListener('click', () => open(null));
  part('stream-pause').addEventListener('click', pause);
  part('stream-resume').addEventListener('click', resume);
  part('stream-cancel').addEventListener('click', cancel);
  part('stream-resume-checkpoint').addEventListener('click', () => open(state.checkpoint, state.filter));
  window.sluice.stream = state;
  chart = lineChart(part('stream-chart'), {
    data: history,
    series: [{ label: 'client rows/s' }, { label: 'server rows/s', colour: '#e07a1f', dash: [6, 4] }],
  });
  fit(chart, part('stream-chart'));
  window.sluice.charts.stream = chart;
  loop();
  draw();
}

function part(testid) {
  return root.querySelector(`[data-testid="${testid}"]`);
}

// ---- reading ----

/** Opens the stream; from a checkpoint, with the filter the checkpoint's stream had (its cursor is bound to it). */
async function open(checkpoint, filter = part('stream-status').value) {
  if (state.controller) {
    state.controller.abort();
  }
  const controller = new AbortController();
  Object.assign(state, {
    controller, reader: null, error: null, last: checkpoint ? state.last : [],
    base: checkpoint ? checkpoint.count : 0, rows: checkpoint ? checkpoint.count : 0,
    bytes: checkpoint ? state.bytes : 0, checkpoint: checkpoint ?? null, filter,
  });
  sampleFrom(state.rows);
  const url = `/api/v1/videos/stream${query({ checkpoints: 'true', status: filter, after: checkpoint?.cursor })}`;
  part('stream-url').textContent = `GET ${url}`;
  setStatus('reading');
  try {
    const response = await fetch(url, { signal: controller.signal, headers: { Accept: 'application/x-ndjson' } });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(`${response.status}: ${problem.detail ?? response.statusText}`);
    }
    state.reader = response.body.getReader();
    state.decoder = new TextDecoder();
    state.pending = '';
    pump();
  } catch (error) {
    failed(error, controller);
  }
}

async function pump() {
  if (state.pumping) {
    return;
  }
  state.pumping = true;
  const { reader, controller } = state;
  try {
    while (state.status === 'reading' && state.reader === reader) {
      const { done, value: chunk } = await reader.read();
      if (state.reader !== reader) {
        break; // cancelled (a pending read of a cancelled reader ends as done) or replaced while it waited
      }
      if (done) {
        // NDJSON has no trailer: a body that ends in the middle of a line was cut
        finish(state.pending.trim() === '' ? 'ended' : 'cut');
        break;
      }
      state.bytes += chunk.byteLength;
      lines(state.decoder.decode(chunk, { stream: true }));
      draw();
    }
  } catch (error) {
    failed(error, controller);
  } finally {
    state.pumping = false;
  }
  // resumed while the last read was still pending
  if (state.status === 'reading' && state.reader === reader) {
    pump();
  }
}

function lines(text) {
  const parts = (state.pending + text).split('\n');
  state.pending = parts.pop();
  for (const line of parts) {
    if (!line) {
      continue;
    }
    const item = JSON.parse(line);
    if ('_checkpoint' in item) {
      // count is the items before the checkpoint in this request: the rows before the request are added
      state.checkpoint = { cursor: item._checkpoint, count: state.base + item.count };
      state.rows = state.checkpoint.count;
    } else {
      state.rows++;
      state.last.push(item);
      if (state.last.length > LAST_ROWS) {
        state.last.shift();
      }
    }
  }
}

function failed(error, controller) {
  if (controller.signal.aborted || state.controller !== controller || state.status === 'cancelled') {
    return;
  }
  state.error = error.message;
  finish('cut');
}

function finish(status) {
  state.reader = null;
  setStatus(status);
}

function pause() {
  if (state.status === 'reading') {
    setStatus('paused');
  }
}

function resume() {
  if (state.status === 'paused') {
    setStatus('reading');
    pump();
  }
}

function cancel() {
  const { reader, controller } = state;
  setStatus('cancelled');
  state.reader = null;
  reader?.cancel().catch(() => {});
  controller?.abort();
}

function setStatus(status) {
  state.status = status;
  const badge = part('stream-state');
  badge.dataset.state = status;
  badge.textContent = status === 'cut' && state.error ? `cut: ${state.error}` : status;
  const open = status === 'reading' || status === 'paused';
  part('stream-start').disabled = open;
  part('stream-pause').disabled = status !== 'reading';
  part('stream-resume').disabled = status !== 'paused';
  part('stream-cancel').disabled = !open;
  part('stream-resume-checkpoint').hidden = !(status === 'cut' && state.checkpoint);
  draw();
}

// ---- figures ----

/**
 * The rate is measured on this stream's count from here on: the count starts again with a new stream (at 0, or at
 * a checkpoint's count, below the rows already counted), and a rate across the two went below zero.
 */
function sampleFrom(rows) {
  lastSample = { at: Date.now() / 1000, rows };
  state.rate = 0;
}

// the next poll is planned once this one is done, so replies never arrive out of order
async function loop() {
  await poll();
  setTimeout(loop, POLL_MS);
}

async function poll() {
  let samples;
  try {
    samples = parse(await getText('/metrics'));
  } catch {
    return;
  }
  const now = Date.now() / 1000;
  const rows = value(samples, 'sluice_stream_rows_total', { loader: 'videos' });
  const server = state.server;
  server.delta = server.rows === null || rows === null ? null : rows - server.rows;
  server.rows = rows;
  server.inFlight = value(samples, 'sluice_stream_batches_in_flight', { loader: 'videos' });
  server.active = value(samples, 'sluice_streams_active', { loader: 'videos' });
  if (lastSample) {
    const seconds = Math.max(0.001, now - lastSample.at);
    state.rate = (state.rows - lastSample.rows) / seconds;
    history[0].push(now);
    history[1].push(Math.max(0, state.rate));
    history[2].push(server.delta === null ? null : Math.max(0, server.delta / seconds));
    if (history[0].length > HISTORY) {
      history.forEach(series => series.shift());
    }
    chart.setData(history);
  }
  lastSample = { at: now, rows: state.rows };
  draw();
}

function draw() {
  if (frame) {
    return;
  }
  frame = requestAnimationFrame(() => {
    frame = 0;
    const server = state.server;
    part('stream-rows').textContent = format.number(state.rows);
    part('stream-rows').dataset.value = state.rows;
    part('stream-bytes').textContent = format.bytes(state.bytes);
    part('stream-rate').textContent = format.number(state.rate ?? 0);
    part('stream-checkpoint').textContent = state.checkpoint ? `row ${format.number(state.checkpoint.count)}` : '—';
    part('server-rows').textContent = format.number(server.rows);
    part('server-rows').dataset.value = server.rows ?? '';
    part('server-rows-delta').textContent = server.delta === null ? '' : `+${format.number(server.delta)} in the last second`;
    part('server-inflight').textContent = format.number(server.inFlight);
    part('server-active').textContent = format.number(server.active);
    part('server-active').dataset.value = server.active ?? '';
    part('backpressure').hidden = !(state.status === 'paused' && server.delta === 0 && server.active > 0
      && server.inFlight > 0);
    part('stream-last-rows').replaceChildren(...state.last.slice().reverse().map((video, i) => el('tr',
      { 'data-testid': 'stream-row', 'data-id': video.id },
      el('td', { class: 'num' }, format.number(state.rows - i)),
      el('td', {}, video.title),
      el('td', {}, el('span', { class: `pill status-${video.status}` }, video.status)),
      el('td', { class: 'date' }, format.time(video.created_at)))));
  });
}
