/**
 * Where a newer release's schema may reject what an older one accepts. Upgrade checks use it to
 * walk again, against the newer release, only the objects that can have new findings there.
 */
import { FieldType, Model, Schema } from '../../manifest/api/load';

export interface UpgradeCompatibility {
  /** `apiVersion/kind` keys both releases serve. */
  readonly servedByBoth: ReadonlySet<string>;
  /**
   * How the newer model is narrower than the older one at the same place under a kind both serve
   * (it lacks a field of the older one, narrows its type, or requires a field the older one does
   * not); `undefined` when it accepts everything the older one does, fields of nested models
   * aside (those are a pair of their own).
   */
  narrowing(older: string, newer: string): Narrowing | undefined;
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
  const narrowing = compatibility.narrowing(older, newer);
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

/**
 * The kinds both serve, and each model pair's narrowing when it is first asked for: the schema
 * walk asks only for pairs at the same place, from the kinds both serve down, and a pair's
 * narrowing depends on its two models alone.
 */
function compute(older: Schema, newer: Schema): UpgradeCompatibility {
  const servedByBoth = new Set<string>();
  for (const key of older.resources.keys()) if (newer.resources.has(key)) servedByBoth.add(key);
  // The walk asks at every model of every object: two lookups for a pair worked out before.
  const narrowings = new Map<string, Map<string, Narrowing | typeof NOT_NARROWED>>();
  return {
    servedByBoth,
    narrowing(olderName, newerName) {
      let byNewer = narrowings.get(olderName);
      if (byNewer === undefined) narrowings.set(olderName, (byNewer = new Map()));
      let narrowing = byNewer.get(newerName);
      if (narrowing === undefined) {
        narrowing = narrowingOf(older.models.get(olderName), newer.models.get(newerName)) ?? NOT_NARROWED;
        byNewer.set(newerName, narrowing);
      }
      return narrowing === NOT_NARROWED ? undefined : narrowing;
    },
  };
}

const NOT_NARROWED = Symbol('not narrowed');

/** Compares the fields of one model pair; a field of a model type is compared as a pair of its own. */
function narrowingOf(older: Model | undefined, newer: Model | undefined): Narrowing | undefined {
  // The generator refuses dangling model names; if one slipped through, walk every such value again.
  if (!older || !newer) return { fields: [], required: [], unknownModel: true };
  const fields = [...older.fields]
    .filter(([field, olderType]) => {
      const newerType = newer.fields.get(field);
      return !newerType || !typeAcceptsEverythingOf(newerType, olderType);
    })
    .map(([field]) => field);
  const required = newer.required.filter((field) => !older.required.includes(field));
  return fields.length || required.length ? { fields, required } : undefined;
}

/** Scalars must match exactly (or become `any`); widened formats are too rare to be worth modelling. */
function typeAcceptsEverythingOf(newer: FieldType, older: FieldType): boolean {
  if (newer.kind === 'scalar' && newer.scalar === 'any') return true;
  switch (older.kind) {
    case 'scalar':
      return newer.kind === 'scalar' && newer.scalar === older.scalar;
    case 'array':
      return newer.kind === 'array' && typeAcceptsEverythingOf(newer.items, older.items);
    case 'map':
      return newer.kind === 'map' && typeAcceptsEverythingOf(newer.values, older.values);
    case 'model':
      return newer.kind === 'model';
  }
}
