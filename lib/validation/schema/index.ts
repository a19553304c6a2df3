/**
 * Strict schema validation of plain Kubernetes objects against the API of one Kubernetes release:
 * what `kubectl apply` with strict field validation (kubectl's default) would reject.
 * The schemas are generated from @kubernetes/client-node by scripts/gen-k8s-schemas.js.
 */
import type { Finding, KubeObject, SourcedObject } from '../../manifest/types';
import {
  compareKubernetesVersions,
  FieldType,
  loadSchema,
  Model,
  Resource,
  ResourceScope,
  resourceKey,
  ScalarType,
  Schema,
  SUPPORTED_VERSIONS,
} from '../../manifest/api/load';
import { mayBeRejected, UpgradeCompatibility, upgradeCompatibility } from './compatibility';
import { groupsOfRemovedApis, releaseThatRemoved } from './removed-apis';
import { closestName } from './suggest';
import { checkCrdValue, customResource, CustomResource } from './crd';
import { describeValue } from './describe';
import { apiGroupOf, DEFAULT_NAMESPACE, isRecord, joinPath, objectLabel } from '../../manifest/objects';
import { NO_FINDINGS } from '../rule';

export type { ResourceScope } from '../../manifest/api/load';

/** Kubernetes releases with a generated schema. */
export const SCHEMA_VERSIONS: readonly string[] = SUPPORTED_VERSIONS;
export const DEFAULT_SCHEMA_VERSION = '1.27';

/** Whether a built-in kind lives in a namespace; `undefined` when the release does not serve it. */
export function resourceScope(
  apiVersion: string,
  kind: string,
  version: string = DEFAULT_SCHEMA_VERSION,
): ResourceScope | undefined {
  return loadSchema(version).resources.get(resourceKey(apiVersion, kind))?.scope;
}

/** Checks every object against the schema of Kubernetes `version`; throws for an unsupported version. */
export function checkSchema(objects: readonly SourcedObject[], version: string = DEFAULT_SCHEMA_VERSION): Finding[] {
  const schema = loadSchema(version);
  return objects.flatMap((sourced) => checkObject(sourced, schema));
}

/** Schema findings of one newer release. */
export interface ReleaseFindings {
  readonly version: string;
  readonly findings: readonly Finding[];
}

/**
 * Checks every object against the `target` release and against each of the `newer` ones.
 *
 * Walking every object once per release would double the cost of validation, so the target walk
 * also follows the matching models of the first newer release and notes where that schema is
 * narrower (see compatibility.ts). An object without findings under the target that meets no such
 * place provably has none under that release either; only the others are walked again. Further
 * newer releases are walked in full.
 */
export function checkSchemaReleases(
  objects: readonly SourcedObject[],
  target: string,
  newer: readonly string[],
): { readonly target: readonly Finding[]; readonly newer: readonly ReleaseFindings[] } {
  const targetSchema = loadSchema(target);
  const [tracked, ...untracked] = newer.map((version) => loadSchema(version));
  const compatibility = tracked && upgradeCompatibility(targetSchema, tracked);
  const targetFindings: Finding[] = [];
  const walkAgain: SourcedObject[] = [];
  for (const sourced of objects) {
    const upgrade: UpgradeTracking | undefined = compatibility && { newer: tracked, compatibility, mayBeRejected: false };
    const findings = checkObject(sourced, targetSchema, upgrade);
    for (const found of findings) targetFindings.push(found);
    if (upgrade && (findings.length > 0 || upgrade.mayBeRejected)) walkAgain.push(sourced);
  }
  return {
    target: targetFindings,
    newer: [
      ...(tracked ? [{ version: tracked.kubernetesVersion, findings: checkSchema(walkAgain, tracked.kubernetesVersion) }] : []),
      ...untracked.map((schema) => ({ version: schema.kubernetesVersion, findings: checkSchema(objects, schema.kubernetesVersion) })),
    ],
  };
}

interface Walk {
  readonly schema: Schema;
  readonly report: (rule: string, path: string, message: string) => void;
  readonly upgrade?: UpgradeTracking;
}

/** Follows a newer release's models alongside the walk, until a value it may reject is met. */
interface UpgradeTracking {
  readonly newer: Schema;
  readonly compatibility: UpgradeCompatibility;
  mayBeRejected: boolean;
}

