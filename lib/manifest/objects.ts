/**
 * The plain-object toolkit shared by the validation rules, the schema checks, the folder loader,
 * the diff and the diagram: record guards and field access on untyped JSON, key paths, label
 * selector matching, and how an object is identified (cluster scope, namespace, label).
 * @internal
 * @module
 */
import type { KubeObject } from './types';
import { loadSchema, SUPPORTED_VERSIONS } from './api/load';

/** A loosely typed JSON value from a manifest: rules read it defensively. */
export type Json = Record<string, unknown>;

// ---- Records and fields ----

/** Whether `value` is a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): Json | undefined {
  return isRecord(value) ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The items of an array that are objects; `[]` for anything else. */
export function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The string entries of an object (a label map); `{}` for anything else. */
export function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Reads a nested field: `field(obj, 'spec', 'template', 'metadata')`. */
export function field(value: unknown, ...keys: string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    const record = asRecord(current);
    if (!record) return undefined;
    current = record[key];
  }
  return current;
}

// ---- Key paths ----

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `path.key`, or `path["odd key"]` for a key that is not an identifier (`app.kubernetes.io/name`), so the dots stay unambiguous. */
export function joinPath(path: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}

// ---- Label selectors ----

type Labels = Readonly<Record<string, unknown>>;

/** A Service-style selector: every key must be present with that value. */
export function matchesLabelMap(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

function matchesExpression(expression: Json, labels: Labels): boolean {
  const key = asString(expression.key) ?? '';
  const values = asArray(expression.values);
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  switch (expression.operator) {
    case 'In': return has && values.includes(labels[key]);
    case 'NotIn': return !has || !values.includes(labels[key]);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    default: return false;
  }
}

/** A `LabelSelector` (matchLabels and matchExpressions); an empty selector matches everything. */
export function matchesLabelSelector(selector: Json, labels: Labels): boolean {
  const matchLabels = asRecord(selector.matchLabels) ?? {};
  return matchesLabelMap(matchLabels, labels)
    && asArray(selector.matchExpressions).every((expression) => matchesExpression(asRecord(expression) ?? {}, labels));
}

// ---- Object identity ----

/** The namespace of a namespaced object without one. */
export const DEFAULT_NAMESPACE = 'default';

/**
 * Cluster-scoped kinds of custom resources, which the generated schemas (built-in APIs only) do not
 * know: cert-manager's ClusterIssuer, the snapshot controller's VolumeSnapshotClass, and the Gateway
 * API's GatewayClass (a test holds this list to the scopes of the CRDs in imports/crds).
 */
const CLUSTER_SCOPED_CUSTOM_KINDS = ['ClusterIssuer', 'VolumeSnapshotClass', 'GatewayClass'];

let clusterScopedKinds: ReadonlySet<string> | undefined;

/**
 * Whether objects of `kind` live outside namespaces: a kind the generated schema of any supported
 * release serves as cluster-scoped (no built-in kind is namespaced in one API group and
 * cluster-scoped in another), or a known cluster-scoped custom resource.
 */
export function isClusterScoped(kind: string): boolean {
  clusterScopedKinds ??= new Set([
    ...SUPPORTED_VERSIONS.flatMap((version) => [...loadSchema(version).resources.values()]
      .filter((resource) => resource.scope === 'Cluster').map((resource) => resource.kind)),
    ...CLUSTER_SCOPED_CUSTOM_KINDS,
  ]);
  return clusterScopedKinds.has(kind);
}

/** Strings in code-unit order, not the locale's: output sorted with it is the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The API group of an `apiVersion`: `apps` of `apps/v1`, the core group `''` of `v1`. Split at the
 * first `/`, as Kubernetes' ParseGroupVersion does (it refuses a second one: such an object is no
 * built-in kind's, whatever follows).
 */
export function apiGroupOf(apiVersion: unknown): string {
  const text = String(apiVersion ?? '');
  const slash = text.indexOf('/');
  return slash < 0 ? '' : text.slice(0, slash);
}

/** `Kind namespace/name`, or `Kind name` without a namespace: how findings, diffs and reports name an object. */
export function objectLabel(kind: string, namespace: string | undefined, name: string): string {
  return namespace === undefined ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
}

/** The namespace an object is in: none for cluster-scoped kinds, `default` when a namespaced one names none. */
export function effectiveNamespace(object: KubeObject): string | undefined {
  return isClusterScoped(object.kind) ? undefined : asString(object.metadata?.namespace) || DEFAULT_NAMESPACE;
}

/** The kind, name, effective namespace and finding label of an object. */
export function identify(object: KubeObject): { kind: string; name: string; namespace: string | undefined; label: string } {
  const kind = String(object.kind);
  const name = asString(object.metadata?.name) ?? asString(object.metadata?.generateName) ?? '<unnamed>';
  const namespace = effectiveNamespace(object);
  return { kind, name, namespace, label: objectLabel(kind, namespace, name) };
}

/** `Kind namespace/name` (`default` when absent), or `Kind name` for cluster-scoped objects: how findings name an object. */
export function labelOf(object: KubeObject): string {
  return identify(object).label;
}
