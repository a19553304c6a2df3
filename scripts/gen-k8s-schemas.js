#!/usr/bin/env node
// Generates lib/manifest/api/k8s-<version>.json, the strict per-version schemas used by
// lib/validation/schema, from the @kubernetes/client-node releases installed under version aliases.
// client-node is generated from the Kubernetes OpenAPI spec of one release, so its models carry the
// fields, types and required flags of that release, and its API classes carry the REST paths.
// The files are read as text: the 1.33 client is ESM, and nothing here needs to run it.
//
// usage: node scripts/gen-k8s-schemas.js [output-dir]
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_OUTPUT_DIR = path.join(ROOT, 'lib', 'manifest', 'api');

const CLIENTS = [
  { kubernetesVersion: '1.27', packageDir: 'node_modules/k8s-api-1.27', modelsDir: 'dist/gen/model', apisDir: 'dist/gen/api' },
  { kubernetesVersion: '1.33', packageDir: 'node_modules/k8s-api-1.33', modelsDir: 'dist/gen/models', apisDir: 'dist/gen/apis' },
];

// The OpenAPI generator turns resource.Quantity into a plain `string`, so the metadata cannot tell
// a quantity from any other string. These are the Quantity fields of the Kubernetes API, by type
// name without its version prefix (V1ResourceRequirements -> ResourceRequirements).
const QUANTITY_FIELDS = {
  CSIStorageCapacity: ['capacity', 'maximumVolumeSize'],
  ContainerStatus: ['allocatedResources'],
  Counter: ['value'],
  DeviceCapacity: ['value'],
  EmptyDirVolumeSource: ['sizeLimit'],
  LimitRangeItem: ['default', 'defaultRequest', 'max', 'maxLimitRequestRatio', 'min'],
  MetricTarget: ['averageValue', 'value'],
  MetricValueStatus: ['averageValue', 'value'],
  NodeStatus: ['allocatable', 'capacity'],
  Overhead: ['podFixed'],
  PersistentVolumeClaimStatus: ['allocatedResources', 'capacity'],
  PersistentVolumeSpec: ['capacity'],
  PodSpec: ['overhead'],
  ResourceFieldSelector: ['divisor'],
  ResourceQuotaSpec: ['hard'],
  ResourceQuotaStatus: ['hard', 'used'],
  ResourceRequirements: ['limits', 'requests'],
  VolumeResourceRequirements: ['limits', 'requests'],
};

const VERSION_PREFIX = /^(?:[A-Z][a-z]+)*V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/;

function bareTypeName(modelName) {
  return modelName.replace(VERSION_PREFIX, '');
}

function readText(file) {
  return fs.readFileSync(file, 'utf8');
}

