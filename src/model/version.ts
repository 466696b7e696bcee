/** entrel's version (package.json, two levels above src/model/ and dist/model/), recorded in every model it writes. */
import { readFileSync } from 'node:fs';
import { ownModuleUrl } from '../data/package-dir.js';

// ownModuleUrl: a bundled copy of entrel is refused as it is imported (package-dir.ts), not read another package.json.
export const ENTREL_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', ownModuleUrl(import.meta.url)), 'utf8')) as { version: string }).version;
