// The search page's controller: reads the form, keeps its state in the URL (so a link shares the
// query and the range), runs the log query and the histogram's metric query, and starts/stops
// the live tail. Rendering lives in results.js and histogram.js, the API in api.js.

import {ApiError, labelNames, queryRange, setTenant, tenant} from './api.js';
import {Completer} from './complete.js';
import {buckets, drawHistogram} from './histogram.js';
import {prependEntries, showEntries, showSeries} from './results.js';
import {startTail} from './tail.js';
import {QUICK, fromLocalInput, histogramStep, msToNs, resolve, stepText, toLocalInput} from './time.js';

const $ = (id) => document.getElementById(id);
const form = $('search');
const query = $('query');
const range = $('range');
const from = $('from');
const to = $('to');
const limit = $('limit');
const direction = $('direction');
const tail = $('tail');
const tenantInput = $('tenant');
const errorBox = $('error');
const status = $('status');
const histogram = $('histogram');
const chart = $('histogram-chart');
const results = $('results');

let running = null; // the AbortController of the query in flight
let stopTail = null;
let indexNames = new Set();

/** The form as a state: {query, range, from, to, limit, direction} (from/to in ms when range is abs). */
function state() {
  return {
    query: query.value.trim() ? query.value : '',
    range: range.value,
    from: fromLocalInput(from.value),
    to: fromLocalInput(to.value),
    limit: Math.max(1, Math.min(5000, Number(limit.value) || 100)),
    direction: direction.value,
  };
}

function currentRange() {
  const s = state();
  if (s.range === 'abs' && (s.from === null || s.to === null)) {
    throw new Error('set both From and To for an absolute time range');
  }
  if (s.range === 'abs' && s.from >= s.to) {
    throw new Error('From must be before To');
  }
  return resolve(s);
}

function showAbs(on) {
  document.querySelectorAll('.field.abs').forEach((e) => { e.hidden = !on; });
}

function setAbsolute(fromMs, toMs) {
  range.value = 'abs';
  from.value = toLocalInput(fromMs);
  to.value = toLocalInput(toMs);
  showAbs(true);
}

function writeUrl(s) {
  const p = new URLSearchParams({query: s.query});
  if (s.range === 'abs') {
    p.set('from', new Date(s.from).toISOString());
    p.set('to', new Date(s.to).toISOString());
  } else {
    p.set('range', s.range);
  }
  p.set('limit', String(s.limit));
  p.set('direction', s.direction);
  history.replaceState(null, '', `${location.pathname}?${p}`);
}

function readUrl() {
  const p = new URLSearchParams(location.search);
  query.value = p.get('query') || '';
  const f = Date.parse(p.get('from') || '');
  const t = Date.parse(p.get('to') || '');
  if (!Number.isNaN(f) && !Number.isNaN(t)) {
    setAbsolute(f, t);
  } else if (QUICK.includes(p.get('range'))) {
    range.value = p.get('range');
  }
  if (p.get('limit')) limit.value = p.get('limit');
  if (['forward', 'backward'].includes(p.get('direction'))) direction.value = p.get('direction');
}

function showError(text) {
  errorBox.textContent = text;
  errorBox.hidden = !text;
}

