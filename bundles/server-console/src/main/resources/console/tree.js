// The device's tree, read through jobs: a Get of <uri>?list=Struct lists a subtree's nodes, a Get of a
// leaf reads its value. Every read is a job the device answers in its next session (notified at once).
import { api, seg } from './api.js';
import { h, field } from './dom.js';

const ENDED = ['succeeded', 'failed', 'interrupted', 'cancelled'];

export function treeBrowser(ctx, deviceId) {
  const ro = !ctx.admin;
  const uri = h('input', { id: 'tree-uri', class: 'mono', value: '.', maxlength: 1024 });
  const browse = h('button', { type: 'submit', id: 'tree-browse', disabled: ro }, 'List subtree');
  const read = h('button', { type: 'button', id: 'tree-read', disabled: ro }, 'Read value');
  const status = h('p', { class: 'muted', id: 'tree-status', 'aria-live': 'polite' });
  const out = h('div', { id: 'tree-out' });
  const form = h('form', { class: 'row', 'aria-label': 'Tree browser' }, field('Node URI', uri), browse, read);
  uri.disabled = ro;

  async function run(target, list) {
    const t = target.trim() || '.';
    status.textContent = `Queued: Get ${t}${list ? '?list=Struct' : ''}. Waiting for the device…`;
    const job = await api('POST', '/devices/' + seg(deviceId) + '/jobs', {
      description: 'console tree browser', operations: [{ kind: 'get', target: list ? t + '?list=Struct' : t }] });
    try { await api('POST', '/devices/' + seg(deviceId) + '/notify', { ui: 'background' }); } catch (e) { /* no push address: the next session */ }
    const poll = async () => {
      const j = await api('GET', '/jobs/' + job.id);
      if (!ENDED.includes(j.state) || !ctx.live()) return false;
      const r = j.results[0] || {};
      status.textContent = `Job ${j.id} ${j.state}, status ${r.status == null ? 'none' : r.status}.`;
      const items = (r.items || []).filter(i => i.uri);
      out.replaceChildren(h('ul', { class: 'tree', id: 'tree-nodes' }, items.length === 0 ? h('li', { class: 'empty' }, 'Nothing returned.')
        : items.map(i => h('li', null,
          h('button', { type: 'button', class: 'mono', disabled: ro, onclick: () => { uri.value = i.uri; run(i.uri, i.format === 'node').catch(ctx.failed); } }, i.uri),
          i.format && i.format !== 'node' ? [' ', h('span', { class: 'muted' }, `(${i.format})`)] : null,
          i.value != null && i.value !== '' ? [' = ', h('span', { class: 'mono' }, i.value)] : null))));
      return true;
    };
    if (!(await poll())) {
      let done = false;
      ctx.every(() => { if (!done) poll().then(d => { done = d; }).catch(ctx.failed); }, 2000);
    }
  }
  form.addEventListener('submit', e => { e.preventDefault(); if (!ro) run(uri.value, true).catch(ctx.failed); });
  read.addEventListener('click', () => { if (!ro) run(uri.value, false).catch(ctx.failed); });
  return h('section', { class: 'card', id: 'tree' }, h('h2', null, 'Tree browser'),
    h('p', { class: 'muted' }, 'Reads go to the device as jobs (Get with ?list=Struct) and show here once it answers.'),
    form, status, out);
}
