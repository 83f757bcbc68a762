// Explorer, Datasets view: any dataset GET /api/v1/data declares. A dataset with a key scrolls virtually over
// {path}/range (virtual.js, as the users do); one without a key comes as pages over {path}?page=. Its columns, sorts
// and filters (column=op.value, PostgREST style) come from the declaration; a click on a row of a keyed dataset opens
// {path}/items/{key} in the explorer's side panel; the downloads fetch {path}/stream with the Accept of their format.

import { getJson, getBlob, query, el, format } from './api.js';
import { VirtualList, totalLabel, showJumpNote } from './virtual.js';
import { cellText, toJson, Exact } from './json.js';

/** Each download's Accept header and file extension: a plain link cannot choose the stream's format. */
const FORMATS = {
  ndjson: { accept: 'application/x-ndjson', extension: 'ndjson' },
  csv: { accept: 'text/csv', extension: 'csv' },
};

/** A column's minimum width by its type (px); a wider table scrolls sideways, its header with it. */
function columnWidth(column) {
  const type = column.type;
  if (type.endsWith('[]') || type === 'json' || type === 'jsonb') return 220;
  if (type.startsWith('timestamp')) return 230;
  if (type === 'boolean') return 70;
  if (['smallint', 'integer', 'bigint', 'real', 'double precision'].includes(type)) return 100;
  if (type.startsWith('numeric') || type === 'date' || type.startsWith('time')) return 130;
  return 160;
}

/** Whether a column holds numbers: its cells and header are aligned right. */
function numeric(column) {
  return ['smallint', 'integer', 'bigint', 'real', 'double precision'].includes(column.type)
    || column.type.startsWith('numeric');
}

const INDEX_WIDTH = 64;
const GAP = 8;

let root;
let panel;                // the explorer's side panel: {openItem, closeItem}
let list;                 // the VirtualList of a keyed dataset
const state = {
  datasets: null,         // GET /api/v1/data's datasets, once read
  dataset: null,          // the one shown
  mode: null,             // 'range' (virtual scroll), 'pages' or null (neither offered)
  sort: '',
  filters: {},            // column → 'op.value', as applied
  page: 1,
  pageRequest: 0,
  hasMore: false,
  pageRows: [],           // the page shown, from row pageFirst on
  pageFirst: 0,
  download: null,         // {format, url, accept, state, type, bytes} of the latest download
  problem: null,          // the latest request's refusal (a 4xx problem), shown beside its controls
};

export function start(page, sidePanel) {
  root = page;
  panel = sidePanel;
  list = new VirtualList({
    viewport: part('data-viewport'),
    spacer: part('data-spacer'),
    rows: part('data-rows'),
    fetchWindow: (start, end, signal) => getJson(`${state.dataset.path}/range${query({
      ...state.filters, sort: state.sort, start_index: start, end_index: end, count: 'estimated',
    })}`, { signal, exact: true }),
    row: dataRow,
    empty: () => el('p', { class: 'empty', 'data-testid': 'data-empty' }, 'No rows match these filters.'),
    failure: error => el('p', { class: 'error', 'data-testid': 'data-failure' }, error.message),
    onTotal: showTotal,
    onFailure: showProblem,
  });
  state.list = list;
  window.sluice.data = state;
  part('data-dataset').addEventListener('change', event => choose(event.target.value));
  part('data-sort').addEventListener('change', event => { state.sort = event.target.value; refresh(); });
  part('data-filters').addEventListener('submit', event => { event.preventDefault(); applyFilters(); });
  part('data-filter-clear').addEventListener('click', () => {
    part('data-filter-list').querySelectorAll('[data-testid=data-filter-op]').forEach(select => {
      select.value = '';
      valueBox(select.dataset.column);
    });
    applyFilters();
  });
  part('data-filter-list').addEventListener('change', event => {
    const target = event.target;
    if (target.dataset.testid === 'data-filter-op') {
      valueBox(target.dataset.column);
    }
    // a choice from a select applies at once (an operator once its value is there); a typed value on Enter or Apply
    const value = filterCell(target.dataset.column).querySelector('[data-testid=data-filter-value]');
    if (target.tagName === 'SELECT' && (target === value || target.value === '' || value.tagName === 'SELECT'
      || value.value !== '')) {
      applyFilters();
    }
  });
  part('data-jump-form').addEventListener('submit', event => {
    event.preventDefault();
    const index = Number.parseInt(part('data-jump-input').value, 10);
    if (state.mode === 'range' && Number.isFinite(index) && index >= 0) {
      list.jump(index).then(jumped => {
        if (jumped) {
          showJumpNote(part('data-jump-note'), jumped, 'rows');
        }
      });
    }
  });
  part('data-rows').addEventListener('click', event => {
    const row = event.target.closest('[data-key]');
    if (row) {
      openRow(row.dataset.key, list.rowAt(Number(row.dataset.index)));
    }
  });
  // pages have keyed rows too when a dataset with a key offers no virtual scroll
  part('data-page-rows').addEventListener('click', event => {
    const row = event.target.closest('[data-key]');
    if (row) {
      openRow(row.dataset.key, state.pageRows[Number(row.dataset.index) - state.pageFirst]);
    }
  });
  part('data-prev').addEventListener('click', () => showPage(state.page - 1));
  part('data-next').addEventListener('click', () => showPage(state.page + 1));
  // the header scrolls sideways with the rows under it
  for (const scroller of [part('data-viewport'), part('data-page-rows')]) {
    scroller.addEventListener('scroll', () => { part('data-head-wrap').scrollLeft = scroller.scrollLeft; },
      { passive: true });
  }
  for (const [name, { accept }] of Object.entries(FORMATS)) {
    part(`data-download-${name}`).addEventListener('click', () => download(name));
    part(`data-download-${name}`).title = `GET …/stream with Accept: ${accept}, the current filters and sort`;
  }
  load();
}

