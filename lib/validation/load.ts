/** Reads a folder of manifests the way `kubectl apply -f <dir>` does. */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Finding, KubeObject, SourcedObject } from './types';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asKubeObject(value: unknown, where: string): KubeObject {
  if (!isRecord(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') {
    throw new Error(`${where}: not a Kubernetes object (apiVersion and kind must be strings); kubectl apply would refuse it too. `
      + 'If it is a patch for `kubectl patch`, keep it out of the manifest folder.');
  }
  return value as KubeObject;
}

/** The objects of one document: itself, or the items of a `kind: List`. */
function expandList(object: KubeObject, where: string): KubeObject[] {
  if (object.kind !== 'List' && !object.kind.endsWith('List')) return [object];
  if (!Array.isArray(object.items)) return [object];
  return object.items.map((item, i) => asKubeObject(item, `${where} items[${i}]`));
}

/**
 * Every object of one file, in document order; throws with the file name and line on a YAML error.
 * A document that is not a Kubernetes object throws too, unless `problems` collects it as a finding.
 */
export function parseManifestText(text: string, file: string, problems?: Finding[]): KubeObject[] {
  const objects: KubeObject[] = [];
  parseAllDocuments(text).forEach((document, i) => {
    const [error] = document.errors;
    if (error) {
      const line = error.linePos?.[0]?.line;
      throw new Error(`${file}${line !== undefined ? `:${line}` : ''}: invalid YAML: ${error.message.split('\n')[0]}`);
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return; // an empty document, e.g. a trailing `---`
    const where = `${file} document ${i + 1}`;
    try {
      objects.push(...expandList(asKubeObject(value, where), where));
    } catch (notAnObject) {
      if (!problems) throw notAnObject;
      problems.push({
        rule: 'manifest-document', severity: 'error', source: file, object: `document ${i + 1}`, path: 'apiVersion',
        message: (notAnObject as Error).message.slice(where.length + 2), apiServer: 'rejects',
      });
    }
  });
  return objects;
}

/** The *.yaml, *.yml and *.json files at the top of `dir`, in lexical order. */
export function manifestFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase()))
    .map((entry) => entry.name)
    .sort();
}

/**
 * The objects of a folder, as `kubectl apply -f <dir>` reads them. Documents that are not
 * Kubernetes objects throw, or are collected in `problems` when given (the rest is still read).
 */
export function loadManifestFolder(dir: string, problems?: Finding[]): SourcedObject[] {
  const sourced: SourcedObject[] = [];
  for (const file of manifestFiles(dir)) {
    const objects = parseManifestText(fs.readFileSync(path.join(dir, file), 'utf8'), file, problems);
    for (const object of objects) sourced.push({ object, source: file, order: sourced.length });
  }
  return sourced;
}
