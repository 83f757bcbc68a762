// The console's router: one tab per page, chosen by the location's hash; each page is set up on its first visit.

import * as explorer from './explorer.js';
import * as streams from './streams.js';
import * as dashboard from './dashboard.js';
import * as apidoc from './apidoc.js';
import { fillOptions } from './options.js';

const PAGES = { explorer, streams, dashboard, api: apidoc };
const DEFAULT = 'explorer';
const started = new Set();

// a debug handle for developers and the browser tests (charts, explorer state)
window.sluice = { charts: {}, page: null };

// a page is found by data-page, never by an id: a hash that named an element would have the browser scroll it to the
// window's top, under the sticky header (the section, not the body, which says in data-page which page is shown)
function section(page) {
  return document.querySelector(`section.page[data-page="${page}"]`);
}

function route() {
  const name = location.hash.slice(1) in PAGES ? location.hash.slice(1) : DEFAULT;
  if (window.sluice.page && window.sluice.page !== name) {
    window.scrollTo(0, 0); // another page starts at its top, not where the last one was scrolled to
  }
  for (const [page, module] of Object.entries(PAGES)) {
    const visible = page === name;
    section(page).hidden = !visible;
    document.querySelector(`[data-tab="${page}"]`).classList.toggle('on', visible);
    if (visible && !started.has(page)) {
      started.add(page);
      module.start(section(page));
    }
    if (started.has(page)) {
      (visible ? module.show : module.hide)?.();
    }
  }
  window.sluice.page = name;
  document.body.dataset.page = name;
}

// the filters' options come from the API's own description before any page starts
fillOptions().finally(() => {
  window.addEventListener('hashchange', route);
  route();
});
