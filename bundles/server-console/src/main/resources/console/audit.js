// The audit log: operator actions from the shell, the REST API and this console, newest first, in keyset pages,
// filtered by user, action, target and time range. The filters live in the address (#/audit?actor=alice&target=…),
// so a device page can link to its own entries and the browser's Back goes to the previous filter.
import { api, ApiError } from './api.js';
import { h, when, table, field } from './dom.js';

const PAGE = 50;
const FILTERS = ['actor', 'action', 'target', 'since', 'until'];

/** The filters of an address's query part (after '#/audit?'): only known keys, texts bounded. */
export function filtersOf(query) {
  const p = new URLSearchParams(query || '');
  const f = {};
  for (const k of FILTERS) {
    const v = (p.get(k) || '').trim();
    if (v) f[k] = v.slice(0, 512);
  }
  return f;
}

/** The address of the audit page with these filters. */
export function auditHref(filters) {
  const p = new URLSearchParams();
  for (const k of FILTERS) if (filters[k]) p.set(k, filters[k]);
  const q = p.toString();
  return '#/audit' + (q ? '?' + q : '');
}

/** An ISO time as the value of a datetime-local input (the browser's time zone), or ''. */
function toLocalInput(iso) {
  const t = Date.parse(iso || '');
  if (Number.isNaN(t)) return '';
  const d = new Date(t);
  return new Date(t - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

/** A datetime-local value (the browser's time zone) as an ISO time in UTC, or ''. */
function fromLocalInput(value) {
  if (!value) return '';
  const t = Date.parse(value);
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}

export async function auditPage(ctx, query) {
  const filters = filtersOf(query);
  const actor = h('input', { id: 'audit-actor', name: 'actor', maxlength: 128, autocomplete: 'off',
    autocapitalize: 'none', spellcheck: 'false', value: filters.actor || null });
  const action = h('input', { id: 'audit-action', name: 'action', maxlength: 512, autocomplete: 'off',
    placeholder: 'e.g. jobs, unlock, dms:', value: filters.action || null });
  const target = h('input', { id: 'audit-target', name: 'target', maxlength: 512, autocomplete: 'off',
    spellcheck: 'false', placeholder: 'DevId, job or campaign id', value: filters.target || null });
  const since = h('input', { id: 'audit-since', name: 'since', type: 'datetime-local',
    value: toLocalInput(filters.since) || null });
  const until = h('input', { id: 'audit-until', name: 'until', type: 'datetime-local',
    value: toLocalInput(filters.until) || null });
  const apply = h('button', { type: 'submit', id: 'audit-apply' }, 'Filter');
  const reset = h('button', { type: 'button', id: 'audit-clear', class: 'quiet' }, 'Clear');
  const form = h('form', { class: 'row', role: 'search', 'aria-label': 'Filter the audit log', id: 'audit-filters' },
    field('User (exactly)', actor), field('Action contains', action), field('Target (exactly)', target),
    field('From', since), field('Until', until), apply, reset);
  const error = h('p', { class: 'error', id: 'audit-error', role: 'alert' });
  const list = h('div', { id: 'audit-list', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', id: 'audit-prev', disabled: true }, '← Newer');
  const next = h('button', { type: 'button', id: 'audit-next', disabled: true }, 'Older →');
  const where = h('span', { class: 'muted', id: 'audit-where' });
  const refresh = h('button', { type: 'button', id: 'audit-refresh', class: 'quiet' }, 'Refresh');
  const active = Object.keys(filters);
  ctx.main.append(
    h('div', { class: 'head' }, h('h1', null, 'Audit log'), refresh),
    h('section', { class: 'card' },
      h('p', { class: 'muted' }, 'Who did what, when and from where: the shell, the REST API and the console, '
        + 'on every server node of this registry. Passwords and job values are never recorded.'),
      form, error,
      h('p', { class: 'muted', id: 'audit-filtered' }, active.length === 0 ? 'All entries.'
        : 'Filtered by ' + active.map(k => k === 'since' ? 'from ' + when(filters.since)
          : k === 'until' ? 'until ' + when(filters.until) : `${k} “${filters[k]}”`).join(', ') + '.'),
      list, h('div', { class: 'pager' }, where, prev, next)));

  let stack = [0];   // the "after" of each page shown so far (0: the newest)
  let nextAfter = null;

  async function load() {
    const params = new URLSearchParams({ limit: String(PAGE) });
    for (const k of active) params.set(k, filters[k]);
    const after = stack[stack.length - 1];
    if (after) params.set('after', String(after));
    let page;
    try {
      page = await api('GET', '/audit?' + params);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        if (!ctx.live()) return;
        error.textContent = err.message;
        list.replaceChildren();
        where.textContent = '';
        prev.disabled = true;
        next.disabled = true;
        return;
      }
      throw err;
    }
    if (!ctx.live()) return;
    error.textContent = '';
    nextAfter = page.next;
    const filterLink = (key, value, mono) => h('a', { href: auditHref({ ...filters, [key]: value }),
      class: mono ? 'mono' : null, title: `Only entries with this ${key === 'actor' ? 'user' : key}` }, value);
    list.replaceChildren(table(null, [
      { label: 'When', cell: e => h('time', { datetime: e.time }, when(e.time)) },
      { label: 'User', cell: e => filterLink('actor', e.user, false) },
      { label: 'Via', cell: e => h('span', { class: 'nowrap' }, e.channel) },
      { label: 'Action', cell: e => h('span', { class: 'mono' }, e.action) },
      { label: 'Target', cell: e => e.target ? filterLink('target', e.target, true) : '—' },
      { label: 'Outcome', cell: e => e.outcome },
      { label: 'From', cell: e => e.origin || '—' },
    ], page.items, active.length ? 'No entry matches these filters.' : 'No operator action recorded yet.',
    'audit-table'));
    prev.disabled = stack.length <= 1;
    next.disabled = !nextAfter;
    where.textContent = `page ${stack.length}`;
  }

  form.addEventListener('submit', e => {
    e.preventDefault();
    const f = { actor: actor.value.trim(), action: action.value.trim(), target: target.value.trim(),
      since: fromLocalInput(since.value), until: fromLocalInput(until.value) };
    if (f.since && f.until && Date.parse(f.since) >= Date.parse(f.until)) {
      error.textContent = '"From" must be before "Until".';
      until.focus();
      return;
    }
    const href = auditHref(f);
    if (location.hash === href) { stack = [0]; load().catch(ctx.failed); } else { ctx.go(href); }
  });
  reset.addEventListener('click', () => {
    if (location.hash !== '#/audit') { ctx.go('#/audit'); return; }
    for (const input of [actor, action, target, since, until]) input.value = '';
    error.textContent = '';
    stack = [0];
    load().catch(ctx.failed);
  });
  next.addEventListener('click', () => { if (nextAfter) { stack.push(nextAfter); load().catch(ctx.failed); } });
  prev.addEventListener('click', () => { if (stack.length > 1) { stack.pop(); load().catch(ctx.failed); } });
  refresh.addEventListener('click', () => { stack = [0]; load().catch(ctx.failed); });
  await load();
}
