import {
  ApiObject, ApiObjectMetadata, ApiObjectProps, App, GroupVersionKind, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver,
  NumberStringUnionResolver, resolve,
} from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { mergedRecord } from './records';

/**
 * The objects our constructs create hold their fields in Kubernetes' JSON form already: quantities
 * and int-or-strings as plain strings and numbers, fields under their API names (`clusterIP`),
 * and L1-typed input from users converted with cdk8s-plus's own `toJson_*` functions.
 *
 * So they are plain cdk8s `ApiObject`s, whose props are JSON by definition, and not instances of
 * the cdk8s-plus L1 classes (`k8s.KubeDeployment`, ...): an L1 class converts its props field by
 * field from the L1 form on every `toJson()`, which is wrong for JSON-form props (it drops
 * `clusterIP` and the fields of a newer Kubernetes) and was ~40% of `toJson()` at 1000 units.
 * The L1 class only names the kind (its static `GVK`).
 *
 * `toJson()` is `ApiObject.toJson()` done in one walk (see {@link jsonFormToJson}); JSON patches
 * (`addJsonPatch`) go through the stock `ApiObject.toJson()`, which applies them last.
 */
export class JsonFormObject extends ApiObject {
  /** The props as given to `ApiObject` (apiVersion, kind, metadata and the JSON-form fields). */
  private readonly jsonFormProps: ApiObjectProps;
  private patched = false;

  constructor(scope: Construct, id: string, props: ApiObjectProps) {
    super(scope, id, props);
    this.jsonFormProps = props;
  }

  public addJsonPatch(...ops: JsonPatch[]): void {
    if (ops.length > 0) this.patched = true;
    super.addJsonPatch(...ops);
  }

  public toJson(): ReturnType<ApiObject['toJson']> {
    return this.patched ? super.toJson() : jsonFormToJson(this, this.jsonFormProps);
  }
}

/** The fields of an object besides `apiVersion` and `kind`, in Kubernetes' JSON form. */
export interface JsonFormProps {
  /** The object's metadata. @default - only what the chart adds (namespace, labels) */
  readonly metadata?: ApiObjectMetadata;
  /** Every other field, under its API name. */
  readonly [field: string]: unknown;
}

/** What names a kind: a cdk8s-plus L1 class (`k8s.KubeDeployment`) has it as its static `GVK`. */
export interface ObjectKind {
  /** The kind's apiVersion and kind. */
  readonly GVK: GroupVersionKind;
}

/** Creates a {@link JsonFormObject} of the kind `kind` names (e.g. `k8s.KubeDeployment`) from fields in JSON form. */
export function createJsonFormObject(kind: ObjectKind, scope: Construct, id: string, props: JsonFormProps): JsonFormObject {
  return new JsonFormObject(scope, id, mergedRecord<ApiObjectProps>(kind.GVK, props as ApiObjectProps));
}

/** Thrown inside the walk of {@link jsonFormToJson} when a value needs cdk8s' own `toJson()` to render (or to fail) as it does. */
const STOCK_PATH = Symbol('stock ApiObject.toJson');

/**
 * What `ApiObject.toJson()` returns for an object without JSON patches, built in one walk instead
 * of cdk8s' `resolve` (a new key path array and an `App.of` lookup at every node) followed by its
 * `sanitizeValue` (a second copy): plain objects get sorted keys without null or undefined values,
 * arrays are copied with null items as undefined, and only a value that may be a token (a `Lazy`,
 * anything with a `resolve()` method, a number-or-string union, any other class instance) goes
 * through cdk8s' `resolve`, whose result is walked in turn. Output equals the stock path's: same
 * key order, same values (test/lib/json-form.test.ts compares both on the stacks). Anything the
 * stock path would do differently goes to it: custom resolvers on the App, `CDK8S_DISABLE_SORT`,
 * or a value that is not a token and not plain (the stock path renders or rejects it as it does).
 */
function jsonFormToJson(object: ApiObject, props: ApiObjectProps): ReturnType<ApiObject['toJson']> {
  if (process.env.CDK8S_DISABLE_SORT || !hasDefaultResolvers(object)) return ApiObject.prototype.toJson.call(object);
  let json: Record<string, unknown>;
  try {
    // The metadata's own toJson() is resolved and sanitized already, as the stock path uses it.
    json = sanitizedValue({ ...props, metadata: undefined }, object, false) as Record<string, unknown>;
    const metadata = object.metadata.toJson();
    if (metadata !== undefined) json.metadata = metadata;
  } catch (e) {
    if (e === STOCK_PATH) return ApiObject.prototype.toJson.call(object);
    throw new Error(`Failed serializing construct at path '${object.node.path}' with name '${object.name}': ${e}`);
  }
  // As ApiObject.toJson(): apiVersion, kind and metadata first, then the rest.
  const result: Record<string, unknown> = {};
  for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) {
    if (key in json) result[key] = json[key];
  }
  return result;
}