/** Redraws the virtual list if it is in view (the explorer shown again, the window resized). */
export function schedule() {
  if (list && state.mode === 'range') {
    list.schedule();
  }
}

function part(testid) {
  return root.querySelector(`[data-testid="${testid}"]`);
}

async function load() {
  let reply;
  try {
    reply = await getJson('/api/v1/data');
  } catch (error) {
    part('data-error').hidden = false;
    part('data-error').textContent = `The datasets could not be listed: ${error.message}`;
    return;
  }
  state.datasets = reply.datasets ?? [];
  const select = part('data-dataset');
  select.dataset.count = state.datasets.length;
  select.replaceChildren(...state.datasets.map(d => new Option(d.name, d.name)));
  const none = state.datasets.length === 0;
  part('data-dataset-label').hidden = none;
  part('data-none').hidden = !none;
  if (!none) {
    choose(state.datasets[0].name);
  }
}

// ---- the dataset chosen ----

function choose(name) {
  const dataset = state.datasets.find(d => d.name === name);
  state.dataset = dataset;
  part('data-dataset').value = name;
  state.sort = dataset.sorts[0] ?? '';
  state.filters = {};
  const keyed = dataset.key.length > 0;
  state.mode = keyed && dataset.strategies.includes('virtual_scroll') ? 'range'
    : dataset.strategies.includes('pagination') ? 'pages' : null;
  root.dataset.dataset = name;
  root.dataset.dataMode = state.mode ?? '';
  panel.closeItem(family => family?.startsWith('data/'));
  part('data-controls').hidden = false;
  part('data-grid').hidden = false;
  part('data-sort').replaceChildren(...dataset.sorts.map(sort => new Option(sortLabel(sort), sort)));
  part('data-sort').value = state.sort;
  part('data-jump-form').hidden = state.mode !== 'range';
  part('data-jump-note').hidden = true;
  part('data-viewport').hidden = state.mode !== 'range';
  part('data-page-rows').hidden = state.mode !== 'pages';
  part('data-pager').hidden = state.mode !== 'pages';
  part('data-download-ndjson').hidden = !dataset.strategies.includes('streaming');
  part('data-download-csv').hidden = !dataset.strategies.includes('streaming');
  layout(dataset);
  filterForm(dataset);
  if (state.mode !== 'range') {
    list.stop();
  }
  refresh();
}

/** `-email` as "email ↓", `status,placed_at` as "status ↑, placed_at ↑". */
function sortLabel(sort) {
  return sort.split(',').map(part => part.startsWith('-') ? `${part.slice(1)} ↓` : `${part} ↑`).join(', ');
}

