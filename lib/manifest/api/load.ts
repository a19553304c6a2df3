/**
 * Loads the generated per-version schemas (k8s-<version>.json, see scripts/gen-k8s-schemas.js) into
 * lookup tables, once per version.
 */

export type ResourceScope = 'Namespaced' | 'Cluster';

export type ScalarType =
  | 'string'
  | 'boolean'
  | 'number'
  | 'integer'
  | 'date-time'
  | 'int-or-string'
  | 'quantity'
  | 'any';

export type FieldType =
  | { readonly kind: 'scalar'; readonly scalar: ScalarType }
  | { readonly kind: 'array'; readonly items: FieldType }
  | { readonly kind: 'map'; readonly values: FieldType }
  | { readonly kind: 'model'; readonly model: string };

export interface Model {
  readonly name: string;
  readonly fields: ReadonlyMap<string, FieldType>;
  readonly required: readonly string[];
}

export interface Resource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly model: string;
  readonly scope: ResourceScope;
}

/** The models of a release by name. */
export interface ModelLookup {
  get(name: string): Model | undefined;
}

export interface Schema {
  readonly kubernetesVersion: string;
  readonly models: ModelLookup;
  /** By `apiVersion/kind`, e.g. `apps/v1/Deployment`. */
  readonly resources: ReadonlyMap<string, Resource>;
}

interface SchemaFile {
  readonly kubernetesVersion: string;
  readonly models: Readonly<Record<string, { fields: Record<string, string>; required?: string[] }>>;
  readonly resources: Readonly<Record<string, { model: string; scope: ResourceScope }>>;
}

// Literal require() calls so that the JSON is read only when a version is first used.
const SCHEMA_FILES: ReadonlyMap<string, () => SchemaFile> = new Map([
  ['1.27', () => require('./k8s-1.27.json') as SchemaFile],
  ['1.33', () => require('./k8s-1.33.json') as SchemaFile],
]);

export const SUPPORTED_VERSIONS: readonly string[] = [...SCHEMA_FILES.keys()];

const SCALAR_TYPES: ReadonlySet<string> = new Set<ScalarType>([
  'string',
  'boolean',
  'number',
  'integer',
  'date-time',
  'int-or-string',
  'quantity',
  'any',
]);

/** Descriptors are `string`, `V1Container`, `[]V1Container`, `{}quantity`, `{}[]string`... */
export function parseFieldType(descriptor: string): FieldType {
  if (descriptor.startsWith('[]')) return { kind: 'array', items: parseFieldType(descriptor.slice(2)) };
  if (descriptor.startsWith('{}')) return { kind: 'map', values: parseFieldType(descriptor.slice(2)) };
  if (SCALAR_TYPES.has(descriptor)) return { kind: 'scalar', scalar: descriptor as ScalarType };
  return { kind: 'model', model: descriptor };
}

export function resourceKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/**
 * Models compiled from the file when first asked for: a synthesis reaches a few dozen of a
 * release's 500 to 800, and compiling all of them took about 5 ms of a fresh process.
 */
class CompiledModels implements ModelLookup {
  private readonly compiled = new Map<string, Model>();

  constructor(private readonly file: SchemaFile['models']) {}

  get(name: string): Model | undefined {
    const cached = this.compiled.get(name);
    if (cached) return cached;
    if (!Object.prototype.hasOwnProperty.call(this.file, name)) return undefined;
    const { fields, required } = this.file[name];
    const model: Model = {
      name,
      fields: new Map(Object.entries(fields).map(([field, type]) => [field, parseFieldType(type)])),
      required: required ?? [],
    };
    this.compiled.set(name, model);
    return model;
  }
}

function compileSchema(file: SchemaFile): Schema {
  const models = new CompiledModels(file.models);
  const resources = new Map<string, Resource>();
  for (const [key, { model, scope }] of Object.entries(file.resources)) {
    const slash = key.lastIndexOf('/');
    resources.set(key, { apiVersion: key.slice(0, slash), kind: key.slice(slash + 1), model, scope });
  }
  return { kubernetesVersion: file.kubernetesVersion, models, resources };
}

const loaded = new Map<string, Schema>();

export function loadSchema(version: string): Schema {
  const cached = loaded.get(version);
  if (cached) return cached;
  const readFile = SCHEMA_FILES.get(version);
  if (!readFile) {
    throw new Error(
      `Unsupported Kubernetes version "${version}" for schema validation; supported versions: ${SUPPORTED_VERSIONS.join(', ')}`,
    );
  }
  const schema = compileSchema(readFile());
  loaded.set(version, schema);
  return schema;
}

/** Compares Kubernetes versions such as `1.27` and `1.33` numerically. */
export function compareKubernetesVersions(a: string, b: string): number {
  const [aMajor, aMinor] = versionParts(a);
  const [bMajor, bMinor] = versionParts(b);
  return aMajor - bMajor || aMinor - bMinor;
}

/** The numbers of a version; rules compare the same two or three versions for every container, so they are split once. */
const versionPartsCache = new Map<string, readonly number[]>();

function versionParts(version: string): readonly number[] {
  let parts = versionPartsCache.get(version);
  if (!parts) {
    parts = version.split('.').map(Number);
    if (versionPartsCache.size < 64) versionPartsCache.set(version, parts);
  }
  return parts;
}
