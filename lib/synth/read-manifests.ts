import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { KubeObject, SourcedObject } from '../validation/types';

const MANIFEST_FILE = /\.ya?ml$/;

/**
 * Reads every top-level `*.yaml` / `*.yml` file of `dir` in lexical order, one object per
 * non-empty YAML document. `order` runs across all files, as `kubectl apply -f dir` would apply them.
 * Throws an Error naming the file when a document does not parse or is not a Kubernetes object.
 */
export function readManifestFolder(dir: string): SourcedObject[] {
  const files = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && MANIFEST_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort();

  const objects: SourcedObject[] = [];
  for (const file of files) {
    for (const object of parseManifestFile(fs.readFileSync(path.join(dir, file), 'utf8'), file)) {
      objects.push({ object, source: file, order: objects.length });
    }
  }
  return objects;
}

function parseManifestFile(text: string, file: string): KubeObject[] {
  const objects: KubeObject[] = [];
  parseAllDocuments(text).forEach((document, index) => {
    const [error] = document.errors;
    if (error) {
      throw new Error(`${file}: document ${index + 1} does not parse: ${error.message}`);
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) {
      return;
    }
    if (!isKubeObject(value)) {
      throw new Error(`${file}: document ${index + 1} is not a Kubernetes object (it needs apiVersion and kind)`);
    }
    objects.push(value);
  });
  return objects;
}

function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const candidate = value as Record<string, unknown>;
  return typeof candidate.apiVersion === 'string' && typeof candidate.kind === 'string';
}