const DEFAULT_RESOLVERS: readonly (new () => unknown)[] = [LazyResolver, ImplicitTokenResolver, NumberStringUnionResolver];

/** Whether the object's App resolves with exactly cdk8s' default resolvers, the only ones the walk knows. */
function hasDefaultResolvers(object: ApiObject): boolean {
  const resolvers = App.of(object).resolvers;
  return resolvers.length === DEFAULT_RESOLVERS.length && resolvers.every((resolver, i) => resolver.constructor === DEFAULT_RESOLVERS[i]);
}

/**
 * `sanitizeValue(resolve([], value, owner), { filterEmptyArrays: dropEmpty, filterEmptyObjects: dropEmpty })`
 * with the default resolvers, in one walk; throws STOCK_PATH where they would differ.
 */
function sanitizedValue(value: unknown, owner: ApiObject, dropEmpty: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  const type = typeof value;
  if (type !== 'object' && type !== 'function') return value;
  const candidate = value as { resolve?: unknown; value?: unknown; constructor?: unknown };
  if (type === 'function' || typeof candidate.resolve === 'function' || (!Array.isArray(value) && candidate.constructor !== Object)) {
    return resolvedValue(value, owner, dropEmpty);
  }
  if (Array.isArray(value)) {
    // NumberStringUnionResolver also takes an array with a number or string `value` property.
    if (typeof candidate.value === 'number' || typeof candidate.value === 'string') return resolvedValue(value, owner, dropEmpty);
    if (dropEmpty && value.length === 0) return undefined;
    const copy = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = sanitizedValue(value[i], owner, dropEmpty);
    return copy;
  }
  const mapping = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  let empty = true;
  const keys = sortedKeys(mapping);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const kept = sanitizedValue(mapping[key], owner, dropEmpty);
    if (kept !== undefined && kept !== null) {
      copy[key] = kept;
      empty = false;
    }
  }
  return dropEmpty && empty ? undefined : copy;
}

/** Above this many keys a mapping is sorted by `Array.prototype.sort`; below, by insertion, whose cost grows with the square of the count. */
const INSERTION_SORT_LIMIT = 24;

/**
 * The mapping's own keys in `Array.prototype.sort()` order (UTF-16 code units, as `<` compares
 * strings). V8's sort allocates a work area of several hundred bytes per call, which was about a sixth
 * of all memory allocated by a synthesis; the mappings of a manifest have a few keys each, often
 * in order already, and an insertion sort orders them in place.
 */
function sortedKeys(mapping: Record<string, unknown>): string[] {
  const keys = Object.keys(mapping);
  if (keys.length > INSERTION_SORT_LIMIT) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/** A value the default resolvers may replace: resolved by cdk8s, then walked; one they leave as it is goes to the stock path. */
function resolvedValue(value: unknown, owner: ApiObject, dropEmpty: boolean): unknown {
  if (typeof value === 'function') {
    const fn = value as { resolve?: unknown; value?: unknown };
    if (typeof fn.resolve !== 'function' && typeof fn.value !== 'number' && typeof fn.value !== 'string') return value;
  }
  const resolved = resolve([], value, owner);
  if (resolved === value) throw STOCK_PATH;
  return sanitizedValue(resolved, owner, dropEmpty);
}

/**
 * L1-typed input from users inside JSON-form props, converted with its cdk8s-plus `toJson_*`
 * function when the object is synthesized, after the tokens in it are resolved (at `key`, so
 * custom resolvers see the usual path), as the stock L1 class converts its props after resolving
 * them. Converting at construction would lose a `Lazy` that stands for a whole structure or list.
 * The converted value is walked like every other field (sorted keys, no empty values).
 */
export function convertWhenSynthesized<T>(value: T, toJson: (value: T) => unknown, owner: () => ApiObject, key: readonly string[]): T {
  return Lazy.any({ produce: () => toJson(withoutNulls(resolve([...key], value, owner())) as T) });
}

/**
 * The value without null fields and with null list items as undefined: a `toJson_*` function
 * reads the fields of every nested value it is given and fails on null, while cdk8s' resolve
 * keeps a null a user (or a `Lazy`) put in. Key order does not matter: the result is sorted later.
 */
function withoutNulls(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutNulls);
  const result: Record<string, unknown> = {};
  for (const [field, item] of Object.entries(value)) {
    const kept = withoutNulls(item);
    if (kept !== undefined) result[field] = kept;
  }
  return result;
}

/** A quantity in JSON form (`"250m"`); typed as the L1 wrapper only so that it fits L1 prop types. */
export function quantityValue(value: string): k8s.Quantity {
  return value as unknown as k8s.Quantity;
}

/** An int-or-string in JSON form (`8080`, `"http"`, `"25%"`); typed as the L1 wrapper for the same reason. */
export function intOrStringValue(value: number | string): k8s.IntOrString {
  return value as unknown as k8s.IntOrString;
}
