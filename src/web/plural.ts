import { counted } from '../errors.js';

/** `counted` (src/errors.ts) for the page's inline script (kept in step with it by test/web/render.test.ts). */
export const countedScript = `const counted = (n, singular, plural = singular + 's') => n + ' ' + (n === 1 ? singular : plural);`;

/** `3 entities, 1 relation`: what a document holds, for captions and the status line. */
export const documentCounts = (entities: number, relations: number): string =>
  `${counted(entities, 'entity', 'entities')}, ${counted(relations, 'relation')}`;
