// The histogram of matching lines over time, drawn as inline SVG (no library). Each bar is one
// step of sum(count_over_time(query[step])): the value at time t counts the lines in (t - step, t].
// Dragging across bars (or clicking one), or choosing them with the arrow keys and Enter, hands
// the covered time range to onSelect.

import {formatTime} from './time.js';

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 120;
const LEFT = 44;
const BOTTOM = 18;
const TOP = 6;

function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) {
    e.setAttribute(k, String(v));
  }
  if (text !== undefined) {
    e.textContent = text;
  }
  return e;
}

/**
 * Buckets ending at start + step, start + 2*step, ... up to end (milliseconds), with the counts of
 * Loki's matrix answer ([[seconds, "count"], ...], summed over its series) and 0 where none.
 */
export function buckets(matrix, startMs, endMs, stepMs) {
  const out = [];
  for (let t = startMs; t <= endMs; t += stepMs) {
    out.push({end: t, count: 0});
  }
  for (const series of matrix) {
    for (const [sec, value] of series.values) {
      // Loki evaluates at start, start + step, ...; a server that aligns its steps otherwise still
      // lands each count on the bar whose span holds its time
      const i = Math.ceil((Math.round(Number(sec) * 1000) - startMs) / stepMs);
      if (i >= 0 && i < out.length) {
        out[i].count += Number(value);
      }
    }
  }
  return out;
}

/** Draws the bars into `container`; onSelect(fromMs, toMs) when the user picks a span. */
export function drawHistogram(container, bars, stepMs, onSelect) {
  const width = Math.max(320, container.clientWidth || 800);
  const plotW = width - LEFT - 4;
  const plotH = HEIGHT - TOP - BOTTOM;
  const max = Math.max(1, ...bars.map((b) => b.count));
  const total = bars.reduce((s, b) => s + b.count, 0);
  const bw = plotW / Math.max(1, bars.length);
  const svg = el('svg', {width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img',
    'aria-label': `${total} matching lines in ${bars.length} steps, at most ${max} per step.`
      + ' Arrows choose a step, Shift+arrows widen, Enter narrows the time range to it.'});
  svg.append(el('text', {x: LEFT - 6, y: TOP + 10, 'text-anchor': 'end', class: 'axis'}, String(max)));
  svg.append(el('text', {x: LEFT - 6, y: TOP + plotH, 'text-anchor': 'end', class: 'axis'}, '0'));
  svg.append(el('line', {x1: LEFT, y1: TOP + plotH + 0.5, x2: LEFT + plotW, y2: TOP + plotH + 0.5, class: 'baseline'}));
  bars.forEach((b, i) => {
    if (b.count > 0) {
      const h = Math.max(1, (b.count / max) * plotH);
      const r = el('rect', {x: LEFT + i * bw + 0.5, y: TOP + plotH - h, width: Math.max(1, bw - 1), height: h,
        class: 'bar', 'data-count': b.count, 'data-end': b.end});
      r.append(el('title', {}, `${b.count} lines, ${formatTime(b.end - stepMs)} – ${formatTime(b.end)}`));
      svg.append(r);
    }
  });
  const ticks = Math.min(bars.length, Math.max(2, Math.floor(plotW / 180)));
  for (let k = 0; k < ticks; k++) {
    const i = Math.round((k * (bars.length - 1)) / Math.max(1, ticks - 1));
    const x = LEFT + i * bw + bw / 2;
    const anchor = k === 0 ? 'start' : k === ticks - 1 ? 'end' : 'middle';
    svg.append(el('text', {x, y: HEIGHT - 4, 'text-anchor': anchor, class: 'axis'}, formatTime(bars[i].end).slice(5, 19)));
  }
  const sel = el('rect', {x: 0, y: TOP, width: 0, height: plotH, class: 'selection', visibility: 'hidden'});
  svg.append(sel);

  const indexAt = (clientX) => {
    const x = clientX - svg.getBoundingClientRect().left - LEFT;
    return Math.min(bars.length - 1, Math.max(0, Math.floor(x / bw)));
  };
  let from = null;
  const mark = (a, b) => {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    sel.setAttribute('x', LEFT + lo * bw);
    sel.setAttribute('width', (hi - lo + 1) * bw);
    sel.setAttribute('visibility', 'visible');
  };
  svg.addEventListener('pointerdown', (e) => {
    from = indexAt(e.clientX);
    svg.setPointerCapture(e.pointerId);
    mark(from, from);
  });
  svg.addEventListener('pointermove', (e) => {
    if (from !== null) {
      mark(from, indexAt(e.clientX));
    }
  });
  svg.addEventListener('pointerup', (e) => {
    if (from === null) {
      return;
    }
    const to = indexAt(e.clientX);
    const lo = Math.min(from, to);
    const hi = Math.max(from, to);
    from = null;
    onSelect(bars[lo].end - stepMs, bars[hi].end);
  });
  // the keyboard does what the pointer does: arrows move over the bars, Shift+arrows widen the
  // span, Enter narrows the range to it
  let anchor = null;
  let cursor = null;
  svg.setAttribute('tabindex', '0');
  svg.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      const step = e.key === 'ArrowRight' ? 1 : -1;
      cursor = cursor === null ? (step > 0 ? 0 : bars.length - 1) : Math.min(bars.length - 1, Math.max(0, cursor + step));
      if (!e.shiftKey || anchor === null) anchor = cursor;
      mark(anchor, cursor);
    } else if (e.key === 'Enter' && cursor !== null) {
      e.preventDefault();
      onSelect(bars[Math.min(anchor, cursor)].end - stepMs, bars[Math.max(anchor, cursor)].end);
    }
  });
  container.replaceChildren(svg);
  return total;
}
