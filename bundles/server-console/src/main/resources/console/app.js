// The console's shell: who is logged in, the navigation, and which page the address (#/...) shows.
import { api, setCsrf, onUnauthorized, ApiError } from './api.js';
import { clear, toast } from './dom.js';
import { loginPage } from './login.js';
import { fleetPage } from './fleet.js';
import { devicePage } from './device.js';
import { jobsPage } from './jobs.js';
import { firmwarePage } from './firmware.js';
import { auditPage } from './audit.js';

const main = document.getElementById('main');
const bar = document.getElementById('bar');
let session = null;
let timers = [];
let generation = 0;

/** What a page gets: where to draw, the operator's role, and timers that stop when the page changes. */
function context() {
  const mine = ++generation;
  return {
    main,
    admin: session && session.role === 'admin',
    user: session && session.user,
    live: () => mine === generation,
    every(fn, ms) {
      const t = setInterval(() => { if (mine === generation) fn(); }, ms);
      timers.push(t);
    },
    go(hash) { location.hash = hash; },
    toast,
    failed(err) {
      if (err instanceof ApiError && err.status === 401) return;
      toast(err.message || String(err));
    },
  };
}

function stopTimers() {
  timers.forEach(clearInterval);
  timers = [];
}

function showLogin() {
  stopTimers();
  generation++;
  session = null;
  setCsrf(null);
  bar.hidden = true;
  document.getElementById('readonly').hidden = true;
  document.body.classList.remove('viewer');
  loginPage(main, s => { loggedIn(s); route(); });
}

function loggedIn(s) {
  session = s;
  setCsrf(s.csrf);
  bar.hidden = false;
  document.getElementById('who').textContent = (s.user || 'anonymous') + ' · ' + s.role;
  document.getElementById('readonly').hidden = s.role === 'admin';
  document.body.classList.toggle('viewer', s.role !== 'admin');
}

const routes = [
  [/^#\/device\/(.+)$/, (ctx, m) => devicePage(ctx, decodeURIComponent(m[1])), 'nav-fleet'],
  [/^#\/jobs(?:\/(.+))?$/, (ctx, m) => jobsPage(ctx, m[1] ? decodeURIComponent(m[1]) : ''), 'nav-jobs'],
  [/^#\/firmware$/, ctx => firmwarePage(ctx), 'nav-firmware'],
  [/^#\/audit(?:\?(.*))?$/, (ctx, m) => auditPage(ctx, m[1] || ''), 'nav-audit'],
  [/^#\/fleet$/, ctx => fleetPage(ctx), 'nav-fleet'],
];

function route() {
  if (!session) return;
  const hash = location.hash && location.hash.startsWith('#/') ? location.hash : '#/fleet';
  stopTimers();
  const ctx = context();
  for (const [re, page, nav] of routes) {
    const m = hash.match(re);
    if (m) {
      for (const a of document.querySelectorAll('.bar nav a')) {
        if (a.id === nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
      }
      clear(main);
      Promise.resolve(page(ctx, m)).then(() => {
        const h1 = main.querySelector('h1');
        if (h1 && ctx.live()) { h1.tabIndex = -1; h1.focus(); }
      }).catch(ctx.failed);
      return;
    }
  }
  location.hash = '#/fleet';
}

document.getElementById('logout').addEventListener('click', async () => {
  try { await api('DELETE', '/console/session'); } catch (e) { /* ended anyway */ }
  location.hash = '';
  showLogin();
});

onUnauthorized(() => { if (session) { toast('Your session has ended: log in again.'); showLogin(); } });
window.addEventListener('hashchange', route);

api('GET', '/console/session')
  .then(s => { loggedIn(s); route(); })
  .catch(() => showLogin());