async function run() {
  const s = state();
  showError('');
  if (!s.query) {
    showError('Enter a LogQL query, for example {app="shop"}');
    return;
  }
  let startMs;
  let endMs;
  try {
    [startMs, endMs] = currentRange();
  } catch (e) {
    showError(e.message);
    return;
  }
  writeUrl(s);
  if (running) running.abort();
  const controller = new AbortController();
  running = controller;
  const started = performance.now();
  status.textContent = 'Running…';
  results.parentElement.setAttribute('aria-busy', 'true');

  const stepS = histogramStep(endMs - startMs);
  const stepMs = stepS * 1000;
  const bars = Math.ceil((endMs - startMs) / stepMs);
  const histStart = endMs - (bars - 1) * stepMs;
  const [logs, hist, names] = await Promise.allSettled([
    queryRange({query: s.query, start: msToNs(startMs), end: msToNs(endMs), limit: String(s.limit),
      direction: s.direction}, controller.signal),
    queryRange({query: `sum(count_over_time(${s.query}\n[${stepText(stepS)}]))`, start: msToNs(histStart),
      end: msToNs(endMs), step: String(stepS)}, controller.signal),
    labelNames(msToNs(startMs), msToNs(endMs)),
  ]);
  if (controller !== running) {
    return; // a newer run replaced this one
  }
  running = null;
  results.parentElement.setAttribute('aria-busy', 'false');
  if (logs.status === 'rejected') {
    const e = logs.reason;
    showError(e instanceof ApiError ? e.message : String(e));
    status.textContent = e instanceof ApiError && e.status ? `The server answered ${e.status}.` : '';
    results.replaceChildren();
    histogram.hidden = true;
    return;
  }
  indexNames = names.status === 'fulfilled' ? new Set(names.value) : new Set();
  const data = logs.value;
  const took = Math.round(performance.now() - started);
  if (data.resultType !== 'streams') {
    histogram.hidden = true;
    const n = showSeries(results, data);
    status.textContent = `${n} series · ${took} ms`;
    return;
  }
  const shown = showEntries(results, data.result, s.direction, indexNames);
  let matching = '';
  if (hist.status === 'fulfilled' && hist.value.resultType === 'matrix') {
    histogram.hidden = false;
    const total = drawHistogram(chart, buckets(hist.value.result, histStart, endMs, stepMs), stepMs, (f, t) => {
      setAbsolute(f, t);
      run();
    });
    matching = ` of ${total} matching`;
  } else {
    histogram.hidden = false;
    const why = hist.status === 'rejected' ? hist.reason.message : `a ${hist.value.resultType} answer`;
    chart.replaceChildren(Object.assign(document.createElement('p'), {textContent: `No histogram: ${why}`}));
  }
  status.textContent = `${shown} lines shown${matching} (limit ${s.limit}) · ${took} ms`;
  if (stopTail) {
    restartTail();
  }
}

function restartTail() {
  if (stopTail) {
    stopTail();
    stopTail = null;
    if (!tail.checked) {
      status.textContent = 'Live tail stopped.';
    }
  }
  if (!tail.checked) {
    return;
  }
  const s = state();
  if (!s.query) {
    showError('Enter a LogQL query to tail');
    tail.checked = false;
    return;
  }
  showError('');
  stopTail = startTail(s.query, s.limit, {
    onLines: (streams) => prependEntries(results, streams, indexNames),
    onState: (text) => { status.textContent = `Live tail: ${text}`; },
    onError: (text) => {
      showError(text);
      status.textContent = 'Live tail stopped.';
      tail.checked = false;
      stopTail = null;
    },
  });
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  run();
});
range.addEventListener('change', () => {
  if (range.value === 'abs') {
    const [f, t] = resolve({range: '1h'});
    if (!from.value) from.value = toLocalInput(f);
    if (!to.value) to.value = toLocalInput(t);
  }
  showAbs(range.value === 'abs');
  if (query.value.trim()) run();
});
for (const input of [direction, limit]) {
  input.addEventListener('change', () => { if (query.value.trim()) run(); });
}
tail.addEventListener('change', () => {
  if (tail.checked) {
    histogram.hidden = true;
  }
  restartTail();
});
tenantInput.value = tenant();
tenantInput.addEventListener('change', () => {
  setTenant(tenantInput.value);
  if (stopTail) restartTail();
  if (query.value.trim()) run();
});

new Completer(query, $('completions'), () => {
  try {
    const [f, t] = currentRange();
    return [msToNs(f), msToNs(t)];
  } catch (e) {
    const [f, t] = resolve({range: '1h'});
    return [msToNs(f), msToNs(t)];
  }
});

readUrl();
showAbs(range.value === 'abs');
if (query.value.trim()) {
  run();
}