/** The header and the grid's columns: # then each declared column, as wide as its type needs. */
function layout(dataset) {
  const widths = dataset.columns.map(columnWidth);
  const grid = part('data-grid');
  grid.style.setProperty('--data-cols', [`${INDEX_WIDTH}px`, ...widths.map(w => `minmax(${w}px, 1fr)`)].join(' '));
  grid.style.setProperty('--data-width',
    `${INDEX_WIDTH + widths.reduce((a, b) => a + b, 0) + GAP * widths.length + 24}px`);
  part('data-head').replaceChildren(el('span', {}, '#'), ...dataset.columns.map(column => el('span', {
    'data-testid': 'data-column', 'data-column': column.name, class: numeric(column) ? 'num' : null,
    title: `${column.type}${column.nullable ? '' : ' not null'}${dataset.key.includes(column.name) ? ', key' : ''}`,
  }, column.name)));
  part('data-head-wrap').scrollLeft = 0;
  part('data-page-rows').scrollLeft = 0;
  part('data-viewport').scrollLeft = 0;
}

/** Reads the dataset again from its first row (or page): the sort or the filters changed. */
function refresh() {
  clearProblem();
  part('data-jump-note').hidden = true;
  if (state.mode === 'range') {
    list.reset();
  } else if (state.mode === 'pages') {
    showPage(1);
  } else {
    showTotal();
    part('data-error').hidden = false;
    part('data-error').textContent = 'This dataset offers neither virtual scroll nor pages.';
  }
}

// ---- rows ----

function dataRow(index, row) {
  if (!row) {
    return el('div', { class: 'row data-cols loading', 'data-testid': 'data-row', 'data-index': index },
      el('span', { class: 'idx' }, format.number(index)), el('span', { class: 'shimmer' }));
  }
  const key = itemKey(row);
  return el('div', {
    class: `row data-cols${key === null ? ' static' : ''}`, 'data-testid': 'data-row', 'data-index': index,
    'data-key': key, role: key === null ? null : 'button', tabindex: key === null ? null : '-1',
  },
  el('span', { class: 'idx' }, format.number(index)),
  ...state.dataset.columns.map(column => cell(column, row[column.name])));
}

/** A cell: the value's text (a string as itself, anything else as its JSON) and, in data-json, its JSON. */
function cell(column, value) {
  const text = value === undefined ? '' : cellText(value);
  const right = numeric(column) || typeof value === 'number' || value instanceof Exact;
  const classes = [value === null ? 'null' : null, right ? 'num' : null].filter(Boolean).join(' ');
  return el('span', {
    'data-column': column.name, 'data-json': value === undefined ? null : toJson(value),
    class: classes || null, title: text.length > 20 ? text : null,
  }, value === null ? 'null' : text);
}

/**
 * The row's key as /items/{key} takes it: each key column's value as text (a string as itself, a number with all
 * its digits), percent-encoded, joined by `,`; null when the dataset has no key or serves no single items.
 */
function itemKey(row) {
  const { key, strategies } = state.dataset;
  if (key.length === 0 || !strategies.includes('single')) {
    return null;
  }
  return key.map(column => encodeURIComponent(cellText(row[column]))).join(',');
}

function openRow(key, row) {
  const dataset = state.dataset;
  panel.openItem({
    family: `data/${dataset.name}`, id: key, url: `${dataset.path}/items/${key}`, json: true,
    title: item => `${dataset.name} ${dataset.key.map(column => cellText((item ?? row)[column])).join(', ')}`,
  });
}

// ---- pages (a dataset without a key) ----

