/**
 * kubeconform, the schema validator teams run in CI, for the benchmark's validate section: built
 * from the Go module pinned in tools/kubeconform/go.mod and cached like the cluster's binaries, with
 * its schemas generated in the layout of yannh/kubernetes-json-schema (`<version>-standalone-strict/
 * <kind>-<group>-<version>.json`) from the OpenAPI definitions of the Kubernetes release the cluster
 * suite pins (api/openapi-spec/swagger.json of k8s.io/kubernetes in the Go module cache).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cacheRoot, Component, ensureBuilt, kubernetesVersion } from '../tools/cluster/binaries';

const TOOLS = path.join(__dirname, '..', 'tools');

const KUBECONFORM: Component = {
  folder: 'kubeconform',
  root: TOOLS,
  module: 'github.com/yannh/kubeconform',
  binaries: { kubeconform: 'github.com/yannh/kubeconform/cmd/kubeconform' },
  ldflags: () => '-s -w',
};

/** The kubeconform binary, built once per pinned version. */
export function ensureKubeconform(log: (line: string) => void = (line) => console.error(line)): string {
  return ensureBuilt(KUBECONFORM, ['kubeconform'], log).kubeconform;
}

type Schema = { [key: string]: unknown };

/** Names the cached schema folder: raise it when standaloneStrictSchema changes what it writes. */
const SCHEMA_LAYOUT = 2;

/** The folder of a Go module in the module cache, downloaded if it is not there (`go mod download` of the pinned version). */
function goModuleDir(moduleDir: string, module: string, version: string): string {
  const result = spawnSync('go', ['mod', 'download', '-json', `${module}@${version}`], { cwd: moduleDir, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`go mod download ${module}@${version} failed: ${result.stderr || result.stdout}`);
  return (JSON.parse(result.stdout) as { Dir: string }).Dir;
}

/** `deployment-apps-v1`: kubeconform's file name for a kind of a group and version (pkg/registry schemaPath). */
export function schemaFileName(kind: string, group: string, version: string): string {
  const groupPart = group === '' ? '' : `-${group.split('.')[0].toLowerCase()}`;
  return `${kind.toLowerCase()}${groupPart}-${version.toLowerCase()}`;
}

/**
 * One definition as openapi2jsonschema writes it with `--expanded --kubernetes --stand-alone
 * --strict`: references inlined (a reference back into itself, as in JSONSchemaProps, accepts
 * anything), `additionalProperties: false` wherever properties are listed, int-or-string and
 * quantities as a string or a number, optional fields nullable.
 */
export function standaloneStrictSchema(definitions: Readonly<Record<string, Schema>>, name: string): Schema {
  const expand = (node: unknown, expanding: readonly string[], parentRequired: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => expand(item, expanding, parentRequired));
    if (node === null || typeof node !== 'object') return node;
    const schema = node as Schema;
    const ref = typeof schema.$ref === 'string' ? schema.$ref.replace('#/definitions/', '') : undefined;
    if (ref !== undefined) {
      if (expanding.includes(ref) || !definitions[ref]) return {};
      return expand(definitions[ref], [...expanding, ref], parentRequired);
    }
    if (schema.format === 'int-or-string') return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
    if (expanding[expanding.length - 1] === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return { oneOf: [{ type: 'string' }, { type: 'number' }] };
    const out: Schema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties') {
        const properties: Schema = {};
        for (const [property, child] of Object.entries(value as Schema)) properties[property] = expand(child, expanding, Array.isArray(schema.required));
        out.properties = properties;
      } else out[key] = expand(value, expanding, false);
    }
    if (typeof out.type === 'string' && out.type !== 'null' && !parentRequired) out.type = [out.type, 'null'];
    if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
    return out;
  };
  const definition = definitions[name];
  const schema = expand(definition, [name], false) as Schema;
  const kinds = (definition['x-kubernetes-group-version-kind'] ?? []) as { group: string; version: string; kind: string }[];
  const properties = schema.properties as Schema | undefined;
  if (properties?.apiVersion && properties.kind) {
    properties.apiVersion = { ...(properties.apiVersion as Schema), enum: [...new Set(kinds.map((k) => (k.group ? `${k.group}/${k.version}` : k.version)))] };
    properties.kind = { ...(properties.kind as Schema), enum: [...new Set(kinds.map((k) => k.kind))] };
  }
  return schema;
}

/**
 * kubeconform's schema folder for the cluster suite's Kubernetes release (use it as
 * `-schema-location <folder> -kubernetes-version <version without v>`), generated once and cached.
 */
export function ensureKubeconformSchemas(log: (line: string) => void = (line) => console.error(line)): { folder: string; version: string } {
  const version = kubernetesVersion();
  const folder = path.join(cacheRoot(), `kubeconform-schemas-${version}-layout${SCHEMA_LAYOUT}`);
  const target = path.join(folder, `${version}-standalone-strict`);
  if (fs.existsSync(target)) return { folder, version: version.replace(/^v/, '') };
  log(`generating kubeconform schemas for Kubernetes ${version} (cached in ${folder})`);
  const kubernetesDir = goModuleDir(path.join(TOOLS, 'cluster', 'kubernetes'), 'k8s.io/kubernetes', version);
  const swagger = JSON.parse(fs.readFileSync(path.join(kubernetesDir, 'api', 'openapi-spec', 'swagger.json'), 'utf8')) as { definitions: Record<string, Schema> };
  const staging = `${target}.${process.pid}.tmp`;
  fs.mkdirSync(staging, { recursive: true });
  for (const [name, definition] of Object.entries(swagger.definitions)) {
    const kinds = (definition['x-kubernetes-group-version-kind'] ?? []) as { group: string; version: string; kind: string }[];
    if (kinds.length === 0) continue;
    const schema = JSON.stringify(standaloneStrictSchema(swagger.definitions, name));
    for (const kind of kinds) fs.writeFileSync(path.join(staging, `${schemaFileName(kind.kind, kind.group, kind.version)}.json`), schema);
  }
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(target)) throw error;
  }
  return { folder, version: version.replace(/^v/, '') };
}
