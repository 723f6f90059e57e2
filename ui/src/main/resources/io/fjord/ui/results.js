// The result list: log lines (time, compact stream labels, the line), each expandable to show
// all its labels, structured metadata and the fields parsed from the line; or, for a metric
// query, its series. Everything is written with textContent: log lines are untrusted text.

import {parseFields} from './fields.js';
import {formatTime, nsToMs} from './time.js';

const MAX_SHOWN = 2000;
let nextId = 0;

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    e.append(c);
  }
  return e;
}

/**
 * Entries of Loki's "streams" result, newest first (backward) or oldest first (forward). A value
 * may carry a third element (Loki's categorized labels: structuredMetadata and parsed).
 */
export function entries(streams, direction) {
  const out = [];
  for (const s of streams) {
    for (const v of s.values) {
      out.push({ts: v[0], line: v[1], labels: s.stream || {}, meta: v[2] || null});
    }
  }
  out.sort((a, b) => {
    const d = BigInt(a.ts) - BigInt(b.ts);
    const c = d < 0n ? -1 : d > 0n ? 1 : 0;
    return direction === 'forward' ? c : -c;
  });
  return out;
}

/**
 * Splits an entry's labels into the stream's own (names the index knows) and the rest (structured
 * metadata and labels the query's parsers extracted, which Loki's answer merges into the stream).
 */
function split(entry, indexNames) {
  const own = {};
  const other = {};
  for (const [k, v] of Object.entries(entry.labels)) {
    if (indexNames.size === 0 || indexNames.has(k)) own[k] = v;
    else other[k] = v;
  }
  if (entry.meta) {
    Object.assign(other, entry.meta.structuredMetadata || {}, entry.meta.parsed || {});
  }
  return {own, other};
}

export function labelText(labels) {
  return '{' + Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ') + '}';
}

function table(caption, rows) {
  const t = h('table', {}, h('caption', {}, caption));
  for (const [k, v] of rows) {
    t.append(h('tr', {}, h('th', {scope: 'row'}, k), h('td', {}, v)));
  }
  return t;
}

function details(entry, own, other) {
  const d = h('div', {class: 'details'});
  d.append(table('Stream labels', Object.entries(own)));
  if (Object.keys(other).length) {
    d.append(table('Structured metadata and extracted labels', Object.entries(other)));
  }
  const parsed = parseFields(entry.line);
  if (parsed.fields.length) {
    d.append(table(`Parsed fields (${parsed.parser})`, parsed.fields.map((f) => [f.name, f.value])));
  }
  d.append(h('p', {class: 'ts'}, `timestamp ${entry.ts} ns`));
  return d;
}

/** One list item for an entry; its details are built when first opened. */
export function entryItem(entry, indexNames) {
  const id = `entry-${nextId++}`;
  const {own, other} = split(entry, indexNames);
  const toggle = h('button', {type: 'button', class: 'expand', 'aria-expanded': 'false', 'aria-controls': id},
      h('time', {datetime: new Date(nsToMs(entry.ts)).toISOString()}, formatTime(nsToMs(entry.ts))));
  const box = h('div', {id, hidden: ''});
  const li = h('li', {class: 'entry'}, toggle, h('span', {class: 'labels'}, labelText(own)),
      h('span', {class: 'line'}, entry.line), box);
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    if (open && !box.firstChild) {
      box.append(details(entry, own, other));
    }
    toggle.setAttribute('aria-expanded', String(open));
    box.hidden = !open;
  });
  return li;
}

/** The entries on show (stream, time, line), so a tail that overlaps them adds none twice. */
const shown = new Set();
const key = (e) => `${e.ts}\u0000${labelText(e.labels)}\u0000${e.line}`;

export function showEntries(list, streams, direction, indexNames) {
  const es = entries(streams, direction).slice(0, MAX_SHOWN);
  shown.clear();
  es.forEach((e) => shown.add(key(e)));
  list.replaceChildren(...es.map((e) => entryItem(e, indexNames)));
  return es.length;
}

/** Puts tail entries not yet on show at the top, newest first, keeping at most MAX_SHOWN lines. */
export function prependEntries(list, streams, indexNames) {
  const fresh = entries(streams, 'backward').filter((e) => !shown.has(key(e)));
  fresh.forEach((e) => shown.add(key(e)));
  const items = fresh.map((e) => entryItem(e, indexNames));
  list.prepend(...items);
  while (list.children.length > MAX_SHOWN) {
    list.lastElementChild.remove();
  }
  return items.length;
}

/** A metric query's answer: one item per series with its labels and its points. */
export function showSeries(list, data) {
  const series = data.resultType === 'vector'
      ? data.result.map((r) => ({metric: r.metric, values: [r.value]}))
      : data.result;
  list.replaceChildren(...series.map((s) => {
    const points = s.values.map(([t, v]) => `${formatTime(Number(t) * 1000)}  ${v}`).join('\n');
    return h('li', {class: 'series'}, h('span', {class: 'labels'}, labelText(s.metric)), h('pre', {}, points));
  }));
  return series.length;
}
