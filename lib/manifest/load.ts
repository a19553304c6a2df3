/** Reads a folder of manifests the way `kubectl apply -R -f <dir>` does. */
import * as fs from 'fs';
import * as path from 'path';
import type { Document, LineCounter, Scalar } from 'yaml';
import { readOutputHeader } from './output-header';
import { describeScalar, KUBECTL_PARSE_OPTIONS, scalarType, yaml12Type } from './kubectl-yaml';
import { isRecord, joinPath, labelOf } from './objects';
import { ExternalObject, Finding, KubeObject, SourcedObject } from './types';

/**
 * The `yaml` package, loaded when a folder is first read: every importer of lib/validation loads
 * this module, and `npm run synth`, which never parses YAML, would spend ~150 ms loading it.
 */
let yamlPackage: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  yamlPackage ??= require('yaml') as typeof import('yaml');
  return yamlPackage;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Alias expansions allowed per document before it counts as a "billion laughs" attack. Real
 * manifests use a handful; the `yaml` package's default (100) is kept.
 */
const MAX_ALIAS_COUNT = 100;

export interface LoadOptions {
  /**
   * Read subfolders too, as `kubectl apply -R -f` does. A subfolder whose first file opens with
   * the synthesized-output marker is a separate app (another stage) and is skipped, with a note.
   * @default true
   */
  readonly recursive?: boolean;
}

/** Everything read from a folder: its objects and what stood in the way of reading them. */
export interface ManifestFolder {
  /** The objects, in the order `kubectl apply -R -f` sends them. */
  readonly objects: SourcedObject[];
  /** Unreadable files and documents (errors), and scalars kubectl reads as another type than YAML 1.2 does (warnings). */
  readonly findings: Finding[];
  /** Objects declared external by the header of a synthesized output file. */
  readonly externalObjects: ExternalObject[];
  /** What was left out, and why (a subfolder with its own synthesized output, a symlinked folder). */
  readonly notes: string[];
  /** How many manifest files were read. */
  readonly files: number;
}

type Reading = { -readonly [K in keyof ManifestFolder]: ManifestFolder[K] };

function isKubeObject(value: unknown): value is KubeObject {
  return isRecord(value) && typeof value.kind === 'string' && typeof value.apiVersion === 'string';
}

const NOT_AN_OBJECT = 'not a Kubernetes object (apiVersion and kind must be strings); kubectl apply would refuse it too. '
  + 'If it is a patch for `kubectl patch`, keep it out of the manifest folder.';

function isList(object: KubeObject): boolean {
  return (object.kind === 'List' || object.kind.endsWith('List')) && Array.isArray(object.items);
}

function fileFinding(rule: string, file: string, object: string, message: string): Finding {
  return { rule, severity: 'error', source: file, object, path: '', message, apiServer: 'rejects' };
}

/** A plain scalar that kubectl (YAML 1.1) reads as another type than a YAML 1.2 reader does. */
interface TypeChange {
  readonly path: ReadonlyArray<string | number>;
  readonly scalar: Scalar;
  readonly isKey: boolean;
}

/**
 * Only plain scalars kubectl reads as null, a boolean or a number can differ: every plain scalar
 * YAML 1.2 reads as a non-string, go-yaml v2 reads as the same type.
 */
function changesType(node: Scalar): boolean {
  const value = node.value;
  if (node.type !== 'PLAIN' || node.tag || !(value === null || typeof value === 'boolean' || typeof value === 'number')) return false;
  return scalarType(value) !== yaml12Type(node.source ?? '');
}

function findTypeChanges(node: unknown, path: Array<string | number>, found: TypeChange[]): void {
  const { isMap, isScalar, isSeq } = yaml();
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key : undefined;
      path.push(key ? String(key.value) : String(pair.key));
      if (key && changesType(key)) found.push({ path: [...path], scalar: key, isKey: true });
      findTypeChanges(pair.value, path, found);
      path.pop();
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      path.push(i);
      findTypeChanges(item, path, found);
      path.pop();
    });
  } else if (isScalar(node) && changesType(node)) found.push({ path: [...path], scalar: node, isKey: false });
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((joined, key) => (typeof key === 'number' ? `${joined}[${key}]` : joinPath(joined, key)), '');
}

function typeChangeFinding(change: TypeChange, relativePath: ReadonlyArray<string | number>, object: KubeObject, file: string, line: number): Finding {
  const { scalar, isKey } = change;
  const what = isKey ? 'the key' : '';
  return {
    rule: 'yaml-1.1',
    severity: 'warning',
    source: file,
    object: labelOf(object),
    path: formatPath(relativePath),
    message: `line ${line}: kubectl reads ${what ? `${what} ` : ''}\`${scalar.source}\` as ${describeScalar(scalar.value)} (YAML 1.1, as go-yaml v2 does); `
      + `a YAML 1.2 reader sees the string ${JSON.stringify(scalar.source)}. Quote it if you mean the string.`,
    apiServer: 'accepts',
  };
}

