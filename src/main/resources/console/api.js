// Every request the console sends goes through here, so that each one's URL, status and latency can be shown.

import { parseExact } from './json.js';

const LOG_SIZE = 12;
const log = [];
const listeners = new Set();

/** Calls back with the latest requests (newest first) whenever one completes. */
export function onRequest(listener) {
  listeners.add(listener);
  listener(log);
}

function record(entry) {
  log.unshift(entry);
  log.length = Math.min(log.length, LOG_SIZE);
  listeners.forEach(listener => listener(log));
}

/**
 * GETs a JSON document; rejects with an Error carrying `status`, the problem's detail as its message and the problem
 * itself as `problem` on a non-2xx reply, except a 503 when `accept503` (`/health` is a 503 with its checks when a
 * check is down). With `exact`, numbers keep every digit the server sent (json.js).
 */
export async function getJson(url, { signal, quiet = false, accept503 = false, exact = false } = {}) {
  const started = performance.now();
  let status = 'failed';
  try {
    const response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
    status = response.status;
    const body = await (exact ? response.text().then(parseExact) : response.json()).catch(() => null);
    if (!response.ok && !(accept503 && response.status === 503)) {
      const error = new Error(body?.detail ?? `${response.status} ${response.statusText}`);
      error.status = response.status;
      error.problem = body;
      throw error;
    }
    return body;
  } catch (error) {
    if (error.name === 'AbortError') {
      status = 'aborted';
    }
    throw error;
  } finally {
    if (!quiet) {
      record({ url, status, ms: performance.now() - started, at: new Date() });
    }
  }
}

/**
 * GETs a whole body as a Blob with the given Accept (a download), recorded in the request log like getJson; rejects
 * as getJson does on a non-2xx reply.
 */
export async function getBlob(url, accept, { signal } = {}) {
  const started = performance.now();
  let status = 'failed';
  try {
    const response = await fetch(url, { signal, headers: { Accept: accept } });
    status = response.status;
    if (!response.ok) {
      const problem = await response.json().catch(() => null);
      const error = new Error(problem?.detail ?? `${response.status} ${response.statusText}`);
      error.status = response.status;
      error.problem = problem;
      throw error;
    }
    // a body cut mid-stream (the server's failure) rejects here: the download is not saved half
    return { blob: await response.blob(), type: response.headers.get('Content-Type') ?? '' };
  } catch (error) {
    if (error.name === 'AbortError') {
      status = 'aborted';
    }
    throw error;
  } finally {
    record({ url, status, ms: performance.now() - started, at: new Date(), accept });
  }
}

/** GETs a text document (the Prometheus exposition). */
export async function getText(url, { signal } = {}) {
  const response = await fetch(url, { signal });
  if (!response.ok) {
    throw new Error(`${url}: ${response.status}`);
  }
  return response.text();
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(key, value);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Renders the request log into a list element. */
export function showRequests(list) {
  onRequest(entries => {
    list.replaceChildren(...entries.map(entry => {
      const item = el('li', { 'data-testid': 'request-entry', class: ok(entry.status) ? '' : 'bad' });
      item.append(
        el('span', { class: 'status', 'data-testid': 'request-status' }, String(entry.status)),
        el('code', { 'data-testid': 'request-url' }, `GET ${entry.url}${entry.accept ? ` (Accept: ${entry.accept})` : ''}`),
        el('span', { class: 'ms', 'data-testid': 'request-ms' }, `${entry.ms.toFixed(0)} ms`));
      return item;
    }));
  });
}

function ok(status) {
  return typeof status === 'number' && status < 400;
}

/** A small element factory: el('td', {class: 'x'}, 'text', child…). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) {
      element.setAttribute(name, value);
    }
  }
  element.append(...children.filter(child => child !== undefined && child !== null));
  return element;
}

export const format = {
  number: n => (n === null || n === undefined || Number.isNaN(n)) ? '—' : Math.round(n).toLocaleString('en-US'),
  bytes(n) {
    if (!Number.isFinite(n)) {
      return '—';
    }
    const units = ['B', 'KB', 'MB', 'GB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
  },
  time: iso => iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—',
};
