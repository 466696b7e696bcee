/** Escape text for HTML/SVG content and attribute values (double or single quoted). */
export function escapeHtml(s: string): string {
  if (!/[&<>"']/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
