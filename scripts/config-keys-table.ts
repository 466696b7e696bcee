/** The markdown table of every config key and its default, as configs/README.md holds it. */
import { configKeys } from '../src/train/config-schema.js';

export const KEYS_BEGIN = '<!-- keys -->';
export const KEYS_END = '<!-- /keys -->';

export function configKeysTable(): string {
  const rows = configKeys().map(({ key, default: d }) => `| \`${key}\` | ${d === undefined ? '–' : `\`${JSON.stringify(d)}\``} |`);
  return ['| key | default |', '|---|---|', ...rows].join('\n');
}
