/**
 * Text placed in an HTML page togo serves (the loopback listeners' pages, the emulator's): the five
 * characters that could end an element or an attribute become entities, so a value from outside
 * (a provider's error description, a client name) is shown as text and never read as markup.
 */
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
