// A virtually scrolled list over a range endpoint (virtual_scroll: start_index, end_index, range.total): rows of a
// fixed height, only those in view (and a few around them) in the DOM, windows fetched as they come into view. The
// users' list and every keyed declared dataset are one of these; what a row looks like and where a window comes from
// are theirs (docs/CONSOLE.md, "How the explorer scrolls").

import { format } from './api.js';

const ROW_HEIGHT = 36;        // px, fixed: an index is a position
const BLOCK = 100;            // rows fetched per request (the server allows 1000)
const OVERSCAN = 8;           // rows rendered above and below the visible ones
const MAX_BLOCKS = 60;        // blocks kept in memory, least recently used dropped first
const MAX_HEIGHT = 10_000_000; // px; browsers cap element heights, past this the scroll position is scaled

export class VirtualList {
  /**
   * @param viewport the scrolled element; `spacer` inside it is as high as the rows; `rows` inside that holds them
   * @param fetchWindow (start, end, signal) => the range reply for rows [start, end)
   * @param row (index, data or undefined while loading) => the row's element
   * @param empty () => what a listing without rows shows
   * @param failure (error) => what the listing shows once a window was refused (a 4xx: the request itself is wrong)
   * @param onTotal (list) => called whenever the total (or its type) may have changed
   * @param onFailure (error) => called once when a window is refused with a 4xx
   */
  constructor({ viewport, spacer, rows, fetchWindow, row, empty, failure, onTotal = () => {}, onFailure = () => {} }) {
    Object.assign(this, { viewport, spacer, rows, fetchWindow, row, empty, failure, onTotal, onFailure });
    this.generation = 0;          // bumped on reset: replies of an older generation are dropped
    this.total = null;
    this.totalType = null;
    this.blocks = new Map();      // block number → rows (insertion order = recency)
    this.inFlight = new Map();    // block number → AbortController
    this.loading = new Map();     // block number → the promise of its reply
    this.seen = 0;                // the furthest row end read since the reset: a total is never below it
    this.version = 0;             // bumped when a block arrives: the rows are rebuilt only when something changed
    this.drawn = '';
    this.anchor = null;           // {index, scrollTop}: a jump's exact row, kept until the user scrolls elsewhere
    this.frame = 0;
    this.failed = null;           // a window refused with a 4xx: nothing more is asked until the next reset
    this.schedule = this.schedule.bind(this);
    viewport.addEventListener('scroll', this.schedule, { passive: true });
    window.addEventListener('resize', this.schedule);
  }

  /** Forgets every row and the total (the filters or the source changed), and reads again from row 0. */
  reset() {
    this.generation++;
    this.inFlight.forEach(controller => controller.abort());
    this.inFlight.clear();
    this.blocks.clear();
    this.loading.clear();
    this.total = null;
    this.totalType = null;
    this.seen = 0;
    this.anchor = null;
    this.failed = null;
    this.viewport.scrollTop = 0;
    this.onTotal(this);
    this.load(0).then(this.schedule, () => {});
  }

  /** Stops every request and draws nothing more until the next reset. */
  stop() {
    this.generation++;
    this.inFlight.forEach(controller => controller.abort());
    this.inFlight.clear();
    this.loading.clear();
  }