/** The objects of one parsed document (itself, or the items of a List), with the findings of its bad items and type changes. */
function documentObjects(document: Document, value: unknown, file: string, where: string, lines: LineCounter, findings: Finding[]): KubeObject[] {
  if (!isKubeObject(value)) {
    findings.push({ ...fileFinding('manifest-document', file, where, NOT_AN_OBJECT), path: 'apiVersion' });
    return [];
  }
  const changes: TypeChange[] = [];
  findTypeChanges(document.contents, [], changes);
  const lineOf = (change: TypeChange) => lines.linePos(change.scalar.range?.[0] ?? 0).line;
  if (!isList(value)) {
    for (const change of changes) findings.push(typeChangeFinding(change, change.path, value, file, lineOf(change)));
    return [value];
  }
  const objects: KubeObject[] = [];
  (value.items as unknown[]).forEach((item, i) => {
    if (!isKubeObject(item)) {
      findings.push({ ...fileFinding('manifest-document', file, `${where} items[${i}]`, NOT_AN_OBJECT), path: 'apiVersion' });
      return;
    }
    objects.push(item);
    for (const change of changes) {
      if (change.path[0] === 'items' && change.path[1] === i) findings.push(typeChangeFinding(change, change.path.slice(2), item, file, lineOf(change)));
    }
  });
  for (const change of changes) {
    if (change.path[0] !== 'items') findings.push(typeChangeFinding(change, change.path, value, file, lineOf(change)));
  }
  return objects;
}

/**
 * Every object of one file, in document order, read as kubectl reads YAML (1.1 scalars). A YAML
 * error, an alias bomb or a document that is not a Kubernetes object is a finding in `findings`
 * (with the file, document and line) and the other documents are still read.
 */
