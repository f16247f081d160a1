// Jobs: queue operations for a device (checked by the REST API exactly as the shell's dms:job-add is),
// follow a job to its results, cancel a pending one.
import { api, seg } from './api.js';
import { h, badge, table, field, when, facts } from './dom.js';

const ENDED = ['succeeded', 'failed', 'interrupted', 'cancelled'];
const KINDS = ['get', 'replace', 'add', 'delete', 'exec', 'alert'];
const FORMATS = ['chr', 'int', 'bool', 'b64', 'bin', 'float', 'date', 'time', 'xml', 'node'];
const ALERTS = ['display', 'confirm', 'text-input', 'single-choice', 'multiple-choice'];

/** What an operation's result says, in one line: its values, the user's answer, or nothing. */
function outcome(r) {
  if (r.answer) return r.answer;
  if (r.notExecuted) return 'not executed (215)';
  if (!r.items || r.items.length === 0) return '';
  return r.items.map(i => (r.items.length > 1 || i.uri !== r.target ? i.uri + ' = ' : '')
    + (i.value == null ? '' : i.value)).join('\n');
}

/**
 * Shows one job with its results in `box`, and polls it every 2 s until it has ended.
 * onEnd(job) is called once when it has.
 */
export function jobView(ctx, id, box, onEnd) {
  let ended = false;
  async function load() {
    if (ended) return;
    const j = await api('GET', '/jobs/' + seg(String(id)));
    if (!ctx.live()) return;
    box.replaceChildren(
      h('h3', null, `Job ${j.id} `, badge(j.state)),
      facts([['Device', h('span', { class: 'mono' }, j.deviceId)], ['Description', j.description],
        ['Created', when(j.created)], ['Updated', when(j.updated)], j.failure ? ['Failure', j.failure] : null]
        .filter(Boolean)),
      table('Results', [
        { label: '#', cell: r => String(r.index), num: true },
        { label: 'Operation', cell: r => r.kind },
        { label: 'Target', cell: r => r.target ? h('span', { class: 'mono' }, r.target) : '—' },
        { label: 'Status', cell: r => r.status == null ? h('span', { class: 'muted' }, 'waiting') : String(r.status) },
        { label: 'Result', cell: r => h('span', { class: 'mono result' }, outcome(r)) },
      ], j.results, 'No operations.', 'job-' + j.id + '-results'));
    box.dataset.state = j.state;
    if (ENDED.includes(j.state)) {
      ended = true;
      if (onEnd) onEnd(j);
    }
  }
  ctx.every(() => load().catch(ctx.failed), 2000);
  return load();
}

/** The operation editor; returns {node, read(), reset()}. */
function operationEditor(ctx) {
  const kind = h('select', { id: 'op-kind' }, KINDS.map(k => h('option', { value: k }, k)));
  const target = h('input', { id: 'op-target', class: 'mono', placeholder: './SmartCard/MO/Operator/PollMinutes', maxlength: 1024 });
  const data = h('input', { id: 'op-data', maxlength: 65536 });
  const format = h('select', { id: 'op-format' }, FORMATS.map(f => h('option', { value: f }, f)));
  const type = h('input', { id: 'op-type', placeholder: 'text/plain', maxlength: 256 });
  const alertKind = h('select', { id: 'op-alert' }, ALERTS.map(a => h('option', { value: a }, a)));
  const text = h('input', { id: 'op-text', maxlength: 1024 });
  const choices = h('textarea', { id: 'op-choices', rows: 3 });
  const maxdt = h('input', { id: 'op-maxdt', type: 'number', min: 1, max: 86400, value: 60 });
  const plain = h('div', { class: 'row' }, field('Target URI', target), field('Data', data), field('Format', format), field('Type', type));
  const alert = h('div', { class: 'row', hidden: true }, field('Alert', alertKind), field('Text', text),
    field('Choices (one a line)', choices), field('Answer within (s)', maxdt));
  function sync() {
    const k = kind.value;
    alert.hidden = k !== 'alert';
    plain.hidden = k === 'alert';
    for (const el of [data, format, type]) el.disabled = !ctx.admin || !['replace', 'add', 'exec'].includes(k);
  }
  kind.addEventListener('change', sync);
  sync();
  return {
    node: h('div', null, h('div', { class: 'row' }, field('Operation', kind)), plain, alert),
    controls: [kind, target, data, format, type, alertKind, text, choices, maxdt],
    read() {
      const k = kind.value;
      if (k === 'alert') {
        const a = { alert: alertKind.value, text: text.value };
        const list = choices.value.split('\n').map(c => c.trim()).filter(Boolean);
        if (list.length) a.choices = list;
        if (maxdt.value) a.maxDisplaySeconds = Number(maxdt.value);
        return { kind: 'alert', alert: a };
      }
      const op = { kind: k, target: target.value.trim() };
      if (['replace', 'add', 'exec'].includes(k) && data.value !== '') op.data = data.value;
      if (['replace', 'add'].includes(k)) {
        op.format = format.value;
        if (type.value.trim()) op.type = type.value.trim();
      }
      return op;
    },
    describe(op) {
      return op.kind === 'alert' ? `alert ${op.alert.alert}: ${op.alert.text}`
        : `${op.kind} ${op.target}${op.data !== undefined ? ' = ' + op.data : ''}`;
    },
  };
}

