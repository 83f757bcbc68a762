// Explorer: every user in one virtually scrolled table over GET /api/v1/users/range, the videos as cursor pages over
// GET /api/v1/videos, any declared dataset (datasets.js), and a side panel with the one item a click picks.

import { getJson, query, showRequests, el, format } from './api.js';
import { VirtualList, totalLabel, showJumpNote } from './virtual.js';
import { toJson } from './json.js';
import * as datasets from './datasets.js';

const VIDEO_PAGE = 25;

let root;
let users;                // the users' VirtualList, with its `filters`
const videos = { status: '', sort: '-created_at', page: 1, started: false, request: 0 };
let datasetsStarted = false;
let itemRequest = 0;
let shownItem = null;     // the item the side panel shows, once loaded

export function start(page) {
  root = page;
  showRequests(part('request-log'));
  users = new VirtualList({
    viewport: part('user-viewport'),
    spacer: part('user-spacer'),
    rows: part('user-rows'),
    fetchWindow: (start, end, signal) => getJson(`/api/v1/users/range${query({
      ...users.filters, start_index: start, end_index: end, count: 'estimated',
    })}`, { signal }),
    row: userRow,
    empty: () => el('p', { class: 'empty', 'data-testid': 'user-empty' }, 'No users match these filters.'),
    failure: error => el('p', { class: 'error' }, error.message),
    onTotal: showTotal,
  });
  users.filters = { role: '', is_active: 'true' };
  part('filter-role').addEventListener('change', event => refilter({ role: event.target.value }));
  part('filter-active').addEventListener('change', event => refilter({ is_active: event.target.value }));
  part('jump-form').addEventListener('submit', event => {
    event.preventDefault();
    const index = Number.parseInt(part('jump-input').value, 10);
    if (Number.isFinite(index) && index >= 0) {
      users.jump(index).then(jumped => {
        if (jumped) {
          showJumpNote(part('jump-note'), jumped, 'users');
        }
      });
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
  // without the demo (demo.enabled false) its users and videos have no routes: the datasets alone
  getJson('/openapi.json', { quiet: true })
    .then(api => {
      if (api.paths && !api.paths['/api/v1/users/range']) {
        root.dataset.demo = 'off';
        root.querySelectorAll('[data-view="users"], [data-view="videos"]').forEach(b => { b.hidden = true; });
        view('data');
      } else {
        refilter({});
      }
    })
    .catch(() => refilter({}));
}

export function show() {
  users.schedule();
  datasets.schedule();
}

function part(testid) {
  return root.querySelector(`[data-testid="${testid}"]`);
}

function view(name) {
  root.querySelectorAll('[data-view]').forEach(b => b.classList.toggle('on', b.dataset.view === name));
  root.querySelectorAll('.users-only').forEach(e => { e.hidden = name !== 'users'; });
  root.querySelectorAll('.videos-only').forEach(e => { e.hidden = name !== 'videos'; });
  root.querySelectorAll('.data-only').forEach(e => { e.hidden = name !== 'data'; });
  root.dataset.view = name;
  if (name === 'videos' && !videos.started) {
    videos.started = true;
    firstVideoPage();
  }
  if (name === 'data' && !datasetsStarted) {
    datasetsStarted = true;
    datasets.start(root, { openItem: openPanel, closeItem: closeItemOf });
  }
  users.schedule();
  datasets.schedule();
}

// ---- users: virtual scroll (virtual.js) ----

function refilter(change) {
  Object.assign(users.filters, change);
  part('jump-note').hidden = true;
  keepItemIfListed('users', users.filters);
  users.reset();
}

function userRow(index, user) {
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

function showTotal() {
  totalLabel(part('user-total'), users, 'users', '/users/range');
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

function openItem(family, id) {
  return openPanel({
    family, id, url: `/api/v1/${family}/${encodeURIComponent(id)}`,
    title: item => item.display_name ?? item.title ?? item.id,
  });
}

/**
 * Opens one item in the side panel: `url` answers {data: [item]}. Its fields are listed, each name above its value;
 * with `json` (a declared dataset's row) the item is shown as its JSON instead, every digit as the server sent it.
 */
async function openPanel({ family, id, url, title, json = false }) {
  const panel = part('item-panel');
  panel.hidden = false;
  panel.dataset.id = '';
  panel.dataset.family = family;
  shownItem = null;
  part('item-title').textContent = 'Loading…';
  part('item-fields').replaceChildren();
  part('item-json').textContent = '';
  part('item-json').hidden = true;
  const request = ++itemRequest;
  try {
    const reply = await getJson(url, { exact: json });
    if (request !== itemRequest) {
      return; // another row was clicked meanwhile, or the panel was closed
    }
    const item = reply.data[0];
    shownItem = item;
    panel.dataset.id = id;
    part('item-title').textContent = title(item);
    if (json) {
      part('item-json').textContent = toJson(item, '  ');
      part('item-json').hidden = false;
      return;
    }
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

/** Closes the panel if it shows an item of a family that `test` accepts. */
function closeItemOf(test) {
  const panel = part('item-panel');
  if (!panel.hidden && test(panel.dataset.family)) {
    closeItem();
  }
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
