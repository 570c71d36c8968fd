import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/http/html.js';

describe('text in the pages togo serves', () => {
  it('shows markup from outside as text, in an element and in a quoted attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
    );
  });

  it('leaves ordinary text, and any value made text, as it is', () => {
    expect(escapeHtml('Joe Marsh — Airstream')).toBe('Joe Marsh — Airstream');
    expect(escapeHtml(42)).toBe('42');
  });
});
