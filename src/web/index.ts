export { renderDocumentSvg, type SvgOptions } from './svg.js';
export { renderHtml, renderHtmlReport, type HtmlOptions } from './html.js';
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