export async function jobsPage(ctx, deviceId) {
  const ro = !ctx.admin;
  const device = h('input', { id: 'job-device', class: 'mono', list: 'job-devices', value: deviceId, maxlength: 256,
    autocomplete: 'off' });
  const known = h('datalist', { id: 'job-devices' });
  const description = h('input', { id: 'job-description', maxlength: 256, placeholder: 'what this job is for' });
  const editor = operationEditor(ctx);
  const ops = [];
  const opList = h('ol', { class: 'ops', id: 'job-ops', 'aria-live': 'polite' });
  const notify = h('input', { type: 'checkbox', id: 'job-notify', checked: true });
  const error = h('p', { class: 'error', id: 'job-error', role: 'alert' });
  const addOp = h('button', { type: 'button', id: 'job-add-op', disabled: ro }, 'Add operation');
  const submit = h('button', { type: 'submit', class: 'primary', id: 'job-submit', disabled: ro }, 'Queue job');
  const result = h('div', { id: 'job-result' });
  const recent = h('div', { id: 'jobs-recent' });
  const form = h('form', { class: 'card', id: 'job-form', 'aria-labelledby': 'job-form-title' },
    h('h2', { id: 'job-form-title' }, 'Queue a job'),
    ro ? h('p', { class: 'muted' }, 'Viewers cannot queue jobs.') : null,
    h('div', { class: 'row' }, field('Device', device), field('Description', description)), known,
    editor.node, h('div', { class: 'actions' }, addOp), opList,
    h('label', { class: 'check' }, notify, 'Notify the device now (package 0)'),
    error, h('div', { class: 'actions' }, submit));
  for (const c of editor.controls.concat([device, description, notify])) c.disabled = c.disabled || ro;

  function drawOps() {
    opList.replaceChildren(...ops.map((op, i) => h('li', null, h('span', { class: 'mono' }, editor.describe(op)), ' ',
      h('button', { type: 'button', class: 'small', onclick: () => { ops.splice(i, 1); drawOps(); } , 'aria-label': 'Remove operation ' + (i + 1) }, 'Remove'))));
  }
  addOp.addEventListener('click', () => { ops.push(editor.read()); drawOps(); });

  form.addEventListener('submit', async e => {
    e.preventDefault();
    if (ro) return;
    error.textContent = '';
    const id = device.value.trim();
    if (!id) { error.textContent = 'Name the device.'; device.focus(); return; }
    const operations = ops.length ? ops.slice() : [editor.read()];
    submit.disabled = true;
    try {
      const body = { operations };
      if (description.value.trim()) body.description = description.value.trim();
      const job = await api('POST', '/devices/' + seg(id) + '/jobs', body);
      ctx.toast(`Job ${job.id} queued for ${id}.`);
      if (notify.checked) {
        try { await api('POST', '/devices/' + seg(id) + '/notify', { ui: 'background' }); } catch (err) {
          ctx.toast(`Job ${job.id} queued; the notification failed: ${err.message}`);
        }
      }
      ops.length = 0;
      drawOps();
      await jobView(ctx, job.id, result, () => loadRecent().catch(ctx.failed));
      loadRecent().catch(ctx.failed);
    } catch (err) {
      error.textContent = err.message;
    } finally {
      submit.disabled = false;
    }
  });

  async function loadRecent() {
    const path = '/jobs?limit=30' + (device.value.trim() ? '&device=' + seg(device.value.trim()) : '');
    let jobs;
    try { jobs = await api('GET', path); } catch (err) {
      if (err.status === 404) { recent.replaceChildren(h('p', { class: 'muted' }, 'No such device.')); return; }
      throw err;
    }
    if (!ctx.live()) return;
    recent.replaceChildren(table(null, [
      { label: 'Job', cell: j => h('button', { type: 'button', class: 'small', onclick: () => jobView(ctx, j.id, result).catch(ctx.failed) }, 'Job ' + j.id) },
      { label: 'Device', cell: j => h('a', { class: 'mono', href: '#/device/' + seg(j.deviceId) }, j.deviceId) },
      { label: 'Description', cell: j => j.description || '—' },
      { label: 'State', cell: j => badge(j.state) },
      { label: 'Answered', cell: j => `${j.answered} / ${j.operationCount}`, num: true },
      { label: 'Created', cell: j => when(j.created) },
      { label: '', cell: j => j.state === 'pending' ? h('button', { type: 'button', class: 'small', disabled: ro,
        onclick: async () => { try { await api('DELETE', '/jobs/' + j.id); ctx.toast(`Job ${j.id} cancelled.`); loadRecent(); } catch (err) { ctx.failed(err); } } }, 'Cancel') : '' },
    ], jobs, 'No jobs yet.', 'jobs-table'));
  }
  device.addEventListener('change', () => loadRecent().catch(ctx.failed));

  ctx.main.append(h('div', { class: 'head' }, h('h1', null, 'Jobs')), form,
    h('section', { class: 'card' }, h('h2', null, 'Job'), result),
    h('section', { class: 'card' }, h('h2', null, 'Recent jobs'), recent));
  api('GET', '/console/devices?limit=100').then(p => {
    known.replaceChildren(...p.items.map(d => h('option', { value: d.deviceId })));
  }).catch(() => {});
  await loadRecent();
  ctx.every(() => loadRecent().catch(ctx.failed), 10000);
}
