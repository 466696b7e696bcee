export { renderDocumentSvg, type SvgOptions } from './svg.js';
export { renderHtml, renderHtmlReport, type HtmlOptions } from './html.js';
export { renderAppPage } from './app-page.js';
export {
  renderComparisonHtml,
  comparisonCounts,
  type ComparedDocument,
  type ComparedEntity,
  type ComparedRelation,
  type ComparisonHtmlOptions,
  type ComparisonScores,
  type StatusCounts,
} from './compare.js';
export type { ItemStatus } from './marks.js';
export { typeColor } from './colors.js';
export { escapeHtml } from '../data/escape.js';
