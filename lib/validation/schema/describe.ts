/** How schema findings spell a value: shared by the built-in and the CRD schema checks. */

/** `a list`, `an object`, `the string "…"` (cut at 40 characters), `the number 3`. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}
