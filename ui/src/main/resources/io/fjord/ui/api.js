// Loki's public query API, as the page uses it: every request carries the tenant (X-Scope-OrgID)
// when one is set, and a refusal becomes an ApiError holding the server's own plain-text reason.

const TENANT_KEY = 'fjord.tenant';

/** A refused request: status and the text the server answered (Loki's errors are plain text). */
export class ApiError extends Error {
  constructor(status, text) {
    super(text || `HTTP ${status}`);
    this.status = status;
  }
}

export function tenant() {
  return (localStorage.getItem(TENANT_KEY) || '').trim();
}

export function setTenant(value) {
  const v = (value || '').trim();
  if (v) {
    localStorage.setItem(TENANT_KEY, v);
  } else {
    localStorage.removeItem(TENANT_KEY);
  }
}

/** GET path?params as JSON; throws ApiError with the server's text when it refuses. */
export async function getJson(path, params, signal) {
  const url = path + '?' + new URLSearchParams(params).toString();
  const headers = {Accept: 'application/json'};
  const t = tenant();
  if (t) {
    headers['X-Scope-OrgID'] = t;
  }
  let res;
  try {
    res = await fetch(url, {headers, signal});
  } catch (e) {
    if (e.name === 'AbortError') {
      throw e;
    }
    throw new ApiError(0, `cannot reach the server: ${e.message}`);
  }
  if (!res.ok) {
    throw new ApiError(res.status, (await res.text()).trim());
  }
  return res.json();
}

/** Label names in [start, end] (nanosecond strings). */
export async function labelNames(start, end) {
  const body = await getJson('/loki/api/v1/labels', {start, end});
  return body.data || [];
}

/** Values of one label in [start, end]. */
export async function labelValues(name, start, end) {
  const body = await getJson(`/loki/api/v1/label/${encodeURIComponent(name)}/values`, {start, end});
  return body.data || [];
}

/** query_range: {resultType, result} of Loki's answer. */
export async function queryRange(params, signal) {
  const body = await getJson('/loki/api/v1/query_range', params, signal);
  return body.data;
}