function readManifestText(text: string, file: string, findings: Finding[]): KubeObject[] {
  const { Composer, LineCounter, Parser } = yaml();
  const lines = new LineCounter();
  const composer = new Composer(KUBECTL_PARSE_OPTIONS);
  const objects: KubeObject[] = [];
  let index = 0;
  // Documents are composed one at a time and dropped once read, so a large file never holds all its trees.
  for (const document of composer.compose(new Parser(lines.addNewLine).parse(text))) {
    const where = `document ${++index}`;
    const [error] = document.errors;
    if (error) {
      findings.push(fileFinding('yaml', file, where, `invalid YAML at line ${lines.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`));
      continue;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (unreadable) {
      const line = lines.linePos(document.range[0]).line;
      findings.push(fileFinding('yaml', file, where, `cannot read the document at line ${line}: ${(unreadable as Error).message}`));
      continue;
    }
    if (value === null || value === undefined) continue; // an empty document, e.g. a trailing `---`
    objects.push(...documentObjects(document, value, file, where, lines, findings));
  }
  return objects;
}

/**
 * Every object of one file, in document order. Problems are collected in `problems` when given
 * (the other documents are still read); otherwise the first error throws, naming the file.
 */
export function parseManifestText(text: string, file: string, problems?: Finding[]): KubeObject[] {
  const findings: Finding[] = problems ?? [];
  const objects = readManifestText(text, file, findings);
  const error = problems ? undefined : findings.find((finding) => finding.severity === 'error');
  if (error) throw new Error(`${file} ${error.object}: ${error.message}`);
  return objects;
}

function isManifestName(name: string): boolean {
  return MANIFEST_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/** What an entry of a folder is once symlinks are followed; `undefined` for a broken link. */
function entryType(dir: string, entry: fs.Dirent): 'file' | 'folder' | 'linked-folder' | 'other' | undefined {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'folder';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    const target = fs.statSync(path.join(dir, entry.name));
    return target.isFile() ? 'file' : target.isDirectory() ? 'linked-folder' : 'other';
  } catch {
    return undefined;
  }
}

function sortedEntries(dir: string): fs.Dirent[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The *.yaml, *.yml and *.json files at the top of `dir` (symlinked files too), in lexical order. */
export function manifestFiles(dir: string): string[] {
  return sortedEntries(dir).filter((entry) => isManifestName(entry.name) && entryType(dir, entry) !== 'folder').map((entry) => entry.name);
}

/** Whether `dir` holds a synthesized output of its own: its first manifest file opens with the output marker. */
function isSynthesizedOutput(dir: string): boolean {
  const [first] = manifestFiles(dir);
  if (!first) return false;
  try {
    const fd = fs.openSync(path.join(dir, first), 'r');
    try {
      const head = Buffer.alloc(256);
      return readOutputHeader(head.toString('utf8', 0, fs.readSync(fd, head, 0, head.length, 0))).output;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** A Helm chart's folder (it holds a Chart.yaml): templates with `{{ }}`, not manifests. */
function isHelmChart(dir: string): boolean {
  try {
    return fs.statSync(path.join(dir, 'Chart.yaml')).isFile();
  } catch {
    return false;
  }
}

/**
 * The objects of a folder, as `kubectl apply -R -f <dir>` reads them: every *.yaml, *.yml and
 * *.json file in lexical order, subfolders in place (unless `recursive: false`), symlinked files
 * followed and symlinked folders not (as kubectl). A subfolder holding its own synthesized output
 * (another stage under `dist/`) or a Helm chart (a folder with a Chart.yaml, such as
 * `dist/helm/<chart>`) is skipped with a note. Nothing stops the reading: every problem
 * is a finding.
 */
export function readManifestFolder(dir: string, options: LoadOptions = {}): ManifestFolder {
  const folder: Reading = { objects: [], findings: [], externalObjects: [], notes: [], files: 0 };
  readFolderInto(folder, dir, '', options.recursive ?? true);
  return folder;
}

/**
 * The objects of manifest files and folders, read in the order given, as `kubectl apply -f a -f b`
 * reads them: one folder alone as {@link readManifestFolder} reads it (its files named relative to
 * it), anything else with every file named by the path given. A path that does not exist throws.
 */
export function readManifestPaths(paths: readonly string[], options: LoadOptions = {}): ManifestFolder {
  if (paths.length === 1 && fs.statSync(paths[0]).isDirectory()) return readManifestFolder(paths[0], options);
  const folder: Reading = { objects: [], findings: [], externalObjects: [], notes: [], files: 0 };
  for (const given of paths) {
    if (fs.statSync(given).isDirectory()) readFolderInto(folder, '', given.replace(/(.)\/+$/, '$1'), options.recursive ?? true);
    else readFileInto(folder, given, given);
  }
  return folder;
}

function readFolderInto(folder: Reading, root: string, relative: string, recursive: boolean): void {
  const dir = path.join(root, relative);
  for (const entry of sortedEntries(dir)) {
    const source = relative ? `${relative}/${entry.name}` : entry.name;
    const type = entryType(dir, entry);
    if (type === 'folder' && recursive) {
      if (isSynthesizedOutput(path.join(root, source))) {
        folder.notes.push(`${source}/: skipped, it holds a synthesized output of its own (another stage); validate it by itself: npx habr-k8s validate ${path.join(root, source)}`);
      } else if (isHelmChart(path.join(root, source))) {
        folder.notes.push(`${source}/: skipped, a Helm chart (its templates are no manifests); render it first: helm template ${path.join(root, source)}`);
      } else readFolderInto(folder, root, source, recursive);
    } else if (type === 'linked-folder' && recursive) {
      folder.notes.push(`${source}/: skipped, a symlinked folder (kubectl apply -R does not follow it either)`);
    } else if (isManifestName(entry.name) && (type === 'file' || type === undefined)) {
      readFileInto(folder, path.join(root, source), source);
    }
  }
}

function readFileInto(folder: Reading, file: string, source: string): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    folder.findings.push(fileFinding('manifest-file', source, 'file', `cannot read it: ${(error as Error).message}`));
    return;
  }
  folder.files += 1;
  try {
    folder.externalObjects.push(...readOutputHeader(text).externalObjects);
  } catch (badHeader) {
    folder.findings.push(fileFinding('manifest-file', source, 'header', `bad habr-k8s header: ${(badHeader as Error).message}`));
  }
  for (const object of readManifestText(text, source, folder.findings)) {
    folder.objects.push({ object, source, order: folder.objects.length });
  }
}

/**
 * The objects of a folder (see {@link readManifestFolder}). Findings are collected in `problems`
 * when given; otherwise the first error throws, naming its file.
 */
export function loadManifestFolder(dir: string, problems?: Finding[], options: LoadOptions = {}): SourcedObject[] {
  const folder = readManifestFolder(dir, options);
  if (problems) problems.push(...folder.findings);
  else {
    const error = folder.findings.find((finding) => finding.severity === 'error');
    if (error) throw new Error(`${error.source} ${error.object}: ${error.message}`);
  }
  return folder.objects;
}
