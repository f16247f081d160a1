// The audit log: operator actions from the shell, the REST API and this console, newest first, in pages.
import { api } from './api.js';
import { h, when, table } from './dom.js';

const PAGE = 50;

export async function auditPage(ctx) {
  const list = h('div', { id: 'audit-list', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', id: 'audit-prev', disabled: true }, '← Newer');
  const next = h('button', { type: 'button', id: 'audit-next', disabled: true }, 'Older →');
  const where = h('span', { class: 'muted', id: 'audit-where' });
  const refresh = h('button', { type: 'button', id: 'audit-refresh', class: 'quiet' }, 'Refresh');
  ctx.main.append(
    h('div', { class: 'head' }, h('h1', null, 'Audit log'), refresh),
    h('section', { class: 'card' },
      h('p', { class: 'muted' }, 'Who did what, when and from where: the shell, the REST API and the console, '
        + 'on every server node of this registry. Passwords and job values are never recorded.'),
      list, h('div', { class: 'pager' }, where, prev, next)));

  let stack = [0];   // the "after" of each page shown so far (0: the newest)
  let nextAfter = null;

  async function load() {
    const params = new URLSearchParams({ limit: String(PAGE) });
    const after = stack[stack.length - 1];
    if (after) params.set('after', String(after));
    const page = await api('GET', '/audit?' + params);
    if (!ctx.live()) return;
    nextAfter = page.next;
    list.replaceChildren(table(null, [
      { label: 'When', cell: e => when(e.time) },
      { label: 'User', cell: e => e.user },
      { label: 'Via', cell: e => e.channel },
      { label: 'Action', cell: e => h('span', { class: 'mono' }, e.action) },
      { label: 'Target', cell: e => e.target ? h('span', { class: 'mono' }, e.target) : '—' },
      { label: 'Outcome', cell: e => e.outcome },
      { label: 'From', cell: e => e.origin || '—' },
    ], page.items, 'No operator action recorded yet.', 'audit-table'));
    prev.disabled = stack.length <= 1;
    next.disabled = !nextAfter;
    where.textContent = `page ${stack.length}`;
  }

  next.addEventListener('click', () => { if (nextAfter) { stack.push(nextAfter); load().catch(ctx.failed); } });
  prev.addEventListener('click', () => { if (stack.length > 1) { stack.pop(); load().catch(ctx.failed); } });
  refresh.addEventListener('click', () => { stack = [0]; load().catch(ctx.failed); });
  await load();
}
