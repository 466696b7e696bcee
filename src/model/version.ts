/** entrel's version (package.json, two levels above src/model/ and dist/model/), recorded in every model it writes. */
import { readFileSync } from 'node:fs';

export const ENTREL_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