function listFiles(dir, extension) {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(extension) && !name.endsWith('.d.ts'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** `X.attributeTypeMap = [...]` is a JSON array literal in both client generations. */
function parseAttributeTypeMap(source) {
  const match = /(\w+)\.attributeTypeMap = (\[[\s\S]*?\n\]);/.exec(source);
  if (!match) return undefined;
  return { modelName: match[1], attributes: JSON.parse(match[2]) };
}

/** Optional properties are declared `'name'?: type;` in the .d.ts, required ones `'name': type;`. */
function parseRequiredPropertyNames(declarations) {
  const required = new Set();
  for (const match of declarations.matchAll(/^ {4}'([^']+)'(\??):/gm)) {
    if (match[2] !== '?') required.add(match[1]);
  }
  return required;
}

function typeDescriptor(type, format) {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return `[]${typeDescriptor(array[1], format)}`;
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return `{}${typeDescriptor(map[1], format)}`;
  switch (type) {
    case 'string':
    case 'boolean':
      return type;
    case 'number':
      return format === 'int32' || format === 'int64' ? 'integer' : 'number';
    case 'Date':
    // metav1.MicroTime: an RFC 3339 timestamp with microseconds, which the clients leave undefined.
    case 'V1MicroTime':
      return 'date-time';
    case 'IntOrString':
      return 'int-or-string';
    case 'any':
    case 'object':
      return 'any';
    default:
      if (!/^[A-Z]\w*$/.test(type)) throw new Error(`unexpected attribute type ${JSON.stringify(type)}`);
      return type;
  }
}

function asQuantity(descriptor, where) {
  const quantity = descriptor.replace(/string$/, 'quantity');
  if (quantity === descriptor || !/^(\[\]|\{\})?quantity$/.test(quantity)) {
    throw new Error(`${where} is listed as a Quantity but its type is ${descriptor}`);
  }
  return quantity;
}

function readModel(jsFile, usedQuantityFields) {
  const typeMap = parseAttributeTypeMap(readText(jsFile));
  if (!typeMap) return undefined;
  const { modelName, attributes } = typeMap;
  const required = parseRequiredPropertyNames(readText(jsFile.replace(/\.js$/, '.d.ts')));
  const quantityFields = QUANTITY_FIELDS[bareTypeName(modelName)] || [];
  const fields = {};
  const requiredFields = [];
  for (const { name, baseName, type, format } of attributes) {
    let descriptor = typeDescriptor(type, format);
    if (quantityFields.includes(baseName)) {
      descriptor = asQuantity(descriptor, `${modelName}.${baseName}`);
      usedQuantityFields.add(`${bareTypeName(modelName)}.${baseName}`);
    }
    fields[baseName] = descriptor;
    if (required.has(name)) requiredFields.push(baseName);
  }
  return { modelName, model: requiredFields.length ? { fields, required: requiredFields.sort() } : { fields } };
}

/** `/api/v1/...` is the core group (`v1`); `/apis/<group>/<version>/...` any other. */
function apiVersionOfPath(restPath) {
  const match = /^\/(?:api\/(v\w+)|apis\/([^/]+)\/(v\w+))\//.exec(restPath);
  if (!match) throw new Error(`unexpected REST path ${restPath}`);
  return match[1] || `${match[2]}/${match[3]}`;
}

/**
 * A kind is a resource users can write when its API class has a create method that POSTs the kind
 * to a collection path. Creates on `{name}` paths are subresources (pods/{name}/binding, ...), and
 * paths with `{group}`, `{plural}`... belong to the generic custom objects API.
 */
function readResources(jsFile) {
  const resources = [];
  const methods = readText(jsFile).split(/\n {4}async (?=\w+\()/);
  for (const method of methods) {
    const name = /^create(?:Namespaced)?(\w+)\(/.exec(method);
    const restPath = /localVarPath = (?:this\.basePath \+ )?'([^']+)'/.exec(method);
    const bodyType = /ObjectSerializer\.serialize\(body, "(\w+)"/.exec(method);
    if (!name || !restPath || !bodyType || restPath[1].replace('{namespace}', '').includes('{')) continue;
    resources.push({
      key: `${apiVersionOfPath(restPath[1])}/${name[1]}`,
      model: bodyType[1],
      scope: restPath[1].includes('/namespaces/{namespace}/') ? 'Namespaced' : 'Cluster',
    });
  }
  return resources;
}

/** The newest spec version named in the model headers ("release-1.27", "v1.33.0"). */
function specVersion(modelFiles) {
  let newest;
  for (const file of modelFiles) {
    const match = /(?:version of the OpenAPI document|OpenAPI spec version): (?:release-|v)(\d+)\.(\d+)/.exec(readText(file));
    if (!match) continue;
    const version = [Number(match[1]), Number(match[2])];
    if (!newest || version[0] > newest[0] || (version[0] === newest[0] && version[1] > newest[1])) newest = version;
  }
  if (!newest) throw new Error('no OpenAPI spec version found in the model headers');
  return newest.join('.');
}

function sortedObject(entries) {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function buildSchema(client, usedQuantityFields) {
  const packageDir = path.join(ROOT, client.packageDir);
  const packageJson = JSON.parse(readText(path.join(packageDir, 'package.json')));
  const modelFiles = listFiles(path.join(packageDir, client.modelsDir), '.js');
  const found = specVersion(modelFiles);
  if (found !== client.kubernetesVersion) {
    throw new Error(`${client.packageDir} is generated from Kubernetes ${found}, expected ${client.kubernetesVersion}`);
  }

  const models = [];
  for (const file of modelFiles) {
    const model = readModel(file, usedQuantityFields);
    if (model) models.push([model.modelName, model.model]);
  }
  const modelNames = new Set(models.map(([name]) => name));
  for (const [name, { fields }] of models) {
    for (const [field, descriptor] of Object.entries(fields)) {
      const referenced = descriptor.replace(/^(\[\]|\{\})*/, '');
      if (/^[A-Z]/.test(referenced) && !modelNames.has(referenced)) throw new Error(`${name}.${field}: model ${referenced} not found`);
    }
  }

  const resources = [];
  for (const file of listFiles(path.join(packageDir, client.apisDir), '.js')) {
    for (const { key, model, scope } of readResources(file)) {
      if (!modelNames.has(model)) throw new Error(`${key}: model ${model} not found`);
      resources.push([key, { model, scope }]);
    }
  }

  const packageId = `${packageJson.name}@${packageJson.version}`;
  return {
    $comment: `Generated from ${packageId} (Kubernetes ${found}) by scripts/gen-k8s-schemas.js. Do not edit by hand: run npm run gen:schemas.`,
    kubernetesVersion: found,
    models: sortedObject(models),
    package: packageId,
    resources: sortedObject(resources),
  };
}

/**
 * client-node 0.19 drops the `format` of numbers, so its int32/int64 fields read as `number`
 * (which would accept `replicas: 1.5`, which the API server rejects). Kubernetes never changes the
 * type of a field, so where a newer client has the same model and field as an integer, the older
 * one is an integer too. Fields with no newer counterpart stay `number`.
 */
function restoreIntegers(schemas) {
  for (const [index, schema] of schemas.entries()) {
    const newer = schemas.slice(index + 1);
    for (const [modelName, model] of Object.entries(schema.models)) {
      for (const [field, descriptor] of Object.entries(model.fields)) {
        if (!/^(\[\]|\{\})*number$/.test(descriptor)) continue;
        const integer = descriptor.replace(/number$/, 'integer');
        if (newer.some((other) => other.models[modelName]?.fields[field] === integer)) model.fields[field] = integer;
      }
    }
  }
}

/** Compact, but one model or resource per line, so that a regeneration reads well in a diff. */
function formatSchema(schema) {
  const lines = Object.entries(schema).map(([key, value]) => {
    if (typeof value !== 'object') return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    const entries = Object.entries(value).map(([name, entry]) => `${JSON.stringify(name)}:${JSON.stringify(entry)}`);
    return `${JSON.stringify(key)}:{\n${entries.join(',\n')}\n}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

function main() {
  const outputDir = path.resolve(process.argv[2] || DEFAULT_OUTPUT_DIR);
  fs.mkdirSync(outputDir, { recursive: true });
  const usedQuantityFields = new Set();
  const schemas = CLIENTS.map((client) => buildSchema(client, usedQuantityFields));
  restoreIntegers(schemas);
  for (const [index, client] of CLIENTS.entries()) {
    const schema = schemas[index];
    const file = path.join(outputDir, `k8s-${client.kubernetesVersion}.json`);
    fs.writeFileSync(file, formatSchema(schema));
    const size = fs.statSync(file).size;
    console.log(`${path.relative(process.cwd(), file)}: ${Object.keys(schema.models).length} models, ${Object.keys(schema.resources).length} resources, ${size} bytes`);
  }
  const unused = Object.entries(QUANTITY_FIELDS)
    .flatMap(([type, fields]) => fields.map((field) => `${type}.${field}`))
    .filter((field) => !usedQuantityFields.has(field));
  if (unused.length) throw new Error(`Quantity fields not found in any client: ${unused.join(', ')}`);
}

main();
