// Explorer: every user in one virtually scrolled table over GET /api/v1/users/range, the videos as cursor pages over
// GET /api/v1/videos, and a side panel with the one item a click picks.

import { getJson, query, showRequests, el, format } from './api.js';

const ROW_HEIGHT = 36;        // px, fixed: an index is a position
const BLOCK = 100;            // rows fetched per request (the server allows 1000)
const OVERSCAN = 8;           // rows rendered above and below the visible ones
const MAX_BLOCKS = 60;        // blocks kept in memory, least recently used dropped first
const MAX_HEIGHT = 10_000_000; // px; browsers cap element heights, past this the scroll position is scaled
const VIDEO_PAGE = 25;

let root;
const users = {
  filters: { role: '', is_active: 'true' },
  generation: 0,          // bumped when the filters change: replies of an older generation are dropped
  total: null,
  totalType: null,
  blocks: new Map(),      // block number → rows (insertion order = recency)
  inFlight: new Map(),    // block number → AbortController
  loading: new Map(),     // block number → the promise of its reply
  seen: 0,                // the furthest row end read since the filters changed: a total is never below it
  version: 0,             // bumped when a block arrives: the rows are rebuilt only when something changed
  drawn: '',
  anchor: null,           // {index, scrollTop}: a jump's exact row, kept until the user scrolls elsewhere
  frame: 0,
};
const videos = { status: '', sort: '-created_at', page: 1, started: false, request: 0 };
let itemRequest = 0;
let shownItem = null;     // the item the side panel shows, once loaded

export function start(page) {
  root = page;
  showRequests(part('request-log'));
  part('user-viewport').addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', schedule);
  part('filter-role').addEventListener('change', event => refilter({ role: event.target.value }));
  part('filter-active').addEventListener('change', event => refilter({ is_active: event.target.value }));
  part('jump-form').addEventListener('submit', event => {
    event.preventDefault();
    const index = Number.parseInt(part('jump-input').value, 10);
    if (Number.isFinite(index) && index >= 0) {
      jump(index);
    }
  });
  part('user-rows').addEventListener('click', event => {
    const row = event.target.closest('[data-id]');
    if (row) {
      openItem('users', row.dataset.id);
    }
  });
  part('video-rows').addEventListener('click', event => {
    const row = event.target.closest('[data-id]');
    if (row) {
      openItem('videos', row.dataset.id);
    }
  });
  part('item-close').addEventListener('click', closeItem);
  root.querySelectorAll('[data-view]').forEach(button => button.addEventListener('click', () => view(button.dataset.view)));
  part('video-status').addEventListener('change', event => {
    videos.status = event.target.value;
    keepItemIfListed('videos', { status: videos.status });
    firstVideoPage();
  });
  part('video-sort').addEventListener('change', event => { videos.sort = event.target.value; firstVideoPage(); });
  part('video-next').addEventListener('click', () => videoPage(videos.next, +1));
  part('video-prev').addEventListener('click', () => videoPage(videos.prev, -1));
  window.sluice.explorer = users;
  refilter({});
}

export function show() {
  schedule();
}

function part(testid) {
  return root.querySelector(`[data-testid="${testid}"]`);
}

function view(name) {
  root.querySelectorAll('[data-view]').forEach(b => b.classList.toggle('on', b.dataset.view === name));
  root.querySelectorAll('.users-only').forEach(e => { e.hidden = name !== 'users'; });
  root.querySelectorAll('.videos-only').forEach(e => { e.hidden = name !== 'videos'; });
  root.dataset.view = name;
  if (name === 'videos' && !videos.started) {
    videos.started = true;
    firstVideoPage();
  }
  schedule();
}

// ---- users: virtual scroll ----

function refilter(change) {
  Object.assign(users.filters, change);
  users.generation++;
  users.inFlight.forEach(controller => controller.abort());
  users.inFlight.clear();
  users.blocks.clear();
  users.loading.clear();
  users.total = null;
  users.totalType = null;
  users.seen = 0;
  users.anchor = null;
  part('user-viewport').scrollTop = 0;
  part('jump-note').hidden = true;
  keepItemIfListed('users', users.filters);
  showTotal();
  load(0).then(schedule, () => {});
}

