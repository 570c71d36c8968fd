import { describe, expect, it } from 'vitest';
import { cleanPasted, cleanPastedUrl, describeCleaning } from '../../src/oidc/paste.js';

describe('a pasted token', () => {
  it('loses the quotes, line breaks and spaces copying added, and says which', () => {
    expect(cleanPasted('  "eyJhbGci.\n  eyJzdWIi.\r\n  c2ln"  ')).toEqual({
      text: 'eyJhbGci.eyJzdWIi.c2ln',
      cleaned: ['quotes', 'line breaks', 'spaces'],
    });
  });

  it('reports nothing when nothing was removed', () => {
    expect(cleanPasted('eyJhbGci.eyJzdWIi.c2ln')).toEqual({ text: 'eyJhbGci.eyJzdWIi.c2ln', cleaned: [] });
  });

  it('takes typographic quotes off as well', () => {
    expect(cleanPasted('\u201ceyJ.eyJ.sig\u201d').text).toBe('eyJ.eyJ.sig');
  });
});

describe('a pasted URL', () => {
  it('joins the lines a terminal wrapped, dropping their indentation', () => {
    expect(cleanPastedUrl("'https://id.example/login?client_id=app\n    &state=abc'")).toEqual({
      text: 'https://id.example/login?client_id=app&state=abc',
      cleaned: ['quotes', 'line breaks'],
    });
  });

  it('keeps a space inside the URL: it is part of what was given', () => {
    expect(cleanPastedUrl('https://id.example/login?scope=openid email').text).toBe(
      'https://id.example/login?scope=openid email',
    );
  });
});

describe('the note about what was removed', () => {
  it('reads as a sentence for one, two or three things', () => {
    expect(describeCleaning(['quotes'])).toBe('removed quotes');
    expect(describeCleaning(['quotes', 'spaces'])).toBe('removed quotes and spaces');
    expect(describeCleaning(['quotes', 'line breaks', 'spaces'])).toBe(
      'removed quotes, line breaks and spaces',
    );
  });
});
