// Building the page from data without ever parsing data as HTML: every text goes through a text node or
// an attribute value, so a device id or a reported value cannot become markup or script.

/** Creates an element: h('a', {href: '#/x', class: 'c', onclick: fn}, 'text', child, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  add(el, children);
  return el;
}

function setAttrs(el, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
}

/** Appends texts and nodes; null, undefined and false are skipped, arrays flattened. */
export function add(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Empties an element and returns it. */
export function clear(el) {
  el.replaceChildren();
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
/** Creates an SVG element with attributes. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  add(el, children);
  return el;
}

/** "3 min ago", "2 h ago", or "never"; the exact time is in the title. */
export function ago(iso) {
  if (!iso) return h('span', { class: 'muted' }, 'never');
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const sec = Math.round((Date.now() - t) / 1000);
  let text;
  if (sec < -60) text = 'in ' + span(-sec);
  else if (sec < 60) text = 'just now';
  else text = span(sec) + ' ago';
  return h('time', { datetime: iso, title: new Date(t).toLocaleString() }, text);
}

function span(sec) {
  if (sec < 3600) return Math.round(sec / 60) + ' min';
  if (sec < 172800) return Math.round(sec / 3600) + ' h';
  return Math.round(sec / 86400) + ' days';
}

/** A local date and time, or a dash. */
export function when(iso) {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? String(iso) : new Date(t).toLocaleString();
}

/** A state badge: <span class="badge s-active">active</span>. */
export function badge(state) {
  const text = state == null ? 'unknown' : String(state).toLowerCase();
  return h('span', { class: 'badge s-' + text.replace(/[^a-z_-]/g, '') }, text.replace(/_/g, ' '));
}

/**
 * A table that turns into labelled cards on narrow screens.
 * columns: [{label, cell: row => text|node, num: bool}]
 */
export function table(caption, columns, rows, emptyText, id) {
  const head = h('thead', null, h('tr', null, columns.map(c => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label))));
  const body = h('tbody');
  if (!rows || rows.length === 0) {
    body.append(h('tr', null, h('td', { colspan: columns.length, class: 'empty', 'data-label': '' }, emptyText || 'Nothing yet.')));
  } else {
    for (const r of rows) {
      body.append(h('tr', null, columns.map(c => h('td', { 'data-label': c.label, class: c.num ? 'num' : null }, c.cell(r)))));
    }
  }
  return h('div', { class: 'table-box' }, h('table', { class: 'responsive', id: id || null },
    caption ? h('caption', null, caption) : null, head, body));
}

/** A labelled form field: field('Target URI', input). */
export function field(label, control, hint) {
  if (!control.id) control.id = 'f-' + Math.random().toString(36).slice(2, 9);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control,
    hint ? h('small', { class: 'muted' }, hint) : null);
}

/** A definition list of [term, value] pairs. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v == null || v === '' ? '—' : v)]));
}

let toastTimer = null;
/** A short message at the bottom, read out by screen readers. */
export function toast(text) {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => t.classList.remove('show'), 4000);
}