function schedule() {
  if (!users.frame) {
    users.frame = requestAnimationFrame(() => {
      users.frame = 0;
      render();
    });
  }
}

/** The scroll geometry: the spacer's height and how many index pixels one scroll pixel is. */
function geometry(viewport) {
  const full = (users.total ?? 0) * ROW_HEIGHT;
  const height = Math.min(full, MAX_HEIGHT);
  const visible = viewport.clientHeight;
  const scale = full > height && height > visible ? (full - visible) / (height - visible) : 1;
  return { height, scale };
}

/** The index position (px from row 0) at the viewport's top. */
function virtualTop(viewport, scale) {
  const anchor = users.anchor;
  if (anchor && Math.abs(viewport.scrollTop - anchor.scrollTop) < 1) {
    return anchor.index * ROW_HEIGHT;
  }
  users.anchor = null;
  return viewport.scrollTop * scale;
}

function render() {
  const viewport = part('user-viewport');
  if (viewport.offsetParent === null) {
    return;
  }
  const { height, scale } = geometry(viewport);
  const spacer = part('user-spacer');
  spacer.style.height = `${height}px`;
  const total = users.total ?? 0;
  const top = virtualTop(viewport, scale);
  const firstVisible = Math.floor(top / ROW_HEIGHT + 1e-6);
  const first = Math.max(0, firstVisible - OVERSCAN);
  const last = Math.min(total, firstVisible + Math.ceil(viewport.clientHeight / ROW_HEIGHT) + 1 + OVERSCAN);
  // rows are placed so that row `firstVisible` sits where the index position says, whatever the scale
  const offset = viewport.scrollTop - (top - first * ROW_HEIGHT);
  const rows = part('user-rows');
  // negative near the top of a scaled list: the overscan rows above the first visible one are out of view
  rows.style.transform = `translateY(${offset}px)`;
  rows.dataset.first = first;
  // rebuilt only when the rows or their data changed, so a click is not lost to a row replaced under it
  const drawn = `${users.generation}:${first}:${last}:${users.version}:${users.total}`;
  if (drawn !== users.drawn) {
    users.drawn = drawn;
    rows.replaceChildren(...range(first, last).map(userRow));
    if (users.total === 0) {
      rows.append(el('p', { class: 'empty', 'data-testid': 'user-empty' }, 'No users match these filters.'));
    }
  }
  fetchAround(first, last);
}

