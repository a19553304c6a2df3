/**
 * A new object with the own enumerable string-keyed fields of `first` and then `second` (which
 * wins): what `{ ...first, ...second }` gives, built by assignment. For the small maps the
 * constructs keep per object (labels, selectors, resource lists): the V8 of Node 20 gives nearly
 * every object made by spreading a hidden class of its own (a map and its descriptors, and the
 * time to make them), while objects built field by field from the same keys share one.
 */
export function mergedRecord<T extends object>(first: T | undefined, second?: T): T {
  const record = {} as Record<string, unknown>;
  copyInto(record, first);
  copyInto(record, second);
  return record as T;
}

function copyInto(record: Record<string, unknown>, source: object | undefined): void {
  if (source === undefined || source === null) return;
  for (const key of Object.keys(source)) {
    const value = (source as Record<string, unknown>)[key];
    // Assigning `__proto__` would set the prototype; spreading defines an own field.
    if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
    else record[key] = value;
  }
}

/** A copy of a list built with `push`, without the spare room `push` leaves at its end: for the lists the objects keep. */
export function exactCopy<T>(list: readonly T[]): T[] {
  return list.slice();
}
