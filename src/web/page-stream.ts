/**
 * A page written piece by piece (`extract --in … --format html`, `entrel view`): the header, then per
 * document its figure (View tab) and its JSON (JSON tab), then the legend of entity types. Nothing but
 * the legend's counts is kept between pieces, so a page of any size is written with bounded memory.
 */
import type { ExtractedDocument } from '../extract/types.js';
import { escapeHtml as esc } from '../data/escape.js';
import type { PageColors } from './colors.js';
import { countTypes, htmlPageParts, readableJson, renderLegendCounts } from './html.js';
import { panel, tabBar, tabScript } from './styles.js';

/** One document of a page. */
export interface PagePart {
  /** What the figure draws; its entities are counted in the legend. */
  doc: ExtractedDocument;
  /** The document's figure, for the View tab. */
  figure: string;
  /** The document as the JSON tab shows it. */
  json: unknown;
}

export interface PageExtras {
  /** HTML between the title and the tabs (seen with either tab). */
  top?: string;
  /** HTML at the top of the View tab. */
  viewTop?: string;
  /** HTML at the end of the View tab, before the legend; asked for once every part is written. */
  viewEnd?: () => string;
}

/** The page's pieces in order: `head()`, `part(p)` for each document, `end()`; `colors`: the ones its figures are drawn in, for the legend. */
export function pageWriter(title: string, colors: PageColors, extras: PageExtras = {}) {
  const [head, tail] = htmlPageParts(title, [tabScript]);
  const counts = new Map<string, number>();
  return {
    head: () => `${head}<h1>${esc(title)}</h1>${extras.top ?? ''}${tabBar}<div class="entrel-view">${extras.viewTop ? panel('view', extras.viewTop) : ''}`,
    part: ({ doc, figure, json }: PagePart) => {
      countTypes(doc, counts);
      return panel('view', figure) + panel('json', `<pre class="json">${esc(readableJson(json))}</pre>`);
    },
    end: () => `${panel('view', `${extras.viewEnd?.() ?? ''}<h2>Entity types</h2>${renderLegendCounts(counts, colors)}`)}</div>${tail}`,
  };
}

/** The whole page as it streams: one piece per document, for `writeAtomic`. */
export async function* streamPage(title: string, parts: AsyncIterable<PagePart>, colors: PageColors, extras: PageExtras = {}): AsyncGenerator<string> {
  const page = pageWriter(title, colors, extras);
  yield page.head();
  for await (const p of parts) yield page.part(p);
  yield page.end();
}
