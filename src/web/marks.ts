/**
 * How a drawing marks predictions against gold: every entity and relation is correct (in both),
 * spurious (predicted only) or missed (gold only). A mark never rests on colour alone: missed items are
 * dashed and hollow, spurious ones have a thick outline and a ✗ before their type, and the status is in
 * each item's title and in the drawing's text description.
 */
import { escapeHtml as esc } from '../data/escape.js';
import { shorten } from './shorten.js';

export const ITEM_STATUSES = ['correct', 'spurious', 'missed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** What a status means, for titles, descriptions and the legend. */
const statusMeaning: Record<ItemStatus, string> = {
  correct: 'in gold and predicted',
  spurious: 'predicted, not in gold',
  missed: 'in gold, not predicted',
};

const SPURIOUS_MARKER = '✗ ';

/** The status an entity or relation carries, if it is part of a comparison (anything else in `status` is none). */
export function statusOf(item: object): ItemStatus | undefined {
  const s = (item as { status?: unknown }).status;
  return (ITEM_STATUSES as readonly unknown[]).includes(s) ? (s as ItemStatus) : undefined;
}

/** ` spurious` etc., appended to an item's class; nothing for an item without a status. */
export const statusClass = (item: object): string => {
  const s = statusOf(item);
  return s ? ` ${s}` : '';
};

/** The type as drawn under an entity box or on an arc (shortened): spurious items get a ✗ before it. */
export const markedType = (item: { type: string }): string => (statusOf(item) === 'spurious' ? SPURIOUS_MARKER : '') + shorten(item.type);

/** `, spurious` for titles and descriptions. */
export const statusWords = (item: object): string => {
  const s = statusOf(item);
  return s ? `, ${s}` : '';
};

/** A sample of each mark (an entity box and an arc with its label) with what it means: the key to a comparison page. */
export function renderMarksLegend(): string {
  const items = ITEM_STATUSES.map((s) => {
    const tag = s === 'spurious' ? SPURIOUS_MARKER + 'Type' : 'Type';
    const how = { correct: 'solid', spurious: 'thick outline, ✗', missed: 'dashed, hollow' }[s];
    // The drawing's own classes, so a sample looks exactly like what it explains.
    const sample =
      `<svg class="entrel-doc" width="150" height="34" viewBox="0 0 150 34" aria-hidden="true">` +
      `<g class="entity ${s}"><rect x="2" y="6" width="44" height="22" rx="3" fill="#d9d9d9" stroke="#525252"/>` +
      `<text class="entity-text" x="8" y="21.5">text</text></g>` +
      `<g class="relation ${s}"><path class="arc" d="M52,17 L146,17" fill="none"/>` +
      `<rect class="relation-label-bg" x="${s === 'spurious' ? 70 : 78}" y="10.5" width="${s === 'spurious' ? 58 : 42}" height="13" rx="2"/>` +
      `<text class="relation-label" x="${s === 'spurious' ? 74 : 82}" y="20.5">${esc(tag)}</text></g></svg>`;
    return `<li class="mark-${s}">${sample}<span><b>${s}</b>: ${statusMeaning[s]} <small>(${how})</small></span></li>`;
  });
  return `<ul class="legend marks" aria-label="Marks">${items.join('')}</ul>`;
}
