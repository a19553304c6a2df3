import { ApiObject, Lazy, resolve } from 'cdk8s';
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
 */
type L1Class<P, T extends ApiObject> = new (scope: Construct, id: string, props: P) => T;

const jsonFormClasses = new WeakMap<object, unknown>();

/** Creates an object of L1 class `type` from props in JSON form (see above). */
export function createJsonFormObject<P, T extends ApiObject>(type: L1Class<P, T>, scope: Construct, id: string, props: P): T {
  let jsonFormClass = jsonFormClasses.get(type) as L1Class<P, T> | undefined;
  if (!jsonFormClass) {
    const base = type as unknown as L1Class<P, ApiObject>;
    jsonFormClass = class extends base {
      public toJson(): ReturnType<ApiObject['toJson']> {
        return ApiObject.prototype.toJson.call(this);
      }
    } as unknown as L1Class<P, T>;
    Object.defineProperty(jsonFormClass, 'name', { value: type.name });
    jsonFormClasses.set(type, jsonFormClass);
  }
  return new jsonFormClass(scope, id, props);
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
