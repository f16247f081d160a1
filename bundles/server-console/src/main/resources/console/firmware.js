// Firmware: packages and campaigns, when the server has FUMO campaigns (GET /firmware/packages and
// GET /campaigns answer); "not installed" when they are 404. Campaign progress is polled every 5 s.
import { api, seg } from './api.js';
import { h, badge, table, when } from './dom.js';
import { progressBar } from './charts.js';

/** The items of a list answer: an array, or {items: [...]}. */
function items(x) {
  if (Array.isArray(x)) return x;
  return x && Array.isArray(x.items) ? x.items : [];
}

async function optional(path) {
  try { return { found: true, data: await api('GET', path) }; } catch (err) {
    if (err.status === 404) return { found: false, data: null };
    throw err;
  }
}

/**
 * Counts for the progress bar from a campaign's progress ({devices, byState: {label: n}}, the labels of
 * fumo-server's DeviceUpdateState: queued, starting, notified, downloading, updating, succeeded, failed,
 * "rollback refused", cancelled).
 */
export function counts(c) {
  const p = c.progress || {};
  const by = p.byState || {};
  const get = k => Number(by[k] || 0);
  const succeeded = get('succeeded');
  const failed = get('failed') + get('rollback refused');
  const queued = get('queued') + get('cancelled');
  const devices = Number(p.devices || 0);
  const running = Math.max(0, devices - succeeded - failed - queued);
  return { succeeded, failed, running, queued };
}

export async function firmwarePage(ctx) {
  const ro = !ctx.admin;
  const box = h('div', { id: 'firmware' });
  ctx.main.append(h('div', { class: 'head' }, h('h1', null, 'Firmware')), box);
  const [packages, campaigns] = await Promise.all([optional('/firmware/packages'), optional('/campaigns')]);
  if (!ctx.live()) return;
  if (!packages.found && !campaigns.found) {
    box.replaceChildren(h('section', { class: 'card', id: 'firmware-absent' }, h('h2', null, 'Not installed'),
      h('p', null, 'Firmware updates (FUMO campaigns) are not installed on this server.')));
    return;
  }
  const pkgBox = h('div', { id: 'firmware-packages' });
  const campBox = h('div', { id: 'campaigns' });
  box.replaceChildren(h('section', { class: 'card' }, h('h2', null, 'Packages'), pkgBox),
    h('section', { class: 'card' }, h('h2', null, 'Campaigns'), campBox));

  pkgBox.replaceChildren(packages.found ? table(null, [
    { label: 'File', cell: p => h('span', { class: 'mono' }, p.file || '—') },
    { label: 'Package', cell: p => p.name || '—' },
    { label: 'Version', cell: p => p.version || '—' },
    { label: 'Kind', cell: p => p.kind || '—' },
    { label: 'Device classes', cell: p => (p.deviceClasses || []).join(', ') || 'any' },
    { label: 'Security counter', cell: p => p.securityCounter == null ? '—' : String(p.securityCounter), num: true },
    { label: 'Size', cell: p => p.length == null ? '—' : Math.round(p.length / 1024) + ' KiB', num: true },
    { label: 'Published', cell: p => when(p.published) },
  ], items(packages.data), 'No firmware package is published.', 'packages-table')
    : h('p', { class: 'muted' }, 'The package list is not available on this server.'));

  async function action(c, verb) {
    try {
      await api('POST', '/campaigns/' + seg(String(c.id)) + '/' + verb);
      ctx.toast(`Campaign ${c.id}: ${verb} sent.`);
      await loadCampaigns();
    } catch (err) { ctx.failed(err); }
  }

  async function loadCampaigns() {
    const data = campaigns.found ? await api('GET', '/campaigns') : null;
    if (!ctx.live()) return;
    if (!campaigns.found) {
      campBox.replaceChildren(h('p', { class: 'muted' }, 'Campaigns are not available on this server.'));
      return;
    }
    campBox.replaceChildren(table(null, [
      { label: 'Campaign', cell: c => `${c.id} ${c.name || ''}` },
      { label: 'Package', cell: c => h('span', { class: 'mono' }, c.package ? `${c.package.name || ''} ${c.package.version || ''}` : '—') },
      { label: 'State', cell: c => [badge(c.state), c.reason ? h('div', { class: 'muted' }, c.reason) : null] },
      { label: 'Wave', cell: c => c.currentWave == null ? '—' : `${c.currentWave} / ${(c.waves || []).length || '?'}` },
      { label: 'Progress', cell: c => progressBar('Campaign ' + c.id, counts(c)) },
      { label: '', cell: c => {
        const st = String(c.state || '').toLowerCase();
        const b = (label, verb, enabled) => h('button', { type: 'button', class: 'small', disabled: ro || !enabled,
          id: `campaign-${c.id}-${verb}`, title: ro ? 'Viewers cannot change anything' : null,
          onclick: () => action(c, verb) }, label);
        return h('div', { class: 'actions', 'data-campaign': String(c.id), 'data-state': st },
          b('Pause', 'pause', st === 'running'), b('Resume', 'resume', st === 'paused'),
          b('Start', 'start', st === 'created'), b('Cancel', 'cancel', st !== 'finished' && st !== 'cancelled'));
      } },
    ], items(data), 'No campaign yet.', 'campaigns-table'));
  }
  await loadCampaigns();
  ctx.every(() => loadCampaigns().catch(ctx.failed), 5000);
}
