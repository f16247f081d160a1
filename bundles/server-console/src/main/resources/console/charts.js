// Two small SVG charts drawn from numbers only: bars over time, and a stacked progress bar.
import { h, s } from './dom.js';

/**
 * Vertical bars: points = [{label, value, title}]. The chart has a text alternative (a table-like
 * summary in <title> and <desc>) for screen readers.
 */
export function barChart(title, points, unit) {
  const w = 600, hgt = 160, left = 30, bottom = 20, top = 8;
  const max = Math.max(1, ...points.map(p => p.value));
  const bw = (w - left) / Math.max(1, points.length);
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': title });
  svg.append(s('title', null, title));
  svg.append(s('desc', null, points.map(p => `${p.label}: ${p.value} ${unit}`).join('; ')));
  for (const frac of max >= 2 ? [0, 0.5, 1] : [0, 1]) {
    const y = top + (hgt - top - bottom) * (1 - frac);
    svg.append(s('line', { class: 'axis', x1: left, x2: w, y1: y, y2: y }));
    svg.append(s('text', { x: left - 4, y: y + 3, 'text-anchor': 'end' }, String(Math.round(max * frac))));
  }
  points.forEach((p, i) => {
    const bh = (hgt - top - bottom) * p.value / max;
    const x = left + i * bw + 1;
    const bar = s('rect', { class: 'bar', x, y: hgt - bottom - bh, width: Math.max(1, bw - 2), height: bh });
    bar.append(s('title', null, `${p.title || p.label}: ${p.value} ${unit}`));
    svg.append(bar);
    if (points.length <= 12 || i % Math.ceil(points.length / 8) === 0) {
      svg.append(s('text', { x: x + bw / 2, y: hgt - 6, 'text-anchor': 'middle' }, p.label));
    }
  });
  return h('figure', { class: 'figure' }, svg);
}

const PARTS = ['succeeded', 'failed', 'running', 'queued'];
/** A stacked bar: counts = {succeeded, failed, running, queued}. */
export function progressBar(label, counts) {
  const total = PARTS.reduce((n, k) => n + (counts[k] || 0), 0);
  const svg = s('svg', { class: 'chart progress', viewBox: '0 0 300 14', role: 'img', preserveAspectRatio: 'none',
    'aria-label': `${label}: ` + PARTS.map(k => `${counts[k] || 0} ${k}`).join(', ') });
  let x = 0;
  for (const k of PARTS) {
    const width = total === 0 ? 0 : 300 * (counts[k] || 0) / total;
    if (width > 0) {
      const r = s('rect', { class: k, x, y: 0, width, height: 14 });
      r.append(s('title', null, `${counts[k]} ${k}`));
      svg.append(r);
    }
    x += width;
  }
  if (total === 0) svg.append(s('rect', { class: 'queued', x: 0, y: 0, width: 300, height: 14 }));
  const legend = h('ul', { class: 'legend' }, PARTS.map(k => h('li', null, h('span', { class: 'dot ' + k }), `${counts[k] || 0} ${k}`)));
  return h('div', { class: 'progress-box' }, svg, legend);
}
