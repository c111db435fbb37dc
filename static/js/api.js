// motcua — the JSON API from the pages: one fetch wrapper.
//
// api(method, path, body) resolves with the parsed JSON (or null for 204)
// and rejects with an ApiError carrying the envelope's code, message and
// field, so pages can show the message next to the field it names.
// A 401 on a staff page sends the user to the login page and back.

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

export async function api(method, path, body, options = {}) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined && body !== null) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', 'network', null);
  }
  if (res.status === 204) return null;
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    if (res.status === 401 && !options.noRedirect) {
      const next = encodeURIComponent(location.pathname + location.search);
      location.assign('/login?next=' + next);
    }
    throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || res.statusText, err.field);
  }
  return data;
}

// Build a query string from an object, skipping empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
