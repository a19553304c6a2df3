import { ApiObject, App, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver, resolve } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/**
 * The objects our constructs create hold their props in Kubernetes' JSON form already: quantities
 * and int-or-strings as plain strings and numbers, fields under their API names (`clusterIP`),
 * and L1-typed input from users converted with cdk8s-plus's own `toJson_*` functions.
 *
 * A cdk8s-plus L1 class (`k8s.KubeDeployment`, ...) converts its props field by field on every
 * `toJson()`, rebuilding each nested object from its declared fields. For props already in JSON
 * form that pass only copies them, and it was ~40% of `toJson()` at 1000 units. So the objects are
 * instances of a subclass of their L1 class that skips it: `deployment` is still a
 * `k8s.KubeDeployment`. JSON patches (`addJsonPatch`) are applied last, as before; unlike the
 * stock conversion, which runs after them, fields a patch adds are kept even when the L1 types do
 * not know them (a field of a newer Kubernetes, or one spelled `hostIPC` rather than `hostIpc`),
 * and they come after the fields of their object instead of in alphabetical order.
 *
 * `toJson()` itself is `ApiObject.toJson()` done in one walk (see {@link jsonFormToJson}).
 */
type L1Class<P, T extends ApiObject> = new (scope: Construct, id: string, props: P) => T;

const jsonFormClasses = new WeakMap<object, unknown>();
/** JSON-form objects with JSON patches, which `toJson()` leaves to the stock path that applies them. */
const patchedObjects = new WeakSet<ApiObject>();

/** Creates an object of L1 class `type` from props in JSON form (see above). */
export function createJsonFormObject<P, T extends ApiObject>(type: L1Class<P, T>, scope: Construct, id: string, props: P): T {
  let jsonFormClass = jsonFormClasses.get(type) as L1Class<P, T> | undefined;
  if (!jsonFormClass) {
    const base = type as unknown as L1Class<P, ApiObject>;
    jsonFormClass = class extends base {
      public addJsonPatch(...ops: JsonPatch[]): void {
        if (ops.length > 0) patchedObjects.add(this);
        super.addJsonPatch(...ops);
      }

      public toJson(): ReturnType<ApiObject['toJson']> {
        return patchedObjects.has(this) ? ApiObject.prototype.toJson.call(this) : jsonFormToJson(this);
      }
    } as unknown as L1Class<P, T>;
    Object.defineProperty(jsonFormClass, 'name', { value: type.name });
    jsonFormClasses.set(type, jsonFormClass);
  }
  return new jsonFormClass(scope, id, props);
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
export function jsonFormToJson(object: ApiObject): ReturnType<ApiObject['toJson']> {
  if (process.env.CDK8S_DISABLE_SORT || !hasDefaultResolvers(object)) return ApiObject.prototype.toJson.call(object);
  let json: Record<string, unknown>;
  try {
    const props = (object as unknown as { props: Record<string, unknown> }).props;
    json = sanitizedValue({ ...props, metadata: metadataJson(object) }, object, false) as Record<string, unknown>;
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

/** The fields of cdk8s' `ApiObjectMetadataDefinition` that its `toJson()` reads (private there). */
interface MetadataFields {
  readonly _additionalAttributes?: Record<string, unknown>;
  readonly name?: string;
  readonly namespace?: string;
  readonly annotations?: Record<string, string>;
  readonly finalizers?: string[];
  readonly ownerReferences?: unknown[];
  readonly labels?: Record<string, string>;
}

const OWN_METADATA_KEYS = new Set(['name', 'namespace', 'annotations', 'finalizers', 'ownerReferences', 'labels']);

/**
 * `object.metadata.toJson()` in the same walk: resolved, without empty lists and objects. It reads
 * the definition's private fields, so when their shape is not what cdk8s 2 has it asks the
 * definition itself.
 */
function metadataJson(object: ApiObject): unknown {
  const fields = object.metadata as unknown as MetadataFields;
  if (typeof fields._additionalAttributes !== 'object' || typeof fields.labels !== 'object' || typeof fields.annotations !== 'object'
    || !Array.isArray(fields.finalizers) || !Array.isArray(fields.ownerReferences)) {
    return object.metadata.toJson();
  }
  // What `{ ...additionalAttributes, name, namespace, annotations, … }` holds, without building it:
  // the attributes object is in dictionary mode (cdk8s deletes a key of it), which makes a spread slow.
  const attributes = fields._additionalAttributes;
  const own: Record<string, unknown> = {
    name: fields.name,
    namespace: fields.namespace,
    annotations: fields.annotations,
    finalizers: fields.finalizers,
    ownerReferences: fields.ownerReferences,
    labels: fields.labels,
  };
  const keys = Object.keys(own);
  for (const key of Object.keys(attributes)) if (!OWN_METADATA_KEYS.has(key)) keys.push(key);
  const metadata: Record<string, unknown> = {};
  let empty = true;
  for (const key of keys.sort()) {
    const kept = sanitizedValue(OWN_METADATA_KEYS.has(key) ? own[key] : attributes[key], object, true);
    if (kept !== undefined && kept !== null) {
      metadata[key] = kept;
      empty = false;
    }
  }
  return empty ? undefined : metadata;
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
  for (const key of Object.keys(mapping).sort()) {
    const kept = sanitizedValue(mapping[key], owner, dropEmpty);
    if (kept !== undefined && kept !== null) {
      copy[key] = kept;
      empty = false;
    }
  }
  return dropEmpty && empty ? undefined : copy;
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
 * function when the object is synthesized, as the stock L1 class does it: after the tokens in it
 * are resolved (at `key`, so custom resolvers see the usual path) and empty values are dropped.
 * Converting at construction would lose a `Lazy` that stands for a whole structure or list.
 */
export function convertWhenSynthesized<T>(value: T, toJson: (value: T) => unknown, owner: () => ApiObject, key: readonly string[]): T {
  return Lazy.any({ produce: () => toJson(withoutEmptyValues(resolve([...key], value, owner())) as T) }) as T;
}

/** What cdk8s' own (unexported) sanitizer does before an L1 conversion: no null or undefined values, sorted keys. */
function withoutEmptyValues(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutEmptyValues);
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const kept = withoutEmptyValues((value as Record<string, unknown>)[key]);
    if (kept !== undefined) result[key] = kept;
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