  schedule() {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    }
  }

  /** The scroll geometry: the spacer's height and how many index pixels one scroll pixel is. */
  geometry() {
    const full = (this.total ?? 0) * ROW_HEIGHT;
    const height = Math.min(full, MAX_HEIGHT);
    const visible = this.viewport.clientHeight;
    const scale = full > height && height > visible ? (full - visible) / (height - visible) : 1;
    return { height, scale };
  }

  /** The index position (px from row 0) at the viewport's top. */
  virtualTop(scale) {
    const anchor = this.anchor;
    if (anchor && Math.abs(this.viewport.scrollTop - anchor.scrollTop) < 1) {
      return anchor.index * ROW_HEIGHT;
    }
    this.anchor = null;
    return this.viewport.scrollTop * scale;
  }

  render() {
    const viewport = this.viewport;
    if (viewport.offsetParent === null) {
      return;
    }
    const { height, scale } = this.geometry();
    this.spacer.style.height = `${height}px`;
    const total = this.total ?? 0;
    const top = this.virtualTop(scale);
    const firstVisible = Math.floor(top / ROW_HEIGHT + 1e-6);
    const first = Math.max(0, firstVisible - OVERSCAN);
    const last = Math.min(total, firstVisible + Math.ceil(viewport.clientHeight / ROW_HEIGHT) + 1 + OVERSCAN);
    // rows are placed so that row `firstVisible` sits where the index position says, whatever the scale
    const offset = viewport.scrollTop - (top - first * ROW_HEIGHT);
    const rows = this.rows;
    // negative near the top of a scaled list: the overscan rows above the first visible one are out of view
    rows.style.transform = `translateY(${offset}px)`;
    rows.dataset.first = first;
    // rebuilt only when the rows or their data changed, so a click is not lost to a row replaced under it
    const drawn = `${this.generation}:${first}:${last}:${this.version}:${this.total}:${this.failed ? 'failed' : ''}`;
    if (drawn !== this.drawn) {
      this.drawn = drawn;
      rows.replaceChildren(...range(first, last).map(index => this.row(index, this.rowAt(index))));
      if (this.failed) {
        rows.append(this.failure(this.failed));
      } else if (this.total === 0) {
        rows.append(this.empty());
      }
    }
    this.fetchAround(first, last);
  }

  rowAt(index) {
    const block = this.blocks.get(Math.floor(index / BLOCK));
    return block?.[index % BLOCK];
  }

  fetchAround(first, last) {
    if (this.failed || (last <= first && this.total !== null)) {
      return;
    }
    const wanted = new Set(range(Math.floor(first / BLOCK), Math.floor(Math.max(first, last - 1) / BLOCK) + 1));
    // a window scrolled past is not worth its reply any more
    for (const [block, controller] of this.inFlight) {
      if (!wanted.has(block)) {
        controller.abort();
        this.inFlight.delete(block);
        this.loading.delete(block);
      }
    }
    for (const block of wanted) {
      if (!this.blocks.has(block) && !this.inFlight.has(block)) {
        // a failed window (a 503 while a breaker is open) is asked again a second later, if still in view; a
        // refused one (4xx) is not: the same request would be refused again
        this.load(block).then(this.schedule, error => {
          if (error.name !== 'AbortError' && !refused(error)) {
            setTimeout(this.schedule, 1000);
          }
        });
      } else if (this.blocks.has(block)) {
        this.touch(block);
      }
    }
  }

  touch(block) {
    const rows = this.blocks.get(block);
    this.blocks.delete(block);
    this.blocks.set(block, rows);
  }

  /** Fetches a block's window, once: a block already on its way is that request's promise. */
  load(block) {
    if (!this.loading.has(block)) {
      const promise = this.fetchBlock(block);
      this.loading.set(block, promise);
      promise.catch(() => {}).finally(() => {
        if (this.loading.get(block) === promise) {
          this.loading.delete(block);
        }
      });
    }
    return this.loading.get(block);
  }

  async fetchBlock(block) {
    const generation = this.generation;
    const controller = new AbortController();
    this.inFlight.set(block, controller);
    try {
      // an empty window (at or past the end) comes with the exact total, so a jump past the end clamps to it
      const reply = await this.fetchWindow(block * BLOCK, (block + 1) * BLOCK, controller.signal);
      if (generation !== this.generation) {
        return;
      }
      this.blocks.set(block, reply.data);
      this.version++;
      while (this.blocks.size > MAX_BLOCKS) {
        this.blocks.delete(this.blocks.keys().next().value);
      }
      this.learnTotal(reply.range);
    } catch (error) {
      if (generation === this.generation && refused(error) && !this.failed) {
        this.failed = error;
        this.onFailure(error);
        this.schedule();
      }
      throw error;
    } finally {
      if (this.inFlight.get(block) === controller) {
        this.inFlight.delete(block);
      }
    }
  }

  /**
   * An exact total stays until the next reset; otherwise the latest reply's total, but never below a row already read
   * nor below a lower bound already learnt: then it is itself a lower bound (as the server says of an estimate below
   * what it read).
   */
  learnTotal(range) {
    if (!range || this.totalType === 'exact') {
      return;
    }
    const { total, total_count_type: type, start_index: start, end_index: end } = range;
    // a window that read no row says nothing about where the rows end (its end_index is its start)
    if (end > start) {
      this.seen = Math.max(this.seen, end);
    }
    if (type === 'exact') {
      this.total = total;
      this.totalType = type;
    } else {
      const floor = Math.max(this.seen, this.totalType === 'lower_bound' ? this.total : 0);
      this.total = Math.max(total, floor);
      this.totalType = total < floor ? 'lower_bound' : type;
    }
    this.onTotal(this);
  }

  /**
   * Scrolls so that `index` is the top row: its window is fetched first, so a deep jump also learns the total (an
   * empty window, past the end, the exact one). A row past the end becomes the last row. Resolves with the total the
   * jump went by, or null when the list was reset meanwhile (it then starts again from its top).
   */
  async jump(index) {
    const generation = this.generation;
    const block = Math.floor(index / BLOCK);
    if (!this.blocks.has(block)) {
      await this.load(block).catch(() => {}); // the request already on its way, if there is one
    }
    if (generation !== this.generation) {
      return null;
    }
    const total = this.total ?? 0;
    const target = Math.max(0, Math.min(index, total - 1));
    const { height, scale } = this.geometry();
    this.spacer.style.height = `${height}px`;
    const end = Math.max(0, height - this.viewport.clientHeight);
    this.viewport.scrollTop = Math.min(target * ROW_HEIGHT / scale, end);
    // a row of the last screenful cannot be the top row: the list is scrolled to its end instead (the row in view),
    // rather than held with blank space under its last row
    this.anchor = this.viewport.scrollTop < end ? { index: target, scrollTop: this.viewport.scrollTop } : null;
    this.render();
    return { index, total, totalType: this.totalType };
  }
}

/** A request the server refused as such (a 4xx but 408 and 429): asking again would be refused again. */
function refused(error) {
  const status = error.status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export function range(from, to) {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** Writes a virtual list's total into its label: exact, estimated or a lower bound, and data-total(-type). */
export function totalLabel(label, list, noun, route) {
  label.dataset.total = list.total ?? '';
  label.dataset.totalType = list.totalType ?? '';
  const n = format.number(list.total);
  label.textContent = list.total === null ? 'counting…'
    : list.totalType === 'exact' ? `${n} ${noun}`
      : list.totalType === 'lower_bound' ? `at least ${n} ${noun} (lower bound)`
        : `≈ ${n} ${noun} (estimated)`;
  label.title = `range.total and range.total_count_type of the latest ${route} reply`;
}

/** Says when a jump asked for a row past the end of an exact total (the jump went to the last row). */
export function showJumpNote(note, { index, total, totalType }, noun) {
  const past = totalType === 'exact' && index >= total;
  note.hidden = !past;
  note.textContent = !past ? ''
    : total === 0 ? `Row ${format.number(index)} is past the end: no ${noun} match these filters.`
      : `Row ${format.number(index)} is past the end: the last of ${format.number(total)} ${noun} is row `
        + `${format.number(total - 1)}.`;
}
