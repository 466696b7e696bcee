/** `1 relation`, `0 relations`, `2 entities`: a count with its noun in the right number. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** The same, for the page's inline script (kept in step with `counted` by test/web/render.test.ts). */
export const countedScript = `const counted = (n, singular, plural = singular + 's') => n + ' ' + (n === 1 ? singular : plural);`;

/** `3 entities, 1 relation`: what a document holds, for captions and the status line. */
export const documentCounts = (entities: number, relations: number): string =>
  `${counted(entities, 'entity', 'entities')}, ${counted(relations, 'relation')}`;
