// The fleet: figures, devices seen per hour, and the device list with search, a state filter and keyset paging.
import { api, seg } from './api.js';
import { h, ago, badge, table, field, when } from './dom.js';
import { barChart } from './charts.js';

const PAGE = 25;

/**
 * Marks in the browser's Performance timeline (the benchmark reads them): 'cardinal:fleet-rows' once a page of the
 * device list is in the document, 'cardinal:fleet-rows-painted' after the next frame was drawn.
 */
function rendered() {
  if (!window.performance || !performance.mark) return;
  performance.mark('cardinal:fleet-rows');
  requestAnimationFrame(() => setTimeout(() => performance.mark('cardinal:fleet-rows-painted'), 0));
}

export async function fleetPage(ctx) {
  const tiles = h('div', { class: 'tiles', id: 'fleet-tiles' });
  const chart = h('div', { id: 'fleet-chart' });
  const q = h('input', { id: 'fleet-q', type: 'search', name: 'q', placeholder: 'DevId, card, maker, model, firmware',
    maxlength: 256 });
  const state = h('select', { id: 'fleet-state', name: 'state' },
    ['', 'new', 'active', 'locked', 'disabled'].map(v => h('option', { value: v }, v || 'any state')));
  const form = h('form', { class: 'row', role: 'search', 'aria-label': 'Search devices' },
    field('Search', q), field('State', state), h('button', { type: 'submit', id: 'fleet-search' }, 'Search'));
  const list = h('div', { id: 'fleet-list', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', id: 'fleet-prev', disabled: true }, '← Previous');
  const next = h('button', { type: 'button', id: 'fleet-next', disabled: true }, 'Next →');
  const where = h('span', { class: 'muted', id: 'fleet-where' });
  ctx.main.append(
    h('div', { class: 'head' }, h('h1', null, 'Fleet')),
    tiles,
    h('section', { class: 'card' }, h('h2', null, 'Devices seen per hour (last 24 h, by last contact)'), chart),
    h('section', { class: 'card' }, h('h2', null, 'Devices'), form, list, h('div', { class: 'pager' }, where, prev, next)));

  let stack = [''];   // the "after" of each page shown so far
  let nextAfter = null;

  async function loadList() {
    const after = stack[stack.length - 1];
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (q.value.trim()) params.set('q', q.value.trim());
    if (state.value) params.set('state', state.value);
    if (after) params.set('after', after);
    const page = await api('GET', '/console/devices?' + params);
    if (!ctx.live()) return;
    nextAfter = page.next;
    list.replaceChildren(table(null, [
      { label: 'Device', cell: d => h('a', { href: '#/device/' + seg(d.deviceId), class: 'mono' }, d.deviceId) },
      { label: 'State', cell: d => badge(d.state) },
      { label: 'Last contact', cell: d => ago(d.lastContact) },
      { label: 'Card', cell: d => d.cardId ? h('span', { class: 'mono' }, d.cardId) : '—' },
      { label: 'Firmware', cell: d => d.firmwareVersion || '—' },
      { label: 'Model', cell: d => d.model || '—' },
      { label: 'Lock-out', cell: d => d.lockedUntil ? 'until ' + when(d.lockedUntil)
        : d.authFailures ? d.authFailures + ' failed' : '—' },
    ], page.items, 'No device matches.', 'fleet-table'));
    prev.disabled = stack.length <= 1;
    next.disabled = !nextAfter;
    where.textContent = `page ${stack.length} · ${page.total} registered`;
    rendered();
  }

  async function loadStats() {
    const st = await api('GET', '/console/stats?hours=24');
    if (!ctx.live()) return;
    tiles.replaceChildren(...['active', 'new', 'locked', 'disabled'].map(k =>
      h('div', { class: 'tile' }, h('b', null, String(st.states[k] || 0)), badge(k))),
      h('div', { class: 'tile' }, h('b', null, String(st.total)), 'registered'));
    chart.replaceChildren(barChart('Devices seen per hour', st.seenPerHour.map(p => ({
      label: new Date(p.hour).getHours() + 'h', title: new Date(p.hour).toLocaleString(), value: p.devices })), 'devices'));
  }

  form.addEventListener('submit', e => { e.preventDefault(); stack = ['']; loadList().catch(ctx.failed); });
  q.addEventListener('keydown', e => {
    if (e.key === 'Escape' && q.value) { e.preventDefault(); q.value = ''; stack = ['']; loadList().catch(ctx.failed); }
  });
  state.addEventListener('change', () => { stack = ['']; loadList().catch(ctx.failed); });
  next.addEventListener('click', () => { if (nextAfter) { stack.push(nextAfter); loadList().catch(ctx.failed); } });
  prev.addEventListener('click', () => { if (stack.length > 1) { stack.pop(); loadList().catch(ctx.failed); } });

  await Promise.all([loadList(), loadStats()]);
  ctx.every(() => { loadStats().catch(ctx.failed); }, 30000);
}