function checkObject({ object, source }: SourcedObject, schema: Schema, upgrade?: UpgradeTracking): readonly Finding[] {
  const untyped = typeof object.apiVersion !== 'string' || !object.apiVersion ? 'apiVersion' : typeof object.kind !== 'string' || !object.kind ? 'kind' : undefined;
  if (untyped) return [missingTypeFinding(object, untyped, source)];
  const key = resourceKeyOf(object.apiVersion, object.kind);
  const resource = schema.resources.get(key);
  if (!resource) {
    const custom = customResource(object.apiVersion, object.kind);
    return custom ? checkCustomObject(object, source, custom) : [unknownKindFinding(object, source, schema)];
  }

  // Most objects have no finding: the list and the object's label are made at the first one.
  let findings: Finding[] | undefined;
  let label: string | undefined;
  const report = (rule: string, path: string, message: string): void => {
    label ??= labelFor(object, resource.scope);
    (findings ??= []).push({ rule, severity: 'error', source, object: label, path, message, apiServer: 'rejects' });
  };
  const walk: Walk = { schema, report, upgrade };
  let counterpart: Model | undefined;
  if (upgrade) {
    if (upgrade.compatibility.servedByBoth.has(key)) counterpart = modelNamed(upgrade.newer, upgrade.newer.resources.get(key)!.model);
    else upgrade.mayBeRejected = true;
  }
  checkFields(object, modelNamed(schema, resource.model), undefined, walk, counterpart);
  checkNamePresent(object, walk);
  return findings ?? NO_FINDINGS;
}

/** apiVersion -> kind -> {@link resourceKey}: the few pairs of a run, spelled once each. */
const resourceKeys = new Map<string, Map<string, string>>();

function resourceKeyOf(apiVersion: string, kind: string): string {
  let byKind = resourceKeys.get(apiVersion);
  if (!byKind) resourceKeys.set(apiVersion, (byKind = new Map()));
  let key = byKind.get(kind);
  if (key === undefined) byKind.set(kind, (key = resourceKey(apiVersion, kind)));
  return key;
}

function modelNamed(schema: Schema, name: string): Model {
  const model = schema.models.get(name);
  if (!model) throw new Error(`schema for Kubernetes ${schema.kubernetesVersion} has no model ${name}`);
  return model;
}

function inRelease(schema: Schema): string {
  return `(Kubernetes ${schema.kubernetesVersion})`;
}

/**
 * Where a value sits, as a chain to its parent. Field paths and descriptions are spelled out
 * only when a finding is reported, so a clean object costs no string building.
 */
interface Location {
  readonly parent?: Location;
  readonly key: string | number;
  /** The model the field belongs to (set for object fields). */
  readonly model?: string;
  /** How the value relates to its parent field (set for list items and map values). */
  readonly role?: 'item' | 'value';
}

function pathOf(location: Location | undefined): string {
  if (!location) return '';
  const parent = pathOf(location.parent);
  return typeof location.key === 'number' ? `${parent}[${location.key}]` : joinPath(parent, location.key);
}

function whereOf(location: Location): string {
  if (location.role === 'item') return `an item of ${whereOf(location.parent!)}`;
  if (location.role === 'value') return `a value of ${whereOf(location.parent!)}`;
  return `${location.model}.${location.key}`;
}

/** `counterpart` is the newer release's model at the same place, while an upgrade is tracked. */
function checkFields(
  value: Readonly<Record<string, unknown>>,
  model: Model,
  parent: Location | undefined,
  walk: Walk,
  counterpart?: Model,
): void {
  if (counterpart && mayBeRejected(walk.upgrade!.compatibility, model.name, counterpart.name, value)) {
    walk.upgrade!.mayBeRejected = true;
  }
  for (const field in value) {
    if (!Object.prototype.hasOwnProperty.call(value, field)) continue;
    const type = model.fields.get(field);
    // Most fields are valid scalars: accept them without building a location.
    if (type?.kind === 'scalar' && isValidScalar(value[field], type.scalar)) continue;
    const location: Location = { parent, key: field, model: model.name };
    const tracked = counterpart && !walk.upgrade!.mayBeRejected ? counterpart.fields.get(field) : undefined;
    if (type) checkValue(value[field], type, location, walk, tracked);
    else walk.report('schema-unknown-field', pathOf(location), unknownFieldMessage(field, model, walk.schema));
  }
  for (const field of model.required) {
    if (value[field] === undefined || value[field] === null) {
      walk.report(
        'schema-required',
        pathOf({ parent, key: field }),
        `missing required field "${field}" in ${model.name} ${inRelease(walk.schema)}`,
      );
    }
  }
}