async function showPage(page) {
  const dataset = state.dataset;
  const request = ++state.pageRequest;
  const rows = part('data-page-rows');
  rows.classList.add('busy');
  clearProblem();
  try {
    const reply = await getJson(`${dataset.path}${query({ ...state.filters, sort: state.sort, page })}`,
      { exact: true });
    if (request !== state.pageRequest) {
      return; // another page, sort or filter was asked for meanwhile
    }
    state.page = reply.page ?? page;
    state.hasMore = Boolean(reply.has_more);
    const first = (state.page - 1) * (reply.per_page ?? reply.data.length);
    state.pageRows = reply.data;
    state.pageFirst = first;
    rows.replaceChildren(...reply.data.map((row, i) => dataRow(first + i, row)));
    if (reply.data.length === 0) {
      rows.append(el('p', { class: 'empty', 'data-testid': 'data-empty' }, 'No rows on this page.'));
    }
    rows.dataset.first = first;
    rows.scrollTop = 0;
    part('data-page').textContent = `page ${format.number(state.page)}`;
    part('data-prev').disabled = state.page <= 1;
    part('data-next').disabled = !state.hasMore;
    showTotal(reply.data.length === 0 ? null : { first, last: first + reply.data.length - 1 });
  } catch (error) {
    if (request === state.pageRequest) {
      rows.replaceChildren(el('p', { class: 'error', 'data-testid': 'data-failure' }, error.message));
      part('data-next').disabled = true;
      showProblem(error);
    }
  } finally {
    if (request === state.pageRequest) {
      rows.classList.remove('busy');
    }
  }
}

function showTotal(shown) {
  const label = part('data-total');
  if (state.mode === 'range') {
    totalLabel(label, list, 'rows', `${state.dataset.name}/range`);
    return;
  }
  label.dataset.total = '';
  label.dataset.totalType = '';
  label.title = '';
  label.textContent = state.mode !== 'pages' ? '' : shown
    ? `rows ${format.number(shown.first)}–${format.number(shown.last)}${state.hasMore ? ', more after' : ''}`
    : 'no rows';
}

// ---- filters ----

/** One line per filterable column: its operators (— for none) and a value box, the problem's message under them. */
function filterForm(dataset) {
  const columns = new Map(dataset.columns.map(column => [column.name, column]));
  const cells = Object.entries(dataset.filters ?? {}).map(([name, operators]) => {
    const column = columns.get(name) ?? { name, type: '' };
    return el('div', { class: 'filter-cell', 'data-testid': 'data-filter', 'data-column': name },
      el('label', { title: column.type }, name),
      el('select', { 'data-testid': 'data-filter-op', 'data-column': name, 'aria-label': `${name} operator` },
        new Option('—', ''), ...operators.map(op => new Option(op, op))),
      valueInput(column, ''),
      el('small', { class: 'error', 'data-testid': 'data-filter-error', 'data-column': name, hidden: '' }));
  });
  part('data-filter-list').replaceChildren(...cells);
  part('data-filters').hidden = cells.length === 0;
}

/** Replaces a filter's value box with the one its operator takes, keeping what was typed when both are boxes. */
function valueBox(name) {
  const cell = filterCell(name);
  const op = cell.querySelector('[data-testid=data-filter-op]').value;
  const old = cell.querySelector('[data-testid=data-filter-value]');
  const column = state.dataset.columns.find(c => c.name === name) ?? { name, type: '' };
  const box = valueInput(column, op);
  if (box.tagName === 'INPUT' && old.tagName === 'INPUT') {
    box.value = old.value;
  }
  old.replaceWith(box);
}

/** `is` offers null (and true, false on a boolean); an enum's comparisons offer its values; else a text box. */
function valueInput(column, op) {
  const attributes = { 'data-testid': 'data-filter-value', 'data-column': column.name, 'aria-label': `${column.name} value` };
  const choices = op === 'is' ? ['null', ...(column.type === 'boolean' ? ['true', 'false'] : [])]
    : column.values && ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'].includes(op) ? column.values
      : null;
  if (choices) {
    return el('select', attributes, ...choices.map(value => new Option(value, value)));
  }
  return el('input', { ...attributes, type: 'text', placeholder: placeholder(column, op), enterkeyhint: 'search' });
}

function placeholder(column, op) {
  if (op === 'in') return column.values ? column.values.slice(0, 2).join(',') : 'a,b';
  if (op === 'cs' || op === 'ov') return '{a,b}';
  if (op === 'like' || op === 'ilike') return 'with * as wildcard';
  if (column.values) return column.values[0];
  if (column.type.startsWith('timestamp with')) return '2026-01-15T10:30:00Z';
  if (column.type.startsWith('timestamp')) return '2026-01-15T10:30:00';
  if (column.type === 'date') return '2026-01-15';
  return column.type;
}

function filterCell(name) {
  return [...part('data-filter-list').querySelectorAll('[data-testid=data-filter]')]
    .find(cell => cell.dataset.column === name);
}