function range(from, to) {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function rowAt(index) {
  const block = users.blocks.get(Math.floor(index / BLOCK));
  return block?.[index % BLOCK];
}

function userRow(index) {
  const user = rowAt(index);
  if (!user) {
    return el('div', { class: 'row user-cols loading', 'data-testid': 'user-row', 'data-index': index },
      el('span', { class: 'idx' }, format.number(index)), el('span', { class: 'shimmer' }));
  }
  return el('div', {
    class: 'row user-cols', 'data-testid': 'user-row', 'data-index': index, 'data-id': user.id, 'data-role': user.role,
    'data-active': String(user.is_active), role: 'button', tabindex: '-1',
  },
  el('span', { class: 'idx' }, format.number(index)),
  el('span', { class: 'who' }, el('b', {}, user.display_name), el('small', {}, `@${user.username}`)),
  el('span', { class: 'email' }, user.email),
  el('span', {}, el('span', { class: `pill role-${user.role}` }, user.role)),
  el('span', {}, user.is_active ? '✓' : '—'),
  el('span', { class: 'date' }, format.time(user.created_at)));
}

function fetchAround(first, last) {
  if (last <= first && users.total !== null) {
    return;
  }
  const wanted = new Set(range(Math.floor(first / BLOCK), Math.floor(Math.max(first, last - 1) / BLOCK) + 1));
  // a window scrolled past is not worth its reply any more
  for (const [block, controller] of users.inFlight) {
    if (!wanted.has(block)) {
      controller.abort();
      users.inFlight.delete(block);
      users.loading.delete(block);
    }
  }
  for (const block of wanted) {
    if (!users.blocks.has(block) && !users.inFlight.has(block)) {
      // a failed window (a 503 while a breaker is open) is asked again a second later, if still in view
      load(block).then(schedule, error => {
        if (error.name !== 'AbortError') {
          setTimeout(schedule, 1000);
        }
      });
    } else if (users.blocks.has(block)) {
      touch(block);
    }
  }
}

function touch(block) {
  const rows = users.blocks.get(block);
  users.blocks.delete(block);
  users.blocks.set(block, rows);
}

/** Fetches a block's window, once: a block already on its way is that request's promise. */
function load(block) {
  if (!users.loading.has(block)) {
    const promise = fetchBlock(block);
    users.loading.set(block, promise);
    promise.catch(() => {}).finally(() => {
      if (users.loading.get(block) === promise) {
        users.loading.delete(block);
      }
    });
  }
  return users.loading.get(block);
}

async function fetchBlock(block) {
  const generation = users.generation;
  const controller = new AbortController();
  users.inFlight.set(block, controller);
  try {
    // an empty window (at or past the end) comes with the exact total, so a jump past the end clamps to it
    const url = `/api/v1/users/range${query({
      ...users.filters, start_index: block * BLOCK, end_index: (block + 1) * BLOCK, count: 'estimated',
    })}`;
    const reply = await getJson(url, { signal: controller.signal });
    if (generation !== users.generation) {
      return;
    }
    users.blocks.set(block, reply.data);
    users.version++;
    while (users.blocks.size > MAX_BLOCKS) {
      users.blocks.delete(users.blocks.keys().next().value);
    }
    learnTotal(reply.range);
  } finally {
    if (users.inFlight.get(block) === controller) {
      users.inFlight.delete(block);
    }
  }
}

/**
 * An exact total stays until the filters change; otherwise the latest reply's total, but never below a row already
 * read nor below a lower bound already learnt: then it is itself a lower bound (as the server says of an estimate
 * below what it read).
 */
function learnTotal(range) {
  if (!range || users.totalType === 'exact') {
    return;
  }
  const { total, total_count_type: type, start_index: start, end_index: end } = range;
  // a window that read no row says nothing about where the rows end (its end_index is its start)
  if (end > start) {
    users.seen = Math.max(users.seen, end);
  }
  if (type === 'exact') {
    users.total = total;
    users.totalType = type;
  } else {
    const floor = Math.max(users.seen, users.totalType === 'lower_bound' ? users.total : 0);
    users.total = Math.max(total, floor);
    users.totalType = total < floor ? 'lower_bound' : type;
  }
  showTotal();
}

function showTotal() {
  const label = part('user-total');
  label.dataset.total = users.total ?? '';
  label.dataset.totalType = users.totalType ?? '';
  const n = format.number(users.total);
  label.textContent = users.total === null ? 'counting…'
    : users.totalType === 'exact' ? `${n} users`
      : users.totalType === 'lower_bound' ? `at least ${n} users (lower bound)`
        : `≈ ${n} users (estimated)`;
  label.title = 'range.total and range.total_count_type of the latest /users/range reply';
}

/**
 * Scrolls so that `index` is the top row: its window is fetched first, so a deep jump also learns the total (an
 * empty window, past the end, the exact one). A row past the end becomes the last row, and the note says so.
 */
async function jump(index) {
  const generation = users.generation;
  const block = Math.floor(index / BLOCK);
  if (!users.blocks.has(block)) {
    await load(block).catch(() => {}); // the request already on its way, if there is one
  }
  if (generation !== users.generation) {
    return; // the filters changed meanwhile: the listing starts again from its top
  }
  const total = users.total ?? 0;
  const target = Math.max(0, Math.min(index, total - 1));
  showJumpNote(index, total);
  const viewport = part('user-viewport');
  const { height, scale } = geometry(viewport);
  part('user-spacer').style.height = `${height}px`;
  const end = Math.max(0, height - viewport.clientHeight);
  viewport.scrollTop = Math.min(target * ROW_HEIGHT / scale, end);
  // a row of the last screenful cannot be the top row: the list is scrolled to its end instead (the row in view),
  // rather than held with blank space under its last row
  users.anchor = viewport.scrollTop < end ? { index: target, scrollTop: viewport.scrollTop } : null;
  render();
}

/** Says when a jump asked for a row past the end of an exact total (the jump went to the last row). */
function showJumpNote(index, total) {
  const note = part('jump-note');
  const past = users.totalType === 'exact' && index >= total;
  note.hidden = !past;
  note.textContent = !past ? ''
    : total === 0 ? `Row ${format.number(index)} is past the end: no users match these filters.`
      : `Row ${format.number(index)} is past the end: the last of ${format.number(total)} users is row `
        + `${format.number(total - 1)}.`;
}

// ---- videos: cursor pages ----

function firstVideoPage() {
  videos.page = 1;
  videoPage(null, 0);
}

async function videoPage(cursor, step) {
  const url = `/api/v1/videos${query({ limit: VIDEO_PAGE, sort: videos.sort, status: videos.status, cursor })}`;
  const list = part('video-rows');
  const request = ++videos.request;
  list.classList.add('busy');
  try {
    const reply = await getJson(url);
    if (request !== videos.request) {
      return; // a later click or filter asked for another page
    }
    videos.page = Math.max(1, videos.page + step);
    videos.next = reply.next_cursor;
    videos.prev = reply.prev_cursor;
    list.replaceChildren(...reply.data.map(video => el('div', {
      class: 'row video-cols', 'data-testid': 'video-row', 'data-id': video.id, role: 'button',
    },
    el('span', { class: 'who' }, el('b', {}, video.title), el('small', {}, video.description)),
    el('span', {}, video.category),
    el('span', {}, el('span', { class: `pill status-${video.status}` }, video.status)),
    el('span', { class: 'num' }, format.number(video.view_count)),
    el('span', { class: 'date' }, format.time(video.created_at)))));
    if (reply.data.length === 0) {
      list.append(el('p', { class: 'empty' }, 'No videos.'));
    }
    part('video-page').textContent = `page ${videos.page}`;
    part('video-next').disabled = !videos.next;
    part('video-prev').disabled = !videos.prev || videos.page <= 1;
  } catch (error) {
    if (request === videos.request) {
      list.replaceChildren(el('p', { class: 'error' }, error.message));
    }
  } finally {
    if (request === videos.request) {
      list.classList.remove('busy');
    }
  }
}

// ---- the side panel ----

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

async function openItem(family, id) {
  const panel = part('item-panel');
  panel.hidden = false;
  panel.dataset.id = '';
  panel.dataset.family = family;
  shownItem = null;
  part('item-title').textContent = 'Loading…';
  part('item-fields').replaceChildren();
  const request = ++itemRequest;
  try {
    const reply = await getJson(`/api/v1/${family}/${encodeURIComponent(id)}`);
    if (request !== itemRequest) {
      return; // another row was clicked meanwhile, or the panel was closed
    }
    const item = reply.data[0];
    shownItem = item;
    panel.dataset.id = item.id;
    part('item-title').textContent = item.display_name ?? item.title ?? item.id;
    part('item-fields').replaceChildren(...Object.entries(item).flatMap(([key, value]) => [
      el('dt', {}, key),
      // a timestamp broken in its offset (…+00: / 00) reads as two values: it is kept on one line
      el('dd', { 'data-field': key, class: typeof value === 'string' && TIMESTAMP.test(value) ? 'stamp' : null },
        value === null ? '—' : String(value)),
    ]));
  } catch (error) {
    if (request === itemRequest) {
      part('item-title').textContent = error.message;
    }
  }
}

function closeItem() {
  itemRequest++; // a reply still on its way is not shown any more
  shownItem = null;
  part('item-panel').hidden = true;
}

/**
 * After a filter change of a listing, the panel keeps its item only if the new listing holds it (each filter is a
 * column that must equal its value, an empty value matching all); an item still loading cannot be checked.
 */
function keepItemIfListed(family, filters) {
  const panel = part('item-panel');
  if (panel.hidden || panel.dataset.family !== family) {
    return;
  }
  const listed = shownItem !== null && Object.entries(filters)
    .every(([column, value]) => value === '' || String(shownItem[column]) === value);
  if (!listed) {
    closeItem();
  }
}
