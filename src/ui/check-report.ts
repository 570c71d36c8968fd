import { DOMImplementation, type Element, XMLSerializer } from '@xmldom/xmldom';
import type { Check } from '../check.js';
import { summarize } from '../check.js';
import type { Style } from './color.js';
import { lines, type Safe, t } from './safe.js';
import { checkRows, summaryLine } from './verdicts.js';

/** `togo check`'s outputs: the human table, the JSON document, JUnit XML and GitHub annotations. */

export const checkSummary = summarize;

export function checkJson(issuer: string, checks: readonly Check[]) {
  const summary = checkSummary(checks);
  return { ok: summary.fail === 0, issuer, summary, checks };
}

export function renderCheckTable(issuer: string, checks: readonly Check[], s: Style): Safe {
  return lines([s.bold(t`togo check ${issuer}`), t``, ...checkRows(checks, s), t``, summaryLine(checks, s)]);
}

/**
 * XML 1.0 allows only the characters of its Char production (§2.2): tab, LF, CR and U+0020 and up,
 * less the surrogates and U+FFFE/U+FFFF. Anything else a provider sends (C0 controls, lone
 * surrogates, non-characters) becomes U+FFFD, so the file stays well-formed; markup and line breaks
 * in attributes are escaped by the DOM serializer.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
function xmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD');
}

/**
 * JUnit XML as CI systems read it: one testcase per check, failures as <failure>. Built as a DOM
 * and serialized by @xmldom/xmldom, which escapes markup characters in text and attributes and
 * line breaks and tabs in attributes (&#10;), so provider text never starts markup or a line of
 * its own.
 */
export function renderJunit(issuer: string, checks: readonly Check[], timestamp: Date): string {
  const sum = checkSummary(checks);
  const doc = new DOMImplementation().createDocument(null, 'testsuites', null);
  const el = (name: string, attrs: Record<string, string | number>, text?: string): Element => {
    const e = doc.createElement(name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, xmlText(String(v)));
    if (text !== undefined) e.appendChild(doc.createTextNode(xmlText(text)));
    return e;
  };
  const indent = (parent: Element, depth: number, child: Element): void => {
    parent.appendChild(doc.createTextNode(`\n${'  '.repeat(depth)}`));
    parent.appendChild(child);
  };
  const root = doc.documentElement as Element;
  for (const [k, v] of Object.entries({
    name: 'togo check',
    tests: checks.length,
    failures: sum.fail,
    errors: 0,
  }))
    root.setAttribute(k, String(v));
  const suite = el('testsuite', {
    name: `togo check ${issuer}`,
    tests: checks.length,
    failures: sum.fail,
    errors: 0,
    skipped: sum.skip,
    timestamp: timestamp.toISOString().replace(/\.\d+Z$/, ''),
  });
  indent(root, 1, suite);
  for (const c of checks) {
    const group = c.id.split(/[.:]/)[0] || 'check';
    const testcase = el('testcase', { classname: `togo.check.${group}`, name: c.id, time: 0 });
    if (c.status === 'fail') {
      indent(
        testcase,
        3,
        el('failure', { message: c.message, type: 'fail' }, `${c.message}\nhint: ${c.hint ?? ''}`),
      );
    } else if (c.status === 'warn') {
      indent(testcase, 3, el('system-out', {}, `WARN: ${c.message}\nhint: ${c.hint ?? ''}`));
    } else if (c.status === 'skip') {
      indent(testcase, 3, el('skipped', { message: c.message }));
    }
    if (testcase.hasChildNodes()) testcase.appendChild(doc.createTextNode('\n    '));
    indent(suite, 2, testcase);
  }
  suite.appendChild(doc.createTextNode('\n  '));
  root.appendChild(doc.createTextNode('\n'));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}\n`;
}

/**
 * The report of a check that could not run (provider down, unreachable, a broken config): one
 * failing testcase that names the error, so the CI report is never empty when the run failed.
 */
export function errorCheck(code: string, message: string, hint: string): Check {
  return { id: 'check.run', status: 'fail', message: `[${code}] ${message}`, hint };
}

/** GitHub Actions workflow commands: data escapes %, CR, LF; properties also : and ,. */
function ghData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function ghProperty(text: string): string {
  return ghData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubAnnotations(checks: readonly Check[]): string[] {
  return checks
    .filter((c) => c.status === 'fail' || c.status === 'warn')
    .map(
      (c) =>
        `::${c.status === 'fail' ? 'error' : 'warning'} title=${ghProperty(`togo check ${c.id}`)}::${ghData(
          c.hint ? `${c.message} (hint: ${c.hint})` : c.message,
        )}`,
    );
}
