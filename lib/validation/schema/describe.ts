/** How schema findings spell a field path and a value: shared by the built-in and the CRD schema checks. */

/** `path.key`, or `path["odd key"]` for a key that is not an identifier. */
export function joinPath(path: string, key: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}

/** `a list`, `an object`, `the string "…"` (cut at 40 characters), `the number 3`. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}
