/**
 * Writes the table of every config key and its default into configs/README.md (between the `keys`
 * markers), from the schema in src/train/config-schema.ts: `node --import tsx scripts/config-keys.ts`.
 * test/train/config.test.ts fails when the table and the schema disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { configKeysTable, KEYS_BEGIN, KEYS_END } from './config-keys-table.js';

const file = new URL('../configs/README.md', import.meta.url);
const text = readFileSync(file, 'utf8');
const [a, b] = [text.indexOf(KEYS_BEGIN), text.indexOf(KEYS_END)];
if (a < 0 || b < a) throw new Error(`configs/README.md needs the markers ${KEYS_BEGIN} and ${KEYS_END}`);
writeFileSync(file, text.slice(0, a + KEYS_BEGIN.length) + '\n' + configKeysTable() + '\n' + text.slice(b));
console.log('configs/README.md: key table written');
