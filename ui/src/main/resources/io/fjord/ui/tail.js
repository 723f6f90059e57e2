// Live tail. Without a tenant it is Loki's WebSocket /loki/api/v1/tail. A browser cannot put a
// header on a WebSocket, so with a tenant set it polls query_range once a second instead (start
// just after the newest line seen), which sends X-Scope-OrgID like every other request. Both
// start LOOKBACK_MS back; results.js drops lines already on show.

import {ApiError, queryRange, tenant} from './api.js';
import {msToNs} from './time.js';

const POLL_MS = 1000;
/**
 * The tail starts this far back, so a line stamped by its client a little before the toggle (or
 * reaching the server late) still arrives; lines already on show are not added twice.
 */
const LOOKBACK_MS = 10_000;

/**
 * Starts tailing `query`; onLines(streams) for each batch, onState(text) as the state changes,
 * onError(text) when it stops on an error. Returns a stop() function.
 */
export function startTail(query, limit, {onLines, onState, onError}) {
  return tenant() ? poll(query, limit, onLines, onState, onError) : socket(query, limit, onLines, onState, onError);
}

function socket(query, limit, onLines, onState, onError) {
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const params = new URLSearchParams({query, limit: String(limit), start: msToNs(Date.now() - LOOKBACK_MS)});
  const ws = new WebSocket(`${proto}://${location.host}/loki/api/v1/tail?${params}`);
  let opened = false;
  let stopped = false;
  onState('connecting…');
  ws.onopen = () => {
    opened = true;
    onState('tailing');
  };
  ws.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    if (msg.streams && msg.streams.length) {
      onLines(msg.streams);
    }
    if (msg.dropped_entries && msg.dropped_entries.length) {
      onState(`tailing (${msg.dropped_entries.length} entries dropped by the server)`);
    }
  };
  ws.onclose = async (e) => {
    if (stopped) {
      return;
    }
    if (opened) {
      onError(e.reason ? `tail closed: ${e.reason}` : `tail closed (code ${e.code})`);
      return;
    }
    // refused before the upgrade: the browser hides the reason, so ask the query API for it
    try {
      await queryRange({query, limit: '1'});
      onError('tail connection failed');
    } catch (err) {
      onError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return () => {
    stopped = true;
    ws.close(1000, 'tail stopped');
  };
}

function poll(query, limit, onLines, onState, onError) {
  let after = BigInt(msToNs(Date.now() - LOOKBACK_MS));
  let timer = null;
  let stopped = false;
  const controller = new AbortController();
  onState('tailing (polling, since a tenant is set)');
  const tick = async () => {
    try {
      const data = await queryRange({query, limit: String(limit), direction: 'forward',
        start: (after + 1n).toString(), end: msToNs(Date.now())}, controller.signal);
      if (stopped) return;
      const streams = data.result.filter((s) => s.values.length);
      for (const s of streams) {
        for (const v of s.values) {
          if (BigInt(v[0]) > after) after = BigInt(v[0]);
        }
      }
      if (streams.length) onLines(streams);
      timer = setTimeout(tick, POLL_MS);
    } catch (err) {
      if (!stopped) onError(err instanceof ApiError ? err.message : String(err));
    }
  };
  timer = setTimeout(tick, 0);
  return () => {
    stopped = true;
    controller.abort();
    clearTimeout(timer);
  };
}
