/**
 * Bounded depth for values that came from outside (token claims, provider responses). Parsing a
 * deeply nested document is cheap, but every recursive walk over it (rendering, JSON.stringify)
 * would overflow the stack; values are cut once, where they enter, and shown cut with a note.
 */

/** The deepest nesting togo keeps; real claims and responses stay within a handful of levels. */
export const MAX_DEPTH = 64;

/** What stands in for a value that was nested too deep. */
export function depthMarker(max: number = MAX_DEPTH): string {
  return `[cut: nested deeper than ${max} levels]`;
}

/** The note togo prints (and lists in --json warnings) when something was cut. */
export function depthNote(what: string, max: number = MAX_DEPTH): string {
  return `${what} holds values nested deeper than ${max} levels; they are shown cut at that depth`;
}

export interface DepthLimited<T> {
  value: T;
  /** True when something was replaced by the marker. */
  cut: boolean;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `value` in which every array or plain object nested more than `max` levels deep is
 * replaced by the marker. Other objects (class instances, errors with toJSON) are kept as they are.
 * The walk itself never goes deeper than `max`, so it cannot overflow.
 */
export function limitDepth<T>(value: T, max: number = MAX_DEPTH): DepthLimited<T> {
  // The common case, a shallow value, is returned as it is: no copy.
  if (!deeperThan(value, max, 0)) return { value, cut: false };
  let cut = false;
  const marker = depthMarker(max);
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    const isArray = Array.isArray(v);
    if (!isArray && !isPlain(v)) return v;
    if (depth >= max) {
      cut = true;
      return marker;
    }
    if (isArray) return (v as unknown[]).map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      // defineProperty: a "__proto__" key stays an own data property, as JSON.parse made it.
      Object.defineProperty(out, key, {
        value: walk((v as Record<string, unknown>)[key], depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  const result = walk(value, 0) as T;
  return { value: result, cut };
}

/** True when an array or plain object sits at `max` levels or deeper; never walks past `max`. */
function deeperThan(v: unknown, max: number, depth: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (!Array.isArray(v) && !isPlain(v)) return false;
  if (depth >= max) return true;
  if (Array.isArray(v)) {
    for (const item of v) if (deeperThan(item, max, depth + 1)) return true;
    return false;
  }
  for (const key in v) {
    if (Object.hasOwn(v, key) && deeperThan((v as Record<string, unknown>)[key], max, depth + 1)) return true;
  }
  return false;
}
