/**
 * Any value from a token or a provider's document, as text for a message. `String(value)` is not
 * safe there: JSON can hold `{"toString": null}`, which String() and template literals throw on.
 */
export function show(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
