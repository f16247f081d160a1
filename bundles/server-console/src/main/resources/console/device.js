// One device: its facts, the buttons of the help desk, the help-desk report by section, jobs, alerts, tree.
import { api, seg } from './api.js';
import { h, ago, badge, table, when, facts } from './dom.js';
import { jobView } from './jobs.js';
import { treeBrowser } from './tree.js';
import { auditHref } from './audit.js';

export async function devicePage(ctx, id) {
  const d = await api('GET', '/devices/' + seg(id) + '?alerts=20');
  if (!ctx.live()) return;
  const ro = !ctx.admin;
  const path = '/devices/' + seg(id);
  const act = (label, elId, fn) => h('button', { type: 'button', id: elId, disabled: ro,
    title: ro ? 'Viewers cannot change anything' : null,
    onclick: async () => { try { ctx.toast(await fn()); } catch (err) { ctx.failed(err); } } }, label);
  const report = h('div', { id: 'helpdesk-report', 'aria-live': 'polite' });
  const jobBox = h('div', { id: 'device-job' });
  const jobs = h('div', { id: 'device-jobs' });

  async function loadReport() {
    let r;
    try { r = await api('GET', path + '/helpdesk'); } catch (err) {
      if (err.status === 404) { report.replaceChildren(h('p', { class: 'muted' }, 'No help-desk request yet. "Run help desk" asks the device.')); return true; }
      throw err;
    }
    if (!ctx.live()) return true;
    const rep = r.report || { sections: [] };
    report.replaceChildren(
      h('p', { class: 'muted' }, `Jobs ${(r.jobs || []).join(', ')} · `, r.complete ? 'complete' : 'waiting for the device…',
        rep.withheld ? ` · ${rep.withheld} secret-looking values withheld` : ''),
      ...rep.sections.map(s => h('section', { class: 'report-section', 'data-kind': s.kind },
        h('h3', null, s.title), s.note ? h('p', { class: 'muted' }, s.note) : null,
        s.groups.map(g => table(g.name, [
          { label: 'Item', cell: e => e.label },
          { label: 'Value', cell: e => h('span', { class: 'mono' }, e.value == null ? '' : e.value) },
          { label: 'URI', cell: e => h('span', { class: 'mono muted' }, e.uri || '') },
        ], g.entries, 'Nothing reported.')))));
    return r.complete;
  }

  async function loadJobs() {
    const list = await api('GET', path + '/jobs?limit=20');
    if (!ctx.live()) return;
    jobs.replaceChildren(table(null, [
      { label: 'Job', cell: j => h('button', { type: 'button', class: 'small', onclick: () => jobView(ctx, j.id, jobBox).catch(ctx.failed) }, 'Job ' + j.id) },
      { label: 'Description', cell: j => j.description || '—' },
      { label: 'State', cell: j => badge(j.state) },
      { label: 'Answered', cell: j => `${j.answered} / ${j.operationCount}`, num: true },
      { label: 'Updated', cell: j => ago(j.updated) },
    ], list, 'No jobs for this device.', 'device-jobs-table'));
  }

  const info = Object.entries(d.devInfo || {});
  ctx.main.append(
    h('div', { class: 'head' }, h('h1', { class: 'mono', id: 'device-title' }, d.deviceId), badge(d.state)),
    h('div', { class: 'actions', role: 'group', 'aria-label': 'Device actions' },
      act('Notify', 'device-notify', async () => { await api('POST', path + '/notify', { ui: 'background' }); return 'Notification sent.'; }),
      act('Unlock', 'device-unlock', async () => { await api('POST', path + '/unlock'); return 'Device unlocked.'; }),
      act('Run help desk', 'device-helpdesk', async () => {
        const r = await api('POST', path + '/helpdesk', { notify: true });
        watchReport();
        return `Help-desk request queued (jobs ${(r.jobs || [r.job && r.job.id]).join(', ')}).`;
      }),
      h('a', { class: 'button', href: '#/jobs/' + seg(d.deviceId), id: 'device-queue' }, 'Queue a job…'),
      h('a', { class: 'button', href: auditHref({ target: d.deviceId }), id: 'device-audit' }, 'Audit log')),
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', null, 'Summary'), facts([
        ['State', badge(d.state)], ['Enabled', d.enabled ? 'yes' : 'no'],
        ['Card', d.cardId ? h('span', { class: 'mono' }, d.cardId) : null],
        ['First contact', when(d.firstContact)], ['Last contact', ago(d.lastContact)],
        ['Failed logins', `${d.authFailures} since the last success, ${d.totalAuthFailures} in all`],
        ['Locked until', d.lockedUntil ? when(d.lockedUntil) : null],
        ['Push address', d.pushAddress ? h('span', { class: 'mono' }, d.pushAddress) : null],
        ['Client auth', d.clientAuth ? `${d.clientAuth} as ${d.clientUser}` : null]])),
      h('section', { class: 'card' }, h('h2', null, 'Reported values'), table(null, [
        { label: 'URI', cell: e => h('span', { class: 'mono' }, e[0]) },
        { label: 'Value', cell: e => h('span', { class: 'mono' }, e[1]) }], info, 'Nothing reported yet.', 'devinfo-table'))),
    h('section', { class: 'card', id: 'helpdesk' }, h('h2', null, 'Help-desk report'), report),
    h('section', { class: 'card' }, h('h2', null, 'Jobs'), jobs, jobBox),
    h('section', { class: 'card' }, h('h2', null, 'Alerts'), table(null, [
      { label: 'Time', cell: a => when(a.time) }, { label: 'Code', cell: a => String(a.code), num: true },
      { label: 'Type', cell: a => a.type || '—' }, { label: 'Source', cell: a => h('span', { class: 'mono' }, a.source || '—') },
      { label: 'Data', cell: a => h('span', { class: 'mono' }, a.data || '') }], d.alerts, 'No alerts.', 'alerts-table')),
    treeBrowser(ctx, d.deviceId));

  let watching = false;
  let polling = false;
  function watchReport() {
    watching = true;
    if (polling) return;
    polling = true;
    ctx.every(() => {
      if (!watching) return;
      loadReport().then(done => { if (done) watching = false; }).catch(ctx.failed);
      loadJobs().catch(ctx.failed);
    }, 2000);
  }
  const complete = await loadReport();
  await loadJobs();
  if (!complete) watchReport();
}
