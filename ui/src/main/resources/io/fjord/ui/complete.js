// Label-name and label-value completion for the LogQL box, from the labels API scoped to the
// page's time range. Where the caret is decides what is offered: after "{" or "," a label name,
// after name= (or !=, =~, !~) and an optional opening quote that label's values.

import {labelNames, labelValues, tenant} from './api.js';

const MAX_OPTIONS = 50;
const CACHE_MS = 30_000;

/**
 * What to complete at the end of `before` (the text left of the caret): null, {kind: 'name',
 * prefix} or {kind: 'value', name, prefix, quoted}. Braces and quotes inside strings are skipped.
 */
export function completionContext(before) {
  let depth = 0;
  let quote = null; // the character that opened the current string
  let quoteAt = -1;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (quote) {
      if (c === '\\' && quote === '"') {
        i++;
      } else if (c === quote) {
        quote = null;
      }
    } else if (c === '"' || c === '`') {
      quote = c;
      quoteAt = i;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  if (depth === 0) {
    return null;
  }
  const op = /([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*$/;
  if (quote) {
    const m = op.exec(before.slice(0, quoteAt));
    return m ? {kind: 'value', name: m[1], prefix: before.slice(quoteAt + 1), quoted: true} : null;
  }
  const bare = op.exec(before);
  if (bare) {
    return {kind: 'value', name: bare[1], prefix: '', quoted: false};
  }
  const name = /[{,]\s*([A-Za-z_][A-Za-z0-9_]*)?$/.exec(before);
  return name ? {kind: 'name', prefix: name[1] || ''} : null;
}

/** A label value written inside LogQL double quotes. */
export function quoteValue(v) {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Prefix matches first, then other substring matches, case-insensitively. */
export function rank(options, prefix) {
  const p = prefix.toLowerCase();
  const starts = options.filter((o) => o.toLowerCase().startsWith(p));
  const contains = options.filter((o) => !o.toLowerCase().startsWith(p) && o.toLowerCase().includes(p));
  return starts.concat(contains).slice(0, MAX_OPTIONS);
}

/** Wires completion to an input and its listbox; range() gives [startNs, endNs] for the lookups. */
export class Completer {
  constructor(input, list, range) {
    this.input = input;
    this.list = list;
    this.range = range;
    this.cache = new Map();
    this.seq = 0;
    this.active = -1;
    this.options = [];
    this.context = null;
    input.addEventListener('input', () => this.update());
    input.addEventListener('focus', () => this.update());
    input.addEventListener('blur', () => this.close());
    input.addEventListener('keydown', (e) => this.onKey(e));
    list.addEventListener('mousedown', (e) => {
      const li = e.target.closest('li[role=option]');
      if (li) {
        e.preventDefault();
        this.accept(Number(li.dataset.index));
      }
    });
  }

  get open() {
    return !this.list.hidden;
  }

  async update() {
    const caret = this.input.selectionStart ?? this.input.value.length;
    const ctx = completionContext(this.input.value.slice(0, caret));
    const seq = ++this.seq;
    if (!ctx) {
      this.close();
      return;
    }
    let all;
    try {
      all = await this.lookup(ctx.kind === 'name' ? null : ctx.name);
    } catch (e) {
      all = []; // completion is a help: a failed lookup just offers nothing
    }
    if (seq !== this.seq || document.activeElement !== this.input) {
      return;
    }
    this.context = ctx;
    this.show(rank(all, ctx.prefix));
  }

  async lookup(name) {
    const [start, end] = this.range();
    const key = `${tenant()}|${name ?? ''}|${start.slice(0, -10)}|${end.slice(0, -10)}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) {
      return hit.values;
    }
    const values = name === null ? await labelNames(start, end) : await labelValues(name, start, end);
    this.cache.set(key, {at: Date.now(), values});
    return values;
  }

  show(options) {
    this.options = options;
    this.active = -1;
    this.list.replaceChildren(...options.map((o, i) => {
      const li = document.createElement('li');
      li.id = `completion-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.index = String(i);
      li.textContent = o;
      return li;
    }));
    this.list.hidden = options.length === 0;
    this.input.setAttribute('aria-expanded', String(options.length > 0));
    this.input.removeAttribute('aria-activedescendant');
  }

  close() {
    this.seq++;
    this.list.hidden = true;
    this.options = [];
    this.active = -1;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  move(delta) {
    const n = this.options.length;
    this.active = (this.active + delta + n) % n;
    [...this.list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === this.active)));
    const li = this.list.children[this.active];
    this.input.setAttribute('aria-activedescendant', li.id);
    li.scrollIntoView({block: 'nearest'});
  }

  onKey(e) {
    if (!this.open) {
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      this.move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Enter' && this.active >= 0) {
      e.preventDefault();
      this.accept(this.active);
    } else if (e.key === 'Tab' && !e.shiftKey) {
      e.preventDefault();
      this.accept(Math.max(0, this.active));
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.close();
    }
  }

  /** Replaces the typed prefix with the chosen option; a name continues into its values. */
  accept(i) {
    const choice = this.options[i];
    const ctx = this.context;
    if (choice === undefined || !ctx) {
      return;
    }
    const v = this.input.value;
    const caret = this.input.selectionStart ?? v.length;
    const start = caret - ctx.prefix.length;
    let insert;
    if (ctx.kind === 'name') {
      insert = `${choice}="`;
    } else {
      const closing = v.slice(caret).startsWith('"') ? '' : '"';
      insert = (ctx.quoted ? '' : '"') + quoteValue(choice) + closing;
    }
    this.input.value = v.slice(0, start) + insert + v.slice(caret);
    const at = start + insert.length;
    this.input.setSelectionRange(at, at);
    this.close();
    if (ctx.kind === 'name') {
      this.update();
    }
  }
}
