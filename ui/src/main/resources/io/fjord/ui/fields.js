// The fields of a log line, parsed in the browser: a JSON object (nested keys joined with "_", as
// LogQL's json parser names them) or logfmt (key=value, values optionally double-quoted).

/** [{name, value}] of a line, and which parser found them ('json', 'logfmt' or null). */
export function parseFields(line) {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    try {
      const obj = JSON.parse(trimmed);
      if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
        const out = [];
        flatten(obj, '', out);
        return {parser: 'json', fields: out};
      }
    } catch (e) {
      // not JSON: try logfmt
    }
  }
  const fields = logfmt(line);
  return fields.length ? {parser: 'logfmt', fields} : {parser: null, fields: []};
}

function flatten(obj, prefix, out) {
  for (const [k, v] of Object.entries(obj)) {
    const name = prefix ? `${prefix}_${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      flatten(v, name, out);
    } else {
      out.push({name, value: v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v)});
    }
  }
}

/** logfmt pairs; a line with no key=value pair at all gives none (a plain sentence is not logfmt). */
export function logfmt(line) {
  const out = [];
  let i = 0;
  let pairs = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line[i] === ' ') i++;
    const ks = i;
    while (i < n && line[i] !== '=' && line[i] !== ' ' && line[i] !== '"') i++;
    const key = line.slice(ks, i);
    if (i < n && line[i] === '"') {
      return pairs ? out : []; // a quote inside a key: not logfmt
    }
    if (i < n && line[i] === '=') {
      i++;
      let value = '';
      if (line[i] === '"') {
        i++;
        while (i < n && line[i] !== '"') {
          if (line[i] === '\\' && i + 1 < n) {
            i++;
            value += {n: '\n', t: '\t', r: '\r'}[line[i]] || line[i];
          } else {
            value += line[i];
          }
          i++;
        }
        i++; // the closing quote
      } else {
        const vs = i;
        while (i < n && line[i] !== ' ') i++;
        value = line.slice(vs, i);
      }
      if (key) {
        out.push({name: key, value});
        pairs++;
      }
    } else if (key) {
      out.push({name: key, value: ''});
    }
  }
  return pairs ? out : [];
}
