/**
 * Custom resources whose CRDs we ship (the Gateway API's, in imports/crds/): their objects are
 * checked against the CRD's openAPIV3Schema as the API server's structural schema validation
 * does: type, required, enum, pattern, length, item and value limits, and unknown fields (which
 * the API server refuses under kubectl's strict field validation). The CEL rules
 * (`x-kubernetes-validations`) are not evaluated here; the rules that matter for our output are
 * checked by lib/validation/rules/http-route-fields.ts. The schemas are generated from the CRDs
 * by `npm run gen:imports` (lib/validation/schema/gateway-api.json).
 */
import { describeValue } from './describe';
import { joinPath } from '../../manifest/objects';
import type { ResourceScope } from '../../manifest/api/load';

/** A node of an openAPIV3Schema, as much of it as the checks read. */
export interface CrdSchema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly properties?: Readonly<Record<string, CrdSchema>>;
  readonly additionalProperties?: CrdSchema | boolean;
  readonly items?: CrdSchema;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-int-or-string'?: boolean;
}

/** One served version of a shipped CRD. */
export interface CustomResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly scope: ResourceScope;
  /** The CRD file it comes from, e.g. `imports/crds/gateway.networking.k8s.io_httproutes.yaml`. */
  readonly crd: string;
  /** e.g. `sigs.k8s.io/gateway-api v1.6.3`. */
  readonly source: string;
  readonly schema: CrdSchema;
}

interface CrdSchemaFile {
  readonly source: string;
  readonly resources: Readonly<Record<string, { scope: ResourceScope; crd: string; schema: CrdSchema }>>;
}

let resources: ReadonlyMap<string, CustomResource> | undefined;

/** Every shipped custom resource by `apiVersion/kind` (e.g. `gateway.networking.k8s.io/v1/HTTPRoute`). */
export function customResources(): ReadonlyMap<string, CustomResource> {
  if (!resources) {
    const file = require('./gateway-api.json') as CrdSchemaFile;
    resources = new Map(Object.entries(file.resources).map(([key, { scope, crd, schema }]) => {
      const slash = key.lastIndexOf('/');
      return [key, { apiVersion: key.slice(0, slash), kind: key.slice(slash + 1), scope, crd, source: file.source, schema }];
    }));
  }
  return resources;
}

/** The shipped custom resource of that apiVersion and kind, if any. */
export function customResource(apiVersion: string, kind: string): CustomResource | undefined {
  return customResources().get(`${apiVersion}/${kind}`);
}

/**
 * The schema node at `path` below a shipped resource's root: `.` separates fields, `[]` steps
 * into list items (`spec.rules[].backendRefs[].weight`). Throws when there is none, so that a
 * construct reading its limits from the CRD fails loudly if the CRD changes shape.
 */
export function crdSchemaAt(apiVersion: string, kind: string, path: string): CrdSchema {
  const resource = customResource(apiVersion, kind);
  if (!resource) throw new Error(`no shipped CRD serves ${apiVersion} ${kind}`);
  let node: CrdSchema | undefined = resource.schema;
  for (const step of path.split('.')) {
    const items = step.endsWith('[]');
    node = node?.properties?.[items ? step.slice(0, -2) : step];
    if (items) node = node?.items;
  }
  if (!node) throw new Error(`the ${apiVersion} ${kind} CRD (${resource.crd}) has no field ${path}`);
  return node;
}

/** One schema violation: the field path and what is wrong there. */
export interface CrdProblem {
  readonly rule: 'schema-type' | 'schema-required' | 'schema-unknown-field' | 'schema-value';
  readonly path: string;
  readonly message: string;
}

/** Every violation of `schema` by `value`; `path` is where `value` sits. */
export function checkCrdValue(value: unknown, schema: CrdSchema, path = ''): CrdProblem[] {
  const problems: CrdProblem[] = [];
  walk(value, schema, path, problems);
  return problems;
}

function hasType(value: unknown, schema: CrdSchema): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof value === 'string' || Number.isInteger(value);
  switch (schema.type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'an object', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean',
};

const patterns = new Map<string, RegExp>();

function patternOf(source: string): RegExp {
  let pattern = patterns.get(source);
  if (!pattern) {
    pattern = new RegExp(source, 'u');
    patterns.set(source, pattern);
  }
  return pattern;
}

function walk(value: unknown, schema: CrdSchema, path: string, problems: CrdProblem[]): void {
  // `null` is "not set" for the API server (it drops null fields before validating).
  if (value === null || value === undefined) return;
  const report = (rule: CrdProblem['rule'], message: string): void => {
    problems.push({ rule, path, message: `${path || 'the object'} ${message}` });
  };
  if (!hasType(value, schema)) {
    report('schema-type', `must be ${schema['x-kubernetes-int-or-string'] ? 'an integer or a string' : TYPE_NAMES[schema.type ?? ''] ?? 'valid'}, not ${describeValue(value)}`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    report('schema-value', `is ${describeValue(value)}; allowed: ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) report('schema-value', `is ${describeValue(value)}: at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && length > schema.maxLength) report('schema-value', `is ${length} characters long: at most ${schema.maxLength}`);
    if (schema.pattern !== undefined && !patternOf(schema.pattern).test(value)) report('schema-value', `is ${describeValue(value)}, which does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) report('schema-value', `is ${value}: at least ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) report('schema-value', `is ${value}: at most ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) report('schema-value', `has ${value.length} items: at least ${schema.minItems}`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) report('schema-value', `has ${value.length} items: at most ${schema.maxItems}`);
    if (schema.items) value.forEach((item, index) => walk(item, schema.items!, `${path}[${index}]`, problems));
    return;
  }
  if (typeof value === 'object') walkObject(value as Readonly<Record<string, unknown>>, schema, path, problems);
}

function walkObject(value: Readonly<Record<string, unknown>>, schema: CrdSchema, path: string, problems: CrdProblem[]): void {
  const { properties, additionalProperties } = schema;
  for (const field of Object.keys(value)) {
    const fieldPath = joinPath(path, field);
    const known = properties?.[field];
    if (known) walk(value[field], known, fieldPath, problems);
    else if (typeof additionalProperties === 'object') walk(value[field], additionalProperties, fieldPath, problems);
    else if (properties && !additionalProperties && !schema['x-kubernetes-preserve-unknown-fields']) {
      problems.push({ rule: 'schema-unknown-field', path: fieldPath, message: `unknown field "${field}"${path ? ` in ${path}` : ''}; allowed: ${Object.keys(properties).join(', ')}` });
    }
  }
  for (const field of schema.required ?? []) {
    if (value[field] === undefined || value[field] === null) {
      problems.push({ rule: 'schema-required', path: joinPath(path, field), message: `missing required field "${field}"${path ? ` in ${path}` : ''}` });
    }
  }
}