/**
 * `null` means "not set" to the API server, for any field. `counterpart` is the newer release's
 * type at the same place, while an upgrade is tracked; where its shape differs, the narrowing was
 * already noted by the enclosing model.
 */
function checkValue(value: unknown, type: FieldType, location: Location, walk: Walk, counterpart?: FieldType): void {
  if (value === null || value === undefined) return;
  switch (type.kind) {
    case 'scalar':
      return checkScalar(value, type.scalar, location, walk);
    case 'array': {
      if (!Array.isArray(value)) return reportWrongType(value, type, location, walk);
      const items = counterpart?.kind === 'array' ? counterpart.items : undefined;
      const scalarItems = type.items.kind === 'scalar' ? type.items.scalar : undefined;
      for (let index = 0; index < value.length; index++) {
        // Valid scalar items (env values, args) need no location.
        if (scalarItems !== undefined && isValidScalar(value[index], scalarItems)) continue;
        checkValue(value[index], type.items, { parent: location, key: index, role: 'item' }, walk, items);
      }
      return;
    }
    case 'map': {
      if (!isRecord(value)) return reportWrongType(value, type, location, walk);
      const values = counterpart?.kind === 'map' ? counterpart.values : undefined;
      const scalarValues = type.values.kind === 'scalar' ? type.values.scalar : undefined;
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        // Valid scalar values (labels, annotations, resource quantities) need no location.
        if (scalarValues !== undefined && isValidScalar(value[key], scalarValues)) continue;
        checkValue(value[key], type.values, { parent: location, key, role: 'value' }, walk, values);
      }
      return;
    }
    case 'model': {
      if (!isRecord(value)) return reportWrongType(value, type, location, walk);
      const model = counterpart?.kind === 'model' && !walk.upgrade!.mayBeRejected ? modelNamed(walk.upgrade!.newer, counterpart.model) : undefined;
      return checkFields(value, modelNamed(walk.schema, type.model), location, walk, model);
    }
  }
}

// The pattern Kubernetes quotes when it rejects a quantity.
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function formatOf(scalar: ScalarType): RegExp | undefined {
  return scalar === 'quantity' ? QUANTITY : scalar === 'date-time' ? RFC3339 : undefined;
}

function isValidScalar(value: unknown, scalar: ScalarType): boolean {
  if (value === null || value === undefined) return true;
  if (!hasScalarType(value, scalar)) return false;
  const format = formatOf(scalar);
  return !format || typeof value !== 'string' || format.test(value);
}

function checkScalar(value: unknown, scalar: ScalarType, location: Location, walk: Walk): void {
  if (!hasScalarType(value, scalar)) return reportWrongType(value, { kind: 'scalar', scalar }, location, walk);
  const format = formatOf(scalar);
  if (format && typeof value === 'string' && !format.test(value)) {
    walk.report(
      'schema-format',
      pathOf(location),
      `${whereOf(location)} must be ${describeType({ kind: 'scalar', scalar })}, not ${describeValue(value)} ${inRelease(walk.schema)}`,
    );
  }
}

function hasScalarType(value: unknown, scalar: ScalarType): boolean {
  switch (scalar) {
    case 'string':
    case 'date-time':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'int-or-string':
      return typeof value === 'string' || Number.isInteger(value);
    case 'quantity':
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
    case 'any':
      return true;
  }
}

function reportWrongType(value: unknown, type: FieldType, location: Location, walk: Walk): void {
  walk.report(
    'schema-type',
    pathOf(location),
    `${whereOf(location)} must be ${describeType(type)}, not ${describeValue(value)} ${inRelease(walk.schema)}`,
  );
}

const SCALAR_DESCRIPTIONS: Readonly<Record<ScalarType, string>> = {
  string: 'a string',
  boolean: 'a boolean (true or false)',
  number: 'a number',
  integer: 'an integer',
  'date-time': 'an RFC 3339 date-time string (e.g. "2024-01-31T12:00:00Z")',
  'int-or-string': 'an integer or a string',
  quantity: 'a quantity: a number or a string such as "500m" or "1Gi"',
  any: 'any value',
};

