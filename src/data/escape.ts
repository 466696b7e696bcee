/** Characters XML 1.0 forbids: C0 controls other than tab and line breaks, lone surrogates, U+FFFE/U+FFFF. */
const notXml = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const hasNotXml = new RegExp(notXml.source); // without g: test() keeps no state between calls

/**
 * Escape text for HTML/SVG/XML content and attribute values (double or single quoted): the web view's
 * pages, the training curves (train/plot.ts), Label Studio's labeling config. Characters XML
 * forbids become U+FFFD: one of them (a vertical tab in an entity's text) would make a saved SVG
 * unreadable as a whole.
 */
export function escapeHtml(s: string): string {
  if (!/[&<>"']/.test(s)) return hasNotXml.test(s) ? s.replace(notXml, '\ufffd') : s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(notXml, '\ufffd');
}
