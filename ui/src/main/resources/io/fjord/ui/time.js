// Time ranges of the page: quick ranges ("1h") and absolute ones, as nanosecond strings for the
// API (BigInt, since nanoseconds since 1970 do not fit a double), and nice histogram steps.

export const QUICK = ['5m', '15m', '1h', '6h', '24h', '7d'];
const UNIT_MS = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/** Milliseconds of a duration such as 15m or 7d. */
export function durationMs(d) {
  const m = /^(\d+)([smhd])$/.exec(d);
  if (!m) {
    throw new Error(`not a duration: ${d}`);
  }
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** Milliseconds to a nanosecond string. */
export function msToNs(ms) {
  return (BigInt(Math.round(ms)) * 1_000_000n).toString();
}

/** A nanosecond string to milliseconds (a double; fine for display). */
export function nsToMs(ns) {
  return Number(BigInt(ns) / 1_000_000n);
}

/**
 * The [startMs, endMs] a range state covers now: {range: '1h'} or {range: 'abs', from, to} with
 * from/to in milliseconds.
 */
export function resolve(state, nowMs = Date.now()) {
  if (state.range === 'abs') {
    return [state.from, state.to];
  }
  return [nowMs - durationMs(state.range), nowMs];
}

/** The value of an <input type="datetime-local"> (local time) for milliseconds, and back. */
export function toLocalInput(ms) {
  const d = new Date(ms);
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function fromLocalInput(value) {
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** A timestamp as "YYYY-MM-DD HH:MM:SS.mmm" in local time. */
export function formatTime(ms) {
  const d = new Date(ms);
  return toLocalInput(ms).replace('T', ' ') + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

const STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** The smallest nice step (seconds) that splits the range into at most `bars` bars. */
export function histogramStep(rangeMs, bars = 60) {
  const want = rangeMs / 1000 / bars;
  return STEPS_S.find((s) => s >= want) || STEPS_S[STEPS_S.length - 1];
}

/** A step as LogQL writes a range: 90 → "90s", 300 → "5m". */
export function stepText(seconds) {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
