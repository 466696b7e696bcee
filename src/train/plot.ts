/**
 * The training curve (`curve.svg`): dev F1 of entities and relations (left panel) and the training
 * losses (right panel) per epoch. Plain SVG text, no plotting library: two line charts are all we need
 * and the file must be written after every epoch without a browser or canvas.
 */
import { escapeHtml as esc } from '../data/escape.js';
import type { EpochRecord } from './log.js';

interface Series {
  name: string;
  color: string;
  values: number[];
}

const W = 360;
const H = 240;
const M = { l: 48, r: 12, t: 28, b: 36 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

export function curveSvg(records: EpochRecord[], title = 'training curve'): string {
  const epochs = records.map((r) => r.epoch);
  const f1: Series[] = [
    { name: 'dev entity F1', color: COLORS[0], values: records.map((r) => r.dev.entF1) },
    { name: 'dev relation F1', color: COLORS[1], values: records.map((r) => r.dev.relF1) },
  ];
  const lossNames = records.length ? Object.keys(records[0].loss) : [];
  const losses = lossNames.map((name, i) => ({ name: `${name} loss`, color: COLORS[(i + 2) % COLORS.length], values: records.map((r) => r.loss[name]) }));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 20}" font-family="sans-serif" font-size="11">`,
    `<text x="${W}" y="14" text-anchor="middle" font-size="13">${esc(title)}</text>`,
    panel(0, 'dev F1', epochs, f1, [0, 1]),
    panel(W, 'training loss', epochs, losses),
    '</svg>\n',
  ].join('\n');
}

/**
 * One line chart over categories (`ticks`, evenly spaced): experiment figures such as dev F1 over K.
 * `series[i].points` may hold NaN for settings not run yet.
 */
export function lineChartSvg(title: string, ticks: string[], series: { label: string; points: number[] }[], xName: string, yRange?: [number, number]): string {
  const xs = ticks.map((_, i) => i);
  const lines = series.map((s, i) => ({ name: s.label, color: COLORS[i % COLORS.length], values: s.points }));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W + 40}" height="${H + 20}" font-family="sans-serif" font-size="11">`,
    panel(20, title, xs, lines, yRange, { ticks, name: xName }),
    '</svg>\n',
  ].join('\n');
}

function panel(x0: number, label: string, xs: number[], series: Series[], fixed?: [number, number], axis?: { ticks: string[]; name: string }): string {
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  let [lo, hi] = fixed ?? [Math.min(0, ...all), Math.max(1e-9, ...all)];
  if (!fixed) hi *= 1.05;
  const xMin = xs.length ? xs[0] : 0;
  const xMax = Math.max(xMin + 1, xs.length ? xs[xs.length - 1] : 1);
  const px = (x: number) => x0 + M.l + ((x - xMin) / (xMax - xMin)) * (W - M.l - M.r);
  const py = (y: number) => 20 + M.t + (1 - (y - lo) / (hi - lo || 1)) * (H - M.t - M.b);
  const out = [`<g>`, `<text x="${x0 + W / 2}" y="${20 + M.t - 8}" text-anchor="middle">${esc(label)}</text>`];
  out.push(`<rect x="${px(xMin)}" y="${py(hi)}" width="${px(xMax) - px(xMin)}" height="${py(lo) - py(hi)}" fill="none" stroke="#888"/>`);
  for (let i = 0; i <= 4; i++) {
    const y = lo + ((hi - lo) * i) / 4;
    out.push(`<text x="${px(xMin) - 4}" y="${py(y) + 4}" text-anchor="end">${fmt(y)}</text>`);
  }
  const ticks: [number, string][] = axis ? axis.ticks.map((t, i) => [i, t]) : [[xMin, String(xMin)], [xMax, String(xMax)]];
  for (const [x, t] of ticks) out.push(`<text x="${px(x)}" y="${py(lo) + 14}" text-anchor="middle">${esc(t)}</text>`);
  out.push(`<text x="${(px(xMin) + px(xMax)) / 2}" y="${py(lo) + 28}" text-anchor="middle">${esc(axis?.name ?? 'epoch')}</text>`);
  series.forEach((s, i) => {
    const pts = s.values.map((v, j) => (Number.isFinite(v) ? `${px(xs[j]).toFixed(1)},${py(v).toFixed(1)}` : '')).filter(Boolean);
    if (pts.length) out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts.join(' ')}"/>`);
    if (axis) for (const pt of pts) out.push(`<circle cx="${pt.split(',')[0]}" cy="${pt.split(',')[1]}" r="2.5" fill="${s.color}"/>`);
    const ly = py(hi) + 14 + 14 * i;
    out.push(`<line x1="${px(xMin) + 8}" y1="${ly - 4}" x2="${px(xMin) + 24}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`);
    out.push(`<text x="${px(xMin) + 28}" y="${ly}">${esc(s.name)}</text>`);
  });
  out.push('</g>');
  return out.join('\n');
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
}
