/** stdout of a `--json` run, parsed. */
export function parse<T = Record<string, unknown>>(r: { stdout: string }): T {
  return JSON.parse(r.stdout) as T;
}
