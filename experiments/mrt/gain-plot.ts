/**
 * `gain-forest.svg`: every study's Γ + Δ_E+R gain over its NN models (test strict relation F1, paired by
 * seed) with its 95 % t-interval, against the issue's +1.5 target: which protocols could reach it at all.
 * Plain SVG text, as src/train/plot.ts writes its charts.
 */

export interface GainRow {
  label: string;
  seeds: number;
  /** Mean paired gain and its 95 % t-interval, in F1 points. */
  mean: number;
  lo: number;
  hi: number;
  /** Whether the runs kept the model chosen on dev (else the last epoch, dev being training data). */
  chosenOnDev: boolean;
}

const ROW = 17;
const TOP = 56;
const LABEL_W = 250;
const PLOT_W = 420;
const RIGHT = 150;
const COLOR = { dev: '#1f77b4', last: '#ff7f0e', target: '#d62728', zero: '#888' };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}`;

export function gainForestSvg(rows: GainRow[], target: number, title: string): string {
  const lo = Math.floor(Math.min(-1, ...rows.map((r) => r.lo)));
  const hi = Math.ceil(Math.max(target + 0.5, ...rows.map((r) => r.hi)));
  const x = (v: number) => LABEL_W + ((v - lo) / (hi - lo)) * PLOT_W;
  const height = TOP + rows.length * ROW + 40;
  const bottom = TOP + rows.length * ROW;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL_W + PLOT_W + RIGHT}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<text x="${(LABEL_W + PLOT_W + RIGHT) / 2}" y="16" text-anchor="middle" font-size="13">${esc(title)}</text>`,
    `<circle cx="${LABEL_W}" cy="32" r="3" fill="${COLOR.dev}"/><text x="${LABEL_W + 8}" y="36">model chosen on dev</text>`,
    `<circle cx="${LABEL_W + 150}" cy="32" r="3" fill="${COLOR.last}"/><text x="${LABEL_W + 158}" y="36">last epoch (dev trained on)</text>`,
  ];
  const step = Math.ceil((hi - lo) / 12);
  for (let v = lo; v <= hi; v += step) {
    out.push(`<line x1="${x(v)}" y1="${TOP - 6}" x2="${x(v)}" y2="${bottom}" stroke="#eee"/>`);
    out.push(`<text x="${x(v)}" y="${bottom + 14}" text-anchor="middle">${v === 0 ? '0' : signed(v)}</text>`);
  }
  out.push(`<line x1="${x(0)}" y1="${TOP - 6}" x2="${x(0)}" y2="${bottom}" stroke="${COLOR.zero}"/>`);
  out.push(`<line x1="${x(target)}" y1="${TOP - 6}" x2="${x(target)}" y2="${bottom}" stroke="${COLOR.target}" stroke-dasharray="4 3"/>`);
  out.push(`<text x="${x(target) + 4}" y="${TOP - 8}" fill="${COLOR.target}">target ${signed(target)}</text>`);
  out.push(`<text x="${LABEL_W + PLOT_W / 2}" y="${bottom + 30}" text-anchor="middle">gain over NN, test strict relation F1 (points; mean and 95 % t-interval over seeds)</text>`);
  rows.forEach((r, i) => {
    const y = TOP + i * ROW + ROW / 2;
    const color = r.chosenOnDev ? COLOR.dev : COLOR.last;
    out.push(`<text x="${LABEL_W - 8}" y="${y + 4}" text-anchor="end">${esc(r.label)} (${r.seeds})</text>`);
    out.push(`<line x1="${x(r.lo)}" y1="${y}" x2="${x(r.hi)}" y2="${y}" stroke="${color}" stroke-width="1.5"/>`);
    out.push(`<circle cx="${x(r.mean)}" cy="${y}" r="3" fill="${color}"/>`);
    out.push(`<text x="${LABEL_W + PLOT_W + 8}" y="${y + 4}">${signed(r.mean)} (${signed(r.lo)} … ${signed(r.hi)})</text>`);
  });
  out.push('</svg>\n');
  return out.join('\n');
}
