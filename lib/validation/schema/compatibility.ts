/**
 * Where a newer release's schema may reject what an older one accepts. Upgrade checks use it to
 * walk again, against the newer release, only the objects that can have new findings there.
 */
import { FieldType, Model, Schema } from './load';

export interface UpgradeCompatibility {
  /** `apiVersion/kind` keys both releases serve. */
  readonly servedByBoth: ReadonlySet<string>;
  /**
   * Pairs of an older model and the newer model at the same place under a kind both serve, where
   * the newer one lacks a field of the older one, narrows its type, or requires a field it does
   * not: older model name to the newer names it is narrowed in.
   */
  readonly narrowed: ReadonlyMap<string, ReadonlyMap<string, Narrowing>>;
}

/** How a newer model is narrower than the older model at the same place. */
export interface Narrowing {
  /** Fields of the older model the newer one lacks or gives a narrower type (a concern even when set to null: a missing field is unknown). */
  readonly fields: readonly string[];
  /** Fields the newer model requires and the older one does not. */
  readonly required: readonly string[];
  /** One of the two models is not defined at all. @default false */
  readonly unknownModel?: boolean;
}

/** Whether a value of `older` (without findings under it) may have findings as a value of `newer`. */
export function mayBeRejected(compatibility: UpgradeCompatibility, older: string, newer: string, value: Readonly<Record<string, unknown>>): boolean {
  const narrowing = compatibility.narrowed.get(older)?.get(newer);
  if (!narrowing) return false;
  return narrowing.unknownModel === true
    || narrowing.fields.some((field) => Object.prototype.hasOwnProperty.call(value, field))
    || narrowing.required.some((field) => value[field] === undefined || value[field] === null);
}

const computed = new WeakMap<Schema, WeakMap<Schema, UpgradeCompatibility>>();

/**
 * An object without findings under `older`, whose kind both releases serve and that no value of
 * {@link mayBeRejected}, has no findings under `newer` either: at every model it reaches, each of
 * its fields exists in the newer model with a type that accepts at least the same values, and the
 * newer model requires nothing it lacks.
 */
export function upgradeCompatibility(older: Schema, newer: Schema): UpgradeCompatibility {
  let byNewer = computed.get(older);
  if (!byNewer) computed.set(older, (byNewer = new WeakMap()));
  let result = byNewer.get(newer);
  if (!result) byNewer.set(newer, (result = compute(older, newer)));
  return result;
}

function compute(older: Schema, newer: Schema): UpgradeCompatibility {
  const servedByBoth = new Set<string>();
  const pending: Array<[string, string]> = [];
  for (const [key, resource] of older.resources) {
    const newerResource = newer.resources.get(key);
    if (!newerResource) continue;
    servedByBoth.add(key);
    pending.push([resource.model, newerResource.model]);
  }
  const narrowed = new Map<string, Map<string, Narrowing>>();
  const seen = new Set<string>();
  while (pending.length) {
    const [olderName, newerName] = pending.pop()!;
    const pair = `${olderName}\u0000${newerName}`;
    if (seen.has(pair)) continue;
    seen.add(pair);
    const nested: Array<[string, string]> = [];
    const narrowing = narrowingOf(older.models.get(olderName), newer.models.get(newerName), nested);
    if (narrowing) {
      if (!narrowed.has(olderName)) narrowed.set(olderName, new Map());
      narrowed.get(olderName)!.set(newerName, narrowing);
    }
    pending.push(...nested);
  }
  return { servedByBoth, narrowed };
}

/** Compares the fields of one model pair; nested model pairs are pushed to `nested` instead. */
function narrowingOf(older: Model | undefined, newer: Model | undefined, nested: Array<[string, string]>): Narrowing | undefined {
  // The generator refuses dangling model names; if one slipped through, walk every such value again.
  if (!older || !newer) return { fields: [], required: [], unknownModel: true };
  const fields = [...older.fields]
    .filter(([field, olderType]) => {
      const newerType = newer.fields.get(field);
      return !newerType || !typeAcceptsEverythingOf(newerType, olderType, nested);
    })
    .map(([field]) => field);
  const required = newer.required.filter((field) => !older.required.includes(field));
  return fields.length || required.length ? { fields, required } : undefined;
}

/** Scalars must match exactly (or become `any`); widened formats are too rare to be worth modelling. */
function typeAcceptsEverythingOf(newer: FieldType, older: FieldType, nested: Array<[string, string]>): boolean {
  if (newer.kind === 'scalar' && newer.scalar === 'any') return true;
  switch (older.kind) {
    case 'scalar':
      return newer.kind === 'scalar' && newer.scalar === older.scalar;
    case 'array':
      return newer.kind === 'array' && typeAcceptsEverythingOf(newer.items, older.items, nested);
    case 'map':
      return newer.kind === 'map' && typeAcceptsEverythingOf(newer.values, older.values, nested);
    case 'model':
      if (newer.kind !== 'model') return false;
      nested.push([older.model, newer.model]);
      return true;
  }
}
