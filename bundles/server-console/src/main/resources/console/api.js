// The REST API of the same origin: JSON in and out, the console session's cookie (sent by the browser,
// invisible to scripts) and its CSRF token on every write.

const meta = document.querySelector('meta[name="cardinal-api"]');
const BASE = meta && meta.content.startsWith('/') ? meta.content : '/cardinal/api/v1';
let csrf = null;
let unauthorized = () => {};

/** An answer other than 2xx: the status and the API's message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The token of the current console session (null after logout). */
export function setCsrf(token) {
  csrf = token || null;
}

/** What to do when the session has ended (a 401 on anything but the login itself). */
export function onUnauthorized(fn) {
  unauthorized = fn;
}

/** URL-encodes one path segment. */
export const seg = encodeURIComponent;

/**
 * Calls the API: api('GET', '/devices'), api('POST', '/devices/x/notify', {ui: 'background'}).
 * Resolves to the parsed JSON (or null), rejects with an ApiError.
 */
export async function api(method, path, body) {
  const headers = { 'Accept': 'application/json', 'X-Cardinal-Console': '1' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', redirect: 'error' };
  if (method !== 'GET' && method !== 'HEAD') {
    if (csrf) headers['X-Cardinal-CSRF'] = csrf;
    if (method !== 'DELETE') {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body === undefined ? {} : body);
    }
  }
  let resp;
  try {
    resp = await fetch(BASE + path, init);
  } catch (e) {
    throw new ApiError(0, 'The server cannot be reached.');
  }
  const text = await resp.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = null; }
  }
  if (!resp.ok) {
    if (resp.status === 401 && path !== '/console/session') unauthorized();
    const message = data && typeof data.message === 'string' ? data.message : 'HTTP ' + resp.status;
    throw new ApiError(resp.status, message);
  }
  return data;
}