/**
 * The filters as the form says: `column=op.value` for each column with an operator; `in` and `cs`/`ov` values get
 * their parentheses or braces when they were typed without.
 */
function readFilters() {
  const filters = {};
  for (const cell of part('data-filter-list').querySelectorAll('[data-testid=data-filter]')) {
    const op = cell.querySelector('[data-testid=data-filter-op]').value;
    if (!op) {
      continue;
    }
    let value = cell.querySelector('[data-testid=data-filter-value]').value;
    if (op === 'in' && !value.startsWith('(')) {
      value = `(${value})`;
    } else if ((op === 'cs' || op === 'ov') && !value.startsWith('{')) {
      value = `{${value}}`;
    }
    filters[cell.dataset.column] = `${op}.${value}`;
  }
  return filters;
}

function applyFilters() {
  const filters = readFilters();
  if (JSON.stringify(filters) === JSON.stringify(state.filters) && !state.problem) {
    return;
  }
  state.filters = filters;
  // whether the item shown still matches is the server's to say: the panel closes with the listing it came from
  panel.closeItem(family => family === `data/${state.dataset.name}`);
  refresh();
}

/**
 * A refused request's problem beside its controls: each error under the filter it names, any other (sort, page…)
 * and a problem without errors in the line under the filters.
 */
function showProblem(error) {
  clearProblem();
  state.problem = error.problem ?? { detail: error.message };
  const general = [];
  const errors = Array.isArray(error.problem?.errors) ? error.problem.errors : [];
  for (const { parameter, message } of errors) {
    const cell = filterCell(parameter);
    if (cell) {
      const line = cell.querySelector('[data-testid=data-filter-error]');
      line.hidden = false;
      line.textContent = message;
      cell.classList.add('bad');
    } else {
      general.push(`${parameter}: ${message}`);
    }
  }
  if (errors.length === 0) {
    general.push(error.message);
  }
  part('data-error').hidden = general.length === 0;
  part('data-error').textContent = general.join(' · ');
  const label = part('data-total');
  label.textContent = `refused (${error.status ?? 'failed'})`;
  label.dataset.total = '';
  label.dataset.totalType = '';
}

function clearProblem() {
  state.problem = null;
  part('data-error').hidden = true;
  part('data-error').textContent = '';
  for (const line of part('data-filter-list').querySelectorAll('[data-testid=data-filter-error]')) {
    line.hidden = true;
    line.textContent = '';
    line.closest('[data-testid=data-filter]').classList.remove('bad');
  }
}

// ---- downloads ----

/**
 * Fetches {path}/stream with the format's Accept, the current filters and sort, and saves the body through an object
 * URL: a link cannot set Accept. The whole body is held in memory first, so this suits what a browser holds (curl
 * the same URL for a larger table).
 */
async function download(name) {
  const { accept, extension } = FORMATS[name];
  const dataset = state.dataset;
  const url = `${dataset.path}/stream${query({ ...state.filters, sort: state.sort })}`;
  state.download?.controller?.abort();
  const controller = new AbortController();
  const info = { format: name, url, accept, state: 'fetching', type: '', bytes: 0, controller };
  state.download = info;
  showDownload(info);
  try {
    const { blob, type } = await getBlob(url, accept, { signal: controller.signal });
    if (state.download !== info) {
      return;
    }
    Object.assign(info, { state: 'saved', type, bytes: blob.size, file: `${dataset.name}.${extension}` });
    const href = URL.createObjectURL(blob);
    const link = el('a', { href, download: info.file, hidden: '' });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  } catch (error) {
    if (state.download !== info || error.name === 'AbortError') {
      return;
    }
    Object.assign(info, { state: 'failed', error: error.message });
    if (error.problem) {
      showProblem(error);
    }
  }
  showDownload(info);
}

function showDownload(info) {
  const badge = part('data-download-state');
  badge.dataset.state = info.state;
  badge.dataset.format = info.format;
  badge.dataset.url = info.url;
  badge.dataset.accept = info.accept;
  badge.dataset.contentType = info.type;
  badge.dataset.bytes = info.bytes;
  badge.textContent = info.state === 'fetching' ? `fetching ${info.format.toUpperCase()}…`
    : info.state === 'saved' ? `${info.file} saved (${format.bytes(info.bytes)}, ${info.type})`
      : `download failed: ${info.error}`;
}