const SCALAR_PLURALS: Readonly<Record<ScalarType, string>> = {
  string: 'strings',
  boolean: 'booleans',
  number: 'numbers',
  integer: 'integers',
  'date-time': 'RFC 3339 date-time strings',
  'int-or-string': 'integers or strings',
  quantity: 'quantities',
  any: 'values',
};

function describeType(type: FieldType): string {
  switch (type.kind) {
    case 'scalar':
      return SCALAR_DESCRIPTIONS[type.scalar];
    case 'array':
      return `a list of ${describeItems(type.items)}`;
    case 'map':
      return `a map of ${describeItems(type.values)}`;
    case 'model':
      return `a ${type.model} object`;
  }
}

function describeItems(type: FieldType): string {
  switch (type.kind) {
    case 'scalar':
      return SCALAR_PLURALS[type.scalar];
    case 'array':
      return 'lists';
    case 'map':
      return 'maps';
    case 'model':
      return `${type.model} objects`;
  }
}

function unknownFieldMessage(field: string, model: Model, schema: Schema): string {
  const suggestion = closestName(field, model.fields.keys());
  const hint = suggestion
    ? `did you mean "${suggestion}"?`
    : `${model.name} has: ${[...model.fields.keys()].join(', ')}`;
  const elsewhere = SCHEMA_VERSIONS.filter(
    (version) => version !== schema.kubernetesVersion && loadSchema(version).models.get(model.name)?.fields.has(field),
  );
  const otherReleases = elsewhere.length ? ` ("${field}" exists in Kubernetes ${elsewhere.join(', ')})` : '';
  return `unknown field "${field}" in ${model.name} ${inRelease(schema)}${otherReleases}; ${hint}`;
}

function checkNamePresent(object: KubeObject, walk: Walk): void {
  const name = object.metadata?.name;
  if (name === undefined || name === null || name === '') {
    walk.report(
      'schema-required',
      'metadata.name',
      `missing metadata.name ${inRelease(walk.schema)}: kubectl apply needs a name (generateName works only with kubectl create)`,
    );
  }
}

/** A custom resource whose CRD we ship: checked against the CRD's schema, whatever the Kubernetes release. */
function checkCustomObject(object: KubeObject, source: string, resource: CustomResource): Finding[] {
  const label = labelFor(object, resource.scope);
  const where = `(${resource.kind} CRD of ${resource.source}, ${resource.crd})`;
  const findings: Finding[] = checkCrdValue(object, resource.schema).map((problem) => ({
    rule: problem.rule,
    severity: 'error',
    source,
    object: label,
    path: problem.path,
    message: `${problem.message} ${where}`,
    apiServer: 'rejects',
  }));
  const name = object.metadata?.name;
  if (name === undefined || name === null || name === '') {
    findings.push({ rule: 'schema-required', severity: 'error', source, object: label, path: 'metadata.name', message: `missing metadata.name ${where}`, apiServer: 'rejects' });
  }
  return findings;
}

function missingTypeFinding(object: KubeObject, field: 'apiVersion' | 'kind', source: string): Finding {
  return {
    rule: 'schema-required',
    severity: 'error',
    source,
    object: labelFor(object, undefined),
    path: field,
    message: `missing ${field}: every Kubernetes object needs a string apiVersion and kind`,
    apiServer: 'rejects',
  };
}

function unknownKindFinding(object: KubeObject, source: string, schema: Schema): Finding {
  const { apiVersion, kind } = object;
  const builtIn = builtInGroups().has(apiGroupOf(apiVersion));
  const kindServedInApiVersion = [...schema.resources.values()].some((resource) => resource.apiVersion === apiVersion);
  return {
    rule: 'schema-unknown-kind',
    severity: builtIn ? 'error' : 'warning',
    source,
    object: labelFor(object, undefined),
    path: builtIn && kindServedInApiVersion ? 'kind' : 'apiVersion',
    message: builtIn
      ? `${apiVersion} ${kind} ${availability(apiVersion, kind, schema)}; ${replacementHint(apiVersion, kind, schema)}`
      : `${apiVersion} ${kind} is not a built-in kind of Kubernetes ${schema.kubernetesVersion} (a custom resource?), ` +
        'so its fields are not checked; kubectl apply accepts it only once its CustomResourceDefinition is installed',
    apiServer: builtIn ? 'rejects' : 'accepts',
  };
}

