/**
 * What copying and pasting does to a token or a URL: surrounding quotes, line breaks from a
 * terminal or an e-mail that wrapped it, spaces. Neither a JWT nor a URL holds whitespace, so it is
 * removed; what was removed is reported, so the caller can say so.
 */
export interface Pasted {
  text: string;
  /** What was removed, for a note: `line breaks`, `quotes`, `spaces`. Empty when nothing was. */
  cleaned: string[];
}

export function cleanPasted(input: string): Pasted {
  const cleaned: string[] = [];
  let text = input.trim();
  const quoted = /^(["'`\u2018\u201c])([\s\S]*)(["'`\u2019\u201d])$/.exec(text);
  if (quoted) {
    text = quoted[2]!.trim();
    cleaned.push('quotes');
  }
  if (/[\r\n]/.test(text)) cleaned.push('line breaks');
  if (/[^\S\r\n]/.test(text)) cleaned.push('spaces');
  if (/\s/.test(text)) text = text.replace(/\s+/g, '');
  return { text, cleaned };
}

/**
 * A pasted URL: surrounding quotes and whitespace, and line breaks from a terminal or an e-mail
 * that wrapped it (with the indentation that follows them), are removed. Spaces inside are kept:
 * they are part of the URL that was given (an unencoded value), and explaining that URL, not a
 * repaired one, is the point.
 */
export function cleanPastedUrl(input: string): Pasted {
  const cleaned: string[] = [];
  let text = input.trim();
  const quoted = /^(["'`\u2018\u201c])([\s\S]*)(["'`\u2019\u201d])$/.exec(text);
  if (quoted) {
    text = quoted[2]!.trim();
    cleaned.push('quotes');
  }
  if (/[\r\n]/.test(text)) {
    cleaned.push('line breaks');
    text = text.replace(/[^\S\r\n]*[\r\n]+[^\S\r\n]*/g, '');
  }
  return { text, cleaned };
}

/** "removed line breaks and spaces" */
export function describeCleaning(cleaned: readonly string[]): string {
  if (cleaned.length <= 1) return `removed ${cleaned.join('')}`;
  return `removed ${cleaned.slice(0, -1).join(', ')} and ${cleaned[cleaned.length - 1]}`;
}