function availability(apiVersion: string, kind: string, schema: Schema): string {
  const version = schema.kubernetesVersion;
  const key = resourceKey(apiVersion, kind);
  const removedIn = releaseThatRemoved(key);
  if (removedIn && compareKubernetesVersions(removedIn, version) <= 0) {
    return `was removed in Kubernetes ${removedIn} and is not served by Kubernetes ${version}`;
  }
  const servedBy = SCHEMA_VERSIONS.filter((other) => loadSchema(other).resources.has(key));
  const later = servedBy.filter((other) => compareKubernetesVersions(other, version) > 0);
  if (later.length) return `is not served yet by Kubernetes ${version} (it is served by Kubernetes ${later.join(', ')})`;
  if (servedBy.length) return `is no longer served by Kubernetes ${version} (it was served by Kubernetes ${servedBy.join(', ')})`;
  return `is not served by Kubernetes ${version}`;
}

function replacementHint(apiVersion: string, kind: string, schema: Schema): string {
  const group = apiGroupOf(apiVersion);
  const served = [...schema.resources.values()];
  const inSameGroupFirst = (a: Resource, b: Resource): number =>
    Number(apiGroupOf(b.apiVersion) === group) - Number(apiGroupOf(a.apiVersion) === group);
  const sameKind = served
    .filter((resource) => resource.kind === kind)
    .sort((a, b) => inSameGroupFirst(a, b) || compareApiVersionPriority(a.apiVersion, b.apiVersion));
  if (sameKind.length) return `use apiVersion: ${sameKind[0].apiVersion} (fields can differ between API versions)`;

  const kindsOfApiVersion = served.filter((resource) => resource.apiVersion === apiVersion).map((r) => r.kind);
  const suggestion = closestName(kind, kindsOfApiVersion);
  if (suggestion) return `did you mean kind: ${suggestion}?`;

  const versionsOfGroup = new Set(served.filter((r) => apiGroupOf(r.apiVersion) === group).map((r) => r.apiVersion));
  if (!versionsOfGroup.size) return `no version of kind ${kind} is served`;
  return `API versions served for group "${group || 'core'}": ${[...versionsOfGroup].sort(compareApiVersionPriority).join(', ')}`;
}

/** Kubernetes' own order: GA before beta before alpha, then the higher version first. */
function compareApiVersionPriority(a: string, b: string): number {
  const [aStability, aMajor, aMinor] = versionPriority(a);
  const [bStability, bMajor, bMinor] = versionPriority(b);
  return bStability - aStability || bMajor - aMajor || bMinor - aMinor;
}

const STABILITY: Readonly<Record<string, number>> = { alpha: 0, beta: 1, '': 2 };

function versionPriority(apiVersion: string): [number, number, number] {
  const match = /\/?v(\d+)(?:(alpha|beta)(\d+))?$/.exec(apiVersion);
  if (!match) return [-1, 0, 0];
  return [STABILITY[match[2] ?? ''], Number(match[1]), Number(match[3] ?? 0)];
}

let builtInGroupsCache: ReadonlySet<string> | undefined;

/** Groups served by some supported release or that once held built-in APIs (e.g. `extensions`). */
function builtInGroups(): ReadonlySet<string> {
  builtInGroupsCache ??= new Set([
    '',
    ...groupsOfRemovedApis(),
    ...SCHEMA_VERSIONS.flatMap((version) =>
      [...loadSchema(version).resources.values()].map((resource) => apiGroupOf(resource.apiVersion))),
  ]);
  return builtInGroupsCache;
}

/** `Kind namespace/name`, or `Kind name` for cluster-scoped kinds (and for unknown kinds without a namespace). */
function labelFor(object: KubeObject, scope: ResourceScope | undefined): string {
  const name = object.metadata?.name || '(unnamed)';
  const namespace = object.metadata?.namespace;
  if (scope === 'Cluster') return objectLabel(object.kind, undefined, name);
  if (scope === 'Namespaced') return objectLabel(object.kind, namespace || DEFAULT_NAMESPACE, name);
  return objectLabel(object.kind, namespace || undefined, name);
}
